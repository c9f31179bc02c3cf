"""The handouts as a printer gives them: Chromium prints each student handout to A4 (as a teacher's browser does),
and a lesson fits at most PAGE_BUDGET pages, ruled space to write included (issue #11). The PDFs go to
artifacts/browser/handouts/ to look at."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGE_BUDGET = 12  # A4 pages per lesson handout
spec = importlib.util.spec_from_file_location("export_handouts", ROOT / "scripts" / "export_handouts.py")
handouts = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = handouts
spec.loader.exec_module(handouts)


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote (each page object is '/Type /Page', the tree's root '/Type /Pages')."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_each_lesson_handout_prints_on_at_most_twelve_a4_pages(browser, tmp_path, artifacts):
    pages = [p for p in handouts.export_all(tmp_path / "handouts", guide=False) if not p.for_teacher]
    assert pages, "no student handouts"
    out = artifacts / "handouts"
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context()
    page = context.new_page()
    counts = {}
    try:
        for handout in pages:
            page.goto(handout.path.as_uri())
            pdf = page.pdf(prefer_css_page_size=True, print_background=True)
            (out / handout.path.with_suffix(".pdf").name).write_bytes(pdf)
            counts[handout.source] = pdf_pages(pdf)
    finally:
        context.close()
    too_long = {k: v for k, v in counts.items() if v > PAGE_BUDGET}
    assert all(counts.values()) and not too_long, f"A4 pages per handout: {counts} (at most {PAGE_BUDGET})"
