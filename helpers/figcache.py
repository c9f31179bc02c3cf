"""A disk cache for finished figures, so that Restart & Run All in class does not redraw every chart.

Reading a finished figure takes a few milliseconds, about what drawing one with helpers/svgdraw.py takes once the
figure font is loaded; in a fresh kernel the cache also saves loading the font (about 0.1 s). The same call with the
same data always gives the same figure. A figure is stored under a key made of the call (function and arguments)
and a fingerprint of everything that can change it: the data files and the helpers' own source. Change either and
every key changes, so a stale figure is never shown. The folder is
``$WWW_CACHE_DIR`` (``off`` turns the cache off, as the tests do, since they swap data in ways the fingerprint
cannot see), else ``~/.cache/what-went-wrong/figures``; a folder that cannot be written is simply not used (the
figure is drawn as before), and a damaged entry is drawn again. A figure missing there is also looked for, read
only, in ``<prefix>/share/what-went-wrong/figures`` (SHARED_DIR): a hub administrator fills it once for every
student with ``python scripts/warm_figures.py --shared``, so no student's first Run All is cold; the fingerprint
keeps a student whose pulled copy differs from the administrator's from ever seeing a figure of other data.

Entries are plain data (JSON: the HTML, the text, the alt text, the SVG and the data table), never
pickles: the folder is in the home directory, and unpickling a file placed there could run any code.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import sys
import json
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from .sources import DATA_DIR
from .view import View

HELPERS_DIR = Path(__file__).resolve().parent
ENV_VAR = "WWW_CACHE_DIR"
SHARED_DIR = Path(sys.prefix) / "share" / "what-went-wrong" / "figures"
T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where cached figures live, or None when the cache is off (see the module docstring)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env.lower() == "off":
        return None
    return Path(env).expanduser() if env else Path.home() / ".cache" / "what-went-wrong" / "figures"


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the data files and the helpers' source: what a figure depends on besides its arguments."""
    h = hashlib.sha256()
    files = sorted(DATA_DIR.glob("*.csv")) + sorted(HELPERS_DIR.rglob("*.py"))
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


def cached(draw: Callable[..., T]) -> Callable[..., T]:
    """Keep ``draw``'s results on disk, keyed by its name, its arguments and :func:`fingerprint`."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> T:
        folder = cache_dir()
        if folder is None:
            return draw(*args, **kwargs)
        call = repr((draw.__module__, draw.__qualname__, args, sorted(kwargs.items())))
        key = hashlib.sha256(f"{fingerprint()}|{call}".encode()).hexdigest()[:32]
        path = folder / f"{key}.json"
        for found in (path, SHARED_DIR / path.name):
            try:
                return _from_data(json.loads(found.read_bytes()))
            except (OSError, ValueError, KeyError, TypeError):
                pass  # not cached yet, or damaged: look further, else draw it
        result = draw(*args, **kwargs)
        _store(path, result)
        return result

    return wrapper


def _to_data(result: object) -> dict:
    """A View or FigureView as JSON-able data (ValueError for anything else: it is then simply not cached)."""
    from .figures import FigureView

    if isinstance(result, FigureView):
        table = None if result.table is None else result.table.to_json(orient="split", index=False)
        return {"kind": "figure", "html": str(result.html), "text": result.text, "body": str(result.body),
                "svg": result.svg, "alt": result.alt, "table": table}
    if type(result) is View:
        return {"kind": "view", "html": str(result.html), "text": result.text}
    raise ValueError(f"cannot cache a {type(result).__name__}")


def _from_data(data: dict) -> object:
    """The View or FigureView back from :func:`_to_data`'s data; KeyError/ValueError/TypeError if it is damaged."""
    import pandas as pd

    from .figures import FigureView
    from .html import Markup

    html, text = Markup(data["html"]), str(data["text"])
    if data["kind"] == "view":
        return View(html, text)
    if data["kind"] != "figure":
        raise ValueError("unknown kind")
    table = None if data["table"] is None else pd.read_json(io.StringIO(data["table"]), orient="split")
    return FigureView(html, text, Markup(data["body"]), str(data["svg"]), str(data["alt"]), table)


def _store(path: Path, result: object) -> None:
    """Write atomically; a cache that cannot be written is skipped, never an error in front of students."""
    tmp = None
    try:
        payload = json.dumps(_to_data(result)).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
            tmp = f.name
            f.write(payload)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:  # never leave a half-written file behind
            with contextlib.suppress(OSError):
                os.unlink(tmp)
