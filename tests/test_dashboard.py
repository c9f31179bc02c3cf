"""The class dashboard: loading a folder of hand-ins (bad files reported and skipped), the summaries, CSV and HTML."""
from __future__ import annotations

import csv
import importlib.util
import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from helpers import answers as A
from tests.conftest import Tags
from helpers.answers import Answer, Handin, handin_filename, handin_html
from helpers.dashboard import ClassResults, load_class, problems_view, table_view

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)
EVIL = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>",
        "\"'><svg onload=alert(3)>", "<!-- -->&amp;"]


def handin(student: str, answers: dict, exported_minutes: int = 0, version: str | None = None) -> Handin:
    items = {eid: Answer(eid, v, (T0 + timedelta(minutes=i)).isoformat(), "01_molyneux")
             for i, (eid, v) in enumerate(answers.items())}
    return Handin(student, (T0 + timedelta(days=1, minutes=exported_minutes)).isoformat(),
                  version or A.collection_version(), items)


def write(folder: Path, h: Handin, name: str | None = None) -> Path:
    path = folder / (name or handin_filename(h.student))
    path.write_text(handin_html(h), encoding="utf-8")
    return path


@pytest.fixture
def klass(tmp_path) -> ClassResults:
    write(tmp_path, handin("Ada", {"mc": 2, "cont": {"before": 1, "after": 4, "reason": "civil war"},
                                   "rank": ["Civil war", "Isolation", "Lenin"], "free": "Ada's text"}))
    write(tmp_path, handin("Boris", {"mc": "2", "cont": {"before": 5, "after": 3, "reason": ""},
                                     "rank": ["Isolation", "Civil war", "Lenin"], "free": ""}))
    write(tmp_path, handin("Chen", {"mc": {"choice": 3}, "cont": {"before": 2}, "rank": ["Civil war"]}))
    write(tmp_path, handin("Dana", {}))
    return load_class(tmp_path)


def test_tidy_table(klass):
    df = klass.answers
    assert list(df.columns) == ["student", "notebook", "exercise_id", "value", "saved_at"]
    assert len(df) == 11 and klass.students == ["Ada", "Boris", "Chen", "Dana"] and not klass.problems
    assert str(df["saved_at"].dtype).startswith("datetime64") and str(df["saved_at"].dt.tz) == "UTC"
    assert df["value"].dtype == object
    row = df[(df.student == "Ada") & (df.exercise_id == "rank")].iloc[0]
    assert row["value"] == ["Civil war", "Isolation", "Lenin"]


def test_completion_counts_empty_answers_as_missing(klass):
    c = klass.completion(["mc", "free", "never"])
    assert c.loc["Ada", "answered"] == 2 and c.loc["Ada", "of"] == 3 and c.loc["Ada", "missing"] == "never"
    assert c.loc["Boris", "answered"] == 1 and c.loc["Boris", "missing"] == "free, never"
    assert c.loc["Dana", "answered"] == 0 and c.loc["Dana", "percent"] == 0
    assert c.loc["Ada", "percent"] == 67


def test_correct_rates(klass):
    r = klass.correct_rates({"mc": 2, "free": "x", "nobody": 1})
    assert (r.loc["mc", "answered"], r.loc["mc", "correct"], r.loc["mc", "percent_correct"]) == (3, 2, 67)
    assert r.loc["nobody", "answered"] == 0 and math.isnan(r.loc["nobody", "percent_correct"])
    by_text = load_class_values({"A": "Civil war ", "B": "civil war", "C": "Isolation"}).correct_rates(
        {"q": "Civil War"})
    assert by_text.loc["q", "correct"] == 2


def load_class_values(values: dict[str, object]) -> ClassResults:
    rows = [(s, "nb", "q", v, T0) for s, v in values.items()]
    df = pd.DataFrame(rows, columns=["student", "notebook", "exercise_id", "value", "saved_at"])
    df["value"] = pd.Series([r[3] for r in rows], dtype=object)
    return ClassResults([handin(s, {}) for s in values], df)


def test_continuum_shifts(klass):
    s = klass.continuum_shifts()
    assert list(s["student"]) == ["Ada", "Boris", "Chen"]
    assert list(s["shift"][:2]) == [3.0, -2.0] and math.isnan(s["shift"].iloc[2])
    assert s.loc[0, "reason"] == "civil war"
    summary = klass.continuum_summary()
    row = summary.loc["cont"]
    assert (row["students"], row["mean_before"], row["mean_after"], row["mean_shift"]) == (2, 3.0, 3.5, 0.5)
    assert (row["moved_left"], row["unchanged"], row["moved_right"]) == (1, 0, 1)
    assert klass.continuum_shifts(["mc"]).empty


def test_rankings(klass):
    r = klass.rankings(["rank"]).set_index("option")
    assert r.loc["Civil war", "mean_rank"] == round((1 + 2 + 1) / 3, 2) and r.loc["Civil war", "first_choices"] == 2
    assert r.loc["Lenin", "mean_rank"] == 3 and r.loc["Lenin", "n"] == 2
    assert list(r.index) == ["Civil war", "Isolation", "Lenin"]


def test_free_text_side_by_side(klass):
    f = klass.free_text(["free", "mc"])
    assert list(f.columns) == ["free", "mc"] and list(f.index) == klass.students
    assert f.loc["Ada", "free"] == "Ada's text" and f.loc["Boris", "free"] == ""
    assert f.loc["Chen", "mc"] == '{"choice": 3}'


# -- bad files ---------------------------------------------------------------------------------------------------------

def test_corrupt_foreign_future_and_duplicate_files_are_reported_and_skipped(tmp_path):
    write(tmp_path, handin("Ada", {"mc": 1}))
    good = write(tmp_path, handin("Boris", {"mc": 2}, exported_minutes=5))
    write(tmp_path, handin("boris ", {"mc": 3}, exported_minutes=1), "boris-first-try.html")
    text = handin_html(handin("Chen", {"mc": 2, "free": "x" * 500}))
    (tmp_path / "chen-truncated.html").write_text(text[: len(text) - 200], encoding="utf-8")
    (tmp_path / "empty.html").write_text("", encoding="utf-8")
    (tmp_path / "homework.html").write_text("<html><body>notes</body></html>", encoding="utf-8")
    data = json.loads(Tags(handin_html(handin("Dana", {"mc": 2}))).scripts[0])
    data["format_version"] = 99
    (tmp_path / "dana-future.html").write_text(  # what a future version's file would look like
        text.replace(Tags(text).scripts[0], json.dumps(data).replace("<", "\\u003c")), encoding="utf-8")
    (tmp_path / "readme.txt").write_text("not looked at", encoding="utf-8")
    (tmp_path / ".hidden.html").write_text("ignored", encoding="utf-8")
    write(tmp_path, handin("Eve", {"mc": 2}, version="0.0.1"))
    r = load_class(tmp_path)
    assert r.students == ["Ada", "Boris", "Eve"]
    assert r.answers.set_index("student").loc["Boris", "value"] == 2  # the later export wins
    kinds = {p.file: (p.kind, p.skipped) for p in r.problems}
    assert kinds == {"boris-first-try.html": ("duplicate", True), "chen-truncated.html": ("corrupt", True),
                     "dana-future.html": ("future-format", True), "empty.html": ("foreign", True),
                     "homework.html": ("foreign", True), handin_filename("Eve"): ("other-version", False)}
    dup = next(p for p in r.problems if p.kind == "duplicate")
    assert good.name in dup.message
    view = problems_view(r)
    assert "Loaded 3 hand-in files (3 answers). Skipped 5 files:" in view.text
    assert view.text.index("boris-first-try") < view.text.index("0.0.1")


def test_empty_folder_and_missing_folder(tmp_path):
    r = load_class(tmp_path)
    assert r.answers.empty and r.students == [] and r.completion(["a"]).empty
    assert r.correct_rates({"a": 1}).loc["a", "answered"] == 0 and r.rankings(["a"]).empty
    assert r.continuum_summary().empty and r.free_text(["a"]).empty
    assert "Loaded 0 hand-in files" in problems_view(r).text
    with pytest.raises(FileNotFoundError):
        load_class(tmp_path / "nope")


# -- text as text: HTML, CSV -------------------------------------------------------------------------------------------

def test_markup_and_scripts_are_shown_as_text_in_the_dashboard(tmp_path):
    for i, t in enumerate(EVIL):
        write(tmp_path, handin(f"{t[:50]} {i}", {"free": t, "cont": {"before": 1, "after": 2, "reason": t}}),
              f"s{i}.html")
    (tmp_path / "<img src=x onerror=alert(9)>.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    r = load_class(tmp_path)
    assert len(r.students) == len(EVIL)
    for view in (table_view(r.free_text(["free"]), "<script>caption</script>"),
                 table_view(r.continuum_shifts()), table_view(r.answers), problems_view(r)):
        parsed = Tags(str(view.html))
        assert "script" not in parsed.tags and "img" not in parsed.tags and "svg" not in parsed.tags
    shown = "".join(Tags(str(table_view(r.free_text(["free"])).html)).text)
    assert all(t in shown for t in EVIL)
    assert "<img src=x onerror=alert(9)>.html" in "".join(Tags(str(problems_view(r).html)).text)


def test_csv_keeps_text_exactly_and_neutralises_formulas(tmp_path):
    texts = {"Ada": "=HYPERLINK(\"http://x\",\"click\")", "Boris": "<script>alert(1)</script>",
             "Chen": "مرحبا\x07 \"quoted\", comma\nnew line", "Dana": "@SUM(1)", "Eve": "-2+3", "Fay": "+1"}
    for s, t in texts.items():
        write(tmp_path, handin(s, {"free": t, "mc": 2}))
    write(tmp_path, handin("=cmd|' /C calc'!A0", {"free": "x"}))
    r = load_class(tmp_path)
    out = r.to_csv(tmp_path / "class.csv")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student", "notebook", "exercise_id", "value", "saved_at"]
    got = {row["student"]: row["value"] for row in rows if row["exercise_id"] == "free"}
    assert got["Boris"] == texts["Boris"] and got["Chen"] == texts["Chen"]
    for s in ("Ada", "Dana", "Eve", "Fay"):
        assert got[s] == "'" + texts[s]
    assert "'=cmd|' /C calc'!A0" in got
    assert all(row["value"] == "2" for row in rows if row["exercise_id"] == "mc")
    assert datetime.fromisoformat(rows[0]["saved_at"]).tzinfo is not None
    raw = tmp_path / "raw.csv"
    r.to_csv(raw, protect_formulas=False)
    assert texts["Ada"] in pd.read_csv(raw)["value"].tolist()


def test_csv_of_a_summary_table_keeps_its_index(klass, tmp_path):
    path = klass.to_csv(tmp_path / "completion.csv", klass.completion(["mc", "free"]))
    df = pd.read_csv(path)
    assert list(df.columns) == ["student", "answered", "of", "percent", "missing"] and len(df) == 4


# -- the sample class --------------------------------------------------------------------------------------------------

def test_sample_class_loads(root):
    r = load_class(root / "data" / "sample_class")
    assert len(r.students) == 25 and all(s.startswith("SAMPLE ") for s in r.students)
    assert sorted(p.kind for p in r.problems if p.skipped) == ["corrupt", "duplicate", "foreign"]
    key = json.loads((root / "data" / "sample_class" / "answer_key.json").read_text(encoding="utf-8"))
    assert r.correct_rates(key)["answered"].min() > 0


def test_sample_class_is_reproduced_by_its_seeded_script(root, tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_sample_class", root / "scripts" / "make_sample_class.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    module.main()
    committed = root / "data" / "sample_class"
    made = sorted(p.name for p in tmp_path.iterdir())
    fix = "run `python3 tasks.py derive` (scripts/make_sample_class.py reads the exercises from their definitions)"
    assert made == sorted(p.name for p in committed.iterdir() if p.suffix in (".html", ".json")), fix
    for name in made:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), f"{name}: {fix}"
