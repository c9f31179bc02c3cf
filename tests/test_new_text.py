"""Adding a text, end to end, as the README's "Adding a text" says, in a temporary copy of the collection.

An unseen text (a title, a byline "NAME YEAR", a web page's date line, subheadings, a quoted document) arrives with
its seed and one row of data/sources.csv. ``python3 tasks.py new-lesson`` writes a draft lesson from that alone, and
every test passes. Then the lesson grows into a full one from data files alone (claims, events, an exercise) and
``new-lesson --replace`` writes it again: every test passes again. Each time, git shows changes only in seeds/, data/,
the new notebook and the collection-wide overviews (00, 05); lessons 01–04 and the dashboard keep every byte.
"""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_collection

ROOT = Path(__file__).resolve().parents[1]
SLUG, LESSON, SEED_FILE = "kronstadt", "06_kronstadt", "004_petrova_kronstadt_2021.txt"

# A made-up blog post, written for this test.
SEED = """Kronstadt 1921: the sailors who asked for soviets without parties
Maria Petrova 2021

Wednesday, 3 March 2021 by Maria Petrova

A hundred years ago this week, the sailors of the Kronstadt naval base, once called the pride of the revolution, \
turned against the government they had helped to bring to power in October 1917.

The winter of hunger

By the end of 1920 the civil war was won, but Petrograd was cold and hungry. Factories stood idle for want of fuel, \
and in February 1921 strikes spread through the city.

The demands of the sailors

On 1 March 1921 a meeting of some fifteen thousand sailors, soldiers and workers adopted a resolution. Among its \
demands:

"New elections to the soviets by secret ballot, with free campaigning for all workers and peasants."

"Freedom of speech and of the press for workers, peasants and the left socialist parties."

The government called the rising a plot of White generals. On 17 March the Red Army crossed the ice and took the \
fortress; many of the sailors fled to Finland and hundreds were shot.

What went wrong

For some historians Kronstadt shows that by 1921 the Bolsheviks ruled in the name of the workers but against their \
will. For others it shows a government with no room left to give way, as the Tenth Party Congress turned to the New \
Economic Policy that same month.
"""
SOURCE_ROW = ["004", SLUG, "Petrova", SEED_FILE, "Kronstadt 1921: the sailors who asked for soviets without parties",
              "Maria Petrova", "2021-03-03", "day", "dated on the page", "a history blog (made up for a test)", "",
              "blog post", "general readers", "A centenary blog post on the Kronstadt rising of March 1921."]

AVRICH = "Paul Avrich, Kronstadt 1921 (Princeton University Press, 1970)"
GETZLER = "Israel Getzler, Kronstadt 1917–1921: The Fate of a Soviet Democracy (Cambridge University Press, 1983)"
CLAIMS = [  # claim_id, source_id, passage_id, quote, claim_type, verdict, better_value, explanation, citation
    ["kronstadt-strikes", "004", "kronstadt-02", "in February 1921 strikes spread through the city", "event", "correct",
     "", "Strikes and protest meetings spread through Petrograd's factories in the last week of February 1921.",
     f"{AVRICH}, ch. 2"],
    ["kronstadt-meeting", "004", "kronstadt-03", "On 1 March 1921 a meeting of some fifteen thousand sailors",
     "date", "correct", "", "The Petropavlovsk resolution was adopted by a mass meeting on Anchor Square on 1 March "
     "1921; about 15,000 people attended.", f"{GETZLER}, ch. 6"],
    ["kronstadt-white-plot", "004", "kronstadt-06", "The government called the rising a plot of White generals",
     "attribution", "correct", "", "The government's announcement of 2 March 1921 blamed a former tsarist general.",
     f"{AVRICH}, ch. 3"],
    ["kronstadt-finland", "004", "kronstadt-06", "many of the sailors fled to Finland", "event", "correct", "",
     "About 8,000 people crossed the ice to Finland as the fortress fell.", f"{AVRICH}, ch. 6"],
]
INVENTORY = [  # passage_id, starts_with, reason, note
    ["kronstadt-01", "A hundred years ago", "interpretation", "The writer's framing; the dates are checked in ¶3."],
    ["kronstadt-02", "By the end of 1920", "not_checked", "When the civil war ended is dated differently."],
    ["kronstadt-04", '"New elections', "quotation", "The resolution of 1 March 1921, quoted."],
    ["kronstadt-05", '"Freedom of speech', "quotation", "The resolution of 1 March 1921, quoted."],
    ["kronstadt-06", "On 17 March the Red Army", "not_checked", "The day the fortress fell: a to-do."],
    ["kronstadt-07", "For some historians", "interpretation", "A summary of one school of thought."],
    ["kronstadt-07", "For others it shows", "interpretation", "A summary of another school of thought."],
]
EVENT = {"event_id": "petrograd-strikes-1921", "start_date": "1921-02-24", "end_date": "1921-03-03",
         "precision": "day", "title": "Petrograd strikes", "description": "Workers in Petrograd's factories strike "
         "against hunger and the rationing system; the government answers with arrests and concessions.",
         "category": "society", "place": "Petrograd", "mentioned_in": "kronstadt-02", "shown_in": SLUG,
         "citation": f"{AVRICH}, ch. 2"}
LINKS = {"kronstadt-rising": "kronstadt-03 kronstadt-06", "nep-introduced": "kronstadt-07"}  # old events, new passages
FACT_CHECK = """
[[exercise]]
id = "kronstadt-fact-check-finland"
type = "fact_check"
title = "Fact-check: where did the sailors go?"
skill = "corroboration"
minutes = 4
prompt = "¶6 says many of the sailors fled to Finland. Check the claim."
claim_id = "kronstadt-finland"
"""
UNCHANGED = ["notebooks/01_molyneux.ipynb", "notebooks/02_essay.ipynb", "notebooks/03_siege_socialism.ipynb",
             "notebooks/04_aunoble.ipynb", "notebooks/teacher/dashboard.ipynb"]
ALLOWED = ("seeds/", "data/", f"notebooks/{LESSON}.ipynb", "notebooks/00_start_here.ipynb",
           "notebooks/05_comparing.ipynb")


def _run(copy: Path, env: dict, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)


def _append_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def _edit_events(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["event_id"] in LINKS:
            row["mentioned_in"] = " ".join([row["mentioned_in"], LINKS[row["event_id"]]]).strip()
    rows.append({k: EVENT.get(k, "") for k in fields})
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def _changed(copy: Path) -> list[str]:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=copy, capture_output=True,
                         text=True, check=True).stdout
    return sorted(line[3:] for line in out.splitlines())


def _all_tests_pass(copy: Path, env: dict) -> None:
    tests = _run(copy, env, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile", "-m",
                 "not slow and not browser", timeout=1200)
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]


@pytest.mark.slow
def test_a_new_text_is_a_draft_from_its_row_and_a_full_lesson_from_data_files(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to copy the tracked files")
    copy = tmp_path / "collection"
    copy_collection(copy)
    git = {"cwd": copy, "check": True, "capture_output": True}
    subprocess.run(["git", "init", "-q"], **git)
    subprocess.run(["git", "add", "-A"], **git)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base"], **git)
    before = {name: (copy / name).read_bytes() for name in UNCHANGED}
    env = {**os.environ, "PYTHONPATH": str(copy), "WWW_ANSWERS_DIR": str(tmp_path / "answers")}

    # The seed and its row: nothing else. A page layout the data does not know is refused with its line number.
    seed = copy / "seeds" / SEED_FILE
    seed.write_text(SEED.replace("By the end of 1920", "Click to enlarge\nBy the end of 1920"), encoding="utf-8")
    _append_csv(copy / "data" / "sources.csv", [SOURCE_ROW])
    refused = _run(copy, env, "scripts/new_lesson.py", LESSON)
    assert refused.returncode == 1 and "line 10: passage Petrova ¶2 'Click to enlarge' reads as a title" in \
        refused.stdout
    assert "data/layouts.csv" in refused.stdout and _changed(copy) == ["data/sources.csv", f"seeds/{SEED_FILE}"]
    seed.write_text(SEED, encoding="utf-8")

    made = _run(copy, env, "scripts/new_lesson.py", LESSON)
    assert made.returncode == 0, made.stdout + made.stderr
    notebook = json.loads((copy / "notebooks" / f"{LESSON}.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert 'show_front_matter("kronstadt")' in code and 'show_passages("kronstadt")' in code
    assert all(c["outputs"] for c in notebook["cells"] if c["cell_type"] == "code"), "it ran once"
    assert all(c["metadata"]["jupyter"]["source_hidden"] for c in notebook["cells"] if c["cell_type"] == "code")
    todo = _run(copy, env, "scripts/check_text.py", SLUG)
    assert "A draft lesson" in todo.stdout and "kronstadt-03: On 1 March 1921" in todo.stdout
    _all_tests_pass(copy, env)
    assert {name: (copy / name).read_bytes() for name in UNCHANGED} == before
    assert all(name.startswith(ALLOWED) for name in _changed(copy)), _changed(copy)

    # The full lesson, from data files alone: claims, the sentences not checked, events, one more exercise.
    _append_csv(copy / "data" / "claims.csv", CLAIMS)
    _append_csv(copy / "data" / "claim_inventory.csv", INVENTORY)
    _edit_events(copy / "data" / "events.csv")
    with (copy / "data" / "exercises" / f"{LESSON}.toml").open("a", encoding="utf-8") as f:
        f.write(FACT_CHECK)
    lessons = copy / "data" / "lessons.toml"
    text = lessons.read_text(encoding="utf-8")
    old = 'exercises = ["kronstadt-argument", "kronstadt-check"]'
    assert text.count(old) == 1
    lessons.write_text(text.replace(old, old[:-1] + ', "kronstadt-fact-check-finland"]'), encoding="utf-8")

    again = _run(copy, env, "scripts/new_lesson.py", LESSON)
    assert again.returncode == 1 and "--replace" in again.stdout  # never overwrites a teacher's edits unasked
    rebuilt = _run(copy, env, "scripts/new_lesson.py", LESSON, "--replace")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    notebook = (copy / "notebooks" / f"{LESSON}.ipynb").read_text(encoding="utf-8")
    assert 'show_passage(\\"kronstadt-03\\", timeline=True)' in notebook and "kronstadt-fact-check-finland" in notebook
    assert "A draft lesson" not in _run(copy, env, "scripts/check_text.py", SLUG).stdout
    _all_tests_pass(copy, env)
    assert {name: (copy / name).read_bytes() for name in UNCHANGED} == before
    changed = _changed(copy)
    assert all(name.startswith(ALLOWED) for name in changed), changed
    assert not [n for n in changed if n.startswith(("helpers/", "tests/", "scripts/"))]
