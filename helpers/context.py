"""Context data: load the CSV files in ``data/`` as typed DataFrames, and check them.

Each table is described once in ``TABLES`` (its file, key and the kind of every column). The same description drives
loading (dates become dates, numbers numbers, vocabularies categories) and validation, which reports every problem
with its file, line and reason so that whoever edits a CSV can find and fix it.

Cross-checks tie the data to the texts: every passage id exists, every quoted claim or figure is found verbatim in
its passage, every event and series referenced exists, and Old Style dates agree with the calendar conversion.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import citations, dates
from .sources import DATA_DIR, all_sources
from .texts import load_document

PRECISIONS = ("day", "month", "year", "circa")
EVENT_CATEGORIES = ("revolution", "war", "politics", "economy", "society", "culture", "repression", "international")
VERDICTS = ("correct", "wrong", "disputed", "unverifiable")
CLAIM_TYPES = ("date", "number", "name", "place", "event", "attribution")
FIGURE_VERDICTS = ("consistent", "too_high", "too_low", "disputed", "unverifiable")
# A cited figure that quotes a claim's words takes the claim's verdict, spelt for a number: claims.csv is its home.
FIGURE_VERDICT_OF_CLAIM = {"correct": ("consistent",), "wrong": ("too_high", "too_low"),
                           "disputed": ("disputed",), "unverifiable": ("unverifiable",)}
X_KINDS = ("year", "category")
SKILLS = ("sourcing", "contextualisation", "corroboration", "close reading")
STANCES = ("disagrees", "partly", "agrees")  # a historian's answer to the continuum statement
YEAR_RANGE = (1700, 2030)
_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_PASSAGE_ID = re.compile(r"^(?P<slug>[a-z]+)-(?P<n>\d{2})$")


@dataclass(frozen=True)
class Col:
    """One column: its kind decides how it is parsed and checked."""

    kind: str  # id, text, citation, date, julian, choice, number, int, passage, passages, event, series, source, quote,
    # texts ('all' or slugs of sources.csv)
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    file: str
    key: str | None
    columns: dict[str, Col]
    description: str = ""


def _c(kind: str, required: bool = False, choices: tuple[str, ...] = ()) -> Col:
    return Col(kind, required, choices)


TABLES: dict[str, Table] = {
    "events": Table("events.csv", "event_id", {
        "event_id": _c("id", True), "start_date": _c("date", True), "end_date": _c("date"),
        "precision": _c("choice", True, PRECISIONS), "start_date_os": _c("julian"), "end_date_os": _c("julian"),
        "title": _c("text", True), "description": _c("text", True),
        "category": _c("choice", True, EVENT_CATEGORIES), "place": _c("text"),
        "mentioned_in": _c("passages"), "left_out_of": _c("passages"), "shown_in": _c("texts"),
        "citation": _c("citation", True),
    }, "timeline events 1861–1991 and the works the texts name"),
    "series_meta": Table("series_meta.csv", "series_id", {
        "series_id": _c("id", True), "title": _c("text", True), "unit": _c("text", True),
        "x_kind": _c("choice", True, X_KINDS), "description": _c("text", True), "source": _c("citation", True),
    }, "one row per statistics series"),
    "series": Table("series.csv", None, {
        "series_id": _c("series", True), "x": _c("text", True), "value": _c("number"), "low": _c("number"),
        "high": _c("number"), "citation": _c("citation", True), "note": _c("text"),
    }, "statistics values, one row per value"),
    "cited_figures": Table("cited_figures.csv", "figure_id", {
        "figure_id": _c("id", True), "passage_id": _c("passage", True), "quote": _c("quote", True),
        "value": _c("number", True), "unit": _c("text", True), "what": _c("text", True),
        "compare_series": _c("series"), "compare_value": _c("number"), "compare_low": _c("number"),
        "compare_high": _c("number"), "compare_citation": _c("citation"),
        "verdict": _c("choice", True, FIGURE_VERDICTS), "note": _c("text"),
    }, "every figure a text states, with the scholarly value to compare"),
    "claims": Table("claims.csv", "claim_id", {
        "claim_id": _c("id", True), "source_id": _c("source", True), "passage_id": _c("passage", True),
        "quote": _c("quote", True), "claim_type": _c("choice", True, CLAIM_TYPES),
        "verdict": _c("choice", True, VERDICTS), "better_value": _c("text"), "explanation": _c("text", True),
        "citation": _c("citation", True),
    }, "checkable factual claims in the texts, fact-checked"),
    "prompts": Table("prompts.csv", None, {
        "passage_id": _c("passage", True), "skill": _c("choice", True, SKILLS), "question": _c("text", True),
    }, "discussion questions shown beside a passage"),
    "historians": Table("historians.csv", "historian_id", {
        "historian_id": _c("id", True), "name": _c("text", True),
        "on_the_statement": _c("choice", True, STANCES),
        "position": _c("text", True), "citation": _c("citation", True),
    }, "the historians' panel: positions in our own words, each with its work"),
    "mention_notes": Table("mention_notes.csv", None, {
        "event_id": _c("event", True), "passage_id": _c("passage", True), "note": _c("text", True),
    }, "a reviewer's reason for a mention the passage's words do not show"),
    "glossary": Table("glossary.csv", "term", {
        "term": _c("text", True), "aliases": _c("text"), "definition": _c("text", True), "event_id": _c("event"),
        "citation": _c("citation", True),
    }, "terms a 16-year-old may not know"),
}


class DataError(ValueError):
    """Raised when a data file is missing or fails validation; the message lists every problem."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"data/{self.file}, line {self.line}: {self.reason}"


@dataclass
class _Refs:
    """What other tables offer to be referenced: passage texts, event ids, series ids."""

    passages: dict[str, str] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)
    series: set[str] = field(default_factory=set)
    series_kind: dict[str, str] = field(default_factory=dict)
    series_unit: dict[str, str] = field(default_factory=dict)


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs, line numbers as an editor shows them."""
    if not path.exists():
        raise DataError(f"The data file {path} is missing. It should be in the repository's data/ folder.")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = []
        start = 2
        for row in reader:
            rows.append((start, {k: (v or "").strip() for k, v in row.items() if k is not None}))
            start = reader.line_num + 1
    return header, rows


def _passage_texts() -> dict[str, str]:
    return {p.id: p.text for s in all_sources() for p in load_document(s.slug).passages}


def _check_value(col: Col, name: str, value: str, row: dict[str, str], refs: _Refs) -> str | None:
    """The reason a cell is wrong, or None. Empty cells are checked for requiredness only."""
    if not value:
        return f"column {name!r} is empty" if col.required else None
    kind = col.kind
    if kind == "id" and not _ID.match(value):
        return f"{name} {value!r} is not a lower-case id (letters, digits, - or _)"
    if kind == "choice" and value not in col.choices:
        return f"{name} {value!r} is not one of: {', '.join(col.choices)}"
    if kind == "date":
        try:
            d = date.fromisoformat(value)
        except ValueError:
            return f"{name} {value!r} is not a date written YYYY-MM-DD"
        if not YEAR_RANGE[0] <= d.year <= YEAR_RANGE[1]:
            return f"{name} {value} is outside {YEAR_RANGE[0]}–{YEAR_RANGE[1]}"
    if kind == "julian":
        try:
            dates.julian_from_iso(value)
        except ValueError as e:
            return f"{name} {value!r}: {e}"
    if kind in ("number", "int"):
        try:
            float(value.replace(",", "")) if kind == "number" else int(value)
        except ValueError:
            return f"{name} {value!r} is not a number"
    if kind in ("passage", "passages"):
        bad = [p for p in value.split() if p not in refs.passages]
        if bad:
            return f"{name}: no such passage {', '.join(bad)}"
    if kind == "event" and value not in refs.events:
        return f"{name}: no event {value!r} in events.csv"
    if kind == "series" and value not in refs.series:
        return f"{name}: no series {value!r} in series_meta.csv"
    if kind == "texts" and value != "all":
        bad = [s for s in value.split() if s not in {src.slug for src in all_sources()}]
        if bad:
            return f"{name}: {', '.join(bad)} is not a text's slug in sources.csv (or write 'all')"
    if kind == "source" and value not in {s.source_id for s in all_sources()}:
        return f"{name}: no source {value!r} in sources.csv"
    if kind == "citation":
        found = citations.problems(value)
        if found:
            return f"{name} {'; '.join(found)} (see data/README.md, 'Citations')"
    if kind == "quote":
        passage = refs.passages.get(row.get("passage_id", ""), "")
        if value not in passage:
            return f"quote {value[:60]!r} is not found verbatim in passage {row.get('passage_id')!r}"
    return None


def _row_checks(name: str, row: dict[str, str], refs: _Refs) -> list[str]:
    """Checks that need more than one cell of a row."""
    reasons = []
    if name == "events":
        for ns_col, os_col in (("start_date", "start_date_os"), ("end_date", "end_date_os")):
            if row.get(os_col) and row.get(ns_col):
                try:
                    ns = dates.julian_to_gregorian(dates.julian_from_iso(row[os_col]))
                except ValueError:
                    continue
                if ns.isoformat() != row[ns_col]:
                    reasons.append(f"{os_col} {row[os_col]} (Old Style) is {ns} New Style, not {row[ns_col]}")
                if not dates.used_old_style_in_russia(ns):
                    reasons.append(f"{os_col} given for {ns}, after Russia's switch to New Style on 14 Feb 1918")
        both = set(row.get("mentioned_in", "").split()) & set(row.get("left_out_of", "").split())
        if both:
            reasons.append(f"{', '.join(sorted(both))} both mentions this event and leaves it out: keep one")
        if row.get("end_date") and row.get("start_date") and row["end_date"] < row["start_date"]:
            reasons.append(f"end_date {row['end_date']} is before start_date {row['start_date']}")
    if name == "series":
        kind = refs.series_kind.get(row.get("series_id", ""))
        if kind == "year" and not re.fullmatch(r"\d{4}", row.get("x", "")):
            reasons.append(f"x {row.get('x')!r} should be a year for this series")
        if not any(row.get(c) for c in ("value", "low", "high")) and not row.get("note"):
            reasons.append("no value, no range and no note saying why the value is missing")
    if name == "cited_figures" and row.get("compare_value") and not row.get("compare_citation"):
        reasons.append("compare_value is given without compare_citation")
    series_unit = refs.series_unit.get(row.get("compare_series", ""))
    if name == "cited_figures" and series_unit is not None and series_unit != row.get("unit"):
        reasons.append(f"compare_series {row['compare_series']} counts {series_unit!r}, not {row.get('unit')!r}: "
                       "a figure is compared only with the same quantity (show another series beside the passage)")
    if name == "claims":
        if row.get("verdict") == "wrong" and not row.get("better_value"):
            reasons.append("a claim judged wrong needs better_value")
        pid = row.get("passage_id", "")
        slug = {s.source_id: s.slug for s in all_sources()}.get(row.get("source_id", ""))
        if slug and pid and not pid.startswith(slug + "-"):
            reasons.append(f"passage {pid} is not in source {row.get('source_id')} ({slug})")
    return reasons


def _validate_table(name: str, refs: _Refs, data_dir: Path) -> list[Problem]:
    table = TABLES[name]
    path = data_dir / table.file
    try:
        header, rows = _read_rows(path)
    except DataError as e:
        return [Problem(table.file, 0, str(e))]
    missing = [c for c in table.columns if c not in header]
    if missing:
        return [Problem(table.file, 1, f"missing column(s): {', '.join(missing)}")]
    problems, seen = [], {}
    for line, row in rows:
        for col_name, col in table.columns.items():
            reason = _check_value(col, col_name, row.get(col_name, ""), row, refs)
            if reason:
                problems.append(Problem(table.file, line, reason))
        problems += [Problem(table.file, line, r) for r in _row_checks(name, row, refs)]
        if table.key:
            key = row.get(table.key, "").casefold()
            if key in seen:
                problems.append(Problem(table.file, line, f"{table.key} {row[table.key]!r} repeats line {seen[key]}"))
            seen.setdefault(key, line)
    return problems


def validate(data_dir: Path = DATA_DIR, tables: tuple[str, ...] | None = None) -> list[Problem]:
    """Every problem in the data files (an empty list means all is well). Missing files are problems too."""
    refs = _Refs(passages=_passage_texts())
    names = tables or tuple(TABLES)
    if (data_dir / TABLES["events"].file).exists():
        refs.events = {r["event_id"] for _, r in _read_rows(data_dir / TABLES["events"].file)[1]}
    if (data_dir / TABLES["series_meta"].file).exists():
        meta = [r for _, r in _read_rows(data_dir / TABLES["series_meta"].file)[1]]
        refs.series = {r["series_id"] for r in meta}
        refs.series_kind = {r["series_id"]: r.get("x_kind", "") for r in meta}
        refs.series_unit = {r["series_id"]: r.get("unit", "") for r in meta}
    problems = [p for name in names for p in _validate_table(name, refs, data_dir)]
    if {"claims", "cited_figures"} <= set(names):
        problems += _verdict_agreement(data_dir)
    if {"events", "glossary", "mention_notes"} <= set(names):
        problems += _mention_evidence(data_dir, refs.passages)
    return problems


# Title words that name no particular event, so a passage using them has not thereby mentioned it.
_GENERIC_WORDS = frozenset(
    "revolution revolutionary soviet soviets union party first second third trial troops army crush crushed ends "
    "begins russia russian ussr allied allies state government leader leaders power world national congress great "
    "new takes take land lands from with into against enters under".split())


def _mention_evidence(data_dir: Path, passages: dict[str, str]) -> list[Problem]:
    """Every passage listed in an event's ``mentioned_in`` shows it in its words (the event's year, a word of its
    title, or a glossary term tied to it) or has a reviewer's note in mention_notes.csv; each note is for a mention
    that exists. Context a passage leaves out belongs in ``left_out_of`` instead."""
    paths = {t: data_dir / TABLES[t].file for t in ("events", "glossary", "mention_notes")}
    if not all(p.exists() for p in paths.values()):
        return []
    events = _read_rows(paths["events"])[1]
    terms: dict[str, list[str]] = {}
    for _, g in _read_rows(paths["glossary"])[1]:
        if g.get("event_id"):
            terms.setdefault(g["event_id"], []).extend([g["term"], *filter(None, g.get("aliases", "").split("|"))])
    notes = {(n["event_id"], n["passage_id"]): line for line, n in _read_rows(paths["mention_notes"])[1]}
    problems, mentions = [], set()
    for line, e in events:
        words = [w for w in re.findall(r"[a-z]{4,}", e["title"].lower()) if w not in _GENERIC_WORDS]
        for pid in e.get("mentioned_in", "").split():
            mentions.add((e["event_id"], pid))
            text = passages.get(pid, "").lower()
            shown = (e["start_date"][:4] in text or any(w in text for w in words)
                     or any(term.lower() in text for term in terms.get(e["event_id"], [])))
            if pid in passages and not shown and (e["event_id"], pid) not in notes:
                problems.append(Problem(TABLES["events"].file, line, (
                    f"mentioned_in lists {pid}, whose words show nothing of '{e['title']}' (no year, title word or "
                    f"glossary term): give the reason in data/mention_notes.csv, or move {pid} to left_out_of if "
                    "the passage leaves this context out")))
    for key, line in notes.items():
        if key not in mentions:
            problems.append(Problem(TABLES["mention_notes"].file, line,
                                    f"no mention of {key[0]} in {key[1]} in events.csv to explain: delete the note"))
    return problems


def _verdict_agreement(data_dir: Path) -> list[Problem]:
    """A figure quoting the same words as a claim (one quote inside the other, same passage) must agree with the
    claim's verdict, so that one fact never carries two verdicts; the message names both rows."""
    paths = [data_dir / TABLES[t].file for t in ("claims", "cited_figures")]
    if not all(p.exists() for p in paths):
        return []
    claims, figures = (_read_rows(p)[1] for p in paths)
    problems = []
    for line, f in figures:
        for c_line, c in claims:
            same_words = f["quote"] in c["quote"] or c["quote"] in f["quote"]
            allowed = FIGURE_VERDICT_OF_CLAIM.get(c["verdict"], ())
            if f["passage_id"] == c["passage_id"] and same_words and allowed and f["verdict"] not in allowed:
                problems.append(Problem(TABLES["cited_figures"].file, line, (
                    f"verdict {f['verdict']!r} of figure {f['figure_id']} disagrees with claims.csv line {c_line} "
                    f"({c['claim_id']}: {c['verdict']!r}) on the same words; a verdict lives in claims.csv, so this "
                    f"figure's verdict must be {' or '.join(repr(v) for v in allowed)}")))
    return problems


def _typed(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Dates as dates, numbers as numbers, vocabularies as categories; blanks as missing values."""
    for name, col in table.columns.items():
        if col.kind == "date":
            df[name] = pd.to_datetime(df[name], format="%Y-%m-%d")
        elif col.kind in ("number", "int"):
            df[name] = pd.to_numeric(df[name].astype("string").str.replace(",", ""), errors="raise").astype("Float64")
        elif col.kind == "choice":
            df[name] = pd.Categorical(df[name], categories=list(col.choices))
    return df


@lru_cache(maxsize=None)
def _load_cached(name: str, data_dir: Path) -> pd.DataFrame:
    if name not in TABLES:
        raise KeyError(f"No data table {name!r}; tables are: {', '.join(TABLES)}")
    table = TABLES[name]
    path = data_dir / table.file
    if not path.exists():
        raise DataError(f"The data file {path} is missing. It should be in the repository's data/ folder.")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df.replace({"": pd.NA})
    return _typed(df, table)


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One data table as a typed DataFrame (a fresh copy: changing it changes nothing for others)."""
    return _load_cached(name, data_dir).copy()
