"""Showing views in a notebook: the one-line calls the notebooks make.

Each call builds a view and displays it. A mistake in a call (an unknown id, a passage number out of range, a
missing data file) is shown as a short, readable message instead of a traceback in front of students.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from . import classroom, classview, glossary, historians, textstats, timeline, views
from .html import el
from .view import View, wrap

# Mistakes a notebook call can meet: an unknown id (KeyError, UnknownSourceError), bad data or definitions
# (ValueError: DataError, DefinitionError, TextError, LessonError) and a missing file (OSError).
_EXPECTED = (KeyError, ValueError, OSError)


def problem_view(message: str) -> View:
    """A visible, plain-language notice of what went wrong and who can fix it."""
    text = f"This cell could not show its content: {message} (Tell your teacher; nothing you typed is lost.)"
    return View(wrap(el("p", el("strong", "Something is missing here. "), text, class_="www-note", role="alert")),
                text)


def _display(view: Any) -> None:
    from IPython.display import display  # imported here so the rest of helpers works without IPython

    display(view)


def _shows(build: Callable[..., Any]) -> Callable[..., None]:
    """Turn a view builder into a notebook call that displays its view, or a friendly problem notice."""

    @functools.wraps(build)
    def show(*args, **kwargs) -> None:
        try:
            view = build(*args, **kwargs)
        except _EXPECTED as e:
            view = problem_view(str(e))
        _display(view)

    show.__doc__ = f"Display: {build.__doc__}"
    return show


show_source_card = _shows(views.source_card)
show_sources = _shows(views.sources_overview)
show_passages = _shows(views.passages)
show_passage = _shows(views.passage_in_context)
show_front_matter = _shows(views.front_matter)
show_notes = _shows(views.notes)
show_comments = _shows(views.comments)
show_clutter = _shows(views.clutter)
show_glossary = _shows(glossary.glossary_view)
show_key_dates = _shows(timeline.key_dates)
show_historians = _shows(historians.historians_panel)
show_textstats = _shows(textstats.textstats_table)
show_blame_chart = _shows(textstats.blame_chart)
show_names = _shows(textstats.names_chart)
show_names_table = _shows(textstats.names_table)
show_mentions = _shows(textstats.mentions_view)

exercise = _shows(classroom.exercise)
show_name_box = _shows(classroom.name_box)
show_hand_in = _shows(classroom.hand_in)
show_teacher_switch = _shows(classroom.teacher_switch)
show_class_dashboard = _shows(classview.class_dashboard)
show_lesson_plan = _shows(classroom.lesson_plan)
