"""The last hostile inputs (issue: no traceback, nothing blocked, nothing silent): each refused with a sentence that
names the exercise, file or field and says what to do, or read as far as it can be, never taking the rest down."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import threading
from pathlib import Path

import pytest

from helpers import answers as A
from helpers.dashboard import load_class
from helpers.exercises import definitions as D
from tests.conftest import ROOT

NB = "01_molyneux"
HANDOUTS_SPEC = importlib.util.spec_from_file_location("export_handouts_csp", ROOT / "scripts" / "export_handouts.py")


@pytest.fixture
def store(tmp_path):
    s = A.AnswerStore(tmp_path / "answers", student="Ada")
    s.save("molyneux-exit", "kept", NB)
    return s


def test_values_too_deep_self_referring_or_too_long_a_number_are_refused_by_exercise(store):
    deep: list = []
    for _ in range(5_000):
        deep = [deep]
    loop: dict = {}
    loop["me"] = loop
    for bad, words in ((deep, "nested more than"), (loop, "contains itself"), (10 ** 5_000, "digits")):
        with pytest.raises(A.AnswerError, match=words) as e:
            store.save("molyneux-mc-flaw", bad, NB)
        assert "molyneux-mc-flaw" in str(e.value)
    assert store.load("molyneux-exit") == "kept" and store.load("molyneux-mc-flaw") is None


def test_the_size_limit_counts_what_was_typed_not_json_escapes(store):
    store.save("molyneux-exit", '"' * 60_000, NB)
    assert A.answer_size('"' * 60_000) == 60_000


@pytest.mark.parametrize("content", ['{"x": NaN}', "Infinity", '{"value": -Infinity}'])
def test_nan_or_infinity_in_an_answer_file_is_set_aside_and_the_hand_in_works(store, content):
    path = store.path_for("molyneux-exit")
    record = json.loads(path.read_text())
    path.write_text(json.dumps(record).replace('"kept"', content))
    assert store.load("molyneux-exit") is None
    assert any("set aside" in p and "NaN" in p or "Infinity" in p for p in store.problems), store.problems
    store.save("molyneux-exit", "again", NB)  # later saves work
    json.dumps(A.handin_data(A.build_handin(store)), allow_nan=False)


@pytest.mark.parametrize("value", [[1, "a"], {"marked": 5}, {"a": 1}, 5, True])
def test_an_answer_file_edited_into_another_shape_never_reaches_the_widget(store, value):
    path = store.path_for("molyneux-exit")
    record = json.loads(path.read_text())
    record["value"] = value
    path.write_text(json.dumps(record))
    assert store.load("molyneux-exit") is None
    assert any("molyneux-exit" in p and "set aside" in p for p in store.problems), store.problems


def handin_page(store) -> str:
    return A.export_handin(store).read_text(encoding="utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-8-sig"])
def test_a_hand_in_re_saved_by_an_editor_in_another_encoding_is_read(store, codec):
    assert A.read_handin(handin_page(store).encode(codec)).student == "Ada"


def test_damaged_hand_ins_say_what_is_wrong_and_a_course_page_is_not_called_cut_off(store):
    page = handin_page(store)
    data = re.search(r'(<script[^>]*id="www-handin"[^>]*>)(.*?)(</script>)', page, re.S)
    for block, words in (("null", "holds nothing"), ("[1, 2]", "holds a list")):
        with pytest.raises(A.HandinError, match=words) as e:
            A.read_handin(page.replace(data.group(2), block).encode(), "ada.html")
        assert e.value.kind == "corrupt" and str(e.value).startswith("ada.html")
    with pytest.raises(A.HandinError, match="cut off"):
        A.read_handin(page[: len(page) // 5].encode())
    course = "<html><h1>Hand-in</h1><p>This week we use What Went Wrong? in class.</p></html>"
    with pytest.raises(A.HandinError) as e:
        A.read_handin(course.encode(), "course.html")
    assert e.value.kind == "foreign" and "not a What Went Wrong? hand-in" in str(e.value)
    flipped = page.replace('"format_version":1', '"format_version":true')
    assert flipped != page
    with pytest.raises(A.HandinError, match="format version"):
        A.read_handin(flipped.encode())


def test_an_unparseable_time_in_one_hand_in_never_replaces_the_class_view(store, tmp_path):
    page = handin_page(store)
    saved = re.search(r'"saved_at":"([^"]+)"', page).group(1)
    week = page.replace(saved, "2026-W10-3T09:00:00")  # an ISO week date: Python reads it, pandas did not
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "week.html").write_text(week.replace("Ada", "Week"), encoding="utf-8")
    (folder / "bad.html").write_text(page.replace(saved, "yesterday").replace("Ada", "Bad"), encoding="utf-8")
    (folder / "ada.html").write_text(page, encoding="utf-8")
    results = load_class(folder)
    assert "Ada" in results.students
    assert any(p.file == "bad.html" for p in results.problems)


@pytest.mark.parametrize("eid", ["con", "nul", "aux", "prn", "com1", "lpt9", "con.old", "nul.x"])
def test_ids_windows_cannot_use_as_file_names_are_refused(store, eid, tmp_path):
    with pytest.raises(A.AnswerError, match="Windows"):
        store.save(eid, "x", NB)
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "01_x.toml").write_text(f'[[exercise]]\nid = "{eid}"\ntype = "free_text"\nprompt = "p"\n'
                                      'skill = "sourcing"\n', encoding="utf-8")
    with pytest.raises(D.DefinitionError, match=f"01_x.toml.*{re.escape(eid)}.*Windows"):
        D.load_definitions(folder)


@pytest.mark.parametrize("field,text", [("min_words", '"many"'), ("max_words", "true"), ("max_words", "0")])
def test_word_limits_of_the_wrong_type_are_refused_with_file_and_line(tmp_path, field, text):
    (tmp_path / "01_x.toml").write_text(f'\n[[exercise]]\nid = "x-1"\ntype = "free_text"\nprompt = "p"\n'
                                        f'skill = "sourcing"\n{field} = {text}\n', encoding="utf-8")
    with pytest.raises(D.DefinitionError, match=f"01_x.toml.*line 2.*'{field}' must be a whole number"):
        D.load_definitions(tmp_path)


def test_a_multiple_choice_key_of_true_is_refused(tmp_path):
    (tmp_path / "01_x.toml").write_text('[[exercise]]\nid = "x-1"\ntype = "multiple_choice"\nprompt = "p"\n'
                                        'skill = "sourcing"\noptions = ["a", "b"]\nanswer = true\nexplanation = "e"\n',
                                        encoding="utf-8")
    with pytest.raises(D.DefinitionError, match="'answer' must be the number of the right option"):
        D.load_definitions(tmp_path)


@pytest.mark.parametrize("kind", ["file", "devnull"])
def test_an_answers_folder_that_is_not_a_folder_is_said_before_the_first_save(tmp_path, kind):
    root = tmp_path / "answers" if kind == "file" else Path(os.devnull)
    if kind == "file":
        root.write_text("not a folder")
    problem = A.AnswerStore(root).folder_problem()
    assert problem and str(root) in problem and "WWW_ANSWERS_DIR" in problem


def test_a_continuum_saved_by_two_notebooks_at_once_keeps_both_halves(tmp_path):
    stores = [A.AnswerStore(tmp_path), A.AnswerStore(tmp_path)]  # two kernels, one folder
    eid = "start-continuum"
    go = threading.Barrier(2)

    def save(store, phase, n):
        go.wait()
        for i in range(n):
            store.update(eid, lambda current: {**(current or {}), phase: 1 + i % 7}, NB)

    threads = [threading.Thread(target=save, args=(stores[0], "before", 40)),
               threading.Thread(target=save, args=(stores[1], "after", 40))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    value = stores[0].load(eid)
    assert set(value) == {"before", "after"}, value


def test_temporary_files_a_killed_save_left_are_cleaned_at_start(tmp_path):
    store = A.AnswerStore(tmp_path)
    store.save("molyneux-exit", "x", NB)
    stale, fresh = tmp_path / ".tmp-old.part", tmp_path / ".tmp-now.part"
    stale.write_bytes(b"\0" * 300_000)
    fresh.write_bytes(b"being written")
    os.utime(stale, (0, 0))
    assert store.clean_stale() == 1 and not stale.exists() and fresh.exists()
    assert store.load("molyneux-exit") == "x"


def test_every_page_the_collection_writes_carries_a_content_security_policy(tmp_path):
    handouts = importlib.util.module_from_spec(HANDOUTS_SPEC)
    sys.modules[HANDOUTS_SPEC.name] = handouts
    HANDOUTS_SPEC.loader.exec_module(handouts)
    page = handouts.with_csp('<!DOCTYPE html><html><head><title>x</title></head><body>'
                             '<script>alert(1)</script></body></html>')
    assert re.search(r"<head><meta http-equiv=\"Content-Security-Policy\"[^>]*script-src &#x27;none&#x27;", page)
    index = handouts.write_index([], tmp_path)
    assert "Content-Security-Policy" in index.read_text(encoding="utf-8")
    from helpers.guide import teacher_guide_html

    assert "Content-Security-Policy" in teacher_guide_html()[:2000]
