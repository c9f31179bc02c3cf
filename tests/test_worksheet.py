"""The hand-in reads like a worksheet: lessons in teaching order, titles and questions, answers in the student's
words (options, scale positions, passages, verdicts), while the data inside stays exactly as stored."""
from helpers import answers as A
from helpers import worksheet
from helpers.exercises import load_definitions
from helpers.lessons import load_lessons
from helpers.values import SCALE
from tests.conftest import Tags

DEFS = load_definitions()


def _first(kind):
    return next(ex for ex in DEFS.values() if ex.type == kind)


def test_values_read_as_the_student_saw_them():
    mc, cont, ce = _first("multiple_choice"), _first("continuum"), _first("claim_evidence")
    key = mc.get("answer")
    assert worksheet.readable(mc.id, {"choice": key, "correct": True}) == {
        "Your choice": f"{mc.get('options')[key - 1]} (option {key})"}
    shown = worksheet.readable(cont.id, {"before": 1, "after": len(SCALE), "reason": "x"})
    assert shown["Before the texts"] == SCALE[0] and shown["After reading"] == SCALE[-1]
    pid = ce.get("passages")[0]
    assert pid not in str(worksheet.readable(ce.id, {"supports": [pid], "undercuts": [], "why": ""}))


def test_handin_follows_the_lessons_and_keeps_the_data(tmp_path):
    store = A.AnswerStore(tmp_path, student="Ada")
    order = [x for lesson in load_lessons().values() for x in lesson.shown if DEFS[x].type == "free_text"]
    for eid in reversed(order):  # saved last-first: the hand-in must still follow the lessons
        store.save(eid, f"answer to {eid}", DEFS[eid].lesson)
    page = A.export_handin(store, tmp_path, presenter=worksheet).read_text(encoding="utf-8")
    positions = [page.index(f'id="answer-{eid}"') for eid in order]
    assert positions == sorted(positions)
    assert all(DEFS[eid].prompt.split("“")[0][:30] in " ".join(Tags(page).text) for eid in order)
    assert {a.exercise_id: a.value for a in A.read_handin(page.encode()).answers.values()} == {
        eid: f"answer to {eid}" for eid in order}
