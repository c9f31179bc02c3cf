"""Re-execute the collection's notebooks in place, for when their content changes on purpose.

    python3 tasks.py rerun                      every notebook under notebooks/ (drafts excluded)
    python3 tasks.py rerun notebooks/01_molyneux.ipynb

Outputs are stored so the notebooks read well on GitHub and nbviewer and so nbval can compare them. Run-to-run noise
is left out, so re-running an unchanged notebook changes no bytes: no cell timings, no execution counts, no widget
state and no widget pointers (their ids change every run; every viewer shows each widget's readable twin instead),
exactly as the server's pre-save hook saves a lesson a student ran (helpers/savehook.py).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers.savehook import MARKER, clean_notebook, hide_inputs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def notebooks(args: list[str]) -> list[Path]:
    """The notebooks named on the command line, or every one under notebooks/ except drafts and checkpoints."""
    if args:
        return [Path(a).resolve() for a in args]
    skip = {"drafts", ".ipynb_checkpoints"}
    return sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if not skip & set(p.relative_to(NOTEBOOKS).parts))


def execute(path: Path) -> nbformat.NotebookNode:
    """One notebook, run in its own folder with the python3 kernel, in memory (nothing is written)."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def rerun(path: Path) -> float:
    """Execute one notebook in its own folder and save it with clean metadata; returns seconds taken."""
    start = time.perf_counter()
    nb = execute(path)
    nb.metadata[MARKER] = {"saved_by": "scripts/rerun_notebooks.py and helpers/savehook.py"}
    hide_inputs(clean_notebook(nb))
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(args: list[str]) -> None:
    from derive import write_all  # the copies of the data in the notebooks' own text first (tables, links)

    changed = write_all()
    if changed:
        print("Brought up to date from the data: " + ", ".join(changed), flush=True)
    for path in notebooks(args):
        print(f"{path.relative_to(ROOT)}: {rerun(path):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
