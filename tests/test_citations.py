"""The citation policy (data/README.md, 'Citations'): every citation in data/ names a work and links only where the
work lives; the hosts list itself is well formed; what students see in the stored notebooks obeys the same list."""
import json
import re
from pathlib import Path

import pytest

from helpers import citations
from helpers.context import TABLES, _read_rows, validate
from helpers.sources import DATA_DIR, all_sources

ROOT = Path(__file__).resolve().parents[1]
CITATION_COLUMNS = [(t.file, name) for t in TABLES.values() for name, col in t.columns.items() if col.kind == "citation"]


def test_every_column_that_names_a_source_is_checked_as_a_citation():
    named = {(t.file, name) for t in TABLES.values() for name in t.columns
             if name in ("citation", "source", "compare_citation") and t.file != "prompts.csv"}
    assert named == set(CITATION_COLUMNS) and len(named) >= 6


@pytest.mark.parametrize(("file", "column"), CITATION_COLUMNS)
def test_every_citation_meets_the_policy(file, column):
    bad = [f"data/{file}, line {line}, {column}: {'; '.join(p)}"
           for line, row in _read_rows(DATA_DIR / file)[1]
           if row.get(column) and (p := citations.problems(row[column]))]
    assert not bad, "\n".join(bad)


def test_the_hosts_list_is_consistent():
    hosts = citations.load_hosts()
    names = [h.host for h in hosts]
    assert len(names) == len(set(names)), "a host is listed twice"
    assert all(h.kind for h in hosts if h.status == "allowed"), "an allowed host needs the kind of place it is"
    for kind in ("Wikipedia", "archive", "DOI", "publisher", "statistics", "library"):
        assert any(h.kind == kind for h in hosts), kind


@pytest.mark.parametrize(("link", "status"), [
    ("https://en.wikipedia.org/wiki/Cheka", "allowed"),
    ("https://fr.wikipedia.org/wiki/Commune_de_Paris", "allowed"),
    ("https://www.marxists.org/archive/lenin/", "allowed"),
    ("https://marxists.pages.dev/archive/lenin/", "refused"),     # a mirror is not the archive
    ("http://www.princeton.edu/~achaney/tmve/wiki100k/docs/X.html", "refused"),  # a path prefix refuses a copy
    ("https://homsy-staging.cambridgecore.org/core/journals/x", "refused"),  # staging, not cambridge.org
    ("https://en.m.wikipedia.org./wiki/X", "allowed"),           # trailing dot and mobile sub-domain
])
def test_hosts_are_matched_by_domain_and_path(link, status):
    assert citations.rule_for(link).status == status


@pytest.mark.parametrize(("text", "expected"), [
    ("https://en.wikipedia.org/wiki/Cheka", "names no work"),
    ("History Central, 'Lenin Dies', https://www.historycentral.com/Europe/LeninDies.html", "refused"),
    ("Some Author, A Book", "names no year"),
    ("Some Author, A Book (2001), https://no-such-host.example/x", "not in data/citation_hosts.csv"),
])
def test_bad_citations_are_named_with_a_reason(text, expected):
    assert any(expected in p for p in citations.problems(text))


def test_a_bad_citation_in_a_data_file_is_reported_with_file_line_and_column(tmp_path):
    for t in TABLES.values():
        (tmp_path / t.file).write_bytes((DATA_DIR / t.file).read_bytes())
    events = (tmp_path / "events.csv").read_bytes().split(b"\r\n")
    n = next(i for i, line in enumerate(events) if b"https://en.wikipedia.org/wiki/" in line)
    events[n] = events[n].replace(b"https://en.wikipedia.org/wiki/", b"https://www.liquisearch.com/", 1)
    (tmp_path / "events.csv").write_bytes(b"\r\n".join(events))
    problems = [str(p) for p in validate(tmp_path, ("events",))]
    assert any(p.startswith(f"data/events.csv, line {n + 1}: citation links to liquisearch.com, refused")
               for p in problems), problems


def test_a_damaged_hosts_list_is_named(tmp_path):
    bad = tmp_path / "citation_hosts.csv"
    bad.write_text("host,status,kind,reason\r\nexample.org,maybe,,\r\n", encoding="utf-8")
    with pytest.raises(ValueError, match="citation_hosts.csv, line 2"):
        citations.load_hosts(bad)
    with pytest.raises(FileNotFoundError, match="missing"):
        citations.load_hosts(tmp_path / "nothing.csv")


def test_links_students_see_in_the_stored_notebooks_obey_the_hosts_list():
    """Every link in a notebook's saved outputs: what a class sees before anyone runs a cell."""
    tool_hosts = ("jupyter.org", "mybinder.org", "github.com", "w3.org")  # the software's own pages, not citations
    provenance = {s.url for s in all_sources()}  # where each source text was taken from: shown, never a citation
    bad = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        text = json.dumps([c.get("outputs", []) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]])
        for link in re.findall(r"https?://[^\s\"'<>\\;,)\]]+", text):
            rule = citations.rule_for(link)
            if (rule is None or rule.status == "refused") and link not in provenance and not any(h in link for h in tool_hosts):
                bad.add(f"{path.name}: {link}")
    assert not bad, "\n".join(sorted(bad))


def test_a_year_after_a_bare_link_is_not_a_year_of_publication():
    """The loophole the historian's review found: a bare URL plus the event's own year in a note passed as a
    citation (fix: name author or body, title and year before the link)."""
    from helpers.citations import problems
    found = problems("https://www.marxists.org/archive/lenin/works/1917/apr/04.htm (Lenin spoke on 4 April 1917)")
    assert found == ["the link https://www.marxists.org/archive/lenin/works/1917/apr/04.htm follows no named work: "
                     "put author or body, title and year before it"]
    assert problems("V. I. Lenin, 'The Tasks of the Proletariat in the Present Revolution', Pravda, 7 April 1917; "
                    "https://www.marxists.org/archive/lenin/works/1917/apr/04.htm") == []
