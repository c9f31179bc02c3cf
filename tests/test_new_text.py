"""Adding a text, end to end, as the README's "Adding a text" says: in a temporary copy of the collection, a small
made-up text gets its seed, its row in data/sources.csv, its exercises, its [[lesson]] and a scaffolded notebook
(python3 tasks.py new-lesson); then its notebook runs under nbval and the data, lesson, text and source tests pass
there, with nothing in helpers/ or tests/ changed."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_collection

ROOT = Path(__file__).resolve().parents[1]
SLUG, LESSON = "synthetic", "06_synthetic"

SEED = """A short reading on 1917, made up for a test

The revolution of October 1917 promised land, bread and peace. Four years later the country had a civil war behind
it, a ruined industry and a single ruling party.

Some writers blame the circumstances: war, blockade and famine left little room for choice. Others blame the ideas
of the leaders, who saw every opponent as a class enemy.

By 1929 the party had turned to forced collectivisation, and the promises of 1917 looked far away.
"""
ROW = ('004,synthetic,Synthetic,004_synthetic_reading.txt,A short reading on 1917,Test Author,2024-01-01,day,'
       'a made-up text for a test,Test Press,,article,a test,"A made-up text that checks how a reading is added."\r\n')
EXERCISES = """[[exercise]]
id = "synthetic-mc-kind"
type = "multiple_choice"
title = "What kind of text?"
skill = "sourcing"
minutes = 3
prompt = "Who wrote this text, and when?"
options = ["An eyewitness in 1917.", "A writer in 2024, looking back."]
answer = 2
explanation = "The source card dates it 2024."

[[exercise]]
id = "synthetic-context"
type = "free_text"
title = "Then and now"
skill = "contextualisation"
minutes = 10
prompt = "What happened between 1917 and 1929 that the text leaves out?"
model_answer = "Success criteria: one event from the timeline, with its date."

[[exercise]]
id = "synthetic-read"
type = "free_text"
title = "Read closely"
skill = "close reading"
minutes = 10
prompt = "Which word in ¶3 shows the writer's view?"
model_answer = "Success criteria: a word quoted from ¶3 and what it shows."

[[exercise]]
id = "synthetic-check"
type = "free_text"
title = "Check it"
skill = "corroboration"
minutes = 12
prompt = "Check one claim of the text against another text of the collection."
model_answer = "Success criteria: a claim, a second text, and whether they agree."

[[exercise]]
id = "synthetic-continuum"
type = "continuum"
title = "Where do you stand now?"
skill = "contextualisation"
minutes = 2
prompt = "Statement: “The revolution of 1917 failed because of its leaders — Lenin and Stalin — and the ideas they held.”"
left = "strongly disagree"
right = "strongly agree"
phase = "after"
before_from = "start-continuum"
"""
LESSON_TOML = f"""
[[lesson]]
id = "{LESSON}"
title = "A short reading"
source = "{SLUG}"
question = "What does this text say went wrong?"
objectives = ["Say who wrote the text and when.", "Check one of its claims."]
skills = ["sourcing", "contextualisation", "corroboration", "close reading"]
minutes = 45
teacher_note = "A made-up text for a test."

[[lesson.section]]
title = "Where does this text come from?"
minutes = 10
teacher_does = "Read the source card."
exercises = ["synthetic-mc-kind"]

[[lesson.section]]
title = "The text"
minutes = 35
teacher_does = "Read the passages."
exercises = ["synthetic-context", "synthetic-read", "synthetic-check", "synthetic-continuum"]
"""


@pytest.mark.slow
def test_a_new_text_costs_its_data_and_one_scaffolded_notebook(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to copy the tracked files")
    copy = tmp_path / "collection"
    copy_collection(copy)
    with (copy / "data" / "sources.csv").open("a", encoding="utf-8", newline="") as f:
        f.write(ROW)
    (copy / "data" / "exercises" / f"{LESSON}.toml").write_text(EXERCISES, encoding="utf-8")
    with (copy / "data" / "lessons.toml").open("a", encoding="utf-8") as f:
        f.write(LESSON_TOML)
    env = {**os.environ, "PYTHONPATH": str(copy), "WWW_ANSWERS_DIR": str(tmp_path / "answers")}
    seed = copy / "seeds" / "004_synthetic_reading.txt"
    seed.write_text("Contents\n\n" + SEED, encoding="utf-8")  # furniture the rules do not know: refused, loudly
    refused = subprocess.run([sys.executable, "scripts/new_lesson.py", LESSON], cwd=copy, env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "line 1: passage Synthetic ¶1 'Contents' reads as a title" in refused.stdout
    seed.write_text(SEED, encoding="utf-8")

    made = subprocess.run([sys.executable, "scripts/new_lesson.py", LESSON], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    notebook = json.loads((copy / "notebooks" / f"{LESSON}.ipynb").read_text(encoding="utf-8"))
    code = [line for c in notebook["cells"] if c["cell_type"] == "code" for line in "".join(c["source"]).splitlines()]
    assert len(code) <= 15, code
    assert not any(c.get("outputs") == [] for c in notebook["cells"] if c["cell_type"] == "code"), "ran once"

    again = subprocess.run([sys.executable, "scripts/new_lesson.py", LESSON], cwd=copy, env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "exists already" in again.stdout  # never overwrites a teacher's edits

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--nbval",
         f"notebooks/{LESSON}.ipynb", "tests/test_lessons.py", "tests/test_context.py", "tests/test_textstats.py",
         "tests/test_sources.py", "tests/test_citations.py", "tests/test_exercises.py", "tests/test_texts.py"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    for folder in ("helpers", "tests"):
        ours = {p.relative_to(ROOT): p.read_bytes() for p in (ROOT / folder).rglob("*.py")}
        assert ours == {p.relative_to(copy): p.read_bytes() for p in (copy / folder).rglob("*.py")}, folder
