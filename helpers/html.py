"""The one place where HTML is built. Text is escaped by default; only ``Markup`` passes through unescaped.

Every view composes ``Markup`` with :func:`el`, so text from a source or typed by a student can never become live
HTML or script.
"""
from __future__ import annotations

import html
from typing import Iterable, Union

from .texts import Run


class Markup(str):
    """A string already known to be safe HTML (built by this module)."""

    def __add__(self, other: object) -> "Markup":
        return Markup(str(self) + str(to_markup(other)))


Content = Union[str, "Markup", Iterable[Union[str, "Markup"]], None]


def esc(text: object) -> Markup:
    """Escape text for HTML: &, <, >, and both quote characters."""
    return Markup(html.escape(str(text), quote=True))


def to_markup(content: object) -> Markup:
    """Markup stays as it is, None is empty, a list is joined, anything else is escaped."""
    if content is None:
        return Markup("")
    if isinstance(content, Markup):
        return content
    if isinstance(content, (list, tuple)):
        return Markup("".join(to_markup(c) for c in content))
    return esc(content)


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


def el(tag: str, *children: object, **attrs: object) -> Markup:
    """``<tag attrs>children</tag>``; attribute values and text children are escaped, except ``Markup`` (already safe:
    as a child it passes through; as an attribute value it must not hold a double quote, which would end it).

    Python-unfriendly attribute names are written with an underscore: ``class_``, ``aria_label`` → ``aria-label``.
    An attribute set to True is written bare (``open``); None or False leaves it out.
    """
    parts = [tag]
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{_attribute_value(name, value)}"')
    if tag in VOID:
        if any(c not in (None, "") for c in children):
            raise ValueError(f"<{tag}> is a void element and takes no children")
        return Markup(f"<{' '.join(parts)}>")
    return Markup(f"<{' '.join(parts)}>{to_markup(list(children))}</{tag}>")


def _attribute_value(name: str, value: object) -> str:
    if not isinstance(value, Markup):
        return esc(value)
    if '"' in value:
        raise ValueError(f"attribute {name!r}: a Markup value may not contain a double quote")
    return value


_RUN_TAGS = {"strong": "strong", "em": "em", "sup": "sup"}


def runs_html(runs: Iterable[Run]) -> Markup:
    """Inline runs as HTML: emphasis kept, footnote markers as labelled superscripts, URLs as escaped text."""
    out = []
    for run in runs:
        if run.style in _RUN_TAGS:
            out.append(el(_RUN_TAGS[run.style], run.text))
        elif run.style == "marker":
            out.append(el("sup", run.text, class_="www-marker", title=f"footnote {run.text}"))
        elif run.style == "link":
            out.append(el("span", run.text, class_="www-url"))
        else:
            out.append(esc(run.text))
    return Markup("".join(out))


def csp_meta() -> Markup:
    """A Content-Security-Policy for every page the collection writes: no script runs, nothing loads from outside
    (styles inline, images as data: URIs only), even if someone adds a script to a copy of the file.

    >>> 'script-src' in csp_meta() and 'Content-Security-Policy' in csp_meta()
    True
    """
    return el("meta", http_equiv="Content-Security-Policy",
              content="default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                      "form-action 'none'; base-uri 'none'")
