"""Unit tests for the CSS purge, the lean sheets and the theme's markup fixes."""
from __future__ import annotations

import re

import pytest

from feeling_safe.pages import html
from feeling_safe.pages.css_purge import UsedNames, partition_rules, purge, selector_can_match
from feeling_safe.pages.lean_assets import (CRITICAL, DEFERRED, can_wait, folded_extra_css, hashed_name, point_pages_at,
                                 write_lean_css)
from feeling_safe.pages.theme_fixes import SKIP_TARGET, add_missing_skip_link, drop_toggle_autocomplete


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
        '<!doctype html><link rel="stylesheet" href="../assets/stylesheets/lean-critical.css">'
        '<link rel="stylesheet" href="../assets/stylesheets/lean-deferred.css" media="print">\n'
        '    <link rel="stylesheet" href="../assets/stylesheets/site.css">'
        '<div class="md-header fst-note" data-md-color-scheme="slate"></div>')
    return site


def test_write_lean_css_folds_extra_css_and_fixes_and_hashes_names(tmp_path):
    site = _site(tmp_path)
    names = write_lean_css(site, ["assets/stylesheets/site.css"])
    styles = site / "assets" / "stylesheets"
    critical = (styles / names[CRITICAL]).read_text()
    deferred = (styles / names[DEFERRED]).read_text()
    assert critical == (".md-header{a:1}[data-md-color-scheme=slate]{--x:1}.fst-note{d:var(--x)}"
                        ":focus-visible{outline:1px solid}")
    assert deferred == ".md-header:hover{c:3}@media print{.fst-note{e:5}}"
    assert re.fullmatch(r"lean-critical\.[0-9a-f]{10}\.css", names[CRITICAL])
    assert names[CRITICAL] == hashed_name(CRITICAL, critical)
    assert not (styles / "theme-fixes.css").exists()
    assert point_pages_at(site, names, ["assets/stylesheets/site.css"]) == 1
    html = (site / "a" / "index.html").read_text()
    assert f"../assets/stylesheets/{names[CRITICAL]}" in html and f"../assets/stylesheets/{names[DEFERRED]}" in html
    assert "site.css" not in html


def test_what_only_a_clinic_page_uses_waits_for_the_deferred_sheet(tmp_path):
    """A page for clinic staff (the embed snippet's code and disclosure) does not weigh on
    every reader's first paint: its own rules load with the deferred sheet; shared ones stay."""
    site = _site(tmp_path)
    (site / "assets" / "stylesheets" / "site.css").write_text(".fst-note{d:1}.fst-snippet{f:6}")
    (site / "staff").mkdir()
    (site / "staff" / "index.html").write_text('<div class="fst-snippet fst-note"></div>')
    names = write_lean_css(site, ["assets/stylesheets/site.css"], frozenset({"staff/index.html"}))
    styles = site / "assets" / "stylesheets"
    assert ".fst-snippet" not in (styles / names[CRITICAL]).read_text()
    assert ".fst-snippet{f:6}" in (styles / names[DEFERRED]).read_text()
    assert ".fst-note{d:1}" in (styles / names[CRITICAL]).read_text()


def test_extra_css_the_build_lacks_is_left_linked(tmp_path):
    site = _site(tmp_path)
    extra = folded_extra_css(site, ["assets/stylesheets/gone.css", "assets/stylesheets/site.css"])
    assert extra == ["assets/stylesheets/site.css"]
    names = write_lean_css(site, extra)
    assert ".fst-note" in (site / "assets" / "stylesheets" / names[CRITICAL]).read_text()


def test_toggles_lose_their_invalid_autocomplete():
    page = html.parse('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
                      '<input type="text" class="md-search__input" autocomplete="off">')
    drop_toggle_autocomplete(page)
    drawer, search = page.css("input")
    assert "autocomplete" not in drawer.attributes and search.attributes["autocomplete"] == "off"


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
    css = '/* why */ .a  .b ,  .c { color : red ;  content: "x  ;  y" ; width: calc(1px + 2px) ; }\n@media (min-width: 10em) { .e { margin : 0 auto } }'
    assert minify(css) == ('.a .b,.c{color:red;content:"x  ;  y";width:calc(1px + 2px)}'
                           '@media (min-width: 10em){.e{margin:0 auto}}')
