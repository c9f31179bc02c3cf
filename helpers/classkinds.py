"""What the class answered, exercise by exercise, in a view that suits each kind of exercise.

A teacher after a lesson wants to see, question by question and by title: how the class split on a multiple choice
or a fact-check (with the key), where the guesses fell against the text's figure and the sources', which phrases
were marked loaded and how often, the class order of causes with its spread, and everybody's written work as
readable cards. ``student`` narrows the cards to one student; ``anonymous`` replaces names by "Student 1, 2, …"
(in alphabetical order, the same numbers on every card), so the page can be projected for discussion.

Data flow: hand-ins (``dashboard.load_class``) → these views; keys and texts come from the exercise definitions and
``data/claims.csv`` / ``data/cited_figures.csv``, the same data the students' feedback comes from.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import pandas as pd

from .answers import is_empty, value_html
from .dashboard import ClassResults, as_text, table_view
from .exercises import load_definitions
from .html import Markup, el
from .values import VERDICTS, first_answer
from .view import View

WRITTEN = ("free_text", "opvl", "compare", "claim_evidence")


def pseudonyms(students: Sequence[str]) -> dict[str, str]:
    """Each student's label in anonymous mode: "Student 1", "Student 2", … in the order given.

    >>> pseudonyms(["Ada", "Bo"])
    {'Ada': 'Student 1', 'Bo': 'Student 2'}
    """
    return {s: f"Student {n}" for n, s in enumerate(students, 1)}


def _answers(results: ClassResults, eid: str, student: str | None) -> list[tuple[str, Any]]:
    df = results.answers
    df = df[df["exercise_id"] == eid]
    rows = [(r.student, r.value) for r in df.itertuples(index=False) if not is_empty(r.value)]
    return [(s, v) for s, v in rows if student is None or s == student]


def _shares(counts: Counter, options: Sequence[str], key: str | None, n: int) -> pd.DataFrame:
    rows = [{"answer": o, "students": counts.get(o, 0),
             "share": f"{round(100 * counts.get(o, 0) / n)} %" if n else "—", "key": "✓ key" if o == key else ""}
            for o in options]
    return pd.DataFrame(rows, columns=["answer", "students", "share", "key"]).set_index("answer")


def _choice_view(ex: Any, answers: list[tuple[str, Any]], _names: dict[str, str]) -> View:
    """Multiple choice: how many chose each option, and the key."""
    options = list(ex.get("options") or [])
    labels = [f"{i}. {o}" for i, o in enumerate(options, 1)]
    chosen = Counter()
    for _s, v in answers:
        c = v.get("choice") if isinstance(v, dict) else v
        if isinstance(c, int) and 1 <= c <= len(options):
            chosen[labels[c - 1]] += 1
    key = ex.get("answer")
    return table_view(_shares(chosen, labels, labels[key - 1] if isinstance(key, int) else None, len(answers)),
                      f"{len(answers)} answer{'' if len(answers) == 1 else 's'}"
                      + (f"; the key is option {key}" if isinstance(key, int) else ""))


def _revised(pair: tuple[str, Any]) -> bool:
    v = pair[1]
    return (isinstance(v, dict) and isinstance(v.get("first"), dict)
            and any(v["first"].get(k) != v.get(k) for k in v["first"]))


def _fact_check_view(ex: Any, answers: list[tuple[str, Any]], _names: dict[str, str]) -> View:
    """Fact-check: the verdicts chosen, and the collection's verdict with its source."""
    from .context import load

    claims = load("claims").set_index("claim_id")
    claim = claims.loc[ex.get("claim_id")] if ex.get("claim_id") in claims.index else None
    firsts = [first_answer(v) for _s, v in answers if isinstance(v, dict)]
    verdicts = Counter(f.get("verdict") for f in firsts if f.get("verdict"))
    key = claim["verdict"] if claim is not None else None
    caption = f"{len(answers)} answer{'' if len(answers) == 1 else 's'}, counted as given before the reveal"
    caption += f" ({revised} revised after it)" if (revised := sum(map(_revised, answers))) else ""
    caption += f"; the collection's verdict: {key or 'none'}"
    if claim is not None and str(claim.get("citation", "")).strip():
        caption += f" (source: {claim['citation']})"
    return table_view(_shares(verdicts, list(VERDICTS), key, len(answers)), caption)


def _estimate_view(ex: Any, answers: list[tuple[str, Any]], names: dict[str, str]) -> View:
    """Estimate: every guess, the class median and range, against the text's figure and the sources' range."""
    from .context import load

    figures = load("cited_figures").set_index("figure_id")
    guesses = sorted((first_answer(v).get("estimate"), names[s] + (" (revised after the reveal)" if _revised((s, v))
                                                                    else "")) for s, v in answers
                     if isinstance(v, dict) and isinstance(first_answer(v).get("estimate"), (int, float)))
    rows = [{"who": "the class (median)", "value": pd.Series([g for g, _n in guesses]).median() if guesses
             else math.nan}]
    if guesses:
        rows.append({"who": "the class (lowest – highest)", "value": f"{guesses[0][0]:g} – {guesses[-1][0]:g}"})
    fig = figures.loc[ex.get("figure_id")] if ex.get("figure_id") in figures.index else None
    if fig is not None:
        rows.append({"who": "the text says", "value": fig["value"]})
        low, high = fig.get("compare_low"), fig.get("compare_high")
        if pd.notna(low) and pd.notna(high):
            rows.append({"who": "the sources say (range)", "value": f"{low:g} – {high:g}"})
        elif pd.notna(fig.get("compare_value")):
            rows.append({"who": "the sources say", "value": fig["compare_value"]})
    rows += [{"who": n, "value": g} for g, n in guesses]
    unit = ex.get("unit") or (fig["unit"] if fig is not None else "")
    return table_view(pd.DataFrame(rows, columns=["who", "value"]).set_index("who"),
                      f"{len(guesses)} guesses, as given before the reveal" + (f", in {unit}" if unit else ""))


def _loaded_view(ex: Any, answers: list[tuple[str, Any]], _names: dict[str, str]) -> View:
    """Loaded language: how often each phrase was marked, beside the key; other phrases students added."""
    marked = Counter(p for _s, v in answers if isinstance(v, dict) for p in (v.get("marked") or []))
    loaded = set(ex.get("loaded") or [])
    rows = [{"phrase": p, "marked by": marked.get(p, 0), "key": "loaded" if p in loaded else ""}
            for p in (ex.get("phrases") or [])]
    others = sorted({str(v.get("other", "")).strip() for _s, v in answers if isinstance(v, dict)} - {""})
    view = table_view(pd.DataFrame(rows, columns=["phrase", "marked by", "key"]).set_index("phrase"),
                      f"{len(answers)} answers" + (f"; also suggested: {'; '.join(others)}" if others else ""))
    return view


def _ranking_view(ex: Any, answers: list[tuple[str, Any]], _names: dict[str, str]) -> View:
    """Ranking: the class order (mean rank) with its spread (best and worst rank given) and first choices."""
    ranks: dict[str, list[int]] = {}
    for _s, v in answers:
        if isinstance(v, list):
            for r, option in enumerate(v, 1):
                ranks.setdefault(option, []).append(r)
    rows = [{"cause": o, "mean rank": round(sum(rs) / len(rs), 2), "spread": f"{min(rs)}–{max(rs)}",
             "ranked first": rs.count(1), "n": len(rs)} for o, rs in ranks.items()]
    df = pd.DataFrame(rows, columns=["cause", "mean rank", "spread", "ranked first", "n"])
    return table_view(df.sort_values(["mean rank", "cause"]).set_index("cause"),
                      f"{len(answers)} rankings; 1 = most important")


def _cards_view(ex: Any, answers: list[tuple[str, Any]], names: dict[str, str],
                notes: Mapping[str, Mapping[str, str]] | None = None) -> View:
    """Written work: one card per student, the student's words as they wrote them (escaped), and under them the
    teacher's saved comment and mark (``notes``: student → {"comment", "mark"}), as the feedback page has them."""
    from .worksheet import readable

    notes = notes or {}
    order = list(names)  # the class list's order, which is also the order of the anonymous numbers
    answers = sorted(answers, key=lambda a: order.index(a[0]) if a[0] in order else len(order))

    def note(s: str) -> tuple[Any, str]:
        saved = notes.get(s) or {}
        words = " · ".join(x for x in (saved.get("mark", ""), saved.get("comment", "")) if x)
        return (el("p", el("strong", "Your comment: "), words, class_="www-note") if words else None,
                f" [your comment: {words}]" if words else "")

    cards = [el("div", el("div", names[s], class_="www-label"), value_html(readable(ex.id, v)), note(s)[0],
                class_="www-comment") for s, v in answers]
    text = "\n".join(f"- {names[s]}: {_words(readable(ex.id, v))}{note(s)[1]}" for s, v in answers)
    return View(Markup("".join(cards)) if cards else el("p", "No answers yet.", class_="www-note"),
                text or "No answers yet.")


def _words(value: Any) -> str:
    """A readable value (text, list or labelled parts) as one line of plain text."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_words(v) for v in value)
    return as_text(value)


VIEWS: dict[str, Callable[[Any, list[tuple[str, Any]], dict[str, str]], View]] = {
    "multiple_choice": _choice_view, "fact_check": _fact_check_view, "estimate": _estimate_view,
    "loaded_language": _loaded_view, "ranking": _ranking_view,
    **{kind: _cards_view for kind in WRITTEN},
}


def exercise_views(results: ClassResults, exercise_ids: Sequence[str], *, student: str | None = None,
                   anonymous: bool = False, comments: Mapping[str, Mapping[str, Any]] | None = None) -> View:
    """One section per exercise (by title, in teaching order), each in the view its kind calls for; the continuum
    has its own chart (``classview``). ``student`` keeps one student's answers only; ``anonymous`` shows no names;
    ``comments`` (student → exercise → comment and mark, ``feedback.load_comments``) go on the written-work cards.

    >>> from helpers.classview import SAMPLE_CLASS
    >>> from helpers.dashboard import load_class
    >>> v = exercise_views(load_class(SAMPLE_CLASS), ["molyneux-mc-flaw"], anonymous=True)
    >>> "✓ key" in v.html and "SAMPLE" not in v.html
    True
    """
    from .worksheet import title

    defs = load_definitions()
    names = pseudonyms(results.students) if anonymous else {s: s for s in results.students}
    html, text = [], []
    for eid in exercise_ids:
        ex = defs.get(eid)
        build = VIEWS.get(ex.type) if ex is not None else None
        if build is None:
            continue
        given = _answers(results, eid, student)
        head = title(eid)
        if not given:  # a card of empty tables says nothing a teacher can use
            html.append(el("section", el("h3", head), el("p", "No answers yet.", class_="www-note"),
                           class_="www-card"))
            text.append(f"{head}\nNo answers yet.")
            continue
        extra = {}
        if ex.type in WRITTEN and comments and not anonymous:  # a projected page shows no private comment
            extra["notes"] = {s: comments.get(s, {}).get(eid) for s, _v in given}
        view = build(ex, given, names, **extra)
        html.append(el("section", el("h3", head), Markup(view.html), class_="www-card"))
        text.append(f"{head}\n{view.text}")
    return View(Markup("".join(html)), "\n\n".join(text))


def continuum_chart(path: pd.DataFrame, *, student: str | None = None, anonymous: bool = False) -> View:
    """Each student's position on the agree–disagree scale before the texts and after each lesson (one thin line
    per student, drawn a little apart so that equal paths stay visible), the class mean as a thick dashed line, and
    ``student`` (if given) picked out: which text moved whom. ``path`` is ``ClassResults.continuum_path``.

    >>> df = pd.DataFrame({"Before the texts": [2.0, 6.0], "After lesson 1": [4.0, 6.0]},
    ...                   index=pd.Index(["Ada", "Bo"], name="student"))
    >>> v = continuum_chart(df, anonymous=True)
    >>> "Student 1" in v.text and "Ada" not in v.text and 'alt="' in v.html
    True
    """
    from .figures import image_view

    names = pseudonyms(list(path.index)) if anonymous else {s: s for s in path.index}
    table = path.rename(index=names)
    steps = list(path.columns)
    mean, answered = path.mean(axis=0, skipna=True), path.notna().sum(axis=0)
    image = _continuum_svg(path, mean, answered, student, names.get(student, ""))
    means = ", ".join(f"{s}: {m:.1f} (n = {answered[s]})" for s, m in mean.items() if pd.notna(m))
    alt = (f"Line chart: {len(path)} students' positions from 1 (strongly disagree) to 7 (strongly agree), "
           f"{' → '.join(steps)}; class mean {means or 'not available'}"
           + (f"; {names[student]} highlighted" if student in names else "") + ".")
    return image_view(image, CONTINUUM_SIZE_IN[0], CONTINUUM_SIZE_IN[1], alt=alt,
                      caption="Where each student stood on the statement, before the texts and after each lesson "
                      "(grey: one line per student, dotted across a lesson the student did not answer; dashed: the "
                      "class mean, over the n students who answered at that step, as under each step).",
                      source="the students' hand-ins", table=table.round(1).reset_index(), label="Continuum")


CONTINUUM_SIZE_IN = (9.6, 5.2)


def _runs(values: list[float]) -> list[list[int]]:
    """The positions of each run of answered steps (a missing answer breaks a student's line).

    >>> _runs([1.0, float("nan"), 3.0, 4.0])
    [[0], [2, 3]]
    """
    runs: list[list[int]] = []
    for i, v in enumerate(values):
        if pd.isna(v):
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _continuum_svg(path: pd.DataFrame, mean: pd.Series, answered: pd.Series, student: str | None,
                   student_label: str) -> str:
    """The continuum chart drawn straight to SVG (:mod:`helpers.svgdraw`): the scale's seven points up the left,
    the steps along the bottom; grey lines per student (a little apart, so that equal paths stay visible), the
    class mean dashed on top, the picked student above all. A step nobody answered leaves a gap, never a guess."""
    from . import svgdraw, theme
    from .values import SCALE

    size = theme.FIG_FONT_PT
    width, height = (v * svgdraw.PT_PER_IN for v in CONTINUUM_SIZE_IN)
    c = svgdraw.Canvas(width, height)
    left = 8 + max(svgdraw.text_width(label, size) for label in SCALE) + 4 + svgdraw.TICK
    each = _Key("one line per student", "#9A9A9A", 1, "o", 3)
    mean_key = _Key("class mean", theme.PALETTE["vermilion"], 3, "s", 9.5, dashed=True)
    picked = _Key(student_label, theme.PALETTE["blue"], 3.5, "o", 7) if student in path.index else None
    gap = (_Key("across a lesson not answered", "#9A9A9A", 1.5, "o", 0, dotted=True)
           if any(len(_runs(row.tolist())) > 1 for _, row in path.iterrows()) else None)
    right, top = width - 24, _legend(c, [k for k in (picked, each, gap, mean_key) if k], left) + 14
    bottom = height - svgdraw.TICK - 3.5 - size * (1 + 2 * svgdraw.LINE_STEP) - 14
    steps = list(path.columns)
    step_w = (right - left) / max(len(steps), 1)

    def x(i: float) -> float:
        return left + (i + 0.5) * step_w

    def y(v: float) -> float:
        return bottom - (v - 0.5) / len(SCALE) * (bottom - top)

    c.y_axis([(y(level), label) for level, label in enumerate(SCALE, 1)], left, right, top, bottom)
    c.x_axis([(x(i), step.replace(" ", "\n", 1) + f"\nn = {answered[step]}") for i, step in enumerate(steps)],
             left, right, top, bottom, grid=False)

    def draw(values: list[float], key: _Key) -> None:
        line, dot = _line_style(c, key), c.style(f"fill:{key.colour}")
        bridge = _line_style(c, key._replace(dotted=True))
        runs = _runs(values)
        for run, after in zip(runs, runs[1:]):  # the same student across a skipped lesson: dotted, never a guess
            c.polyline([(x(run[-1]), y(values[run[-1]])), (x(after[0]), y(values[after[0]]))], bridge)
        for run in runs:
            if len(run) > 1:
                c.polyline([(x(i), y(values[i])) for i in run], line)
            for i in run:
                c.marker(key.shape, x(i), y(values[i]), key.mark, dot)

    n = max(len(path), 1)
    for k, (who, row) in enumerate(path.iterrows()):
        if who != student:
            offset = (k - (n - 1) / 2) * min(0.3 / n, 0.03)
            draw([v + offset for v in row], each)
    draw(mean.tolist(), mean_key)
    if picked:
        draw(path.loc[student].tolist(), picked)
    return c.svg()


class _Key(NamedTuple):
    """How one kind of line in the continuum chart looks, and its label in the legend."""

    label: str
    colour: str
    width: float
    shape: str  # the mark at each answer (svgdraw's letters)
    mark: float  # the mark's diameter in points
    dashed: bool = False
    dotted: bool = False


def _line_style(c: Any, key: _Key) -> str:
    dashes = (f";stroke-dasharray:{3.7 * key.width:g} {1.6 * key.width:g}" if key.dashed else
              f";stroke-dasharray:1 {3 + 2 * key.width:g};stroke-linecap:round" if key.dotted else "")
    return c.style(f"fill:none;stroke:{key.colour};stroke-width:{key.width:g};stroke-linejoin:round" + dashes)


def _legend(c: Any, keys: list[_Key], left: float) -> float:
    """The legend's keys (a stretch of line with its mark, then the label) in rows across the top from ``left``,
    a new row where the next key would pass the right edge; returns the bottom of the last row."""
    from . import svgdraw, theme

    size, row_h = theme.FIG_FONT_PT, theme.FIG_FONT_PT * svgdraw.LINE_STEP + 8
    x, y = left, 26.0
    for key in keys:
        label = svgdraw.fit(key.label, c.width - left - 46, size)
        item_w = 38 + svgdraw.text_width(label, size)
        if x > left and x + item_w > c.width - 8:
            x, y = left, y + row_h
        c.polyline([(x, y), (x + 30, y)], _line_style(c, key))
        c.marker(key.shape, x + 15, y, key.mark, c.style(f"fill:{key.colour}"))
        c.text(x + 38, y + svgdraw.MIDDLE * size, label, size, c.style(f"fill:{theme.FIG_TEXT}"))
        x += item_w + 28
    return y + row_h / 2
