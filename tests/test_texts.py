"""The text model: every seed's structure pinned, nothing lost, and bad seeds refused clearly."""
import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.sources import all_sources, get_source
from helpers.texts import (
    KINDS,
    Run,
    TextError,
    inline_runs,
    load_document,
    parse,
    problems,
    read_seed,
    strip_markup,
    years_mentioned,
)

SLUGS = [s.slug for s in all_sources()]


def covered_exactly_once(doc) -> None:
    """Every non-blank character of the seed lies in exactly one span of one part; spans hold no blank edges."""
    owner = [0] * len(doc.raw)
    for part in doc.parts:
        for start, end in part.spans:
            for i in range(start, end):
                owner[i] += 1
    lost = [i for i, ch in enumerate(doc.raw) if not ch.isspace() and owner[i] != 1]
    assert not lost, f"characters lost or doubled at {lost[:5]}: {doc.raw[lost[0]:lost[0] + 40]!r}"


@pytest.mark.parametrize("slug", SLUGS)
def test_no_character_of_a_seed_is_lost(slug):
    covered_exactly_once(load_document(slug))


@pytest.mark.parametrize("slug", SLUGS)
def test_part_text_comes_from_its_spans(slug):
    """What a part shows is what its spans hold (a comment minus its 'NAME said...' header)."""
    doc = load_document(slug)
    for part in doc.parts:
        spans = " ".join(doc.raw[s:e] for s, e in part.spans)
        for word in re.findall(r"\w+", part.text):
            assert word in spans
        assert part.kind in KINDS


def pinned(doc, kind):
    return [(p.text[:30], p.text[-20:]) for p in doc.of_kind(kind)]


def test_molyneux_structure():
    doc = load_document("molyneux")
    assert doc.title == "Russia: What Went Wrong?"
    assert len(doc.passages) == 14
    assert doc.passages[0].text.startswith("The Russian Revolution of 1917 was")
    assert doc.passage("molyneux-12").text.startswith("Second the utter devastation")
    assert doc.passage("molyneux-12").label == "Molyneux ¶12"
    assert doc.passages[-1].text.endswith("The precise nature of that phenomenon will be discussed in the next in this series.")
    # the star after "old guard." points at the footnote about Lih
    p8 = doc.passage("molyneux-08")
    assert [m.symbol for m in p8.markers] == ["*"]
    assert [f.symbol for f in doc.footnotes] == ["*"]
    assert doc.footnotes[0].text.startswith("The claimed ‘textual basis’")
    assert [p.text for p in doc.of_kind("byline")] == ["John Molyneux"]
    assert [p.text for p in doc.of_kind("dateline")] == ["11 May 2007"]
    assert [c.author for c in doc.comments] == ["vahid", "Anonymous", "Anonymous"]
    assert "year 9 student in East Sussex" in doc.comments[1].text
    assert doc.comments[1].text.endswith("my e-mail is")
    assert doc.comments[2].text.endswith('Google for "Deep Conscious Capitalism"')
    assert doc.clutter == [] and doc.references == []


def test_essay_structure():
    doc = load_document("001")
    assert doc.title == "Why the October Revolution Failed?"
    assert len(doc.passages) == 8
    assert doc.passages[0].text.startswith("Unquestionably, the October Revolution failed")
    assert doc.passage("essay-04").text.startswith("One measure of the shattered solidarity")
    assert doc.passages[-1].text.startswith("According to author Mervyn Matthews")
    assert [h.text for h in doc.of_kind("heading")] == ["Works Cited"]
    refs = doc.references
    assert len(refs) == 5 and refs[0].text.startswith("1. Cole, Joshua") and refs[4].text.startswith("5. Lenin")
    texts = [c.text for c in doc.clutter]
    assert texts[0] == "Check out more papers on Communism Government Joseph Stalin"
    assert "Cite this page" in texts and "I'm Amy :)" in texts and texts[-1] == "Find Writer"
    assert len(texts) == 17
    assert doc.footnotes == [] and doc.comments == []


def test_siege_structure():
    doc = load_document("siege")
    assert doc.title == "Siege Socialism"  # the page prints none: the registry's title
    assert [p.text for p in doc.of_kind("note")] == ["This article is part of a series on classical Marxism."]
    assert len(doc.passages) == 9
    assert doc.passages[0].text.startswith("When Vladimir Lenin took power after a bloodless coup")
    assert [p.id for p in doc.passages if p.is_quotation] == ["siege-03", "siege-05", "siege-08"]
    assert [[m.symbol for m in p.markers] for p in doc.passages] == [[], ["1"], ["2"], [], ["3"], [], ["4"], ["5"], []]
    # the marker is glued to the word: "Parenti.1"
    m = doc.passage("siege-02").markers[0]
    assert doc.passage("siege-02").text[m.start - 8:m.end] == "Parenti.1"
    assert [f.symbol for f in doc.footnotes] == ["1", "2", "3", "4", "5"]
    assert doc.footnotes[0].text.startswith("Michael Parenti, Blackshirts and Reds")
    assert doc.footnotes[1].text == "Ibid, 85."
    assert not any("↩" in f.text for f in doc.footnotes)
    assert [h.text for h in doc.of_kind("heading")] == ["Further reading:"]
    assert [r.text for r in doc.references] == ["Karl Marx, The Civil War in France."]
    assert [a.text for a in doc.of_kind("artefact")] == ["———–"]
    # the repeated sentence with a changed place name is kept as the author published it
    first = doc.passages[0].text
    assert "was formed in Moscow and the response was swift. The world’s first working class government was formed in Russia" in first


def test_aunoble_structure():
    doc = load_document("aunoble")
    assert doc.title.startswith("Andy Willimott: Living the Revolution.")
    assert [strip_markup(p.text) for p in doc.of_kind("byline")] == ["Éric Aunoble", "University of Geneva", "Switzerland"]
    assert len(doc.passages) == 18
    # two paragraphs split by page breaks are joined back into one passage each
    p4 = doc.passage("aunoble-04")
    assert len(p4.spans) == 2 and "“beyond the party's centralized propaganda mechanisms" in p4.text
    p14 = doc.passage("aunoble-14")
    assert len(p14.spans) == 2 and "various Soviet leaders and intellectuals and to show" in p14.text
    assert doc.passages[-1].text.startswith("Andy Willimott is right in thinking")
    assert [(p.id, [m.symbol for m in p.markers]) for p in doc.passages if p.markers] == [
        ("aunoble-13", ["1"]), ("aunoble-17", ["2"])]
    assert [f.symbol for f in doc.footnotes] == ["1", "2"]
    assert doc.footnotes[0].text.startswith("For a similar process in a Kharkov institute")
    assert len(doc.of_kind("artefact")) == 2
    # the footnote printed inside the broken paragraph stays a footnote, after the paragraph
    kinds = [p.kind for p in doc.parts]
    i = kinds.index("footnote")
    assert doc.parts[i - 2].id == "aunoble-14" and doc.parts[i - 1].kind == "artefact"


def test_inline_markup_becomes_runs_not_html():
    assert inline_runs("the *kolkhozy* and **bold**") == [
        Run("the "), Run("kolkhozy", "em"), Run(" and "), Run("bold", "strong")]
    assert inline_runs("19<sup>th</sup> century") == [Run("19"), Run("th", "sup"), Run(" century")]
    assert inline_runs("status.<sup>1</sup>") == [Run("status."), Run("1", "marker")]
    assert inline_runs("a <script>alert(1)</script>") == [Run("a <script>alert(1)</script>")]
    # a lone star (Molyneux's footnote marker) is not emphasis
    assert inline_runs("old guard. *") == [Run("old guard. *")]


def test_find_passages_by_id_term_and_year():
    doc = load_document("molyneux")
    assert [p.id for p in doc.search("great man")] == ["molyneux-09"]
    assert [p.id for p in doc.search("KHRUSHCHEV")] == ["molyneux-07"]
    assert "molyneux-12" in [p.id for p in doc.mentioning_year(1920)]  # inside "1918-21"
    assert [p.id for p in doc.mentioning_year(1937)] == ["molyneux-02"]
    assert [p.id for p in load_document("aunoble").search("Eric")] == []  # the name is spelt Éric only in the byline
    assert "aunoble-12" in [p.id for p in load_document("aunoble").search("war scare")]
    with pytest.raises(KeyError, match="passages run molyneux-01 to molyneux-14"):
        doc.passage("molyneux-15")
    with pytest.raises(ValueError):
        doc.search("  ")


def test_years_mentioned():
    assert years_mentioned("the Civil War of 1918-21") == frozenset(range(1918, 1922))
    assert years_mentioned("in 1989-91, not in 1937") == frozenset({1937, 1989, 1990, 1991})
    assert years_mentioned("Socialism 1917–1932") == frozenset(range(1917, 1933))
    assert years_mentioned("the late 1920s") == frozenset(range(1920, 1930))
    assert years_mentioned("(Lenin 366) pp. 232-233, 20th century, ISBN 978-0-1987") == frozenset()


def test_bad_seeds_give_clear_errors(tmp_path):
    source = get_source("molyneux")
    fake = dataclasses.replace(source, seed_file=str(tmp_path / "nothing.txt"))
    with pytest.raises(TextError, match="missing: expected .*nothing.txt"):
        read_seed(fake)
    (tmp_path / "empty.txt").write_text("  \n\n")
    with pytest.raises(TextError, match="is empty"):
        read_seed(dataclasses.replace(source, seed_file=str(tmp_path / "empty.txt")))
    (tmp_path / "latin1.txt").write_bytes("Stalin’s".encode("cp1252"))
    with pytest.raises(TextError, match="not UTF-8"):
        read_seed(dataclasses.replace(source, seed_file=str(tmp_path / "latin1.txt")))


lines = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60),
    st.sampled_from(["---", "* a note", "<sup>1</sup> note", "Ibid. ↩︎", "Works Cited", "Cite this page",
                     "Ann said...", "11 May 2007", "John Molyneux", "ends mid", "sentence here.", "**Bold**"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(lines, st.sampled_from(["\n", "\n\n", "\r\n", "\n\n\n"])), min_size=1, max_size=25))
def test_any_text_keeps_every_character_once(chunks):
    raw = "".join(a + b for a, b in chunks)
    if not raw.strip():
        return
    covered_exactly_once(parse(raw, get_source("molyneux")))


# --- a parse that looks wrong fails loudly ---------------------------------------------------------------------------
@pytest.mark.parametrize("slug", [s.slug for s in all_sources()])
def test_every_text_parses_without_suspicious_parts(slug):
    assert problems(load_document(slug)) == []


def test_a_misread_text_is_flagged_with_its_lines():
    source = get_source("essay")
    raw = ("A first paragraph that ends here.\n\nThe second part\nAnd its paragraph, which ends.\n"
           "\nWorks Cited\n\n" + "".join(f"Author {i}. A Book. 2001.\n" for i in range(4)))
    found = problems(parse(raw, source))
    assert any(f.startswith("line 3: passage Essay ¶2 'The second part' reads as a title or subheading") for f in found)
    assert any(f.startswith("line 1: no title, byline, dateline or note before the first passage") for f in found)
    # A short first line without a full stop is the page's own title, a short line alone between paragraphs a
    # subheading, even when data/layouts.csv has no row for them.
    doc = parse("Some thoughts\n\nA first paragraph that ends here.\n\nThe second part\n\n" + "And its paragraph, "
                "which goes on for long enough to be a paragraph and ends.\n", source)
    assert [p.kind for p in doc.parts] == ["title", "passage", "subheading", "passage"] and problems(doc) == []
    swallowed = problems(parse("Why?\n\nReferences\n\nOne.\n\nTwo.\n\nThree.\n", source))
    assert any("3 references but only 0 passages" in f for f in swallowed)


def test_the_first_line_is_the_title_when_it_begins_with_the_registry_title():
    source = get_source("essay")
    doc = parse(f"{source.title.rstrip('?')}: an essay\n\nA paragraph that ends.\n", source)
    assert [p.kind for p in doc.parts] == ["title", "passage"] and problems(doc) == []
