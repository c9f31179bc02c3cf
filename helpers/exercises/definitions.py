"""Exercise definitions: plain TOML files a teacher can read and edit, loaded and checked here.

One file per lesson in ``data/exercises/`` (e.g. ``01_molyneux.toml``). Each ``[[exercise]]`` table has an ``id``
(unique across the collection), a ``type`` (see ``TYPES``), a ``prompt``, the reading ``skill`` it trains, and the
fields its type needs — options and a key where an answer can be checked. ``model_answer`` and ``teacher_note`` are
shown only in teacher mode. Mistakes are reported with the file, the exercise and what to change.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from ..context import SKILLS
from ..sources import DATA_DIR
from ..values import ID_RE, ID_RULE

EXERCISES_DIR = DATA_DIR / "exercises"

# type → (fields it must have, fields it may have)
TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "free_text": ((), ("min_words", "max_words", "passage")),
    "multiple_choice": (("options", "answer", "explanation"), ("feedback", "passage")),
    "continuum": (("left", "right"), ("phase", "steps", "before_from")),
    "ranking": (("options",), ("passage",)),
    "opvl": (("source",), ()),
    "claim_evidence": (("claim", "passages"), ("supports", "undercuts")),
    "fact_check": (("claim_id",), ()),
    "estimate": (("figure_id", "unit"), ("question_value",)),
    "loaded_language": (("passage", "phrases", "loaded"), ()),
    "compare": (("sources",), ()),
}
COMMON_REQUIRED = ("id", "type", "prompt", "skill")
COMMON_OPTIONAL = ("title", "model_answer", "teacher_note", "minutes", "claims")


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
    claims: tuple[str, ...] = ()  # rows of data/claims.csv this exercise teaches (besides a fact-check's claim_id)
    spec: dict[str, Any] = field(default_factory=dict)  # the type's own fields

    def get(self, name: str, default: Any = None) -> Any:
        return self.spec.get(name, default)


def _problems(raw: dict[str, Any], where: str) -> list[str]:
    """What is wrong with one exercise table, in words a teacher can act on."""
    out = [f"{where}: missing '{k}'" for k in COMMON_REQUIRED if not str(raw.get(k, "")).strip()]
    out += [f"{where}: '{k}' must be text in quotes, not {type(raw[k]).__name__}"
            for k in COMMON_REQUIRED + ("title", "model_answer", "teacher_note") if k in raw
            and not isinstance(raw[k], str)]
    if isinstance(raw.get("id"), str) and raw["id"].strip() and not ID_RE.fullmatch(raw["id"]):
        out.append(f"{where}: id {raw['id']!r} cannot name an answer file: {ID_RULE}")
    if "minutes" in raw and (isinstance(raw["minutes"], bool) or not isinstance(raw["minutes"], int)
                             or not 0 < raw["minutes"] <= 120):
        out.append(f"{where}: 'minutes' must be a whole number from 1 to 120")
    kind = raw.get("type")
    if not isinstance(kind, str):
        return out + [f"{where}: 'type' must be text, one of {', '.join(TYPES)}"]
    if kind not in TYPES:
        return out + [f"{where}: type {kind!r} is not one of {', '.join(TYPES)}"]
    required, optional = TYPES[kind]
    out += [f"{where}: a {kind} exercise needs '{k}'" for k in required if k not in raw]
    known = set(COMMON_REQUIRED) | set(COMMON_OPTIONAL) | set(required) | set(optional)
    out += [f"{where}: unknown field '{k}' (check the spelling)" for k in raw if k not in known]
    if raw.get("skill") and raw["skill"] not in SKILLS:
        out.append(f"{where}: skill {raw['skill']!r} is not one of {', '.join(SKILLS)}")
    options = raw.get("options")
    if options is not None and (not isinstance(options, list) or len(options) < 2
                                or not all(isinstance(o, str) and o.strip() for o in options)):
        out.append(f"{where}: 'options' must be a list of at least two choices, each text in quotes")
    for name in ("passages", "supports", "undercuts", "phrases", "loaded", "sources", "feedback", "claims"):
        if name in raw and (not isinstance(raw[name], list) or not all(isinstance(x, str) for x in raw[name])):
            out.append(f"{where}: '{name}' must be a list of texts in quotes, like [\"a\", \"b\"]")
    for name in ("prompt", "explanation", "left", "right", "claim", "passage", "source", "claim_id", "figure_id",
                 "unit", "phase"):
        if name in raw and not isinstance(raw[name], str):
            out.append(f"{where}: '{name}' must be text in quotes, not {type(raw[name]).__name__}")
    for name in ("min_words", "max_words", "steps"):  # whole numbers: "many" or true would be taken silently
        if name in raw and (isinstance(raw[name], bool) or not isinstance(raw[name], int) or raw[name] < 1):
            out.append(f"{where}: '{name}' must be a whole number of at least 1, like {name} = 5, not "
                       f"{raw[name]!r}")
    if all(isinstance(raw.get(k), int) and not isinstance(raw.get(k), bool) for k in ("min_words", "max_words")) \
            and raw["min_words"] > raw["max_words"]:
        out.append(f"{where}: 'min_words' ({raw['min_words']}) is more than 'max_words' ({raw['max_words']})")
    if "question_value" in raw and (isinstance(raw["question_value"], bool)
                                    or not isinstance(raw["question_value"], (int, float))):
        out.append(f"{where}: 'question_value' must be a number, not {raw['question_value']!r}")
    if kind == "multiple_choice" and isinstance(options, list):
        answer = raw.get("answer")
        if isinstance(answer, bool) or not (isinstance(answer, int) and 1 <= answer <= len(options)):
            out.append(f"{where}: 'answer' must be the number of the right option, 1 to {len(options)}")
        feedback = raw.get("feedback")
        if feedback is not None and (not isinstance(feedback, list) or len(feedback) != len(options)):
            out.append(f"{where}: 'feedback' must have one entry per option ({len(options)})")
    if kind == "loaded_language" and isinstance(raw.get("phrases"), list) and isinstance(raw.get("loaded"), list):
        phrases, loaded = raw["phrases"], raw["loaded"]
        out += [f"{where}: loaded phrase {p!r} is not in 'phrases'" for p in loaded if p not in phrases]
    if kind == "continuum" and raw.get("phase", "before") not in ("before", "after"):
        out.append(f"{where}: 'phase' must be \"before\" or \"after\"")
    return out


def read_toml_text(path: Path) -> str:
    """A data file's text, for any editor's way of saving it: UTF-8 with or without a byte-order mark, or UTF-16
    with one. Anything else raises DefinitionError naming the file and the first byte that is not UTF-8.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.toml"
    >>> _ = p.write_bytes("\ufeffid = 'ok'".encode("utf-8"))
    >>> read_toml_text(p)
    "id = 'ok'"
    """
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DefinitionError(f"{path.name}: cannot be read ({e.strerror or e}).") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DefinitionError(f"{path.name}, line {line}: not UTF-8 (byte {raw[e.start]:#04x}). Save the file as "
                              "UTF-8 in your editor (e.g. 'Save with encoding → UTF-8').") from None


_TABLE_RE = re.compile(r"^[ \t]*\[\[[ \t]*exercise[ \t]*\]\]", re.M)


def _read(path: Path) -> list[dict[str, Any]]:
    """The exercise tables of one file, each with ``_line``: the line of its ``[[exercise]]`` header."""
    text = read_toml_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DefinitionError(f"{path.name}: not valid TOML ({e}). Check quotes and brackets near that line.") from None
    items = data.get("exercise", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DefinitionError(f"{path.name}: write each exercise as an [[exercise]] table (found "
                              f"'exercise = {str(items)[:40]}')")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _TABLE_RE.finditer(text)]
    return [{**item, "_line": lines[i] if i < len(lines) else 0} for i, item in enumerate(items)]


def file_stamps(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file's path, size and a hash of its bytes: a cache key that changes as soon as a teacher saves an edit
    (a modification time can stay the same for two quick saves). Reading is cheap; parsing is what is saved.

    >>> file_stamps([Path("no-such-file.toml")])
    (('no-such-file.toml', -1, -1),)
    """
    out = []
    for path in paths:
        try:
            data = path.read_bytes()
            out.append((str(path), len(data), hash(data)))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


def load_definitions(folder: Path = EXERCISES_DIR) -> dict[str, Exercise]:
    """Every exercise in every lesson file, by id; raises DefinitionError listing every problem found.

    The files are parsed again only when one of them changes (:func:`file_stamps`): a class view asks for them a
    few dozen times, and parsing them all took 10 ms each time."""
    if not folder.is_dir():
        raise DefinitionError(f"The exercise folder {folder} is missing.")
    return dict(_definitions(file_stamps(sorted(folder.glob("*.toml")))))


@lru_cache(maxsize=8)
def _definitions(stamps: tuple[tuple[str, int, int], ...]) -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    problems: list[str] = []
    for path in (Path(p) for p, _, _ in stamps):
        for i, raw in enumerate(_read(path), 1):
            line = raw.pop("_line", 0)
            where = f"{path.name}, line {line}, exercise {i} ({str(raw.get('id', 'no id'))[:60]})"
            issues = _problems(raw, where)
            if isinstance(raw.get("id"), str) and raw.get("id") in found:
                issues.append(f"{where}: id {raw['id']!r} is already used in {found[raw['id']].lesson}")
            problems += issues
            if issues:
                continue
            common = {k: (tuple(raw[k]) if k == "claims" else raw[k])
                      for k in COMMON_REQUIRED + COMMON_OPTIONAL if k in raw}
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
        out += [f"{where}: 'claims' names {c!r}, which is not in data/claims.csv" for c in ex.claims if c not in claims]
        if ex.type == "continuum" and ex.get("before_from") and (
                ex.get("before_from") not in defs or defs[ex.get("before_from")].type != "continuum"):
            out.append(f"{where}: before_from {ex.get('before_from')!r} is not a continuum exercise")
        if ex.type == "estimate" and ex.get("figure_id") not in figures:
            out.append(f"{where}: no figure {ex.get('figure_id')!r} in data/cited_figures.csv")
        if ex.type == "loaded_language" and passage_text(ex.get("passage")):
            text = passage_text(ex.get("passage"))
            out += [f"{where}: phrase {p!r} is not in {ex.get('passage')}" for p in ex.get("phrases") if p not in text]
    return out
