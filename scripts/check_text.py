"""What a text's lesson still needs, in a teacher's words: a to-do list, not failing tests.

    python3 tasks.py check-text aunoble        # one text, by slug or source id
    python3 tasks.py check-text                # every text in data/sources.csv

For each text it lists: the sentences that state something checkable but have no claim in data/claims.csv and no
reason in data/claim_inventory.csv (helpers/inventory.py decides what is checkable); the sentences listed there as
"not checked" yet; how many claims, figures, events and exercises the text has. Exit code 0 always: the list is for
planning. The tests insist only that every lesson runs and that every checkable sentence is accounted for.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.context import load  # noqa: E402
from helpers.exercises import load_definitions  # noqa: E402
from helpers.inventory import _listed, is_draft, unaccounted  # noqa: E402
from helpers.lessons import load_lessons  # noqa: E402
from helpers.sources import all_sources, get_source  # noqa: E402


def report(slug: str) -> list[str]:
    """The to-do lines for one text."""
    source = get_source(slug)
    claims, figures, events = load("claims"), load("cited_figures"), load("events")
    prefix = source.slug + "-"
    n_claims = int((claims["source_id"] == source.source_id).sum())
    n_figures = int(figures["passage_id"].astype(str).str.startswith(prefix).sum())
    n_events = sum(any(p.startswith(prefix) for p in str(m).split()) for m in events["mentioned_in"].dropna())
    own_events = sum(source.slug in str(s).split() for s in events["shown_in"].dropna())
    lessons = [lesson.id for lesson in load_lessons().values() if lesson.source == source.slug]
    n_exercises = sum(ex.lesson in lessons for ex in load_definitions().values())
    lines = [f"{source.label} ({source.slug}): {n_claims} claims checked, {n_figures} figures compared, "
             f"{n_events} events on the timeline, {n_exercises} exercises in lesson "
             f"{', '.join(lessons) or '(none yet)'}."]
    if is_draft(source.slug):
        lines.append("  A draft lesson: it runs, and its exercises and discussion questions are general ones. To make "
                     "it a full lesson (README, 'Adding a text'): check its claims in data/claims.csv (one for every "
                     "two passages or more), give the numbers it cites a comparison in data/cited_figures.csv (an "
                     "'estimate' exercise can then ask for a guess), link its passages to events in data/events.csv "
                     "(mentioned_in; new events with shown_in = its slug), and write its own exercises.")
    todo = unaccounted(source.slug)
    if todo:
        lines.append(f"  {len(todo)} sentences state something checkable and are not accounted for. For each, add a "
                     "claim to data/claims.csv, or a row to data/claim_inventory.csv saying why it is not checked:")
        lines += [f"    {s.passage_id}: {s.text[:110]}{'…' if len(s.text) > 110 else ''}" for s in todo]
    waiting = [(pid, start, note) for _l, pid, start, reason, note in _listed() if reason == "not_checked"
               and pid.startswith(prefix)]
    if waiting:
        lines.append(f"  {len(waiting)} sentences are listed as not checked yet:")
        lines += [f"    {pid}: “{start}…” — {note}" for pid, start, note in waiting]
    if not n_events:
        lines.append("  No event in data/events.csv names a passage of this text in mentioned_in: the timelines beside "
                     f"it will show context only ({own_events} events are scoped to it by shown_in).")
    if not todo and not waiting:
        lines.append("  Every checkable sentence is accounted for.")
    return lines


def main(argv: list[str]) -> int:
    slugs = argv or [s.slug for s in all_sources()]
    for slug in slugs:
        try:
            print("\n".join(report(slug)))
        except KeyError as e:
            print(e.args[0] if e.args else e)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
