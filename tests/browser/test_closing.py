"""Closing a lesson after Run All: answers are stored as they are typed, so JupyterLab must not ask "Save your
work?" as if they could be lost. The collection's settings autosave a notebook 15 s after a change
(binder/jupyterlab-settings.json): a student who runs the lesson, answers and closes it later meets no dialog."""
from __future__ import annotations

from pathlib import Path

import pytest

import labdriver as lab_ui

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "02_essay.ipynb"


@pytest.fixture(scope="module")
def lab_on_a_copy(tmp_path_factory, artifacts):
    """JupyterLab on a copy of the collection, with the collection's own autosave (the shared test server has
    autosave off, as it serves the committed notebooks)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tests_conftest", ROOT / "tests" / "conftest.py")
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)  # tests/conftest.py's copier: a clean clone's files, links kept
    root = tmp_path_factory.mktemp("collection")
    shared.copy_collection(root, uncommitted=True)
    yield from lab_ui.start_lab(tmp_path_factory.mktemp("home"), artifacts, name="closing", root=root)


def test_closing_a_run_lesson_asks_nothing(browser, lab_on_a_copy, artifacts):
    lab = lab_on_a_copy
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        lab_ui.open_notebook(page, lab, str(LESSON.relative_to(ROOT)))
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(LESSON).widgets)
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=LESSON.name).first
        page.wait_for_function(  # the autosave: the tab loses its "unsaved" dot within the interval
            "name => ![...document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab')]"
            ".some(t => t.textContent.includes(name) && t.classList.contains('jp-mod-dirty'))",
            arg=LESSON.name, timeout=40_000)
        tab.locator(".lm-TabBar-tabCloseIcon").click()
        page.wait_for_timeout(1000)
        dialogs = page.locator(".jp-Dialog").count()
        page.screenshot(path=str(artifacts / "closing-after-run-all.png"))
        assert dialogs == 0, "JupyterLab asked to save a lesson whose answers are already stored"
        assert page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=LESSON.name).count() == 0
    finally:
        lab.shut_down_kernels()
        page.close()
