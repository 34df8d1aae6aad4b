"""The fast page readers (scripts/html_scan.py and its callers) read what html.parser reads."""
from __future__ import annotations

import random
import re

import pytest

from scripts.css_purge import UsedNames
from scripts.html_scan import PageScanner
from scripts.lean_assets import trim_indentation
from scripts.security_headers import InlineCode, inline_code, pages_inline_code

# Markup the fast path must either read exactly or hand to html.parser.
TRICKY = [
    '<!doctype html><html dir="ltr"><body class="a  b"><p id="x">Hi</p></body></html>',
    '<!-- <div class="in-comment" onclick="bad()"> --><span class="after">t</span>',
    '<script>var s = "<div class=\'in-script\'>"; if (a<b) {}</script><i class="ok"></i>',
    '<SCRIPT type="text/javascript">x()</SCRIPT ><STYLE>.a{}</style><b CLASS="Up">u</b>',
    '<script type="application/ld+json">{"a": 1}</script><script src="x.js"></script>',
    '<a title="1 > 0" class="gt">x</a><a class=bare>y</a>',
    "<a data-x='<b class=\"hidden\">' class='single'>z</a>",
    '<a b ="c" class="spaced">q</a><a class="e" onmouseover="go(&quot;x&quot;)">e</a>',
    '<p>1 < 2 and <em class="em">3</em></p><![CDATA[<i class="cdata">]]><?pi <u class="pi">?>',
    '<div style="color:red" onload="this.media=\'all\'"><style>p{color:blue}</style></div>',
    '</ <b class="swallowed">><p class="after-bogus">p</p>',
    '<input checked disabled class="void"/><br/><img src="a.png" alt="">',
    '<script>never closed <b class="inside">',
    '<div\nclass="multi\nline"\n>x</div><p\tclass="tab">y</p>',
    '<a data-md-color-scheme="slate" data-md-color-primary="custom" dir="rtl">c</a>',
    '<style>a{}</style><style>a{}</style><script>1</script>\r\n<script>a\r\nb</script>',
]


def _slow_names(pages: list[str]) -> UsedNames:
    used = UsedNames()
    for page in pages:
        used.add_html(page)
    return used


def _slow_code(pages: list[str]) -> InlineCode:
    code = InlineCode()
    for page in pages:
        code.update(inline_code(page))
    return code


@pytest.mark.parametrize("page", TRICKY)
def test_fast_names_and_inline_code_match_html_parser_on_tricky_markup(page):
    fast = UsedNames()
    fast.add_pages([page])
    assert fast == _slow_names([page])
    assert pages_inline_code([page]) == _slow_code([page])


def test_all_tricky_pages_together_match_html_parser():
    fast = UsedNames()
    fast.add_pages(TRICKY)
    assert fast == _slow_names(TRICKY)
    assert pages_inline_code(TRICKY) == _slow_code(TRICKY)


@pytest.mark.parametrize("page", [
    "<?pi x?><p>", "<![CDATA[x]]>", "<a b ='c'>", "<a b=bare>", "<script>open", "<p>a <!-- open",
    "</ x>", "<a\vb>", "<a title=\"x\"y>",
])
def test_markup_outside_the_plain_subset_is_not_read_fast(page):
    assert PageScanner().tokens(page) is None


def test_plain_markup_is_read_fast_and_each_token_once():
    scanner = PageScanner()
    first = scanner.tokens('<p class="a">x</p><!-- c --><script>s()</script>')
    again = scanner.tokens('<p class="a">y</p>')
    assert first is not None and again is not None
    assert [(t.name, t.attrs) for t in scanner.start_tags(again)] == [("p", (("class", "a"),))]
    assert [(r.tag.name, r.body) for r in scanner.raw_text(first)] == [("script", "s()")]


def test_fast_readers_match_html_parser_on_every_built_page(built_pages):
    pages = [path.read_text(encoding="utf-8") for path in built_pages]
    fast = UsedNames()
    fast.add_pages(pages)
    assert fast == _slow_names(pages)
    assert pages_inline_code(pages) == _slow_code(pages)
    assert fast.classes and pages_inline_code(pages).scripts


# trim_indentation, against its definition: in the text from a tag's first ">"
# to the next "<" (outside pre, textarea, script and style), each run of
# whitespace holding a line break becomes that line break.
_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)


def _trim_by_definition(html: str) -> str:
    def text(part: str) -> str:
        return re.sub(r">([^<]+)<", lambda m: ">" + re.sub(r"[ \t\r\f]*\n\s*", "\n", m.group(1)) + "<", part)
    out, last = [], 0
    for match in _VERBATIM.finditer(html):
        out += [text(html[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join(out + [text(html[last:])])


def test_trim_indentation_follows_its_definition_on_random_markup():
    pieces = ["<", ">", "\n", " ", "\t", "\r", "\xa0", "a", "<p>", "</p>", "<pre>", "</pre>",
              "<script>", "</script >", '<a b="x>\n y">', "\f"]
    rng = random.Random(14)
    for _ in range(20000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert trim_indentation(html) == _trim_by_definition(html), repr(html)


def test_trim_indentation_follows_its_definition_on_built_pages(built_pages):
    for path in built_pages:
        indented = path.read_text(encoding="utf-8").replace("\n", "\n    \t")
        assert trim_indentation(indented) == _trim_by_definition(indented), path
