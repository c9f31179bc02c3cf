"""Views of a source text: its source card, its passages with their footnotes, its notes, comments and clutter.

Each view is a ``View``: rich HTML for JupyterLab and exported HTML, and a plain-text twin for every static viewer
that shows ``text/plain`` (and for tests). Views are values; showing them is the notebook API's job.
"""
from __future__ import annotations

from functools import lru_cache

from .glossary import first_uses, passage_body_html, passage_terms_text, words_html
from .html import Markup, el, runs_html
from .texts import Document, Part, inline_runs, load_document, strip_markup
from .view import View, wrap


def source_card(key: str) -> View:
    """Who wrote the text, when, where, in what genre and for whom: the facts sourcing starts from."""
    doc = load_document(key)
    s = doc.source
    date = s.date if s.date_precision == "day" else (f"c. {s.date[:4]}" if s.date else "not given")
    rows = [
        ("Title", s.title),
        ("Author", s.author),
        ("Date", f"{date} ({s.date_note})" if s.date_note else date),
        ("Published in", s.publication),
        ("Web address", s.url or "not known"),
        ("Genre", s.genre),
        ("Written for", s.audience),
        ("In one line", s.description),
    ]
    dl = el("dl", *[Markup(el("dt", k) + el("dd", v)) for k, v in rows])
    html = wrap(el("section", el("h3", f"Source card: {s.label}"), dl, class_="www-card",
                    aria_label=f"Source card for {s.label}"))
    text = f"Source card: {s.label}\n" + "\n".join(f"  {k}: {v}" for k, v in rows)
    return View(html, text)


def sources_overview() -> View:
    """Every text of data/sources.csv at a glance: label, title, author, date and genre, as a table."""
    from .sources import all_sources

    head = ("Text", "Title", "Author", "Date", "Genre")
    rows = [(s.label, s.title, s.author, s.date[:4] if s.date else "not given", s.genre) for s in all_sources()]
    table = el("table", el("caption", "The texts (provenance: data/sources.csv)"),
               el("thead", el("tr", *[el("th", h, scope="col") for h in head])),
               el("tbody", *[el("tr", el("th", r[0], scope="row"), *[el("td", c) for c in r[1:]]) for r in rows]))
    text = "\n".join(" | ".join(r) for r in [head, *rows])
    return View(wrap(table), text)


@lru_cache(maxsize=32)
def _first_uses(slug: str) -> dict[str, str]:
    return first_uses(load_document(slug).passages)


def _passage_block(doc: Document, p: Part) -> tuple[Markup, Markup, str]:
    """One passage with its label and, right under it, the footnotes its markers point at; and, for the column
    beside it, the words it is the first to use in this text (each term is defined once per text)."""
    first_use = _first_uses(doc.source.slug)
    body = passage_body_html(p, first_use=first_use)
    notes, notes_text = [], []
    for m in p.markers:
        fn = doc.footnote(m.symbol)
        if fn is not None:
            notes.append(el("div", el("sup", m.symbol), " ", runs_html(inline_runs(fn.text)), class_="www-footnote",
                            role="note"))
            notes_text.append(f"    [{m.symbol}] {strip_markup(fn.text)}")
    label = p.label + (" (quoted from another work)" if p.is_quotation else "")
    classes = "www-passage www-quotation" if p.is_quotation else "www-passage"
    sub = doc.subheading_before(p)  # the text's own subheading, as the page printed it above the passage
    html = el("section", el("h4", sub, class_="www-subheading") if sub else "", el("div", label, class_="www-label"),
              body, *notes, class_=classes, id=p.id, aria_label=p.label)
    terms = passage_terms_text(p, first_use=first_use)
    text = (f"{sub}\n" if sub else "") + f"[{label}] {strip_markup(p.text)}" + "".join("\n" + t for t in notes_text) \
        + (f"\n{terms}" if terms else "")
    return html, words_html(p, first_use=first_use), text


def _beside(main: Markup, *side: Markup, label: str = "") -> Markup:
    """``main`` with ``side`` (questions, words) in a column beside it on a wide screen, under it on a narrow one
    or on paper: a lesson is read down the page, and a column of notes beside the text keeps it short."""
    side = tuple(s for s in side if s)
    if not side:
        return main
    return el("div", el("div", main, class_="www-col www-col-text"),
              el("div", *side, class_="www-col www-col-context", aria_label=f"Beside {label}" if label else None),
              class_="www-row")


def passages(key: str, first: int = 1, last: int | None = None) -> View:
    """Passages ``first``…``last`` (numbers as in the labels, inclusive) of one text, each with its label."""
    doc = load_document(key)
    ps = doc.passages
    last = len(ps) if last is None else last
    if not 1 <= first <= last <= len(ps):
        raise ValueError(f"{doc.source.label} has passages 1 to {len(ps)}; asked for {first} to {last}.")
    blocks = []
    for p in ps[first - 1:last]:
        html, words, text = _passage_block(doc, p)
        q_html, q_text = _prompts_block(p.id)
        blocks.append((_beside(html, q_html, words, label=p.label), text + (f"\n{q_text}" if q_text else "")))
    return View(wrap(*[b[0] for b in blocks], wide=True), "\n\n".join(b[1] for b in blocks))


def passage(passage_id: str) -> View:
    """One passage by id, e.g. ``"molyneux-07"``."""
    slug = passage_id.rsplit("-", 1)[0]
    doc = load_document(slug)
    p = doc.passage(passage_id)
    html, words, text = _passage_block(doc, p)
    return View(wrap(_beside(html, words, label=p.label), wide=True), text)


def front_matter(key: str) -> View:
    """The text's own opening and closing lines: title, series note, byline, date line, as printed."""
    doc = load_document(key)
    items = [p for p in doc.parts if p.kind in ("title", "note", "byline", "dateline")]
    lis = [el("li", el("span", p.kind, class_="www-tag"), " ", runs_html(inline_runs(p.text))) for p in items]
    html = wrap(el("h3", f"{doc.source.label}: title and author lines as printed"), el("ul", *lis, class_="www-meta"))
    text = "\n".join(f"[{p.kind}] {strip_markup(p.text)}" for p in items)
    return View(html, text)


def notes(key: str) -> View:
    """All footnotes and reference lists of a text, in the order the text gives them."""
    doc = load_document(key)
    items = [p for p in doc.parts if p.kind in ("footnote", "reference", "heading")]
    if not items:
        return _notice(f"{doc.source.label} has no footnotes or reference list.")
    rows, lines = [], []
    for p in items:
        if p.kind == "heading":
            rows.append(el("h4", strip_markup(p.text)))
            lines.append(strip_markup(p.text))
        else:
            prefix = f"[{p.symbol}] " if p.kind == "footnote" else ""
            rows.append(el("p", el("sup", p.symbol) if p.symbol else "", " " if p.symbol else "",
                           runs_html(inline_runs(p.text)), class_=f"www-{p.kind}"))
            lines.append(prefix + strip_markup(p.text))
    html = wrap(el("section", el("h3", f"{doc.source.label}: footnotes and references"), *rows,
                    aria_label="Footnotes and references"))
    return View(html, f"{doc.source.label}: footnotes and references\n" + "\n".join(lines))


def comments(key: str) -> View:
    """Readers' comments below the text, marked as comments and kept apart from it (collapsible)."""
    doc = load_document(key)
    cs = doc.comments
    if not cs:
        return _notice(f"{doc.source.label} has no reader comments.")
    blocks = [
        el("div", el("div", f"Comment {i} — {c.author or 'no name'} wrote:", class_="www-label"),
           *_lines_html(c.text), class_="www-comment")
        for i, c in enumerate(cs, 1)
    ]
    summary = el("summary", f"Reader comments below the text ({len(cs)}) — not part of the text itself")
    html = wrap(el("details", summary, *blocks, open=True))
    text = "\n".join(f"Comment {i} — {c.author or 'no name'} wrote:\n  " + c.text.replace("\n", "\n  ")
                     for i, c in enumerate(cs, 1))
    return View(html, f"Reader comments ({len(cs)}):\n{text}")


def clutter(key: str) -> View:
    """What else was on the web page: advertising and site furniture, in page order (collapsible)."""
    doc = load_document(key)
    items = doc.clutter
    if not items:
        return _notice(f"{doc.source.label} came with no page clutter.")
    lis = [el("li", p.text) for p in items]
    summary = el("summary", f"What else was on the page: {len(items)} lines of site furniture and advertising")
    html = wrap(el("details", summary, el("div", el("span", "not part of the essay", class_="www-tag"),
                                           el("ul", *lis), class_="www-clutter"), open=True))
    return View(html, f"Page clutter ({len(items)} lines, not part of the essay):\n" +
                "\n".join(f"  - {p.text}" for p in items))


def _notice(message: str) -> View:
    """A one-line note in place of a view that has nothing to show (e.g. a text with no reader comments)."""
    return View(wrap(el("p", message, class_="www-note")), message)


def _lines_html(text: str) -> list[Markup]:
    return [el("p", line) for line in text.split("\n")]


def _prompts_block(passage_id: str) -> tuple[Markup, str]:
    """The discussion questions data/prompts.csv gives for a passage, with the reading skill each trains."""
    from .context import load

    df = load("prompts")
    rows = df[df["passage_id"] == passage_id]
    if rows.empty:
        return Markup(""), ""
    items = [el("li", el("span", str(r.skill), class_="www-tag", style="background:#0072B2"), " ", r.question)
             for r in rows.itertuples()]
    label = load_document(passage_id.rsplit("-", 1)[0]).passage(passage_id).label
    html = el("aside", el("div", "Discuss", class_="www-label"), el("ul", *items), class_="www-prompts",
              aria_label=f"Discussion questions on {label}")
    return html, "Discuss:\n" + "\n".join(f"  - ({r.skill}) {r.question}" for r in rows.itertuples())


CHARTED_VERDICTS = ("too_high", "too_low", "disputed", "unverifiable")


def _figure_ids(passage_id: str) -> list[str]:
    """Cited figures worth a 'text says vs sources say' chart: quantities (not dates) with a source value, where the
    text's number is in doubt."""
    from .charts import figures_for_passage

    figs = figures_for_passage(passage_id)
    has_source = figs["compare_value"].notna() | figs["compare_low"].notna()
    quantity = ~figs["unit"].astype("string").str.contains(r"\b(?:years?|day|century|decades?|number)\b", regex=True)
    keep = has_source & quantity & figs["verdict"].astype("string").isin(CHARTED_VERDICTS)
    return list(figs.loc[keep, "figure_id"])


def passage_in_context(passage_id: str, timeline: bool = False, chart: str | None = None,
                       figures: bool = True, prompts: bool = True) -> View:
    """A passage beside its context: discussion questions beside it, its timeline and charts below it.

    ``timeline`` draws the events it mentions in their wider sequence; ``chart`` adds a statistics series by id;
    ``figures`` draws the 'text says vs sources say' chart for each doubtful figure the passage cites.
    Passage and questions sit side by side on a wide screen and stack on a narrow one; figures take the full width
    so they stay readable on a projector.
    """
    slug = passage_id.rsplit("-", 1)[0]
    doc = load_document(slug)
    part = doc.passage(passage_id)
    body_html, words, body_text = _passage_block(doc, part)
    panels, texts = [], []
    if prompts:
        html, text = _prompts_block(passage_id)
        if html:
            panels.append(html)
            texts.append(text)
    views: list[View] = []
    if timeline:
        from .timeline import timeline as draw_timeline

        views.append(draw_timeline(passage_id))
    if figures:
        from .charts import cited_figure_chart

        views += [cited_figure_chart(fid) for fid in _figure_ids(passage_id)]
    if chart:
        from .charts import series_chart

        views.append(series_chart(chart))
    texts += [v.text for v in views]
    row = _beside(body_html, *panels, words, label=part.label)
    if not views:
        return View(wrap(row, wide=True), "\n\n".join([body_text, *texts]))
    below = [getattr(v, "body", None) or v.html for v in views]
    return View(wrap(row, *below, wide=True), "\n\n".join([body_text, *texts]))
