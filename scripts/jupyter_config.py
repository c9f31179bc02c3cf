"""Install the collection's Jupyter defaults into the Python environment that runs this script.

    python scripts/jupyter_config.py          (binder/postBuild and `python3 tasks.py` run it for you)

Two files from binder/, each read by every Jupyter server started from this environment, a user's own settings
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
A hub administrator does the same by running this script with the hub's Python.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

BINDER = Path(__file__).resolve().parent.parent / "binder"


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


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Write the three files for the environment at ``prefix``; returns the paths written."""
    from jupyterlab.commands import get_app_dir

    settings = Path(get_app_dir()) / "settings" / "overrides.d" / "what-went-wrong.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BINDER / "jupyterlab-settings.json", settings)
    css = prefix / "share" / "what-went-wrong" / "custom" / "custom.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(custom_css(), encoding="utf-8")
    server = prefix / "etc" / "jupyter" / "jupyter_server_config.json"
    server.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(server.read_text(encoding="utf-8")) if server.exists() else {}
    wanted = json.loads((BINDER / "jupyter_server_config.json").read_text(encoding="utf-8"))
    css_on = {"LabApp": {"custom_css": True},
              "ServerApp": {"tornado_settings": {"static_custom_path": [str(css.parent)]}}}
    wanted = merge(wanted, css_on)
    server.write_text(json.dumps(merge(current, wanted), indent=2) + "\n", encoding="utf-8")
    return [settings, css, server]


if __name__ == "__main__":
    for path in install():
        print(f"wrote {path}")
