#!/usr/bin/env python3
"""Benchmarks: what each notebook, the helpers import, the test command and the answer store cost on this machine.

    python3 tasks.py bench                 about 5 minutes: 5 repetitions, medians; unit, nbval and browser tests
    python3 tasks.py bench --quick         CI, about 1.5 minutes: 1 repetition; unit + nbval, no browser tests
    python3 tasks.py bench --slow --whole  also the slow tests (Binder build) and the whole test command as one run
    python3 tasks.py bench --reps 9 --only notebooks,import

It prints a table with each figure beside its budget and writes the raw samples and medians as JSON
(default build/bench.json). Budgets are goals to report against: the exit code never depends on a time
(0 once the JSON is written; 1 only if a measurement itself crashed). See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import compileall
import contextlib
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
WARM_CACHE = BUILD / "bench-figcache"  # the figure cache of the warm runs, emptied at each bench
KINDS = ("cold", "warm")
DEFAULT_JSON = BUILD / "bench.json"
SECTIONS = ("notebooks", "import", "tests", "answers", "hostile", "class")
QUICK_SKIPS = ("class",)  # minutes of kernels: measured in a full run or with --only class

# Goals from issue 8. Times in seconds unless the key says otherwise.
BUDGETS: dict[str, float] = {
    "notebook_ratio": 1.5,        # each notebook's median ≤ 1.5 × the floor notebook's median, figure cache off (cold)
    "notebook_warm_ratio": 1.2,   # the same with the figure cache filled (warm: a class's second Run All)
    "helpers_import_s": 0.3,      # extra import time of helpers beyond pandas + matplotlib + ipywidgets
    "unit_plus_nbval_s": 60.0,    # unit tests + nbval on 2 cores
    "answer_save_ms": 50.0,       # saving one answer (strictly less than)
    "load_handins_s": 2.0,        # loading 1,000 hand-in files into the dashboard (strictly less than)
}

FLOOR_SOURCE = "%matplotlib inline\nimport pandas as pd\nimport matplotlib.pyplot as plt\nimport ipywidgets as widgets"
# Executed by the runner after a notebook's own cells (never stored in any notebook): the kernel's peak memory.
MEMORY_CELL = "import resource as _r\nprint(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"
SKIP_DIRS = {"drafts", ".ipynb_checkpoints"}
HANDIN_ANSWERS = 32  # answers per hand-in: six lessons with five or six exercises each
DISTINCT_HANDINS = 40  # written through the real API; the rest of the 1,000 are copies under other names
IMPORT_MARK = "@@bench: helpers import starts@@"
BASE_IMPORTS = "import pandas, matplotlib.pyplot, ipywidgets"


# ---------------------------------------------------------------------------------------------------------------
# Pure helpers (tested in tests/test_benchmarks.py; no timing, no kernels)

def median(values: Iterable[float]) -> float | None:
    """Median of the samples, or None when there are none (a measurement that could not be made)."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(value: float | None, floor: float | None) -> float | None:
    """value / floor, or None when either is missing or the floor is not positive."""
    if value is None or floor is None or floor <= 0:
        return None
    return value / floor


def within(value: float | None, budget: float, strict: bool = False) -> str:
    """'ok' when value meets the budget (≤, or < when strict), 'over' when not, 'n/a' when there is no value."""
    if value is None:
        return "n/a"
    return "ok" if (value < budget if strict else value <= budget) else "over"


def find_notebooks(folder: Path) -> list[Path]:
    """Every notebook under folder, recursively, except drafts and checkpoints, in a stable order."""
    return sorted(p for p in folder.rglob("*.ipynb") if not SKIP_DIRS & set(p.relative_to(folder).parts))


def floor_notebook():
    """The floor: a notebook whose only cell is what a notebook on the design card's packages starts with (inline
    figures + the three imports). The helpers skip matplotlib where no figure needs it, so a lesson can cost less."""
    import nbformat.v4 as v4

    nb = v4.new_notebook(cells=[v4.new_code_cell(FLOOR_SOURCE)])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
                   "language_info": {"name": "python"}}
    return nb


def maxrss_mb(value: int | float, system: str | None = None) -> float:
    """ru_maxrss in MB: the kernel reports KiB on Linux and bytes on macOS."""
    system = system or platform.system()
    return value / (1024 * 1024) if system == "Darwin" else value / 1024


_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)")


def parse_pytest_summary(output: str) -> dict[str, int]:
    """Counts from pytest's last summary line ('3 failed, 147 passed in 7.96s'); {} when it ran no tests."""
    for line in reversed(output.strip().splitlines()):
        if re.search(r"\bin [\d.]+s\b", line) or "no tests ran" in line:
            counts: dict[str, int] = {}
            for n, kind in _COUNT.findall(line):
                kind = {"error": "errors", "warning": "warnings"}.get(kind, kind)
                counts[kind] = counts.get(kind, 0) + int(n)
            return counts
    return {}


def parse_importtime(stderr: str, marker: str = IMPORT_MARK) -> list[dict[str, Any]]:
    """Modules imported after marker in `python -X importtime` output: name, self and cumulative µs, depth."""
    lines = stderr.splitlines()
    if marker in lines:
        lines = lines[lines.index(marker) + 1:]
    found = []
    for line in lines:
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$", line)
        if m:
            found.append({"module": m.group(4).strip(), "self_us": int(m.group(1)), "cumulative_us": int(m.group(2)),
                          "depth": len(m.group(3)) // 2})
    return found


def short_error(e: BaseException) -> str:
    """One line for the table: the exception's type and the last line of its message (nbclient's messages end with
    the kernel's own error line)."""
    lines = str(e).strip().splitlines()
    return f"error: {type(e).__name__}" + (f": {lines[-1][:120]}" if lines else "")


def seconds(value: float | None) -> str:
    """A duration for the table: '2.31 s', '41 ms', or '—'."""
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The printed table from a results dict: (measure, median, budget, status) per line."""
    rows: list[tuple[str, str, str, str]] = []
    for name in SECTIONS:
        if results.get(name, {}).get("status") == "crashed":
            rows.append((f"{name} (section)", "—", "", "crashed"))
    ok = lambda name: results.get(name) and results[name].get("status") != "crashed"  # noqa: E731
    nbs = results.get("notebooks") if ok("notebooks") else None
    if nbs:
        floor = nbs.get("floor", {})
        fmed = floor.get("median_s")
        rows.append(("floor notebook (imports only)", seconds(fmed), "reference",
                     floor.get("status", "ok")))
        for item in nbs.get("items", []):
            r = item.get("ratio")
            value = f"{seconds(item.get('median_s'))}  {r:.2f}×" if r is not None else seconds(item.get("median_s"))
            if r is not None and item.get("ratio_best") is not None and nbs.get("reps", 0) > 1:
                value += f" (best {item['ratio_best']:.2f}×)"  # fastest run of each: less hurt by a busy machine
            status = item.get("status") or within(r, BUDGETS["notebook_ratio"])
            rows.append((f"notebook {item['name']} (cold)", value, f"≤ {BUDGETS['notebook_ratio']}× floor", status))
            warm = item.get("warm") or {}
            if warm.get("ratio") is not None:
                wr = warm["ratio"]
                rows.append((f"notebook {item['name']} (warm)", f"{seconds(warm.get('median_s'))}  {wr:.2f}×",
                             f"≤ {BUDGETS['notebook_warm_ratio']}× floor",
                             item.get("status") or within(wr, BUDGETS["notebook_warm_ratio"])))
        if floor.get("maxrss_mb") is not None:
            rows.append(("kernel peak RSS: floor", f"{floor['maxrss_mb']:.0f} MB", "reference", "info"))
        mem = [i for i in nbs.get("items", []) if i.get("maxrss_mb") is not None]
        if mem:
            top = max(mem, key=lambda i: i["maxrss_mb"])
            extra = top["maxrss_mb"] - floor["maxrss_mb"] if floor.get("maxrss_mb") is not None else None
            label = f"{top['maxrss_mb']:.0f} MB" + (f" ({extra:+.0f} vs floor)" if extra is not None else "")
            rows.append((f"kernel peak RSS: largest ({top['name']})", label, "no budget", "info"))
    imp = results.get("import") if ok("import") else None
    if imp:
        rows.append(("helpers import beyond pandas+mpl+widgets", seconds(imp.get("extra_median_s")),
                     f"≤ {seconds(BUDGETS['helpers_import_s'])}",
                     imp.get("status") or within(imp.get("extra_median_s"), BUDGETS["helpers_import_s"])))
        if imp.get("alone_median_s") is not None:
            heavy = ", ".join(imp.get("alone_heavy_loaded") or []) or "none of pandas/numpy/mpl/widgets/IPython"
            rows.append((f"helpers import alone (loads {heavy})", seconds(imp["alone_median_s"]), "no budget", "info"))
    tests = results.get("tests") if ok("tests") else None
    if tests:
        for part in tests.get("parts", []):
            outcome = part.get("outcome", "")
            rows.append((f"tests: {part['name']}", seconds(part.get("seconds")) if part.get("seconds") else "—",
                         "", outcome))
        total = tests.get("unit_plus_nbval_s")
        rows.append(("tests: unit + nbval", seconds(total), f"≤ {BUDGETS['unit_plus_nbval_s']:.0f} s",
                     within(total, BUDGETS["unit_plus_nbval_s"])))
    ans = results.get("answers") if ok("answers") else None
    if ans:
        save, load = ans.get("save", {}), ans.get("handins", {})
        ms = save.get("median_ms")
        rows.append(("answer save (one answer)", f"{ms:.1f} ms" if ms is not None else "—",
                     f"< {BUDGETS['answer_save_ms']:.0f} ms",
                     within(ms, BUDGETS["answer_save_ms"], strict=True) if ms is not None
                     else save.get("status", "n/a")))
        n = load.get("count", 1000)
        rows.append((f"dashboard load of {n:,} hand-ins", seconds(load.get("median_s")),
                     f"< {BUDGETS['load_handins_s']:.0f} s",
                     within(load.get("median_s"), BUDGETS["load_handins_s"], strict=True)
                     if load.get("median_s") is not None else load.get("status", "n/a")))
    hostile = results.get("hostile") if ok("hostile") else None
    if hostile:
        for size, r in hostile.get("parse", {}).items():
            rows.append((f"hand-in parse, {r['bytes'] / 1e6:.1f} MB", seconds(r["median_s"]), "linear", "measured"))
        rows.append(("hand-in parse, 10 MB of bait", seconds(hostile.get("bait_10mb_s")), "linear", "measured"))
        rows.append(("dashboard: 1,000 files, 50 hostile", seconds(hostile.get("class_1000_s")),
                     f"< {BUDGETS['load_handins_s']:.0f} s",
                     within(hostile.get("class_1000_s"), BUDGETS["load_handins_s"], strict=True)))
    klass = results.get("class") if ok("class") else None
    if klass:
        total = klass.get("total_pss_mb") or klass.get("total_rss_mb")
        rows.append((f"a class of {klass['kernels']} on one node (server + kernels, "
                     f"{'PSS' if klass.get('total_pss_mb') else 'RSS'})", f"{total / 1024:.2f} GB",
                     "≤ 8 GB", "ok" if klass.get("fits_8_gb") else "over"))
        rows.append(("  one lesson kernel, left running (mean RSS)", f"{klass['kernel_rss_mean_mb']:.0f} MB",
                     "no budget", "info"))
    return rows


def notes_lines(results: dict[str, Any]) -> list[str]:
    """What the figures are made of: kernel start and shutdown, slowest cells, heaviest helpers imports, parts vs
    the whole test command."""
    lines: list[str] = []
    nbs = results.get("notebooks") or {}
    if nbs.get("floor"):
        everyone = [nbs["floor"], *nbs.get("items", [])]
        starts = [b["start_median_s"] for b in everyone if b.get("start_median_s") is not None]
        downs = [b["shutdown_median_s"] for b in everyone if b.get("shutdown_median_s") is not None]
        if starts:
            lines.append(f"Every notebook pays a kernel start of about {seconds(median(starts))} and a shutdown of "
                         f"about {seconds(median(downs))} (medians over notebooks); runner: {nbs.get('runner')}.")
        cells = sorted(((c["median_s"], b["name"], c["cell"], c["source"]) for b in everyone
                        for c in b.get("slowest_cells", [])), reverse=True)[:5]
        if cells:
            lines.append("Slowest cells (median): " + "; ".join(
                f"{name} cell {i} {seconds(t)} [{src}]" for t, name, i, src in cells))
    imp = results.get("import") or {}
    if imp.get("importtime_heaviest"):
        lines.append(f"helpers brings in packages the baseline had not loaded: "
                     f"{', '.join(imp.get('new_packages', [])) or 'none'}. Heaviest (self time, -X importtime): "
                     + ", ".join(f"{m['module']} {m['self_us'] / 1000:.1f} ms" for m in imp["importtime_heaviest"][:6]))
    tests = results.get("tests") or {}
    parts = {p["name"]: p.get("seconds") for p in tests.get("parts", [])}
    if parts.get("whole command"):
        split = sum(v for k, v in parts.items() if v and k != "whole command")
        lines.append(f"The whole test command took {seconds(parts['whole command'])}; its parts run one by one "
                     f"took {seconds(split)} (each part pays pytest and xdist start-up again).")
    return lines


def format_table(rows: Sequence[tuple[str, str, str, str]]) -> str:
    """Fixed-width text table with a header; 'over' budgets are upper-cased so they stand out."""
    header = ("measure", "median", "budget", "status")
    body = [(a, b, c, d.upper() if d == "over" else d) for a, b, c, d in rows]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(4)]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *map(line, body)])


# ---------------------------------------------------------------------------------------------------------------
# Measurements

def run_notebook(nb, cwd: Path, timeout: int = 300, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Execute a notebook (a copy in memory) with nbclient as tasks.py rerun does; time it and read peak memory.

    run_s spans kernel start to the last cell's reply: what a student waits for after Run All in a fresh kernel,
    and what the notebook's content controls. total_s adds the kernel's shutdown, which the runner (nbval, CI) also
    pays but which varies a lot from run to run (0.1 s to over 3 s seen) whatever the notebook holds. The memory cell
    is executed after the timing stops, so it costs the figures nothing.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a private copy; the file on disk is never touched
    n_own = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_CELL))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    cells: list[float | None] = []
    t0 = time.perf_counter()
    extra = {"env": env} if env is not None else {}
    with client.setup_kernel(stderr=subprocess.DEVNULL, **extra):  # the kernel's start-up warnings are noise here
        client.wait_for_reply(client.kc.kernel_info())
        t_ready = time.perf_counter()
        for index in range(n_own):
            start = time.perf_counter()
            if nb.cells[index].cell_type == "code":
                client.execute_cell(nb.cells[index], index)
                cells.append(time.perf_counter() - start)
            else:
                cells.append(None)
        t_cells = time.perf_counter()
        client.execute_cell(nb.cells[n_own], n_own)
        t_mem = time.perf_counter()
    t_end = time.perf_counter()
    out = "".join(o.get("text", "") for o in nb.cells[n_own].outputs if o.get("output_type") == "stream")
    return {"run_s": t_cells - t0, "total_s": (t_cells - t0) + (t_end - t_mem), "start_s": t_ready - t0,
            "cells_s": t_cells - t_ready, "shutdown_s": t_end - t_mem, "per_cell_s": cells,
            "maxrss_mb": maxrss_mb(int(out.split()[-1]))}


def _summarise_runs(name: str, runs: list[dict[str, Any]], sources: list[str]) -> dict[str, Any]:
    """Medians over repetitions, plus the slowest cells by median."""
    per_cell = []
    for i, src in enumerate(sources):
        times = [r["per_cell_s"][i] for r in runs if r["per_cell_s"][i] is not None]
        if times:
            per_cell.append({"cell": i, "median_s": median(times), "source": src.splitlines()[0][:70] if src else ""})
    per_cell.sort(key=lambda c: -c["median_s"])
    return {"name": name, "samples_s": [r["run_s"] for r in runs],
            "median_s": median(r["run_s"] for r in runs), "best_s": min((r["run_s"] for r in runs), default=None),
            "total_median_s": median(r["total_s"] for r in runs),
            "start_median_s": median(r["start_s"] for r in runs),
            "cells_median_s": median(r["cells_s"] for r in runs),
            "shutdown_median_s": median(r["shutdown_s"] for r in runs),
            "maxrss_mb": max((r["maxrss_mb"] for r in runs), default=None), "slowest_cells": per_cell[:5],
            "cells": sorted(per_cell, key=lambda c: c["cell"])}


def cache_env(kind: str) -> dict[str, str]:
    """The kernel's environment for a cold run (figure cache off: every figure drawn, as on a first Binder launch)
    or a warm one (figures read from a cache filled by an earlier run, as on a class's second Run All).

    >>> cache_env("cold")["WWW_CACHE_DIR"], cache_env("warm")["WWW_CACHE_DIR"].endswith("bench-figcache")
    ('off', True)
    """
    return dict(os.environ, WWW_CACHE_DIR="off" if kind == "cold" else str(WARM_CACHE))


def bench_notebooks(paths: list[Path], reps: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Floor and every notebook, cold and warm, interleaved rep by rep (so drift in machine load hits all alike),
    after a warm-up that also fills the figure cache for the warm runs."""
    import nbformat

    floor = floor_notebook()
    BUILD.mkdir(exist_ok=True)
    nbformat.write(floor, BUILD / "bench-floor.ipynb")  # for inspection; the runs use the in-memory copy
    shutil.rmtree(WARM_CACHE, ignore_errors=True)
    # The helpers' bytecode, as an installed collection has it (Binder's postBuild compiles it; a teacher's first run
    # writes it). Where PYTHONDONTWRITEBYTECODE is set, as on the project's CI machines, kernels would otherwise
    # compile every helper module from source on every start.
    compileall.compile_dir(str(ROOT / "helpers"), quiet=1)
    books = [("floor", floor)] + [(str(p.relative_to(NOTEBOOKS)), nbformat.read(p, as_version=4)) for p in paths]
    log("  warm-up: floor notebook (discarded); every notebook once to fill the figure cache")
    run_notebook(floor, NOTEBOOKS)
    for name, nb in books[1:]:
        with contextlib.suppress(Exception):  # a notebook that fails is reported by the timed runs
            run_notebook(nb, NOTEBOOKS, env=cache_env("warm"))
    runs: dict[str, list[dict[str, Any]]] = {f"{name}|{kind}": [] for name, _ in books for kind in KINDS}
    errors: dict[str, str] = {}
    for rep in range(reps):
        for kind in KINDS:
            for name, nb in books:
                if name in errors or (name == "floor" and kind == "warm"):
                    continue  # the floor draws no figure: one floor per repetition
                try:
                    r = run_notebook(nb, NOTEBOOKS, env=cache_env(kind))
                except Exception as e:  # a notebook that fails to run: nbval reports it; here it has no figure
                    errors[name] = short_error(e)
                    log(f"  {name}: {errors[name]}")
                    continue
                runs[f"{name}|{kind}"].append(r)
                log(f"  rep {rep + 1}/{reps} {name} ({kind}): {r['run_s']:.2f} s (start {r['start_s']:.2f}, "
                    f"cells {r['cells_s']:.2f}; shutdown {r['shutdown_s']:.2f}; {r['maxrss_mb']:.0f} MB)")
    sources = {name: [c.source for c in nb.cells] for name, nb in books}
    floor_sum = _summarise_runs("floor", runs["floor|cold"], sources["floor"])
    items = []
    for name, _ in books[1:]:
        s = _summarise_runs(name, runs[f"{name}|cold"], sources[name])
        w = _summarise_runs(name, runs[f"{name}|warm"], sources[name])
        s["ratio"] = ratio(s["median_s"], floor_sum["median_s"])
        s["ratio_best"] = ratio(s["best_s"], floor_sum["best_s"])
        s["warm"] = {"median_s": w["median_s"], "best_s": w["best_s"], "maxrss_mb": w["maxrss_mb"],
                     "samples_s": w["samples_s"], "ratio": ratio(w["median_s"], floor_sum["median_s"]),
                     "ratio_best": ratio(w["best_s"], floor_sum["best_s"]), "slowest_cells": w["slowest_cells"]}
        if name in errors:
            s["status"] = errors[name]
        items.append(s)
    return {"runner": "nbclient (NotebookClient, kernel python3, cwd notebooks/), "
                      "timed from kernel start to the last cell's reply; cold: WWW_CACHE_DIR=off, warm: figures "
                      "from a cache filled by the warm-up",
            "reps": reps, "floor_source": FLOOR_SOURCE, "floor": floor_sum, "items": items, "errors": errors}


def import_probe(python: str, importtime: bool = False, base: bool = True) -> dict[str, Any]:
    """A fresh interpreter that imports the baseline (unless base is False), then helpers; the durations, the
    packages helpers added, which heavy packages ended up loaded, and the -X importtime lines if asked for."""
    code = ("import sys, time, json\n"
            "t0 = time.perf_counter()\n"
            f"{BASE_IMPORTS if base else 'pass'}\n"
            "t1 = time.perf_counter()\n"
            "before = set(sys.modules)\n"
            f"print({IMPORT_MARK!r}, file=sys.stderr, flush=True)\n"
            "from helpers import show_passage\n"  # a lesson's first call: the package itself loads its calls lazily
            "t2 = time.perf_counter()\n"
            "new = sorted({m.split('.')[0] for m in set(sys.modules) - before})\n"
            "heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]\n"
            "print(json.dumps({'base_s': t1 - t0, 'extra_s': t2 - t1, 'new_packages': new, 'heavy_loaded': heavy}))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIMPORTTIME"}
    cmd = [python, *(["-X", "importtime"] if importtime else []), "-c", code]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if importtime:
        result["importtime"] = parse_importtime(proc.stderr)
    return result


def bench_import(reps: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Median extra import time of helpers after the baseline over reps fresh interpreters, an -X importtime
    breakdown of that extra, and (no budget) what `import helpers` costs on its own, as the first cell of a lesson
    that needs none of the baseline pays it."""
    import_probe(sys.executable)  # warm the file cache and .pyc files
    samples, alone = [], []
    for rep in range(reps):
        samples.append(import_probe(sys.executable))
        alone.append(import_probe(sys.executable, base=False))
        log(f"  rep {rep + 1}/{reps}: baseline {samples[-1]['base_s']:.3f} s, then helpers "
            f"{samples[-1]['extra_s']:.3f} s; helpers alone {alone[-1]['extra_s']:.3f} s")
    modules = import_probe(sys.executable, importtime=True)["importtime"]
    heaviest = sorted(modules, key=lambda m: -m["self_us"])[:10]
    return {"method": "fresh `python -c` per sample; perf_counter around `from helpers import show_passage` after "
                      + BASE_IMPORTS,
            "reps": reps, "base_samples_s": [s["base_s"] for s in samples],
            "extra_samples_s": [s["extra_s"] for s in samples],
            "base_median_s": median(s["base_s"] for s in samples),
            "extra_median_s": median(s["extra_s"] for s in samples),
            "new_packages": samples[-1]["new_packages"] if samples else [],
            "importtime_total_us": sum(m["self_us"] for m in modules),
            "importtime_heaviest": heaviest,
            "alone_samples_s": [s["extra_s"] for s in alone], "alone_median_s": median(s["extra_s"] for s in alone),
            "alone_heavy_loaded": alone[-1]["heavy_loaded"] if alone else []}


def uses_marker(folder: Path, marker: str) -> bool:
    """Whether any test file under folder applies the pytest marker (so a part that would collect nothing is skipped
    without paying pytest's start-up)."""
    pattern = re.compile(rf"mark\.{marker}\b|add_marker\(\s*['\"]{marker}['\"]")
    return any(pattern.search(f.read_text(encoding="utf-8", errors="replace")) for f in folder.rglob("*.py"))


def test_parts(quick: bool, slow: bool = False, whole: bool = False,
               tests: Path = ROOT / "tests") -> list[tuple[str, list[str] | None, str]]:
    """The test command split into parts: (name, pytest arguments — None when not run —, why not run).

    Slow tests (e.g. building the Binder environment) and a second run of the whole command take minutes, so they
    run only when asked for (--slow, --whole); browser tests are left out of --quick."""
    has_browser = (tests / "browser").is_dir() or uses_marker(tests, "browser")
    has_slow = uses_marker(tests, "slow")
    browser = ["tests/browser"] if (tests / "browser").is_dir() else ["tests", "-m", "browser"]
    return [
        ("unit", ["tests", "--ignore=tests/browser", "-m", "not browser and not slow"], ""),
        ("nbval", ["notebooks"], ""),
        ("browser", browser if has_browser and not quick else None,
         "no tests" if not has_browser else "skipped (--quick)"),
        ("slow", ["tests", "--ignore=tests/browser", "-m", "slow and not browser"] if has_slow and slow else None,
         "no tests" if not has_slow else "not run (add --slow)"),
        ("whole command", [] if whole else None, "not run (add --whole)"),
    ]


def run_part(cmd: list[str], timeout: float) -> tuple[int | None, str, float]:
    """Run one pytest command in its own process group: (exit code or None if it timed out, output, seconds).

    On time-out the whole group (pytest, its xdist workers, any server or browser they started) is stopped, so a
    hanging test cannot hold the benchmark or leave processes behind."""
    import signal

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out, time.perf_counter() - start
    except subprocess.TimeoutExpired:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                out, _ = proc.communicate(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                out = ""
        return None, out or "", time.perf_counter() - start


def bench_tests(quick: bool, slow: bool, whole: bool, log: Callable[[str], None],
                timeout: float = 600) -> dict[str, Any]:
    """Run each part of the test command once, with the same pytest flags as `python3 tasks.py test`."""
    base = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-q"]
    parts = []
    for name, args, why in test_parts(quick, slow, whole):
        if args is None:
            parts.append({"name": name, "seconds": None, "outcome": why})
            continue
        code, out, took = run_part(base + args, timeout)
        counts = parse_pytest_summary(out)
        if code is None:
            outcome = f"timed out after {timeout:.0f} s (stopped)"
        elif code == 5:
            outcome = "no tests"
        else:
            outcome = ", ".join(f"{n} {k}" for k, n in counts.items() if k not in ("warnings", "deselected"))
            outcome += "" if code == 0 else f" (exit {code})"
        parts.append({"name": name, "cmd": base[1:] + args, "seconds": took, "exit": code, "counts": counts,
                      "outcome": outcome, "output_tail": out[-2000:] if code not in (0, 5) else ""})
        log(f"  {name}: {took:.1f} s — {outcome}")
    by = {p["name"]: p for p in parts}
    unit, nbval = by["unit"].get("seconds"), by["nbval"].get("seconds")
    return {"runner": "pytest -n 2 --dist loadfile (as tasks.py test), each part once", "parts": parts,
            "unit_plus_nbval_s": (unit or 0) + (nbval or 0) if unit is not None or nbval is not None else None}


def _answer_api() -> tuple[Any, Any, str]:
    """The answers and dashboard modules if they exist yet, and a status line saying what is missing."""
    if importlib.util.find_spec("helpers.answers") is None:
        return None, None, "not available yet"
    import helpers.answers as answers
    dashboard = None
    if importlib.util.find_spec("helpers.dashboard") is not None:
        import helpers.dashboard as dashboard
    return answers, dashboard, "ok"


def bench_exercises(n: int = HANDIN_ANSWERS) -> list[tuple[str, str, str]]:
    """(id, type, notebook) of n exercises: the real ones with plain answers (free text, multiple choice) first, so
    the dashboard meets the answers it will really see, then synthetic free-text ones up to n."""
    try:
        from helpers.exercises.definitions import load_definitions

        found = [(e.id, e.type, e.lesson) for e in load_definitions().values()
                 if e.type in ("free_text", "multiple_choice")]
    except Exception:  # definitions missing or being written: the store accepts any well-formed id
        found = []
    found = found[:n]
    return found + [(f"bench-free-{i:02d}", "free_text", "01_molyneux") for i in range(1, n - len(found) + 1)]


def rename_student(text: str, old: str, new: str) -> str:
    """A hand-in's text under another student's name: every occurrence (title, heading, JSON, answer text)."""
    if old not in text:
        raise ValueError(f"{old!r} does not occur in the hand-in")
    return text.replace(old, new)


def answer_value(kind: str, student: str, i: int) -> Any:
    """A plausible answer of the exercise's shape; different for every student and save."""
    if kind == "multiple_choice":
        return 1 + i % 3
    return (f"{student}, answer {i}: the revolution was isolated, the working class that made it was scattered by "
            "civil war, and the party came to stand in for it.")


def _frame_rows(result: Any) -> int | None:
    """Rows of the DataFrame of answers in load_class's result (the result itself, or an attribute of it)."""
    import pandas as pd

    if isinstance(result, pd.DataFrame):
        return len(result)
    for name in ("answers", "frame", "df", "table"):
        value = getattr(result, name, None)
        if isinstance(value, pd.DataFrame):
            return len(value)
    return None


def bench_answers(reps: int, saves: int, handins: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Time AnswerStore.save for one answer (median of `saves`), and dashboard.load_class over `handins` files.

    Files go to a temporary folder under build/ (the project's disk, like a student's home; /tmp may be a RAM disk
    where fsync is free)."""
    sys.path.insert(0, str(ROOT))
    answers, dashboard, status = _answer_api()
    save: dict[str, Any] = {"status": status}
    load: dict[str, Any] = {"status": status, "count": handins}
    if answers is None or not hasattr(answers, "AnswerStore"):
        save["status"] = load["status"] = "not available yet"
        return {"save": save, "handins": load}
    exercises = bench_exercises()
    BUILD.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-answers-", dir=BUILD) as tmp:
        tmp = Path(tmp)
        store = answers.AnswerStore(tmp / "store", "Bench Student")
        times = []
        for i in range(saves):
            eid, kind, notebook = exercises[i % len(exercises)]
            value = answer_value(kind, "Bench Student", i)  # differs from the stored one, so it is written
            start = time.perf_counter()
            store.save(eid, value, notebook)
            times.append(time.perf_counter() - start)
        save.update({"samples_ms": [t * 1000 for t in times], "median_ms": median(t * 1000 for t in times),
                     "first_ms": times[0] * 1000, "status": "ok"})
        log(f"  save: median {save['median_ms']:.2f} ms over {saves} saves (first {save['first_ms']:.2f} ms)")
        if not hasattr(answers, "export_handin"):
            load["status"] = "not available yet"
            return {"save": save, "handins": load, "exercises": exercises}
        folder = tmp / "handins"
        folder.mkdir()
        start = time.perf_counter()
        made = []
        for s in range(min(handins, DISTINCT_HANDINS)):
            student = f"Student {s:04d}"
            st = answers.AnswerStore(tmp / "class" / f"s{s:04d}", student)
            for i, (eid, kind, notebook) in enumerate(exercises):
                st.save(eid, answer_value(kind, student, s + i), notebook)
            made.append((student, answers.export_handin(st, folder).read_text(encoding="utf-8")))
        for s in range(len(made), handins):  # same content under another student's name (names have equal length)
            old, text = made[s % len(made)]
            new = f"Student {s:04d}"
            name = answers.handin_filename(new) if hasattr(answers, "handin_filename") else f"{new}.html"
            (folder / name).write_text(rename_student(text, old, new), encoding="utf-8")
        load["generate_s"] = time.perf_counter() - start
        load["answers_per_handin"] = len(exercises)
        load["files"] = len(list(folder.iterdir()))
        log(f"  wrote {load['files']} hand-ins × {len(exercises)} answers in {load['generate_s']:.1f} s "
            f"({len(made)} through export_handin, the rest renamed copies; not timed against a budget)")
        if dashboard is None or not hasattr(dashboard, "load_class"):
            load["status"] = "not available yet"
            return {"save": save, "handins": load, "exercises": exercises}
        dashboard.load_class(folder)  # warm-up (imports, caches)
        samples = []
        for rep in range(reps):
            start = time.perf_counter()
            result = dashboard.load_class(folder)
            samples.append(time.perf_counter() - start)
            log(f"  rep {rep + 1}/{reps}: load_class {samples[-1]:.3f} s")
        load.update({"samples_s": samples, "median_s": median(samples), "rows": _frame_rows(result), "status": "ok"})
    return {"save": save, "handins": load, "exercises": exercises}


HOSTILE_SIZES = (100_000, 1_000_000, 10_000_000)  # bytes of one hand-in: the sizes issue 13 names


def _big_handin(answers: Any, size: int) -> str:
    """A well-formed hand-in of about ``size`` bytes: long free-text answers under made-up exercise ids."""
    from datetime import datetime, timezone

    when = datetime.now(timezone.utc).isoformat()
    chunk = min(answers.MAX_ANSWER_CHARS - 10, max(size // 2, 1000))
    items, total, i = {}, 0, 0
    while total < size:
        eid = f"bench-long-{i:04d}"
        items[eid] = answers.Answer(eid, "x" * chunk, when, "01_molyneux")
        total += 2 * chunk  # the text appears twice: summary and data
        i += 1
    return answers.handin_html(answers.Handin("Bench Student", when, answers.collection_version(), items))


def bench_hostile(reps: int, log: Callable[[str], None]) -> dict[str, Any]:
    """The worst cases of issue 13, measured (never asserted): parsing hand-ins of 100 kB, 1 MB and 10 MB, 10 MB of
    bait for a backtracking parser, and the dashboard over 1,000 files of which 50 are hostile. Linear parsing shows
    as time growing with size, not with its square."""
    sys.path.insert(0, str(ROOT))
    from helpers import answers, dashboard

    out: dict[str, Any] = {"status": "ok", "parse": {}}

    def timed(fn: Callable[[], Any]) -> float:
        samples = []
        for _ in range(max(reps, 1)):
            start = time.perf_counter()
            try:
                fn()
            except answers.HandinError:
                pass
            samples.append(time.perf_counter() - start)
        return median(samples)

    for size in HOSTILE_SIZES:
        data = _big_handin(answers, size).encode("utf-8")
        out["parse"][str(size)] = {"bytes": len(data), "median_s": timed(lambda: answers.read_handin(data))}
        log(f"  read_handin {len(data):,} bytes: {out['parse'][str(size)]['median_s']:.3f} s")
    bait = ("<script " * (10_000_000 // 8)).encode()
    out["bait_10mb_s"] = timed(lambda: answers.read_handin(bait))
    log(f"  read_handin 10 MB of '<script ' bait: {out['bait_10mb_s']:.3f} s")
    BUILD.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-hostile-", dir=BUILD) as tmp:
        folder = Path(tmp)
        base = _big_handin(answers, 2_000)
        for s in range(950):
            name = f"Student {s:04d}"
            (folder / answers.handin_filename(name)).write_text(base.replace("Bench Student", name), encoding="utf-8")
        hostile = [bait[:1_000_000].decode(), "[" * 100_000, base.replace("</main>", "<script>x()</script></main>"),
                   base.replace('"value":"x', '"value":["x'), base[: len(base) // 2]]
        for h in range(50):
            (folder / f"hostile-{h:02d}.html").write_text(hostile[h % len(hostile)], encoding="utf-8")
        result = dashboard.load_class(folder)
        out["class_1000_s"] = timed(lambda: dashboard.load_class(folder))
        out["class_1000_students"] = len(result.students)
        out["class_1000_problems"] = len(result.problems)
        log(f"  load_class 1,000 files (50 hostile): {out['class_1000_s']:.3f} s, {len(result.students)} students, "
            f"{len(result.problems)} problems reported")
    return out


# ---------------------------------------------------------------------------------------------------------------

def _rss_pss_mb(pid: int) -> tuple[float, float | None]:
    import psutil

    proc = psutil.Process(pid)
    try:
        pss = proc.memory_full_info().pss / 2**20
    except (AttributeError, psutil.AccessDenied):
        pss = None
    return proc.memory_info().rss / 2**20, pss


def bench_class(paths: list[Path], size: int, log: Callable[[str], None]) -> dict[str, Any]:
    """What a class needs on one hub node, measured: a JupyterLab server, then ``size`` kernels, each running a
    lesson (the lessons in turn, cold: figure cache off) and left running, as a class's open notebooks are; then
    every process's memory is read (RSS, and PSS, which shares libraries fairly among processes)."""
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    lessons = [p for p in paths if p.parent == NOTEBOOKS and p.name[:2].isdigit()] or paths
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, JUPYTER_CONFIG_DIR=f"{home}/config", JUPYTER_RUNTIME_DIR=f"{home}/runtime",
                   WWW_ANSWERS_DIR=f"{home}/answers", WWW_CACHE_DIR="off")
        server = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port=0",
                                   "--IdentityProvider.token=bench", "--allow-root", f"--ServerApp.root_dir={ROOT}"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kernels: list[KernelManager] = []
        try:
            time.sleep(5)  # the server has started and loaded its extensions
            started = time.perf_counter()
            for i in range(size):
                path = lessons[i % len(lessons)]
                km = KernelManager(kernel_name="python3")
                km.start_kernel(env=env, cwd=str(NOTEBOOKS), stderr=subprocess.DEVNULL)
                kernels.append(km)
                NotebookClient(nbformat.read(path, as_version=4), km=km, timeout=300).execute()
                log(f"  kernel {i + 1}/{size}: {path.name} run, kept running")
            run_s = time.perf_counter() - started
            rows = [_rss_pss_mb(km.provisioner.process.pid) for km in kernels]
            server_rss, server_pss = _rss_pss_mb(server.pid)
        finally:
            for km in kernels:
                with contextlib.suppress(Exception):
                    km.shutdown_kernel(now=True)
            server.terminate()
            server.wait(timeout=30)
    rss = [r for r, _p in rows]
    pss = [p for _r, p in rows if p is not None]
    total = server_rss + sum(rss)
    total_pss = server_pss + sum(pss) if server_pss is not None and len(pss) == len(rows) else None
    return {"kernels": size, "lessons": [p.name for p in lessons], "run_all_s": run_s,
            "server_rss_mb": server_rss, "kernel_rss_mb": rss, "kernel_pss_mb": pss,
            "kernel_rss_mean_mb": sum(rss) / len(rss), "total_rss_mb": total, "total_pss_mb": total_pss,
            "fits_8_gb": (total_pss or total) <= 8 * 1024}


def versions() -> dict[str, str]:
    """Versions of the tools whose speed the figures depend on."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("pandas", "matplotlib", "ipywidgets", "ipykernel", "jupyter_client", "nbclient", "nbval", "pytest",
                 "pytest-xdist"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def meta() -> dict[str, Any]:
    """Where and when the figures were taken: they only compare with figures from the same kind of machine."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "python": sys.version.split()[0],
            "platform": platform.platform(), "cpus": os.cpu_count(), "loadavg_start": load,
            "mplbackend_env": os.environ.get("MPLBACKEND"), "versions": versions()}


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python3 tasks.py bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="CI mode: 1 repetition, 3 import samples, 20 saves; no browser tests")
    p.add_argument("--slow", action="store_true", help="also run the tests marked slow (minutes: builds environments)")
    p.add_argument("--whole", action="store_true", help="also run the whole test command once more, as one run")
    p.add_argument("--part-timeout", type=float, default=600,
                   help="seconds after which one part of the test command is stopped (default 600)")
    p.add_argument("--reps", type=int, help="repetitions per notebook and per hand-in load (default 5; quick 1)")
    p.add_argument("--import-reps", type=int, help="fresh interpreters for the import time (default 9; quick 3)")
    p.add_argument("--saves", type=int, help="answer saves timed (default 50; quick 20)")
    p.add_argument("--handins", type=int, default=1000, help="hand-in files for the dashboard load (default 1000)")
    p.add_argument("--only", help=f"comma-separated sections ({', '.join(SECTIONS)}; default all, and with --quick "
                                  f"all but {', '.join(QUICK_SKIPS)})")
    p.add_argument("--class-size", type=int, default=30, help="kernels kept running for the class section (30)")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results (build/bench.json)")
    args = p.parse_args(argv)
    args.reps = args.reps or (1 if args.quick else 5)
    args.import_reps = args.import_reps or (3 if args.quick else 9)
    args.saves = args.saves or (20 if args.quick else 50)
    default = [x for x in SECTIONS if not (args.quick and x in QUICK_SKIPS)]
    args.only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else default
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    results: dict[str, Any] = {"meta": meta(), "budgets": BUDGETS,
                               "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    load = results["meta"]["loadavg_start"]
    if load and load[0] > 0.5 * (os.cpu_count() or 1):
        log(f"Note: the machine is busy (load {load[0]:.1f} on {os.cpu_count()} CPUs); figures will be noisy.")
    crashed = []
    steps = {
        "notebooks": lambda: bench_notebooks(find_notebooks(NOTEBOOKS), args.reps, log),
        "import": lambda: bench_import(args.import_reps, log),
        "tests": lambda: bench_tests(args.quick, args.slow, args.whole, log, args.part_timeout),
        "answers": lambda: bench_answers(args.reps, args.saves, args.handins, log),
        "hostile": lambda: bench_hostile(min(args.reps, 3), log),
        "class": lambda: bench_class(find_notebooks(NOTEBOOKS), args.class_size, log),
    }
    started = time.perf_counter()
    for name in SECTIONS:
        if name not in args.only:
            continue
        log(f"[{name}]")
        try:
            results[name] = steps[name]()
        except Exception:  # record it, keep measuring the rest, and exit 1 at the end
            crashed.append(name)
            results[name] = {"status": "crashed", "traceback": traceback.format_exc()}
            log(traceback.format_exc())
    results["meta"]["bench_seconds"] = time.perf_counter() - started
    results["meta"]["loadavg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(table_rows(results)))
    for line in notes_lines(results):
        print(f"\n{line}")
    print(f"\n{results['meta']['cpus']} CPUs, Python {results['meta']['python']}; "
          f"bench took {results['meta']['bench_seconds']:.0f} s; JSON: {args.json}")
    if crashed:
        print(f"Crashed while measuring: {', '.join(crashed)} (traceback above and in the JSON)", file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
