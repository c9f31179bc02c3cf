"""Draw every figure the lessons show once, into the figure cache, so that a class's first Run All is warm.

    python scripts/warm_figures.py            (binder/postBuild runs it: a Binder class starts warm)
    python scripts/warm_figures.py --shared   (a hub administrator, with the hub's Python, after each update:
                                               into <prefix>/share/what-went-wrong/figures, read by every student)

Each notebook is executed in memory and nothing is saved: the notebooks stay exactly as in git. The figures land in
the cache folder of helpers/figcache.py (``~/.cache/what-went-wrong/figures``, or ``$WWW_CACHE_DIR``); answers typed
by no one go to a temporary answer folder that is removed afterwards. A cache is a bonus, never needed: with the
cache off or unwritable every figure is simply drawn when its cell runs.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rerun_notebooks import ROOT, execute, notebooks  # noqa: E402


def warm(path: Path) -> float:
    """Execute one notebook in its own folder without saving it; returns seconds taken."""
    start = time.perf_counter()
    execute(path)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    if "--shared" in argv:  # the figure cache every user of this Python reads (helpers/figcache.py SHARED_DIR)
        shared = Path(sys.prefix) / "share" / "what-went-wrong" / "figures"
        try:
            shared.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            sys.exit(f"Cannot write the shared figure cache {shared} ({e.strerror}): run this as the administrator "
                     "who installed the hub's Python.")
        os.environ["WWW_CACHE_DIR"] = str(shared)
    with tempfile.TemporaryDirectory() as answers:
        os.environ["WWW_ANSWERS_DIR"] = answers  # the kernels inherit it
        for path in notebooks([]):
            print(f"warmed {path.relative_to(ROOT)} in {warm(path):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
