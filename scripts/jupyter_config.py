"""Install the collection's Jupyter defaults into the Python environment that runs this script.

    python scripts/jupyter_config.py          (binder/postBuild and `python3 tasks.py` run it for you)

Files from binder/, each read by every Jupyter server started from this environment, a user's own settings
still winning:
- binder/jupyterlab-settings.json → <JupyterLab app dir>/settings/overrides.d/what-went-wrong.json: the kernel
  starts by itself (no "Select Kernel" dialog), no news pop-up, widget state not saved into notebooks.
- binder/jupyter_server_config.json → merged into <prefix>/etc/jupyter/jupyter_server_config.json: the pre-save
  hook (helpers/savehook.py), so a lesson saved and reopened shows text instead of widget errors. Merged, not
  copied: Binder's base image or a hub may keep its own settings in that file. (Jupyter reads general settings
  from that one file; the jupyter_server_config.d folder holds only extension switches.)
- binder/custom.css and the lessons' style sheet → <prefix>/share/what-went-wrong/custom/custom.css, switched on in
  the same server config (LabApp.custom_css; the folder through ServerApp.tornado_settings, as static_custom_path
  itself is not a setting): code cells whose input is hidden show nothing instead of a grey bar a click away from
  being edited, and outputs keep their look before a notebook is trusted. Maintainers use View → Expand All Code.
- binder/keys-extension/labextension → <prefix>/share/jupyter/labextensions/what-went-wrong-keys: the collection's
  small JupyterLab extension (binder/keys-extension/README.md), so that arrow keys on an exercise's options move
  between the options and never JupyterLab's cell selection, and "d d" typed in an exercise deletes no cell.
A hub administrator does the same by running this script with the hub's Python, after installing the collection
into it (the save hook runs inside every user's Jupyter server, which must be able to import it).

All or nothing: every file's content is worked out and the save hook is imported first; a problem stops the script
with a sentence saying what to do and nothing written, and a file that cannot be written puts back the ones before it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
sys.path.insert(0, str(ROOT))  # helpers.theme from this copy, whether or not the package is installed yet


class ConfigError(Exception):
    """Something that stops the install before anything is written; the message says what to do."""


def merge(into: dict, extra: dict) -> dict:
    """``extra`` merged into ``into`` section by section, and inside a setting that is itself a table (such as
    tornado_settings) key by key; extra wins on the same key. Returns ``into``.

    >>> merge({"A": {"x": 1, "t": {"k": 1}}, "B": {}}, {"A": {"y": 2, "t": {"j": 2}}})
    {'A': {'x': 1, 't': {'k': 1, 'j': 2}, 'y': 2}, 'B': {}}
    """
    for section, values in extra.items():
        target = into.setdefault(section, {})
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key].update(value)
            else:
                target[key] = value
    return into


def custom_css() -> str:
    """binder/custom.css followed by the collection's own style sheet (helpers/theme.py), so that outputs of a
    notebook JupyterLab does not trust yet (a fresh clone, before Run All) keep their look: JupyterLab drops the
    <style> element each output carries until the notebook is trusted.

    >>> ".jp-InputPlaceholder" in custom_css() and ".www" in custom_css()
    True
    """
    from helpers.theme import CSS

    return (BINDER / "custom.css").read_text(encoding="utf-8") + "\n/* helpers/theme.py */\n" + CSS.strip() + "\n"


def hook_importable(python: str = sys.executable) -> str:
    """"" when ``python`` imports the save hook from outside this folder (as a Jupyter server in a user's home
    does), else what went wrong."""
    proc = subprocess.run([python, "-c", "import helpers.savehook"], cwd=tempfile.gettempdir(), capture_output=True,
                          text=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    return "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["no message"])[-1]


def planned(prefix: Path = Path(sys.prefix), check_hook: bool = True) -> dict[Path, str]:
    """Every file this script writes, with its content; ConfigError when the environment is not ready."""
    try:
        from jupyterlab.commands import get_app_dir
    except ImportError as e:
        raise ConfigError(f"JupyterLab is not installed in {sys.executable} ({e}). Install the hub's packages "
                          "first: python -m pip install -r binder/requirements.txt") from e
    if check_hook and (problem := hook_importable()):
        raise ConfigError(f"{sys.executable} cannot import the save hook helpers.savehook ({problem}), so every "
                          "Jupyter server with these settings would fail to start. Install the collection first, "
                          "from this folder: python -m pip install .")
    css = prefix / "share" / "what-went-wrong" / "custom" / "custom.css"
    server = prefix / "etc" / "jupyter" / "jupyter_server_config.json"
    try:
        current = json.loads(server.read_text(encoding="utf-8")) if server.exists() else {}
    except (OSError, ValueError) as e:
        raise ConfigError(f"{server} cannot be read as JSON ({e}): fix or move it, then run this again.") from e
    wanted = merge(json.loads((BINDER / "jupyter_server_config.json").read_text(encoding="utf-8")),
                   {"LabApp": {"custom_css": True},
                    "ServerApp": {"tornado_settings": {"static_custom_path": [str(css.parent)]}}})
    built = BINDER / "keys-extension" / "labextension"
    extension = {prefix / "share" / "jupyter" / "labextensions" / "what-went-wrong-keys" / f.relative_to(built):
                 f.read_text(encoding="utf-8") for f in sorted(built.rglob("*")) if f.is_file()}
    return {Path(get_app_dir()) / "settings" / "overrides.d" / "what-went-wrong.json":
            (BINDER / "jupyterlab-settings.json").read_text(encoding="utf-8"),
            css: custom_css(),
            server: json.dumps(merge(current, wanted), indent=2) + "\n",
            **extension}


def install(prefix: Path = Path(sys.prefix), check_hook: bool = True) -> list[Path]:
    """Write the files for the environment at ``prefix``, all or none; returns the paths written."""
    files = planned(prefix, check_hook)
    before: dict[Path, bytes | None] = {}
    try:
        for path, text in files.items():
            before[path] = path.read_bytes() if path.exists() else None
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
    except OSError as e:
        for path, old in before.items():  # put back what was there
            try:
                path.write_bytes(old) if old is not None else path.unlink(missing_ok=True)
            except OSError:
                pass
        raise ConfigError(f"Cannot write {e.filename} ({e.strerror}); nothing was changed. Run this as the user "
                          f"who installed {sys.executable}.") from e
    return list(files)


if __name__ == "__main__":
    try:
        for written in install():
            print(f"wrote {written}")
    except ConfigError as error:
        sys.exit(f"jupyter_config: {error}")
