"""The page layouts of data/layouts.csv: each row's example reads as its kind, common web-page layouts are read
without a hint, a teacher's per-text hint is the line itself, and a bad row is named by its line."""
from dataclasses import replace

import pytest

from helpers.layouts import LAYOUTS_CSV, LayoutError, example_problems, layout_for, read_rules
from helpers.sources import get_source
from helpers.texts import parse, problems

SOURCE = replace(get_source("molyneux"), author="Maria Petrova", title="Kronstadt 1921", slug="kronstadt",
                 label="Petrova")
BODY = ("In March 1921 the sailors of Kronstadt rose against the government they had helped to bring to power in "
        "1917, and their demands were printed for the whole city to read.")


def test_every_example_reads_as_its_kind():
    assert example_problems() == [], "fix the row's pattern or its example in data/layouts.csv"


@pytest.mark.parametrize("line, kind", [
    ("Maria Petrova 2021", "byline"), ("By Maria Petrova", "byline"), ("maria petrova (2021)", "byline"),
    ("Wednesday, 3 March 2021 by Maria Petrova", "dateline"), ("March 3rd, 2021", "dateline"),
    ("Posted on Wed 3 Mar 2021 at 14:05", "dateline"), ("2021-03-03 | Maria Petrova", "dateline"),
    ("Maria Petrova, 3 March 2021", "dateline"), ("## The winter of hunger", "subheading"),
    ("Share this:", "clutter"), ("Works Cited", "heading"), ("Leave a Reply", "clutter"),
    ("Posted on March 5, 2019 by admin", "dateline"), ("By Maria Petrova | March 5, 2019", "dateline"),
    ("Published 5 March 2019 · 6 min read", "dateline"), ("Maria Petrova, historian", "byline"),
    ("Maria Petrova argues that the revolution failed because of the war.", None),
    ("By 1921 the class had virtually ceased to exist.", None), ("March 1921 was cold", None),
])
def test_common_page_layouts_are_read_without_a_hint(line, kind):
    assert layout_for(SOURCE).kind_of(line, first=False) == kind


def test_a_new_texts_front_matter_subheadings_and_quoted_document():
    raw = (f"Kronstadt 1921: the sailors' demands\nMaria Petrova 2021\n\nWednesday, 3 March 2021 by Maria Petrova\n\n"
           f"{BODY}\n\nThe demands\n\n{BODY} Among them:\n\n“Freedom of speech and of the press for workers.”\n\n"
           f"> {BODY}\n")
    doc = parse(raw, SOURCE)
    assert [p.kind for p in doc.parts] == ["title", "byline", "dateline", "passage", "subheading", "passage",
                                           "passage", "passage"]
    assert [p.is_quotation for p in doc.passages] == [False, False, True, True]
    assert doc.passages[-1].text == BODY and doc.subheading_before(doc.passages[1]) == "The demands"
    assert problems(doc) == []


def test_an_unplaced_line_is_reported_with_its_line_and_the_file_to_fix():
    doc = parse(f"Kronstadt 1921\n\n{BODY}\n\nSee also\n{BODY}\n", SOURCE)
    assert problems(doc) == ["line 5: passage Petrova ¶2 'See also' reads as a title or subheading (a few words, no "
                             "sentence end): add a row for it to data/layouts.csv (with this text's slug)"]


def test_a_per_text_hint_is_the_line_itself(tmp_path):
    path = tmp_path / "layouts.csv"
    path.write_text(LAYOUTS_CSV.read_text(encoding="utf-8")
                    + "kronstadt,clutter,any,SEE ALSO,,a link list under the post\r\n", encoding="utf-8")
    assert layout_for(SOURCE, path).kind_of("See also", first=False) == "clutter"
    assert layout_for(SOURCE, path).unused_hints(["See also", BODY]) == []
    assert [r.pattern for r in layout_for(SOURCE, path).unused_hints([BODY])] == ["SEE ALSO"]
    other = replace(SOURCE, slug="other", source_id="999")
    assert layout_for(other, path).kind_of("See also", first=False) is None


def test_a_bad_row_is_named_by_its_line(tmp_path):
    path = tmp_path / "layouts.csv"
    path.write_text("text,kind,where,pattern,example,note\r\n,byline,anywhere,(unclosed,,\r\n", encoding="utf-8")
    with pytest.raises(LayoutError) as e:
        read_rules(path)
    assert "line 2: where 'anywhere' must be 'first' or 'any'" in str(e.value)
    assert "line 2: pattern '(unclosed' is not a valid pattern" in str(e.value)
