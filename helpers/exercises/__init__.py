"""Exercise widgets: one family per module on a shared base, definitions in data/exercises/*.toml.

``build(exercise_id, store)`` gives the widget for an exercise, with any saved answer restored.
"""
from __future__ import annotations

import dataclasses

from .base import ExerciseWidget, Store
from .choice import ClaimEvidence, FactCheck, LoadedLanguage, MultipleChoice
from .definitions import DefinitionError, Exercise, get_exercise, load_definitions
from .scales import Continuum, Estimate, Ranking
from .writing import OPVL, Compare, FreeText, word_count

FAMILIES: dict[str, type[ExerciseWidget]] = {
    "free_text": FreeText,
    "multiple_choice": MultipleChoice,
    "continuum": Continuum,
    "ranking": Ranking,
    "opvl": OPVL,
    "claim_evidence": ClaimEvidence,
    "fact_check": FactCheck,
    "estimate": Estimate,
    "loaded_language": LoadedLanguage,
    "compare": Compare,
}


def build(exercise_id: str, store: Store, teacher: bool = False, phase: str | None = None) -> ExerciseWidget:
    """The live exercise, bound to ``store``; ``phase`` ("before"/"after") applies to a continuum."""
    ex = get_exercise(exercise_id)
    if phase is not None:
        if ex.type != "continuum" or phase not in ("before", "after"):
            raise ValueError(f"phase={phase!r} applies only to a continuum exercise, as \"before\" or \"after\"")
        ex = dataclasses.replace(ex, spec={**ex.spec, "phase": phase})
    return FAMILIES[ex.type](ex, store, teacher)


__all__ = ["FAMILIES", "DefinitionError", "Exercise", "ExerciseWidget", "build", "get_exercise", "load_definitions",
           "word_count"]
