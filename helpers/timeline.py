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
- labels are laid out row by row from their measured sizes, so none overlaps another (tests check the renderer's
  text extents); the passage's own events are placed first, then, taking turns across the years shown, events many
  passages mention; an event that finds no room stays in the overview strip, and the caption says how many;
- 14 pt text at least, for a projector.
"""
from __future__ import annotations

import calendar
import functools
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

import matplotlib
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from .figcache import cached
from . import context, dates, figures, theme
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
    return df


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
        """The years of the overview strip: 1861–1991, stretched if the main panel goes beyond."""
        return f"{min(self.window[0].year, SPAN[0])}–{max(self.window[1].year, SPAN[1])}"

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
    if cats is not None:  # a category filter never hides what the passage mentions
        df = df[df["category"].astype(str).isin(cats) | df["highlighted"]]

    notes: list[str] = []
    if want_years is not None:
        yrs = set(want_years)
    elif part is not None and part.years:
        yrs = set(part.years) | {d.year for d in df.loc[df["highlighted"], "start_date"]}
    elif part is not None and df["highlighted"].any():  # no year in the words, but events it refers to
        linked = df[df["highlighted"]]
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


_COLUMNS = ["event_id", "start_date", "end_date", "precision", "start_date_os", "end_date_os", "date_label",
            "uncertain", "earliest", "latest", "title", "category", "highlighted", "place", "mentioned_in",
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


def _text_size_in(fig: Figure, text: str, bold: bool) -> tuple[float, float]:
    """Width and height of a label in inches, measured by the renderer, with the padding of its box.

    Measuring is most of a timeline's layout time, and lessons show the same events again and again, so sizes are
    kept per text, weight, font and resolution (the only things they depend on)."""
    return _measured(text, bold, fig.dpi, tuple(matplotlib.rcParams["font.family"]),
                     tuple(matplotlib.rcParams["font.sans-serif"]))


@functools.lru_cache(maxsize=4096)
def _measured(text: str, bold: bool, dpi: float, family: tuple, sans: tuple) -> tuple[float, float]:
    scratch = _scratch_figure(dpi)
    t = scratch.text(0, 0, text, fontsize=theme.FIG_FONT_PT, fontweight="bold" if bold else "normal",
                     linespacing=_LINESPACING, family=list(family))
    bb = t.get_window_extent(scratch.canvas.get_renderer())
    t.remove()
    pad = 2 * _BOX_PAD * theme.FIG_FONT_PT / 72
    return bb.width / dpi + pad, bb.height / dpi + pad


@functools.lru_cache(maxsize=4)
def _scratch_figure(dpi: float) -> Figure:
    """A figure that is never shown, only used to measure text at ``dpi``."""
    fig = Figure(figsize=(1, 1), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


_LINESPACING = 1.1
_BOX_PAD = 0.25  # label box padding, as a fraction of the font size


def _num(d) -> float:
    return float(mdates.date2num(pd.Timestamp(d).to_pydatetime()))


def _mark_span(row: pd.Series) -> tuple[date, date]:
    """The dates a mark covers: the uncertainty span, or first to last day of a lasting event, or the day."""
    if row["uncertain"]:
        return row["earliest"], row["latest"]
    end = row["end_date"] if not pd.isna(row["end_date"]) else row["start_date"]
    return row["start_date"], end


def _placing_order(cand: pd.DataFrame, window: tuple[date, date], slices: int = 8) -> list[int]:
    """Who gets a row first: the passage's own events; then, taking turns across eight equal slices of the years
    shown (so that one crowded stretch cannot take every row), events many passages mention before the rest."""
    mentions = [0 if pd.isna(m) else len(str(m).split()) for m in cand["mentioned_in"]]
    first = [i for i in range(len(cand)) if cand.loc[i, "highlighted"]]
    span = (window[1] - window[0]).days or 1
    queues: dict[int, list[int]] = {}
    for i in sorted((i for i in range(len(cand)) if not cand.loc[i, "highlighted"]),
                    key=lambda i: (-mentions[i], cand.loc[i, "start_date"])):
        k = min(slices - 1, max(0, (cand.loc[i, "start_date"].date() - window[0]).days * slices // span))
        queues.setdefault(k, []).append(i)
    turns = sorted(queues, key=lambda k: (-mentions[queues[k][0]], k))  # the slice with the best event first
    rest = [q[n] for n in range(max(map(len, queues.values()), default=0)) for q in (queues[k] for k in turns)
            if n < len(q)]
    return first + rest


def _arrange(fig: Figure, plan: _Plan) -> pd.DataFrame:
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
            w, h = _text_size_in(fig, text, bool(row["highlighted"]))
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
# Drawing
# ---------------------------------------------------------------------------------------------------------------------

def _date_axis(ax, window: tuple[date, date]) -> None:
    """Ticks that suit the span: months for a year or two, years for a decade, every 5/10/20 years beyond."""
    days = (window[1] - window[0]).days
    if days <= 800:
        step = 1 if days <= 200 else 2 if days <= 420 else 3
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))

        def fmt(x, pos=None):
            d = mdates.num2date(x)
            return f"{d:%b}\n{d.year}" if d.month <= step or pos == 0 else f"{d:%b}"

        ax.xaxis.set_major_formatter(fmt)
    else:
        years = days / 365.25
        base = next(b for b in (1, 2, 5, 10, 20, 25, 50) if years / b <= 14)
        ax.xaxis.set_major_locator(mdates.YearLocator(base))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def _draw_event(ax, y: float, row: pd.Series) -> None:
    """One event: its mark (filled if the day is known, hollow with an error bar if not), a bar if it lasted,
    and its label in a box (bold on yellow if the passage mentions it)."""
    colour, marker = theme.CATEGORY_STYLE[str(row["category"])]
    hl = bool(row["highlighted"])
    size = 15 if hl else 12
    z = 4 if hl else 3
    eid = row["event_id"]
    lasting = not pd.isna(row["end_date"]) and row["end_date"] != row["start_date"]
    if row["uncertain"]:
        s0, s1 = uncertainty(row["start_date"].date(), None, str(row["precision"]))
        x = (_num(s0) + _num(s1)) / 2
        if lasting:  # the bar from the middle of the first to the middle of the last possible period
            e0, e1 = uncertainty(row["end_date"].date(), None, str(row["precision"]))
            xe = (_num(e0) + _num(e1)) / 2
            ax.plot([x, xe], [y, y], color=colour, linewidth=7, alpha=0.35, solid_capstyle="butt", zorder=z - 1)
            ax.errorbar([xe], [y], xerr=[[xe - _num(e0)], [_num(e1) - xe]], fmt="none", ecolor=colour,
                        elinewidth=2.5, capsize=7, capthick=2.5, zorder=z)
        bar = ax.errorbar([x], [y], xerr=[[x - _num(s0)], [_num(s1) - x]], fmt="none", ecolor=colour,
                          elinewidth=2.5, capsize=7, capthick=2.5, zorder=z)
        bar.lines[2][0].set_gid(f"range:{eid}")  # the bar itself (a LineCollection): tests find it by this
        ax.plot([x], [y], marker=marker, markersize=size, markerfacecolor="white", markeredgecolor=colour,
                markeredgewidth=2.5, linestyle="none", zorder=z + 1, gid=f"mark:{eid}")
        if hl:
            ax.plot([x], [y], marker=marker, markersize=size + 6, markerfacecolor="none", markeredgecolor="black",
                    markeredgewidth=1.6, linestyle="none", zorder=z + 1)
    else:
        x = _num(row["start_date"])
        if lasting:
            ax.plot([x, _num(row["end_date"])], [y, y], color=colour, linewidth=7, alpha=0.55,
                    solid_capstyle="butt", zorder=z - 1)
        ax.plot([x], [y], marker=marker, markersize=size, markerfacecolor=colour,
                markeredgecolor="black" if hl else colour, markeredgewidth=2 if hl else 1, linestyle="none",
                zorder=z + 1, gid=f"mark:{eid}")
    box = dict(boxstyle=f"round,pad={_BOX_PAD}", facecolor=theme.FIG_HIGHLIGHT_BG if hl else "white",
               edgecolor="#B08900" if hl else "none", alpha=1.0 if hl else 0.85)
    where = blended_transform_factory(ax.figure.dpi_scale_trans, ax.transData)  # x and y in inches
    t = ax.text(row["label_x"], y, row["label"], transform=where, ha=row["label_ha"], va="center",
                fontsize=theme.FIG_FONT_PT, linespacing=_LINESPACING, fontweight="bold" if hl else "normal",
                color=theme.FIG_TEXT if hl else "#333333", bbox=box, zorder=6, clip_on=False)
    t.set_gid(f"label:{eid}")


def _legend_entries(drawn: pd.DataFrame, passage_label: str) -> tuple[list[Line2D], list[Line2D]]:
    cats = [c for c in context.EVENT_CATEGORIES if c in set(drawn["category"].astype(str))]
    handles = [Line2D([], [], marker=theme.CATEGORY_STYLE[c][1], color=theme.CATEGORY_STYLE[c][0], linestyle="none",
                      markersize=12, label=c.capitalize()) for c in cats]
    keys = []
    if drawn["highlighted"].any():
        keys.append(Line2D([], [], marker="s", markerfacecolor=theme.FIG_HIGHLIGHT_BG, markeredgecolor="#B08900",
                           linestyle="none", markersize=16, label=f"Mentioned in {passage_label}" if passage_label
                           else "Highlighted"))
    if drawn["uncertain"].any():
        keys.append(Line2D([0], [0], marker="o", color="#555555", markerfacecolor="white", markeredgewidth=2.5,
                           linewidth=2.5, markersize=12, label="Hollow: date uncertain, bar = possible range"))
    if (~drawn["uncertain"] & drawn["end_date"].notna()).any() or (drawn["uncertain"] & drawn["end_date"].notna()
                                                                  ).any():
        keys.append(Line2D([], [], color="#555555", linewidth=7, alpha=0.55, label="Thick bar: how long it lasted"))
    return handles, keys


def _draw(plan: _Plan) -> tuple[Figure, pd.DataFrame]:
    """Draw a planned timeline on a new figure; return the figure and the events placed in its main panel."""
    W = theme.FIG_WIDTH_IN
    fig = figures.new_figure(6.0)
    drawn = _arrange(fig, plan)
    # Each row as tall as its tallest label; y is measured in inches from the bottom of the main panel.
    n_lanes = int(drawn["lane"].max()) + 1 if len(drawn) else 1
    heights = [max([0.6, *(drawn.loc[drawn["lane"] == k, "label_h"] + 0.12)]) for k in range(n_lanes)]
    tops = [sum(heights[:k]) for k in range(n_lanes)]
    lane_y = {k: 0.075 + sum(heights) - tops[k] - heights[k] / 2 for k in range(n_lanes)}
    handles, keys = _legend_entries(drawn, plan.passage_label)
    strip_h = 0.0 if plan.whole else 1.3  # overview: its title, the strip and its year labels
    title_h = 0.55 + (0.4 if plan.figure_note else 0)
    main_h = sum(heights) + 0.15
    ticks_h = 0.8 if (plan.window[1] - plan.window[0]).days <= 800 else 0.5
    legend_h = 0.38 * (-(-len(handles) // 4)) + 0.38 * (-(-len(keys) // 2)) + 0.1
    H = 0.15 + strip_h + title_h + main_h + ticks_h + legend_h
    fig.set_size_inches(W, H)
    ax_w = W - _LEFT - _RIGHT

    def rect(bottom_in: float, height_in: float) -> list[float]:
        return [_LEFT / W, bottom_in / H, ax_w / W, height_in / H]

    ax = fig.add_axes(rect(legend_h + ticks_h, main_h))
    ax.set_xlim(_num(plan.window[0]), _num(plan.window[1]))
    ax.set_ylim(0, main_h)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.xaxis.grid(True, zorder=0)
    ax.set_axisbelow(True)
    _date_axis(ax, plan.window)
    if plan.passage_label and drawn["highlighted"].any():
        title = f"{plan.years_text}: what {plan.passage_label} mentions is in bold"
    elif plan.passage_label:
        title = f"{plan.years_text}: events around {plan.passage_label}"
    else:
        title = f"Events, {plan.years_text}"
    ax.set_title(title, pad=12 + (28 if plan.figure_note else 0), fontsize=theme.FIG_TITLE_PT)
    if plan.figure_note:  # e.g. "Molyneux ¶3 mentions no year, so the whole span 1861–1991 is shown."
        ax.annotate(plan.figure_note, xy=(0, 1), xycoords="axes fraction", xytext=(0, 10), textcoords="offset points",
                    ha="left", va="bottom", fontsize=theme.FIG_FONT_PT, color="#333333", gid="note")
    for _, row in drawn.iterrows():
        _draw_event(ax, lane_y[int(row["lane"])], row)
    if not plan.whole:
        _overview(fig.add_axes(rect(H - 0.15 - 0.75, 0.4)), plan)
    x_leg = _LEFT / W
    if handles:
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(x_leg, (legend_h - 0.05) / H),
                   ncol=min(4, len(handles)), handletextpad=0.3, columnspacing=1.5, borderaxespad=0, borderpad=0,
                   labelspacing=0.35)
    if keys:
        y = legend_h - 0.05 - 0.38 * (-(-len(handles) // 4))
        fig.legend(handles=keys, loc="upper left", bbox_to_anchor=(x_leg, y / H), ncol=min(2, len(keys)),
                   handletextpad=0.5, columnspacing=1.5, borderaxespad=0, borderpad=0, labelspacing=0.35,
                   handlelength=2.2)
    return fig, drawn


def _overview(ov, plan: _Plan) -> None:
    """The whole period as a thin strip: every event a small mark, the passage's events ringed, the zoom shaded."""
    lo = min(plan.window[0], date(SPAN[0], 1, 1))
    hi = max(plan.window[1], date(SPAN[1], 12, 31))
    ov.set_xlim(_num(lo - timedelta(days=400)), _num(hi + timedelta(days=400)))
    ov.set_ylim(-1, 1)
    ov.set_yticks([])
    for side in ("left", "right", "top"):
        ov.spines[side].set_visible(False)
    ov.axvspan(_num(plan.window[0]), _num(plan.window[1]), color=theme.ACCENT, alpha=0.22, linewidth=0)
    for edge in plan.window:
        ov.axvline(_num(edge), color=theme.ACCENT, linewidth=2)
    ctx = plan.context_events
    # One line of marks per look (category, hollow or not, ringed or not): a few artists instead of one per event,
    # which made the strip a tenth of a timeline's drawing time.
    looks = ctx.assign(category=ctx["category"].astype(str), x=[_num(d) for d in ctx["start_date"]])
    for (hl, category, uncertain), group in looks.groupby(["highlighted", "category", "uncertain"], sort=True):
        colour, marker = theme.CATEGORY_STYLE[category]
        ov.plot(group["x"].tolist(), [0] * len(group), marker=marker, markersize=11 if hl else 7, linestyle="none",
                markerfacecolor="white" if uncertain else colour, markeredgecolor="black" if hl else colour,
                markeredgewidth=1.8 if hl else 1.0, alpha=1 if hl else 0.75, zorder=3 + hl)
    ov.xaxis.set_major_locator(mdates.YearLocator(10 if (hi.year - lo.year) <= 140 else 20))
    ov.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ov.set_title(f"The whole period {lo.year}–{hi.year}; the shaded years are shown below", pad=6,
                 fontsize=theme.FIG_FONT_PT, fontweight="normal", color="#333333")


def timeline_events(passage_id: str | None = None, years: int | Iterable[int] | None = None,
                    categories: Iterable[str] | None = None, highlight: Iterable[str] | None = None) -> pd.DataFrame:
    """The events a timeline draws in its main panel, in date order, with ``date_label`` (as on the figure),
    ``uncertain``, ``earliest``/``latest`` (the days an uncertain date may mean), ``highlighted`` (mentioned by the
    passage, or named in ``highlight``) and ``lane`` (its row, 0 at the top). Arguments as for :func:`timeline`."""
    plan = _plan(passage_id, years, categories, highlight)
    with figures.styled():
        fig = figures.new_figure(6.0)
        try:
            drawn = _arrange(fig, plan)
        finally:
            figures.close(fig)
    return drawn[_COLUMNS + ["lane"]]


def timeline_figure(passage_id: str | None = None, years: int | Iterable[int] | None = None,
                    categories: Iterable[str] | None = None, highlight: Iterable[str] | None = None) -> Figure:
    """The timeline as a matplotlib Figure on an Agg canvas, for checks or reuse; close it with figures.close().
    Labels carry the gid ``label:<event_id>``, marks ``mark:<event_id>``."""
    plan = _plan(passage_id, years, categories, highlight)
    with figures.styled():
        return _draw(plan)[0]


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
    with figures.styled():
        fig, drawn = _draw(plan)
    caption = [f"Events of {plan.years_text}" + ("" if plan.whole else
                                                 f", with the whole period {plan.strip_text} above") + "."]
    n_hl = int(drawn["highlighted"].sum())
    if plan.passage_label:
        caption.append(f"Bold on yellow: the {n_hl} event{'s' if n_hl != 1 else ''} {plan.passage_label} mentions."
                       if n_hl else f"{plan.passage_label} mentions none of the events in the data.")
    caption += list(plan.notes)
    left_out = len(plan.candidates) - len(drawn)
    if left_out:
        caption.append(f"{left_out} more event{'s' if left_out != 1 else ''} of these years "
                       f"{'are' if left_out != 1 else 'is'} left out for room (marked in the strip above)."
                       if not plan.whole else f"{left_out} more events are left out for room.")
    if drawn["start_date_os"].notna().any():
        caption.append("Dates are New Style (Gregorian); Russia used the Julian calendar until 14 Feb 1918, so the "
                       "Old Style (O.S.) date is added in brackets.")
    else:
        caption.append("Dates are New Style (Gregorian).")
    if drawn["uncertain"].any():
        caption.append("Hollow marks: the date is known only to the month or year; the bar spans every day it "
                       "may mean.")
    return figures.figure_view(fig, alt=_alt_text(plan, drawn), caption=" ".join(caption),
                               source=_source_text(drawn), table=_table(drawn), label=f"Timeline {plan.years_text}")


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
