"""A keyboard-only student: keys pressed inside an exercise stay in the exercise.

Without binder/keys-extension, an arrow key on a multiple-choice option moved JupyterLab's cell selection and threw
the student out of the exercise, and "d d" deleted a cell. Here a student clicks an option (and, separately, reaches
one with the keyboard alone), moves through the options with the arrow keys, types "d d", and the notebook keeps
every cell, the same active cell, and the answer the arrows chose.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import labdriver as lab_ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "01_molyneux.ipynb"

_STATE = f"""() => {{
  const panel = document.querySelector('{lab_ui.PANEL}');
  const cells = [...panel.querySelectorAll('.jp-Notebook > .jp-Cell, .jp-WindowedPanel-viewport > .jp-Cell')];
  const active = cells.findIndex(c => c.classList.contains('jp-mod-active'));
  const group = panel.querySelectorAll('.www-exercise .widget-radio-box')[0];
  const radios = [...group.querySelectorAll('input[type=radio]')];
  return {{cells: cells.length, active, checked: radios.findIndex(r => r.checked),
           focused: radios.indexOf(document.activeElement)}};
}}"""


@pytest.mark.parametrize("how", ["mouse then keys", "keyboard only"])
def test_arrow_keys_move_between_options_and_never_leave_the_exercise(browser, lab, artifacts, how):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        lab_ui.open_notebook(page, lab, str(LESSON.relative_to(ROOT)))
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(LESSON).widgets)
        group = page.locator(f"{lab_ui.PANEL} .www-exercise .widget-radio-box").first
        group.scroll_into_view_if_needed()
        if how == "mouse then keys":
            group.locator("label").first.click()
        else:  # focus reaches the option as the Tab key would leave it there; no mouse at all
            group.locator("input[type=radio]").first.focus()
            page.keyboard.press("Space")
        before = page.evaluate(_STATE)
        assert before["checked"] == 0 and before["focused"] == 0, before
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("d")
        page.keyboard.press("d")
        page.wait_for_timeout(300)
        after = page.evaluate(_STATE)
        group.screenshot(path=str(artifacts / f"keyboard-{how.replace(' ', '-')}.png"))
        assert after["checked"] == 1 and after["focused"] == 1, f"the arrows did not move between options: {after}"
        assert after["cells"] == before["cells"], "'d d' typed in an exercise deleted a cell"
        assert after["active"] == before["active"], "an arrow key moved JupyterLab's cell selection"
        saved = group.locator("xpath=ancestor::*[contains(@class,'www-exercise')]").inner_text()
        assert "Saved" in saved, "the choice made with the keyboard was not saved"
    finally:
        lab.shut_down_kernels()
        context.close()


def test_the_extension_is_loaded_by_jupyterlab(browser, lab):
    page = browser.new_page()
    try:
        lab_ui.open_notebook(page, lab, str(LESSON.relative_to(ROOT)))
        names = [e.get("name") for e in lab_ui.notebook_config(page).get("federated_extensions", [])]
        assert "what-went-wrong-keys" in names, f"JupyterLab loaded {names}: run python3 scripts/jupyter_config.py"
    finally:
        lab.shut_down_kernels()
        page.close()
