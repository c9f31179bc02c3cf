"""Pages the collection writes, opened in Chromium as a teacher would (double-click → file:// URL): a hand-in with a
script added after export. No script may run. (Chromium downloads a CSV instead of showing it, so the CSV export is
checked where it is written: tests/test_hostile_files.py.)"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from helpers import answers as A
from helpers.answers import Answer, Handin, handin_html

pytestmark = pytest.mark.browser

EVIL = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"


def _handin(text: str) -> Handin:
    now = datetime.now(timezone.utc)
    answer = Answer("start-first-answer", text, (now - timedelta(hours=2)).isoformat(), "00_start_here")
    return Handin("Ada <b>L</b>", (now - timedelta(hours=1)).isoformat(timespec="seconds"), A.collection_version(),
                  {answer.exercise_id: answer})


def test_no_script_runs_in_a_handin_even_after_tampering(browser, tmp_path, artifacts):
    page_html = handin_html(_handin(EVIL))  # hostile text typed by a student: escaped
    tampered = page_html.replace("</main>", EVIL + "</main>")  # and a script added to the file afterwards
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        for name, html in (("handin.html", page_html), ("tampered.html", tampered)):
            path = tmp_path / name
            path.write_text(html, encoding="utf-8")
            page = context.new_page()
            page.goto(path.as_uri())
            page.wait_for_timeout(300)
            assert page.title() != "pwned", name
            assert "Ada <b>L</b>" in page.inner_text("h1")  # shown as text, not markup
            page.screenshot(path=str(artifacts / f"hostile-{name}.png"))
            page.close()
    finally:
        context.close()
