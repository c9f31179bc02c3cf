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
    # the exercises' readable twins are shown instead, telling a student in JupyterLab what brings answers back
    assert "your saved answer come back when the notebook runs" in text and "open this notebook in" not in text
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


# Focus what comes just before ``el`` in its output (or the output itself, made focusable for the moment), so that
# the next Tab, as a student presses it, lands on ``el``.
_FOCUS_BEFORE = """el => {
  const out = el.closest('.jp-OutputArea-output');
  const all = [...out.querySelectorAll('[tabindex="0"], a[href], summary')];
  const before = all[all.indexOf(el) - 1];
  if (before) { before.focus(); } else { out.tabIndex = -1; out.focus(); }
}"""


# The focused word's definition box (its ::after), and where its right edge falls: the box is placed from the left of
# its containing block (the word itself if positioned, else its offsetParent) and must end inside the output; and
# which of the output's boxes would still clip it at the bottom (a word on a passage's last line).
_DEFINITION_BOX = """el => {
  const after = getComputedStyle(el, '::after');
  const block = getComputedStyle(el).position !== 'static' ? el : el.offsetParent;
  const width = ['width', 'paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
    .reduce((sum, k) => sum + parseFloat(after[k] || 0), 0);
  const clipping = [];
  for (let e = el.parentElement; e && e !== el.closest('.jp-OutputArea').parentElement; e = e.parentElement) {
    if (getComputedStyle(e).overflowY !== 'visible') clipping.push(e.className);
  }
  return {active: el === document.activeElement, visible: el.matches(':focus-visible'), shown: after.content,
          title: el.title, right: block.getBoundingClientRect().left + width,
          outputRight: el.closest('.jp-OutputArea-output').getBoundingClientRect().right, clipping};
}"""


def test_glossary_words_and_an_exercise_work_by_keyboard_and_by_touch(touch_page, lab, artifacts):
    """A student with a keyboard, not a mouse: Tab onto a marked word (its first use in a lesson, and a later one)
    and its definition appears under its line, inside the page. A student on a tablet: a tap on a word shows it too,
    and an exercise is answered by taps alone (a choice, then "Check my answer"). No glossary word is a link: an
    in-page link did nothing in JupyterLab."""
    path, page = _a_lesson_with_exercises(), touch_page
    panel = page.locator(lab_ui.PANEL)
    lab_ui.open_notebook(page, lab, str(path.relative_to(ROOT)))
    lab_ui.run_all(page)
    lab_ui.wait_for_widgets(page, lab_ui.expected(path).widgets)
    assert panel.locator("a[href^='#www-gl']").count() == 0
    for name, selector in (("first-use", ".www-term:not(.www-term-seen)"), ("later-use", ".www-term-seen")):
        words = panel.locator(selector)
        if not words.count():
            continue
        word = words.first
        word.scroll_into_view_if_needed()
        word.evaluate(_FOCUS_BEFORE)
        for _ in range(8):
            page.keyboard.press("Tab")
            if word.evaluate("el => el === document.activeElement"):
                break
        shot = lab_ui.screenshots(page, artifacts / f"glossary-focus-{name}")[0]
        focused = word.evaluate(_DEFINITION_BOX)
        assert focused["active"] and focused["visible"], (name, focused, shot)
        assert focused["title"] and focused["shown"] == json.dumps(focused["title"]), (name, focused, shot)
        assert focused["right"] <= focused["outputRight"] + 1, ("the definition is cut at the right", focused, shot)
        assert not focused["clipping"], ("the definition is cut at the bottom", focused, shot)
    word = panel.locator(".www-term").nth(1)
    word.scroll_into_view_if_needed()
    word.tap()
    tapped = word.evaluate(_DEFINITION_BOX)
    shot = lab_ui.screenshots(page, artifacts / "glossary-tap")[0]
    assert tapped["active"] and tapped["shown"] == json.dumps(tapped["title"]) and not tapped["clipping"], (tapped, shot)
    choice = panel.locator(".www-exercise", has=page.get_by_role("button", name="Check my answer")).first
    choice.scroll_into_view_if_needed()
    choice.locator(".widget-radio-box label").first.tap()
    choice.get_by_role("button", name="Check my answer").tap()
    choice.get_by_text("Saved").first.wait_for()
    shot = lab_ui.screenshots(page, artifacts / "exercise-by-touch")[0]
    assert choice.locator(".widget-radio-box input").first.is_checked(), shot
    feedback = choice.inner_text()
    assert "Right." in feedback or "Not quite." in feedback, (feedback[-400:], shot)  # the check answered the tap
