"""Checks on the statistics series and the figures the texts cite.

Files checked: data/series_meta.csv, data/series.csv, data/cited_figures.csv (documented in data/README.md).
Passages are the parser's (helpers/texts.py, its cut pinned in tests/test_texts.py), for every text of
data/sources.csv.
"""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

from helpers.sources import all_sources
from helpers.texts import load_document

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SERIES_META_COLUMNS = ["series_id", "title", "unit", "x_kind", "description", "source"]
SERIES_COLUMNS = ["series_id", "x", "value", "low", "high", "citation", "note"]
FIGURE_COLUMNS = [
    "figure_id", "passage_id", "quote", "value", "unit", "what", "compare_series", "compare_value",
    "compare_low", "compare_high", "compare_citation", "verdict", "note",
]
VERDICTS = {"consistent", "too_high", "too_low", "disputed", "unverifiable"}

DOCS = {s.slug: load_document(s.slug) for s in all_sources()}
PASSAGE_ID = re.compile(r"^(?P<slug>[a-z]+)-(?P<n>\d{2})$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


@pytest.fixture(scope="module")
def meta() -> list[dict[str, str]]:
    return _read("series_meta.csv")[1]


@pytest.fixture(scope="module")
def series() -> list[dict[str, str]]:
    return _read("series.csv")[1]


@pytest.fixture(scope="module")
def figures() -> list[dict[str, str]]:
    return _read("cited_figures.csv")[1]


@pytest.fixture(scope="module")
def passages() -> dict[str, str]:
    return {p.id: p.text for doc in DOCS.values() for p in doc.passages}


# ---------------------------------------------------------------- columns


@pytest.mark.parametrize("name, columns", [
    ("series_meta.csv", SERIES_META_COLUMNS),
    ("series.csv", SERIES_COLUMNS),
    ("cited_figures.csv", FIGURE_COLUMNS),
])
def test_columns_exactly(name, columns):
    fields, rows = _read(name)
    assert fields == columns
    assert rows, f"{name} has no rows"


# ---------------------------------------------------------------- series_meta / series


def test_series_meta_ids_unique_snake_case(meta):
    ids = [m["series_id"] for m in meta]
    assert len(ids) == len(set(ids))
    assert all(SNAKE.match(i) for i in ids), ids


def test_series_meta_fields_filled(meta):
    for m in meta:
        assert m["x_kind"] in {"year", "category"}, m
        for column in ("title", "unit", "description", "source"):
            assert m[column].strip(), (m["series_id"], column)


def test_at_least_eight_series_with_data(meta, series):
    used = {r["series_id"] for r in series}
    assert len(used) >= 8
    assert {m["series_id"] for m in meta} == used, "every described series has rows and vice versa"


def test_series_ids_exist_in_meta(meta, series):
    known = {m["series_id"] for m in meta}
    unknown = {r["series_id"] for r in series} - known
    assert not unknown


def test_values_numeric_or_empty(series):
    for r in series:
        for column in ("value", "low", "high"):
            assert r[column] == "" or _is_number(r[column]), (r["series_id"], r["x"], column, r[column])


def test_every_row_has_a_value_or_range(series):
    for r in series:
        assert r["value"] != "" or (r["low"] != "" and r["high"] != ""), (r["series_id"], r["x"])


def test_low_high_bracket_value(series):
    for r in series:
        if r["low"] and r["high"]:
            assert float(r["low"]) <= float(r["high"]), (r["series_id"], r["x"])
            if r["value"]:
                assert float(r["low"]) <= float(r["value"]) <= float(r["high"]), (r["series_id"], r["x"])


def test_every_row_has_a_citation(series):
    assert all(r["citation"].strip() for r in series)


def test_year_series_have_integer_years(meta, series):
    kinds = {m["series_id"]: m["x_kind"] for m in meta}
    for r in series:
        if kinds[r["series_id"]] == "year":
            assert re.fullmatch(r"1[5-9]\d\d|20\d\d", r["x"]), (r["series_id"], r["x"])
        else:
            assert r["x"].strip(), r["series_id"]


def test_x_unique_within_series(series):
    seen = set()
    for r in series:
        key = (r["series_id"], r["x"])
        assert key not in seen, key
        seen.add(key)


def test_index_series_is_100_in_base_year(series):
    index = {r["x"]: float(r["value"]) for r in series if r["series_id"] == "gdp_per_head_ussr_index"}
    assert index["1913"] == 100.0


# ---------------------------------------------------------------- cited figures


def test_figure_ids_unique_kebab_case(figures):
    ids = [f["figure_id"] for f in figures]
    assert len(ids) == len(set(ids))
    assert all(KEBAB.match(i) for i in ids), ids


def test_passage_ids_in_ranges(figures):
    for f in figures:
        m = PASSAGE_ID.match(f["passage_id"])
        assert m, f["passage_id"]
        assert m["slug"] in DOCS, f["passage_id"]
        assert 1 <= int(m["n"]) <= len(DOCS[m["slug"]].passages), f["passage_id"]


def test_quotes_verbatim_in_seed_file(figures):
    for f in figures:
        slug = f["passage_id"].split("-")[0]
        assert f["quote"] and f["quote"] in DOCS[slug].raw, f["figure_id"]


def test_quotes_lie_in_their_passage(figures, passages):
    for f in figures:
        assert f["quote"] in passages[f["passage_id"]], f["figure_id"]


def test_figure_numbers_numeric_or_empty(figures):
    for f in figures:
        assert _is_number(f["value"]), (f["figure_id"], "a cited figure needs the text's number")
        for column in ("compare_value", "compare_low", "compare_high"):
            assert f[column] == "" or _is_number(f[column]), (f["figure_id"], column, f[column])


def test_verdicts_known(figures):
    assert all(f["verdict"] in VERDICTS for f in figures)


def test_compare_series_exists(meta, figures):
    known = {m["series_id"] for m in meta}
    for f in figures:
        assert f["compare_series"] == "" or f["compare_series"] in known, f["figure_id"]


def test_compare_citation_when_compared(figures):
    for f in figures:
        if f["compare_value"] or f["compare_low"] or f["compare_high"]:
            assert f["compare_citation"].strip(), f["figure_id"]


def test_judged_figures_have_comparison_and_note(figures):
    for f in figures:
        assert f["what"].strip() and f["unit"].strip(), f["figure_id"]
        if f["verdict"] in {"too_high", "too_low", "disputed"}:
            assert f["note"].strip() and f["compare_citation"].strip(), f["figure_id"]


def test_wrong_figures_point_the_right_way(figures):
    for f in figures:
        if f["verdict"] in {"too_high", "too_low"} and f["value"] and f["compare_value"]:
            value, scholarly = float(f["value"]), float(f["compare_value"])
            assert (value > scholarly) if f["verdict"] == "too_high" else (value < scholarly), f["figure_id"]
