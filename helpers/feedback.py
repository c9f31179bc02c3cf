"""The teacher's comments and marks on a class's answers, kept in the class folder, and what goes back to students.

The comments live in one file beside the hand-ins, ``teacher-comments.json`` (student → exercise id → comment and
mark), written atomically after every change, so re-running the dashboard or restarting the kernel never loses one.
A damaged or edited file is never overwritten: loading it raises :class:`FeedbackError` naming the file and the
problem, and the teacher's earlier comments stay on disk.

From the hand-ins and the comments come two exports:

- :func:`wide_table` — one row per student, one column per exercise field (``L1 Source: Origin`` …) and per
  comment and mark, for a spreadsheet or a learning platform's gradebook (written with ``dashboard.write_csv``,
  so no cell runs as a formula);
- :func:`feedback_html` — one page per student: each answer in the words the student saw (as in the hand-in),
  with the teacher's comment and mark beside it; escaped, with the same Content-Security-Policy as a hand-in.
  :func:`write_feedback` writes them all to ``feedback/`` in the class folder, one file per student.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from .answers import HANDIN_CSS, Handin, handin_filename, value_html, write_atomic
from .dashboard import ClassResults, as_text
from .html import Markup, csp_meta, el

COMMENTS_FILE = "teacher-comments.json"
FORMAT = "what-went-wrong-teacher-comments"
MAX_COMMENT_CHARS = 5_000


class FeedbackError(ValueError):
    """The comments file cannot be used; the message names it and says what is wrong. Nothing was overwritten."""


def comments_path(folder: Path | str) -> Path:
    """Where a class folder keeps its teacher's comments."""
    return Path(folder) / COMMENTS_FILE


def load_comments(folder: Path | str) -> dict[str, dict[str, dict[str, str]]]:
    """The comments saved for a class: student → exercise id → {"comment": text, "mark": text}; {} if none yet.

    >>> import tempfile
    >>> load_comments(tempfile.mkdtemp())
    {}
    """
    path = comments_path(folder)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_bytes()[:2_000_000].decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeedbackError(f"{path} cannot be read ({e}); it was left as it is. Move it aside to start a new one.")
    comments = data.get("comments") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(comments, dict) or not all(
            isinstance(by_ex, dict) and all(isinstance(c, dict) and all(isinstance(v, str) for v in c.values())
                                            for c in by_ex.values())
            for by_ex in comments.values()):
        raise FeedbackError(f"{path} is not a comments file of this collection (field 'comments'); it was left as "
                            "it is. Move it aside to start a new one.")
    return comments


def save_comment(folder: Path | str, student: str, exercise_id: str, comment: str, mark: str = "") -> None:
    """Keep one comment (and mark) on one student's answer; an empty comment and mark remove it. Written at once.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> save_comment(d, "Ada", "molyneux-exit", "Good: now give a date.", "B")
    >>> load_comments(d)["Ada"]["molyneux-exit"]["mark"]
    'B'
    """
    comment, mark = str(comment).strip(), str(mark).strip()
    if len(comment) > MAX_COMMENT_CHARS or len(mark) > 100:
        raise FeedbackError(f"A comment is at most {MAX_COMMENT_CHARS:,} characters and a mark 100; nothing saved.")
    comments = load_comments(folder)
    by_ex = comments.setdefault(student, {})
    if comment or mark:
        by_ex[exercise_id] = {"comment": comment, "mark": mark}
    else:
        by_ex.pop(exercise_id, None)
    data = {"format": FORMAT, "comments": {s: c for s, c in comments.items() if c}}
    path = comments_path(folder)
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
    except OSError as e:
        raise FeedbackError(f"The comment could not be saved in {path} ({e.strerror or e}); earlier comments "
                            "are unchanged.") from e


def _fields(value: Any) -> dict[str, str]:
    """An answer as named text fields: a dict field by field, anything else as one field."""
    if isinstance(value, dict):
        return {str(k): as_text(v) for k, v in value.items()}
    return {"answer": as_text(value)}


def wide_table(results: ClassResults, comments: dict | None = None) -> pd.DataFrame:
    """One row per student; a column per exercise field, titled as students saw it ("L1 Source: purpose"), with the
    values as words (a continuum answer reads "agree", a choice its option), then the teacher's comment and mark.

    >>> from helpers.classview import SAMPLE_CLASS
    >>> from helpers.dashboard import load_class
    >>> t = wide_table(load_class(SAMPLE_CLASS), {"SAMPLE Badger": {"molyneux-exit": {"comment": "Yes", "mark": ""}}})
    >>> t.loc["SAMPLE Badger", "L1 Exit ticket: teacher's comment"], t.index.name
    ('Yes', 'student')
    """
    from .worksheet import column_title, readable, sort_key

    comments = comments or {}
    cells: dict[str, dict[str, str]] = {s: {} for s in results.students}
    order: dict[str, tuple] = {}  # column → (teaching order, position of the field in the answer)
    for r in results.answers.itertuples(index=False):
        value, first = r.value, None
        if isinstance(value, dict) and isinstance(value.get("first"), dict):  # the same columns, revised or not
            value, first = {k: v for k, v in value.items() if k != "first"}, value["first"]
        shown = readable(r.exercise_id, value)
        fields = shown if isinstance(shown, dict) else {"": shown}
        if first is not None and isinstance(before := readable(r.exercise_id, first), dict):
            fields = fields | {f"{k} before the reveal": v for k, v in before.items()}
        for i, (field, value) in enumerate(fields.items()):
            column = column_title(r.exercise_id) + (f": {field}" if field else "")
            cells.setdefault(r.student, {})[column] = as_text(value)
            order.setdefault(column, (sort_key(r.exercise_id), i))
    for student, by_ex in comments.items():
        for eid, c in by_ex.items():
            row, head = cells.setdefault(student, {}), column_title(eid)
            for i, (what, key) in enumerate((("teacher's comment", "comment"), ("mark", "mark")), start=100):
                row[f"{head}: {what}"] = c.get(key, "")
                order.setdefault(f"{head}: {what}", (sort_key(eid), i))
    columns = sorted(order, key=lambda c: order[c])
    table = pd.DataFrame.from_dict(cells, orient="index", columns=columns).fillna("")
    table.index.name = "student"
    return table


def _check_line(exercise_id: str, value: Any) -> Markup | str:
    """✓ or ✗ with the key, for an answer the collection marks by itself; for a disputed claim, the key and that a
    reasoned verdict counts. Nothing for answers only a teacher can mark."""
    from .exercises import load_definitions
    from .keys import auto_check

    ex = load_definitions().get(exercise_id)
    check = auto_check(ex, value) if ex is not None else None
    if check is None:
        return ""
    ok, key = check
    words = {True: ("✓ Matches the key", "ok"), False: ("✗ Not the key", "no"),
             None: ("Historians disagree: a reasoned verdict counts", "open")}[ok]
    return el("p", el("strong", words[0]), f" ({key})", class_=f"www-check {words[1]}")


def feedback_html(handin: Handin, comments: dict[str, dict[str, str]]) -> str:
    """A student's feedback page: every answer (as on the hand-in) with the teacher's comment and mark beside it.

    >>> h = Handin("Ada", "2026-01-01T00:00:00+00:00", "0", {})
    >>> "<script" in feedback_html(h, {"x": {"comment": "<script>", "mark": ""}})
    False
    """
    from . import worksheet

    ids = sorted(set(handin.answers) | set(comments), key=worksheet.sort_key)
    items = []
    for eid in ids:
        a = handin.answers.get(eid)
        c = comments.get(eid, {})
        answer = (value_html(worksheet.readable(eid, a.value)) if a is not None
                  else el("span", "no answer handed in", class_="www-empty"))
        note = [_check_line(eid, a.value) if a is not None else "",
                el("p", el("strong", "Your teacher: "), c["comment"], class_="www-comment-text", dir="auto")
                if c.get("comment") else "",
                el("p", el("strong", "Mark: "), c["mark"]) if c.get("mark") else ""]
        items.append(el("article", el("h3", worksheet.title(eid), dir="auto"),
                        el("div", answer, class_="www-value", dir="auto"), *note, class_="www-answer"))
    n = sum(1 for eid in ids if comments.get(eid, {}).get("comment") or comments.get(eid, {}).get("mark"))
    main = el("main", el("h1", "Feedback for ", el("bdi", handin.student)),
              el("p", f"What Went Wrong? · your hand-in of {handin.exported_at[:10]} · {n} comment"
                      f"{'s' if n != 1 else ''} from your teacher", class_="www-meta"), *items)
    head = el("head", el("meta", charset="utf-8"), csp_meta(),
              el("meta", name="viewport", content="width=device-width, initial-scale=1"),
              el("title", f"Feedback: {handin.student} (What Went Wrong?)"),
              el("style", Markup(" ".join((HANDIN_CSS + ".www-comment-text{background:#FFF3C4;padding:.3em .6em}"
                                           ".www-check.ok strong{color:#006B4F}.www-check.no strong{color:#A33A00}")
                                          .split()))))
    return "<!DOCTYPE html>\n" + el("html", head, el("body", main), lang="en") + "\n"


def write_feedback(folder: Path | str, results: ClassResults, comments: dict | None = None) -> list[Path]:
    """One feedback page per student into ``<folder>/feedback/`` (named like their hand-in); returns the paths."""
    comments = load_comments(folder) if comments is None else comments
    out = Path(folder) / "feedback"
    out.mkdir(exist_ok=True)
    paths = []
    for h in sorted(results.handins, key=lambda h: h.student):
        path = out / handin_filename(h.student).replace("handin", "feedback", 1)
        write_atomic(path, feedback_html(h, comments.get(h.student, {})).encode("utf-8"))
        os.chmod(path, 0o644)
        paths.append(path)
    return paths
