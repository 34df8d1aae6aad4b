"""What we need to know of the Material theme's own files, read from the theme at build time.

Why: Material names its bundles by content hash (bundle.a5f9d56c.min.js), and
the names change with every release. Hard-coding one would break silently
on an upgrade and tie the templates to this theme; reading it keeps them
portable to the theme's successor.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feeling_safe.plugin.config import Settings

BUNDLE_GLOB = "assets/javascripts/bundle.*.min.js"
PRUNE = "navigation.prune"


def bundle_script(theme: Iterable[str] | object) -> str:
    """The site-relative path of the theme's script bundle (`assets/javascripts/bundle.<hash>.min.js`)."""
    dirs = getattr(theme, "dirs", theme)
    for folder in dirs:
        found = sorted(Path(folder).glob(BUNDLE_GLOB))
        if found:
            return found[0].relative_to(folder).as_posix()
    raise ValueError(f"the theme has no {BUNDLE_GLOB}; search cannot load")


def features_for_nav(features: list[str] | None, pages: int, settings: Settings) -> list[str]:
    """The theme's features for a nav of `pages` pages: with Material's own pruning past
    `settings.prune_nav_over` (each page then lists the sections it is in, the others as one
    link each), except in the bench's plain baseline (`content_only`), which stays Material's."""
    features = list(features or [])
    if settings.presentation and pages > settings.prune_nav_over and PRUNE not in features:
        features.append(PRUNE)
    return features
