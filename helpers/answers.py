"""Students' answers: the store on disk, the hand-in file and restoring from it. Plain Python (no IPython, no widgets).

The whole API, as the exercise widgets use it::

    store = AnswerStore()                        # folder: $WWW_ANSWERS_DIR, else ~/.what-went-wrong/answers
    store.student                                # the name or pseudonym, or None: then ask for it once
    store.set_student("Sasha K.")                # validated (see validate_student), kept in student.json
    store.save("molyneux-mc-causes", 2, notebook="01_molyneux")   # on disk before it returns → Answer
    store.load("molyneux-mc-causes")             # latest value, or None if never answered
    store.answer(...), store.history(...), store.all()             # Answer records with time stamps
    store.problems                               # messages to show (e.g. a damaged file was set aside)
    path = export_handin(store)                  # ONE .html file with every answer (see below)
    restore_handin(store, path_or_bytes)         # merge a hand-in back: newer wins, nothing deleted → RestoreResult

    # also: build_handin(store) → Handin, handin_html(handin) → str, handin_filename(name) (for a browser download
    # without a file on disk); read_handin(path_or_bytes) → Handin; session_is_temporary() (Binder: show the notice);
    # validate_student(name), check_exercise_id(id), is_empty(value), visible_text(text), MAX_ANSWER_CHARS

Every failure a student can cause or meet (an answer too long, no name yet, a full disk, someone else's hand-in)
raises ``AnswerError`` with a message that can be shown to the student as it stands.

Where answers live, and why there
    One folder per person, outside ``notebooks/`` and outside the git checkout where possible: nbgitpuller (how
    schools hand out material on a JupyterHub) updates the checkout and must never meet students' files; a teacher's
    ``git status`` stays clean; and answers are never committed by accident. On a JupyterHub the home directory is
    the student's own and persists between sessions. On Binder the home directory *is* the checkout and is thrown
    away when the session ends (so ``.what-went-wrong/`` belongs in ``.gitignore``, and the hand-in file is the only
    way to keep work: see ``session_is_temporary``). Set ``WWW_ANSWERS_DIR`` to put the folder anywhere else.

Layout of the folder (one file per exercise)::

    student.json                      {"format": "what-went-wrong/student", "name": ..., "set_at": ...}
    <exercise_id>.answer.json         latest value + saved_at + notebook, and older versions (at most
                                      HISTORY_LIMIT = 20 of them and HISTORY_MAX_CHARS characters, oldest dropped)
    .lock                             taken (fcntl.flock) for each read-modify-write
    hand-in/                          where export_handin writes by default

    One file per exercise, not per notebook, because (1) a save rewrites only that exercise's record, so it stays
    fast however many answers there are; (2) two notebooks never write the same file, and the lock covers the rare
    case of one exercise open in two kernels; (3) a damaged file costs at most one answer. Writes are atomic: a
    temporary file in the same folder, flushed and fsync'ed, then ``os.replace`` (so a crash or a full disk leaves
    the previous version, never half a file). A file that cannot be read is renamed ``*.corrupt-YYYYMMDDTHHMMSS``,
    reported in ``store.problems``, and that exercise starts empty; every other answer is untouched.

Values
    Any JSON value: None, bool, int, finite float, str, lists/tuples (come back as lists) and dicts with str keys.
    At most MAX_ANSWER_CHARS (100,000) characters once written as JSON: roughly 15,000 words, far beyond any exercise.
    A longer answer is refused with a message, and the previous version stays; nothing is ever cut short. Text keeps
    every character (control characters, right-to-left text, emoji) except lone surrogates, which cannot be stored
    as UTF-8 and are refused. Saving the same value again writes nothing. Shapes the dashboard understands:
    multiple choice → ``{"choice": n, ...}`` or the bare choice (the option's number as in the definition's
    ``answer``, or its text); continuum → ``{"before": int, "after": int, "reason_before": str, "reason": str}``
    (either side may be missing); ranking → list of options, first = most important; free text → str; anything
    else → a dict of named fields (OPVL, compare …).

Exercise ids: lower-case letters, digits, ``-``, ``_`` and ``.``, starting and ending with a letter or digit, at
most 100 characters (they are file names; upper case would collide on macOS and Windows). ``check_exercise_id``.

The hand-in file (``export_handin``)
    One self-contained HTML file per student: a readable, printable summary that opens in any browser without
    Jupyter, and the exact answers as JSON in ``<script type="application/json" id="www-handin">``. HTML rather than a
    zip: a teacher double-clicks it, a browser downloads it as one file, a learning platform accepts it, and nothing
    has to be unpacked. The JSON is pure ASCII with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so no answer
    can end the script block or become markup; the summary is built with ``helpers.html`` (escaped), answers keep
    their direction (``dir="auto"``) and control characters are shown as ``[U+0007]``. The JSON holds
    ``format`` ("what-went-wrong/hand-in"), ``format_version`` (HANDIN_VERSION), ``collection_version``,
    ``student``, ``exported_at`` and ``answers`` (exercise_id, notebook, value, saved_at for each).
    ``read_handin`` refuses foreign, damaged, oversized (MAX_HANDIN_BYTES) and newer-format files with a
    ``HandinError`` whose ``kind`` says which; it reads in linear time and never recurses deeper than MAX_JSON_DEPTH.
    Every page carries a Content-Security-Policy (``csp_meta``): no script runs in it. What a file should not contain
    (active content added after export, impossible dates) goes into ``Handin.notes`` for the teacher's dashboard.
    File names are unique per student (``handin_filename``: ASCII letters of the name + a short hash).

Values are checked against their exercise's type (``helpers/values.py``) on save, restore and hand-in: a value
edited by hand into a shape no widget makes is refused with the exercise and field named, and the rest carries on.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import stat
import tempfile
import threading
import unicodedata
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Protocol

from .html import Markup, csp_meta, el, esc
from .theme import ACCENT, MUTED
from .values import ID_RE as _ID_RE
from .values import ID_RULE
from .values import answer_problem

try:  # POSIX (Linux on Binder and JupyterHub, macOS). Elsewhere saves are atomic but not locked across processes.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

ENV_VAR = "WWW_ANSWERS_DIR"
MAX_ANSWER_CHARS = 100_000
HISTORY_LIMIT = 20  # older versions kept per exercise …
HISTORY_MAX_CHARS = 300_000  # … and at most this many characters of them (oldest dropped first)
NAME_MAX_CHARS = 60
NOTEBOOK_MAX_CHARS = 200
STORE_FORMAT = "what-went-wrong/answer"
STUDENT_FORMAT = "what-went-wrong/student"
HANDIN_FORMAT = "what-went-wrong/hand-in"
STORE_VERSION = 1
HANDIN_VERSION = 1
COLLECTION = "what-went-wrong"
_SUFFIX = ".answer.json"
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Characters that draw nothing but are letters or symbols to Unicode (a name of only these would look blank).
_BLANK_LOOKING = set("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")
_JOINERS = set("\u200c\u200d")  # zero-width (non-)joiners: part of Persian, Indic and emoji spelling
MAX_HANDIN_BYTES = 16_000_000  # far above 40 answers of MAX_ANSWER_CHARS written twice (data + summary)
MAX_JSON_DEPTH = 12
_thread_lock = threading.Lock()


class AnswerError(ValueError):
    """Something about an answer or the store that a student should be told, in words they can act on."""


class StaleAnswers(AnswerError):
    """A notebook still shows answers from before "New student on this computer" (see AnswerStore.generation)."""


class AnswerTooLarge(AnswerError):
    """An answer longer than MAX_ANSWER_CHARS: refused whole, never shortened."""


class HandinError(AnswerError):
    """A file that is not a usable hand-in. ``kind``: corrupt, foreign, too-large, future-format or other-student."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Answer:
    """One saved answer: the value and when (UTC, ISO 8601) and in which notebook it was last saved."""

    exercise_id: str
    value: Any
    saved_at: str
    notebook: str

    @property
    def saved_datetime(self) -> datetime:
        return parse_time(self.saved_at)


@dataclass(frozen=True)
class Handin:
    """A hand-in file's content; ``answers`` maps exercise id → Answer. ``source`` is where it was read from."""

    student: str
    exported_at: str
    collection_version: str
    answers: dict[str, Answer]
    format_version: int = HANDIN_VERSION
    source: str = ""
    notes: tuple[str, ...] = ()  # what looks wrong but did not stop the file from being read (tampering, dates)


@dataclass
class RestoreResult:
    """What ``restore_handin`` did, exercise by exercise."""

    added: list[str] = field(default_factory=list)  # not in the store before
    updated: list[str] = field(default_factory=list)  # the hand-in's answer was newer (the old one went to history)
    kept: list[str] = field(default_factory=list)  # the store's answer was as new or newer
    refused: dict[str, str] = field(default_factory=dict)  # exercise id → why it could not be restored
    unknown: list[str] = field(default_factory=list)  # restored (nothing is lost), but no lesson of this version has it

    def __str__(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{len(self.kept)} already up to date"]
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        text = "Restored answers: " + ", ".join(parts) + "."
        if self.unknown:
            text += (f" {len(self.unknown)} belong to exercises this version of the collection does not have "
                     f"({', '.join(self.unknown[:3])}{'…' if len(self.unknown) > 3 else ''}): kept, but no lesson "
                     "shows them.")
        return text


# ----------------------------------------------------------------------------------------------------------------------
# Small checks and conversions (public: the widgets and the dashboard use them too)
# ----------------------------------------------------------------------------------------------------------------------

def now_utc() -> str:
    """The current time as the store writes it: ISO 8601, UTC, microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """An ISO 8601 time stamp as an aware datetime (naive ones are taken as UTC); ValueError if it is not one."""
    if not isinstance(text, str):
        raise ValueError(f"not a time stamp: {text!r}")
    t = datetime.fromisoformat(text)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def default_root() -> Path:
    """$WWW_ANSWERS_DIR if set, else ~/.what-went-wrong/answers (see the module docstring for why)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if not env:
        return Path.home() / ".what-went-wrong" / "answers"
    path = Path(env).expanduser()
    # A relative path is taken from the home folder, never from the notebook's folder: the lessons (notebooks/) and
    # the teacher's notebooks (notebooks/teacher/) start their kernels in different folders but must share one store.
    return path if path.is_absolute() else Path.home() / path


def session_is_temporary() -> bool:
    """True on mybinder.org and other BinderHubs, whose sessions keep nothing: time to show the hand-in notice.

    BinderHub passes BINDER_REPO_URL, BINDER_REF_URL and others to every session it starts (jupyterhub/binderhub
    pull request #1010, 2019); BINDER_SERVICE_HOST is set by its Kubernetes service.
    """
    return any(os.environ.get(k) for k in ("BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_LAUNCH_HOST",
                                            "BINDER_SERVICE_HOST"))


def validate_student(name: object) -> str:
    """A student's name or pseudonym, trimmed, NFKC-normalised and with runs of spaces made one; AnswerError says
    what to change.

    1–60 characters; no control characters, line breaks, direction overrides or invisible characters (a name is
    shown in lists, where those could hide or reorder other text, or make two names look the same: "Anna" and
    "Anna" followed by a zero-width space). NFKC folds look-alike forms (full-width letters, ligatures) into one.
    Letters of every script, and emoji, are welcome.

    >>> validate_student("  Zoë   K. ")
    'Zoë K.'
    >>> validate_student("Anna\u200b")
    Traceback (most recent call last):
    ...
    helpers.answers.AnswerError: The name contains invisible characters (U+200B); please type it again.
    """
    if not isinstance(name, str):
        raise AnswerError("Type your name or a pseudonym.")
    normal = unicodedata.normalize("NFKC", name).strip()
    bad = [c for c in normal if unicodedata.category(c) in ("Cc", "Cs", "Co", "Zl", "Zp") or c in _BIDI_CONTROLS]
    if bad:
        shown = ", ".join(sorted({f"U+{ord(c):04X}" for c in bad}))
        raise AnswerError(f"The name contains invisible control characters ({shown}); please type it again.")
    clean = " ".join(normal.split())
    if not clean:
        raise AnswerError("Type your name or a pseudonym (it cannot be empty).")
    if len(clean) > NAME_MAX_CHARS:
        raise AnswerError(f"That name is {len(clean)} characters long; please use at most {NAME_MAX_CHARS}.")
    hidden = [c for i, c in enumerate(clean) if _invisible(clean, i)]
    if hidden:
        shown = ", ".join(sorted({f"U+{ord(c):04X}" for c in hidden}))
        raise AnswerError(f"The name contains invisible characters ({shown}); please type it again.")
    if not any(unicodedata.category(c)[0] in "LNS" for c in clean):
        raise AnswerError("A name needs at least one letter, digit or symbol you can see.")
    return clean


def _invisible(text: str, i: int) -> bool:
    """True if ``text[i]`` draws nothing where it stands: format characters (zero-width space, word joiner…),
    blank-looking letters, a joiner not between two visible characters, a combining mark with nothing to sit on."""
    c = text[i]
    category = unicodedata.category(c)
    inside = 0 < i < len(text) - 1 and not text[i - 1].isspace() and not text[i + 1].isspace()
    if c in _BLANK_LOOKING:
        return True
    if c in _JOINERS:
        return not inside
    if category in ("Mn", "Me"):
        return i == 0 or text[i - 1].isspace()
    return category in ("Cf", "Cn")


def student_key(name: str) -> str:
    """A form of a name for telling whether two hand-ins come from the same student (case and spacing ignored)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_exercise_id(exercise_id: object) -> str:
    """The id unchanged if it can name a file everywhere (see the module docstring), else AnswerError."""
    if not isinstance(exercise_id, str) or not _ID_RE.fullmatch(exercise_id):
        raise AnswerError(f"{exercise_id!r} is not a usable exercise id: {ID_RULE}.")
    return exercise_id


def _check_notebook(notebook: object) -> str:
    if not isinstance(notebook, str) or not notebook.strip() or len(notebook) > NOTEBOOK_MAX_CHARS or any(
            unicodedata.category(c) == "Cc" for c in notebook):
        raise AnswerError(f"{notebook!r} is not a usable notebook name (1–{NOTEBOOK_MAX_CHARS} characters, "
                          "no control characters).")
    return notebook.strip()


MAX_INT_DIGITS = 30  # far beyond any figure an estimate asks for; 5,000 digits would not even print


def _plain(value: Any, path: str = "answer", _depth: int = 0, _open: frozenset[int] = frozenset()) -> Any:
    """The value as plain JSON data (tuples become lists); AnswerError names the part that cannot be stored: a value
    nested deeper than MAX_JSON_DEPTH or containing itself, a number that is not finite or has more than
    MAX_INT_DIGITS digits, a broken character, or a type JSON does not have.

    >>> loop = []; loop.append(loop); _plain(loop)
    Traceback (most recent call last):
    ...
    helpers.answers.AnswerError: answer[0] contains itself, which cannot be stored.
    """
    if _depth > MAX_JSON_DEPTH:
        raise AnswerError(f"{path} is nested more than {MAX_JSON_DEPTH} levels deep, which no exercise needs; "
                          "it cannot be stored.")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) >= 10 ** MAX_INT_DIGITS:
            raise AnswerError(f"{path} has more than {MAX_INT_DIGITS} digits; enter a smaller number.")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AnswerError(f"{path} is {value}, which cannot be stored; enter a number.")
        return value
    if isinstance(value, str):
        if any("\ud800" <= c <= "\udfff" for c in value):
            raise AnswerError(f"{path} contains a broken character (a lone surrogate); please type that part again.")
        return value
    if isinstance(value, (list, tuple, dict)):
        if id(value) in _open:
            raise AnswerError(f"{path} contains itself, which cannot be stored.")
        inner = _open | {id(value)}
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if not isinstance(k, str):
                    raise AnswerError(f"{path} has a key {k!r} that is not text; only text keys can be stored.")
                out[_plain(k, f"{path} key", _depth + 1, inner)] = _plain(v, f"{path}[{k!r}]", _depth + 1, inner)
            return out
        return [_plain(v, f"{path}[{i}]", _depth + 1, inner) for i, v in enumerate(value)]
    raise AnswerError(f"{path} is a {type(value).__name__}, which cannot be stored (use text, numbers, lists).")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def answer_size(value: Any) -> int:
    """The size of a value as the limit counts it: the characters a student typed or chose, plus one for each
    separating mark, never the escapes JSON adds (60,000 typed quote marks count 60,000, not 120,002).

    >>> answer_size('"' * 10), answer_size({"a": ["xy", 3]})
    (10, 9)
    """
    size, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            size += len(item)
        elif isinstance(item, dict):
            size += 1 + len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            size += 1 + len(item)
            stack.extend(item)
        else:
            size += len(str(item))
    return size


def _check_size(value: Any, exercise_id: str) -> None:
    size = answer_size(value)
    if size > MAX_ANSWER_CHARS:
        raise AnswerTooLarge(
            f"The answer to {exercise_id} is {size:,} characters long; the limit is {MAX_ANSWER_CHARS:,} "
            f"(roughly 15,000 words). It was not saved and your previous answer is kept: shorten it, or keep the long "
            f"text in a document of its own.")


def visible_text(text: str) -> str:
    """Text with control characters made visible as ``[U+0007]`` (line breaks and tabs kept; CR LF → LF).

    Used wherever a student's text is shown to a person (hand-in summary, dashboard), so nothing is invisible.
    """
    text = text.replace("\r\n", "\n")
    if not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        return text
    return "".join(f"[U+{ord(c):04X}]" if unicodedata.category(c) == "Cc" and c not in "\n\t" else c for c in text)


def is_empty(value: Any) -> bool:
    """True for no answer at all: None, blank text, an empty list or dict, or a dict/list of only empty parts."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return all(is_empty(v) for v in value)
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    return False


@cache
def collection_version() -> str:
    """The collection's version: installed package metadata, else pyproject.toml, else "unknown"."""
    from importlib import metadata

    try:
        return metadata.version(COLLECTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        import tomllib

        data = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
        return str(data["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


# ----------------------------------------------------------------------------------------------------------------------
# Files: atomic writes, the lock, setting damaged files aside
# ----------------------------------------------------------------------------------------------------------------------

def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: temp file in the same folder, fsync, os.replace, fsync folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":  # make the rename itself durable
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        except OSError:  # some file systems refuse fsync on a folder; the data itself is safe
            pass
        finally:
            os.close(dfd)


class _TooLarge(OSError):
    pass


def _read_regular(path: Path, limit: int) -> bytes:
    """A regular file's bytes; OSError for anything else (a folder, a FIFO that would block, a device) or a file
    over ``limit`` bytes, so that a stray object where a file should be can never hang or exhaust the kernel."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        if info.st_size > limit:
            raise _TooLarge(f"{path.name} is {info.st_size:,} bytes, more than the {limit:,} allowed")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit + 1)
    finally:
        os.close(fd)


_JSON_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET_RE = re.compile(r"[^\[\]{}]+")


def _loads(raw: bytes | str, finite: bool = False) -> Any:
    """JSON with nesting limited to MAX_JSON_DEPTH, checked first in linear time (strings dropped, brackets
    counted), so a value nested thousands of levels deep is refused with a reason instead of a RecursionError.
    ``finite``: NaN and Infinity refuse the whole text (an answer file); without it they are read, and a hand-in's
    answer holding one is refused on its own by the value checks while the others still count.

    >>> _loads('{"a": [1, "]]]"]}')
    {'a': [1, ']]]']}
    """
    text = raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw
    depth = 0
    for ch in _NOT_BRACKET_RE.sub("", _JSON_STRING_RE.sub("", text)):
        depth += 1 if ch in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
    return json.loads(text, parse_constant=_not_a_number) if finite else json.loads(text)


def _not_a_number(word: str) -> Any:
    """JSON's NaN and Infinity are no answer: refusing them when read keeps them out of every later save."""
    raise ValueError(f"it holds {word}, which is not a number an answer can have")


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")


class AnswerStore:
    """One student's answers in one folder (see the module docstring). Cheap to create; holds no open files."""

    def __init__(self, root: Path | str | None = None, student: str | None = None):
        self.root = Path(root).expanduser() if root is not None else default_root()
        self.problems: list[str] = []  # messages for the student, oldest first
        self.listeners: dict[str, Callable[[], None]] = {}  # called after every change, e.g. to refresh a hand-in
        if student is not None:
            self.set_student(student)

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.root)!r}, student={self.student!r})"

    # -- identity ------------------------------------------------------------------------------------------------------
    @property
    def student(self) -> str | None:
        """The name or pseudonym answers are saved under, or None if it has not been given yet.

        Read from disk each time (a tiny file), so a name given in one notebook is seen at once in the others.
        """
        return self._read_student()

    def set_student(self, name: str) -> str:
        """Validate and keep the student's name (replacing a previous one); returns the cleaned name."""
        clean = validate_student(name)
        record = {"format": STUDENT_FORMAT, "format_version": STORE_VERSION, "name": clean, "set_at": now_utc()}
        try:
            with self._locked():
                self._write(self.root / "student.json", record)
        except OSError as e:
            raise AnswerError(f"Your name could not be saved: {self.folder_trouble(e)}") from e
        self.changed()
        return clean

    def generation(self) -> str:
        """Which student's turn the folder is on: a token that "New student on this computer" (:meth:`archive`)
        changes. A notebook remembers it when it shows the answers; a save made for an older turn is refused
        (:class:`StaleAnswers`), so a lesson left open by the previous student can never save their answer, or the
        rest of it, for the next one.

        >>> import tempfile
        >>> s = AnswerStore(tempfile.mkdtemp(), student="Ada"); before = s.generation()
        >>> _ = s.archive(); s.generation() != before
        True
        """
        try:
            return (self.root / ".generation").read_text(encoding="ascii", errors="replace").strip()[:64]
        except OSError:
            return ""

    def archive(self) -> Path | None:
        """Put every answer, the name and earlier hand-ins aside in ``archive/<time>/`` inside the folder, so the
        next student on a shared computer starts empty; nothing is deleted (a teacher can move them back). Returns
        the archive folder, or None when there was nothing to put aside.

        >>> import tempfile
        >>> s = AnswerStore(tempfile.mkdtemp(), student="Ada")
        >>> s.archive().parent.name, s.student
        ('archive', None)
        """
        try:
            with self._locked():
                items = [p for p in self.root.iterdir() if p.name not in ("archive", ".lock", ".generation")]
                write_atomic(self.root / ".generation", uuid.uuid4().hex.encode("ascii"))  # a new student's turn
                if not items:
                    return None
                target = self.root / "archive" / _stamp()
                n = 1
                while target.exists():
                    n += 1
                    target = target.with_name(f"{_stamp()}-{n}")
                target.mkdir(parents=True)
                for p in items:
                    os.replace(p, target / p.name)
        except OSError as e:
            raise AnswerError(f"The previous answers could not be put aside: {self.folder_trouble(e)}") from e
        self.changed()
        return target

    def changed(self) -> None:
        """Tell every listener that the name or an answer changed (a listener's failure is noted, never raised:
        the answer is already safe on disk).

        >>> s = AnswerStore(__import__("tempfile").mkdtemp())
        >>> s.listeners["demo"] = lambda: print("refreshed")
        >>> _ = s.set_student("Ada")
        refreshed
        """
        for name, listener in list(self.listeners.items()):
            try:
                listener()
            except Exception as e:  # noqa: BLE001 — a display problem must never undo or block a save
                self._note(f"{name} could not be refreshed: {e}")

    STALE_SECONDS = 600  # a save takes milliseconds: a temporary file this old was left by a killed kernel

    def clean_stale(self) -> int:
        """Remove temporary files a killed save left behind (``.tmp-*.part`` older than STALE_SECONDS) in the
        folder and its hand-in folder; returns how many. Run once when a kernel first opens the store.

        >>> import tempfile, pathlib, os
        >>> s = AnswerStore(tempfile.mkdtemp()); s.root.mkdir(exist_ok=True)
        >>> old = s.root / ".tmp-x.part"; _ = old.write_bytes(b"half"); os.utime(old, (0, 0))
        >>> s.clean_stale(), old.exists()
        (1, False)
        """
        removed, cutoff = 0, datetime.now().timestamp() - self.STALE_SECONDS
        for folder in (self.root, self.root / "hand-in"):
            try:
                parts = [p for p in folder.glob(".tmp-*.part") if p.stat().st_mtime < cutoff]
            except OSError:
                continue
            for part in parts:
                with suppress(OSError):
                    part.unlink()
                    removed += 1
        return removed

    def folder_problem(self) -> str | None:
        """Why the answers folder cannot be used, checked before the first save (None when it can): a file or a
        device where the folder should be, or a folder that cannot be created or written.

        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "a-file"; _ = f.write_text("x")
        >>> AnswerStore(f).folder_problem().startswith(f"{f} is a file")
        True
        """
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not os.access(self.root, os.W_OK | os.X_OK):
                raise PermissionError(13, "read-only")
        except OSError as e:
            return self.folder_trouble(e)
        return None

    def folder_trouble(self, error: OSError) -> str:
        """A plain sentence on why the answers folder cannot be used, and what to do about it."""
        root = self.root
        if root.exists() and not root.is_dir():
            what = f"{root} is {'a file' if root.is_file() else 'not a folder'}, but answers need a folder there"
        elif isinstance(error, PermissionError) or (root.is_dir() and not os.access(root, os.W_OK)):
            what = f"the answers folder {root} is read-only"
        else:
            what = f"the answers folder {root} cannot be written ({error.strerror or error})"
        return (f"{what}. Ask your teacher or the hub's administrator to fix it, or set {ENV_VAR} to a folder you "
                "can write. Nothing you saved before is lost.")

    def _read_student(self) -> str | None:
        path = self.root / "student.json"
        try:
            data = _loads(_read_regular(path, 10_000))
            if not (isinstance(data, dict) and data.get("format") == STUDENT_FORMAT):
                raise ValueError("not a student file")
            return validate_student(data.get("name"))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as e:
            self._note(f"The file with your name ({path}) cannot be read: {e.strerror or e}. Please enter your name "
                       "again, or ask your teacher to look at the folder.")
            return None
        except (ValueError, UnicodeDecodeError) as e:
            self._set_aside(path, f"the file with your name could not be read ({e})", "Please enter your name again.")
            return None

    # -- answers -------------------------------------------------------------------------------------------------------
    def path_for(self, exercise_id: str) -> Path:
        """The file that holds one exercise's answer and its history."""
        return self.root / f"{check_exercise_id(exercise_id)}{_SUFFIX}"

    def save(self, exercise_id: str, value: Any, notebook: str) -> Answer:
        """Save a new value for an exercise now, atomically; the previous value goes into its history.

        Saving the value that is already stored writes nothing. Raises AnswerError (AnswerTooLarge for a value over
        MAX_ANSWER_CHARS) with a message for the student; the previous answer is then still there.
        """
        return self.update(exercise_id, lambda _current: value, notebook)

    def update(self, exercise_id: str, change: Callable[[Any], Any], notebook: str,
               generation: str | None = None) -> Answer:
        """Save ``change(current value)``, reading and writing under one lock: an answer two notebooks keep parts
        of (a continuum's "before" in one lesson, "after" in another) never loses the part the other just saved.
        Checked like :meth:`save`; with ``generation`` (what :meth:`generation` was when the answer was shown),
        refused with StaleAnswers if a new student has started since.

        >>> import tempfile
        >>> s = AnswerStore(tempfile.mkdtemp())
        >>> _ = s.save("x", {"before": 2}, "a"); s.update("x", lambda v: {**v, "after": 5}, "b").value
        {'before': 2, 'after': 5}
        """
        eid = check_exercise_id(exercise_id)

        def checked(current: Any) -> Any:
            if generation is not None and generation != self.generation():
                raise StaleAnswers("This notebook still shows the answers of the student before “New student on "
                                   "this computer”, so nothing was saved. Run the notebook again (Run → Run All "
                                   "Cells) to start with your own answers.")
            plain = _plain(change(current), f"the answer to {eid}")
            _check_size(plain, eid)
            if problem := answer_problem(eid, plain):
                raise AnswerError(f"Not saved: {problem}.")
            return plain

        answer = self._put(eid, checked, _check_notebook(notebook), None)
        self.changed()
        return answer

    def load(self, exercise_id: str) -> Any:
        """The latest value saved for an exercise, or None."""
        a = self.answer(exercise_id)
        return None if a is None else a.value

    def answer(self, exercise_id: str) -> Answer | None:
        """The latest Answer (value, saved_at, notebook) for an exercise, or None."""
        record = self._read_record(check_exercise_id(exercise_id))
        return None if record is None else _answer(record)

    def history(self, exercise_id: str) -> list[Answer]:
        """Every kept version of an exercise's answer, newest (the current one) first."""
        record = self._read_record(check_exercise_id(exercise_id))
        if record is None:
            return []
        return [_answer(record)] + [Answer(record["exercise_id"], h["value"], h["saved_at"], h["notebook"])
                                    for h in record["history"]]

    def all(self) -> dict[str, Answer]:
        """The latest answer to every exercise in the store, by exercise id (sorted)."""
        out = {}
        if not self.root.is_dir():
            return out
        for path in sorted(self.root.glob(f"*{_SUFFIX}")):
            eid = path.name[: -len(_SUFFIX)]
            if _ID_RE.fullmatch(eid):
                try:
                    record = self._read_record(eid)
                except AnswerError as e:  # e.g. saved by a newer version: left alone, every other answer still counts
                    self._note(str(e))
                    continue
                if record is not None:
                    out[eid] = _answer(record)
        return out

    def _note(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)
            log.warning(message)

    # -- internals -----------------------------------------------------------------------------------------------------
    def _put(self, eid: str, value: Any, notebook: str, saved_at: str | None) -> Answer:
        """Write a new current value (with its history) under the lock. ``saved_at`` None means now. ``value`` may be
        a function of the current value (None if there is none), called under the lock."""
        try:
            with self._locked():
                old = self._read_record(eid, locked=True)
                if callable(value):
                    value = value(None if old is None else old["value"])
                if old is not None and saved_at is None and _dumps(old["value"]) == _dumps(value) \
                        and old["notebook"] == notebook:
                    return _answer(old)  # nothing changed: no write, no history entry
                history = []
                if old is not None:
                    history = [{"value": old["value"], "saved_at": old["saved_at"], "notebook": old["notebook"]},
                               *old["history"]]
                record = {"format": STORE_FORMAT, "format_version": STORE_VERSION, "exercise_id": eid,
                          "notebook": notebook, "value": value, "saved_at": saved_at or now_utc(),
                          "history": _trim(history)}
                self._write(self.path_for(eid), record)
                return _answer(record)
        except OSError as e:
            raise AnswerError(f"Your answer to {eid} could not be saved: {self.folder_trouble(e)}") from e

    def _write(self, path: Path, record: dict) -> None:
        write_atomic(path, _dumps(record).encode("utf-8"))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the store's lock (threads in this process, and other processes via flock on .lock)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with _thread_lock:
            fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the flock

    def _read_record(self, eid: str, locked: bool = False) -> dict | None:
        """An exercise's record, checked; None if absent. A damaged file is set aside (re-checked under the lock)."""
        path = self.path_for(eid)
        try:
            raw = _read_regular(path, MAX_ANSWER_CHARS * 4 + HISTORY_MAX_CHARS * 4 + 100_000)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise AnswerError(f"The saved answer to {eid} ({path.name} in {path.parent}) cannot be read: "
                              f"{e.strerror or e}. It was left as it is; ask your teacher to look at it. Your other "
                              "answers are not affected.") from None
        try:
            return _check_record(_loads(raw, finite=True), eid)
        except _NewerFormat as e:
            raise AnswerError(f"The answer to {eid} was saved by a newer version of this collection ({e}); "
                              "update the collection to read it. The file was left as it is.") from None
        except (ValueError, UnicodeDecodeError, RecursionError) as e:
            reason = str(e) or type(e).__name__
        if locked:
            self._set_aside(path, f"the saved answer to {eid} could not be read ({reason})",
                            "That exercise starts empty; your other answers are kept.", locked=True)
            return None
        with self._locked():  # another process may have repaired or replaced it meanwhile
            return self._read_record(eid, locked=True)

    def _set_aside(self, path: Path, what: str, then: str, locked: bool = False) -> None:
        """Rename a damaged file to *.corrupt-TIMESTAMP and record a message; never deletes anything."""
        if not locked:
            try:
                with self._locked():
                    return self._set_aside(path, what, then, locked=True)
            except OSError as e:
                self._note(f"{what[0].upper()}{what[1:]} ({self.folder_trouble(e)}) {then}")
                return None
        target = path.with_name(f"{path.name}.corrupt-{_stamp()}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.corrupt-{_stamp()}-{n}")
        try:
            os.replace(path, target)
        except FileNotFoundError:
            return
        except OSError as e:  # e.g. a read-only folder: report it, leave the file where it is
            self._note(f"{what[0].upper()}{what[1:]}, and it could not be set aside ({e.strerror or e}). {then}")
            return
        message = f"{what[0].upper()}{what[1:]}. It was set aside as {target.name} in {path.parent}. {then}"
        self.problems.append(message)
        log.warning(message)


class _NewerFormat(ValueError):
    pass


def _check_record(data: Any, eid: str) -> dict:
    """A record read from disk, checked field by field; ValueError says what is wrong."""
    if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
        raise ValueError("not an answer file")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("no format version")
    if version > STORE_VERSION:
        raise _NewerFormat(f"format {version}; this version reads format {STORE_VERSION}")
    if data.get("exercise_id") != eid:
        raise ValueError(f"it holds exercise {data.get('exercise_id')!r}")
    if "value" not in data or not isinstance(data.get("notebook"), str):
        raise ValueError("value or notebook missing")
    try:  # the same checks as a save: an answer edited on disk into another shape never reaches a widget
        _plain(data["value"], "its answer")
    except AnswerError as e:
        raise ValueError(str(e)) from None
    if problem := answer_problem(eid, data["value"]):
        raise ValueError(f"its answer does not fit the exercise: {problem}")
    parse_time(data.get("saved_at"))
    history = data.get("history")
    if not isinstance(history, list) or not all(
            isinstance(h, dict) and "value" in h and isinstance(h.get("notebook"), str)
            and parse_time(h.get("saved_at")) for h in history):
        raise ValueError("history damaged")
    return data


def _answer(record: dict) -> Answer:
    return Answer(record["exercise_id"], record["value"], record["saved_at"], record["notebook"])


def _trim(history: list[dict]) -> list[dict]:
    """At most HISTORY_LIMIT versions and HISTORY_MAX_CHARS characters of values, newest kept."""
    out, total = [], 0
    for h in history[:HISTORY_LIMIT]:
        total += len(_dumps(h["value"]))
        if out and total > HISTORY_MAX_CHARS:
            break
        out.append(h)
    return out


# ----------------------------------------------------------------------------------------------------------------------
# Hand-in: build, render as HTML, write, read back, restore
# ----------------------------------------------------------------------------------------------------------------------

def build_handin(store: AnswerStore, now: datetime | None = None) -> Handin:
    """Every latest answer in the store with the student's name; AnswerError if no name has been given yet."""
    if store.student is None:
        raise AnswerError("Enter your name or pseudonym first, so your teacher knows whose answers these are.")
    exported = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    answers = {}
    for eid, a in store.all().items():
        problem = answer_problem(eid, a.value)
        if problem:  # e.g. a file edited by hand: left on disk, reported, and the other answers still hand in
            store._note(f"Not handed in: {problem}. The saved file {store.path_for(eid).name} was left as it is.")
            continue
        answers[eid] = a
    return Handin(store.student, exported, collection_version(), answers)


def handin_filename(student: str) -> str:
    """A safe, recognisable and unique file name: ``what-went-wrong-handin-<ASCII letters of the name>-<8 hex>.html``.

    The name's ASCII letters keep it recognisable in any folder listing and safe for any script; the short hash of
    the whole name (case and spacing ignored, as ``student_key``) keeps Zoë and Zoe, or two names in Chinese, apart
    when a teacher collects them in one folder.

    >>> handin_filename("Zoë") != handin_filename("Zoe")
    True
    >>> handin_filename("Zoë").startswith("what-went-wrong-handin-zoe-")
    True
    """
    ascii_name = unicodedata.normalize("NFKD", student).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "student"
    digest = hashlib.sha256(student_key(student).encode("utf-8")).hexdigest()[:8]
    return f"{COLLECTION}-handin-{slug}-{digest}.html"


def handin_data(handin: Handin) -> dict:
    """The machine-readable part of a hand-in as a JSON-able dict."""
    answers = sorted(handin.answers.values(), key=lambda a: (a.notebook, a.exercise_id))
    return {"format": HANDIN_FORMAT, "format_version": HANDIN_VERSION, "collection": COLLECTION,
            "collection_version": handin.collection_version, "student": handin.student,
            "exported_at": handin.exported_at,
            "answers": [{"exercise_id": a.exercise_id, "notebook": a.notebook, "saved_at": a.saved_at,
                         "value": a.value} for a in answers]}


def _script_json(data: dict) -> Markup:
    """JSON that is safe inside <script>: ASCII only, and no <, > or & at all (written as \\u003c etc.)."""
    text = json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# The hand-in's own small style sheet (not the notebooks' theme: the file must look the same, and the committed sample
# class stay byte for byte the same, whatever the notebook views' CSS becomes). Colours from the theme's palette.
HANDIN_CSS = f"""
body{{margin:1.5em auto;padding:0 1em;max-width:56em;background:#fff;color:#111;
  font:19px/1.6 Georgia,'Times New Roman',serif}}
h1,h2,h3,.www-meta,.www-note{{font-family:system-ui,'Segoe UI',Arial,sans-serif}}
h1{{font-size:1.6em;margin:.3em 0}} h2{{font-size:1.25em;margin:1.2em 0 .3em;color:{ACCENT}}}
.www-meta,.www-note{{font-size:15px;color:{MUTED};margin:.2em 0}}
.www-answer{{border-top:1px solid #bbb;padding:.4em 0 .6em;break-inside:avoid}}
.www-answer h3{{font-size:1em;margin:.2em 0}}
.www-value{{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext;border-left:4px solid {ACCENT};
  padding:.1em 0 .1em .8em;margin:.3em 0}}
.www-value ol,.www-value dl{{margin:.2em 0}} .www-value dt{{font-weight:700}}
.www-empty{{color:{MUTED};font-style:italic}}
@media print{{body{{margin:0;max-width:none;font-size:12pt}}}}
"""


def value_html(value: Any) -> Markup:
    """A value as escaped, readable HTML: lists numbered, dicts as labels; put it in an element with dir="auto"."""
    if is_empty(value) and not isinstance(value, (bool, int, float)):
        return el("span", "(no answer)" if value is None else "(empty)", class_="www-empty")
    if isinstance(value, str):  # the enclosing element carries dir="auto" (a child with its own dir would hide
        return esc(visible_text(value))  # the text from it)
    if isinstance(value, list):
        return el("ol", *[el("li", value_html(v), dir="auto") for v in value])
    if isinstance(value, dict):
        return el("dl", *[Markup(el("dt", visible_text(k.replace("_", " ").capitalize()), dir="auto")
                                 + el("dd", value_html(v), dir="auto"))
                          for k, v in value.items()])
    return esc(json.dumps(value))


class Presenter(Protocol):
    """How a hand-in names and shows answers (``helpers.worksheet`` is the collection's; tests may pass others)."""

    def title(self, exercise_id: str) -> str: ...

    def readable(self, exercise_id: str, value: Any) -> Any: ...

    def sort_key(self, exercise_id: str) -> Any: ...

    def lesson_heading(self, notebook: str) -> str: ...


def handin_html(handin: Handin, labels: Mapping[str, str] | None = None, presenter: Presenter | None = None) -> str:
    """The whole hand-in file: printable summary + embedded JSON (the values exactly as stored).

    ``presenter`` (e.g. the module ``helpers.worksheet``) makes the summary read like a worksheet: lessons in
    teaching order under their titles, each exercise's title and question, and each answer in the words the student
    saw. Without it, ``labels`` (exercise id → title) or the bare ids are shown, sorted by notebook and id."""
    labels = labels or {}
    by_notebook: dict[str, list[Answer]] = {}
    key = (lambda a: (presenter.sort_key(a.exercise_id), a.notebook)) if presenter else \
        (lambda a: (a.notebook, a.exercise_id))
    for a in sorted(handin.answers.values(), key=key):
        by_notebook.setdefault(a.notebook, []).append(a)
    sections = []
    for notebook, answers in by_notebook.items():
        items = [el("article",
                    el("h3", presenter.title(a.exercise_id) if presenter
                       else labels.get(a.exercise_id) or a.exercise_id, dir="auto"),
                    el("p", f"saved {a.saved_at[:19].replace('T', ' ')} UTC", class_="www-meta"),
                    el("div", value_html(presenter.readable(a.exercise_id, a.value) if presenter else a.value),
                       class_="www-value", dir="auto"),
                    class_="www-answer", id=f"answer-{a.exercise_id}")
                 for a in answers]
        heading = presenter.lesson_heading(notebook) if presenter else f"Notebook: {notebook}"
        sections.append(el("section", el("h2", heading, dir="auto"), *items))
    n = len(handin.answers)
    main = el("main",
              el("h1", "Hand-in: ", el("bdi", handin.student)),
              el("p", f"What Went Wrong? (collection version {handin.collection_version}) · exported "
                      f"{handin.exported_at[:19].replace('T', ' ')} UTC · {n} answer{'s' if n != 1 else ''}",
                 class_="www-meta"),
              el("p", "A student's answers from the What Went Wrong? notebooks. Open it in any browser or print it. "
                      "The same answers are stored inside this file for the teacher's dashboard and for restoring "
                      "them into a notebook: please do not edit it.", class_="www-note"),
              *(sections or [el("p", "No answers yet.", class_="www-empty")]),
              el("script", _script_json(handin_data(handin)), type="application/json", id="www-handin"),
              class_="www-handin")
    head = el("head", el("meta", charset="utf-8"), csp_meta(),
              el("meta", name="viewport", content="width=device-width, initial-scale=1"),
              el("title", f"Hand-in: {handin.student} (What Went Wrong?)"),
              el("style", Markup(" ".join(HANDIN_CSS.split()))))
    return "<!DOCTYPE html>\n" + el("html", head, el("body", main), lang="en") + "\n"


def export_handin(store: AnswerStore, path: Path | str | None = None, *,
                  labels: Mapping[str, str] | None = None, presenter: Presenter | None = None) -> Path:
    """Write the student's hand-in file (all latest answers) and return its path.

    ``path`` None: ``<store root>/hand-in/<handin_filename>``; a folder: that file name inside it. Overwrites an
    earlier export of the same name (the newest is the one to hand in). AnswerError if no name is set yet.
    """
    handin = build_handin(store)
    target = Path(path) if path is not None else store.root / "hand-in"
    if path is None or target.is_dir():
        target = target / handin_filename(handin.student)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, handin_html(handin, labels, presenter).encode("utf-8"))
        os.chmod(target, 0o644)  # a file to hand on: readable like any download (the store's own files stay 0600)
    except OSError as e:
        raise AnswerError(f"The hand-in file could not be written in {target.parent} ({e.strerror or e}); your answers "
                          f"are safe. Ask your teacher for a folder you can write, or set {ENV_VAR}.") from e
    return target


_HANDIN_TITLE_RE = re.compile(r"<title>Hand-in: [^<]{0,300} \(What Went Wrong\?\)</title>")  # head of a file cut off
_DATA_OPEN = re.compile(r"<script\b[^<>]{0,200}?\bid\s*=\s*[\"']?www-handin\b[^<>]{0,200}>", re.I)
_DATA_CLOSE = re.compile(r"</script\s*>", re.I)


def read_handin(source: Path | str | bytes, name: str | None = None) -> Handin:
    """Read a hand-in file (its path, or its bytes as uploaded, then named ``name``: e.g. a file inside a learning
    platform's zip). HandinError for foreign, damaged, oversized or newer files; the message names the file and says
    what to do.

    Linear in the file's size (one search for the data block, one for its end; no backtracking pattern), and files
    over MAX_HANDIN_BYTES are refused before they are read. A bare JSON file with the same content is accepted too.
    """
    if isinstance(source, (bytes, bytearray)):
        raw, name = bytes(source), name or "the uploaded file"
        if len(raw) > MAX_HANDIN_BYTES:
            raise HandinError("too-large", f"{name}: {len(raw):,} bytes, more than the {MAX_HANDIN_BYTES:,} a "
                                           "hand-in can have. It is not a hand-in made by this collection.")
    else:
        p = Path(source)
        name = p.name
        try:
            raw = _read_regular(p, MAX_HANDIN_BYTES)
        except OSError as e:
            kind = "too-large" if isinstance(e, _TooLarge) else "foreign"
            raise HandinError(kind, f"{name}: could not be opened ({e.strerror or e}).") from e
    text = _decode(raw)
    start = None
    if text.lstrip().startswith("{"):
        payload = text
    else:
        start = _DATA_OPEN.search(text)
        end = _DATA_CLOSE.search(text, start.end()) if start else None
        if end is None:
            if start is not None or 'class="www-handin"' in text or _HANDIN_TITLE_RE.search(text[:4000]):
                raise HandinError("corrupt", f"{name}: looks like a hand-in, but its answer data is cut off or "
                                             "damaged (was the download interrupted?). Ask for it again.")
            raise HandinError("foreign", f"{name}: not a What Went Wrong? hand-in file.")
        payload = text[start.end():end.start()]
        text = text[:start.start()] + text[end.end():]  # the page around the data block, for the checks below
    try:
        data = _loads(payload)
    except (ValueError, RecursionError) as e:
        raise HandinError("corrupt", f"{name}: the answer data inside is damaged ({e}). Ask for it again.") from None
    handin = _check_handin(data, name, str(source) if not isinstance(source, (bytes, bytearray)) else
                           (name if name is not None else ""), in_page=start is not None)
    notes = handin.notes + tuple(f"{name}: {n}" for n in active_content(text) + summary_mismatch(text, handin))
    return replace(handin, notes=notes)


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8"))


def _decode(raw: bytes) -> str:
    """A file's text: UTF-8, or UTF-16/UTF-32 as an editor may re-save a hand-in (told by its byte-order mark, or by
    the zero bytes of a page without one); undecodable bytes become U+FFFD.

    >>> _decode("<p>é</p>".encode("utf-16")), _decode("<p>é</p>".encode("utf-32-le"))
    ('<p>é</p>', '<p>é</p>')
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, errors="replace")
    head = raw[:64]
    if head and head.count(0) >= len(head) // 2:  # ASCII markup in UTF-16 or -32 without a mark
        zeros_first = head[0] == 0
        codec = ("utf-32" if head[:4].count(0) == 3 else "utf-16") + ("-be" if zeros_first else "-le")
        return raw.decode(codec, errors="replace")
    return raw.decode("utf-8", errors="replace")


_ANSWER_ID_RE = re.compile(r'id="answer-([a-z0-9._-]{1,100})"')
SUMMARY_CHECK_MAX_CHARS = 2_000_000  # the word-for-word check below reads the page once per written answer


def summary_mismatch(page: str, handin: Handin) -> list[str]:
    """Whether the readable summary of a hand-in page (its data block removed) still says what its data says: the
    same exercises, and every written answer word for word. A difference means the page was edited after export.
    Pages of the collection's hand-in format only (a bare JSON hand-in has no summary).

    >>> h = Handin("Ada", "2026-01-01T00:00:00+00:00", "1", {"x": Answer("x", "mine", "2026-01-01T00:00:00", "n")})
    >>> summary_mismatch('<main class="www-handin"><article id="answer-x">mine</article></main>', h)
    []
    >>> summary_mismatch('<main class="www-handin"><article id="answer-x">yours</article></main>', h)[0][:40]
    'its readable summary differs from its da'
    """
    if 'class="www-handin"' not in page:
        return []
    shown = set(_ANSWER_ID_RE.findall(page))
    differ = sorted(shown ^ set(handin.answers))
    if len(page) <= SUMMARY_CHECK_MAX_CHARS:
        differ += sorted(eid for eid, a in handin.answers.items() if isinstance(a.value, str)
                         and a.value.strip() and str(esc(visible_text(a.value))) not in page)
    if not differ:
        return []
    return [f"its readable summary differs from its data ({', '.join(differ[:3])}{'…' if len(differ) > 3 else ''}): "
            "it was edited after export; the dashboard uses the data"]


_ACTIVE_RE = re.compile(r"<\s*(?:script|iframe|object|embed|form|base|link|meta\s+http-equiv\s*=\s*[\"']?refresh)\b"
                        r"|\bon[a-z]+\s*=|javascript\s*:", re.I)


def active_content(page: str) -> list[str]:
    """What in a page (without its data block) could run or load something: the collection never writes any of it.

    >>> active_content('<p onclick="x()">hi</p><script>alert(1)</script>')[0][:70]
    'it contains active content the collection never writes (<script, oncli'
    """
    found = sorted({re.sub(r"\s+", "", m.group(0)).lower() for m in _ACTIVE_RE.finditer(page)})
    if not found:
        return []
    return [f"it contains active content the collection never writes ({', '.join(found[:5])}): do not open it in a "
            "browser; its answers are read from its data only"]


_PLAIN_TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:[+-]\d\d:\d\d|Z)?")


def _check_handin(data: Any, name: str, source: str, in_page: bool = False) -> Handin:
    if in_page and not isinstance(data, dict):  # the page is ours, its data block is not a record
        raise HandinError("corrupt", f"{name}: its answer data is damaged (it holds "
                                     f"{'nothing' if data is None else 'a ' + type(data).__name__}, not the answers). "
                                     "Ask the student to hand in again.")
    if not isinstance(data, dict) or data.get("format") != HANDIN_FORMAT:
        raise HandinError("foreign", f"{name}: not a What Went Wrong? hand-in file.")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise HandinError("corrupt", f"{name}: its format version is missing or invalid.")
    if version > HANDIN_VERSION:
        raise HandinError("future-format", f"{name}: made by a newer version of the collection "
                          f"({data.get('collection_version', '?')}, hand-in format {version}); this one reads format "
                          f"{HANDIN_VERSION}. Update the collection to read it.")
    try:
        student = validate_student(data.get("student"))
        exported = data.get("exported_at")
        parse_time(exported)
        answers: dict[str, Answer] = {}
        items = data.get("answers")
        if not isinstance(items, list):
            raise ValueError("no list of answers")
        for item in items:
            if not isinstance(item, dict) or "value" not in item:
                raise ValueError("an answer without a value")
            eid = check_exercise_id(item.get("exercise_id"))
            if eid in answers:
                raise ValueError(f"exercise {eid} appears twice")
            saved = item.get("saved_at")
            when = parse_time(saved)
            if not _PLAIN_TIME_RE.fullmatch(saved):  # one spelling pandas reads too (not e.g. an ISO week date)
                saved = when.isoformat()
            answers[eid] = Answer(eid, item["value"], saved, _check_notebook(item.get("notebook")))
    except (ValueError, TypeError, OverflowError) as e:
        raise HandinError("corrupt", f"{name}: the answer data inside is damaged ({e}).") from None
    version_text = data.get("collection_version", "unknown")
    if not isinstance(version_text, str) or len(version_text) > 40:
        raise HandinError("corrupt", f"{name}: its collection version is not a short text.")
    return Handin(student, exported, version_text, answers, version, source, tuple(_date_notes(exported, answers)))


EARLIEST = datetime(2024, 1, 1, tzinfo=timezone.utc)  # before the collection existed


def _date_notes(exported: str, answers: Mapping[str, Answer]) -> list[str]:
    """Dates no real hand-in can have: exported in the future or before the collection existed, answers saved after
    the export. Such a file is flagged (and the dashboard never lets it replace another file of the same student)."""
    now = datetime.now(timezone.utc)
    t = parse_time(exported)
    notes = []
    if t > now + timedelta(days=1) or t < EARLIEST:
        notes.append(f"its export date {exported[:19]} is impossible (the file was edited, or the computer's clock "
                     "is wrong)")
    late = [eid for eid, a in answers.items() if a.saved_datetime > t + timedelta(minutes=5)]
    if late:
        notes.append(f"{len(late)} answer{'s were' if len(late) != 1 else ' was'} saved after the file was exported "
                     f"({', '.join(sorted(late)[:3])}{'…' if len(late) > 3 else ''}): the file was edited")
    return notes


def restore_handin(store: AnswerStore, source: Path | str | bytes | Handin, *,
                   other_student_ok: bool = False) -> RestoreResult:
    """Merge a hand-in into the store: an answer is taken where the store has none or an older one; nothing deleted.

    The hand-in's time stamps are kept. If the store has no student name yet, it takes the hand-in's. A hand-in
    from a different student raises HandinError(kind="other-student") unless ``other_student_ok``.
    """
    handin = source if isinstance(source, Handin) else read_handin(source)
    current = store.student
    if current is None:
        store.set_student(handin.student)
    elif student_key(current) != student_key(handin.student) and not other_student_ok:
        raise HandinError("other-student", f"This hand-in belongs to “{handin.student}”, but the answers here are "
                                           f"saved for “{current}”. Nothing was restored.")
    result = RestoreResult()
    for eid, a in sorted(handin.answers.items()):
        try:
            value = _plain(a.value, f"the answer to {eid}")
            _check_size(value, eid)
            problem = answer_problem(eid, value)
            if problem:
                raise AnswerError(problem)
            if answer_problem(eid, value, known_only=True):
                result.unknown.append(eid)
            mine = store.answer(eid)
            if mine is None:
                store._put(eid, value, a.notebook, a.saved_at)
                result.added.append(eid)
            elif a.saved_datetime > mine.saved_datetime and _dumps(value) != _dumps(mine.value):
                store._put(eid, value, a.notebook, a.saved_at)
                result.updated.append(eid)
            else:
                result.kept.append(eid)
        except AnswerError as e:
            result.refused[eid] = str(e)
    if result.added or result.updated:
        store.changed()
    return result
