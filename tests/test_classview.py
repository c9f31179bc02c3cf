"""The teacher's class view: the sample class on one page, keys taken from the exercise definitions."""
import shutil

from helpers import answers, classview


def test_answer_key_comes_from_the_definitions():
    from helpers.exercises import load_definitions

    key = classview.answer_key()
    defs = load_definitions()
    assert key == {i: ex.get("answer") for i, ex in defs.items() if ex.type == "multiple_choice"}


def test_sample_class_report_has_every_section_and_reports_bad_files():
    v = classview.class_report()
    assert v.text.startswith("SAMPLE CLASS")
    for heading in ("Files", "Completion per student", "Multiple choice: share right", "Continuum: before and after",
                    "Ranking of causes", "Written answers side by side"):
        assert heading in v.text and f"<h2>{heading}</h2>" in v.html
    assert "Loaded 25 hand-in files" in v.text and "Skipped 3 files" in v.text


def test_a_real_class_folder_with_hostile_text(tmp_path):
    store = answers.AnswerStore(tmp_path / "a", student="<b>Mallory</b>")
    store.save("molyneux-exit", '<img src=x onerror="alert(1)">', notebook="01_molyneux")
    (tmp_path / "class").mkdir()
    answers.export_handin(store, tmp_path / "class")
    v = classview.class_report(tmp_path / "class")
    assert "SAMPLE" not in v.text and "<img" not in v.html and "&lt;img src=x" in v.html
    assert "<b>Mallory" not in v.html


def test_dashboard_widget_loads_another_folder_and_offers_csv(tmp_path):
    shutil.copytree(classview.SAMPLE_CLASS, tmp_path / "c")
    shown = classview.class_dashboard(tmp_path / "c")
    (folders, typed, load), lesson = shown.widget.children[0].children[0].children, shown.widget.children[0].children[1]
    assert folders.options[0][0] == "Sample class (made-up students)"
    html = shown.widget.children[1]
    assert "Download all answers as CSV" in html.value
    typed.value = str(tmp_path / "c")
    load.click()
    assert "Download all answers as CSV" in html.value
    lesson.value = "02_essay"  # choosing a lesson narrows the report to its exercises, by title
    assert "this lesson" in html.value and "The flaw in other explanations" not in html.value
    typed.value = str(tmp_path / "missing")
    load.click()
    assert "Could not read that folder" in html.value


def test_report_for_one_lesson_names_missing_exercises_by_title():
    v = classview.class_report(lesson_id="01_molyneux")
    assert "Answered exercises of this lesson" in v.text and "molyneux-mc-flaw" not in v.text.split("Multiple")[0]
    assert "essay-exit" not in v.text
