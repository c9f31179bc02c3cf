"""Shared test fixtures: where the project and the handed-over seeds are."""
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

def copy_collection(dest: Path, uncommitted: bool = False) -> None:
    """The files git tracks (what a clean clone holds; with ``uncommitted``, also new files not ignored, as they are in
    the working tree), without .venv, .git or build output; the notebook folders' helpers links stay links."""
    extra = ["--others", "--exclude-standard"] if uncommitted else []
    names = subprocess.run(["git", "ls-files", "-z", "--cached", *extra], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        src, target = ROOT / name, dest / name
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, target)


# Tests swap data in ways the figure cache cannot see, and nbval kernels inherit this: draw every figure afresh.
os.environ.setdefault("WWW_CACHE_DIR", "off")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


class Tags(HTMLParser):
    """Start tags, script contents and text of a page, as a browser would parse it (for escaping tests)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)
