"""Each page as the build writes it: one parse for every fix, trim and read of it.

Why: a written page is most of a build's bytes, and at scale most of it is the
nav. The build parses each page once, as a browser would
(feeling_safe/pages/html.py), and does everything to that one tree: Material's
markup fixed where no block reaches it (pages/theme_fixes.py), an embed view's
links sent out of its frame, the template indentation trimmed, and, for a
published build, what the steps after the last page need (`WrittenPages`):
the names the CSS purge reads, the icons for the sprite, the links to the
folded-in `extra_css` dropped. The nav's sections a page shares with an earlier
page are set aside first and put back as they came out the first time
(`RepeatedParts`), so that work is done once per build, not once per page.

After the last page, the deferred sheet and the sprite get names from their
content's hash; `WrittenPages.name_pages` then puts those names into each page
as plain text (the pages point at placeholders the build wrote itself) and the
critical CSS into the empty `<style>` the template left in each page's head
(as text too, when the page's text shows those are its only `<style>` elements:
pages/lean_assets.py, `fill_critical`), since the critical CSS is known only
once every page has been read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from feeling_safe.pages import html
from feeling_safe.pages.css_purge import UsedNames
from feeling_safe.pages.icon_sprite import inline_icons, move_icons, name_sprite, write_sprite
from feeling_safe.pages.lean_assets import (
    drop_folded_links,
    fill_critical,
    name_sheets,
    own_sheets,
    trim_indentation,
    write_lean_css,
)
from feeling_safe.pages.theme_fixes import (
    add_missing_skip_link,
    drop_generator_meta,
    drop_menu_contents,
    drop_toggle_autocomplete,
)
from feeling_safe.publishing.embed import frame_tree_links


@dataclass
class WrittenPages:
    """What a published build took from its pages as they were written, for the steps after
    the last page (the purge, the sprite, naming both in each page)."""

    # The names the CSS purge keeps: (names every reader's first paint needs, names of late pages).
    names: tuple[UsedNames, UsedNames] = field(default_factory=lambda: (UsedNames(), UsedNames()))
    icons: dict[str, tuple[str, str]] = field(default_factory=dict)  # the sprite's: id -> (viewBox, drawing)
    pages: list[str] = field(default_factory=list)                  # their site-relative paths, in order

    def prepare(self, page: LexborHTMLParser, dest: str, *, late: bool, folded_css: list[str]) -> None:
        """A page's tree as it is written: the names the purge needs, read before the icons
        move (the purge reads their markup as it is); the icons pointed at the sprite's
        placeholder; the links to the folded-in `extra_css` dropped."""
        self.names[late].add_tree(page)
        drop_folded_links(page, folded_css)
        move_icons(page, self.icons)
        self.pages.append(dest)

    def write_assets(self, site_dir: Path, folded_css: list[str],
                     late_pages: frozenset[str]) -> tuple[str, dict[str, list[str]]]:
        """After the last page: the lean CSS, purged against the names the pages gave (and the
        scripts), and the sprite of their icons; then the critical CSS and both names put into
        every page written. Returns the critical CSS and, by page, the inline CSS of its own
        (both go into the policy by their hashes). `folded_css`, `late_pages`: see
        pages/lean_assets.py, `write_lean_css`."""
        critical, sheets = write_lean_css(site_dir, folded_css, late_pages, self.names)
        own = self.name_pages(site_dir, sheets, write_sprite(site_dir, self.icons), critical)
        return critical, own

    def name_pages(self, site_dir: Path, sheets: dict[str, str], sprite: str | None,
                   critical: str | None = None) -> dict[str, list[str]]:
        """The deferred sheet's and the sprite's hashed names, and the `critical` CSS in the
        head's `<style>` (and a template's own sheet in its own), in every page written;
        returns the pages' own inline CSS, by page (site-relative path)."""
        own, read = {}, own_sheets(site_dir)
        for dest in sorted(set(self.pages)):
            path = site_dir / dest
            written = path.read_bytes()
            named = name_sheets(written, sheets)
            named = name_sprite(named, sprite) if sprite is not None else named
            if critical is not None:
                try:
                    named, own[dest] = fill_critical(named, critical, read)
                except ValueError as error:
                    raise ValueError(f"{dest}: {error}") from None
            if named != written:
                path.write_bytes(named)
        return {dest: texts for dest, texts in own.items() if texts}


def tidy(output: str, repeated: html.RepeatedParts, *, late: bool = False, frame_url: str | None = None,
         into: WrittenPages | None = None, dest: str = "", folded_css: list[str] = ()) -> tuple[str, str]:
    """A written page (`dest`, site-relative), tidied in one parse: an embed view's links sent
    out of the frame (to `frame_url`) and its icons drawn from a sprite inside it; parts done
    on an earlier page set aside; the theme fixes; the indentation trimmed; then, for a
    published build, what the steps after the last page need taken `into` its `WrittenPages`.
    `late`: a page whose own styles may follow the first paint (its parts are kept apart: the
    purge reads them apart). Returns (the page as written, the page with the parts set aside
    left out, for its checks)."""
    page = html.parse(output)
    if frame_url:
        frame_tree_links(page, frame_url)
        inline_icons(page)   # its own sprite: a sandboxed frame refuses the site's (pages/icon_sprite.py)
    # Parts done on an earlier page first: what follows reads and changes only the rest
    # (each fix and the trim act on a part's own markup, so a part comes out as it did there).
    aside, new = repeated.set_aside(page, str(late))
    for fix in (drop_toggle_autocomplete, drop_generator_meta, drop_menu_contents, add_missing_skip_link):
        fix(page)
    trim_indentation(page)
    if into is not None:
        into.prepare(page, dest, late=late, folded_css=folded_css)
    repeated.remember(new)
    checked = html.serialize(page)
    return repeated.put_back(checked, aside), checked
