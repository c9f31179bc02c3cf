"""The answer store, the hand-in file and restore: every bad input from issue 5, and Unicode round trips."""
from __future__ import annotations

import json
import re
import multiprocessing
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import answers as A
from tests.conftest import Tags
from helpers.answers import (AnswerError, AnswerStore, AnswerTooLarge, HandinError, export_handin, read_handin,
                             restore_handin)

NB = "01_molyneux"
EVIL = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>",
        "\"'><svg onload=alert(3)>", "<!-- -->&amp;"]


@pytest.fixture
def store(tmp_path) -> AnswerStore:
    return AnswerStore(tmp_path / "answers", student="Sasha K.")


# -- where the store lives -------------------------------------------------------------------------------------------

def test_root_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(A.ENV_VAR, str(tmp_path / "elsewhere"))
    assert AnswerStore().root == tmp_path / "elsewhere"
    monkeypatch.delenv(A.ENV_VAR)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert AnswerStore().root == tmp_path / "home" / ".what-went-wrong" / "answers"


def test_default_root_is_never_in_the_notebooks_folder(monkeypatch, root):
    monkeypatch.delenv(A.ENV_VAR, raising=False)
    monkeypatch.setenv("HOME", str(root))  # as on Binder, where the home folder is the checkout
    assert A.default_root() == root / ".what-went-wrong" / "answers"
    assert root / "notebooks" not in A.default_root().parents


def test_creating_a_store_writes_nothing(tmp_path):
    s = AnswerStore(tmp_path / "x")
    assert s.student is None and s.load("molyneux-mc-causes") is None and s.all() == {}
    assert not (tmp_path / "x").exists()


def test_session_is_temporary_on_binder(monkeypatch):
    for k in ("BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_LAUNCH_HOST", "BINDER_SERVICE_HOST"):
        monkeypatch.delenv(k, raising=False)
    assert not A.session_is_temporary()
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/example/repo")
    assert A.session_is_temporary()


# -- the student's name ----------------------------------------------------------------------------------------------

def test_student_name_is_asked_once_and_kept(tmp_path):
    s = AnswerStore(tmp_path)
    assert s.student is None
    assert s.set_student("  Ada  ") == "Ada"
    assert AnswerStore(tmp_path).student == "Ada"
    AnswerStore(tmp_path).set_student("Ada L.")
    assert AnswerStore(tmp_path).student == "Ada L."


def test_a_name_given_in_one_notebook_is_seen_in_another(tmp_path):
    first, second = AnswerStore(tmp_path), AnswerStore(tmp_path)
    assert second.student is None
    first.set_student("Ada")
    assert second.student == "Ada"


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "a\x00b", "a\nb", "a\tb", "ab\u202ecd", "a\u2028b", None, 42])
def test_bad_student_names_are_refused(tmp_path, name):
    with pytest.raises(AnswerError):
        AnswerStore(tmp_path).set_student(name)
    assert not (tmp_path / "student.json").exists()


@pytest.mark.parametrize("name", ["x" * 60, "سارا", "שרה כהן", "Zoë", "<script>alert(1)</script>", "李小龙", "🦊 Fox"])
def test_good_student_names(tmp_path, name):
    assert AnswerStore(tmp_path, student=name).student == name


def test_student_name_is_nfc_normalised():
    assert A.validate_student("Zoe\u0308") == "Zo\u00eb"
    assert A.student_key(" Ada  LOVELACE ") == A.student_key("ada lovelace")


def test_damaged_student_file_is_set_aside(tmp_path):
    AnswerStore(tmp_path, student="Ada").save("e1", "kept", NB)
    (tmp_path / "student.json").write_text('{"format": "what-went', encoding="utf-8")
    s = AnswerStore(tmp_path)
    assert s.student is None
    assert list(tmp_path.glob("student.json.corrupt-*")) and "enter your name again" in s.problems[0]
    assert s.load("e1") == "kept"


# -- saving and loading ----------------------------------------------------------------------------------------------

def test_save_and_load(store):
    a = store.save("molyneux-mc-causes", 2, NB)
    assert (a.exercise_id, a.value, a.notebook) == ("molyneux-mc-causes", 2, NB)
    assert A.parse_time(a.saved_at).tzinfo is not None
    assert store.load("molyneux-mc-causes") == 2
    assert AnswerStore(store.root).load("molyneux-mc-causes") == 2  # on disk, not just in memory
    assert store.load("never-answered") is None and store.answer("never-answered") is None


def test_values_come_back_as_plain_json(store):
    store.save("rank", ("Civil war", "Isolation"), NB)
    assert store.load("rank") == ["Civil war", "Isolation"]
    value = {"before": 1, "after": 4, "reason": "", "nested": [None, True, 1.5, {"k": []}]}
    store.save("cont", value, NB)
    assert store.load("cont") == value


@pytest.mark.parametrize("value", ["", {}, [], None, {"origin": "", "purpose": "  "}])
def test_empty_answers_are_stored_and_recognised(store, value):
    store.save("e", value, NB)
    assert store.load("e") == value and A.is_empty(store.load("e"))
    assert not A.is_empty(0) and not A.is_empty(False) and not A.is_empty("x")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {1: "a"}, {"a": {2}}, object(), b"bytes", "a\ud800b"])
def test_values_that_cannot_be_stored_are_refused(store, value):
    with pytest.raises(AnswerError):
        store.save("e", value, NB)
    assert store.load("e") is None


@pytest.mark.parametrize("eid", ["", "Molyneux-MC", "../etc/passwd", "a/b", "-a", "a.", "a b", "x" * 101, None, 3])
def test_bad_exercise_ids_are_refused(store, eid):
    with pytest.raises(AnswerError):
        store.save(eid, "x", NB)


@pytest.mark.parametrize("notebook", ["", "  ", "a\x00b", "x" * 201, None])
def test_bad_notebook_names_are_refused(store, notebook):
    with pytest.raises(AnswerError):
        store.save("e", "x", notebook)


def test_history_keeps_previous_versions_bounded(store):
    for i in range(30):
        store.save("e", f"version {i}", NB)
    h = store.history("e")
    assert [a.value for a in h] == [f"version {i}" for i in range(29, 29 - A.HISTORY_LIMIT - 1, -1)]
    assert h == sorted(h, key=lambda a: a.saved_at, reverse=True)


def test_history_is_bounded_in_characters_too(store):
    big = "x" * 90_000
    for i in range(15):
        store.save("e", f"{i}{big}", NB)
    kept = store.history("e")[1:]
    assert 0 < len(kept) < 14 and sum(len(a.value) for a in kept) <= A.HISTORY_MAX_CHARS + 100_000
    assert kept[0].value.startswith("13")


def test_saving_the_same_value_again_writes_nothing(store):
    first = store.save("e", "same", NB)
    mtime = store.path_for("e").stat().st_mtime_ns
    assert store.save("e", "same", NB) == first
    assert store.path_for("e").stat().st_mtime_ns == mtime and len(store.history("e")) == 1
    store.save("e", 1, NB)
    store.save("e", True, NB)  # 1 and True are different answers
    assert store.load("e") is True and len(store.history("e")) == 3


def test_one_megabyte_answer_is_refused_whole_with_a_message(store):
    store.save("e", "short answer", NB)
    with pytest.raises(AnswerTooLarge, match="limit is 100,000"):
        store.save("e", "x" * 1_048_576, NB)
    assert store.load("e") == "short answer"
    limit = "y" * A.MAX_ANSWER_CHARS  # what a student typed is counted, not the quotes JSON adds
    store.save("e", limit, NB)
    assert store.load("e") == limit
    with pytest.raises(AnswerTooLarge):
        store.save("e", limit + "y", NB)


def test_control_characters_and_right_to_left_text_round_trip(store):
    texts = ["bell\x07 nul\x00 esc\x1b del\x7f c1\x85", "مرحبا بالعالم، الثورة 1917", "שלום \u202eevil\u202c",
             "mixed English עברית and العربية", "line\r\nbreaks\u2028and\u2029separators", "emoji 👩🏽‍🏫 ZWJ"]
    for i, t in enumerate(texts):
        store.save(f"e{i}", t, NB)
    fresh = AnswerStore(store.root)
    assert [fresh.load(f"e{i}") for i in range(len(texts))] == texts


def test_the_store_never_writes_outside_its_folder(store, tmp_path):
    store.save("e", "x", NB)
    outside = {p for p in tmp_path.iterdir()} - {store.root}
    assert outside == set()
    assert {p.name for p in store.root.iterdir()} == {".lock", "student.json", "e.answer.json"}


# -- damaged files -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", [b"", b"{\"format\": \"what-went-wrong/answer\", \"val", b"\xff\xfe garbage",
                                    b"[]", b'{"format": "what-went-wrong/answer", "format_version": 1}',
                                    b'{"format":"what-went-wrong/answer","format_version":1,"exercise_id":"other",'
                                    b'"notebook":"n","value":1,"saved_at":"2026-01-01T00:00:00+00:00","history":[]}'])
def test_damaged_answer_file_is_set_aside_and_the_rest_kept(store, damage):
    store.save("e1", "first", NB)
    store.save("e2", "second", NB)
    store.path_for("e1").write_bytes(damage)
    fresh = AnswerStore(store.root)
    assert fresh.all() == {"e2": store.answer("e2")}
    aside = list(store.root.glob("e1.answer.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damage
    assert len(fresh.problems) == 1 and "e1" in fresh.problems[0] and "set aside" in fresh.problems[0]
    assert "other answers are kept" in fresh.problems[0]
    fresh.save("e1", "again", NB)  # the exercise works again
    assert fresh.load("e1") == "again" and fresh.load("e2") == "second"


def test_truncated_file_set_aside_when_saving_too(store):
    store.save("e1", "first", NB)
    data = store.path_for("e1").read_bytes()
    store.path_for("e1").write_bytes(data[: len(data) // 2])
    store.save("e1", "new", NB)
    assert store.history("e1")[0].value == "new" and len(store.history("e1")) == 1
    assert list(store.root.glob("e1.answer.json.corrupt-*")) and store.problems


def test_file_from_a_newer_version_is_left_alone(store):
    store.save("e1", "x", NB)
    record = json.loads(store.path_for("e1").read_text(encoding="utf-8"))
    record["format_version"] = 99
    store.path_for("e1").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(AnswerError, match="newer version"):
        store.load("e1")
    with pytest.raises(AnswerError, match="newer version"):
        store.save("e1", "y", NB)
    assert json.loads(store.path_for("e1").read_text(encoding="utf-8"))["format_version"] == 99


def test_failed_write_keeps_the_previous_answer(store, monkeypatch):
    store.save("e", "safe", NB)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(A.os, "fsync", disk_full)
    with pytest.raises(AnswerError, match="No space left on device"):
        store.save("e", "lost?", NB)
    monkeypatch.undo()
    assert store.load("e") == "safe"
    assert not list(store.root.glob(".tmp-*")), "temporary file left behind"


# -- two notebooks (processes) saving at once --------------------------------------------------------------------------

def _worker(root: str, name: str, n: int, shared: int) -> None:
    s = AnswerStore(root)
    for i in range(n):
        s.save(f"{name}-{i}", {"by": name, "i": i, "text": "x" * 500}, f"notebook-{name}")
        if i < shared:
            s.save("shared", f"{name}-{i}", f"notebook-{name}")


def test_two_processes_saving_at_once_lose_nothing(tmp_path):
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    procs = [ctx.Process(target=_worker, args=(str(tmp_path), name, 40, 9)) for name in ("p1", "p2")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    s = AnswerStore(tmp_path)
    everything = s.all()
    assert len(everything) == 81 and not s.problems
    for name in ("p1", "p2"):
        assert all(everything[f"{name}-{i}"].value["i"] == i for i in range(40))
    versions = {a.value for a in s.history("shared")}
    assert versions == {f"{n}-{i}" for n in ("p1", "p2") for i in range(9)}  # 18 ≤ HISTORY_LIMIT + 1: all kept
    assert not list(tmp_path.glob(".tmp-*"))


# -- the hand-in file --------------------------------------------------------------------------------------------------

def test_export_and_read_back(store):
    store.save("molyneux-mc-causes", 2, NB)
    store.save("start-free", "My first opinion.", "00_start_here")
    path = export_handin(store)
    assert path.parent == store.root / "hand-in" and path.name == A.handin_filename("Sasha K.")
    h = read_handin(path)
    assert h.student == "Sasha K." and h.collection_version == A.collection_version() != "unknown"
    assert h.format_version == A.HANDIN_VERSION and A.parse_time(h.exported_at)
    assert h.answers == store.all()
    assert read_handin(path.read_bytes()).answers == h.answers  # as uploaded through the browser
    data = json.loads(Tags(path.read_text(encoding="utf-8")).scripts[0])
    assert data["format"] == A.HANDIN_FORMAT and data["collection"] == "what-went-wrong"


def test_export_to_a_folder_or_file(store, tmp_path):
    store.save("e", "x", NB)
    assert export_handin(store, tmp_path).parent == tmp_path
    assert export_handin(store, tmp_path / "mine.html") == tmp_path / "mine.html"


def test_export_needs_a_name(tmp_path):
    s = AnswerStore(tmp_path)
    s.save("e", "x", NB)
    with pytest.raises(AnswerError, match="name"):
        export_handin(s)


def test_export_with_no_answers(store):
    h = read_handin(export_handin(store))
    assert h.answers == {} and h.student == "Sasha K."


@pytest.mark.parametrize("name,file", [("سارا", "what-went-wrong-handin-student-"),
                                       ("Zoë O'Neill", "what-went-wrong-handin-zoe-o-neill-"),
                                       ("../../x", "what-went-wrong-handin-x-")])
def test_handin_file_names_are_safe(name, file):
    got = A.handin_filename(name)
    assert got.startswith(file) and re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}\.html", got)


def test_handin_file_names_are_unique_per_student():
    names = ["سارا", "李小龙", "Ελένη", "Зоя", "🦊", "Zoë", "Zoe", "Anna", "ANNA "]
    files = {A.handin_filename(n) for n in names}
    assert len(files) == len(names) - 1  # "Anna" and "ANNA " are one student (student_key), the rest distinct


def test_script_and_markup_are_shown_as_text_in_the_summary(tmp_path):
    s = AnswerStore(tmp_path, student="<img src=x onerror=alert(1)>")
    for i, t in enumerate(EVIL):
        s.save(f"e{i}", t, notebook="<script>alert('nb')</script>")
    s.save("dict", {"<b>key</b>": EVIL, "other": EVIL[0]}, NB)
    path = export_handin(s, labels={"e0": "<script>alert('label')</script>"})
    page = path.read_text(encoding="utf-8")
    parsed = Tags(page)
    assert parsed.tags.count("script") == 1 and "img" not in parsed.tags and "svg" not in parsed.tags
    assert "b" not in parsed.tags
    shown = "".join(parsed.text)
    for t in EVIL:
        assert t in shown  # each appears, literally, as text
    assert "<img src=x onerror=alert(1)>" in shown
    assert "<" not in parsed.scripts[0] and ">" not in parsed.scripts[0] and "&" not in parsed.scripts[0]
    assert read_handin(path).answers == s.all()


def test_control_characters_are_visible_and_text_keeps_its_direction(store):
    store.save("e1", "a\x07b\x00c", NB)
    store.save("e2", "مرحبا", NB)
    page = export_handin(store).read_text(encoding="utf-8")
    assert "a[U+0007]b[U+0000]c" in page and "\x07" not in page and "\x00" not in page
    assert '<div class="www-value" dir="auto">مرحبا</div>' in page
    assert read_handin(export_handin(store)).answers["e1"].value == "a\x07b\x00c"


def test_summary_marks_empty_answers(store):
    store.save("e1", "", NB)
    store.save("e2", {"origin": ""}, NB)
    page = export_handin(store).read_text(encoding="utf-8")
    assert page.count("(empty)") == 2


def test_one_megabyte_answer_cannot_reach_a_handin(store):
    with pytest.raises(AnswerTooLarge):
        store.save("e", "x" * 1_048_576, NB)
    assert read_handin(export_handin(store)).answers == {}


# -- reading other people's and other versions' files ------------------------------------------------------------------

def _handin_json(path: Path) -> dict:
    return json.loads(Tags(path.read_text(encoding="utf-8")).scripts[0])


def test_foreign_files_are_refused(tmp_path):
    cases = {"page.html": "<html><body><p>My homework</p></body></html>", "notes.txt": "just text",
             "other.json": json.dumps({"format": "someone-else", "answers": []}),
             "image.png": "\x89PNG\r\n\x1a\n\x00\x00"}
    for name, content in cases.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        with pytest.raises(HandinError) as e:
            read_handin(tmp_path / name)
        assert e.value.kind == "foreign" and name in str(e.value)
    with pytest.raises(HandinError) as e:
        read_handin(tmp_path / "missing.html")
    assert e.value.kind == "foreign"


def test_truncated_and_damaged_handins_are_refused(store, tmp_path):
    store.save("e", "x" * 200, NB)
    path = export_handin(store)
    raw = path.read_bytes()
    for cut in (len(raw) // 3, len(raw) - 300, len(raw) - 30):
        with pytest.raises(HandinError) as e:
            read_handin(raw[:cut])
        assert e.value.kind == "corrupt", cut
    data = _handin_json(path)
    for broken in ({**data, "answers": "nope"}, {**data, "student": ""}, {**data, "exported_at": "yesterday"},
                   {**data, "answers": [{"exercise_id": "e", "notebook": NB, "saved_at": "x", "value": 1}]},
                   {**data, "answers": data["answers"] * 2}, {**data, "format_version": "one"}):
        with pytest.raises(HandinError) as e:
            read_handin(json.dumps(broken).encode())
        assert e.value.kind == "corrupt", broken


def test_handin_from_a_newer_format_is_refused_clearly(store):
    data = _handin_json(export_handin(store))
    data.update(format_version=A.HANDIN_VERSION + 1, collection_version="9.0")
    with pytest.raises(HandinError, match="newer version of the collection.*Update") as e:
        read_handin(json.dumps(data).encode())
    assert e.value.kind == "future-format"


def test_handin_from_another_collection_version_is_read(store):
    store.save("e", "x", NB)
    data = _handin_json(export_handin(store))
    data["collection_version"] = "0.0.1"
    assert read_handin(json.dumps(data).encode()).collection_version == "0.0.1"


# -- restoring ---------------------------------------------------------------------------------------------------------

def test_restore_into_a_fresh_session(store, tmp_path):
    store.save("e1", "one", NB)
    store.save("e2", ["a", "b"], NB)
    path = export_handin(store)
    fresh = AnswerStore(tmp_path / "fresh")
    result = restore_handin(fresh, path)
    assert sorted(result.added) == ["e1", "e2"] and not result.updated and not result.refused
    assert fresh.student == "Sasha K." and fresh.all() == store.all()  # time stamps kept too
    assert "2 added" in str(result)
    again = restore_handin(fresh, path.read_bytes())
    assert sorted(again.kept) == ["e1", "e2"] and len(fresh.history("e1")) == 1


def test_restore_newer_wins_and_nothing_is_deleted(store, tmp_path):
    other = AnswerStore(tmp_path / "laptop", student="sasha  k.")  # same student, typed differently
    other.save("old-here", "from laptop (older)", NB)
    store.save("old-here", "from hub (newer)", NB)
    store.save("new-here", "from hub", NB)
    other.save("only-laptop", "laptop only", NB)
    other.save("new-here", "from laptop (newest)", NB)
    store.save("only-hub", "hub only", NB)
    result = restore_handin(store, export_handin(other))
    assert result.kept == ["old-here"] and result.updated == ["new-here"] and result.added == ["only-laptop"]
    assert store.load("old-here") == "from hub (newer)"
    assert store.load("new-here") == "from laptop (newest)"
    assert [a.value for a in store.history("new-here")] == ["from laptop (newest)", "from hub"]
    assert store.load("only-hub") == "hub only" and store.load("only-laptop") == "laptop only"
    assert store.student == "Sasha K."


def test_restore_refuses_another_students_handin(store, tmp_path):
    other = AnswerStore(tmp_path / "o", student="Boris")
    other.save("e", "Boris's answer", NB)
    path = export_handin(other)
    with pytest.raises(HandinError, match="belongs to “Boris”") as e:
        restore_handin(store, path)
    assert e.value.kind == "other-student" and store.load("e") is None
    restore_handin(store, path, other_student_ok=True)
    assert store.load("e") == "Boris's answer" and store.student == "Sasha K."


def test_restore_refuses_an_oversized_answer_but_takes_the_rest(store, tmp_path):
    store.save("e", "ok", NB)
    data = _handin_json(export_handin(store))
    data["answers"].append({"exercise_id": "huge", "notebook": NB, "saved_at": data["exported_at"],
                            "value": "x" * 1_048_576})
    fresh = AnswerStore(tmp_path / "f")
    result = restore_handin(fresh, json.dumps(data).encode())
    assert result.added == ["e"] and "huge" in result.refused and fresh.load("huge") is None


# -- property tests: arbitrary Unicode survives save/load and export/read ----------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**29, max_value=10**29) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(), value=json_values, name=st.text(min_size=1, max_size=60))
def test_any_unicode_round_trips_through_store_and_handin(text, value, name):
    with tempfile.TemporaryDirectory() as d:
        s = AnswerStore(d)
        try:
            student = s.set_student(name)
        except AnswerError:
            student = s.set_student("Fallback")
        s.save("text", text, NB)
        s.save("value", value, NB)
        fresh = AnswerStore(d)
        assert fresh.load("text") == text and fresh.load("value") == value and fresh.student == student
        path = export_handin(fresh)
        page = path.read_text(encoding="utf-8")
        parsed = Tags(page)
        assert parsed.tags.count("script") == 1
        assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "body", "main", "h1", "bdi", "p",
                                    "section", "h2", "article", "h3", "div", "span", "ol", "li", "dl", "dt", "dd",
                                    "script"}
        h = read_handin(path)
        assert h.student == student and h.answers["text"].value == text and h.answers["value"].value == value
        other = AnswerStore(Path(d) / "restored")
        restore_handin(other, page.encode("utf-8"))
        assert other.all() == fresh.all()
