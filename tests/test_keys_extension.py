"""The committed build of binder/keys-extension holds the code of its index.js, and the Jupyter set-up installs it.

A stale build (index.js edited, labextension/ not rebuilt) fails here with the rebuild steps; the behaviour itself
is tested in a real JupyterLab by tests/browser/test_keyboard.py."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "binder" / "keys-extension"
REBUILD = "rebuild it as binder/keys-extension/README.md says"


def _strings(js: str) -> set[str]:
    """The string literals of six characters or more: minifying renames variables but keeps these."""
    return {a or b for a, b in re.findall(r"'([^'\n]{6,})'|\"([^\"\n]{6,})\"", js)}


def test_the_build_holds_every_string_of_the_source():
    built = json.loads((EXT / "labextension" / "package.json").read_text(encoding="utf-8"))
    entry = EXT / "labextension" / built["jupyterlab"]["_build"]["load"]
    assert entry.is_file(), f"{entry} is missing: {REBUILD}"
    bundle = "".join(p.read_text(encoding="utf-8") for p in (EXT / "labextension" / "static").glob("*.js"))
    source = (EXT / "index.js").read_text(encoding="utf-8")
    missing = [s for s in _strings(source) if s not in bundle]
    assert not missing, f"labextension/ was built from another index.js (missing {missing}): {REBUILD}"
    assert json.loads((EXT / "package.json").read_text())["name"] == built["name"] == "what-went-wrong-keys"


def test_the_jupyter_setup_installs_the_built_extension(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import jupyter_config
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    files = jupyter_config.planned(tmp_path, check_hook=False)
    target = tmp_path / "share" / "jupyter" / "labextensions" / "what-went-wrong-keys"
    shipped = {p.relative_to(EXT / "labextension") for p in (EXT / "labextension").rglob("*") if p.is_file()}
    assert {p.relative_to(target) for p in files if target in p.parents} == shipped
