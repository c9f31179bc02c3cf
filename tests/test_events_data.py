"""Validation of data/events.csv (the timeline events) against its documented rules.

See the "events.csv" section of data/README.md for what each column means.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from helpers import inventory
from helpers.sources import all_sources
from helpers.texts import load_document
from helpers.dates import (
    PRECISIONS,
    RUSSIA_SWITCH_NS,
    check_precision,
    gregorian_to_julian,
    julian_from_iso,
    julian_to_gregorian,
)

EVENTS_CSV = Path(__file__).resolve().parents[1] / "data" / "events.csv"

COLUMNS = [
    "event_id", "start_date", "end_date", "precision", "start_date_os", "end_date_os",
    "title", "description", "category", "place", "mentioned_in", "left_out_of", "shown_in", "citation",
]
CATEGORIES = {
    "revolution", "war", "politics", "economy", "society", "culture", "repression",
    "international",
}
# Number of passages per text of data/sources.csv, as the parser cuts them (pinned in tests/test_texts.py).
PASSAGE_COUNTS = {s.slug: len(load_document(s.slug).passages) for s in all_sources()}
PASSAGE_ID = re.compile(r"^([a-z]+)-(\d\d)$")
EVENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

TIMELINE_START = date(1861, 1, 1)
TIMELINE_END = date(1991, 12, 31)
# Later scholarship that a text names and that the collection keeps on purpose, although it
# falls outside the 1861-1991 timeline (Molyneux's footnote cites Lih's 2006 book).
AFTER_TIMELINE_OK = {"lih-lenin-rediscovered"}
# Places that mark an event as Russian (so it needs an Old Style date if day-precise and
# before the switch).
RUSSIAN_PLACE = re.compile(r"Russia|Petrograd|St Petersburg|Pskov|Moscow|Kronstadt")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False, encoding="utf-8")


def _d(text: str) -> date:
    return date.fromisoformat(text)


def test_columns_exactly(events: pd.DataFrame) -> None:
    assert list(events.columns) == COLUMNS


def test_enough_rows(events: pd.DataFrame) -> None:
    assert len(events) >= 65


def test_ids_unique_and_kebab_case(events: pd.DataFrame) -> None:
    assert events["event_id"].is_unique
    bad = [i for i in events["event_id"] if not EVENT_ID.match(i)]
    assert not bad, f"event_id not kebab-case: {bad}"


def test_required_text_fields_filled(events: pd.DataFrame) -> None:
    for col in ["event_id", "start_date", "precision", "title", "description", "category",
                "place", "citation"]:
        empty = events.loc[events[col].str.strip() == "", "event_id"].tolist()
        assert not empty, f"empty {col} in {empty}"


def test_categories_valid(events: pd.DataFrame) -> None:
    bad = events.loc[~events["category"].isin(CATEGORIES), ["event_id", "category"]]
    assert bad.empty, bad.to_string()


def test_precision_valid_and_dates_stored_accordingly(events: pd.DataFrame) -> None:
    for row in events.itertuples():
        assert row.precision in PRECISIONS, row.event_id
        check_precision(_d(row.start_date), row.precision)
        if row.end_date:
            check_precision(_d(row.end_date), row.precision)


def test_dates_parse_and_ranges(events: pd.DataFrame) -> None:
    # pandas must read the columns as dates too (the notebooks do this).
    starts = pd.to_datetime(events["start_date"], format="%Y-%m-%d")
    assert starts.notna().all()
    ends = pd.to_datetime(events["end_date"].replace("", None), format="%Y-%m-%d")
    assert (ends.isna() | (ends >= starts)).all()
    for row in events.itertuples():
        start = _d(row.start_date)
        end = _d(row.end_date) if row.end_date else start
        assert end >= start, row.event_id
        if row.event_id in AFTER_TIMELINE_OK:
            continue
        assert TIMELINE_START <= start <= TIMELINE_END, row.event_id
        assert TIMELINE_START <= end <= TIMELINE_END, row.event_id


def test_old_style_dates_consistent_with_dates_helper(events: pd.DataFrame) -> None:
    for row in events.itertuples():
        for ns_col, os_col in (("start_date", "start_date_os"), ("end_date", "end_date_os")):
            ns_text, os_text = getattr(row, ns_col), getattr(row, os_col)
            if not os_text:
                continue
            assert row.precision == "day", f"{row.event_id}: O.S. date needs day precision"
            assert ns_text, f"{row.event_id}: {os_col} without {ns_col}"
            ns = _d(ns_text)
            assert ns < RUSSIA_SWITCH_NS, f"{row.event_id}: O.S. date after the switch"
            assert gregorian_to_julian(ns).isoformat() == os_text, row.event_id
            assert julian_to_gregorian(julian_from_iso(os_text)) == ns, row.event_id


def test_russian_day_dates_before_switch_have_old_style(events: pd.DataFrame) -> None:
    for row in events.itertuples():
        if row.precision != "day" or not RUSSIAN_PLACE.search(row.place):
            continue
        if _d(row.start_date) < RUSSIA_SWITCH_NS:
            assert row.start_date_os, f"{row.event_id}: missing start_date_os"
        if row.end_date and _d(row.end_date) < RUSSIA_SWITCH_NS:
            assert row.end_date_os, f"{row.event_id}: missing end_date_os"
        if row.start_date_os and not row.end_date:
            assert not row.end_date_os, row.event_id


def test_mentioned_in_ids_valid(events: pd.DataFrame) -> None:
    for row in events.itertuples():
        if not row.mentioned_in:
            continue
        ids = row.mentioned_in.split(" ")
        assert len(ids) == len(set(ids)), f"{row.event_id}: duplicate passage id"
        for pid in ids:
            m = PASSAGE_ID.match(pid)
            assert m, f"{row.event_id}: bad passage id {pid!r}"
            n = int(m.group(2))
            assert m.group(1) in PASSAGE_COUNTS, f"{row.event_id}: no text {m.group(1)!r} in data/sources.csv"
            assert 1 <= n <= PASSAGE_COUNTS[m.group(1)], f"{row.event_id}: {pid} out of range"


def test_every_source_is_linked(events: pd.DataFrame) -> None:
    linked = {pid.split("-")[0] for cell in events["mentioned_in"] for pid in cell.split()}
    assert linked == set(PASSAGE_COUNTS) & set(inventory.full_texts())  # a draft has no events yet (check-text)


def test_citations_look_followable(events: pd.DataFrame) -> None:
    # A URL, or an author/title with a year in it.
    for row in events.itertuples():
        assert "http" in row.citation or re.search(r"\b1[89]\d\d|20\d\d\b", row.citation), (
            row.event_id
        )


def test_descriptions_are_short(events: pd.DataFrame) -> None:
    long = events.loc[events["description"].str.len() > 400, "event_id"].tolist()
    assert not long, f"descriptions over 400 characters: {long}"


def test_sorted_by_start_date(events: pd.DataFrame) -> None:
    assert list(events["start_date"]) == sorted(events["start_date"])
