"""Hand-in on a hub with a hand-in folder, in JupyterLab in Chromium: the teacher has the dashboard open on the hub's
folder; a student runs lesson 1, gives a name and presses the green button once; the file is in the folder and the
teacher's dashboard shows the student without a click. Looked at on a laptop screen (1366x768) and on a projector
(1024x768 at 150 % zoom). Screenshots: artifacts/browser/hub-*.png."""
from __future__ import annotations

from pathlib import Path

import pytest

import labdriver as lab_ui
from labdriver import start_lab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "01_molyneux.ipynb"
DASHBOARD = ROOT / "notebooks" / "teacher" / "dashboard.ipynb"
HUB_FOLDER_LABEL = "Hand-ins on this hub (new ones appear by themselves)"


@pytest.fixture(scope="module")
def hub_lab(tmp_path_factory, artifacts):
    """A JupyterLab whose kernels see a hub's hand-in folder and a hub account, as binder/hub/ sets them."""
    home = tmp_path_factory.mktemp("hub-lab")
    drop = home / "hand-ins"
    drop.mkdir()
    env = {"WWW_HANDIN_DIR": str(drop), "JUPYTERHUB_USER": "student7"}
    for lab in start_lab(home, artifacts, env, name="hub"):
        lab.drop = drop
        yield lab


@pytest.mark.parametrize("screen", ["laptop", "projector"])
def test_one_click_hands_in_to_the_folder_and_the_teacher_sees_it(browser, hub_lab, artifacts, screen):
    for old in hub_lab.drop.iterdir():
        old.unlink()
    laptop = {"width": 1366, "height": 768}
    viewport, scale = (laptop, 1) if screen == "laptop" else ({"width": 683, "height": 512}, 1.5)  # 1024x768 @150 %
    # opened wide (JupyterLab's status bar, which tells when the kernel is ready, hides on a narrow page), then
    # narrowed to the projector's size
    teacher = browser.new_context(viewport=laptop, device_scale_factor=scale).new_page()
    student = browser.new_context(viewport=laptop, device_scale_factor=scale).new_page()
    try:
        # the teacher opens the dashboard on the hub's folder (empty so far)
        lab_ui.open_notebook(teacher, hub_lab, str(DASHBOARD.relative_to(ROOT)))
        lab_ui.run_all(teacher)
        lab_ui.wait_for_widgets(teacher, lab_ui.expected(DASHBOARD).widgets)
        teacher.set_viewport_size(viewport)
        t_panel = teacher.locator(lab_ui.PANEL)
        folder = t_panel.get_by_label("Class folder:")
        offered = [t.replace("\xa0", " ") for t in folder.locator("option").all_inner_texts()]  # widgets use nbsp
        assert HUB_FOLDER_LABEL in offered, offered
        folder.select_option(index=offered.index(HUB_FOLDER_LABEL))
        report = t_panel.locator(".www-report").first
        teacher.wait_for_function("el => !el.innerText.includes('SAMPLE ')", arg=report.element_handle())

        # the student runs the lesson, gives a name and presses the green button once
        lab_ui.open_notebook(student, hub_lab, str(LESSON.relative_to(ROOT)))
        lab_ui.run_all(student)
        lab_ui.wait_for_widgets(student, lab_ui.expected(LESSON).widgets)
        student.set_viewport_size(viewport)
        panel = student.locator(lab_ui.PANEL)
        name = panel.get_by_placeholder("Your name or a pseudonym your teacher knows").last
        name.scroll_into_view_if_needed()
        name.fill(f"Hub Student {screen}")
        panel.get_by_role("button", name="Save my name").last.click()
        panel.get_by_text(f"Saved as: Hub Student {screen}").last.wait_for()
        button = panel.get_by_role("button", name="Hand in my answers")
        button.scroll_into_view_if_needed()
        copy = panel.get_by_role("link", name="Download a copy of your answers")
        copy.wait_for()  # the download stays, as a second, smaller way
        lab_ui.screenshots(student, artifacts / f"hub-{screen}-1-before")
        button.click()
        panel.get_by_text("Handed in at").wait_for(timeout=20_000)
        lab_ui.screenshots(student, artifacts / f"hub-{screen}-2-handed-in")
        files = list(hub_lab.drop.iterdir())
        assert [f.name.split("--")[1:] for f in files] == [["student7", "01_molyneux.html"]], files

        # the teacher's dashboard shows the student a few seconds later, without a click
        try:
            teacher.wait_for_function("([el, who]) => el.innerText.includes(who)",
                                      arg=[report.element_handle(), f"Hub Student {screen}"], timeout=20_000)
        finally:
            report.scroll_into_view_if_needed()
            lab_ui.screenshots(teacher, artifacts / f"hub-{screen}-3-teacher")
    finally:
        teacher.context.close()
        student.context.close()
        hub_lab.shut_down_kernels()


def test_a_learning_platforms_zip_is_read_in_the_dashboard_as_it_is(browser, hub_lab, artifacts):
    """A teacher puts Moodle's "download all submissions" zip (folders per student) into a folder of hand-ins/ and
    chooses it: the class appears, and a file in the zip that is not a hand-in is named with its path in the zip."""
    import shutil
    import zipfile

    folder = ROOT / "hand-ins" / "browser-test-moodle"  # git-ignored, as a teacher's class folder would be
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "Lesson 1-Hand in-submissions.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for i, page in enumerate(sorted((ROOT / "data" / "sample_class").glob("what-went-wrong-handin-*.html"))):
            z.write(page, f"Student {i:02d}_{1000 + i}_assignsubmission_file/{page.name}")
        z.writestr("Student 00_1000_assignsubmission_onlinetext/onlinetext.html", "<p>See my file.</p>")
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    try:
        lab_ui.open_notebook(page, hub_lab, str(DASHBOARD.relative_to(ROOT)))
        lab_ui.run_all(page)
        lab_ui.wait_for_widgets(page, lab_ui.expected(DASHBOARD).widgets)
        panel = page.locator(lab_ui.PANEL)
        select = panel.get_by_label("Class folder:")
        offered = [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]
        select.select_option(index=offered.index("hand-ins/browser-test-moodle"))
        named = "Lesson 1-Hand in-submissions.zip › Student 00_1000_assignsubmission_onlinetext › onlinetext.html"
        # the report may be drawn twice (the folder's first reading, then its watcher): look it up afresh each time
        # rather than hold an element that a redraw replaces (a CI run once read '' from the replaced one)
        page.wait_for_function(
            "([panel, named]) => [...document.querySelectorAll(panel + ' .www-report')].some(e => "
            "e.innerText.includes('SAMPLE Otter') && e.innerText.replace(/\\u00a0/g, ' ').includes(named))",
            arg=[lab_ui.PANEL, named], timeout=20_000)
        panel.locator(".www-report").first.scroll_into_view_if_needed()
        lab_ui.screenshots(page, artifacts / "hub-moodle-zip")
    finally:
        page.context.close()
        hub_lab.shut_down_kernels()
        shutil.rmtree(folder, ignore_errors=True)
