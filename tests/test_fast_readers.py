"""The fast page readers (scripts/feeling_safe/pages/html_scan.py and its callers) read what html.parser reads."""
from __future__ import annotations

import random
import re

import pytest

from feeling_safe.pages.css_purge import UsedNames
from feeling_safe.pages.html_scan import PageScanner
from feeling_safe.pages.lean_assets import trim_indentation
from feeling_safe.pages.inline_code import Inspector, scan
from sitebuild import ROOT

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


ALLOWED = [re.compile(r"s\(\)"), re.compile(r"1"), re.compile(r"x\(\)")]


def _verdicts(found) -> tuple:
    return found.scripts, sorted({problem for _, problem in found.problems})


def _fast_matches_slow(pages: list[str]) -> bool:
    """The inline-code check reads each page as html.parser does (tests/test_hostile_content.py)."""
    inspector = Inspector(ALLOWED)
    return all(_verdicts(inspector.scan(page)) == _verdicts(scan(page, ALLOWED)) for page in pages)


@pytest.mark.parametrize("page", TRICKY)
def test_fast_names_and_inline_code_match_html_parser_on_tricky_markup(page):
    fast = UsedNames()
    fast.add_pages([page])
    assert fast == _slow_names([page])
    assert _fast_matches_slow([page])


def test_all_tricky_pages_together_match_html_parser():
    fast, from_bytes = UsedNames(), UsedNames()
    fast.add_pages(TRICKY)
    from_bytes.add_pages(page.encode("utf-8") for page in TRICKY)
    assert fast == from_bytes == _slow_names(TRICKY)
    assert _fast_matches_slow(TRICKY)


@pytest.mark.parametrize("page", [
    "<?pi x?><p>", "<![CDATA[x]]>", "<a b ='c'>", "<a b=bare>", "<script>open", "<p>a <!-- open",
    "</ x>", "<a\vb>", "<a title=\"x\"y>",
])
def test_markup_outside_the_plain_subset_is_not_read_fast(page):
    assert PageScanner().add(page) is False


def test_plain_markup_is_read_fast_line_by_line_or_whole():
    scanner = PageScanner()
    assert scanner.add('<p class="a">x</p><!-- c -->\n<script>s()</script>')
    assert scanner.add('<p class="a">y</p>\n<div\nclass="b">z</div>')   # a tag across lines: read whole
    assert sorted((t.name, t.attrs) for t in scanner.start_tags()) == [
        ("div", (("class", "b"),)), ("p", (("class", "a"),)), ("script", ())]
    assert [(r.tag.name, r.body) for r in scanner.raw_text()] == [("script", "s()")]


def test_fast_readers_match_html_parser_on_every_built_page(built_pages):
    pages = [path.read_text(encoding="utf-8") for path in built_pages]
    fast, from_bytes = UsedNames(), UsedNames()
    fast.add_pages(pages)
    from_bytes.add_pages(page.encode("utf-8") for page in pages)
    assert fast == from_bytes == _slow_names(pages)
    assert _fast_matches_slow(pages)
    assert fast.classes


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


def test_dropping_a_link_takes_the_whitespace_before_it_like_a_leading_backslash_s_star():
    from feeling_safe.pages.lean_assets import _drop_with_leading_space
    link = re.compile(rb'<link rel="stylesheet" href="(?:\./|\.\./)*a\.css">')
    pieces = [" ", "\n", "\xa0", "\u2003", "\x1c", "x", "é", '<link rel="stylesheet" href="a.css">',
              '<link rel="stylesheet" href="../a.css">', '<link rel="stylesheet" href="b.css">', "<p>"]
    rng = random.Random(3)
    for _ in range(20000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        expected = re.sub(r"\s*" + link.pattern.decode(), "", html)
        assert _drop_with_leading_space(html.encode("utf-8"), link).decode("utf-8") == expected, repr(html)


def test_line_breaks_collapse_like_the_indent_pattern():
    from feeling_safe.pages.lean_assets import _INDENT, _collapse_line_breaks
    pieces = [" ", "\t", "\n", "\r", "\f", "\xa0", "a", "\u2003", "\v", "\x1c", "b c"]
    rng = random.Random(5)
    for _ in range(50000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert _collapse_line_breaks(text) == _INDENT.sub("\n", text), repr(text)


def test_a_plain_start_tag_reads_as_html_parser_reads_it():
    from html.parser import HTMLParser

    from feeling_safe.pages.html_scan import read_token

    class OneTag(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, tuple(attrs)))

        handle_startendtag = handle_starttag

    pieces = [" ", "\n", "b", "B", "=", '"x"', "'y'", '"&amp;"', "'it&#39;s'", '""', "c-d", "/", ">",
              '"a b"', "'\"'", "x:y"]
    rng = random.Random(9)
    plain = 0
    for _ in range(30000):
        token = rng.choice(["<a", "<DIV"]) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) + ">"
        read = read_token(token)
        if read is False:
            continue
        parser = OneTag()
        parser.feed(token)
        assert parser.found == [(read.name, read.attrs)], token
        plain += 1
    assert plain > 1000


def test_trimming_nav_item_by_item_is_trimming_the_whole():
    pieces = [" ", "\t", "\n", "\r", "\xa0", "a", "<li", "<li>", "<li ", ">", "  ", "\n  ", "\v", "b c",
              "<p>", '<a b="x>\n y">', "<li\n>"]
    rng = random.Random(11)
    for _ in range(50000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert trim_indentation(html) == _trim_by_definition(html), repr(html)


def test_embed_page_source_reads_back_as_the_page_with_the_embed_layout():
    import yaml

    from feeling_safe.publishing.embed import embed_page_source
    from feeling_safe.content.frontmatter import split_page as split_front_matter
    for path in sorted((ROOT / "docs").glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        expected = {**meta, "template": "embed.html", "search": {"exclude": True}}
        assert split_front_matter(embed_page_source(meta, body)) == (expected, body), path
        plain = f"---\n{yaml.safe_dump(expected, sort_keys=False, allow_unicode=True)}---\n\n{body}"
        assert split_front_matter(plain) == split_front_matter(embed_page_source(meta, body)), path
