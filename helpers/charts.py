"""Statistics charts: scholarly series, and "what the text says vs what the sources say" for every figure a text cites.

Data: ``data/series_meta.csv`` (one row per series), ``data/series.csv`` (one row per value, with its citation) and
``data/cited_figures.csv`` (each number a passage states, beside the scholarly value or range), loaded through
:func:`helpers.context.load`.

Rules every chart here keeps, because a class reads them from across a room and must be able to trust them:
- a series over years is a line only between neighbouring years that both have a value: a missing year is a visible
  gap (shaded and marked "no data"), never bridged, and the caption names the missing years;
- a series over categories is a bar chart (horizontal, so long names stay readable);
- a range the sources give (low–high) is an error bar; a range with no single value is a hatched bar;
- the unit is on the axis; the source is under every chart, built from the rows' own citations;
- each chart comes with its numbers as a plain table (:func:`chart_table`), in the view and as a DataFrame.
"""
from __future__ import annotations

import re
import textwrap
from typing import Iterable, Sequence

import pandas as pd

from .figcache import cached
from . import context, figures, svgdraw, theme
from .figures import fmt_amount, fmt_number, fmt_range
from .texts import load_document

VERDICT_WORDS = {
    "consistent": "consistent with the sources",
    "too_high": "higher than the sources",
    "too_low": "lower than the sources",
    "disputed": "disputed: the sources disagree, or it depends on what is counted",
    "unverifiable": "cannot be checked against a source",
}
VALUE_LABELS_UP_TO = 10  # a single series with this many values or fewer has each value written on the chart
_GAP_COLOUR = "#EDEDED"


# ---------------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------------

def _meta(series_ids: Sequence[str]) -> pd.DataFrame:
    meta = context.load("series_meta").set_index("series_id", drop=False)
    unknown = [s for s in series_ids if s not in meta.index]
    if unknown:
        raise KeyError(f"No series {', '.join(map(repr, unknown))} in data/series_meta.csv; series are: "
                       f"{', '.join(meta.index)}.")
    rows = meta.loc[list(series_ids)]
    if rows["x_kind"].astype(str).nunique() > 1 or rows["unit"].nunique() > 1:
        raise ValueError("Series drawn together must share their kind of x axis and their unit; "
                         f"{', '.join(series_ids)} do not.")
    return rows


def _ids(series_id: str | Sequence[str]) -> list[str]:
    ids = [series_id] if isinstance(series_id, str) else list(series_id)
    if not ids:
        raise ValueError("Name at least one series.")
    return ids


def _year_list(years: Iterable[int]) -> str:
    """1913, 1914, 1915, 1917 → '1913–1915, 1917'."""
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in _runs(sorted(set(years))))


def compact_citations(xs: Sequence[str], citations: Sequence[str]) -> list[str]:
    """The distinct citations of some rows, in order; citations that differ only by the row's own year are merged
    into one that names the years ('…, year 1913–1928; …')."""
    groups: dict[str, list[int]] = {}
    for x, c in zip(xs, citations):
        c = str(c).strip()
        x = str(x)
        if re.fullmatch(r"\d{4}", x) and re.search(rf"(?<!\d){x}(?!\d)", c):
            groups.setdefault(re.sub(rf"(?<!\d){x}(?!\d)", "\x00", c), []).append(int(x))
        else:
            groups.setdefault(c, [])
    merged = [t.replace("\x00", _year_list(ys)) if ys else t for t, ys in groups.items()]
    return [c for c in merged if not _made_of_others(c, merged)]


def _made_of_others(citation: str, all_citations: list[str]) -> bool:
    """True if a citation only joins others of the list ('A; B' when A and B are listed on their own)."""
    rest = citation
    for other in sorted((o for o in all_citations if o != citation), key=len, reverse=True):
        rest = rest.replace(other, "")
    return rest != citation and not rest.strip(" ;,.")


def _series_rows(sid: str, kind: str) -> pd.DataFrame:
    """One series' rows; for a year series every year from first to last, missing years included as empty rows."""
    rows = context.load("series")
    rows = rows[rows["series_id"] == sid].copy()
    if kind != "year":
        return rows.reset_index(drop=True)
    rows["year"] = rows["x"].astype(int)
    if rows["year"].duplicated().any():
        dup = sorted(set(rows.loc[rows["year"].duplicated(), "year"]))
        raise ValueError(f"Series {sid!r} has more than one row for {_year_list(dup)} in data/series.csv.")
    full = pd.DataFrame({"year": range(int(rows["year"].min()), int(rows["year"].max()) + 1)})
    rows = full.merge(rows, on="year", how="left")
    rows["series_id"] = sid
    rows["x"] = rows["year"].astype(str)
    return rows


def _missing_years(rows: pd.DataFrame) -> list[int]:
    empty = rows["value"].isna() & rows["low"].isna() & rows["high"].isna()
    return [int(y) for y in rows.loc[empty, "year"]]


def chart_table(series_id: str | Sequence[str] | None = None, *, figure_id: str | None = None) -> pd.DataFrame:
    """The numbers behind a chart, as a plain table: a series (or several drawn together), or one cited figure.

    For a year series every year from the first to the last has a row; a year with no value says so in ``note``.
    """
    if (series_id is None) == (figure_id is None):
        raise ValueError("Give either series_id or figure_id.")
    if figure_id is not None:
        return _figure_table(_figure(figure_id))
    ids = _ids(series_id)
    meta = _meta(ids)
    kind = str(meta["x_kind"].iloc[0])
    parts = []
    for sid in ids:
        rows = _series_rows(sid, kind)
        note = rows["note"].astype("string")
        if kind == "year":
            empty = rows["value"].isna() & rows["low"].isna() & rows["high"].isna()
            note = note.mask(empty & note.isna(), "no value in the data")
        parts.append(pd.DataFrame({
            "series": meta.loc[sid, "title"] if len(ids) > 1 else sid,
            "year" if kind == "year" else "category": rows["x"],
            "value": rows["value"], "low": rows["low"], "high": rows["high"],
            "unit": meta.loc[sid, "unit"], "note": note, "citation": rows["citation"],
        }))
    table = pd.concat(parts, ignore_index=True)
    return table if len(ids) > 1 else table.drop(columns="series")


# ---------------------------------------------------------------------------------------------------------------------
# Drawing helpers
# ---------------------------------------------------------------------------------------------------------------------

def _scale(values: Iterable[float], unit: str) -> tuple[float, str]:
    """Divide by a million (or a thousand) when numbers are that large, and say so on the axis."""
    top = max((abs(v) for v in values if pd.notna(v)), default=0)
    if top >= 2_000_000:
        return 1e6, f"{unit} (millions)"
    if top >= 200_000:
        return 1e3, f"{unit} (thousands)"
    return 1.0, unit


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False))


Y_LABEL_WRAP = 32  # characters per line of a y-axis label: the height of the shortest chart's axis


# ---------------------------------------------------------------------------------------------------------------------
# Series charts
# ---------------------------------------------------------------------------------------------------------------------

def _check_highlight(highlight: object, xs: set[str]) -> list[str]:
    if highlight is None:
        return []
    items = [highlight] if isinstance(highlight, (str, int)) else list(highlight)
    out = [str(h) for h in items]
    bad = [h for h in out if h not in xs]
    if bad:
        raise ValueError(f"Nothing to highlight at {', '.join(map(repr, bad))}: the chart has "
                         f"{', '.join(sorted(xs)) if len(xs) <= 20 else str(len(xs)) + ' values'}.")
    return out


def _year_svg(ids: list[str], meta: pd.DataFrame, marks: list[str], title: str) -> tuple[str, float, list[str]]:
    """Lines over years with gaps (drawn with :mod:`helpers.svgdraw`, as the other charts): a line only between
    neighbouring years that both have a value; each value a mark (``id`` ``point:<series>:<year>``), written above
    it when a single series has few; a range as an error bar with caps (a hollow mark where it has no single value);
    years no series has shaded and marked "no data" (``id`` ``gap:<first year>``); a highlighted year circled and
    labelled. Returns the SVG, its height in inches and the caption's notes about missing years."""
    rows = {sid: _series_rows(sid, "year") for sid in ids}
    unit = str(meta["unit"].iloc[0])
    allv = pd.concat([r[["value", "low", "high"]] for r in rows.values()]).stack().astype(float)
    div, axis_label = _scale(allv, unit)
    lo_v, hi_v = (float(allv.min()) / div, float(allv.max()) / div) if len(allv) else (0.0, 1.0)
    if 0 <= lo_v <= 0.5 * hi_v:
        y0, y1 = 0.0, hi_v * 1.12 or 1.0
    else:
        span = hi_v - lo_v or abs(hi_v) or 1
        y0, y1 = lo_v - 0.1 * span, hi_v + 0.18 * span
    first = min(int(r["year"].min()) for r in rows.values())
    last = max(int(r["year"].max()) for r in rows.values())
    x0, x1 = first - 0.6, last + 0.6

    pt, fs = svgdraw.PT_PER_IN, theme.FIG_FONT_PT
    height_in = 5.6 + (0.45 * len(ids) if len(ids) > 1 else 0)
    c = svgdraw.Canvas(theme.FIG_WIDTH_IN * pt, height_in * pt)
    ink, grey = c.style(f"fill:{theme.FIG_TEXT}"), c.style("fill:#444444")
    top = c.title(title) + 4
    y_ticks = [(t, fmt_number(round(t, 6))) for t in svgdraw.nice_ticks(y0, y1, 8)]
    y_label = _wrap(axis_label, Y_LABEL_WRAP)
    label_h = svgdraw.text_size(y_label, fs)[1]
    left = 8 + label_h + 10 + max(svgdraw.text_width(t, fs) for _, t in y_ticks) + 6 + svgdraw.TICK
    right = c.width - 20
    legend_h = (fs * svgdraw.LINE_STEP + 6) * len(ids) + 10 if len(ids) > 1 else 0
    bottom = c.height - 8 - svgdraw.TICK - 3.5 - fs * (1 + svgdraw.LINE_STEP) - 8 - legend_h

    def x(year: float) -> float:
        return left + (year - x0) / (x1 - x0) * (right - left)

    def y(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * (bottom - top)

    notes, missing_all = [], None
    for sid in ids:
        miss = _missing_years(rows[sid])
        if miss:
            who = f"{meta.loc[sid, 'title']}: " if len(ids) > 1 else ""
            notes.append(f"{who}{'n' if who else 'N'}o value for {_year_list(miss)}: shown as a gap, not joined up.")
        missing_all = set(miss) if missing_all is None else missing_all & set(miss)
    gap_fill = c.style(f"fill:{_GAP_COLOUR}")
    for run in _runs(sorted(missing_all or [])):
        c.rect(x(run[0] - 0.5), top, x(run[-1] + 0.5) - x(run[0] - 0.5), bottom - top, gap_fill)
        c.rect(x(run[0] - 0.5), top, x(run[-1] + 0.5) - x(run[0] - 0.5), bottom - top, c.style(c.hatch("#BBBBBB")),
               ident=f"gap:{run[0]}")
        c.text(x((run[0] + run[-1]) / 2), top + 6 + svgdraw.ASCENT * fs, "no\ndata" if len(run) < 2 else "no data",
               fs, grey, anchor="middle")
    c.y_axis([(y(t), text) for t, text in y_ticks], left, right, top, bottom)
    c.text(8 + svgdraw.ASCENT * fs, (top + bottom) / 2, y_label, fs, ink, anchor="middle", angle=-90)
    year_ticks = [(x(t), str(t)) for t in svgdraw.nice_ticks(x0, x1, 10, integer=True)]
    c.x_axis(year_ticks, left, right, top, bottom, "Year", grid=False)

    labels = []  # drawn last, above every line
    for n, sid in enumerate(ids):
        r = rows[sid]
        colour, shape = theme.SERIES_COLOURS[n % 7], theme.SERIES_MARKERS[n % 7]
        has = r["value"].notna().tolist()
        points = [(int(yr), float(v) / div) for yr, v, h in zip(r["year"], r["value"], has) if h]
        line = c.style(f"fill:none;stroke:{colour};stroke-width:2.8;stroke-linejoin:round")
        for run in _runs([yr for yr, _ in points]):
            if len(run) > 1:
                c.polyline([(x(yr), y(v)) for yr, v in points if run[0] <= yr <= run[-1]], line)
        bar = c.style(f"stroke:{colour};stroke-width:2")
        for _, row in r[r["low"].notna() | r["high"].notna()].iterrows():
            lo = (row["low"] if pd.notna(row["low"]) else row["value"]) / div
            hi = (row["high"] if pd.notna(row["high"]) else row["value"]) / div
            xr = x(row["year"])
            c.line(xr, y(lo), xr, y(hi), bar)
            for e in (lo, hi):
                c.line(xr - 7, y(e), xr + 7, y(e), bar)
            if pd.isna(row["value"]):  # a range with no single value: a hollow mark in its middle
                c.marker(shape, xr, y((lo + hi) / 2), 9, c.style(f"fill:#ffffff;stroke:{colour};stroke-width:2"))
        dot = c.style(f"fill:{colour}")
        for yr, v in points:
            c.marker(shape, x(yr), y(v), 9, dot, ident=f"point:{sid}:{yr}")
        for yr, v, hi in zip(r["year"], r["value"], r["high"]):
            if pd.isna(v):
                continue
            above = y(max(v, hi) / div) if pd.notna(hi) else y(v / div)  # over a range's top cap, not on it
            if str(yr) in marks:
                labels.append((x(yr), y(v / div), above, f"{yr}: {fmt_number(v)}", True))
            elif len(ids) == 1 and len(points) <= VALUE_LABELS_UP_TO:  # few points: each value written above it
                labels.append((x(yr), y(v / div), above, fmt_number(v), False))
    for label in labels:
        _value_label(c, *label)
    if len(ids) > 1:
        names = [str(meta.loc[sid, "title"]) for sid in ids]
        _series_legend(c, names, left, right, c.height - 8 - legend_h + 10)
    return c.svg(), height_in, notes


def _value_label(c: svgdraw.Canvas, x: float, y: float, above: float, text: str, marked: bool) -> None:
    """A value written over its mark at (x, y), clear of ``above`` (a range's top cap), on a pale box so a line
    behind it does not cross the digits; ``marked`` (a highlighted year): bold on yellow, the mark circled."""
    fs = theme.FIG_FONT_PT
    w = svgdraw.text_width(text, fs, bold=marked)
    base = min(above, y - 10 if marked else y) - (16 if marked else 13) - 0.25 * fs
    if marked:
        c.marker("o", x, y, 20, c.style(f"fill:none;stroke:{theme.FIG_TEXT};stroke-width:2"))
    box = f"fill:{theme.FIG_HIGHLIGHT_BG};stroke:#B08900;stroke-width:1" if marked else "fill:#ffffff;fill-opacity:0.9"
    c.rect(x - w / 2 - 3, base - svgdraw.ASCENT * fs - 3, w + 6, fs + 6, c.style(box), rx=3)
    c.text(x, base, text, fs, c.style(f"fill:{theme.FIG_TEXT if marked else '#333333'}"), anchor="middle",
           bold=marked)


def _series_legend(c: svgdraw.Canvas, names: list[str], left: float, right: float, top: float) -> None:
    """One row per series under the chart: its line and mark, then its name (cut to fit)."""
    fs = theme.FIG_FONT_PT
    for n, name in enumerate(names):
        colour, mid = theme.SERIES_COLOURS[n % 7], top + (fs * svgdraw.LINE_STEP + 6) * (n + 0.5)
        c.line(left, mid, left + 34, mid, c.style(f"stroke:{colour};stroke-width:2.8"))
        c.marker(theme.SERIES_MARKERS[n % 7], left + 17, mid, 9, c.style(f"fill:{colour}"))
        c.text(left + 44, mid + svgdraw.MIDDLE * fs, svgdraw.fit(name, right - left - 44, fs), fs,
               c.style(f"fill:{theme.FIG_TEXT}"))


def _runs(years: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _category_svg(sid: str, meta: pd.DataFrame, marks: list[str], title: str) -> tuple[str, float, list[str]]:
    """Horizontal bars in the order of the data file (first at the top); a range as an error bar with caps, or as a
    hatched bar when there is no single value; every bar carries its number. Drawn with :mod:`helpers.svgdraw`.
    Returns the SVG, its height in inches and notes for the caption. Each bar's id is ``bar:<category>``."""
    r = _series_rows(sid, "category")
    unit = str(meta.loc[sid, "unit"])
    div, axis_label = _scale(r[["value", "low", "high"]].stack().astype(float), unit)
    top_value = float(pd.concat([r["value"], r["high"], r["low"]]).max()) / div
    x1 = top_value * 1.45 if top_value > 0 else 1
    pt, fs = svgdraw.PT_PER_IN, theme.FIG_FONT_PT
    height_in = max(3.2, 1.5 + 0.62 * len(r))
    c = svgdraw.Canvas(theme.FIG_WIDTH_IN * pt, height_in * pt)
    ink = c.style(f"fill:{theme.FIG_TEXT}")
    top = c.title(title)
    names = [_wrap(str(x), 26) for x in r["x"]]
    left = 8 + max(svgdraw.text_size(n, fs, bold=True)[0] for n in names) + 12
    right = c.width - 28  # room for half of the last tick label
    bottom = c.height - 8 - 3.2 * fs
    pitch = (bottom - top) / len(r)

    def x(v: float) -> float:
        return left + v / x1 * (right - left)

    c.x_axis([(x(t), fmt_number(round(t, 6))) for t in svgdraw.nice_ticks(0, x1, 6)], left, right, top, bottom,
             axis_label)
    notes = []
    for k, ((_, row), name) in enumerate(zip(r.iterrows(), names)):
        y = top + (k + 0.5) * pitch
        hl = str(row["x"]) in marks
        colour = theme.PALETTE["vermilion"] if hl else theme.ACCENT
        c.text(left - 12, svgdraw.first_baseline(y, name, fs), name, fs, ink, anchor="end", bold=hl)
        v, lo, hi = row["value"], row["low"], row["high"]
        h = 0.62 * pitch
        ident = f"bar:{row['x']}"
        if pd.notna(v):
            edge = "stroke:#000000;stroke-width:2.5" if hl else "stroke:none"
            c.rect(left, y - h / 2, x(v / div) - left, h, c.style(f"fill:{colour};{edge}"), ident=ident)
            text, end = fmt_number(v), v / div
            if pd.notna(lo) or pd.notna(hi):
                lo_, hi_ = (lo if pd.notna(lo) else v), (hi if pd.notna(hi) else v)
                if lo_ != hi_:
                    bar = c.style(f"stroke:{theme.FIG_TEXT};stroke-width:2")
                    c.line(x(lo_ / div), y, x(hi_ / div), y, bar)
                    for e in (lo_, hi_):
                        c.line(x(e / div), y - 7, x(e / div), y + 7, bar)
                    text += f" (range {fmt_number(lo_)}–{fmt_number(hi_)})"
                end = max(v, hi_) / div
        elif pd.notna(lo) or pd.notna(hi):
            lo_, hi_ = (lo if pd.notna(lo) else hi), (hi if pd.notna(hi) else lo)
            c.rect(x(lo_ / div), y - h / 2, x(hi_ / div) - x(lo_ / div), h, c.style("fill:#ffffff"))
            c.rect(x(lo_ / div), y - h / 2, x(hi_ / div) - x(lo_ / div), h,
                   c.style(f"{c.hatch(colour)};stroke:{colour};stroke-width:2"), ident=ident)
            text, end = f"{fmt_number(lo_)}–{fmt_number(hi_)} (range only)", hi_ / div
        else:
            text, end = "no value", 0.0
            notes.append(f"No value for {row['x']}.")
        c.text(x(end + top_value * 0.015), y + svgdraw.MIDDLE * fs, text, fs, ink, bold=hl)
    return c.svg(), height_in, notes


def _series_alt(ids: list[str], meta: pd.DataFrame, kind: str, notes: list[str], marks: list[str]) -> str:
    parts = []
    for sid in ids:
        rows = _series_rows(sid, kind)
        vals = []
        for _, row in rows.iterrows():
            if pd.notna(row["value"]):
                v = fmt_number(row["value"])
                if pd.notna(row["low"]) or pd.notna(row["high"]):
                    lo = row["low"] if pd.notna(row["low"]) else row["value"]
                    hi = row["high"] if pd.notna(row["high"]) else row["value"]
                    v += f" (range {fmt_number(lo)}–{fmt_number(hi)})" if lo != hi else ""
            elif pd.notna(row["low"]) or pd.notna(row["high"]):
                v = f"{fmt_number(row['low'])}–{fmt_number(row['high'])} (range only)"
            else:
                v = "no value"
            vals.append(f"{row['x']} {v}")
        parts.append(f"{meta.loc[sid, 'title']} ({meta.loc[sid, 'unit']}): " + "; ".join(vals) + ".")
    what = "Line chart" if kind == "year" else "Bar chart"
    head = f"{what} of {len(ids)} series. " if len(ids) > 1 else f"{what}. "
    hl = f" Highlighted: {', '.join(marks)}." if marks else ""
    return head + " ".join(parts) + hl + (" " + " ".join(notes) if notes else "")


def _series_drawing(series_id: str | Sequence[str], highlight: object) -> tuple[str, float, dict]:
    """A series drawn as SVG (lines over years, bars over categories), its height in inches, and what went in."""
    ids = _ids(series_id)
    meta = _meta(ids)
    kind = str(meta["x_kind"].iloc[0])
    if kind == "category" and len(ids) > 1:
        raise ValueError("Category series are drawn one at a time.")
    rows = pd.concat([_series_rows(sid, kind) for sid in ids])
    marks = _check_highlight(highlight, {str(x) for x in rows["x"]})
    title = str(meta["title"].iloc[0]) if len(ids) == 1 else " / ".join(meta["title"])
    info = dict(ids=ids, meta=meta, kind=kind, rows=rows, marks=marks, title=title)
    draw = _category_svg if kind == "category" else _year_svg
    image, height_in, info["notes"] = draw(ids[0] if kind == "category" else ids, meta, marks, title)
    return image, height_in, info


@cached
def series_chart(series_id: str | Sequence[str], highlight: object = None) -> figures.FigureView:
    """A statistics series as a chart with its source under it: a line over years, bars over categories.

    ``series_id``: one id from data/series_meta.csv, or a list of ids with the same unit (drawn together, e.g. men's
    and women's life expectancy). ``highlight``: a year or category (or a list of them) to mark, e.g. the year a
    passage talks about. Unknown ids raise KeyError; a highlight the chart does not have raises ValueError.
    """
    image, height_in, info = _series_drawing(series_id, highlight)
    ids, meta, kind, rows, notes = info["ids"], info["meta"], info["kind"], info["rows"], list(info["notes"])
    if (rows["low"].notna() | rows["high"].notna()).any():
        notes.append("Thin bars with end caps show the range the sources give (low to high); a hatched bar is a "
                     "range with no single value.")
    caption = " ".join([" ".join(str(d) for d in meta["description"]), *notes])
    cited = rows[rows["citation"].notna()]
    source = "; ".join(compact_citations(cited["x"].tolist(), cited["citation"].tolist())) + " (data/series.csv)"
    parts = dict(alt=_series_alt(ids, meta, kind, notes, info["marks"]), caption=caption, source=source,
                 table=chart_table(ids if len(ids) > 1 else ids[0]), label=info["title"])
    return figures.image_view(image, theme.FIG_WIDTH_IN, height_in, **parts)


# ---------------------------------------------------------------------------------------------------------------------
# What the text says vs what the sources say
# ---------------------------------------------------------------------------------------------------------------------

def _figure(figure_id: str) -> pd.Series:
    figs = context.load("cited_figures")
    hit = figs[figs["figure_id"] == figure_id]
    if hit.empty:
        raise KeyError(f"No cited figure {figure_id!r} in data/cited_figures.csv; figures_for_passage('…') lists "
                       "the figures of a passage.")
    return hit.iloc[0]


def _passage_label(passage_id: str) -> str:
    if not isinstance(passage_id, str) or "-" not in passage_id:
        raise KeyError(f"No passage {passage_id!r}: passage ids look like 'molyneux-07'.")
    return load_document(passage_id.rsplit("-", 1)[0]).passage(passage_id).label


def figures_for_passage(passage_id: str) -> pd.DataFrame:
    """The figures a passage cites (rows of data/cited_figures.csv, in file order); empty if it cites none.
    An unknown passage id raises KeyError."""
    _passage_label(passage_id)
    figs = context.load("cited_figures")
    return figs[figs["passage_id"] == passage_id].reset_index(drop=True)


def _is_year_unit(unit: str) -> bool:
    return bool(re.match(r"^year\b(?!s)", unit.strip()))


def _figure_table(f: pd.Series) -> pd.DataFrame:
    label = _passage_label(str(f["passage_id"]))
    return pd.DataFrame({
        "who": [f"The text ({label})", "The sources"],
        "value": pd.array([f["value"], f["compare_value"]], dtype="Float64"),
        "low": pd.array([pd.NA, f["compare_low"]], dtype="Float64"),
        "high": pd.array([pd.NA, f["compare_high"]], dtype="Float64"),
        "unit": [f["unit"], f["unit"]],
        "citation": [f"{label}: “{f['quote']}”", f["compare_citation"] if pd.notna(f["compare_citation"]) else ""],
    })


@cached
def cited_figure_chart(figure_id: str) -> figures.FigureView:
    """What a text says beside what the sources say: the passage's number and the scholarly value or range on one
    axis, with the quote, the passage label, the verdict and both citations. Unknown ids raise KeyError."""
    f = _figure(figure_id)
    label = _passage_label(str(f["passage_id"]))
    unit = str(f["unit"])
    year_like = _is_year_unit(unit)
    text_v = f["value"]
    src_v, src_lo, src_hi = f["compare_value"], f["compare_low"], f["compare_high"]
    notes = []
    if year_like:  # a source number that cannot be a year is in another unit: say so rather than draw nonsense
        lo_y, hi_y = context.YEAR_RANGE
        bad = [v for v in (src_v, src_lo, src_hi) if pd.notna(v) and not lo_y <= v <= hi_y]
        if bad:
            notes.append(f"The sources' number ({fmt_number(bad[0])}) is not a year, so it is not drawn on this "
                         "axis; see the note.")
            src_v = src_lo = src_hi = pd.NA
    has_text, has_src = pd.notna(text_v), pd.notna(src_v) or pd.notna(src_lo) or pd.notna(src_hi)
    verdict = VERDICT_WORDS.get(str(f["verdict"]), str(f["verdict"]))
    src_label = "The sources"
    series_title = None  # the series compared with, named: it may measure something close, not the same thing
    if pd.notna(f["compare_series"]):
        titles = context.load("series_meta").set_index("series_id")["title"]
        series_title = str(titles.get(f["compare_series"], f["compare_series"]))
        src_label += "\n(" + _wrap(series_title, 24) + ")"
    source_marks = (src_v, src_lo, src_hi) if has_src else (pd.NA, pd.NA, pd.NA)
    image = _comparison_svg(f"{f['what']}: what the text says vs what the sources say", unit, year_like,
                            (f"The text\n({label})", text_v if has_text else pd.NA),
                            (src_label, *source_marks),
                            "a number in another unit (see the note)" if notes else "no figure found",
                            f"“{f['quote']}” — {label}. Verdict: {verdict}.")
    caption = f"{f['what']}. {label} says “{f['quote']}”. Verdict: {verdict}."
    if pd.notna(f["note"]):
        caption += f" {f['note']}"
    if notes:
        caption += " " + " ".join(notes)
    if series_title:
        caption += f" Compare the chart “{series_title}”."
    src_cite = str(f["compare_citation"]) if pd.notna(f["compare_citation"]) else "no scholarly source found"
    source = f"the text: {label}, “{f['quote']}”; the sources: {src_cite} (data/cited_figures.csv)"
    sep = "" if unit.startswith("%") else " "
    text_word = f"{fmt_number(text_v)}{sep}{unit}" if has_text else "no number"
    if has_src:
        lo = src_lo if pd.notna(src_lo) else src_v if pd.notna(src_v) else src_hi
        hi = src_hi if pd.notna(src_hi) else src_v if pd.notna(src_v) else src_lo
        rng = f"range {fmt_number(lo)}–{fmt_number(hi)}" if lo != hi else ""
        src_word = f"{fmt_number(src_v)} ({rng})" if pd.notna(src_v) and rng else fmt_number(src_v) \
            if pd.notna(src_v) else rng
    else:
        src_word = "no figure"
    series_note = f" ({series_title})" if series_title else ""
    alt = (f"Comparison chart: {f['what']}. The text ({label}) gives {text_word}; the sources{series_note} give "
           f"{src_word.strip()}. Verdict: {verdict}.")
    return figures.image_view(image, theme.FIG_WIDTH_IN, COMPARISON_HEIGHT_IN, alt=alt, caption=caption,
                              source=source, table=_figure_table(f), label=f"{label}: {f['what']}")


COMPARISON_HEIGHT_IN = 4.8


def _comparison_svg(title: str, unit: str, year_like: bool, text_row: tuple[str, object],
                    source_row: tuple[str, object, object, object], missing_source: str, footer: str) -> str:
    """Two rows on one axis: the text's number (a diamond) above the sources' value (a dot) and range (a bar with
    caps), each number written above its mark; a row without a number says so. Drawn with :mod:`helpers.svgdraw`:
    two marks and a few labels did not need matplotlib's layout engine (half of this chart's 0.05 s)."""
    pt, fs = svgdraw.PT_PER_IN, theme.FIG_FONT_PT
    c = svgdraw.Canvas(theme.FIG_WIDTH_IN * pt, COMPARISON_HEIGHT_IN * pt)
    ink, grey = c.style(f"fill:{theme.FIG_TEXT}"), c.style("fill:#333333")
    top = c.title(title)
    footer = svgdraw.wrap(footer, c.width - 24, fs)
    footer_h = svgdraw.text_size(footer, fs)[1]
    c.text(8, c.height - 8 - footer_h + svgdraw.ASCENT * fs, footer, fs, grey)
    text_label, text_v = text_row
    src_label, src_v, src_lo, src_hi = source_row
    left = 8 + max(svgdraw.text_size(lbl, fs)[0] for lbl in (text_label, src_label)) + 12
    right = c.width - 28  # room for half of the last tick label
    bottom = c.height - 8 - footer_h - 14 - 3.2 * fs  # room for the tick labels and the axis label
    vals = [v for v in (text_v, src_v, src_lo, src_hi) if pd.notna(v)]
    div, axis_label = _scale(vals, unit) if not year_like else (1.0, unit)
    if vals:
        lo_all, hi_all = min(vals) / div, max(vals) / div
        if year_like:
            pad = max(2.0, (hi_all - lo_all) * 0.3)
            x0, x1 = lo_all - pad, hi_all + pad
        else:
            x0, x1 = min(0.0, lo_all), hi_all * 1.18 if hi_all > 0 else 1
    else:
        x0, x1 = 0.0, 1.0

    def x(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * (right - left)

    def y(row: float) -> float:  # rows 1 (the text) and 0 (the sources) on a scale from -0.6 to 1.75
        return top + (1.75 - row) / 2.35 * (bottom - top)

    ticks = svgdraw.nice_ticks(x0, x1, 8 if year_like else 6, integer=year_like)
    c.x_axis([(x(t), str(int(round(t))) if year_like else fmt_number(round(t, 6))) for t in ticks], left, right, top,
             bottom, axis_label)
    for row, lbl in ((1, text_label), (0, src_label)):
        c.text(left - 12, svgdraw.first_baseline(y(row), lbl, fs), lbl, fs, ink, anchor="end")
    words = []  # (row, x, text): the number written above its mark
    if pd.notna(text_v):
        c.marker("D", x(text_v / div), y(1), 16, c.style(f"fill:{theme.PALETTE['vermilion']}"), "text-value")
        words.append((1, text_v / div, fmt_amount(text_v)))
    has_src = any(pd.notna(v) for v in (src_v, src_lo, src_hi))
    if has_src:
        lo = src_lo if pd.notna(src_lo) else src_v if pd.notna(src_v) else src_hi
        hi = src_hi if pd.notna(src_hi) else src_v if pd.notna(src_v) else src_lo
        if lo != hi:
            c.line(x(lo / div), y(0), x(hi / div), y(0),
                   c.style(f"stroke:{theme.ACCENT};stroke-width:12;stroke-opacity:0.35"), "source-range")
            caps = c.style(f"stroke:{theme.ACCENT};stroke-width:2.5")
            c.line(x(lo / div), y(0), x(hi / div), y(0), c.style(f"stroke:{theme.ACCENT};stroke-width:2"))
            for v in (lo, hi):
                c.line(x(v / div), y(0) - 10, x(v / div), y(0) + 10, caps)
        if pd.notna(src_v):
            c.marker("o", x(src_v / div), y(0), 16, c.style(f"fill:{theme.ACCENT}"), "source-value")
        rng = f"range {fmt_range(lo, hi)}" if lo != hi else ""
        main = fmt_amount(src_v) if pd.notna(src_v) else ""
        words.append((0, ((lo + hi) / 2 if lo != hi else src_v) / div, f"{main} ({rng})" if main and rng else
                      main or rng))
    for row, v, txt in words:  # above the mark, kept inside the plot
        frac = (v - x0) / (x1 - x0)
        anchor = "start" if frac < 0.2 else "end" if frac > 0.8 else "middle"
        c.text(x(v), y(row) - 16 - 0.24 * (fs + 1), txt, fs + 1, ink, anchor=anchor, bold=True)
    for row, present, what in ((1, pd.notna(text_v), "gives no number"), (0, has_src, missing_source)):
        if not present:
            c.text(left + 0.02 * (right - left), y(row) + svgdraw.MIDDLE * fs, what, fs,
                   c.style("fill:#444444;font-style:italic"))
    return c.svg()
