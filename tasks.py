#!/usr/bin/env python3
"""The collection's two commands, plus the maintainer's extras. Needs only Python 3.11 or newer.

    python3 tasks.py lab     set up .venv (first time about a minute) and open JupyterLab at the start notebook;
                             options after ``lab`` go to JupyterLab (e.g. --no-browser, --port=8890)
    python3 tasks.py test    set up .venv and run every test: unit, data, notebooks (nbval), lint, browser, Binder
    python3 tasks.py rerun   re-execute every notebook in place after a deliberate content change
    python3 tasks.py new-lesson 06_slug   write and run a new text's lesson (a draft from its row alone; README)
    python3 tasks.py handouts  export every notebook and the teacher's guide as HTML to build/handouts/
    python3 tasks.py guide   write the teacher's guide to build/teacher-guide.html (open in a browser, or print)
    python3 tasks.py bench   run the benchmarks (see benchmarks/README.md)
    python3 tasks.py derive  rewrite every derived copy from its one home: the lessons table and links between
                             lessons, the date order of events, the counts in data/README.md, the sample class,
                             hidden code inputs
    python3 tasks.py check-text SLUG   what a text's lesson still needs (unchecked sentences, events…): a to-do list

Extra arguments after ``test`` go to pytest, e.g. ``python3 tasks.py test -k texts``.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
START = "notebooks/00_start_here.ipynb"


def ensure_env(tools: bool = True) -> None:
    """Create .venv and install the collection (and, with ``tools``, the test tools: pytest, nbval, Playwright…),
    again only when pyproject.toml or the Jupyter settings in binder/ or scripts/ have changed.

    A teacher's ``lab`` needs no test tools (a smaller .venv, a faster first start); ``test`` and the maintainer's
    commands add them to the same .venv. Each kind of install has its own stamp file."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    # What the install writes depends on: helpers/theme.py too, as the style sheet goes into custom.css (outputs of a
    # notebook not yet trusted keep their look only through it), so a pulled update of the theme reinstalls.
    inputs = [ROOT / "pyproject.toml", ROOT / "binder" / "jupyterlab-settings.json",
              ROOT / "binder" / "jupyter_server_config.json", ROOT / "binder" / "custom.css",
              ROOT / "scripts" / "jupyter_config.py", ROOT / "helpers" / "theme.py",
              *sorted((ROOT / "binder" / "keys-extension" / "labextension").rglob("*.js"))]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()[:16]
    stamp = VENV / f".installed-{'tools' if tools else 'lessons'}-{digest}"
    if stamp.exists() or (VENV / f".installed-tools-{digest}").exists():
        return
    if not PY.exists():
        print("Creating .venv …", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as e:  # e.g. Debian without python3-venv
            sys.exit(f"Could not create a virtual environment in {VENV}: {e}\n"
                     "On Debian/Ubuntu install it with: apt-get install python3-venv")
    what = "the collection and its test tools" if tools else "the collection"
    print(f"Installing {what} into .venv (about a minute the first time) …", flush=True)
    # A teacher's install skips compiling every module to bytecode up front (about 120 MB, mostly never imported):
    # Python compiles what a lesson imports on first use (about 11 MB, a few seconds once). Measured on a 2-core
    # machine: 390 MB and 27 s instead of 508 MB and 43 s.
    compile_flag = [] if tools else ["--no-compile"]
    run([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *compile_flag,
         "-e", ".[test]" if tools else "."])
    # The collection's Jupyter defaults (kernel starts by itself, no news pop-up, the pre-save hook), as on Binder.
    run([str(PY), "scripts/jupyter_config.py"], stdout=subprocess.DEVNULL)
    for old in VENV.glob(f".installed-{'tools' if tools else 'lessons'}-*"):
        old.unlink()
    stamp.touch()


def lab_command() -> list[str]:
    """JupyterLab on the start notebook, with the collection's folder as the file browser's root (so a teacher
    reaches data/exercises/ and the hand-in files); as root (a container) JupyterLab would refuse to start without
    --allow-root. The start notebook is the server's default page, so the address JupyterLab prints (with
    --no-browser) opens it too, not the Launcher."""
    cmd = [str(BIN / "jupyter"), "lab", f"--ServerApp.root_dir={ROOT}", f"--LabApp.default_url=/lab/tree/{START}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(2, "--allow-root")
    return cmd


def run(cmd: list[str], **kw) -> int:
    """Run a command in the project folder; stop with its exit code if it fails."""
    code = subprocess.call(cmd, cwd=ROOT, **kw)
    if code:
        sys.exit(code)
    return code


def main(argv: list[str]) -> None:
    task, rest = (argv[0], argv[1:]) if argv else ("help", [])
    commands = {
        "lab": lab_command(),
        "test": [str(PY), "-m", "pytest", "-n", "2", "--dist", "loadfile"],
        "rerun": [str(PY), "scripts/rerun_notebooks.py"],
        "new-lesson": [str(PY), "scripts/new_lesson.py"],
        "handouts": [str(PY), "scripts/export_handouts.py"],
        "guide": [str(PY), "scripts/build_teacher_guide.py"],
        "bench": [str(PY), "benchmarks/run.py"],
        "check-text": [str(PY), "scripts/check_text.py"],
        "derive": [str(PY), "scripts/derive.py"],
    }
    if task not in commands:
        print(__doc__)
        sys.exit(0 if task in ("help", "-h", "--help") else 2)
    ensure_env(tools=task != "lab")
    try:
        run([*commands[task], *rest])
    except KeyboardInterrupt:  # Ctrl+C: JupyterLab (or the tests) stopped; nothing to report
        if task == "lab":
            print("\nJupyterLab has stopped. Start it again with the same command: python3 tasks.py lab")
        sys.exit(130 if task != "lab" else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
