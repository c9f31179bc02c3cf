"""Exercise widgets: driven as a student would (set values, click), answers reach disk and come back after a restart."""
import json
import textwrap

import pytest

from helpers import answers
from helpers.exercises import FAMILIES, build, load_definitions, word_count
from helpers.exercises.definitions import DefinitionError, reference_problems


@pytest.fixture
def store(tmp_path):
    return answers.AnswerStore(tmp_path / "answers", student="Test Student")


def restart(store):
    """A new kernel: a fresh store object on the same folder."""
    return answers.AnswerStore(store.root)


def on_disk(store, exercise_id):
    return json.loads(store.path_for(exercise_id).read_text(encoding="utf-8"))


def test_definitions_are_valid_and_every_type_is_used():
    defs = load_definitions()
    assert reference_problems(defs) == []
    assert {e.type for e in defs.values()} == set(FAMILIES)


def test_free_text_counts_words_saves_and_restores(store):
    w = build("molyneux-exit", store)
    w.text.value = "Backwardness, war and isolation — not Lenin's ideas."
    assert "7 words" in w.count.value
    assert "Saved" in w.status.value
    assert on_disk(store, "molyneux-exit")["value"] == "Backwardness, war and isolation — not Lenin's ideas."
    again = build("molyneux-exit", restart(store))
    assert again.text.value.startswith("Backwardness") and "saved answer is back" in again.status.value


def test_multiple_choice_feedback_and_restore(store):
    w = build("molyneux-mc-flaw", store)
    w.check.click()
    assert "Choose an option first" in w.feedback.value
    w.radio.value = 1
    w.check.click()
    assert "Not quite" in w.feedback.value and "propaganda" not in w.feedback.value.split("Not quite")[0]
    key = w.ex.get("answer")
    w.radio.value = key
    w.check.click()
    assert "Right." in w.feedback.value and "great man" in w.feedback.value
    assert store.load("molyneux-mc-flaw") == {"choice": key, "correct": True}
    assert build("molyneux-mc-flaw", restart(store)).radio.value == key


def test_continuum_before_and_after_are_both_kept(store):
    before = build("start-continuum", store)
    before.scale.value = 6
    before.reason.value = "Stalin chose terror."
    after = build("start-continuum", restart(store), phase="after")
    assert "Before the texts, you chose: agree" in after.feedback.value
    after.scale.value = 3
    after.reason.value = "The civil war mattered more."
    saved = store.load("start-continuum")
    assert saved == {"before": 6, "reason_before": "Stalin chose terror.", "after": 3,
                     "reason": "The civil war mattered more."}
    with pytest.raises(ValueError, match="only to a continuum"):
        build("molyneux-exit", store, phase="after")


def test_ranking_moves_by_buttons_and_restores(store):
    w = build("compare-rank-causes", store)
    first, second = w.order[0], w.order[1]
    down = w.rows.children[0].children[1]
    assert down.description == "Down" and w.rows.children[0].children[0].disabled  # the top item cannot go up
    down.click()
    assert w.order[:2] == [second, first]
    assert store.load("compare-rank-causes")[:2] == [second, first]
    assert build("compare-rank-causes", restart(store)).order[:2] == [second, first]


def test_opvl_and_compare_fields(store):
    w = build("molyneux-opvl", store)
    w.boxes["origin"].value = "A blog column, 2007."
    w.boxes["limitation"].value = "<script>alert(1)</script>"
    assert store.load("molyneux-opvl")["limitation"] == "<script>alert(1)</script>"
    assert build("molyneux-opvl", restart(store)).boxes["origin"].value == "A blog column, 2007."
    c = build("compare-molyneux-essay", store)
    c.choice.value = "Molyneux"
    c.boxes["why_they_differ"].value = "Different purposes."
    assert store.load("compare-molyneux-essay")["choice"] == "Molyneux"


def test_claim_evidence_and_loaded_language(store):
    w = build("molyneux-claim-evidence", store)
    for pid in ("molyneux-08", "molyneux-09"):
        w.rows[pid][0].value = True  # a plain click on "supports the claim"
    w.why.value = "¶9: the 'great man' theory."
    assert store.load("molyneux-claim-evidence")["supports"] == ["molyneux-08", "molyneux-09"]
    again = build("molyneux-claim-evidence", restart(store))
    assert [pid for pid, (s, _u) in again.rows.items() if s.value] == ["molyneux-08", "molyneux-09"]
    again.check.click()
    key = {*again.ex.get("supports", []), *again.ex.get("undercuts", [])}
    marked = key | {"molyneux-08", "molyneux-09"}
    assert f"of the {len(marked)} passages you or we marked" in again.feedback.value  # empty boxes count for nothing
    for pid, (s, u) in again.rows.items():  # the key itself, marked: every marked passage agrees
        s.value, u.value = pid in again.ex.get("supports", []), pid in again.ex.get("undercuts", [])
    again.check.click()
    assert f"{len(key)} of the {len(key)} passages" in again.feedback.value
    ll = build("siege-loaded-language", store)
    ll.boxes[0].value = True
    ll.check.click()
    assert "You found 1 of 5" in ll.feedback.value
    assert store.load("siege-loaded-language")["marked"] == ["barely a whimper"]


def test_fact_check_reveals_the_verdict_and_source(store):
    w = build("essay-fact-check-lenin", store)
    assert "Lenin died on January 24, 1924" in w.controls[0].value
    w.check.click()
    assert "Give your verdict first" in w.feedback.value
    w.verdict.value = "wrong"
    w.source.value = "Britannica"
    w.check.click()
    assert "Same verdict as ours" in w.feedback.value and "21 January 1924" in w.feedback.value
    assert build("essay-fact-check-lenin", restart(store)).verdict.value == "wrong"


def test_estimate_then_reveal(store):
    w = build("essay-estimate-gulag", store)
    w.reveal.click()
    assert "Type your estimate first" in w.feedback.value
    w.guess.value = "a lot"
    w.reveal.click()
    assert "as a number" in w.feedback.value
    w.guess.value = "1,000,000"
    w.reveal.click()
    assert "You guessed 1,000,000" in w.feedback.value and "3,500,000" in w.feedback.value
    first = {"estimate": 1_000_000, "typed": "1,000,000"}
    assert store.load("essay-estimate-gulag") == first | {"first": first}
    assert build("essay-estimate-gulag", restart(store)).guess.value == "1,000,000"


def test_a_reveal_keeps_the_first_answer_and_a_change_is_a_revision(store):
    """What a student said before seeing the key is kept, through later changes, restarts and later reveals; the
    hand-in and the dashboard show the revision as a revision."""
    from helpers import classkinds, worksheet
    w = build("essay-fact-check-1989", store)
    w.verdict.value, w.source.value = "correct", "my textbook"
    w.check.click()
    w.verdict.value = "disputed"
    w.check.click()
    assert "Your first verdict, before the reveal: </strong>correct" in w.feedback.value
    saved = store.load("essay-fact-check-1989")
    assert saved["verdict"] == "disputed" and saved["first"] == {"verdict": "correct", "source": "my textbook"}
    again = build("essay-fact-check-1989", restart(store))
    again.verdict.value = "wrong"
    again.check.click()
    assert store.load("essay-fact-check-1989")["first"]["verdict"] == "correct"  # a later reveal changes nothing
    fields = worksheet.readable("essay-fact-check-1989", store.load("essay-fact-check-1989"))
    assert fields["Your verdict before the reveal"] == "correct"
    assert fields["Your verdict, revised after the reveal"] == "wrong"
    view = classkinds.VIEWS["fact_check"](load_definitions()["essay-fact-check-1989"],
                                              [("s1", store.load("essay-fact-check-1989"))], {"s1": "Ann"})
    assert "counted as given before the reveal (1 revised after it)" in view.text
    e = build("essay-estimate-gulag", store)
    e.guess.value = "100"
    e.reveal.click()
    e.guess.value = "4,000,000"
    e.reveal.click()
    assert "Your first estimate, before the reveal, was 100: it is kept." in e.feedback.value


def test_html_typed_into_a_box_is_escaped_in_feedback_and_fallback(store):
    w = build("siege-loaded-language", store)
    w.other.value = '<img src=x onerror="alert(1)">'
    assert store.load("siege-loaded-language")["other"] == '<img src=x onerror="alert(1)">'
    html, text = w.fallback()
    assert "<img" not in html and "come back when the notebook runs: in JupyterLab, Run → Run All" in text


def test_a_refused_answer_is_reported_and_the_old_one_kept(store):
    w = build("molyneux-exit", store)
    w.text.value = "First answer."
    w.text.value = "x" * 1_000_001
    assert "Not saved" in w.status.value
    assert store.load("molyneux-exit") == "First answer."


def test_teacher_notes_only_in_teacher_mode(store):
    student = build("molyneux-mc-flaw", store).box()
    teacher = build("molyneux-mc-flaw", store, teacher=True).box()
    assert not any("Teacher's notes" in str(getattr(c, "value", "")) for c in student.children)
    assert any("Key" in str(getattr(c, "value", "")) for c in teacher.children)


def test_word_count():
    assert word_count("") == 0
    assert word_count("Lenin's party — the Bolsheviks — won 24%.") == 6
    assert word_count("well-known  words\nhere") == 3


def test_bad_definition_files_are_reported(tmp_path):
    (tmp_path / "a.toml").write_text(textwrap.dedent('''
        [[exercise]]
        id = "x"
        type = "multiple_choice"
        prompt = "?"
        skill = "sourcing"
        options = ["a", "b"]
        answer = 3
        explanation = "e"
        colour = "red"

        [[exercise]]
        id = "x"
        type = "essay"
        prompt = "?"
        skill = "reading"
        '''), encoding="utf-8")
    with pytest.raises(DefinitionError) as e:
        load_definitions(tmp_path)
    msg = str(e.value)
    assert "a.toml, line 2, exercise 1 (x): 'answer' must be the number of the right option, 1 to 2" in msg
    assert "unknown field 'colour'" in msg
    assert "type 'essay' is not one of" in msg
    (tmp_path / "a.toml").write_text("[[exercise]\nid=", encoding="utf-8")
    with pytest.raises(DefinitionError, match="a.toml: not valid TOML"):
        load_definitions(tmp_path)


def test_a_disputed_claim_accepts_a_reasoned_verdict_and_never_says_wrong():
    from helpers.exercises.choice import verdict_feedback

    assert verdict_feedback("disputed", "disputed")[0] is True
    ok, message = verdict_feedback("wrong", "disputed", "Rabinowitch 1976: Moscow saw a week of fighting")
    assert ok is None and "differs" not in message and "can stand" in message
    ok, message = verdict_feedback("correct", "disputed", "")
    assert ok is None and "give a source" in message
    assert verdict_feedback("correct", "wrong")[0] is False


def test_no_claim_is_keyed_wrong_where_its_own_explanation_says_historians_disagree():
    from helpers.context import load

    claims = load("claims")
    wrong = claims[claims["verdict"] == "wrong"]
    hedged = [c for c, e in zip(wrong["claim_id"], wrong["explanation"])
              if any(w in str(e).lower() for w in ("historians disagree", "historians argue", "disputed"))]
    assert not hedged, f"keyed 'wrong' although the explanation says historians disagree: {hedged}"


def test_every_claim_keyed_wrong_is_met_by_students_in_an_exercise():
    """An error stored only in the teacher's guide teaches nothing: each one has a fact-check (or an exercise that
    names it in 'claims') shown in a lesson."""
    from helpers.context import load
    from helpers.lessons import load_lessons

    shown = {x for lesson in load_lessons().values() for x in lesson.shown}
    defs = load_definitions()
    taught = {c for eid, ex in defs.items() if eid in shown
              for c in (*ex.claims, *([ex.get("claim_id")] if ex.type == "fact_check" else []))}
    claims = load("claims")
    wrong = set(claims.loc[claims["verdict"] == "wrong", "claim_id"])
    assert wrong <= taught, f"claims keyed wrong that no shown exercise teaches: {sorted(wrong - taught)}"


def test_ranking_keeps_its_buttons_so_keyboard_focus_stays(store):
    """Moving a cause rewrites the rows' labels; the buttons stay the same objects (a redraw would drop the focus)."""
    ranking_id = next(i for i, ex in load_definitions().items() if ex.type == "ranking")
    w = build(ranking_id, store)
    buttons = [(up, down) for up, down, _t in w.items]
    first, second = w.order[0], w.order[1]
    w.items[1][0].click()  # "Up" on the second row
    assert w.order[:2] == [second, first]
    assert [(up, down) for up, down, _t in w.items] == buttons
    assert second in w.items[0][2].value and w.items[0][0].disabled


def test_multiple_choice_keys_give_nothing_away():
    """Keys spread over positions (no position holds more than half of them) and the key is not always the
    longest option: a student should have to read, not guess the pattern."""
    mcs = [ex for ex in load_definitions().values() if ex.type == "multiple_choice"]
    if len(mcs) < 2:
        pytest.skip("fewer than two multiple-choice exercises")
    positions = [ex.get("answer") for ex in mcs]
    assert max(positions.count(p) for p in set(positions)) <= len(mcs) / 2, positions
    longest = [len(ex.get("options")[ex.get("answer") - 1]) == max(map(len, ex.get("options"))) for ex in mcs]
    assert not all(longest), "the key is the longest option in every multiple choice"


def test_every_written_exercise_has_a_model_answer_or_success_criteria():
    """Issue #12: a teacher marking or discussing written work needs to know what a good answer contains."""
    from helpers.exercises import load_definitions

    missing = [e.id for e in load_definitions().values()
               if e.type in ("free_text", "opvl", "compare", "ranking") and not (e.model_answer or "").strip()]
    assert not missing, f"no model_answer (a model, or success criteria) in data/exercises/*.toml for: {missing}"


SKILLS = ("sourcing", "contextualisation", "corroboration", "close reading")


def test_every_text_lesson_practises_every_reading_skill():
    """Issue #12: a lesson on a text has at least one exercise for each of the four skills (read from the data:
    the lessons that read a source, the skill each exercise names)."""
    from helpers.exercises import load_definitions
    from helpers.lessons import load_lessons

    defs = load_definitions()
    gaps = {lesson.id: sorted(set(SKILLS) - {defs[e].skill for e in lesson.shown})
            for lesson in load_lessons().values() if lesson.source}
    assert gaps and not any(gaps.values()), f"skills no exercise practises, per lesson: {gaps}"


def test_every_kind_s_text_lines_share_one_layout_and_style(store):
    """Headers, labels, status and feedback lines of every exercise kind share one Layout and one HTMLStyle: a lesson
    opens a third fewer widget models (each a message to the browser and a view to build there)."""
    import ipywidgets as W

    layouts, styles, lines = set(), set(), 0
    for kind in FAMILIES:
        ex = next(e for e in load_definitions().values() if e.type == kind)
        w = build(ex.id, store, teacher=True)
        for part in w._walk([w.box()]):
            if isinstance(part, W.HTML):
                layouts.add(part.layout.model_id)
                styles.add(part.style.model_id)
                lines += 1
    assert lines >= 3 * len(FAMILIES) and len(layouts) == 1 and len(styles) == 1


def test_the_key_is_not_given_away_by_its_length():
    """Students learn to pick the long option: the key may be the longest option by more than a third in no more than
    one multiple-choice question in four (fix: give the distractors the key's length and detail, in data/exercises/)."""
    from helpers.exercises.definitions import load_definitions
    questions = [ex for ex in load_definitions().values() if ex.type == "multiple_choice"]
    telling = []
    for ex in questions:
        lengths = [len(o) for o in ex.get("options")]
        key = lengths[ex.get("answer") - 1]
        others = lengths[:ex.get("answer") - 1] + lengths[ex.get("answer"):]
        if key > 4 / 3 * max(others):
            telling.append(f"{ex.id} (key {key} characters, longest distractor {max(others)})")
    assert len(telling) <= len(questions) // 4, "the key is much the longest option in: " + "; ".join(telling)
