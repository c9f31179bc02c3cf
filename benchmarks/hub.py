"""A class on a real JupyterHub on this machine: seconds from clicking the nbgitpuller link to a lesson that has run,
and the memory of the hub, the proxy, the students' servers and kernels.

    .venv/bin/python benchmarks/hub.py                    # 30 students (about 6 minutes on 2 cores)
    .venv/bin/python benchmarks/hub.py --students 8 --hubenv build/hubenv   # reuse a hub environment

The hub is the one tests/test_hub.py runs (tests/hubclass.py: JupyterHub and configurable-http-proxy on 127.0.0.1,
the hub's Python set up by the README's admin commands, the collection's binder/hub/jupyterhub_config.py, the
figure cache warmed for everyone). First one student alone does what a student does when the teacher puts the link
on the board: click it (the hub redirects to their server, nbgitpuller clones the collection), open the lesson and
run every cell (Run All). That time is the reference. Then the rest of the class does the same at once (the worst
case: the whole class presses Enter in the same second), and once more arriving evenly over a minute (--spread: as
a class opens laptops and logs in). Servers are
started before the clock starts (a hub keeps them for the lesson; the spawn time is reported apart). Memory is read
while every student's lesson kernel is still open, as in class: RSS and PSS (shared pages divided among the
processes that share them: what the machine really needs) of the hub, the proxy, each server and each kernel.

Writes build/bench-hub.json and prints a table; never fails on a figure (the goal: 95th percentile within 2x the
single student's time, under 200 MB per student).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import hubclass as H  # noqa: E402

LESSON = "notebooks/01_molyneux.ipynb"


def lesson_time(student: H.Student, link: str, delay: float = 0.0) -> dict:
    """After ``delay`` seconds, click the link, open the lesson and Run All; the lesson's kernel stays open
    (returned for closing later)."""
    time.sleep(delay)
    start = time.monotonic()
    restarts = student.timings.get("kernel_restarts", 0)
    try:
        H.click_link(student, link)
        pulled = time.monotonic() - start
        kernel = H.Kernel(student, f"what-went-wrong/{LESSON}")
        nb = kernel.run_notebook(json.loads((student.home / "what-went-wrong" / LESSON).read_text(encoding="utf-8")))
    except Exception as e:  # noqa: BLE001 - a student whose lesson failed is a figure too, not a crash
        return {"student": student.name, "seconds": time.monotonic() - start, "pull_s": float("nan"),
                "errors": [f"{type(e).__name__}: {e}"], "kernel": None, "restarts": 0}
    return {"student": student.name, "seconds": time.monotonic() - start, "pull_s": pulled,
            "errors": H.errors(nb), "kernel": kernel,
            "restarts": student.timings.get("kernel_restarts", 0) - restarts}


def memory(hub: H.ClassHub) -> dict:
    """RSS and PSS in MB of the hub, the proxy, and the students' servers and kernels."""
    groups: dict[str, dict[str, float]] = {}
    for proc in psutil.process_iter(["cmdline", "cwd"]):
        try:
            cmd = " ".join(proc.info["cmdline"] or [])
            if "-m jupyterhub -f" in cmd and str(hub.work) in (proc.info["cwd"] or ""):
                kind = "hub"
            elif "configurable-http-proxy" in cmd and str(hub.port) in cmd:
                kind = "proxy"
            elif "jupyterhub.singleuser" in cmd and str(hub.python) in cmd:
                kind = "servers"
            elif "ipykernel_launcher" in cmd and str(hub.work / "home") in (proc.info["cwd"] or ""):
                kind = "kernels"
            else:
                continue
            info = proc.memory_full_info()
        except (psutil.Error, OSError):
            continue
        g = groups.setdefault(kind, {"count": 0, "rss_mb": 0.0, "pss_mb": 0.0})
        g["count"] += 1
        g["rss_mb"] += info.rss / 2**20
        g["pss_mb"] += getattr(info, "pss", info.rss) / 2**20
    return groups


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank), for a small class."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog="benchmarks/hub.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=30, help="class size (default 30)")
    p.add_argument("--spread", type=float, default=60,
                   help="second round: the class arrives spread evenly over this many seconds (default 60)")
    p.add_argument("--hubenv", type=Path, help="a hub environment made by an earlier run, to skip installing it")
    p.add_argument("--out", type=Path, default=ROOT / "build" / "bench-hub.json")
    p.add_argument("--write-readme", action="store_true",
                   help="also write the figures into the README's hub section (between its hub-figures markers)")
    args = p.parse_args(argv)
    args.hubenv = args.hubenv.resolve() if args.hubenv else None
    work = ROOT / "build" / "bench-hub-work"  # kept after the run: the hub's and every server's logs are there
    shutil.rmtree(work, ignore_errors=True)
    upstream = H.copy_repository(work / "upstream" / "what-went-wrong")
    clone = work / "admin" / "what-went-wrong"
    subprocess.run(["git", "clone", "-q", str(upstream), str(clone)], check=True)
    t0 = time.monotonic()
    if args.hubenv and (args.hubenv / "bin" / "python").exists():
        python = args.hubenv / "bin" / "python"
    else:
        with open(work / "admin.log", "w") as log:
            python = H.hub_environment(args.hubenv or work / "hubenv", clone, log)
    setup_s = time.monotonic() - t0
    print(f"hub environment ready ({setup_s:.0f} s)", file=sys.stderr, flush=True)
    link = H.git_pull_link(str(upstream), LESSON)
    with H.ClassHub(work / "hub", python) as hub:
        with ThreadPoolExecutor(4) as pool:
            students = list(pool.map(hub.add_student, [f"student{i + 1}" for i in range(args.students)]))
        spawn = [s.timings["spawn"] for s in students]
        print(f"{len(students)} servers started", file=sys.stderr, flush=True)
        alone = lesson_time(students[0], link)
        print(f"one student alone: {alone['seconds']:.1f} s", file=sys.stderr, flush=True)
        with ThreadPoolExecutor(len(students)) as pool:
            rest = list(pool.map(lambda s: lesson_time(s, link), students[1:]))
        runs = [alone, *rest]
        mem = memory(hub)
        for run in runs:
            if run["kernel"]:
                run.pop("kernel").close()
        print(f"the class at once: median {statistics.median(r['seconds'] for r in rest):.1f} s",
              file=sys.stderr, flush=True)
        step = args.spread / max(1, len(students) - 1)
        with ThreadPoolExecutor(len(students) - 1 or 1) as pool:
            spread = list(pool.map(lambda a: lesson_time(a[1], link, a[0] * step), enumerate(students[1:])))
        for run in spread:
            if run["kernel"]:
                run.pop("kernel").close()
    class_times = [r["seconds"] for r in rest] or [alone["seconds"]]
    per_student = sum(g["pss_mb"] for k, g in mem.items() if k in ("servers", "kernels")) / len(students)
    total = sum(g["pss_mb"] for g in mem.values())
    result = {
        "students": len(students), "cores": psutil.cpu_count(), "setup_s": setup_s,
        "spawn_median_s": statistics.median(spawn), "alone_s": alone["seconds"], "alone_pull_s": alone["pull_s"],
        "class_median_s": statistics.median(class_times), "class_p95_s": percentile(class_times, 95),
        "class_max_s": max(class_times), "pull_median_s": statistics.median(r["pull_s"] for r in rest or runs),
        "p95_over_alone": percentile(class_times, 95) / alone["seconds"],
        "spread_s": args.spread, "spread_median_s": statistics.median(r["seconds"] for r in spread or runs),
        "spread_p95_s": percentile([r["seconds"] for r in spread or runs], 95),
        "memory": mem, "per_student_pss_mb": per_student, "total_pss_mb": total,
        "errors": {r["student"]: r["errors"][:2] for r in [*runs, *spread] if r["errors"]},
        "kernel_restarts": sum(r["restarts"] for r in [*runs, *spread]),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"\nA class of {len(students)} on one hub ({result['cores']} cores); link clicked to lesson run:")
    print(f"  one student alone      {alone['seconds']:6.1f} s (pull {alone['pull_s']:.1f} s)")
    print(f"  the class at once      median {result['class_median_s']:.1f} s, 95th percentile "
          f"{result['class_p95_s']:.1f} s ({result['p95_over_alone']:.1f}x alone; goal <= 2x), "
          f"slowest {result['class_max_s']:.1f} s")
    print(f"  arriving over {args.spread:.0f} s  median {result['spread_median_s']:.1f} s, 95th percentile "
          f"{result['spread_p95_s']:.1f} s ({result['spread_p95_s'] / alone['seconds']:.1f}x alone)")
    print(f"  server start (before)  median {result['spawn_median_s']:.1f} s")
    for kind, g in sorted(mem.items()):
        print(f"  {kind:<8} {g['count']:3d} processes  RSS {g['rss_mb']:7.0f} MB  PSS {g['pss_mb']:7.0f} MB")
    print(f"  per student (server + kernel, PSS) {per_student:.0f} MB (goal < 200 MB); all {total:.0f} MB")
    if result["kernel_restarts"]:
        print(f"  kernels that did not start and were restarted once (as a student would): "
              f"{result['kernel_restarts']}")
    if result["errors"]:
        print(f"  ERRORS in lessons: {result['errors']}")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    if args.write_readme:
        write_readme(result)
        print("README.md: hub figures updated")


def figures_text(r: dict) -> str:
    """The README's paragraph of hub figures, from a result of this benchmark."""
    mem = r["memory"]
    return (
        f"Measured by `benchmarks/hub.py` on a {r['cores']}-core machine with a class of {r['students']} (the hub "
        f"of the test; lesson 1; figures drawn once for everyone). From clicking the link to a lesson that has "
        f"run: one student alone {r['alone_s']:.1f} s (the pull {r['alone_pull_s']:.1f} s of it); the whole class "
        f"in the same second {r['class_median_s']:.0f} s median, {r['class_p95_s']:.0f} s for the 95th percentile "
        f"({r['p95_over_alone']:.0f}x alone: {r['students']} lessons' work shares {r['cores']} cores); arriving "
        f"over {r['spread_s']:.0f} s, as a class logs in, {r['spread_median_s']:.1f} s median and "
        f"{r['spread_p95_s']:.1f} s for the 95th percentile ({r['spread_p95_s'] / r['alone_s']:.1f}x alone). "
        f"Memory with every lesson open (PSS: shared pages counted once): the hub "
        f"{mem.get('hub', {}).get('pss_mb', 0):.0f} MB, the proxy {mem.get('proxy', {}).get('pss_mb', 0):.0f} MB, "
        f"each student {r['per_student_pss_mb']:.0f} MB (server "
        f"{mem.get('servers', {}).get('pss_mb', 0) / r['students']:.0f} MB, lesson kernel "
        f"{mem.get('kernels', {}).get('pss_mb', 0) / r['students']:.0f} MB), {r['total_pss_mb'] / 1024:.1f} GB "
        f"in all. A server starts in {r['spawn_median_s']:.0f} s (median, {r['students']} starting four at a time). "
        + (f"{r['kernel_restarts']} lesson kernel(s) did not start (another process took a port the server had "
           f"chosen for it) and were restarted once, as a student would with Kernel → Restart. "
           if r["kernel_restarts"] else "")
        + (f"Lessons that failed: {len(r['errors'])}. " if r["errors"] else "")
        + f"For a class of {r['students']} that starts together, plan one core per 4-5 students, or have them open "
        f"the lesson as they come in.")


def write_readme(result: dict, readme: Path = ROOT / "README.md") -> None:
    """Put :func:`figures_text` between ``<!-- hub-figures -->`` and ``<!-- /hub-figures -->`` in the README."""
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- hub-figures -->\n", "\n<!-- /hub-figures -->"
    if start not in text or end not in text:
        raise SystemExit(f"{readme.name} has no {start.strip()} … {end.strip()} markers")
    head, rest = text.split(start, 1)
    body = textwrap.fill(figures_text(result), width=118, break_on_hyphens=False)
    readme.write_text(head + start + body + end + rest.split(end, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
