"""The get-help line on every page and the full crisis list on the get-help-now page.

Thin wrapper over scripts/crisis.py. `extra.crisis_region` picks the region
(default us); `extra.get_help_page` names the page with more ways to get help.
The template overrides/partials/get-help.html reads the `get_help` global.
"""
from __future__ import annotations

from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from scripts.citations import load_references
from scripts.crisis import insert_numbers, load_regions, resolve

_region: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        region = resolve(config.extra.get("crisis_region", "us"), load_regions(),
                         reference_keys=load_references().keys())
    except ValueError as error:
        raise PluginError(f"Crisis line problems:\n{error}") from error
    _region.clear()
    _region.update(region)
    return config


@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return insert_numbers(markdown, _region)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    # A small fixture site may have no get-help page; the line then has no "more" link.
    page_file = files.get_file_from_path(config.extra.get("get_help_page", "get-help-now.md"))
    env.globals["get_help"] = {"lines": _region["lines"], "page_url": page_file.url if page_file else None}
    return env
