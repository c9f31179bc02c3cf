"""A real JupyterHub with a class of students, on 127.0.0.1 only, for tests/test_hub.py and benchmarks/hub.py.

What a school runs, started and stopped here: JupyterHub (PyPI) behind configurable-http-proxy (npm), the hub's own
Python environment set up with the commands of the README's hub section (read from the README itself, so the
README is what is tested), the collection's hub settings (binder/hub/jupyterhub_config.py), a dummy login and local
processes as the spawner (every student's server is a process of this user, with its own home folder under the
work folder). A student does what a browser would, through the hub's proxy with the student's own token: open the
nbgitpuller link, let it pull, open a lesson (a kernel session of their own server), run every cell over the
kernel's websocket, and save the notebook through the contents API (what JupyterLab's autosave sends).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import time
import urllib.parse
import uuid
import venv
from dataclasses import dataclass, field
from pathlib import Path

import requests
import websocket

from tests.conftest import copy_collection

ROOT = Path(__file__).resolve().parent.parent
CHP = ROOT / "build" / "node_modules" / ".bin" / "configurable-http-proxy"
CHP_INSTALL = "npm install --prefix build configurable-http-proxy"
ADMIN_BLOCK = "hub-admin"  # the README's fenced block that follows <!-- hub-admin -->


def admin_commands(readme: Path = ROOT / "README.md") -> list[str]:
    """The administrator's commands from the README's hub section: the fenced block after ``<!-- hub-admin -->``."""
    text = readme.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {ADMIN_BLOCK} -->\s*```[a-z]*\n(.*?)```", text, re.S)
    if not found:
        raise AssertionError(f"README.md has no ```…``` block after <!-- {ADMIN_BLOCK} -->")
    return [line.strip() for line in found.group(1).splitlines() if line.strip() and not line.strip().startswith("#")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_environment(where: Path, clone: Path, log) -> Path:
    """A fresh Python environment for the hub, set up as the README tells an administrator, run in ``clone`` (the
    administrator's copy of the repository). Returns the environment's python."""
    where = where.resolve()
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    env = {**os.environ, "PATH": f"{where / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(where),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    env.pop("WWW_CACHE_DIR", None)  # the tests turn the cache off; the administrator's warm-up must not be
    for command in admin_commands():
        log.write(f"$ {command}\n")
        log.flush()
        args = shlex.split(command)
        if args[0] != "python":
            raise AssertionError(f"README hub command does not start with the hub's python: {command}")
        # the environment's own interpreter, by its full path: never whatever `python` the machine has first
        proc = subprocess.run([str(python), *args[1:]], cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT)
        if proc.returncode:
            raise RuntimeError(f"README hub command failed ({proc.returncode}): {command}; see {log.name}")
    return python


@dataclass
class Student:
    name: str
    token: str
    base: str  # http://127.0.0.1:PORT/user/NAME/
    home: Path
    hub_url: str
    timings: dict[str, float] = field(default_factory=dict)
    browser: requests.Session = field(default_factory=requests.Session)

    def log_in(self) -> None:
        """The hub's login form, as a person fills it in (the dummy login takes any password): the browser session
        then holds the hub's cookie, which pages (unlike the API) require."""
        self.browser.get(f"{self.hub_url}/hub/login", timeout=60).raise_for_status()
        r = self.browser.post(f"{self.hub_url}/hub/login", timeout=120, data={
            "username": self.name, "password": "any", "_xsrf": self.browser.cookies.get("_xsrf", "")})
        r.raise_for_status()
        if "/hub/login" in r.url:
            raise RuntimeError(f"{self.name} could not log in: {r.url}")

    def put(self, path: str, body: dict) -> requests.Response:
        return self._api("put", path, body)

    def post(self, path: str, body: dict) -> requests.Response:
        return self._api("post", path, body)

    def _api(self, method: str, path: str, body: dict) -> requests.Response:
        """A call to the student's own server's REST API with their token (what JupyterLab sends)."""
        return requests.request(method, self.base + path, json=body, timeout=120,
                                headers={"Authorization": f"token {self.token}"})


class ClassHub:
    """JupyterHub with configurable-http-proxy on 127.0.0.1, in ``work`` (homes, database, logs); use as a context
    manager. ``python`` is the hub environment's interpreter (see :func:`hub_environment`)."""

    def __init__(self, work: Path, python: Path, handin_dir: Path | None = None, concurrent_spawns: int = 100):
        self.work, self.python = work, python
        self.port, self.api_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.service_token = secrets.token_hex(16)
        self.handin_dir = handin_dir
        self.concurrent_spawns = concurrent_spawns
        self.proc: subprocess.Popen | None = None

    def config(self) -> str:
        homes = self.work / "home"
        root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        return "\n".join([
            "c = get_config()  # noqa",
            "c.JupyterHub.ip = '127.0.0.1'",
            f"c.JupyterHub.port = {self.port}",
            "c.JupyterHub.hub_ip = '127.0.0.1'",
            f"c.JupyterHub.hub_port = {self.api_port}",
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'",
            f"c.ConfigurableHTTPProxy.command = [{str(CHP)!r}]",
            f"c.JupyterHub.db_url = 'sqlite:///{self.work / 'hub.sqlite'}'",
            f"c.JupyterHub.cookie_secret_file = {str(self.work / 'cookie_secret')!r}",
            f"c.JupyterHub.pid_file = {str(self.work / 'hub.pid')!r}",
            "c.JupyterHub.authenticator_class = 'dummy'",
            "c.Authenticator.allow_all = True",
            "c.JupyterHub.spawner_class = 'simple'",
            f"c.SimpleLocalProcessSpawner.home_dir_template = {str(homes) + '/{username}'!r}",
            f"c.Spawner.cmd = [{str(self.python)!r}, '-m', 'jupyterhub.singleuser']",
            f"c.Spawner.args = {root_flag!r}",
            "c.Spawner.start_timeout = 120",
            "c.Spawner.http_timeout = 120",
            f"c.JupyterHub.concurrent_spawn_limit = {self.concurrent_spawns}",
            "c.JupyterHub.services = [{'name': 'classroom', 'api_token': %r}]" % self.service_token,
            "c.JupyterHub.load_roles = [{'name': 'classroom', 'services': ['classroom'], 'scopes': "
            "['admin:users', 'admin:servers', 'tokens', 'list:users', 'read:users']}]",
            # the collection's own part, as the README tells an administrator to load it
            f"load_subconfig({str(ROOT / 'binder' / 'hub' / 'jupyterhub_config.py')!r})",
            "",
        ])

    def __enter__(self) -> "ClassHub":
        if not CHP.exists():
            raise RuntimeError(f"configurable-http-proxy is not installed: {CHP_INSTALL}")
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "home").mkdir(exist_ok=True)
        (self.work / "jupyterhub_config.py").write_text(self.config(), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WWW_", "JUPYTER", "JPY_"))}
        env["PATH"] = f"{self.python.parent}{os.pathsep}{env['PATH']}"
        env["WWW_HUB_HANDIN_DIR"] = str(self.handin_dir) if self.handin_dir else ""
        self.log = open(self.work / "hub.log", "w")
        self.proc = subprocess.Popen([str(self.python), "-m", "jupyterhub", "-f", "jupyterhub_config.py"],
                                     cwd=self.work, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub stopped at start; see {self.work / 'hub.log'}")
            try:
                if self.api("get", "").ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"JupyterHub did not answer in 60 s; see {self.work / 'hub.log'}")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the hub stops the proxy and the servers it spawned
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()
        for pid in _processes_under(self.work / "home"):  # a server the hub did not stop (it should have)
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def api(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.url}/hub/api/{path}", timeout=120,
                                headers={"Authorization": f"token {self.service_token}"}, **kw)

    def add_student(self, name: str) -> Student:
        """Create the user, start their server (waiting until it answers) and give them a token of their own."""
        self.api("post", f"users/{name}").raise_for_status()
        start = time.monotonic()
        r = self.api("post", f"users/{name}/server")
        if r.status_code not in (201, 202):
            raise RuntimeError(f"could not start {name}'s server: {r.status_code} {r.text}")
        while True:
            user = self.api("get", f"users/{name}").json()
            server = user.get("servers", {}).get("", {})
            if server.get("ready"):
                break
            if time.monotonic() - start > 180:
                raise RuntimeError(f"{name}'s server did not become ready; see {self.work / 'hub.log'}")
            time.sleep(0.3)
        token = self.api("post", f"users/{name}/tokens", json={"note": "test"}).json()["token"]
        s = Student(name, token, f"{self.url}/user/{name}/", self.work / "home" / name, self.url)
        s.log_in()
        s.timings["spawn"] = time.monotonic() - start
        return s


def git_pull_link(repo: str, path: str, branch: str = "main") -> str:
    """The nbgitpuller link a teacher hands out (the README's form), relative to the hub's address."""
    folder = repo.rstrip("/").split("/")[-1]
    query = urllib.parse.urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{path}"})
    return f"/hub/user-redirect/git-pull?{query}"


def click_link(student: Student, link: str) -> list[dict]:
    """What the browser does with the link: the hub redirects to the student's server, whose page streams the
    pull's progress (nbgitpuller's event stream); returns the events. Raises if the pull did not finish."""
    start = time.monotonic()
    page = student.browser.get(student.hub_url + link, timeout=120)
    page.raise_for_status()
    if not urllib.parse.urlparse(page.url).path.endswith("/git-pull") or "repo=" not in page.url:
        raise RuntimeError(f"the link did not reach nbgitpuller's page: {page.url}")
    query = urllib.parse.urlparse(page.url).query
    events = []
    with student.browser.get(f"{student.base}git-pull/api?{query}", stream=True, timeout=300) as stream:
        for line in stream.iter_lines(decode_unicode=True):
            if line and line.startswith("data:"):
                events.append(json.loads(line[5:]))
                if events[-1].get("phase") in ("finished", "error"):
                    break
    if not events or events[-1].get("phase") != "finished":
        raise RuntimeError(f"{student.name}'s pull failed: {events[-3:]}")
    student.timings["pull"] = time.monotonic() - start
    return events


def _decode(frame: str | bytes) -> dict:
    """A kernel message from a websocket frame (JSON text, or jupyter_server's binary framing with buffers)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 + 4 * i:8 + 4 * i], "big") for i in range(count)] + [len(frame)]
    return json.loads(frame[offsets[0]:offsets[1]])


class Kernel:
    """A lesson opened by a student: a session of their own server, driven over the kernel's websocket."""

    def __init__(self, student: Student, path: str):
        self.student, self.path = student, path
        self.client_session = uuid.uuid4().hex
        self.ws: websocket.WebSocket | None = None
        self.session_id = ""
        self._until_ready()

    def _open_session(self) -> None:
        """Open the notebook as a session of the student's server (which starts its kernel), and connect."""
        r = self.student.post("api/sessions", {"path": self.path, "type": "notebook", "name": Path(self.path).name,
                                               "kernel": {"name": "python3"}})
        r.raise_for_status()
        self.session_id, self.kernel_id = r.json()["id"], r.json()["kernel"]["id"]
        url = self.student.base.replace("http", "ws", 1) + f"api/kernels/{self.kernel_id}/channels"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {self.student.token}"],
                                              timeout=120)

    def _until_ready(self, tries: int = 3) -> None:
        """Wait until the kernel answers. On one machine another process can take a port in the instant between the
        server choosing it and the kernel binding it ("Address already in use" in the hub's log): that kernel never
        answers. As a student would (Kernel → Restart, or close and reopen), it is started again, at most
        ``tries`` times; each time is counted in the student's timings as ``kernel_restarts``."""
        for attempt in range(tries):
            try:
                self._open_session()
                self.run("None")
                self.ws.settimeout(300)
                return
            except (websocket.WebSocketException, OSError, RuntimeError, requests.HTTPError):
                if attempt == tries - 1:
                    raise
            self.student.timings["kernel_restarts"] = self.student.timings.get("kernel_restarts", 0) + 1
            self.close()  # ends the session and its kernel, if the server still has it

    def run(self, code: str) -> list[dict]:
        """Execute one cell; returns its outputs in nbformat's shape (an error output if the cell failed)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.student.name, "session": self.client_session,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs: list[dict] = []
        replied = idle = False
        while not (replied and idle):
            msg = _decode(self.ws.recv())
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] in ("restarting", "dead"):
                raise RuntimeError(f"{self.student.name}'s kernel {msg['content']['execution_state']} while running "
                                   "the lesson (see the hub's log)")
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "execute_reply":
                replied = True
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "stream":
                outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("display_data", "execute_result"):
                out = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
                if kind == "execute_result":
                    out["execution_count"] = content.get("execution_count")
                outputs.append(out)
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                                "traceback": content["traceback"]})
        return outputs

    def run_notebook(self, nb: dict) -> dict:
        """Every code cell in order, like Run All; returns the notebook with the outputs filled in."""
        nb = json.loads(json.dumps(nb))
        for count, cell in enumerate((c for c in nb["cells"] if c["cell_type"] == "code"), 1):
            cell["outputs"] = self.run("".join(cell["source"]))
            cell["execution_count"] = count
        return nb

    def close(self) -> None:
        """Close the websocket and end the session (and its kernel), as closing the notebook does."""
        if self.ws is not None:
            self.ws.close()
        if self.session_id:
            requests.delete(self.student.base + f"api/sessions/{self.session_id}",
                            headers={"Authorization": f"token {self.student.token}"}, timeout=60)


def errors(nb: dict) -> list[str]:
    """Every error output of a run notebook, as 'ename: evalue'."""
    return [f"{o['ename']}: {o['evalue']}" for c in nb["cells"] if c["cell_type"] == "code"
            for o in c.get("outputs", []) if o["output_type"] == "error"]


def output_text(nb: dict) -> str:
    """All text and HTML a run notebook showed, for looking for a word."""
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []) if c["cell_type"] == "code" else []:
            parts.append(o.get("text", ""))
            for mime in ("text/plain", "text/html"):
                value = o.get("data", {}).get(mime, "")
                parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def _processes_under(folder: Path) -> list[int]:
    """Processes whose working folder is inside ``folder`` (Linux /proc): the students' servers and kernels."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")).is_relative_to(folder):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def copy_repository(dest: Path) -> Path:
    """A local git copy of the project as committed plus what is changed and not yet committed (so the test runs
    the code under test), on branch main: the 'upstream' a hub's link points at."""
    dest.mkdir(parents=True)
    copy_collection(dest, uncommitted=True)
    git = ["git", "-c", "user.name=Teacher", "-c", "user.email=teacher@school.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "the collection"], cwd=dest, check=True)
    return dest


def commit(repo: Path, message: str) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=Teacher", "-c", "user.email=teacher@school.invalid", "commit", "-q",
                    "-m", message], cwd=repo, check=True)


