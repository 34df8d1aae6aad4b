"""The "On this page" list a long page starts with on phones.

Why: on a phone, Material's contents list sits inside the menu, and a long
page gives no sign of what is further down (the first sentence to say on
"Words to bring it up" was almost three screens down). A page with several
sections and more than about two phone screens of text gets a short list of
its sections straight after its "In short" box; on wide screens Material's
own contents sidebar shows instead (site.css hides this list there).
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from feeling_safe.pages import html as markup
from feeling_safe.plugin.partials import Partials

# About two phone screens of body text (390 x 844 px at 18 px): shorter pages need no list.
LONG_PAGE_WORDS = 300
MIN_SECTIONS = 3
# Sections the build adds at the end of a page: the list is about the writer's sections.
BUILD_SECTIONS = {"next-step", "sources"}
SUMMARY = "div.admonition.in-short"


def sections(toc: Iterable[Any]) -> list[dict[str, str]]:
    """The page's H2 sections as {url, title}, from MkDocs' table of contents (H1 at the top)."""
    items = list(toc)
    if len(items) == 1 and items[0].level == 1:
        items = list(items[0].children)
    return [{"url": item.url, "title": html.unescape(item.title)} for item in items
            if item.level == 2 and item.id not in BUILD_SECTIONS]


def drop_sections(toc: Iterable[Any]) -> None:
    """Empty the table of contents under the H1, so the theme shows no contents for the page."""
    for item in toc:
        item.children = []


def wants_list(meta: dict[str, Any], words: int, found: list[dict[str, str]]) -> bool:
    """A long page with several sections, unless its front matter says `contents: false` or it is home."""
    return (meta.get("contents", True) is not False and meta.get("kind") != "home"
            and words > LONG_PAGE_WORDS and len(found) >= MIN_SECTIONS)


def insert_after_summary(content: str, listing: str) -> str:
    """`listing` on a line of its own straight after the page's "In short" box (after the
    H1 if it has none; first if it has neither)."""
    article = markup.parse_fragment(content)
    anchor = article.css_first(SUMMARY) or article.css_first("h1")
    if anchor is None:
        return listing + content
    for node in reversed(["\n", *markup.top_nodes(markup.parse_fragment(listing))]):
        anchor.insert_after(node)
    return markup.serialize_fragment(article)


def with_contents_list(content: str, meta: dict[str, Any], toc: Any, words: int, partials: Partials) -> str:
    """A page's HTML with its phone contents list, if it `wants_list`. The home page (a welcome
    with doors) gets none, and none in the menu either: its table of contents is emptied."""
    if meta.get("kind") == "home":
        drop_sections(toc)
        return content
    found = sections(toc)
    if not wants_list(meta, words, found):
        return content
    return insert_after_summary(content, partials.render("on-this-page.html", sections=found))
