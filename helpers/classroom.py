"""The classroom controls every lesson shares: the student's name, the exercises, hand-in and restore, teacher mode.

Each function returns something a notebook cell displays: a live widget in JupyterLab with a readable fallback for
static views (GitHub, nbviewer, HTML export). The answer store is created once per kernel.
"""
from __future__ import annotations

import base64
import os
import threading
import time
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W

from . import answers, handinfolder, plans, worksheet
from .exercises import build
from .exercises.base import Shown, html_widget, plain_html
from .html import Markup, el
from .view import wrap

_teacher_mode: dict[str, bool] = {}  # this kernel's switch; never written to disk


@lru_cache(maxsize=1)
def store() -> answers.AnswerStore:
    """This kernel's answer store (folder from $WWW_ANSWERS_DIR, else ~/.what-went-wrong/answers), with what a killed
    save may have left behind cleared away."""
    s = answers.AnswerStore()
    s.clean_stale()
    _watch_turns(s)
    return s


_shown: "weakref.WeakSet[Any]" = weakref.WeakSet()  # this kernel's live exercises
_on_new_turn: dict[str, Callable[[], None]] = {}  # e.g. the name box clearing itself, by name
TURN_SECONDS = 2.0


def _watch_turns(s: answers.AnswerStore) -> None:
    """When "New student on this computer" is pressed in any notebook (any kernel), lock every exercise this kernel
    still shows (they hold the previous student's answers), empty its hand-in button and name box, and say what to
    do: a background thread compares the store's generation every TURN_SECONDS. Saves are refused for the old turn
    anyway (``AnswerStore.update``); this makes it visible before anyone types."""
    seen = {"turn": s.generation()}

    def new_turn() -> None:
        notice = ("A new student started on this computer, so these answers (the previous student's) are cleared "
                  "and locked. Run the notebook again (Run → Run All Cells) to answer as yourself.")
        for shown in list(_shown):
            if shown.generation != s.generation() and not shown.locked:
                shown.lock(notice)
        for refresh in list(_on_new_turn.values()):
            refresh()
        s.changed()

    def loop() -> None:
        while True:
            time.sleep(TURN_SECONDS)
            turn = s.generation()
            if turn != seen["turn"]:
                seen["turn"] = turn
                try:
                    new_turn()
                except Exception as e:  # noqa: BLE001 - the watcher must outlive one failed redraw
                    s._note(f"The notebook could not be cleared for the new student: {e}")

    threading.Thread(target=loop, name="www-new-student-watcher", daemon=True).start()



def is_teacher() -> bool:
    """Teacher mode is on when switched on in this kernel, or when $WWW_TEACHER is 1 (a teacher's own set-up).

    The switch lives in this kernel's memory only: it ends with the kernel (closing the notebook, restarting, the
    session ending), so the next person on a shared computer, or a student's own session, never inherits it.
    """
    return _teacher_mode.get("on", os.environ.get("WWW_TEACHER", "") == "1")


def set_teacher_mode(on: bool) -> str:
    """Switch teacher mode on or off for this notebook's kernel; exercises show keys after their cells re-run."""
    _teacher_mode["on"] = bool(on)
    if on:
        return ("Teacher mode is ON in this notebook until you close it: re-run the notebook (Run → Run All Cells) "
                "to see model answers and notes, folded under each exercise.")
    return "Teacher mode is off: re-run the notebook to hide model answers and notes."


def _static(title: str, lines: list[str]) -> tuple[Markup, str]:
    card = el("div", el("h3", title), *[el("p", x) for x in lines], class_="www-card www-screen-only")  # not on paper
    html = wrap(card)
    return html, "\n".join([title, *[f"  {x}" for x in lines]])


def _message(ok: bool, text: str) -> str:
    colour = "#006B4F" if ok else "#A33A00"
    return str(el("span", text, style=f"color:{colour};font-weight:600", role="status"))


def exercise(exercise_id: str, phase: str | None = None) -> Shown:
    """An exercise from data/exercises/*.toml, with the student's saved answer restored."""
    ex = build(exercise_id, store(), teacher=is_teacher(), phase=phase)
    _shown.add(ex)
    html, text = ex.fallback()
    return Shown(ex.box(), html, text)


def name_box() -> Shown:
    """Ask once for the student's name or pseudonym; shows it when it is already known."""
    s = store()
    name = W.Text(value=s.student or "", placeholder="Your name or a pseudonym your teacher knows",
                  description="Your name:", style={"description_width": "initial"}, layout=W.Layout(width="32em"))
    save = W.Button(description="Save my name", button_style="primary", icon="user")
    trouble = s.folder_problem()  # said before anyone types, not at the first save
    status = plain_html(_message(False, trouble) if trouble else
                        _message(True, f"Saved as: {s.student}") if s.student else "")

    known = {"name": s.student or ""}

    def on_save(_b: Any = None) -> None:
        try:
            clean = s.set_student(name.value)
        except answers.AnswerError as e:
            status.value = _message(False, str(e))
            return
        known["name"] = clean
        if name.value != clean:
            name.value = clean
        status.value = _message(True, f"Saved as: {clean}. Your answers and hand-in file carry this name.")

    def new_turn() -> None:
        if name.value == known["name"]:  # the previous student's name; a name being typed now stays
            name.value = ""
        known["name"] = ""
        status.value = _message(False, "A new student started on this computer: type your name and press “Save "
                                       "my name”.")

    _on_new_turn[f"name box {id(name)}"] = new_turn
    save.on_click(on_save)
    fresh, sure = new_student_controls(name, status)
    html, text = _static("Your name", ["Type your name or pseudonym in JupyterLab; it is asked only once."])
    row = W.HBox([name, save], layout=W.Layout(flex_flow="row wrap"))  # the button wraps below on a projector
    box = W.VBox([row, status, W.HBox([fresh, sure], layout=W.Layout(flex_flow="row wrap"))])
    box.add_class("www-controls")  # the theme's projector sizes for labels, buttons and status lines
    return Shown(box, html, text)


def new_student_controls(name: W.Text, status: W.HTML) -> tuple[W.Button, W.Button]:
    """"New student on this computer": a first click asks, a second puts the previous answers aside (archived in
    the answers folder, never deleted), so a shared computer never hands one student's work to the next."""
    fresh = W.Button(description="New student on this computer", icon="user-plus", layout=W.Layout(width="auto"),
                     tooltip="Put the previous student's answers aside and start empty")
    sure = W.Button(description="Yes, start empty", button_style="warning",
                    layout=W.Layout(display="none", width="auto"))

    def ask(_b: Any = None) -> None:
        sure.layout.display = None
        status.value = _message(False, "The answers saved on this computer will be put aside (not deleted) and "
                                       "this notebook starts empty. Press “Yes, start empty” to go on.")

    def archive(_b: Any = None) -> None:
        sure.layout.display = "none"
        previous = store().student
        if name.value == (previous or ""):  # cleared at once, before the slower archive: a name the next student
            name.value = ""                # starts typing meanwhile is never overwritten (it was, once in three)
        try:
            where = store().archive()
        except answers.AnswerError as e:
            status.value = _message(False, str(e))
            return
        status.value = _message(True, "Nothing to put aside: start by typing your name." if where is None else
                                "The previous answers are put aside (ask your teacher if they were yours). Type "
                                "your name, then re-run the notebook (Run → Run All Cells).")

    fresh.on_click(ask)
    sure.on_click(archive)
    return fresh, sure


HANDIN_BUTTON = ("display:inline-block;padding:0.6em 1.2em;border-radius:6px;background:#006B4F;color:#fff;"
                 "font-size:18px;font-weight:700;text-decoration:none;line-height:1.4")


def _download_link(path: os.PathLike | str, count: int, primary: bool = True) -> str:
    """The hand-in button: a link that holds the whole file, so one click (or Enter, or a tap) downloads it, on
    Binder, a hub or a laptop alike, without a server path or a second step. Refreshed after every save. Where the
    hub has a hand-in folder the button writes there, and this link is the smaller "download a copy"."""
    data = base64.b64encode(open(path, "rb").read()).decode("ascii")
    name = os.path.basename(path)
    label = "⬇ Hand in my answers" if primary else "⬇ Download a copy of your answers"
    style = HANDIN_BUTTON if primary else "font-size:18px;font-weight:700;color:#005A87"
    link = el("a", label, download=name, href=f"data:text/html;base64,{data}", style=style,
              title=f"Downloads {name}", class_="www-handin")
    note = el("span", f" {count} answer{'s' if count != 1 else ''} · the file is called {name}",
              style="font-size:16px;margin-left:0.6em")
    return str(el("div", link, note))


def _handin_refresher(s: answers.AnswerStore, target: W.HTML, primary: bool = True) -> Any:
    """A function that rewrites the hand-in file and its button from the answers saved now."""
    def refresh() -> None:
        if not s.student:
            target.value = _message(False, "Type your name above and press “Save my name”: then the hand-in "
                                           "button appears here.")
            return
        try:
            path = answers.export_handin(s, presenter=worksheet)
        except answers.AnswerError as e:
            target.value = _message(False, str(e))
            return
        except OSError as e:
            target.value = _message(False, f"The hand-in file could not be written: {s.folder_trouble(e)}")
            return
        target.value = _download_link(path, len(s.all()), primary)
    return refresh


def _folder_button(s: answers.AnswerStore, folder: Path, fallback: Callable[[], None]) -> W.VBox:
    """Where the hub names a hand-in folder: one click writes the student's file there and says when;
    if the folder is missing or unwritable, says so and turns the download link into the hand-in button."""
    button = W.Button(description="Hand in my answers", icon="upload", button_style="success",
                      tooltip="Puts your file in your teacher's hand-in folder on this hub",
                      style={"font_size": "18px", "font_weight": "bold"},  # as large as the download button
                      layout=W.Layout(width="auto", height="auto", padding="0.4em 1.2em", align_self="flex-start"))
    button.add_class("www-handin-button")
    status = plain_html()

    def on_click(_b: Any = None) -> None:
        try:
            handinfolder.hand_in_to_folder(s, folder, presenter=worksheet)
        except answers.AnswerError as e:
            status.value = _message(False, str(e))
            fallback()
            return
        stamp = answers.parse_time(answers.now_utc()).astimezone().strftime("%H:%M")
        count = len(s.all())
        what = "no answers yet" if not count else f"your {count} answer{'s' if count != 1 else ''}"
        status.value = _message(True, f"Handed in at {stamp}: your teacher has {what}. Changed an answer since? "
                                      "Press again: the newest hand-in counts.")
        button.description = "Hand in again"

    button.on_click(on_click)
    return W.VBox([button, status])


def hand_in() -> Shown:
    """Hand in: one link, always holding the latest answers, downloads the file in one click; and bring answers
    back from an earlier hand-in file."""
    s = store()
    parts: list[W.Widget] = []
    if answers.session_is_temporary():
        parts.append(html_widget(el("p", el("strong", "This is a temporary Binder session. "),
                                    "It ends soon after you stop working and keeps nothing. Hand in (download "
                                    "your file) before you leave; next time, upload that file below to continue.",
                                    role="alert", class_="www-clutter")))
    button = plain_html()
    folder = handinfolder.handin_folder()
    if folder is not None and not folder.is_dir():
        parts.append(html_widget(el("p", f"The class's hand-in folder ({folder}) does not exist on this hub, so the "
                                    "button below downloads your file: give it to your teacher, and tell them.",
                                    role="alert")))
        folder = None
    refresh = _handin_refresher(s, button, primary=folder is None)

    def downloads_instead() -> None:
        """The folder failed: the download link becomes the hand-in button."""
        s.listeners["hand-in"] = _handin_refresher(s, button)
        s.listeners["hand-in"]()

    s.listeners["hand-in"] = refresh  # one per kernel: re-running this cell replaces it
    refresh()
    # The widget writes its count after the description ("Restore from file (0)", read as "nothing restored"):
    # the theme shows the description alone (.www-restore in helpers/theme.py), and the outcome goes in the line
    # below.
    upload = W.FileUpload(accept=".html,.json", multiple=False, description="Restore my answers from a hand-in file:",
                          layout=W.Layout(width="auto"))
    upload.add_class("www-restore")
    restored = plain_html()

    def on_upload(change: dict) -> None:
        files = change["new"]
        if not files:
            return
        try:
            outcome = answers.restore_handin(s, bytes(files[0]["content"]))
        except answers.AnswerError as e:
            restored.value = _message(False, str(e))
            return
        restored.value = _message(True, f"{outcome}. Re-run the notebook (Run → Run All Cells) to see them.")

    upload.observe(on_upload, names="value")
    if folder:
        intro = ("When you have finished, check your name and press the green button: your file goes straight to "
                 "your teacher. Hand in as often as you like: the newest counts.")
        handin_parts = [_folder_button(s, folder, downloads_instead), button]
    else:
        intro = ("When you have finished, check your name, press the green button and hand the downloaded file to "
                 "your teacher. The button always holds your latest answers: hand in as often as you like, the "
                 "newest file counts.")
        handin_parts = [button]
    parts += [html_widget(el("p", intro)), name_box().widget, *handin_parts,
              html_widget(el("p", "Starting again on another computer or a new Binder session? Upload your last "
                                  "hand-in file to bring your answers back.", class_="www-note")),
              upload, restored]
    html, text = _static("Hand in your answers",
                         ["In JupyterLab, press “Hand in my answers” to download one file with all your answers.",
                          "Upload that file in a new session to bring your answers back."])
    box = W.VBox(parts)
    box.add_class("www-controls")
    return Shown(box, html, text)


def lesson_plan(lesson_id: str) -> Shown:
    """The lesson plan: question, objectives, steps with minutes, and the teacher-mode switch for this notebook.
    In teacher mode the live view adds the teacher's steps, notes, model answers, keys and the text's errors; static
    views (and nbval) always get the students' plan, so a committed notebook does not depend on who ran it."""
    student = plans.lesson_plan(lesson_id)
    plan = plain_html()

    def show_plan(_change: Any = None) -> None:
        if not is_teacher():
            plan.value = str(student.html)
            return
        banner = el("p", "TEACHER MODE IS ON in this notebook: model answers and keys are shown (folded). Switch it "
                         "off below, or close the notebook, before students use this computer.", role="alert",
                    style="background:#FFF3C4;border:3px solid #A33A00;color:#111;font-size:18px;font-weight:700;"
                          "padding:.4em .8em")
        plan.value = str(banner) + str(plans.lesson_plan(lesson_id, teacher=True).html)

    show_plan()
    switch = teacher_switch(on_change=show_plan).widget
    box = W.VBox([plan, switch])
    box.add_class("www-controls")
    return Shown(box, student.html, student.text)


def teacher_switch(on_change: Any = None) -> Shown:
    """A clear on/off switch for teacher mode (model answers and notes, folded, under each exercise).

    It holds for this notebook's kernel only (see ``is_teacher``), which is why every lesson plan carries one."""
    toggle = W.ToggleButton(value=is_teacher(), icon="graduation-cap",
                            tooltip="Show model answers and teaching notes under exercises (this notebook only)")
    status = plain_html()

    def look(on: bool) -> None:
        """Unmistakable either way: orange and 'ON' with keys showing, plain 'off' without."""
        toggle.description = "Teacher mode: ON (keys showing)" if on else "Teacher mode: off"
        toggle.button_style = "warning" if on else ""
        toggle.layout.width = "auto"

    def on_toggle(change: dict) -> None:
        look(bool(change["new"]))
        status.value = _message(True, set_teacher_mode(bool(change["new"])))
        if on_change is not None:
            on_change()

    look(toggle.value)

    toggle.observe(on_toggle, names="value")
    html, text = _static("Teacher mode", ["A switch for teachers: shows model answers and notes under exercises."])
    return Shown(W.HBox([toggle, status]), html, text)


__all__ = ["exercise", "hand_in", "is_teacher", "lesson_plan", "name_box", "set_teacher_mode", "store",
           "teacher_switch"]
