"""Embed views and the JSON API's page records, as the build makes them from each page.

Why: an explainer or tool page is shown, finished, inside a clinic's site
(its embed view, /embed/<slug>/) and described by the JSON API; both are
made from the page's checked front matter and its finished article, so the
Markdown is rendered once, not twice. The generator's side (which event
calls which) is feeling_safe/plugin/plugin.py.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from feeling_safe.content.reading import drop_next_step
from feeling_safe.pages import html as pages_html
from feeling_safe.plugin.partials import Partials
from feeling_safe.publishing import api, embed, oembed_endpoint


def view_file(config: MkDocsConfig, src_uri: str, meta: dict[str, Any], record: api.PageRecord) -> File:
    """The generated embed view of page `src_uri`. No body: the view shows its page's finished
    article (see `view_article`), so the page's Markdown is rendered once."""
    view = File.generated(config, embed.embed_src_uri(src_uri), content=embed.embed_page_source(meta, ""),
                          inclusion=InclusionLevel.NOT_IN_NAV)
    view.dest_uri = embed.embed_dest_uri(record.slug)
    return view


def picker_choices(embeddable_pages: list[api.PageRecord], site_url: str, site_name: str) -> list[dict[str, str]]:
    """The "Embed this guide" picker's choices (publishing/embed.py `page_picker`), in reading order."""
    return [{"slug": record.slug, "title": record.title, "frame_title": embed.frame_title(record.title, site_name),
             "embed_url": urljoin(site_url, embed.embed_path(record.slug)), "page_url": urljoin(site_url, record.url)}
            for record in embeddable_pages]


def expand_picker(markdown: str, partials: Partials, choices: list[dict[str, str]], site_url: str,
                  page_url: str) -> str:
    """The page's `<!-- embed:picker -->` shortcodes replaced by the picker."""
    if not embed.SHORTCODE.search(markdown):
        return markdown
    picker = embed.page_picker(partials, choices, urljoin(site_url, embed.SCRIPT_PATH), embed.relative_root(page_url))
    return embed.expand_shortcodes(markdown, {"picker": picker})


def snippet_for(record: api.PageRecord, partials: Partials, site_url: str, site_name: str) -> str:
    """The HTML a clinic pastes to embed one page (the oEmbed answer's `html`)."""
    frame = (embed.frame_title(record.title, site_name), urljoin(site_url, embed.embed_path(record.slug)),
             urljoin(site_url, record.url))
    return embed.snippet(partials, [frame], urljoin(site_url, embed.SCRIPT_PATH))


def with_article(record: api.PageRecord, html: str, words: int, page_url: str) -> api.PageRecord:
    """The page's API record with its word count and its article as the API publishes it
    (clean, every link absolute from `page_url`)."""
    article = pages_html.parse_fragment(html)  # one parse for both
    drop_next_step(article)
    return replace(record, words=words, content=embed.clean_tree(article, page_url))


def view_content(view_of: api.PageRecord, articles: dict[str, tuple[str, Any]], site_url: str) -> tuple[str, Any]:
    """(HTML, table of contents) of the embed view of the page `view_of` describes: the page's
    finished article (`articles`: each embeddable page's, kept as it rendered), without the
    reading path's Next step and the contents list (the skip link targets its first heading).
    Pages are built before their views (the views were added after every page)."""
    found = articles.get(embed.source_of(view_of.slug))
    if found is None:
        raise PluginError(f"embed view of {view_of.url} was built before its page")
    article, toc = found
    return view_article(article, urljoin(site_url, view_of.url)), toc


def view_article(article: str, page_url: str) -> str:
    """An embed view's article: its page's, finished, with every link made absolute from the
    page's address `page_url` (the view lives elsewhere) and opening outside the frame."""
    tree = pages_html.parse_fragment(article)  # one parse for both
    drop_next_step(tree)
    embed.frame_tree_links(tree, page_url)
    return pages_html.serialize_fragment(tree)


def published_files(records: list[api.PageRecord], partials: Partials, site_name: str, site_url: str,
                    path_prefix: str, routes: list[oembed_endpoint.Route]) -> dict[str, str]:
    """The JSON API's files for `records` (in reading order, each with its article), the
    schemas it serves, and each host's side of /api/v1/oembed?url= (site-relative path -> text)."""
    return {**api.api_files(records, site_name, site_url,
                            lambda record: snippet_for(record, partials, site_url, site_name)),
            **api.served_schemas(site_url),
            **oembed_endpoint.host_files(path_prefix, routes)}
