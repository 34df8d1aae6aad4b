"""The fast fragment readers (scripts/feeling_safe/pages/html_fragment.py and its callers) read what BeautifulSoup reads.

Built pages are read by one HTML5 parser (tests/test_page_html.py)."""
from __future__ import annotations

import random
import re

import pytest

from sitebuild import ROOT


# Content fragments: glossary tooltips and reading time, fast path against BeautifulSoup.
from bs4 import BeautifulSoup  # noqa: E402

from feeling_safe.content import glossary  # noqa: E402
from feeling_safe.content import reading
from feeling_safe.pages.html_fragment import read  # noqa: E402

TERMS = glossary.load_terms("t", [
    {"term": "Alliance", "also": ["therapeutic alliance"], "definition": 'The "bond" & <work> you share.'},
    {"term": "CBT", "definition": "Cognitive behavioural therapy: it's a talking therapy."},
    {"term": "rupture", "definition": "A strain in the alliance."},
])
FRAGMENTS = [
    '<h1 id="t">Alliance</h1>\n<p>The alliance matters. So does CBT &amp; more.</p>',
    '<p>Text with <a href="x.md">alliance</a> in a link, then therapeutic alliance here.</p>',
    '<div class="admonition in-short"><p class="admonition-title">In short</p><p>A rupture &lt;can&gt; heal.</p></div>',
    '<p>Line<br />break and <img alt="x" src="a.png" /> image, <hr/> alliance</p>\n\n   \n<p>CBT</p>',
    '<ul>\n  <li>  </li>\n<li>rupture &#39;quoted&#39; &quot;double&quot;</li></ul><pre>  alliance\n  </pre>',
    '<p class="a  b" data-x=\'say "hi"\' title="it\'s">Alliance</p><script>var alliance = 1;</script>',
    '<div class="fst-sources"><p>alliance in sources</p></div><p>then alliance</p><!-- alliance -->',
    '<details open><summary>CBT</summary><p>CBT again</p></details><p/><span>x</span>',
    '<p>unusual &nbsp; entity alliance</p>',
    '<p>unclosed alliance',
    '<template><p>alliance</p></template>',
    '<p>text</p><style>  </style><script>  </script><textarea>\n  alliance  </textarea>',
    '<section id="sources"><p>rupture</p></section><p class="fst-page-meta">4 min</p><p>words here</p>',
]


def _soup_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for selector in reading.GENERATED:
        for element in soup.select(selector):
            element.decompose()
    for element in soup.select("script, style"):
        element.decompose()
    return soup.get_text(" ")


def _soup_annotate(html: str) -> str:
    by_name = {n.casefold(): t for t in TERMS for n in t.names}
    return glossary._annotate_soup(html, by_name, glossary._pattern(TERMS))


@pytest.mark.parametrize("html", FRAGMENTS)
def test_fast_annotate_and_text_match_beautifulsoup(html):
    assert glossary.annotate(html, TERMS) == _soup_annotate(html)
    assert reading.page_text(html) == _soup_text(html)


def test_plain_fragments_are_read_fast_and_others_are_not():
    assert read(FRAGMENTS[0], lambda element: False) is not None
    assert read('<p>unclosed alliance', lambda element: False) is None
    assert read('<template><p>x</p></template>', lambda element: False) is None


def test_fast_annotate_and_text_match_beautifulsoup_on_random_fragments():
    pieces = ["<p>", "</p>", "<em>", "</em>", "<br />", "<a href=\"x\">", "</a>", " ", "\n", "  ",
              "alliance", "CBT", "cbt", "rupture", "&amp;", "&lt;", ">", "'", '"', "word", "<!-- c -->",
              '<span class="fst-covers">', "</span>", "<pre>", "</pre>", "&nbsp;", "<"]
    rng = random.Random(7)
    for _ in range(3000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        assert glossary.annotate(html, TERMS) == _soup_annotate(html), repr(html)
        assert reading.page_text(html) == _soup_text(html), repr(html)


def test_fast_annotate_and_text_match_beautifulsoup_on_every_built_article(built_pages):
    terms = glossary.load_terms("glossary", [
        {"term": t.term, "also": list(t.also), "definition": t.definition} for t in TERMS])
    for path in built_pages:
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article")
        if article is None:
            continue
        html = article.decode_contents()
        assert glossary.annotate(html, terms) == _soup_annotate(html), path
        assert reading.page_text(html) == _soup_text(html), path


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
