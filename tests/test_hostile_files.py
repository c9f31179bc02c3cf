"""Hostile files and folders: hand-ins (oversized, quadratic bait, deep nesting, tampered, forged dates), the answers
folder (read-only, a file where the folder should be, FIFOs, folders named like answer files, newer formats), names,
CSV export and exercise files. The contract everywhere: no crash, no hang, nothing lost, a message naming the file or
field and saying what to do."""
from __future__ import annotations

import csv
import io
import os
import time
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from helpers import answers as A
from helpers import classroom
from helpers.answers import Answer, AnswerError, AnswerStore, Handin, HandinError, handin_html, read_handin
from helpers.dashboard import load_class, write_csv
from helpers.exercises import load_definitions
from helpers.exercises.definitions import DefinitionError

DEFS = load_definitions()
TEXT_ID = next(ex.id for ex in DEFS.values() if ex.type == "free_text")
NB = "01_molyneux"
NOW = datetime.now(timezone.utc)


def handin(student="Ada", exported=None, answers=None) -> Handin:
    exported = exported or (NOW - timedelta(hours=1))
    items = answers if answers is not None else {TEXT_ID: Answer(TEXT_ID, "my answer",
                                                                 (exported - timedelta(minutes=5)).isoformat(), NB)}
    return Handin(student, exported.isoformat(timespec="seconds"), A.collection_version(), items)


def page(h: Handin | None = None) -> str:
    return handin_html(h or handin())


# --- hand-in files: linear, bounded, damaged or tampered ---------------------------------------------------------

QUADRATIC_BAIT = {
    "many-script-openers": "<script id=www-handin>" * 20_000,
    "many-scripts-no-close": "<script " * 40_000,
    "unclosed-data-block": '<script type="application/json" id="www-handin">{"a": "' + "x" * 300_000,
    "brackets": "[" * 200_000,
    "quotes": '"' * 200_000,
    "backslashes": '{"a": "' + "\\" * 200_001 + '"}',
    "long-attribute": "<script " + "a" * 300_000 + " id=www-handin>{}</script>",
}


@pytest.mark.parametrize("name", sorted(QUADRATIC_BAIT))
def test_hostile_handin_bytes_are_refused_quickly_with_a_named_reason(name):
    started = time.perf_counter()
    with pytest.raises(HandinError) as e:
        read_handin(QUADRATIC_BAIT[name].encode())
    assert "the uploaded file" in str(e.value)
    assert time.perf_counter() - started < 5  # a guard against hangs, not a benchmark (see benchmarks/run.py)


def test_an_oversized_handin_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.html"
    with open(big, "wb") as f:
        f.truncate(A.MAX_HANDIN_BYTES + 1)
    with pytest.raises(HandinError) as e:
        read_handin(big)
    assert e.value.kind == "too-large" and "big.html" in str(e.value)
    with pytest.raises(HandinError, match="more than"):
        read_handin(b" " * (A.MAX_HANDIN_BYTES + 1))


DAMAGED = {
    "not json": "{not json",
    "deep": '{"format": "what-went-wrong/hand-in", "x": ' + "[" * 5000 + "]" * 5000 + "}",
    "huge number version": '{"format": "what-went-wrong/hand-in", "format_version": ' + "9" * 400 + "}",
    "string version": '{"format": "what-went-wrong/hand-in", "format_version": "1"}',
    "no answers": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": "A", '
                  '"exported_at": "2026-01-01T00:00:00+00:00"}',
    "answers not a list": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": "A", '
                          '"exported_at": "2026-01-01T00:00:00+00:00", "answers": {"a": 1}}',
    "bad date": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": "A", '
                '"exported_at": "yesterday", "answers": []}',
    "year 99999": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": "A", '
                  '"exported_at": "99999-01-01", "answers": []}',
    "bad id": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": "A", '
              '"exported_at": "2026-01-01T00:00:00+00:00", "answers": [{"exercise_id": "../x", "value": 1, '
              '"saved_at": "2026-01-01T00:00:00+00:00", "notebook": "n"}]}',
    "invisible name": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": "\\u200b", '
                      '"exported_at": "2026-01-01T00:00:00+00:00", "answers": []}',
    "name is a list": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": ["A"], '
                      '"exported_at": "2026-01-01T00:00:00+00:00", "answers": []}',
    "version is a dict": '{"format": "what-went-wrong/hand-in", "format_version": 1, "student": "A", '
                         '"collection_version": {"x": 1}, "exported_at": "2026-01-01T00:00:00+00:00", "answers": []}',
    "future format": '{"format": "what-went-wrong/hand-in", "format_version": 99}',
    "foreign json": '{"format": "something-else"}',
    "json list": "[1, 2, 3]",
    "empty": "",
    "binary": "\x00\x01\x02\xff",
    "utf16": "\ufeff{}",
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_handins_are_refused_by_kind_with_a_message(name, tmp_path):
    path = tmp_path / "file.html"
    path.write_text(DAMAGED[name], encoding="utf-8", errors="surrogateescape")
    with pytest.raises(HandinError) as e:
        read_handin(path)
    assert e.value.kind in ("corrupt", "foreign", "future-format") and "file.html" in str(e.value)


def test_a_script_added_to_a_handin_is_flagged_and_blocked_by_its_csp():
    original = page()
    assert 'http-equiv="Content-Security-Policy"' in original and "script-src &#x27;none&#x27;" in original
    assert read_handin(original.encode()).notes == ()
    tampered = original.replace("</main>", "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"
                                           "</main>")
    notes = read_handin(tampered.encode()).notes
    assert notes and "<script" in notes[0] and "onerror=" in notes[0]


@pytest.mark.parametrize("years", [1, 73])
def test_a_forged_copy_dated_in_the_future_never_replaces_the_real_one(tmp_path, years):
    real = handin()
    forged = handin(exported=NOW + timedelta(days=365 * years),
                    answers={TEXT_ID: Answer(TEXT_ID, "forged", NOW.isoformat(), NB)})
    (tmp_path / "real.html").write_text(page(real), encoding="utf-8")
    (tmp_path / "forged.html").write_text(page(forged), encoding="utf-8")
    results = load_class(tmp_path)
    assert results.answers["value"].tolist() == ["my answer"]
    assert any(p.file == "forged.html" and "impossible" in p.message for p in results.problems)


def test_answers_saved_after_the_export_are_flagged(tmp_path):
    h = handin(answers={TEXT_ID: Answer(TEXT_ID, "x", (NOW + timedelta(days=2)).isoformat(), NB)},
               exported=NOW - timedelta(days=1))
    assert any("after the file was exported" in n for n in read_handin(page(h).encode()).notes)


def test_one_bad_file_of_every_kind_never_takes_down_the_class(tmp_path):
    for i, text in enumerate(list(DAMAGED.values()) + list(QUADRATIC_BAIT.values())):
        (tmp_path / f"bad-{i:02d}.html").write_text(text, encoding="utf-8", errors="surrogateescape")
    (tmp_path / "real.html").write_text(page(), encoding="utf-8")
    (tmp_path / "folder.html").mkdir()
    os.mkfifo(tmp_path / "pipe.html")
    results = load_class(tmp_path)
    assert results.students == ["Ada"]
    skipped = {p.file for p in results.problems if p.skipped}
    assert skipped == {f"bad-{i:02d}.html" for i in range(len(DAMAGED) + len(QUADRATIC_BAIT))}
    assert all(p.file in p.message for p in results.problems)


# --- the answers folder ------------------------------------------------------------------------------------------

def test_a_fifo_where_an_answer_file_should_be_never_hangs(tmp_path):
    store = AnswerStore(tmp_path, student="Ada")
    os.mkfifo(store.path_for(TEXT_ID))
    with pytest.raises(AnswerError, match="not a regular file"):
        store.load(TEXT_ID)
    assert A.build_handin(store).answers == {}  # the rest still hands in
    assert any(TEXT_ID in p for p in store.problems)


def test_a_folder_named_like_an_answer_file(tmp_path):
    store = AnswerStore(tmp_path, student="Ada")
    other = next(ex.id for ex in DEFS.values() if ex.type == "free_text" and ex.id != TEXT_ID)
    store.save(other, "kept", NB)
    store.path_for(TEXT_ID).mkdir()
    assert set(A.build_handin(store).answers) == {other}
    with pytest.raises(AnswerError, match="cannot be read|could not be saved"):
        store.save(TEXT_ID, "x", NB)


def test_an_answer_file_of_a_newer_format_blocks_nothing_else(tmp_path):
    store = AnswerStore(tmp_path, student="Ada")
    other = next(ex.id for ex in DEFS.values() if ex.type == "free_text" and ex.id != TEXT_ID)
    store.save(other, "kept", NB)
    store.path_for(TEXT_ID).write_text('{"format": "what-went-wrong/answer", "format_version": 9}')
    handin = A.build_handin(store)
    assert set(handin.answers) == {other}
    assert any("newer version" in p for p in store.problems)
    assert store.path_for(TEXT_ID).exists()


def test_a_file_where_the_answers_folder_should_be(tmp_path):
    blocker = tmp_path / "answers"
    blocker.write_text("not a folder")
    store = AnswerStore(blocker)
    with pytest.raises(AnswerError, match="is a file, but answers need a folder"):
        store.set_student("Ada")
    with pytest.raises(AnswerError, match="is a file"):
        store.save(TEXT_ID, "x", NB)
    assert store.student is None and store.all() == {}


def _read_only(monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(A, "write_atomic", refuse)


def test_a_read_only_folder_says_so_on_every_control(tmp_path, monkeypatch):
    """As root (CI) chmod cannot make a folder read-only, so the write itself is refused, as the OS would."""
    monkeypatch.setenv(A.ENV_VAR, str(tmp_path / "answers"))
    monkeypatch.delenv("WWW_TEACHER", raising=False)
    classroom.store.cache_clear()
    AnswerStore().set_student("Ada")
    AnswerStore().save(TEXT_ID, "before", NB)
    _read_only(monkeypatch)
    box = classroom.name_box().widget
    text, button = box.children[0].children
    text.value = "Ada Lovelace"
    button.click()
    assert "read-only" in box.children[1].value and "Nothing you saved before is lost" in box.children[1].value
    with pytest.raises(AnswerError, match="read-only"):
        AnswerStore().save(TEXT_ID, "after", NB)
    assert AnswerStore().load(TEXT_ID) == "before"
    hand = classroom.hand_in().widget
    result = next(w.value for w in hand.children if "could not be written" in getattr(w, "value", ""))
    assert "could not be written" in result and "answers are safe" in result
    classroom.store.cache_clear()


def test_relative_answers_folder_is_one_folder_for_every_notebook(monkeypatch, tmp_path):
    monkeypatch.setenv(A.ENV_VAR, "class-answers")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    first = A.default_root()
    (tmp_path / "teacher").mkdir()
    monkeypatch.chdir(tmp_path / "teacher")
    assert A.default_root() == first == tmp_path / "class-answers"


def test_no_temporary_files_are_left_after_a_failed_write(tmp_path, monkeypatch):
    store = AnswerStore(tmp_path, student="Ada")

    def crash(*_a):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(A.os, "replace", crash)
    with pytest.raises(AnswerError):
        store.save(TEXT_ID, "x", NB)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


# --- names --------------------------------------------------------------------------------------------------------

REFUSED_NAMES = ["", " ", "\u200b", "Anna\u200b", "\u200bAnna", "An\u2060na", "\u3164", "\u115f\u1160", "\u2800",
                 "\u180e", "\ufeffAnna", "Anna\u00ad", "\u200d", "\u0301", "a\u202eb", "a\u2066b", "a\nb", "a\rb",
                 "a\x00b", "a\x1bb", "a\u2028b", "a\u2029b", "\udc80", "x" * 61, None, 1, ["Anna"], {"n": 1},
                 "\ue000", "\U000e0041", "..", "-", "…"]


@pytest.mark.parametrize("name", REFUSED_NAMES, ids=range(len(REFUSED_NAMES)))
def test_invisible_blank_and_control_names_are_refused(name, tmp_path):
    with pytest.raises(AnswerError):
        AnswerStore(tmp_path).set_student(name)
    assert not (tmp_path / "student.json").exists()


NAMES = ["李小龙", "王芳", "محمد", "سارا", "Зоя", "Иван Петров", "Ελένη", "Νίκος", "מרים", "🦊", "🦊🦊", "👩\u200d🎓 Li",
         "Zoë", "Zoe", "Zoë O'Neill", "José", "Jose", "Nguyễn Văn A", "मोहन", "ਗੁਰਪ੍ਰੀਤ", "کاوه\u200cای", "Ａｎｎａ",
         "x" * 60, "A", "a-b", "a.b", "CON", "a/b\\c", "<script>"]


def test_every_distinct_name_gets_its_own_readable_file_name():
    files = {}
    for n in NAMES:
        clean = A.validate_student(n)
        f = A.handin_filename(clean)
        assert f.isascii() and f.endswith(".html") and "/" not in f and "\\" not in f and len(f) < 90
        files.setdefault(f, set()).add(A.student_key(clean))
    assert all(len(keys) == 1 for keys in files.values())  # one file name per student, never two
    assert len(files) == len({A.student_key(A.validate_student(n)) for n in NAMES})


def test_look_alike_forms_are_folded_into_one_name():
    assert A.validate_student("Ａｎｎａ") == "Anna" and A.validate_student("  Anna   Lee ") == "Anna Lee"
    assert A.student_key("Anna") == A.student_key("ANNA") and A.student_key("Zoë") != A.student_key("Zoe")


# --- CSV export ---------------------------------------------------------------------------------------------------

INJECTIONS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=cmd|' /C calc'!A0", "ok\r=cmd|' /C calc'!A0",
              "ok\n=HYPERLINK(\"http://x\")", "ok\r\n+1", "a,b", 'a"b', "a\"\r\n\"=1", "\x00=1", "é=1", "=" * 1000]


@pytest.mark.parametrize("text", INJECTIONS, ids=range(len(INJECTIONS)))
def test_csv_cells_never_start_a_formula_or_a_row(text):
    out = io.StringIO()
    write_csv(out, pd.DataFrame({"student": ["Ada", "Bo"], "answer": [text, "plain"]}))
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert [r[0] for r in rows] == ["student", "Ada", "Bo"]  # no invented rows
    cell = rows[1][1]
    assert all(not line.startswith(("=", "+", "-", "@", "\t", "\0")) for line in cell.split("\n"))
    assert "\r" not in cell
    naive = out.getvalue().splitlines()  # even a reader that splits on every line break sees no formula
    assert all(not line.lstrip('"').startswith(("=", "+", "@")) for line in naive)


# --- exercise files -----------------------------------------------------------------------------------------------

GOOD_TOML = 'id = "x-1"\ntype = "free_text"\nprompt = "Why?"\nskill = "sourcing"\n'
BROKEN_TOML = {
    "latin1": ("[[exercise]]\n" + GOOD_TOML.replace("Why?", "Warum ä?")).encode("latin-1"),
    "utf16": ("[[exercise]]\n" + GOOD_TOML).encode("utf-16"),
    "utf8-bom": ("[[exercise]]\n" + GOOD_TOML).encode("utf-8-sig"),
    "exercise-is-list": b"exercise = [1, 2]\n",
    "id-is-list": b'[[exercise]]\nid = ["a"]\ntype = "free_text"\nprompt = "p"\nskill = "sourcing"\n',
    "id-upper": b'[[exercise]]\nid = "Bad Id"\ntype = "free_text"\nprompt = "p"\nskill = "sourcing"\n',
    "id-dotdot": b'[[exercise]]\nid = "../x"\ntype = "free_text"\nprompt = "p"\nskill = "sourcing"\n',
    "type-is-int": b'[[exercise]]\nid = "x"\ntype = 3\nprompt = "p"\nskill = "sourcing"\n',
    "options-ints": b'[[exercise]]\nid = "x"\ntype = "ranking"\nprompt = "p"\nskill = "sourcing"\noptions = [1, 2]\n',
    "minutes-text": b'[[exercise]]\nid = "x"\ntype = "free_text"\nprompt = "p"\nskill = "sourcing"\nminutes = "5"\n',
    "phrases-string": b'[[exercise]]\nid = "x"\ntype = "loaded_language"\nprompt = "p"\nskill = "sourcing"\n'
                      b'passage = "a-01"\nphrases = "a"\nloaded = ["a"]\n',
    "bad-toml": b'[[exercise]]\nid = "x\n',
}


@pytest.mark.parametrize("name", sorted(BROKEN_TOML))
def test_exercise_files_in_any_state_give_file_line_and_field(name, tmp_path):
    (tmp_path / "lesson.toml").write_bytes(BROKEN_TOML[name])
    try:
        defs = load_definitions(tmp_path)
    except DefinitionError as e:
        message = str(e)
        assert "lesson.toml" in message and ("line" in message or "[[exercise]]" in message)
        return
    assert name in ("utf16", "utf8-bom") and list(defs) == ["x-1"]  # readable encodings simply load


def test_a_summary_edited_after_export_is_flagged_and_the_data_used(tmp_path):
    original = page()
    assert read_handin(original.encode()).notes == ()
    edited = original.replace("my answer", "a much better answer", 1)  # the readable part only, not the data
    assert edited != original
    (tmp_path / "edited.html").write_text(edited, encoding="utf-8")
    results = load_class(tmp_path)
    assert results.answers["value"].tolist() == ["my answer"]
    assert any("summary differs from its data" in p.message and p.file == "edited.html" for p in results.problems)
