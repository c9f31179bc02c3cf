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
