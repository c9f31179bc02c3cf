"""The figure cache: the same call gives the same figure without drawing it again; data changes invalidate it."""
import pytest

from helpers import figcache


@pytest.fixture
def calls(monkeypatch, tmp_path):
    monkeypatch.setenv(figcache.ENV_VAR, str(tmp_path / "cache"))
    made = []

    @figcache.cached
    def draw(x, scale=1):
        made.append(x)
        return {"x": x * scale}

    return draw, made, tmp_path / "cache"


def test_second_call_comes_from_disk(calls):
    draw, made, folder = calls
    assert draw(2, scale=3) == {"x": 6} and draw(2, scale=3) == {"x": 6}
    assert made == [2] and len(list(folder.glob("*.pickle"))) == 1
    assert draw(2, scale=4) == {"x": 8} and made == [2, 2]


def test_changed_fingerprint_or_damaged_entry_draws_again(calls, monkeypatch):
    draw, made, folder = calls
    draw(1)
    next(folder.glob("*.pickle")).write_bytes(b"not a pickle")
    assert draw(1) == {"x": 1} and made == [1, 1]
    monkeypatch.setattr(figcache, "fingerprint", lambda: "other data")
    draw(1)
    assert made == [1, 1, 1]


def test_off_and_unwritable(calls, monkeypatch, tmp_path):
    draw, made, _ = calls
    monkeypatch.setenv(figcache.ENV_VAR, "off")
    draw(5), draw(5)
    assert made == [5, 5]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(figcache.ENV_VAR, str(blocker / "sub"))
    assert draw(6) == {"x": 6}  # a folder that cannot be made is skipped, not an error


def test_fingerprint_covers_data_and_code():
    assert len(figcache.fingerprint()) == 20
