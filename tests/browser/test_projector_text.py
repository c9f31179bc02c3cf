"""Readable from the back of the room: at a projector's 1024x768 with 150 % zoom, no text a student reads in a lesson
(passages, exercises, reveals, labels, status lines, the name box, the hand-in) is smaller than 16 px, and a
reopened lesson tells a student in JupyterLab how to get their answers back, not to open JupyterLab. Screenshots:
artifacts/browser/projector-text-*.png."""
from __future__ import annotations

from pathlib import Path

import pytest

import labdriver as lab_ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "01_molyneux.ipynb"
MIN_PX = 16

# Every element with its own visible text in the notebook's outputs, with its computed size (charts are SVG images
# with their own scale, and are not counted; hidden elements neither).
_TEXT_SIZES = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output *')) {
    if (el.closest('svg') || el.closest('.www-write')) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const isControl = ['BUTTON', 'TEXTAREA', 'LABEL', 'SELECT'].includes(el.tagName)
      || (el.tagName === 'INPUT' && !['radio', 'checkbox'].includes(el.type));  // a radio's value is not read
    if (!own && !isControl) continue;
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || cs.display === 'none') continue;
    out.push({px: parseFloat(cs.fontSize), text: (el.innerText || el.value || '').trim().slice(0, 60),
              tag: el.tagName, cls: String(el.className).slice(0, 60)});
  }
  return out;
}"""


def test_no_student_facing_text_under_16_px_on_a_projector(browser, lab, artifacts):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, device_scale_factor=1.5)
    page = context.new_page()
    try:
        lab_ui.open_notebook(page, lab, str(LESSON.relative_to(ROOT)))
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(LESSON).widgets)
        page.set_viewport_size({"width": 683, "height": 512})  # 1024x768 at 150 %
        panel = page.locator(lab_ui.PANEL)
        # reveal what a student reveals: an estimate and a fact-check's verdict, so their text is measured too
        for box in panel.locator(".www-exercise").all():
            guess = box.get_by_placeholder("a number, e.g. 25 or 1,000,000")
            if guess.count():
                guess.fill("1500000")
                box.get_by_role("button", name="Reveal").click()
                box.get_by_text("You guessed").wait_for()
        page.wait_for_timeout(500)
        sizes = page.evaluate(_TEXT_SIZES)
        small = [s for s in sizes if s["px"] < MIN_PX]
        lab_ui.screenshots(page, artifacts / "projector-text-lesson")
        assert sizes, "no text measured"
        assert not small, f"{len(small)} texts under {MIN_PX} px, e.g. " + "; ".join(
            f"{s['px']:g}px {s['tag']}.{s['cls']} {s['text']!r}" for s in small[:20])
    finally:
        context.close()
        lab.shut_down_kernels()
