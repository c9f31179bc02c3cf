"""A small SVG canvas for figures made of marks, lines and labels: every chart and timeline the lessons draw.

Why: a timeline is some sixty labels in boxes beside marks on a date axis. Through matplotlib each label becomes a
Text artist that is measured, laid out and measured again while drawing; a lesson's first timeline took 0.3 s in a
fresh kernel. Here labels are measured once, from the figure font's glyph advances (read from the same DejaVu Sans
files matplotlib ships, so every machine measures alike), and written as SVG text: a timeline takes a few
milliseconds. The charts followed (comparison, bars, causes, continuum, lines over years): each takes
milliseconds, and a lesson never imports matplotlib's figure machinery (0.2 s), only its font files.
:func:`helpers.figures.figure_view` still turns a matplotlib figure into the same kind of view, for a chart this
canvas cannot draw.

Units are points (1/72 inch), measured from the top left corner. Text is escaped for XML; styles are shared classes.
"""
from __future__ import annotations

import functools
import math
from html import escape

from . import theme
from .svg import FONT_FAMILY

PT_PER_IN = 72
LINE_STEP = 1.2  # baseline to baseline, in font sizes
MIDDLE = 0.36  # from the middle of a line down to its baseline, in font sizes (half the height of a capital)
ASCENT = 0.76  # from the top of a line's tallest letters down to its baseline, in font sizes
BOX_PAD = 0.25  # padding of a label's box, in font sizes
TICK = 6  # length of a tick mark, in points


@functools.lru_cache(maxsize=2)
def _font(bold: bool):
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family=theme.FIG_FONT, weight="bold" if bold else "normal")))
    font.set_size(100, PT_PER_IN)
    return font


@functools.lru_cache(maxsize=4096)
def _advance(char: str, bold: bool) -> float:
    """A character's advance width at 1 pt, unhinted (SVG text is never hinted)."""
    from matplotlib.ft2font import LoadFlags

    return _font(bold).load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536 / 100


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of one line of text in the figure font (kerning left out: a few tenths of a point).

    >>> round(text_width("1917", 14))
    36
    """
    return size * sum(_advance(c, bold) for c in text)


def wrap(text: str, width: float, size: float, bold: bool = False) -> str:
    """Text broken into lines (at spaces) no wider than ``width`` points, where a word allows.

    >>> wrap("one two three four", text_width("one two", 14), 14)
    'one two\\nthree\\nfour'
    """
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """One line of text, cut with an ellipsis where it would pass ``width`` points (e.g. a long name in a legend).

    >>> fit("Short", 100, 14), fit("A very long name indeed", 100, 14)
    ('Short', 'A very long…')
    """
    room, used = width - text_width("…", size, bold), 0.0
    if text_width(text, size, bold) <= width:
        return text
    for i, char in enumerate(text):
        used += size * _advance(char, bold)
        if used > room:
            return text[:i].rstrip() + "…"
    return text


def nice_ticks(lo: float, hi: float, most: int = 6, integer: bool = False) -> list[float]:
    """Round values for ticks from ``lo`` to ``hi``: steps of 1, 2, 2.5 or 5 times a power of ten (whole steps
    only with ``integer``, e.g. years), at most ``most`` of them.

    >>> nice_ticks(0, 18.5), nice_ticks(1915.2, 1921.7, 8, integer=True)
    ([0, 5, 10, 15], [1916, 1917, 1918, 1919, 1920, 1921])
    """
    span = hi - lo
    if span <= 0:
        return [lo]
    magnitude = 10 ** math.floor(math.log10(span / most))
    steps = [m * magnitude for m in (1, 2, 2.5, 5, 10, 20)]
    step = next((s for s in steps if span / s <= most and (not integer or (s >= 1 and float(s).is_integer()))),
                max(1.0, steps[-1]))
    first = math.ceil(lo / step - 1e-9)
    ticks = [round((first + k) * step, 10) for k in range(int((hi - first * step) / step + 1e-9) + 1)]
    return [int(t) if float(t).is_integer() else t for t in ticks]


def text_size(text: str, size: float, bold: bool = False) -> tuple[float, float]:
    """Width and height in points of a block of lines (split at newlines): from the top of the first line's tallest
    letters to the bottom of the last line's descenders, as matplotlib measures a text's extent.

    >>> [round(v, 1) for v in text_size("1917\\n1918", 10)]
    [25.4, 22.0]
    """
    lines = text.split("\n")
    return max(text_width(line, size, bold) for line in lines), size * (LINE_STEP * (len(lines) - 1) + 1)


def first_baseline(middle: float, text: str, size: float) -> float:
    """Where the first baseline goes so that a block of lines (as :func:`text_size` measures it) is centred on
    ``middle``.

    >>> first_baseline(100, "one line", 10)
    102.6
    """
    return middle - text_size(text, size)[1] / 2 + ASCENT * size


def _n(value: float) -> str:
    """A coordinate to 0.1 pt, without a trailing zero."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# Marker outlines for a mark of diameter 1, as (x, y) points (y down); "o" is a circle.
_SHAPES: dict[str, tuple[tuple[float, float], ...]] = {
    "s": ((-.42, -.42), (.42, -.42), (.42, .42), (-.42, .42)),
    "^": ((0, -.55), (.5, .37), (-.5, .37)),
    "v": ((0, .55), (.5, -.37), (-.5, -.37)),
    "D": ((0, -.6), (.45, 0), (0, .6), (-.45, 0)),
    "h": tuple((.52 * math.sin(a * math.pi / 3), -.52 * math.cos(a * math.pi / 3)) for a in range(6)),
    "P": ((-.17, -.5), (.17, -.5), (.17, -.17), (.5, -.17), (.5, .17), (.17, .17), (.17, .5), (-.17, .5),
          (-.17, .17), (-.5, .17), (-.5, -.17), (-.17, -.17)),
}
_SHAPES["X"] = tuple(((x - y) * 0.78, (x + y) * 0.78) for x, y in _SHAPES["P"])  # the plus turned 45°, a little larger


class Canvas:
    """An SVG drawing ``width`` × ``height`` points on white; elements are appended in drawing order.

    >>> c = Canvas(100, 50)
    >>> c.text(10, 20, "A <b> & c", 14, klass=c.style("fill:#111"))
    >>> print(c.svg().split("</style>")[1])
    <rect x='0' y='0' width='100' height='50' class='s0'/><text x='10' y='20' font-size='14' class='s1'>A &lt;b&gt; \
&amp; c</text></svg>
    """

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self._parts: list[str] = []
        self._styles: dict[str, str] = {}
        self._defs: list[str] = []
        self.rect(0, 0, width, height, self.style("fill:#ffffff"))

    def title(self, text: str) -> float:
        """The figure's title, bold, wrapped to the figure's width, at its top left; returns where what is drawn
        under it may start (in points from the top)."""
        size = theme.FIG_TITLE_PT
        text = wrap(text, self.width - 24, size, bold=True)
        self.text(8, 8 + ASCENT * size, text, size, self.style(f"fill:{theme.FIG_TEXT}"), bold=True)
        return 8 + text_size(text, size, bold=True)[1] + 14

    def style(self, css: str) -> str:
        """The class name for a style (one class per distinct style)."""
        return self._styles.setdefault(css, f"s{len(self._styles)}")

    def _add(self, tag: str, attrs: dict[str, object], content: str | None = None) -> None:
        written = " ".join(f"{k}='{escape(str(v), quote=True)}'" for k, v in attrs.items() if v is not None)
        self._parts.append(f"<{tag} {written}/>" if content is None else f"<{tag} {written}>{content}</{tag}>")

    def hatch(self, colour: str) -> str:
        """A fill of diagonal lines in ``colour`` (for a range with no single value), as a ``fill:url(…)`` style."""
        name = f"h{len(self._defs)}"
        self._defs.append(f"<pattern id='{name}' width='7' height='7' patternUnits='userSpaceOnUse' "
                          f"patternTransform='rotate(45)'><path d='M0 0V7' stroke='{escape(colour, quote=True)}' "
                          f"stroke-width='1.5'/></pattern>")
        return f"fill:url(#{name})"

    def line(self, x1: float, y1: float, x2: float, y2: float, klass: str, ident: str | None = None) -> None:
        self._add("path", {"id": ident, "d": f"M{_n(x1)} {_n(y1)}H{_n(x2)}" if y1 == y2 else
                           f"M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}", "class": klass})

    def polyline(self, points: list[tuple[float, float]], klass: str, ident: str | None = None) -> None:
        """A line through ``points`` in order (style it with ``fill:none``).

        >>> c = Canvas(10, 10)
        >>> c.polyline([(0, 0), (5, 5.04), (10, 0)], "s1")
        >>> c.svg().endswith("<polyline points='0,0 5,5 10,0' class='s1'/></svg>")
        True
        """
        self._add("polyline", {"id": ident, "points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
                               "class": klass})

    def rect(self, x: float, y: float, w: float, h: float, klass: str, rx: float = 0,
             ident: str | None = None) -> None:
        self._add("rect", {"id": ident, "x": _n(x), "y": _n(y), "width": _n(w), "height": _n(h),
                           "rx": _n(rx) if rx else None, "class": klass})

    def marker(self, shape: str, x: float, y: float, size: float, klass: str, ident: str | None = None) -> None:
        """A mark of ``shape`` (matplotlib's letters: o s ^ v D h P X) and diameter ``size`` centred on (x, y)."""
        if shape == "o":
            self._add("circle", {"id": ident, "cx": _n(x), "cy": _n(y), "r": _n(size / 2), "class": klass})
            return
        points = " ".join(f"{_n(x + px * size)},{_n(y + py * size)}" for px, py in _SHAPES[shape])
        self._add("polygon", {"id": ident, "points": points, "class": klass})

    def text(self, x: float, y: float, text: str, size: float, klass: str, anchor: str = "start",
             bold: bool = False, ident: str | None = None, angle: float = 0) -> None:
        """Text with its first baseline at ``y``; each newline starts a line LINE_STEP font sizes lower. ``angle``
        turns it about (x, y), in degrees clockwise (-90: reading upwards, as a y-axis label)."""
        lines = text.split("\n")
        attrs = {"id": ident, "x": _n(x), "y": _n(y), "font-size": _n(size),
                 "text-anchor": anchor if anchor != "start" else None, "font-weight": "bold" if bold else None,
                 "transform": f"rotate({_n(angle)} {_n(x)} {_n(y)})" if angle else None, "class": klass}
        if len(lines) == 1:
            self._add("text", attrs, escape(text, quote=False))
            return
        spans = "".join(f"<tspan x='{_n(x)}' dy='{_n(0 if i == 0 else size * LINE_STEP)}'>{escape(t, quote=False)}"
                        f"</tspan>" for i, t in enumerate(lines))
        self._add("text", attrs, spans)

    def x_axis(self, ticks: list[tuple[float, str]], left: float, right: float, top: float, bottom: float,
               label: str = "", grid: bool = True) -> None:
        """A horizontal axis at ``bottom`` from ``left`` to ``right``: tick marks at the x positions of ``ticks``
        with their labels under them, light grid lines up to ``top`` (``grid``), and the axis ``label`` below.

        >>> c = Canvas(200, 100)
        >>> c.x_axis([(10, "0"), (190, "10")], 10, 190, 0, 60, "people")
        >>> c.svg().count("<text"), c.svg().count("<path")
        (3, 5)
        """
        size = theme.FIG_FONT_PT
        if grid:
            lines = self.style(f"stroke:{theme.FIG_GRID};stroke-width:1")
            for x, _ in ticks:
                self.line(x, top, x, bottom, lines)
        self.line(left, bottom, right, bottom, self.style(f"stroke:{theme.MUTED};stroke-width:1.2"))
        tick, ink = self.style(f"stroke:{theme.FIG_TEXT};stroke-width:0.8"), self.style(f"fill:{theme.FIG_TEXT}")
        baseline = bottom + TICK + 3.5 + ASCENT * size
        for x, text in ticks:
            self.line(x, bottom, x, bottom + TICK, tick)
            self.text(x, baseline, text, size, ink, anchor="middle")
        if label:
            self.text((left + right) / 2, baseline + size * LINE_STEP + 4, label, size, ink, anchor="middle")

    def y_axis(self, ticks: list[tuple[float, str]], left: float, right: float, top: float, bottom: float) -> None:
        """A vertical axis at ``left`` from ``top`` to ``bottom``: tick marks at the y positions of ``ticks`` with
        their labels to the left, and light grid lines across to ``right`` (the labels must fit left of ``left``).

        >>> c = Canvas(200, 100)
        >>> c.y_axis([(80, "0"), (20, "agree")], 60, 190, 10, 90)
        >>> c.svg().count("<text"), c.svg().count("<path")
        (2, 5)
        """
        size = theme.FIG_FONT_PT
        grid = self.style(f"stroke:{theme.FIG_GRID};stroke-width:1")
        tick, ink = self.style(f"stroke:{theme.FIG_TEXT};stroke-width:0.8"), self.style(f"fill:{theme.FIG_TEXT}")
        for y, text in ticks:
            self.line(left, y, right, y, grid)
            self.line(left - TICK, y, left, y, tick)
            self.text(left - TICK - 4, y + MIDDLE * size, text, size, ink, anchor="end")
        self.line(left, top, left, bottom, self.style(f"stroke:{theme.MUTED};stroke-width:1.2"))

    def svg(self) -> str:
        """The drawing as SVG text, sized in points."""
        rules = f"text{{font-family:{FONT_FAMILY}}}" + "".join(
            f".{name}{{{css}}}" for css, name in self._styles.items())
        return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{_n(self.width)}pt' height='{_n(self.height)}pt' "
                f"viewBox='0 0 {_n(self.width)} {_n(self.height)}'><style>{rules}</style>"
                + (f"<defs>{''.join(self._defs)}</defs>" if self._defs else "") + "".join(self._parts) + "</svg>")
