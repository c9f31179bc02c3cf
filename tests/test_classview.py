"""The teacher's class view: the sample class on one page, keys taken from the exercise definitions."""
import re
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
    for heading in ("Files", "Completion per student", "Where do you stand? Before and after each lesson",
                    "Exercise by exercise"):
        assert heading in v.text and f"<h2>{heading}</h2>" in v.html
    assert "Loaded 25 hand-in files" in v.text and "Skipped 3 files" in v.text


def test_a_real_class_folder_with_hostile_text(tmp_path):
    store = answers.AnswerStore(tmp_path / "a", student="<b>Mallory</b>")
    store.save("molyneux-exit", '<img src=x onerror="alert(1)">', notebook="01_molyneux")
    (tmp_path / "class").mkdir()
    answers.export_handin(store, tmp_path / "class")
    v = classview.class_report(tmp_path / "class")
    assert "SAMPLE" not in v.text and "<img src=x" not in v.html and "&lt;img src=x" in v.html
    assert "<b>Mallory" not in v.html


def test_dashboard_widget_loads_another_folder_and_offers_csv(tmp_path):
    shutil.copytree(classview.SAMPLE_CLASS, tmp_path / "c")
    shown = classview.class_dashboard(tmp_path / "c")
    (folders, typed, load), lesson = shown.widget.children[0].children[0].children, shown.widget.children[0].children[1]
    assert folders.options[0][0] == "Sample class (made-up students)"
    html = shown.widget.children[1]
    assert "One row per student (CSV" in html.value and "Every answer as a row" in html.value
    typed.value = str(tmp_path / "c")
    load.click()
    assert "One row per student (CSV" in html.value
    lesson.value = "02_essay"  # choosing a lesson narrows the report to its exercises, by title
    assert "this lesson" in html.value and "The flaw in other explanations" not in html.value
    typed.value = str(tmp_path / "missing")
    load.click()
    assert "Could not read that folder" in html.value


def test_report_for_one_lesson_names_missing_exercises_by_title():
    v = classview.class_report(lesson_id="01_molyneux")
    assert "Answered exercises of this lesson" in v.text and "molyneux-mc-flaw" not in v.text.split("Multiple")[0]
    assert "essay-exit" not in v.text


def test_report_for_all_lessons_counts_what_is_left_per_lesson():
    completion = classview.class_report().text.split("Completion per student")[1].split("\n\n")[0]
    rows = [line.split(" | ") for line in completion.splitlines()[3:]]
    assert rows and all(re.fullmatch(r"((Start|Lesson \d+): \d+ of \d+(; )?)*", row[-1]) for row in rows)
    assert any(row[-1] for row in rows) and "Estimate, then reveal" not in completion


def test_anonymous_mode_shows_no_name_and_a_student_filter_keeps_one(tmp_path):
    shown = classview.class_dashboard()
    html = shown.widget.children[1]
    student, anonymous = shown.widget.children[0].children[2].children
    anonymous.value = True
    names = classview.load_class(classview.SAMPLE_CLASS).students
    assert not any(n in html.value for n in names) and "Student 1" in html.value and "Skipped 3" not in html.value
    comments = shown.widget.children[2]
    who = next(w for w in comments.children[1].children if w.description == "Student:")
    on_screen = [*student._options_labels, *who._options_labels]  # what the drop-downs send to the browser
    assert not any(n in label for n in names for label in on_screen), on_screen
    assert "Student 1" in student._options_labels and "Student 1" in who._options_labels
    anonymous.value = False
    student.value = "SAMPLE Otter"
    exit_cards = html.value.split("Exit ticket")[-1]
    assert "SAMPLE Otter" in exit_cards and "SAMPLE Heron" not in exit_cards


def test_a_comment_written_in_the_dashboard_is_kept_exported_and_handed_back(tmp_path):
    shutil.copytree(classview.SAMPLE_CLASS, tmp_path / "c")
    shown = classview.class_dashboard(tmp_path / "c")
    folders, typed, load = shown.widget.children[0].children[0].children
    typed.value = str(tmp_path / "c")
    load.click()
    box = shown.widget.children[2]
    who, which = box.children[1].children
    comment = box.children[2]
    mark, save, export = box.children[3].children
    who.value, which.value = "SAMPLE Otter", "molyneux-exit"
    comment.value, mark.value = "Good: now add <b>a date</b>.", "B"
    save.click()
    assert "Saved for SAMPLE Otter" in box.children[4].value
    assert (tmp_path / "c" / "teacher-comments.json").is_file()
    page = shown.widget.children[1].value  # the comment is on the student's card at once, escaped
    assert "Your comment: </strong>B · Good: now add &lt;b&gt;a date&lt;/b&gt;.</p>" in page
    anonymous = shown.widget.children[0].children[2].children[1]
    anonymous.value = True  # a projected page shows no private comment
    assert "Your comment" not in shown.widget.children[1].value
    anonymous.value = False
    fresh = classview.class_dashboard(tmp_path / "c")  # a re-run of the dashboard keeps it
    assert "One row per student" in fresh.widget.children[1].value
    again = fresh.widget.children[2]
    again.children[1].children[0].value = "SAMPLE Otter"
    again.children[1].children[1].value = "molyneux-exit"
    assert again.children[2].value == "Good: now add <b>a date</b>."
    export.click()
    pages = sorted((tmp_path / "c" / "feedback").glob("*.html"))
    assert len(pages) == 25 and "feedback written" not in box.children[4].value
    otter = next(p for p in pages if "otter" in p.name).read_text(encoding="utf-8")
    assert "Good: now add &lt;b&gt;a date&lt;/b&gt;." in otter and "Content-Security-Policy" in otter


def test_the_first_page_reads_the_class_folder_once(monkeypatch):
    """Opening the dashboard read every hand-in three times (the folder, the page, the report); now once. Choosing
    another student or lesson reads the folder again, so hand-ins added meanwhile show up."""
    reads = []
    real = classview.load_class
    monkeypatch.setattr(classview, "load_class", lambda folder: reads.append(folder) or real(folder))
    shown = classview.class_dashboard()
    assert len(reads) == 1 and "SAMPLE" in shown.text
    controls = shown.widget.children[0]
    controls.children[1].value = next(v for _label, v in controls.children[1].options if v)  # a lesson
    assert len(reads) == 2
