"""Two students in turn on one computer, as in a class with shared machines.

Ann saves her name and answers a multiple choice in lesson 1, which stays open in its own tab and kernel. Ben
presses "New student on this computer" in the start notebook: within seconds lesson 1's exercise no longer shows
Ann's choice and is locked with a notice (nothing of Ann's can be saved under Ben's name); Ben's name is kept
("Saved as: Ben"), and after Run All lesson 1 shows nothing of Ann's and takes Ben's own answer.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import labdriver as lab_ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
START = ROOT / "notebooks" / "00_start_here.ipynb"
LESSON = ROOT / "notebooks" / "01_molyneux.ipynb"
_CHECKED = """el => [...el.querySelectorAll('input[type=radio]')].findIndex(r => r.checked)"""


def _save_name(page, name: str) -> None:
    box = page.locator(lab_ui.PANEL).get_by_placeholder("Your name or a pseudonym your teacher knows").first
    box.scroll_into_view_if_needed()
    box.fill(name)
    page.locator(lab_ui.PANEL).get_by_role("button", name="Save my name").first.click()
    page.locator(lab_ui.PANEL).get_by_text(f"Saved as: {name}").first.wait_for(timeout=10_000)


def _open_tab(page, path: Path) -> None:
    """Bring an open notebook's tab to the front (the other keeps its kernel and its widgets)."""
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=path.name).first.click()
    page.locator(lab_ui.PANEL).wait_for()


def test_the_next_student_never_sees_or_saves_over_the_last_ones_answers(browser, lab, artifacts):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        lab_ui.open_notebook(page, lab, str(START.relative_to(ROOT)))
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(START).widgets)
        _save_name(page, "Ann")
        # lesson 1 in a second tab (JupyterLab keeps the first open), Ann answers the multiple choice
        page.get_by_role("menuitem", name="File", exact=True).click()
        page.get_by_role("menuitem", name="Open from Path…").click()
        page.locator(".jp-Dialog input").fill(str(LESSON.relative_to(ROOT)))
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.locator(f"{lab_ui.PANEL} .jp-Notebook").wait_for()
        page.wait_for_timeout(3000)  # its kernel starts
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(LESSON).widgets)
        choice = page.locator(f"{lab_ui.PANEL} .www-exercise .widget-radio-box").first
        choice.scroll_into_view_if_needed()
        choice.locator("label").nth(1).click()
        exercise = choice.locator("xpath=ancestor::*[contains(@class,'www-exercise')]")
        exercise.get_by_text("Saved").first.wait_for(timeout=10_000)
        assert choice.evaluate(_CHECKED) == 1

        # Ben's turn, in the start notebook
        _open_tab(page, START)
        panel = page.locator(lab_ui.PANEL)
        panel.get_by_role("button", name="New student on this computer").first.click()
        panel.get_by_role("button", name="Yes, start empty").first.click()
        panel.get_by_text("The previous answers are put aside").first.wait_for(timeout=10_000)
        _save_name(page, "Ben")

        # lesson 1, still open with Ann's screen: cleared and locked with a notice, without anyone re-running it
        _open_tab(page, LESSON)
        choice.scroll_into_view_if_needed()
        page.wait_for_function(f"el => ({_CHECKED})(el) === -1", arg=choice.element_handle(), timeout=15_000)
        disabled = choice.evaluate("el => [...el.querySelectorAll('input[type=radio]')].every(r => r.disabled)")
        exercise.screenshot(path=str(artifacts / "shared-computer-locked.png"))
        assert disabled, "the previous student's exercise is still editable"
        assert "new student" in exercise.inner_text().lower()

        # Ben runs the lesson: nothing of Ann's comes back, and his own answer is saved
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(LESSON).widgets)
        choice = page.locator(f"{lab_ui.PANEL} .www-exercise .widget-radio-box").first
        choice.scroll_into_view_if_needed()
        assert choice.evaluate(_CHECKED) == -1, "Ann's answer came back for Ben"
        choice.locator("label").nth(2).click()
        exercise = choice.locator("xpath=ancestor::*[contains(@class,'www-exercise')]")
        exercise.get_by_text("Saved").first.wait_for(timeout=10_000)
        exercise.screenshot(path=str(artifacts / "shared-computer-next-student.png"))
    finally:
        lab.shut_down_kernels()
        page.close()
