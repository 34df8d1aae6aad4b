"""Small fixes to markup Material writes outside any overridable block.

Why: base.html puts `autocomplete="off"` on the hidden drawer and search
checkboxes. HTML does not allow `autocomplete` on checkboxes, so the Nu Html
Checker rejects every page; the attribute is dropped here. And base.html
writes its "Skip to content" link only for pages with a table of contents,
so a page without headings (the 404 page) starts keyboard users in the
get-help line and header instead; such pages get a skip link to <main>.
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
