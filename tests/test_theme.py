"""Each stored view carries the style rules it needs, and only those."""
import json
import re
from pathlib import Path

from helpers import theme
from helpers.html import el
from helpers.view import wrap

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_the_whole_sheet_keeps_every_rule():
    full = str(theme.style_tag())
    for media, selectors, body in theme._rules():
        assert ",".join(selectors) + "{" + body + "}" in full
    assert full.count("{") == theme.CSS.count("{")


def test_a_view_gets_the_rules_for_its_classes_and_elements_only():
    html = str(wrap(el("section", el("p", "x"), class_="www-passage"), el("table", el("tr", el("td", "1")))))
    sheet = re.search(r"<style>(.*?)</style>", html).group(1)
    assert ".www .www-passage{" in sheet and ".www.www table td{" in sheet and "table th" not in sheet
    assert ".www-glossary" not in sheet and "figure" not in sheet and ".www-exercise" not in sheet
    assert "@media print{.www{" in sheet  # the print rules that apply come too


def test_a_selector_list_keeps_only_the_selectors_that_can_match():
    sheet = str(theme.style_tag('class="www"', '<div class="www-note">'))
    assert ".www .www-note{" in sheet and "www-footnote" not in sheet


def test_every_rule_a_stored_output_can_use_is_in_that_output():
    """What a class sees in a saved notebook: each output's own style sheet has every rule whose classes and elements
    all occur in that output (so it also stands alone, e.g. after other outputs are cleared)."""
    for path in sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for out in cell.get("outputs", []):
                html = "".join(out.get("data", {}).get("text/html", ""))
                html = re.sub(r'src="data:image/svg\+xml[^"]*"', "", html)  # a figure's own style is its own
                if 'class="www' not in html:
                    continue
                sheets = " ".join(re.findall(r"<style>(.*?)</style>", html, re.S))
                used = {c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split()}
                tags = set(re.findall(r"<([a-z][a-z0-9]*)", html))
                for _, selectors, _ in theme._rules():
                    for sel in selectors:
                        classes = set(re.findall(r"\.([\w-]+)", sel))
                        elements = set(re.findall(r"(?:^|[\s>+~])([a-z][a-z0-9]*)", sel))
                        if classes <= used and elements <= tags:
                            assert sel in sheets, f"{path.name}: no rule for {sel!r} in an output that uses it"
