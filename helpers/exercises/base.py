"""The shared base of every exercise widget: header, autosave, restore, status line, teacher notes, static fallback.

A concrete exercise family says only which controls it has (``build``), how to read them (``value``) and how to
put a saved answer back (``restore``). Everything else — saving on every change, showing when it was saved or why it
could not be, showing model answers in teacher mode, and a readable fallback for static views — happens here.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Protocol

import ipywidgets as W
from ipywidgets.widgets.widget_string import HTMLStyle  # HTML's style model (not exported at the top)

from ..html import Markup, el, esc
from ..theme import style_tag
from ..answers import StaleAnswers
from .definitions import Exercise


class Store(Protocol):
    """What an exercise needs of the answer store."""

    def save(self, exercise_id: str, value: Any, notebook: str) -> Any: ...

    def update(self, exercise_id: str, change: Callable[[Any], Any], notebook: str,
               generation: str | None = None) -> Any: ...

    def generation(self) -> str: ...

    def load(self, exercise_id: str) -> Any: ...


_SHARED: dict[type, W.Widget] = {}


def _shared(kind: type) -> W.Widget:
    """The one instance of a Layout or Style that every plain HTML widget uses (made again if it was closed)."""
    made = _SHARED.get(kind)
    if made is None or made.comm is None:
        made = _SHARED[kind] = kind()
    return made


def plain_html(value: str = "") -> W.HTML:
    """An HTML widget for escaped markup whose layout and style are never changed (headers, labels, status and
    feedback lines): it shares one Layout and one HTMLStyle with every other such widget. Each widget otherwise
    opens three models (itself, its layout, its style), each a message to the browser and a view to build there;
    a lesson has some fifty of these lines, a third of all its models.

    >>> a, b = plain_html("<b>one</b>"), plain_html()
    >>> a.layout is b.layout and a.style is b.style and a.value == "<b>one</b>"
    True
    """
    return W.HTML(value=value, layout=_shared(W.Layout), style=_shared(HTMLStyle))


def html_widget(markup: Markup) -> W.HTML:
    """An HTML widget from already-escaped markup, wrapped in the collection's style."""
    return plain_html(str(el("div", style_tag(), markup, class_="www")))


def label(text: str) -> W.HTML:
    """A visible label above a control (plain text, escaped)."""
    return plain_html(str(el("div", text, class_="www-label", style="font-weight:700;margin-top:.4em")))


def wide(widget: W.Widget, height: str | None = None) -> W.Widget:
    """Stretch a control to the column width (text areas are otherwise tiny on a projector)."""
    widget.layout = W.Layout(width="100%", max_width="48em", height=height)
    return widget


# What a static view, and a lesson reopened in JupyterLab before its next run, shows under each exercise: true in
# both (a reopened lesson is in JupyterLab already; a static copy says where to go). Never printed.
RUN_TO_ANSWER = ("(This exercise and your saved answer come back when the notebook runs: in JupyterLab, Run → Run All "
                 "Cells.)")


class ExerciseWidget:
    """One exercise on screen, bound to the answer store under its id."""

    write_lines = 3  # ruled lines under the exercise on a printed handout: room for the answer this kind asks for

    def __init__(self, ex: Exercise, store: Store, teacher: bool = False) -> None:
        self.ex = ex
        self.store = store
        self.teacher = teacher
        self.status = plain_html()
        self.feedback = plain_html()
        self.controls: list[W.Widget] = self.build()
        self._restoring = True
        self.generation = store.generation()  # whose turn it is on this computer: saves are for this turn only
        self.locked = False
        try:
            saved = store.load(ex.id)
            if saved is not None:
                self.restore(saved)
                self._show_status("Your saved answer is back.")
        finally:
            self._restoring = False
        for w in self.watched():
            w.observe(self._changed, names="value")

    # -- what a family provides ---------------------------------------------------------------------------
    def build(self) -> list[W.Widget]:
        raise NotImplementedError

    def watched(self) -> list[W.Widget]:
        """The controls whose changes are saved (by default every control with a value)."""
        return [w for w in self._walk(self.controls) if hasattr(w, "value") and not isinstance(w, W.HTML)]

    def value(self) -> Any:
        raise NotImplementedError

    def merged(self, current: Any) -> Any:
        """The value to save, given the one stored now (read under the store's lock). Most exercises own their whole
        answer and ignore it; a continuum keeps the phase another notebook saved."""
        return self.value()

    def restore(self, value: Any) -> None:
        raise NotImplementedError

    # -- shared behaviour ---------------------------------------------------------------------------------
    def _walk(self, widgets: list[W.Widget]) -> list[W.Widget]:
        out = []
        for w in widgets:
            out.append(w)
            if isinstance(w, W.Box):
                out += self._walk(list(w.children))
        return out

    def _changed(self, _change: dict | None = None) -> None:
        if not self._restoring:
            self.save()

    def save(self) -> None:
        """Save the current answer now; any refusal (too long, disk full) is shown, never swallowed. A new student
        has started on this computer since the answer was shown: nothing is saved and the exercise is locked."""
        if self.locked:
            return
        try:
            self.store.update(self.ex.id, self.merged, self.ex.lesson, generation=self.generation)
        except StaleAnswers as e:
            self.lock(str(e))
            return
        except (ValueError, OSError) as e:
            self._show_status(f"Not saved: {e}", problem=True)
            return
        self._show_status(f"Saved {_dt.datetime.now().strftime('%H:%M:%S')}")

    def lock(self, notice: str) -> None:
        """Clear and lock every control (the answers on screen belong to the previous student on this computer),
        with a notice saying what to do. Nothing is saved from a locked exercise."""
        self.locked = True
        self._restoring = True  # clearing the controls is not an answer
        try:
            for w in self._walk(self.controls):
                if isinstance(w, (W.Text, W.Textarea)):
                    w.value = ""
                elif isinstance(w, (W.RadioButtons, W.Dropdown)):
                    w.value = None
                elif isinstance(w, W.Checkbox):
                    w.value = False
                if hasattr(w, "disabled"):
                    w.disabled = True
        finally:
            self._restoring = False
        self.feedback.value = ""
        self._show_status(notice, problem=True)

    def _show_status(self, message: str, problem: bool = False) -> None:
        colour = "#A33A00" if problem else "#006B4F"
        self.status.value = str(el("span", message, style=f"color:{colour};font-weight:600", role="status"))

    def header(self) -> Markup:
        ex = self.ex
        title = ex.title or ex.type.replace("_", " ").capitalize()
        meta = f"{ex.skill}" + (f" · about {ex.minutes} min" if ex.minutes else "")
        return Markup(el("h3", title, " ", el("span", meta, class_="www-tag", style="background:#0072B2"))
                      + el("p", ex.prompt))

    def teacher_notes(self) -> Markup:
        ex = self.ex
        items = [("Model answer", ex.model_answer), ("Teacher's note", ex.teacher_note)] + self.key_notes()
        items = [(k, v) for k, v in items if v]
        if not items:
            return Markup("")
        # Folded: a projected page shows no key until the teacher opens one.
        return el("details", el("summary", "Teacher's notes and key (teacher mode; click to open)"),
                  *[el("p", el("strong", f"{k}: "), v) for k, v in items], class_="www-note")

    def key_notes(self) -> list[tuple[str, str]]:
        """The answer key in words, for teacher mode (families with a key override this)."""
        return []

    def box(self) -> W.VBox:
        parts: list[W.Widget] = [html_widget(self.header()), *self.controls, self.feedback, self.status]
        if self.teacher:
            parts.append(html_widget(self.teacher_notes()))
        box = W.VBox(parts, layout=W.Layout(border="2px solid #0072B2", padding="0.5em 1em", margin="0.5em 0"))
        box.add_class("www-exercise")
        return box

    def fallback(self) -> tuple[Markup, str]:
        """What a static view shows instead of the live widget: the exercise as text, to read and discuss; printed,
        with ruled lines to write on (``write_lines``; hidden on screen)."""
        lines = self.fallback_lines()
        listed = el("ul", *[el("li", x) for x in lines]) if lines else ""
        run = el("p", RUN_TO_ANSWER, class_="www-note www-screen-only")
        card = el("div", self.header(), listed, run, self.paper_answer(), class_="www-card www-exercise-card")
        html = el("div", style_tag('class="www"', card), card, class_="www")
        text = "\n".join([f"Exercise ({self.ex.skill}): {self.ex.prompt}", *[f"  - {x}" for x in lines],
                          f"  {RUN_TO_ANSWER}"])
        return html, text

    def paper_answer(self) -> Markup:
        """Where a printed copy is answered (hidden on screen): ruled lines, ``write_lines`` of them; an exercise
        whose answer has a shape of its own (a scale, labelled parts) draws that instead."""
        return el("div", class_="www-write", aria_hidden="true", style=f"height:{1.8 * self.write_lines:g}em")

    def fallback_lines(self) -> list[str]:
        return []


class Shown:
    """A widget with a readable fallback: live in JupyterLab, text/html and text/plain everywhere else."""

    def __init__(self, widget: W.Widget, html: Markup, text: str) -> None:
        self.widget, self.html, self.text = widget, html, text

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict[str, Any], dict[str, Any]]:
        bundle = self.widget._repr_mimebundle_()
        bundle = bundle[0] if isinstance(bundle, tuple) else dict(bundle or {})
        bundle["text/html"] = str(self.html)
        bundle["text/plain"] = self.text
        # Saved notebooks keep only the readable twin (helpers/savehook.py); this mark in the output's metadata
        # still says a live widget belongs here (the browser tests count them).
        return bundle, {"what-went-wrong": {"widget": True}}


class KeepsFirstAnswer:
    """For an exercise with a reveal (fact-check, estimate): the answer as it stood at the first reveal is kept as
    ``first``, and what the student changes afterwards is saved beside it as a revision, so that neither the hand-in
    nor the dashboard can pass a corrected answer off as the student's own first judgement."""

    first: dict[str, Any] | None = None

    def answer(self) -> dict[str, Any]:
        """The answer's own fields, without ``first``."""
        raise NotImplementedError

    def value(self) -> dict[str, Any]:
        return self.answer() | ({"first": self.first} if self.first else {})

    def merged(self, current: Any) -> dict[str, Any]:
        """A first answer already stored (revealed in another tab or before a restart) stands."""
        if isinstance(current, dict) and isinstance(current.get("first"), dict):
            self.first = current["first"]
        return self.value()

    def restore_first(self, value: Any) -> None:
        self.first = value["first"] if isinstance(value, dict) and isinstance(value.get("first"), dict) else None

    def keep_first(self) -> None:
        """Called at a reveal: the first one fixes the first answer, and saves it."""
        if self.first is None:
            self.first = self.answer()
            self.save()

    def revised(self) -> bool:
        return bool(self.first) and self.first != self.answer()


def escape_for_widget(text: str) -> str:
    """Escaped text for an HTML widget's value."""
    return str(esc(text))
