"""Append a "Next step" section linking to the next page of the nav (the reading path).

Thin wrapper over scripts/readingpath.py. The last page points back to the
first page (home). Title and description come from the target's front matter.
Help pages (`kind: help`, e.g. get help now) end without one: a reader in
crisis is not on a reading path.
"""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from scripts.frontmatter import read_front_matter
from scripts.readingpath import next_step_section

_nav_pages: list[Page] = []
_nav_sources: set[str] = set()   # their src_uris: a set, so the test below is not a scan of the nav


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _nav_pages[:] = nav.pages
    _nav_sources.clear()
    _nav_sources.update(page.file.src_uri for page in nav.pages)
    return nav


@event_priority(-10)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri not in _nav_sources or page.meta.get("kind") == "help":
        return markdown
    target = page.next_page or _nav_pages[0]
    if target is page:
        return markdown
    meta = read_front_matter(target.file.abs_src_path)
    section = next_step_section(page.file.src_uri, target.file.src_uri, meta["title"], meta["description"])
    return markdown.rstrip() + "\n\n" + section
