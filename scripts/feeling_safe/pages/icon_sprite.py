"""Move the theme's inline SVG icons into one cached sprite file.

Why: every page repeats the same icons inline (the logo twice, menu, the two
scheme toggles, search, arrows, close): about a kilobyte compressed of each
page's first round trip (scripts/feeling_safe/measuring/first_paint.py), downloaded again on every
page. After the build, each plain icon (an `<svg>` with only `xmlns` and
`viewBox`) becomes `<svg viewBox><use href="...#id"/></svg>` pointing into
`assets/images/icons.<hash>.svg`, which is fetched once, without blocking the
first paint, and cached for a year (its name changes with its content). An
`<svg>` with any other attribute (an id, a class, a label) is left as it is.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

SPRITE_FOLDER = "assets/images"
SPRITE_STEM = "icons"
_SVG_NS = "http://www.w3.org/2000/svg"
# A plain icon as the theme writes it; nothing nested, nothing but xmlns and viewBox.
_ICON = re.compile(r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="([^"<>]*)">((?:(?!<svg|</svg>).)*)</svg>',
                   re.S)
# Where a page's own assets live, as its stylesheet link says (relative on most pages,
# from the site's root on the 404 page, under the sub-path on a sub-path site).
_ASSETS_BASE = re.compile(r'<link rel="stylesheet" href="([^"]*?)assets/stylesheets/')


def icon_id(view_box: str, body: str) -> str:
    """A stable id from the icon's drawing: the same icon on every page gets the same one."""
    return "i" + hashlib.sha256(f"{view_box}\0{body}".encode("utf-8")).hexdigest()[:10]


def sprite_document(icons: dict[str, tuple[str, str]]) -> str:
    """One SVG with a <symbol> per icon, in id order (the same icons give the same bytes)."""
    symbols = "".join(f'<symbol id="{key}" viewBox="{view_box}">{body}</symbol>'
                      for key, (view_box, body) in sorted(icons.items()))
    return f'<svg xmlns="{_SVG_NS}">{symbols}</svg>\n'


def move_icons_to_sprite(site_dir: Path) -> str | None:
    """Rewrite every page's plain icons to use the sprite, written once; returns its
    site-relative path, or None when no page has an icon (or none says where its assets are)."""
    # Two passes, reading each page twice rather than holding every page in memory: the
    # sprite's name (its content's hash) must be known before the first page is rewritten.
    pages: list[tuple[Path, str]] = []
    icons: dict[str, tuple[str, str]] = {}
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        base = _ASSETS_BASE.search(text)
        if base is None or _ICON.search(text) is None:
            continue
        for match in _ICON.finditer(text):
            icons[icon_id(match.group(1), match.group(2))] = (match.group(1), match.group(2))
        pages.append((page, base.group(1)))
    if not icons:
        return None
    document = sprite_document(icons)
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()[:10]
    path = f"{SPRITE_FOLDER}/{SPRITE_STEM}.{digest}.svg"
    (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / path).write_text(document, encoding="utf-8")
    for page, base in pages:
        href = base + path

        def use(match: re.Match[str]) -> str:
            return (f'<svg viewBox="{match.group(1)}" aria-hidden="true">'
                    f'<use href="{href}#{icon_id(match.group(1), match.group(2))}"/></svg>')

        page.write_text(_ICON.sub(use, page.read_text(encoding="utf-8")), encoding="utf-8")
    return path
