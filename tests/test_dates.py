"""Tests for helpers.dates: Julian/Gregorian conversion, Russian dual dating, precision."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import dates
from helpers.dates import (
    RUSSIA_LAST_OS,
    RUSSIA_SWITCH_NS,
    JulianDate,
    PartialDate,
    check_precision,
    format_os_ns,
    format_span,
    gregorian_to_julian,
    julian_from_iso,
    julian_offset_days,
    julian_to_gregorian,
    parse_partial,
    used_old_style_in_russia,
)

# (Julian / Old Style, Gregorian / New Style) pairs from the standard histories.
KNOWN_PAIRS = [
    ((1917, 10, 25), date(1917, 11, 7)),  # October insurrection
    ((1917, 10, 24), date(1917, 11, 6)),
    ((1918, 2, 1), date(1918, 2, 14)),  # the day Russia would have had; first N.S. day
    ((1918, 1, 31), date(1918, 2, 13)),  # last O.S. day in Soviet Russia
    ((1917, 2, 23), date(1917, 3, 8)),  # start of the February revolution
    ((1917, 3, 2), date(1917, 3, 15)),  # Nicholas II abdicates
    ((1861, 2, 19), date(1861, 3, 3)),  # emancipation manifesto
    ((1905, 1, 9), date(1905, 1, 22)),  # Bloody Sunday
    ((1582, 10, 4), date(1582, 10, 14)),  # last Julian day in Catholic Europe (proleptic N.S.)
    ((1582, 10, 5), date(1582, 10, 15)),  # first Gregorian day
    ((1752, 9, 2), date(1752, 9, 13)),  # Britain's switch: 2 Sep was followed by 14 Sep
    # 1700 boundary: offset 10 -> 11
    ((1700, 2, 18), date(1700, 2, 28)),
    ((1700, 2, 19), date(1700, 3, 1)),
    ((1700, 2, 29), date(1700, 3, 11)),  # a Julian-only day
    ((1700, 3, 1), date(1700, 3, 12)),
    # 1800 boundary: 11 -> 12
    ((1800, 2, 29), date(1800, 3, 12)),
    ((1800, 3, 1), date(1800, 3, 13)),
    # 1900 boundary: 12 -> 13
    ((1900, 2, 16), date(1900, 2, 28)),
    ((1900, 2, 17), date(1900, 3, 1)),
    ((1900, 2, 29), date(1900, 3, 13)),
    ((1900, 3, 1), date(1900, 3, 14)),
    # 2100 boundary: 13 -> 14
    ((2100, 2, 15), date(2100, 2, 28)),
    ((2100, 2, 29), date(2100, 3, 14)),
]


@pytest.mark.parametrize(("os_ymd", "ns"), KNOWN_PAIRS)
def test_known_pairs_both_ways(os_ymd: tuple[int, int, int], ns: date) -> None:
    assert julian_to_gregorian(os_ymd) == ns
    assert julian_to_gregorian(JulianDate(*os_ymd)) == ns
    assert gregorian_to_julian(ns) == JulianDate(*os_ymd)
    assert gregorian_to_julian(ns).isoformat() == "%04d-%02d-%02d" % os_ymd


def test_julian_date_given_as_datetime_date_is_read_as_julian() -> None:
    assert julian_to_gregorian(date(1917, 10, 25)) == date(1917, 11, 7)


@pytest.mark.parametrize(
    ("ns", "offset"),
    [
        (date(1582, 10, 15), 10),
        (date(1700, 2, 28), 10),
        (date(1700, 3, 1), 11),
        (date(1800, 2, 28), 11),
        (date(1800, 3, 1), 12),
        (date(1900, 2, 28), 12),
        (date(1900, 3, 1), 13),
        (date(1917, 11, 7), 13),
        (date(2000, 2, 29), 13),  # 2000 is a Gregorian leap year: no change
        (date(2000, 3, 1), 13),
        (date(2100, 2, 28), 13),
        (date(2100, 3, 1), 14),
    ],
)
def test_offset_days(ns: date, offset: int) -> None:
    assert julian_offset_days(ns) == offset


def test_offset_accepts_julian_tuple() -> None:
    assert julian_offset_days((1700, 2, 29)) == 11
    assert julian_offset_days(JulianDate(1861, 2, 19)) == 12


def test_russia_switch() -> None:
    assert RUSSIA_SWITCH_NS == date(1918, 2, 14)
    assert julian_to_gregorian(RUSSIA_LAST_OS) + timedelta(days=1) == RUSSIA_SWITCH_NS
    assert used_old_style_in_russia(date(1918, 2, 13))
    assert not used_old_style_in_russia(date(1918, 2, 14))
    assert used_old_style_in_russia(date(1861, 3, 3))
    assert not used_old_style_in_russia(date(1924, 1, 21))


def test_format_os_ns() -> None:
    assert format_os_ns(date(1917, 11, 7), "day") == "7 Nov 1917 (25 Oct O.S.)"
    assert format_os_ns(date(1917, 3, 8)) == "8 Mar 1917 (23 Feb O.S.)"
    assert format_os_ns(date(1918, 1, 13)) == "13 Jan 1918 (31 Dec 1917 O.S.)"
    assert format_os_ns(date(1918, 2, 14)) == "14 Feb 1918"
    assert format_os_ns(date(1917, 11, 7), old_style=False) == "7 Nov 1917"
    assert format_os_ns(date(1871, 3, 18), old_style=False) == "18 Mar 1871"
    assert format_os_ns(date(1917, 3, 1), "month") == "Mar 1917"
    assert format_os_ns(date(1917, 1, 1), "year") == "1917"
    assert format_os_ns(date(1863, 1, 1), "circa") == "c. 1863"


def test_format_span() -> None:
    assert format_span(date(1918, 1, 18), date(1918, 1, 19)) == (
        "18 Jan 1918 (5 Jan O.S.) – 19 Jan 1918 (6 Jan O.S.)"
    )
    assert format_span(date(1929, 1, 1), None, "year") == "1929"
    with pytest.raises(ValueError, match="before start"):
        format_span(date(1930, 1, 2), date(1930, 1, 1))


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("1917-11-07", date(1917, 11, 7), "day"),
        (" 7 Nov 1917 ", date(1917, 11, 7), "day"),
        ("7 November 1917", date(1917, 11, 7), "day"),
        ("November 7, 1917", date(1917, 11, 7), "day"),
        ("1917-11", date(1917, 11, 1), "month"),
        ("Nov 1917", date(1917, 11, 1), "month"),
        ("Sept 1918", date(1918, 9, 1), "month"),
        ("1917", date(1917, 1, 1), "year"),
        ("c. 1932", date(1932, 1, 1), "circa"),
        ("circa 1932", date(1932, 1, 1), "circa"),
        ("ca 1932", date(1932, 1, 1), "circa"),
        ("~1932", date(1932, 1, 1), "circa"),
    ],
)
def test_parse_partial(text: str, value: date, precision: str) -> None:
    p = parse_partial(text)
    assert p == PartialDate(value, precision)  # type: ignore[arg-type]
    assert p.isoformat() == value.isoformat()


def test_parse_partial_old_style() -> None:
    assert parse_partial("1917-10-25", old_style=True) == PartialDate(date(1917, 11, 7), "day")
    assert parse_partial("29 Feb 1900", old_style=True).value == date(1900, 3, 13)
    assert parse_partial("1917", old_style=True).value == date(1917, 1, 1)
    with pytest.raises(ValueError, match="Old Style month"):
        parse_partial("Oct 1917", old_style=True)


def test_partial_span() -> None:
    assert PartialDate(date(1932, 2, 1), "month").latest == date(1932, 2, 29)
    assert PartialDate(date(1932, 1, 1), "year").latest == date(1932, 12, 31)
    c = PartialDate(date(1932, 1, 1), "circa")
    assert (c.earliest, c.latest) == (date(1930, 1, 1), date(1934, 12, 31))
    assert c.is_uncertain and not PartialDate(date(1932, 1, 5)).is_uncertain
    assert PartialDate(date(1917, 11, 7)).format() == "7 Nov 1917 (25 Oct O.S.)"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", "empty"),
        ("yesterday", "cannot read"),
        ("1917-13-01", "month 13"),
        ("1917-02-30", "day 30 does not exist in Feb 1917"),
        ("1900-02-29", "day 29 does not exist in Feb 1900"),  # fine in Julian, not Gregorian
        ("7 Brumaire 1917", "unknown month name"),
        ("0000", "outside"),
    ],
)
def test_parse_partial_rejects(bad: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_partial(bad)


def test_parse_partial_rejects_non_string() -> None:
    with pytest.raises(ValueError, match="expected a date string"):
        parse_partial(1917)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ((1917, 2, 29), "does not exist in Feb 1917"),
        ((1917, 4, 31), "does not exist in Apr 1917"),
        ((1917, 0, 1), "month 0"),
        ((1917, 13, 1), "month 13"),
        ((0, 1, 1), "outside 1–9999"),
        ((1917, 10), "tuple"),
        ("1917-10-25", "tuple"),
        ((1917.0, 10, 25), "must be an int"),
        ((True, 10, 25), "must be an int"),
        ((1, 1, 1), "outside the years datetime"),  # Julian 1 Jan 1 A.D. is Greg. 30 Dec 1 B.C.
    ],
)
def test_julian_to_gregorian_rejects(bad: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        julian_to_gregorian(bad)  # type: ignore[arg-type]


def test_julian_from_iso() -> None:
    assert julian_from_iso("1700-02-29") == JulianDate(1700, 2, 29)
    with pytest.raises(ValueError, match="does not exist"):
        julian_from_iso("1701-02-29")
    with pytest.raises(ValueError, match="not an ISO date"):
        julian_from_iso("25 Oct 1917")


def test_gregorian_functions_reject_non_dates() -> None:
    with pytest.raises(ValueError, match="datetime.date"):
        gregorian_to_julian("1917-11-07")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="datetime.date"):
        used_old_style_in_russia("1917-11-07")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("d", "precision", "message"),
    [
        (date(1917, 3, 8), "month", "day 01"),
        (date(1917, 3, 1), "year", "YYYY-01-01"),
        (date(1917, 3, 1), "circa", "YYYY-01-01"),
        (date(1917, 3, 1), "week", "precision must be one of"),
    ],
)
def test_check_precision_rejects(d: date, precision: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_precision(d, precision)
    if precision != "week":
        with pytest.raises(ValueError, match=message):
            PartialDate(d, precision)  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------

NS_1700_1918 = st.dates(min_value=date(1700, 1, 1), max_value=date(1918, 12, 31))


@given(NS_1700_1918)
def test_round_trip_from_gregorian(ns: date) -> None:
    j = gregorian_to_julian(ns)
    assert julian_to_gregorian(j) == ns
    assert julian_from_iso(j.isoformat()) == j


@st.composite
def julian_days(draw: st.DrawFn) -> JulianDate:
    y = draw(st.integers(1700, 1918))
    m = draw(st.integers(1, 12))
    last = 29 if m == 2 and y % 4 == 0 else (28 if m == 2 else [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return JulianDate(y, m, draw(st.integers(1, last)))


@given(julian_days())
def test_round_trip_from_julian(j: JulianDate) -> None:
    ns = julian_to_gregorian(j)
    assert gregorian_to_julian(ns) == j
    # the offset is the gap between the two readings of the same day, 10–13 in this range
    assert 10 <= julian_offset_days(ns) <= 13


@given(NS_1700_1918)
def test_consecutive_days_stay_consecutive(ns: date) -> None:
    nxt = ns + timedelta(days=1)
    a, b = gregorian_to_julian(ns), gregorian_to_julian(nxt)
    assert julian_to_gregorian(b) - julian_to_gregorian(a) == timedelta(days=1)
    assert (b.year, b.month, b.day) > (a.year, a.month, a.day)


def _offset_by_labels(ns: date) -> int | None:
    """N.S. date minus the O.S. label read as Gregorian; None where that reading is
    meaningless (late February of a century year the Gregorian calendar does not leap)."""
    j = gregorian_to_julian(ns)
    if j.month == 2 and j.year % 100 == 0 and j.year % 400 != 0:
        return None
    return (ns - date(j.year, j.month, j.day)).days


@given(NS_1700_1918)
def test_offset_matches_conversion(ns: date) -> None:
    by_labels = _offset_by_labels(ns)
    if by_labels is not None:
        assert by_labels == julian_offset_days(ns)


def test_every_day_1700_1918() -> None:
    """Exhaustive check of the whole range the collection uses (about 80,000 days)."""
    ns = date(1700, 1, 1)
    prev = gregorian_to_julian(ns - timedelta(days=1))
    while ns <= date(1918, 12, 31):
        j = gregorian_to_julian(ns)
        assert julian_to_gregorian(j) == ns
        assert (j.year, j.month, j.day) > (prev.year, prev.month, prev.day)
        by_labels = _offset_by_labels(ns)
        assert by_labels is None or by_labels == julian_offset_days(ns)
        prev = j
        ns += timedelta(days=1)


def test_doctests() -> None:
    result = doctest.testmod(dates)
    assert result.failed == 0 and result.attempted > 0
