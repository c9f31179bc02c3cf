"""Hostile answer values, at every boundary: a value that does not fit its exercise type is refused on save, on
restore and in a hand-in the dashboard loads, with a message naming the exercise and the field; every other answer
carries on. The exercises are read from the definitions (one real exercise of each type), never listed here."""
from __future__ import annotations

import json
import math

import pytest

from helpers import answers as A
from helpers.answers import Answer, AnswerError, AnswerStore, Handin, handin_html, restore_handin
from helpers.dashboard import load_class
from helpers.exercises import build, load_definitions
from helpers.values import KINDS, SCALE, ValueProblem, answer_problem, check_value

DEFS = load_definitions()
BY_KIND = {kind: next(ex for ex in DEFS.values() if ex.type == kind) for kind in KINDS
           if any(ex.type == kind for ex in DEFS.values())}
NB = "01_molyneux"
DEEP = "x"
for _ in range(300):
    DEEP = [DEEP]

# Values no widget ever makes, for each type: (kind, value). Each must be refused.
BAD: list[tuple[str, object]] = [
    *[("free_text", v) for v in (1, 2.5, True, ["a"], {"a": "b"}, DEEP)],
    *[("multiple_choice", v) for v in (0, -1, 10 ** 400, 1.5, "2", True, [1], {"choice": 0}, {"choice": "1"},
                                       {"choice": 1, "correct": "yes"}, {"choice": 1, "extra": 1},
                                       {"choice": [1]}, {"choice": math.inf})],
    *[("continuum", v) for v in (3, "agree", [1, 2], {"before": 0}, {"before": len(SCALE) + 1}, {"after": 400},
                                 {"before": -3}, {"before": 2.5}, {"before": True}, {"before": "3"},
                                 {"reason": 5}, {"reason": ["a"]}, {"reason_before": {"x": 1}}, {"colour": "red"},
                                 {"before": 10 ** 400})],
    *[("ranking", v) for v in ("a, b", {"a": 1}, [1, 2], ["a", 2], ["a", "a"], [["a"]], [None], ["x"] * 300,
                               [True, False])],
    *[("opvl", v) for v in ("text", [1], {"origin": 1}, {"origin": ["a"]}, {"origin": None}, {"source": "x"},
                            {"origin": {"nested": "x"}})],
    *[("compare", v) for v in ("text", {"how_they_differ": 1}, {"choice": 3}, {"choice": ["a"]}, {"other": "x"})],
    *[("claim_evidence", v) for v in ("p1", {"supports": "p1"}, {"supports": [1]}, {"undercuts": {"a": 1}},
                                      {"why": 7}, {"supports": [["p"]]}, {"extra": []})],
    *[("fact_check", v) for v in ("wrong", {"verdict": "maybe"}, {"verdict": 1}, {"verdict": ["wrong"]},
                                  {"source": 3}, {"verdict": "WRONG"}, {"verdict": "wrong", "x": 1})],
    *[("estimate", v) for v in (5, "5", {"estimate": "5"}, {"estimate": math.nan}, {"estimate": math.inf},
                                {"estimate": -math.inf}, {"estimate": 10 ** 400}, {"estimate": True},
                                {"typed": 5}, {"estimate": [5]})],
    *[("loaded_language", v) for v in ("a phrase", {"marked": "a"}, {"marked": [1]}, {"other": 1},
                                       {"marked": [["a"]]}, {"marked": ["a"] * 300})],
]
GOOD: list[tuple[str, object]] = [
    ("free_text", ""), ("free_text", "Ein Text ✓ <script>"), ("multiple_choice", {"choice": 1, "correct": False}),
    ("multiple_choice", {"choice": None, "correct": False}), ("multiple_choice", 2),
    ("continuum", {"before": 1, "reason_before": ""}), ("continuum", {"before": None, "after": len(SCALE)}),
    ("ranking", []), ("opvl", {"origin": "", "purpose": "p"}), ("compare", {"choice": None}),
    ("claim_evidence", {"supports": [], "undercuts": [], "why": ""}), ("fact_check", {"verdict": None, "source": ""}),
    ("fact_check", {"verdict": "disputed", "source": "Figes 1996"}), ("estimate", {"estimate": None, "typed": "?"}),
    ("estimate", {"estimate": -12.5, "typed": "-12.5"}), ("loaded_language", {"marked": [], "other": ""}),
]


def _present(kind: str) -> None:
    if kind not in BY_KIND:
        pytest.skip(f"no {kind} exercise in data/exercises")


@pytest.mark.parametrize("kind,value", BAD, ids=[f"{k}-{i}" for i, (k, _v) in enumerate(BAD)])
def test_bad_value_is_refused_by_the_schema_with_the_field_named(kind, value):
    with pytest.raises(ValueProblem) as e:
        check_value(kind, value, {"options": ["a", "b", "c"]})
    assert "the answer" in str(e.value) and len(str(e.value)) < 300


@pytest.mark.parametrize("kind,value", BAD, ids=[f"{k}-{i}" for i, (k, _v) in enumerate(BAD)])
def test_bad_value_is_refused_on_save_and_the_old_answer_stays(tmp_path, kind, value):
    _present(kind)
    ex = BY_KIND[kind]
    store = AnswerStore(tmp_path, student="Ada")
    with pytest.raises(AnswerError, match=ex.id):
        store.save(ex.id, value, NB)
    assert store.load(ex.id) is None


@pytest.mark.parametrize("kind,value", GOOD, ids=[f"{k}-{i}" for i, (k, _v) in enumerate(GOOD)])
def test_good_values_pass_and_restore_into_the_widget(tmp_path, kind, value):
    _present(kind)
    ex = BY_KIND[kind]
    store = AnswerStore(tmp_path, student="Ada")
    if kind == "multiple_choice" and isinstance(value, int):
        value = min(value, len(ex.get("options")))
    store.save(ex.id, value, NB)
    widget = build(ex.id, store)  # a stored value never crashes the widget that shows it
    assert widget.box() is not None


def _handin(values: dict[str, object]) -> Handin:
    when = "2026-10-05T09:00:00+00:00"
    return Handin("Ada", "2026-10-06T09:00:00+00:00", A.collection_version(),
                  {eid: Answer(eid, v, when, NB) for eid, v in values.items()})


def _tampered_page(bad_id: str, value: object, good_id: str) -> str:
    """A hand-in page whose data holds ``value`` as JSON would write it (NaN and Infinity included), as a student
    editing the file by hand could make it."""
    page = handin_html(_handin({bad_id: "__VALUE__", good_id: "kept"}))
    return page.replace('"__VALUE__"', json.dumps(value, allow_nan=True).replace("<", "\\u003c"), 1)


def _other_free_text(ex) -> object:
    return next(e for e in DEFS.values() if e.type == "free_text" and e.id != ex.id)


@pytest.mark.parametrize("kind,value", BAD, ids=[f"{k}-{i}" for i, (k, _v) in enumerate(BAD)])
def test_bad_value_in_an_uploaded_handin_is_refused_and_the_rest_restores(tmp_path, kind, value):
    _present(kind)
    ex = BY_KIND[kind]
    good = _other_free_text(ex)
    store = AnswerStore(tmp_path)
    page = _tampered_page(ex.id, value, good.id).encode("utf-8")
    if value is DEEP:  # nesting this deep damages the whole file: refused as such, with the reason
        with pytest.raises(A.HandinError, match="nested"):
            restore_handin(store, page)
        return
    result = restore_handin(store, page)
    assert ex.id in result.refused and ex.id in result.refused[ex.id]
    assert store.load(good.id) == "kept" and store.load(ex.id) is None


@pytest.mark.parametrize("kind,value", BAD[::3], ids=[f"{k}-{i}" for i, (k, _v) in enumerate(BAD[::3])])
def test_bad_value_in_a_class_folder_is_left_out_with_a_note_and_the_class_loads(tmp_path, kind, value):
    _present(kind)
    ex = BY_KIND[kind]
    good = _other_free_text(ex)
    (tmp_path / "ada.html").write_text(_tampered_page(ex.id, value, good.id), encoding="utf-8")
    (tmp_path / "bo.html").write_text(handin_html(Handin("Bo", "2026-10-06T09:00:00+00:00", A.collection_version(),
                                                         {})), encoding="utf-8")
    results = load_class(tmp_path)
    assert results.students == ["Ada", "Bo"]
    assert set(results.answers["exercise_id"]) == {good.id}
    assert any("ada.html" in p.message and ex.id in p.message for p in results.problems)
    results.to_csv(tmp_path / "class.csv")


def test_a_value_edited_on_disk_is_not_handed_in_but_the_others_are(tmp_path):
    ex, good = BY_KIND["continuum"], BY_KIND["free_text"]
    store = AnswerStore(tmp_path, student="Ada")
    store.save(good.id, "mine", NB)
    store.save(ex.id, {"before": 2}, NB)
    path = store.path_for(ex.id)
    path.write_text(path.read_text().replace('"before":2', '"before":400'))
    handin = A.build_handin(store)
    assert set(handin.answers) == {good.id}
    assert any(ex.id in p and "does not fit the exercise" in p and "set aside" in p for p in store.problems)
    assert not path.exists() and len(list(tmp_path.glob(path.name + ".corrupt-*"))) == 1  # set aside: nothing lost
    assert store.load(ex.id) is None  # the exercise starts empty instead of showing a value it cannot hold


def test_made_up_exercise_ids_are_restored_but_reported(tmp_path):
    made_up = {f"made-up-{i}": "x" for i in range(2000)}
    result = restore_handin(AnswerStore(tmp_path), _handin(made_up))
    assert len(result.unknown) == 2000 and "does not have" in str(result)
    assert answer_problem("made-up-1", "x", known_only=True)
