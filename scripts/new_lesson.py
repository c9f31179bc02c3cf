"""Write the notebook of a new lesson, ready to run: the one command of adding a text.

    python3 tasks.py new-lesson 06_luxemburg

The text needs only its seed in seeds/ and its row in data/sources.csv (slug ``luxemburg``; see README, "Adding a
text"). When data/lessons.toml has no lesson ``06_luxemburg`` yet, this writes a *draft*: its [[lesson]] at the end
of data/lessons.toml, its exercises in data/exercises/06_luxemburg.toml (a sourcing table, the text's argument in the
student's words, one sentence to check, an exit ticket and the continuum again) and two discussion questions in
data/prompts.csv; edit them there. ``python3 tasks.py check-text luxemburg`` then lists what a full lesson still needs.

The notebook follows the lesson's sections: a heading for each, the source card under the first, every passage of
the text under the second (or the first, if there is only one) with the causes it names, each section's exercises,
and the hand-in button at the end. Every code cell is one call, its input hidden for students. Then it is run once,
so that it opens readable. An existing notebook is never overwritten, unless ``--replace`` asks for it: after the
lesson's data has grown (claims, events, exercises), ``new-lesson 06_luxemburg --replace`` writes it again from them.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from string import Template

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers.exercises.definitions import EXERCISES_DIR, get_exercise  # noqa: E402
from helpers.lessons import LESSONS_TOML, Lesson, get_lesson, load_lessons  # noqa: E402
from helpers.sources import DATA_DIR, Source, UnknownSourceError, all_sources, get_source  # noqa: E402
from helpers.texts import load_document, problems  # noqa: E402

HOW_TO = ("*How to use this notebook:* choose **Run → Run All Cells** (or press Shift+Enter in each cell). The text, "
          "its\ncontext and the exercises appear under each heading; the code that shows them is hidden, and you "
          "never need to change it.")


# The draft's own data, from the templates in data/drafts/ (a teacher edits the files they are written to). $-fields
# come from the text's row in data/sources.csv and from the start notebook's continuum.
DRAFTS = DATA_DIR / "drafts"
CONTINUUM = "start-continuum"  # the start notebook's statement, which every lesson asks again


def _template(name: str) -> Template:
    """A draft template of data/drafts/, without its '## ' lines (they speak of the template, not of the draft)."""
    text = (DRAFTS / name).read_text(encoding="utf-8")
    return Template("".join(line for line in text.splitlines(keepends=True) if not line.startswith("## ")))


def _toml_str(text: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def source_for(lesson_id: str) -> Source:
    """The text a new lesson reads: the one whose slug its name gives (``06_kronstadt``, ``06_kronstadt_1921``), or
    else the only text of data/sources.csv that no lesson reads yet.

    >>> source_for("06_molyneux").slug
    'molyneux'
    """
    name = lesson_id[3:]
    try:
        return get_source(name)
    except UnknownSourceError:
        pass
    read = {lesson.source for lesson in load_lessons().values()}
    unread = [s for s in all_sources() if s.slug not in read]
    named = [s for s in all_sources() if s.slug in name.split("_")]
    for found in (named, [s for s in named if s in unread], unread):
        if len(found) == 1:
            return found[0]
    raise KeyError(f"No lesson {lesson_id!r} in data/lessons.toml, and its name gives no text of data/sources.csv "
                   f"to draft one from: name it NN_<slug> after the text's row (texts no lesson reads yet: "
                   f"{', '.join(s.slug for s in unread) or 'none'}).")


def write_draft(lesson_id: str) -> list[str]:
    """Write a draft lesson's data for the text its id names (``06_kronstadt`` → slug ``kronstadt``): its [[lesson]],
    its exercises file and its discussion questions. Returns the files written; never overwrites an exercises file
    or a text's own discussion questions."""
    source = source_for(lesson_id)
    doc = load_document(source.slug)
    misread = problems(doc)
    if misread:
        raise ValueError(f"the text {source.slug!r} looks misread, so no draft was written:\n- " + "\n- ".join(misread))
    start = get_exercise(CONTINUUM)
    fields = {"lesson_id": lesson_id, "slug": source.slug, "label": source.label, "title": _toml_str(doc.title),
              "continuum": CONTINUUM, "continuum_prompt": _toml_str(start.prompt),
              "continuum_left": _toml_str(start.get("left")), "continuum_right": _toml_str(start.get("right"))}
    written = []
    exercises = EXERCISES_DIR / f"{lesson_id}.toml"
    if not exercises.exists():
        exercises.write_text(_template("exercises.toml").substitute(fields), encoding="utf-8", newline="\n")
        written.append(exercises)
    with LESSONS_TOML.open("a", encoding="utf-8", newline="\n") as f:
        f.write("\n" + _template("lesson.toml").substitute(fields))
    written.append(LESSONS_TOML)
    prompts = DATA_DIR / "prompts.csv"
    with prompts.open(encoding="utf-8", newline="") as f:
        has_own = any(row["passage_id"].startswith(source.slug + "-") for row in csv.DictReader(f))
    if not has_own:
        ends = {"first": doc.passages[0].id, "last": doc.passages[-1].id}
        with (DRAFTS / "prompts.csv").open(encoding="utf-8", newline="") as f:
            rows = [[ends[r["passage"]], r["skill"], r["question"]] for r in csv.DictReader(f)]
        with prompts.open("a", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
        written.append(prompts)
    return [str(p.relative_to(ROOT)) for p in written]


def _code(source: str) -> nbformat.NotebookNode:
    """A code cell with its input hidden for students, as in every lesson."""
    return nbformat.v4.new_code_cell(source, metadata={"jupyter": {"source_hidden": True}, "tags": ["hide-input"]})


def _passage_calls(slug: str) -> list[str]:
    """The calls that show every passage of a text: a passage that events of data/events.csv name (mentioned or
    left out) with its timeline, the others in runs."""
    from helpers.context import load

    events = load("events")
    named = {p for column in ("mentioned_in", "left_out_of") for cell in events[column].dropna() for p in cell.split()}
    passages = load_document(slug).passages
    if not named & {p.id for p in passages}:
        return [f'show_passages("{slug}")']
    calls, run = [], []

    def flush() -> None:
        if run:
            calls.append(f'show_passages("{slug}", {run[0].number}, {run[-1].number})')
            run.clear()

    for p in passages:
        if p.id in named:
            flush()
            calls.append(f'show_passage("{p.id}", timeline=True)')
        else:
            run.append(p)
    flush()
    return calls


def scaffold(lesson: Lesson) -> nbformat.NotebookNode:
    """The notebook for ``lesson``: prose from the data, one call per code cell, no logic.

    >>> [c.source for c in scaffold(get_lesson("01_molyneux")).cells if c.cell_type == "code"][-1]
    'show_hand_in()'
    """
    if not lesson.source:
        raise ValueError(f"Lesson {lesson.id!r} names no source text (source = \"slug\" in data/lessons.toml): "
                         "a scaffold shows one text")
    slug = get_source(lesson.source).slug
    doc = load_document(slug)
    front = [p for p in doc.parts if p.kind in ("title", "note", "byline", "dateline")]
    cells = [nbformat.v4.new_markdown_cell(f"# Lesson {lesson.number} — {lesson.title}\n\n"
                                           f"> **{lesson.question}**\n\n{HOW_TO}"),
             _code(f'from helpers import show_lesson_plan\nshow_lesson_plan("{lesson.id}")')]
    passages_at = 1 if len(lesson.sections) > 1 else 0
    for i, section in enumerate(lesson.sections):
        cells.append(nbformat.v4.new_markdown_cell(f"## {i + 1}. {section.title}"))
        if i == 0:
            cells.append(_code("from helpers import (show_source_card, show_front_matter, show_passages, show_passage, "
                               "show_blame_chart,\n                     show_notes, show_comments, exercise, "
                               f'show_hand_in)\nshow_source_card("{slug}")'))
            if front:  # the title and author lines as the page printed them
                cells.append(_code(f'show_front_matter("{slug}")'))
        if i == passages_at:
            cells += [_code(call) for call in _passage_calls(slug)]
            cells.append(_code(f'show_blame_chart("{slug}")'))  # the causes it names, counted
            if doc.footnotes or doc.references:
                cells.append(_code(f'show_notes("{slug}")'))
            if doc.comments:
                cells.append(_code(f'show_comments("{slug}")'))
        cells += [_code(f'exercise("{x}")') for x in section.shown]
    cells.append(_code("show_hand_in()"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def main(argv: list[str]) -> int:
    """Check the lesson data, write notebooks/<lesson>.ipynb, and run it once; 1 with a message if anything is off."""
    replace = "--replace" in argv
    argv = [a for a in argv if a != "--replace"]
    if len(argv) != 1:
        print(__doc__)
        return 2
    lesson_id = argv[0].removesuffix(".ipynb").rsplit("/", 1)[-1]
    path = ROOT / "notebooks" / f"{lesson_id}.ipynb"
    if path.exists() and not replace:
        print(f"{path.relative_to(ROOT)} exists already; edit it, or write it again from the data with "
              f"python3 tasks.py new-lesson {lesson_id} --replace (edits made in the notebook itself are lost).")
        return 1
    try:
        if lesson_id not in load_lessons():
            print("A draft lesson: wrote " + ", ".join(write_draft(lesson_id)) + " (edit them there).")
        lesson = get_lesson(lesson_id)  # loading the lessons checks them against the exercises
        nb = scaffold(lesson)
        misread = problems(load_document(lesson.source))
    except (KeyError, ValueError) as e:  # LessonError and DefinitionError are ValueErrors, listing every problem
        print(f"Fix the lesson's data first: {str(e).strip(chr(34))}")
        return 1
    except OSError as e:  # e.g. a read-only data/ folder
        print(f"Could not write {e.filename or 'a data file'}: {e.strerror or e} (is the folder read-only?).")
        return 1
    if misread:
        print(f"The text {lesson.source!r} looks misread, so no notebook was written:\n- " + "\n- ".join(misread))
        return 1
    try:
        nbformat.write(nb, path)
    except OSError as e:
        print(f"Could not write {path.relative_to(ROOT)}: {e.strerror or e} (is notebooks/ read-only?).")
        return 1
    print(f"Wrote {path.relative_to(ROOT)} ({sum(c.cell_type == 'code' for c in nb.cells)} code cells); running "
          "every notebook, as python3 tasks.py rerun does (the overviews gain the new text; nothing else changes) …",
          flush=True)
    from rerun_notebooks import main as rerun_all  # derived copies first, then clean, byte-stable outputs

    rerun_all([])
    print(f"Next: python3 tasks.py check-text {lesson.source} lists what this lesson still needs.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
