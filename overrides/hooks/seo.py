"""Per-page title, description, share card and JSON-LD; robots.txt (scripts/seo.py).

Thin wrapper: puts an `seo` dict into each page's context (and the 404
page's), which overrides/partials/seo.html prints in the <head>.
"""
from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from scripts.clinic_brand import as_written
from scripts.seo import SHARE_IMAGE, not_found_seo, page_seo, robots_txt


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))
    return files


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    nav: Navigation) -> dict[str, Any]:
    reviewed = page.meta.get("last_reviewed")
    context["seo"] = page_seo(
        title=page.meta.get("title") or page.title or "", description=page.meta.get("description") or config.site_description,
        url=page.canonical_url, last_reviewed=str(reviewed) if reviewed else None, kind=page.meta.get("kind", ""),
        site_name=as_written(config.site_name), site_url=config.site_url, language=config.theme.get("language", "en"),
        image=config.extra.get("share_image", SHARE_IMAGE), is_home=page.is_homepage,
        reviewer=(config.extra.get("clinic") or {}).get("reviewer"))
    return context


def on_template_context(context: dict[str, Any], template_name: str, config: MkDocsConfig) -> dict[str, Any]:
    if template_name == "404.html":
        context["seo"] = not_found_seo(site_name=as_written(config.site_name), description=config.site_description)
    return context
