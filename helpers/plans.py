"""The lesson plan shown at the top of every notebook: for students the question, objectives and steps with their
minutes; in teacher mode also what the teacher does, the teaching note, every exercise's key and the text's errors.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from .context import load as load_table
from .exercises.definitions import Exercise
from .html import Markup, el
from .sources import get_source
from .texts import passage_label as _label
from .theme import ACCENT
from .view import View, wrap
from .keys import Entry, entry_html, entry_text, teacher_entries
from .lessons import ERRORS_HEADING, PROBLEM_VERDICTS, TYPE_NAMES, Lesson, lessons_and_exercises

# ---------------------------------------------------------------------------------------------------------------------
# The lesson plan (shown at the top of a notebook)
# ---------------------------------------------------------------------------------------------------------------------
def minutes_text(m: int) -> str:
    return f"{m} min" if m else "outside class"


def exercise_label(ex: Exercise) -> str:
    return ex.title or TYPE_NAMES.get(ex.type, ex.type)


def _tag(text: str, colour: str = ACCENT) -> Markup:
    return el("span", text, class_="www-tag", style=f"background:{colour}")


def lesson_plan(lesson_id: str, teacher: bool = False) -> View:
    """The plan of one lesson: question, objectives and the steps with their minutes.

    ``teacher=True`` adds what the teacher does in each step, the teaching note, and every exercise's model answer,
    note and key (teacher mode hides these from the page, it does not lock them away: see data/exercises/README.md).
    """
    lessons, defs = lessons_and_exercises()
    if lesson_id not in lessons:
        raise KeyError(f"No lesson {lesson_id!r} in data/lessons.toml; the lessons are: {', '.join(lessons)}.")
    lesson = lessons[lesson_id]
    head = ["#", "Step", "Minutes", "Exercises"] + (["What the teacher does"] if teacher else [])
    rows, text_rows = [], []
    for i, s in enumerate(lesson.sections, 1):
        names = [exercise_label(defs[x]) for x in s.shown]
        cells = [str(i), s.title, minutes_text(s.minutes), "; ".join(names) or "—"]
        cells += [s.teacher_does] if teacher else []
        rows.append(el("tr", el("td", cells[0]), el("th", cells[1], scope="row"), *[el("td", c) for c in cells[2:]]))
        text_rows.append(f"  {i}. {s.title} ({minutes_text(s.minutes)})"
                         + (f" — exercises: {cells[3]}" if names else "")
                         + (f"\n     Teacher: {s.teacher_does}" if teacher else ""))
    table = el("table", el("thead", el("tr", *[el("th", h, scope="col") for h in head])), el("tbody", *rows))
    # Folded for students (one line instead of a screen on a projector), open in teacher mode.
    table = el("details", el("summary", f"The lesson step by step: {lesson.minutes} minutes"), table,
               open=True if teacher else None)
    skills = el("p", el("strong", "Reading skills: "), *[Markup(_tag(s) + " ") for s in lesson.skills])
    # No heading of its own: the notebook's title is right above it (one screen line less on a projector).
    parts = [el("p", el("strong", "The question: "), lesson.question),
             el("p", el("strong", "By the end of this lesson you can:")),
             el("ul", *[el("li", o) for o in lesson.objectives]), skills, table]
    text = [lesson.heading, f"The question: {lesson.question}", "By the end of this lesson you can:",
            *[f"  - {o}" for o in lesson.objectives], f"Reading skills: {', '.join(lesson.skills)}",
            f"The lesson step by step ({lesson.minutes} minutes):", *text_rows]
    if teacher:
        html_t, text_t = _teacher_part(lesson, defs)
        parts.append(html_t)
        text.append(text_t)
    html = wrap(el("section", *parts, class_="www-card www-plan", aria_label=f"Lesson plan: {lesson.title}"))
    return View(html, "\n".join(text))


def text_claims(source_slug: str) -> tuple[str, list[dict[str, Any]]]:
    """How many claims of a text were checked, with what verdicts, and the rows judged wrong or disputed."""
    claims = load_table("claims")
    mine = claims[claims["source_id"] == get_source(source_slug).source_id]
    counts = mine["verdict"].astype(str).value_counts()
    summary = ", ".join(f"{counts.get(v, 0)} {v}" for v in ("correct", "wrong", "disputed", "unverifiable"))
    bad = mine[mine["verdict"].astype(str).isin(PROBLEM_VERDICTS)]
    rows = [{k: ("" if pd.isna(v) else str(v)) for k, v in r.items()} for _, r in bad.iterrows()]
    return f"The collection fact-checked {len(mine)} claims in this text ({summary})", rows


def claim_entries(c: dict[str, Any]) -> list[Entry]:
    out: list[Entry] = [("Better value", c["better_value"])] if c["better_value"] else []
    return out + [("Why", c["explanation"]), ("Source", c["citation"])]


def _teacher_claims(lesson: Lesson) -> tuple[Markup, list[str]]:
    """The errors list of the guide, compact, for teacher mode in the notebook."""
    summary, bad = text_claims(lesson.source)
    lines = [f"  {ERRORS_HEADING} ({len(bad)}): {summary}."]
    items = []
    for c in bad:
        title = f"{_label(c['passage_id'])}, {c['verdict']}: “{c['quote']}”"
        items.append(el("li", el("strong", title), el("dl", *[entry_html(k, v) for k, v in claim_entries(c)])))
        lines.append(f"    {title}")
        lines += [f"      {entry_text(k, v)}" for k, v in claim_entries(c)]
    html = el("details", el("summary", f"{ERRORS_HEADING} ({len(bad)})"), el("p", summary + "."),
              el("ul", *items) if items else None, class_="www-note")
    return html, lines


def _teacher_part(lesson: Lesson, defs: dict[str, Exercise]) -> tuple[Markup, str]:
    """Teacher mode's additions to a plan: the teaching note and each exercise's answers and key."""
    blocks, lines = [], ["For the teacher (teacher mode):"]
    if lesson.teacher_note:
        blocks.append(el("p", el("strong", "How to run it: "), lesson.teacher_note))
        lines.append(f"  How to run it: {lesson.teacher_note}")
    for x in lesson.shown:
        ex = defs[x]
        entries = teacher_entries(ex)
        blocks.append(el("details", el("summary", f"{exercise_label(ex)} ({ex.id})"),
                         el("dl", *[entry_html(k, v) for k, v in entries]) if entries else
                         el("p", "No model answer or key: an open question."), class_="www-note"))
        lines.append(f"  {exercise_label(ex)} ({ex.id}):")
        lines += [f"    {entry_text(k, v)}" for k, v in entries]
    if lesson.source:
        html, text = _teacher_claims(lesson)
        blocks.append(html)
        lines += text
    html = el("div", el("h4", "For the teacher (teacher mode)"), *blocks,
              style=f"border-top:2px dashed {ACCENT};margin-top:.6em;padding-top:.3em")
    return html, "\n".join(lines)


