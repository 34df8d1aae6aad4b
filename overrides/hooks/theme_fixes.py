"""Fix markup Material writes outside any block (see scripts/theme_fixes.py)."""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from scripts.theme_fixes import add_missing_skip_link, drop_toggle_autocomplete


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return add_missing_skip_link(drop_toggle_autocomplete(output))


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Static templates (404.html) skip on_post_page."""
    if not template_name.endswith(".html"):
        return output_content
    return add_missing_skip_link(drop_toggle_autocomplete(output_content))
