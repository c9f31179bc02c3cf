"""The dashboard as a teacher uses it after a lesson, in JupyterLab in Chromium: choose a lesson, read the answers,
go anonymous to project, write a comment, export, and open a student's feedback page. Nothing may be clipped at
1366x768. Screenshots go to artifacts/browser/teacher-*.png."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import labdriver as lab_ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "notebooks" / "teacher" / "dashboard.ipynb"
CLASS = ROOT / "hand-ins" / "browser-test-class"  # inside hand-ins/ (git-ignored), as a teacher's class would be


def test_a_teacher_reads_comments_and_hands_back(page, lab, artifacts, browser):
    shutil.rmtree(CLASS, ignore_errors=True)
    shutil.copytree(ROOT / "data" / "sample_class", CLASS)
    page.set_viewport_size({"width": 1366, "height": 768})
    panel = page.locator(lab_ui.PANEL)
    try:
        lab_ui.open_notebook(page, lab, str(DASHBOARD.relative_to(ROOT)))
        page.keyboard.press("Control+b")
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(DASHBOARD).widgets)
        panel.get_by_label("Class folder:").select_option(label="hand-ins/browser-test-class")
        panel.get_by_text("Loaded 25 hand-in files").first.wait_for()
        panel.get_by_label("Lesson:").select_option(label=next(
            o for o in panel.get_by_label("Lesson:").locator("option").all_inner_texts() if "Molyneux" in o))
        panel.get_by_text("Answered exercises of this lesson").first.wait_for()
        page.wait_for_timeout(500)
        panel.get_by_role("heading", name="Exercise by exercise").first.scroll_into_view_if_needed()
        lab_ui.screenshots(page, artifacts / "teacher-1-lesson")
        report = panel.locator(".www-report").first
        width = report.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert width[0] <= width[1] + 1, f"the report is clipped on the right: {width}"

        panel.get_by_label("Anonymous (no names: to project)").check()
        try:
            page.wait_for_function("el => !el.innerText.includes('SAMPLE ') && el.innerText.includes('Student 1')",
                                   arg=report.element_handle(), timeout=15_000)
        except Exception:
            shot = lab_ui.screenshots(page, artifacts / "teacher-2-anonymous")[0]
            raise AssertionError(f"names still shown in anonymous mode: {shot}") from None
        lab_ui.screenshots(page, artifacts / "teacher-2-anonymous")
        panel.get_by_label("Anonymous (no names: to project)").uncheck()

        panel.get_by_label("Student:").select_option(label="SAMPLE Otter")
        panel.get_by_label("Exercise:").select_option(label="Exit ticket (molyneux-exit)")
        box = panel.get_by_placeholder("Your comment for the student")
        text = "Clear sentence. Now name the evidence you would need."
        for _ in range(10):  # choosing the exercise loads its saved comment into the box: type once that is done,
            box.fill(text)   # as a teacher would (a test types faster than the kernel answers)
            page.wait_for_timeout(500)
            if box.input_value() == text:
                break
        panel.get_by_placeholder("Mark (optional)").fill("B")
        csv_link = panel.get_by_text("One row per student (CSV").first
        before = csv_link.get_attribute("href")
        panel.get_by_role("button", name="Save comment").click()
        try:
            panel.get_by_text("Saved for SAMPLE Otter").first.wait_for(timeout=15_000)
        except Exception:
            shot = lab_ui.screenshots(page, artifacts / "teacher-3-comment")[0]
            raise AssertionError(f"the comment was not saved: {shot}") from None
        # the report (and its CSV link) is redrawn with the comment; wait for the new link, not the old one
        page.wait_for_function("([text, old]) => [...document.querySelectorAll('a')].some(a => "
                               "a.textContent.includes(text) && a.getAttribute('href') !== old)",
                               arg=["One row per student (CSV", before], timeout=15_000)
        with page.expect_download() as info:
            panel.get_by_text("One row per student (CSV").first.click()
        assert info.value.suggested_filename.startswith("browser-test-class_01_molyneux_"), \
            info.value.suggested_filename  # named for the class and the lesson
        csv = Path(info.value.path()).read_text(encoding="utf-8")
        assert "Now name the evidence" in csv and csv.count("\n") >= 26
        assert '"L1 Exit ticket: teacher\'s comment"' in csv and '"L1 Fact-check card: Your verdict"' in csv
        panel.get_by_role("button", name="Write feedback files").click()
        panel.get_by_text("feedback pages written").first.wait_for()
        lab_ui.screenshots(page, artifacts / "teacher-3-commented")
    finally:
        lab.shut_down_kernels()
    otter = next((CLASS / "feedback").glob("*otter*.html"))
    student = browser.new_page()  # the student opens their page in any browser, straight from the file
    try:
        student.goto(otter.as_uri())
        student.get_by_text("Now name the evidence").wait_for()
        marked = student.locator(".www-check").all_inner_texts()  # what the collection marks itself, with the key
        assert marked and all("the key" in m for m in marked), marked
        student.screenshot(path=str(artifacts / "teacher-4-student-feedback.png"), full_page=True)
    finally:
        student.close()
        shutil.rmtree(CLASS, ignore_errors=True)
