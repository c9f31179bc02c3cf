"""HTML is built in one place and escapes by default."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.html import Markup, el, esc, runs_html
from helpers.texts import Run, inline_runs


def test_text_children_and_attributes_are_escaped():
    out = el("p", "<script>alert('x')</script>", title='"><img src=x onerror=alert(1)>')
    assert "<script>" not in out and "<img" not in out
    assert out == ('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'
                   "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>")


def test_markup_passes_and_flags_work():
    assert el("details", el("summary", "a"), open=True, hidden=None) == "<details open><summary>a</summary></details>"
    assert el("div", class_="x", aria_label="y") == '<div class="x" aria-label="y"></div>'
    assert isinstance(esc("a") + "<b>", Markup) and esc("a") + "<b>" == "a&lt;b&gt;"


def test_a_markup_attribute_passes_but_cannot_end_its_quotes():
    assert el("img", src=Markup("data:x,<svg a='1'>")) == "<img src=\"data:x,<svg a='1'>\">"
    with pytest.raises(ValueError, match="'src'"):
        el("img", src=Markup('x" onerror="alert(1)'))


def test_runs_keep_emphasis_and_escape_the_rest():
    html = runs_html(inline_runs("*byt* <b>not bold</b> 10<sup>th</sup> x<sup>2</sup>"))
    assert html == ('<em>byt</em> &lt;b&gt;not bold&lt;/b&gt; 10<sup>th</sup> '
                    'x<sup class="www-marker" title="footnote 2">2</sup>')


@given(st.text())
def test_no_text_ever_becomes_a_tag(text):
    html = runs_html(inline_runs(text))
    allowed = ("<em>", "</em>", "<strong>", "</strong>", "<sup>", "</sup>", '<sup class="www-marker"',
               '<span class="www-url">', "</span>")
    stripped = str(html)
    for tag in allowed:
        stripped = stripped.replace(tag, "")
    assert "<" not in stripped.replace('title="footnote', "")
    assert runs_html([Run(text)]) == esc(text)


def test_void_elements_have_no_end_tag():
    assert el("img", src="data:image/png;base64,AA", alt="A <chart>") == '<img src="data:image/png;base64,AA" alt="A &lt;chart&gt;">'
    import pytest
    with pytest.raises(ValueError, match="void"):
        el("br", "text")
