"""Check that Binder can build the collection, without Docker: a fresh environment from the files in binder/ alone.

    .venv/bin/python scripts/check_binder.py            about a minute; needs the package index, as Binder does
    .venv/bin/python scripts/check_binder.py --keep DIR build the environment in DIR and keep it (to look inside)

What mybinder.org (repo2docker) does with this repository, step by step, and what is checked after each step:

1. a Python of the version ``binder/runtime.txt`` names, in a new virtual environment;
2. ``pip install -r binder/requirements.txt``, then ``pip check`` (no broken or conflicting dependencies);
3. ``binder/postBuild`` run from the repository's root folder, as Binder runs it;
4. ``jupyter labextension list`` shows ``@jupyter-widgets/jupyterlab-manager`` and the collection's
   ``what-went-wrong-keys`` ``enabled OK`` (widgets will render; keys stay in an exercise);
5. a JupyterLab server from that environment serves the settings of ``binder/jupyterlab-settings.json``
   (kernel starts by itself, no news pop-up, widget state not saved into notebooks);
6. every notebook runs in that environment under nbval, with the same strict options as ``python3 tasks.py test``
   (pytest and nbval are added only now, after ``pip check``: they are test tools, not part of what Binder installs).

Exit code 0 when every step passed; otherwise the first failing step is named, with the command's output.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
SETTINGS_FILE = BINDER / "jupyterlab-settings.json"
# the widget manager (widgets render) and the collection's own (keys stay inside an exercise: binder/keys-extension)
EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "what-went-wrong-keys")
TEST_TOOLS = ["pytest", "nbval"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class CheckFailed(Exception):
    """One step of the check failed; the message says which and why."""


def runtime_version(text: str) -> tuple[int, int]:
    """``python-3.11`` (the content of binder/runtime.txt) as (3, 11)."""
    m = re.fullmatch(r"python-(\d+)\.(\d+)", text.strip())
    if not m:
        raise CheckFailed(f"binder/runtime.txt should read like 'python-3.11', not {text.strip()!r}")
    return int(m.group(1)), int(m.group(2))


def find_python(version: tuple[int, int]) -> str:
    """An interpreter of the given version: this one if it matches, else pythonX.Y on PATH."""
    if sys.version_info[:2] == version:
        return sys.executable
    name = "python{}.{}".format(*version)
    found = shutil.which(name)
    if not found:
        raise CheckFailed(f"binder/runtime.txt asks for Python {version[0]}.{version[1]}, but {name} is not on PATH")
    return found


def extension_ok(listing: str, name: str = EXTENSIONS[0]) -> bool:
    """Whether ``jupyter labextension list`` output shows the extension ``name`` as enabled and OK."""
    for line in ANSI.sub("", listing).splitlines():
        if name in line.split():
            return "enabled" in line and "OK" in line and "disabled" not in line
    return False


def nbval_options(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The nbval options of the project's own test command (pyproject addopts), so both runs compare alike."""
    addopts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]["addopts"]
    words = shlex.split(addopts) if isinstance(addopts, str) else list(addopts)
    return [w for w in words if w.startswith("--nbval")]


def settings_mismatches(wanted: dict, served: dict[str, dict]) -> list[str]:
    """Each setting of ``wanted`` ({plugin: {key: value}}) that the server's composite settings do not have."""
    return [f"{plugin} → {key}: wanted {value!r}, served {served.get(plugin, {}).get(key)!r}"
            for plugin, keys in wanted.items() for key, value in keys.items()
            if served.get(plugin, {}).get(key) != value]


class Env:
    """A virtual environment and a way to run commands in it, as if it were activated."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bin = path / "bin"
        self.python = str(self.bin / "python")
        self.environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MPLBACKEND", "VIRTUAL_ENV")}
        self.environ["PATH"] = f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}"
        self.environ["VIRTUAL_ENV"] = str(path)

    def run(self, step: str, cmd: list[str], timeout: float = 900, **kw) -> str:
        """Run a command in the project folder; return its output, or raise CheckFailed naming the step."""
        try:
            proc = subprocess.run(cmd, cwd=ROOT, env=self.environ, capture_output=True, text=True,
                                  timeout=timeout, **kw)
        except subprocess.TimeoutExpired:
            raise CheckFailed(f"{step}: no answer after {timeout:.0f} s: {shlex.join(cmd)}") from None
        output = proc.stdout + proc.stderr
        if proc.returncode:
            raise CheckFailed(f"{step} failed (exit code {proc.returncode}): {shlex.join(cmd)}\n{output[-4000:]}")
        return output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_settings(env: Env, plugins: list[str], workdir: Path) -> dict[str, dict]:
    """Start JupyterLab from the environment (isolated config) and read the composite settings of ``plugins``."""
    port, token = free_port(), "binder-check"
    environ = dict(env.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("JUPYTER_RUNTIME_DIR", "runtime")]:
        environ[var] = str(workdir / sub)
    workdir.mkdir(parents=True, exist_ok=True)
    log = (workdir / "jupyterlab.log").open("w")
    server = subprocess.Popen([env.python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                               f"--IdentityProvider.token={token}", "--allow-root", f"--ServerApp.root_dir={ROOT}"],
                              cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {token}"}
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                log_text = (workdir / "jupyterlab.log").read_text()
                raise CheckFailed(f"JupyterLab stopped at start-up:\n{log_text[-3000:]}")
            try:
                urllib.request.urlopen(urllib.request.Request(f"{base}/api/status", headers=headers), timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise CheckFailed("JupyterLab did not answer within 60 s") from None
                time.sleep(0.3)
        served = {}
        for plugin in plugins:
            req = urllib.request.Request(f"{base}/lab/api/settings/{plugin}", headers=headers)
            with urllib.request.urlopen(req, timeout=10) as resp:
                data = json.load(resp)
            defaults = {k: v.get("default") for k, v in data["schema"].get("properties", {}).items()}
            served[plugin] = {**defaults, **(data.get("settings") or {})}
        return served
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def check(venv_dir: Path, log=print) -> dict[str, float]:
    """Run every step in ``venv_dir`` (must not exist yet); returns seconds per step. Raises CheckFailed."""
    times: dict[str, float] = {}

    def step(name: str) -> float:
        log(f"• {name}", flush=True)
        return time.perf_counter()

    t = step("Python from binder/runtime.txt, new virtual environment")
    python = find_python(runtime_version((BINDER / "runtime.txt").read_text()))
    subprocess.run([python, "-m", "venv", str(venv_dir)], check=True)
    env = Env(venv_dir)
    times["venv"] = time.perf_counter() - t

    t = step("pip install -r binder/requirements.txt")
    env.run("pip install", [env.python, "-m", "pip", "install", "--quiet", "-r", str(BINDER / "requirements.txt")])
    times["install"] = time.perf_counter() - t

    t = step("pip check")
    env.run("pip check", [env.python, "-m", "pip", "check"])
    times["pip check"] = time.perf_counter() - t

    t = step("binder/postBuild")
    log(env.run("postBuild", ["bash", str(BINDER / "postBuild")]).strip().splitlines()[-1])
    times["postBuild"] = time.perf_counter() - t

    t = step(f"jupyter labextension list shows {' and '.join(EXTENSIONS)} enabled OK")
    listing = env.run("jupyter labextension list", [str(env.bin / "jupyter"), "labextension", "list"])
    for name in EXTENSIONS:
        if not extension_ok(listing, name):
            raise CheckFailed(f"{name} is missing or not 'enabled OK':\n{ANSI.sub('', listing)}")
    times["labextension"] = time.perf_counter() - t

    t = step("JupyterLab serves the settings in binder/jupyterlab-settings.json")
    wanted = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
    bad = settings_mismatches(wanted, served_settings(env, list(wanted), venv_dir.parent / "lab"))
    if bad:
        raise CheckFailed("JupyterLab does not serve the Binder settings:\n" + "\n".join(bad))
    times["settings"] = time.perf_counter() - t

    t = step("every notebook under nbval (strict), in this environment")
    env.run("adding the test tools", [env.python, "-m", "pip", "install", "--quiet", *TEST_TOOLS])
    out = env.run("nbval", [env.python, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider", "-q",
                            *nbval_options(), "notebooks"])
    log(out.strip().splitlines()[-1])
    times["notebooks"] = time.perf_counter() - t
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build in this folder (must not exist) and keep it")
    args = parser.parse_args(argv)
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="binder-check-"))
    if args.keep and work.exists():
        parser.error(f"{work} exists already; the check needs a fresh folder")
    start = time.perf_counter()
    try:
        times = check(work / "venv")
    except CheckFailed as e:
        print(f"\nBinder check FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    summary = ", ".join(f"{k} {v:.0f} s" for k, v in times.items())
    print(f"\nBinder check passed in {time.perf_counter() - start:.0f} s ({summary}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
