"""Shared test fixtures: where the project and the handed-over seeds are."""
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

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
