"""The handouts (scripts/export_handouts.py): every lesson and the teacher's guide as standalone, readable HTML."""
from __future__ import annotations

import base64
import html
import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("export_handouts", ROOT / "scripts" / "export_handouts.py")
handouts = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = handouts  # dataclasses look their module up there
spec.loader.exec_module(handouts)

WIDGET = "application/vnd.jupyter.widget-view+json"
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc33"
    "0000000049454e44ae426082")).decode()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    return out, handouts.export_all(out)


def test_every_lesson_and_the_teachers_guide_has_a_page_listed_in_the_index(exported):
    out, pages = exported
    notebooks = handouts.lesson_notebooks()
    assert notebooks, "no notebooks found"
    for nb in notebooks:
        assert (out / nb.relative_to(handouts.NOTEBOOKS).with_suffix(".html")).is_file()
    assert (out / "teacher-guide.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f'href="{page.path.relative_to(out).as_posix()}"' in index


def test_handouts_have_no_problems(exported):
    _, pages = exported
    problems = [p for page in pages for p in page.problems]
    assert not problems, "\n".join(problems)


def test_handouts_hide_code_set_the_language_and_load_nothing(exported):
    _, pages = exported
    for page in pages:
        text = page.path.read_text(encoding="utf-8")
        assert re.search(r'<html lang="en"', text), page.path.name
        assert "from helpers import" not in text and 'class="highlight hl-ipython3"' not in text, page.path.name
        assert not re.search(r"<script[^>]+src=", text), page.path.name
        assert "Loading widget" not in text and WIDGET not in text, page.path.name


def test_every_image_has_meaningful_alt_text(exported):
    _, pages = exported
    for page in pages:
        for tag in re.findall(r"<img\b[^>]*>", page.path.read_text(encoding="utf-8")):
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and handouts.meaningful_alt(alt.group(1)), f"{page.path.name}: {tag[:120]}"


def _notebook(tmp_path: Path, outputs: list) -> Path:
    nb = new_notebook(cells=[new_markdown_cell("# A test lesson\n\nSome prose."),
                             new_code_cell("secret_code_marker = 1", outputs=outputs)])
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    return path


def test_widgets_give_way_to_their_fallback_and_code_is_hidden(tmp_path):
    widget = new_output("display_data", data={WIDGET: {"model_id": "x", "version_major": 2, "version_minor": 0},
                                              "text/html": "<p>Exercise: say why, in words.</p>",
                                              "text/plain": "Exercise: say why"})
    page = handouts.export_notebook(_notebook(tmp_path, [widget]), tmp_path / "out", root=tmp_path)
    text = page.path.read_text(encoding="utf-8")
    assert "Exercise: say why, in words." in text
    assert "secret_code_marker" not in text and WIDGET not in text
    assert page.title == "A test lesson" and "<title>A test lesson</title>" in text
    assert page.problems == []


def test_a_widget_without_readable_fallback_and_an_undescribed_image_are_reported(tmp_path):
    widget = new_output("display_data", data={WIDGET: {"model_id": "x", "version_major": 2, "version_minor": 0},
                                              "text/plain": "VBox(children=(Text(value=''),))"})
    image = new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"})
    page = handouts.export_notebook(_notebook(tmp_path, [widget, image]), tmp_path / "out", root=tmp_path)
    joined = "\n".join(page.problems)
    assert "no text/html fallback" in joined
    assert "Python repr" in joined
    assert "without alt text in its metadata" in joined
    assert "image without meaningful alt text" in joined


def test_an_image_output_takes_its_alt_text_from_the_output_metadata(tmp_path):
    alt = "Bar chart: industrial output in 1921 was about a fifth of 1913"
    image = new_output("display_data", data={"image/png": PNG, "text/plain": "a chart"},
                       metadata={"image/png": {"alt": alt}})
    page = handouts.export_notebook(_notebook(tmp_path, [image]), tmp_path / "out", root=tmp_path)
    assert f'alt="{alt}"' in page.path.read_text(encoding="utf-8")
    assert page.problems == []


def test_a_notebook_saved_without_outputs_is_reported(tmp_path):
    page = handouts.export_notebook(_notebook(tmp_path, []), tmp_path / "out", root=tmp_path)
    assert any("no stored outputs" in p for p in page.problems)


@pytest.mark.parametrize("html, problem", [
    ("<html><body><p>x</p></body></html>", "no language"),
    ('<html lang="en"><body><img src="a.png"></body></html>', "meaningful alt"),
    ('<html lang="en"><body><img src="a.png" alt="No description has been provided for this image"></body></html>',
     "meaningful alt"),
    ('<html lang="en"><body><img src="chart.png" alt="chart.png"></body></html>', "meaningful alt"),
    ('<html lang="en"><body><p>&lt;helpers.views.View object at 0x7f3a2b1c&gt;</p></body></html>', "Python repr"),
    ('<html lang="en"><body><pre>RadioButtons(options=(1, 2), value=None)</pre></body></html>', "Python repr"),
    ('<html lang="en"><body><p>Loading widget...</p></body></html>', "Loading widget"),
    ('<html lang="en"><head><script src="https://cdn.example/x.js"></script></head></html>', "loads a script"),
    ('<html lang="en"><body><div data-mime-type="application/vnd.jupyter.stderr">Traceback</div></body></html>',
     "error output"),
    ('<html lang="en"><body><svg role="img"></svg></body></html>', "aria-label"),
])
def test_check_page_names_each_kind_of_problem(html, problem):
    assert any(problem in p for p in handouts.check_page(html, "sample")), handouts.check_page(html, "sample")


def test_check_page_accepts_a_described_figure():
    html = ('<html lang="en"><body><figure><img src="data:image/png;base64,AAAA" alt="Line chart of grain '
            'output 1913 to 1928"><figcaption>Source: a table</figcaption></figure></body></html>')
    assert handouts.check_page(html, "sample") == []


def test_the_index_keeps_the_teachers_pages_apart(exported):
    out, pages = exported
    index = (out / "index.html").read_text(encoding="utf-8")
    students, teacher = index.split("For the teacher only")
    assert 'href="teacher-guide.html"' in teacher and 'href="teacher-guide.html"' not in students
    for page in pages:
        where = teacher if page.for_teacher else students
        assert f'href="{page.path.relative_to(out).as_posix()}"' in where


def test_printed_exercises_have_room_to_write_and_folded_words_open(exported):
    """On paper: ruled space under each exercise, each passage's words and each figure's sources unfolded."""
    from helpers.exercises.base import RUN_TO_ANSWER

    _, pages = exported
    exercises = 0
    for page in (p for p in pages if not p.for_teacher):
        body = page.path.read_text(encoding="utf-8")
        n = body.count(html.escape(RUN_TO_ANSWER, quote=False).split(":")[0])
        assert body.count('class="www-card www-exercise-card"') == n and body.count('class="www-write"') >= n, \
            f"{page.source}: {n} exercises, not each with room to write"
        assert "<details open" not in body and 'details class="www-print-open' not in body
        exercises += n
    assert exercises > 0


def test_paper_has_a_scale_to_mark_boxes_to_fill_and_no_run_instructions(exported):
    """Printed, the continuum is a scale to tick, OPVL four labelled boxes, and nothing tells a reader on paper to
    run cells or open JupyterLab (the notebook's how-to cell is left out; the note at the foot is screen-only)."""
    from helpers.values import SCALE

    _, pages = exported
    start = next(p for p in pages if p.source.endswith("00_start_here.ipynb")).path.read_text(encoding="utf-8")
    lesson = next(p for p in pages if p.source.endswith("01_molyneux.ipynb")).path.read_text(encoding="utf-8")
    assert '<ol class="www-paper www-paper-scale">' in start and all(f"☐ {s}</li>" in start for s in SCALE)
    assert lesson.count('class="www-paper-box"') >= 4 and "<strong>Limitation</strong>" in lesson
    for body in (start, lesson):
        assert "How to use this notebook" not in body
        assert ".www-handout-note { display: none; }" in body
