"""What a saved lesson keeps: its readable outputs, never pointers to widgets that die with the kernel.

JupyterLab saves a notebook as the student sees it, autosave included. A widget's output then holds only a pointer
to a widget model (``application/vnd.jupyter.widget-view+json``) that exists while the kernel runs; the collection
does not save widget state (answers live in the answer store), so a reopened lesson showed "Error displaying widget:
model not found" in every exercise. Every widget output of the collection also carries a readable twin (``text/html``
and ``text/plain``, see ``exercises.base.Shown``): dropping the pointer when the file is written makes the reopened
lesson show that twin until the next Run All brings the live widgets (and the saved answers) back.

The same cleaning is applied when the notebooks are committed (``scripts/rerun_notebooks.py``), with execution
counts made the code cells' positions (1, 2, 3 … as after one Run All; nbval needs a count on every cell that has
outputs), so a lesson that a student ran and saved is byte for byte what git holds whenever nothing but outputs
changed: nbgitpuller's merge of a teacher's update then never meets a conflict in it.

Installed as jupyter_server's ``ContentsManager.pre_save_hook`` by the project's own files (``binder/postBuild``,
``python3 tasks.py lab``; a hub administrator copies ``binder/jupyter_server_config.json``). It touches only
notebooks whose metadata carries MARKER, so other notebooks on the same server are saved exactly as before.
"""
from __future__ import annotations

from typing import Any

MARKER = "what-went-wrong"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def clean_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook (changed in place and returned) without widget pointers or widget state, and with execution
    counts that depend on nothing but the cell's position.

    >>> nb = {"metadata": {"widgets": {}}, "cells": [{"cell_type": "code", "execution_count": 3, "outputs": [
    ...     {"output_type": "display_data", "data": {WIDGET_VIEW: {"model_id": "ab"}, "text/plain": "Exercise"}}]}]}
    >>> clean_notebook(nb)["cells"][0]
    {'cell_type': 'code', 'execution_count': 1, 'outputs': [{'output_type': 'display_data', 'data': \
{'text/plain': 'Exercise'}}]}
    """
    code_cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for count, cell in enumerate(code_cells, 1):
        cell["execution_count"] = count
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data")
            if isinstance(data, dict) and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if not data:  # a widget without a readable twin: nothing to show before the next run
                    continue
            if "execution_count" in out:
                out["execution_count"] = count
            kept.append(out)
        cell["outputs"] = kept
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def hide_inputs(nb: dict[str, Any]) -> dict[str, Any]:
    """Every code cell's input hidden (``jupyter.source_hidden`` and the ``hide-input`` tag), so a cell added by hand
    shows students no code; changed in place and returned.

    >>> hide_inputs({"cells": [{"cell_type": "code", "metadata": {}}]})["cells"][0]["metadata"]
    {'jupyter': {'source_hidden': True}, 'tags': ['hide-input']}
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.setdefault("metadata", {})
        meta.setdefault("jupyter", {})["source_hidden"] = True
        tags = meta.setdefault("tags", [])
        if "hide-input" not in tags:
            tags.append("hide-input")
    return nb


def pre_save(model: dict[str, Any], **_kwargs: Any) -> None:
    """jupyter_server's pre-save hook: clean a collection notebook before it is written (see the module docstring).

    >>> model = {"type": "notebook", "content": {"metadata": {MARKER: {}}, "cells": [
    ...     {"cell_type": "code", "execution_count": 7, "outputs": []}]}}
    >>> pre_save(model, path="x.ipynb")
    >>> model["content"]["cells"][0]["execution_count"]
    1
    """
    if model.get("type") != "notebook":
        return
    nb = model.get("content")
    if isinstance(nb, dict) and MARKER in (nb.get("metadata") or {}):
        hide_inputs(clean_notebook(nb))
