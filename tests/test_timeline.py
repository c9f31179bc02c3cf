"""Timelines: which events are drawn for a passage, what is highlighted, Old/New Style labels, uncertain dates,
labels that never overlap, caption and alt text, escaping, and clear errors.

Most tests use a small fixture events file (so they do not change when data/events.csv grows); a few check the
real file, when it is there.
"""
import csv
import itertools
import re
from datetime import date
from xml.etree import ElementTree

import pandas as pd
import pytest

from helpers import context, timeline
from helpers.sources import DATA_DIR

SVG = "{http://www.w3.org/2000/svg}"

FIELDS = list(context.TABLES["events"].columns)
EVENTS = [
    # event_id, start, end, precision, start_os, end_os, title, category, mentioned_in
    ("emancipation", "1861-03-03", "", "day", "1861-02-19", "", "Emancipation of the serfs", "society", ""),
    ("commune", "1871-03-18", "1871-05-28", "day", "", "", "Paris Commune", "revolution", "siege-06"),
    ("february", "1917-03-08", "1917-03-16", "day", "1917-02-23", "1917-03-03", "February Revolution",
     "revolution", ""),
    ("riot", "1917-06-01", "", "month", "", "", "<script>alert(1)</script> Bread riot", "society", ""),
    ("october", "1917-11-07", "", "day", "1917-10-25", "", "October Revolution", "revolution",
     "molyneux-01 molyneux-10"),
    ("dispersal", "1918-01-19", "", "day", "1918-01-06", "", "Constituent Assembly dispersed", "politics", ""),
    ("civil-war", "1918-03-01", "1922-10-01", "month", "", "", "Civil War", "war", "molyneux-12"),
    ("nep", "1921-03-15", "", "day", "", "", "New Economic Policy", "economy", "molyneux-12"),
    ("famine", "1932-01-01", "1933-01-01", "year", "", "", "Famine", "society", "molyneux-03"),
    ("soviet-end", "1991-12-26", "", "day", "", "", "End of the USSR", "politics", "molyneux-06"),
]


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for eid, s, e, p, so, eo, title, cat, men in rows:
            w.writerow(dict(event_id=eid, start_date=s, end_date=e, precision=p, start_date_os=so, end_date_os=eo,
                            title=title, description=f"About {title}.", category=cat, place="",
                            mentioned_in=men, shown_in="all", citation=f"https://example.org/{eid} (checked)"))


@pytest.fixture
def events(tmp_path, monkeypatch):
    """Point the timeline at a fixture events file; returns a function to replace its rows."""
    def use(rows):
        d = tmp_path / f"d{len(list(tmp_path.iterdir()))}"
        d.mkdir()
        _write(d / "events.csv", rows)
        monkeypatch.setattr(timeline, "_events", lambda: context.load("events", d))

    use(EVENTS)
    return use


def _ids(df: pd.DataFrame) -> list[str]:
    return list(df["event_id"])


def test_passage_timeline_draws_its_years_and_highlights_what_it_mentions(events):
    ev = timeline.timeline_events("molyneux-01")  # the passage mentions 1917
    assert _ids(ev) == ["february", "riot", "october"]
    assert _ids(ev[ev["highlighted"]]) == ["october"]
    ev12 = timeline.timeline_events("molyneux-12")  # 1913, 1917–1921
    assert set(_ids(ev12)) == {"february", "riot", "october", "dispersal", "civil-war", "nep"}
    assert set(_ids(ev12[ev12["highlighted"]])) == {"civil-war", "nep"}


def test_old_style_shown_only_where_the_data_gives_it(events):
    ev = timeline.timeline_events(years=(1861, 1918)).set_index("event_id")
    assert ev.loc["october", "date_label"] == "7 Nov 1917 (25 Oct O.S.)"
    assert ev.loc["february", "date_label"] == "8–16 Mar 1917 (23 Feb – 3 Mar O.S.)"
    assert ev.loc["emancipation", "date_label"] == "3 Mar 1861 (19 Feb O.S.)"
    assert ev.loc["commune", "date_label"] == "18 Mar – 28 May 1871"  # Paris used New Style: no O.S.
    v = timeline.timeline("molyneux-01")
    assert "7 Nov 1917 (25 Oct O.S.)" in v.alt and "Old Style (O.S.) date" in v.text
    assert "7 Nov 1917 (25 Oct O.S.)" in v.table["Date"].tolist()


def test_compact_date_labels():
    d = timeline.date_label
    assert d(date(1918, 1, 13), None, "day", "1917-12-31") == "13 Jan 1918 (31 Dec 1917 O.S.)"
    assert d(date(1917, 11, 6), date(1917, 11, 7), "day", "1917-10-24", "1917-10-25") == \
        "6–7 Nov 1917 (24–25 Oct O.S.)"
    assert d(date(1918, 3, 1), date(1922, 10, 1), "month") == "Mar 1918 – Oct 1922"
    assert d(date(1932, 1, 1), None, "circa") == "c. 1932"
    assert d(date(1932, 1, 1), date(1933, 1, 1), "year") == "1932 – 1933"


def test_uncertain_dates_are_drawn_as_uncertain(events):
    ev = timeline.timeline_events("molyneux-01").set_index("event_id")
    assert ev.loc["riot", "uncertain"] and not ev.loc["october", "uncertain"]
    assert (ev.loc["riot", "earliest"], ev.loc["riot", "latest"]) == (pd.Timestamp("1917-06-01"),
                                                                    pd.Timestamp("1917-06-30"))
    svg = timeline.timeline_svg("molyneux-01")
    root, styles = _parse(svg)
    assert "fill:#ffffff" in styles[root["mark-riot"].get("class")]  # hollow
    assert "fill:#ffffff" not in styles[root["mark-october"].get("class")]  # filled
    x0, x1 = map(float, re.fullmatch(r"M([\d.]+) [\d.]+H([\d.]+)", root["range-riot"].get("d")).groups())
    axis = timeline._Axis(*timeline._plan("molyneux-01", None, None, None).window)
    assert x0 == pytest.approx(axis.x(date(1917, 6, 1)), abs=0.1)  # the error bar spans June 1917
    assert x1 == pytest.approx(axis.x(date(1917, 6, 30)), abs=0.1)
    assert timeline.uncertainty(date(1932, 1, 1), None, "circa") == (date(1930, 1, 1), date(1934, 12, 31))


def _parse(svg: str) -> tuple[dict[str, ElementTree.Element], dict[str, str]]:
    """The SVG's elements by id, and its classes' styles."""
    root = ElementTree.fromstring(svg)
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    sheet = root.find(f"{SVG}style").text
    return by_id, dict(re.findall(r"\.(s\d+)\{([^}]*)\}", sheet))


def _label_boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Every event label's box as (x0, y0, x1, y1) in points."""
    by_id, _ = _parse(svg)
    return {k: (float(e.get("x")), float(e.get("y")), float(e.get("x")) + float(e.get("width")),
                float(e.get("y")) + float(e.get("height"))) for k, e in by_id.items() if k.startswith("box-")}


def _assert_no_overlap(svg: str) -> dict:
    boxes = _label_boxes(svg)
    assert boxes
    for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2):
        assert ba[2] <= bb[0] or bb[2] <= ba[0] or ba[3] <= bb[1] or bb[3] <= ba[1], f"{a} overlaps {b}"
    root = ElementTree.fromstring(svg)
    W, H = (float(v) for v in root.get("viewBox").split()[2:])
    for name, (x0, y0, x1, y1) in boxes.items():
        assert x0 >= 0 and y0 >= 0 and x1 <= W and y1 <= H, f"{name} sticks out of the figure"
    return boxes


def test_labels_never_overlap_even_in_a_crowded_year(events):
    crowded = EVENTS + [(f"e{i}", f"1917-{m:02d}-{d:02d}", "", "day", "", "", f"Crowded event number {i}",
                         "politics", "molyneux-01" if i % 5 == 0 else "")
                        for i, (m, d) in enumerate(itertools.product(range(3, 12), (3, 17)))]
    events(crowded)
    boxes = _assert_no_overlap(timeline.timeline_svg("molyneux-01"))
    drawn = timeline.timeline_events("molyneux-01")
    assert {f"box-{e}" for e in drawn["event_id"]} == set(boxes)  # every drawn event has its label
    assert drawn["highlighted"].sum() == 4 + 1  # all the passage's events got a place (e0, e5, e10, e15, october)
    assert len(drawn) < 3 + 18  # the rest were not drawn, for room…
    v = timeline.timeline("molyneux-01")
    assert "not drawn, for room" in v.text  # …and the caption says so


@pytest.mark.skipif(not (DATA_DIR / "events.csv").exists(), reason="data/events.csv not written yet")
@pytest.mark.parametrize("passage_id", ["molyneux-01", "molyneux-12", "aunoble-15", "essay-04", "molyneux-03"])
def test_real_events_labels_never_overlap(passage_id):
    svg = timeline.timeline_svg(passage_id)
    _assert_no_overlap(svg)
    texts = list(ElementTree.fromstring(svg).iter(f"{SVG}text"))
    assert texts and min(float(t.get("font-size")) for t in texts) >= 14  # readable from the back of the room


def test_caption_alt_text_and_source(events):
    v = timeline.timeline("molyneux-12")
    assert v.alt.startswith("Timeline of 1913–1921 with 6 labelled events, below a strip of the whole period")
    for title in ("Civil War", "New Economic Policy", "October Revolution", "Bread riot"):
        assert title in v.alt
    assert "Civil War (war, mentioned in the passage, date uncertain)" in v.alt
    assert "Bold on yellow: the 2 events Molyneux ¶12 mentions." in v.text
    assert "Hollow marks: the date is known only to the month or year" in v.text
    assert "Source: data/events.csv, compiled from: https://example.org/february" in v.text
    assert v.table.columns.tolist() == ["Date", "Event", "Category", "Date known", "Mentioned here", "Left out here",
                                        "Place", "Source"]
    assert v.table["Mentioned here"].sum() == 2


def test_event_titles_are_escaped(events):
    v = timeline.timeline("molyneux-01")
    assert "<script>" not in str(v.html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Bread riot" in str(v.html)
    assert "<script>alert(1)</script> Bread riot" in v.text  # the plain-text twin is text, not HTML


def test_passage_without_a_year_zooms_to_the_events_it_refers_to(events):
    v = timeline.timeline("molyneux-03")
    assert "Molyneux ¶3 mentions no year: the years shown are those of the events it refers to." in v.text
    ev = timeline.timeline_events("molyneux-03")
    assert _ids(ev[ev["highlighted"]]) == ["famine"]
    assert {"emancipation", "soviet-end"}.isdisjoint(ev["event_id"]), "not a 130-year timeline"


def test_passage_without_a_year_or_an_event_shows_the_whole_span_with_a_note(events):
    note = ("Molyneux ¶5 mentions no year and refers to no event in the data, so the whole span 1861–1991 is "
            "shown.")
    assert note in timeline.timeline("molyneux-05").text
    assert {"emancipation", "soviet-end", "famine"} <= set(timeline.timeline_events("molyneux-05")["event_id"])
    shown = _parse(timeline.timeline_svg("molyneux-05"))[0]["note"]
    assert " ".join(t.text for t in shown.iter(f"{SVG}tspan")) == note  # wrapped to the figure's width


def test_whole_span_years_and_category_filters(events):
    assert _ids(timeline.timeline_events(years=1871)) == ["commune"]
    assert _ids(timeline.timeline_events(years=range(1917, 1919), categories=["revolution"])) == \
        ["february", "october"]
    # a category filter never hides what the passage mentions
    assert _ids(timeline.timeline_events("molyneux-12", categories="economy")) == ["civil-war", "nep"]
    ev = timeline.timeline_events(years=[1917], highlight=["riot"])
    assert _ids(ev[ev["highlighted"]]) == ["riot"]
    assert len(timeline.timeline_events()) == len(EVENTS)


def test_mentioned_events_outside_the_chosen_years_are_named(events):
    v = timeline.timeline("molyneux-12", years=1917)
    assert "Mentioned but outside the years shown: Civil War (Mar 1918 – Oct 1922); New Economic Policy " \
           "(15 Mar 1921)." in v.text


def test_unknown_ids_and_bad_values_give_clear_errors(events):
    with pytest.raises(KeyError, match="No passage 'molyneux-99' in Molyneux"):
        timeline.timeline("molyneux-99")
    with pytest.raises(KeyError, match="No source 'nobody'"):
        timeline.timeline("nobody-01")
    with pytest.raises(KeyError, match="passage ids look like"):
        timeline.timeline("molyneux")
    with pytest.raises(KeyError, match="No event 'storming-of-the-bastille' in data/events.csv"):
        timeline.timeline(highlight=["storming-of-the-bastille"])
    with pytest.raises(ValueError, match="Unknown event category 'wars'; categories are: revolution, war"):
        timeline.timeline(categories=["wars"])
    with pytest.raises(ValueError, match="between 1700 and 2030"):
        timeline.timeline(years=[1917, 3000])


def test_figures_are_closed(events):
    import matplotlib.pyplot as plt

    for _ in range(3):
        timeline.timeline("molyneux-01")
    assert plt.get_fignums() == []


@pytest.mark.skipif(not (DATA_DIR / "events.csv").exists(), reason="data/events.csv not written yet")
def test_real_events_file_draws_for_every_passage_that_mentions_an_event():
    ev = context.load("events")
    mentioned = sorted({p for m in ev["mentioned_in"].dropna() for p in str(m).split()})
    for pid in mentioned[::3]:  # a third of them, spread over the texts, keeps the test quick
        drawn = timeline.timeline_events(pid)
        want = {e for e, m in zip(ev["event_id"], ev["mentioned_in"]) if pd.notna(m) and pid in str(m).split()}
        assert set(drawn.loc[drawn["highlighted"], "event_id"]) == want, pid


def test_what_a_passage_leaves_out_is_drawn_as_such():
    """Essay ¶7 says the Soviets used no force against protest; the risings they crushed are context it leaves out,
    so they are not drawn (or described) as things it mentions."""
    from helpers.timeline import timeline
    v = timeline("essay-07")
    assert "Hungarian revolution crushed by the Soviet army (international, left out of the passage)" in v.alt
    assert "Dashed red box: the 4 events of these years Essay ¶7 leaves out" in v.text
    assert "stroke-dasharray" in v.html and "Dashed: left out" in v.html
    row = v.table.set_index("Event").loc["Soviet troops attack in Vilnius"]
    assert bool(row["Left out here"]) and not bool(row["Mentioned here"])
