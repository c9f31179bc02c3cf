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
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el), before = getComputedStyle(el, '::before');
    if (!r.width || !r.height || cs.visibility === 'hidden' || cs.display === 'none') continue;
    // a control whose own words the theme replaces (the upload button's count) shows its ::before text instead
    const px = parseFloat(cs.fontSize) || (before.content !== 'none' ? parseFloat(before.fontSize) : 0);
    out.push({px, text: (el.innerText || el.value || '').trim().slice(0, 60),
              tag: el.tagName, cls: String(el.className).slice(0, 60)});
  }
  return out;
}"""


def _run_on_a_projector(browser, lab, path: Path):
    """A lesson run at 1366x768 (JupyterLab's status bar is read there), then shown as a projector shows it:
    1024x768 at 150 %. Returns the browser context (to close) and the page."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, device_scale_factor=1.5)
    page = context.new_page()
    lab_ui.open_notebook(page, lab, str(path.relative_to(ROOT)))
    lab_ui.run_all(page)
    lab_ui.wait_for_widgets(page, lab_ui.expected(path).widgets)
    page.set_viewport_size({"width": 683, "height": 512})
    return context, page


def test_no_student_facing_text_under_16_px_on_a_projector(browser, lab, artifacts):
    context, page = _run_on_a_projector(browser, lab, LESSON)
    try:
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


_LAYOUT = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const card = [...panel.querySelectorAll('section.www-card')].find(s => s.textContent.includes('Source card'));
  const pairs = [...card.querySelectorAll('dt')].map(dt => {
    const dd = dt.nextElementSibling, a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect(),
          box = card.getBoundingClientRect();
    return {label: dt.textContent, dt: a.top, dd: b.top, ddRight: b.right, boxRight: box.right, dtRight: a.right,
            ddLeft: b.left, dtLeft: a.left, dtBottom: a.bottom};
  });
  const folds = [...panel.querySelectorAll('.www-glossary > details > summary')].map(s => s.textContent);
  const figures = [...panel.querySelectorAll('figure.www-figure img')].map(img => ({
    scale: img.getBoundingClientRect().width / Number(img.getAttribute('width')), alt: img.alt.slice(0, 50)}));
  return {pairs, folds, figures};
}"""


@pytest.mark.parametrize("lesson", ["01_molyneux", "04_aunoble"])
def test_source_card_glossary_and_figures_hold_together_on_a_projector(browser, lab, artifacts, lesson):
    """The source card paired labels with the wrong values at 1024x768 @150 % (JupyterLab floats every dt at 20 %
    of the width); a glossary fold under the Discuss box read as the next passage's; timelines shrank to 60 %, their
    labels to 8 px. Now each label sits level with its value inside the card (or right above it when the card is
    narrow), each fold names its passage, and no figure is drawn smaller than its text allows (it scrolls sideways
    instead). Screenshots with JupyterLab's file browser open, as a teacher's screen first opens."""
    from helpers.theme import FIG_MIN_SCALE

    context, page = _run_on_a_projector(browser, lab, ROOT / "notebooks" / f"{lesson}.ipynb")
    try:
        page.wait_for_timeout(500)
        got = page.evaluate(_LAYOUT)
        card = page.locator(f"{lab_ui.PANEL} section.www-card", has_text="Source card").first
        card.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"projector-source-card-{lesson}.png"))
        for p in got["pairs"]:  # side by side and level, or (a narrow card) the label right above its value
            beside = abs(p["dt"] - p["dd"]) < 6 and p["ddLeft"] >= p["dtRight"] - 1
            above = abs(p["ddLeft"] - p["dtLeft"]) < 2 and 0 <= p["dd"] - p["dtBottom"] < 12
            assert beside or above, f"{lesson}: '{p['label']}' is not paired with its value: {p}"
            assert p["ddRight"] <= p["boxRight"] + 1, f"{lesson}: the value of '{p['label']}' runs out of the card"
        assert got["folds"] and all(f.startswith("Words in ") and "¶" in f for f in got["folds"]), got["folds"][:3]
        assert got["figures"], "no figure measured"
        small = [f for f in got["figures"] if f["scale"] < FIG_MIN_SCALE - 0.01]
        assert not small, f"{lesson}: figures shrunk below readable: {small[:3]}"
    finally:
        context.close()
        lab.shut_down_kernels()
