#!/usr/bin/env python3
"""Generate the SAMPLE class in data/sample_class/: hand-in files of 25 fictional, pseudonymous students.

For the teacher dashboard's first look and its nbval run. Every answer is made up by a seeded random generator
(``random.Random(SEED)``), so running this script again gives the same files byte for byte (until the collection's
version changes, which every hand-in records). Nothing here is real student work: every name starts with "SAMPLE".

    python scripts/make_sample_class.py            # rewrites data/sample_class/*.html and answer_key.json

Which exercises the class answered is the one list ANSWERED; everything else about them is read from the exercise
definitions, so an edited exercise needs only a re-run. Three deliberately bad files show how the dashboard reports
problems: an older duplicate hand-in, a truncated one, and an HTML page that is not a hand-in.
"""
from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.answers import Answer, Handin, collection_version, handin_filename, handin_html  # noqa: E402
from helpers.html import el  # noqa: E402

# ---------------------------------------------------------------------------------------------------------------------
# Configuration: edit here.
# ---------------------------------------------------------------------------------------------------------------------
SEED = 1917
N_STUDENTS = 25
OUT = ROOT / "data" / "sample_class"
LESSON_START = datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)  # a fictional lesson; one notebook per day
INCLUDE_PROBLEM_FILES = True

# The exercises the sample class answered, in teaching order, each with what a made-up answer needs beyond its
# definition. Everything else is read from data/exercises/*.toml by ``exercises()``: the lesson (notebook) it is
# answered in, its kind (the shape of the value the widgets save: multiple choice {"choice", "correct"}; continuum
# {"before", "reason_before"} or, for a lesson's "after", {"after", "reason"} on a 7-point scale; ranking: the
# options in order; OPVL and compare: dicts of text), a ranking's options, a comparison's two texts, whether a
# written answer is about sourcing. Multiple-choice keys, claim–evidence passages and fact-check verdicts: ``_keys``.
ANSWERED: dict[str, dict] = {
    "start-continuum": {"steps": 7}, "start-first-answer": {},
    "molyneux-opvl": {}, "molyneux-mc-flaw": {}, "molyneux-estimate-industry": {"low": 5, "high": 80},
    "molyneux-claim-evidence": {}, "molyneux-fact-check-class": {}, "molyneux-exit": {}, "molyneux-continuum": {},
    "essay-mc-what-is-it": {}, "essay-exit": {}, "essay-continuum": {},
    "siege-mc-repeated": {}, "siege-fact-check-bloodless": {},
    "siege-loaded-language": {"phrases": ["barely a whimper", "party bureaucrats sold out their countries",
                                          "Life expectancy crashed.", "All was right in the world again."]},
    "siege-exit": {}, "siege-continuum": {},
    "aunoble-mc-sources": {}, "aunoble-exit": {}, "aunoble-continuum": {},
    "compare-molyneux-essay": {}, "compare-rank-causes": {}, "compare-exit": {}, "compare-continuum": {},
}
SPECIAL_EXERCISE = "aunoble-exit"  # where three students typed the SPECIAL_TEXTS below
PSEUDONYMS = ["Otter", "Heron", "Lynx", "Badger", "Kestrel", "Marten", "Puffin", "Hare", "Wren", "Beaver", "Falcon",
              "Newt", "Raven", "Stoat", "Swift", "Vole", "Weasel", "Bison", "Crane", "Dormouse", "Elk", "Finch",
              "Gecko", "Ibis", "Jackdaw", "Koala", "Lemur", "Moose"]

OPENINGS = ["I think", "In my view", "The text suggests that", "Probably", "I am not sure, but", "It seems that"]
CLAIMS = ["the civil war destroyed the working class that made the revolution",
          "Russia was too poor and too rural for the socialism Lenin promised",
          "the Bolsheviks banned the other parties and so nobody could stop them",
          "the revolution stayed isolated when it did not spread to Germany",
          "Stalin's rise was not the only cause, the problems began earlier",
          "foreign armies forced the new state to act like a fortress"]
EVIDENCE = ["because the author gives figures for industry", "as the passage about the factories shows",
            "but the author does not say where the numbers come from", "which the timeline seems to confirm",
            "although another text disagrees", ""]
SOURCING = ["The author is a socialist writing for a party paper, so he wants to defend the revolution.",
            "It is a blog column, written long after the events, for readers who already agree.",
            "We do not know who wrote the essay; it is sold as a sample, so it may not be reliable.",
            "The review is written by a historian, which makes it more careful about sources.",
            "Memoirs written decades later remember the communes differently from the newspapers of the time."]
# Three answers that test the dashboard's escaping and text direction, as real students might type them.
SPECIAL_TEXTS = ["<script>alert('hi miss')</script> just testing if this works",
                 "אני חושב שמלחמת האזרחים הייתה הסיבה העיקרית.",  # Hebrew: "I think the civil war was the main cause."
                 "Memoirs were written decades later <b>so</b> they can't be trusted fully"]


def free_text(rng: random.Random, sourcing: bool = False) -> str:
    if sourcing:
        return " ".join(rng.sample(SOURCING, 2 if rng.random() < 0.4 else 1))
    sentences = [f"{rng.choice(OPENINGS)} {rng.choice(CLAIMS)}, {rng.choice(EVIDENCE)}".rstrip(", ") + "."
                 for _ in range(rng.randint(1, 3))]
    return " ".join(sentences)


def make_value(rng: random.Random, kind: str, details: dict, skill: float):
    """One made-up answer; ``skill`` (0–1) makes a student more often right and more often complete."""
    if kind == "multiple_choice":
        choice = details["answer"] if rng.random() < skill else rng.randint(1, details["options"])
        return {"choice": choice, "correct": choice == details["answer"]}
    if kind == "continuum":
        steps = details["steps"]
        before = rng.randint(1, steps)
        return {"before": before, "reason_before": free_text(rng) if rng.random() < 0.7 else ""}
    if kind == "continuum_after":  # a lesson's own "after"; make_handin walks it from the student's last position
        return {"after": details["from"], "reason": free_text(rng) if rng.random() < 0.85 else ""}
    if kind == "ranking":
        order = list(details["options"])
        rng.shuffle(order)
        if rng.random() < skill:  # better readers tend to put the structural causes (listed first) first
            order.sort(key=lambda o: (o not in details["options"][:3], rng.random()))
        return order
    if kind == "free_text":
        return free_text(rng, sourcing=details.get("sourcing", False)) if rng.random() < 0.92 else ""
    if kind == "estimate":
        guess = rng.randint(details["low"], details["high"])
        return {"estimate": guess, "typed": str(guess)}
    if kind == "loaded_language":
        return {"marked": [p for p in details["phrases"] if rng.random() < 0.3 + 0.5 * skill], "other": ""}
    if kind == "opvl":
        return {k: rng.choice(SOURCING) if k in ("origin", "purpose") else free_text(rng)
                for k in ("origin", "purpose", "value", "limitation")}
    if kind == "claim_evidence":
        passages = details["passages"]
        supports = [p for p in passages if rng.random() < 0.3 + 0.5 * skill]
        return {"supports": supports, "undercuts": [p for p in passages if p not in supports and rng.random() < 0.2],
                "why": free_text(rng) if rng.random() < 0.8 else ""}
    if kind == "fact_check":
        verdict = details["verdict"] if rng.random() < skill else rng.choice(["correct", "wrong", "disputed",
                                                                              "unverifiable"])
        value = {"verdict": verdict, "source": rng.choice(["the timeline", "Wikipedia", "our textbook, p. 112", ""])}
        if verdict == details["verdict"] and not value["source"]:  # reached the key only after the reveal: a revision
            value["first"] = {"verdict": "correct" if verdict != "correct" else "wrong", "source": ""}
        else:
            value["first"] = dict(value)
        return value
    if kind == "compare":
        return {"how_they_differ": free_text(rng), "why_they_differ": rng.choice(SOURCING),
                "more_convincing": free_text(rng), "choice": rng.choice(details["choices"])}
    raise ValueError(kind)


def make_handin(rng: random.Random, number: int, name: str) -> Handin:
    skill = rng.uniform(0.3, 0.95)
    answers = {}
    position = 4  # on the continuum: "not sure" until the student's first answer
    notebooks = sorted({nb for _, nb, _, _ in EXERCISES})
    for eid, nb, kind, details in EXERCISES:
        if rng.random() > 0.35 + 0.6 * skill:  # skipped exercises make completion interesting
            continue
        day = notebooks.index(nb)
        saved = LESSON_START + timedelta(days=day, minutes=rng.randint(5, 55), seconds=rng.randint(0, 59))
        if kind == "continuum_after":  # each text moves a student a little, some more than others
            details = {"from": min(7, max(1, position + rng.choice([-2, -1, 0, 0, 0, 1, 1])))}
        value = make_value(rng, kind, details, skill)
        position = value.get("before", value.get("after", position)) if isinstance(value, dict) else position
        answers[eid] = Answer(eid, value, saved.isoformat(timespec="microseconds"), nb)
    if number < len(SPECIAL_TEXTS):  # the first three students typed the special texts
        eid = SPECIAL_EXERCISE
        nb = next(n for e, n, _, _ in EXERCISES if e == eid)
        saved = LESSON_START + timedelta(days=notebooks.index(nb), minutes=30 + number)
        answers[eid] = Answer(eid, SPECIAL_TEXTS[number], saved.isoformat(timespec="microseconds"), nb)
    exported = LESSON_START + timedelta(days=len(notebooks) - 1, hours=1, minutes=number)
    return Handin(name, exported.isoformat(timespec="seconds"), collection_version(), answers)


def exercises() -> list[tuple[str, str, str, dict]]:
    """(exercise id, notebook, kind, details) of every exercise of ``ANSWERED``, from the definitions."""
    from helpers.exercises import load_definitions
    from helpers.sources import get_source

    defs = load_definitions()
    out = []
    for eid, extra in ANSWERED.items():
        ex = defs[eid]
        kind = "continuum_after" if ex.type == "continuum" and ex.get("phase") == "after" else ex.type
        details = dict(extra)
        if ex.type == "ranking":
            details.setdefault("options", list(ex.get("options")))
        elif ex.type == "compare":
            details.setdefault("choices", [get_source(s).label for s in ex.get("sources")])
        elif ex.type == "free_text" and ex.skill == "sourcing":
            details.setdefault("sourcing", True)
        out.append((eid, ex.lesson, kind, details))
    return out


EXERCISES: list[tuple[str, str, str, dict]] = []  # filled by main() from ANSWERED


def _keys() -> None:
    """Fill in what the made-up answers need from the collection's data (it moves when edited): each multiple
    choice's number of options and key, each claim–evidence exercise's passages, each fact-check's verdict."""
    from helpers.exercises import load_definitions

    from helpers.context import load

    defs = load_definitions()
    claims = load("claims").set_index("claim_id")
    for eid, _nb, kind, details in EXERCISES:
        if kind == "multiple_choice":
            details.update(options=len(defs[eid].get("options")), answer=defs[eid].get("answer"))
        elif kind == "claim_evidence":
            details.update(passages=list(defs[eid].get("passages")))
        elif kind == "fact_check":  # better readers more often reach the collection's verdict
            details.update(verdict=claims.loc[defs[eid].get("claim_id"), "verdict"])


def write(out: Path) -> int:
    """Write the sample class's files into ``out``; returns how many hand-ins."""
    EXERCISES[:] = exercises()
    _keys()
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    names = [f"SAMPLE {p}" for p in PSEUDONYMS[:N_STUDENTS]]
    handins = [make_handin(rng, i, name) for i, name in enumerate(names)]
    for h in handins:
        (out / handin_filename(h.student)).write_text(handin_html(h), encoding="utf-8")
    key = {eid: d["answer"] for eid, _, kind, d in EXERCISES if kind == "multiple_choice"}  # as in the definitions
    (out / "answer_key.json").write_text(json.dumps(key, indent=2) + "\n", encoding="utf-8")
    if INCLUDE_PROBLEM_FILES:
        first = handins[0]
        older = Handin(first.student, (datetime.fromisoformat(first.exported_at) - timedelta(days=2)).isoformat(),
                       first.collection_version, dict(list(first.answers.items())[:3]))
        (out / "zz-problem-duplicate-older-export.html").write_text(handin_html(older), encoding="utf-8")
        text = handin_html(handins[1])
        (out / "zz-problem-truncated-download.html").write_text(text[: len(text) * 2 // 3], encoding="utf-8")
        page = "<!DOCTYPE html>\n" + el("html", el("head", el("title", "Homework notes")),
                                        el("body", el("p", "Not a hand-in: a page saved by mistake.")))
        (out / "zz-problem-not-a-handin.html").write_text(page + "\n", encoding="utf-8")
    return len(handins)


def main() -> None:
    n = write(OUT)
    print(f"Wrote {n} sample hand-ins" + (" and 3 problem files" if INCLUDE_PROBLEM_FILES else "") + f" to {OUT}")


if __name__ == "__main__":
    main()
