"""What an answer may look like, exercise type by exercise type: one schema per type, checked in one place.

The answer store, the hand-in reader, restore and the class dashboard all meet values that a widget did not make: a
hand-in edited by hand, a file from another version, a tampered upload. Each of them calls :func:`check_value` (or
:func:`answer_problem`), so a value that would crash a widget or a chart (a nested list where text belongs, NaN, a
continuum position of 400, a ranking of numbers) is refused with a message naming the exercise and the field, and
every other answer carries on.

The shapes (the widgets in ``helpers/exercises`` save exactly these; every field may be missing, as while a student
is still answering):

==================  =========================================================================================
type                value
==================  =========================================================================================
free_text           text
multiple_choice     ``{"choice": n or null, "correct": bool}`` (n = option number from 1), or the bare n
continuum           ``{"before": 1–7 or null, "after": 1–7 or null, "reason_before": text, "reason": text}``
ranking             a list of distinct option texts, most important first
opvl / compare      ``{field: text}`` with the type's fields (compare also ``"choice"``: text or null)
claim_evidence      ``{"supports": [passage ids], "undercuts": [passage ids], "why": text}``
fact_check          ``{"verdict": one of VERDICTS or null, "source": text, "first": {verdict, source}}``
estimate            ``{"estimate": finite number or null, "typed": text, "first": {estimate, typed}}``
loaded_language     ``{"marked": [phrases], "other": text}``
==================  =========================================================================================

``first`` is the answer as it stood at the first reveal: what a student said before seeing the key. A later change
is kept as a revision beside it, never over it.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Callable

# Exercise ids name answer files: lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or
# digit, at most 100 characters (upper case would collide on macOS and Windows), and not a device name Windows keeps
# for itself before the first dot (con, prn, aux, nul, com1-9, lpt1-9: "con.json" cannot exist there). The store and
# the loaders share it.
ID_RE = re.compile(r"(?!(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\.|$))[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?")
ID_RULE = ("use lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 100 "
           "characters, and not a name Windows keeps for devices (con, prn, aux, nul, com1-com9, lpt1-lpt9)")
SCALE = ("strongly disagree", "disagree", "slightly disagree", "not sure", "slightly agree", "agree", "strongly agree")
VERDICTS = ("correct", "wrong", "disputed", "unverifiable")
OPVL_FIELDS = (
    ("origin", "Who made it, when, where, in what genre?"),
    ("purpose", "Why was it made, and for whom?"),
    ("value", "What can a historian learn from it?"),
    ("limitation", "What can it not tell us, and why?"),
)
COMPARE_FIELDS = (
    ("how_they_differ", "What does each say caused the failure?"),
    ("why_they_differ", "Authors, purposes, evidence, time of writing…"),
    ("more_convincing", "Which is more convincing, and why? Use evidence."),
)
MAX_LIST_ITEMS = 200  # no exercise has more options, passages or phrases than this


class ValueProblem(ValueError):
    """A value that does not fit its exercise type; the message names the field and what it should be."""


def _text(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise ValueProblem(f"{where} should be text, not {_kind(v)}")
    return v


def _text_or_none(v: Any, where: str) -> str | None:
    return None if v is None else _text(v, where)


def _kind(v: Any) -> str:
    return {type(None): "nothing", bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a group of fields"}.get(type(v), type(v).__name__)


def _int_in(v: Any, low: int, high: int, where: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise ValueProblem(f"{where} should be a whole number from {low} to {high}, not {_short(v)}")
    return v


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "…"


def _text_list(v: Any, where: str) -> list[str]:
    if not isinstance(v, list):
        raise ValueProblem(f"{where} should be a list of texts, not {_kind(v)}")
    if len(v) > MAX_LIST_ITEMS:
        raise ValueProblem(f"{where} has {len(v)} items; at most {MAX_LIST_ITEMS}")
    return [_text(x, f"{where} item {i}") for i, x in enumerate(v, 1)]


def _fields(v: Any, allowed: dict[str, Callable[[Any, str], Any]], where: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise ValueProblem(f"{where} should be a group of fields ({', '.join(allowed)}), not {_kind(v)}")
    unknown = [k for k in v if k not in allowed]
    if unknown:
        raise ValueProblem(f"{where} has an unknown field {_short(unknown[0])} (expected {', '.join(allowed)})")
    for k, check in allowed.items():
        if k in v:
            check(v[k], f"{where} field '{k}'")
    return v


def _number_or_none(v: Any, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or abs(v) > 10 ** 15 or not math.isfinite(v):
        raise ValueProblem(f"{where} should be a finite number, not {_short(v)}")
    return v


def _bool(v: Any, where: str) -> bool:
    if not isinstance(v, bool):
        raise ValueProblem(f"{where} should be true or false, not {_short(v)}")
    return v


def _choice(spec: dict[str, Any]) -> Callable[[Any, str], Any]:
    n = len(spec.get("options") or ()) or 99
    return lambda v, where: _int_in(v, 1, n, where)


def _check_multiple_choice(v: Any, spec: dict[str, Any], where: str) -> Any:
    if isinstance(v, int) and not isinstance(v, bool):
        return _choice(spec)(v, where)
    return _fields(v, {"choice": _choice(spec), "correct": _bool}, where)


def _check_ranking(v: Any, spec: dict[str, Any], where: str) -> Any:
    items = _text_list(v, where)
    if len(set(items)) != len(items):
        raise ValueProblem(f"{where} names an option twice")
    return v


def _check_continuum(v: Any, spec: dict[str, Any], where: str) -> Any:
    pos = lambda x, w: _int_in(x, 1, len(SCALE), w)  # noqa: E731 - a one-line checker reads best inline
    return _fields(v, {"before": pos, "after": pos, "reason_before": _text, "reason": _text}, where)


def _text_fields(names: tuple[tuple[str, str], ...], **extra: Callable[[Any, str], Any]):
    allowed = {k: _text for k, _hint in names} | extra
    return lambda v, spec, where: _fields(v, allowed, where)


_FACT_CHECK = {"verdict": lambda x, w: _verdict(x, w), "source": _text}
_ESTIMATE = {"estimate": _number_or_none, "typed": _text}


def _with_first(fields: dict[str, Callable[[Any, str], Any]]) -> dict[str, Callable[[Any, str], Any]]:
    """The fields, plus ``first``: the same fields as given before the first reveal (kept; a later change is a
    revision)."""
    return fields | {"first": lambda v, where: None if v is None else _fields(v, fields, where)}


_CHECKS: dict[str, Callable[[Any, dict[str, Any], str], Any]] = {
    "free_text": lambda v, spec, where: _text(v, where),
    "multiple_choice": _check_multiple_choice,
    "continuum": _check_continuum,
    "ranking": _check_ranking,
    "opvl": _text_fields(OPVL_FIELDS),
    "compare": _text_fields(COMPARE_FIELDS, choice=_text_or_none),
    "claim_evidence": lambda v, spec, where: _fields(
        v, {"supports": _text_list, "undercuts": _text_list, "why": _text}, where),
    "fact_check": lambda v, spec, where: _fields(v, _with_first(_FACT_CHECK), where),
    "estimate": lambda v, spec, where: _fields(v, _with_first(_ESTIMATE), where),
    "loaded_language": lambda v, spec, where: _fields(v, {"marked": _text_list, "other": _text}, where),
}
KINDS = tuple(_CHECKS)


def _verdict(v: Any, where: str) -> str | None:
    if v is not None and v not in VERDICTS:
        raise ValueProblem(f"{where} should be one of {', '.join(VERDICTS)}, not {_short(v)}")
    return v


def first_answer(value: dict[str, Any]) -> dict[str, Any]:
    """A fact-check's or estimate's answer as given before the reveal (``first``), or the answer itself if it was
    never revealed: what the dashboard counts and the feedback page marks.

    >>> first_answer({"verdict": "wrong", "first": {"verdict": "correct"}})
    {'verdict': 'correct'}
    """
    return value["first"] if isinstance(value.get("first"), dict) else value


def check_value(kind: str, value: Any, spec: dict[str, Any] | None = None, where: str = "the answer") -> Any:
    """``value`` unchanged if it fits an exercise of type ``kind`` (``spec``: the exercise's own fields), else
    ValueProblem naming the field. ``None`` (no answer yet) always fits.

    >>> check_value("continuum", {"before": 3, "reason_before": "Because…"})
    {'before': 3, 'reason_before': 'Because…'}
    >>> check_value("continuum", {"before": 400})
    Traceback (most recent call last):
    ...
    helpers.values.ValueProblem: the answer field 'before' should be a whole number from 1 to 7, not 400
    """
    if kind not in _CHECKS:
        raise ValueProblem(f"{where}: unknown exercise type {kind!r}")
    if value is None:
        return None
    return _CHECKS[kind](value, spec or {}, where)


@lru_cache(maxsize=1)
def _definitions() -> dict[str, tuple[str, dict[str, Any]]]:
    from .exercises.definitions import load_definitions

    return {eid: (ex.type, ex.spec) for eid, ex in load_definitions().items()}


def answer_problem(exercise_id: str, value: Any, known_only: bool = False) -> str | None:
    """Why this value cannot be an answer to that exercise of the collection, or None if it can.

    An id the collection does not define is a problem only with ``known_only`` (restore and the dashboard use it;
    the store itself keeps any id, so tests and future exercises can use it).

    >>> answer_problem("start-continuum", {"before": 9}) is not None
    True
    >>> answer_problem("no-such-exercise", "text", known_only=True)
    "'no-such-exercise' is not an exercise of this version of the collection"
    """
    try:
        definition = _definitions().get(exercise_id)
    except Exception as e:  # noqa: BLE001 - broken definition files are reported by their own checks
        return f"the exercise definitions could not be read ({e})"
    if definition is None:
        return f"{exercise_id!r} is not an exercise of this version of the collection" if known_only else None
    kind, spec = definition
    try:
        check_value(kind, value, spec, where=f"the answer to {exercise_id}")
    except ValueProblem as e:
        return str(e)
    return None
