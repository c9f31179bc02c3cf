"""Views of the texts: what a reader sees, in HTML and in the plain-text twin."""
import pytest

from helpers import views
from helpers.show import problem_view


def test_source_card_shows_provenance():
    card = views.source_card("essay")
    for fact in ("Why the October Revolution Failed?", "not named", "2019-08-02", "Studydriver", "sample essay"):
        assert fact in card.text and fact in card.html
    assert "Source card for Essay" in card.html
    assert views.source_card("aunoble").text.count("c. 2018") == 1
    assert "Date: not given" in views.source_card("siege").text


def test_passage_view_labels_and_footnote_under_it():
    v = views.passage("siege-02")
    assert v.text.startswith("[Siege Socialism ¶2] Under the unfortunate conditions")
    assert "[1] Michael Parenti, Blackshirts and Reds" in v.text
    assert 'id="siege-02"' in v.html and 'class="www-footnote"' in v.html
    quote = views.passage("siege-03")
    assert "(quoted from another work)" in quote.text and "www-quotation" in quote.html


def test_passages_range_and_bad_range():
    v = views.passages("molyneux", 11, 13)
    assert v.text.count("[Molyneux ¶") == 3 and v.text.startswith("[Molyneux ¶11]")
    assert "Discuss:\n  - (contextualisation) What does Molyneux mean by the revolution's 'isolation'?" in v.text
    assert views.passages("essay").text.count("[Essay ¶") == 8
    with pytest.raises(ValueError, match="passages 1 to 14"):
        views.passages("molyneux", 12, 20)


def test_aunoble_markup_rendered_safely():
    v = views.passage("aunoble-03")
    assert ">arteli</span></em>" in v.html and "19<sup>th</sup>" in v.html
    assert "Words in Aunoble ¶3: " in v.html and "arteli" in v.text.split("\n", 1)[1]
    assert "*arteli*" not in v.text and "19th century" in v.text


def test_comments_and_clutter_are_marked_and_collapsible():
    c = views.comments("molyneux")
    assert "<details open>" in c.html and "not part of the text itself" in c.html
    assert "Comment 2 — Anonymous wrote:" in c.text and "Animal Farm" in c.text
    k = views.clutter("essay")
    assert "not part of the essay" in k.html and "I&#x27;m Amy :)" in k.html and "17 lines" in k.text
    assert "has no reader comments" in views.comments("essay").text
    assert "no page clutter" in views.clutter("molyneux").text


def test_notes_and_front_matter():
    n = views.notes("siege")
    assert "[5] Chris Gilbert" in n.text and "Further reading:" in n.text
    f = views.front_matter("aunoble")
    assert "[byline] University of Geneva" in f.text and "**" not in f.html


def test_problem_view_escapes_the_message():
    v = problem_view("No source '<img src=x onerror=alert(1)>'")
    assert "<img" not in v.html and "Tell your teacher" in v.text and 'role="alert"' in v.html


def test_passage_in_context_puts_questions_beside_and_figures_below():
    v = views.passage_in_context("essay-04", timeline=True)
    assert 'class="www-row"' in v.html and 'aria-label="Beside Essay ¶4"' in v.html
    assert v.html.index("www-col-text") < v.html.index("www-col-context") < v.html.index("<figure")
    assert "Discuss:" in v.text and "Faulkner" in v.text
    # a timeline (the passage names 1924) and the Red Terror estimates; no chart for a date, nor for the Cheka's size,
    # which no count of the same quantity checks
    assert v.html.count("<figure") == 2
    assert "Size of the Cheka" not in v.text and "Date of Lenin's death" not in v.text.split("[Figure] Timeline")[0]


def test_passage_in_context_without_context_is_the_plain_passage():
    plain = views.passage("molyneux-05")
    assert views.passage_in_context("molyneux-05", prompts=False).text == plain.text
    assert "<figure" not in views.passage_in_context("molyneux-05").html


def test_passage_in_context_can_add_a_series_chart():
    v = views.passage_in_context("siege-01", figures=False, chart="intervention_troops_1918_1920")
    assert v.html.count("<figure") == 1 and "Source" in v.text
