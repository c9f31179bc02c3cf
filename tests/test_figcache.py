"""The figure cache: the same call gives the same figure without drawing it again; data changes invalidate it;
entries are plain data (JSON), never pickles."""
import json
import pickle

import pandas as pd
import pytest

from helpers import figcache
from helpers.figures import FigureView
from helpers.html import Markup
from helpers.views import View


@pytest.fixture
def calls(monkeypatch, tmp_path):
    monkeypatch.setenv(figcache.ENV_VAR, str(tmp_path / "cache"))
    made = []

    @figcache.cached
    def draw(x, scale=1):
        made.append(x)
        return View(Markup(f"<b>{x * scale}</b>"), str(x * scale))

    return draw, made, tmp_path / "cache"


def test_second_call_comes_from_disk(calls):
    draw, made, folder = calls
    assert draw(2, scale=3).text == "6" and draw(2, scale=3) == View(Markup("<b>6</b>"), "6")
    assert made == [2] and len(list(folder.glob("*.json"))) == 1
    assert draw(2, scale=4).text == "8" and made == [2, 2]


def test_figure_views_round_trip_with_svg_and_table(monkeypatch, tmp_path):
    monkeypatch.setenv(figcache.ENV_VAR, str(tmp_path))
    fig = FigureView(Markup("<img>"), "text", Markup("<img>"), "<svg width='1'/>", "alt text",
                     pd.DataFrame({"Year": [1913, 1921], "Value": [100.0, 21.0]}))
    draw = figcache.cached(lambda: fig)
    first, second = draw(), draw()
    assert second.svg == fig.svg and second.alt == "alt text" and second.html == fig.html
    assert second.table["Value"].tolist() == [100.0, 21.0] and first is fig


def test_changed_fingerprint_or_damaged_entry_draws_again(calls, monkeypatch):
    draw, made, folder = calls
    draw(1)
    next(folder.glob("*.json")).write_bytes(b"not json")
    assert draw(1).text == "1" and made == [1, 1]
    monkeypatch.setattr(figcache, "fingerprint", lambda: "other data")
    draw(1)
    assert made == [1, 1, 1]


def test_a_planted_pickle_is_never_loaded(calls):
    """A file placed in the cache folder under the right name is data to parse, never code to run."""
    draw, made, folder = calls
    draw(3)
    entry = next(folder.glob("*.json"))
    entry.write_bytes(pickle.dumps(View(Markup("<script>evil</script>"), "evil")))
    assert draw(3).text == "3" and made == [3, 3]
    entry.write_text(json.dumps({"kind": "figure", "html": "x"}))  # valid JSON, wrong shape
    assert draw(3).text == "3"


def test_off_and_unwritable(calls, monkeypatch, tmp_path):
    draw, made, _ = calls
    monkeypatch.setenv(figcache.ENV_VAR, "off")
    draw(5), draw(5)
    assert made == [5, 5]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(figcache.ENV_VAR, str(blocker / "sub"))
    assert draw(6).text == "6"  # a folder that cannot be made is skipped, not an error
    assert not list(tmp_path.glob("**/*.tmp"))


def test_fingerprint_covers_data_and_code():
    assert len(figcache.fingerprint()) == 20
