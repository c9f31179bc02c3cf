"""Text statistics across the texts: length, sentence length, reading ease, and who and what each text names.

Only body passages are counted (``Document.passages``): never titles, reader comments, footnotes, references or
advertising. A passage is read as a reader reads it: Markdown emphasis is dropped and footnote markers are removed.

Counting rules (simple on purpose, so a class can check them by hand):
- a **word** is a run of letters or digits, which may contain apostrophes, hyphens, and the commas or points of a
  number ("Lenin's", "security-focused", "50,000", "3.5" are one word each); numbers count as words;
- a **sentence** ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed by a space and a capital
  letter, or at the end of the passage; "p. 3", "e.g.", "etc." and initials such as "J." do not end a sentence;
- **syllables** come from :func:`syllables`, a documented vowel-group heuristic (see there; it is an estimate).

Reading ease (both formulas use words per sentence and syllables per word):
- Flesch reading ease = 206.835 − 1.015 × words/sentences − 84.6 × syllables/words
  (R. Flesch, "A new readability yardstick", *Journal of Applied Psychology*, 1948): 0–30 very difficult, 60–70
  plain English, 90–100 very easy;
- Flesch–Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59, a US school grade
  (J. P. Kincaid, R. P. Fishburne, R. L. Rogers and B. S. Chissom, *Derivation of new readability formulas …
  for Navy enlisted personnel*, Research Branch Report 8-75, Naval Technical Training Command, 1975,
  https://stars.library.ucf.edu/istlibrary/56).
Following Flesch's counting instructions, a numeral or an abbreviation in capitals ("1917", "USSR") is one word of
one syllable.

Who and what each text names is counted with a lexicon a teacher can edit, ``data/lexicon.csv`` (see
:func:`read_lexicon` for its format). Every count comes from matches in named passages: :func:`mentions` lists
them, so any number in a table or chart can be traced back to the words that produced it. A mention is not an
endorsement: a text may name a cause in order to reject it.
"""
from __future__ import annotations

import csv
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .context import DataError, Problem
from .figcache import cached
from . import svgdraw
from .figures import image_view, table_html, table_text
from .html import Markup, el
from .sources import DATA_DIR, all_sources
from .texts import Part, first_word, inline_runs, load_document, word_pattern
from .theme import FIG_FONT_PT, FIG_TEXT, FIG_TITLE_PT, FIG_WIDTH_IN, MUTED, SERIES_COLOURS
from .view import View, wrap

LEXICON_PATH = DATA_DIR / "lexicon.csv"
LEXICON_COLUMNS = ("category", "label", "patterns", "exclude", "note")
CATEGORIES = ("person", "group", "cause")
CATEGORY_TITLES = {"person": "People", "group": "Groups", "cause": "Causes"}

# --------------------------------------------------------------------------------------------------------------
# Words, sentences, syllables
# --------------------------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:(?:['’\-]|[.,](?=\d))[^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+['\"’”)\]]*\s+(?=['\"‘“(\[]*[A-Z])")
_NO_BREAK_BEFORE = {"p", "pp", "e.g", "i.e", "etc", "cf", "vs", "mr", "mrs", "dr", "st", "no", "vol", "ed", "eds"}
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def plain_text(part: Part) -> str:
    """A passage as a reader reads it: emphasis markup dropped, footnote markers removed."""
    return "".join(r.text for r in inline_runs(part.text, part.markers) if r.style != "marker").strip()


def words(text: str) -> list[str]:
    """The words of a text (see the module's counting rules)."""
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """The sentences of a text; the end of the text always closes a sentence."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start:m.start()].split()
        last = before[-1].lstrip("(“\"'‘").casefold() if before else ""
        if last in _NO_BREAK_BEFORE or re.fullmatch(r"[a-z]", last):
            continue  # "p. 3", "etc. But", or an initial such as "J. Arch Getty"
        out.append(text[start:m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if words(rest):
        out.append(rest)
    return out


@lru_cache(maxsize=8192)  # the same words come back in every passage
def syllables(word: str) -> int:
    """An estimate of the syllables in an English word, by counting groups of vowels.

    Rules, in order:
    1. a numeral or an abbreviation in capitals ("1917", "USSR") is one syllable (Flesch's instruction);
    2. a hyphenated word is the sum of its parts; a possessive 's adds nothing;
    3. a word of three letters or fewer is one syllable;
    4. silent endings are dropped: final -e (but not -le after a consonant, as in "table", nor -ee),
       -es (but not after s, x, z, ch, sh, c or g, as in "boxes"), -ed (but not after t or d, as in "wanted");
    5. each group of consecutive vowels (a e i o u, and y after the first letter) is one syllable;
    6. a final -ism adds one ("so-cial-is-m"); every word has at least one syllable.
    Known misses: compounds with a silent inner e ("therefore" → 3, "statement"), vowel pairs spoken as two
    syllables ("created", "proletariat", "ideology"), and names from other languages. On running English text such
    misses are a few per hundred words, which moves Flesch reading ease by a few points at most.
    """
    if not any(c.isalpha() for c in word) or (len(word) > 1 and word.isupper()):
        return 1
    parts = [p for p in re.split(r"-", word) if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    w = re.sub(r"['’]s$", "", word.casefold())
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return 1
    if len(w) <= 3:
        return 1
    if w.endswith("e") and not (w.endswith("le") and w[-3] not in "aeiouy") and not w.endswith("ee"):
        w = w[:-1]
    elif w.endswith("es") and not w.endswith(("ses", "xes", "zes", "ches", "shes", "ces", "ges")):
        w = w[:-2]
    elif w.endswith("ed") and not w.endswith(("ted", "ded")):
        w = w[:-2]
    core = w[1:] if w.startswith("y") else w
    count = len(_VOWEL_GROUP.findall(core))
    if re.search(r"isms?$", word.casefold()):
        count += 1
    return max(1, count)


def flesch_reading_ease(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """Flesch (1948): 206.835 − 1.015 × words per sentence − 84.6 × syllables per word. Higher is easier."""
    if n_words <= 0 or n_sentences <= 0:
        raise ValueError("Reading ease needs at least one word and one sentence.")
    return 206.835 - 1.015 * (n_words / n_sentences) - 84.6 * (n_syllables / n_words)


def flesch_kincaid_grade(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """Kincaid et al. (1975): 0.39 × words per sentence + 11.8 × syllables per word − 15.59 (a US school grade)."""
    if n_words <= 0 or n_sentences <= 0:
        raise ValueError("A grade level needs at least one word and one sentence.")
    return 0.39 * (n_words / n_sentences) + 11.8 * (n_syllables / n_words) - 15.59


def text_measures(text: str) -> dict[str, float]:
    """Words, sentences, syllables and both reading scores for any piece of text."""
    ws = words(text)
    n_w, n_s, n_y = len(ws), len(sentences(text)), sum(syllables(w) for w in ws)
    return {
        "words": n_w, "sentences": n_s, "syllables": n_y,
        "flesch_reading_ease": flesch_reading_ease(n_w, n_s, n_y) if n_w and n_s else float("nan"),
        "fk_grade": flesch_kincaid_grade(n_w, n_s, n_y) if n_w and n_s else float("nan"),
    }


# --------------------------------------------------------------------------------------------------------------
# Per passage and per text
# --------------------------------------------------------------------------------------------------------------

def _slugs(texts: tuple[str, ...] | None) -> tuple[str, ...]:
    if isinstance(texts, str):  # one text by its slug, as a notebook call names it
        return (texts,)
    return tuple(texts) if texts else tuple(s.slug for s in all_sources())


def _passages(texts: tuple[str, ...] | None = None) -> list[tuple[str, Part]]:
    return [(slug, p) for slug in _slugs(texts) for p in load_document(slug).passages]


def passage_stats(texts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per passage: text, passage_id, words, sentences, syllables (the numbers every total is built from)."""
    return _passage_stats(_slugs(texts)).copy()


@lru_cache(maxsize=8)
def _passage_stats(slugs: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for slug, p in _passages(slugs):
        m = text_measures(plain_text(p))
        rows.append({"text": slug, "passage_id": p.id, "words": m["words"], "sentences": m["sentences"],
                     "syllables": m["syllables"]})
    return pd.DataFrame(rows, columns=["text", "passage_id", "words", "sentences", "syllables"])


def text_stats(texts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per text: passages, words, sentences, mean sentence length, syllables per word, reading ease, grade.

    Totals are sums over :func:`passage_stats`; the reading scores are computed from those totals.
    """
    per = passage_stats(texts)
    labels = {s.slug: s.label for s in all_sources()}
    rows = []
    for slug in _slugs(texts):
        sub = per[per["text"] == slug]
        n_w, n_s, n_y = int(sub["words"].sum()), int(sub["sentences"].sum()), int(sub["syllables"].sum())
        rows.append({
            "text": slug, "label": labels.get(slug, slug), "passages": len(sub), "words": n_w, "sentences": n_s,
            "mean_sentence_length": round(n_w / n_s, 1), "syllables_per_word": round(n_y / n_w, 2),
            "flesch_reading_ease": round(flesch_reading_ease(n_w, n_s, n_y), 1),
            "fk_grade": round(flesch_kincaid_grade(n_w, n_s, n_y), 1),
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------------------
# The lexicon: who and what a text names
# --------------------------------------------------------------------------------------------------------------

_PATTERN_OK = re.compile(r"[^\W_](?:[^\W_]|[ '’\-.])*\*?")


@dataclass(frozen=True)
class Entry:
    """One lexicon row: a label in a category, the phrases that count for it and the phrases that do not."""

    category: str
    label: str
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    note: str = ""
    line: int = 0

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.patterns)

    @property
    def exclude_regex(self) -> re.Pattern[str] | None:
        return _compile(self.exclude) if self.exclude else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, matched text) in ``text``, minus matches inside an excluded phrase."""
        lowered = text.lower()
        if not any(first_word(p) in lowered for p in self.patterns):  # most labels are absent from most passages
            return []
        blocked = [(m.start(), m.end()) for m in self.exclude_regex.finditer(text)] if self.exclude else []
        return [(m.start(), m.end(), m.group(0)) for m in self.regex.finditer(text)
                if not any(s < m.end() and m.start() < e for s, e in blocked)]


def pattern_regex(pattern: str) -> str:
    """The regular expression for one lexicon phrase (whole words, see :func:`helpers.texts.word_pattern`)."""
    return word_pattern(pattern)


@lru_cache(maxsize=512)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(patterns, key=len, reverse=True)  # longest phrase first where two start at the same place
    return re.compile("|".join(pattern_regex(p) for p in ordered), re.IGNORECASE)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|")] if cell.strip() else []


def _lexicon_rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and (line number where the row starts, row) pairs; a quoted cell may span several lines."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows, start = [], 2
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    return header, rows


def validate_lexicon(path: Path = LEXICON_PATH) -> list[Problem]:
    """Every problem in a lexicon file, each with its line number (an empty list means the file is fine).

    Format: a CSV with columns ``category`` (person, group or cause), ``label`` (unique within its category),
    ``patterns`` (phrases separated by ``|``, each letters/digits with spaces, hyphens, apostrophes or points, and
    optionally a final ``*``), ``exclude`` (phrases in the same form that cancel a match they overlap; may be empty)
    and ``note`` (what the label stands for; may be empty). A phrase may belong to only one label per category.
    """
    name = path.name
    if not path.exists():
        return [Problem(name, 0, f"the lexicon file {path} is missing")]
    try:
        header, raw_rows = _lexicon_rows(path)
    except UnicodeDecodeError as e:
        return [Problem(name, 0, f"the file is not UTF-8 text (bad byte at position {e.start})")]
    missing = [c for c in LEXICON_COLUMNS if c not in header and c not in ("exclude", "note")]
    if missing:
        return [Problem(name, 1, f"missing column(s): {', '.join(missing)} (needed: category, label, patterns)")]
    problems: list[Problem] = []
    labels: dict[tuple[str, str], int] = {}
    phrases: dict[tuple[str, str], tuple[str, int]] = {}
    for line, row in raw_rows:
        if None in row:
            problems.append(Problem(name, line, "more cells than columns (a comma inside a cell needs quotes)"))
        cells = {k: (row.get(k) or "").strip() for k in LEXICON_COLUMNS}
        if not any(cells.values()):
            continue
        cat, label = cells["category"], cells["label"]
        if cat not in CATEGORIES:
            problems.append(Problem(name, line, f"category {cat!r} is not one of: {', '.join(CATEGORIES)}"))
        if not label:
            problems.append(Problem(name, line, "column 'label' is empty"))
        elif (cat, label.casefold()) in labels:
            problems.append(Problem(name, line, f"label {label!r} repeats line {labels[(cat, label.casefold())]}"))
        else:
            labels[(cat, label.casefold())] = line
        pats = _split(cells["patterns"])
        if not pats:
            problems.append(Problem(name, line, "column 'patterns' is empty: give at least one phrase"))
        for col, items in (("patterns", pats), ("exclude", _split(cells["exclude"]))):
            for p in items:
                if not p:
                    problems.append(Problem(name, line, f"an empty phrase in {col} ('||' or a '|' at an end)"))
                elif not _PATTERN_OK.fullmatch(p):
                    problems.append(Problem(name, line, f"phrase {p!r} in {col}: use letters, digits, spaces, "
                                                        "hyphens, apostrophes, and '*' only at the end"))
        for p in pats:
            key = (cat, p.casefold())
            if p and key in phrases and phrases[key][0] != label:
                other, other_line = phrases[key]
                problems.append(Problem(name, line, f"phrase {p!r} is already counted for {other!r} "
                                                    f"(line {other_line}); a phrase may count for one label only"))
            phrases.setdefault(key, (label, line))
    return problems


def read_lexicon(path: Path = LEXICON_PATH) -> list[Entry]:
    """The lexicon's entries in file order; raises ``DataError`` listing every problem with its line number."""
    problems = validate_lexicon(path)
    if problems:
        raise DataError("The lexicon has problems:\n" + "\n".join(f"- {p}" for p in problems))
    entries = []
    for i, row in _lexicon_rows(path)[1]:
        cells = {k: (row.get(k) or "").strip() for k in LEXICON_COLUMNS}
        if not any(cells.values()):
            continue
        entries.append(Entry(cells["category"], cells["label"], tuple(_split(cells["patterns"])),
                             tuple(_split(cells["exclude"])), cells["note"], i))
    return entries


def lexicon(path: Path = LEXICON_PATH) -> pd.DataFrame:
    """The lexicon as a table (category, label, patterns, exclude, note), for showing to a class."""
    return pd.DataFrame([{"category": e.category, "label": e.label, "patterns": " | ".join(e.patterns),
                          "exclude": " | ".join(e.exclude), "note": e.note} for e in read_lexicon(path)],
                        columns=list(LEXICON_COLUMNS))


def _entry(label: str, entries: list[Entry], category: str | None = None) -> Entry:
    for e in entries:
        if e.label.casefold() == label.casefold() and category in (None, e.category):
            return e
    raise KeyError(f"No label {label!r} in the lexicon. Labels are: {', '.join(e.label for e in entries)}.")


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    """The match in [brackets] with up to ``width`` characters either side."""
    left = ("…" if start > width else "") + text[max(0, start - width):start]
    right = text[end:end + width] + ("…" if end + width < len(text) else "")
    return f"{left}[{text[start:end]}]{right}"


MENTION_COLUMNS = ["category", "label", "text", "passage_id", "start", "end", "match", "context"]


def all_mentions(texts: tuple[str, ...] | None = None, path: Path = LEXICON_PATH) -> pd.DataFrame:
    """Every lexicon match in every passage: category, label, text, passage_id, start, end, match, context.

    ``start`` and ``end`` are character offsets into the passage's plain text (:func:`plain_text`); ``context``
    shows the match in brackets with the words around it. Remembered until the lexicon file changes.
    """
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _all_mentions(_slugs(texts), path, stamp).copy()


@lru_cache(maxsize=8)
def _all_mentions(slugs: tuple[str, ...], path: Path, stamp: int) -> pd.DataFrame:
    entries = read_lexicon(path)
    rows = []
    for slug, p in _passages(slugs):
        plain = plain_text(p)
        for e in entries:
            for s, t, match in e.find(plain):
                rows.append({"category": e.category, "label": e.label, "text": slug, "passage_id": p.id,
                             "start": s, "end": t, "match": match, "context": _context(plain, s, t)})
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def mentions(label: str, texts: tuple[str, ...] | None = None, path: Path = LEXICON_PATH,
             category: str | None = None) -> pd.DataFrame:
    """Where one label is named: a row per match with passage_id and the matched words (plus offsets and context).

    This is the evidence behind every count in :func:`name_counts`. ``category`` is needed only when two
    categories use the same label.
    """
    entry = _entry(label, read_lexicon(path), category)
    df = all_mentions(texts, path)
    df = df[(df["label"] == entry.label) & (df["category"] == entry.category)]
    return df[["passage_id", "match", "text", "start", "end", "context"]].reset_index(drop=True)


def name_counts(category: str | None = None, texts: tuple[str, ...] | None = None,
                path: Path = LEXICON_PATH) -> pd.DataFrame:
    """Text × label counts, long format: text, category, label, count, words, per_1000_words.

    Every label appears for every text (with 0 where the text never names it), in lexicon order. ``per_1000_words``
    divides by the text's word count from :func:`text_stats`, so long and short texts can be compared.
    """
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"Unknown category {category!r}; categories are: {', '.join(CATEGORIES)}")
    entries = [e for e in read_lexicon(path) if category in (None, e.category)]
    found = all_mentions(texts, path)
    n_words = dict(zip(*[text_stats(texts)[c] for c in ("text", "words")]))
    counts = found.groupby(["text", "category", "label"]).size().to_dict() if len(found) else {}
    rows = []
    for slug in _slugs(texts):
        for e in entries:
            n = int(counts.get((slug, e.category, e.label), 0))
            rows.append({"text": slug, "category": e.category, "label": e.label, "count": n,
                         "words": n_words[slug], "per_1000_words": round(1000 * n / n_words[slug], 2)})
    return pd.DataFrame(rows, columns=["text", "category", "label", "count", "words", "per_1000_words"])


def name_table(category: str = "cause", measure: str = "per_1000_words", texts: tuple[str, ...] | None = None,
               path: Path = LEXICON_PATH) -> pd.DataFrame:
    """One category as a wide table: a row per label, a column per text (``measure``: count or per_1000_words)."""
    if measure not in ("count", "per_1000_words"):
        raise ValueError("measure is 'count' or 'per_1000_words'")
    df = name_counts(category, texts, path)
    order = list(dict.fromkeys(df["label"]))
    wide = df.pivot(index="label", columns="text", values=measure).reindex(order)
    wide = wide[list(_slugs(texts))]
    wide.columns.name = None
    return wide


def most_named(category: str = "cause", texts: tuple[str, ...] | None = None,
               path: Path = LEXICON_PATH) -> pd.DataFrame:
    """For each text, the label of a category it names most often (ties listed together), with the count."""
    df = name_counts(category, texts, path)
    rows = []
    for slug in _slugs(texts):
        sub = df[df["text"] == slug]
        top = sub["count"].max()
        labels = sub[sub["count"] == top]["label"].tolist() if top > 0 else []
        rows.append({"text": slug, "label": " / ".join(labels) or "(none)", "count": int(top),
                     "per_1000_words": float(sub["per_1000_words"].max())})
    return pd.DataFrame(rows, columns=["text", "label", "count", "per_1000_words"])


# --------------------------------------------------------------------------------------------------------------
# Views: the table and the comparison chart
# --------------------------------------------------------------------------------------------------------------

SOURCE_NOTE = ("Counted from the body passages of the texts by helpers/textstats.py with the editable lexicon "
               "data/lexicon.csv")
READING_NOTE = ("Flesch reading ease (Flesch 1948): 0–30 very difficult, 60–70 plain English, 90–100 very easy. "
                "Flesch–Kincaid grade (Kincaid et al. 1975): the US school year a reader needs.")
_STATS_HEAD = {
    "label": "Text", "passages": "Passages", "words": "Words", "sentences": "Sentences",
    "mean_sentence_length": "Words per sentence", "syllables_per_word": "Syllables per word",
    "flesch_reading_ease": "Flesch reading ease", "fk_grade": "Flesch–Kincaid grade",
}


MAX_MEAN_SENTENCE = 40  # words: a text whose sentences average more has probably lost its sentence ends


def stat_problems(slug: str, path: Path = LEXICON_PATH) -> list[str]:
    """Why a text's counts should not be shown yet (an empty list when they can): the rules here and the lexicon
    were written for the texts the collection started with, so a new text is checked before a class sees numbers.

    >>> stat_problems("molyneux")
    []
    """
    return _stat_problems(path)[slug]


def _stat_problems(path: Path) -> dict[str, list[str]]:
    """:func:`stat_problems` for every text at once, from the collection's tables (computed once, and cached)."""
    means = text_stats().set_index("text")["mean_sentence_length"]
    named = set(all_mentions(None, path)["text"])
    found: dict[str, list[str]] = {}
    for slug in _slugs(None):
        found[slug] = []
        if means[slug] > MAX_MEAN_SENTENCE:
            found[slug].append(f"its sentences average {means[slug]:g} words, so their ends were probably not found")
        if slug not in named:
            found[slug].append("data/lexicon.csv names nothing in it: add the people, groups and causes it names")
    return found


def _shown(texts: tuple[str, ...] | None, path: Path = LEXICON_PATH) -> tuple[tuple[str, ...], str]:
    """The texts a view shows, and a note naming any left out: the texts asked for, or every text that passes
    :func:`stat_problems`."""
    if texts:
        return tuple(texts), ""
    labels = {s.slug: s.label for s in all_sources()}
    held = _stat_problems(path)
    note = " ".join(f"{labels[slug]} is not shown until its counts are checked: {'; '.join(why)}."
                    for slug, why in held.items() if why)
    shown = tuple(slug for slug, why in held.items() if not why)
    if not shown:
        raise ValueError(f"no text's counts can be shown yet. {note}")
    return shown, (" " + note if note else "")


def textstats_table(texts: tuple[str, ...] | None = None) -> View:
    """Length, sentence length and reading ease of each text, as a table, with a note saying how they were counted.

    The note is a paragraph above the table, not its caption: a caption is as wide as its table, and this table is
    wider than a projector's column (1024×768 at 150 %), so every line of the note was cut off at the right edge."""
    texts, held = _shown(texts)
    df = text_stats(texts)[list(_STATS_HEAD)].rename(columns=_STATS_HEAD)
    caption = ("Body passages only (no title, comments, footnotes or advertising). A word is a run of letters or "
               "digits; a sentence ends with . ! or ? before a capital letter; syllables are estimated by counting "
               "vowel groups. " + READING_NOTE + held)
    html = wrap(_section("How long and how hard is each text?", el("p", caption, class_="www-note"),
                         table_html(df, "Each text's body passages (scroll sideways on a narrow screen)")))
    return View(html, "How long and how hard is each text?\n" + table_text(df) + "\n" + caption)


def _section(heading: str, *content: object) -> Markup:
    return el("section", el("h3", heading), *content, aria_label=heading)


def _wrap_label(label: str, width: int = 20) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


@cached
def names_chart(category: str = "cause", texts: tuple[str, ...] | None = None, path: Path = LEXICON_PATH) -> View:
    """Small multiples, one panel per text: how often it names each label of a category, per 1,000 words.

    One panel per text, so no comparison depends on colour; each panel's bars share one axis scale, and every bar
    carries its number. The plain data table (mentions and rate per text) goes with the figure.
    """
    texts, held = _shown(texts, path)
    counts = name_counts(category, texts, path)
    slugs = list(_slugs(texts))
    names = {s.slug: s.label for s in all_sources()}
    labels = list(dict.fromkeys(counts["label"]))
    top = max(float(counts["per_1000_words"].max()), 1.0)
    titles = [_wrap_label(names.get(slug, slug), 12) for slug in slugs]
    rates = {slug: counts[counts["text"] == slug].set_index("label").reindex(labels)["per_1000_words"].tolist()
             for slug in slugs}
    image, height_in = _small_multiples(titles, [_wrap_label(lbl) for lbl in labels], [rates[s] for s in slugs],
                                        top, f"{CATEGORY_TITLES.get(category, category)} named, per 1,000 words of "
                                        "the text")
    data = _chart_table(counts, slugs, names, labels)
    tops = most_named(category, texts, path)
    summary = "; ".join(f"{names.get(r.text, r.text)}: {r.label} ({r.per_1000_words:.1f} per 1,000 words)"
                        for r in tops.itertuples())
    what = CATEGORY_TITLES.get(category, category).lower()
    alt = (f"Bar chart in {len(slugs)} panels, one per text, each with {len(labels)} horizontal bars: how often the "
           f"text names each of these {what} per 1,000 words. Most named — {summary}.")
    caption = (f"Which {what} each text names. Each bar counts the words and phrases listed for that label in the "
               "lexicon data/lexicon.csv (e.g. 'Cheka', 'terror', 'police state' for one-party rule and terror), "
               "found as whole words in the body passages only (no comments, footnotes or advertising), divided by "
               "the text's length and multiplied by 1,000. A mention is not an endorsement: a text may name an "
               "explanation in order to reject it (Molyneux does so with 'great man' theories and Leninism)." + held)
    return image_view(image, FIG_WIDTH_IN, height_in, alt=alt, caption=caption, source=SOURCE_NOTE, table=data,
                      label=f"Chart: {what} named per text")


def _small_multiples(titles: list[str], labels: list[str], values: list[list[float]], top: float,
                     xlabel: str) -> tuple[str, float]:
    """One panel of horizontal bars per text, side by side, sharing the row labels on the left and one scale
    (``top`` is the largest value); every bar carries its number. Drawn with :mod:`helpers.svgdraw` (matplotlib's
    constrained layout took 0.1 s of the 0.2 s this chart cost). Returns the SVG and its height in inches."""
    pt, fs = svgdraw.PT_PER_IN, FIG_FONT_PT
    height_in = 1.2 + 0.62 * len(labels)
    c = svgdraw.Canvas(FIG_WIDTH_IN * pt, height_in * pt)
    text = c.style(f"fill:{FIG_TEXT}")
    left = 8 + max(svgdraw.text_size(lbl, fs)[0] for lbl in labels) + 10
    gap, right = 14, c.width - 10
    width = (right - left - gap * (len(values) - 1)) / len(values)
    head = 8 + max(svgdraw.text_size(t, FIG_TITLE_PT, bold=True)[1] for t in titles) + 10
    foot = 0.45 * pt
    pitch = (c.height - head - foot) / len(labels)
    scale = width / (top * 1.45)
    for i, (title, rates) in enumerate(zip(titles, values)):
        x0 = left + i * (width + gap)
        c.text(x0, 8 + svgdraw.ASCENT * FIG_TITLE_PT, title, FIG_TITLE_PT, text, bold=True)
        c.line(x0, head, x0, c.height - foot, c.style(f"stroke:{MUTED};stroke-width:1.2"))
        bar = c.style(f"fill:{SERIES_COLOURS[i % len(SERIES_COLOURS)]}")
        for k, v in enumerate(rates):
            y = head + (k + 0.5) * pitch
            v = 0.0 if pd.isna(v) else float(v)
            if v:
                c.rect(x0, y - 0.35 * pitch, v * scale, 0.7 * pitch, bar)
            c.text(x0 + (v + top * 0.03) * scale, y + svgdraw.MIDDLE * 13, f"{v:.1f}" if v else "0", 13, text)
    for k, lbl in enumerate(labels):
        c.text(left - 10, svgdraw.first_baseline(head + (k + 0.5) * pitch, lbl, fs), lbl, fs, text, anchor="end")
    c.text(c.width / 2, c.height - 0.2 * pt, xlabel, fs, text, anchor="middle")
    return c.svg(), height_in


def blame_chart(texts: tuple[str, ...] | None = None, path: Path = LEXICON_PATH) -> View:
    """The causes each text names, per 1,000 words: the evidence for "what does each author blame?"."""
    return names_chart("cause", texts, path)


def _chart_table(counts: pd.DataFrame, slugs: list[str], names: dict[str, str], labels: list[str]) -> pd.DataFrame:
    rows = []
    for lbl in labels:
        row: dict[str, object] = {"Label": lbl}
        for slug in slugs:
            hit = counts[(counts["text"] == slug) & (counts["label"] == lbl)].iloc[0]
            row[f"{names.get(slug, slug)}: mentions"] = int(hit["count"])
            row[f"{names.get(slug, slug)}: per 1,000 words"] = float(hit["per_1000_words"])
        rows.append(row)
    return pd.DataFrame(rows)


def names_table(category: str = "person", texts: tuple[str, ...] | None = None,
                path: Path = LEXICON_PATH) -> View:
    """Who or what each text names (one category): mentions, with the rate per 1,000 words in brackets."""
    texts, held = _shown(texts, path)
    counts = name_counts(category, texts, path)
    slugs = list(_slugs(texts))
    names = {s.slug: s.label for s in all_sources()}
    labels = list(dict.fromkeys(counts["label"]))
    rows = []
    for lbl in labels:
        row: dict[str, object] = {CATEGORY_TITLES.get(category, category): lbl}
        for slug in slugs:
            hit = counts[(counts["text"] == slug) & (counts["label"] == lbl)].iloc[0]
            row[names.get(slug, slug)] = f"{int(hit['count'])} ({hit['per_1000_words']:.1f})"
        rows.append(row)
    df = pd.DataFrame(rows)
    heading = f"{CATEGORY_TITLES.get(category, category)} each text names"
    caption = ("Mentions in the body passages, with mentions per 1,000 words in brackets. What counts for each "
               "label is listed in data/lexicon.csv; a mention is not an endorsement." + held)
    return View(wrap(_section(heading, table_html(df, caption))), f"{heading}\n{table_text(df)}\n{caption}")


def mentions_view(label: str, texts: tuple[str, ...] | None = None, path: Path = LEXICON_PATH) -> View:
    """Where a label is named: every match with its passage and the words around it (the evidence behind a count)."""
    entry = _entry(label, read_lexicon(path))
    df = mentions(entry.label, texts, path)
    table = df[["passage_id", "match", "context"]].rename(
        columns={"passage_id": "Passage", "match": "Words", "context": "In context"})
    heading = f"Where the texts name “{entry.label}” ({len(df)} mentions)"
    caption = f"Counted phrases: {', '.join(entry.patterns)}" + (
        f"; not counted: {', '.join(entry.exclude)}" if entry.exclude else "") + " (from data/lexicon.csv)."
    return View(wrap(_section(heading, table_html(table, caption))), f"{heading}\n{table_text(table)}\n{caption}")
