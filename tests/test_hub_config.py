"""The hub configurations in binder/hub/: the JupyterHub part loads into a hub's configuration without undoing the
school's own settings; the Zero to JupyterHub values have the chart's structure, and the teachers' hook gives a
teacher the whole hand-in volume and a student only their own subfolder. (tests/test_hub.py runs a real hub with
the first; no Kubernetes cluster is to be had here: binder/hub/README.md says what was checked and what was not.)"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "binder" / "hub"


def load_hub_config(before: Config, env: dict[str, str], monkeypatch) -> Config:
    """Run binder/hub/jupyterhub_config.py as JupyterHub's load_subconfig does, on top of ``before``."""
    for key in ("WWW_HUB_HANDIN_DIR",):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = compile((HUB / "jupyterhub_config.py").read_text(encoding="utf-8"), "jupyterhub_config.py", "exec")
    exec(code, {"get_config": lambda: before, "__file__": str(HUB / "jupyterhub_config.py")})
    return before


def test_hub_config_sets_lab_the_hand_in_folder_and_culling_keeping_the_schools_own(monkeypatch):
    school = Config()
    school.Spawner.args = ["--allow-root"]
    school.Spawner.environment = {"SCHOOL": "1"}
    c = load_hub_config(school, {}, monkeypatch)
    assert c.Spawner.default_url == "/lab"
    assert c.Spawner.args[0] == "--allow-root"
    assert "--KernelManager.cache_ports=False" in c.Spawner.args  # a kernel that lost its port restarts on new ones
    env = c.Spawner.environment
    env = env.get_value({}) if hasattr(env, "get_value") else env
    assert env == {"SCHOOL": "1", "WWW_HANDIN_DIR": "/srv/what-went-wrong/hand-ins"}
    assert c.Spawner.mem_limit and c.Spawner.mem_guarantee


def test_hub_config_moves_or_switches_off_the_hand_in_folder(monkeypatch):
    moved = load_hub_config(Config(), {"WWW_HUB_HANDIN_DIR": "/data/handins"}, monkeypatch).Spawner.environment
    assert moved.get_value({}) == {"WWW_HANDIN_DIR": "/data/handins"}
    off = load_hub_config(Config(), {"WWW_HUB_HANDIN_DIR": ""}, monkeypatch)
    assert "environment" not in off.Spawner


# Keys of the jupyterhub Helm chart used in z2jh-values.yaml, as the chart's values.schema.yaml (4.x) defines them.
CHART_KEYS = {
    "singleuser": {"image", "defaultUrl", "memory", "cpu", "extraEnv", "storage"},
    "singleuser.image": {"name", "tag"},
    "singleuser.memory": {"guarantee", "limit"},
    "singleuser.cpu": {"guarantee", "limit"},
    "singleuser.storage": {"extraVolumes", "extraVolumeMounts"},
    "hub": {"extraConfig"},
    "cull": {"enabled", "timeout"},
}


def values() -> dict:
    return yaml.safe_load((HUB / "z2jh-values.yaml").read_text(encoding="utf-8"))


def test_z2jh_values_use_only_the_charts_keys_and_the_collections_settings():
    v = values()
    assert set(v) == {"singleuser", "hub", "cull"}
    for path, keys in CHART_KEYS.items():
        node = v
        for part in path.split("."):
            node = node[part]
        assert set(node) <= keys, f"{path}: {sorted(set(node) - keys)} is not a key of the chart"
    su = v["singleuser"]
    assert su["defaultUrl"] == "/lab" and su["extraEnv"]["WWW_HANDIN_DIR"] == "/srv/what-went-wrong/hand-ins"
    (mount,) = su["storage"]["extraVolumeMounts"]
    (volume,) = su["storage"]["extraVolumes"]
    assert mount["name"] == volume["name"] == "hand-ins" and mount["subPath"] == "{username}"
    assert mount["mountPath"] == su["extraEnv"]["WWW_HANDIN_DIR"]


def test_z2jh_teachers_hook_mounts_the_whole_volume_for_teachers_only():
    c = Config()
    exec(values()["hub"]["extraConfig"]["what-went-wrong-teachers"], {"c": c})
    hook = c.KubeSpawner.pre_spawn_hook
    mounts = [{"name": "home", "mountPath": "/home/jovyan", "subPath": "{username}"},
              {"name": "hand-ins", "mountPath": "/srv/what-went-wrong/hand-ins", "subPath": "{username}"}]

    def spawner(groups, volume_mounts):
        user = SimpleNamespace(groups=[SimpleNamespace(name=g) for g in groups])
        return SimpleNamespace(user=user, volume_mounts=volume_mounts)

    student = spawner(["class-9b"], [dict(m) for m in mounts])
    hook(student)
    assert student.volume_mounts == mounts
    teacher = spawner(["teachers"], [dict(m) for m in mounts])
    hook(teacher)
    assert teacher.volume_mounts[0] == mounts[0] and "subPath" not in teacher.volume_mounts[1]
    assert mounts[1]["subPath"] == "{username}"  # the shared configuration is not changed for the next student
    as_dict = spawner(["teachers"], {"b": dict(mounts[1])})
    hook(as_dict)
    assert as_dict.volume_mounts == {"b": {"name": "hand-ins", "mountPath": "/srv/what-went-wrong/hand-ins"}}
