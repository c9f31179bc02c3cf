"""The registry of source texts: who wrote each one, when, where, and which seed file holds it.

Read from ``data/sources.csv`` with the standard library only, so that loading a text stays cheap.
"""
from __future__ import annotations

import csv
import sys
import sysconfig
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


def collection_root(package_dir: Path = Path(__file__).resolve().parent) -> Path:
    """The folder holding the collection's ``data/`` and ``seeds/``: the one around the package when it has them (a
    checkout, an editable install, the copy a student pulled on a hub: what runs is what was pulled), else the copy
    a wheel installs under ``<prefix>/share/what-went-wrong/`` (pyproject.toml's data-files). When neither has
    ``data/sources.csv``, the package's own folder, so that loading names the missing file there.

    >>> (collection_root() / "data" / "sources.csv").is_file()
    True
    """
    prefixes = (sysconfig.get_path("data"), sys.prefix, sysconfig.get_path("data", "posix_user"))
    candidates = [package_dir.parent, *(Path(p) / "share" / "what-went-wrong" for p in prefixes)]
    for root in candidates:
        if (root / "data" / "sources.csv").is_file():
            return root
    return package_dir.parent


ROOT = collection_root()
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
SOURCES_CSV = DATA_DIR / "sources.csv"

_REQUIRED = (
    "source_id", "slug", "label", "seed_file", "title", "author", "date", "date_precision",
    "date_note", "publication", "url", "genre", "audience", "description",
)


class UnknownSourceError(KeyError):
    """Raised for a source id or slug that is not in ``data/sources.csv``."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0])


@dataclass(frozen=True)
class Source:
    """One source text's provenance: the facts a source card shows."""

    source_id: str
    slug: str
    label: str
    seed_file: str
    title: str
    author: str
    date: str
    date_precision: str
    date_note: str
    publication: str
    url: str
    genre: str
    audience: str
    description: str

    @property
    def seed_path(self) -> Path:
        """Where the byte-for-byte copy of the text lives."""
        return SEEDS_DIR / self.seed_file


@lru_cache(maxsize=1)
def all_sources() -> tuple[Source, ...]:
    """Every registered source, in the order of ``data/sources.csv``."""
    if not SOURCES_CSV.exists():
        raise FileNotFoundError(f"The source registry {SOURCES_CSV} is missing: it lists the texts and their seeds.")
    with SOURCES_CSV.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{SOURCES_CSV}: missing column(s) {', '.join(missing)}")
        return tuple(Source(**{k: (row[k] or "").strip() for k in _REQUIRED}) for row in reader)


def get_source(key: str) -> Source:
    """Find a source by id ("000") or slug ("molyneux"); a clear error names the known ones."""
    key = str(key).strip()
    for source in all_sources():
        if key in (source.source_id, source.slug):
            return source
    known = ", ".join(f"{s.source_id} ({s.slug})" for s in all_sources())
    raise UnknownSourceError(f"No source {key!r}. Known sources: {known}.")
