"""Print-ready pages on every build; PDF handout links and plan when `extra.handouts` is set.

Thin wrapper over scripts/handouts.py. Each page's links get absolute
addresses for paper (overrides/partials/print-meta.html adds the print-only
line with the page's address and review date). With `extra.handouts`
(`make handouts`, `make clinic ... HANDOUTS=1`), explainer pages get
`page.meta.handout` (the partial links it) and the build writes
handouts/handouts.json, the plan the PDF printer follows, in reading order.
"""
from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from scripts.clinic_brand import as_written
from scripts.handouts import BOOKLET, FOLDER, HANDOUT_KINDS, MANIFEST, annotate_links, handout_slug, manifest

_plan: dict[str, dict] = {}
_order: list[str] = []


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    _plan.clear()
    _order[:] = [page.url for page in nav.pages]
    return nav


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    url = page.canonical_url or page.abs_url or page.url
    # Only reading-path pages (in the nav) get a handout; embed views and the like do not.
    if config.extra.get("handouts") and page.meta.get("kind") in HANDOUT_KINDS and page.url in _order:
        slug = handout_slug(page.url)
        reviewed = page.meta.get("last_reviewed")
        _plan[page.url] = {"slug": slug, "title": page.meta.get("title") or page.title, "url": url,
                           "path": page.file.dest_uri, "last_reviewed": str(reviewed) if reviewed else None}
        # overrides/partials/print-meta.html links these (site-relative; the `url` filter resolves them).
        page.meta["handout"] = {"pdf": f"{FOLDER}/{slug}.pdf", "booklet": f"{FOLDER}/{BOOKLET}"}
    return annotate_links(html, url)


def on_post_build(*, config: MkDocsConfig) -> None:
    if not config.extra.get("handouts"):
        return
    pages = [_plan[url] for url in _order if url in _plan]
    plan = manifest(pages, as_written(config.site_name), config.site_description or "", config.extra.get("clinic"),
                    config.extra.get("paper", "a4"))
    target = Path(config.site_dir) / MANIFEST
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(plan, indent=1), encoding="utf-8")
