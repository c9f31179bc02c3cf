"""The teacher's comments file, the wide CSV and the students' feedback pages."""
import json
import os

import pytest

from helpers import feedback
from helpers.classview import SAMPLE_CLASS
from helpers.dashboard import load_class


def test_comments_survive_a_reload_and_an_empty_comment_removes_one(tmp_path):
    feedback.save_comment(tmp_path, "Ada", "molyneux-exit", "Add a date.", "B")
    feedback.save_comment(tmp_path, "Ada", "essay-exit", "Good.")
    assert feedback.load_comments(tmp_path)["Ada"]["essay-exit"] == {"comment": "Good.", "mark": ""}
    feedback.save_comment(tmp_path, "Ada", "essay-exit", "", "")
    assert set(feedback.load_comments(tmp_path)["Ada"]) == {"molyneux-exit"}


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", json.dumps({"format": "x"}).encode(),
                                     json.dumps({"format": feedback.FORMAT, "comments": {"A": {"e": 3}}}).encode()])
def test_a_damaged_comments_file_is_named_and_never_overwritten(tmp_path, content):
    path = feedback.comments_path(tmp_path)
    path.write_bytes(content)
    with pytest.raises(feedback.FeedbackError, match="teacher-comments.json"):
        feedback.save_comment(tmp_path, "Ada", "molyneux-exit", "Lost?")
    assert path.read_bytes() == content


def test_too_long_a_comment_is_refused_and_nothing_is_lost(tmp_path):
    feedback.save_comment(tmp_path, "Ada", "molyneux-exit", "Kept.")
    with pytest.raises(feedback.FeedbackError, match="at most"):
        feedback.save_comment(tmp_path, "Ada", "molyneux-exit", "x" * (feedback.MAX_COMMENT_CHARS + 1))
    assert feedback.load_comments(tmp_path)["Ada"]["molyneux-exit"]["comment"] == "Kept."


def test_a_read_only_folder_says_so(tmp_path, monkeypatch):
    def refuse(*_a):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(feedback, "write_atomic", refuse)
    with pytest.raises(feedback.FeedbackError, match="could not be saved"):
        feedback.save_comment(tmp_path, "Ada", "molyneux-exit", "x")


def test_the_wide_table_has_a_row_per_student_and_a_column_per_field():
    results = load_class(SAMPLE_CLASS)
    table = feedback.wide_table(results, {"SAMPLE Otter": {"molyneux-opvl": {"comment": "=1+1", "mark": "A"}}})
    assert list(table.index) == results.students
    assert "L1 What kind of source is this?: origin" in table.columns
    assert table.loc["SAMPLE Otter", "L1 What kind of source is this?: mark"] == "A"
    # titled as the exercises are, values as words: a continuum answer reads as its place on the scale, not a code
    positions = set(table["Start Where do you stand?: Before the texts"]) - {""}
    assert positions and positions <= {"strongly disagree", "disagree", "slightly disagree", "not sure",
                                       "slightly agree", "agree", "strongly agree"}
    # a fact-check has the same columns whether or not the student revised it after the reveal
    assert {"L1 Fact-check card: Your verdict", "L1 Fact-check card: Your verdict before the reveal"} <= set(
        table.columns) and not any("revised" in c for c in table.columns)


def test_the_feedback_page_marks_what_the_collection_can_mark_with_the_key():
    from helpers.answers import Answer, Handin
    h = Handin("Ada", "2026-01-01T00:00:00+00:00", "0", {
        "molyneux-mc-flaw": Answer("molyneux-mc-flaw", {"choice": 4, "correct": True}, "2026-01-01T00:00:00+00:00",
                                   "01_molyneux"),
        "essay-fact-check-lenin": Answer("essay-fact-check-lenin", {"verdict": "correct", "source": "x"},
                                         "2026-01-01T00:00:00+00:00", "02_essay"),
        "essay-fact-check-1989": Answer("essay-fact-check-1989", {"verdict": "wrong", "source": "x"},
                                        "2026-01-01T00:00:00+00:00", "02_essay"),
        "molyneux-exit": Answer("molyneux-exit", "Circumstances.", "2026-01-01T00:00:00+00:00", "01_molyneux")})
    page = feedback.feedback_html(h, {})
    assert "✓ Matches the key</strong> (the key: option 4, They are versions of a" in page
    assert "✗ Not the key</strong> (the key: wrong — 21 January 1924)" in page
    assert "Historians disagree: a reasoned verdict counts" in page  # essay ¶7 is keyed disputed
    assert page.count("www-check") == 3 + 2  # three marked answers (and the two style rules); the exit ticket not


def test_feedback_pages_carry_answers_and_comments_safely(tmp_path):
    results = load_class(SAMPLE_CLASS)
    otter = "SAMPLE Otter"
    paths = feedback.write_feedback(tmp_path, results, {otter: {"molyneux-exit": {"comment": "<script>x</script>",
                                                                                  "mark": "B"}}})
    assert len(paths) == len(results.students) and all(os.access(p, os.R_OK) for p in paths)
    page = next(p for p in paths if "otter" in p.name).read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script" not in page and "Mark: </strong>B" in page
    assert "Exit ticket" in page and "1 comment from your teacher" in page
