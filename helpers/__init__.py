"""What Went Wrong? — helpers for a Jupyter collection on four readings of the Russian Revolution.

Notebooks use the one-line ``show_*`` calls below; the modules behind them each hold one thing (see README.md in
this folder). Data flows one way: seeds and data files → texts and context → views → (later) exercises → answers.
"""
from .show import (
    show_lesson_plan,
    show_class_dashboard,
    show_glossary,
    show_key_dates,
    show_historians,
    show_textstats,
    show_blame_chart,
    show_names,
    show_names_table,
    show_mentions,
    exercise,
    show_hand_in,
    show_name_box,
    show_teacher_switch,
    show_clutter,
    show_comments,
    show_front_matter,
    show_notes,
    show_passage,
    show_passages,
    show_source_card,
    show_sources,
)
from .sources import get_source
from .texts import load_document

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
