"""The lessons as data: each notebook's arc from ``data/lessons.toml``, checked against the exercises and notebooks.

``data/lessons.toml`` holds one ``[[lesson]]`` per notebook (title, central question, objectives, reading skills,
minutes) with one ``[[lesson.section]]`` per numbered heading (minutes, what the teacher does, the exercises shown
there). This module loads and checks that file against the exercise definitions and the notebooks' headings, and
says what each lesson trains (``skills_matrix()``, ``exercise_counts()``). What is built from it lives beside it:
``plans`` (the plan at the top of a lesson), ``keys`` (each exercise's key in words) and ``guide`` (the teacher's
guide).

Plain Python and pandas: no IPython, no widgets.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .context import SKILLS, load as load_table
from .exercises.definitions import (EXERCISES_DIR, TYPES, DefinitionError, Exercise, file_stamps, load_definitions,
                                   read_toml_text)
from .sources import DATA_DIR, ROOT, UnknownSourceError, get_source

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


def prompt_skills(source_slug: str) -> set[str]:
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
    discussed = prompt_skills(lesson.source)
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
    """The lessons that could be read, the exercise definitions, and every problem found; parsed again only when
    the lessons file or an exercise file changes."""
    stamps = file_stamps([lessons_file, *sorted(exercises_dir.glob("*.toml"))])
    lessons, defs, problems = _parse_files(lessons_file, exercises_dir, stamps)
    return dict(lessons), dict(defs), list(problems)


@lru_cache(maxsize=8)
def _parse_files(lessons_file: Path, exercises_dir: Path, stamps: tuple
                 ) -> tuple[dict[str, Lesson], dict[str, Exercise], list[str]]:
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


def lessons_and_exercises(lessons_file: Path | None = None, exercises_dir: Path | None = None
          ) -> tuple[dict[str, Lesson], dict[str, Exercise]]:
    lessons, defs, problems = _parse(lessons_file or LESSONS_TOML, exercises_dir or EXERCISES_DIR)
    if problems:
        raise LessonError(f"{_rel(lessons_file or LESSONS_TOML)} needs fixing:\n- " + "\n- ".join(problems))
    return lessons, defs


def load_lessons(lessons_file: Path = LESSONS_TOML, exercises_dir: Path = EXERCISES_DIR) -> dict[str, Lesson]:
    """Every lesson by id, in teaching order; raises LessonError listing every problem found."""
    return lessons_and_exercises(lessons_file, exercises_dir)[0]


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
# Tables: what each lesson trains
# ---------------------------------------------------------------------------------------------------------------------
def _shown_exercises(lessons_file: Path | None = None) -> pd.DataFrame:
    lessons, defs = lessons_and_exercises(lessons_file)
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


