"""A lesson as it lives through a real class: run, autosaved or saved, closed, reopened next lesson. Reopening must
show no error anywhere before Run All (what the student saw stays readable), and the saved file must equal git's
copy whenever only outputs changed, so a teacher's later update merges cleanly (helpers/savehook.py)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import labdriver as lab_ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
COPIES = ROOT / "build" / "browser-selfcheck"


def _a_lesson_with_exercises() -> Path:
    for path in sorted((ROOT / "notebooks").glob("0[1-9]_*.ipynb")):
        if "exercise(" in path.read_text(encoding="utf-8"):
            return path
    pytest.skip("no lesson with exercises")


def _code_outputs(path: Path) -> list:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"]


def test_a_saved_lesson_reopens_without_widget_errors_and_equals_git(page, lab, artifacts):
    original = _a_lesson_with_exercises()
    COPIES.mkdir(parents=True, exist_ok=True)
    copy = COPIES / original.name  # a copy beside the repository's notebooks: the real file stays untouched
    shutil.copyfile(original, copy)
    rel = str(copy.relative_to(ROOT))
    lab_ui.open_notebook(page, lab, rel)
    lab_ui.run_all(page)
    exp = lab_ui.expected(original)
    lab_ui.wait_for_widgets(page, exp.widgets)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)
    lab.shut_down_kernels()
    page.goto("about:blank")
    lab_ui.open_notebook(page, lab, rel)  # reopen, before any Run All
    page.wait_for_timeout(1500)
    shots = lab_ui.screenshots(page, artifacts / "reopened")
    text = page.locator(lab_ui.PANEL).inner_text()
    assert "Error displaying widget" not in text and "model not found" not in text, shots[0]
    assert "To answer here" in text  # the exercises' readable twins are shown instead
    assert _code_outputs(copy) == _code_outputs(original)
    saved, committed = copy.read_bytes(), original.read_bytes()
    assert saved == committed, "the saved lesson differs from git's copy although only outputs changed"


def test_teacher_mode_shows_keys_folded_and_ends_with_the_kernel(page, lab, artifacts):
    """The teacher switches teacher mode on: after Run All every key is there but folded (a projected page shows
    none until opened). The notebook is closed; the next person opens it: teacher mode is off, no key anywhere."""
    path = _a_lesson_with_exercises()
    rel = str(path.relative_to(ROOT))
    panel = page.locator(lab_ui.PANEL)
    lab_ui.open_notebook(page, lab, rel)
    lab_ui.run_all(page)
    lab_ui.wait_for_widgets(page, lab_ui.expected(path).widgets)
    switch = panel.get_by_role("button", name="Teacher mode").first
    switch.scroll_into_view_if_needed()
    switch.click()
    panel.get_by_text("Teacher mode is on").first.wait_for()
    lab_ui.run_all(page)
    keys = panel.locator("details", has_text="Teacher's notes and key")
    keys.first.wait_for()
    lab_ui.screenshots(page, artifacts / "teacher-mode-on")
    assert keys.count() > 0
    assert not any(keys.nth(n).evaluate("d => d.open") for n in range(keys.count())), "a key is shown unfolded"
    lab.shut_down_kernels()
    page.goto("about:blank")
    lab_ui.open_notebook(page, lab, rel)  # the next person, a new kernel
    lab_ui.run_all(page)
    lab_ui.wait_for_widgets(page, lab_ui.expected(path).widgets)
    shots = lab_ui.screenshots(page, artifacts / "teacher-mode-next-session")
    assert "Teacher's notes and key" not in panel.inner_text(), f"keys shown in a new session: {shots[1]}"
    assert "mod-active" not in (panel.get_by_role("button", name="Teacher mode").first.get_attribute("class") or "")
