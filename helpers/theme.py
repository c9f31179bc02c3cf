"""One look for the whole collection: colours, type sizes and the small style sheet every view carries.

Colours are the Okabe–Ito palette, chosen to stay distinguishable with the common colour-vision deficiencies
(Okabe & Ito, "Color Universal Design", 2008, https://jfly.uni-koeln.de/color/). Sizes are set for a classroom
projector: body text well above the notebook default, generous line height, short line length.
"""
from __future__ import annotations

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

FONT_SIZE_PX = 19  # passage text on a projector
SMALL_SIZE_PX = 16

# Scoped under .www so nothing leaks into JupyterLab's own interface. JupyterLab theme variables are used where they
# exist so the views follow a dark theme too; the fallbacks are the light values.
CSS = f"""
.www {{font-size:{FONT_SIZE_PX}px; line-height:1.6; max-width:52em;
  color:var(--jp-content-font-color1,#111); font-family:var(--jp-content-font-family,Georgia,serif);}}
.www h2,.www h3 {{margin:.4em 0 .3em; line-height:1.25;}}
.www .www-label {{font-family:var(--jp-ui-font-family,sans-serif); font-weight:700; color:{ACCENT};
  font-size:{SMALL_SIZE_PX}px; letter-spacing:.02em;}}
.www .www-passage {{border-left:4px solid {ACCENT}; padding:.2em 0 .2em .9em; margin:0 0 1.1em;}}
.www .www-quotation {{border-left-style:double; border-left-width:6px; font-style:italic;}}
.www .www-note,.www .www-footnote,.www .www-meta {{font-size:{SMALL_SIZE_PX}px; color:var(--jp-content-font-color2,{MUTED});}}
.www .www-footnote {{border-top:1px solid #bbb; margin-top:.4em; padding-top:.2em;}}
.www .www-card {{border:2px solid {ACCENT}; border-radius:6px; padding:.6em 1em;}}
.www .www-card dt {{font-weight:700; font-family:var(--jp-ui-font-family,sans-serif); font-size:{SMALL_SIZE_PX}px;}}
.www .www-card dd {{margin:0 0 .4em 0;}}
.www .www-comment {{border:1px dashed #888; border-radius:6px; padding:.4em .8em; margin:.5em 0;}}
.www .www-clutter {{border:2px dashed {WARNING}; border-radius:6px; padding:.4em .8em; margin:.4em 0;}}
.www .www-tag {{display:inline-block; font-family:var(--jp-ui-font-family,sans-serif); font-size:{SMALL_SIZE_PX - 2}px;
  font-weight:700; padding:0 .4em; border-radius:3px; background:{WARNING_TEXT}; color:#fff;}}
.www summary {{cursor:pointer; font-weight:700; font-family:var(--jp-ui-font-family,sans-serif);}}
.www summary:focus-visible {{outline:3px solid {ACCENT};}}
.www table {{border-collapse:collapse; margin:.4em 0;}}
.www th,.www td {{border:1px solid #bbb; padding:.25em .6em; text-align:left; vertical-align:top;}}
.www caption {{text-align:left; font-size:{SMALL_SIZE_PX}px; color:var(--jp-content-font-color2,{MUTED});}}
.www sup.www-marker {{color:{ACCENT}; font-weight:700;}}
"""


def style_tag() -> Markup:
    """The style sheet as a <style> element, carried by every view so each output also stands alone."""
    return Markup(f"<style>{' '.join(CSS.split())}</style>")
