"""Exercise widgets: one family per module on a shared base, definitions in data/exercises/*.toml.

``build(exercise_id, store)`` gives the widget for an exercise, with any saved answer restored. The widget families
(and ipywidgets) are imported only when first asked for, so reading definitions — for the lesson plans, the teacher's
guide or the dashboard's keys — needs no widget library.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from .definitions import DefinitionError, Exercise, get_exercise, load_definitions


def _families() -> dict[str, type]:
    from .choice import ClaimEvidence, FactCheck, LoadedLanguage, MultipleChoice
    from .scales import Continuum, Estimate, Ranking
    from .writing import OPVL, Compare, FreeText

    return {
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


def build(exercise_id: str, store: Any, teacher: bool = False, phase: str | None = None) -> Any:
    """The live exercise, bound to ``store``; ``phase`` ("before"/"after") applies to a continuum."""
    ex = get_exercise(exercise_id)
    if phase is not None:
        if ex.type != "continuum" or phase not in ("before", "after"):
            raise ValueError(f"phase={phase!r} applies only to a continuum exercise, as \"before\" or \"after\"")
        ex = dataclasses.replace(ex, spec={**ex.spec, "phase": phase})
    return _families()[ex.type](ex, store, teacher)


def __getattr__(name: str) -> Any:
    if name == "FAMILIES":
        return _families()
    if name == "word_count":
        from .writing import word_count

        return word_count
    raise AttributeError(name)


__all__ = ["FAMILIES", "DefinitionError", "Exercise", "build", "get_exercise", "load_definitions", "word_count"]
