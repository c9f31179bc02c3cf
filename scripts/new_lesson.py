"""Write the notebook of a new lesson from its data, ready to run: the last step of adding a text.

    python3 tasks.py new-lesson 06_luxemburg

Before running it, the lesson exists as data (see README, "Adding a text"): the seed in seeds/, its row in
data/sources.csv, its exercises in data/exercises/06_luxemburg.toml and its [[lesson]] (with ``source``) in
data/lessons.toml. The notebook follows the lesson's sections: a heading for each, the source card under the first,
every passage of the text under the second (or the first, if there is only one), each section's exercises, and the
hand-in button at the end. Every code cell is one call, its input hidden for students. Then it is run once, so that
it opens readable. An existing notebook is never overwritten: edit it instead, or delete it first.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers.lessons import Lesson, get_lesson  # noqa: E402
from helpers.sources import get_source  # noqa: E402
from helpers.texts import load_document, problems  # noqa: E402

HOW_TO = ("*How to use this notebook:* choose **Run → Run All Cells** (or press Shift+Enter in each cell). The text, "
          "its\ncontext and the exercises appear under each heading; the code that shows them is hidden, and you "
          "never need to change it.")


def _code(source: str) -> nbformat.NotebookNode:
    """A code cell with its input hidden for students, as in every lesson."""
    return nbformat.v4.new_code_cell(source, metadata={"jupyter": {"source_hidden": True}, "tags": ["hide-input"]})


def scaffold(lesson: Lesson) -> nbformat.NotebookNode:
    """The notebook for ``lesson``: prose from the data, one call per code cell, no logic.

    >>> [c.source for c in scaffold(get_lesson("01_molyneux")).cells if c.cell_type == "code"][-1]
    'show_hand_in()'
    """
    if not lesson.source:
        raise ValueError(f"Lesson {lesson.id!r} names no source text (source = \"slug\" in data/lessons.toml): "
                         "a scaffold shows one text")
    slug = get_source(lesson.source).slug
    cells = [nbformat.v4.new_markdown_cell(f"# Lesson {lesson.number} — {lesson.title}\n\n"
                                           f"> **{lesson.question}**\n\n{HOW_TO}"),
             _code(f'from helpers import show_lesson_plan\nshow_lesson_plan("{lesson.id}")')]
    passages_at = 1 if len(lesson.sections) > 1 else 0
    for i, section in enumerate(lesson.sections):
        cells.append(nbformat.v4.new_markdown_cell(f"## {i + 1}. {section.title}"))
        if i == 0:
            cells.append(_code("from helpers import show_source_card, show_passages, exercise, show_hand_in\n"
                               f'show_source_card("{slug}")'))
        if i == passages_at:
            cells.append(_code(f'show_passages("{slug}")'))
        cells += [_code(f'exercise("{x}")') for x in section.shown]
    cells.append(_code("show_hand_in()"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def main(argv: list[str]) -> int:
    """Check the lesson data, write notebooks/<lesson>.ipynb, and run it once; 1 with a message if anything is off."""
    if len(argv) != 1:
        print(__doc__)
        return 2
    lesson_id = argv[0].removesuffix(".ipynb").rsplit("/", 1)[-1]
    path = ROOT / "notebooks" / f"{lesson_id}.ipynb"
    if path.exists():
        print(f"{path.relative_to(ROOT)} exists already; edit it, or delete it and run this again.")
        return 1
    try:
        lesson = get_lesson(lesson_id)  # loading the lessons checks them against the exercises
        nb = scaffold(lesson)
        misread = problems(load_document(lesson.source))
    except (KeyError, ValueError) as e:  # LessonError and DefinitionError are ValueErrors, listing every problem
        print(f"Fix the lesson's data first: {str(e).strip(chr(34))}")
        return 1
    if misread:
        print(f"The text {lesson.source!r} looks misread, so no notebook was written:\n- " + "\n- ".join(misread))
        return 1
    nbformat.write(nb, path)
    from rerun_notebooks import rerun  # the same clean, byte-stable outputs as every other notebook

    print(f"Wrote {path.relative_to(ROOT)} ({sum(c.cell_type == 'code' for c in nb.cells)} code cells); "
          f"ran it in {rerun(path):.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
