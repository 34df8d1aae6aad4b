"""After the build: purge and split the theme CSS and our extra_css, then link the hashed files.

Thin wrapper over scripts/lean_assets.py; also trims the template
indentation from every page as it is written. The CSS step runs last, after
every other post-build hook has written its pages, so the purge sees them all.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from scripts.lean_assets import folded_extra_css, point_pages_at, trim_indentation, write_lean_css


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return trim_indentation(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Static templates (404.html) skip on_post_page."""
    return trim_indentation(output_content) if template_name.endswith(".html") else output_content


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    extra_css = folded_extra_css(site_dir, [str(path) for path in config.extra_css])
    try:
        names = write_lean_css(site_dir, extra_css)
    except ValueError as error:
        raise PluginError(f"lean_assets: {error}") from error
    point_pages_at(site_dir, names, extra_css)
