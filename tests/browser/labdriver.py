"""Driving JupyterLab in Chromium the way a student does, and reading what the page shows.

Kept apart from the tests so each test reads as the story it checks. Everything here works on the notebook panel
on screen (``PANEL``); nothing reaches into JupyterLab's JavaScript internals, only the page a person sees.

What a notebook is expected to show comes from the notebook itself (its stored outputs, see :func:`expected`), so
the tests need no list to keep up to date as lessons gain exercises and charts.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER_SETTINGS = ROOT / "binder" / "jupyterlab-settings.json"
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "build" / "node_modules" / "axe-core" / "axe.min.js"))
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
INDICATOR = f"{PANEL} .jp-Notebook-ExecutionIndicator"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
IMG_TAG = re.compile(r"<img\b", re.IGNORECASE)


# -- what the stored notebook says should appear ------------------------------------------------------------------
@dataclass
class Expected:
    """Counts of top-level outputs a notebook showed when it was last executed (``python3 tasks.py rerun``)."""

    widgets: int = 0   # outputs that are live widgets in JupyterLab
    figures: int = 0   # image outputs, plus <img> elements in HTML outputs (figures with caption and alt text)
    errors: int = 0    # error outputs and stderr streams (only in cells tagged raises-exception, normally 0)
    code_cells: int = 0
    visible_code: int = 0  # code cells whose input is not hidden (jupyter.source_hidden): all others show nothing
    outputs: int = 0   # all top-level outputs
    sources: list[str] = field(default_factory=list, repr=False)  # code cell sources, to find a lesson's exercises


def expected(path: Path) -> Expected:
    """Read the notebook's stored outputs and count what a run in the browser must show again."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    exp = Expected()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        exp.code_cells += 1
        exp.visible_code += not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden", False)
        source = cell.get("source", "")
        exp.sources.append(source if isinstance(source, str) else "".join(source))
        for out in cell.get("outputs", []):
            exp.outputs += 1
            kind, data = out.get("output_type"), out.get("data", {})
            if kind == "error" or (kind == "stream" and out.get("name") == "stderr"):
                exp.errors += 1
            elif WIDGET_MIME in data or out.get("metadata", {}).get("what-went-wrong", {}).get("widget"):
                exp.widgets += 1  # committed notebooks mark widgets in metadata (their pointers are not stored)
            elif any(m in data for m in IMAGE_MIMES):
                exp.figures += 1
            elif "text/html" in data:
                html = data["text/html"]
                exp.figures += len(IMG_TAG.findall(html if isinstance(html, str) else "".join(html)))
    return exp


# -- the server ---------------------------------------------------------------------------------------------------
@dataclass
class Lab:
    """A running JupyterLab server: where it is and how to talk to its REST API."""

    url: str
    token: str
    log: Path

    def api(self, method: str, path: str) -> object:
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every notebook session, so each test starts with a fresh kernel and memory stays low."""
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except OSError:
                pass

    def notebook_url(self, rel_path: str) -> str:
        """Open ``rel_path`` with a clean layout (``?reset``: no tabs from an earlier test)."""
        return f"{self.url}/lab/tree/{rel_path}?reset&token={self.token}"


# -- a student's actions ------------------------------------------------------------------------------------------
_WATCH_RUN = r"""() => {
  const ind = document.querySelector(%r);
  window.__wwwRun = {sawCells: false, done: false};
  // While cells are scheduled the indicator reads "Executed k/N cells"; when the last one is done it reads
  // "Executed N cells" and the status is idle (measured). Both are required, so an idle moment between two cells
  // does not count as the end.
  const check = () => {
    const running = /Executed \d+\/\d+/.test(ind.textContent);
    if (running) window.__wwwRun.sawCells = true;
    window.__wwwRun.done = window.__wwwRun.sawCells && !running && ind.getAttribute('data-status') === 'idle';
  };
  new MutationObserver(check).observe(ind, {attributes: true, subtree: true, childList: true, characterData: true});
}""" % INDICATOR


_KERNEL_READY = r"""() => {
  const ind = document.querySelector(%r);
  const bar = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent.trim());
  return !!ind && ind.getAttribute('data-status') === 'idle'
    && bar.some(t => /[|] Idle$/.test(t) && !t.startsWith('No Kernel'));
}""" % INDICATOR


def open_notebook(page, lab: Lab, rel_path: str, timeout_s: float = 60) -> None:
    """Open a notebook and wait until its kernel has started and is idle (no kernel dialog may appear).

    The toolbar's execution indicator alone is not enough: it reads "idle" before any kernel exists (measured:
    status bar "No Kernel | Initializing" at the same moment), so the status bar must show the kernel as Idle too,
    and stay so for half a second (the kernel's first connection is sometimes dropped and made again)."""
    page.goto(lab.notebook_url(rel_path))
    page.locator(PANEL).wait_for(timeout=timeout_s * 1000)
    deadline, ready_since = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        if page.locator(".jp-Dialog").count():
            title = page.locator(".jp-Dialog .jp-Dialog-header").first.inner_text()
            raise AssertionError(f"a dialog blocks the notebook: {title!r}")
        if page.evaluate(_KERNEL_READY):
            ready_since = ready_since or time.monotonic()
            if time.monotonic() - ready_since >= 0.5:
                return
        else:
            ready_since = None
        time.sleep(0.1)
    bar = " / ".join(t for t in page.locator(".jp-StatusBar-TextItem").all_text_contents() if "|" in t)
    raise AssertionError(f"the kernel was not ready {timeout_s:.0f} s after opening (status bar: {bar!r})")


def run_all(page, timeout_s: float = 120, attempts: int = 3) -> int:
    """Run → Run All Cells, as the notebooks tell students to; wait until every cell has run and the kernel rests.

    If no cell starts within 20 s the menu item is chosen again, as a student would (at most ``attempts`` times):
    under load the first websocket to a new kernel sometimes fails with a server error and is made again
    (jupyter_server issue #1265), and a run requested in between can be lost. Returns the number of attempts."""
    return _run(page, "Run All Cells", _click_run_all, timeout_s, attempts)


def restart_and_run_all(page, timeout_s: float = 120, attempts: int = 3) -> int:
    """Kernel → Restart Kernel and Run All Cells…, confirming the dialog; wait until all cells have run again."""
    return _run(page, "Restart Kernel and Run All Cells", _click_restart_run_all, timeout_s, attempts)


def _click_run_all(page) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator("[data-command='runmenu:run-all']").click()


def _click_restart_run_all(page) -> None:
    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.locator("[data-command='runmenu:restart-and-run-all']").click()
    page.locator(".jp-Dialog .jp-mod-accept").click()


def _run(page, what: str, click, timeout_s: float, attempts: int) -> int:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(1, attempts + 1):
        page.evaluate(_WATCH_RUN)
        click(page)
        try:
            page.wait_for_function("window.__wwwRun.sawCells", timeout=20_000)
            break
        except PlaywrightTimeout:
            continue
    else:
        status = page.locator(INDICATOR).first.text_content() or ""
        raise AssertionError(f"{what}: no cell started running after {attempts} tries (kernel: {status.strip()!r})")
    try:
        for _ in range(3):  # done, and still done a moment later (no cell was still on its way)
            page.wait_for_function("window.__wwwRun.done", timeout=timeout_s * 1000)
            page.wait_for_timeout(300)
            if page.evaluate("window.__wwwRun.done"):
                break
    except PlaywrightTimeout:
        status = page.locator(INDICATOR).first.text_content() or ""
        raise AssertionError(f"{what} did not finish within {timeout_s:.0f} s (kernel: {status.strip()!r})") from None
    return attempt


def wait_for_widgets(page, expected_widgets: int, timeout_s: float = 20) -> None:
    """Give widget views time to appear (0.6–1.9 s after a run, measured); returns as soon as all are there, or
    after ``timeout_s`` without complaint (the comparison that follows says what is missing)."""
    if not expected_widgets:
        return
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"() => {{ const f = ({_FACTS})(); return f.widgets >= {expected_widgets} && !f.badWidgets.length; }}",
            timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        pass


def notebook_config(page) -> dict:
    """The page configuration JupyterLab put into the page (which extensions it loads, among others)."""
    return json.loads(page.locator("#jupyter-config-data").text_content())


# -- what the page shows ------------------------------------------------------------------------------------------
_FACTS = r"""() => {
  const panel = document.querySelector(%r);
  const tops = [...panel.querySelectorAll(
    '.jp-CodeCell .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')];
  const isWidget = o => !!o.querySelector(':scope > .jupyter-widgets');
  const bad = [...panel.querySelectorAll('.jp-OutputArea-output')]
    .filter(o => /Error displaying widget|Loading widget/.test(o.textContent) && !o.querySelector('.jp-OutputArea-output'))
    .map(o => o.textContent.trim().slice(0, 200));
  const figures = tops.filter(o => !isWidget(o)).reduce(
    (n, o) => n + ((o.dataset.mimeType || '').startsWith('image/') ? 1 : o.querySelectorAll('img').length), 0);
  const imgs = [...panel.querySelectorAll('.jp-OutputArea-output img, .jp-MarkdownOutput img')];
  return {
    widgets: tops.filter(o => isWidget(o) && !/Error displaying widget|Loading widget/.test(o.textContent)).length,
    figures,
    errors: [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.textContent.trim().slice(0, 600)),
    badWidgets: bad,
    brokenImages: imgs.filter(i => i.complete && i.naturalWidth === 0).map(i => i.src.slice(0, 80)),
    imagesWithoutAlt: imgs.filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src.slice(0, 80)),
    outputs: tops.length,
    visibleCode: [...panel.querySelectorAll('.jp-CodeCell .jp-Cell-inputWrapper')]
      .filter(w => getComputedStyle(w).display !== 'none').length,
  };
}""" % PANEL


def page_facts(page) -> dict:
    """What the notebook on screen shows now: widget and figure counts, error outputs, broken widgets and images."""
    return page.evaluate(_FACTS)


LESSON_SCREEN = {"width": 1366, "height": 768}  # the laptop a lesson's length is measured on (issue #11)


def screens(page, viewport: dict = LESSON_SCREEN) -> float:
    """How many screens of ``viewport`` the notebook is, as a student scrolls it: the page is scrolled to the end
    one screen at a time first, so every cell has been laid out at its real height (JupyterLab estimates cells it
    has not drawn yet), then the notebook's height is divided by the visible height. The window size is restored."""
    before = page.viewport_size
    page.set_viewport_size(viewport)
    page.wait_for_timeout(300)
    try:
        return _screens(page)
    finally:
        page.set_viewport_size(before)


def _screens(page) -> float:
    outer = f"document.querySelector('{PANEL} .jp-WindowedPanel-outer')"
    for _ in range(400):
        if page.evaluate(f"() => {{ const o = {outer}; const t = o.scrollTop; o.scrollTop += o.clientHeight; "
                         "return o.scrollTop === t; }"):
            break
        page.wait_for_timeout(100)
    height, visible = page.evaluate(f"() => [{outer}.scrollHeight, {outer}.clientHeight]")
    page.evaluate(f"() => {{ {outer}.scrollTop = 0; }}")
    return round(height / visible, 1)


def problems(exp: Expected, facts: dict) -> list[str]:
    """Each difference between what the notebook should show and what the page shows, in words."""
    found = []
    if facts["errors"] and len(facts["errors"]) != exp.errors:
        found += [f"error output in the browser: {e}" for e in facts["errors"]]
    found += [f"a widget did not render: {t!r}" for t in facts["badWidgets"]]
    if facts["widgets"] != exp.widgets:
        found.append(f"{facts['widgets']} widgets rendered, the stored notebook has {exp.widgets}")
    if facts["figures"] != exp.figures:
        found.append(f"{facts['figures']} figures rendered, the stored notebook has {exp.figures}")
    if found and not exp.outputs and facts["outputs"]:
        found.append("the stored notebook has no outputs at all: run `python3 tasks.py rerun NOTEBOOK` and commit it")
    found += [f"image did not load: {s}…" for s in facts["brokenImages"]]
    found += [f"image without alt text: {s}…" for s in facts["imagesWithoutAlt"]]
    if facts["visibleCode"] > exp.visible_code:
        found.append(f"{facts['visibleCode']} code cells show code or a code placeholder; the notebook hides all but "
                     f"{exp.visible_code} (binder/custom.css, installed by scripts/jupyter_config.py, hides them)")
    return found


# -- evidence -----------------------------------------------------------------------------------------------------
def screenshots(page, stem: Path) -> list[Path]:
    """Two PNGs: the screen as the student sees it now (``stem.png``; after Run All that is the notebook's end, where
    JupyterLab leaves them) and the whole notebook from the top (``stem-full.png``, taken by making the window as
    tall as the notebook, at most 20,000 pixels)."""
    shot, full = stem.with_suffix(".png"), stem.with_name(stem.name + "-full.png")
    page.screenshot(path=str(shot))
    size = page.viewport_size
    height = page.evaluate(f"""() => {{
        const v = document.querySelector('{PANEL} .jp-WindowedPanel-viewport');
        const o = document.querySelector('{PANEL} .jp-WindowedPanel-outer');
        return v && o ? v.scrollHeight + (window.innerHeight - o.clientHeight) + 40 : window.innerHeight; }}""")
    outer = f"document.querySelector('{PANEL} .jp-WindowedPanel-outer')"
    scrolled = page.evaluate(f"() => {outer} ? {outer}.scrollTop : 0")
    page.set_viewport_size({"width": size["width"], "height": int(min(max(height, size["height"]), 20000))})
    try:
        page.evaluate(f"() => {{ if ({outer}) {outer}.scrollTop = 0; }}")
        page.wait_for_timeout(400)  # let JupyterLab lay out the taller window
        page.locator(PANEL).screenshot(path=str(full))
    finally:
        page.set_viewport_size(size)
        page.evaluate(f"() => {{ if ({outer}) {outer}.scrollTop = {scrolled}; }}")
    return [shot, full]


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_AXE_RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const ours = el => !!(el && el.closest && el.closest('.jp-OutputArea-output, .jp-MarkdownOutput'));
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => {
      let el = null;
      try { el = document.querySelector(n.target[n.target.length - 1]); } catch (e) {}
      return {target: n.target.join(' '), html: n.html.slice(0, 300), ours: ours(el),
              summary: (n.failureSummary || '').slice(0, 400)};
    }),
  }));
}"""


def run_axe(page, axe_js: Path) -> list[dict]:
    """axe-core over the whole page; each violating node is marked ``ours`` when it lies in a notebook's
    content (an output or a Markdown cell) rather than in JupyterLab's own interface."""
    page.add_script_tag(path=str(axe_js))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def split_axe(violations: list[dict]) -> tuple[list[dict], list[dict]]:
    """(violations in our content, violations in JupyterLab's interface), each with only its own nodes."""
    ours, theirs = [], []
    for v in violations:
        for bucket, keep in ((ours, True), (theirs, False)):
            nodes = [n for n in v["nodes"] if n["ours"] is keep]
            if nodes:
                bucket.append({**v, "nodes": nodes})
    return ours, theirs


def describe_axe(violations: list[dict]) -> list[str]:
    """One line per violation: rule, impact, how many nodes, and the first node."""
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — e.g. {v['nodes'][0]['html'][:160]}"
            for v in violations]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(home: Path, artifacts: Path, extra_env: dict[str, str] | None = None, name: str = "",
              root: Path = ROOT) -> Iterator[Lab]:
    """JupyterLab serving the repository (or ``root``, a copy of it), isolated from the user's own Jupyter set-up,
    with ``extra_env`` (e.g. a hub's hand-in folder) for its kernels; stopped when the generator is closed. Autosave
    is on only for a copy: a run must never write its outputs into the committed notebooks."""
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "JUPYTER_TOKEN", "WWW_TEACHER")}
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("WWW_ANSWERS_DIR", "answers")]:
        env[var] = str(home / sub)
        (home / sub).mkdir()
    env.update(extra_env or {})
    # Binder's settings (the file postBuild installs on Binder), as setting overrides of this server only; plus,
    # for tests only, no autosave: a run must never write its outputs into the committed notebooks.
    settings = json.loads(BINDER_SETTINGS.read_text(encoding="utf-8"))
    if root == ROOT:
        settings.setdefault("@jupyterlab/docmanager-extension:plugin", {})["autosave"] = False
    (home / "config" / "labconfig").mkdir()
    (home / "config" / "labconfig" / "default_setting_overrides.json").write_text(json.dumps(settings, indent=1))
    port, token = free_port(), secrets.token_hex(16)
    log_path = artifacts / f"jupyterlab-{name or os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, log=log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab stopped at start-up; see {log_path}:\n{log_path.read_text()[-2000:]}")
            try:
                lab.api("GET", "/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within 60 s; see {log_path}")
                time.sleep(0.3)
        yield lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
