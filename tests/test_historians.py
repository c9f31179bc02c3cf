"""The historians' panel and the key-dates table: grouped, cited, escaped, and clear about a wrong id."""
import pytest

from helpers import context
from helpers.context import TABLES, validate
from helpers.historians import historians_panel
from helpers.timeline import key_dates


def test_panel_groups_every_historian_under_their_answer_with_the_work():
    panel = historians_panel("start-continuum")
    table = context.load("historians")
    text = panel.text
    assert "The revolution of 1917 failed because of its leaders" in text  # the statement, read from the exercise
    for _, row in table.iterrows():
        assert f"{row['name']}: {row['position']} Source: {row['citation']}" in text
    heads = [text.index(h) for h in ("Disagrees", "Partly", "Agrees")]
    assert heads == sorted(heads), "from one end of the continuum to the other"
    assert set(table["on_the_statement"]) == set(context.STANCES), "every position on the statement is represented"
    assert "<script" not in str(panel.html)


def test_panel_for_an_unknown_continuum_says_what_it_needs():
    with pytest.raises(KeyError, match="No exercise 'nope' in data/exercises/: the panel answers a continuum"):
        historians_panel("nope")


def test_a_bad_historians_row_is_reported_with_line_and_reason(tmp_path):
    (tmp_path / "historians.csv").write_text(
        ",".join(TABLES["historians"].columns) + "\n"
        "carr,E. H. Carr,maybe,Circumstances first.,https://docslib.org/doc/1\n", encoding="utf-8")
    problems = [str(p) for p in validate(tmp_path, ("historians",))]
    assert any("line 2: on_the_statement 'maybe' is not one of: disagrees, partly, agrees" in p for p in problems)
    assert any("line 2: citation names no work, only a link" in p for p in problems)


def test_key_dates_are_in_date_order_with_their_sources():
    view = key_dates("ussr-dissolved", "february-revolution", "lenin-dies")
    lines = view.text.splitlines()
    assert [line.split(" | ")[1] for line in lines[1:4]] == ["February Revolution", "Death of Lenin",
                                                             "Dissolution of the Soviet Union"]
    assert lines[-1].startswith("Sources: ") and "Wikipedia, 'Vladimir Lenin'" in lines[-1]
    assert "<th scope=\"col\">Date</th>" in str(view.html)


def test_key_dates_name_an_unknown_event():
    with pytest.raises(KeyError, match="No event 'no-such-event' in data/events.csv"):
        key_dates("lenin-dies", "no-such-event")
