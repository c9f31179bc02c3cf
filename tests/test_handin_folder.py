"""The hub's hand-in folder (helpers/handinfolder.py): one click puts a student's file there, one file per student and
lesson, atomically, never over another student's; a missing or unwritable folder is refused with a sentence. With
real accounts (as root, like CI): in the folder the README tells an administrator to make (mode 3773, group
teachers) a student can hand in but cannot list, read, replace or delete another student's file; a teacher reads
them all, and the dashboard offers the folder.
"""
from __future__ import annotations

import grp
import json
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from helpers import classview
from helpers.answers import AnswerStore, read_handin
from helpers.dashboard import load_class
from helpers.handinfolder import ENV_VAR, HandinFolderError, folder_file_name, hand_in_to_folder

EXERCISE = "molyneux-exit"


def store_for(root: Path, name: str) -> AnswerStore:
    s = AnswerStore(root)
    s.set_student(name)
    s.save(EXERCISE, f"An answer by {name}", "01_molyneux")
    return s


def test_a_hand_in_lands_in_the_folder_named_for_account_and_lesson(tmp_path, monkeypatch):
    drop = tmp_path / "drop"
    drop.mkdir()
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/ana/what-went-wrong/notebooks/01_molyneux.ipynb")
    written = hand_in_to_folder(store_for(tmp_path / "a", "Ana"), drop)
    assert written.name == folder_file_name("Ana", "ana", "01_molyneux") and written.parent == drop
    assert read_handin(written).student == "Ana" and oct(written.stat().st_mode & 0o777) == "0o640"
    again = hand_in_to_folder(store_for(tmp_path / "a", "Ana"), drop)  # the newest replaces her own, nothing else
    assert again == written and [p.name for p in drop.iterdir()] == [written.name]
    monkeypatch.setenv("JUPYTERHUB_USER", "ben")
    hand_in_to_folder(store_for(tmp_path / "b", "Ana"), drop)  # the same typed name on another account
    assert len(list(drop.iterdir())) == 2


def test_a_missing_folder_or_a_file_is_refused_with_a_sentence_and_the_answers_stay(tmp_path):
    s = store_for(tmp_path / "a", "Ana")
    for bad in (tmp_path / "nowhere", tmp_path / "a-file"):
        if bad.name == "a-file":
            bad.write_text("x")
        with pytest.raises(HandinFolderError, match="does not exist.*download"):
            hand_in_to_folder(s, bad)
    assert s.load(EXERCISE) == "An answer by Ana"


def test_the_dashboard_offers_the_hubs_folder_and_sees_new_hand_ins(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert tmp_path in classview.class_folders()
    before = classview.folder_signature(tmp_path)
    hand_in_to_folder(store_for(tmp_path / "a", "Ana"), tmp_path, lesson="01_molyneux")
    assert classview.folder_signature(tmp_path) != before
    assert load_class(tmp_path).students == ["Ana"]


# ---------------------------------------------------------------------------------------------------------------------
# Real accounts: what a student can and cannot do in the folder
# ---------------------------------------------------------------------------------------------------------------------

ACCOUNTS = ("wwwtest-s1", "wwwtest-s2", "wwwtest-teacher")
GROUP = "wwwtest-teachers"


@pytest.fixture(scope="module")
def accounts():
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd, to make real accounts (CI has both)")
    made = []
    subprocess.run(["groupadd", "-f", GROUP], check=True)
    for name in ACCOUNTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
            made.append(name)
    subprocess.run(["usermod", "-aG", GROUP, "wwwtest-teacher"], check=True)
    yield
    for name in made:
        subprocess.run(["userdel", name], check=False)
    subprocess.run(["groupdel", GROUP], check=False)


def as_user(user: str, action) -> dict:
    """Run ``action()`` in a child process with ``user``'s identity and groups; its result or its error."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become the user, act, report, exit
        try:
            os.close(read)
            entry = pwd.getpwnam(user)
            os.setgroups(os.getgrouplist(user, entry.pw_gid))
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            os.environ["JUPYTERHUB_USER"] = user
            out = {"ok": action()}
        except BaseException as e:  # noqa: BLE001 (reported to the parent)
            out = {"error": type(e).__name__, "message": str(e)}
        os.write(write, json.dumps(out).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def test_students_add_files_but_cannot_list_read_replace_or_delete_others(accounts):
    base = Path(tempfile.mkdtemp(prefix="www-handins-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        drop = base / "hand-ins"
        drop.mkdir()
        os.chown(drop, 0, grp.getgrnam(GROUP).gr_gid)
        os.chmod(drop, 0o3773)  # the README's `install -d -o root -g teachers -m 3773`
        homes = {}
        for user in ACCOUNTS[:2]:
            homes[user] = base / user
            homes[user].mkdir()
            os.chown(homes[user], pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)

        def hand_in(user):
            return lambda: hand_in_to_folder(store_for(homes[user], user.title()), drop, lesson="01_molyneux").name

        first = as_user("wwwtest-s1", hand_in("wwwtest-s1"))
        second = as_user("wwwtest-s2", hand_in("wwwtest-s2"))
        assert "ok" in first and "ok" in second, (first, second)
        assert as_user("wwwtest-s1", hand_in("wwwtest-s1")) == first  # her own file replaced, by her
        target = drop / first["ok"]

        def try_to(what):
            def attempt():
                if what == "list":
                    return os.listdir(drop)
                if what == "read":
                    return target.read_text()[:10]
                if what == "delete":
                    return target.unlink()
                fake = drop / ".fake"
                fake.write_text("not Ana's work")
                return os.replace(fake, target)
            return attempt

        for what in ("list", "read", "delete", "replace"):
            result = as_user("wwwtest-s2", try_to(what))
            assert result.get("error") == "PermissionError", f"a student could {what} another's hand-in: {result}"
        teacher = as_user("wwwtest-teacher", lambda: sorted(load_class(drop).students))
        assert teacher == {"ok": ["Wwwtest-S1", "Wwwtest-S2"]}, teacher
        assert read_handin(target).answers[EXERCISE].value == "An answer by Wwwtest-S1"
        # a folder a student may not write: refused with a sentence, nothing left behind
        closed = base / "closed"
        closed.mkdir(mode=0o755)
        refused = as_user("wwwtest-s1", lambda: hand_in_to_folder(store_for(homes["wwwtest-s1"], "S1"), closed,
                                                                   lesson="01_molyneux").name)
        assert refused["error"] == "HandinFolderError" and "Permission denied" in refused["message"], refused
        assert list(closed.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_on_kubernetes_the_teacher_reads_every_students_subfolder(tmp_path, monkeypatch):
    """binder/hub/z2jh-values.yaml: each student's server mounts its own subfolder; a teacher's, the whole volume."""
    for user, name in (("ana", "Ana"), ("ben", "Ben")):
        (tmp_path / user).mkdir()
        monkeypatch.setenv("JUPYTERHUB_USER", user)
        hand_in_to_folder(store_for(tmp_path / f"store-{user}", name), tmp_path / user, lesson="01_molyneux")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert load_class(tmp_path).students == ["Ana", "Ben"]
    monkeypatch.delenv(ENV_VAR)  # any other folder is read as it is, without its subfolders
    assert load_class(tmp_path).students == []
