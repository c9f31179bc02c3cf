"""Facts about the data written into prose: counts and verdict lists for data/README.md, derived, never typed.

A README that says "70 claims, 3 wrong" drifts the day someone adds a claim. Here each such passage is a block
between ``<!-- facts:NAME -->`` and ``<!-- /facts -->`` whose text ``blocks()`` computes from the CSV files;
``python3 tasks.py derive`` rewrites the blocks, and ``tests/test_datafacts.py`` fails, naming that command, when a
block is stale. Nothing here knows how many texts there are: it reads them from ``data/sources.csv``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .context import load
from .sources import DATA_DIR, all_sources

README = DATA_DIR / "README.md"
_BLOCK = re.compile(r"(<!-- facts:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /facts -->)", re.DOTALL)
_VERDICT_ORDER = ("correct", "wrong", "disputed", "unverifiable")
_FIGURE_PROBLEMS = ("too_high", "too_low", "disputed", "unverifiable")


def _count_words(counts: pd.Series, order: tuple[str, ...]) -> str:
    return ", ".join(f"{int(counts.get(v, 0))} {v.replace('_', ' ')}" for v in order if counts.get(v, 0))


def _claims_block() -> str:
    """How many claims each text has and with what verdicts."""
    claims = load("claims")
    per_text = claims["source_id"].value_counts()
    texts = ", ".join(f"{s.slug} {int(per_text.get(s.source_id, 0))}" for s in all_sources())
    verdicts = _count_words(claims["verdict"].astype(str).value_counts(), _VERDICT_ORDER)
    return f"{len(claims)} claims: {texts}; verdicts: {verdicts}.\n"


def _claim_verdicts_block() -> str:
    """Every claim not judged correct, text by text, grouped by verdict: the list a teacher reads before class."""
    claims = load("claims")
    lines = []
    for s in all_sources():
        mine = claims[claims["source_id"] == s.source_id]
        for verdict in _VERDICT_ORDER[1:]:
            rows = mine[mine["verdict"].astype(str) == verdict]
            if len(rows):
                quotes = "; ".join(f"“{q}” ({p})" for q, p in zip(rows["quote"], rows["passage_id"]))
                lines.append(f"- {s.label}, {verdict} ({len(rows)}): {quotes}")
    return "\n".join(lines) + "\n"


def _figures_block() -> str:
    """The cited figures whose verdict is not 'consistent', with the value the sources give."""
    figs = load("cited_figures")
    bad = figs[figs["verdict"].astype(str).isin(_FIGURE_PROBLEMS)]
    lines = [f"- “{r.quote}” ({r.passage_id}): {str(r.verdict).replace('_', ' ')}"
             + (f"; the sources: {r.compare_value:,.0f}" if pd.notna(r.compare_value) else "")
             for r in bad.itertuples()]
    head = f"{len(figs)} figures, {len(bad)} of them not simply consistent with the sources:"
    return "\n".join([head, *lines]) + "\n"


def _rows_block(table: str, noun: str) -> str:
    return f"{len(load(table))} {noun}\n"


def blocks() -> dict[str, str]:
    """The text of every facts block, by name, computed from the data now.

    >>> blocks()["glossary"].endswith(" terms\\n")
    True
    """
    return {"claims": _claims_block(), "claim_verdicts": _claim_verdicts_block(), "figures": _figures_block(),
            "events": _rows_block("events", "events"), "glossary": _rows_block("glossary", "terms")}


def refreshed(text: str) -> str:
    """``text`` with every facts block rewritten from the data; an unknown block name is an error naming it.

    >>> old = "Count: <!-- facts:glossary -->\\nold\\n<!-- /facts -->"
    >>> refreshed(old) == refreshed(old.replace("old\\n", ""))
    True
    """
    known = blocks()

    def fill(m: re.Match) -> str:
        name = m["name"]
        if name not in known:
            raise KeyError(f"data/README.md has a block 'facts:{name}' that helpers/datafacts.py does not know; "
                           f"known blocks: {', '.join(known)}")
        return m.group(1) + known[name] + m.group(4)

    return _BLOCK.sub(fill, text)


def stale(path: Path = README) -> bool:
    """True when a facts block of ``path`` no longer says what the data says."""
    text = path.read_text(encoding="utf-8")
    return refreshed(text) != text


def write(path: Path = README) -> bool:
    """Rewrite the facts blocks of ``path``; True if anything changed."""
    text = path.read_text(encoding="utf-8")
    new = refreshed(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
