"""Fix markup Material writes outside any block (see scripts/theme_fixes.py)."""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from scripts.theme_fixes import drop_toggle_autocomplete


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return drop_toggle_autocomplete(output)
