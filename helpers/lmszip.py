"""Hand-in files inside a learning platform's "download all submissions" zip, read without unpacking.

Each platform names the files and folders its own way; the dashboard needs none of it, since every hand-in file
carries its student's name inside, but a teacher needs to recognise a file the dashboard could not read, so each one
is named by the zip and its path in it. The layouts (tests/test_lmszip.py builds a zip of each):

- **Moodle** (Assignment → "Download all submissions"): one file per submitted file, named
  ``Full Name_12345_assignsubmission_file_<original name>``; with "Download submissions in folders", one folder per
  student, ``Full Name_12345_assignsubmission_file/<original name>``; an online-text submission adds
  ``…_assignsubmission_onlinetext_onlinetext.html``, which is not a hand-in and is reported as such.
- **Canvas** (Assignment → "Download Submissions"): flat, ``lastnamefirstname_<ids>_<original name>``, with
  ``_LATE_`` after the name for a late one, for example ``ivanovaana_LATE_123_456_what-went-wrong-handin-….html``.
- **Google Classroom** (the assignment's Drive folder → Download): Drive's zip,
  ``<assignment folder>/<Full Name> - <original name>`` (one folder level, sometimes more).

Limits keep a damaged or hostile zip harmless: members are read, never extracted (their paths are labels only);
at most MAX_MEMBERS members and MAX_TOTAL_BYTES uncompressed are looked at, each member at most the size of a
hand-in, and a member whose size the zip misstates is cut at that limit. Everything else (folders, macOS's
``__MACOSX`` copies, hidden files, files that are not .html/.htm/.json) is skipped silently.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterator

from .answers import MAX_HANDIN_BYTES

MAX_MEMBERS = 5_000
MAX_TOTAL_BYTES = 400_000_000
SUFFIXES = (".html", ".htm", ".json")


class ZipProblem(Exception):
    """A zip, or one member, that cannot be read; the message names it."""


def label(zip_path: Path, member: str) -> str:
    """How a member is named to the teacher: the zip's name, then its path inside, with › between folders.

    >>> label(Path("/x/Essay-submissions.zip"), "Ana Ivanova_12_assignsubmission_file/hand-in.html")
    'Essay-submissions.zip › Ana Ivanova_12_assignsubmission_file › hand-in.html'
    """
    return " › ".join([zip_path.name, *[part for part in member.split("/") if part]])


def wanted(member: str) -> bool:
    """A member worth reading: a hand-in's suffix, not a folder, not hidden, not macOS's resource copy.

    >>> [wanted(m) for m in ("a/b.html", "__MACOSX/a/._b.html", "a/", "notes.txt", "a/.x.html", "../b.html")]
    [True, False, False, False, False, True]
    """
    parts = [p for p in member.split("/") if p]
    return (not member.endswith("/") and bool(parts) and parts[0] != "__MACOSX"
            and not parts[-1].startswith(".") and member.lower().endswith(SUFFIXES))


def members(zip_path: Path) -> Iterator[tuple[str, bytes | ZipProblem]]:
    """Each hand-in-like member of the zip as (label, its bytes), or (label, the problem reading it).
    ZipProblem (for the whole zip) when it is not a zip, is damaged, or is over the limits."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile, ValueError) as e:
        raise ZipProblem(f"{zip_path.name}: not a zip file that can be read ({e}). Download it again from the "
                         "platform.") from e
    with archive:
        infos = [i for i in archive.infolist() if wanted(i.filename)]
        if len(archive.infolist()) > MAX_MEMBERS:
            raise ZipProblem(f"{zip_path.name}: {len(archive.infolist()):,} files, more than the {MAX_MEMBERS:,} a "
                             "class's submissions have. Download one assignment at a time.")
        total = 0
        for info in sorted(infos, key=lambda i: i.filename):
            name = label(zip_path, info.filename)
            if info.file_size > MAX_HANDIN_BYTES:
                yield name, ZipProblem(f"{name}: {info.file_size:,} bytes, more than a hand-in can have.")
                continue
            try:
                with archive.open(info) as f:
                    data = f.read(MAX_HANDIN_BYTES + 1)
            except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError) as e:
                yield name, ZipProblem(f"{name}: could not be read from the zip ({e}).")
                continue
            total += len(data)
            if total > MAX_TOTAL_BYTES:
                raise ZipProblem(f"{zip_path.name}: more than {MAX_TOTAL_BYTES:,} bytes unpacked; only what came "
                                 "before was read. Download one assignment at a time.")
            yield name, data if len(data) <= MAX_HANDIN_BYTES else ZipProblem(
                f"{name}: larger than its zip entry says; not a hand-in.")
