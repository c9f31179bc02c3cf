"""The lessons file, the lesson plans and the teacher's guide: valid data, clear errors, teacher-only content."""
import os
import json
import re
import shutil
import subprocess
import sys

import pytest

from helpers import guide as G
from helpers import plans
from helpers import lessons as L
from helpers.context import load
from helpers.exercises import load_definitions
from helpers.html import esc
from helpers.sources import all_sources
from tests.conftest import ROOT, Tags

# The lesson notebooks, in teaching order: whatever notebooks/ holds (a new text's lesson included).
NOTEBOOKS = tuple(sorted(p.stem for p in L.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))


@pytest.fixture(scope="module")
def text():
    return L.LESSONS_TOML.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def guide():
    return G.teacher_guide_html()


def edited(tmp_path, text, old, new):
    """A copy of data/lessons.toml with one exact change (the change must apply exactly once)."""
    assert text.count(old) == 1, old
    path = tmp_path / "lessons.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def problems_after(tmp_path, text, old, new):
    return "\n".join(L.validate(edited(tmp_path, text, old, new)))


# --- the data as it stands ------------------------------------------------------------------------------------------
def test_lessons_file_is_valid_and_covers_every_notebook():
    assert L.validate() == []
    lessons = L.load_lessons()
    assert tuple(lessons) == NOTEBOOKS
    for lesson in lessons.values():
        low, high = (15, 20) if lesson.id == "00_start_here" else (45, 60)
        assert low <= lesson.minutes <= high
        assert sum(s.minutes for s in lesson.sections) == lesson.minutes
        assert 2 <= len(lesson.objectives) <= 4 and all(s.teacher_does for s in lesson.sections)
    # the start and comparing lessons read no single text; every text has a lesson of its own
    assert {x.source for x in lessons.values()} == {""} | {s.slug for s in all_sources()}


def test_every_exercise_is_placed_once_in_its_own_lesson():
    defs = load_definitions()
    lessons = L.load_lessons()
    own = [x for lesson in lessons.values() for s in lesson.sections for x in s.exercises]
    assert sorted(own) == sorted(defs) and len(own) == len(set(own))
    for lesson in lessons.values():
        assert all(defs[x].lesson == lesson.id for s in lesson.sections for x in s.exercises)
    # Every lesson after the start asks the start's statement again, in an exercise of its own (the path per text).
    again = {x for lesson in lessons.values() for x in lesson.shown
             if defs[x].type == "continuum" and defs[x].get("before_from")}
    assert {defs[x].lesson for x in again} == set(lessons) - {defs[x].lesson for x in defs
                                                            if defs[x].type == "continuum" and not defs[x].get("before_from")}


def test_lessons_match_the_notebooks_headings_and_exercises():
    assert L.notebook_problems() == []


def test_text_lessons_train_all_four_skills():
    text_lessons = [lesson for lesson in L.load_lessons().values() if lesson.source]
    assert text_lessons
    for lesson in text_lessons:
        assert set(lesson.skills) == {"sourcing", "contextualisation", "corroboration", "close reading"}, lesson.id


# --- mistakes are reported with what to change ----------------------------------------------------------------------
def test_bad_toml_names_the_line(tmp_path, text):
    path = edited(tmp_path, text, 'title = "The footnote"', 'title = "The footnote')
    with pytest.raises(L.LessonError, match=r"not valid TOML \(.*line \d+.*\)\. Check the quotes"):
        L.load_lessons(path)
    assert "not valid TOML" in L.validate(path)[0]


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(L.LessonError, match="is missing"):
        L.load_lessons(tmp_path / "nowhere.toml")


def _minutes(lesson_id: str, title: str) -> tuple[int, int]:
    """(the section's minutes, the lesson's total), read from data/lessons.toml: the tests follow the data."""
    lesson = L.get_lesson(lesson_id)
    return next(s.minutes for s in lesson.sections if s.title == title), lesson.minutes


def test_section_minutes_must_add_up(tmp_path, text):
    m, total = _minutes("01_molyneux", "The footnote")
    out = problems_after(tmp_path, text, f'title = "The footnote"\nminutes = {m}',
                         f'title = "The footnote"\nminutes = {m + 1}')
    assert (f"lesson 2 (01_molyneux): the sections add up to {total + 1} minutes but the lesson has "
            f"minutes = {total}") in out
    assert "change a section's minutes or the total" in out


def test_lesson_length_and_section_room_for_exercises(tmp_path, text):
    out = problems_after(tmp_path, text, 'title = "Where does this text come from?"\nminutes = 10\nteacher_does = "Read the source card together; pairs fill in the OPVL',
                         'title = "Where does this text come from?"\nminutes = 5\nteacher_does = "Read the source card together; pairs fill in the OPVL')
    _m, total = _minutes("01_molyneux", "Where does this text come from?")
    assert f"add up to {total - 5} minutes" in out  # the total is unchanged, so the new sum is reported
    out = problems_after(tmp_path, text, 'minutes = 20\n', 'minutes = 30\n')
    assert "minutes = 30, but this lesson should take 15–20 minutes" in out


def test_section_shorter_than_its_exercises(tmp_path, text):
    old = 'title = "Rank the causes"\nminutes = 8'
    new = 'title = "Rank the causes"\nminutes = 4'
    path = edited(tmp_path, text, old, new)
    fixed = path.read_text(encoding="utf-8").replace('title = "Hand in"\nminutes = 3', 'title = "Hand in"\nminutes = 7')
    path.write_text(fixed, encoding="utf-8")
    out = "\n".join(L.validate(path))
    assert "section 'Rank the causes': its exercises take 6 minutes but the section has 4" in out
    assert "add up to" not in out


def test_unknown_and_misplaced_exercises(tmp_path, text):
    out = problems_after(tmp_path, text, 'exercises = ["molyneux-mc-flaw"]',
                         'exercises = ["molyneux-mc-flw", "essay-opvl"]')
    assert "section 'Other people's answers (¶5–9)': no exercise 'molyneux-mc-flw' in data/exercises/*.toml" in out
    assert "check the spelling" in out
    assert "exercise 'essay-opvl' is defined in data/exercises/02_essay.toml, not in data/exercises/01_molyneux.toml" \
        in out
    assert "exercise 'molyneux-mc-flaw' in data/exercises/01_molyneux.toml is in no section: add it" in out


def test_revisits_must_come_from_another_lesson(tmp_path, text):
    out = problems_after(tmp_path, text, 'exercises = ["compare-exit", "compare-continuum"]',
                         'exercises = ["compare-exit", "compare-continuum"]\nrevisits = ["compare-rank-causes"]')
    assert "'compare-rank-causes' is this lesson's own exercise: list it under 'exercises'" in out
    assert "already listed" in out


def test_field_mistakes(tmp_path, text):
    out = problems_after(tmp_path, text, 'skills = ["sourcing", "contextualisation"]\nminutes = 20',
                         'skills = ["sourcing", "contextualization"]\nminutes = 20\nteacher_notes = "x"')
    assert "skill 'contextualization' is not one of: sourcing, contextualisation" in out
    assert "unknown field 'teacher_notes' (check the spelling" in out
    out = problems_after(tmp_path, text, 'source = "essay"', 'source = "essays"')
    assert "source: No source 'essays'" in out


def test_skills_must_match_what_the_lesson_trains(tmp_path, text):
    out = problems_after(tmp_path, text, 'skills = ["contextualisation", "corroboration"]',
                         'skills = ["contextualisation", "corroboration", "sourcing"]')
    assert "05_comparing): skill 'sourcing' is listed, but no exercise or discussion question" in out
    out = problems_after(tmp_path, text, 'skills = ["contextualisation", "corroboration"]', 'skills = ["corroboration"]')
    assert "exercise 'compare-exit' trains 'contextualisation', which is not in the lesson's 'skills'" in out


def test_exercise_file_without_a_lesson(tmp_path):
    folder = tmp_path / "exercises"
    shutil.copytree(L.EXERCISES_DIR, folder)
    (folder / "06_extra.toml").write_text('[[exercise]]\nid = "extra-one"\ntype = "free_text"\nprompt = "Why?"\n'
                                          'skill = "sourcing"\n', encoding="utf-8")
    out = "\n".join(L.validate(exercises_dir=folder))
    assert 'data/exercises/06_extra.toml has no lesson: add a [[lesson]] with id = "06_extra"' in out


def test_notebook_mismatch_is_reported(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(L.NOTEBOOKS_DIR / f"{name}.ipynb", folder)
    nb = json.loads((folder / "01_molyneux.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if src.startswith("## 5. The footnote"):
            cell["source"] = [src.replace("The footnote", "The star note")]
        if 'exercise("molyneux-mc-flaw")' in src:
            cell["source"] = [src.replace("molyneux-mc-flaw", "molyneux-exit")]
    (folder / "01_molyneux.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (folder / "06_new.ipynb").write_text(json.dumps({"cells": []}), encoding="utf-8")
    out = "\n".join(L.notebook_problems(folder))
    assert "notebooks/01_molyneux.ipynb: heading 'The star note' has no [[lesson.section]]" in out
    assert "has a section 'The footnote', but the notebook has no '## ' heading with that title" in out
    assert "under \"Other people's answers (¶5–9)\" the notebook shows exercise 'molyneux-exit'" in out
    assert "lists exercise 'molyneux-mc-flaw', which the notebook does not show under that heading" in out
    assert "notebooks/06_new.ipynb has no [[lesson]] in data/lessons.toml" in out


def test_notebook_outline_reads_headings_and_exercise_calls():
    outline = L.notebook_outline(L.NOTEBOOKS_DIR / "05_comparing.ipynb")
    assert [h for h, _ in outline][:2] == ["The texts again", "The texts in numbers"]
    assert dict(outline)["Where do you stand now?"] == ["compare-continuum", "compare-exit"]


# --- the lesson plan -------------------------------------------------------------------------------------------------
def test_student_plan_shows_steps_not_teacher_notes():
    plan = plans.lesson_plan("01_molyneux")
    lesson = L.get_lesson("01_molyneux")
    for s in lesson.sections:
        assert s.title in plan.text and str(esc(s.title)) in plan.html
        assert s.teacher_does not in plan.text
    assert lesson.question in plan.text and all(o in plan.text for o in lesson.objectives)
    own, total = _minutes("01_molyneux", "Molyneux's own answer (¶10–14)")
    assert f"The lesson step by step ({total} minutes)" in plan.text and f"({own} min)" in plan.text
    assert "Discussion hook" not in plan.text and "Model answer" not in plan.text and "teacher mode" not in plan.html
    assert "Verdict (key)" not in plan.text


def test_teacher_plan_adds_what_the_teacher_does_notes_and_keys():
    plan = plans.lesson_plan("01_molyneux", teacher=True)
    lesson = L.get_lesson("01_molyneux")
    assert all(s.teacher_does in plan.text for s in lesson.sections)
    assert lesson.teacher_note in plan.text and "What the teacher does" in plan.html
    assert "Model answer: Origin: a column on a personal blog" in plan.text
    assert "Key: option 4: They are versions of a 'great man' theory of history." in plan.text
    assert "Verdict (key): disputed" in plan.text  # the fact-check card's claim
    assert "Supports (key): Molyneux ¶8, Molyneux ¶9, Molyneux ¶14" in plan.text
    _summary, problem_claims = plans.text_claims("molyneux")  # counted from data/claims.csv, never typed here
    assert f"Errors and disputed claims in this text ({len(problem_claims)})" in plan.text
    assert "Molyneux ¶12, disputed: “By 1921 the class, which took power in 1917, had virtually ceased to exist”" \
        in plan.text
    assert "Errors and disputed claims" not in plans.lesson_plan("01_molyneux").text
    start = plans.lesson_plan("00_start_here", teacher=True)
    assert "9. For teachers (outside class)" in start.text


def test_plan_of_unknown_lesson():
    with pytest.raises(KeyError, match="No lesson '07_x' in data/lessons.toml; the lessons are: 00_start_here"):
        plans.lesson_plan("07_x")


# --- tables ----------------------------------------------------------------------------------------------------------
def test_exercise_counts_and_skills_matrix():
    counts, skills = L.exercise_counts(), L.skills_matrix()
    assert list(counts.index) == list(NOTEBOOKS) == list(skills.index)
    assert list(skills.columns) == ["sourcing", "contextualisation", "corroboration", "close reading"]
    revisited = sum(len(s.revisits) for lesson in L.load_lessons().values() for s in lesson.sections)
    shown = len(load_definitions()) + revisited
    assert counts["total"].sum() == shown == skills.to_numpy().sum()
    assert (counts.drop(columns="total").sum(axis=1) == counts["total"]).all()
    # each cell counts the lesson's exercises of that kind, as the exercise files define them (plus revisits)
    defs = load_definitions().values()
    for lesson in counts.index:
        for kind in counts.columns.drop("total"):
            defined = sum(1 for e in defs if e.lesson == lesson and e.type == kind)
            assert counts.at[lesson, kind] >= defined, (lesson, kind)


# --- the teacher's guide ----------------------------------------------------------------------------------------------
def test_guide_is_a_standalone_page(guide):
    assert guide.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>What Went Wrong? Teacher&#x27;s guide</title>" in guide and '<meta charset="utf-8">' in guide
    assert "@media print" in guide
    assert not re.search(r"<(script|link|img|iframe)\b|\ssrc=|href=\"(?!#)", guide)


def test_guide_has_every_lesson_exercise_and_timing(guide):
    lessons = L.load_lessons()
    for lesson in lessons.values():
        assert f'id="lesson-{lesson.id}"' in guide and str(esc(lesson.heading)) in guide
        assert all(str(esc(o)) in guide for o in lesson.objectives)
        assert all(str(esc(s.teacher_does)) in guide for s in lesson.sections)
    for ex in load_definitions().values():
        assert f"<code>{ex.id}</code>" in guide
        if ex.model_answer:
            assert str(esc(ex.model_answer)) in guide
    assert "The lessons at a glance" in guide and "Estimate, then reveal" in guide


def test_guide_lists_every_wrong_and_disputed_claim_of_each_text(guide):
    claims = load("claims")
    bad = claims[claims["verdict"].astype(str).isin(["wrong", "disputed"])]
    assert len(bad) > 10
    for r in bad.itertuples():
        assert f'id="claim-{r.claim_id}"' in guide
        assert str(esc(f"“{r.quote}”")) in guide and str(esc(r.citation)) in guide
    # each claim sits in the section of its own text
    sections = guide.split('<section class="lesson"')
    essay = next(s for s in sections if 'id="lesson-02_essay"' in s)
    assert 'id="claim-essay-lenin-death-date"' in essay and 'id="claim-siege-bloodless-coup"' not in essay
    aunoble = next(s for s in sections if 'id="lesson-04_aunoble"' in s)
    assert "None of the claims checked in this text was found wrong or disputed" in aunoble


def test_guide_and_plan_escape_a_teacher_note(tmp_path, text, monkeypatch):
    path = edited(tmp_path, text, 'teacher_note = "Keep this short', 'teacher_note = "<script>alert(1)</script> Keep '
                                                                     'this short')
    html = G.teacher_guide_html(lessons_file=path)
    parsed = Tags(html)
    assert "script" not in parsed.tags and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert any("<script>alert(1)</script> Keep this short" in t for t in parsed.text)
    monkeypatch.setattr(L, "LESSONS_TOML", path)
    plan = plans.lesson_plan("00_start_here", teacher=True)
    assert "script" not in Tags(str(plan.html)).tags and "<script>alert(1)</script>" in plan.text


def test_build_script_writes_the_guide(tmp_path, root):
    out = tmp_path / "sub" / "guide.html"
    done = subprocess.run([sys.executable, "scripts/build_teacher_guide.py", "-o", str(out)], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and "written to" in done.stdout
    assert not list(out.parent.glob("*.tmp"))


def test_every_notebook_folder_imports_the_helpers_beside_it():
    """A kernel starts in its notebook's folder, which comes first on its import path: a link named ``helpers`` there
    makes every lesson run the helpers of the copy it belongs to (on a hub, the copy nbgitpuller pulled), whatever
    version is installed."""
    helpers = ROOT / "helpers"
    folders = {p.parent for p in (ROOT / "notebooks").rglob("*.ipynb")
               if not {"drafts", ".ipynb_checkpoints"} & set(p.relative_to(ROOT).parts)}
    for folder in sorted(folders):
        link = folder / "helpers"
        assert link.is_symlink() and link.resolve() == helpers, (
            f"{link.relative_to(ROOT)} should be a link to {os.path.relpath(helpers, folder)}: "
            f"ln -s {os.path.relpath(helpers, folder)} {link.relative_to(ROOT)}")


def test_every_code_cell_of_every_notebook_is_hidden_on_file():
    """Read from the files themselves (not compared with each notebook's own stored cells), so a cell added by hand
    can never show students its code."""
    shown = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if {"drafts", ".ipynb_checkpoints", "helpers"} & set(path.relative_to(ROOT).parts):
            continue
        for n, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            meta = cell.get("metadata", {})
            if cell["cell_type"] == "code" and not (meta.get("jupyter", {}).get("source_hidden")
                                                    and "hide-input" in meta.get("tags", [])):
                shown.append(f"{path.relative_to(ROOT)} cell {n}")
    assert not shown, f"code shown to students in {shown[:5]}: run python3 tasks.py derive (it hides every code input)"
