"""The View: what every module shows — escaped HTML for JupyterLab and a plain-text twin for everything else.

Kept apart from the modules that build views (texts, glossary, figures, timeline, charts, …) so that they can all use
it without importing each other.
"""
from __future__ import annotations

from dataclasses import dataclass

from .html import Markup, el
from .theme import style_tag


@dataclass(frozen=True)
class View:
    """Something to show: HTML (already escaped) and the same content as plain text.

    >>> v = View(wrap(el("p", "<b>")), "<b>")
    >>> v._repr_mimebundle_()["text/plain"], "&lt;b&gt;" in str(v.html)
    ('<b>', True)
    """

    html: Markup
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": str(self.html), "text/plain": self.text}

    def __str__(self) -> str:
        return self.text


def wrap(*children: Markup, lang: str = "en", wide: bool = False) -> Markup:
    """Children in the collection's frame: the style sheet and the ``www`` class its rules are scoped to.

    >>> str(wrap(el("p", "x"))).startswith('<div class="www" lang="en"><style>')
    True
    """
    classes = "www www-wide" if wide else "www"
    return el("div", style_tag(f'class="{classes}"', *children), *children, class_=classes, lang=lang)
