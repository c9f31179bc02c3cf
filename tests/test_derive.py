"""Every derived copy matches its one home (scripts/derive.py, run by python3 tasks.py derive): the start notebook's
lessons table, the links between lessons, the order of events.csv, the README counts and hidden code inputs."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import derive  # noqa: E402

from helpers.lessons import load_lessons  # noqa: E402


def test_every_derived_copy_is_up_to_date():
    stale = derive.write_all(write=False)
    assert not stale, f"out of date: {', '.join(stale)}; run `{derive.COMMAND}`"


def test_the_lessons_table_lists_every_lesson_after_the_start_in_order():
    lessons = load_lessons()
    table = derive.lessons_table(lessons).splitlines()
    rows = [line for line in table if line.startswith("| [")]
    assert [r.split("](")[1].split(")")[0] for r in rows] == [f"{i}.ipynb" for i in list(lessons)[1:]]
    assert all(r.count(" | ") == 2 for r in rows), "a title with '|' would break the table: it is escaped"


def test_each_lesson_links_to_the_next_and_the_last_back_to_the_start():
    lessons = load_lessons()
    ids = list(lessons)
    assert derive.link_cell(lessons, ids[0]).startswith("**Next:** [Lesson 1 · ") and "All lessons" not in \
        derive.link_cell(lessons, ids[0])
    assert f"]({ids[2]}.ipynb) · [All lessons]({ids[0]}.ipynb)" in derive.link_cell(lessons, ids[1])
    assert derive.link_cell(lessons, ids[-1]) == f"**Back:** [All lessons]({ids[0]}.ipynb)"


def test_markdown_in_a_title_is_escaped():
    assert derive._md("A | B [c] *d*") == "A \\| B \\[c\\] \\*d\\*"
