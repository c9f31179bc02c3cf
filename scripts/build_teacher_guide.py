#!/usr/bin/env python3
"""Build the teacher's guide: one standalone HTML page to read, share or print, without Jupyter.

    python3 tasks.py guide                       # the usual way (sets up .venv first)
    python scripts/build_teacher_guide.py        # writes build/teacher-guide.html
    python scripts/build_teacher_guide.py -o guide.html

The page is generated from data/lessons.toml (objectives, timings, what the teacher does, teaching notes),
data/exercises/*.toml (prompts, skills, model answers, notes and keys) and the fact-check data (data/claims.csv and
data/cited_figures.csv: every claim of each text judged wrong or disputed, with its source), by
``helpers.guide.teacher_guide_html``. It needs no network and loads nothing from outside: styles are inside the
page, and it prints one lesson per page. build/ is git-ignored: rebuild the guide after editing any of those files.

If a data file has a mistake, nothing is written and the message says which file to fix and how (exit code 1).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.context import DataError  # noqa: E402
from helpers.exercises.definitions import DefinitionError  # noqa: E402
from helpers.guide import teacher_guide_html  # noqa: E402
from helpers.lessons import LessonError  # noqa: E402

DEFAULT_OUT = ROOT / "build" / "teacher-guide.html"


def build(out: Path = DEFAULT_OUT) -> Path:
    """Write the guide to ``out`` (its folder is created) and return the path."""
    html = teacher_guide_html()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)  # never leave a half-written guide behind
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the teacher's guide as one HTML page.")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help=f"where to write it (default: "
                        f"{DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    try:
        path = build(args.out)
    except (LessonError, DefinitionError, DataError) as e:
        print(f"The teacher's guide was not built:\n{e}", file=sys.stderr)
        return 1
    try:
        shown = path.resolve().relative_to(ROOT)
    except ValueError:
        shown = path
    print(f"Teacher's guide written to {shown} — open it in any web browser, or print it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
