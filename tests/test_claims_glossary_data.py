"""Checks for data/claims.csv (fact-checked claims) and data/glossary.csv (terms for students).

The passages are the parser's (helpers/texts.py, whose cut is pinned in tests/test_texts.py): quotes must be verbatim
substrings of one passage, passage ids must exist, and every passage listed for a glossary term must really contain
the term or one of its aliases.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from helpers import inventory
from helpers.sources import all_sources
from helpers.texts import load_document

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SOURCES = {s.source_id: s for s in all_sources()}
DOCS = {s.slug: load_document(s.slug) for s in all_sources()}
SLUG_ORDER = {slug: i for i, slug in enumerate(DOCS)}
CLAIM_COLUMNS = ["claim_id", "source_id", "passage_id", "quote", "claim_type", "verdict", "better_value",
                 "explanation", "citation"]
GLOSSARY_COLUMNS = ["term", "aliases", "definition", "event_id", "citation"]
VERDICTS = {"correct", "wrong", "disputed", "unverifiable"}
CLAIM_TYPES = {"date", "number", "name", "place", "event", "attribution"}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _seed(source_id: str) -> str:
    return DOCS[SOURCES[source_id].slug].raw


PASSAGES = {p.id: p.text for doc in DOCS.values() for p in doc.passages}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


CLAIM_HEADER, CLAIMS = _read("claims.csv")
GLOSSARY_HEADER, GLOSSARY = _read("glossary.csv")


def _forms(row: dict[str, str]) -> list[str]:
    return [row["term"]] + [a for a in row["aliases"].split("|") if a.strip()]


def _contains(text: str, form: str) -> bool:
    """Whole-word match; short all-capital forms (NEP, SR) are matched case-sensitively."""
    flags = 0 if form.isupper() and len(form) <= 5 else re.IGNORECASE
    return re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text, flags) is not None


def _key(passage_id: str) -> tuple[int, int]:
    slug, n = passage_id.rsplit("-", 1)
    return SLUG_ORDER[slug], int(n)


def test_passages_cut_as_the_brief_says():
    assert PASSAGES["aunoble-04"].startswith("Those who tried to build") and "the party's centralized" in \
        PASSAGES["aunoble-04"]
    assert PASSAGES["aunoble-14"].startswith("The same can be said") and "intellectuals and to show" in \
        PASSAGES["aunoble-14"]
    assert PASSAGES["siege-03"].startswith("To say that “socialism doesn’t work”")


# ---- claims ----------------------------------------------------------------------------------------------------

def test_claims_columns_exactly():
    assert CLAIM_HEADER == CLAIM_COLUMNS


def test_claim_ids_unique_and_kebab_case():
    ids = [r["claim_id"] for r in CLAIMS]
    assert len(ids) == len(set(ids))
    assert all(KEBAB.match(i) for i in ids), [i for i in ids if not KEBAB.match(i)]


def test_claim_vocabularies():
    assert {r["verdict"] for r in CLAIMS} <= VERDICTS
    assert {r["claim_type"] for r in CLAIMS} <= CLAIM_TYPES


@pytest.mark.parametrize("row", CLAIMS, ids=lambda r: r["claim_id"])
def test_claim_quote_is_verbatim_in_its_passage(row):
    assert row["source_id"] in SOURCES
    slug = SOURCES[row["source_id"]].slug
    count = len(DOCS[slug].passages)
    pid = row["passage_id"]
    assert re.fullmatch(rf"{slug}-\d\d", pid), f"{pid} does not belong to source {row['source_id']} ({slug})"
    assert 1 <= int(pid[-2:]) <= count, f"{pid} is outside {slug}-01…{slug}-{count:02d}"
    assert row["quote"].strip() == row["quote"] and row["quote"]
    assert row["quote"] in _seed(row["source_id"]), "quote is not verbatim in the seed file"
    assert row["quote"] in PASSAGES[pid], "quote is in the seed but not inside the passage given"


@pytest.mark.parametrize("row", CLAIMS, ids=lambda r: r["claim_id"])
def test_claim_has_citation_explanation_and_correction(row):
    assert row["citation"].strip()
    assert row["explanation"].strip()
    if row["verdict"] == "wrong":
        assert row["better_value"].strip(), "a wrong claim needs the value the sources give"
    if row["verdict"] == "correct":
        assert not row["better_value"].strip(), "better_value stays empty when the claim is correct"


def test_claims_cover_every_text_and_include_errors():
    assert len(CLAIMS) >= 40
    full = set(inventory.full_texts())  # a draft lesson has none yet: `tasks.py check-text SLUG` lists them
    for source_id, source in SOURCES.items():  # about one checked claim for every two passages, whatever the length
        if source.slug in full:
            assert sum(r["source_id"] == source_id for r in CLAIMS) >= len(DOCS[source.slug].passages) // 2, source_id
    verdicts = [r["verdict"] for r in CLAIMS]
    # No quota of errors: a key says "wrong" only where every serious account agrees (data/README.md).
    assert "wrong" in verdicts and verdicts.count("correct") >= 10 and "disputed" in verdicts


def test_known_errors_are_recorded():
    by_id = {r["claim_id"]: r for r in CLAIMS}
    assert by_id["essay-lenin-death-date"]["verdict"] == "wrong"
    assert "21 January 1924" in by_id["essay-lenin-death-date"]["better_value"]
    assert by_id["siege-government-formed-in-moscow"]["verdict"] == "wrong"


# ---- glossary --------------------------------------------------------------------------------------------------

def test_glossary_columns_exactly():
    assert GLOSSARY_HEADER == GLOSSARY_COLUMNS


def test_glossary_terms_unique_and_enough():
    terms = [r["term"].strip().lower() for r in GLOSSARY]
    assert len(terms) == len(set(terms)), [t for t in terms if terms.count(t) > 1]
    assert len(GLOSSARY) >= 45


@pytest.mark.parametrize("row", GLOSSARY, ids=lambda r: r["term"])
def test_glossary_row_complete(row):
    assert row["term"].strip() and row["definition"].strip() and row["citation"].strip()
    if row["aliases"]:
        assert all(a and a.strip() == a for a in row["aliases"].split("|")), "empty or padded alias"
    if row["event_id"] and (DATA / "events.csv").exists():
        with open(DATA / "events.csv", newline="", encoding="utf-8") as f:
            assert row["event_id"] in {e["event_id"] for e in csv.DictReader(f)}


def test_glossary_terms_are_marked_only_where_they_appear():
    """Where a term occurs is computed (helpers.glossary.where_used), never typed; it marks a term only in passages
    that hold one of its forms as a whole word."""
    from helpers.glossary import where_used

    used = where_used()
    for row in GLOSSARY:
        found = {p for p in PASSAGES if any(_contains(PASSAGES[p], f) for f in _forms(row))}
        assert set(used[row["term"]]) <= found, row["term"]
    assert "molyneux-07" in used["Bolshevik"] and "essay-08" in used["Constituent Assembly"]
