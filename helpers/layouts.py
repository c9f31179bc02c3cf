"""Page layouts as data: which lines of a seed are titles, bylines, datelines, subheadings, notes, headings, reader
comments or page clutter, read from ``data/layouts.csv`` so that a new text's furniture is a row, not code.

Each row gives a ``kind``, a regular expression ``pattern`` for one trimmed line, ``where`` it may stand (``first``:
only the text's first line; ``any``: anywhere), an ``example`` line it must recognise (checked by the tests) and a
``note``. A row with a ``text`` (a slug of data/sources.csv) holds for that text only and is tried before the common
rows: a teacher's hint for a layout nothing else covers. A hint's pattern that does not start with ``^`` is the exact
line (case and accents ignored), so no regular expression is needed.

Placeholders in a pattern: ``{author}`` and ``{title}`` (the text's row in data/sources.csv), ``{name}`` (a person's
name), ``{date}`` (a date as pages print it), ``{weekday}``, ``{month}``, ``{year}``. A row that uses ``{author}``
or ``{title}`` matches the line folded (lower case, no accents, straight quotes).

Plain standard library, so that loading a text stays cheap.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .sources import DATA_DIR, Source, get_source

LAYOUTS_CSV = DATA_DIR / "layouts.csv"
KINDS = ("clutter", "comment", "heading", "note", "title", "byline", "dateline", "subheading", "passage")
COLUMNS = ("text", "kind", "where", "pattern", "example", "note")
_MONTH = ("(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
          "Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
PLACEHOLDERS = {
    "weekday": r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday|\.)?",
    "month": _MONTH,
    "year": r"(?:1[6-9]|20)\d\d",
    "date": (f"(?:{_DAY} {_MONTH},? \\d{{4}}|{_MONTH} {_DAY},? \\d{{4}}"
             r"|\d{4}-\d\d-\d\d|\d{1,2}[/.]\d{1,2}[/.]\d{4})"),
    "name": r"(?:[A-ZÀ-Þ][\w'’.-]*\.?)(?: (?:[A-ZÀ-Þ][\w'’.-]*|de|van|von|der|la|le|di|da|al-)){0,4}",
}


class LayoutError(ValueError):
    """data/layouts.csv cannot be used: the message names the line and the field."""


@dataclass(frozen=True)
class Rule:
    """One row of data/layouts.csv: lines matching ``pattern`` (where allowed) are of ``kind``."""

    kind: str
    where: str
    pattern: str
    text: str = ""
    example: str = ""
    line: int = 0

    @property
    def folded(self) -> bool:
        """Whether the rule reads the folded line: it names the text's author or title, or it is an exact hint."""
        return "{author}" in self.pattern or "{title}" in self.pattern or self.exact

    @property
    def exact(self) -> bool:
        """A per-text hint written as the line itself, not as a regular expression."""
        return bool(self.text) and not self.pattern.startswith("^")


def _fold(text: str) -> str:
    from .texts import fold, strip_markup  # texts imports this module

    return fold(strip_markup(text)).strip()


@lru_cache(maxsize=4)
def read_rules(path: Path = LAYOUTS_CSV) -> tuple[Rule, ...]:
    """Every rule of the layouts file, per-text hints first; a bad row raises LayoutError naming its line."""
    if not path.exists():
        raise LayoutError(f"{path} is missing: it lists the page layouts (titles, bylines, datelines…) that the "
                          "texts are read with.")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise LayoutError(f"{path.name}: missing column(s) {', '.join(missing)}")
        rules, problems = [], []
        for row in reader:
            line = reader.line_num
            rule = Rule(kind=(row["kind"] or "").strip(), where=(row["where"] or "any").strip(),
                        pattern=row["pattern"] or "", text=(row["text"] or "").strip(), example=row["example"] or "",
                        line=line)
            if rule.kind not in KINDS:
                problems.append(f"line {line}: kind {rule.kind!r} is not one of {', '.join(KINDS)}")
            if rule.where not in ("first", "any"):
                problems.append(f"line {line}: where {rule.where!r} must be 'first' or 'any'")
            if not rule.pattern.strip():
                problems.append(f"line {line}: pattern is empty")
            else:
                try:
                    _compile(rule, "author", "title")
                except (re.error, KeyError, IndexError, ValueError) as e:
                    problems.append(f"line {line}: pattern {rule.pattern!r} is not a valid pattern ({e})")
            rules.append(rule)
    if problems:
        raise LayoutError(f"{path.name} needs fixing:\n- " + "\n- ".join(problems))
    return tuple(sorted(rules, key=lambda r: not r.text))


@lru_cache(maxsize=512)
def _compile(rule: Rule, author: str, title: str) -> re.Pattern[str]:
    if rule.exact:
        return re.compile(re.escape(_fold(rule.pattern)) + r"\Z")
    names = sorted({_fold(author), _fold(author.split("(")[0])} - {""}, key=len, reverse=True)
    values = {**PLACEHOLDERS, "author": "(?:" + "|".join(map(re.escape, names or ["\0"])) + ")",
              "title": re.escape(_fold(title).strip(" .?!")) or "\0"}
    pattern = re.sub(r"\{(" + "|".join(values) + r")\}", lambda m: values[m.group(1)], rule.pattern)
    return re.compile(pattern, re.IGNORECASE if rule.folded else 0)


@dataclass(frozen=True)
class Layout:
    """The rules that hold for one text, ready to classify its lines."""

    rules: tuple[tuple[Rule, re.Pattern[str]], ...]

    def kind_of(self, text: str, first: bool) -> str | None:
        """The kind of the first rule a trimmed line matches (``first``: it is the text's first line), or None.

        >>> layout_for(get_source("molyneux")).kind_of("Wednesday, 3 March 2021 by Maria Petrova", first=False)
        'dateline'
        """
        found = self.match(text, first)
        return found[0] if found else None

    def match(self, text: str, first: bool) -> tuple[str, re.Match[str]] | None:
        """The kind and the match of the first rule a trimmed line matches, or None (the match gives a comment's
        ``name``)."""
        folded = None
        for rule, regex in self.rules:
            if rule.where == "first" and not first:
                continue
            if rule.folded:
                folded = _fold(text) if folded is None else folded
                m = regex.search(folded)
            else:
                m = regex.search(text)
            if m is not None:
                return rule.kind, m
        return None


    def unused_hints(self, lines: list[str]) -> list[Rule]:
        """The text's own hints that match none of its (trimmed) lines: most likely a typing mistake."""
        folded = [_fold(t) for t in lines]
        return [rule for rule, regex in self.rules if rule.text
                and not any(regex.search(f if rule.folded else t) for t, f in zip(lines, folded))]


def layout_for(source: Source, path: Path = LAYOUTS_CSV) -> Layout:
    """The common rules and the text's own hints, with its author and title filled in.

    >>> layout_for(get_source("molyneux")).kind_of("John Molyneux 2007", first=False)
    'byline'
    """
    rules = [r for r in read_rules(path) if not r.text or r.text in (source.slug, source.source_id)]
    return Layout(tuple((r, _compile(r, source.author, source.title)) for r in rules))


def example_problems(path: Path = LAYOUTS_CSV) -> list[str]:
    """Rows whose example line is not read as their kind (a common row, with a made-up author): the examples are the
    file's tests.

    >>> example_problems()
    []
    """
    out = []
    for rule in read_rules(path):
        if rule.text or not rule.example:
            continue
        source = Source(**{**vars(get_source("molyneux")), "author": "Maria Petrova", "title": "A made-up title"})
        got = layout_for(source, path).kind_of(rule.example, first=rule.where == "first")
        if got != rule.kind:
            out.append(f"{path.name}, line {rule.line}: example {rule.example!r} reads as {got or 'a passage'}, "
                       f"not {rule.kind}")
    return out

