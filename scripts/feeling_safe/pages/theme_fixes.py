"""Small fixes to markup Material writes outside any overridable block.

Why: base.html puts `autocomplete="off"` on the hidden drawer and search
checkboxes. HTML does not allow `autocomplete` on checkboxes, so the Nu Html
Checker rejects every page; the attribute is dropped here. And base.html
writes its "Skip to content" link only for pages with a table of contents,
so a page without headings (the 404 page) starts keyboard users in the
get-help line and header instead; such pages get a skip link to <main>.
And on phones Material repeats the page's contents inside the menu, under the
current page; the page itself now starts with them ("On this page",
scripts/feeling_safe/content/contents.py), so the menu's copy goes (a smaller page, a simpler menu).
"""
from __future__ import annotations

import re

_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*?)\s+autocomplete="off"')


def drop_toggle_autocomplete(html: str) -> str:
    """Remove the invalid `autocomplete` from Material's `md-toggle` checkboxes."""
    return _TOGGLE.sub(r"\1", html)


SKIP_TARGET = "__main"
_EMPTY_SKIP = re.compile(r'(<div data-md-component="skip">)\s*(</div>)')
_MAIN = re.compile(r'<main class="md-main"(?![^>]*\bid=)')


def add_missing_skip_link(html: str, label: str = "Skip to content") -> str:
    """Give a page whose skip slot is empty a skip link to its <main>."""
    if not _EMPTY_SKIP.search(html) or not _MAIN.search(html):
        return html
    html = _EMPTY_SKIP.sub(rf'\1<a href="#{SKIP_TARGET}" class="md-skip">{label}</a>\2', html, count=1)
    return _MAIN.sub(f'<main id="{SKIP_TARGET}" tabindex="-1" class="md-main"', html, count=1)


_MENU_TOC = re.compile(r'(<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">)\s*'
                       r'<label class="md-nav__link md-nav__link--active" for="__toc">.*?</label>\s*'
                       r'(<a [^>]*class="md-nav__link md-nav__link--active"[^>]*>.*?</a>)\s*', re.S)
_NAV_TAG = re.compile(r"<(/?)nav\b")


def drop_menu_contents(html: str) -> str:
    """Remove the contents Material writes into the menu under the current page (its
    `__toc` label and nav; the link to the page stays, and the toggle, which the
    contents sidebar's title still names); the contents sidebar for wide screens stays."""
    found = _MENU_TOC.search(html)
    if not found or not html.startswith('<nav class="md-nav md-nav--secondary"', found.end()):
        return html
    depth = 0
    for tag in _NAV_TAG.finditer(html, found.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = html.index(">", tag.end()) + 1
            return html[:found.start()] + found.group(1) + "\n" + found.group(2) + "\n" + html[end:].lstrip()
    return html
