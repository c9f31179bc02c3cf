"""The class's hand-in folder on a hub: where the "Hand in my answers" button also puts a student's file.

A hub administrator names the folder once for every student's server (``WWW_HANDIN_DIR``, set by
binder/hub/jupyterhub_config.py). Without it nothing here is used and hand-in stays a download. With it, one click
writes the student's hand-in file (the same file the download holds) into that folder:

- one file per student and lesson, ``<hand-in file name>--<account>--<lesson>.html``: the account is the hub's user
  name (``JUPYTERHUB_USER``; else the computer's), so two students never share a name and a student's second hand-in
  of a lesson replaces only their own first one (the newest counts, as with downloads);
- written atomically (a temporary file in the folder, then a rename), so the teacher never reads half a file;
- readable by its owner and the folder's group only (0640): in the folder the README describes (mode 3773, group
  ``teachers``) students can add files but neither list nor read anyone's, and teachers can read them all.

A missing or unwritable folder is refused with a sentence saying so (:class:`HandinFolderError`); the button then
offers the download instead. Data flow: answers (the store, the hand-in file) → here → the teacher's dashboard, which
lists the folder (``classview.class_folders``).
"""
from __future__ import annotations

import contextlib
import getpass
import os
import re
import tempfile
from pathlib import Path

from .answers import AnswerError, AnswerStore, export_handin, handin_filename

ENV_VAR = "WWW_HANDIN_DIR"
FILE_MODE = 0o640


class HandinFolderError(AnswerError):
    """The hand-in folder is missing or cannot be written; the message says what the student should do."""


def handin_folder() -> Path | None:
    """The folder named by ``$WWW_HANDIN_DIR``, or None when the hub names none (hand-in is then a download).

    >>> os.environ.pop(ENV_VAR, None); handin_folder() is None
    True
    """
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value).expanduser() if value else None


def _safe(text: str, fallback: str) -> str:
    """Letters, digits, dots, dashes and underscores only, at most 60: a part of a file name valid everywhere.

    >>> _safe("ana/../x", "student"), _safe("", "student")
    ('ana-..-x', 'student')
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")[:60] or fallback


def account() -> str:
    """Who is handing in, as the computer knows it: the hub's user name, else the operating system's.

    >>> account() == _safe(os.environ.get("JUPYTERHUB_USER") or getpass.getuser(), "student")
    True
    """
    name = os.environ.get("JUPYTERHUB_USER", "")
    if not name:
        with contextlib.suppress(Exception):  # no user name at all in some containers
            name = getpass.getuser()
    return _safe(name, "student")


def current_lesson(store: AnswerStore) -> str:
    """The lesson being handed in: the notebook this kernel belongs to (Jupyter's ``JPY_SESSION_NAME``), else the
    notebook of the answer saved last, else "all"."""
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb"):
        return _safe(Path(session).stem, "lesson")
    latest = max(store.all().values(), key=lambda a: a.saved_at, default=None)
    return _safe(latest.notebook, "lesson") if latest else "all"


def folder_file_name(student: str, who: str, lesson: str) -> str:
    """The name of a student's file in the folder: the usual hand-in name, then account and lesson.

    >>> folder_file_name("Zoë", "zoe7", "01_molyneux")
    'what-went-wrong-handin-zoe-2752b886--zoe7--01_molyneux.html'
    """
    return f"{handin_filename(student).removesuffix('.html')}--{_safe(who, 'student')}--{_safe(lesson, 'lesson')}.html"


def hand_in_to_folder(store: AnswerStore, folder: Path | None = None, lesson: str | None = None,
                      presenter=None) -> Path:
    """Write the student's hand-in file into the class's folder (see the module docstring); returns its path.

    AnswerError when no name is set yet; HandinFolderError when the folder is missing or cannot be written (the
    answers themselves are safe either way)."""
    folder = folder or handin_folder()
    if folder is None:
        raise HandinFolderError(f"No hand-in folder is set on this computer ({ENV_VAR}): download the file instead.")
    if not folder.is_dir():
        raise HandinFolderError(f"The class's hand-in folder {folder} does not exist. Your answers are safe: download "
                                "the file below and give it to your teacher, and tell them the folder is missing.")
    source = export_handin(store, presenter=presenter)
    target = folder / folder_file_name(store.student or "", account(), lesson or current_lesson(store))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".handing-in-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(source.read_bytes())
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        raise HandinFolderError(f"Could not write your file into the class's hand-in folder {folder} "
                                f"({e.strerror or e}). Your answers are safe: download the file below and give it "
                                "to your teacher, and tell them about the folder.") from e
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return target
