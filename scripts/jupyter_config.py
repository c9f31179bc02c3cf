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
A hub administrator does the same by running this script with the hub's Python.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

BINDER = Path(__file__).resolve().parent.parent / "binder"


def merge(into: dict, extra: dict) -> dict:
    """``extra`` merged into ``into`` section by section (extra wins on the same key); returns ``into``.

    >>> merge({"A": {"x": 1}, "B": {}}, {"A": {"y": 2}})
    {'A': {'x': 1, 'y': 2}, 'B': {}}
    """
    for section, values in extra.items():
        into.setdefault(section, {}).update(values)
    return into


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Write both files for the environment at ``prefix``; returns the paths written."""
    from jupyterlab.commands import get_app_dir

    settings = Path(get_app_dir()) / "settings" / "overrides.d" / "what-went-wrong.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BINDER / "jupyterlab-settings.json", settings)
    server = prefix / "etc" / "jupyter" / "jupyter_server_config.json"
    server.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(server.read_text(encoding="utf-8")) if server.exists() else {}
    wanted = json.loads((BINDER / "jupyter_server_config.json").read_text(encoding="utf-8"))
    server.write_text(json.dumps(merge(current, wanted), indent=2) + "\n", encoding="utf-8")
    return [settings, server]


if __name__ == "__main__":
    for path in install():
        print(f"wrote {path}")
