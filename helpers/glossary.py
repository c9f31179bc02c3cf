"""Glossary terms marked in a passage, with their definitions on hover, on focus (Tab, tap or click), and in a list
beside.

The terms come from ``data/glossary.csv`` (term, aliases separated by ``|``, definition, citation …). In a passage
the first occurrence of each term is marked; the definitions are also listed beside the passage as "Words in this
passage" (folded to one line naming the words; a tap opens it; handouts print it open), so they can be read in every
static view, on a touch screen and on paper. A term is defined under the first passage of a text that uses it;
later passages mark the word again, described by that definition (:func:`first_uses`).

How a term is found (:func:`terms_in`): the term and each alias as whole words, case ignored, a space or hyphen in a
term matching a space or hyphen, a straight apostrophe matching a curly one; where matches overlap, the longest wins
("Paris Commune" before "commune").

How a mark is built (:func:`passage_body_html`): marks go only into text runs (plain, *em* and **strong** — Russian
words such as *byt* are set in italics), never into footnote markers, superscripts or links. Each mark is::

    <span class="www-term" tabindex="0" title="…" aria-describedby="ID">term</span>

- ``tabindex="0"`` puts it in the keyboard's Tab order and lets a tap or click focus it; on focus the style sheet
  shows the definition (``attr(title)``) in a box under the word's line (the focus ring only for the keyboard);
- ``title`` gives the mouse a native tooltip, also where a viewer strips style sheets (the definition is written
  once per mark: a lesson marks some sixty words);
- ``aria-describedby`` points at the definition in the "Words in this passage" list, so a screen reader reads the
  definition with the word. The list is part of the same HTML, so the reference always resolves.
All HTML is built with :func:`helpers.html.el`, so a definition can never inject markup.

Nothing here imports views at load time (views may import this module to render passage bodies);
:func:`glossary_view` imports ``View`` when called.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

import pandas as pd

from .context import load
from .html import Markup, el, esc, runs_html
from .sources import DATA_DIR, all_sources
from .texts import Part, Run, first_word, fold, inline_runs, load_document, word_pattern
from .view import View, wrap

MARKABLE_STYLES = ("plain", "em", "strong")
_STYLE_TAGS = {"em": "em", "strong": "strong"}


@dataclass(frozen=True)
class Term:
    """One glossary entry: the term, other ways of writing it, what it means and where that comes from."""

    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    citation: str = ""
    event_id: str = ""

    @cached_property  # asked for every term of every passage: worked out once per term
    def forms(self) -> tuple[str, ...]:
        """The term and its aliases, each once (case ignored), in the glossary's order."""
        seen: dict[str, str] = {}
        for form in (self.term, *self.aliases):
            form = form.strip()
            if form and form.casefold() not in seen:
                seen[form.casefold()] = form
        return tuple(seen.values())

    @property
    def slug(self) -> str:
        """The term as an id fragment: "Paris Commune" → "paris-commune"."""
        return re.sub(r"[^a-z0-9]+", "-", fold(self.term)).strip("-") or "term"


class TermMatch(NamedTuple):
    """Where a term occurs: character offsets into the text, and the glossary term (as written in the glossary)."""

    start: int
    end: int
    term: str


@lru_cache(maxsize=1024)
def _term_regex(forms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(word_pattern(f) for f in forms), re.IGNORECASE)


def _split(cell: object) -> tuple[str, ...]:
    if cell is None or (isinstance(cell, float) and cell != cell) or cell is pd.NA:
        return ()
    return tuple(p.strip() for p in str(cell).split("|") if p.strip())


def _cell(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def terms_from_frame(df: pd.DataFrame) -> tuple[Term, ...]:
    """Terms from a glossary table with the columns of ``data/glossary.csv``."""
    return tuple(
        Term(term=_cell(r["term"]).strip(), definition=_cell(r["definition"]).strip(), aliases=_split(r.get("aliases")),
             citation=_cell(r.get("citation")).strip(), event_id=_cell(r.get("event_id")).strip())
        for r in df.to_dict("records") if _cell(r["term"]).strip()
    )


@lru_cache(maxsize=8)
def load_terms(data_dir: Path = DATA_DIR) -> tuple[Term, ...]:
    """The glossary's terms, in file order (``data/glossary.csv``; a missing file is a clear ``DataError``).
    Kept for the kernel, like the table it is read from: every passage of a lesson marks the same terms."""
    return terms_from_frame(load("glossary", data_dir))


def _resolve(terms: Sequence[Term] | None) -> tuple[Term, ...]:
    return load_terms() if terms is None else tuple(terms)


def _matches(text: str, terms: Sequence[Term]) -> list[tuple[int, int, Term]]:
    """Non-overlapping term occurrences: every candidate of every form, then longest first, then leftmost."""
    candidates = []
    lowered = text.lower()
    for t in terms:
        if not t.forms:
            continue
        for form in t.forms:  # each form separately, so a shorter form inside a longer one is still a candidate
            if first_word(form) not in lowered:  # most terms are absent from most passages
                continue
            for m in _term_regex((form,)).finditer(text):
                candidates.append((m.start(), m.end(), t))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, Term]] = []
    for s, e, t in candidates:
        if all(e <= ts or s >= te for ts, te, _ in taken):
            taken.append((s, e, t))
    return sorted(taken, key=lambda c: c[0])


def terms_in(text: str, terms: Sequence[Term] | None = None) -> list[TermMatch]:
    """Every glossary term in ``text``: (start, end, term), non-overlapping, longest match first, in text order."""
    return [TermMatch(s, e, t.term) for s, e, t in _matches(text, _resolve(terms))]


# --------------------------------------------------------------------------------------------------------------
# Marking a passage
# --------------------------------------------------------------------------------------------------------------

@dataclass
class _Found:
    term: Term
    as_written: str
    def_id: str
    defined_here: bool = True  # False: defined under an earlier passage of the same text, described from there


def _def_id(prefix: str, term: Term) -> str:
    return f"www-gl-{prefix}-{term.slug}" if prefix else f"www-gl-{term.slug}"


def _term_span(text: str, found: _Found) -> Markup:
    """A marked word: its definition shows on hover and on focus by Tab, tap or click (``title``, which the style
    sheet draws as a box on focus) and is read out as its description (``aria-describedby``: the entry in the
    passage's list or, for a word the lesson defined under an earlier passage, in that one's). No in-page link:
    JupyterLab strips the ids of a notebook that is not yet trusted, and a jump into a folded list showed nothing
    even when trusted."""
    klass = "www-term" if found.defined_here else "www-term www-term-seen"
    return el("span", text, class_=klass, tabindex="0", title=found.term.definition, aria_describedby=found.def_id)


def _mark_text(text: str, terms: Sequence[Term], found: dict[str, _Found], prefix: str,
               first_use: Mapping[str, str]) -> Markup:
    """Escaped text with the first occurrence (per ``found``) of each term wrapped in a term span."""
    out, pos = [], 0
    for s, e, t in _matches(text, terms):
        if t.term in found:
            continue  # only the first occurrence in a passage is marked
        home = first_use.get(t.term, prefix)
        found[t.term] = _Found(t, text[s:e], _def_id(home, t), defined_here=home == prefix)
        out.append(esc(text[pos:s]))
        out.append(_term_span(text[s:e], found[t.term]))
        pos = e
    out.append(esc(text[pos:]))
    return Markup("".join(out))


def _marked_runs(runs: Sequence[Run], terms: Sequence[Term], prefix: str,
                 first_use: Mapping[str, str] | None = None) -> tuple[Markup, dict[str, _Found]]:
    found: dict[str, _Found] = {}
    out = []
    for run in runs:
        if run.style in MARKABLE_STYLES:
            inner = _mark_text(run.text, terms, found, prefix, first_use or {})
            out.append(el(_STYLE_TAGS[run.style], inner) if run.style in _STYLE_TAGS else inner)
        else:
            out.append(runs_html([run]))  # footnote markers, ordinals, links: never marked
    return Markup("".join(out)), found


def _aside(found: dict[str, _Found], where: str) -> Markup:
    """The "Words in this passage" list, folded to one line that names the words (a click, Enter or a tap opens
    their definitions; the marks in the text show each on hover and focus), so a passage with many new words stays
    short on a screen. Each term, how the passage writes it, its definition, and where it can be checked."""
    items, sources, names = [], [], []
    for f in (f for f in found.values() if f.defined_here):
        names.append(f.term.term)
        dt = [f.term.term]
        if fold(f.as_written) != fold(f.term.term):
            dt.append(el("span", f" (here: {f.as_written})", class_="www-term-form"))
        items.append(el("dt", *dt))
        items.append(el("dd", f.term.definition, id=f.def_id))
        if f.term.citation:
            sources.append(el("li", el("strong", f.term.term), ": ", f.term.citation))
    checked = el("details", el("summary", "Where to check these definitions"), el("ul", *sources),
                 class_="www-note") if sources else ""
    # The summary names the passage: on a narrow screen the fold sits under the Discuss box, just above the next
    # passage, and "this passage" would read as that one.
    summary = el("summary", el("span", f"Words in {where}: ", class_="www-glossary-title"), ", ".join(names))
    folded = el("details", summary, el("dl", *items), checked, class_="www-print-open")
    return el("aside", folded, class_="www-glossary", aria_label=f"Words in {where}")


def first_uses(parts: Sequence[Part], terms: Sequence[Term] | None = None) -> dict[str, str]:
    """For each glossary term, the id of the first passage (in text order) that uses it: the one place a lesson
    defines it. Later passages mark the word (its definition on hover and focus), so a definition is listed once,
    not after every paragraph. Depends only on the text, so re-running any one cell gives the same page.

    >>> parts = [Part("passage", "The soviet met.", ((0, 15),), id="t-01"),
    ...          Part("passage", "Another soviet.", ((15, 30),), id="t-02")]
    >>> first_uses(parts, [Term("soviet", "A council.")])
    {'soviet': 't-01'}
    """
    ts, out = _resolve(terms), {}
    for p in parts:
        for m in terms_in(p.text, ts):
            out.setdefault(m.term, p.id)
    return out


def passage_body_html(part: Part, terms: Sequence[Term] | None = None,
                      first_use: Mapping[str, str] | None = None) -> Markup:
    """A passage's text as HTML with glossary terms marked (its "Words in this passage" list: :func:`words_html`).

    It replaces ``el("div", runs_html(inline_runs(p.text, p.markers)), class_="www-body")`` and keeps emphasis and
    footnote markers exactly as :func:`helpers.html.runs_html` draws them. Ids are prefixed with the passage id, so
    several passages can share a page. The style for the marks is in :data:`helpers.theme.CSS`. With ``first_use``
    (see :func:`first_uses`) a term first used in an earlier passage is marked too, described by its definition there.

    >>> t, later = [Term("soviet", "A council.")], Part("passage", "A soviet.", ((0, 9),), id="t-02")
    >>> str(passage_body_html(later, t, {"soviet": "t-01"}))
    '<div class="www-body">A <span class="www-term www-term-seen" tabindex="0" title="A council." \
aria-describedby="www-gl-t-01-soviet">soviet</span>.</div>'
    """
    body, _ = _marked_runs(inline_runs(part.text, part.markers), _resolve(terms), part.id, first_use)
    return el("div", body, class_="www-body")


def words_html(part: Part, terms: Sequence[Term] | None = None, first_use: Mapping[str, str] | None = None) -> Markup:
    """The "Words in this passage" list for the terms this passage defines (none already defined earlier, with
    ``first_use``); empty when there are none. The marks in :func:`passage_body_html` point at its ids.

    >>> t, p = [Term("soviet", "A council.")], Part("passage", "A soviet.", ((0, 9),), id="t-02")
    >>> "Words in this passage: " in words_html(p, t), words_html(p, t, {"soviet": "t-01"})
    (True, '')
    """
    _, found = _marked_runs(inline_runs(part.text, part.markers), _resolve(terms), part.id, first_use)
    return _aside(found, part.label or "this passage") if any(f.defined_here for f in found.values()) else Markup("")


def passage_terms(part: Part, terms: Sequence[Term] | None = None,
                  first_use: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The glossary terms a passage defines, in order of first appearance: term, as_written, definition, citation
    (with ``first_use``, only those not defined under an earlier passage)."""
    _, found = _marked_runs(inline_runs(part.text, part.markers), _resolve(terms), part.id, first_use)
    return pd.DataFrame([{"term": f.term.term, "as_written": f.as_written, "definition": f.term.definition,
                          "citation": f.term.citation, "event_id": f.term.event_id}
                         for f in found.values() if f.defined_here],
                        columns=["term", "as_written", "definition", "citation", "event_id"])


def passage_terms_text(part: Part, terms: Sequence[Term] | None = None,
                       first_use: Mapping[str, str] | None = None) -> str:
    """The same list as plain text, for a view's plain-text twin (empty when the passage defines no term)."""
    df = passage_terms(part, terms, first_use)
    if df.empty:
        return ""
    return "Words in this passage:\n" + "\n".join(f"  - {r.term}: {r.definition}" for r in df.itertuples())


# --------------------------------------------------------------------------------------------------------------
# The glossary as a view
# --------------------------------------------------------------------------------------------------------------

def _all_passages() -> list[Part]:
    return [p for s in all_sources() for p in load_document(s.slug).passages]


def where_used(terms: Sequence[Term] | None = None) -> dict[str, list[str]]:
    """For each term, the passages whose text uses it (found by the same matching as the marks)."""
    terms = _resolve(terms)
    used: dict[str, list[str]] = {t.term: [] for t in terms}
    for p in _all_passages():
        _, found = _marked_runs(inline_runs(p.text, p.markers), terms, p.id)
        for name in found:
            used[name].append(p.id)
    return used


def glossary_view(passage_id: str | None = None, terms: Sequence[Term] | None = None) -> View:
    """The glossary as a View: every term (with the passages that use it), or only the terms of one passage."""
    terms = _resolve(terms)
    if passage_id is None:
        used = where_used(terms)
        chosen = [(t, used[t.term]) for t in terms]
        heading = f"Glossary: {len(terms)} words a reader may not know"
    else:
        slug = passage_id.rsplit("-", 1)[0]
        part = load_document(slug).passage(passage_id)
        _, found = _marked_runs(inline_runs(part.text, part.markers), terms, part.id)
        chosen = [(f.term, [passage_id]) for f in found.values()]
        heading = f"Words in {part.label}" if chosen else f"{part.label} uses no glossary word."
    rows, lines = [], []
    for t, where in chosen:
        also = [a for a in t.forms if a.casefold() != t.term.casefold()]
        dd = [el("div", t.definition)]
        if also:
            dd.append(el("div", "Also written: " + ", ".join(also), class_="www-meta"))
        if passage_id is None:
            dd.append(el("div", "In: " + (", ".join(where) if where else "none of the texts"), class_="www-meta"))
        if t.citation:
            dd.append(el("div", "Source: " + t.citation, class_="www-meta"))
        rows += [el("dt", t.term, id=f"www-gloss-{t.slug}"), el("dd", *dd)]
        line = f"{t.term}: {t.definition}"
        if also:
            line += f" (also written: {', '.join(also)})"
        if passage_id is None:
            line += f" [in: {', '.join(where) if where else 'none of the texts'}]"
        if t.citation:
            line += f" Source: {t.citation}"
        lines.append(line)
    listing = el("dl", *rows, class_="www-glossary-list")
    if passage_id is None:  # the whole glossary is long: folded, so a lesson does not scroll past it
        listing = el("details", el("summary", f"Show all {len(chosen)} words"), listing)
    html = wrap(el("section", el("h3", heading), listing, aria_label=heading))
    return View(html, "\n".join([heading, *lines]))

