"""The one way a matplotlib figure becomes a View: an image with alt text, a caption with its source, its numbers.

Every chart and timeline ends here, so they all look and behave alike:

- drawn on matplotlib's non-interactive Agg canvas (``Figure`` + ``FigureCanvasAgg``), never through pyplot, so a
  notebook needs no ``%matplotlib`` and does not care which backend its environment sets (``MPLBACKEND=Agg`` too);
- styled only from :mod:`helpers.theme` (:func:`styled` applies its matplotlib settings while a figure is built);
- rendered to compact SVG (:mod:`helpers.svg`) that is the same text every time, sized for a projector and sharp at
  any zoom;
- shown as ``<figure>`` with alt text and a caption ending in the source, then a collapsible plain data table, all
  built with :func:`helpers.html.el` so every text is escaped; the plain-text twin holds the same alt text, caption,
  source and table, for static viewers and tests;
- cleared and closed straight after rendering, so a long notebook does not keep figures alive.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import pandas as pd

from . import svg, theme
from .html import Markup, el
from .view import View

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn: a lesson whose figures come from the cache, or
    from matplotlib.figure import Figure  # are drawn straight to SVG, never loads it (a fifth of a second)

MISSING = "—"  # how a missing value reads in a data table


@dataclass(frozen=True)
class FigureView(View):
    """A figure as a View, plus its parts: ``body`` (the HTML without the style sheet, for composed views), the SVG
    text, the alt text and the data table as a DataFrame."""

    body: Markup = Markup("")
    svg: str = field(default="", repr=False)
    alt: str = ""
    table: pd.DataFrame | None = field(default=None, compare=False, repr=False)


@contextmanager
def styled() -> Iterator[None]:
    """Apply the theme's matplotlib settings while a figure is built (they are read when artists are created)."""
    import matplotlib

    with matplotlib.rc_context(theme.MPL_RC):
        yield


def new_figure(height_in: float, width_in: float = theme.FIG_WIDTH_IN, **kwargs: object) -> Figure:
    """An empty figure on an Agg canvas (call inside :func:`styled`); kwargs go to ``Figure`` (e.g. layout=...)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=theme.FIG_DPI, **kwargs)
    FigureCanvasAgg(fig)
    return fig


def close(fig: Figure) -> None:
    """Forget a figure: closed in pyplot if pyplot made it, and emptied so its artists can be freed at once."""
    if getattr(fig.canvas, "manager", None) is not None:
        import matplotlib.pyplot as plt  # only for figures someone made with pyplot

        plt.close(fig)
    fig.clear()


def fmt_number(value: object) -> str:
    """A number as a reader expects it: 1917, 4192, 12,950, 1,548,366, 37.2, 62.73; missing as a dash.

    Numbers below 10,000 get no thousands separator, so years read as years.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, str):
        return value
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
    text = f"{v:,.2f}" if abs(v) >= 10_000 else f"{v:.2f}"
    return text.rstrip("0").rstrip(".")


def fmt_amount(value: object) -> str:
    """Like :func:`fmt_number`, but millions in words for a label read from afar: 3.5 million, 18 million."""
    if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)) \
            and abs(value) >= 1_000_000:
        return f"{value / 1e6:.3g} million"
    return fmt_number(value)


def fmt_range(low: object, high: object) -> str:
    """A range for a label: 30,000–60,000; 14–18 million."""
    if all(isinstance(v, (int, float)) and abs(v) >= 1_000_000 for v in (low, high)):
        return f"{low / 1e6:.3g}–{high / 1e6:.3g} million"
    return f"{fmt_number(low)}–{fmt_number(high)}"


def _cell(value: object) -> str:
    if value is None or value is pd.NA:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return fmt_number(value)
    try:
        if pd.isna(value):
            return MISSING
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table_html(table: pd.DataFrame, caption: str = "") -> Markup:
    """A DataFrame as a plain, escaped HTML table (numbers right-aligned, missing values as a dash)."""
    numeric = {c: _is_numeric(table[c]) for c in table.columns}
    head = el("thead", el("tr", *[el("th", str(c), scope="col") for c in table.columns]))
    rows = [
        el("tr", *[el("td", _cell(v), class_="www-num" if numeric[c] else None) for c, v in zip(table.columns, row)])
        for row in table.itertuples(index=False, name=None)
    ]
    return el("table", el("caption", caption) if caption else "", head, el("tbody", *rows))


def table_text(table: pd.DataFrame) -> str:
    """A DataFrame as plain text: a header line, then one line per row, cells separated by ' | '."""
    lines = [" | ".join(str(c) for c in table.columns)]
    lines += [" | ".join(_cell(v) for v in row) for row in table.itertuples(index=False, name=None)]
    return "\n".join(lines)


SHORT_SOURCE = 160  # characters: a longer list of sources is folded under the caption, one click away


def source_html(source: str, what: str = "this figure") -> Markup:
    """A figure's (or table's: ``what``) source line; a long one (several works) folded to one line, so the figure
    stays on one screen.

    >>> "<details" in source_html("Rigby 1968, table 1"), "<details" in source_html("a; " * 80)
    (False, True)
    """
    line = el("span", f"Source: {source}", class_="www-source")
    if len(source) <= SHORT_SOURCE:
        return line
    return el("details", el("summary", f"Sources of {what}"), line, class_="www-sources www-print-open")


def figure_view(fig: Figure, *, alt: str, caption: str, source: str, table: pd.DataFrame | None = None,
                label: str = "") -> FigureView:
    """Render ``fig`` and close it; return it as a View with alt text, caption, source and data table.

    ``alt`` says what is drawn (for screen readers and when the image cannot load), ``caption`` what it shows,
    ``source`` where the numbers come from. ``label`` names the figure for assistive technology.
    """
    try:
        image = svg.render(fig)
        width_in, height_in = fig.get_size_inches()
    finally:
        close(fig)
    return image_view(image, width_in, height_in, alt=alt, caption=caption, source=source, table=table, label=label)


def image_view(image: str, width_in: float, height_in: float, *, alt: str, caption: str, source: str,
               table: pd.DataFrame | None = None, label: str = "") -> FigureView:
    """An SVG drawing (from matplotlib or drawn directly, :mod:`helpers.svgdraw`) as a View, like
    :func:`figure_view`: shown ``width_in`` × ``height_in`` inches at the theme's scale.

    >>> v = image_view("<svg/>", 2, 1, alt="Nothing", caption="Empty", source="None")
    >>> 'alt="Nothing"' in str(v.html), v.text.splitlines()[0]
    (True, '[Figure] Nothing')
    """
    width = round(width_in * theme.FIG_CSS_PX_PER_IN)
    height = round(height_in * theme.FIG_CSS_PX_PER_IN)
    figcaption = el("figcaption", caption, source_html(source))
    # On a narrow screen the image scrolls sideways rather than shrink its text below the theme's smallest size;
    # the scrolling box takes keyboard focus so that arrow keys scroll it too.
    img = el("img", alt=alt, src=svg.data_url(image), width=width, height=height,
             style=f"min-width:{math.ceil(width * theme.FIG_MIN_SCALE)}px")
    scroll = el("div", img, class_="www-figure-scroll", tabindex="0", role="group",
                aria_label=f"{label or 'Figure'}: scroll sideways on a narrow screen")
    parts = [el("figure", scroll, figcaption, class_="www-figure", aria_label=label or None)]
    text = [f"[Figure] {alt}", f"Caption: {caption}", f"Source: {source}"]
    if table is not None:
        parts.append(el("details", el("summary", "Data table"), table_html(table), class_="www-data"))
        text += ["Data table:", table_text(table)]
    body = Markup("".join(parts))
    html = el("div", theme.style_tag('class="www"', body), body, class_="www", lang="en")
    return FigureView(html=html, text="\n".join(text), body=body, svg=image, alt=alt, table=table)
