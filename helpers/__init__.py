"""What Went Wrong? — helpers for a Jupyter collection on readings of the Russian Revolution.

Notebooks use the one-line ``show_*`` calls below; the modules behind them each hold one thing (see README.md in
this folder). Data flows one way: seeds and data files → texts and context → views → (later) exercises → answers.
"""
import importlib
from typing import Any

# Each public call and the module that holds it. They are imported when first used, not when the package is: the
# Jupyter server imports helpers.savehook (its pre-save hook) in every user's server, which must not pay for pandas
# and the widgets (about 55 MB a server on a hub); a notebook's first `from helpers import …` loads what it needs.
_WHERE = {name: "show" for name in (
    "show_lesson_plan", "show_class_dashboard", "show_glossary", "show_key_dates", "show_historians",
    "show_textstats", "show_blame_chart", "show_names", "show_names_table", "show_mentions", "exercise",
    "show_hand_in", "show_name_box", "show_teacher_switch", "show_clutter", "show_comments", "show_front_matter",
    "show_notes", "show_passage", "show_passages", "show_source_card", "show_sources")}
_WHERE.update(get_source="sources", load_document="texts")


def __getattr__(name: str) -> Any:
    """The public call ``name``, imported from its module on first use (PEP 562)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


__all__ = [
    "show_lesson_plan",
    "show_class_dashboard",
    "show_glossary",
    "show_key_dates",
    "show_historians",
    "show_textstats",
    "show_blame_chart",
    "show_names",
    "show_names_table",
    "show_mentions",
    "exercise",
    "show_hand_in",
    "show_name_box",
    "show_teacher_switch",
    "get_source",
    "load_document",
    "show_clutter",
    "show_comments",
    "show_front_matter",
    "show_notes",
    "show_passage",
    "show_passages",
    "show_source_card",
    "show_sources",
]
