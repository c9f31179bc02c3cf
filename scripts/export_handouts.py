"""Export every lesson and the teacher's guide as standalone HTML handouts, for printing or reading offline.

    .venv/bin/python scripts/export_handouts.py            writes build/handouts/ (git-ignored), a few seconds
    .venv/bin/python scripts/export_handouts.py -o DIR     somewhere else

One page per notebook (``01_molyneux.html``, ``teacher/dashboard.html`` …), the teacher's guide
(``teacher-guide.html``, from ``helpers.lessons``) and an ``index.html`` listing them. Each page is made from the
notebook as committed (its stored outputs, which nbval keeps current), so nothing is executed:

- code hidden: only the prose and what the code shows;
- widgets shown through their readable fallbacks (each exercise's ``text/html`` twin), never "Loading widget…";
- figures with alt text: ``<img alt>`` from the figure views, or ``alt`` in an image output's metadata;
- ``<html lang="en">`` (or the notebook's ``metadata.language_code``), a ``<title>`` from the first heading;
- no scripts and nothing loaded from the network (no MathJax, no require.js), print-friendly styles.

Afterwards every page is checked (:func:`check_page`): no code, no "Loading widget", no Python reprs, no error
output, every image described, the language set. Problems are listed and the exit code is 1; the pages are written
anyway, so a teacher can still print one in a hurry.
"""
from __future__ import annotations

import argparse
import copy
import html
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "handouts"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
DEFAULT_LANGUAGE = "en"

# A Python repr where a reader should see words: "<helpers.x.Y object at 0x…>", "VBox(children=(…", "Text(value=…".
REPR_PATTERNS = [
    re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>"),
    re.compile(r"\b[A-Z]\w*\((?:children|value|description|options|layout|model_id|index|placeholder)="),
    re.compile(r"\b(?:Output|Box|VBox|HBox|Button|HTML|Label)\(\)"),
]
# Alt texts that describe nothing (nbconvert's own default among them).
EMPTY_ALT = re.compile(r"^(?:|image|figure|chart|graph|picture|plot|png|img|no description has been provided "
                       r"for this image|.*\.(?:png|jpe?g|svg|gif))$", re.IGNORECASE)
MIN_ALT_WORDS = 3

PRINT_CSS = """
body { max-width: 60em; margin: 0 auto; padding: 1em 1.5em; }
.jp-Cell { margin: 0; padding: 0; }
.jp-OutputArea-prompt, .jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
.jp-OutputArea-output { padding: 0; }
.jp-RenderedMarkdown { font-size: 17px; line-height: 1.55; }
.www-summary { font-weight: 700; }
.www-handout-note { color: #333; border-top: 1px solid #999; margin-top: 2em; padding-top: .5em; font-size: 90%; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; }
  .jp-RenderedMarkdown { font-size: 10pt; line-height: 1.3; }
  img, tr, .www-write { break-inside: avoid; }
  details:not([open]) { display: none; }  /* a folded line (data table, where to check) means nothing on paper */
  /* JupyterLab lays outputs out as flex boxes and keeps each on one page (break-inside: avoid-page): a long output
     (several passages) would jump to the next page and leave half a page empty. Printed, they are plain blocks
     that may break; only figures and the ruled space to write on stay whole. */
  .jp-Cell, .jp-Cell-outputWrapper, .jp-Cell-outputArea, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output { display: block !important; overflow: visible !important; break-inside: auto !important; }
  h1, h2, h3, h4 { break-after: avoid; }
  .www-handout-note { display: none; }  /* "open the notebook in JupyterLab" is for the screen copy */
  a { color: inherit; }
}
"""

# The lab template without scripts; images carry the alt text stored in their output's metadata.
TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}<style type="text/css">""" + PRINT_CSS + r"""</style>{%- endblock extra_css -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
     alt="{{ output | get_metadata('alt', 'image/png') | escape_html }}">
</div>
{%- endblock data_png %}
{% block data_jpg scoped %}
<div class="jp-RenderedImage jp-OutputArea-output">
<img src="data:image/jpeg;base64,{{ output.data['image/jpeg'] | escape_html }}"
     alt="{{ output | get_metadata('alt', 'image/jpeg') | escape_html }}">
</div>
{%- endblock data_jpg %}
{% block body_footer %}
<p class="www-handout-note">Handout made from the notebook <code>{{ resources.www_source }}</code> of the collection
“What Went Wrong?”. Exercises appear as text here: open the notebook in JupyterLab to answer them.</p>
{{ super() }}
{% endblock body_footer %}
"""


@dataclass
class Page:
    """One exported page: where it came from, where it went, and what is wrong with it."""

    source: str
    path: Path
    title: str
    problems: list[str] = field(default_factory=list)
    for_teacher: bool = False  # the teacher's guide and notebooks/teacher/: listed apart from the students' pages


def lesson_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every notebook under notebooks/, drafts and checkpoints excluded (as ``python3 tasks.py rerun`` finds them)."""
    skip = {"drafts", ".ipynb_checkpoints"}
    return sorted(p for p in folder.rglob("*.ipynb") if not skip & set(p.relative_to(folder).parts))


def first_heading(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The text of the notebook's first Markdown heading, without markup, for the page title."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#{1,6}\s+(.+)$", cell.source, re.MULTILINE)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return fallback


HOW_TO_PARAGRAPH = re.compile(r"(?ms)^\*How to use this notebook:\*.*?(?:\n[ \t]*\n|\Z)")


def prepare(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """Make the notebook's outputs static, in place: widget views give way to their fallbacks, saved widget state
    goes. Returns the problems only the notebook can show (a widget with no readable fallback, an image output with
    no alt text in its metadata)."""
    problems = []
    nb.metadata.pop("widgets", None)
    # "How to use this notebook: choose Run → Run All Cells…" (scripts/new_lesson.py, HOW_TO) means nothing on paper
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = HOW_TO_PARAGRAPH.sub("", str(cell.source))
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and not any(c.get("outputs") for c in code):
        problems.append(f"{name}: no stored outputs (run `python3 tasks.py rerun {name}` and commit it)")
    for n, cell in enumerate(nb.cells, 1):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                del data[WIDGET_MIME]
                if "text/html" not in data:
                    shown = str(data.get("text/plain", "")).strip()
                    problems.append(f"{name}, cell {n}: a widget with no text/html fallback shows {shown[:60]!r}")
            for mime in ("image/png", "image/jpeg"):
                if mime in data:
                    alt = str(out.get("metadata", {}).get(mime, {}).get("alt", "")).strip()
                    if not alt:
                        problems.append(f"{name}, cell {n}: a {mime} output without alt text in its metadata")
    return problems


def exporter(language: str):
    """nbconvert's HTML exporter with our template: code hidden, no prompts, no scripts."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"handout.html.j2": TEMPLATE})],
                        template_file="handout.html.j2", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, language_code=language)


LESSON_LINK = re.compile(r'href="([\w./-]+)\.ipynb"')
DETAILS_TAG = re.compile(r"<(/?)(details|summary)\b([^>]*)>", re.IGNORECASE)
OPEN_ATTR = re.compile(r"\s+open\b(=\S*)?")


def unfold_for_print(page: str) -> str:
    """Every <details> that is open, or marked ``www-print-open`` (each passage's words, each figure's sources:
    folded on screen, but paper cannot be clicked), becomes a plain <div>, its <summary> a heading line: Chromium
    never splits a <details> across pages, so a long one would leave half a page empty. Folded ones stay folded.
    One linear pass; nested <details> are matched with a stack.

    >>> unfold_for_print('<details class="a www-print-open"><summary>W</summary><details><summary>S</summary>x'
    ...                  '</details></details>')
    '<div class="a www-print-open"><div class="www-summary">W</div><details><summary>S</summary>x</details></div>'
    """
    out, pos, stack = [], 0, []
    for m in DETAILS_TAG.finditer(page):
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if tag == "details" and not closing:
            unfold = bool(re.search(r"\bopen\b|www-print-open", attrs))
            stack.append(unfold)
            new = "<div" + OPEN_ATTR.sub("", attrs) + ">" if unfold else m.group(0)
        elif tag == "details":
            new = "</div>" if stack and stack.pop() else m.group(0)
        elif stack and stack[-1]:
            new = "</div>" if closing else '<div class="www-summary">'
        else:
            new = m.group(0)
        out += [page[pos:m.start()], new]
        pos = m.end()
    return "".join(out) + page[pos:]


def export_notebook(path: Path, out_dir: Path, root: Path = NOTEBOOKS) -> Page:
    """Write one notebook's handout under ``out_dir`` (mirroring its folder under notebooks/) and check it."""
    rel = path.relative_to(root)
    source = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    nb = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(nb)
    title = first_heading(nb, path.stem)
    nb.metadata["title"] = title
    problems = prepare(nb, source)
    language = str(nb.metadata.get("language_code") or DEFAULT_LANGUAGE)
    body, _ = exporter(language).from_notebook_node(
        nb, resources={"metadata": {"name": path.stem}, "www_source": source})
    target = out_dir / rel.with_suffix(".html")
    target.parent.mkdir(parents=True, exist_ok=True)
    body = with_csp(LESSON_LINK.sub(r'href="\1.html"', body))  # links between lessons lead to the other handouts
    body = unfold_for_print(body)
    target.write_text(body, encoding="utf-8")
    return Page(source, target, title, problems + check_page(body, source), for_teacher=rel.parts[0] == "teacher")


def export_teacher_guide(out_dir: Path) -> Page:
    """The teacher's guide, as ``helpers.lessons`` builds it (the same page as ``python3 tasks.py guide``)."""
    target = out_dir / "teacher-guide.html"
    try:
        sys.path.insert(0, str(ROOT))
        from helpers.guide import GUIDE_TITLE, teacher_guide_html

        body = teacher_guide_html()
    except Exception as e:  # a data mistake: say so, keep the other handouts
        return Page("helpers.lessons", target, "Teacher's guide", [f"the teacher's guide could not be built: {e}"],
                    for_teacher=True)
    target.write_text(body, encoding="utf-8")
    return Page("helpers.guide.teacher_guide_html", target, GUIDE_TITLE, check_page(body, "teacher's guide"),
                for_teacher=True)


def write_index(pages: list[Page], out_dir: Path) -> Path:
    """index.html: the students' pages (the lessons, to print for a class) and, apart, the teacher's (the guide with
    keys and model answers, the dashboard), so nobody hands out the key by mistake."""
    def items(group: list[Page]) -> str:
        return "\n".join(f'<li><a href="{html.escape(p.path.relative_to(out_dir).as_posix())}">'
                         f"{html.escape(p.title)}</a></li>" for p in group)

    students, teacher = [p for p in pages if not p.for_teacher], [p for p in pages if p.for_teacher]
    page = (f'<!DOCTYPE html>\n<html lang="{DEFAULT_LANGUAGE}">\n<head><meta charset="utf-8">{csp()}'
            f"<title>What Went Wrong? Handouts</title>\n<style>{PRINT_CSS} body {{ font-family: sans-serif; "
            f"font-size: 18px; line-height: 1.5; }}</style></head>\n<body><main>\n<h1>What Went Wrong? Handouts</h1>"
            f"\n<h2>For students</h2>\n<p>One handout per lesson, to print (A4, with lines to write on under each "
            f"exercise) or to read; in JupyterLab the same lesson is answered on screen.</p>\n<ul>\n{items(students)}"
            f"\n</ul>\n<h2>For the teacher only</h2>\n<p>Keys, model answers and the class view: not for handing "
            f"out.</p>\n<ul>\n{items(teacher)}\n</ul>\n</main></body>\n</html>\n")
    target = out_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def csp() -> str:
    """The collection's Content-Security-Policy element (helpers/html.py): no script runs in a written page, even one
    made from a teacher's own Markdown."""
    sys.path.insert(0, str(ROOT))
    from helpers.html import csp_meta

    return str(csp_meta())


def with_csp(page: str) -> str:
    """The page with the policy as the first element of its head (before anything it could govern)."""
    return re.sub(r"<head(\s[^>]*)?>", lambda m: m.group(0) + csp(), page, count=1)


# -- checking a page --------------------------------------------------------------------------------------------
class _PageReader(HTMLParser):
    """Collects what the checks need: the html lang, images with their alt, scripts, visible text, code inputs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.images: list[dict[str, str | None]] = []
        self.svgs: list[dict[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []  # on…= attributes and javascript: links: code a page would run
        self.inputs = 0
        self.errors = 0
        self.text: list[str] = []
        self._skip = 0  # inside <style>, <script> or <title>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "img":
            self.images.append(a)
        elif tag == "svg" and a.get("role") == "img":
            self.svgs.append(a)
        elif tag == "script":
            self.scripts.append(a)
        self.handlers += [f"<{tag} {k}=…>" for k, v in attrs if k.startswith("on")
                          or (k in ("href", "src", "action", "formaction") and (v or "").strip().lower()
                              .replace(" ", "").startswith("javascript:"))]
        if "jp-CodeMirrorEditor" in classes or any(c.startswith("hl-ipython") for c in classes):
            self.inputs += 1
        if a.get("data-mime-type") == "application/vnd.jupyter.stderr":
            self.errors += 1
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def meaningful_alt(alt: str | None) -> bool:
    """An alt text that tells a reader what the image shows: a few words, not a file name or a placeholder."""
    alt = (alt or "").strip()
    return not EMPTY_ALT.match(alt) and len(alt.split()) >= MIN_ALT_WORDS


def check_page(page_html: str, name: str) -> list[str]:
    """Everything wrong with a handout, in words (an empty list when it is fine)."""
    reader = _PageReader()
    reader.feed(page_html)
    text = " ".join(" ".join(reader.text).split())
    problems = []
    if not reader.lang:
        problems.append(f"{name}: the page has no language (<html lang>)")
    if reader.inputs or "from helpers import" in text:
        problems.append(f"{name}: code is shown ({reader.inputs} code input(s))")
    if reader.errors:
        problems.append(f"{name}: {reader.errors} error output(s)")
    for marker in ("Loading widget", "Error displaying widget", WIDGET_MIME):
        if marker in page_html:
            problems.append(f"{name}: contains {marker!r}")
    for pattern in REPR_PATTERNS:
        for m in pattern.finditer(text):
            problems.append(f"{name}: a Python repr instead of words: {text[max(0, m.start() - 20):m.end() + 40]!r}")
    for img in reader.images:
        if not meaningful_alt(img.get("alt")):
            src = (img.get("src") or "")[:40]
            problems.append(f"{name}: image without meaningful alt text (alt={img.get('alt')!r}, src={src}…)")
    for svg in reader.svgs:
        if not meaningful_alt(svg.get("aria-label")):
            problems.append(f"{name}: an <svg role=img> without a meaningful aria-label")
    for script in reader.scripts:
        if script.get("src"):
            problems.append(f"{name}: loads a script from {script['src']}")
        elif (script.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            problems.append(f"{name}: runs an inline script (type={script.get('type')!r}), e.g. from a <script> "
                            "typed into a notebook's Markdown: handouts run no code")
    problems += [f"{name}: runs code from an attribute: {h}" for h in reader.handlers[:5]]
    return problems


# <script> blocks that hold data and never run (e.g. a hand-in's answers, widget state).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "application/vnd.jupyter.widget-state+json",
                     "application/vnd.jupyter.widget-view+json", "text/plain"}


def export_all(out_dir: Path = DEFAULT_OUT, notebooks: list[Path] | None = None,
               guide: bool = True) -> list[Page]:
    """Export every notebook (and the teacher's guide) into ``out_dir``, plus index.html; returns the pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = [export_notebook(p, out_dir) for p in (notebooks if notebooks is not None else lesson_notebooks())]
    if guide:
        pages.append(export_teacher_guide(out_dir))
    write_index(pages, out_dir)
    return pages


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help=f"folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    pages = export_all(args.out.resolve())
    problems = [p for page in pages for p in page.problems]
    for page in pages:
        print(f"{page.path.relative_to(args.out.resolve())}: {page.title}" + (" — PROBLEMS" if page.problems else ""))
    print(f"{len(pages)} handouts and index.html in {args.out}")
    if problems:
        print("\nProblems (the pages were written anyway):\n  - " + "\n  - ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
