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

import os
import warnings
from pathlib import Path
from typing import Iterator

import pytest

from labdriver import AXE_JS, Lab, start_lab

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
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
def lab(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Lab]:
    """JupyterLab serving the repository for the whole session (see :func:`start_lab`)."""
    yield from start_lab(tmp_path_factory.mktemp("jupyterlab"), artifacts)


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
