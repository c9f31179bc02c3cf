"""Write every derived copy from its one home: ``python3 tasks.py derive``.

Some facts are shown in more than one place. Each has one home, and this script writes the copies (what can be
worked out when a notebook runs is not copied at all: where a glossary term occurs, which lessons an event belongs
to):

- the lessons table of the start notebook and every notebook's Next/Back link ← the lessons of data/lessons.toml;
- the order of data/events.csv (by start date) ← the events' dates;
- the counts and verdict lists of data/README.md ← the CSV files (helpers/datafacts.py);
- the sample class of the dashboard (data/sample_class/) ← the exercises it answered (scripts/make_sample_class.py);
- the hidden input of every code cell of every notebook (a cell added by hand shows no code to students).

Run it after changing data; the tests fail, naming this command, while a copy is stale. ``--check`` only lists what
it would change (exit 1 if anything).
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Callable

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import datafacts  # noqa: E402
from helpers.lessons import NOTEBOOKS_DIR, Lesson, load_lessons  # noqa: E402
from helpers.savehook import hide_inputs  # noqa: E402
from helpers.sources import DATA_DIR, get_source  # noqa: E402

LESSONS_HEADING = "## The lessons"
LINK_STARTS = ("**Next:**", "**Back:**")
COMMAND = "python3 tasks.py derive"


# ---------------------------------------------------------------------------------------------------------------------
# Notebooks: the lessons table and the links between lessons
# ---------------------------------------------------------------------------------------------------------------------
def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or link name: the characters Markdown would read escaped."""
    for ch in "\\|[]*_`<>":
        text = text.replace(ch, "\\" + ch)
    return text


def lessons_table(lessons: dict[str, Lesson]) -> str:
    """The start notebook's table of lessons, one row per lesson of data/lessons.toml after the start notebook."""
    rows = []
    for lesson in list(lessons.values())[1:]:
        if lesson.source:
            s = get_source(lesson.source)
            what = f"{s.genre}, {s.date[:4] if s.date else 'undated'}"
        else:
            what = "all the texts"
        rows.append(f"| [{lesson.number} · {_md(lesson.title)}]({lesson.id}.ipynb) | {_md(what)} | "
                    f"{_md(lesson.question)} |")
    return "\n".join([LESSONS_HEADING, "Open each lesson from here (or from the file browser on the left), in this "
                      "order:", "", "| lesson | what you read | its question |", "|---|---|---|", *rows])


def link_cell(lessons: dict[str, Lesson], lesson_id: str) -> str:
    """The last cell of a notebook: a link to the next lesson and back to the start notebook."""
    ids = list(lessons)
    start = f"[All lessons]({ids[0]}.ipynb)"
    i = ids.index(lesson_id)
    if i + 1 == len(ids):
        return f"**Back:** {start}"
    nxt = lessons[ids[i + 1]]
    link = f"[Lesson {nxt.number} · {_md(nxt.title)}]({nxt.id}.ipynb)"
    return f"**Next:** {link}" if i == 0 else f"**Next:** {link} · {start}"


def _notebook_text(path: Path, lessons: dict[str, Lesson]) -> str:
    """The notebook file as it should be: its table and link cells from the data, every code input hidden."""
    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    cells = nb.cells
    if path.stem in lessons:
        texts = ["".join(c.get("source", "")) for c in cells]
        if path.stem == next(iter(lessons)):
            for c, text in zip(cells, texts):
                if c["cell_type"] == "markdown" and text.startswith(LESSONS_HEADING + "\n"):
                    c["source"] = lessons_table(lessons)
        link = link_cell(lessons, path.stem)
        if cells and cells[-1]["cell_type"] == "markdown" and texts[-1].startswith(LINK_STARTS):
            cells[-1]["source"] = link
        else:
            cells.append(nbformat.v4.new_markdown_cell(link))
    hide_inputs(nb)
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def notebooks(write: bool) -> list[str]:
    """Notebooks whose lessons table, links or hidden inputs differ from the data (rewritten with ``write``)."""
    lessons = load_lessons()
    stale = []
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted((NOTEBOOKS_DIR / "teacher").glob("*.ipynb")):
        want = _notebook_text(path, lessons)
        if want != path.read_text(encoding="utf-8"):
            stale.append(str(path.relative_to(ROOT)))
            if write:
                path.write_text(want, encoding="utf-8", newline="\n")
    return stale


# ---------------------------------------------------------------------------------------------------------------------
# Data files
# ---------------------------------------------------------------------------------------------------------------------
def _csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _rewrite_csv(path: Path, change: Callable[[list[dict[str, str]]], list[dict[str, str]]], write: bool) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        raw = f.read()
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    rows = list(reader)
    want = _csv_text(list(reader.fieldnames or []), change(rows))
    if want == raw:
        return []
    if write:
        path.write_text(want, encoding="utf-8", newline="")
    return [str(path.relative_to(ROOT))]


def events(write: bool) -> list[str]:
    """data/events.csv in date order (events of one day keep the order they were written in)."""
    return _rewrite_csv(DATA_DIR / "events.csv", lambda rows: sorted(rows, key=lambda r: r["start_date"]), write)


def readme_facts(write: bool) -> list[str]:
    """data/README.md's counts and verdict lists (helpers/datafacts.py)."""
    if not datafacts.stale():
        return []
    if write:
        datafacts.write()
    return [str(datafacts.README.relative_to(ROOT))]


def sample_class(write: bool) -> list[str]:
    """data/sample_class/, the made-up class of the dashboard, as scripts/make_sample_class.py makes it from the
    exercise definitions (a changed key or option changes the made-up answers)."""
    import tempfile

    import make_sample_class

    folder = make_sample_class.OUT
    with tempfile.TemporaryDirectory() as tmp:
        make_sample_class.write(Path(tmp))
        made = {p.name: p.read_bytes() for p in Path(tmp).iterdir()}
    have = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".html", ".json")}
    if made == have:
        return []
    if write:
        make_sample_class.write(folder)
    return [str(folder.relative_to(ROOT)) + "/"]


DERIVED = (events, readme_facts, sample_class, notebooks)


def write_all(write: bool = True) -> list[str]:
    """Bring every derived copy up to date (or, without ``write``, only list the stale ones)."""
    return [name for derive in DERIVED for name in derive(write)]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = write_all(write=not check)
    if not changed:
        print("Every derived copy is up to date.")
        return 0
    print(("Out of date: " if check else "Rewritten from the data: ") + ", ".join(changed))
    return 1 if check else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
