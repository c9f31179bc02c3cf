"""Statistics charts: gaps never bridged, ranges drawn, units and sources under every chart, the text-vs-sources
comparison, data tables, escaping and clear errors. Fixture data keep the tests independent of the real files."""
import csv
import re

import pandas as pd
import pytest

from helpers import charts, context
from helpers.sources import DATA_DIR

META = [
    dict(series_id="pop", title="Population of a city", unit="people", x_kind="year",
         description="How many people lived there.", source="A census"),
    dict(series_id="pop2", title="Population of another city", unit="people", x_kind="year",
         description="The other city.", source="Another census"),
    dict(series_id="share", title="Vote share <script>x</script>", unit="% of votes", x_kind="category",
         description="Who got how many votes.", source="An election count"),
    dict(series_id="index", title="An index", unit="index, 1913 = 100", x_kind="year",
         description="Rescaled.", source="Computed"),
]
SERIES = [
    # series_id, x, value, low, high, citation, note
    ("pop", "1913", "2100000", "", "", "Census of 1913, table 1", ""),
    ("pop", "1914", "2200000", "", "", "Census of 1914, table 1", ""),
    ("pop", "1916", "2400000", "", "", "Census of 1916, table 1", ""),
    ("pop", "1917", "", "", "", "Census of 1917, table 1", "the 1917 census was never published"),
    ("pop", "1918", "1500000", "1400000", "1600000", "Census of 1918, table 1", "two counts"),
    ("pop", "1919", "900000", "", "", "Census of 1919, table 1", ""),
    ("pop", "1920", "700000", "", "", "Census of 1920, table 1", ""),
    ("pop2", "1913", "1000000", "", "", "Other census, 1913", ""),
    ("pop2", "1914", "1100000", "", "", "Other census, 1914", ""),
    ("share", "Party A", "37.6", "37.6", "41.0", "Election count, p. 3", ""),
    ("share", "Party B", "23.3", "", "", "Election count, p. 3", ""),
    ("share", "Party C", "", "2", "5", "Election count, p. 4", "range only"),
    ("index", "1913", "100", "", "", "Computed from X", ""),
    ("index", "1914", "90", "", "", "Computed from X", ""),
]
FIGURES = [
    dict(figure_id="troops", passage_id="siege-01", quote="50,000 British", value="50000", unit="troops",
         what="British troops sent to Russia", compare_series="", compare_value="", compare_low="30000",
         compare_high="60000", compare_citation="A history of the intervention, p. 12", verdict="consistent",
         note="Not all at the same time."),
    dict(figure_id="arrests", passage_id="essay-06", quote="arrested approximately 3.5 million people",
         value="3500000", unit="people", what="People arrested", compare_series="", compare_value="18000000",
         compare_low="14000000", compare_high="18000000", compare_citation="A Gulag history <b>bold</b>, p. 9",
         verdict="too_low", note=""),
    dict(figure_id="class-gone", passage_id="molyneux-12",
         quote="By 1921 the class, which took power in 1917, had virtually ceased to exist", value="1921",
         unit="year", what="When the class disappeared", compare_series="pop", compare_value="722229",
         compare_low="", compare_high="", compare_citation="A census", verdict="disputed", note=""),
    dict(figure_id="crashed", passage_id="siege-09", quote="Life expectancy crashed.", value="", unit="years",
         what="Fall in life expectancy", compare_series="", compare_value="", compare_low="", compare_high="",
         compare_citation="", verdict="unverifiable", note=""),
]


def _write(path, fields, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def data(tmp_path, monkeypatch):
    _write(tmp_path / "series_meta.csv", list(context.TABLES["series_meta"].columns), META)
    cols = list(context.TABLES["series"].columns)
    _write(tmp_path / "series.csv", cols, [dict(zip(cols, r)) for r in SERIES])
    _write(tmp_path / "cited_figures.csv", list(context.TABLES["cited_figures"].columns), FIGURES)
    real = context.load
    monkeypatch.setattr(context, "load", lambda name, data_dir=tmp_path: real(name, tmp_path))
    return tmp_path


SVG = "{http://www.w3.org/2000/svg}"


def _drawn(image: str) -> dict:
    """What a line chart's SVG holds: each mark's year and position (ids ``point:<series>:<year>``), each line as
    the years it passes through, the shaded gaps (ids ``gap:<year>``), the straight strokes, and every text."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(image)
    points = {}
    for e in root.iter():
        ident = e.get("id") or ""
        if ident.startswith("point:"):
            cx = float(e.get("cx")) if e.get("cx") else sum(float(p.split(",")[0]) for p in e.get("points").split()) \
                / len(e.get("points").split())
            points[(ident.split(":")[1], int(ident.split(":")[2]))] = cx
    year_at = {round(cx): year for (_sid, year), cx in points.items()}
    lines = [[year_at.get(round(float(p.split(",")[0]))) for p in e.get("points").split()]
             for e in root.iter(f"{SVG}polyline")]
    return {"points": points, "lines": [ln for ln in lines if None not in ln],
            "gaps": [e.get("id") for e in root.iter(f"{SVG}rect") if (e.get("id") or "").startswith("gap:")],
            "strokes": [e.get("d") for e in root.iter(f"{SVG}path")],
            "texts": ["".join(t.itertext()) for t in root.iter(f"{SVG}text")],
            "text_lines": [[ts.text for ts in t] or [t.text] for t in root.iter(f"{SVG}text")]}


def test_missing_years_are_gaps_never_bridged(data):
    v = charts.series_chart("pop")
    drawn = _drawn(v.svg)
    segments = drawn["lines"]
    assert segments == [[1913, 1914], [1918, 1919, 1920]]  # 1915 (no row) and 1917 (no value) break the line
    assert all(not (a < 1915 < b or a < 1917 < b) for s in segments for a, b in zip(s, s[1:]))
    assert sorted(year for _sid, year in drawn["points"]) == [1913, 1914, 1916, 1918, 1919, 1920]
    assert drawn["gaps"] == ["gap:1915", "gap:1917"] and drawn["text_lines"].count(["no", "data"]) == 2
    assert "No value for 1915, 1917: shown as a gap, not joined up." in v.text
    table = charts.chart_table("pop")
    assert table["year"].tolist() == [str(y) for y in range(1913, 1921)]
    notes = dict(zip(table["year"], table["note"]))
    assert notes["1915"] == "no value in the data" and notes["1917"] == "the 1917 census was never published"
    assert pd.isna(table.set_index("year").loc["1915", "value"])


def test_ranges_unit_and_source(data):
    v = charts.series_chart("pop")
    drawn = _drawn(v.svg)
    assert "people (millions)" in drawn["texts"] and "Year" in drawn["texts"]
    x1918 = drawn["points"][("pop", 1918)]
    spans = [abs(float(a) - float(b)) for d in drawn["strokes"]
             for a, b in re.findall(rf"M{x1918:g} ([\d.]+)L{x1918:g} ([\d.]+)", d)]
    assert len([h for h in spans if h > 10]) == 1  # the 1918 range (1.4–1.6 million) as an error bar through its mark
    assert len([h for h in spans if h <= 10]) == 1  # and the axis tick under 1918
    # citations that differ only by the year are merged into one naming the years
    assert "Source: Census of 1913–1914, 1916–1920, table 1 (data/series.csv)" in v.text
    assert "1918 1,500,000 (range 1,400,000–1,600,000)" in v.alt
    assert "Thin bars with end caps show the range" in v.text


def test_category_series_is_a_bar_chart_with_ranges(data):
    from xml.etree import ElementTree

    svg = "{http://www.w3.org/2000/svg}"
    image = charts.series_chart("share", highlight="Party B").svg
    root = ElementTree.fromstring(image)
    styles = dict(re.findall(r"\.(s\d+)\{([^}]*)\}", root.find(f"{svg}style").text))
    bars = {e.get("id"): e for e in root.iter(f"{svg}rect") if e.get("id")}
    assert set(bars) == {"bar:Party A", "bar:Party B", "bar:Party C"}
    assert "url(#" in styles[bars["bar:Party C"].get("class")]  # range only: hatched, from 2 to 5
    assert float(bars["bar:Party C"].get("x")) > float(bars["bar:Party A"].get("x"))
    assert "stroke-width:2.5" in styles[bars["bar:Party B"].get("class")]  # highlighted
    words = ["".join(t.itertext()) for t in root.iter(f"{svg}text")]
    assert "% of votes" in words
    names = [w for w in words if w.startswith("Party")]
    assert names == ["Party A", "Party B", "Party C"]  # the file's order, from the top
    v = charts.series_chart("share")
    assert "Party C 2–5 (range only)" in v.alt and "Source: Election count, p. 3; Election count, p. 4" in v.text


def test_several_series_of_one_unit_together_and_mismatches_refused(data):
    v = charts.series_chart(["pop", "pop2"])
    assert "Line chart of 2 series." in v.alt
    assert "Population of a city: no value for 1915, 1917" in v.text
    assert set(v.table["series"]) == {"Population of a city", "Population of another city"}
    with pytest.raises(ValueError, match="share their kind of x axis and their unit"):
        charts.series_chart(["pop", "index"])


def test_highlight_marks_a_year(data):
    texts = _drawn(charts.series_chart("pop", highlight=1919).svg)["texts"]
    assert "1919: 900,000" in texts and "900,000" not in texts  # the highlight's label replaces the plain one
    assert "Highlighted: 1919." in charts.series_chart("pop", highlight=[1919]).alt
    with pytest.raises(ValueError, match="Nothing to highlight at '1850'"):
        charts.series_chart("pop", highlight=1850)


def test_titles_and_citations_are_escaped(data):
    v = charts.series_chart("share")
    assert "<script>" not in str(v.html) and "Vote share &lt;script&gt;x&lt;/script&gt;" in str(v.html)
    f = charts.cited_figure_chart("arrests")
    assert "<b>" not in str(f.html) and "A Gulag history &lt;b&gt;bold&lt;/b&gt;, p. 9" in str(f.html)


def test_what_the_text_says_vs_what_the_sources_say(data):
    v = charts.cited_figure_chart("arrests")
    assert v.alt == ("Comparison chart: People arrested. The text (Essay ¶6) gives 3,500,000 people; the sources "
                     "give 18,000,000 (range 14,000,000–18,000,000). Verdict: lower than the sources.")
    assert "Essay ¶6 says “arrested approximately 3.5 million people”. Verdict: lower than the sources." in v.text
    assert "Source: the text: Essay ¶6, “arrested approximately 3.5 million people”; the sources: A Gulag history " \
           "<b>bold</b>, p. 9 (data/cited_figures.csv)" in v.text
    t = v.table
    assert t["who"].tolist() == ["The text (Essay ¶6)", "The sources"]
    assert t["value"].tolist() == [3_500_000, 18_000_000] and t.loc[1, "low"] == 14_000_000
    pd.testing.assert_frame_equal(t, charts.chart_table(figure_id="arrests"))


def test_a_range_without_a_value_and_a_figure_without_a_number(data):
    v = charts.cited_figure_chart("troops")
    assert "the sources give range 30,000–60,000" in v.alt and "Not all at the same time." in v.text
    c = charts.cited_figure_chart("crashed")
    assert "gives no number" in c.alt and "no figure" in c.alt and "cannot be checked" in c.text


def test_a_source_number_in_another_unit_is_not_drawn_as_a_year(data):
    fig_text = charts.cited_figure_chart("class-gone").text
    assert "The sources' number (722,229) is not a year, so it is not drawn" in fig_text
    assert "Compare the chart “Population of a city”." in fig_text and "'pop'" not in fig_text  # a title, no id


def test_figures_for_passage(data):
    assert charts.figures_for_passage("siege-01")["figure_id"].tolist() == ["troops"]
    assert charts.figures_for_passage("siege-02").empty
    with pytest.raises(KeyError, match="No passage 'siege-42'"):
        charts.figures_for_passage("siege-42")


def test_unknown_ids_give_clear_errors(data):
    with pytest.raises(KeyError, match="No series 'gdp' in data/series_meta.csv; series are: pop, pop2"):
        charts.series_chart("gdp")
    with pytest.raises(KeyError, match="No cited figure 'nope' in data/cited_figures.csv"):
        charts.cited_figure_chart("nope")
    with pytest.raises(ValueError, match="either series_id or figure_id"):
        charts.chart_table()


def test_compact_citations():
    xs = ["1913", "1914", "1915", "1917"]
    cites = [f"Maddison, year {x}; http://x.org" for x in xs]
    assert charts.compact_citations(xs, cites) == ["Maddison, year 1913–1915, 1917; http://x.org"]
    assert charts.compact_citations(["a", "b", "c"], ["A", "B", "A; B"]) == ["A", "B"]


@pytest.mark.skipif(not (DATA_DIR / "cited_figures.csv").exists(), reason="data files not written yet")
def test_every_real_series_and_cited_figure_draws():
    for sid in context.load("series_meta")["series_id"]:
        v = charts.series_chart(sid)
        assert v.svg and "Source: " in v.text and "(data/series.csv)" in v.text
    for fid in context.load("cited_figures")["figure_id"]:
        v = charts.cited_figure_chart(fid)
        assert "Verdict: " in v.text and len(v.table) == 2


def test_a_long_unit_is_wrapped_to_the_height_of_the_axis():
    drawn = _drawn(charts.series_chart("gdp_per_head_ussr").svg)  # "1990 international (Geary-Khamis) dollars…"
    label = next(lines for lines in drawn["text_lines"] if "international" in "".join(lines))
    assert len(label) > 1 and all(len(line) <= charts.Y_LABEL_WRAP for line in label)
    assert any("Geary-Khamis" in line for line in label)  # never broken at its hyphen


def test_comparison_chart_draws_the_text_value_the_source_range_and_says_what_is_missing(data):
    from xml.etree import ElementTree

    svg = "{http://www.w3.org/2000/svg}"
    drawn = ElementTree.fromstring(charts.cited_figure_chart("arrests").svg)
    ids = {e.get("id") for e in drawn.iter() if e.get("id")}
    assert {"text-value", "source-range", "source-value"} <= ids
    words = " ".join("".join(t.itertext()) for t in drawn.iter(f"{svg}text"))
    assert "3.5 million" in words and "18 million (range 14–18 million)" in words
    assert "people (millions)" in words  # the axis says its scale
    crashed = ElementTree.fromstring(charts.cited_figure_chart("crashed").svg)
    words = " ".join("".join(t.itertext()) for t in crashed.iter(f"{svg}text"))
    assert "gives no number" in words and "no figure found" in words


def test_a_line_chart_writes_few_values_names_several_series_and_stays_inside(data):
    """One series with few values: each value written above its mark. Several series: a legend names each, no values
    written (they would collide). Every mark and every text starts inside the drawing."""
    from xml.etree import ElementTree

    from helpers import svgdraw

    one = _drawn(charts.series_chart("pop").svg)
    assert {"2,100,000", "2,200,000", "900,000", "700,000"} <= set(one["texts"])
    two = charts.series_chart(["pop", "pop2"]).svg
    texts = _drawn(two)["texts"]
    assert {"Population of a city", "Population of another city"} <= set(texts) and "2,100,000" not in texts
    assert {sid for sid, _year in _drawn(two)["points"]} == {"pop", "pop2"}
    root = ElementTree.fromstring(two)
    width, height = (float(root.get(k).rstrip("pt")) for k in ("width", "height"))
    for t in root.iter(f"{SVG}text"):
        x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size"))
        assert size >= 14 and 0 <= y <= height
        if not t.get("transform"):
            w = svgdraw.text_size("\n".join(t.itertext()) if not len(t) else "\n".join(s.text for s in t), size)[0]
            left = {"middle": x - w / 2, "end": x - w}.get(t.get("text-anchor"), x)
            assert 0 <= left and left + w <= width, "".join(t.itertext())
