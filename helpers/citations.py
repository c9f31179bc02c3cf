"""The citation policy: what a citation in ``data/`` must name, and where it may link.

A citation names the work a fact was checked in — who wrote or published it, its title, its year and, for a long
work, where in it (page, table, section) — so that a teacher can find it in a library. A link is optional; if there
is one it goes only to where that work properly lives: its publisher or DOI, an official statistics office, a
national library or archive, the Internet Archive, Wikipedia itself, marxists.org for the texts it hosts.

Which hosts are which is data, kept with its reasons in ``data/citation_hosts.csv``: a host marked ``refused``
(mirrors, content farms, essay mills, pirate libraries, staging servers) is refused with its reason, and a host
missing from the list is refused until someone decides what kind of place it is. ``helpers.context`` runs
``problems`` on every citation column, so a bad citation is reported with its file, line and column.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .sources import DATA_DIR

HOSTS_CSV = DATA_DIR / "citation_hosts.csv"
STATUSES = ("allowed", "refused")
# A link starts with a scheme or "www."; it ends at white space or at punctuation that closes a phrase.
_LINK = re.compile(r"(?:https?://|www\.)[^\s;,)\]]+", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_WIKIPEDIA_TITLE = re.compile(r"Wikip[eé]dia\b[^'‘\"“]{0,20}['‘\"“][^'’\"”]+['’\"”]")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Host:
    """One row of the hosts list: a host name (or host/path prefix), its status, what kind of place it is, why."""

    host: str
    status: str
    kind: str
    reason: str


@lru_cache(maxsize=4)
def load_hosts(path: Path = HOSTS_CSV) -> tuple[Host, ...]:
    """The hosts list, checked: every row has a host, a known status and a reason.

    >>> [(h.status, h.kind) for h in load_hosts() if h.host == "wikipedia.org"]
    [('allowed', 'Wikipedia')]
    """
    if not path.exists():
        raise FileNotFoundError(f"The citation hosts list {path} is missing; it belongs in data/.")
    hosts = []
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            host = Host(*(str(row.get(k) or "").strip() for k in ("host", "status", "kind", "reason")))
            if not host.host or host.status not in STATUSES or not host.reason:
                raise ValueError(f"{path.name}, line {line}: needs a host, a status ({' or '.join(STATUSES)}) "
                                 "and a reason")
            hosts.append(host)
    return tuple(hosts)


def links(text: str) -> list[str]:
    """The links in a citation, in order.

    >>> links("Tombs (2012), https://www.cambridge.org/core/x; and www.example.org/y.")
    ['https://www.cambridge.org/core/x', 'www.example.org/y.']
    """
    return _LINK.findall(text)


def _host_and_path(link: str) -> str:
    """``host/path`` of a link, lower-case host without ``www.`` or a trailing dot, for matching list entries."""
    parts = urlsplit(link if "://" in link else "http://" + link)
    host = (parts.hostname or "").rstrip(".").removeprefix("www.")
    return host + parts.path


def rule_for(link: str, hosts: tuple[Host, ...] | None = None) -> Host | None:
    """The most specific row of the hosts list that covers a link (a host covers its sub-domains), or None.

    >>> rule_for("https://de.wikipedia.org/wiki/Kulak").kind
    'Wikipedia'
    >>> rule_for("https://unknown.example/page") is None
    True
    """
    host, _, path = _host_and_path(link).partition("/")
    best = None
    for rule in hosts if hosts is not None else load_hosts():
        rule_host, _, rule_path = rule.host.partition("/")
        covers_host = host == rule_host or host.endswith("." + rule_host)
        if covers_host and path.startswith(rule_path) and (best is None or len(rule.host) > len(best.host)):
            best = rule
    return best


def _unnamed_links(text: str) -> list[str]:
    """Links that no work precedes: the words since the previous link must name one (two words or more, with a
    year or a Wikipedia article's title). A year in a note after a bare link (the event's own year, say) is not the
    year of a publication.

    >>> _unnamed_links("https://www.marxists.org/x (written March 1903)")
    ['https://www.marxists.org/x']
    >>> _unnamed_links("V. I. Lenin, 'To the Rural Poor' (1903); https://www.marxists.org/x; Wikipedia, 'Cheka', "
    ...                "https://en.wikipedia.org/wiki/Cheka")
    []
    """
    out, start = [], 0
    for m in _LINK.finditer(text):
        before = text[start:m.start()]
        if len(_WORD.findall(before)) < 2 or not (_YEAR.search(before) or _WIKIPEDIA_TITLE.search(before)):
            out.append(m.group())
        start = m.end()
    return out


def problems(text: str, hosts: tuple[Host, ...] | None = None) -> list[str]:
    """Why a citation falls short of the policy (an empty list when it does not).

    It must name a work (some words besides its links) with a year, or a Wikipedia article by its title; every link
    must go to a host the list allows.

    >>> problems("Robert Tombs, 'How bloody was la Semaine sanglante?', Historical Journal 55 (2012)")
    []
    >>> problems("Wikipedia, 'Cheka', https://en.wikipedia.org/wiki/Cheka")
    []
    >>> print(problems("https://docslib.org/doc/1")[1])
    links to docslib.org, refused (document dump: copies of other people's works); cite the work itself
    >>> problems("Some page, https://unknown.example/x")
    ['names no year of publication', 'links to unknown.example, which is not in data/citation_hosts.csv']
    """
    found = []
    words = _LINK.sub(" ", text)
    if len(_WORD.findall(words)) < 2:
        found.append("names no work, only a link")
    elif not _YEAR.search(words) and not _WIKIPEDIA_TITLE.search(words):
        found.append("names no year of publication")
    else:
        found += [f"the link {link} follows no named work: put author or body, title and year before it"
                  for link in _unnamed_links(text)]
    for link in links(text):
        rule = rule_for(link, hosts)
        host = _host_and_path(link).split("/", 1)[0]
        if rule is None:
            found.append(f"links to {host}, which is not in data/{HOSTS_CSV.name}")
        elif rule.status == "refused":
            found.append(f"links to {host}, refused ({rule.reason}); cite the work itself")
    return found
