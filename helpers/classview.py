"""The teacher's class view: a folder of hand-ins summarised with the exercise definitions (keys, titles, types).

``dashboard`` reads hand-ins and computes tables; this module knows which exercises are multiple choice (and their
keys), continua, rankings and written answers, and lays the tables out as one readable page. The notebook shows it
with a folder box, so a teacher points it at a class without editing code.
"""
from __future__ import annotations

import base64
import io
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import ipywidgets as W

from .dashboard import ClassResults, load_class, problems_view, table_view
from .exercises import load_definitions
from .exercises.base import Shown, plain_html
from .handinfolder import handin_folder
from .html import Markup, el
from .sources import DATA_DIR
from .view import View, wrap

if TYPE_CHECKING:
    from .lessons import Lesson

SAMPLE_CLASS = DATA_DIR / "sample_class"
HAND_INS = DATA_DIR.parent / "hand-ins"  # where a teacher collects a class's files, visible in the file browser


def _ids(kind: str | tuple[str, ...]) -> list[str]:
    kinds = (kind,) if isinstance(kind, str) else kind
    return [e.id for e in load_definitions().values() if e.type in kinds]


def class_lessons(results: ClassResults | None = None) -> list[Lesson]:
    """The lessons a class has handed in answers from, in teaching order (every lesson when it has none yet, or
    without ``results``): a lesson added to the collection later does not change an earlier class's report.

    >>> [x.id for x in class_lessons()][:2]
    ['00_start_here', '01_molyneux']
    """
    from .lessons import load_lessons

    lessons = list(load_lessons().values())
    if results is None or not len(results.answers):
        return lessons
    handed = {str(n).removesuffix(".ipynb") for n in results.answers["notebook"]}
    return [x for x in lessons if x.id in handed] or lessons


def continuum_steps(lessons: list[Lesson] | None = None) -> list[tuple[str, str, str]]:
    """(column, exercise id, side) of the continuum path in teaching order: the start's "before", then each
    lesson's "after" (its own exercise, or the start's asked again)."""
    defs = load_definitions()
    steps: list[tuple[str, str, str]] = []
    for lesson in class_lessons() if lessons is None else lessons:
        for eid in lesson.shown:
            ex = defs[eid]
            if ex.type == "continuum":
                side = "after" if ex.get("before_from") or lesson.number else "before"
                title = "Before the texts" if side == "before" else f"After lesson {lesson.number}"
                steps.append((title, eid, side))
    return steps


def answer_key() -> dict[str, int]:
    """Multiple-choice keys from the exercise definitions (the same keys students get feedback from)."""
    return {e.id: e.get("answer") for e in load_definitions().values() if e.type == "multiple_choice"}


def _shown_ids(lesson_id: str | None, results: ClassResults | None = None) -> list[str]:
    """The exercises a lesson shows (when None, those of every lesson the class has handed in), in teaching order."""
    from .lessons import get_lesson

    chosen = [get_lesson(lesson_id)] if lesson_id else class_lessons(results)
    return list(dict.fromkeys(x for lesson in chosen for x in lesson.shown))


def _missing_titles(missing: str) -> str:
    """The titles of a student's unanswered exercises (one lesson's view), from the ids ``completion`` lists."""
    from .worksheet import title

    return "; ".join(title(x).split(" — ")[0] for x in missing.split(", ") if x)


def _missing_by_lesson(missing: str, lessons: list[Lesson] | None = None) -> str:
    """How many exercises a student has left in each lesson (all lessons' view: forty titles in a row would be
    unreadable; the lesson's own view names them).

    >>> _missing_by_lesson("")
    ''
    """
    left = set(x for x in missing.split(", ") if x)
    parts = []
    for lesson in class_lessons() if lessons is None else lessons:
        n = sum(x in left for x in lesson.shown)
        if n:
            parts.append(f"{'Lesson ' + str(lesson.number) if lesson.number else 'Start'}: {n} of {len(lesson.shown)}")
    return "; ".join(parts)


def class_report(folder: Path | str = SAMPLE_CLASS, lesson_id: str | None = None, *, student: str | None = None,
                 anonymous: bool = False, results: ClassResults | None = None) -> View:
    """Everything about one class on one page: files, completion, right answers, the continuum chart, and every
    exercise in the view its kind calls for (answer shares with the key, guesses against the figures, phrases
    ticked, the class ranking with its spread, written work as cards).

    ``lesson_id`` (e.g. "01_molyneux") narrows it to that lesson's exercises, named by their titles; the continuum
    always runs through every lesson (it is a journey). ``student`` keeps one student's answers in the exercise
    views; ``anonymous`` replaces every name by "Student 1, 2, …", to project for discussion. ``results``: the
    folder as already loaded (:func:`helpers.dashboard.load_class`), so it is not read twice.

    >>> "Student 1" in class_report(anonymous=True).text and "SAMPLE Badger" not in class_report(anonymous=True).text
    True
    """
    from .classkinds import continuum_chart, exercise_views, pseudonyms

    results = load_class(folder) if results is None else results
    sample = Path(folder).resolve() == SAMPLE_CLASS.resolve()
    ids = _shown_ids(lesson_id, results)
    lessons = class_lessons(results)
    scope = "this lesson" if lesson_id else "all lessons"
    names = pseudonyms(results.students) if anonymous else {s: s for s in results.students}

    short = _missing_titles if lesson_id else (lambda missing: _missing_by_lesson(missing, lessons))
    completion = results.completion(ids).assign(missing=lambda d: d["missing"].map(short)).rename(index=names)
    sections: list[tuple[str, View]] = [] if anonymous else [("Files", problems_view(results))]
    sections.append(("Completion per student", table_view(completion, f"Answered exercises of {scope}")))
    path = results.continuum_path(continuum_steps(lessons))
    if len(path):
        sections.append(("Where do you stand? Before and after each lesson",
                         continuum_chart(path, student=student, anonymous=anonymous)))
    sections.append(("Exercise by exercise", exercise_views(results, ids, student=student, anonymous=anonymous,
                                                            comments=_saved_comments(folder))))
    banner = (el("p", el("strong", "SAMPLE CLASS: "), "made-up students generated by scripts/make_sample_class.py, "
                 "for trying the dashboard out.", class_="www-clutter") if sample else Markup(""))
    html = wrap(banner, *[Markup(el("h2", head) + v.html) for head, v in sections], wide=True)
    text = ("SAMPLE CLASS (made-up students)\n" if sample else "") + "\n\n".join(
        f"{head}\n{v.text}" for head, v in sections)
    return View(html, text)


def _saved_comments(folder: Path | str) -> dict:
    """The teacher's saved comments for a class, or none if the file is missing or damaged (the comment form says
    what is wrong with it)."""
    from .feedback import FeedbackError, load_comments

    try:
        return load_comments(comments_folder(folder))
    except (FeedbackError, OSError):
        return {}


def class_folders(root: Path = HAND_INS.parent) -> list[Path]:
    """Folders a teacher can pick: the sample class, the hub's hand-in folder if it has one, and ``hand-ins/`` or any
    folder below it holding hand-ins or a learning platform's zip of them.

    >>> class_folders()[0] == SAMPLE_CLASS
    True
    """
    found = [SAMPLE_CLASS]
    hub = handin_folder()
    if hub is not None and hub.is_dir():  # the hub's hand-in folder (WWW_HANDIN_DIR), where the button writes
        found.append(hub)
    if HAND_INS.is_dir():  # hand-ins/ itself only if files were put straight into it
        found += sorted(p for p in [HAND_INS, *HAND_INS.rglob("*")] if p.is_dir()
                        and (any(p.glob("*.htm*")) or any(p.glob("*.zip"))))
    return found


def folder_signature(folder: Path | str) -> tuple:
    """The names, sizes and times of a folder's hand-in files: it changes when a student hands in.

    >>> folder_signature(SAMPLE_CLASS) == folder_signature(SAMPLE_CLASS)
    True
    """
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)
                            if e.name.endswith((".html", ".htm", ".json", ".zip"))))
    except OSError:
        return ()


def csv_name(folder: Path | str, lesson_id: str | None, what: str) -> str:
    """A download's file name that says which class and lesson it holds, safe on every system.

    >>> csv_name("/x/hand-ins/9B lesson 1", "01_molyneux", "one-row-per-student")
    '9B-lesson-1_01_molyneux_one-row-per-student.csv'
    """
    cls = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(folder).name).strip(".-")[:40] or "class"
    return f"{cls}_{lesson_id or 'all-lessons'}_{what}.csv"


def _csv_links(results: ClassResults, comments: dict, lesson_id: str | None = None) -> str:
    """Two downloads, named for the class and the lesson: one row per student (a column per exercise field, with
    comments and marks: for a spreadsheet or a gradebook), and every answer as a row (for analysis)."""
    from .feedback import wide_table

    links = []
    folder = results.folder
    for label, name, table in (("⬇ One row per student (CSV, with your comments)",
                                csv_name(folder, lesson_id, "one-row-per-student"),
                                wide_table(results, comments).reset_index()),
                               ("⬇ Every answer as a row (CSV)", csv_name(folder, lesson_id, "every-answer"),
                                None)):
        buffer = io.StringIO()
        results.to_csv(buffer, table)
        data = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
        links.append(el("a", label, download=name, href=f"data:text/csv;base64,{data}",
                        style="font-weight:700;margin-right:1.5em"))
    return str(el("p", *links))


def comments_folder(folder: Path | str) -> Path:
    """Where a class's comments and feedback files go: the class folder itself, except for the sample class
    (part of the collection), whose go to ``hand-ins/sample-class/``.

    >>> comments_folder(SAMPLE_CLASS) == HAND_INS / "sample-class"
    True
    """
    return HAND_INS / "sample-class" if Path(folder).resolve() == SAMPLE_CLASS.resolve() else Path(folder)


def _comment_box(current: Callable[[], tuple[str, ClassResults, list[str]]], on_saved: Callable[[], None],
                 labels: Callable[[], dict[str, str]] = lambda: {}) -> W.VBox:
    """The teacher's comment and mark on one student's answer to one exercise, saved to the class folder at once."""
    from .feedback import FeedbackError, load_comments, save_comment, write_feedback
    from .worksheet import title

    who = W.Dropdown(description="Student:", style={"description_width": "initial"}, layout=W.Layout(width="20em"))
    which = W.Dropdown(description="Exercise:", style={"description_width": "initial"}, layout=W.Layout(width="36em"))
    comment = W.Textarea(placeholder="Your comment for the student", layout=W.Layout(width="100%", height="5em"))
    mark = W.Text(placeholder="Mark (optional)", layout=W.Layout(width="12em"))
    save = W.Button(description="Save comment", button_style="primary", icon="save", layout=W.Layout(width="auto"))
    export = W.Button(description="Write feedback files", icon="file", layout=W.Layout(width="auto"),
                      tooltip="One page per student, with their answers and your comments, in the class folder")
    status = plain_html()

    def refill(_change: Any = None) -> None:
        """New choices after the folder or the lesson changed; a student or exercise still there stays chosen."""
        folder, results, ids = current()
        keep_who, keep_which = who.value, which.value
        shown = labels()  # "Student 3" instead of a name in anonymous mode: the form is on the projected page too
        who.options = [(shown.get(name, name), name) for name in results.students]
        which.options = [(title(x).split(" — ")[0] + f" ({x})", x) for x in ids]
        who.value = keep_who if keep_who in results.students else (results.students or [None])[0]
        which.value = keep_which if keep_which in ids else (ids or [None])[0]
        show_saved()

    def show_saved(_change: Any = None) -> None:
        folder, _results, _ids = current()
        try:
            saved = load_comments(comments_folder(folder)).get(who.value or "", {}).get(which.value or "", {})
        except FeedbackError as e:
            status.value = _message(str(e), ok=False)
            return
        comment.value, mark.value = saved.get("comment", ""), saved.get("mark", "")

    def on_save(_b: Any = None) -> None:
        folder, _results, _ids = current()
        if not who.value or not which.value:
            status.value = _message("Choose a student and an exercise first.", ok=False)
            return
        try:
            target = comments_folder(folder)
            target.mkdir(parents=True, exist_ok=True)
            save_comment(target, who.value, which.value, comment.value, mark.value)
        except (FeedbackError, OSError) as e:
            status.value = _message(str(e), ok=False)
            return
        on_saved()  # first the exports with this comment, then the message saying it is saved
        status.value = _message(f"Saved for {labels().get(who.value, who.value)}, kept in {_shown_path(target)}/"
                                "teacher-comments.json.")

    def on_export(_b: Any = None) -> None:
        folder, results, _ids = current()
        try:
            target = comments_folder(folder)
            target.mkdir(parents=True, exist_ok=True)
            paths = write_feedback(target, results)
        except (FeedbackError, OSError) as e:
            status.value = _message(str(e), ok=False)
            return
        status.value = _message(f"{len(paths)} feedback pages written to {_shown_path(target)}/feedback/: give each "
                                "student theirs (it opens in any browser).")

    who.observe(show_saved, names="value")
    which.observe(show_saved, names="value")
    save.on_click(on_save)
    export.on_click(on_export)
    box = W.VBox([plain_html(str(el("h3", "Your comments"))),
                  W.HBox([who, which], layout=W.Layout(flex_flow="row wrap")), comment,
                  W.HBox([mark, save, export], layout=W.Layout(flex_flow="row wrap")), status])
    box.refill = refill  # called when the folder or the lesson changes
    return box


def _message(text: str, ok: bool = True) -> str:
    return str(el("span", text, role="status", style=f"color:{'#006B4F' if ok else '#A33A00'};font-weight:600"))


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(HAND_INS.parent.resolve()))
    except ValueError:
        return str(path)


def class_dashboard(folder: Path | str = SAMPLE_CLASS) -> Shown:
    """Choose a class folder (from a list of the folders in ``hand-ins/``, or type one) and a lesson; the class
    report follows, with a student filter, an anonymous mode for projecting, comments per answer and the exports.
    Starts with ``folder`` (the sample class) and all lessons."""
    from .classkinds import pseudonyms
    from .feedback import FeedbackError, load_comments
    from .lessons import load_lessons

    root = HAND_INS.parent
    folders = W.Dropdown(options=[(_folder_label(p, root), str(p)) for p in class_folders()],
                         value=str(folder) if Path(folder) in class_folders() else str(SAMPLE_CLASS),
                         description="Class folder:", style={"description_width": "initial"},
                         layout=W.Layout(width="32em"))
    typed = W.Text(value="" if Path(folder) in class_folders() else str(folder),
                   placeholder="…or type another folder's path", layout=W.Layout(width="24em"))
    lesson = W.Dropdown(options=[("All lessons", "")] + [(x.heading, x.id) for x in load_lessons().values()],
                        value="", description="Lesson:", style={"description_width": "initial"},
                        layout=W.Layout(width="40em"))
    student = W.Dropdown(options=[("Everyone", "")], value="", description="Show:",
                         style={"description_width": "initial"}, layout=W.Layout(width="20em"))
    anonymous = W.Checkbox(value=False, description="Anonymous (no names: to project)", indent=False,
                           layout=W.Layout(width="auto"))
    load = W.Button(description="Load", button_style="primary", icon="folder-open")
    out = W.HTML(layout=W.Layout(width="100%", max_width="100%"))
    out.add_class("www-report")
    first = load_class(folder)  # an unreadable folder fails here, with its message, before anything is shown
    state: dict[str, Any] = {"folder": str(folder), "results": first, "unused": first}

    def current() -> tuple[str, ClassResults, list[str]]:
        return state["folder"], state["results"], _shown_ids(lesson.value or None, state["results"])

    def show(_change: Any = None) -> None:
        chosen = typed.value.strip() or folders.value
        unused = state.pop("unused", None)  # the first page reuses the folder read above, once
        try:
            results = unused if unused is not None and chosen == state["folder"] else load_class(chosen)
            shown = names_shown(results)
            keep = student.value
            student.options = [("Everyone", "")] + [(shown[s], s) for s in results.students]
            student.value = keep if keep in results.students else ""
            report = class_report(chosen, lesson.value or None, student=student.value or None,
                                  anonymous=anonymous.value, results=results)
        except (OSError, ValueError) as e:
            out.value = str(el("p", f"Could not read that folder: {e}", role="alert", style="color:#A33A00"))
            return
        state.update(folder=chosen, results=results, report=report)
        try:
            comments = load_comments(comments_folder(chosen))
        except FeedbackError:
            comments = {}  # the comment box says what is wrong with the file
        out.value = str(el("div", Markup(_csv_links(results, comments, lesson.value or None)),
                           Markup(str(report.html))))

    def names_shown(results: ClassResults) -> dict[str, str]:
        """Each student's label on screen: the name, or "Student N" in anonymous mode (as the report numbers them)."""
        return pseudonyms(results.students) if anonymous.value else {s: s for s in results.students}

    comments_box = _comment_box(current, show, lambda: names_shown(state["results"]))

    def reload(_change: Any = None) -> None:
        show()
        comments_box.refill()

    load.on_click(reload)
    _watch(lambda: state["folder"], reload)
    folders.observe(reload, names="value")
    lesson.observe(reload, names="value")
    student.observe(show, names="value")
    anonymous.observe(reload, names="value")  # the report, the drop-downs and the comment form alike
    reload()
    report = state.get("report") or class_report(folder)  # the first page shown: the folder, all lessons, names
    controls = W.VBox([W.HBox([folders, typed, load], layout=W.Layout(flex_flow="row wrap")), lesson,
                       W.HBox([student, anonymous], layout=W.Layout(flex_flow="row wrap"))])
    return Shown(W.VBox([controls, out, comments_box]), report.html, report.text)


_watcher: dict[str, threading.Event] = {}  # this kernel's one folder watcher: a re-run dashboard replaces it
WATCH_SECONDS = 3.0


def _watch(folder: Callable[[], str], reload: Callable[[], None]) -> None:
    """Reload the dashboard when a hand-in arrives in (or leaves) the chosen folder: a background thread compares
    :func:`folder_signature` every WATCH_SECONDS, so a teacher sees a student a few seconds after the click."""
    if (old := _watcher.pop("dashboard", None)) is not None:
        old.set()
    stop = _watcher["dashboard"] = threading.Event()

    def loop() -> None:
        seen = (folder(), folder_signature(folder()))
        while not stop.wait(WATCH_SECONDS):
            now = (folder(), folder_signature(folder()))
            if now[0] == seen[0] and now[1] != seen[1]:
                try:
                    reload()
                except Exception:  # noqa: BLE001 (a watcher must never die on one unreadable moment)
                    pass
            seen = now

    threading.Thread(target=loop, name="www-hand-in-watcher", daemon=True).start()


def _folder_label(path: Path, root: Path) -> str:
    if path == SAMPLE_CLASS:
        return "Sample class (made-up students)"
    if path == handin_folder():
        return "Hand-ins on this hub (new ones appear by themselves)"
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
