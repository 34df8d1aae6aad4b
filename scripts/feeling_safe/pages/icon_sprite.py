"""Move the theme's inline SVG icons into one cached sprite file.

Why: every page repeats the same icons inline (the logo twice, menu, the two
scheme toggles, search, arrows, close): about a kilobyte compressed of each
page's first round trip (feeling_safe/measuring/first_paint.py), downloaded again on every
page. As each page is written (`move_icons`, from feeling_safe/pages/written.py),
each plain icon (an `<svg>` with only `xmlns` and `viewBox`) becomes
`<svg viewBox><use href="...#id"/></svg>` pointing into
`assets/images/icons.<hash>.svg`, which is fetched once, without blocking the
first paint, and cached for a year (its name changes with its content; once it
is written after the last page, `name_sprite` puts that name into each page). An
`<svg>` with any other attribute (an id, a class, a label) is left as it is.

Embed views are the exception (`inline_icons`): framed by other sites, and by
WordPress in a sandbox with an opaque origin, which refuses an SVG `<use>` of
another file (every icon would vanish there), and an external `<use>` in a
frame off screen can hold the frame's load event. Their icons point instead
at a sprite inside the page itself: one `<svg>` of `<symbol>`s in a hidden
`<div>` at the top of the body, each drawing once, with `<use href="#id">`.
"""
from __future__ import annotations

import hashlib
from html import escape
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

SPRITE_FOLDER = "assets/images"
SPRITE_STEM = "icons"
_SVG_NS = "http://www.w3.org/2000/svg"
_STYLES = "assets/stylesheets/"


def _icons(page: LexborHTMLParser) -> list[tuple[LexborNode, str, str]]:
    """(element, viewBox, drawing) of each plain icon as the theme writes it: an <svg> with
    only xmlns and viewBox, and no <svg> inside."""
    found = []
    for svg in page.css("svg"):
        attrs = svg.attributes
        if (attrs.keys() == {"xmlns", "viewBox"} and attrs["xmlns"] == _SVG_NS and attrs["viewBox"] is not None
                and len(svg.css("svg")) == 1):   # css() counts the element itself
            found.append((svg, attrs["viewBox"], svg.inner_html or ""))
    return found


def _assets_base(page: LexborHTMLParser) -> str | None:
    """Where a page's own assets live, as its stylesheet link says (relative on most pages,
    from the site's root on the 404 page, under the sub-path on a sub-path site)."""
    for link in page.css('link[rel="stylesheet"][href]'):
        href = link.attributes["href"] or ""
        if _STYLES in href:
            return href[:href.index(_STYLES)]
    return None


def icon_id(view_box: str, body: str) -> str:
    """A stable id from the icon's drawing: the same icon on every page gets the same one."""
    return "i" + hashlib.sha256(f"{view_box}\0{body}".encode()).hexdigest()[:10]


def sprite_document(icons: dict[str, tuple[str, str]]) -> str:
    """One SVG with a <symbol> per icon, in id order (the same icons give the same bytes)."""
    symbols = "".join(f'<symbol id="{key}" viewBox="{view_box}">{body}</symbol>'
                      for key, (view_box, body) in sorted(icons.items()))
    return f'<svg xmlns="{_SVG_NS}">{symbols}</svg>\n'


def write_sprite(site_dir: Path, icons: dict[str, tuple[str, str]]) -> str | None:
    """Write the sprite of these icons; its site-relative path (named by its content's
    hash), or None when there is no icon."""
    if not icons:
        return None
    document = sprite_document(icons)
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()[:10]
    sprite = f"{SPRITE_FOLDER}/{SPRITE_STEM}.{digest}.svg"
    (site_dir / sprite).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / sprite).write_text(document, encoding="utf-8")
    return sprite


# Where a page written before the sprite is (its name is its content's hash) points its
# icons; `name_sprite` replaces it in the page's bytes once the sprite is written.
SPRITE_PLACEHOLDER = f"{SPRITE_FOLDER}/{SPRITE_STEM}.sprite-placeholder.svg"


def move_icons(page: LexborHTMLParser, icons: dict[str, tuple[str, str]]) -> None:
    """Point a parsed page's plain icons at the sprite's placeholder and add their
    drawings to `icons` ({id: (viewBox, drawing)}), as the page is written."""
    base = _assets_base(page)
    if base is None:
        return
    for svg, view_box, body in _icons(page):
        icons[icon_id(view_box, body)] = (view_box, body)
        del svg.attrs["xmlns"]
        svg.attrs["aria-hidden"] = "true"
        svg.inner_html = f'<use href="{escape(base + SPRITE_PLACEHOLDER)}#{icon_id(view_box, body)}"></use>'


INLINE_SPRITE_CLASS = "fs-icons"


def inline_icons(page: LexborHTMLParser) -> int:
    """Point an embed view's plain icons at a sprite written into the page itself (a hidden
    `<svg>`, in a hidden `<div>` first in its body, one `<symbol>` an icon, in id order; HTML
    allows `hidden` on the `<div>`, not on the `<svg>`); returns how many icons."""
    found: dict[str, tuple[str, str]] = {}
    icons = _icons(page)
    for svg, view_box, body in icons:
        key = icon_id(view_box, body)
        found[key] = (view_box, body)
        del svg.attrs["xmlns"]
        svg.attrs["aria-hidden"] = "true"
        svg.inner_html = f'<use href="#{key}"></use>'
    if found and page.body is not None:
        symbols = "".join(f'<symbol id="{key}" viewBox="{escape(view_box)}">{body}</symbol>'
                          for key, (view_box, body) in sorted(found.items()))
        sprite = LexborHTMLParser(f'<div class="{INLINE_SPRITE_CLASS}" hidden><svg>{symbols}</svg></div>')
        first = page.body.child
        if first is not None:
            first.insert_before(sprite.body.child)
        else:
            page.body.insert_child(sprite.body.child)
    return len(icons)


def name_sprite(page: bytes, sprite: str) -> bytes:
    """A written page's icons pointed at the sprite's hashed name (`move_icons` wrote the
    placeholder: ASCII, which no escaping changes)."""
    return page.replace(SPRITE_PLACEHOLDER.encode(), sprite.encode())
