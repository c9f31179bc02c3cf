"""A matplotlib figure as a View: SVG with alt text, caption and source, a plain data table, escaping, no leaks."""
import gc
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from helpers import figures, theme
from helpers.figures import fmt_amount, fmt_number, fmt_range


def _small_figure() -> Figure:
    with figures.styled():
        fig = figures.new_figure(2.0, 3.0)
        ax = fig.add_subplot()
        ax.plot([1, 2, 3], [3, 1, 2])
    return fig


def _view(**kw):
    args = dict(alt="A line falling then rising", caption="What it shows", source="Somebody, Some Book (2001), p. 3",
                table=pd.DataFrame({"year": ["1913", "1914"], "value": [1414.0, None]}))
    args.update(kw)
    return figures.figure_view(_small_figure(), **args)


def test_figure_html_has_image_alt_caption_source_and_table():
    v = _view()
    html = str(v.html)
    assert re.search(r'<figure class="www-figure"><div class="www-figure-scroll" tabindex="0" role="group" '
                     r'aria-label="Figure: scroll sideways on a narrow screen"><img alt="A line falling then rising" '
                     r'src="data:image/svg\+xml;charset=utf-8,<svg [^"]+" width="300" height="200" '
                     r'style="min-width:258px">', html)  # 300 px × 16 px / (14 pt × 4/3): the smallest text, 16 px
    assert "<figcaption>What it shows<span class=\"www-source\">Source: Somebody, Some Book (2001), p. 3</span>" \
           "</figcaption>" in html
    assert '<details class="www-data"><summary>Data table</summary><table>' in html
    assert '<td class="www-num">1414</td>' in html and '<td class="www-num">—</td>' in html
    assert html.startswith('<div class="www" lang="en"><style>') and str(v.body) in html
    image = urllib.parse.unquote(re.search(r'src="data:image/svg\+xml;charset=utf-8,([^"]+)"', html).group(1))
    assert image == v.svg and image.startswith("<svg ")
    ElementTree.fromstring(image)  # well-formed


def test_text_twin_holds_alt_caption_source_and_table():
    v = _view()
    assert v.text.splitlines()[:3] == ["[Figure] A line falling then rising", "Caption: What it shows",
                                      "Source: Somebody, Some Book (2001), p. 3"]
    assert "year | value\n1913 | 1414\n1914 | —" in v.text
    assert v._repr_mimebundle_()["text/plain"] == v.text


def test_everything_is_escaped():
    bad = "<script>alert('x')</script>"
    v = _view(alt=bad, caption=bad, source=bad, table=pd.DataFrame({"<b>col</b>": [bad]}), label=bad)
    html = str(v.html)
    assert "<script>" not in html and "<b>" not in html
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 6  # alt, caption, source, cell, label (figure and its scroll box)
    assert bad in v.text  # plain text stays plain


def test_svg_is_deterministic_and_carries_no_software_or_date():
    a, b = _view().svg, _view().svg
    assert a == b
    assert "matplotlib" not in a.lower() and "<metadata" not in a and "date" not in a.lower()


def test_svg_labels_are_text_escaped_and_in_the_figure_font():
    with figures.styled():
        fig = figures.new_figure(2, 3)
        fig.text(0.1, 0.5, "<script>alert('x')</script> & Пётр")
    image = figures.figure_view(fig, alt="a", caption="c", source="s").svg
    root = ElementTree.fromstring(image)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["<script>alert('x')</script> & Пётр"] and "<script>" not in image
    assert "font-family:'DejaVu Sans'" in image


def test_theme_style_applies_while_building():
    with figures.styled():
        assert matplotlib.rcParams["font.size"] == theme.FIG_FONT_PT
        fig = figures.new_figure(1, 1)
        t = fig.text(0, 0, "x")
    assert t.get_fontsize() == theme.FIG_FONT_PT and t.get_fontfamily() == ["sans-serif"]
    assert fig.dpi == theme.FIG_DPI
    figures.close(fig)


def test_pyplot_figures_are_closed_after_rendering():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    figures.figure_view(fig, alt="a", caption="b", source="c")
    assert plt.get_fignums() == before


def test_no_figures_left_behind_over_50_renders():
    import weakref

    import matplotlib.pyplot as plt

    refs = []
    for _ in range(50):
        fig = _small_figure()
        refs.append(weakref.ref(fig))
        figures.figure_view(fig, alt="a", caption="b", source="c")
        del fig
    gc.collect()
    assert sum(r() is not None for r in refs) == 0  # every figure was freed: memory does not grow
    assert plt.get_fignums() == []


@pytest.mark.parametrize("value, text", [
    (1917, "1917"), (4192.0, "4192"), (12950.0, "12,950"), (1548366, "1,548,366"), (37.2, "37.2"),
    (62.73, "62.73"), (0.5, "0.5"), (None, "—"), (float("nan"), "—"), (pd.NA, "—"), (-20000, "-20,000"),
])
def test_numbers_read_as_a_reader_expects(value, text):
    assert fmt_number(value) == text


def test_amounts_and_ranges_for_labels():
    assert fmt_amount(3_500_000) == "3.5 million" and fmt_amount(18_000_000.0) == "18 million"
    assert fmt_amount(70000) == "70,000"
    assert fmt_range(14e6, 18e6) == "14–18 million" and fmt_range(30000, 60000) == "30,000–60,000"


def test_matplotlib_loads_only_where_a_figure_is_drawn_with_it():
    """Importing the helpers and drawing a timeline, the text statistics and a line chart over years (all straight
    to SVG) leave matplotlib's figure machinery unloaded: a fifth of a second and some 15 MB per kernel. A figure
    made with matplotlib (figures.figure_view, for a chart svgdraw cannot draw) loads it."""
    code = ("import sys, pandas as pd, helpers\n"
            "from helpers import charts, textstats, timeline\n"
            "timeline.timeline(years=1917); textstats.blame_chart()\n"
            "print('matplotlib.figure' in sys.modules, 'matplotlib.pyplot' in sys.modules)\n"
            "meta = pd.read_csv('data/series_meta.csv')\n"
            "charts.series_chart(meta.loc[meta['x_kind'] == 'year', 'series_id'].iloc[0])\n"
            "print('matplotlib.figure' in sys.modules)\n"
            "from helpers import figures; figures.new_figure(1)\n"
            "print('matplotlib.figure' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], text=True,
                          capture_output=True, env={**os.environ, "WWW_CACHE_DIR": "off"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "False", "True"]
