"""Every checkable sentence of every text in data/sources.csv is fact-checked or listed with the reason it is not
(helpers/inventory.py; data/claim_inventory.csv). A failure lists the sentences; `python3 tasks.py check-text SLUG`
shows the same list as a to-do."""
from __future__ import annotations

import pytest

from helpers import inventory


@pytest.mark.parametrize("slug", inventory.full_texts())  # a draft's to-do list is `tasks.py check-text SLUG`
def test_every_checkable_sentence_is_accounted_for(slug):
    missing = inventory.unaccounted(slug)
    assert not missing, (f"{len(missing)} checkable sentences of {slug} have neither a claim in data/claims.csv nor a "
                         f"reason in data/claim_inventory.csv (see `python3 tasks.py check-text {slug}`):\n"
                         + "\n".join(f"  {s.passage_id}: {s.text[:100]}" for s in missing))


def test_inventory_rows_name_real_sentences_and_say_why():
    assert inventory.inventory_problems() == []


def test_a_bad_inventory_row_is_named(tmp_path):
    bad = tmp_path / "claim_inventory.csv"
    bad.write_text("passage_id,starts_with,reason,note\nessay-01,No such start,guess,\n", encoding="utf-8")
    problems = inventory.inventory_problems(bad)
    assert problems == [
        "data/claim_inventory.csv, line 2: reason 'guess' is not one of: " + ", ".join(inventory.REASONS),
        "data/claim_inventory.csv, line 2: say in 'note' why this sentence is not checked (or what it restates)",
        "data/claim_inventory.csv, line 2: no sentence of essay-01 starts with 'No such start'"]


def test_an_unlisted_checkable_sentence_is_found(tmp_path):
    empty = tmp_path / "claim_inventory.csv"
    empty.write_text("passage_id,starts_with,reason,note\n", encoding="utf-8")
    missing = inventory.unaccounted("molyneux", empty)
    assert any(s.text.startswith("In reality history is shaped primarily") for s in missing)
