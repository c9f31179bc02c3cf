"""The teacher's guide: one standalone, printable HTML page for every lesson, with its plan, exercises and keys and
the errors each text contains. Built by scripts/build_teacher_guide.py and exported with the handouts.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .context import SKILLS, load as load_table
from .exercises.definitions import TYPES, Exercise
from .html import Markup, csp_meta, el, esc
from .texts import passage_label as _label
from .theme import ACCENT, MUTED, WARNING_TEXT
from .keys import entry_html, number_text, sources_value, teacher_entries
from .lessons import (CENTRAL_QUESTION, ERRORS_HEADING, FIGURE_PROBLEM_VERDICTS, TYPE_NAMES, Lesson, Section,
                      exercise_counts, lessons_and_exercises, prompt_skills, skills_matrix)
from .plans import claim_entries, exercise_label, minutes_text, text_claims

# ---------------------------------------------------------------------------------------------------------------------
# The teacher's guide: one standalone page
# ---------------------------------------------------------------------------------------------------------------------
GUIDE_TITLE = "What Went Wrong? Teacher's guide"

GUIDE_CSS = f"""
body {{font:17px/1.55 Georgia,'Times New Roman',serif; color:#111; background:#fff; max-width:56em;
  margin:0 auto; padding:1em 1.5em 3em;}}
h1,h2,h3,h4,caption,th,.tag,nav {{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;}}
h1 {{font-size:1.9em; margin:.3em 0;}}
h2 {{font-size:1.45em; border-bottom:3px solid {ACCENT}; padding-bottom:.15em; margin-top:2em;}}
h3 {{font-size:1.2em; margin:1.4em 0 .4em;}}
h4 {{font-size:1.02em; margin:0 0 .3em;}}
table {{border-collapse:collapse; width:100%; margin:.5em 0 1em; font-size:.95em;}}
th,td {{border:1px solid #999; padding:.3em .5em; text-align:left; vertical-align:top;}}
thead th {{background:#E8F1F8;}}
td.num {{text-align:right; font-variant-numeric:tabular-nums;}}
caption {{text-align:left; font-size:.9em; color:{MUTED}; padding-bottom:.2em;}}
.tag {{display:inline-block; font-size:.78em; font-weight:700; padding:0 .45em; border-radius:3px; color:#fff;
  background:{ACCENT}; margin-right:.3em;}}
.tag.wrong {{background:{WARNING_TEXT};}}
.tag.disputed {{background:#5A3D8A;}}
.exercise,.claim {{border:1px solid #bbb; border-left:5px solid {ACCENT}; border-radius:4px; padding:.5em .9em;
  margin:.6em 0;}}
.claim {{border-left-color:{WARNING_TEXT};}}
.meta,.note,.cite {{color:{MUTED}; font-size:.92em;}}
.cite {{overflow-wrap:anywhere;}}
blockquote {{margin:.3em 0 .5em; padding:.1em .8em; border-left:3px solid #999; font-style:italic;}}
dl {{margin:.3em 0;}} dt {{font-weight:700; margin-top:.3em;}} dd {{margin:0 0 .2em 1.2em;}}
code {{font-family:'DejaVu Sans Mono',Consolas,monospace; font-size:.88em; background:#F2F2F2; padding:0 .2em;}}
nav ol {{columns:2;}}
@page {{margin:16mm 14mm;}}
@media print {{
  body {{font-size:11pt; max-width:none; padding:0;}}
  nav {{display:none;}}
  section.lesson {{break-before:page;}}
  h2,h3,h4 {{break-after:avoid;}}
  .exercise,.claim,tr {{break-inside:avoid;}}
  a {{color:inherit; text-decoration:none;}}
  thead th {{background:none;}}
}}
"""


def _table(head: list[str], rows: list[list[Any]], caption: str = "", numeric: Iterable[int] = ()) -> Markup:
    """A plain table; the first cell of each row is its header; columns in ``numeric`` are right-aligned."""
    numeric = set(numeric)
    body = [el("tr", el("th", r[0], scope="row"),
               *[el("td", c, class_="num" if j in numeric else None) for j, c in enumerate(r[1:], 1)]) for r in rows]
    return el("table", el("caption", caption) if caption else None,
              el("thead", el("tr", *[el("th", h, scope="col") for h in head])), el("tbody", *body))


def _short(lesson: Lesson) -> Markup:
    """A narrow column head for a lesson: 'Lesson 1' over its notebook name."""
    return Markup(el("span", f"Lesson {lesson.number}" if lesson.number else lesson.title) + el("br")
                  + el("code", lesson.id))


def _summary(lessons: dict[str, Lesson], counts: pd.DataFrame, skills: pd.DataFrame) -> Markup:
    """Two tables, a column per lesson: exercises by type, and the reading skills exercises and questions train."""
    ids = list(counts.index)
    cols = [_short(lessons[i]) for i in ids]
    used = [t for t in TYPES if counts[t].sum()]
    type_rows = [[TYPE_NAMES[t], *[counts.at[i, t] or "" for i in ids]] for t in used]
    type_rows += [["All exercises", *[counts.at[i, "total"] for i in ids]],
                  ["Minutes", *[lessons[i].minutes for i in ids]]]
    by_type = _table(["Exercise type", *cols], type_rows,
                     "Exercises each lesson shows, by type (an exercise revisited in a later lesson counts there too)",
                     numeric=range(1, len(ids) + 1))
    discussed = {i: prompt_skills(lessons[i].source) for i in ids}
    skill_rows = [[s.capitalize(), *[Markup(esc(skills.at[i, s] or "") + (el("br") + el("span", "+ discussion",
                                                                                        class_="note")
                                                                           if s in discussed[i] else ""))
                                     for i in ids]] for s in SKILLS]
    by_skill = _table(["Reading skill", *cols], skill_rows,
                      "Reading skills (Stanford's Reading Like a Historian): how many exercises train each one; "
                      "“+ discussion”: the discussion questions beside the passages train it too",
                      numeric=range(1, len(ids) + 1))
    return el("section", el("h2", "The lessons at a glance"), by_type, by_skill, id="summary")


def _exercise_article(ex: Exercise, section_no: int, section: Section, revisit: bool) -> Markup:
    meta = [f"{ex.skill}", minutes_text(ex.minutes or 0) if ex.minutes else "", f"step {section_no}: {section.title}"]
    if revisit:
        meta.append(f"revisited from {ex.lesson}")
    entries = teacher_entries(ex)
    return el("article", el("h4", exercise_label(ex), " ", el("code", ex.id)),
              el("p", " · ".join(m for m in meta if m), class_="meta"), el("p", el("strong", "Prompt: "), ex.prompt),
              el("dl", *[entry_html(k, v) for k, v in entries]) if entries else None, class_="exercise")


def _exercises_by_type(lesson: Lesson, defs: dict[str, Exercise]) -> Markup:
    placed = [(defs[x], n, s, x in s.revisits) for n, s in enumerate(lesson.sections, 1) for x in s.shown]
    groups = []
    for kind in TYPES:
        items = [p for p in placed if p[0].type == kind]
        if items:
            groups.append(Markup(el("h4", f"{TYPE_NAMES[kind]} ({len(items)})", class_="type")
                                 + Markup("".join(_exercise_article(*p) for p in items))))
    if not groups:
        return el("p", "This lesson has no exercises.", class_="note")
    return Markup("".join(groups))


def _claims_part(lesson: Lesson) -> Markup:
    """Every claim of the lesson's text judged wrong or disputed, with its better value and source."""
    summary, bad = text_claims(lesson.source)
    head = el("p", f"{summary}; data/claims.csv has them all.", class_="note")
    if not bad:
        return Markup(el("h3", ERRORS_HEADING) + head
                      + el("p", "None of the claims checked in this text was found wrong or disputed."))
    items = []
    for c in bad:
        heading = el("h4", el("span", c["verdict"], class_=f"tag {c['verdict']}"), " ", _label(c["passage_id"]), " ",
                     el("code", c["claim_id"]))
        dl = el("dl", *[Markup(el("dt", k) + el("dd", v, class_="cite" if k == "Source" else None))
                        for k, v in claim_entries(c)])
        items.append(el("article", heading, el("blockquote", f"“{c['quote']}”"), dl, class_="claim",
                        id=f"claim-{c['claim_id']}"))
    return Markup(el("h3", ERRORS_HEADING) + head + Markup("".join(items)))


def _figures_part(lesson: Lesson) -> Markup:
    """Figures the text cites that scholarly sources put higher, lower or dispute (data/cited_figures.csv)."""
    figs = load_table("cited_figures")
    mine = figs[figs["passage_id"].str.startswith(lesson.source + "-")
                & figs["verdict"].astype(str).isin(FIGURE_PROBLEM_VERDICTS)]
    if mine.empty:
        return Markup("")
    rows = []
    for _, r in mine.iterrows():
        f = {k: (None if pd.isna(v) else v) for k, v in r.items()}
        rows.append([_label(f["passage_id"]), f"“{f['quote']}”", f"{number_text(f['value'])} {f['unit']}",
                     sources_value(f),
                     str(f["verdict"]).replace("_", " "), el("span", f["compare_citation"] or "", class_="cite")])
    return Markup(el("h3", "Figures in this text that other sources put differently")
                  + _table(["Passage", "The text says", "Value", "Sources say", "Verdict", "Source"], rows,
                           "From data/cited_figures.csv; the lesson's charts show them beside the passage"))


def _lesson_section(lesson: Lesson, defs: dict[str, Exercise]) -> Markup:
    timing_rows = [[f"{n}. {s.title}", minutes_text(s.minutes), s.teacher_does,
                    "; ".join(f"{exercise_label(defs[x])} ({x})" for x in s.shown) or "—"]
                   for n, s in enumerate(lesson.sections, 1)]
    parts = [el("h2", lesson.heading, " ", el("code", f"notebooks/{lesson.id}.ipynb")),
             el("p", el("strong", "Central question: "), lesson.question),
             el("p", el("strong", "Reading skills: "), *[el("span", s, class_="tag") for s in lesson.skills],
                " ", el("strong", "Time: "), f"{lesson.minutes} minutes"),
             el("h3", "Objectives"), el("ul", *[el("li", o) for o in lesson.objectives])]
    if lesson.teacher_note:
        parts += [el("h3", "How to run it"), el("p", lesson.teacher_note)]
    parts += [el("h3", "Timings"),
              _table(["Step", "Minutes", "What the teacher does", "Exercises"], timing_rows,
                     f"{lesson.minutes} minutes in all", numeric=(1,)),
              el("h3", "Exercises, with model answers, notes and keys"), _exercises_by_type(lesson, defs)]
    if lesson.source:
        parts += [_claims_part(lesson), _figures_part(lesson)]
    return el("section", *parts, class_="lesson", id=f"lesson-{lesson.id}")


def teacher_guide_html(lessons_file: Path | None = None, exercises_dir: Path | None = None) -> str:
    """The teacher's guide as one standalone HTML page (no scripts, no external files; prints cleanly).

    Built from data/lessons.toml, the exercise definitions and the fact-check data: per lesson its objectives and
    timings, the exercises by type with their skills, model answers, notes and keys, and every claim of its text
    judged wrong or disputed, with the source; first a summary of exercise types and reading skills per lesson.
    """
    lessons, defs = lessons_and_exercises(lessons_file, exercises_dir)
    counts, skills = exercise_counts(lessons_file), skills_matrix(lessons_file)
    toc = el("nav", el("h2", "Contents"), el("ol", el("li", el("a", "The lessons at a glance", href="#summary")),
                                           *[el("li", el("a", x.heading, href=f"#lesson-{x.id}"))
                                             for x in lessons.values()]), aria_label="Contents")
    intro = [el("h1", GUIDE_TITLE),
             el("p", el("strong", "The central question: "), CENTRAL_QUESTION),
             el("p", f"{len(lessons) - 1} lessons of 45–60 minutes after a short start notebook: one lesson per "
                     "text, then a lesson comparing them. Each lesson trains the four reading skills of Reading Like "
                     "a Historian (sourcing, contextualisation, corroboration, close reading) through its exercises "
                     "and the discussion questions beside its passages."),
             el("p", "This page is generated from data/lessons.toml, data/exercises/*.toml, data/claims.csv and "
                     "data/cited_figures.csv (python3 tasks.py guide). The same notes appear under each exercise "
                     "in a notebook when teacher mode is on. The keys are also in files students can open: use "
                     "them for feedback and discussion, not for marks that matter.", class_="note")]
    body = el("body", el("header", *intro), toc, _summary(lessons, counts, skills),
              *[_lesson_section(x, defs) for x in lessons.values()])
    head = el("head", el("meta", charset="utf-8"), csp_meta(),
              el("meta", name="viewport", content="width=device-width, initial-scale=1"),
              el("title", GUIDE_TITLE), el("style", Markup(" ".join(GUIDE_CSS.split()))))
    return "<!DOCTYPE html>\n" + el("html", head, body, lang="en") + "\n"

