"""The source registry and the seed files it points at."""
import hashlib
import re

import pytest

from helpers.sources import SEEDS_DIR, UnknownSourceError, all_sources, get_source
from tests.conftest import SHARED_SEEDS


def test_every_source_has_complete_provenance():
    sources = all_sources()
    assert sources, "data/sources.csv lists no text"
    ids = [s.source_id for s in sources]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and all(re.fullmatch(r"\d{3}", i) for i in ids)
    assert len({s.slug for s in sources}) == len(sources)
    for s in sources:
        assert s.title and s.author and s.publication and s.genre and s.description
        assert s.date_precision in {"day", "month", "year", "circa", "not given"}
        assert (s.date == "") == (s.date_precision == "not given")
        if s.date:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.date)
        assert s.seed_path.is_file(), s.seed_path


def test_lookup_by_id_or_slug_and_clear_error():
    assert get_source("002") is get_source("siege")
    with pytest.raises(UnknownSourceError, match=r"No source 'trotsky'.*000 \(molyneux\)"):
        get_source("trotsky")


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seeds_are_byte_identical_to_the_handed_over_texts():
    ours = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in SEEDS_DIR.glob("*.txt")}
    theirs = sorted(SHARED_SEEDS.glob("*.txt"))
    assert theirs, "../shared/seeds holds no text"
    for p in theirs:
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        assert digest in ours, f"seeds/ has no byte-identical copy of {p.name}"
        assert ours[digest].startswith(p.name[:3]), f"{p.name} is stored under another number: {ours[digest]}"
    registered = {s.seed_file for s in all_sources()}
    assert set(ours.values()) == registered, "every file in seeds/ is a text of data/sources.csv, and back"
