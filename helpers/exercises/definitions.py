"""Exercise definitions: plain TOML files a teacher can read and edit, loaded and checked here.

One file per lesson in ``data/exercises/`` (e.g. ``01_molyneux.toml``). Each ``[[exercise]]`` table has an ``id``
(unique across the collection), a ``type`` (see ``TYPES``), a ``prompt``, the reading ``skill`` it trains, and the
fields its type needs — options and a key where an answer can be checked. ``model_answer`` and ``teacher_note`` are
shown only in teacher mode. Mistakes are reported with the file, the exercise and what to change.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..context import SKILLS
from ..sources import DATA_DIR

EXERCISES_DIR = DATA_DIR / "exercises"

# type → (fields it must have, fields it may have)
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "free_text": ((), ("min_words", "max_words", "passage")),
    "multiple_choice": (("options", "answer", "explanation"), ("feedback", "passage")),
    "continuum": (("left", "right"), ("phase", "steps")),
    "ranking": (("options",), ("passage",)),
    "opvl": (("source",), ()),
    "claim_evidence": (("claim", "passages"), ("supports", "undercuts")),
    "fact_check": (("claim_id",), ()),
    "estimate": (("figure_id", "unit"), ("question_value",)),
    "loaded_language": (("passage", "phrases", "loaded"), ()),
    "compare": (("sources",), ()),
}
COMMON_REQUIRED = ("id", "type", "prompt", "skill")
COMMON_OPTIONAL = ("title", "model_answer", "teacher_note", "minutes")


class DefinitionError(ValueError):
    """An exercise file that cannot be used as it stands; the message says where and what to change."""


@dataclass(frozen=True)
class Exercise:
    """One exercise as written in its TOML file, with the lesson file it came from."""

    id: str
    type: str
    prompt: str
    skill: str
    lesson: str
    title: str = ""
    model_answer: str = ""
    teacher_note: str = ""
    minutes: int | None = None
    spec: dict[str, Any] = field(default_factory=dict)  # the type's own fields

    def get(self, name: str, default: Any = None) -> Any:
        return self.spec.get(name, default)


def _problems(raw: dict[str, Any], where: str) -> list[str]:
    """What is wrong with one exercise table, in words a teacher can act on."""
    out = [f"{where}: missing '{k}'" for k in COMMON_REQUIRED if not str(raw.get(k, "")).strip()]
    kind = raw.get("type")
    if kind not in TYPES:
        return out + [f"{where}: type {kind!r} is not one of {', '.join(TYPES)}"]
    required, optional = TYPES[kind]
    out += [f"{where}: a {kind} exercise needs '{k}'" for k in required if k not in raw]
    known = set(COMMON_REQUIRED) | set(COMMON_OPTIONAL) | set(required) | set(optional)
    out += [f"{where}: unknown field '{k}' (check the spelling)" for k in raw if k not in known]
    if raw.get("skill") and raw["skill"] not in SKILLS:
        out.append(f"{where}: skill {raw['skill']!r} is not one of {', '.join(SKILLS)}")
    options = raw.get("options")
    if options is not None and (not isinstance(options, list) or len(options) < 2):
        out.append(f"{where}: 'options' must be a list of at least two choices")
    if kind == "multiple_choice" and isinstance(options, list):
        answer = raw.get("answer")
        if not (isinstance(answer, int) and 1 <= answer <= len(options)):
            out.append(f"{where}: 'answer' must be the number of the right option, 1 to {len(options)}")
        feedback = raw.get("feedback")
        if feedback is not None and (not isinstance(feedback, list) or len(feedback) != len(options)):
            out.append(f"{where}: 'feedback' must have one entry per option ({len(options)})")
    if kind == "loaded_language":
        phrases, loaded = raw.get("phrases", []), raw.get("loaded", [])
        out += [f"{where}: loaded phrase {p!r} is not in 'phrases'" for p in loaded if p not in phrases]
    if kind == "continuum" and raw.get("phase", "before") not in ("before", "after"):
        out.append(f"{where}: 'phase' must be \"before\" or \"after\"")
    return out


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise DefinitionError(f"{path.name}: not valid TOML ({e}). Check quotes and brackets near that line.") from None
    items = data.get("exercise", [])
    if not isinstance(items, list):
        raise DefinitionError(f"{path.name}: write each exercise as an [[exercise]] table")
    return items


def load_definitions(folder: Path = EXERCISES_DIR) -> dict[str, Exercise]:
    """Every exercise in every lesson file, by id; raises DefinitionError listing every problem found."""
    if not folder.is_dir():
        raise DefinitionError(f"The exercise folder {folder} is missing.")
    found: dict[str, Exercise] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        for i, raw in enumerate(_read(path), 1):
            where = f"{path.name}, exercise {i} ({raw.get('id', 'no id')})"
            issues = _problems(raw, where)
            if raw.get("id") in found:
                issues.append(f"{where}: id {raw['id']!r} is already used in {found[raw['id']].lesson}")
            problems += issues
            if issues:
                continue
            common = {k: raw[k] for k in COMMON_REQUIRED + COMMON_OPTIONAL if k in raw}
            spec = {k: v for k, v in raw.items() if k not in common}
            found[raw["id"]] = Exercise(lesson=path.stem, **common, spec=spec)
    if problems:
        raise DefinitionError("Exercise definitions need fixing:\n- " + "\n- ".join(problems))
    return found


@lru_cache(maxsize=1)
def _cached() -> dict[str, Exercise]:
    return load_definitions()


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; a clear error names the lesson files to look in."""
    defs = _cached()
    if exercise_id not in defs:
        raise KeyError(f"No exercise {exercise_id!r} in data/exercises/*.toml.")
    return defs[exercise_id]


def reference_problems(defs: dict[str, Exercise]) -> list[str]:
    """What an exercise points at that does not exist: passages, sources, claims, cited figures, phrases."""
    from ..context import load
    from ..sources import UnknownSourceError, get_source
    from ..texts import load_document

    def passage_text(pid: str) -> str | None:
        try:
            return load_document(pid.rsplit("-", 1)[0]).passage(pid).text
        except (KeyError, ValueError):
            return None

    claims = set(load("claims")["claim_id"])
    figures = set(load("cited_figures")["figure_id"])
    out = []
    for ex in defs.values():
        where = f"{ex.lesson}.toml, {ex.id}"
        pids = [ex.get("passage")] if ex.get("passage") else []
        pids += list(ex.get("passages", [])) + list(ex.get("supports", [])) + list(ex.get("undercuts", []))
        out += [f"{where}: no passage {p!r}" for p in pids if passage_text(p) is None]
        for key in [ex.get("source")] + list(ex.get("sources", [])):
            if key:
                try:
                    get_source(key)
                except UnknownSourceError:
                    out.append(f"{where}: no source {key!r}")
        if ex.type == "fact_check" and ex.get("claim_id") not in claims:
            out.append(f"{where}: no claim {ex.get('claim_id')!r} in data/claims.csv")
        if ex.type == "estimate" and ex.get("figure_id") not in figures:
            out.append(f"{where}: no figure {ex.get('figure_id')!r} in data/cited_figures.csv")
        if ex.type == "loaded_language" and passage_text(ex.get("passage")):
            text = passage_text(ex.get("passage"))
            out += [f"{where}: phrase {p!r} is not in {ex.get('passage')}" for p in ex.get("phrases") if p not in text]
    return out
