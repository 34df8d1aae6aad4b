"""Unit tests for feeling_safe/publishing/embed.py and feeling_safe/publishing/api.py (no build needed)."""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from selectolax.lexbor import LexborHTMLParser

from feeling_safe.content.dates import human_date
from feeling_safe.content.frontmatter import split_page as split_front_matter
from feeling_safe.plugin.partials import Partials
from feeling_safe.publishing import api
from feeling_safe.publishing.embed import (
    absolute_url,
    clean_fragment,
    embed_dest_uri,
    embed_page_source,
    embed_src_uri,
    embeddable,
    expand_shortcodes,
    frame_links,
    page_picker,
    relative_root,
    shortcode_problems,
    slug_of,
    snippet,
)
from sitebuild import ROOT

PARTIALS = Partials(ROOT / "overrides")

PAGE = "https://guide.example/embed/what-it-is/"


@pytest.mark.parametrize("kind, expected", [
    ("explainer", True), ("tool", True), ("home", False), ("help", False),
    ("reference", False), ("clinic", False), (None, False),
])
def test_only_explainer_and_tool_pages_get_an_embed_view(kind, expected):
    assert embeddable({"kind": kind}) is expected


def test_embed_view_sits_beside_its_page_and_is_served_under_embed():
    assert slug_of("what-it-is.md") == "what-it-is"
    assert slug_of("part/page.md") == "part/page"
    assert embed_src_uri("part/page.md") == "part/page.embed.md"
    assert embed_dest_uri("what-it-is") == "embed/what-it-is/index.html"


def test_embed_page_source_keeps_the_metadata_and_text_and_picks_the_embed_layout():
    meta = {"title": "A page", "kind": "explainer", "last_reviewed": dt.date(2026, 11, 26)}
    body = "# A page\n\nSome [link](other.md).\n"
    parsed, parsed_body = split_front_matter(embed_page_source(meta, body))
    assert parsed == {**meta, "template": "embed.html", "search": {"exclude": True}}
    assert parsed_body.strip() == body.strip()


def test_human_date():
    assert human_date(dt.date(2026, 11, 6)) == "6 November 2026"
    assert human_date("2027-01-31") == "31 January 2027"


@pytest.mark.parametrize("url, expected", [
    ("../../therapeutic-alliance/", "https://guide.example/therapeutic-alliance/"),
    ("../../glossary/#alliance", "https://guide.example/glossary/#alliance"),
    ("#sources", "#sources"),
    ("https://doi.org/10.1/x", "https://doi.org/10.1/x"),
    ("tel:988", "tel:988"),
    ("//cdn.example/x", "//cdn.example/x"),
])
def test_absolute_url(url, expected):
    assert absolute_url(PAGE, url) == expected


def test_frame_links_send_other_pages_to_the_top_window_and_keep_in_page_links():
    markup = ('<a href="../../self-check/">check</a> <a href="#sources">1</a> '
              '<a class="x" href="https://doi.org/1" target="_blank">doi</a> '
              '<link rel="stylesheet" href="../../assets/site.css"><img src="../../a.png">')
    doc = BeautifulSoup(frame_links(markup, PAGE), "html.parser")
    links = doc.find_all("a")
    assert links[0]["href"] == "https://guide.example/self-check/" and links[0]["target"] == "_top"
    assert links[1]["href"] == "#sources" and not links[1].has_attr("target")
    assert links[2]["target"] == "_blank", "an explicit target is kept"
    assert doc.find("link")["href"] == "../../assets/site.css", "only <a> links change"
    assert doc.find("img")["src"] == "../../a.png"


def test_frame_links_rewrite_a_whole_page_and_keep_it_a_page():
    page = ('\n<!doctype html>\n<html lang="en"><head><title>T</title></head>\n<body>'
            '<a href="../../self-check/?a=1&amp;b=2">check</a><a href="#top">top</a></body></html>\n')
    out = frame_links(page, PAGE)
    doc = LexborHTMLParser(out)
    assert out.lower().startswith("<!doctype html>") and doc.css_first("title").text() == "T"
    assert [(a.attrs["href"], a.attrs.get("target")) for a in doc.css("a")] == [
        ("https://guide.example/self-check/?a=1&b=2", "_top"), ("#top", None)]


def test_clean_fragment_drops_scripts_styles_handlers_and_header_anchors():
    markup = ('<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2>'
              '<script>alert(1)</script><style>p{}</style><noscript>x</noscript>'
              '<p onclick="evil()">See <a href="../glossary/#t">t</a> '
              '<img src="../img/x.png" alt=""></p>')
    out = clean_fragment(markup, "https://guide.example/what-it-is/")
    doc = BeautifulSoup(out, "html.parser")
    assert not doc.find_all(["script", "style", "noscript"])
    assert not doc.select(".headerlink")
    assert not doc.p.has_attr("onclick")
    assert doc.a["href"] == "https://guide.example/glossary/#t"
    assert doc.img["src"] == "https://guide.example/img/x.png"
    assert doc.h2.get_text() == "A"


HOSTILE_MARKUP = [
    '<scr<script>ipt>alert(1)</script>',
    '<a href="jAvAsCrIpT:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a><a href="vbscript:msgbox(1)">v</a>',
    '<svg><script>alert(1)</script></svg>',
    '<svg onload="alert(1)"><a href="#x">s</a></svg>',
    '<img src="data:image/png;base64,AAAA" onerror="alert(1)">',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://evil.example/"></iframe>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">s</p>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<div><p>unclosed <em>text <a href="../x/" onclick=alert(1)>link',
    '<form action="https://evil.example/"><input name=q><button formaction="javascript:alert(1)">b</button></form>',
    '<object data="x.swf"></object><embed src="x.swf"><template><script>1</script></template>',
    '<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css">',
    '<p data-x="1" title="&lt;script&gt;">t</p><!-- <script>alert(1)</script> -->',
]


@pytest.mark.parametrize("markup", HOSTILE_MARKUP)
def test_clean_fragment_leaves_nothing_that_runs_in_hostile_markup(markup):
    out = clean_fragment(markup, "https://guide.example/what-it-is/")
    doc = BeautifulSoup(out, "html.parser")
    assert not doc.find_all(["script", "style", "iframe", "meta", "svg", "math", "form", "input", "button",
                             "object", "embed", "template", "base", "link", "noscript"]), out
    for tag in doc.find_all(True):
        assert not [name for name in tag.attrs if name.startswith(("on", "data-")) or name in ("style", "srcdoc")], out
        for name in ("href", "src"):
            if tag.has_attr(name):
                assert urlsplit(tag[name]).scheme in ("https", "mailto", "tel", "sms") or tag[name].startswith("#"), out
    assert "javascript:" not in out.lower() and "<script" not in out.lower().replace("&lt;script", "")


def test_clean_fragment_keeps_the_article_markup_consumers_need():
    markup = ('<h2 id="talk">Talk</h2><p class="fst-covers">One <strong>strong</strong> and <em>em</em> '
              '<abbr class="fst-term" tabindex="0" title="A working bond.">alliance</abbr> <code>x</code></p>'
              '<ul><li id="source-a">A <a href="#talk">in page</a></li></ul><ol start="2"><li>Two</li></ol>'
              '<blockquote><p>Said.</p></blockquote><details><summary>More</summary><p>Hidden</p></details>'
              '<table><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td>D</td></tr></tbody></table>'
              '<p><a href="mailto:hi@guide.example">mail</a> <a href="tel:988">call</a> '
              '<a href="sms:741741?body=HOME">text</a> <time datetime="2026-11-26">26 November 2026</time></p>'
              '<aside class="clinic-contact-line" aria-label="Contact"><div role="note">Call us.</div></aside>')
    out = clean_fragment(markup, "https://guide.example/what-it-is/")
    assert out == markup


def test_snippet_has_titled_lazy_frames_of_fixed_height_and_the_script_once():
    html = snippet(PARTIALS, [("One (Guide)", "https://g.example/embed/one/", "https://g.example/one/"),
                    ("Two (Guide)", "https://g.example/embed/two/", "https://g.example/two/")], "https://g.example/embed.js")
    doc = BeautifulSoup(html, "html.parser")
    frames = doc.find_all("iframe")
    assert [f["src"] for f in frames] == ["https://g.example/embed/one/", "https://g.example/embed/two/"]
    for frame in frames:
        assert frame["title"] and frame["loading"] == "lazy" and int(frame["height"]) >= 300
        assert not frame.has_attr("scrolling"), "without the script the frame must stay scrollable"
        # Strict hosts (style-src 'self') block inline styles: size and border are attributes.
        assert not frame.has_attr("style") and frame["width"] == "100%" and frame["frameborder"] == "0"
        # Before each frame, a quoted link naming its page (WordPress shows it until the frame speaks).
        quote = frame.find_previous_sibling()
        assert quote.name == "blockquote" and quote.a["href"] == frame["src"].replace("/embed/", "/")
        assert quote.a.get_text() == frame["title"]
    assert not doc.select("[style]") and "<style" not in html
    assert [s["src"] for s in doc.find_all("script")] == ["https://g.example/embed.js"]


def test_page_picker_works_without_javascript():
    choices = [{"slug": s, "title": s.title(), "frame_title": f"{s} (G)", "embed_url": f"https://g.example/embed/{s}/",
                "page_url": f"https://g.example/{s}/"} for s in ("one", "two")]
    doc = BeautifulSoup(page_picker(PARTIALS, choices, "https://g.example/embed.js", "../"), "html.parser")
    assert doc.find("form").has_attr("hidden"), "the menu appears only when the script can run"
    shown = BeautifulSoup(doc.find("code").get_text(), "html.parser")
    assert shown.iframe["src"] == "https://g.example/embed/one/"
    assert doc.find("iframe", class_="fs-embed-picker__preview")["src"] == "../embed/one/"
    options = {o["value"]: o for o in doc.find_all("option")}
    assert set(options) == {"all", "one", "two"}
    every = BeautifulSoup(options["all"]["data-snippet"], "html.parser")
    assert len(every.find_all("iframe")) == 2 and len(every.find_all("script")) == 1
    assert "https://g.example/embed/two/" in doc.find("details").get_text()


def test_unknown_shortcodes_are_named_with_the_file_and_known_ones_expand():
    text = "A\n<!-- embed:picker -->\n<!--embed:pickr-->\n<!-- embed:list -->\n"
    assert shortcode_problems("docs/a.md", text) == [
        "docs/a.md: unknown shortcode embed:list; known: embed:picker",
        "docs/a.md: unknown shortcode embed:pickr; known: embed:picker"]
    assert shortcode_problems("docs/a.md", "<!-- embed:picker --> <!-- other comment -->") == []
    assert expand_shortcodes("A\n<!-- embed:picker -->\nB", {"picker": "<div>P</div>"}) == "A\n<div>P</div>\nB"


def test_records_come_in_reading_order_with_pages_outside_the_nav_last():
    records = {src: f"record of {src}" for src in ("z.md", "b.md", "a.md", "orphan.md", "extra.md")}
    assert api.in_reading_order(records, ["b.md", "z.md", "a.md"]) == [
        "record of b.md", "record of z.md", "record of a.md", "record of extra.md", "record of orphan.md"]


@pytest.mark.parametrize("url, root", [("embed-this-guide/", "../"), ("", ""), ("a/b/", "../../")])
def test_relative_root(url, root):
    assert relative_root(url) == root


def _record(**kw):
    base = dict(slug="what-it-is", title="What it is", description="One  line\nsentence.",
                kind="explainer", url="what-it-is/", last_reviewed=dt.date(2026, 11, 26),
                next_review="2027-05-26", words=401, embeddable=True, content="<p>x</p>")
    return api.PageRecord(**{**base, **kw})


def test_feed_entry_has_absolute_addresses_dates_and_reading_time():
    entry = api.entry(_record(), "https://g.example/")
    assert entry == {
        "slug": "what-it-is", "title": "What it is", "description": "One line sentence.",
        "kind": "explainer", "url": "https://g.example/what-it-is/",
        "embed_url": "https://g.example/embed/what-it-is/",
        "oembed_url": "https://g.example/api/v1/oembed/what-it-is.json",
        "last_reviewed": "2026-11-26", "next_review": "2027-05-26",
        "word_count": 401, "reading_minutes": 3,
    }


def _snippet_of(record) -> str:
    return snippet(PARTIALS, [(f"{record.title} (Guide)", f"https://g.example/embed/{record.slug}/",
                               f"https://g.example/{record.slug}/")], "https://g.example/embed.js")


def test_pages_without_an_embed_view_have_null_embed_addresses_and_no_oembed_file():
    page = _record(slug="about", kind="reference", url="about/", embeddable=False)
    entry = api.entry(page, "https://g.example/")
    assert entry["embed_url"] is None and entry["oembed_url"] is None
    files = api.api_files([page], "Guide", "https://g.example/", _snippet_of)
    assert sorted(files) == ["api/v1/pages.json", "api/v1/pages/about.json"]


def test_oembed_is_a_rich_response_with_the_snippet():
    html = snippet(PARTIALS, [("What it is (Guide)", "https://g.example/embed/what-it-is/",
                               "https://g.example/what-it-is/")], "https://g.example/embed.js")
    data = api.oembed(_record(), "Guide", "https://g.example/", html)
    assert {k: data[k] for k in ("type", "version", "provider_name", "provider_url", "title")} == {
        "type": "rich", "version": "1.0", "provider_name": "Guide",
        "provider_url": "https://g.example/", "title": "What it is"}
    frame = BeautifulSoup(data["html"], "html.parser").iframe
    assert frame["src"] == "https://g.example/embed/what-it-is/"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)


def test_api_output_is_deterministic_and_sorted():
    pages = [_record(), _record(slug="b", url="b/", embeddable=False)]
    first = api.api_files(pages, "Guide", "https://g.example/", _snippet_of)
    assert first == api.api_files(pages, "Guide", "https://g.example/", _snippet_of)
    feed = first["api/v1/pages.json"]
    assert feed == json.dumps(json.loads(feed), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert [p["slug"] for p in json.loads(feed)["pages"]] == ["what-it-is", "b"], "order is kept"


def test_record_from_meta_names_the_file_and_every_missing_field():
    meta = {"title": "T", "description": "D", "kind": "tool", "last_reviewed": "2026-01-01",
            "next_review": "2027-01-01"}
    record = api.record_from_meta("part/page.md", "part/page/", meta)
    assert (record.slug, record.url, record.embeddable) == ("part/page", "part/page/", True)
    with pytest.raises(ValueError, match=r"extra\.md: .*description, next_review"):
        api.record_from_meta("extra.md", "extra/", {**meta, "description": "", "next_review": None})


def test_embed_page_source_reads_back_as_the_page_with_the_embed_layout():
    import yaml

    from feeling_safe.content.frontmatter import split_page as split_front_matter
    from feeling_safe.publishing.embed import embed_page_source
    for path in sorted((ROOT / "docs").glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        expected = {**meta, "template": "embed.html", "search": {"exclude": True}}
        assert split_front_matter(embed_page_source(meta, body)) == (expected, body), path
        plain = f"---\n{yaml.safe_dump(expected, sort_keys=False, allow_unicode=True)}---\n\n{body}"
        assert split_front_matter(plain) == split_front_matter(embed_page_source(meta, body)), path
