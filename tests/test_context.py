"""Context data: the real files validate, load with proper dtypes, and bad rows are reported with file and line."""

import pandas as pd
import pytest

from helpers import context
from helpers.context import TABLES, DataError, validate
from helpers.sources import all_sources


def test_real_data_has_no_problems():
    problems = validate()
    assert not problems, "\n".join(map(str, problems[:30]))


def test_tables_load_typed():
    events = context.load("events")
    assert pd.api.types.is_datetime64_any_dtype(events["start_date"])
    assert isinstance(events["category"].dtype, pd.CategoricalDtype)
    series = context.load("series")
    assert pd.api.types.is_float_dtype(series["value"])
    claims = context.load("claims")
    assert set(claims["verdict"].dropna()) <= set(context.VERDICTS)
    # a copy each time: a notebook that edits its table changes nothing for the next cell
    events.loc[0, "title"] = "changed"
    assert context.load("events").loc[0, "title"] != "changed"


def test_counts_meet_the_brief():
    assert len(context.load("events")) >= 60
    assert context.load("series")["series_id"].nunique() >= 8
    assert len(context.load("glossary")) >= 40
    claims = context.load("claims")
    assert set(claims["source_id"]) <= {s.source_id for s in all_sources()} and len(claims) >= 40
    assert (claims["verdict"] == "wrong").any(), "the texts contain real errors: the claims must show them"


def write(tmp_path, name, header, *rows):
    path = tmp_path / TABLES[name].file
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path):
    for name in ("events", "series_meta", "series", "cited_figures", "claims", "glossary"):
        header = ",".join(TABLES[name].columns)
        write(tmp_path, name, header)
    return tmp_path


def test_bad_rows_are_reported_with_file_line_and_reason(data_dir):
    write(data_dir, "events", ",".join(TABLES["events"].columns),
          "oct,1917-11-07,,day,1917-10-25,,October,The Bolsheviks take power.,revolution,Petrograd,molyneux-01,,,Smith Russia in Revolution 2017",
          "bad,1917-13-01,,day,,,Bad date,x,revolution,,,,all,Smith",
          "nocite,1917-03-08,,day,1917-02-22,,February,x,revolution,,molyneux-99,,nosuch,",
          "oct,1917-11-07,,weekly,,,Dup,x,battles,,,,,Smith")
    problems = [str(p) for p in validate(data_dir, ("events",))]
    assert "data/events.csv, line 3: start_date '1917-13-01' is not a date written YYYY-MM-DD" in problems
    assert "data/events.csv, line 4: column 'citation' is empty" in problems
    assert "data/events.csv, line 4: mentioned_in: no such passage molyneux-99" in problems
    assert any(p.startswith("data/events.csv, line 4: start_date_os 1917-02-22 (Old Style) is 1917-03-07") for p in problems)
    assert "data/events.csv, line 5: event_id 'oct' repeats line 2" in problems
    assert any("line 5: precision 'weekly' is not one of" in p for p in problems)
    assert any("line 5: category 'battles'" in p for p in problems)
    assert not any(", line 2:" in p for p in problems)


def test_claims_quotes_must_be_verbatim(data_dir):
    write(data_dir, "claims", ",".join(TABLES["claims"].columns),
          'ok,001,essay-04,"Lenin died on January 24, 1924",date,wrong,21 January 1924,He died on the 21st.,Smith Russia in Revolution 2017',
          'para,001,essay-04,"Lenin died on 24 January 1924",date,wrong,,x,Smith',
          'other,000,essay-04,"Lenin died",date,correct,,x,Smith')
    problems = [str(p) for p in validate(data_dir, ("claims",))]
    assert any("line 3: quote 'Lenin died on 24 January 1924' is not found verbatim" in p for p in problems)
    assert "data/claims.csv, line 3: a claim judged wrong needs better_value" in problems
    assert "data/claims.csv, line 4: passage essay-04 is not in source 000 (molyneux)" in problems
    assert not any(", line 2:" in p for p in problems)


def test_series_need_known_ids_years_and_values(data_dir):
    write(data_dir, "series_meta", ",".join(TABLES["series_meta"].columns), "grain,Grain,million tonnes,year,x,Davies")
    write(data_dir, "series", ",".join(TABLES["series"].columns),
          "grain,1928,73.3,,,Davies 2004 table 1,", "grain,late,1,,,Davies,", "rye,1930,x,,,Davies,",
          "grain,1931,,,,Davies,")
    problems = [str(p) for p in validate(data_dir, ("series",))]
    assert "data/series.csv, line 3: x 'late' should be a year for this series" in problems
    assert "data/series.csv, line 4: series_id: no series 'rye' in series_meta.csv" in problems
    assert "data/series.csv, line 4: value 'x' is not a number" in problems
    assert "data/series.csv, line 5: no value, no range and no note saying why the value is missing" in problems


def test_missing_file_is_a_clear_problem_and_error(data_dir):
    (data_dir / "glossary.csv").unlink()
    problems = validate(data_dir, ("glossary",))
    assert len(problems) == 1 and "glossary.csv is missing" in str(problems[0])
    with pytest.raises(DataError, match="glossary.csv is missing"):
        context.load("glossary", data_dir)
    with pytest.raises(KeyError, match="No data table 'nope'"):
        context.load("nope")


def test_a_figure_is_compared_only_with_the_same_quantity(data_dir):
    write(data_dir, "series_meta", ",".join(TABLES["series_meta"].columns),
          "petrograd_population,Petrograd,people,year,x,Sorokin 1925 The Sociology of Revolution")
    write(data_dir, "cited_figures", ",".join(TABLES["cited_figures"].columns),
          'cf,molyneux-12,"By 1921 the class",1921,year,When the class vanished,petrograd_population,,,,,disputed,')
    problems = [str(p) for p in validate(data_dir, ("cited_figures",))]
    assert ("data/cited_figures.csv, line 2: compare_series petrograd_population counts 'people', not 'year': a figure "
            "is compared only with the same quantity (show another series beside the passage)") in problems


def test_a_figure_on_a_claims_words_takes_the_claims_verdict(data_dir):
    """One verdict per fact: a figure quoting a claim's words may not judge them differently (fix: edit the figure's
    verdict in data/cited_figures.csv; the claim's in data/claims.csv is the one that counts)."""
    write(data_dir, "claims", ",".join(TABLES["claims"].columns),
          '"c1",001,essay-06,"arrested approximately 3.5 million people",number,disputed,,"Depends.","Lewin, The Soviet '
          'Century (2005)"')
    write(data_dir, "cited_figures", ",".join(TABLES["cited_figures"].columns),
          'f1,essay-06,"3.5 million",3500000,people,People,,4060306,,,"Lewin, The Soviet Century (2005)",too_low,n')
    problems = [str(p) for p in validate(data_dir, ("claims", "cited_figures"))]
    assert problems == ["data/cited_figures.csv, line 2: verdict 'too_low' of figure f1 disagrees with claims.csv "
                        "line 2 (c1: 'disputed') on the same words; a verdict lives in claims.csv, so this figure's "
                        "verdict must be 'disputed'"]


def test_a_mention_needs_the_passages_words_or_a_reviewers_note(data_dir):
    """'Mentioned' means the passage names the event; context it leaves out goes in left_out_of (fix: move the
    passage id there, or give the reason in data/mention_notes.csv)."""
    events = ",".join(TABLES["events"].columns)
    row = ("hungary-1956,1956-10-23,,day,,,Hungarian revolution crushed,Tanks.,international,Hungary,{m},{o},,"
           "\"Wikipedia, 'Hungarian Revolution of 1956'\"")
    write(data_dir, "mention_notes", ",".join(TABLES["mention_notes"].columns))
    write(data_dir, "events", events, row.format(m="essay-07", o=""))
    problems = [str(p) for p in validate(data_dir, ("events", "glossary", "mention_notes"))]
    assert problems == ["data/events.csv, line 2: mentioned_in lists essay-07, whose words show nothing of 'Hungarian "
                        "revolution crushed' (no year, title word or glossary term): give the reason in "
                        "data/mention_notes.csv, or move essay-07 to left_out_of if the passage leaves this context out"]
    write(data_dir, "events", events, row.format(m="", o="essay-07"))
    assert validate(data_dir, ("events", "glossary", "mention_notes")) == []
    write(data_dir, "events", events, row.format(m="essay-07", o="essay-07"))
    assert any("both mentions this event and leaves it out" in str(p)
               for p in validate(data_dir, ("events", "glossary", "mention_notes")))
