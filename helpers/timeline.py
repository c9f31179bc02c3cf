"""Timelines: the events a passage mentions, in their wider sequence 1861–1991.

Events come from ``data/events.csv`` (via :func:`helpers.context.load`). For a passage, the timeline zooms to the
years the passage mentions (:attr:`helpers.texts.Part.years`) and highlights the events whose ``mentioned_in`` lists
it; a thin strip above shows the whole period with the zoomed years shaded, so a class sees both the detail and where
it sits. A passage that mentions no year gets the whole span, with a note saying so.

How it is drawn, and why:
- category by colour AND marker shape (theme.CATEGORY_STYLE), with a legend, so nothing depends on colour alone;
- dates are New Style; where Russians still used the Julian calendar (events with an Old Style date in the data) the
  label gives both: "7 Nov 1917 (25 Oct O.S.)";
- a date known only to the month, the year or roughly (precision month/year/circa) is a hollow marker in the middle
  of an error bar spanning every day it may mean;
- labels are laid out row by row from their measured sizes, so none overlaps another (tests check the label boxes
  in the SVG); the passage's own events are placed first, then, taking turns across the years shown, events many
  passages mention; an event that finds no room stays in the overview strip, and the caption says how many;
- 14 pt text at least, for a projector;
- drawn straight to SVG (:mod:`helpers.svgdraw`), with the same font, colours and marks as the matplotlib charts:
  through matplotlib a lesson's first timeline took 0.3 s in a fresh kernel, now a few milliseconds.
"""
from __future__ import annotations

import calendar
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

import pandas as pd

from .figcache import cached
from . import context, dates, figures, svgdraw, theme
from .html import el
from .texts import load_document
from .view import View, wrap

SPAN = (1861, 1991)  # the wider sequence every timeline sits in
MAX_LANES = 7  # rows in the zoomed panel; events beyond that stay in the overview strip
TITLE_WRAP = 46  # characters per line of an event title in a label
PRECISION_WORDS = {"day": "exact day", "month": "known to the month", "year": "known to the year",
                   "circa": f"approximate (± {dates.CIRCA_YEARS} years)"}


# ---------------------------------------------------------------------------------------------------------------------
# Which events, which years (no drawing)
# ---------------------------------------------------------------------------------------------------------------------

def _events() -> pd.DataFrame:
    return context.load("events")


def _as_date(value: object) -> date | None:
    if value is None or value is pd.NaT or (not isinstance(value, date) and pd.isna(value)):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def uncertainty(start: date, end: date | None, precision: str) -> tuple[date, date]:
    """Earliest and latest day an event may cover: a month-precision date means any day of that month, a year any
    day of that year, a circa year ± ``dates.CIRCA_YEARS`` years. Lenient: a date not stored on the 1st still works."""
    last = end or start
    if precision == "month":
        return date(start.year, start.month, 1), _month_end(last)
    if precision == "year":
        return date(start.year, 1, 1), date(last.year, 12, 31)
    if precision == "circa":
        return date(start.year - dates.CIRCA_YEARS, 1, 1), date(last.year + dates.CIRCA_YEARS, 12, 31)
    return start, last


def _fmt_coarse(d: date, precision: str) -> str:
    if precision == "month":
        return f"{dates.MONTH_ABBR[d.month - 1]} {d.year}"
    if precision == "circa":
        return f"c. {d.year}"
    return str(d.year)


def _fmt_day_span(a: tuple[int, int, int], b: tuple[int, int, int] | None) -> str:
    """'7 Nov 1917', '6–7 Nov 1917', '18 Mar – 28 May 1871', '25 May 1918 – 25 Oct 1922' from (y, m, d) tuples."""
    ya, ma, da = a
    if b is None or b == a:
        return f"{da} {dates.MONTH_ABBR[ma - 1]} {ya}"
    yb, mb, db = b
    if ya == yb and ma == mb:
        return f"{da}–{db} {dates.MONTH_ABBR[ma - 1]} {ya}"
    if ya == yb:
        return f"{da} {dates.MONTH_ABBR[ma - 1]} – {db} {dates.MONTH_ABBR[mb - 1]} {ya}"
    return f"{da} {dates.MONTH_ABBR[ma - 1]} {ya} – {db} {dates.MONTH_ABBR[mb - 1]} {yb}"


def date_label(start: date, end: date | None, precision: str, start_os: str | None = None,
               end_os: str | None = None) -> str:
    """A compact date for a label: New Style, with the Old Style date in brackets where the data gives one.

    >>> date_label(date(1917, 11, 7), None, "day", "1917-10-25")
    '7 Nov 1917 (25 Oct O.S.)'
    >>> date_label(date(1917, 11, 6), date(1917, 11, 7), "day", "1917-10-24", "1917-10-25")
    '6–7 Nov 1917 (24–25 Oct O.S.)'
    """
    if precision != "day":
        first = _fmt_coarse(start, precision)
        if end is None or _fmt_coarse(end, precision) == first:
            return first
        return f"{first} – {_fmt_coarse(end, precision)}"
    ns = _fmt_day_span((start.year, start.month, start.day), (end.year, end.month, end.day) if end else None)
    if not start_os:
        return ns
    j0 = dates.julian_from_iso(start_os)
    j1 = dates.julian_from_iso(end_os) if end_os else None
    os_text = _fmt_day_span(tuple(j0), tuple(j1) if j1 else None)
    # Leave out the Old Style year where it is the New Style one: "7 Nov 1917 (25 Oct O.S.)".
    if j0.year == start.year and (j1 is None or j1.year == j0.year == (end or start).year):
        os_text = os_text[:-5]
    return f"{ns} ({os_text} O.S.)"


def _derive(df: pd.DataFrame, passage_id: str | None, extra: set[str]) -> pd.DataFrame:
    """Add the columns a timeline needs: dates as dates, the date label, uncertainty span, highlight flag."""
    df = df.copy()
    starts = [_as_date(v) for v in df["start_date"]]
    ends = [_as_date(v) for v in df["end_date"]]
    precs = [str(p) for p in df["precision"]]
    os0 = [None if pd.isna(v) else str(v) for v in df["start_date_os"]]
    os1 = [None if pd.isna(v) else str(v) for v in df["end_date_os"]]
    spans = [uncertainty(s, e, p) for s, e, p in zip(starts, ends, precs)]
    df["date_label"] = [date_label(s, e, p, a, b) for s, e, p, a, b in zip(starts, ends, precs, os0, os1)]
    df["uncertain"] = [p != "day" for p in precs]
    df["earliest"] = pd.to_datetime([s for s, _ in spans])
    df["latest"] = pd.to_datetime([e for _, e in spans])
    mentioned = [set(str(m).split()) if not pd.isna(m) else set() for m in df["mentioned_in"]]
    df["highlighted"] = [(passage_id in m if passage_id else False) or eid in extra
                         for m, eid in zip(mentioned, df["event_id"])]
    left_out = [set(str(m).split()) if not pd.isna(m) else set() for m in df["left_out_of"]]
    df["left_out"] = [bool(passage_id) and passage_id in m and not hl for m, hl in zip(left_out, df["highlighted"])]
    df["own"] = df["highlighted"] | df["left_out"]  # the passage's own events: what it mentions or leaves out
    return df


def _slugs_of(cell: object) -> set[str]:
    return set() if pd.isna(cell) else {pid.rsplit("-", 1)[0] for pid in str(cell).split()}


def shown_for(events: pd.DataFrame, slug: str | None) -> pd.Series:
    """Which events the timelines of one text's lessons draw (``slug``; None: a timeline of no text's): those shown
    in ``all`` lessons, and those scoped to the text by ``shown_in``, or else by the passages that mention or leave
    them out. A new text's own events thus never change another lesson's timeline.

    >>> ev = pd.DataFrame({"shown_in": ["all", "siege", None, None], "mentioned_in": [None, None, "essay-07", None],
    ...                    "left_out_of": [None, None, None, None]})
    >>> list(shown_for(ev, "siege")), list(shown_for(ev, None))
    ([True, True, False, True], [True, False, False, True])
    """
    keep = []
    for shown, men, left in zip(events["shown_in"], events["mentioned_in"], events["left_out_of"]):
        scope = set() if pd.isna(shown) else set(str(shown).split())
        if not scope:
            scope = (_slugs_of(men) | _slugs_of(left)) or {"all"}
        keep.append("all" in scope or slug in scope)
    return pd.Series(keep, index=events.index, dtype=bool)


def _check_categories(categories: Iterable[str] | None) -> set[str] | None:
    if categories is None:
        return None
    if isinstance(categories, str):
        categories = [categories]
    cats = set(categories)
    bad = sorted(cats - set(context.EVENT_CATEGORIES))
    if bad:
        raise ValueError(f"Unknown event categor{'y' if len(bad) == 1 else 'ies'} {', '.join(map(repr, bad))}; "
                         f"categories are: {', '.join(context.EVENT_CATEGORIES)}.")
    return cats


def _check_years(years: int | Iterable[int] | None) -> list[int] | None:
    if years is None:
        return None
    ys = [years] if isinstance(years, int) else list(years)
    if not ys:
        return None
    lo, hi = context.YEAR_RANGE
    for y in ys:
        if isinstance(y, bool) or not isinstance(y, int) or not lo <= y <= hi:
            raise ValueError(f"Years must be whole numbers between {lo} and {hi}; got {y!r}.")
    return ys


def _passage(passage_id: str):
    if not isinstance(passage_id, str) or "-" not in passage_id:
        raise KeyError(f"No passage {passage_id!r}: passage ids look like 'molyneux-07'.")
    return load_document(passage_id.rsplit("-", 1)[0]).passage(passage_id)


@dataclass(frozen=True)
class _Plan:
    """What a timeline covers, decided before anything is drawn."""

    candidates: pd.DataFrame  # events inside the window, in date order
    context_events: pd.DataFrame  # events drawn in the overview strip
    window: tuple[date, date]  # the main panel's date range (padded)
    years: tuple[int, int]  # the years the main panel is about
    whole: bool  # True when the main panel is the whole span (then there is no overview strip)
    passage_label: str
    notes: tuple[str, ...]  # for the caption
    figure_note: str = ""  # a line under the figure's title, e.g. that the passage mentions no year

    @property
    def strip_text(self) -> str:
        """The years of the overview strip: 1861–1991, stretched if the years shown below go beyond (the panel's
        padding is drawing room, not history, so it never stretches the label)."""
        return f"{min(self.years[0], SPAN[0])}–{max(self.years[1], SPAN[1])}"

    @property
    def years_text(self) -> str:
        y0, y1 = self.years
        return str(y0) if y0 == y1 else f"{y0}–{y1}"


def _plan(passage_id: str | None, years: int | Iterable[int] | None, categories: Iterable[str] | None,
          highlight: Iterable[str] | None) -> _Plan:
    cats = _check_categories(categories)
    want_years = _check_years(years)
    part = _passage(passage_id) if passage_id is not None else None
    events = _events()
    extra = set([highlight] if isinstance(highlight, str) else (highlight or ()))
    unknown = sorted(extra - set(events["event_id"]))
    if unknown:
        raise KeyError(f"No event {', '.join(map(repr, unknown))} in data/events.csv.")
    df = _derive(events, passage_id, extra)
    slug = passage_id.rsplit("-", 1)[0] if passage_id else None
    df = df[shown_for(df, slug) | df["own"] | df["event_id"].isin(extra)].copy()
    # How many passages mention each event, counted in this text only (all texts for a timeline of no text's), so
    # that another text's mentions never reorder this lesson's timeline.
    df["weight"] = [0 if pd.isna(m) else sum(slug is None or p.rsplit("-", 1)[0] == slug for p in str(m).split())
                    for m in df["mentioned_in"]]
    if cats is not None:  # a category filter never hides what the passage mentions
        df = df[df["category"].astype(str).isin(cats) | df["own"]]

    notes: list[str] = []
    if want_years is not None:
        yrs = set(want_years)
    elif part is not None and part.years:
        yrs = set(part.years) | {d.year for d in df.loc[df["own"], "start_date"]}
    elif part is not None and df["own"].any():  # no year in the words, but events it refers to or leaves out
        linked = df[df["own"]]
        yrs = {d.year for d in linked["start_date"]} | {d.year for d in linked["end_date"].dropna()}
        notes.append(f"{part.label} mentions no year: the years shown are those of the events it refers to.")
    else:
        yrs = set()
        if part is not None:
            notes.append(f"{part.label} mentions no year and refers to no event in the data, so the whole span "
                         f"{SPAN[0]}–{SPAN[1]} is shown.")
    if yrs:
        y0, y1 = min(yrs), max(yrs)
        w0, w1 = date(y0, 1, 1), date(y1, 12, 31)
        pad = max(timedelta(days=20), (w1 - w0) * 0.02)
        window, whole = (w0 - pad, w1 + pad), False
    else:
        hl = df[df["highlighted"]]
        y0 = min([SPAN[0], *(d.year for d in hl["earliest"])])
        y1 = max([SPAN[1], *(d.year for d in hl["latest"])])
        window, whole = (date(y0 - 1, 7, 1), date(y1 + 1, 6, 30)), True
    # An event belongs to the years shown if its stored dates (not the padding, not its uncertainty) fall in them.
    ts0, ts1 = pd.Timestamp(date(y0, 1, 1)), pd.Timestamp(date(y1, 12, 31))
    inside = (df["start_date"] <= ts1) & (df["end_date"].fillna(df["start_date"]) >= ts0)
    outside = df[df["highlighted"] & ~inside]
    if len(outside):
        notes.append("Mentioned but outside the years shown: " +
                     "; ".join(f"{t} ({d})" for t, d in zip(outside["title"], outside["date_label"])) + ".")
    lo, hi = min(window[0], date(SPAN[0], 1, 1)), max(window[1], date(SPAN[1], 12, 31))
    context_rows = df[(df["start_date"] >= pd.Timestamp(lo)) & (df["start_date"] <= pd.Timestamp(hi))]
    candidates = df[inside].sort_values(["start_date", "event_id"], kind="stable").reset_index(drop=True)
    return _Plan(candidates[_COLUMNS], context_rows.reset_index(drop=True), window, (y0, y1), whole,
                 part.label if part is not None else "", tuple(notes), notes[0] if whole and notes else "")


_LEFT_OUT_BOX = "fill:#ffffff;stroke:#D55E00;stroke-width:1.5;stroke-dasharray:5 3"  # vermillion, dashed

_COLUMNS = ["event_id", "start_date", "end_date", "precision", "start_date_os", "end_date_os", "date_label",
            "uncertain", "earliest", "latest", "title", "category", "highlighted", "left_out", "own", "place",
            "mentioned_in", "weight",
            "description", "citation"]


# ---------------------------------------------------------------------------------------------------------------------
# Layout: which events get a place, in which row, with the label on which side
# ---------------------------------------------------------------------------------------------------------------------

# Inches (the figure is theme.FIG_WIDTH_IN wide).
_LEFT, _RIGHT = 0.3, 0.3
_GAP_IN = 0.08  # between a mark and its label
_LANE_PAD_IN = 0.15  # free space kept between two things in one row
_MARK_HALF_IN = 0.1


def _label_text(row: pd.Series, wrap: int = TITLE_WRAP) -> str:
    title = "\n".join(textwrap.wrap(str(row["title"]), wrap)) or str(row["event_id"])
    return f"{title}\n{row['date_label']}"


def _text_size_in(text: str, bold: bool) -> tuple[float, float]:
    """Width and height of a label in inches, with the padding of its box, as :mod:`helpers.svgdraw` draws it."""
    w, h = svgdraw.text_size(text, theme.FIG_FONT_PT, bold)
    pad = 2 * svgdraw.BOX_PAD * theme.FIG_FONT_PT
    return (w + pad) / svgdraw.PT_PER_IN, (h + pad) / svgdraw.PT_PER_IN


def _num(d) -> float:
    """A date (a date, a Timestamp or ISO text) as a day number along the axis."""
    return float((d if isinstance(d, date) else pd.Timestamp(d)).toordinal())


def _mark_span(row: pd.Series) -> tuple[date, date]:
    """The dates a mark covers: the uncertainty span, or first to last day of a lasting event, or the day."""
    if row["uncertain"]:
        return row["earliest"], row["latest"]
    end = row["end_date"] if not pd.isna(row["end_date"]) else row["start_date"]
    return row["start_date"], end


def _placing_order(cand: pd.DataFrame, window: tuple[date, date], slices: int = 8) -> list[int]:
    """Who gets a row first: the passage's own events; then, taking turns across eight equal slices of the years
    shown (so that one crowded stretch cannot take every row), events that more passages of the text mention (its
    ``weight``) before the rest."""
    mentions = [int(w) for w in cand["weight"]]
    first = [i for i in range(len(cand)) if cand.loc[i, "own"]]
    span = (window[1] - window[0]).days or 1
    queues: dict[int, list[int]] = {}
    for i in sorted((i for i in range(len(cand)) if not cand.loc[i, "own"]),
                    key=lambda i: (-mentions[i], cand.loc[i, "start_date"])):
        k = min(slices - 1, max(0, (cand.loc[i, "start_date"].date() - window[0]).days * slices // span))
        queues.setdefault(k, []).append(i)
    turns = sorted(queues, key=lambda k: (-mentions[queues[k][0]], k))  # the slice with the best event first
    rest = [q[n] for n in range(max(map(len, queues.values()), default=0)) for q in (queues[k] for k in turns)
            if n < len(q)]
    return first + rest


def _arrange(plan: _Plan) -> pd.DataFrame:
    """Give events a row and a label beside their mark without any two overlapping, at most MAX_LANES rows.

    Events are placed in turn (:func:`_placing_order`); an event that finds no room is left out of the main panel
    (it stays in the overview strip), except the passage's own events, which always get a row. Rows are then ordered
    by their first event, so the panel reads from top left to bottom right. Returns the placed events with columns
    lane, label_x, label_ha (inches from the figure's left edge) and the label text.
    """
    left, right = _LEFT, theme.FIG_WIDTH_IN - _RIGHT
    x0n, x1n = _num(plan.window[0]), _num(plan.window[1])
    scale = (right - left) / (x1n - x0n)
    lanes: list[list[tuple[float, float]]] = []
    placed: dict[int, tuple[int, float, str, str, float]] = {}
    cand = plan.candidates
    for i in _placing_order(cand, plan.window):
        row = cand.loc[i]
        d0, d1 = _mark_span(row)
        m0 = max(left, left + (_num(d0) - x0n) * scale - _MARK_HALF_IN)
        m1 = min(right, left + (_num(d1) - x0n) * scale + _MARK_HALF_IN)
        for width in (TITLE_WRAP, 34, 26, 20):  # a narrower label if the wide one fits nowhere
            text = _label_text(row, width)
            w, h = _text_size_in(text, bool(row["highlighted"]))
            options = []
            if m1 + _GAP_IN + w <= right:  # right of the mark
                options.append((m1 + _GAP_IN, "left", m0, m1 + _GAP_IN + w))
            if m0 - _GAP_IN - w >= left:  # left of the mark
                options.append((m0 - _GAP_IN, "right", m0 - _GAP_IN - w, m1))
            if m1 - m0 > 4 * _MARK_HALF_IN and m0 + 2 * _MARK_HALF_IN + w <= right:  # over a long bar
                options.append((m0 + 2 * _MARK_HALF_IN, "left", m0, max(m1, m0 + 2 * _MARK_HALF_IN + w)))
            if options:
                break
        if not options:  # last resort: against the nearer edge, over the mark
            options.append((right, "right", min(m0, right - w), right) if m0 > (left + right) / 2
                           else (left, "left", left, max(m1, left + w)))
        spot = None
        for lx, ha, a, b in options:
            for lane, used in enumerate(lanes):
                if all(b + _LANE_PAD_IN <= u0 or a - _LANE_PAD_IN >= u1 for u0, u1 in used):
                    spot = (lane, lx, ha, a, b)
                    break
            if spot:
                break
        if spot is None and options and (len(lanes) < MAX_LANES or row["highlighted"]):
            lanes.append([])
            lx, ha, a, b = options[0]
            spot = (len(lanes) - 1, lx, ha, a, b)
        if spot is None:
            continue
        lane, lx, ha, a, b = spot
        lanes[lane].append((a, b))
        placed[i] = (lane, lx, ha, text, h)
    # Rows in reading order: the row whose first event is earliest on top.
    first = {lane: min(a for a, _ in used) for lane, used in enumerate(lanes)}
    rank = {lane: r for r, lane in enumerate(sorted(first, key=lambda k: (first[k], k)))}
    out = cand.loc[sorted(placed)].copy()
    out["lane"] = [rank[placed[i][0]] for i in out.index]
    out["label_x"] = [placed[i][1] for i in out.index]
    out["label_ha"] = [placed[i][2] for i in out.index]
    out["label"] = [placed[i][3] for i in out.index]
    out["label_h"] = [placed[i][4] for i in out.index]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------------
# Drawing, straight to SVG (helpers/svgdraw.py): a timeline is labels and marks, which matplotlib drew ten times slower
# ---------------------------------------------------------------------------------------------------------------------

_ROW_IN = 0.38  # a legend row


def _ticks(lo: date, hi: date, overview: bool = False) -> list[tuple[date, str]]:
    """Tick dates and labels for a date axis: months for a year or two, years for a decade, every 5/10/20 years
    beyond; the overview strip every 10 years (20 for a longer span).

    >>> [t for _, t in _ticks(date(1916, 12, 1), date(1918, 1, 31))][:3]
    ['Jan\\n1917', 'Apr', 'Jul']
    """
    days = (hi - lo).days
    if not overview and days <= 800:
        step = 1 if days <= 200 else 2 if days <= 420 else 3
        months = [date(y, m, 1) for y in range(lo.year, hi.year + 1) for m in range(1, 13, step)]
        inside = [d for d in months if lo <= d <= hi]
        return [(d, f"{d:%b}\n{d.year}" if d.month <= step or i == 0 else f"{d:%b}") for i, d in enumerate(inside)]
    years = days / 365.25
    base = (10 if years <= 140 else 20) if overview else next(b for b in (1, 2, 5, 10, 20, 25, 50) if years / b <= 14)
    first = -(-lo.year // base) * base
    return [(date(y, 1, 1), str(y)) for y in range(first, hi.year + 1, base) if lo <= date(y, 1, 1) <= hi]


class _Axis:
    """Dates to points across the panel (_LEFT to the right margin)."""

    def __init__(self, lo: date, hi: date):
        width = (theme.FIG_WIDTH_IN - _LEFT - _RIGHT) * svgdraw.PT_PER_IN
        self.x0, self.scale = _num(lo), width / (_num(hi) - _num(lo))
        self.left, self.right = _LEFT * svgdraw.PT_PER_IN, (theme.FIG_WIDTH_IN - _RIGHT) * svgdraw.PT_PER_IN

    def x(self, d, clip: bool = False) -> float:
        x = self.left + (_num(d) - self.x0) * self.scale
        return min(max(x, self.left), self.right) if clip else x


def _date_axis(c: svgdraw.Canvas, axis: _Axis, ticks: list[tuple[date, str]], top: float, bottom: float,
               grid: bool) -> None:
    """The axis line at ``bottom``, tick marks and their labels under it, and (``grid``) light lines up to ``top``."""
    c.x_axis([(axis.x(d), text) for d, text in ticks], axis.left, axis.right, top, bottom, grid=grid)


def _mark(c: svgdraw.Canvas, shape: str, x: float, y: float, size: float, face: str, edge: str, width: float,
          opacity: float = 1, ident: str | None = None) -> None:
    alpha = f";opacity:{opacity:g}" if opacity < 1 else ""
    c.marker(shape, x, y, size, c.style(f"fill:{face};stroke:{edge};stroke-width:{width:g}{alpha}"), ident)


def _bar(c: svgdraw.Canvas, x0: float, x1: float, y: float, colour: str, opacity: float) -> None:
    """A thick bar: how long an event lasted."""
    c.line(x0, y, x1, y, c.style(f"stroke:{colour};stroke-width:7;stroke-opacity:{opacity:g}"))


def _range(c: svgdraw.Canvas, x0: float, x1: float, y: float, colour: str, ident: str | None = None) -> None:
    """An error bar with caps: every day an uncertain date may mean."""
    k = c.style(f"stroke:{colour};stroke-width:2.5;fill:none")
    c.line(x0, y, x1, y, k, ident)
    for x in (x0, x1):
        c.line(x, y - 7, x, y + 7, k)


def _draw_event(c: svgdraw.Canvas, axis: _Axis, y: float, row: pd.Series) -> None:
    """One event: its mark (filled if the day is known, hollow with an error bar if not), a bar if it lasted,
    and its label in a box (bold on yellow if the passage mentions it). ``y`` in points from the top."""
    colour, shape = theme.CATEGORY_STYLE[str(row["category"])]
    hl = bool(row["highlighted"])
    size = 15 if hl else 12
    eid = row["event_id"]
    lasting = not pd.isna(row["end_date"]) and row["end_date"] != row["start_date"]
    if row["uncertain"]:
        s0, s1 = uncertainty(row["start_date"].date(), None, str(row["precision"]))
        x = (axis.x(s0) + axis.x(s1)) / 2
        if lasting:  # the bar from the middle of the first to the middle of the last possible period
            e0, e1 = uncertainty(row["end_date"].date(), None, str(row["precision"]))
            xe = (axis.x(e0) + axis.x(e1)) / 2
            _bar(c, min(max(x, axis.left), axis.right), min(xe, axis.right), y, colour, 0.35)
            _range(c, axis.x(e0, clip=True), axis.x(e1, clip=True), y, colour)
        _range(c, axis.x(s0, clip=True), axis.x(s1, clip=True), y, colour, ident=f"range-{eid}")
        _mark(c, shape, x, y, size, "#ffffff", colour, 2.5, ident=f"mark-{eid}")
        if hl:
            _mark(c, shape, x, y, size + 6, "none", "#000000", 1.6)
    else:
        x = axis.x(row["start_date"])
        if lasting:
            _bar(c, x, axis.x(row["end_date"], clip=True), y, colour, 0.55)
        _mark(c, shape, x, y, size, colour, "#000000" if hl else colour, 2 if hl else 1, ident=f"mark-{eid}")
    fs = theme.FIG_FONT_PT
    w, h = svgdraw.text_size(row["label"], fs, hl)
    pad = svgdraw.BOX_PAD * fs
    lx = row["label_x"] * svgdraw.PT_PER_IN
    x0 = lx if row["label_ha"] == "left" else lx - w
    box = (f"fill:{theme.FIG_HIGHLIGHT_BG};stroke:#B08900;stroke-width:1" if hl else
           _LEFT_OUT_BOX if row["left_out"] else "fill:#ffffff;fill-opacity:0.85")
    c.rect(x0 - pad, y - h / 2 - pad, w + 2 * pad, h + 2 * pad, c.style(box), rx=pad, ident=f"box-{eid}")
    c.text(x0, svgdraw.first_baseline(y, row["label"], fs), row["label"], fs,
           c.style(f"fill:{theme.FIG_TEXT if row['own'] else '#333333'}"), bold=hl, ident=f"label-{eid}")


def _legend(c: svgdraw.Canvas, drawn: pd.DataFrame, passage_label: str, top: float) -> None:
    """Categories in up to four columns (filled column by column), then the keys to the marks in up to two."""
    fs, x_left = theme.FIG_FONT_PT, _LEFT * svgdraw.PT_PER_IN
    row = _ROW_IN * svgdraw.PT_PER_IN
    text = c.style(f"fill:{theme.FIG_TEXT}")
    cats = [k for k in context.EVENT_CATEGORIES if k in set(drawn["category"].astype(str))]
    entries = [(lambda x, y, k=k: _mark(c, theme.CATEGORY_STYLE[k][1], x + fs, y, 12, theme.CATEGORY_STYLE[k][0],
                                       theme.CATEGORY_STYLE[k][0], 1), k.capitalize(), 2.3) for k in cats]
    keys = []
    if drawn["highlighted"].any():
        keys.append((lambda x, y: _mark(c, "s", x + fs, y, 16, theme.FIG_HIGHLIGHT_BG, "#B08900", 1),
                     f"Mentioned in {passage_label}" if passage_label else "Highlighted", 2.5))
    if drawn["left_out"].any():
        keys.append((lambda x, y: c.rect(x + 0.2 * fs, y - 0.45 * fs, 1.8 * fs, 0.9 * fs, c.style(_LEFT_OUT_BOX)),
                     "Dashed: left out", 2.5))
    if drawn["uncertain"].any():
        def hollow(x: float, y: float) -> None:
            c.line(x, y, x + 2.2 * fs, y, c.style("stroke:#555555;stroke-width:2.5"))
            _mark(c, "o", x + 1.1 * fs, y, 12, "#ffffff", "#555555", 2.5)
        keys.append((hollow, "Hollow: date uncertain, bar = possible range", 2.5))
    if drawn["end_date"].notna().any():
        keys.append((lambda x, y: _bar(c, x, x + 2.2 * fs, y, "#555555", 0.55), "Thick bar: how long it lasted", 2.5))
    for group, ncol in ((entries, 4), (keys, 2)):
        if not group:
            continue
        ncol = min(ncol, len(group))
        nrow = -(-len(group) // ncol)
        x = x_left
        for col in range(ncol):
            column = group[col * nrow:(col + 1) * nrow]
            if not column:
                break
            for i, (handle, label, handle_em) in enumerate(column):
                y = top + (i + 0.5) * row
                handle(x, y)
                c.text(x + (handle_em + 0.4) * fs, y + svgdraw.MIDDLE * fs, label, fs, text)
            x += max((handle_em + 0.4) * fs + svgdraw.text_width(lbl, fs) for _, lbl, handle_em in column) + 1.5 * fs
        top += nrow * row


def _overview(c: svgdraw.Canvas, plan: _Plan, top: float, bottom: float) -> None:
    """The whole period as a thin strip: every event a small mark, the passage's events ringed, the zoom shaded."""
    lo = min(plan.window[0], date(SPAN[0], 1, 1))
    hi = max(plan.window[1], date(SPAN[1], 12, 31))
    ends = (lo - timedelta(days=400), hi + timedelta(days=400))
    axis = _Axis(*ends)
    x0, x1 = axis.x(plan.window[0]), axis.x(plan.window[1])
    c.rect(x0, top, x1 - x0, bottom - top, c.style(f"fill:{theme.ACCENT};fill-opacity:0.22"))
    for x in (x0, x1):
        c.line(x, top, x, bottom, c.style(f"stroke:{theme.ACCENT};stroke-width:2"))
    _date_axis(c, axis, _ticks(*ends, overview=True), top, bottom, grid=False)
    y = (top + bottom) / 2
    ctx = plan.context_events.sort_values("highlighted", kind="stable")  # the passage's own marks on top
    for _, r in ctx.iterrows():
        colour, shape = theme.CATEGORY_STYLE[str(r["category"])]
        hl = bool(r["highlighted"])
        _mark(c, shape, axis.x(r["start_date"]), y, 11 if hl else 7, "#ffffff" if r["uncertain"] else colour,
              "#000000" if hl else colour, 1.8 if hl else 1.0, opacity=1 if hl else 0.75)
    c.text(axis.left, top - 6 - 0.24 * theme.FIG_FONT_PT,
           f"The whole period {plan.strip_text}; the shaded years are shown below", theme.FIG_FONT_PT,
           c.style("fill:#333333"))


def _draw(plan: _Plan) -> tuple[str, pd.DataFrame, float]:
    """Draw a planned timeline; return the SVG, the events placed in its main panel and the height in inches."""
    W = theme.FIG_WIDTH_IN
    drawn = _arrange(plan)
    # Each row as tall as its tallest label; y is measured in inches from the top of the main panel.
    n_lanes = int(drawn["lane"].max()) + 1 if len(drawn) else 1
    heights = [max([0.6, *(drawn.loc[drawn["lane"] == k, "label_h"] + 0.12)]) for k in range(n_lanes)]
    strip_h = 0.0 if plan.whole else 1.3  # overview: its title, the strip and its year labels
    fs, pt = theme.FIG_FONT_PT, svgdraw.PT_PER_IN
    note = svgdraw.wrap(plan.figure_note, (W - _LEFT - _RIGHT) * pt, fs) if plan.figure_note else ""
    note_pt = (note.count("\n") + 1) * fs * svgdraw.LINE_STEP + 11 if note else 0
    title_h = 0.55 + note_pt / pt
    main_h = sum(heights) + 0.15
    ticks_h = 0.8 if (plan.window[1] - plan.window[0]).days <= 800 else 0.5
    n_cats = len(set(drawn["category"].astype(str)))
    n_keys = (sum(int(drawn[k].any()) for k in ("highlighted", "left_out", "uncertain"))
              + int(drawn["end_date"].notna().any()))
    legend_h = _ROW_IN * (-(-n_cats // 4)) + _ROW_IN * (-(-n_keys // 2)) + 0.1
    H = 0.15 + strip_h + title_h + main_h + ticks_h + legend_h
    c = svgdraw.Canvas(W * pt, H * pt)
    if not plan.whole:
        _overview(c, plan, 0.5 * pt, 0.9 * pt)
    main_top = (0.15 + strip_h + title_h) * pt
    main_bottom = main_top + main_h * pt
    axis = _Axis(*plan.window)
    _date_axis(c, axis, _ticks(*plan.window), main_top, main_bottom, grid=True)
    if plan.passage_label and drawn["highlighted"].any():
        title = f"{plan.years_text}: what {plan.passage_label} mentions is in bold"
    elif plan.passage_label:
        title = f"{plan.years_text}: events around {plan.passage_label}"
    else:
        title = f"Events, {plan.years_text}"
    c.text(axis.left, main_top - 12 - note_pt, title, theme.FIG_TITLE_PT, c.style(f"fill:{theme.FIG_TEXT}"), bold=True)
    if note:  # e.g. "Molyneux ¶5 mentions no year …, so the whole span 1861–1991 is shown."
        c.text(axis.left, main_top - 10 - 0.24 * fs - note.count("\n") * fs * svgdraw.LINE_STEP, note, fs,
               c.style("fill:#333333"), ident="note")
    lane_mid = [main_top + (0.075 + sum(heights[:k]) + heights[k] / 2) * pt for k in range(n_lanes)]
    for _, row in drawn.sort_values("own", kind="stable").iterrows():  # the passage's own on top
        _draw_event(c, axis, lane_mid[int(row["lane"])], row)
    _legend(c, drawn, plan.passage_label, main_bottom + ticks_h * pt)
    return c.svg(), drawn, H


def timeline_events(passage_id: str | None = None, years: int | Iterable[int] | None = None,
                    categories: Iterable[str] | None = None, highlight: Iterable[str] | None = None) -> pd.DataFrame:
    """The events a timeline draws in its main panel, in date order, with ``date_label`` (as on the figure),
    ``uncertain``, ``earliest``/``latest`` (the days an uncertain date may mean), ``highlighted`` (mentioned by the
    passage, or named in ``highlight``) and ``lane`` (its row, 0 at the top). Arguments as for :func:`timeline`."""
    return _arrange(_plan(passage_id, years, categories, highlight))[_COLUMNS + ["lane"]]


def timeline_svg(passage_id: str | None = None, years: int | Iterable[int] | None = None,
                 categories: Iterable[str] | None = None, highlight: Iterable[str] | None = None) -> str:
    """The timeline as SVG text, for checks or reuse. Each event's mark has the id ``mark-<event_id>``, its label
    ``label-<event_id>`` and the label's box ``box-<event_id>``; an uncertain date's bar ``range-<event_id>``."""
    return _draw(_plan(passage_id, years, categories, highlight))[0]


# ---------------------------------------------------------------------------------------------------------------------
# The view: figure, alt text, caption, source, data table
# ---------------------------------------------------------------------------------------------------------------------

def _citation_heads(citations: Iterable[str]) -> list[str]:
    """Distinct sources, in order; a web address followed by a note counts once per address."""
    seen: dict[str, None] = {}
    for c in citations:
        c = str(c).strip()
        seen.setdefault(c.split(" (", 1)[0] if c.startswith("http") else c, None)
    return list(seen)


def _source_text(drawn: pd.DataFrame, limit: int = 6) -> str:
    heads = _citation_heads(drawn["citation"])
    if not heads:
        return "data/events.csv."
    shown = "; ".join(heads[:limit])
    more = f"; and {len(heads) - limit} more (each event's source is in the data table)" if len(heads) > limit else ""
    return f"data/events.csv, compiled from: {shown}{more}."


def _alt_text(plan: _Plan, drawn: pd.DataFrame) -> str:
    items = []
    for _, r in drawn.iterrows():
        flags = [str(r["category"])]
        if r["highlighted"]:
            flags.append("mentioned in the passage")
        if r["left_out"]:
            flags.append("left out of the passage")
        if r["uncertain"]:
            flags.append("date uncertain")
        items.append(f"{r['date_label']}: {r['title']} ({', '.join(flags)})")
    n = len(drawn)
    head = f"Timeline of {plan.years_text} with {n} labelled event{'s' if n != 1 else ''}"
    if not plan.whole:
        head += (f", below a strip of the whole period {plan.strip_text} marking {len(plan.context_events)} events,"
                 f" with {plan.years_text} shaded")
    return head + ". " + ("Events: " + "; ".join(items) + "." if items else "No events in these years.")


def _table(drawn: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Date": drawn["date_label"],
        "Event": drawn["title"],
        "Category": drawn["category"].astype(str),
        "Date known": [PRECISION_WORDS.get(str(p), str(p)) for p in drawn["precision"]],
        "Mentioned here": drawn["highlighted"].astype(bool),
        "Left out here": drawn["left_out"].astype(bool),
        "Place": drawn["place"].fillna(""),
        "Source": drawn["citation"],
    })


@cached
def timeline(passage_id: str | None = None, years: int | Iterable[int] | None = None,
             categories: Iterable[str] | None = None, highlight: Iterable[str] | None = None) -> figures.FigureView:
    """A timeline as a View: the events a passage mentions, in their wider sequence 1861–1991.

    ``passage_id`` (e.g. ``"molyneux-12"``): zoom to the years the passage mentions and highlight the events it
    mentions (a passage without a year gets the whole span and a note). ``years``: zoom to these years instead (one
    year, or any list or range of years: earliest to latest). ``categories``: only these event categories (the
    passage's own events are always kept). ``highlight``: event ids to highlight as well. No arguments: the whole
    span. Unknown passage or event ids raise KeyError; unknown categories or impossible years raise ValueError.
    """
    plan = _plan(passage_id, years, categories, highlight)
    image, drawn, height_in = _draw(plan)
    caption = [f"Events of {plan.years_text}" + ("" if plan.whole else
                                                 f", with the whole period {plan.strip_text} above") + "."]
    n_hl = int(drawn["highlighted"].sum())
    if plan.passage_label:
        caption.append(f"Bold on yellow: the {n_hl} event{'s' if n_hl != 1 else ''} {plan.passage_label} mentions."
                       if n_hl else f"{plan.passage_label} mentions none of the events in the data.")
        n_out = int(drawn["left_out"].sum())
        if n_out:
            caption.append(f"Dashed red box: the {n_out} event{'s' if n_out != 1 else ''} of these years "
                           f"{plan.passage_label} leaves out, context to set beside what it says.")
    caption += list(plan.notes)
    left_out = len(plan.candidates) - len(drawn)
    if left_out:
        caption.append(f"{left_out} more event{'s' if left_out != 1 else ''} of these years "
                       f"{'are' if left_out != 1 else 'is'} not drawn, for room (marked in the strip above)."
                       if not plan.whole else f"{left_out} more events are not drawn, for room.")
    if drawn["start_date_os"].notna().any():
        caption.append("Dates are New Style (Gregorian); Russia used the Julian calendar until 14 Feb 1918, so the "
                       "Old Style (O.S.) date is added in brackets.")
    else:
        caption.append("Dates are New Style (Gregorian).")
    if drawn["uncertain"].any():
        caption.append("Hollow marks: the date is known only to the month or year; the bar spans every day it "
                       "may mean.")
    return figures.image_view(image, theme.FIG_WIDTH_IN, height_in, alt=_alt_text(plan, drawn),
                              caption=" ".join(caption), source=_source_text(drawn), table=_table(drawn),
                              label=f"Timeline {plan.years_text}")


def key_dates(*event_ids: str) -> View:
    """A short table of events by id, in date order, each with its source: the few dates a class needs before it
    gives a first opinion, without drawing a figure.

    >>> print(key_dates("ussr-dissolved", "october-insurrection").text.splitlines()[1])
    6–7 Nov 1917 (24–25 Oct O.S.) | October insurrection
    """
    events = context.load("events").set_index("event_id")
    unknown = [e for e in event_ids if e not in events.index]
    if unknown:
        raise KeyError(f"No event {', '.join(map(repr, unknown))} in data/events.csv")
    rows = _derive(events.loc[list(event_ids)].reset_index(), None, set()).sort_values("earliest")
    head = ("Date", "What happened")
    table = el("table", el("caption", "Key dates (New Style; Old Style in brackets before February 1918)"),
               el("thead", el("tr", *[el("th", h, scope="col") for h in head])),
               el("tbody", *[el("tr", el("td", r["date_label"]), el("td", r["title"])) for _, r in rows.iterrows()]))
    sources = "; ".join(_citation_heads(rows["citation"]))
    text = "\n".join(" | ".join(r) for r in [head, *zip(rows["date_label"], rows["title"])])
    return View(wrap(table, figures.source_html(sources, "these dates")), text + f"\nSources: {sources}")
