"""The dashboard reads a learning platform's "download all submissions" zip as it is (helpers/lmszip.py): a zip in
each platform's layout, made here from real hand-ins, loads every student; files it cannot read are named."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from helpers import lmszip
from helpers.answers import AnswerStore, export_handin
from helpers.dashboard import load_class

STUDENTS = ["Ana Ivanova", "Ben Okafor", "Chloé Martin"]


@pytest.fixture(scope="module")
def handins(tmp_path_factory) -> dict[str, bytes]:
    """One real hand-in file per student, as the button makes it."""
    out = {}
    for name in STUDENTS:
        store = AnswerStore(tmp_path_factory.mktemp("answers"))
        store.set_student(name)
        store.save("molyneux-exit", f"Isolation, says {name}.", "01_molyneux")
        out[name] = export_handin(store).read_bytes()
    return out


def layouts(handins: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """Member name → bytes, per platform, as each names a class's submissions (see helpers/lmszip.py)."""
    file = {n: "what-went-wrong-handin-" + n.split()[0].lower() + ".html" for n in STUDENTS}
    return {
        "moodle": {f"{n}_{100 + i}_assignsubmission_file_{file[n]}": handins[n] for i, n in enumerate(STUDENTS)}
        | {f"{STUDENTS[0]}_100_assignsubmission_onlinetext_onlinetext.html": b"<p>I handed in below.</p>"},
        "moodle-folders": {f"{n}_{100 + i}_assignsubmission_file/{file[n]}": handins[n]
                           for i, n in enumerate(STUDENTS)} | {"__MACOSX/._x.html": b"\0\0"},
        "canvas": {(n.split()[1] + n.split()[0]).lower() + ("_LATE" if i == 2 else "") + f"_{i}_{900 + i}_{file[n]}":
                   handins[n] for i, n in enumerate(STUDENTS)},
        "google-classroom": {f"Lesson 1 hand-in/{n} - {file[n]}": handins[n] for n in STUDENTS},
    }


@pytest.mark.parametrize("platform", ["moodle", "moodle-folders", "canvas", "google-classroom"])
def test_a_platforms_zip_loads_every_student_as_it_is(handins, tmp_path, platform):
    zipped = tmp_path / f"{platform}-submissions.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in layouts(handins)[platform].items():
            z.writestr(member, data)
    for where in (zipped, tmp_path):  # the zip itself, or the folder it was downloaded into
        results = load_class(where)
        assert sorted(results.students) == sorted(STUDENTS), results.problems
    skipped = [p for p in load_class(zipped).problems if p.skipped]
    if platform == "moodle":  # the online-text page is named, with its path in the zip, and not taken for a hand-in
        (problem,) = skipped
        assert problem.file.startswith(f"{zipped.name} › Ana Ivanova_100_assignsubmission_onlinetext")
        assert "not a What Went Wrong? hand-in" in problem.message
    else:
        assert skipped == []


def test_a_damaged_zip_is_named_and_the_rest_of_the_folder_loads(handins, tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    (tmp_path / "ana.html").write_bytes(handins["Ana Ivanova"])
    results = load_class(tmp_path)
    assert results.students == ["Ana Ivanova"]
    assert [(p.file, p.kind) for p in results.problems] == [("broken.zip", "corrupt")]
    assert "Download it again" in results.problems[0].message


def test_oversized_members_and_too_many_members_are_refused_by_name(tmp_path, monkeypatch):
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.html", b"0" * (lmszip.MAX_HANDIN_BYTES + 1))
    (name, problem), = list(lmszip.members(big))
    assert name == "big.zip › huge.html" and "more than a hand-in can have" in str(problem)
    monkeypatch.setattr(lmszip, "MAX_MEMBERS", 2)
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(3):
            z.writestr(f"{i}.html", b"x")
    with pytest.raises(lmszip.ZipProblem, match="many.zip: 3 files"):
        list(lmszip.members(many))


def test_member_paths_are_labels_never_paths_on_disk(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../../outside.html", b"<p>x</p>")
    results = load_class(evil)
    assert [p.file for p in results.problems] == ["evil.zip › .. › .. › outside.html"]
    assert not (tmp_path.parent.parent / "outside.html").exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "evil.zip"]
    assert Path(results.folder) == evil
