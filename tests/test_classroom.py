"""The classroom controls: name, hand-in with download, restore from an uploaded file, teacher mode."""
import base64
from datetime import datetime

import pytest

from helpers import answers, classroom
from helpers.answers import handin_filename

WHEN = datetime(2026, 1, 1)


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv(answers.ENV_VAR, str(tmp_path / "answers"))
    monkeypatch.delenv("WWW_TEACHER", raising=False)
    classroom.store.cache_clear()
    classroom._teacher_mode.clear()
    yield tmp_path
    classroom.store.cache_clear()


def parts(shown):
    return list(shown.widget.children)


def test_hand_in_button_always_holds_the_latest_answers(fresh):
    """One click downloads: the button is a link that carries the file, rewritten after every save."""
    classroom.store().save("molyneux-exit", "Isolation <b>mattered</b>.", notebook="01_molyneux")
    shown = classroom.hand_in()
    name_row = next(w for w in parts(shown) if hasattr(w, "children"))
    button = parts(shown)[parts(shown).index(name_row) + 1]
    assert "name" in button.value.lower() and "download" not in button.value  # no name yet: says what to do
    text, save = name_row.children[0].children
    text.value = "Ada L."
    save.click()
    assert f'download="{handin_filename("Ada L.")}"' in button.value and "1 answer " in button.value
    page = (fresh / "answers" / "hand-in" / handin_filename("Ada L.")).read_text(encoding="utf-8")
    assert "Exit ticket — In one sentence" in page and "Isolation &lt;b&gt;mattered&lt;/b&gt;." in page
    classroom.store().save("molyneux-exit", "Isolation, and the civil war.", notebook="01_molyneux")
    data = button.value.split("base64,")[1].split('"')[0]
    assert "Isolation, and the civil war." in base64.b64decode(data).decode("utf-8")  # no second click needed
    assert str(fresh) not in button.value  # no server path on the page
    assert "open this notebook in JupyterLab" not in shown.text and "Hand in your answers" in shown.text


def test_a_failing_refresh_never_blocks_a_save(fresh):
    s = classroom.store()
    s.listeners["broken"] = lambda: 1 / 0
    s.save("molyneux-exit", "Saved anyway.", notebook="01_molyneux")
    assert s.load("molyneux-exit") == "Saved anyway." and any("broken" in p for p in s.problems)


def test_restore_from_an_uploaded_file(fresh, tmp_path):
    other = answers.AnswerStore(tmp_path / "laptop", student="Ada L.")
    other.save("essay-exit", "No: the page sells essays.", notebook="02_essay")
    data = answers.export_handin(other, tmp_path).read_bytes()
    classroom.store().set_student("Ada L.")
    shown = classroom.hand_in()
    upload = next(w for w in parts(shown) if w.__class__.__name__ == "FileUpload")
    restored = parts(shown)[-1]
    upload.value = ({"name": "x.html", "type": "text/html", "size": len(data), "content": memoryview(data),
                     "last_modified": WHEN},)
    assert "Re-run the notebook" in restored.value
    assert classroom.store().load("essay-exit") == "No: the page sells essays."
    upload.value = ({"name": "y.html", "type": "text/html", "size": 5, "content": memoryview(b"<html>"),
                     "last_modified": WHEN},)
    assert "not" in restored.value.lower()


def test_teacher_mode_switch_and_lesson_plan(fresh):
    assert not classroom.is_teacher()
    student_plan = classroom.lesson_plan("01_molyneux")
    classroom.set_teacher_mode(True)
    assert classroom.is_teacher()
    teacher_plan = classroom.lesson_plan("01_molyneux")
    assert teacher_plan.html == student_plan.html  # the static twin never depends on teacher mode
    assert teacher_plan.widget.children[0].value != student_plan.widget.children[0].value
    classroom.set_teacher_mode(False)
    assert not classroom.is_teacher()


def test_teacher_mode_lives_in_the_kernel_only(fresh, monkeypatch):
    """Never written to the answers folder: a new kernel (a new person on a shared computer) starts without it."""
    classroom.set_teacher_mode(True)
    assert not any("teacher" in p.name for p in classroom.store().root.glob("**/*"))
    classroom._teacher_mode.clear()  # what a new kernel starts with
    monkeypatch.delenv("WWW_TEACHER", raising=False)
    assert not classroom.is_teacher()


def test_the_switch_in_a_lesson_plan_turns_the_plan_into_the_teachers(fresh):
    shown = classroom.lesson_plan("01_molyneux")
    plan, switch = shown.widget.children
    student = plan.value
    switch.children[0].value = True
    assert classroom.is_teacher() and plan.value != student
    switch.children[0].value = False
    assert plan.value == student


def test_a_new_student_archives_the_previous_answers_never_deletes(fresh):
    s = classroom.store()
    s.set_student("Ada")
    s.save("start-first-answer", "Ada's answer", "00_start_here")
    box = classroom.name_box().widget
    fresh_button, sure = box.children[2].children
    fresh_button.click()
    assert "put aside (not deleted)" in box.children[1].value and sure.layout.display is None
    sure.click()
    assert s.student is None and s.load("start-first-answer") is None
    kept = list((s.root / "archive").rglob("*.answer.json"))
    assert len(kept) == 1 and "Ada's answer" in kept[0].read_text(encoding="utf-8")


def _text_box(shown):
    """The first text area of an exercise on screen."""
    import ipywidgets as W

    def walk(w):
        yield w
        for c in getattr(w, "children", ()):
            yield from walk(c)
    return next(w for w in walk(shown.widget) if isinstance(w, W.Textarea))


def test_a_lesson_left_open_by_the_previous_student_never_saves_for_the_next(fresh):
    """Two notebooks (two kernels) on one shared computer: lesson 1 still shows Ada's answer when Ben presses "New
    student on this computer" elsewhere. Changing a field there saves nothing, and the exercise is cleared and
    locked with a notice; Ben's own answers start empty."""
    s = classroom.store()
    s.set_student("Ada")
    shown = classroom.exercise("molyneux-exit")
    box = _text_box(shown)
    box.value = "Ada's answer"
    assert s.load("molyneux-exit") == "Ada's answer"
    other_kernel = answers.AnswerStore(s.root)
    other_kernel.archive()
    other_kernel.set_student("Ben")
    box.value = "Ada's answer, changed by Ben's elbow"
    assert s.load("molyneux-exit") is None and s.student == "Ben"
    assert box.value == "" and box.disabled
    ex = next(iter(classroom._shown))
    assert ex.locked and "Run the notebook again" in ex.status.value


def test_the_watcher_locks_open_exercises_and_empties_the_name_box_but_keeps_a_name_being_typed(fresh,
                                                                                                   monkeypatch):
    import time

    monkeypatch.setattr(classroom, "TURN_SECONDS", 0.05)
    s = classroom.store()  # starts this kernel's watcher
    s.set_student("Ada")
    shown = classroom.exercise("molyneux-exit")
    _text_box(shown).value = "Ada's answer"
    name = classroom.name_box().widget.children[0].children[0]
    answers.AnswerStore(s.root).archive()  # "New student" pressed in another notebook

    def soon(condition) -> bool:
        deadline = time.monotonic() + 5
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.02)
        return condition()

    assert soon(lambda: _text_box(shown).disabled and name.value == ""), "the open lesson was not cleared"
    name.value = "Be"  # Ben starts typing; another new turn elsewhere must not wipe what he typed
    answers.AnswerStore(s.root).archive()
    time.sleep(0.3)
    assert name.value == "Be"


def test_teacher_mode_is_unmistakable_on_screen(fresh):
    shown = classroom.lesson_plan("01_molyneux")
    plan, switch = shown.widget.children
    toggle = switch.children[0]
    assert toggle.description == "Teacher mode: off" and toggle.button_style == ""
    toggle.value = True
    assert "ON" in toggle.description and toggle.button_style == "warning"
    assert "TEACHER MODE IS ON" in plan.value
    toggle.value = False
    assert "TEACHER MODE" not in plan.value
