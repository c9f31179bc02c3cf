"""Each exercise kind's class view, on a small made-up class whose answers are known."""
import pandas as pd
import pytest

from helpers import classkinds
from helpers.answers import Handin
from helpers.dashboard import ClassResults
from helpers.exercises import load_definitions


def _class(answers: dict[str, dict[str, object]]) -> ClassResults:
    """students → exercise id → value, as a loaded class."""
    rows = [{"student": s, "notebook": "x", "exercise_id": e, "value": v,
             "saved_at": pd.Timestamp("2026-01-01", tz="UTC")} for s, by in answers.items() for e, v in by.items()]
    handins = [Handin(s, "2026-01-02T00:00:00+00:00", "0", {}) for s in answers]
    return ClassResults(handins, pd.DataFrame(rows, columns=["student", "notebook", "exercise_id", "value", "saved_at"]))


def _first(kind: str):
    return next(e for e in load_definitions().values() if e.type == kind)


def test_multiple_choice_shows_shares_and_the_key():
    ex = _first("multiple_choice")
    v = classkinds.exercise_views(_class({"A": {ex.id: {"choice": ex.get("answer")}}, "B": {ex.id: 1}}), [ex.id])
    assert "✓ key" in v.text and "2 answers" in v.text and "50 %" in v.text


def test_fact_check_counts_verdicts_against_the_collections():
    ex = _first("fact_check")
    v = classkinds.exercise_views(_class({"A": {ex.id: {"verdict": "disputed", "source": "x"}}}), [ex.id])
    assert "the collection's verdict:" in v.text and "disputed | 1 | 100 %" in v.text


def test_estimate_sets_guesses_against_the_text_and_the_sources():
    ex = _first("estimate")
    v = classkinds.exercise_views(_class({"A": {ex.id: {"estimate": 10}}, "B": {ex.id: {"estimate": 30}}}), [ex.id])
    assert "the class (median) | 20" in v.text and "the text says" in v.text and "A | 10" in v.text


def test_loaded_language_counts_each_phrase():
    ex = _first("loaded_language")
    phrase = ex.get("phrases")[0]
    v = classkinds.exercise_views(_class({"A": {ex.id: {"marked": [phrase], "other": "<i>x</i>"}},
                                          "B": {ex.id: {"marked": [phrase]}}}), [ex.id])
    assert f"{phrase} | 2" in v.text and "&lt;i&gt;x&lt;/i&gt;" in v.html


def test_ranking_gives_the_class_order_and_its_spread():
    ex = _first("ranking")
    a, b = ex.get("options")[:2]
    v = classkinds.exercise_views(_class({"A": {ex.id: [a, b]}, "B": {ex.id: [b, a]}, "C": {ex.id: [a, b]}}), [ex.id])
    assert f"{a} | 1.33 | 1–2 | 2 | 3" in v.text


@pytest.mark.parametrize("kind", classkinds.WRITTEN)
def test_written_work_is_shown_as_escaped_cards_named_or_numbered(kind):
    ex = _first(kind)
    value = {"why": "<script>x</script>"} if kind == "claim_evidence" else (
        "<script>x</script>" if kind == "free_text" else {next(iter(["origin", "how_they_differ"])): "<script>x"})
    results = _class({"Zoë": {ex.id: value}, "Ada": {}})
    named = classkinds.exercise_views(results, [ex.id])
    assert "<script>" not in named.html and "Zoë" in named.html
    anonymous = classkinds.exercise_views(results, [ex.id], anonymous=True)
    assert "Zoë" not in anonymous.html and "Student 2" in anonymous.html  # Ada is 1, Zoë 2, on every card
    assert "Zoë" not in classkinds.exercise_views(results, [ex.id], student="Ada").html


def _continuum(rows: dict[str, list[float]], **kw):
    from xml.etree import ElementTree

    steps = ["Before the texts", "After lesson 1", "After lesson 2", "After lesson 3"]
    path = pd.DataFrame.from_dict(rows, orient="index", columns=steps).rename_axis("student")
    view = classkinds.continuum_chart(path, **kw)
    root = ElementTree.fromstring(view.svg)
    ns = "{http://www.w3.org/2000/svg}"
    css = dict(rule.rstrip("}").split("{") for rule in root.find(f"{ns}style").text.split("}") if "{" in rule)
    lines = [(css["." + e.get("class")], e.get("points").split()) for e in root.iter(f"{ns}polyline")]
    texts = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
    return view, root, lines, texts


def test_continuum_chart_draws_each_path_the_mean_and_the_picked_student():
    nan = float("nan")
    view, _, lines, texts = _continuum({"Ada": [2, 4, 5, 6], "Bo": [6, 6, nan, 2], "Cy": [nan, 3, nan, nan]},
                                       student="Ada")
    drawn = lines[4:]  # after the legend's four keys (Bo skipped a lesson, so the dotted key is there)
    grey = [pts for style, pts in drawn if "#9A9A9A" in style and "dasharray" not in style]
    dotted = [pts for style, pts in drawn if "#9A9A9A" in style and "dasharray:1 " in style]
    dashed = [pts for style, pts in drawn if "dasharray" in style and "#9A9A9A" not in style]
    picked = [pts for style, pts in drawn if "#0072B2" in style]
    # Bo's line is solid where he answered, dotted across the lesson he skipped (never a guessed point); Cy's single
    # answer is a dot, not a line; Ada is drawn in blue only.
    assert sorted(len(p) for p in grey) == [2] and len(dotted) == 1 and len(dotted[0]) == 2
    assert len(picked) == 1 and len(picked[0]) == 4
    assert len(dashed) == 1 and len(dashed[0]) == 4  # the mean has a value at every step
    assert {"Ada", "one line per student", "class mean", "across a lesson not answered", "strongly disagree",
            "strongly agree"} <= set(texts)
    # each mean says how many students it is over: the step Bo and Cy skipped has one answer fewer
    assert "Ada highlighted" in view.alt
    assert "class mean Before the texts: 4.0 (n = 2), After lesson 1: 4.3 (n = 3), After lesson 2: 5.0 (n = 1)" \
        in view.alt
    assert all(any(t.endswith(n) for t in texts) for n in ("n = 2", "n = 3", "n = 1"))  # under each step


def test_continuum_chart_keeps_a_long_or_hostile_name_inside_and_escaped():
    name = "<script>alert(1)</script>" + "W" * 40
    view, root, _, texts = _continuum({name: [1, 2, 3, 4], "Bo": [7, 6, 5, 4]}, student=name)
    from helpers import svgdraw

    legend = next(t for t in root.iter("{http://www.w3.org/2000/svg}text") if "".join(t.itertext()).startswith("<"))
    assert legend.text.endswith("…")
    assert float(legend.get("x")) + svgdraw.text_width(legend.text, 14) <= float(root.get("width").rstrip("pt"))
    assert "<script>" not in view.html and "&lt;script&gt;" in view.html


def test_continuum_chart_anonymous_names_nobody():
    view, _, _, texts = _continuum({"Ada": [2, 4, 5, 6], "Bo": [6, 6, 3, 2]}, student="Bo", anonymous=True)
    assert "Student 2" in texts and "Bo" not in view.text and "Ada" not in view.html
