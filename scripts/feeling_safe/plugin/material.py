"""What we need to know of the Material theme's own files, read from the theme at build time.

Why: Material names its bundles by content hash (bundle.a5f9d56c.min.js), and
the names change with every release. Hard-coding one would break silently
on an upgrade and tie the templates to this theme; reading it keeps them
portable to the theme's successor.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

BUNDLE_GLOB = "assets/javascripts/bundle.*.min.js"


def bundle_script(theme: Iterable[str] | object) -> str:
    """The site-relative path of the theme's script bundle (`assets/javascripts/bundle.<hash>.min.js`)."""
    dirs = getattr(theme, "dirs", theme)
    for folder in dirs:
        found = sorted(Path(folder).glob(BUNDLE_GLOB))
        if found:
            return found[0].relative_to(folder).as_posix()
    raise ValueError(f"the theme has no {BUNDLE_GLOB}; search cannot load")
