"""Fixtures for the real-browser tests: one JupyterLab server and one Chromium for the whole test session.

- Chromium is Debian's (``apt-get install chromium``), driven by the ``playwright`` Python package. Never run
  ``playwright install``: it downloads a browser, and CI machines reach only the package registries.
  ``CHROMIUM`` names another executable.
- axe-core comes from npm into ``build/`` (git-ignored): ``npm install --prefix build axe-core``. ``AXE_JS`` names
  another ``axe.min.js``.
- Missing Chromium or axe-core: these tests are skipped with a message saying what to install — and they FAIL
  instead when ``CI=true``, so CI can never pass without them.
- The server is isolated: its own config, settings, workspaces and runtime folders, an answers folder
  (``WWW_ANSWERS_DIR``) in a temporary directory, and the JupyterLab settings Binder gets
  (``binder/jupyterlab-settings.json``). It listens on 127.0.0.1 only, with a random token.
- Screenshots, axe reports and browser console logs go to ``artifacts/browser/`` (git-ignored).
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from labdriver import AXE_JS, Lab

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
BINDER_SETTINGS = ROOT / "binder" / "jupyterlab-settings.json"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives JupyterLab in a real browser (Chromium + playwright)")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(what: str) -> None:
    """Skip with a clear message outside CI; fail in CI, where a skipped browser test would hide a gap."""
    if in_ci():
        pytest.fail(f"{what} (CI=true: the browser tests must run in CI)", pytrace=False)
    warnings.warn(f"browser tests skipped: {what}", pytest.PytestWarning, stacklevel=2)
    pytest.skip(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM", DEFAULT_CHROMIUM)
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        missing(f"no Chromium at {path}: install Debian's with `apt-get install -y chromium` "
                "(or set CHROMIUM=/path/to/chromium); never `playwright install`")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package is not installed (it is in pyproject's [test] extra)")
    return path


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        missing(f"axe-core not found at {AXE_JS}: run `npm install --prefix build axe-core`")
    return AXE_JS


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Lab:
    """JupyterLab serving the repository, isolated from the user's own Jupyter set-up, for the whole session."""
    home = tmp_path_factory.mktemp("jupyterlab")
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "JUPYTER_TOKEN", "WWW_TEACHER")}
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("WWW_ANSWERS_DIR", "answers")]:
        env[var] = str(home / sub)
        (home / sub).mkdir()
    # Binder's settings (the file postBuild installs on Binder), as setting overrides of this server only; plus,
    # for tests only, no autosave: a run must never write its outputs into the committed notebooks.
    settings = json.loads(BINDER_SETTINGS.read_text(encoding="utf-8"))
    settings.setdefault("@jupyterlab/docmanager-extension:plugin", {})["autosave"] = False
    (home / "config" / "labconfig").mkdir()
    (home / "config" / "labconfig" / "default_setting_overrides.json").write_text(json.dumps(settings, indent=1))
    port, token = free_port(), secrets.token_hex(16)
    log_path = artifacts / f"jupyterlab-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--allow-root"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
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


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, lab: Lab, artifacts: Path, request: pytest.FixtureRequest, **options):
    """A fresh browser context and page (own storage, downloads allowed, ``options`` for the context); its console
    goes to a log file, and every kernel is shut down afterwards."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, **options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    page.console_messages = console  # read by tests that want to show them in a failure message
    yield page
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    log = artifacts / f"{name}-console.txt"
    if console:
        log.write_text("\n".join(console) + "\n", encoding="utf-8")
    else:
        log.unlink(missing_ok=True)
    context.close()
    lab.shut_down_kernels()


@pytest.fixture
def page(browser, lab: Lab, artifacts: Path, request: pytest.FixtureRequest):
    """A page in a fresh browser context, as on a laptop (see :func:`_page`)."""
    yield from _page(browser, lab, artifacts, request)


@pytest.fixture
def touch_page(browser, lab: Lab, artifacts: Path, request: pytest.FixtureRequest):
    """A page in a fresh browser context with a touch screen (taps as on a tablet; the keyboard works too)."""
    yield from _page(browser, lab, artifacts, request, has_touch=True)
