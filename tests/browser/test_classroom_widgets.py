"""Exercises as a projector shows them: multiple-choice options that wrap must never print over each other, and
no option a student reads is smaller than 16 CSS px, at 1366x768 and at a projector's 1024x768 with 150 % zoom."""
from __future__ import annotations

from pathlib import Path

import pytest

import labdriver as lab_ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"laptop": ({"width": 1366, "height": 768}, 1), "projector": ({"width": 683, "height": 512}, 1.5)}

_OPTION_BOXES = """() => [...document.querySelectorAll(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .www-exercise .widget-radio-box label')].map(l => {
                    const r = l.getBoundingClientRect();
                    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: l.innerText,
                            px: parseFloat(getComputedStyle(l).fontSize), box: l.parentElement.dataset.wwwBox}})"""


def _lessons_with_choices() -> list[Path]:
    return [p for p in sorted((ROOT / "notebooks").glob("0*.ipynb")) if "-mc-" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_choice_options_never_overlap_and_stay_readable(browser, lab, artifacts, size):
    viewport, scale = SIZES[size]
    context = browser.new_context(viewport=SIZES["laptop"][0], device_scale_factor=scale)
    page = context.new_page()
    try:
        for path in _lessons_with_choices():
            lab_ui.open_notebook(page, lab, str(path.relative_to(ROOT)))
            lab_ui.run_all(page)
            lab_ui.wait_for_widgets(page, lab_ui.expected(path).widgets)
            page.set_viewport_size(viewport)  # opened wide (JupyterLab's status bar is read there), then narrowed
            page.wait_for_timeout(300)
            radios = page.locator(f"{lab_ui.PANEL} .www-exercise .widget-radio-box")
            for n in range(radios.count()):
                radios.nth(n).scroll_into_view_if_needed()
                radios.nth(n).evaluate("(el, n) => el.dataset.wwwBox = n", n)
                boxes = [b for b in page.evaluate(_OPTION_BOXES) if b["box"] == str(n)]
                shot = artifacts / f"choices-{path.stem}-{n}-{size}.png"
                radios.nth(n).screenshot(path=str(shot))
                for a, b in zip(boxes, boxes[1:]):
                    assert a["bottom"] <= b["top"] + 1, f"{path.name} at {size}: {a['text']!r} overlaps {b['text']!r}"
                assert all(b["px"] >= 16 for b in boxes), f"{path.name}: options smaller than 16 px ({shot})"
            lab.shut_down_kernels()
            page.set_viewport_size(SIZES["laptop"][0])
    finally:
        context.close()
