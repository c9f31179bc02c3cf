"""The pre-save hook (helpers/savehook.py): a lesson a student ran and saved equals git's copy, and a teacher's later
update reaches it through nbgitpuller itself (its real merge, on a local upstream repository)."""
from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from helpers.savehook import MARKER, WIDGET_VIEW, clean_notebook, pre_save

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
                 and "drafts" not in p.parts)


def _as_run_in_class(nb: dict) -> dict:
    """What JupyterLab holds after Run All in class: live widget pointers and its own run counts."""
    ran = copy.deepcopy(nb)
    for i, cell in enumerate(c for c in ran["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = 40 + i
        for out in cell.get("outputs", []):
            if "data" in out and "text/html" in out["data"]:
                out["data"][WIDGET_VIEW] = {"model_id": f"live-{i}", "version_major": 2, "version_minor": 0}
    ran["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return ran


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_committed_lessons_are_clean_and_marked(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert MARKER in nb["metadata"], f"{path.name}: run `python3 tasks.py rerun` to store it cleaned"
    assert clean_notebook(copy.deepcopy(nb)) == nb


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_a_lesson_run_and_saved_in_class_equals_gits_copy(path):
    committed = json.loads(path.read_text(encoding="utf-8"))
    model = {"type": "notebook", "content": _as_run_in_class(committed)}
    pre_save(model, path=str(path))
    assert model["content"] == committed


def test_other_notebooks_are_saved_untouched():
    nb = {"metadata": {}, "cells": [{"cell_type": "code", "execution_count": 5, "outputs": [
        {"output_type": "display_data", "data": {WIDGET_VIEW: {"model_id": "x"}}}]}]}
    model = {"type": "notebook", "content": copy.deepcopy(nb)}
    pre_save(model)
    assert model["content"] == nb
    pre_save({"type": "file", "content": "text"})  # not a notebook: nothing to do


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
                               "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
                          ).stdout


def test_a_teachers_update_reaches_a_student_whose_lesson_was_autosaved(tmp_path):
    """Student runs and saves (the hook cleans it), upstream changes a passage's heading, nbgitpuller pulls: the
    change arrives and the notebook still reads as a valid notebook."""
    pull = pytest.importorskip("nbgitpuller.pull")
    lesson = next(p for p in LESSONS if "exercise(" in p.read_text(encoding="utf-8"))
    upstream = tmp_path / "upstream"
    (upstream / "notebooks").mkdir(parents=True)
    shutil.copyfile(lesson, upstream / "notebooks" / lesson.name)
    _git(upstream, "init", "-q", "-b", "main")
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-q", "-m", "lesson")

    student = tmp_path / "student" / "collection"
    for _ in pull.GitPuller(str(upstream), str(student), branch="main").pull():
        pass
    mine = student / "notebooks" / lesson.name
    model = {"type": "notebook", "content": _as_run_in_class(json.loads(mine.read_text(encoding="utf-8")))}
    pre_save(model)  # the autosave after Run All, as jupyter_server writes it
    nbformat.write(nbformat.from_dict(model["content"]), mine)

    nb = json.loads((upstream / "notebooks" / lesson.name).read_text(encoding="utf-8"))
    heading = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    heading["source"] = "# Updated by the teacher\n" + "".join(heading["source"])
    nbformat.write(nbformat.from_dict(nb), upstream / "notebooks" / lesson.name)
    _git(upstream, "commit", "-q", "-am", "teacher's update")

    for _ in pull.GitPuller(str(upstream), str(student), branch="main").pull():
        pass
    pulled = nbformat.read(mine, as_version=4)
    nbformat.validate(pulled)
    assert "# Updated by the teacher" in pulled.cells[0].source
    assert pulled == nbformat.read(upstream / "notebooks" / lesson.name, as_version=4)
