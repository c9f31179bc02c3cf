"""Prose never keeps a verdict or a count of its own: data/README.md's counts and lists are derived from the data,
lesson notes state no verdict, and an exercise that speaks of a text's "errors" has as many wrong claims behind it.

Each failure names what to run or which row to look at.
"""
from __future__ import annotations

import re

import pytest

from helpers import datafacts
from helpers.context import load
from helpers.exercises.definitions import load_definitions
from helpers.lessons import load_lessons
from helpers.sources import get_source

# Words that state a verdict; the name of the generated list is not one.
_VERDICT_WORDS = re.compile(r"\b(errors?|mistakes?|slips?|plainly wrong|disputed|unverifiable|could not be checked)\b",
                            re.I)
_LIST_NAME = "Errors and disputed claims in this text"
_ERROR_WORDS = re.compile(r"\b(?:(?:factual |plain )?(errors|mistakes|slips)|(?:an? |one )(?:factual |plain )?(error|mistake|slip))\b",
                          re.I)


def test_readme_facts_are_derived_from_the_data():
    assert not datafacts.stale(), ("data/README.md states counts or verdicts the data no longer has: "
                                   "run `python3 tasks.py derive`")


def test_an_unknown_facts_block_is_named():
    with pytest.raises(KeyError, match="facts:nonsense"):
        datafacts.refreshed("<!-- facts:nonsense -->\n<!-- /facts -->")


@pytest.mark.parametrize("lesson", list(load_lessons().values()), ids=lambda lesson: lesson.id)
def test_lesson_notes_state_no_verdict(lesson):
    """The plan's 'Errors and disputed claims in this text' is generated from data/claims.csv; a note that says
    "three errors" drifts from it (it once called disputed matters errors)."""
    note = lesson.teacher_note.replace(_LIST_NAME, "")
    found = _VERDICT_WORDS.findall(note)
    assert not found, (f"data/lessons.toml, lesson {lesson.id}: teacher_note states a verdict ({', '.join(found)}); "
                       "point to 'Errors and disputed claims in this text', which is generated from data/claims.csv")


def _wrong_claims(source_slug: str) -> int:
    claims = load("claims")
    mine = claims[claims["source_id"] == get_source(source_slug).source_id]
    return int((mine["verdict"].astype(str) == "wrong").sum())


@pytest.mark.parametrize("ex", list(load_definitions().values()), ids=lambda ex: ex.id)
def test_exercise_prose_speaks_of_errors_only_as_the_data_has_them(ex):
    lessons = load_lessons()
    source = lessons[ex.lesson].source if ex.lesson in lessons else ""
    if not source:
        return  # a lesson about several texts: its prose names the error it means (checked by review)
    prose = " ".join([ex.model_answer, ex.teacher_note, str(ex.get("explanation", "") or "")])
    for plural, singular in _ERROR_WORDS.findall(prose):
        need = 2 if plural else 1
        assert _wrong_claims(source) >= need, (
            f"data/exercises/{ex.lesson}.toml, exercise {ex.id}: speaks of {'errors' if plural else 'an error'} but "
            f"data/claims.csv keys {_wrong_claims(source)} claim(s) of {source} as wrong")
