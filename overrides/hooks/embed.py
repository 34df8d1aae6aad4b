"""Embed views at /embed/<slug>/, the "Embed this guide" picker, oEmbed and the JSON feed.

Thin wrapper over scripts/embed.py and scripts/api.py. A clinic build can turn
all of it off with `extra: {embeds: false}` in its config.
Must run after the front matter hook: the embed views it adds are virtual files.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from scripts.api import PageRecord, api_files, in_reading_order, oembed_path, record_from_meta
from scripts.clinic_brand import as_written
from scripts.embed import (
    SCRIPT_PATH, SHORTCODE, clean_fragment, embed_dest_uri, embed_page_source, embed_path, embed_src_uri,
    expand_shortcodes, frame_links, frame_title, human_date, page_picker, relative_root, shortcode_problems,
    split_front_matter,
)
from scripts.reading import page_text, word_count

_sources: dict[str, PageRecord] = {}       # src_uri of every page of ours -> what the API says
_embeds: dict[str, PageRecord] = {}        # src_uri of an embed view -> its full page
_order: list[str] = []                     # src_uris in reading-path order


def _embeds_on(config: MkDocsConfig) -> bool:
    return config.extra.get("embeds", True)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not isinstance(config.extra.get("embeds", True), bool):
        raise PluginError(f"mkdocs.yml: extra.embeds is {config.extra['embeds']!r}; use true or false")
    if _embeds_on(config) and not config.site_url:
        raise PluginError("mkdocs.yml: site_url is missing; embeds and the JSON feed need absolute addresses")
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _sources.clear()
    _embeds.clear()
    folder = Path(config.docs_dir).name
    unknown = [problem for file in files.documentation_pages()
               for problem in shortcode_problems(f"{folder}/{file.src_uri}", file.content_string)]
    if unknown:
        raise PluginError("Unknown embed shortcodes:\n  " + "\n  ".join(unknown))
    if not _embeds_on(config):
        script = files.get_file_from_path(SCRIPT_PATH)
        if script:
            files.remove(script)
        return files
    problems = []
    for file in list(files.documentation_pages()):
        meta, body = split_front_matter(file.content_string)
        try:
            record = record_from_meta(file.src_uri, file.url, meta)
        except ValueError as problem:
            problems.append(str(problem))
            continue
        _sources[file.src_uri] = record
        if record.embeddable:
            view = File.generated(config, embed_src_uri(file.src_uri),
                                  content=embed_page_source(meta, body),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            view.dest_uri = embed_dest_uri(record.slug)
            files.append(view)
            _embeds[view.src_uri] = record
    if problems:
        raise PluginError("Pages the embed views and JSON feed cannot describe:\n  " + "\n  ".join(problems))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _order[:] = [page.file.src_uri for page in nav.pages]
    return nav


def _choices(config: MkDocsConfig) -> list[dict[str, str]]:
    site_name = as_written(config.site_name)
    return [{"slug": r.slug, "title": r.title, "frame_title": frame_title(r.title, site_name),
             "embed_url": urljoin(config.site_url, embed_path(r.slug))}
            for r in in_reading_order(_sources, _order) if r.embeddable]


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    view_of = _embeds.get(page.file.src_uri)
    if view_of:
        # Early, so later hooks (print lines) and base.html's <link rel="canonical"> use it.
        page.canonical_url = urljoin(config.site_url, view_of.url)
    if not SHORTCODE.search(markdown):
        return markdown
    if not _embeds_on(config):
        picker = "<p>Embedding is turned off for this site.</p>"
    else:
        picker = page_picker(_choices(config), urljoin(config.site_url, SCRIPT_PATH), relative_root(page.url))
    return expand_shortcodes(markdown, {"picker": picker})


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    view_of = _embeds.get(page.file.src_uri)
    if view_of:
        context["embed_view"] = {"full_url": page.canonical_url, "last_reviewed": str(view_of.last_reviewed),
                                 "last_reviewed_text": human_date(view_of.last_reviewed)}
        return context
    record = _sources.get(page.file.src_uri)
    if record:
        # Publish the count the page's own meta line shows (pagemeta hook, scripts/reading.py).
        words = page.meta.get("word_count")
        if words is None:  # counted only when the pagemeta hook has not
            words = word_count(page_text(page.content or ""))
        _sources[page.file.src_uri] = replace(
            record, words=words,
            content=clean_fragment(page.content or "", urljoin(config.site_url, page.url)))
        if record.embeddable:
            context["oembed_link"] = {"href": urljoin(config.site_url, oembed_path(record.slug)),
                                      "title": record.title}
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri not in _embeds:
        return output
    return frame_links(output, urljoin(config.site_url, page.url))


def on_post_build(config: MkDocsConfig) -> None:
    if not _embeds_on(config):
        return
    pages = in_reading_order(_sources, _order)
    for path, text in api_files(pages, as_written(config.site_name), config.site_url).items():
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
