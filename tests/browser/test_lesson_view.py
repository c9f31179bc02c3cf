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
