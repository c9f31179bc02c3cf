"""Exercises answered on a scale or in an order: the agree/disagree continuum (before and after), ranking causes,
and estimate-then-reveal."""
from __future__ import annotations

import math
from typing import Any

import ipywidgets as W

from ..html import Markup, el
from .base import ExerciseWidget, KeepsFirstAnswer, label, plain_html, wide
from .choice import _feedback

SCALE = ("strongly disagree", "disagree", "slightly disagree", "not sure", "slightly agree", "agree", "strongly agree")


class Continuum(ExerciseWidget):
    """Where do you stand on a statement, and why? Shown 'before' a reading and again 'after' it; both are kept."""
    write_lines = 2

    @property
    def phase(self) -> str:
        return self.ex.get("phase", "before")

    def build(self) -> list[W.Widget]:
        # labelled radio buttons rather than a slider: every point has a name a screen reader can say, and nothing
        # is chosen until the student chooses (a slider starts on "not sure" and cannot tell that from an answer)
        self.scale = W.RadioButtons(options=[(s, i) for i, s in enumerate(SCALE, 1)], value=None,
                                    description="Your position:", style={"description_width": "initial"})
        self.reason = wide(W.Textarea(placeholder="Because…"), "4em")
        # the options are a vertical list, so the scale's ends are named top and bottom, not left and right
        ends = el("div", f"From “{self.ex.get('left')}” at the top to “{self.ex.get('right')}” at the bottom:")
        from .base import html_widget

        self._show_before({})
        return [html_widget(ends), self.scale, label("Your reason"), self.reason]

    def value(self) -> dict[str, Any]:
        return self.merged(self.store.load(self.ex.id))

    def merged(self, current: Any) -> dict[str, Any]:
        """This phase's position and reason on top of what is stored (the other phase, saved by another notebook)."""
        value = dict(current) if isinstance(current, dict) else {}
        value[self.phase] = self.scale.value
        value["reason" if self.phase == "after" else "reason_before"] = self.reason.value
        return value

    def restore(self, value: Any) -> None:
        if not isinstance(value, dict):
            return
        if isinstance(value.get(self.phase), int) and 1 <= value[self.phase] <= len(SCALE):
            self.scale.value = value[self.phase]
        self.reason.value = str(value.get("reason" if self.phase == "after" else "reason_before", "") or "")
        self._show_before(value)

    def _show_before(self, value: Any) -> None:
        """After a text, remind the student where they stood before it: this exercise's own "before", or the one
        saved for ``before_from`` (the start notebook's statement, asked again in every lesson)."""
        if self.phase != "after":
            return
        earlier = self.store.load(self.ex.get("before_from")) if self.ex.get("before_from") else value
        before = earlier.get("before") if isinstance(earlier, dict) else None
        if isinstance(before, int) and 1 <= before <= len(SCALE):
            self.feedback.value = str(el("p", f"Before the texts, you chose: {SCALE[before - 1]}.", class_="www-note"))

    def fallback_lines(self) -> list[str]:
        return [f"Scale from “{self.ex.get('left')}” to “{self.ex.get('right')}”", "Give a reason."]

    def paper_answer(self) -> Markup:
        """On paper: the seven points of the scale, each with a box to tick, then lines for the reason."""
        boxes = el("ol", *[el("li", "☐ ", s) for s in SCALE], class_="www-paper www-paper-scale")
        return Markup(boxes) + el("div", class_="www-write", aria_hidden="true", style="height:5.4em")


class Ranking(ExerciseWidget):
    """Put the causes in order of importance with Up/Down buttons (no dragging needed)."""
    write_lines = 2

    def build(self) -> list[W.Widget]:
        self.order = list(self.ex.get("options"))
        self.items: list[tuple[W.Button, W.Button, W.HTML]] = []
        for i in range(len(self.order)):
            up = W.Button(description="Up", icon="arrow-up", layout=W.Layout(width="6em"))
            down = W.Button(description="Down", icon="arrow-down", layout=W.Layout(width="7em"))
            up.on_click(lambda _b, i=i: self.move(i, -1))
            down.on_click(lambda _b, i=i: self.move(i, +1))
            self.items.append((up, down, plain_html()))
        self.rows = W.VBox([W.HBox(list(row)) for row in self.items])
        self._draw()
        return [label("Most important at the top"), self.rows]

    def _draw(self) -> None:
        """Write the current order into the rows. The buttons themselves stay (so keyboard focus is never lost)."""
        for i, (item, (up, down, text)) in enumerate(zip(self.order, self.items)):
            up.disabled, down.disabled = i == 0, i == len(self.order) - 1
            up.tooltip, down.tooltip = f"Move “{item}” up", f"Move “{item}” down"
            text.value = str(el("span", f"{i + 1}. {item}", style="font-size:18px"))

    def move(self, index: int, step: int) -> None:
        """Swap an item with its neighbour, redraw, save the new order, and put the keyboard focus on the same
        button of the item's new row (or its other button at the top or bottom), so pressing Enter again moves the
        same cause further."""
        j = index + step
        if 0 <= j < len(self.order):
            self.order[index], self.order[j] = self.order[j], self.order[index]
            self._draw()
            self.save()
            up, down, _text = self.items[j]
            target = up if step < 0 else down
            (target if not target.disabled else (down if target is up else up)).focus()

    def watched(self) -> list[W.Widget]:
        return []

    def value(self) -> list[str]:
        return list(self.order)

    def restore(self, value: Any) -> None:
        if isinstance(value, list) and sorted(value) == sorted(self.ex.get("options")):
            self.order = list(value)
            self._draw()

    def fallback_lines(self) -> list[str]:
        return [f"{o}" for o in self.ex.get("options")]


class Estimate(KeepsFirstAnswer, ExerciseWidget):
    """Guess a figure before seeing it; then the text's number and the sources' value appear, with the chart."""
    write_lines = 1

    def figure(self) -> dict[str, Any]:
        from ..context import load

        figs = load("cited_figures").set_index("figure_id")
        if self.ex.get("figure_id") not in figs.index:
            raise KeyError(f"No figure {self.ex.get('figure_id')!r} in data/cited_figures.csv")
        return figs.loc[self.ex.get("figure_id")].to_dict()

    def build(self) -> list[W.Widget]:
        self.guess = W.Text(placeholder="a number, e.g. 25 or 1,000,000",
                            description=f"Your estimate ({self.ex.get('unit')}):",
                            style={"description_width": "initial"}, layout=W.Layout(width="34em"))
        self.reveal = W.Button(description="Reveal", button_style="primary", icon="eye")
        self.reveal.on_click(lambda _b: self._reveal())
        return [self.guess, self.reveal]

    def watched(self) -> list[W.Widget]:
        return [self.guess]

    def number(self) -> float | None:
        """The typed estimate as a number (spaces, commas and a trailing % allowed), or None."""
        text = self.guess.value.strip().replace(",", "").replace(" ", "").rstrip("%")
        try:
            x = float(text)
        except ValueError:
            return None
        return x if math.isfinite(x) else None

    def answer(self) -> dict[str, Any]:
        return {"estimate": self.number(), "typed": self.guess.value}

    def restore(self, value: Any) -> None:
        self.restore_first(value)
        if isinstance(value, dict):
            estimate = value.get("estimate")
            self.guess.value = str(value.get("typed") or ("" if estimate is None else estimate))

    def _reveal(self) -> None:
        if self.number() is None:
            self.feedback.value = _feedback(None, "Type your estimate first, as a number.")
            return
        self.keep_first()
        f = self.figure()
        body = Markup(el("p", el("strong", "The text says: "), f"{_num(f['value'])} {f['unit']} — “{f['quote']}”"))
        if not _missing(f.get("compare_value")) or not _missing(f.get("compare_low")):
            rng = (f" (range {_num(f['compare_low'])}–{_num(f['compare_high'])})"
                   if not _missing(f.get("compare_low")) else "")
            value = _num(f["compare_value"]) if not _missing(f.get("compare_value")) else "no single value"
            body += el("p", el("strong", "The sources say: "), f"{value}{rng}. ", str(f.get("note") or ""))
            body += el("p", el("strong", "Source: "), str(f.get("compare_citation") or ""), class_="www-note")
        body += _chart(self.ex.get("figure_id"))
        guess = self.number()
        said = [f"{how_close(guess, f['value'])} the text's figure"]
        if not _missing(f.get("compare_value")):
            said.append(f"{how_close(guess, f['compare_value'])} the sources' value")
        first = ""
        if self.revised():
            was = self.first.get("estimate")
            first = f" Your first estimate, before the reveal, was {'none' if was is None else _num(was)}: it is kept."
        self.feedback.value = str(el("div", el("p", f"You guessed {_num(guess)}: {' and '.join(said)}.{first}"), body))

    def fallback_lines(self) -> list[str]:
        return [f"Estimate, in {self.ex.get('unit')}, before you reveal the answer."]


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) in ("<NA>", "nan", "")


def how_close(guess: float, target: Any) -> str:
    """How a guess compares with a figure, in words a student reads at a glance.

    >>> how_close(1_500_000, 350_000), how_close(1_500_000, 21), how_close(20, 100), how_close(5, 0)
    ('about 4.3 times', 'about 71,429 times', 'about a fifth of', 'not the same as')
    """
    try:
        t = float(target)
    except (TypeError, ValueError):
        return "to compare with"
    if t == 0 or not math.isfinite(t):
        return "not the same as" if guess != t else "the same as"
    ratio = guess / t
    if 0.9 <= ratio <= 1.1:
        return "within 10 % of"
    if ratio > 1:
        return f"about {ratio:.1f} times" if ratio < 10 else f"about {ratio:,.0f} times"
    parts = {2: "a half", 3: "a third", 4: "a quarter", 5: "a fifth", 10: "a tenth"}
    share = round(1 / ratio) if ratio > 0 else 0
    return f"about {parts[share]} of" if share in parts else f"{ratio:.0%} of"


def _num(v: Any) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{x:,.0f}" if x == int(x) else f"{x:,.1f}"


def _chart(figure_id: str) -> Markup:
    """The 'text says vs sources say' chart, when the charts module can draw one for this figure."""
    try:
        from ..charts import cited_figure_chart
    except ImportError:
        return Markup("")
    try:
        return Markup(cited_figure_chart(figure_id).html)
    except (KeyError, ValueError):
        return Markup("")
