"""Exercises answered by choosing: multiple choice with feedback, loaded-language spotting, claim and evidence,
and fact-check cards built from the claims data."""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..html import Markup, el
from ..texts import load_document
from .base import ExerciseWidget, KeepsFirstAnswer, html_widget, label, wide

NONE = "— not chosen yet —"


def _passage(passage_id: str):
    return load_document(passage_id.rsplit("-", 1)[0]).passage(passage_id)


def _feedback(ok: bool | None, message: str) -> str:
    colour = {True: "#006B4F", False: "#A33A00", None: "#333"}[ok]
    mark = {True: "✔ ", False: "✘ ", None: ""}[ok]
    return str(el("div", el("strong", mark), message, style=f"color:{colour};font-size:17px", role="status"))


class MultipleChoice(ExerciseWidget):
    """Choose one option; 'Check' gives instant feedback and the explanation."""
    write_lines = 1

    def build(self) -> list[W.Widget]:
        opts = list(self.ex.get("options"))
        self.radio = W.RadioButtons(options=[(o, i) for i, o in enumerate(opts, 1)], value=None,
                                    layout=W.Layout(width="auto"))
        self.check = W.Button(description="Check my answer", button_style="primary", icon="check")
        self.check.on_click(lambda _b: self._check())
        return [self.radio, self.check]

    def watched(self) -> list[W.Widget]:
        return [self.radio]

    def value(self) -> dict[str, Any]:
        return {"choice": self.radio.value, "correct": self.radio.value == self.ex.get("answer")}

    def restore(self, value: Any) -> None:
        choice = value.get("choice") if isinstance(value, dict) else None
        if choice in [o[1] for o in self.radio.options]:
            self.radio.value = choice

    def _check(self) -> None:
        choice = self.radio.value
        if choice is None:
            self.feedback.value = _feedback(None, "Choose an option first.")
            return
        ok = choice == self.ex.get("answer")
        per = self.ex.get("feedback") or []
        specific = per[choice - 1] + " " if per else ""
        verdict = "Right. " if ok else "Not quite. "
        self.feedback.value = _feedback(ok, verdict + specific + self.ex.get("explanation"))

    def key_notes(self) -> list[tuple[str, str]]:
        return [("Key", f"option {self.ex.get('answer')}: {self.ex.get('options')[self.ex.get('answer') - 1]}")]

    def fallback_lines(self) -> list[str]:
        return [f"{i}. {o}" for i, o in enumerate(self.ex.get("options"), 1)]


class LoadedLanguage(ExerciseWidget):
    """Tick the phrases of a passage that are loaded (chosen to make the reader feel, not just to inform)."""
    write_lines = 3

    def build(self) -> list[W.Widget]:
        p = _passage(self.ex.get("passage"))
        self.boxes = [W.Checkbox(value=False, description=ph, indent=False, layout=W.Layout(width="auto"))
                      for ph in self.ex.get("phrases")]
        self.other = wide(W.Text(placeholder="Another loaded phrase you found (optional)"))
        self.check = W.Button(description="Compare with the teacher's list", icon="check")
        self.check.on_click(lambda _b: self._check())
        return [html_widget(el("blockquote", p.label, ": ", p.text)), label("Phrases"), *self.boxes,
                label("Other"), self.other, self.check]

    def watched(self) -> list[W.Widget]:
        return [*self.boxes, self.other]

    def value(self) -> dict[str, Any]:
        return {"marked": [b.description for b in self.boxes if b.value], "other": self.other.value}

    def restore(self, value: Any) -> None:
        if isinstance(value, dict):
            marked = set(value.get("marked", []))
            for b in self.boxes:
                b.value = b.description in marked
            self.other.value = str(value.get("other", ""))

    def _check(self) -> None:
        loaded = set(self.ex.get("loaded"))
        marked = {b.description for b in self.boxes if b.value}
        found, missed, extra = marked & loaded, loaded - marked, marked - loaded
        msg = f"You found {len(found)} of {len(loaded)} phrases on the teacher's list."
        if missed:
            msg += " Look again at: " + "; ".join(f"“{m}”" for m in sorted(missed)) + "."
        if extra:
            msg += " Be ready to defend: " + "; ".join(f"“{m}”" for m in sorted(extra)) + "."
        self.feedback.value = _feedback(not missed and not extra, msg)

    def key_notes(self) -> list[tuple[str, str]]:
        return [("Loaded phrases", "; ".join(self.ex.get("loaded")))]

    def fallback_lines(self) -> list[str]:
        return [f"Passage {self.ex.get('passage')}"] + [f"☐ {ph}" for ph in self.ex.get("phrases")]


class ClaimEvidence(ExerciseWidget):
    """For a claim, mark the passages that support it and those that undercut it, and say why.

    One row per passage, each with two checkboxes: plain clicks, taps or Space, never Ctrl-click, and the passage's
    words wrap instead of being cut off. "Check" compares the marks with the key."""
    write_lines = 3

    def build(self) -> list[W.Widget]:
        self.rows: dict[str, tuple[W.Checkbox, W.Checkbox]] = {}
        widgets: list[W.Widget] = [html_widget(el("p", el("strong", "Claim: "), self.ex.get("claim")))]
        for pid in self.ex.get("passages"):
            p = _passage(pid)
            snippet = p.text if len(p.text) <= 220 else p.text[:217].rsplit(" ", 1)[0] + " …"
            supports = W.Checkbox(value=False, description="supports the claim", indent=False,
                                  layout=W.Layout(width="auto", margin="0 2em 0 0"))
            undercuts = W.Checkbox(value=False, description="undercuts it", indent=False,
                                   layout=W.Layout(width="auto"))
            self.rows[pid] = (supports, undercuts)
            widgets += [html_widget(el("p", el("strong", f"{p.label}: "), snippet, class_="www-evidence")),
                        W.HBox([supports, undercuts], layout=W.Layout(margin="0 0 .6em 1em"))]
        self.why = wide(W.Textarea(placeholder="Why? Quote a few words."), "4em")
        self.check = W.Button(description="Check my choices", icon="check")
        self.check.on_click(lambda _b: self._check())
        return widgets + [label("Why"), self.why, self.check]

    def watched(self) -> list[W.Widget]:
        return [box for pair in self.rows.values() for box in pair] + [self.why]

    def value(self) -> dict[str, Any]:
        return {"supports": [pid for pid, (s, _u) in self.rows.items() if s.value],
                "undercuts": [pid for pid, (_s, u) in self.rows.items() if u.value], "why": self.why.value}

    def restore(self, value: Any) -> None:
        if isinstance(value, dict):
            for pid, (s, u) in self.rows.items():
                s.value = pid in (value.get("supports") or [])
                u.value = pid in (value.get("undercuts") or [])
            self.why.value = str(value.get("why", "") or "")

    def _check(self) -> None:
        mine, key = self.value(), {k: set(self.ex.get(k, [])) for k in ("supports", "undercuts")}
        if not (mine["supports"] or mine["undercuts"]):
            self.feedback.value = _feedback(None, "Mark at least one passage first.")
            return
        # only passages someone marked count: two empty boxes are no agreement (they were 2 of every 8 "marks")
        def mark(pid: str, marks: dict) -> tuple[bool, bool]:
            return pid in marks["supports"], pid in marks["undercuts"]

        marked = [pid for pid in self.rows if any(mark(pid, mine)) or any(mark(pid, key))]
        right = sum(mark(pid, mine) == mark(pid, key) for pid in marked)
        labels = {k: ", ".join(_passage(p).label for p in sorted(v)) or "none" for k, v in key.items()}
        message = (f"{right} of the {len(marked)} passages you or we marked are marked as we marked them. Ours: "
                   f"supports — {labels['supports']}; undercuts — {labels['undercuts']}. A different mark can be "
                   "right if your 'why' shows it.")
        self.feedback.value = _feedback(right == len(marked) or None, message)

    def key_notes(self) -> list[tuple[str, str]]:
        return [("Supports", ", ".join(self.ex.get("supports", []))),
                ("Undercuts", ", ".join(self.ex.get("undercuts", [])))]

    def fallback_lines(self) -> list[str]:
        return [f"Claim: {self.ex.get('claim')}"] + [f"Passage {p}: supports or undercuts?" for p in
                                                      self.ex.get("passages")]


VERDICTS = ("correct", "wrong", "disputed", "unverifiable")


def verdict_feedback(given: str, key: str, source: str = "") -> tuple[bool | None, str]:
    """How a student's verdict compares with the collection's: (right? — None where historians disagree and no
    single verdict is right —, the words to show).

    Where the key is *disputed*, 'disputed' is our answer, and any other verdict that comes with a source is a
    reasoned answer to weigh against the explanation, never simply "wrong".

    >>> verdict_feedback("wrong", "wrong")
    (True, 'Same verdict as ours.')
    >>> verdict_feedback("wrong", "disputed", "Figes 1996, p. 5")[0] is None
    True
    """
    if given == key:
        if key == "disputed":
            return True, "Same verdict as ours: historians disagree here."
        return True, "Same verdict as ours."
    if key == "disputed":
        if source.strip():
            return None, ("Historians disagree about this claim, so your verdict can stand if your source supports "
                          "it: weigh it against the explanation below.")
        return None, "Historians disagree about this claim: give a source for your verdict, then read why below."
    return False, "Our verdict differs: read why below, and check your source."


class FactCheck(KeepsFirstAnswer, ExerciseWidget):
    """A claim from a text: give a verdict and a source, then compare with the collection's fact-check."""
    write_lines = 3

    def claim(self) -> dict[str, Any]:
        from ..context import load

        claims = load("claims").set_index("claim_id")
        if self.ex.get("claim_id") not in claims.index:
            raise KeyError(f"No claim {self.ex.get('claim_id')!r} in data/claims.csv")
        row = claims.loc[self.ex.get("claim_id")]
        return {k: ("" if v is None or (isinstance(v, float) and v != v) or str(v) == "<NA>" else str(v))
                for k, v in row.items()}

    def build(self) -> list[W.Widget]:
        c = self.claim()
        p = _passage(c["passage_id"])
        self.verdict = W.ToggleButtons(options=[(v.capitalize(), v) for v in VERDICTS], value=None)
        self.source = wide(W.Text(placeholder="Author, title, year, page — or a web address"))
        self.check = W.Button(description="Reveal the fact-check", icon="search")
        self.check.on_click(lambda _b: self._reveal())
        quote = el("p", el("strong", f"{p.label} says: "), "“", c["quote"], "”")
        return [html_widget(quote), label("Your verdict"), self.verdict, label("Your source"), self.source, self.check]

    def watched(self) -> list[W.Widget]:
        return [self.verdict, self.source]

    def answer(self) -> dict[str, Any]:
        return {"verdict": self.verdict.value, "source": self.source.value}

    def restore(self, value: Any) -> None:
        self.restore_first(value)
        if isinstance(value, dict):
            if value.get("verdict") in VERDICTS:
                self.verdict.value = value["verdict"]
            self.source.value = str(value.get("source", ""))

    def _reveal(self) -> None:
        c = self.claim()
        if self.verdict.value is None:
            self.feedback.value = _feedback(None, "Give your verdict first.")
            return
        self.keep_first()
        ok, message = verdict_feedback(self.verdict.value, c["verdict"], self.source.value)
        body = Markup(el("p", el("strong", "Fact-check: "), c["verdict"], ". ", c["explanation"]))
        if self.revised():
            body = Markup(el("p", el("strong", "Your first verdict, before the reveal: "), self.first.get("verdict")
                             or "none", ". Your change is kept as a revision beside it.")) + body
        if c.get("better_value"):
            body += el("p", el("strong", "What the sources say: "), c["better_value"])
        body += el("p", el("strong", "Source: "), c["citation"], class_="www-note")
        self.feedback.value = _feedback(ok, message) + str(body)

    def key_notes(self) -> list[tuple[str, str]]:
        c = self.claim()
        return [("Verdict", c["verdict"]), ("Source", c["citation"])]

    def fallback_lines(self) -> list[str]:
        c = self.claim()
        return [f"{c['passage_id']}: “{c['quote']}”", "Verdict: correct / wrong / disputed / unverifiable? Source?"]
