"""Small fixes to markup Material writes outside any overridable block.

Why: base.html puts `autocomplete="off"` on the hidden drawer and search
checkboxes. HTML does not allow `autocomplete` on checkboxes, so the Nu Html
Checker rejects every page; the attribute is dropped here.
"""
from __future__ import annotations

import re

_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*?)\s+autocomplete="off"')


def drop_toggle_autocomplete(html: str) -> str:
    """Remove the invalid `autocomplete` from Material's `md-toggle` checkboxes."""
    return _TOGGLE.sub(r"\1", html)
