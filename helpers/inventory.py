"""The claim inventory: every checkable sentence of a text is either fact-checked or listed with the reason it is not.

A sentence is *checkable* when it names something a reader could look up: a number or date, a person, place, party
or work (a capitalised word after the first), or a sweeping generalisation ("virtually every", "never", "all").
It is *accounted for* when a row of ``data/claims.csv`` or ``data/cited_figures.csv`` quotes words of it, or when
``data/claim_inventory.csv`` lists it (by its first words) with one of ``REASONS``. ``unaccounted`` is what
``tests/test_inventory.py`` keeps empty for every text in ``data/sources.csv``, and what ``tasks.py check-text``
shows a teacher as a to-do list.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .context import load
from .sources import DATA_DIR, all_sources, get_source
from .texts import load_document

INVENTORY_CSV = DATA_DIR / "claim_inventory.csv"
REASONS = {
    "interpretation": "the author's argument or judgement, not a fact: students weigh it in the discussion",
    "page_reference": "a page of the book under review, checkable only in that book",
    "restates": "says again what a checked claim of the same text says",
    "quotation": "words quoted from another work; the quotation's source is what could be checked",
    "not_checked": "checkable, not yet checked: a to-do for whoever extends the lesson",
}
_ABBREVIATIONS = re.compile(r"(?:\b(?:p|pp|cf|vol|no|nos|ch|St|Dr|Mr|Mrs|etc|e\.g|i\.e|ed|eds|trans)|\b[A-Z])$")
_END = re.compile(r"[.!?]+[\"”’)\]*]*(?:<sup>\d+</sup>)?(?=\s+[\"“‘(*<A-Z0-9])")
_PROPER = re.compile(r"(?<!^)(?<![.!?:]\s)\b[A-Z][a-z]{2,}")
_SWEEPING = re.compile(r"\b(?:virtually every|every|never|always|all the|no one|nobody|entire|none of)\b", re.I)


@dataclass(frozen=True)
class Sentence:
    passage_id: str
    text: str


def sentences(text: str) -> list[str]:
    """The sentences of a passage, not cut at "p. 3", "e.g." or an initial.

    >>> sentences("Willimott cites a journal (p. 3). He is right. J. V. Stalin spoke in 1931.")
    ['Willimott cites a journal (p. 3).', 'He is right.', 'J. V. Stalin spoke in 1931.']
    """
    out, start = [], 0
    for m in _END.finditer(text):
        if _ABBREVIATIONS.search(text[start:m.start()]):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    return [s for s in [*out, tail] if s]


def checkable(sentence: str) -> bool:
    """Whether a sentence names something a reader could look up.

    >>> checkable("Lenin died on January 24, 1924."), checkable("That was the end of it.")
    (True, False)
    """
    body = re.sub(r"<[^>]+>|\*", "", sentence)
    return bool(re.search(r"\d", body) or _PROPER.search(body) or _SWEEPING.search(body))


@lru_cache(maxsize=4)
def _listed(path: Path = INVENTORY_CSV) -> tuple[tuple[int, str, str, str, str], ...]:
    if not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as f:
        return tuple((line, r.get("passage_id", ""), r.get("starts_with", ""), r.get("reason", ""), r.get("note", ""))
                     for line, r in enumerate(csv.DictReader(f), start=2))


def inventory_problems(path: Path = INVENTORY_CSV) -> list[str]:
    """Rows of the inventory file that cannot be right: unknown reason, no note, or first words no sentence has."""
    texts = {p.id: p.text for s in all_sources() for p in load_document(s.slug).passages}
    out = []
    for line, pid, start, reason, note in _listed(path):
        where = f"data/{path.name}, line {line}"
        if reason not in REASONS:
            out.append(f"{where}: reason {reason!r} is not one of: {', '.join(REASONS)}")
        if not note.strip():
            out.append(f"{where}: say in 'note' why this sentence is not checked (or what it restates)")
        if not any(s.startswith(start) for s in sentences(texts.get(pid, ""))) or not start:
            out.append(f"{where}: no sentence of {pid or '(no passage)'} starts with {start!r}")
    return out


def _quotes(passage_id: str) -> list[str]:
    claims, figs = load("claims"), load("cited_figures")
    return ([str(q) for q in claims.loc[claims["passage_id"] == passage_id, "quote"]]
            + [str(q) for q in figs.loc[figs["passage_id"] == passage_id, "quote"]])


def unaccounted(slug: str, path: Path = INVENTORY_CSV) -> list[Sentence]:
    """The checkable sentences of one text that no claim, figure or inventory row accounts for, in reading order.

    >>> [s.passage_id for s in unaccounted("molyneux")]
    []
    """
    listed = {(pid, start) for _line, pid, start, _r, _n in _listed(path)}
    out = []
    for p in load_document(get_source(slug).slug).passages:
        quotes = _quotes(p.id)
        for s in sentences(p.text):
            if not checkable(s) or any(q in s or s in q for q in quotes):
                continue
            if not any(pid == p.id and s.startswith(start) for pid, start in listed):
                out.append(Sentence(p.id, s))
    return out


def is_draft(slug: str) -> bool:
    """A text with no claims in data/claims.csv and no event of data/events.csv naming its passages: a *draft*
    lesson (``tasks.py new-lesson`` writes one from a text's row alone). The tests that ask for a full lesson's
    fact-checks and timeline skip it; ``tasks.py check-text`` lists what it still needs.

    >>> is_draft("molyneux")
    False
    """
    source = get_source(slug)
    prefix = source.slug + "-"
    claims, events = load("claims"), load("events")
    if (claims["source_id"].astype(str) == source.source_id).any():
        return False
    named = [str(c) for column in ("mentioned_in", "left_out_of") for c in events[column].dropna()]
    return not any(p.startswith(prefix) for cell in named for p in cell.split())


def full_texts() -> list[str]:
    """The slugs of the texts whose lessons are no longer drafts, in the order of data/sources.csv.

    >>> full_texts()[:2]
    ['molyneux', 'essay']
    """
    return [s.slug for s in all_sources() if not is_draft(s.slug)]
