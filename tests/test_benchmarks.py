"""The benchmark harness's pure parts: medians and ratios, budget verdicts, the floor notebook, parsing pytest and
-X importtime output, and the table. Nothing here starts a kernel or asserts on a time."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_median_ignores_missing_samples(bench):
    assert bench.median([3.0, 1.0, 2.0]) == 2.0
    assert bench.median([4.0, 1.0, None, 2.0, 3.0]) == 2.5
    assert bench.median([]) is None
    assert bench.median([None]) is None


def test_ratio_needs_both_figures_and_a_positive_floor(bench):
    assert bench.ratio(3.0, 2.0) == 1.5
    assert bench.ratio(None, 2.0) is None
    assert bench.ratio(3.0, None) is None
    assert bench.ratio(3.0, 0.0) is None


def test_within_budget_inclusive_and_strict(bench):
    assert bench.within(1.5, 1.5) == "ok"
    assert bench.within(1.51, 1.5) == "over"
    assert bench.within(50.0, 50.0, strict=True) == "over"
    assert bench.within(49.9, 50.0, strict=True) == "ok"
    assert bench.within(None, 1.0) == "n/a"


def test_floor_notebook_is_one_valid_cell_of_the_unavoidable_imports(bench):
    import nbformat

    nb = bench.floor_notebook()
    nbformat.validate(nb)
    assert [c.cell_type for c in nb.cells] == ["code"]
    src = nb.cells[0].source
    assert src.startswith("%matplotlib inline")
    for module in ("pandas", "matplotlib.pyplot", "ipywidgets"):
        assert f"import {module}" in src
    assert "helpers" not in src
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_find_notebooks_skips_drafts_and_checkpoints(bench, tmp_path):
    for rel in ("a.ipynb", "sub/b.ipynb", "drafts/c.ipynb", "sub/.ipynb_checkpoints/b-checkpoint.ipynb", "d.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    assert [p.relative_to(tmp_path).as_posix() for p in bench.find_notebooks(tmp_path)] == ["a.ipynb", "sub/b.ipynb"]


def test_maxrss_units(bench):
    assert bench.maxrss_mb(2048, "Linux") == 2.0
    assert bench.maxrss_mb(3 * 1024 * 1024, "Darwin") == 3.0


@pytest.mark.parametrize("text, counts", [
    ("....\n3 failed, 147 passed in 7.96s\n", {"failed": 3, "passed": 147}),
    ("28 passed, 1 warning in 4.11s", {"passed": 28, "warnings": 1}),
    ("1 passed, 2 errors, 5 deselected in 0.50s", {"passed": 1, "errors": 2, "deselected": 5}),
    ("no tests ran in 0.12s", {}),
    ("garbage", {}),
])
def test_parse_pytest_summary(bench, text, counts):
    assert bench.parse_pytest_summary(text) == counts


def test_parse_importtime_keeps_only_what_follows_the_marker(bench):
    stderr = "\n".join([
        "import time: self [us] | cumulative | imported package",
        "import time:      5000 |      90000 | pandas",
        bench.IMPORT_MARK,
        "import time:       700 |        700 |     helpers.sources",
        "import time:      6300 |       7000 |   helpers.texts",
        "import time:       300 |       8000 | helpers",
    ])
    found = bench.parse_importtime(stderr)
    assert [m["module"] for m in found] == ["helpers.sources", "helpers.texts", "helpers"]
    assert found[1] == {"module": "helpers.texts", "self_us": 6300, "cumulative_us": 7000, "depth": 1}


def test_short_error_keeps_the_last_line(bench):
    assert bench.short_error(RuntimeError("long\ntrace\nKeyError: 'x'")) == "error: RuntimeError: KeyError: 'x'"
    assert bench.short_error(ValueError()) == "error: ValueError"


def test_test_parts_skip_what_cannot_collect_anything(bench, tmp_path):
    (tmp_path / "test_a.py").write_text("def test_a():\n    pass\n")
    parts = {name: (args, why) for name, args, why in bench.test_parts(quick=False, tests=tmp_path)}
    assert parts["unit"][0] and parts["nbval"][0] == ["notebooks"]
    assert parts["slow"] == (None, "no tests") and parts["browser"] == (None, "no tests")
    assert parts["whole command"] == (None, "not run (add --whole)")
    (tmp_path / "browser").mkdir()
    slow = "@pytest.mark." + "slow"  # spelt in two so this file does not itself look like it holds slow tests
    (tmp_path / "test_b.py").write_text(f"import pytest\n\n{slow}\ndef test_b():\n    pass\n")
    parts = {name: (args, why) for name, args, why in bench.test_parts(quick=False, tests=tmp_path)}
    assert parts["slow"] == (None, "not run (add --slow)")
    assert parts["browser"][0] == ["tests/browser"]
    parts = {name: (args, why) for name, args, why in
             bench.test_parts(quick=True, slow=True, whole=True, tests=tmp_path)}
    assert parts["slow"][0] is not None and parts["whole command"][0] == []
    assert parts["browser"] == (None, "skipped (--quick)")


def _results() -> dict:
    return {
        "notebooks": {
            "runner": "nbclient", "reps": 5,
            "floor": {"name": "floor", "median_s": 2.0, "start_median_s": 0.5, "shutdown_median_s": 0.1,
                      "maxrss_mb": 120.0, "slowest_cells": [{"cell": 0, "median_s": 1.2, "source": "%matplotlib"}]},
            "items": [
                {"name": "01_a.ipynb", "median_s": 2.5, "ratio": 1.25, "maxrss_mb": 130.0, "slowest_cells": [],
                 "warm": {"median_s": 2.2, "ratio": 1.1}},
                {"name": "02_b.ipynb", "median_s": 3.2, "ratio": 1.6, "ratio_best": 1.4, "maxrss_mb": 150.0,
                 "slowest_cells": []},
                {"name": "03_c.ipynb", "median_s": None, "ratio": None, "status": "error: CellExecutionError"},
            ],
        },
        "import": {"extra_median_s": 0.012, "new_packages": ["helpers"],
                   "importtime_heaviest": [{"module": "helpers.texts", "self_us": 6300}]},
        "tests": {"parts": [{"name": "unit", "seconds": 4.0, "outcome": "150 passed"},
                            {"name": "nbval", "seconds": 7.0, "outcome": "28 passed"},
                            {"name": "browser", "seconds": None, "outcome": "skipped (--quick)"},
                            {"name": "whole command", "seconds": 10.0, "outcome": "178 passed"}],
                  "unit_plus_nbval_s": 11.0},
        "answers": {"save": {"status": "not available yet"},
                    "handins": {"status": "ok", "count": 1000, "median_s": 2.5}},
        "class": {"kernels": 30, "total_rss_mb": 9000.0, "total_pss_mb": 5120.0, "fits_8_gb": True,
                  "kernel_rss_mean_mb": 160.0},
    }


def test_table_rows_put_each_figure_beside_its_budget(bench):
    rows = {r[0]: r[1:] for r in bench.table_rows(_results())}
    assert rows["floor notebook (imports only)"][0] == "2.00 s"
    assert rows["notebook 01_a.ipynb (cold)"] == ("2.50 s  1.25×", "≤ 1.5× floor", "ok")
    assert rows["notebook 01_a.ipynb (warm)"] == ("2.20 s  1.10×", "≤ 1.2× floor", "ok")
    assert rows["notebook 02_b.ipynb (cold)"] == ("3.20 s  1.60× (best 1.40×)", "≤ 1.5× floor", "over")
    assert "notebook 02_b.ipynb (warm)" not in rows  # not measured: no row
    assert rows["notebook 03_c.ipynb (cold)"][2] == "error: CellExecutionError"
    assert rows["kernel peak RSS: largest (02_b.ipynb)"][0] == "150 MB (+30 vs floor)"
    assert rows["helpers import beyond pandas+mpl+widgets"] == ("12 ms", "≤ 300 ms", "ok")
    assert rows["tests: unit + nbval"] == ("11.00 s", "≤ 60 s", "ok")
    assert rows["tests: browser"][2] == "skipped (--quick)"
    assert rows["answer save (one answer)"] == ("—", "< 50 ms", "not available yet")
    assert rows["dashboard load of 1,000 hand-ins"] == ("2.50 s", "< 2 s", "over")
    assert rows["a class of 30 on one node (server + kernels, PSS)"] == ("5.00 GB", "≤ 8 GB", "ok")


def test_crashed_section_is_a_row_not_a_crash(bench):
    results = _results()
    results["tests"] = {"status": "crashed", "traceback": "..."}
    rows = {r[0]: r[1:] for r in bench.table_rows(results)}
    assert rows["tests (section)"][2] == "crashed"
    assert not any(name.startswith("tests:") for name in rows)


def test_format_table_aligns_and_flags_overs(bench):
    text = bench.format_table([("a", "1 s", "≤ 2 s", "ok"), ("longer name", "3 s", "≤ 2 s", "over")])
    lines = text.splitlines()
    assert lines[0].split() == ["measure", "median", "budget", "status"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[3].endswith("OVER")
    assert lines[2].index("1 s") == lines[3].index("3 s")


def test_notes_explain_the_figures(bench):
    text = "\n".join(bench.notes_lines(_results()))
    assert "kernel start of about 500 ms" in text
    assert "floor cell 0" in text
    assert "helpers.texts 6.3 ms" in text
    assert "whole test command took 10.00 s" in text


def test_results_are_json_serialisable(bench):
    json.dumps(_results())
    assert set(bench.BUDGETS) == {"notebook_ratio", "notebook_warm_ratio", "helpers_import_s", "unit_plus_nbval_s",
                                  "answer_save_ms", "load_handins_s"}


def test_arguments_quick_and_defaults(bench):
    quick = bench.parse_args(["--quick"])
    assert (quick.reps, quick.import_reps, quick.handins) == (1, 3, 1000)
    assert "class" not in quick.only and "class" in bench.parse_args([]).only  # 30 kernels: full runs only
    full = bench.parse_args(["--reps", "7", "--only", "notebooks,import"])
    assert full.reps == 7 and full.only == ["notebooks", "import"]
    with pytest.raises(SystemExit):
        bench.parse_args(["--only", "nonsense"])


def test_bench_exercises_pads_to_a_realistic_hand_in(bench):
    found = bench.bench_exercises(5)
    assert len(found) == 5 and len({eid for eid, _, _ in found}) == 5
    assert all(kind in ("free_text", "multiple_choice") for _, kind, _ in found)


def test_answer_values_differ_between_students_and_saves(bench):
    assert bench.answer_value("free_text", "Student 0001", 1) != bench.answer_value("free_text", "Student 0002", 1)
    assert bench.answer_value("free_text", "A", 1) != bench.answer_value("free_text", "A", 2)
    assert bench.answer_value("multiple_choice", "A", 1) != bench.answer_value("multiple_choice", "A", 2)


def test_rename_student_replaces_every_occurrence(bench):
    text = '<h1>Student 0001</h1><script>{"student":"Student 0001"}</script>'
    assert bench.rename_student(text, "Student 0001", "Student 0437").count("Student 0437") == 2
    with pytest.raises(ValueError):
        bench.rename_student(text, "Someone", "Else")


def test_run_part_stops_a_hanging_command(bench):
    import sys

    code, _, took = bench.run_part([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert code is None
    code, out, _ = bench.run_part([sys.executable, "-c", "print('done')"], timeout=30)
    assert (code, out.strip()) == (0, "done")
