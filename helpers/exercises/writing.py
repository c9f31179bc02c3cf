"""Exercises answered in words: free text (with a word count), OPVL tables, and comparing two interpretations."""
from __future__ import annotations

import re
from typing import Any

import ipywidgets as W

from ..html import Markup, el
from ..sources import get_source
from .base import ExerciseWidget, label, plain_html, wide


def word_count(text: str) -> int:
    """Words as a teacher counts them: runs of letters or digits, apostrophes and hyphens inside words allowed."""
    return len(re.findall(r"\w+(?:['’-]\w+)*", text or ""))


class FreeText(ExerciseWidget):
    """A written answer with a live word count (and the lesson's word range, if it sets one)."""
    write_lines = 6

    def build(self) -> list[W.Widget]:
        self.text = wide(W.Textarea(placeholder="Type your answer here…"), "8em")
        self.count = plain_html()
        self.text.observe(self._count, names="value")
        self._count()
        return [self.text, self.count]

    def _count(self, _change: dict | None = None) -> None:
        n = word_count(self.text.value)
        lo, hi = self.ex.get("min_words"), self.ex.get("max_words")
        goal = f" (aim for {lo}–{hi})" if lo and hi else (f" (at least {lo})" if lo else "")
        self.count.value = str(el("span", f"{n} word{'s' if n != 1 else ''}{goal}", aria_live="polite"))

    def watched(self) -> list[W.Widget]:
        return [self.text]

    def value(self) -> str:
        return self.text.value

    def restore(self, value: Any) -> None:
        self.text.value = str(value)

    def fallback_lines(self) -> list[str]:
        return ["Answer in a few sentences."]


class _Fields(ExerciseWidget):
    """Several labelled text boxes saved together as one answer (a dict: field → text)."""

    FIELDS: tuple[tuple[str, str], ...] = ()

    def fields(self) -> tuple[tuple[str, str], ...]:
        return self.FIELDS

    def build(self) -> list[W.Widget]:
        self.boxes = {key: wide(W.Textarea(placeholder=hint), "5em") for key, hint in self.fields()}
        out: list[W.Widget] = []
        for key, _hint in self.fields():
            out += [label(key.replace("_", " ").capitalize()), self.boxes[key]]
        return out

    def watched(self) -> list[W.Widget]:
        return list(self.boxes.values())

    def value(self) -> dict[str, str]:
        return {k: b.value for k, b in self.boxes.items()}

    def restore(self, value: Any) -> None:
        for k, b in self.boxes.items():
            if isinstance(value, dict) and k in value:
                b.value = str(value[k])

    def fallback_lines(self) -> list[str]:
        return [f"{k.replace('_', ' ').capitalize()}: {hint}" for k, hint in self.fields()]

    def paper_answer(self) -> Markup:
        """On paper: one labelled box per part (Origin, Purpose…), each with its own lines to write on."""
        lines = max(2, self.write_lines // max(len(self.fields()), 1))
        boxes = [el("div", el("strong", k.replace("_", " ").capitalize()),
                    el("div", class_="www-write", aria_hidden="true", style=f"height:{1.8 * lines:g}em"),
                    class_="www-paper-box") for k, _hint in self.fields()]
        return el("div", *boxes, class_="www-paper www-paper-boxes")


class OPVL(_Fields):
    """Origin, purpose, value, limitation: the four questions of sourcing, for one source."""
    write_lines = 8

    FIELDS = (
        ("origin", "Who made it, when, where, in what genre?"),
        ("purpose", "Why was it made, and for whom?"),
        ("value", "What can a historian learn from it?"),
        ("limitation", "What can it not tell us, and why?"),
    )

    def header(self):
        source = get_source(self.ex.get("source"))
        return super().header() + el("p", f"Source: {source.label} — {source.title}", class_="www-note")


class Compare(_Fields):
    """Two interpretations side by side: how they differ, why, and which is more convincing."""
    write_lines = 8

    FIELDS = (
        ("how_they_differ", "What does each say caused the failure?"),
        ("why_they_differ", "Authors, purposes, evidence, time of writing…"),
        ("more_convincing", "Which is more convincing, and why? Use evidence."),
    )

    def build(self) -> list[W.Widget]:
        labels = [get_source(s).label for s in self.ex.get("sources")]
        self.choice = W.Dropdown(options=[("— choose —", "")] + [(l, l) for l in labels], value="",
                                 description="More convincing:", style={"description_width": "initial"})
        return super().build() + [self.choice]

    def watched(self) -> list[W.Widget]:
        return super().watched() + [self.choice]

    def value(self) -> dict[str, str]:
        return {**super().value(), "choice": self.choice.value}

    def restore(self, value: Any) -> None:
        super().restore(value)
        if isinstance(value, dict) and value.get("choice") in [o[1] for o in self.choice.options]:
            self.choice.value = value["choice"]
