"""Properties of the answer store and hand-ins under any input (hypothesis), for every exercise type the collection
defines: a value is either saved and read back as it was, or refused with an AnswerError naming the exercise, the
earlier answer kept; an answer file holding anything at all is read as a valid answer or set aside, never reaching a
widget in a shape it cannot show; a hand-in of any bytes is read or refused with a HandinError, and a class folder
of them always loads."""
from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import answers as A
from helpers.dashboard import load_class
from helpers.exercises import load_definitions
from helpers.values import answer_problem

NB = "01_molyneux"
BY_KIND = {}
for _ex in load_definitions().values():
    BY_KIND.setdefault(_ex.type, _ex)
KINDS = sorted(BY_KIND)

scalars = (st.none() | st.booleans() | st.integers(min_value=-10**40, max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(value=values)
def test_a_value_is_saved_as_it_is_or_refused_with_the_earlier_answer_kept(kind, value):
    ex = BY_KIND[kind]
    with tempfile.TemporaryDirectory() as root:
        store = A.AnswerStore(root)
        try:
            store.save(ex.id, value, NB)
        except A.AnswerError as e:
            assert ex.id in str(e) or "answer" in str(e), e
            assert store.load(ex.id) is None  # nothing half-saved
            return
        assert answer_problem(ex.id, value) is None
        assert _same(store.load(ex.id), value)
        assert _same(A.AnswerStore(root).load(ex.id), value)  # and from disk, in a new kernel


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(value=values, raw=st.binary(max_size=200) | st.just(b'{"format": 1}'))
def test_an_answer_file_with_anything_in_it_never_reaches_a_widget_in_a_wrong_shape(kind, value, raw):
    ex = BY_KIND[kind]
    with tempfile.TemporaryDirectory() as root:
        store = A.AnswerStore(root, student="Ada")
        store.save("molyneux-exit", "kept", NB)
        path = store.path_for(ex.id)
        record = {"format": A.STORE_FORMAT, "format_version": 1, "exercise_id": ex.id, "notebook": NB,
                  "value": value, "saved_at": A.now_utc(), "history": []}
        for content in (json.dumps(record, allow_nan=True).encode(), raw):
            path.write_bytes(content)
            loaded = store.load(ex.id)
            if loaded is not None:
                assert answer_problem(ex.id, loaded) is None
                assert not any(isinstance(x, float) and not math.isfinite(x) for x in _leaves(loaded))
            handin = A.build_handin(store)  # never fails because of one file
            assert handin.answers["molyneux-exit"].value == "kept" if ex.id != "molyneux-exit" else True
            json.dumps(A.handin_data(handin), allow_nan=False)  # and always writes valid JSON


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


@SETTINGS
@given(raw=st.binary(max_size=300), codec=st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig"]))
def test_a_hand_in_of_any_bytes_is_read_or_refused_by_name_and_the_class_loads(raw, codec):
    with tempfile.TemporaryDirectory() as folder:
        store = A.AnswerStore(Path(folder) / "a", student="Ada")
        store.save("molyneux-exit", "kept", NB)
        good = A.export_handin(store).read_text(encoding="utf-8")
        page = good.encode(codec)  # as an editor may have re-saved it: still read
        assert A.read_handin(page).student == "Ada"
        try:
            A.read_handin(raw, "odd.html")
        except A.HandinError as e:
            assert str(e).startswith("odd.html")
        class_dir = Path(folder) / "class"
        class_dir.mkdir()
        (class_dir / "odd.html").write_bytes(raw)
        (class_dir / "ada.html").write_bytes(page)
        results = load_class(class_dir)
        assert "Ada" in results.students
