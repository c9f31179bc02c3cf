"""The collection as an installed package: the wheel a hub administrator installs carries every subpackage, the data
and the texts, and a lesson runs from it outside the checkout; the Jupyter defaults are written all or nothing.

The wheel is built once (pip, with setuptools from the package index as pyproject.toml asks) and installed without
dependencies into a fresh virtual environment that borrows the project environment's packages through a path file
(which leaves the project's own editable install of ``helpers`` out), so the test costs seconds, not a full install.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def tracked(*folders: str) -> list[str]:
    """Files git tracks under ``folders``."""
    out = subprocess.run(["git", "ls-files", "-z", *folders], cwd=ROOT, capture_output=True, check=True).stdout
    return [name for name in out.decode().split("\0") if name]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (found,) = out.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """A new virtual environment seeing the project environment's packages, but not its ``helpers``."""
    env = tmp_path_factory.mktemp("venv")
    venv.create(env, with_pip=False)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env


def python(env: Path) -> str:
    return str(env / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))


def test_wheel_carries_every_subpackage_and_every_data_and_seed_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(ROOT)).replace(os.sep, "/") for p in (ROOT / "helpers").rglob("__init__.py")}
    missing_code = [f"{p}/__init__.py" for p in packages if f"{p}/__init__.py" not in names]
    assert not missing_code, f"not in the wheel: {missing_code}: list the package in pyproject.toml"
    data = {n.split(".data/data/share/what-went-wrong/", 1)[1] for n in names if ".data/data/share/" in n}
    missing = sorted(set(tracked("data", "seeds")) - data)
    assert not missing, (f"not in the wheel: {missing}: add their folder to [tool.setuptools.data-files] in "
                         "pyproject.toml")


def test_jupyter_config_refuses_without_the_package_and_writes_nothing(fresh):
    proc = subprocess.run([python(fresh), str(ROOT / "scripts" / "jupyter_config.py")], capture_output=True,
                          text=True, cwd=fresh, env={**os.environ, "JUPYTERLAB_DIR": str(fresh / "lab")})
    assert proc.returncode != 0
    assert "cannot import the save hook" in proc.stderr and "pip install ." in proc.stderr, proc.stderr
    assert not (fresh / "etc").exists() and not (fresh / "share").exists() and not (fresh / "lab").exists()


def test_a_lesson_runs_from_the_installed_wheel_outside_the_checkout(wheel, fresh, tmp_path, monkeypatch):
    subprocess.run([python(fresh), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True)
    where = subprocess.run([python(fresh), "-c", "import helpers.sources as s; print(s.__file__); print(s.ROOT)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert not where[0].startswith(str(ROOT)) and not where[1].startswith(str(ROOT)), where
    assert Path(where[1]) == fresh / "share" / "what-went-wrong"
    # the Jupyter defaults now install into that environment, and a kernel of it runs a lesson copied elsewhere
    env = {**os.environ, "JUPYTERLAB_DIR": str(fresh / "lab"), "WWW_ANSWERS_DIR": str(tmp_path / "answers"),
           "JUPYTER_PATH": str(tmp_path / "kernels")}
    subprocess.run([python(fresh), str(ROOT / "scripts" / "jupyter_config.py")], check=True, capture_output=True,
                   env=env)
    config = json.loads((fresh / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    assert config["ContentsManager"]["pre_save_hook"] == "helpers.savehook.pre_save"
    spec = tmp_path / "kernels" / "kernels" / "wheel"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python(fresh), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "wheel", "language": "python"}))
    lesson = tmp_path / "lesson"
    lesson.mkdir()
    nb = nbformat.read(ROOT / "notebooks" / "01_molyneux.ipynb", as_version=4)
    for k in ("WWW_ANSWERS_DIR", "JUPYTER_PATH"):
        monkeypatch.setenv(k, env[k])
    NotebookClient(nb, timeout=300, kernel_name="wheel", resources={"metadata": {"path": str(lesson)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0]
    text = json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"])
    assert "Molyneux" in text and "Hand in my answers" in text
