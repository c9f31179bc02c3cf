"""Exercise keys in words: what teacher mode, the lesson plan and the teacher's guide show for each exercise —
answer, model answer, verdict and its sources — read from the exercise definitions and the data, without a widget.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import pandas as pd

from .context import load as load_table
from .exercises.definitions import Exercise
from .html import Markup, el
from .sources import get_source
from .texts import passage_label as _label
from .values import first_answer

# ---------------------------------------------------------------------------------------------------------------------
# Exercise keys in words (for teacher mode and the guide), without any widget
# ---------------------------------------------------------------------------------------------------------------------
Entry = tuple[str, "str | list[str]"]


def number_text(value: Any) -> str:
    x = float(value)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,}"


def _row(table: str, key: str, value: str) -> dict[str, Any] | None:
    df = load_table(table)
    rows = df[df[key] == value]
    if rows.empty:
        return None
    return {k: (None if pd.isna(v) else v) for k, v in rows.iloc[0].items()}


def _fact_check_key(ex: Exercise) -> list[Entry]:
    c = _row("claims", "claim_id", ex.get("claim_id"))
    if c is None:
        return [("Key", f"claim {ex.get('claim_id')!r} is not in data/claims.csv")]
    out: list[Entry] = [("Claim", f"{_label(c['passage_id'])}: “{c['quote']}”"), ("Verdict (key)", str(c["verdict"]))]
    if c["better_value"]:
        out.append(("Better value", c["better_value"]))
    return out + [("Why", c["explanation"]), ("Source", c["citation"])]


def sources_value(f: dict[str, Any]) -> str:
    parts = []
    if f["compare_value"] is not None:
        parts.append(number_text(f["compare_value"]))
    if f["compare_low"] is not None and f["compare_high"] is not None:
        rng = f"{number_text(f['compare_low'])}–{number_text(f['compare_high'])}"
        parts.append(f"(range {rng})" if parts else rng)
    return (" ".join(parts) + f" {f['unit']}") if parts else "no comparable value found"


def _estimate_key(ex: Exercise) -> list[Entry]:
    f = _row("cited_figures", "figure_id", ex.get("figure_id"))
    if f is None:
        return [("Key", f"figure {ex.get('figure_id')!r} is not in data/cited_figures.csv")]
    says = f"{number_text(f['value'])} {f['unit']}: “{f['quote']}” ({_label(f['passage_id'])})"
    out: list[Entry] = [("The text says", says),
                        ("Sources say", sources_value(f)), ("Verdict", str(f["verdict"]).replace("_", " "))]
    if f["note"]:
        out.append(("Note", f["note"]))
    if f["compare_citation"]:
        out.append(("Source", f["compare_citation"]))
    return out


def auto_check(ex: Exercise, value: Any) -> tuple[bool | None, str] | None:
    """For an answer the collection can mark by itself (multiple choice, fact-check), whether it matches the key
    (None: the key accepts a reasoned answer) and the key in words; None for every other kind of exercise. A
    fact-check is marked on the verdict given before the reveal, when the hand-in has it.

    >>> from helpers.exercises import load_definitions
    >>> auto_check(load_definitions()["molyneux-mc-flaw"], {"choice": 4})[0]
    True
    >>> auto_check(load_definitions()["essay-fact-check-lenin"], {"verdict": "correct"})
    (False, 'the key: wrong — 21 January 1924')
    """
    if ex.type == "multiple_choice":
        answer, options = ex.get("answer"), ex.get("options") or []
        choice = value.get("choice") if isinstance(value, dict) else value
        if not isinstance(answer, int) or not 1 <= answer <= len(options) or not isinstance(choice, int):
            return None
        return choice == answer, f"the key: option {answer}, {options[answer - 1]}"
    if ex.type == "fact_check" and isinstance(value, dict):
        c = _row("claims", "claim_id", ex.get("claim_id"))
        given = first_answer(value).get("verdict")
        if c is None or not given:
            return None
        key = f"the key: {c['verdict']}" + (f" — {c['better_value']}" if c["better_value"] else "")
        return (None if c["verdict"] == "disputed" else given == c["verdict"]), key
    return None


def _source_labels(keys: Iterable[str]) -> str:
    return " and ".join(get_source(k).label for k in keys)


def exercise_key(ex: Exercise) -> list[Entry]:
    """What a teacher needs to run and mark an exercise: options, the key in words, and where the key comes from."""
    kind = ex.type
    if kind == "multiple_choice":
        answer, options, feedback = ex.get("answer"), ex.get("options"), ex.get("feedback") or []
        lines = [f"{i}. {o}" + (" (key)" if i == answer else "")
                 + (f" — feedback: {feedback[i - 1]}" if i <= len(feedback) and feedback[i - 1] else "")
                 for i, o in enumerate(options, 1)]
        return [("Options", lines), ("Key", f"option {answer}: {options[answer - 1]}"),
                ("Explanation", ex.get("explanation"))]
    if kind == "loaded_language":
        loaded = ex.get("loaded")
        return [("Passage", _label(ex.get("passage"))), ("Loaded phrases (key)", list(loaded)),
                ("Not counted as loaded", [p for p in ex.get("phrases") if p not in loaded] or ["none"])]
    if kind == "claim_evidence":
        return [("Claim", ex.get("claim")), ("Passages offered", ", ".join(map(_label, ex.get("passages")))),
                ("Supports (key)", ", ".join(map(_label, ex.get("supports", []))) or "none"),
                ("Undercuts (key)", ", ".join(map(_label, ex.get("undercuts", []))) or "none")]
    if kind == "fact_check":
        return _fact_check_key(ex)
    if kind == "estimate":
        return _estimate_key(ex)
    if kind == "continuum":
        return [("Scale", f"1 = {ex.get('left')} … 7 = {ex.get('right')}"), ("Key", "none: a reasoned position")]
    if kind == "ranking":
        return [("Causes to rank", list(ex.get("options"))), ("Key", "none: any order defended with evidence")]
    if kind == "opvl":
        source = get_source(ex.get("source"))
        return [("Source", f"{source.label}: {source.title}")]
    if kind == "compare":
        return [("Texts", _source_labels(ex.get("sources")))]
    if kind == "free_text":
        low, high = ex.get("min_words"), ex.get("max_words")
        length = " and ".join(x for x in (f"at least {low} words" if low else "", f"at most {high} words"
                                          if high else "") if x)
        return [("Length", length)] if length else []
    return []


def teacher_entries(ex: Exercise) -> list[Entry]:
    """Model answer, teacher's note and key of an exercise, in the order a teacher reads them."""
    out: list[Entry] = [("Model answer", ex.model_answer), ("Teacher's note", ex.teacher_note)]
    return [(k, v) for k, v in out + exercise_key(ex) if v]


def entry_text(key: str, value: str | list[str]) -> str:
    if isinstance(value, list):
        return f"{key}:\n" + "\n".join(f"      - {v}" for v in value)
    return f"{key}: {value}"


def entry_html(key: str, value: str | list[str]) -> Markup:
    if isinstance(value, list):
        numbered = all(re.match(r"\d+\. ", v) for v in value)  # options carry their own numbers
        items = el("ul", *[el("li", v) for v in value], style="list-style:none;padding-left:.3em" if numbered else None)
        return Markup(el("dt", key) + el("dd", items))
    return Markup(el("dt", key) + el("dd", value))


