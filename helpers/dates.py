"""Julian (Old Style) and Gregorian (New Style) dates, and dates of limited precision.

Why this module exists
----------------------
Russia kept the Julian calendar until early 1918, so Russian sources (and many
history books) date the revolutions of 1917 "Old Style" (O.S.): the February
revolution began on 23 February O.S., which was 8 March in the Gregorian
("New Style", N.S.) calendar that the rest of Europe used.  The collection stores
every date in New Style, so that all events sort on one axis, and shows the Old
Style date beside it for Russian events before the switch: "7 Nov 1917 (25 Oct O.S.)".

Conventions
-----------
* A Gregorian date is a ``datetime.date`` (``datetime`` is proleptic Gregorian).
* A Julian date is a :class:`JulianDate` ``(year, month, day)`` named tuple of ints,
  **not** a ``datetime.date``: some Julian days have no Gregorian twin with the same
  numbers.  Julian 29 February 1700, 1800, 1900 and 2100 existed (every fourth Julian
  year is a leap year) but ``date(1700, 2, 29)`` raises ``ValueError``.  Functions that
  take a Julian date accept a :class:`JulianDate`, any ``(y, m, d)`` tuple of ints, or a
  ``datetime.date`` whose fields are read as Julian numbers.
* Conversions go through the Julian Day Number (JDN), the continuous count of days used
  by astronomers, so they are exact for every year 1–9999 that ``datetime`` can hold
  (proleptically before 1582).  The offset between the calendars is 10 days from
  1582 to 28 Feb 1700 N.S., 11 days to 28 Feb 1800 N.S., 12 days to 28 Feb 1900 N.S.,
  and 13 days from 1 Mar 1900 to 28 Feb 2100 N.S.
* Soviet Russia's switch: the day after Wednesday 31 January 1918 O.S. was declared
  Thursday 14 February 1918, under a decree of the Council of People's Commissars adopted
  on 24 January (6 February) 1918, which also asked for the Old Style date to be given in
  brackets until 1 July 1918 (Presidential Library, https://prlib.ru/en/history/619010).
  :data:`RUSSIA_SWITCH_NS` is that first New Style day.  Before 1700 Russia counted
  years from the creation of the world; this module ignores that and treats every
  Russian date before the switch as Julian with an A.D. year.
* Precision: ``"day"``, ``"month"`` (stored as the 1st of the month), ``"year"``
  (stored as 1 January) and ``"circa"`` (an approximate year, stored as 1 January).

Only the standard library is used, so notebooks, data checks and tests can share it.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple, get_args

__all__ = [
    "CIRCA_YEARS",
    "JulianDate",
    "MONTH_ABBR",
    "PRECISIONS",
    "PartialDate",
    "Precision",
    "RUSSIA_LAST_OS",
    "RUSSIA_SWITCH_NS",
    "check_precision",
    "format_os_ns",
    "format_partial",
    "format_span",
    "gregorian_to_julian",
    "is_julian_leap",
    "julian_from_iso",
    "julian_offset_days",
    "julian_to_gregorian",
    "parse_partial",
    "used_old_style_in_russia",
]

Precision = Literal["day", "month", "year", "circa"]
#: Allowed precision labels, finest first.
PRECISIONS: tuple[str, ...] = get_args(Precision)

#: How many years either side of a "circa" year :meth:`PartialDate.latest` and
#: :meth:`PartialDate.earliest` allow for.  A teaching convention, not a standard.
CIRCA_YEARS = 2

#: First New Style day in Soviet Russia (Thursday 14 February 1918 N.S.).
RUSSIA_SWITCH_NS = date(1918, 2, 14)

MONTH_ABBR: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
_MONTH_LOOKUP: dict[str, int] = {}
for _i, _name in enumerate(_calendar.month_name[1:], start=1):
    _MONTH_LOOKUP[_name.lower()] = _i
    _MONTH_LOOKUP[_name[:3].lower()] = _i
_MONTH_LOOKUP["sept"] = 9

# JDN of 0001-01-01 (proleptic Gregorian) minus its date.toordinal() value (1).
_JDN_MINUS_ORDINAL = 1721425


class JulianDate(NamedTuple):
    """A day named in the Julian (Old Style) calendar: plain ints, validated by
    :func:`julian_from_iso` and the conversion functions (not by construction)."""

    year: int
    month: int
    day: int

    def isoformat(self) -> str:
        """``YYYY-MM-DD``, the form used in the data files' ``*_os`` columns."""
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.isoformat()


def is_julian_leap(year: int) -> bool:
    """True if ``year`` is a leap year in the Julian calendar (every fourth year)."""
    return year % 4 == 0


def _julian_month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_julian_leap(year) else 28
    return _calendar.monthrange(2001, month)[1]  # any non-leap year gives the rest


def _as_julian(d: JulianDate | tuple[int, int, int] | date) -> JulianDate:
    """Normalise and validate a Julian date given in any accepted form."""
    if isinstance(d, date):
        y, m, dd = d.year, d.month, d.day
    else:
        try:
            y, m, dd = d
        except (TypeError, ValueError):
            raise ValueError(
                f"a Julian date must be a (year, month, day) tuple or a date, got {d!r}"
            ) from None
    for name, value in (("year", y), ("month", m), ("day", dd)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"Julian {name} must be an int, got {value!r}")
    if not 1 <= y <= 9999:
        raise ValueError(f"Julian year {y} is outside 1–9999")
    if not 1 <= m <= 12:
        raise ValueError(f"Julian month {m} is outside 1–12 (in {y:04d}-{m:02d}-{dd:02d})")
    last = _julian_month_length(y, m)
    if not 1 <= dd <= last:
        raise ValueError(
            f"Julian day {dd} does not exist in {MONTH_ABBR[m - 1]} {y} "
            f"(the month has {last} days in the Julian calendar)"
        )
    return JulianDate(y, m, dd)


def _julian_to_jdn(j: JulianDate) -> int:
    # Standard algorithm (e.g. Meeus / Fliegel–Van Flandern) for the Julian calendar.
    a = (14 - j.month) // 12
    y = j.year + 4800 - a
    m = j.month + 12 * a - 3
    return j.day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083


def _jdn_to_julian(jdn: int) -> JulianDate:
    c = jdn + 32082
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = d - 4800 + m // 10
    return JulianDate(year, month, day)


def julian_to_gregorian(d: JulianDate | tuple[int, int, int] | date) -> date:
    """Return the Gregorian (New Style) date of a Julian (Old Style) day.

    ``d`` may be a :class:`JulianDate`, a ``(year, month, day)`` tuple of ints (needed for
    Julian 29 Feb 1700/1800/1900), or a ``date`` whose fields are read as Julian.

    >>> julian_to_gregorian((1917, 10, 25))
    datetime.date(1917, 11, 7)
    >>> julian_to_gregorian((1900, 2, 29))
    datetime.date(1900, 3, 13)

    Raises ``ValueError`` for a day that does not exist in the Julian calendar, or whose
    Gregorian date falls outside what ``datetime.date`` can hold.
    """
    j = _as_julian(d)
    ordinal = _julian_to_jdn(j) - _JDN_MINUS_ORDINAL
    if not date.min.toordinal() <= ordinal <= date.max.toordinal():
        raise ValueError(f"Julian {j.isoformat()} falls outside the years datetime can hold")
    return date.fromordinal(ordinal)


def gregorian_to_julian(d: date) -> JulianDate:
    """Return the Julian (Old Style) name of a Gregorian (New Style) day.

    The result is a :class:`JulianDate` named tuple, not a ``date``, because the Julian
    day may be a 29 February that ``datetime`` rejects (e.g. N.S. 1900-03-13 is O.S.
    1900-02-29).  Use ``.isoformat()`` for the ``YYYY-MM-DD`` text.

    >>> gregorian_to_julian(date(1917, 11, 7))
    JulianDate(year=1917, month=10, day=25)
    """
    if not isinstance(d, date):
        raise ValueError(f"expected a datetime.date (New Style), got {d!r}")
    return _jdn_to_julian(d.toordinal() + _JDN_MINUS_ORDINAL)


def julian_offset_days(d: date | JulianDate | tuple[int, int, int]) -> int:
    """Days by which the Gregorian calendar is ahead of the Julian on day ``d``.

    A ``date`` is read as New Style; a :class:`JulianDate` or tuple as Old Style.
    The offset is 10 before 1 Mar 1700 N.S., 11 before 1 Mar 1800 N.S., 12 before
    1 Mar 1900 N.S., 13 from then until 28 Feb 2100 N.S., 14 after that: it grows by one
    on 1 March N.S. of each year divisible by 100 but not by 400, when the Julian
    calendar has a 29 February that the Gregorian skips.

    >>> julian_offset_days(date(1917, 11, 7))
    13
    """
    if isinstance(d, date):
        ns = d
    else:
        ns = julian_to_gregorian(d)
    # Count Gregorian March-based years so the change falls on 1 March N.S.
    y = ns.year if ns.month > 2 else ns.year - 1
    return y // 100 - y // 400 - 2


#: Last Old Style day in Soviet Russia (31 January 1918 O.S. = 13 February 1918 N.S.).
RUSSIA_LAST_OS = JulianDate(1918, 1, 31)


def used_old_style_in_russia(ns_date: date) -> bool:
    """True if Russians dated the (New Style) day ``ns_date`` in the Julian calendar.

    That is every day before :data:`RUSSIA_SWITCH_NS` (14 Feb 1918 N.S.).  The White
    governments kept Old Style longer in the territory they held; this function follows
    Soviet law, as the collection's sources do.
    """
    if not isinstance(ns_date, date):
        raise ValueError(f"expected a datetime.date (New Style), got {ns_date!r}")
    return ns_date < RUSSIA_SWITCH_NS


def julian_from_iso(text: str) -> JulianDate:
    """Parse ``YYYY-MM-DD`` as a Julian date (accepts Julian-only days like 1700-02-29).

    >>> julian_from_iso("1700-02-29")
    JulianDate(year=1700, month=2, day=29)
    """
    if not isinstance(text, str):
        raise ValueError(f"expected an ISO date string, got {text!r}")
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})\s*", text)
    if not m:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {text!r}")
    return _as_julian((int(m[1]), int(m[2]), int(m[3])))


# ---------------------------------------------------------------------------
# Precision
# ---------------------------------------------------------------------------


def check_precision(d: date, precision: str) -> None:
    """Raise ``ValueError`` unless ``d`` is stored the way ``precision`` requires.

    Month precision must be stored on day 1, year and circa on 1 January, so that a
    coarse date never pretends to a day it does not know.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}; got {precision!r}")
    if not isinstance(d, date):
        raise ValueError(f"expected a datetime.date, got {d!r}")
    if precision == "month" and d.day != 1:
        raise ValueError(f"a month-precision date must be stored as day 01, got {d.isoformat()}")
    if precision in ("year", "circa") and (d.month, d.day) != (1, 1):
        raise ValueError(
            f"a {precision}-precision date must be stored as YYYY-01-01, got {d.isoformat()}"
        )


@dataclass(frozen=True)
class PartialDate:
    """A New Style date known only to some precision.

    ``value`` is the stored date (1st of the month for ``"month"``, 1 January for
    ``"year"`` and ``"circa"``); ``earliest``/``latest`` give the span it may mean.
    """

    value: date
    precision: Precision = "day"

    def __post_init__(self) -> None:
        check_precision(self.value, self.precision)

    @property
    def earliest(self) -> date:
        """First day the date may mean."""
        if self.precision == "circa":
            return date(max(1, self.value.year - CIRCA_YEARS), 1, 1)
        return self.value

    @property
    def latest(self) -> date:
        """Last day the date may mean."""
        v = self.value
        if self.precision == "day":
            return v
        if self.precision == "month":
            return date(v.year, v.month, _calendar.monthrange(v.year, v.month)[1])
        if self.precision == "year":
            return date(v.year, 12, 31)
        return date(min(9999, v.year + CIRCA_YEARS), 12, 31)

    @property
    def is_uncertain(self) -> bool:
        """True for anything coarser than a day."""
        return self.precision != "day"

    def isoformat(self) -> str:
        """The stored date as ``YYYY-MM-DD`` (what the CSV files hold)."""
        return self.value.isoformat()

    def format(self, old_style: bool | None = None) -> str:
        """Readable form; see :func:`format_os_ns`."""
        return format_os_ns(self.value, self.precision, old_style=old_style)


_CIRCA_RE = re.compile(r"^(?:c\.?|ca\.?|circa|about|~)\s*(\d{3,4})$", re.IGNORECASE)
_ISO_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY_RE = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(\d{4})$")
_MDY_RE = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def _month_number(name: str, text: str) -> int:
    try:
        return _MONTH_LOOKUP[name.lower()]
    except KeyError:
        raise ValueError(f"unknown month name {name!r} in {text!r}") from None


def parse_partial(text: str, old_style: bool = False) -> PartialDate:
    """Parse a date of day, month, year or circa precision.

    Accepted forms (surrounding spaces ignored, month names in English, full or
    abbreviated):

    * ``1917-11-07``, ``7 Nov 1917``, ``November 7, 1917`` -> day
    * ``1917-11``, ``Nov 1917`` -> month (stored as 1917-11-01)
    * ``1917`` -> year (stored as 1917-01-01)
    * ``c. 1917``, ``ca 1917``, ``circa 1917``, ``~1917`` -> circa (stored as 1917-01-01)

    With ``old_style=True`` the text is read as Julian and a day-precision date is
    converted to New Style (so ``parse_partial("1917-10-25", old_style=True)`` gives
    7 Nov 1917).  Year and circa precision are left alone (the calendars differ by under
    two weeks).  Month precision with ``old_style=True`` raises ``ValueError``: an Old
    Style month straddles two New Style months, so no single stored month is right.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a date string, got {text!r}")
    s = " ".join(text.strip().split())
    if not s:
        raise ValueError("empty date string")

    y: int
    m: int | None = None
    d: int | None = None
    circa = False

    if mc := _CIRCA_RE.match(s):
        y, circa = int(mc[1]), True
    elif mi := _ISO_RE.match(s):
        y = int(mi[1])
        m = int(mi[2]) if mi[2] else None
        d = int(mi[3]) if mi[3] else None
    elif md := _DMY_RE.match(s):
        d = int(md[1]) if md[1] else None
        m = _month_number(md[2], text)
        y = int(md[3])
    elif mm := _MDY_RE.match(s):
        m = _month_number(mm[1], text)
        d = int(mm[2])
        y = int(mm[3])
    else:
        raise ValueError(
            f"cannot read {text!r} as a date; use YYYY-MM-DD, YYYY-MM, YYYY, "
            f"'7 Nov 1917', 'Nov 1917' or 'c. 1917'"
        )

    if not 1 <= y <= 9999:
        raise ValueError(f"year {y} is outside 1–9999 in {text!r}")
    if m is not None and not 1 <= m <= 12:
        raise ValueError(f"month {m} is outside 1–12 in {text!r}")

    if circa:
        return PartialDate(date(y, 1, 1), "circa")
    if m is None:
        return PartialDate(date(y, 1, 1), "year")
    if d is None:
        if old_style:
            raise ValueError(
                f"{text!r}: an Old Style month cannot be stored as one New Style month; "
                "give a day, or give the New Style month"
            )
        return PartialDate(date(y, m, 1), "month")
    if old_style:
        return PartialDate(julian_to_gregorian((y, m, d)), "day")
    try:
        return PartialDate(date(y, m, d), "day")
    except ValueError:
        last = _calendar.monthrange(y, m)[1]
        raise ValueError(
            f"day {d} does not exist in {MONTH_ABBR[m - 1]} {y} (Gregorian: {last} days)"
            f" in {text!r}"
        ) from None


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def _fmt_day(day: int, month: int, year: int | None) -> str:
    core = f"{day} {MONTH_ABBR[month - 1]}"
    return core if year is None else f"{core} {year}"


def format_os_ns(ns: date, precision: str = "day", old_style: bool | None = None) -> str:
    """A readable date, with the Old Style date beside it where Russians used it.

    ``ns`` is the stored New Style date.  ``old_style`` decides whether to add the
    O.S. date: ``None`` (default) adds it for day-precision dates before
    :data:`RUSSIA_SWITCH_NS`; pass ``False`` for events outside Russia.

    >>> format_os_ns(date(1917, 11, 7))
    '7 Nov 1917 (25 Oct O.S.)'
    >>> format_os_ns(date(1918, 1, 13))
    '13 Jan 1918 (31 Dec 1917 O.S.)'
    >>> format_os_ns(date(1924, 1, 21))
    '21 Jan 1924'
    >>> format_os_ns(date(1917, 3, 1), "month")
    'Mar 1917'
    >>> format_os_ns(date(1932, 1, 1), "circa")
    'c. 1932'
    """
    check_precision(ns, precision)
    if precision == "year":
        return str(ns.year)
    if precision == "circa":
        return f"c. {ns.year}"
    if precision == "month":
        return f"{MONTH_ABBR[ns.month - 1]} {ns.year}"
    text = _fmt_day(ns.day, ns.month, ns.year)
    if old_style is None:
        old_style = used_old_style_in_russia(ns)
    if old_style:
        j = gregorian_to_julian(ns)
        os_text = _fmt_day(j.day, j.month, j.year if j.year != ns.year else None)
        text += f" ({os_text} O.S.)"
    return text


def format_partial(p: PartialDate, old_style: bool | None = None) -> str:
    """Shorthand for ``format_os_ns(p.value, p.precision, old_style)``."""
    return format_os_ns(p.value, p.precision, old_style=old_style)


def format_span(
    start: date,
    end: date | None,
    precision: str = "day",
    old_style: bool | None = None,
) -> str:
    """Format a start date and optional end date (same precision) as "A – B".

    >>> format_span(date(1918, 1, 18), date(1918, 1, 19))
    '18 Jan 1918 (5 Jan O.S.) – 19 Jan 1918 (6 Jan O.S.)'
    """
    first = format_os_ns(start, precision, old_style=old_style)
    if end is None or end == start:
        return first
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    return f"{first} – {format_os_ns(end, precision, old_style=old_style)}"
