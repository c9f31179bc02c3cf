"""The historians' panel: what named historians argue about why the revolution went wrong, in our own words.

Read from ``data/historians.csv`` (checked with the other data files by ``helpers.context``: every row cites the work,
by the citation policy). Each position is a paraphrase, never a quotation, placed against the collection's
continuum statement, so that a student can set the texts beside the historians' debate.
"""
from __future__ import annotations

from . import context
from .exercises.definitions import load_definitions
from .figures import source_html
from .html import el
from .view import View, wrap

_STANCE_WORDS = {"disagrees": "Disagrees: circumstances first", "partly": "Partly: both, and how they interacted",
                 "agrees": "Agrees: the leaders and their ideas"}


def historians_panel(continuum: str) -> View:
    """The panel as a View: historians grouped by their answer to the statement of the continuum exercise
    ``continuum`` (its prompt, from data/exercises/), each with the work cited.

    >>> v = historians_panel("start-continuum")
    >>> "Richard Pipes" in v.text and "Disagrees: circumstances first" in v.text
    True
    """
    definitions = load_definitions()
    if continuum not in definitions:
        raise KeyError(f"No exercise {continuum!r} in data/exercises/: the panel answers a continuum's statement")
    statement = definitions[continuum].prompt.removeprefix("Statement:").strip()
    table = context.load("historians")
    groups, lines = [], [f"Historians on the statement {statement}", "(Positions in our own words: read the works "
                         "for the whole argument.)"]
    for stance in context.STANCES:
        rows = table[table["on_the_statement"] == stance]
        if rows.empty:
            continue
        items = [el("li", el("strong", r["name"]), ": ", r["position"], source_html(r["citation"], "this position"))
                 for _, r in rows.iterrows()]
        groups.append(el("section", el("h3", _STANCE_WORDS[stance]), el("ul", *items),
                         aria_label=_STANCE_WORDS[stance]))
        lines.append(_STANCE_WORDS[stance])
        lines += [f"  {r['name']}: {r['position']} Source: {r['citation']}" for _, r in rows.iterrows()]
    intro = el("p", "How historians answer the statement ", el("em", statement),
               " Their positions are put in our own words: read the works for the whole argument.",
               class_="www-note")
    return View(wrap(intro, *groups, wide=True), "\n".join(lines))
