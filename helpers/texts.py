"""Parse a seed text into a structured, citable ``Document``.

A seed is kept byte for byte as it was handed over, clutter and all. This module recognises its structure
line by line and gives every non-blank character exactly one home: a numbered body passage, the title, a heading,
a byline, a reader comment, a footnote, a reference, page clutter (advertising), or a page-break artefact.

Nothing here knows about display: inline markup (``**bold**``, ``*italic*``, ``<sup>1</sup>``) is returned as
typed runs by :func:`inline_runs`, and the view layer turns runs into escaped HTML.

Recognition rules. The page furniture is data: ``data/layouts.csv`` (read by :mod:`helpers.layouts`) says which
lines are titles, bylines ("NAME YEAR", "By NAME"), datelines (a weekday, a date, "by NAME"), subheadings, notes,
reference headings, reader comments and clutter; a new layout is a row there, and a text's own quirks are rows with
its slug. What stays here is the structure around those lines:
- artefact: a rule such as ``---`` or ``———–`` (page breaks, separators);
- footnote: a line starting ``* `` or ``<sup>N</sup>``, or ending with the back-link ``↩︎`` (numbered in order);
- reference: the lines after a reference heading ("Works Cited", "Further reading:", …);
- comment: a comment header opens a reader comment that runs to the next one;
- byline: lines in the same block under a byline (an affiliation);
- title: a first line of at most twenty words with no full stop, when no row of data/layouts.csv names it;
- subheading: a short line with no sentence end, alone between two paragraphs;
- passage: every other line; a passage broken by a page break (it ends mid-sentence and the next passage starts in
  lower case) is joined back into one. A passage is a quotation when the one before introduces it (':' or ','),
  when it stands all in quotation marks, or when its lines start with '> '.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Iterable

from .layouts import layout_for
from .sources import Source, get_source

KINDS = (
    "title", "note", "byline", "dateline", "passage", "subheading", "heading", "reference", "footnote",
    "comment", "clutter", "artefact",
)

_RULE = re.compile(r"^[-—–_*]{3,}$")
_FOOTNOTE_STAR = re.compile(r"^\*\s+\S")
_FOOTNOTE_SUP = re.compile(r"^<sup>(?P<n>\d+)</sup>\s")
_BACKLINK = "↩"
_SENTENCE_END = tuple('.?!:;”"’)*')

# Footnote markers inside passages: <sup>1</sup>; a lone * after a space at the end of a paragraph; a digit glued to
# the end of a sentence ("Parenti.1 They", "nobody’s!5") when the text has numbered footnotes.
_MARKER_SUP = re.compile(r"<sup>(?P<n>\d+)</sup>")
_MARKER_STAR = re.compile(r"(?<=\s)\*(?=\s*$)")
_MARKER_GLUED = re.compile(r"(?<=[.!?”\"’])(?P<n>\d{1,2})(?=\s|$)")

_YEAR = re.compile(
    r"(?<![\d-])(?P<a>1[7-9]\d\d|20[0-2]\d)(?:s\b|(?:\s?[-–]\s?(?P<b>\d{2,4}))?)(?![\d])"
)


class TextError(ValueError):
    """A seed file that cannot be read as a text: missing, empty or not UTF-8."""


@dataclass(frozen=True)
class Marker:
    """A footnote marker inside a passage: its symbol and where it sits in the passage text."""

    symbol: str
    start: int
    end: int


@dataclass(frozen=True)
class Part:
    """One recognised piece of a seed.

    ``spans`` are (start, end) character offsets into the seed text; together the parts' spans hold every
    non-blank character of the seed exactly once. ``text`` is what a reader reads: for a comment, the comment
    without its "NAME said..." header (the name is in ``author``); for a joined passage, the halves with one space.
    """

    kind: str
    text: str
    spans: tuple[tuple[int, int], ...]
    number: int | None = None  # passages: 1, 2, …; footnotes: their number (a star footnote is 0)
    symbol: str = ""  # footnotes: the marker that points at them ("1", "*")
    author: str = ""  # comments: the commenter's name as shown
    markers: tuple[Marker, ...] = ()
    id: str = ""  # passages: e.g. "molyneux-07"
    label: str = ""  # passages: e.g. "Molyneux ¶7"
    is_quotation: bool = False  # a passage quoted at length from another work (introduced by ':' or ',')

    @property
    def years(self) -> frozenset[int]:
        """The years this part's text mentions (ranges such as 1918-21 and decades such as 1920s expanded)."""
        return years_mentioned(self.text)


@dataclass(frozen=True)
class Document:
    """A source text's parts in reading order, with its provenance."""

    source: Source
    raw: str
    parts: tuple[Part, ...] = field(repr=False)

    def of_kind(self, kind: str) -> list[Part]:
        """Every part of one kind, in reading order."""
        if kind not in KINDS:
            raise ValueError(f"Unknown part kind {kind!r}; kinds are: {', '.join(KINDS)}")
        return [p for p in self.parts if p.kind == kind]

    @property
    def title(self) -> str:
        """The title as printed in the text, or the registry's title where the text prints none."""
        titles = self.of_kind("title")
        return strip_markup(titles[0].text) if titles else self.source.title

    @property
    def passages(self) -> list[Part]:
        return self.of_kind("passage")

    def subheading_before(self, passage: Part) -> str:
        """The subheading printed right above a passage ('' when none), as plain text."""
        return self._subheadings.get(passage.id, "")

    @cached_property
    def _subheadings(self) -> dict[str, str]:
        """Passage id → the subheading right above it, found in one pass (a view asks for every passage)."""
        return {p.id: strip_markup(before.text).lstrip("# ") for before, p in zip(self.parts, self.parts[1:])
                if p.kind == "passage" and before.kind == "subheading"}

    @property
    def footnotes(self) -> list[Part]:
        return self.of_kind("footnote")

    @property
    def comments(self) -> list[Part]:
        return self.of_kind("comment")

    @property
    def references(self) -> list[Part]:
        return self.of_kind("reference")

    @property
    def clutter(self) -> list[Part]:
        return self.of_kind("clutter")

    def passage(self, passage_id: str) -> Part:
        """The passage with this id; a clear error lists the valid range."""
        for p in self.passages:
            if p.id == passage_id:
                return p
        ps = self.passages
        raise KeyError(f"No passage {passage_id!r} in {self.source.label}: passages run {ps[0].id} to {ps[-1].id}.")

    def footnote(self, symbol: str) -> Part | None:
        """The footnote a marker points at, if the text has it."""
        return next((f for f in self.footnotes if f.symbol == symbol), None)

    def search(self, term: str) -> list[Part]:
        """Passages containing ``term`` (case, accents and curly quotes ignored)."""
        needle = fold(term).strip()
        if not needle:
            raise ValueError("Give a word or phrase to search for.")
        return [p for p in self.passages if needle in fold(p.text)]

    def mentioning_year(self, year: int) -> list[Part]:
        """Passages that mention ``year``, directly or inside a range or decade."""
        return [p for p in self.passages if int(year) in p.years]


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one style: plain, strong, em, sup (ordinal), marker (footnote), link."""

    text: str
    style: str = "plain"


def fold(text: str) -> str:
    """Lower-case, accent-free, straight-quoted text for forgiving search."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def years_mentioned(text: str) -> frozenset[int]:
    """Years 1700–2029 a text mentions; '1918-21' gives 1918…1921, '1920s' gives 1920…1929."""
    years: set[int] = set()
    for m in _YEAR.finditer(text):
        a = int(m.group("a"))
        if m.group(0).endswith("s"):
            years.update(range(a, a + 10))
            continue
        b = m.group("b")
        if b:
            end = int(b) if len(b) == 4 else int(str(a)[: 4 - len(b)] + b)
            if a < end <= a + 100:
                years.update(range(a, end + 1))
                continue
        years.add(a)
    return frozenset(years)


def word_pattern(phrase: str) -> str:
    """A regex for a phrase as whole words: a space or hyphen matches either ("civil war" finds "civil-war"), a straight
    apostrophe also matches a curly one, and a final ``*`` matches any ending ("worker*" finds "workers'").

    Glossary marking and the text statistics both find words this way, so a term is found the same way everywhere.
    """
    star = phrase.endswith("*")
    out = []
    for ch in phrase[:-1] if star else phrase:
        if ch in " -":
            out.append(r"[\s\-]+")
        elif ch in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(ch))
    return r"(?<![^\W_])" + "".join(out) + (r"[^\W_]*" if star else r"(?![^\W_])")


@lru_cache(maxsize=4096)
def first_word(phrase: str) -> str:
    """The lower-case start of a phrase up to its first space, hyphen, apostrophe or ``*``: a text that does not
    contain it (lower-cased) cannot match :func:`word_pattern` of the phrase, so the regular expression need not run.

    >>> first_word("Civil War"), first_word("worker*"), first_word("Lenin's")
    ('civil', 'worker', 'lenin')
    """
    return re.split(r"[\s\-'’*]", phrase, maxsplit=1)[0].lower()


def strip_markup(text: str) -> str:
    """Plain text without Markdown emphasis or <sup> tags (for titles, search and statistics)."""
    return "".join(r.text for r in inline_runs(text) if r.style != "marker").strip()


_INLINE = re.compile(
    r"\*\*(?P<strong>[^*\n]+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^\s*](?:[^*\n]*?[^\s*])?)\*(?![\w*])"
    r"|<sup>(?P<sup>[^<>]{1,8})</sup>"
    r"|<(?P<link>https?://[^\s<>]+)>"
)


def inline_runs(text: str, markers: Iterable[Marker] = ()) -> list[Run]:
    """Split text into styled runs: **strong**, *em*, <sup>th</sup> ordinals, footnote markers and <links>.

    Only these few forms are recognised; everything else, including any other HTML-looking text, stays plain text
    for the view layer to escape.
    """
    marks = sorted(markers, key=lambda m: m.start)
    runs: list[Run] = []
    pos = 0
    for start, end, symbol in [(m.start, m.end, m.symbol) for m in marks] + [(len(text), len(text), "")]:
        runs.extend(_markup_runs(text[pos:start]))
        if symbol:
            runs.append(Run(symbol, "marker"))
        pos = end
    return [r for r in runs if r.text]


def _markup_runs(text: str) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        runs.append(Run(text[pos:m.start()]))
        kind = m.lastgroup or "plain"
        value = m.group(kind)
        if kind == "sup" and value.isdigit():
            kind = "marker"
        runs.append(Run(value, kind))
        pos = m.end()
    runs.append(Run(text[pos:]))
    return runs


def read_seed(source: Source) -> str:
    """The seed's text, with clear errors for a missing, empty or wrongly encoded file."""
    path = source.seed_path
    if not path.exists():
        raise TextError(f"The seed file for {source.label} ({source.source_id}) is missing: expected {path}.")
    data = path.read_bytes()
    if not data.strip():
        raise TextError(f"The seed file {path} is empty: expected the text of {source.title!r}.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise TextError(f"The seed file {path} is not UTF-8 text (bad byte at position {e.start}).") from None


@lru_cache(maxsize=16)
def load_document(key: str) -> Document:
    """Load and parse a source by id ("002") or slug ("siege"). Cached: the seeds never change while running."""
    source = get_source(key)
    return parse(read_seed(source), source)


def parse(raw: str, source: Source) -> Document:
    """Recognise every line of ``raw`` and assemble the document's parts."""
    parts = _assemble(_classify(_lines(raw), source), source)
    return Document(source=source, raw=raw, parts=tuple(parts))


_TITLE_LIKE_WORDS = 10  # a "passage" this short with no sentence end is a title or subheading the rules missed


def problems(doc: Document) -> list[str]:
    """What looks wrong in a parse, each with its line in the seed: run on every text by the tests and by
    ``tasks.py new-lesson``, so that a text the rules misread fails loudly instead of showing wrong passages.

    It flags a passage that reads as a title or subheading (a few words, no sentence end), a text with no front
    matter at all (no title, byline, dateline or note: the first line was probably taken as a passage), and a text
    whose references outnumber its passages (a heading rule that swallowed the body).

    >>> problems(parse("A title\\n\\nA paragraph.\\nSee also\\nA second one.\\n", get_source("essay")))[0]
    "line 4: passage Essay ¶2 'See also' reads as a title or subheading (a few words, no sentence end): ..."
    >>> problems(load_document("molyneux"))
    []
    """
    found = []

    def line_of(part: Part) -> int:
        return doc.raw.count("\n", 0, part.spans[0][0]) + 1

    for p in doc.passages:
        plain = strip_markup(p.text).rstrip("0123456789*")  # footnote markers glued to the end
        if len(plain.split()) <= _TITLE_LIKE_WORDS and not plain.endswith(_SENTENCE_END):
            found.append(f"line {line_of(p)}: passage {p.label} {plain[:60]!r} reads as a title or subheading (a few "
                         "words, no sentence end): add a row for it to data/layouts.csv (with this text's slug)")
    front = ("title", "byline", "dateline", "note")
    first = doc.passages[0] if doc.passages else None
    if first is not None and not any(p.kind in front for p in doc.parts[:doc.parts.index(first)]):
        found.append(f"line {line_of(first)}: no title, byline, dateline or note before the first passage "
                     f"({strip_markup(first.text)[:60]!r}): add the first line's layout to data/layouts.csv")
    lines = [line.strip() for line in doc.raw.splitlines() if line.strip()]
    found += [f"data/layouts.csv, line {rule.line}: the hint {rule.pattern!r} for {doc.source.slug} matches no line "
              "of the text (check its spelling)" for rule in layout_for(doc.source).unused_hints(lines)]
    if len(doc.references) > len(doc.passages):
        found.append(f"{len(doc.references)} references but only {len(doc.passages)} passages: a heading row of "
                     "data/layouts.csv probably took the body for a reference list")
    return found


def _lines(raw: str) -> list[_Line]:
    """Non-blank lines, trimmed, with their offsets; lines with no blank line between them share a block."""
    out: list[_Line] = []
    pos, block, blank_run = 0, 0, False
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            if blank_run and out:
                block += 1
            lead = len(body) - len(body.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped, "", block))
            blank_run = False
        else:
            blank_run = True
        pos += len(line)
    return out


@dataclass
class _Line:
    start: int
    end: int
    text: str
    kind: str
    block: int
    author: str = ""
    header: bool = False


def _classify(lines: list[_Line], source: Source) -> list[_Line]:
    """Give each line a kind: data/layouts.csv names the page furniture; references follow their heading, a comment
    runs until the next comment, affiliation lines follow a byline, and a short line standing alone between
    paragraphs is a subheading."""
    layout = layout_for(source)
    in_refs = in_comment = False
    for i, line in enumerate(lines):
        text = line.text
        prev = lines[i - 1] if i else None
        found = layout.match(text, first=i == 0)
        named = found[0] if found else None
        if named == "clutter":
            kind = "clutter"
        elif named == "comment":
            kind, in_comment = "comment", True
            line.author, line.header = (found[1].groupdict().get("name") or "").strip(), True
        elif in_comment:
            kind = "comment"
        elif _RULE.match(text):
            kind, in_refs = "artefact", False
        elif _FOOTNOTE_STAR.match(text) or _FOOTNOTE_SUP.match(text) or text.rstrip("\ufe0e\ufe0f").endswith(_BACKLINK):
            kind = "footnote"
        elif named == "heading":
            kind, in_refs = "heading", True
        elif in_refs:
            kind = "reference"
        elif named is not None and named != "passage":
            kind = named
        elif named is None and prev is not None and prev.kind == "byline" and prev.block == line.block:
            kind = "byline"
        elif named is None and i == 0 and _reads_as_title(text):
            kind = "title"
        elif named is None and _stands_as_subheading(lines, i):
            kind = "subheading"
        else:
            kind = "passage"
        line.kind = kind
    return lines


def _reads_as_title(text: str) -> bool:
    """A first line of at most twenty words that ends without a full stop reads as the text's title, even when it is
    not the title data/sources.csv gives (a page's own wording)."""
    plain = strip_markup(text)
    return len(plain.split()) <= 2 * _TITLE_LIKE_WORDS and not plain.endswith((".", ",", ";"))


def _stands_as_subheading(lines: list[_Line], i: int) -> bool:
    """A few words with no sentence end, alone in their block between two paragraphs, starting a new thought
    (capital or digit): a subheading, wherever the page put it."""
    line, prev, nxt = lines[i], lines[i - 1] if i else None, lines[i + 1] if i + 1 < len(lines) else None
    if prev is None or nxt is None or prev.block == line.block or nxt.block == line.block:
        return False
    plain = strip_markup(line.text)
    short = len(plain.split()) <= _TITLE_LIKE_WORDS and not plain.endswith(_SENTENCE_END)
    following = sum(len(ln.text.split()) for ln in lines[i + 1:i + 4] if ln.block == nxt.block)  # the next paragraph
    return short and (plain[:1].isupper() or plain[:1].isdigit()) and following > _TITLE_LIKE_WORDS


def _assemble(lines: list[_Line], source: Source) -> list[Part]:
    """Turn classified lines into parts: join broken passages, gather comments, number passages and footnotes."""
    parts: list[Part] = []
    pending: list[_Line] = []  # the lines of the passage being built (more than one across a page break)
    comment: list[_Line] = []
    footnote_no = 0
    held: list[Part] = []  # artefacts and footnotes met inside a broken passage, placed after it

    def flush_passage() -> None:
        if pending:
            parts.append(_passage(pending, len([p for p in parts if p.kind == "passage"]) + 1, source, parts))
            pending.clear()
        parts.extend(held)
        held.clear()

    def flush_comment() -> None:
        if comment:
            body = [ln for ln in comment if not ln.header]
            parts.append(Part("comment", "\n".join(ln.text for ln in body), tuple((ln.start, ln.end) for ln in comment),
                              author=comment[0].author if comment[0].header else ""))
            comment.clear()

    for line in lines:
        if line.kind == "comment":
            if line.header:
                flush_comment()
            flush_passage()
            comment.append(line)
            continue
        flush_comment()
        if line.kind == "passage":
            if pending and _continues(pending[-1].text, line.text):
                pending.append(line)
                continue
            flush_passage()
            pending.append(line)
            continue
        if line.kind == "footnote":
            footnote_no += 1
            part = _footnote(line, footnote_no)
        else:
            part = Part(line.kind, line.text, ((line.start, line.end),))
        if pending and line.kind in ("artefact", "footnote") and not pending[-1].text.endswith(_SENTENCE_END):
            held.append(part)  # a page break inside a paragraph: keep the paragraph open
        else:
            flush_passage()
            parts.append(part)
    flush_passage()
    flush_comment()
    return _mark(parts)


def _continues(previous: str, following: str) -> bool:
    """A paragraph cut by a page break ends mid-sentence and its rest starts in lower case."""
    return not previous.endswith(_SENTENCE_END) and following[:1].islower()


_OPEN_QUOTE, _CLOSE_QUOTE = ('"', "“", "‘", "«"), ('"', "”", "’", "»")


def _passage(lines: list[_Line], number: int, source: Source, before: list[Part]) -> Part:
    """A numbered passage. It is quoted from another work when the passage before it introduces it (ends with ':'
    or ','), when it is all in quotation marks, or when it is a block quotation ('> ' before each line)."""
    previous = next((p for p in reversed(before) if p.kind == "passage"), None)
    blockquote = all(ln.text.startswith(">") for ln in lines)
    text = " ".join(ln.text.lstrip("> ") if blockquote else ln.text for ln in lines)
    plain = strip_markup(text).rstrip("0123456789*")
    quoted = (blockquote or (previous is not None and previous.text.endswith((":", ",")))
              or (plain.startswith(_OPEN_QUOTE) and plain.endswith(_CLOSE_QUOTE)
                  and not any(q in plain[1:-1] for q in ('"', "“", "”"))))
    return Part(
        "passage", text, tuple((ln.start, ln.end) for ln in lines), number=number,
        id=f"{source.slug}-{number:02d}", label=f"{source.label} \u00b6{number}", is_quotation=quoted,
    )


def _footnote(line: _Line, order: int) -> Part:
    text = line.text
    if _FOOTNOTE_STAR.match(text):
        return Part("footnote", text[1:].strip(), ((line.start, line.end),), number=0, symbol="*")
    if (m := _FOOTNOTE_SUP.match(text)) is not None:
        n = int(m.group("n"))
        return Part("footnote", text[m.end():].strip(), ((line.start, line.end),), number=n, symbol=str(n))
    body = text.rstrip("\ufe0e\ufe0f").rstrip(_BACKLINK).strip()
    return Part("footnote", body, ((line.start, line.end),), number=order, symbol=str(order))


def _mark(parts: list[Part]) -> list[Part]:
    """Find footnote markers in passages, keeping only those that point at a footnote the text has."""
    symbols = {p.symbol for p in parts if p.kind == "footnote"}
    out = []
    for p in parts:
        if p.kind != "passage":
            out.append(p)
            continue
        found = [Marker(m.group("n"), m.start(), m.end()) for m in _MARKER_SUP.finditer(p.text)]
        if "*" in symbols:
            found += [Marker("*", m.start(), m.end()) for m in _MARKER_STAR.finditer(p.text)]
        found += [Marker(m.group("n"), m.start(), m.end()) for m in _MARKER_GLUED.finditer(p.text)]
        kept = tuple(sorted((m for m in found if m.symbol in symbols), key=lambda m: m.start))
        out.append(replace(p, markers=kept) if kept else p)
    return out


def passage_label(passage_id: str) -> str:
    """A passage as the notebooks name it ("Essay ¶4"), or its id if no text of data/sources.csv holds it.

    >>> passage_label("molyneux-07")
    'Molyneux ¶7'
    >>> passage_label("no-such-01")
    'no-such-01'
    """
    try:
        return load_document(passage_id.rsplit("-", 1)[0]).passage(passage_id).label
    except (KeyError, ValueError):
        return passage_id
