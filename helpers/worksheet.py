"""The hand-in as a worksheet: each answer in words a teacher reads, in lesson order, under its lesson's title.

The answer store keeps values as the widgets save them (``{"choice": 2, "correct": true}``, ``{"after": 3}``,
passage ids). A hand-in printed that way reads like data. This module turns each value back into what the student
saw, using the exercise definitions: the option's text, the scale's words, passage labels, the verdict; and it gives
the order (lessons as in data/lessons.toml, exercises as each lesson shows them). The JSON inside the hand-in keeps
the values as they are, for restoring and for the dashboard.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from .texts import passage_label
from .values import SCALE


@lru_cache(maxsize=1)
def _data() -> tuple[dict, dict[str, int], dict[str, str]]:
    """(definitions, exercise id → position in teaching order, notebook → lesson heading)."""
    from .exercises.definitions import load_definitions
    from .lessons import load_lessons

    defs = load_definitions()
    lessons = load_lessons()
    order: dict[str, int] = {}
    for lesson in lessons.values():
        for eid in lesson.shown:
            order.setdefault(eid, len(order))
    return defs, order, {lid: lesson.heading for lid, lesson in lessons.items()}


def _scale(position: Any) -> str:
    return SCALE[position - 1] if isinstance(position, int) and 1 <= position <= len(SCALE) else "not chosen"


def readable(exercise_id: str, value: Any) -> Any:
    """The value as the student saw it: text, a list, or labelled parts (a dict) for ``answers.value_html``.

    >>> readable("start-continuum", {"before": 6, "reason_before": "Stalin"})
    {'Before the texts': 'agree', 'Why': 'Stalin'}
    >>> readable("no-such-exercise", 3)
    3
    """
    defs = _data()[0]
    ex = defs.get(exercise_id)
    if ex is None or value is None:
        return value
    kind = ex.type
    if kind == "multiple_choice":
        choice = value.get("choice") if isinstance(value, dict) else value
        options = ex.get("options")
        if isinstance(choice, int) and 1 <= choice <= len(options):
            return {"Your choice": f"{options[choice - 1]} (option {choice})"}
        return {"Your choice": "none yet"}
    if kind == "continuum" and isinstance(value, dict):
        out = {}
        if "before" in value or "reason_before" in value:
            out["Before the texts"] = _scale(value.get("before"))
            out["Why"] = value.get("reason_before", "")
        if "after" in value or "reason" in value:
            out["After reading"] = _scale(value.get("after"))
            out["Why, now"] = value.get("reason", "")
        return out
    if kind == "claim_evidence" and isinstance(value, dict):
        return {"Supports the claim": ", ".join(map(passage_label, value.get("supports") or [])) or "none",
                "Undercuts it": ", ".join(map(passage_label, value.get("undercuts") or [])) or "none",
                "Why": value.get("why", "")}
    if kind == "fact_check" and isinstance(value, dict):
        out = {"Your verdict": value.get("verdict") or "none yet", "Your source": value.get("source", "")}
        return _with_first(out, value, lambda v: {"Your verdict": v.get("verdict") or "none",
                                                  "Your source": v.get("source", "")})
    if kind == "estimate" and isinstance(value, dict):
        def shown(v: dict) -> dict[str, str]:
            guess = v.get("estimate")
            typed = v.get("typed") or ("" if guess is None else str(guess))
            return {"Your estimate": f"{typed} {ex.get('unit')}".strip() if typed else "none yet"}
        return _with_first(shown(value), value, shown)
    if kind == "loaded_language" and isinstance(value, dict):
        return {"Phrases you marked": "; ".join(f"“{p}”" for p in value.get("marked") or []) or "none",
                "Another phrase": value.get("other", "")}
    return value


def _with_first(now: dict[str, str], value: dict, fields: Callable[[dict], dict[str, str]]) -> dict[str, str]:
    """An answer revised after its reveal shows both: what the student said before seeing the key, then the
    revision, each labelled as such."""
    first = value.get("first")
    if not isinstance(first, dict) or fields(first) == now:
        return now
    return ({f"{k} before the reveal": v for k, v in fields(first).items()}
            | {f"{k}, revised after the reveal": v for k, v in now.items()})


def title(exercise_id: str) -> str:
    """"Title — question" of an exercise, or its id if the collection does not define it."""
    ex = _data()[0].get(exercise_id)
    return f"{ex.title or ex.type.replace('_', ' ').capitalize()} — {ex.prompt}" if ex else exercise_id


@lru_cache(maxsize=1)
def _column_titles() -> dict[str, str]:
    from collections import Counter

    from .lessons import load_lessons

    defs = _data()[0]
    number = {eid: lesson.number for lesson in load_lessons().values() for eid in lesson.shown}
    short = {eid: f"{'L' + str(number[eid]) if number.get(eid) else 'Start'} {ex.title or ex.type}"
             for eid, ex in defs.items()}
    twice = {s for s, n in Counter(short.values()).items() if n > 1}
    return {eid: f"{s} ({eid})" if s in twice else s for eid, s in short.items()}


def column_title(exercise_id: str) -> str:
    """A spreadsheet column's title for an exercise: its lesson and its title as students saw it (the id added
    where two exercises of a lesson share a title), or the id itself if the collection does not define it.

    >>> column_title("molyneux-exit"), column_title("no-such-exercise")
    ('L1 Exit ticket', 'no-such-exercise')
    """
    return _column_titles().get(exercise_id, exercise_id)


def sort_key(exercise_id: str) -> tuple[int, str]:
    """Teaching order: lessons as in data/lessons.toml, exercises as shown; unknown ids last, by id."""
    order = _data()[1]
    return (order.get(exercise_id, len(order)), exercise_id)


def lesson_heading(notebook: str) -> str:
    """The lesson's heading for a notebook name ("Lesson 1: …"), or the notebook name itself."""
    return _data()[2].get(notebook, f"Notebook: {notebook}")
