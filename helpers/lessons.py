"""The lessons: each notebook's arc from ``data/lessons.toml``, its lesson plan, and the teacher's guide.

``data/lessons.toml`` holds one ``[[lesson]]`` per notebook (title, central question, objectives, reading skills,
minutes) with one ``[[lesson.section]]`` per numbered heading (minutes, what the teacher does, the exercises shown
there). This module checks that file against the exercise definitions and the notebooks, and builds from it:

- ``lesson_plan(lesson_id, teacher)``: the plan shown at the top of a lesson — students see the question, the
  objectives and the steps with their minutes; teacher mode adds what the teacher does, the teaching note and every
  exercise's model answer, note and key;
- ``teacher_guide_html()``: one standalone, printable HTML page for every lesson, with the errors each text contains;
- ``skills_matrix()`` and ``exercise_counts()``: what each lesson trains, as tables.

Plain Python and pandas: no IPython, no widgets (showing a plan is the notebook API's job).
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .context import SKILLS, load as load_table
from .exercises.definitions import EXERCISES_DIR, TYPES, DefinitionError, Exercise, load_definitions, read_toml_text
from .html import Markup, el, esc
from .sources import DATA_DIR, ROOT, UnknownSourceError, get_source
from .texts import passage_label as _label
from .theme import ACCENT, MUTED, WARNING_TEXT
from .view import View, wrap

LESSONS_TOML = DATA_DIR / "lessons.toml"
NOTEBOOKS_DIR = ROOT / "notebooks"
LESSON_MINUTES = (45, 60)  # a lesson notebook fills one class period
START_MINUTES = (15, 20)  # the start notebook ("00_…") is a short introduction
OBJECTIVES = (2, 4)
CENTRAL_QUESTION = "Why did the revolution of October 1917 not produce the society its makers promised?"
PROBLEM_VERDICTS = ("wrong", "disputed")  # claims the guide lists under ERRORS_HEADING
ERRORS_HEADING = "Errors and disputed claims in this text"
FIGURE_PROBLEM_VERDICTS = ("too_high", "too_low", "disputed")

TYPE_NAMES = {
    "free_text": "Free-text response",
    "multiple_choice": "Multiple choice",
    "continuum": "Agree/disagree continuum",
    "ranking": "Rank the causes",
    "opvl": "OPVL table",
    "claim_evidence": "Claim and evidence",
    "fact_check": "Fact-check card",
    "estimate": "Estimate, then reveal",
    "loaded_language": "Loaded language",
    "compare": "Comparing interpretations",
}

_LESSON_KEYS = {"id", "title", "source", "question", "objectives", "skills", "minutes", "teacher_note", "section"}
_SECTION_KEYS = {"title", "minutes", "teacher_does", "exercises", "revisits"}
_LESSON_ID = re.compile(r"^\d{2}_[a-z0-9_]+$")
_HEADING = re.compile(r"^##\s+(?P<title>\S.*?)\s*$")
_NUMBER = re.compile(r"^\d+\.\s+")
_EXERCISE_CALL = re.compile(r"\bexercise\(\s*[\"'](?P<id>[^\"']+)[\"']")


class LessonError(ValueError):
    """``data/lessons.toml`` cannot be used as it stands; the message lists every problem and what to change."""


@dataclass(frozen=True)
class Section:
    """One part of a lesson, matching one numbered heading of its notebook."""

    title: str
    minutes: int
    teacher_does: str
    exercises: tuple[str, ...] = ()
    revisits: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[str, ...]:
        """Every exercise the notebook shows in this part: those revisited from earlier lessons, then its own."""
        return self.revisits + self.exercises


@dataclass(frozen=True)
class Lesson:
    """One lesson (one notebook) as written in ``data/lessons.toml``."""

    id: str
    title: str
    question: str
    objectives: tuple[str, ...]
    skills: tuple[str, ...]
    minutes: int
    sections: tuple[Section, ...]
    source: str = ""  # the slug of the text the lesson reads, if it reads one
    teacher_note: str = ""

    @property
    def number(self) -> int:
        return int(self.id[:2])

    @property
    def heading(self) -> str:
        """'Lesson 1: …' for a lesson, the bare title for the start notebook."""
        return f"Lesson {self.number}: {self.title}" if self.number else self.title

    @property
    def shown(self) -> tuple[str, ...]:
        """Every exercise the lesson shows, in section order."""
        return tuple(x for s in self.sections for x in s.shown)


# ---------------------------------------------------------------------------------------------------------------------
# Loading and checking
# ---------------------------------------------------------------------------------------------------------------------
def _rel(path: Path) -> str:
    """A path as a maintainer sees it in the repository (absolute when it lies elsewhere, e.g. in a test)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise LessonError(f"{_rel(path)} is missing. It describes the lessons; see data/README.md.")
    try:
        return tomllib.loads(read_toml_text(path))
    except DefinitionError as e:
        raise LessonError(f"{_rel(path)}: {str(e).split(': ', 1)[-1]}") from None
    except tomllib.TOMLDecodeError as e:
        raise LessonError(f"{_rel(path)} is not valid TOML ({e}). Check the quotes, commas and brackets on that "
                          "line.") from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) and x.strip() for x in value)


def _text_problems(raw: dict[str, Any], keys: Iterable[str], where: str) -> list[str]:
    return [f"{where}: '{k}' must be some text" + (" (it is missing)" if k not in raw else "")
            for k in keys if not (isinstance(raw.get(k), str) and raw[k].strip())]


def _lesson_fields(raw: dict[str, Any], where: str) -> list[str]:
    """Problems with a lesson's own fields (not its sections)."""
    out = [f"{where}: unknown field '{k}' (check the spelling; fields are {', '.join(sorted(_LESSON_KEYS))})"
           for k in raw if k not in _LESSON_KEYS]
    out += _text_problems(raw, ("id", "title", "question"), where)
    if isinstance(raw.get("id"), str) and not _LESSON_ID.match(raw["id"]):
        out.append(f"{where}: id {raw['id']!r} must be the notebook's name without .ipynb, e.g. \"01_molyneux\"")
    objectives = raw.get("objectives")
    if not _str_list(objectives) or not OBJECTIVES[0] <= len(objectives) <= OBJECTIVES[1]:
        out.append(f"{where}: 'objectives' must be a list of {OBJECTIVES[0]} to {OBJECTIVES[1]} sentences")
    skills = raw.get("skills")
    if not _str_list(skills) or not skills:
        out.append(f"{where}: 'skills' must be a list of reading skills, from: {', '.join(SKILLS)}")
    else:
        out += [f"{where}: skill {s!r} is not one of: {', '.join(SKILLS)}" for s in skills if s not in SKILLS]
        out += [f"{where}: skill {s!r} is listed twice" for s in sorted(set(skills)) if skills.count(s) > 1]
    minutes = raw.get("minutes")
    low, high = START_MINUTES if str(raw.get("id", "")).startswith("00_") else LESSON_MINUTES
    if not _is_int(minutes):
        out.append(f"{where}: 'minutes' must be a whole number (the length of the lesson)")
    elif not low <= minutes <= high:
        out.append(f"{where}: minutes = {minutes}, but this lesson should take {low}–{high} minutes")
    if "teacher_note" in raw and not isinstance(raw["teacher_note"], str):
        out.append(f"{where}: 'teacher_note' must be some text")
    if "source" in raw:
        try:
            get_source(raw["source"])
        except UnknownSourceError as e:
            out.append(f"{where}: source: {e}")
    return out


def _section_fields(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, dict):
        return [f"{where}: write each section as a [[lesson.section]] table"]
    out = [f"{where}: unknown field '{k}' (check the spelling; fields are {', '.join(sorted(_SECTION_KEYS))})"
           for k in raw if k not in _SECTION_KEYS]
    out += _text_problems(raw, ("title", "teacher_does"), where)
    if not _is_int(raw.get("minutes")) or raw["minutes"] < 0:
        out.append(f"{where}: 'minutes' must be a whole number, 0 or more")
    for key in ("exercises", "revisits"):
        if key in raw and not _str_list(raw[key]):
            out.append(f"{where}: '{key}' must be a list of exercise ids, e.g. [\"molyneux-opvl\"]")
    return out


def _exercise_problems(lesson: Lesson, defs: dict[str, Exercise], where: str) -> list[str]:
    """Every exercise a lesson shows exists, belongs where it is listed, and every exercise of its file is shown."""
    out, seen = [], {}
    own_file = f"data/exercises/{lesson.id}.toml"
    for s in lesson.sections:
        here = f"{where}, section '{s.title}'"
        for ex_id, revisit in [(x, True) for x in s.revisits] + [(x, False) for x in s.exercises]:
            if ex_id in seen:
                out.append(f"{here}: exercise {ex_id!r} is already listed in section '{seen[ex_id]}'")
            seen.setdefault(ex_id, s.title)
            ex = defs.get(ex_id)
            if ex is None:
                out.append(f"{here}: no exercise {ex_id!r} in data/exercises/*.toml (check the spelling)")
            elif not revisit and ex.lesson != lesson.id:
                out.append(f"{here}: exercise {ex_id!r} is defined in data/exercises/{ex.lesson}.toml, not in "
                           f"{own_file}: move it there, or list it under 'revisits' if this lesson shows it again")
            elif revisit and ex.lesson == lesson.id:
                out.append(f"{here}: {ex_id!r} is this lesson's own exercise: list it under 'exercises', "
                           "not 'revisits'")
        needed = sum(defs[x].minutes or 0 for x in s.shown if x in defs)
        if needed > s.minutes:
            out.append(f"{here}: its exercises take {needed} minutes but the section has {s.minutes}: "
                       "give the section more minutes or shorten an exercise")
    out += [f"{where}: exercise {x!r} in {own_file} is in no section: add it to the 'exercises' of the section "
            "where the notebook shows it" for x, ex in defs.items() if ex.lesson == lesson.id and x not in seen]
    return out


def _prompt_skills(source_slug: str) -> set[str]:
    """The reading skills of the discussion questions shown beside a text's passages (data/prompts.csv)."""
    if not source_slug:
        return set()
    prompts = load_table("prompts")
    return set(prompts.loc[prompts["passage_id"].str.startswith(source_slug + "-"), "skill"].astype(str))


def _skill_problems(lesson: Lesson, defs: dict[str, Exercise], where: str) -> list[str]:
    """The skills a lesson lists are the ones its exercises and discussion questions train."""
    trained = {defs[x].skill for x in lesson.shown if x in defs}
    out = [f"{where}: exercise {x!r} trains {defs[x].skill!r}, which is not in the lesson's 'skills': add it"
           for x in lesson.shown if x in defs and defs[x].skill not in lesson.skills]
    discussed = _prompt_skills(lesson.source)
    out += [f"{where}: skill {s!r} is listed, but no exercise or discussion question of this lesson trains it: "
            "remove it or add an exercise" for s in lesson.skills if s not in trained | discussed]
    return out


def _build(raw: dict[str, Any]) -> Lesson:
    sections = tuple(Section(title=s["title"].strip(), minutes=s["minutes"], teacher_does=s["teacher_does"].strip(),
                             exercises=tuple(s.get("exercises", [])), revisits=tuple(s.get("revisits", [])))
                     for s in raw["section"])
    return Lesson(id=raw["id"], title=raw["title"].strip(), question=raw["question"].strip(),
                  objectives=tuple(raw["objectives"]), skills=tuple(raw["skills"]), minutes=raw["minutes"],
                  sections=sections, source=get_source(raw["source"]).slug if raw.get("source") else "",
                  teacher_note=raw.get("teacher_note", "").strip())


def _parse(lessons_file: Path, exercises_dir: Path) -> tuple[dict[str, Lesson], dict[str, Exercise], list[str]]:
    """The lessons that could be read, the exercise definitions, and every problem found."""
    data = _read_toml(lessons_file)
    name = _rel(lessons_file)
    items = data.get("lesson")
    if not isinstance(items, list) or not items:
        return {}, {}, [f"{name}: no lessons found; write each lesson as a [[lesson]] table"]
    problems = [f"{name}: unknown top-level entry '{k}' (only [[lesson]] tables belong here)"
                for k in data if k != "lesson"]
    try:
        defs = load_definitions(exercises_dir)
    except DefinitionError as e:
        defs = None
        problems.append(str(e))
    lessons: dict[str, Lesson] = {}
    for i, raw in enumerate(items, 1):
        if not isinstance(raw, dict):
            problems.append(f"{name}, lesson {i}: write each lesson as a [[lesson]] table (found {str(raw)[:40]!r})")
            continue
        where = f"{name}, lesson {i} ({str(raw.get('id', 'no id'))[:60]})"
        issues = _lesson_fields(raw, where)
        sections = raw.get("section")
        if not isinstance(sections, list) or not sections:
            issues.append(f"{where}: no sections; add one [[lesson.section]] per heading of the notebook")
            sections = []
        for j, s in enumerate(sections, 1):
            title = str(s.get("title", "no title"))[:60] if isinstance(s, dict) else "?"
            issues += _section_fields(s, f"{where}, section {j} ({title})")
        if isinstance(raw.get("id"), str) and raw["id"] in lessons:
            issues.append(f"{where}: id {raw['id']!r} is used by an earlier lesson")
        if not issues:
            total = sum(s["minutes"] for s in sections)
            if total != raw["minutes"]:
                issues.append(f"{where}: the sections add up to {total} minutes but the lesson has minutes = "
                              f"{raw['minutes']}: change a section's minutes or the total")
            titles = [s["title"].strip() for s in sections]
            issues += [f"{where}: two sections are called {t!r}" for t in sorted(set(titles)) if titles.count(t) > 1]
        problems += issues
        if issues:
            continue
        lesson = _build(raw)
        lessons[lesson.id] = lesson
        if defs is not None:
            problems += _exercise_problems(lesson, defs, where) + _skill_problems(lesson, defs, where)
    if defs is not None and len(lessons) == len(items):
        problems += [f"data/exercises/{p.name} has no lesson: add a [[lesson]] with id = \"{p.stem}\" to {name}"
                     for p in sorted(exercises_dir.glob("*.toml")) if p.stem not in lessons]
    return lessons, defs or {}, problems


def validate(lessons_file: Path = LESSONS_TOML, exercises_dir: Path = EXERCISES_DIR) -> list[str]:
    """Every problem in the lessons file, checked against the exercise definitions (empty when all is well)."""
    try:
        return _parse(lessons_file, exercises_dir)[2]
    except LessonError as e:
        return [str(e)]


def _load(lessons_file: Path | None = None, exercises_dir: Path | None = None
          ) -> tuple[dict[str, Lesson], dict[str, Exercise]]:
    lessons, defs, problems = _parse(lessons_file or LESSONS_TOML, exercises_dir or EXERCISES_DIR)
    if problems:
        raise LessonError(f"{_rel(lessons_file or LESSONS_TOML)} needs fixing:\n- " + "\n- ".join(problems))
    return lessons, defs


def load_lessons(lessons_file: Path = LESSONS_TOML, exercises_dir: Path = EXERCISES_DIR) -> dict[str, Lesson]:
    """Every lesson by id, in teaching order; raises LessonError listing every problem found."""
    return _load(lessons_file, exercises_dir)[0]


def get_lesson(lesson_id: str) -> Lesson:
    """The lesson with this id (the notebook's name, e.g. "01_molyneux"); a clear error names the known ones."""
    lessons = load_lessons()
    if lesson_id not in lessons:
        raise KeyError(f"No lesson {lesson_id!r} in data/lessons.toml; the lessons are: {', '.join(lessons)}.")
    return lessons[lesson_id]


# ---------------------------------------------------------------------------------------------------------------------
# Lessons against their notebooks
# ---------------------------------------------------------------------------------------------------------------------
def notebook_outline(path: Path) -> list[tuple[str, list[str]]]:
    """A notebook's '## ' headings (numbers stripped) with the exercises its code cells show under each, in order.

    Exercises shown before the first heading come under the heading "".
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    outline: list[tuple[str, list[str]]] = [("", [])]
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            for line in source.splitlines():
                m = _HEADING.match(line)
                if m:
                    outline.append((_NUMBER.sub("", m["title"]), []))
        elif cell.get("cell_type") == "code":
            outline[-1][1].extend(m["id"] for m in _EXERCISE_CALL.finditer(source))
    return outline if outline[0][1] else outline[1:]


def _compare_outline(lesson: Lesson, outline: list[tuple[str, list[str]]], where: str) -> list[str]:
    headings = [h for h, _ in outline]
    titles = [s.title for s in lesson.sections]
    out = [f"{where}: exercise {x!r} is shown before the first '## ' heading" for h, xs in outline if not h for x in xs]
    out += [f"{where}: heading {h!r} has no [[lesson.section]] with that title in data/lessons.toml"
            for h in headings if h and h not in titles]
    out += [f"{where}: data/lessons.toml has a section {t!r}, but the notebook has no '## ' heading with that title"
            for t in titles if t not in headings]
    common = [h for h in headings if h in titles]
    if not out and common != titles:
        out.append(f"{where}: the sections in data/lessons.toml are not in the notebook's order ({' / '.join(common)})")
    shown = dict(outline)
    for s in lesson.sections:
        if s.title not in shown:
            continue
        nb, plan = shown[s.title], set(s.shown)
        out += [f"{where}: under {s.title!r} the notebook shows exercise {x!r}, which that section of "
                "data/lessons.toml does not list" for x in nb if x not in plan]
        out += [f"{where}: section {s.title!r} of data/lessons.toml lists exercise {x!r}, which the notebook does "
                "not show under that heading" for x in s.shown if x not in nb]
    return out


def notebook_problems(notebooks_dir: Path = NOTEBOOKS_DIR, lessons_file: Path = LESSONS_TOML) -> list[str]:
    """Where the lessons file and the notebooks disagree: headings, their order, the exercises under each."""
    lessons = load_lessons(lessons_file)
    out = []
    for lesson in lessons.values():
        path = Path(notebooks_dir) / f"{lesson.id}.ipynb"
        if not path.exists():
            out.append(f"notebooks/{path.name} is missing, but data/lessons.toml has a lesson {lesson.id!r}")
            continue
        out += _compare_outline(lesson, notebook_outline(path), f"notebooks/{path.name}")
    out += [f"notebooks/{p.name} has no [[lesson]] in data/lessons.toml" for p in sorted(Path(notebooks_dir).glob(
        "*.ipynb")) if p.stem not in lessons]
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Exercise keys in words (for teacher mode and the guide), without any widget
# ---------------------------------------------------------------------------------------------------------------------
Entry = tuple[str, "str | list[str]"]


def _num(value: Any) -> str:
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


def _sources_value(f: dict[str, Any]) -> str:
    parts = []
    if f["compare_value"] is not None:
        parts.append(_num(f["compare_value"]))
    if f["compare_low"] is not None and f["compare_high"] is not None:
        rng = f"{_num(f['compare_low'])}–{_num(f['compare_high'])}"
        parts.append(f"(range {rng})" if parts else rng)
    return (" ".join(parts) + f" {f['unit']}") if parts else "no comparable value found"


def _estimate_key(ex: Exercise) -> list[Entry]:
    f = _row("cited_figures", "figure_id", ex.get("figure_id"))
    if f is None:
        return [("Key", f"figure {ex.get('figure_id')!r} is not in data/cited_figures.csv")]
    says = f"{_num(f['value'])} {f['unit']}: “{f['quote']}” ({_label(f['passage_id'])})"
    out: list[Entry] = [("The text says", says),
                        ("Sources say", _sources_value(f)), ("Verdict", str(f["verdict"]).replace("_", " "))]
    if f["note"]:
        out.append(("Note", f["note"]))
    if f["compare_citation"]:
        out.append(("Source", f["compare_citation"]))
    return out


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


def _entry_text(key: str, value: str | list[str]) -> str:
    if isinstance(value, list):
        return f"{key}:\n" + "\n".join(f"      - {v}" for v in value)
    return f"{key}: {value}"


def _entry_html(key: str, value: str | list[str]) -> Markup:
    if isinstance(value, list):
        numbered = all(re.match(r"\d+\. ", v) for v in value)  # options carry their own numbers
        items = el("ul", *[el("li", v) for v in value], style="list-style:none;padding-left:.3em" if numbered else None)
        return Markup(el("dt", key) + el("dd", items))
    return Markup(el("dt", key) + el("dd", value))


# ---------------------------------------------------------------------------------------------------------------------
# The lesson plan (shown at the top of a notebook)
# ---------------------------------------------------------------------------------------------------------------------
def _minutes(m: int) -> str:
    return f"{m} min" if m else "outside class"


def _exercise_label(ex: Exercise) -> str:
    return ex.title or TYPE_NAMES.get(ex.type, ex.type)


def _tag(text: str, colour: str = ACCENT) -> Markup:
    return el("span", text, class_="www-tag", style=f"background:{colour}")


def lesson_plan(lesson_id: str, teacher: bool = False) -> View:
    """The plan of one lesson: question, objectives and the steps with their minutes.

    ``teacher=True`` adds what the teacher does in each step, the teaching note, and every exercise's model answer,
    note and key (teacher mode hides these from the page, it does not lock them away: see data/exercises/README.md).
    """
    lessons, defs = _load()
    if lesson_id not in lessons:
        raise KeyError(f"No lesson {lesson_id!r} in data/lessons.toml; the lessons are: {', '.join(lessons)}.")
    lesson = lessons[lesson_id]
    head = ["#", "Step", "Minutes", "Exercises"] + (["What the teacher does"] if teacher else [])
    rows, text_rows = [], []
    for i, s in enumerate(lesson.sections, 1):
        names = [_exercise_label(defs[x]) for x in s.shown]
        cells = [str(i), s.title, _minutes(s.minutes), "; ".join(names) or "—"] + ([s.teacher_does] if teacher else [])
        rows.append(el("tr", el("td", cells[0]), el("th", cells[1], scope="row"), *[el("td", c) for c in cells[2:]]))
        text_rows.append(f"  {i}. {s.title} ({_minutes(s.minutes)})" + (f" — exercises: {cells[3]}" if names else "")
                         + (f"\n     Teacher: {s.teacher_does}" if teacher else ""))
    table = el("table", el("thead", el("tr", *[el("th", h, scope="col") for h in head])), el("tbody", *rows))
    # Folded for students (one line instead of a screen on a projector), open in teacher mode.
    table = el("details", el("summary", f"The lesson step by step: {lesson.minutes} minutes"), table,
               open=True if teacher else None)
    skills = el("p", el("strong", "Reading skills: "), *[Markup(_tag(s) + " ") for s in lesson.skills])
    # No heading of its own: the notebook's title is right above it (one screen line less on a projector).
    parts = [el("p", el("strong", "The question: "), lesson.question),
             el("p", el("strong", "By the end of this lesson you can:")),
             el("ul", *[el("li", o) for o in lesson.objectives]), skills, table]
    text = [lesson.heading, f"The question: {lesson.question}", "By the end of this lesson you can:",
            *[f"  - {o}" for o in lesson.objectives], f"Reading skills: {', '.join(lesson.skills)}",
            f"The lesson step by step ({lesson.minutes} minutes):", *text_rows]
    if teacher:
        html_t, text_t = _teacher_part(lesson, defs)
        parts.append(html_t)
        text.append(text_t)
    html = wrap(el("section", *parts, class_="www-card www-plan", aria_label=f"Lesson plan: {lesson.title}"))
    return View(html, "\n".join(text))


def _text_claims(source_slug: str) -> tuple[str, list[dict[str, Any]]]:
    """How many claims of a text were checked, with what verdicts, and the rows judged wrong or disputed."""
    claims = load_table("claims")
    mine = claims[claims["source_id"] == get_source(source_slug).source_id]
    counts = mine["verdict"].astype(str).value_counts()
    summary = ", ".join(f"{counts.get(v, 0)} {v}" for v in ("correct", "wrong", "disputed", "unverifiable"))
    bad = mine[mine["verdict"].astype(str).isin(PROBLEM_VERDICTS)]
    rows = [{k: ("" if pd.isna(v) else str(v)) for k, v in r.items()} for _, r in bad.iterrows()]
    return f"The collection fact-checked {len(mine)} claims in this text ({summary})", rows


def _claim_entries(c: dict[str, Any]) -> list[Entry]:
    out: list[Entry] = [("Better value", c["better_value"])] if c["better_value"] else []
    return out + [("Why", c["explanation"]), ("Source", c["citation"])]


def _teacher_claims(lesson: Lesson) -> tuple[Markup, list[str]]:
    """The errors list of the guide, compact, for teacher mode in the notebook."""
    summary, bad = _text_claims(lesson.source)
    lines = [f"  {ERRORS_HEADING} ({len(bad)}): {summary}."]
    items = []
    for c in bad:
        title = f"{_label(c['passage_id'])}, {c['verdict']}: “{c['quote']}”"
        items.append(el("li", el("strong", title), el("dl", *[_entry_html(k, v) for k, v in _claim_entries(c)])))
        lines.append(f"    {title}")
        lines += [f"      {_entry_text(k, v)}" for k, v in _claim_entries(c)]
    html = el("details", el("summary", f"{ERRORS_HEADING} ({len(bad)})"), el("p", summary + "."),
              el("ul", *items) if items else None, class_="www-note")
    return html, lines


def _teacher_part(lesson: Lesson, defs: dict[str, Exercise]) -> tuple[Markup, str]:
    """Teacher mode's additions to a plan: the teaching note and each exercise's answers and key."""
    blocks, lines = [], ["For the teacher (teacher mode):"]
    if lesson.teacher_note:
        blocks.append(el("p", el("strong", "How to run it: "), lesson.teacher_note))
        lines.append(f"  How to run it: {lesson.teacher_note}")
    for x in lesson.shown:
        ex = defs[x]
        entries = teacher_entries(ex)
        blocks.append(el("details", el("summary", f"{_exercise_label(ex)} ({ex.id})"),
                         el("dl", *[_entry_html(k, v) for k, v in entries]) if entries else
                         el("p", "No model answer or key: an open question."), class_="www-note"))
        lines.append(f"  {_exercise_label(ex)} ({ex.id}):")
        lines += [f"    {_entry_text(k, v)}" for k, v in entries]
    if lesson.source:
        html, text = _teacher_claims(lesson)
        blocks.append(html)
        lines += text
    html = el("div", el("h4", "For the teacher (teacher mode)"), *blocks,
              style=f"border-top:2px dashed {ACCENT};margin-top:.6em;padding-top:.3em")
    return html, "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------------
# Tables: what each lesson trains
# ---------------------------------------------------------------------------------------------------------------------
def _shown_exercises(lessons_file: Path | None = None) -> pd.DataFrame:
    lessons, defs = _load(lessons_file)
    rows = [(lesson.id, x, defs[x].type, defs[x].skill) for lesson in lessons.values() for x in lesson.shown]
    df = pd.DataFrame(rows, columns=["lesson", "exercise", "type", "skill"])
    df["lesson"] = pd.Categorical(df["lesson"], categories=list(lessons))
    return df


def _count_by(column: str, categories: Iterable[str], lessons_file: Path | None) -> pd.DataFrame:
    """Lesson × every category of ``column`` (zeros kept) → how many shown exercises fall in it."""
    df = _shown_exercises(lessons_file)
    df[column] = pd.Categorical(df[column], categories=list(categories))
    table = pd.crosstab(df["lesson"], df[column], dropna=False).astype(int)
    table.columns = [str(c) for c in table.columns]
    table.columns.name = None
    return table


def exercise_counts(lessons_file: Path | None = None) -> pd.DataFrame:
    """Lesson × exercise type → how many exercises the lesson's notebook shows (revisited ones included), and total."""
    table = _count_by("type", TYPES, lessons_file)
    table["total"] = table.sum(axis=1)
    return table


def skills_matrix(lessons_file: Path | None = None) -> pd.DataFrame:
    """Lesson × reading skill → how many of the lesson's exercises train it."""
    return _count_by("skill", SKILLS, lessons_file)


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
    discussed = {i: _prompt_skills(lessons[i].source) for i in ids}
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
    meta = [f"{ex.skill}", _minutes(ex.minutes or 0) if ex.minutes else "", f"step {section_no}: {section.title}"]
    if revisit:
        meta.append(f"revisited from {ex.lesson}")
    entries = teacher_entries(ex)
    return el("article", el("h4", _exercise_label(ex), " ", el("code", ex.id)),
              el("p", " · ".join(m for m in meta if m), class_="meta"), el("p", el("strong", "Prompt: "), ex.prompt),
              el("dl", *[_entry_html(k, v) for k, v in entries]) if entries else None, class_="exercise")


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
    summary, bad = _text_claims(lesson.source)
    head = el("p", f"{summary}; data/claims.csv has them all.", class_="note")
    if not bad:
        return Markup(el("h3", ERRORS_HEADING) + head
                      + el("p", "None of the claims checked in this text was found wrong or disputed."))
    items = []
    for c in bad:
        heading = el("h4", el("span", c["verdict"], class_=f"tag {c['verdict']}"), " ", _label(c["passage_id"]), " ",
                     el("code", c["claim_id"]))
        dl = el("dl", *[Markup(el("dt", k) + el("dd", v, class_="cite" if k == "Source" else None))
                        for k, v in _claim_entries(c)])
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
        rows.append([_label(f["passage_id"]), f"“{f['quote']}”", f"{_num(f['value'])} {f['unit']}", _sources_value(f),
                     str(f["verdict"]).replace("_", " "), el("span", f["compare_citation"] or "", class_="cite")])
    return Markup(el("h3", "Figures in this text that other sources put differently")
                  + _table(["Passage", "The text says", "Value", "Sources say", "Verdict", "Source"], rows,
                           "From data/cited_figures.csv; the lesson's charts show them beside the passage"))


def _lesson_section(lesson: Lesson, defs: dict[str, Exercise]) -> Markup:
    timing_rows = [[f"{n}. {s.title}", _minutes(s.minutes), s.teacher_does,
                    "; ".join(f"{_exercise_label(defs[x])} ({x})" for x in s.shown) or "—"]
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
    lessons, defs = _load(lessons_file, exercises_dir)
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
    head = el("head", el("meta", charset="utf-8"),
              el("meta", name="viewport", content="width=device-width, initial-scale=1"),
              el("title", GUIDE_TITLE), el("style", Markup(" ".join(GUIDE_CSS.split()))))
    return "<!DOCTYPE html>\n" + el("html", head, body, lang="en") + "\n"


__all__ = ["CENTRAL_QUESTION", "LESSONS_TOML", "Lesson", "LessonError", "Section", "exercise_counts", "exercise_key",
           "get_lesson", "lesson_plan", "load_lessons", "notebook_outline", "notebook_problems", "skills_matrix",
           "teacher_entries", "teacher_guide_html", "validate"]
