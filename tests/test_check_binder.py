"""The Binder files (binder/) and their check (scripts/check_binder.py).

The fast tests pin the files' consistency: exact pins inside pyproject.toml's ranges, the Python version, postBuild's
duties, settings that JupyterLab's own schemas accept. The slow one builds the Binder environment for real.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
SCRIPT = ROOT / "scripts" / "check_binder.py"

spec = importlib.util.spec_from_file_location("check_binder", SCRIPT)
check_binder = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = check_binder  # dataclasses look their module up there
spec.loader.exec_module(check_binder)


def binder_pins() -> dict[str, Requirement]:
    lines = (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()
    reqs = [Requirement(line.split("#")[0].strip()) for line in lines if line.split("#")[0].strip()]
    return {canonicalize_name(r.name): r for r in reqs}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_requirement_is_pinned_to_one_version():
    for name, req in binder_pins().items():
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{name}: pin one exact version (name==x.y.z)"


def test_pins_lie_inside_pyproject_ranges():
    pins = binder_pins()
    for dep in pyproject()["project"]["dependencies"]:
        req = Requirement(dep)
        name = canonicalize_name(req.name)
        assert name in pins, f"pyproject.toml needs {dep!r}, but binder/requirements.txt does not pin {name}"
        version = next(iter(pins[name].specifier)).version
        assert req.specifier.contains(version, prereleases=True), \
            f"binder pins {name}=={version}, outside pyproject.toml's {dep!r}"


def test_runtime_is_a_python_the_project_accepts():
    major, minor = check_binder.runtime_version((BINDER / "runtime.txt").read_text())
    requires = pyproject()["project"]["requires-python"]
    assert Requirement(f"python{requires}").specifier.contains(f"{major}.{minor}")
    # Binder's default Python (3.10) would quietly get pandas 2: the file must stay
    assert (major, minor) >= (3, 11)


def test_postbuild_stops_on_errors_installs_the_package_and_the_settings():
    text = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n")
    assert "set -e" in text
    assert "pip install" in text and "-e ." in text
    assert "python scripts/jupyter_config.py" in text
    assert "python scripts/warm_figures.py" in text  # a Binder class starts with every figure already drawn
    assert os.access(BINDER / "postBuild", os.X_OK), "postBuild should be executable (chmod +x)"


def test_jupyter_config_installs_settings_css_and_merges_the_save_hook(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("jupyter_config", BINDER.parent / "scripts" / "jupyter_config.py")
    jc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(jc)
    monkeypatch.setenv("JUPYTERLAB_DIR", str(tmp_path / "lab"))
    server = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    server.parent.mkdir(parents=True)
    server.write_text(json.dumps({"ServerApp": {"open_browser": False, "tornado_settings": {"hub": 1}}}))  # a hub's
    settings, css, written, *extension = jc.install(tmp_path)
    assert any(p.name == "package.json" and "what-went-wrong-keys" in p.parts for p in extension)
    assert json.loads(settings.read_text()) == json.loads((BINDER / "jupyterlab-settings.json").read_text())
    config = json.loads(written.read_text())
    assert config["ServerApp"] == {"open_browser": False,  # … own settings survive
                                   "tornado_settings": {"hub": 1, "static_custom_path": [str(css.parent)]}}
    assert config["LabApp"] == {"custom_css": True} and css.name == "custom.css"
    assert css.read_text().startswith((BINDER / "custom.css").read_text()) and ".www-passage" in css.read_text()
    assert config["ContentsManager"]["pre_save_hook"] == "helpers.savehook.pre_save"


def _schema(plugin_id: str) -> dict:
    """JupyterLab's settings schema for a plugin id like '@jupyterlab/notebook-extension:tracker'."""
    package, plugin = plugin_id.split(":")
    share = Path(sys.prefix) / "share" / "jupyter"
    for path in (share / "lab" / "schemas" / package / f"{plugin}.json",
                 share / "labextensions" / package / "schemas" / package / f"{plugin}.json"):
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    raise AssertionError(f"no settings schema for {plugin_id} in {share}: a plugin id is misspelt")


def test_settings_are_known_to_jupyterlab_and_valid():
    settings = json.loads((BINDER / "jupyterlab-settings.json").read_text(encoding="utf-8"))
    assert settings["@jupyterlab/notebook-extension:tracker"]["autoStartDefaultKernel"] is True
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert "saveState" in settings["@jupyter-widgets/jupyterlab-manager:plugin"]
    for plugin_id, values in settings.items():
        schema = _schema(plugin_id)
        unknown = set(values) - set(schema.get("properties", {}))
        assert not unknown, f"{plugin_id} has no setting {sorted(unknown)}"
        jsonschema.validate(values, {**schema, "required": []})


def test_widget_extension_line_is_recognised():
    ok = "        @jupyter-widgets/jupyterlab-manager v5.0.16 \x1b[32menabled\x1b[0m \x1b[32mOK\x1b[0m (python, jupyterlab_widgets)"
    assert check_binder.extension_ok("JupyterLab v4.6.6\n" + ok)
    assert not check_binder.extension_ok(ok.replace("enabled", "disabled"))
    assert not check_binder.extension_ok(ok.replace("OK", "X"))
    assert not check_binder.extension_ok("        jupyterlab_pygments v0.3.0 enabled OK")


def test_notebooks_are_checked_with_the_projects_own_nbval_options():
    opts = check_binder.nbval_options()
    assert "--nbval" in opts and any(o.startswith("--nbval-sanitize-with") for o in opts)


def test_settings_mismatches_names_plugin_key_and_values():
    wanted = {"p:x": {"a": True, "b": "false"}}
    assert check_binder.settings_mismatches(wanted, {"p:x": {"a": True, "b": "false", "c": 1}}) == []
    assert check_binder.settings_mismatches(wanted, {"p:x": {"a": False, "b": "false"}}) == \
        ["p:x → a: wanted True, served False"]
    assert len(check_binder.settings_mismatches(wanted, {})) == 2


def test_runtime_txt_in_a_wrong_form_is_refused():
    with pytest.raises(check_binder.CheckFailed, match="python-3.11"):
        check_binder.runtime_version("3.11")


@pytest.mark.slow
def test_binder_environment_builds_and_runs_every_notebook():
    """A fresh environment from binder/ alone: pip check, postBuild, widget extension, settings, nbval (~1–2 min)."""
    proc = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, f"scripts/check_binder.py failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
