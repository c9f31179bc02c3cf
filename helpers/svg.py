"""Matplotlib's SVG made small and steady enough to live in a notebook, and shown as an ``<img>`` data URL.

Figures are stored as SVG, not PNG: drawing one skips rasterising every glyph and the palette reduction (together
about two thirds of a figure's cost in a fresh kernel), the file is a third of the PNG's size, and text and lines stay
sharp at any zoom of a classroom projector. Labels are SVG text, drawn by the browser in the figure font where the
machine has it (DejaVu Sans, as the layout was measured) or in a narrower sans-serif (Arial, Helvetica), so a label
never grows out of the room the layout gave it.

:func:`compact` removes what matplotlib writes for other programs (XML prolog, metadata, the ids of groups nobody
refers to, empty groups, whitespace), rounds coordinates to 0.1 pt (a seventh of a pixel on screen), says the font
once instead of in every label, turns each distinct inline style into one class and shortens ids. One pass over the
tags: linear in the size of the SVG.
"""
from __future__ import annotations

import io
import re
import urllib.parse
from typing import TYPE_CHECKING

from .html import Markup

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The figure font for the browser, then fallbacks no wider than it.
FONT_FAMILY = "'DejaVu Sans','Bitstream Vera Sans',Arial,Helvetica,sans-serif"

_TOKEN = re.compile(r"<(/?)([\w:]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>|[^<]+")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_LONG_NUMBER = re.compile(r"-?\d+\.\d{2,}")
_GEOMETRY = frozenset({"d", "x", "y", "transform", "points", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width",
                       "height"})
_GROUP_ID = re.compile(r'\s*\bid="[^"]*"')
_NO_ROTATION = re.compile(r"rotate\(-?0 [^)]*\)")
_FONT_FAMILY = re.compile(r"font-family:[^;]*;?")
_SPACE_AFTER = re.compile(r"([:;])\s+")
#: Kept as they are in the data URL: printable ASCII but for what would end a double-quoted attribute (") or begin an
#: entity (&), a URL fragment (#) or an escape (%).
_DATA_URL_SAFE = "".join(c for c in map(chr, range(32, 127)) if c not in '"&#%')


def render(fig: Figure) -> str:
    """The figure as compact SVG text: the same text every time for the same figure (fixed ids, no date).

    >>> from matplotlib.figure import Figure
    >>> render(Figure(figsize=(1, 1))) == render(Figure(figsize=(1, 1))), render(Figure(figsize=(1, 1)))[:5]
    (True, '<svg ')
    """
    import matplotlib  # here, not at the top: drawing straight to SVG needs none of it

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "what-went-wrong", "svg.id": None}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return compact(buf.getvalue())


def _round(match: re.Match) -> str:
    text = f"{float(match.group()):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attribute(match: re.Match) -> str:
    """One attribute, its numbers rounded or its style shortened."""
    name, value = match.group(1), match.group(2)
    if name in _GEOMETRY:
        value = _LONG_NUMBER.sub(_round, " ".join(value.split()))
        if name == "transform":
            value = _NO_ROTATION.sub("", value).strip()
            if not value:
                return ""
    elif name == "style":
        value = _SPACE_AFTER.sub(r"\1", _FONT_FAMILY.sub("", value)).strip().rstrip(";")
    return f"{name}='{value.replace(chr(39), '&#39;')}'"


def compact(svg: str) -> str:
    """Matplotlib's SVG without what a browser does not need; see the module docstring.

    >>> small = compact('<?xml version="1.0"?><svg width="10pt"><metadata>x</metadata><g id="figure_1"><g>'
    ...                 '<path d="M 0 1.123456 L 2 3" style="fill: #ffffff"/></g></g></svg>')
    >>> print(small.replace(FONT_FAMILY, "FONT"))
    <svg width='10pt'><style>text{font-family:FONT}.s0{fill:#ffffff}</style><path d='M 0 1.1 L 2 3' class='s0'/></svg>
    """
    out: list[str] = []
    groups: list[bool] = []  # for each open <g>: whether its tag was kept
    styles: dict[str, str] = {}  # inline style -> class name, in order of first use
    sheet_at = -1  # where in ``out`` the style sheet goes
    in_metadata = False
    for m in _TOKEN.finditer(svg[svg.find("<svg"):]):
        close, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if name == "metadata" or in_metadata:
            in_metadata = (in_metadata or not empty) and not (name == "metadata" and close)
            continue
        if name is None:
            if m.group().strip():
                out.append(m.group())
            continue
        if name == "g" and not empty:
            if close:
                if groups.pop():
                    out.append("</g>")
                continue
            attrs = _GROUP_ID.sub("", attrs)
            groups.append(bool(attrs.strip()))
            if not groups[-1]:
                continue
        rewritten = _classed(" ".join(_ATTR.sub(_attribute, attrs).split()), styles)
        out.append(f"<{close}{name}{' ' + rewritten if rewritten else ''}{'/' if empty else ''}>")
        if name in ("svg", "style") and not close:
            sheet_at = len(out)
            out.append("")
    rules = f"text{{font-family:{FONT_FAMILY}}}" + "".join(f".{c}{{{s}}}" for s, c in styles.items())
    if sheet_at >= 0:
        out[sheet_at] = rules if out[sheet_at - 1].startswith("<style") else f"<style>{rules}</style>"
    return _short_ids("".join(out))


_ID = re.compile(r"(\bid='|url\(#|href='#)([^')]+)")


def _short_ids(svg: str) -> str:
    """Matplotlib's hashed ids (``p0b0c9fcd2a``, ``m0840471808``) renamed ``i0``, ``i1``… in order of first mention;
    ``xlink:href`` written as plain ``href``, which every current browser reads."""
    names: dict[str, str] = {}

    def short(match: re.Match) -> str:
        return match.group(1) + names.setdefault(match.group(2), f"i{len(names)}")

    svg = svg.replace(" xmlns:xlink='http://www.w3.org/1999/xlink'", "").replace(" xlink:href='#", " href='#")
    return _ID.sub(short, svg)


_STYLE_ATTR = re.compile(r"style='([^']*)'")


def _classed(attrs: str, styles: dict[str, str]) -> str:
    """An element's inline style replaced by a class shared by every element with the same style."""
    if "class=" in attrs:
        return attrs

    def to_class(match: re.Match) -> str:
        name = styles.setdefault(match.group(1), f"s{len(styles)}")
        return f"class='{name}'"

    return _STYLE_ATTR.sub(to_class, attrs)


def data_url(svg: str) -> Markup:
    """SVG text as a ``data:`` URL for an ``<img src>``, safe in a double-quoted attribute as it is: only ``"``, ``&``,
    ``#``, ``%`` and non-ASCII are percent-encoded (a quarter of the size of base64's overhead; the SVG's own
    attributes are single-quoted, so there are few to encode).

    >>> data_url("<svg fill='#fff'>&quot;Пётр&quot;</svg>")
    "data:image/svg+xml;charset=utf-8,<svg fill='%23fff'>%26quot;%D0%9F%D1%91%D1%82%D1%80%26quot;</svg>"
    """
    return Markup("data:image/svg+xml;charset=utf-8," + urllib.parse.quote(svg, safe=_DATA_URL_SAFE))
