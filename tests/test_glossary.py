"""Glossary marks: matching rules, accessible and escaped markup, composition with emphasis and footnote markers."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import glossary as g
from helpers.texts import Marker, Part, inline_runs, load_document

TERMS = (
    g.Term("soviet", "A council of elected delegates.", aliases=("soviets",), citation="Fixture"),
    g.Term("commune", "A group that shares property.", aliases=("communes", "communard")),
    g.Term("Paris Commune", "The revolutionary government of Paris in 1871."),
    g.Term("NEP", "The New Economic Policy.", aliases=("New Economic Policy",)),
    g.Term("byt", "Everyday life.", aliases=("novyi byt",)),
    g.Term("Marxism-Leninism", "The Soviet state ideology.", aliases=("Marxist-Leninist",)),
    g.Term("Leninism", "Lenin's version of Marxism.", aliases=("Leninist",)),
    g.Term("Cheka", "The secret police, 1917-22."),
    g.Term("1", "A term that looks like a footnote marker."),
)


def _whole(part: Part, terms=None, uses=None) -> str:
    """A passage as a view shows it: the marked text and its "Words in this passage" list."""
    return g.passage_body_html(part, terms, uses) + g.words_html(part, terms, uses)


def _part(text: str, markers: tuple[Marker, ...] = (), pid: str = "test-01") -> Part:
    return Part("passage", text, ((0, len(text)),), number=1, markers=markers, id=pid, label="Test ¶1")


def test_longest_match_wins():
    text = "The Paris Commune was no ordinary commune."
    assert g.terms_in(text, TERMS) == [(4, 17, "Paris Commune"), (34, 41, "commune")]
    hy = "Marxist-Leninist states"
    assert g.terms_in(hy, TERMS) == [(0, 16, "Marxism-Leninism")]  # not "Leninist" inside it


def test_aliases_and_case():
    text = "Soviets met; the SOVIET voted; under the new economic policy; the Communard spoke."
    found = g.terms_in(text, TERMS)
    assert [(text[s:e], t) for s, e, t in found] == [
        ("Soviets", "soviet"), ("SOVIET", "soviet"), ("new economic policy", "NEP"), ("Communard", "commune")]


def test_word_boundaries():
    assert g.terms_in("Chekas, Chekist, bytes, byte, Leninists", TERMS) == []
    assert g.terms_in("the Cheka’s agents", TERMS) == [(4, 9, "Cheka")]
    assert g.terms_in("soviet-style councils", TERMS) == [(0, 6, "soviet")]


def test_only_first_occurrence_is_marked_and_listed_beside():
    html = _whole(_part("A soviet here, a soviet there, and the Cheka."), TERMS)
    assert html.count('class="www-term"') == 2
    assert html.index('<aside class="www-glossary"') > html.index('<div class="www-body">')
    assert "Words in Test ¶1: " in html and "<dt>soviet</dt>" in html and "A council of elected delegates." in html


def test_marks_are_keyboard_focusable_and_described():
    html = _whole(_part("The soviet met.", pid="essay-03"), TERMS)
    span = re.search(r"<span class=\"www-term\"[^>]*>soviet</span>", html).group(0)
    assert 'tabindex="0"' in span and 'title="A council of elected delegates."' in span
    target = re.search(r'aria-describedby="([^"]+)"', span).group(1)
    assert target == "www-gl-essay-03-soviet"
    assert f'<dd id="{target}">A council of elected delegates.</dd>' in html and 'Fixture' in html
    from helpers.theme import CSS
    assert ".www-term:focus::after" in CSS and "attr(title)" in CSS


def test_definition_with_script_is_escaped():
    evil = (g.Term("soviet", 'Bad <script>alert("x")</script> & "quotes"'),)
    html = _whole(_part("The soviet met."), evil)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in html
    text_evil = (g.Term("<b>x</b>", "fine"),)
    assert "<b>" not in _whole(_part("A <b>x</b> in text."), text_evil)


def test_no_marking_inside_a_footnote_marker_or_superscript():
    part = _part("Lenin’s party<sup>1</sup> and 1 more.")
    part = _part(part.text, (Marker("1", 13, 25),))
    html = _whole(part, TERMS)
    assert '<sup class="www-marker" title="footnote 1">1</sup>' in html  # the marker as runs_html draws it
    assert html.count('class="www-term"') == 1 and ">1</span> more" in html  # the plain-text "1" is marked
    glued = load_document("siege").passage("siege-02")  # "…Michael Parenti.1 They…" (a glued marker)
    html = _whole(glued, TERMS)
    assert '<sup class="www-marker" title="footnote 1">1</sup>' in html
    assert 'www-term" tabindex="0" title="A term that looks like a footnote marker."' not in html


def test_emphasis_kept_and_italic_terms_marked():
    part = load_document("aunoble").passage("aunoble-05")
    html = _whole(part, TERMS)
    assert re.search(r"<em><span class=\"www-term\"[^>]*>novyi byt</span></em>", html)
    assert "<em>baby</em>" in html
    assert "*" not in re.sub(r"<[^>]+>", "", html)


def test_no_terms_gives_the_plain_body():
    html = _whole(_part("Nothing to explain here."), TERMS)
    assert html == '<div class="www-body">Nothing to explain here.</div>'


def test_passage_terms_table_and_text():
    part = _part("The communes and the Paris Commune under the NEP.")
    df = g.passage_terms(part, TERMS)
    assert list(df["term"]) == ["commune", "Paris Commune", "NEP"]
    assert list(df["as_written"]) == ["communes", "Paris Commune", "NEP"]
    assert g.passage_terms_text(part, TERMS).startswith("Words in this passage:\n  - commune: A group")
    assert g.passage_terms_text(_part("Nothing."), TERMS) == ""


def test_glossary_view_all_and_one_passage():
    allv = g.glossary_view(terms=TERMS)
    assert allv.text.startswith("Glossary: 9 words")
    assert "Cheka: The secret police, 1917-22. [in: essay-04]" in allv.text
    assert "Source: Fixture" in allv.text and 'id="www-gloss-paris-commune"' in allv.html
    one = g.glossary_view("essay-04", terms=TERMS)
    assert one.text.splitlines()[0] == "Words in Essay ¶4" and "Cheka:" in one.text
    none = g.glossary_view("molyneux-02", terms=(TERMS[7],))
    assert "uses no glossary word" in none.text
    with pytest.raises(KeyError):
        g.glossary_view("essay-99", terms=TERMS)


def test_real_glossary_loads_and_marks_every_text():
    terms = g.load_terms()
    assert len(terms) >= 50 and all(t.definition for t in terms)
    used = g.where_used(terms)
    assert "essay-04" in used["Cheka"] and "aunoble-05" in used["byt"]
    for slug in ("molyneux", "essay", "siege", "aunoble"):
        doc = load_document(slug)
        assert any("www-term" in _whole(p, terms) for p in doc.passages)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab soviet Cheka<>&\"'’-*.\n")), max_size=80))
def test_marking_never_changes_the_text(text):
    """Whatever the passage says, the marked body reads exactly as the passage (tags removed, entities decoded)."""
    part = _part(text)
    body = _whole(part, TERMS).split('<aside class="www-glossary"')[0]
    shown = html_lib.unescape(re.sub(r"<[^>]+>", "", body))
    assert shown == "".join(r.text for r in inline_runs(text))
    assert "<script" not in body


def test_a_term_is_defined_once_per_text_and_described_from_there_after():
    """Under the first passage that uses it; later passages mark the word, described by that definition (no in-page
    link: JupyterLab strips the ids of an untrusted notebook, and the definition sits in a folded list)."""
    first, later = _part("The soviet met.", pid="t-01"), _part("A soviet again, and the Cheka.", pid="t-02")
    uses = g.first_uses([first, later], TERMS)
    assert uses["soviet"] == "t-01" and uses["Cheka"] == "t-02"
    html = _whole(later, TERMS, uses)
    assert 'aria-describedby="www-gl-t-01-soviet"' in html and 'id="www-gl-t-02-cheka"' in html
    assert "<a " not in html.split('<aside class="www-glossary"')[0]
    assert html.count("<dt>") == 1  # only the Cheka is defined here
    assert "soviet" not in g.passage_terms_text(later, TERMS, uses).split("\n", 1)[1]
