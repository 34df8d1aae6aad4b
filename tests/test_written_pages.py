"""Each page as the build writes it (feeling_safe/pages/written.py): one parse, then plain names.

The build reads each page once, in on_post_page (feeling_safe/plugin/plugin.py): the names
the CSS purge needs, the icons (pointed at a placeholder) and the links to the folded-in
sheets (dropped); on_post_build then names the deferred sheet and the sprite by replacing the
placeholders in each page's bytes, and fills the head's empty <style> with the critical CSS.
These tests run that path on small pages, as the build does.
"""
from __future__ import annotations

from pathlib import Path

from feeling_safe.pages import html
from feeling_safe.pages.css_purge import UsedNames
from feeling_safe.pages.icon_sprite import SPRITE_PLACEHOLDER, sprite_document, write_sprite
from feeling_safe.pages.lean_assets import CRITICAL, DEFERRED, STYLES, drop_folded_links
from feeling_safe.pages.written import WrittenPages, tidy

ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 2h3"></path></svg>'
EXTRA = ["assets/stylesheets/site.css"]
SHEETS = {DEFERRED: "lean-deferred.abcdef0123.css"}
CRITICAL_CSS = ".md-header{color:red}"


def _page(base: str) -> str:
    return (f'<!doctype html><html dir="ltr"><head>'
            f'<style></style>\n    '
            f'<link rel="stylesheet" href="{base}assets/stylesheets/{DEFERRED}" media="print">\n    '
            f'<link rel="stylesheet" href="{base}assets/stylesheets/site.css">\n'
            f'<noscript><link rel="stylesheet" href="{base}assets/stylesheets/{DEFERRED}"></noscript></head>'
            f'<body><a class="md-logo" href="{base}">{ICON}</a><label class="md-icon">{ICON}</label>'
            f'<p id="x">Text</p><svg class="kept" viewBox="0 0 1 1"><path d="M0 0"></path></svg></body></html>')


def write_like_the_build(site: Path, pages: dict[str, str], folded: list[str] = EXTRA,
                         late: frozenset[str] = frozenset()) -> tuple[WrittenPages, str | None]:
    """`pages` (site-relative path -> the generator's HTML) written as a published build writes
    them (on_post_page), then the sprite written and the names put in (on_post_build), with
    the sheets' hashed names given; returns what the pages gave, and the sprite's path."""
    taken, repeated = WrittenPages(), html.RepeatedParts()
    for dest, text in pages.items():
        output, _checked = tidy(text, repeated, late=dest in late, into=taken, dest=dest, folded_css=folded)
        (site / dest).parent.mkdir(parents=True, exist_ok=True)
        (site / dest).write_text(output, encoding="utf-8")
    sprite = write_sprite(site, taken.icons)
    taken.name_pages(site, SHEETS, sprite, CRITICAL_CSS)
    return taken, sprite


def test_pages_are_read_once_as_written_and_named_after_the_last(tmp_path):
    pages = {"index.html": _page(""), "guide/index.html": _page("../")}
    taken, sprite = write_like_the_build(tmp_path, pages)
    # The purge's names are the pages' own, read before anything in them changed.
    before = UsedNames()
    before.add_pages(pages.values())
    assert taken.names == (before, UsedNames()) and sorted(taken.pages) == sorted(pages)
    assert (tmp_path / sprite).read_text(encoding="utf-8") == sprite_document(taken.icons)
    [(icon_id, _)] = taken.icons.items()  # the same icon on both pages: one symbol
    for dest, base in (("index.html", ""), ("guide/index.html", "../")):
        final = (tmp_path / dest).read_bytes()
        assert b"site.css" not in final and b"placeholder" not in final and SPRITE_PLACEHOLDER.encode() not in final
        page = html.parse(final)
        links = [(link.attributes["href"], link.attributes.get("media")) for link in page.css("link")]
        assert links == [(f"{base}{STYLES}/{SHEETS[DEFERRED]}", "print")], "no blocking sheet"
        assert CRITICAL.encode() not in final
        assert [style.text() for style in page.css("head > style")] == [CRITICAL_CSS]
        assert f'{base}{STYLES}/{SHEETS[DEFERRED]}' in page.css_first("noscript").text()
        uses = [use.attributes["href"] for use in page.css("svg > use")]
        assert uses == [f"{base}{sprite}#{icon_id}"] * 2
        assert page.css_first("svg.kept path") is not None, "an icon with an attribute of its own stays inline"


def test_a_late_page_s_names_are_kept_apart(tmp_path):
    pages = {"index.html": _page(""), "staff/index.html": _page("../").replace('id="x"', 'class="fst-staff"')}
    taken, _sprite = write_like_the_build(tmp_path, pages, late=frozenset({"staff/index.html"}))
    assert "fst-staff" in taken.names[1].classes and "fst-staff" not in taken.names[0].classes


def test_a_page_without_the_lean_sheets_keeps_its_links():
    page = html.parse('<!doctype html><html><head><link rel="stylesheet" href="assets/stylesheets/site.css">'
                      '</head><body></body></html>')
    assert not drop_folded_links(page, EXTRA) and "site.css" in html.serialize(page)
