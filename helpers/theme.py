"""One look for the whole collection: colours, type sizes and the small style sheet every view carries.

Colours are the Okabe–Ito palette, chosen to stay distinguishable with the common colour-vision deficiencies
(Okabe & Ito, "Color Universal Design", 2008, https://jfly.uni-koeln.de/color/). Sizes are set for a classroom
projector: body text well above the notebook default, generous line height, short line length.
"""
from __future__ import annotations

import functools
import re

from cycler import cycler  # matplotlib's own dependency

from .html import Markup

PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermilion": "#D55E00",
    "purple": "#CC79A7",
}
ACCENT = PALETTE["blue"]
WARNING = PALETTE["vermilion"]  # borders and chart marks
WARNING_TEXT = "#A33A00"  # a darker vermilion for text and tag backgrounds (contrast above 6:1 with white)
MUTED = "#595959"  # grey with 7:1 contrast on white

FONT_SIZE_PX = 18  # passage text on a projector: 27 px at 150 % zoom
SMALL_SIZE_PX = 16

# Scoped under .www so nothing leaks into JupyterLab's own interface. JupyterLab theme variables are used where they
# exist so the views follow a dark theme too; the fallbacks are the light values. Table cells use ".www.www" because
# JupyterLab right-aligns output table cells with a two-class selector, which one class would not outweigh. The one
# exception to the scoping: JupyterLab clips an output at its edges, so while a glossary word is focused its output
# lets the definition box reach past its end (a word on a passage's last line).
CSS = f"""
.www {{font-size:{FONT_SIZE_PX}px; line-height:1.5; max-width:52em;
  color:var(--jp-content-font-color1,#111); font-family:var(--jp-content-font-family,Georgia,serif);}}
.www h2,.www h3 {{margin:.4em 0 .3em; line-height:1.25;}}
.www .www-label {{font-family:var(--jp-ui-font-family,sans-serif); font-weight:700; color:{ACCENT};
  font-size:{SMALL_SIZE_PX}px; letter-spacing:.02em;}}
.www .www-passage {{border-left:4px solid {ACCENT}; padding:.2em 0 .2em .9em; margin:0 0 1.1em;}}
.www .www-quotation {{border-left-style:double; border-left-width:6px; font-style:italic;}}
.www .www-note,.www .www-footnote,.www .www-meta {{font-size:{SMALL_SIZE_PX}px;
  color:var(--jp-content-font-color2,{MUTED});}}
.www .www-footnote {{border-top:1px solid #bbb; margin-top:.4em; padding-top:.2em;}}
.www .www-card {{border:2px solid {ACCENT}; border-radius:6px; padding:.6em 1em;}}
.www dl dt,.www dl dd {{float:none; width:auto;}}
.www .www-card dl {{display:grid; grid-template-columns:max-content minmax(0,1fr); column-gap:.9em; row-gap:.35em;
  margin:.2em 0;}}
.www .www-card dt {{grid-column:1; margin:0; font-weight:700; font-family:var(--jp-ui-font-family,sans-serif);
  font-size:{SMALL_SIZE_PX}px; line-height:1.7;}}
.www .www-card dd {{grid-column:2; margin:0; min-width:0; overflow-wrap:break-word;}}
.www section.www-card {{container-type:inline-size;}}
@container (max-width: 30em) {{
  .www .www-card dl {{display:block;}}
  .www .www-card dd {{margin:0 0 .5em;}}
}}
.www .www-comment {{border:1px dashed #888; border-radius:6px; padding:.4em .8em; margin:.5em 0;}}
.www .www-clutter {{border:2px dashed {WARNING}; border-radius:6px; padding:.4em .8em; margin:.4em 0;}}
.www .www-tag {{display:inline-block; font-family:var(--jp-ui-font-family,sans-serif); font-size:{SMALL_SIZE_PX}px;
  font-weight:700; padding:0 .4em; border-radius:3px; background:{WARNING_TEXT}; color:#fff;}}
.www summary {{cursor:pointer; font-weight:700; font-family:var(--jp-ui-font-family,sans-serif);}}
.www summary:focus-visible {{outline:3px solid {ACCENT};}}
.www table {{border-collapse:collapse; margin:.4em 0; font-size:{SMALL_SIZE_PX}px; table-layout:auto; color:inherit;}}
.www.www table th,.www.www table td {{border:1px solid #bbb; padding:.25em .6em; text-align:left; vertical-align:top;
  line-height:1.4;}}
.www caption {{text-align:left; font-size:{SMALL_SIZE_PX}px; color:var(--jp-content-font-color2,{MUTED});}}
.www sup.www-marker {{color:{ACCENT}; font-weight:700;}}
.www sup {{font-size:max(.9em,{SMALL_SIZE_PX}px);}}
.www.www-wide {{max-width:80em;}}
.www-exercise .widget-radio-box label,.www-exercise .widget-checkbox label,.www-exercise textarea,
.www-exercise input[type=text],.www-exercise .widget-label,.www-exercise select {{font-size:{SMALL_SIZE_PX + 1}px;}}
.www-exercise .widget-radio-box label {{display:flex; flex-direction:row; align-items:flex-start; gap:.5em;
  line-height:1.45; height:auto; min-height:var(--jp-widgets-radio-item-height,24px); white-space:normal;
  margin-bottom:.45em; overflow:visible;}}
.www-exercise .widget-radio-box input {{flex:none; order:-1; margin:.3em 0 0;}}
.www-exercise .widget-radio-box {{height:auto; overflow:visible;}}
.www-exercise textarea,.www-exercise input[type=text] {{font-family:var(--jp-ui-font-family,system-ui,sans-serif);}}
.www-exercise .widget-checkbox label {{white-space:normal;}}
.www-exercise .www-evidence {{margin:.5em 0 .1em; font-size:{SMALL_SIZE_PX + 1}px;}}
.www-exercise .jupyter-button,.www-controls .jupyter-button {{width:auto; min-width:6em; max-width:100%; height:auto;
  min-height:2.2em; font-size:{SMALL_SIZE_PX}px; padding:.2em .9em; white-space:normal; text-overflow:clip;}}
.www-controls .widget-text {{max-width:100%;}}
.www-controls .www-restore {{font-size:0 !important;}}
.www-controls .www-restore::before {{content:"Restore my answers from a hand-in file";
  font-size:{SMALL_SIZE_PX + 1}px;}}
.www-controls .widget-text input[type=text] {{min-width:0;}}
.www-exercise .jupyter-button:focus-visible {{outline:3px solid {ACCENT}; outline-offset:2px;}}
.www-exercise .widget-html-content,.www-controls .widget-html-content,.www-controls .widget-label,
.www-controls input[type=text],.www-controls .jupyter-button {{font-size:{SMALL_SIZE_PX + 1}px;}}
.www-report,.www-report .widget-html-content {{white-space:normal; min-width:0; max-width:100%; overflow-x:auto;}}
.www .www-row {{display:flex; flex-wrap:wrap; gap:1.2em; align-items:flex-start;}}
.www .www-row + .www-row {{margin-top:1.6em;}}
.www .www-col-text {{flex:3 1 30em; min-width:0; max-width:52em;}}
.www .www-col-context {{flex:1 1 16em; min-width:0;}}
.www .www-col img {{max-width:100%; height:auto;}}
.www .www-prompts {{border:2px solid {ACCENT}; border-radius:6px; padding:.3em .8em; margin-bottom:.8em;}}
.www .www-prompts ul {{margin:.2em 0; padding-left:1.2em;}}
.www .www-body {{position:relative;}}
.www .www-term {{border-bottom:2px dotted {ACCENT}; cursor:help;}}
.www .www-term:focus {{outline:3px solid {ACCENT}; outline-offset:2px;}}
.www .www-term:focus:not(:focus-visible) {{outline:none;}}
.www .www-term:focus::after {{content:attr(title); position:absolute; left:0; margin-top:1.7em; z-index:10;
  width:22em; max-width:calc(100% - 1.5em); padding:.35em .6em; border:2px solid {ACCENT}; border-radius:4px;
  background:var(--jp-layout-color0,#fff); color:var(--jp-content-font-color1,#111); font-size:{SMALL_SIZE_PX}px;
  font-style:normal; font-weight:normal; line-height:1.4; box-shadow:0 2px 6px rgba(0,0,0,.25);}}
.jp-OutputArea:has(.www-term:focus), .jp-OutputArea:has(.www-term:focus) .jp-OutputArea-child,
.jp-OutputArea:has(.www-term:focus) .jp-OutputArea-output {{overflow:visible;}}
.www .www-glossary {{font-size:{SMALL_SIZE_PX}px; margin:.5em 0 0; padding:.3em .7em; border-left:3px dotted {ACCENT};}}
.www .www-glossary-title {{font-family:var(--jp-ui-font-family,sans-serif); font-weight:700;}}
.www .www-glossary dl {{margin:.2em 0;}}
.www .www-glossary dt {{font-weight:700; margin-top:.25em;}}
.www .www-glossary dd {{margin:0 0 .2em 1em;}}
.www .www-term-form {{font-weight:normal;}}
.www .www-glossary-list dt {{font-weight:700; margin-top:.6em;}}
.www .www-glossary-list dd {{margin:0 0 .3em 1em;}}
"""




# ---------------------------------------------------------------------------------------------------------------------
# Figures (matplotlib). One look for every chart and timeline, sized for a classroom projector.
# A figure is FIG_WIDTH_IN wide and shown at FIG_CSS_PX_PER_IN CSS pixels per inch, so it fills a .www column (52em of
# 19 px ≈ 990 px) at its natural size; there a 14 pt label is as large as the 19 px passage text. Figures are stored
# as SVG (helpers/svg.py), sharp at any zoom; FIG_DPI is only the resolution at which matplotlib measures the layout.
# ---------------------------------------------------------------------------------------------------------------------
FIG_WIDTH_IN = 9.6
FIG_CSS_PX_PER_IN = 100
FIG_DPI = 150
FIG_FONT = "DejaVu Sans"  # ships with matplotlib: every machine draws the same glyphs (and Cyrillic)
FIG_FONT_PT = 14  # the smallest text in any figure: labels, ticks, legends
# Narrower than this a figure scrolls sideways instead of shrinking: its smallest text stays at SMALL_SIZE_PX on a
# projector (1024x768 at 150 %), where a full-width timeline would shrink to about 60 % and its labels to 8 px.
FIG_MIN_SCALE = SMALL_SIZE_PX / (FIG_FONT_PT * 4 / 3)
FIG_TITLE_PT = 17
FIG_TEXT = "#111111"
FIG_GRID = "#D9D9D9"
FIG_HIGHLIGHT_BG = "#FFF3C4"  # a pale yellow behind what a passage mentions (text on it keeps 15:1 contrast)

#: Colours for several lines or bars in one chart, in order (Okabe–Ito, yellow left out: too pale on white).
SERIES_COLOURS = (PALETTE["blue"], PALETTE["vermilion"], PALETTE["green"], PALETTE["orange"], PALETTE["purple"],
                  PALETTE["sky"], PALETTE["black"])
#: Marker shapes paired with SERIES_COLOURS, so lines differ in shape as well as colour.
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X")

MPL_RC: dict[str, object] = {
    "text.hinting": "no_hinting",  # figures are SVG, whose text is never hinted: measure it so (and faster)
    "font.family": "sans-serif",
    "font.sans-serif": [FIG_FONT],
    "font.size": FIG_FONT_PT,
    "axes.titlesize": FIG_TITLE_PT,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": FIG_FONT_PT,
    "axes.labelcolor": FIG_TEXT,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 1.2,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": cycler(color=list(SERIES_COLOURS)),
    "grid.color": FIG_GRID,
    "grid.linewidth": 1.0,
    "xtick.labelsize": FIG_FONT_PT,
    "ytick.labelsize": FIG_FONT_PT,
    "xtick.color": FIG_TEXT,
    "ytick.color": FIG_TEXT,
    "xtick.major.size": 6,
    "ytick.major.size": 6,
    "legend.fontsize": FIG_FONT_PT,
    "legend.frameon": False,
    "lines.linewidth": 2.5,
    "lines.markersize": 9,
    "errorbar.capsize": 6,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "text.color": FIG_TEXT,
    "svg.hashsalt": "what-went-wrong",
}

#: Event categories of the timeline: colour AND marker shape, so a category never depends on colour alone.
#: Grey stands in for Okabe–Ito yellow, which is too pale for a hollow marker on white.
CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "revolution": (PALETTE["vermilion"], "o"),
    "war": (MUTED, "s"),
    "politics": (PALETTE["blue"], "^"),
    "economy": (PALETTE["green"], "D"),
    "society": (PALETTE["orange"], "v"),
    "culture": (PALETTE["purple"], "P"),
    "repression": (PALETTE["black"], "X"),
    "international": (PALETTE["sky"], "h"),
}

CSS += f"""
.www figure.www-figure {{margin:.8em 0 .4em; max-width:{FIG_WIDTH_IN * FIG_CSS_PX_PER_IN:.0f}px;}}
.www figure.www-figure img {{display:block; max-width:100%; height:auto; border:1px solid #ddd; background:#fff;}}
.www .www-figure-scroll {{overflow-x:auto;}}
.www .www-figure-scroll:focus-visible {{outline:3px solid {ACCENT};}}
.www figure.www-figure figcaption {{font-size:{SMALL_SIZE_PX}px; line-height:1.45; margin-top:.35em;
  color:var(--jp-content-font-color1,#111);}}
.www .www-source {{display:block; color:var(--jp-content-font-color2,{MUTED}); margin-top:.2em;}}
.www .www-sources > summary {{color:var(--jp-content-font-color2,{MUTED}); font-weight:normal; margin-top:.2em;}}
.www .www-write,.www .www-paper {{display:none;}}
@media print {{
  .www {{font-size:10pt; line-height:1.3; max-width:none;}}
  .www .www-label,.www .www-note,.www .www-footnote,.www .www-meta,.www .www-glossary,.www caption,.www .www-tag
  {{font-size:8.5pt;}}
  .www .www-source {{font-size:7.5pt; line-height:1.25;}}
  .www .www-glossary dl {{display:grid; grid-template-columns:minmax(6em, 12em) 1fr; column-gap:.8em; row-gap:.1em;}}
  .www .www-glossary dt {{grid-column:1; margin:0;}}
  .www .www-glossary dd {{grid-column:2; margin:0;}}
  .www figure.www-figure figcaption,.www .www-sources > summary {{font-size:8.5pt; line-height:1.3;}}
  .www figure img {{width:82%; min-width:0 !important;}}
  .www .www-screen-only {{display:none;}}
  .www .www-write {{display:block; margin-top:.4em; background:repeating-linear-gradient(to bottom, transparent 0,
    transparent 1.75em, #777 1.75em, #777 1.8em);}}
  .www .www-write,.www figure img {{break-inside:avoid;}}
  .www .www-paper {{display:block;}}
  .www .www-paper-scale {{list-style:none; padding:0; margin:.3em 0; display:flex; flex-wrap:wrap; gap:.2em 1.4em;}}
  .www .www-paper-box {{border:1px solid #777; padding:.2em .5em; margin:.3em 0; break-inside:avoid;}}
  .www .www-exercise-card,.www .www-prompts {{break-inside:avoid;}}
  .www .www-row {{display:block;}}
  .www details.www-data {{display:none;}}
}}
.www details.www-data {{font-size:{SMALL_SIZE_PX}px; margin:.2em 0 .8em;}}
.www details.www-data td.www-num {{text-align:right; font-variant-numeric:tabular-nums;}}
"""


# ---------------------------------------------------------------------------------------------------------------------
# The style sheet in each output. Every stored view carries the rules it needs, so an output also stands alone (in
# JupyterLab, in a static viewer, printed), but only those: the whole sheet in each of a lesson's twenty outputs was
# half of the notebook's size.
# ---------------------------------------------------------------------------------------------------------------------
_CLASS = re.compile(r"\.([\w-]+)")
_TAG = re.compile(r"(?:^|[\s>+~])([a-z][a-z0-9]*)")
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_OPEN_TAG = re.compile(r"<([a-z][a-z0-9]*)")
#: Elements our markup writes; a selector naming another (a widget's input, label…) needs no such element.
_STATIC_TAGS = frozenset("h2 h3 dl dt dd ul table th td caption summary details sup figure figcaption img".split())


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """The sheet as (media or container query or "", selectors, declarations), in order; our own CSS, so a brace
    scan suffices."""
    out, media, start = [], "", 0
    for m in re.finditer(r"[{}]", CSS):
        head = " ".join(CSS[start:m.start()].split())
        if m.group() == "{" and head.startswith(("@media", "@container")):
            media, start = head, m.end()
        elif m.group() == "{":
            selector, start = head, m.end()
        elif head or not media:
            out.append((media, tuple(s.strip() for s in selector.split(",")), re.sub(r";\s+", ";", head)))
            start = m.end()
        else:  # the brace closing a media block
            media, start = "", m.end()
    return tuple(out)


def _needed(selector: str, classes: set[str], tags: set[str]) -> bool:
    """Whether a selector can match in markup with these classes and elements (classes and elements the markup
    could not hold, such as a widget's, are not asked for: those rules are for the full sheet)."""
    return all(c in classes for c in _CLASS.findall(selector) if c.startswith("www")) and \
        all(t in tags for t in _TAG.findall(selector) if t in _STATIC_TAGS)



@functools.lru_cache(maxsize=64)
def _sheet(classes: frozenset[str] | None, tags: frozenset[str] | None) -> str:
    blocks: dict[str, list[str]] = {}
    for media, selectors, body in _rules():
        kept = selectors if classes is None else [s for s in selectors if _needed(s, classes, tags)]
        if kept:
            blocks.setdefault(media, []).append(f"{','.join(kept)}{{{body}}}")
    return "".join("".join(rules) if not media else f"{media}{{{''.join(rules)}}}" for media, rules in blocks.items())


def style_tag(*markup: str) -> Markup:
    """The style sheet as a <style> element: with ``markup`` (the HTML it will style, and the classes of the element
    around it), only the rules that can apply to it; without, the whole sheet (for widgets, whose elements are not
    in any markup we write).

    >>> small = style_tag('class="www"', '<figure class="www-figure"><img>')
    >>> "figure.www-figure img" in small, ".www-glossary" in small, ".www-glossary" in style_tag()
    (True, False, True)
    """
    if not markup:
        return Markup(f"<style>{_sheet(None, None)}</style>")
    text = " ".join(str(m) for m in markup)
    classes = frozenset(c for attr in _CLASS_ATTR.findall(text) for c in attr.split())
    return Markup(f"<style>{_sheet(classes, frozenset(_OPEN_TAG.findall(text)))}</style>")
