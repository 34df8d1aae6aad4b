"""Unit tests for the CSS purge, the lean sheets and the theme's markup fixes."""
from __future__ import annotations

import re

import pytest

from feeling_safe.pages import html
from feeling_safe.pages.css_purge import UsedNames, partition_rules, purge, selector_can_match
from feeling_safe.pages.css_rules import Load, loads
from feeling_safe.pages.lean_assets import (
    CRITICAL,
    DEFERRED,
    _filled_as_text,
    can_wait,
    drop_folded_links,
    fill_critical,
    folded_extra_css,
    hashed_name,
    inline_css,
    name_sheets,
    own_sheets,
    write_lean_css,
)
from feeling_safe.pages.theme_fixes import (
    SKIP_TARGET,
    add_missing_skip_link,
    drop_generator_meta,
    drop_toggle_autocomplete,
)


def _used(html: str = "", js: str = "") -> UsedNames:
    used = UsedNames()
    used.add_html(html)
    if js:
        used.add_script(js)
    return used


PAGE = ('<html dir="ltr"><body data-md-color-scheme="default"><input data-md-color-scheme="slate">'
        '<div class="md-header" id="top"><a class="md-logo">x</a></div><p>text</p></body></html>')


@pytest.mark.parametrize("selector, kept", [
    (".md-header .md-logo", True),
    (".md-banner", False),                        # class on no page
    ("#top", True), ("#gone", False),
    ("[dir=rtl] .md-header", False),              # a value no page has
    ("[data-md-color-scheme=slate] .md-header", True),   # the palette input carries it
    ("[data-md-color-scheme=indigo]", False),
    (".md-header:not(.md-banner)", True),         # what :not() needs is optional
    (".md-header :is(.x, .y)", True),
    ("kbd", False), ("p", True), ("body > p", True),
    ('a[href$=".pdf"]', True),                    # dots inside attribute values are not classes
])
def test_selector_can_match(selector, kept):
    assert selector_can_match(selector, _used(PAGE)) is kept


def test_scripts_can_add_names():
    assert selector_can_match(".md-search-result__item", _used(PAGE, js='el.className="md-search-result__item"'))


def test_partition_keeps_media_blocks_and_splits_print_and_runtime():
    css = ("p{color:red}.md-banner{x:1}@media screen{.md-header{a:1}.gone{b:2}}"
           "@media print{p{display:none}}.md-tip{c:3}@keyframes k{0%{opacity:0}}")
    critical, deferred = partition_rules(css, _used(PAGE), _used(js='"md-tip"'))
    assert critical == "p{color:red}@media screen{.md-header{a:1}}@keyframes k{0%{opacity:0}}"
    assert deferred == "@media print{p{display:none}}.md-tip{c:3}"


def test_action_states_wait_for_the_deferred_sheet():
    css = ".md-header{a:1}.md-header:hover,.md-logo{b:2}[data-md-toggle=search]:checked~.md-header{c:3}"
    critical, deferred = partition_rules(css, _used(PAGE), UsedNames())
    assert critical == ".md-header{a:1}.md-logo{b:2}"
    assert deferred == ".md-header:hover{b:2}[data-md-toggle=search]:checked~.md-header{c:3}"


def test_purge_drops_unused_custom_properties_and_keyframes():
    css = (":root{--used:1;--only-gone:2;--chain:3}.md-header{color:var(--used);"
           "animation:spin 1s}.gone{x:var(--only-gone)}@keyframes spin{to{x:1}}@keyframes fade{to{x:0}}"
           "/* comment */")
    critical, deferred = purge(css, _used(PAGE), UsedNames(), keep_vars_used_in="a{b:var(--chain)}")
    assert critical == ":root{--used:1;--chain:3}.md-header{color:var(--used);animation:spin 1s}@keyframes spin{to{x:1}}"
    assert deferred == ""


def test_purge_is_deterministic():
    css = ".md-header{a:1}.md-header:focus{b:2}@media print{p{c:3}}"
    assert purge(css, _used(PAGE), UsedNames()) == purge(css, _used(PAGE), UsedNames())


def test_closed_panels_and_the_drawer_can_wait():
    assert can_wait(".md-search-result__item")
    assert can_wait(".md-nav--primary .md-nav__title", "screen and (max-width:76.234375em)")
    assert not can_wait(".md-nav--primary .md-nav__title", "screen and (min-width:76.25em)")
    assert not can_wait(".md-search__input")


def _site(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "stylesheets").mkdir(parents=True)
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "a").mkdir()
    styles = site / "assets" / "stylesheets"
    (styles / "main.1234abcd.min.css").write_text(".md-header{a:1}.md-unused{b:2}.md-header:hover{c:3}")
    (styles / "palette.1234abcd.min.css").write_text("[data-md-color-scheme=slate]{--x:1}")
    (styles / "site.css").write_text(".fst-note{d:var(--x)}@media print{.fst-note{e:5}}")
    (styles / "theme-fixes.css").write_text(":focus-visible{outline:1px solid}")
    (site / "assets" / "javascripts" / "bundle.abcd1234.min.js").write_text('x="md-search-result";y="highlight"')
    (site / "a" / "index.html").write_text(
        '<!doctype html><html><head><style></style>'
        '<link rel="stylesheet" href="../assets/stylesheets/lean-deferred.css" media="print">\n'
        '    <link rel="stylesheet" href="../assets/stylesheets/site.css"></head>'
        '<body><div class="md-header fst-note" data-md-color-scheme="slate"></div></body></html>')
    return site


def test_write_lean_css_folds_extra_css_and_fixes_into_the_page_and_hashes_the_deferred_name(tmp_path):
    site = _site(tmp_path)
    critical, names = write_lean_css(site, ["assets/stylesheets/site.css"])
    styles = site / "assets" / "stylesheets"
    deferred = (styles / names[DEFERRED]).read_text()
    assert critical == (".md-header{a:1}[data-md-color-scheme=slate]{--x:1}.fst-note{d:var(--x)}"
                        ":focus-visible{outline:1px solid}")
    assert deferred == ".md-header:hover{c:3}@media print{.fst-note{e:5}}"
    assert list(names) == [DEFERRED] and re.fullmatch(r"lean-deferred\.[0-9a-f]{10}\.css", names[DEFERRED])
    assert names[DEFERRED] == hashed_name(DEFERRED, deferred)
    assert not list(styles.glob("lean-critical*")), "the critical CSS travels in pages only"
    assert not (styles / "theme-fixes.css").exists()
    page = html.parse((site / "a" / "index.html").read_bytes())  # as the build writes it, then names it
    assert drop_folded_links(page, ["assets/stylesheets/site.css"])
    written, own = fill_critical(name_sheets(html.serialize(page).encode(), names), critical)
    written = written.decode()
    assert own == []
    assert f"../assets/stylesheets/{names[DEFERRED]}" in written and "site.css" not in written
    filled = html.parse(written)
    assert [style.text() for style in filled.css("style")] == [critical]
    assert filled.css_first("head > style") is not None and CRITICAL not in written


@pytest.mark.parametrize("css", ['a{content:"</style><script>x()</script>"}', 'a{content:"</STYLE "}',
                                 "a{b:c}\r\nd{e:f}", "a{b:c\x00}"])
def test_critical_css_that_a_page_would_not_read_back_is_refused(css):
    with pytest.raises(ValueError, match=r"^The critical CSS holds [^\n]+$"):
        inline_css(css)
    assert inline_css("a{content:'</b>'}") == "a{content:'</b>'}"


@pytest.mark.parametrize("css, address", [
    ('a{background:url(img/x.png)}', "img/x.png"), ("a{background:URL( 'x.svg' )}", "x.svg"),
    ('@import "more.css";a{b:c}', "more.css"), ("@import url(more.css) print;", "more.css"),
    (r"a{background:u\72l(x.png)}", "x.png"), ('a{background:image-set("x.png" 1x)}', "x.png"),
    ("@font-face{font-family:f;src:url(//fonts.example/f.woff2)}", "//fonts.example/f.woff2"),
    ('a{--u:"x.png";background:image-set(var(--u) 1x)}', "var(--u)"),
    ('@import "data:text/css,a{b:c}";', "data:text/css,a{b:c}"),
    ('@import url("a.css") supports(background:url(b.png));', "a.css"),
])
def test_critical_css_that_loads_from_an_address_is_refused(css, address):
    with pytest.raises(ValueError, match=r"^The critical CSS loads ") as refused:
        inline_css(css)
    assert repr(address) in str(refused.value) and "\n" not in str(refused.value)


def test_critical_css_may_carry_data_urls_references_to_the_page_and_the_word_url_as_text():
    css = "a{mask-image:url(\"data:image/svg+xml;charset=utf-8,<svg/>\")}b:after{content:'url(x.png)'}c{clip-path:url(#c)}"
    assert inline_css(css) == css


def test_an_import_names_one_sheet_and_a_computed_address_is_marked():
    found = loads('@import url(a.css) supports(background:url(b.png)) print;a{background:image-set(var(--u) 1x, "c.png" 2x)}')
    assert found == [Load("a.css", True, True), Load("var(--u)", False, False), Load("c.png", False, True)]


def test_the_critical_css_fills_only_an_empty_head_style_left_by_the_template():
    assert fill_critical(b"<!doctype html><p>no style</p>", "a{b:c}") == (b"<!doctype html><p>no style</p>", [])
    for page in (b"<!doctype html><html><head><style></style><style></style></head></html>",
                 b"<!doctype html><html><head><style>x{y:z}</style></head></html>",
                 b'<!doctype html><html><head><style></style><style data-fs-own="a.css">x</style></head></html>',
                 b'<!doctype html><html><head><style></style><style media="print" data-fs-own="a.css"></style>'
                 b"</head></html>"):
        with pytest.raises(ValueError, match="did not leave empty"):
            fill_critical(page, "a{b:c}")


def test_a_template_s_own_sheet_goes_into_its_own_style_minified(tmp_path):
    site = _site(tmp_path)
    (site / "assets" / "stylesheets" / "home.css").write_text("/* doors */\n.fst-door { display: block; }\n")
    page = (b'<!doctype html><html><head><style></style><link rel="stylesheet" href="x.css">'
            b'<style data-fs-own="assets/stylesheets/home.css"></style></head><body></body></html>')
    written, own = fill_critical(page, "a{b:c}", own_sheets(site))
    assert own == [".fst-door{display:block}"]
    head = html.parse(written).css_first("head")
    assert [(node.tag, node.text(), dict(node.attributes)) for node in head.css("style")] == [
        ("style", "a{b:c}", {}), ("style", ".fst-door{display:block}", {})]
    for wrong in ("a/index.html", "../outside.css"):
        with pytest.raises(ValueError, match="no stylesheet of this build"):
            fill_critical(page.replace(b"assets/stylesheets/home.css", wrong.encode()), "a{b:c}", own_sheets(site))
    missing = page.replace(b"home.css", b"gone.css")
    with pytest.raises(ValueError, match=r"^a template's <style> is for assets/stylesheets/gone.css, which this build"):
        fill_critical(missing, "a{b:c}", own_sheets(site))


def test_the_styles_are_filled_as_text_exactly_as_the_parser_fills_them(tmp_path):
    """Most pages are filled without a second parse (`_filled_as_text`): the same bytes as
    the parser's fill; and a `<style` that is text (in a script, a noscript) is never filled."""
    site = _site(tmp_path)
    (site / "assets" / "stylesheets" / "home.css").write_text(".fst-door { display: block; }\n")
    page = html.serialize(html.parse(
        '<!doctype html><html><head><meta charset="utf-8"><style></style>'
        '<style data-fs-own="assets/stylesheets/home.css"></style></head>'
        '<body><p title="a &lt;b&gt;">x &amp; y</p></body></html>')).encode()
    by_parser = html.fill_head_style(page.decode(), "a{b:c}", own_sheets(site))
    assert _filled_as_text(page, "a{b:c}", own_sheets(site)) == (by_parser[0].encode(), by_parser[1])
    for text in ('<script type="application/json">"<style></style>"</script>',
                 "<noscript><style></style></noscript>", '<script type="application/json">"<style>"</script>',
                 "<!-- <style></style> -->"):
        tricky = page.replace(b"<body>", b"<body>" + text.encode())
        assert _filled_as_text(tricky, "a{b:c}", own_sheets(site)) is None, text
    alone = b"<!doctype html><html><head></head><body><!-- <style></style> --><p>x</p></body></html>"
    assert _filled_as_text(alone, "a{b:c}", own_sheets(site)) is None, "a comment's text is never filled"
    json_text = page.replace(b"<body>", b'<body><script type="application/json">"<style></style>"</script>')
    written, _own = fill_critical(json_text, "a{b:c}", own_sheets(site))
    assert b'"<style></style>"' in written and written.count(b"a{b:c}") == 1


def test_what_only_a_clinic_page_uses_waits_for_the_deferred_sheet(tmp_path):
    """A page for clinic staff (the embed snippet's code and disclosure) does not weigh on
    every reader's first paint: its own rules load with the deferred sheet; shared ones stay."""
    site = _site(tmp_path)
    (site / "assets" / "stylesheets" / "site.css").write_text(".fst-note{d:1}.fst-snippet{f:6}")
    (site / "staff").mkdir()
    (site / "staff" / "index.html").write_text('<div class="fst-snippet fst-note"></div>')
    critical, names = write_lean_css(site, ["assets/stylesheets/site.css"], frozenset({"staff/index.html"}))
    styles = site / "assets" / "stylesheets"
    assert ".fst-snippet" not in critical
    assert ".fst-snippet{f:6}" in (styles / names[DEFERRED]).read_text()
    assert ".fst-note{d:1}" in critical


def test_extra_css_the_build_lacks_is_left_linked(tmp_path):
    site = _site(tmp_path)
    extra = folded_extra_css(site, ["assets/stylesheets/gone.css", "assets/stylesheets/site.css"])
    assert extra == ["assets/stylesheets/site.css"]
    critical, _names = write_lean_css(site, extra)
    assert ".fst-note" in critical


def test_toggles_lose_their_invalid_autocomplete():
    page = html.parse('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
                      '<input type="text" class="md-search__input" autocomplete="off">')
    drop_toggle_autocomplete(page)
    drawer, search = page.css("input")
    assert "autocomplete" not in drawer.attributes and search.attributes["autocomplete"] == "off"


def test_pages_do_not_name_the_generator_s_versions(built_pages):
    page = html.parse('<head><meta charset="utf-8">\n<meta name="generator" content="mkdocs-1.6, mkdocs-material-9.8">\n'
                      '<meta name="description" content="A page"></head><body><meta name="generator" content="kept"></body>')
    drop_generator_meta(page)
    assert [m.attributes.get("name") for m in page.css("head meta")] == [None, "description"]
    assert page.css_first("body meta").attributes["content"] == "kept", "only the theme's, in the head"
    assert not [p for p in built_pages if b'name="generator"' in p.read_bytes()]


def test_a_page_without_headings_gets_a_skip_link_to_main():
    page = html.parse('<div data-md-component="skip">\n  \n</div><main class="md-main" data-md-component="main">')
    add_missing_skip_link(page)
    link = page.css_first('div[data-md-component="skip"] a.md-skip')
    assert link.attributes["href"] == f"#{SKIP_TARGET}" and link.text() == "Skip to content"
    main = page.css_first("main")
    assert main.attributes["id"] == SKIP_TARGET and main.attributes["tabindex"] == "-1"
    has_one = ('<div data-md-component="skip"><a href="#intro" class="md-skip">Skip</a></div>'
               '<main class="md-main"></main>')
    page = html.parse(has_one)
    add_missing_skip_link(page)
    assert page.body.inner_html == has_one


def test_minify_drops_comments_and_spare_space_but_not_strings_or_calc():
    from feeling_safe.pages.css_purge import minify
    css = ('/* why */ .a  .b ,  .c { color : red ;  content: "x  ;  y" ; width: calc(1px + 2px) ; }\n'
           '@media (min-width: 10em) { .e { margin : 0 auto } }')
    assert minify(css) == ('.a .b,.c{color:red;content:"x  ;  y";width:calc(1px + 2px)}'
                           '@media (min-width:10em){.e{margin:0 auto}}')


# The stylesheet is read as CSS (tinycss2), not cut up with regexes: strings, comments,
# escapes and nested blocks are what a browser sees.

def test_comment_and_brace_inside_strings_survive_minify_and_purge():
    css = ('.md-header::after{content:"/* not a comment */ }"}/* a real one */'
           '.md-logo[title="a } b"]{x:1}.md-header{quotes:"{" "}"}')
    expected = '.md-header::after{content:"/* not a comment */ }"}.md-logo[title="a } b"]{x:1}.md-header{quotes:"{" "}"}'
    from feeling_safe.pages.css_purge import minify
    assert minify(css) == expected
    critical, deferred = purge(css, _used(PAGE), UsedNames())
    assert critical == expected and deferred == ""


def test_comments_inside_at_rules_and_selectors_go():
    css = "@media /* why */ screen /* and */ { /* inner */ .md-header /* x */ > .md-logo { a : 1 /* y */ } }"
    critical, _ = partition_rules(css, _used(PAGE), UsedNames())
    assert critical == "@media screen{.md-header>.md-logo{a:1}}"


def test_media_and_supports_are_opened_and_split_rule_by_rule():
    css = ("@media screen and (min-width: 10em){@supports (display: grid){"
           ".md-header{a:1}.md-header:hover{b:2}.md-banner{c:3}}.gone{d:4}}")
    critical, deferred = partition_rules(css, _used(PAGE), UsedNames())
    assert critical == "@media screen and (min-width:10em){@supports (display:grid){.md-header{a:1}}}"
    assert deferred == "@media screen and (min-width:10em){@supports (display:grid){.md-header:hover{b:2}}}"


def test_keyframes_stay_only_while_an_animation_names_them():
    css = ("@media screen{@keyframes gone{to{x:0}}@keyframes used{to{x:1}}.md-header{-webkit-animation:used 1s}}"
           "@keyframes named{to{x:2}}.md-logo{animation-name:named}@keyframes purged{to{x:3}}.md-banner{animation:purged}")
    critical, _ = purge(css, _used(PAGE), UsedNames())
    assert critical == ("@media screen{@keyframes used{to{x:1}}.md-header{-webkit-animation:used 1s}}"
                        "@keyframes named{to{x:2}}.md-logo{animation-name:named}")


@pytest.mark.parametrize("selector, kept", [
    (r".md-\68 eader", True),                    # an escaped letter: still .md-header
    (r".md\:header", False),                      # the class "md:header", which no page has
    (r"#\74 op", True),
    (r".md-header[title='.md-banner']", True),   # a class-like string is not a class
    (".md-header::before", True), ("P", True),    # element names are case-insensitive
])
def test_selectors_are_read_with_their_escapes(selector, kept):
    assert selector_can_match(selector, _used(PAGE)) is kept


def test_an_escaped_class_name_on_a_page_keeps_its_rule():
    used = _used('<p class="sm:grid">x</p>')
    critical, _ = partition_rules(r".sm\:grid{a:1}.sm{b:2}", used, UsedNames())
    assert critical == r".sm\:grid{a:1}"


def test_action_states_are_found_inside_functional_pseudo_classes_and_quotes():
    css = ('.md-header:not(:focus-visible){a:1}[data-md-toggle="drawer"]:checked~.md-header{b:2}'
           '.md-header:has(.md-logo){c:3}')
    critical, deferred = partition_rules(css, _used(PAGE), UsedNames())
    assert critical == ".md-header:has(.md-logo){c:3}"
    assert deferred == '.md-header:not(:focus-visible){a:1}[data-md-toggle="drawer"]:checked~.md-header{b:2}'


def test_nested_rules_stay_with_their_parent_and_text_stays_ascii():
    css = '.md-header{color:red;&:hover{color:blue}}.md-logo::after{content:"\\2713"}.md-logo{content:"\u2713b \u2713!"}'
    critical, _ = partition_rules(css, _used(PAGE), UsedNames())
    assert critical == ('.md-header{color:red;&:hover{color:blue}}.md-logo::after{content:"\\2713"}'
                        '.md-logo{content:"\\2713 b \\2713!"}')
    assert critical.isascii()


def test_invalid_declarations_go_as_a_browser_drops_them():
    css = ".md-header{color:red;;  ;width:1px}.md-logo{}"
    critical, _ = partition_rules(css, _used(PAGE), UsedNames())
    assert critical == ".md-header{color:red;width:1px}"


def test_each_sheet_is_read_on_its_own_so_an_unclosed_block_ends_with_its_sheet():
    critical, _ = purge([".md-header{a:1", ".md-logo{b:2}"], _used(PAGE), UsedNames())
    assert critical == ".md-header{a:1}.md-logo{b:2}"
