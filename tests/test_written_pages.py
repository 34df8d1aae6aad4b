"""Pages prepared as they are written give what rewriting the whole site after the build gives.

The build reads each page once, in on_post_page (feeling_safe/plugin/plugin.py): the names
the CSS purge needs, the icons (pointed at a placeholder) and the links to the folded-in
sheets (dropped); on_post_build then names the sheets and the sprite by replacing the
placeholders in each page's bytes. These tests hold that path to the one that rewrites
every page of a site after the build (still used for a page the build did not write).
"""
from __future__ import annotations

from feeling_safe.pages import html
from feeling_safe.pages.css_purge import UsedNames
from feeling_safe.pages.icon_sprite import collect_icons, move_icons, move_icons_to_sprite, name_sprite, write_sprite
from feeling_safe.pages.lean_assets import CRITICAL, DEFERRED, drop_folded_links, name_sheets, point_pages_at

ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 2h3"></path></svg>'
EXTRA = ["assets/stylesheets/site.css"]


def _page(base: str) -> str:
    return (f'<!doctype html><html dir="ltr"><head>'
            f'<link rel="stylesheet" href="{base}assets/stylesheets/{CRITICAL}">\n    '
            f'<link rel="stylesheet" href="{base}assets/stylesheets/site.css">\n'
            f'<noscript><link rel="stylesheet" href="{base}assets/stylesheets/{DEFERRED}"></noscript></head>'
            f'<body><a class="md-logo" href="{base}">{ICON}</a><label class="md-icon">{ICON}</label>'
            f'<p id="x">Text</p><svg class="kept" viewBox="0 0 1 1"><path d="M0 0"></path></svg></body></html>')


def _site(folder, pages: dict[str, str]):
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_pages_prepared_as_written_match_the_whole_site_rewrite(tmp_path):
    pages = {"index.html": _page(""), "guide/index.html": _page("../")}
    names = {CRITICAL: "lean-critical.0123456789.css", DEFERRED: "lean-deferred.abcdef0123.css"}
    # After the build: read every page for its icons, write the sprite, rewrite every page.
    whole = _site(tmp_path / "whole", pages)
    before = UsedNames()
    before.add_pages(path.read_bytes() for path in sorted(whole.rglob("*.html")))
    point_pages_at(whole, names, EXTRA)
    sprite = move_icons_to_sprite(whole)
    # As written: one parse each, then plain replacements once the names are known.
    written_dir = tmp_path / "written"
    used, icons, written = UsedNames(), {}, {}
    for name, text in pages.items():
        page = html.parse(text)
        used.add_tree(page)
        assert drop_folded_links(page, EXTRA)
        move_icons(page, icons)
        written[name] = html.serialize(page)
    assert used == before and icons == collect_icons(_site(tmp_path / "icons", pages))
    assert write_sprite(written_dir, icons) == sprite
    for name, text in written.items():
        final = name_sprite(name_sheets(text.encode(), names), sprite)
        assert final == (whole / name).read_bytes(), name
        assert b"site.css" not in final and b"placeholder" not in final and names[DEFERRED].encode() in final
        assert final.count(f"{sprite}#".encode()) == 2 and b'class="kept"' in final


def test_a_page_without_the_lean_sheets_keeps_its_links():
    page = html.parse('<!doctype html><html><head><link rel="stylesheet" href="assets/stylesheets/site.css">'
                      '</head><body></body></html>')
    assert not drop_folded_links(page, EXTRA) and "site.css" in html.serialize(page)
