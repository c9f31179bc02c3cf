"""The teacher's class view: read a folder of hand-in files and summarise the answers. pandas, no widgets.

    results = load_class("data/sample_class")    # every *.html hand-in in the folder (not sub-folders)
    results.answers          # tidy DataFrame: student, notebook, exercise_id, value, saved_at (one row per answer)
    results.students         # the students loaded, sorted
    results.problems         # list[Problem]: corrupt, foreign, newer-format and duplicate files (skipped),
                             # and notes (e.g. made with another collection version; loaded)
    results.completion(["molyneux-mc-causes", ...])         # per student: answered, of, percent, missing
    results.correct_rates({"molyneux-mc-causes": 2})        # per exercise: answered, correct, percent_correct
    results.continuum_shifts() / results.continuum_summary()  # before/after per student / per exercise
    results.rankings(["molyneux-rank-causes"])              # per exercise and option: mean_rank, first_choices, n
    results.free_text(["molyneux-free-sourcing", ...])      # students × exercises, text side by side
    results.to_csv("class.csv")                             # the tidy table (or any table) as CSV
    table_view(df, caption) / problems_view(results)        # escaped HTML + plain text for the notebook

Empty answers (see ``answers.is_empty``) count as not answered everywhere. A duplicate is a second file from the
same student (name compared ignoring case and spacing): the file exported last is used, the others are reported.
Every piece of a student's text reaches HTML only through ``helpers.html`` (escaped, ``dir="auto"``, control
characters shown as ``[U+0007]``); CSV cells that a spreadsheet would run as a formula are neutralised (see
``to_csv``). A made-up SAMPLE class to try it on is in data/sample_class/ (with answer_key.json for
``correct_rates``); scripts/make_sample_class.py regenerates it.
"""
from __future__ import annotations

import csv
import json
import math
import numbers
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from .answers import (Handin, HandinError, collection_version, is_empty, parse_time, read_handin, student_key,
                      visible_text)
from . import lmszip
from .handinfolder import handin_folder
from .html import el
from .values import answer_problem
from .view import View, wrap

COLUMNS = ["student", "notebook", "exercise_id", "value", "saved_at"]


@dataclass(frozen=True)
class Problem:
    """A file the dashboard could not use as it stands. ``skipped`` False means it was loaded (a note)."""

    file: str
    kind: str  # corrupt, foreign, future-format, duplicate, other-version
    message: str
    skipped: bool = True


@dataclass
class ClassResults:
    """All usable hand-ins of a class, the tidy answer table, and what was wrong with the other files."""

    handins: list[Handin]
    answers: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    folder: str = ""

    @property
    def students(self) -> list[str]:
        return sorted((h.student for h in self.handins), key=student_key)

    def _latest(self, exercise_ids: Sequence[str] | None = None) -> pd.DataFrame:
        df = self.answers
        if exercise_ids is not None:
            df = df[df["exercise_id"].isin(list(exercise_ids))]
        return df[[not is_empty(v) for v in df["value"]]] if len(df) else df

    # -- summaries -----------------------------------------------------------------------------------------------------
    def completion(self, exercise_ids: Sequence[str]) -> pd.DataFrame:
        """Per student: how many of ``exercise_ids`` have a non-empty answer, the percentage and which are missing."""
        ids = list(dict.fromkeys(exercise_ids))
        done = self._latest(ids).groupby("student")["exercise_id"].agg(set).to_dict()
        rows = []
        for s in self.students:
            have = done.get(s, set())
            missing = [e for e in ids if e not in have]
            n = len(ids) - len(missing)
            rows.append({"student": s, "answered": n, "of": len(ids),
                         "percent": round(100 * n / len(ids)) if ids else 0, "missing": ", ".join(missing)})
        return pd.DataFrame(rows, columns=["student", "answered", "of", "percent", "missing"]).set_index("student")

    def correct_rates(self, key: Mapping[str, Any]) -> pd.DataFrame:
        """Per exercise in ``key`` (exercise id → correct option): answered, correct and percent correct.

        An answer is the chosen option (number or text) or ``{"choice": option}``; text is compared ignoring case
        and surrounding spaces, and "2" equals 2.
        """
        df = self._latest(list(key))
        rows = []
        for eid, right in key.items():
            values = df.loc[df["exercise_id"] == eid, "value"]
            correct = sum(_norm(_choice(v)) == _norm(right) for v in values)
            rows.append({"exercise_id": eid, "answered": len(values), "correct": correct,
                         "percent_correct": round(100 * correct / len(values)) if len(values) else math.nan})
        return pd.DataFrame(rows, columns=["exercise_id", "answered", "correct", "percent_correct"]
                            ).set_index("exercise_id")

    def continuum_shifts(self, exercise_ids: Sequence[str] | None = None,
                         before_from: Mapping[str, str] | None = None) -> pd.DataFrame:
        """One row per student and continuum exercise: before, after, shift (after − before) and both reasons.

        Continuum answers are dicts with "before" and/or "after" numbers (and optional "reason_before", "reason");
        with ``exercise_ids`` None every answer of that shape is used. ``before_from`` maps an exercise asked only
        "after" a text to the one whose "before" it is measured from (each lesson's statement → the start's). A
        missing side is NaN, and so is its shift.
        """
        before_from = before_from or {}
        latest = self._latest()
        starts = {(r.student, r.exercise_id): r.value for r in latest.itertuples(index=False)
                  if r.exercise_id in set(before_from.values())}
        rows = []
        for r in self._latest(exercise_ids).itertuples(index=False):
            v = r.value
            if not (isinstance(v, dict) and ("before" in v or "after" in v)):
                continue
            start = starts.get((r.student, before_from.get(r.exercise_id)))
            if "before" not in v and isinstance(start, dict):
                v = {**v, "before": start.get("before"), "reason_before": start.get("reason_before")}
            before, after = _number(v.get("before")), _number(v.get("after"))
            rows.append({"student": r.student, "exercise_id": r.exercise_id, "before": before, "after": after,
                         "shift": after - before, "reason_before": _text(v.get("reason_before")),
                         "reason": _text(v.get("reason"))})
        cols = ["student", "exercise_id", "before", "after", "shift", "reason_before", "reason"]
        return pd.DataFrame(rows, columns=cols).sort_values(["exercise_id", "student"], key=_sort_key,
                                                            ignore_index=True)

    def continuum_summary(self, exercise_ids: Sequence[str] | None = None,
                          before_from: Mapping[str, str] | None = None) -> pd.DataFrame:
        """Per continuum exercise: students with both sides, mean before/after/shift, how many moved which way."""
        df = self.continuum_shifts(exercise_ids, before_from)
        rows = []
        for eid, g in df.groupby("exercise_id", sort=True):
            both = g.dropna(subset=["shift"])
            rows.append({"exercise_id": eid, "students": len(both),
                         "mean_before": round(both["before"].mean(), 2) if len(both) else math.nan,
                         "mean_after": round(both["after"].mean(), 2) if len(both) else math.nan,
                         "mean_shift": round(both["shift"].mean(), 2) if len(both) else math.nan,
                         "moved_left": int((both["shift"] < 0).sum()), "unchanged": int((both["shift"] == 0).sum()),
                         "moved_right": int((both["shift"] > 0).sum())})
        cols = ["exercise_id", "students", "mean_before", "mean_after", "mean_shift", "moved_left", "unchanged",
                "moved_right"]
        return pd.DataFrame(rows, columns=cols).set_index("exercise_id")

    def continuum_path(self, steps: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
        """Each student's position at each step (1–7; NaN where not answered): which text moved whom.

        ``steps``: (column title, exercise id, "before" or "after"), in teaching order, e.g. the start notebook's
        "before" and then each lesson's "after".

        >>> ada = Handin("Ada", "2026-01-03T00:00:00+00:00", "0", {})
        >>> r = ClassResults([ada], pd.DataFrame({"student": ["Ada", "Ada"], "notebook": ["a", "b"],
        ...     "exercise_id": ["start", "l1"], "value": [{"before": 2}, {"after": 5}],
        ...     "saved_at": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True)}))
        >>> r.continuum_path([("Start", "start", "before"), ("Lesson 1", "l1", "after")]).loc["Ada"].tolist()
        [2.0, 5.0]
        """
        latest = self._latest([eid for _t, eid, _s in steps])
        values = {(r.student, r.exercise_id): r.value for r in latest.itertuples(index=False)}
        data = [[_number(v.get(side)) if isinstance(v := values.get((student, eid)), dict) else math.nan
                 for _title, eid, side in steps] for student in self.students]
        return pd.DataFrame(data, index=pd.Index(self.students, name="student"),
                            columns=[t for t, _e, _s in steps], dtype=float)

    def rankings(self, exercise_ids: Sequence[str]) -> pd.DataFrame:
        """Per ranking exercise and option: mean rank (1 = most important), times ranked first, and n.

        A ranking answer is the list of options in the student's order. Options a student left out do not count
        for that student; sorted by exercise, then mean rank.
        """
        stats: dict[tuple[str, str], list[int]] = {}
        for r in self._latest(exercise_ids).itertuples(index=False):
            if isinstance(r.value, list):
                for rank, option in enumerate(r.value, 1):
                    if isinstance(option, str) and option.strip():
                        stats.setdefault((r.exercise_id, option), []).append(rank)
        rows = [{"exercise_id": eid, "option": opt, "mean_rank": round(sum(rs) / len(rs), 2),
                 "first_choices": rs.count(1), "n": len(rs)} for (eid, opt), rs in stats.items()]
        df = pd.DataFrame(rows, columns=["exercise_id", "option", "mean_rank", "first_choices", "n"])
        return df.sort_values(["exercise_id", "mean_rank", "option"], ignore_index=True)

    def free_text(self, exercise_ids: Sequence[str]) -> pd.DataFrame:
        """Students (rows) × exercises (columns): each answer as text ('' where none), to read side by side."""
        ids = list(dict.fromkeys(exercise_ids))
        got = {(r.student, r.exercise_id): as_text(r.value) for r in self._latest(ids).itertuples(index=False)}
        data = {eid: [got.get((s, eid), "") for s in self.students] for eid in ids}
        return pd.DataFrame(data, index=pd.Index(self.students, name="student"), columns=ids, dtype=object)

    def to_csv(self, path: Path | str | Any, table: pd.DataFrame | None = None, *,
               protect_formulas: bool = True) -> Path:
        """Write a table (default: the tidy answers, values as text) as UTF-8 CSV; returns the path.

        See :func:`write_csv` for how every cell is made safe for a spreadsheet.
        """
        if table is None:
            table = self.answers.assign(value=[as_text(v) for v in self.answers["value"]],
                                        saved_at=[t.isoformat() for t in self.answers["saved_at"]])
        return write_csv(path, table, protect_formulas=protect_formulas)


def write_csv(path: Path | str | Any, table: pd.DataFrame, *, protect_formulas: bool = True) -> Any:
    r"""Write ``table`` (its index too, unless a plain RangeIndex) as UTF-8 CSV to a path or an open text stream.

    Every field is quoted, so a line break inside an answer stays inside its cell; bare carriage returns become line
    feeds (some spreadsheets start a new row at a bare CR even inside quotes). With ``protect_formulas`` a text cell
    that starts, or has a line that starts, with = + - @ tab or NUL gets an apostrophe there, so a spreadsheet shows
    it as text instead of running it (CSV/formula injection: MITRE CWE-1236; OWASP ASVS 5.0 requirement 1.2.10).

    >>> import io
    >>> out = io.StringIO()
    >>> _ = write_csv(out, pd.DataFrame({"answer": ["ok\r=cmd|' /C calc'!A0"]}))
    >>> out.getvalue().splitlines()
    ['"answer"', '"ok', '\'=cmd|\' /C calc\'!A0"']
    """
    out = table.copy() if isinstance(table.index, pd.RangeIndex) else table.reset_index()
    for col in out.columns:
        if any(isinstance(v, str) for v in out[col]):
            out[col] = pd.Series([safe_cell(v, protect_formulas) for v in out[col]], index=out.index, dtype=object)
    out.columns = [safe_cell(str(c), protect_formulas) for c in out.columns]
    if hasattr(path, "write"):  # an open text stream, e.g. for a download link
        out.to_csv(path, index=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
        return path
    target = Path(path)
    out.to_csv(target, index=False, encoding="utf-8", quoting=csv.QUOTE_ALL, lineterminator="\n")
    return target


_LINE_START_RE = re.compile(r"(^|\n)(?=[\" ]*[=+\-@\t\0])")  # quotes or spaces before a formula fool some readers


def safe_cell(v: Any, protect_formulas: bool = True) -> Any:
    r"""A CSV cell as written by :func:`write_csv`: CR LF and bare CR made LF, formulas neutralised at every line start.

    >>> safe_cell("=1+1")
    "'=1+1"
    >>> safe_cell("fine\r\n@SUM(A1)")
    "fine\n'@SUM(A1)"
    """
    if not isinstance(v, str):
        return v
    v = v.replace("\r\n", "\n").replace("\r", "\n")
    return _LINE_START_RE.sub(r"\1'", v) if protect_formulas else v


def _choice(v: Any) -> Any:
    return v.get("choice") if isinstance(v, dict) else v


def _norm(v: Any) -> Any:
    if isinstance(v, str):
        s = v.strip().casefold()
        return int(s) if s.isdigit() else s
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _text(v: Any) -> str:
    return v if isinstance(v, str) else ""


def _number(v: Any) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else math.nan


def _sort_key(col: pd.Series) -> pd.Series:
    return col.map(lambda s: student_key(s) if isinstance(s, str) else s)


def as_text(value: Any) -> str:
    """A value as one readable string for tables and CSV: text as is, anything else as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _handins_in(folder: Path) -> Iterator[tuple[str, Path | bytes | HandinError]]:
    """Every hand-in-like file of a class folder as (its name for the teacher, what to read), in name order: the
    *.html and *.htm files, and the ones inside each learning platform's zip (helpers/lmszip.py). ``folder`` may
    also be one such zip."""
    if folder.is_file() and folder.suffix.lower() == ".zip":
        zips, files = [folder], []
    else:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and _is_file(p))
        hub = handin_folder()
        if hub is not None and _same(folder, hub):  # on Kubernetes each student writes to a subfolder of its own
            entries += sorted(p for sub in sorted(folder.iterdir()) if sub.is_dir() and not sub.name.startswith(".")
                              for p in _listing(sub) if not p.name.startswith(".") and _is_file(p))
        files = [p for p in entries if p.suffix.lower() in (".html", ".htm")]
        zips = [p for p in entries if p.suffix.lower() == ".zip"]
    for p in files:
        yield (p.name if p.parent == folder else f"{p.parent.name} › {p.name}"), p
    for z in zips:
        try:
            for name, data in lmszip.members(z):
                yield name, (data if isinstance(data, bytes) else HandinError("foreign", str(data)))
        except lmszip.ZipProblem as e:
            yield z.name, HandinError("corrupt", str(e))


def load_class(folder: Path | str) -> ClassResults:
    """Read every hand-in (*.html, *.htm, and those in a learning platform's zip) in ``folder``, or in one such zip;
    bad files are reported in ``problems`` and skipped.

    The contract: one bad file never takes down the class view. Each file is read on its own (linear in its size,
    see ``answers.read_handin``); whatever goes wrong with it becomes a Problem naming the file and the reason, and
    the rest of the class loads. An answer whose value does not fit its exercise is dropped with a note; a file with
    an impossible date or active content is flagged and never replaces another file of the same student.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir() and not (folder.is_file() and folder.suffix.lower() == ".zip"):
        raise FileNotFoundError(f"No folder {folder}: put the students' hand-in files in one folder (or give the zip "
                                "of a learning platform's submissions) and give its path.")
    by_student: dict[str, list[Handin]] = {}
    for name, what in _handins_in(folder):
        try:
            if isinstance(what, HandinError):
                raise what
            h = read_handin(what, name) if isinstance(what, bytes) else read_handin(what)
        except HandinError as e:
            problems.append(Problem(name, e.kind, str(e)))
            continue
        except Exception as e:  # noqa: BLE001 - the contract: report the file, load the rest
            problems.append(Problem(name, "unreadable", f"{name}: could not be read ({type(e).__name__}: {e})."))
            continue
        h, notes = _checked_answers(h, name)
        problems += [Problem(name, "suspect", note, skipped=False) for note in (*h.notes, *notes)]
        by_student.setdefault(student_key(h.student), []).append(h)
    here = collection_version()
    kept: list[Handin] = []
    for group in by_student.values():
        # Files with an impossible date or active content sort first, so a forged copy never replaces a real one.
        group.sort(key=lambda h: (not h.notes, parse_time(h.exported_at), Path(h.source).name))
        newest = group[-1]
        kept.append(newest)
        for old in group[:-1]:
            problems.append(Problem(Path(old.source).name, "duplicate",
                                    f"{Path(old.source).name}: another hand-in from {old.student} "
                                    f"({Path(newest.source).name}, exported {newest.exported_at[:19]}) is "
                                    f"{'newer' if not old.notes else 'not flagged'} and is used instead."))
        if newest.collection_version != here:
            problems.append(Problem(Path(newest.source).name, "other-version",
                                    f"{Path(newest.source).name}: made with collection version "
                                    f"{newest.collection_version} (this is {here}); loaded.", skipped=False))
    kept.sort(key=lambda h: student_key(h.student))
    rows = [(h.student, a.notebook, a.exercise_id, a.value, a.saved_at)
            for h in kept for a in sorted(h.answers.values(), key=lambda a: (a.notebook, a.exercise_id))]
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["value"] = pd.Series([r[3] for r in rows], dtype=object)
    df["saved_at"] = pd.to_datetime(df["saved_at"], utc=True, format="ISO8601")
    problems.sort(key=lambda p: (not p.skipped, p.file))
    return ClassResults(kept, df, problems, str(folder))


def _listing(folder: Path) -> list[Path]:
    """A subfolder's entries, or none if it cannot be listed (its files are then simply not shown)."""
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _checked_answers(h: Handin, name: str) -> tuple[Handin, list[str]]:
    """The hand-in without answers whose value does not fit their exercise, and a note for each one dropped."""
    notes, good = [], {}
    for eid, a in h.answers.items():
        problem = answer_problem(eid, a.value)
        if problem:
            notes.append(f"{name}: {problem}; that answer was left out.")
        else:
            good[eid] = a
    return (replace(h, answers=good) if notes else h), notes


# ----------------------------------------------------------------------------------------------------------------------
# Views for the dashboard notebook (escaped HTML + plain-text twin)
# ----------------------------------------------------------------------------------------------------------------------

def _cell(v: Any) -> str:
    """A table cell as a teacher reads it: numbers with thousands separators, never 1.5e+06 or 3500000.0.

    >>> _cell(3500000.0), _cell(1.5e6 + 0.25), _cell(12), _cell(float("nan"))
    ('3,500,000', '1,500,000.25', '12', '–')
    """
    if isinstance(v, float) and math.isnan(v):
        return "–"
    if isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) and math.isfinite(v):  # numpy's too
        v = float(v)
        return f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, datetime):  # pandas Timestamps too
        return v.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    return visible_text(v if isinstance(v, str) else as_text(v))


def table_view(df: pd.DataFrame, caption: str = "") -> View:
    """Any summary table as an escaped HTML table (index as row headers; text keeps its direction) and as text."""
    show_index = not isinstance(df.index, pd.RangeIndex)
    head = ([df.index.name or ""] if show_index else []) + [str(c) for c in df.columns]
    body = []
    for idx, row in zip(df.index, df.itertuples(index=False)):
        cells = [el("th", _cell(idx), scope="row", dir="auto")] if show_index else []
        cells += [el("td", _cell(v), dir="auto", style="white-space:pre-wrap") for v in row]
        body.append(el("tr", *cells))
    table = el("table", el("caption", caption) if caption else None,
               el("thead", el("tr", *[el("th", h, scope="col") for h in head])), el("tbody", *body))
    text_rows = [head] + [([_cell(i)] if show_index else []) + [_cell(v) for v in row]
                          for i, row in zip(df.index, df.itertuples(index=False))]
    text = (caption + "\n" if caption else "") + "\n".join(" | ".join(r) for r in text_rows)
    return View(wrap(table), text)


def problems_view(results: ClassResults) -> View:
    """What was loaded and which files were skipped, and why: the first thing the teacher sees."""
    skipped = [p for p in results.problems if p.skipped]
    notes = [p for p in results.problems if not p.skipped]
    lead = (f"Loaded {len(results.handins)} hand-in file{'s' if len(results.handins) != 1 else ''} "
            f"({len(results.answers)} answers). "
            + (f"Skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''}:" if skipped else "No file skipped."))
    items = [el("li", p.message) for p in skipped + notes]
    html = wrap(el("div", el("p", lead), el("ul", *items) if items else None, role="status"))
    text = "\n".join([lead] + [f"- {p.message}" for p in skipped + notes])
    return View(html, text)
