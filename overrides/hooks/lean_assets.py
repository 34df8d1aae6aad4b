"""After the build: purge and split the theme CSS, then link the hashed files.

Thin wrapper over scripts/lean_assets.py. Runs last, after every other
post-build hook has written its pages, so the purge sees all of them.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts.lean_assets import point_pages_at, write_lean_css


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    try:
        names = write_lean_css(site_dir)
    except ValueError as error:
        raise PluginError(f"lean_assets: {error}") from error
    point_pages_at(site_dir, names)
