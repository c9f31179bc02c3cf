"""A disk cache for finished figures, so that Restart & Run All in class does not redraw every chart.

Drawing a timeline takes about half a second (benchmarks/README.md); the same call with the same data always gives
the same figure. A figure is stored under a key made of the call (function and arguments) and a fingerprint of
everything that can change it: the data files and the helpers' own source. Change either and every key changes, so a
stale figure is never shown. The folder is ``$WWW_CACHE_DIR`` (``off`` turns the cache off, as the tests do, since
they swap data in ways the fingerprint cannot see), else ``~/.cache/what-went-wrong/figures``; a folder
that cannot be written is simply not used (the figure is drawn as before), and a damaged entry is drawn again.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from .sources import DATA_DIR

HELPERS_DIR = Path(__file__).resolve().parent
ENV_VAR = "WWW_CACHE_DIR"
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
        path = folder / f"{key}.pickle"
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # not cached yet, or damaged: draw it
        result = draw(*args, **kwargs)
        _store(path, result)
        return result

    return wrapper


def _store(path: Path, result: object) -> None:
    """Write atomically; a cache that cannot be written is skipped, never an error in front of students."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
            f.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(f.name, path)
    except OSError:
        pass
