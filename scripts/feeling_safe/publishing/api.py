"""The read-only JSON API: a content feed of every page, and oEmbed for embeddable ones.

Why: clinics that use a CMS import pages rather than frame them, and sites
that understand oEmbed turn a pasted link into an embed by themselves. The
shapes are fixed by the JSON Schemas in schemas/; output is deterministic
(sorted keys, reading-path order, no build time) so rebuilding changes nothing.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from feeling_safe.checks.schema_check import load_schema
from feeling_safe.content.frontmatter import REQUIRED
from feeling_safe.content.reading import reading_minutes
from feeling_safe.publishing.embed import FRAME_HEIGHT, FRAME_WIDTH, embed_path, embeddable, slug_of
from feeling_safe.publishing.oembed_endpoint import Route

API_ROOT = "api/v1/"
VERSION = "1"
SCHEMAS_PATH = API_ROOT + "schemas/"
# The API's schemas, served beside it; each file's own schema (pages.json, pages/<slug>.json, oembed/<slug>.json).
API_SCHEMAS = ("pages.schema.json", "page.schema.json", "oembed.schema.json")


@dataclass(frozen=True)
class PageRecord:
    """What the API says about one page (collected by the pipeline as pages build)."""

    slug: str
    title: str
    description: str
    kind: str
    url: str  # site-relative, as MkDocs gives it (`what-it-is/`)
    last_reviewed: dt.date | str
    next_review: dt.date | str
    words: int  # as the page's meta line counts them (feeling_safe/content/reading.py)
    embeddable: bool
    content: str = ""  # the article's HTML, cleaned and absolute (feeling_safe.publishing.embed.clean_fragment)


FIELDS = REQUIRED  # every required front matter field (schemas/front-matter.schema.json)


def record_from_meta(src_uri: str, url: str, meta: dict[str, Any]) -> PageRecord:
    """What the API will say about a page, from its front matter (content filled in later).

    Raises ValueError naming the missing fields (the front matter check
    normally catches these first).
    """
    missing = [name for name in FIELDS if meta.get(name) in (None, "")]
    if missing:
        raise ValueError(f"{src_uri}: front matter needs {', '.join(missing)} for the JSON feed")
    return PageRecord(slug=slug_of(src_uri), title=meta["title"], description=meta["description"],
                      kind=meta["kind"], url=url, last_reviewed=meta["last_reviewed"],
                      next_review=meta["next_review"], words=0, embeddable=embeddable(meta))


def in_reading_order(records: dict[str, PageRecord], order: list[str]) -> list[PageRecord]:
    """The records (by src_uri) in nav order; pages outside the nav last, by src_uri."""
    rank = {src: i for i, src in enumerate(order)}
    return [records[src] for src in sorted(records, key=lambda s: (rank.get(s, len(rank)), s))]


def pages_path() -> str:
    return API_ROOT + "pages.json"


def page_path(slug: str) -> str:
    return f"{API_ROOT}pages/{slug}.json"


def oembed_path(slug: str) -> str:
    return f"{API_ROOT}oembed/{slug}.json"


def _iso(value: dt.date | str) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def entry(page: PageRecord, site_url: str) -> dict[str, Any]:
    """One page in the feed; embed and oEmbed addresses are null for pages with no embed view."""
    return {
        "slug": page.slug,
        "title": page.title,
        "description": " ".join(page.description.split()),
        "kind": page.kind,
        "url": urljoin(site_url, page.url),
        "embed_url": urljoin(site_url, embed_path(page.slug)) if page.embeddable else None,
        "oembed_url": urljoin(site_url, oembed_path(page.slug)) if page.embeddable else None,
        "last_reviewed": _iso(page.last_reviewed),
        "next_review": _iso(page.next_review),
        "word_count": page.words,
        "reading_minutes": reading_minutes(page.words),
    }


def pages_feed(pages: list[PageRecord], site_name: str, site_url: str) -> dict[str, Any]:
    return {
        "version": VERSION,
        "site_name": site_name,
        "site_url": site_url,
        "pages": [entry(page, site_url) for page in pages],
    }


def page_document(page: PageRecord, site_url: str) -> dict[str, Any]:
    return {**entry(page, site_url), "html": page.content}


def oembed(page: PageRecord, site_name: str, site_url: str, html: str) -> dict[str, Any]:
    """An oEmbed 1.0 `rich` response; `html` is the same snippet clinics paste."""
    return {
        "type": "rich",
        "version": "1.0",
        "title": page.title,
        "provider_name": site_name,
        "provider_url": site_url,
        "html": html,
        "width": FRAME_WIDTH,
        "height": FRAME_HEIGHT,
    }


def api_files(pages: list[PageRecord], site_name: str, site_url: str,
              snippet_of: Callable[[PageRecord], str]) -> dict[str, str]:
    """Every API file as {site-relative path: JSON text}; `snippet_of(page)` is its embed snippet."""
    out = {pages_path(): dump(pages_feed(pages, site_name, site_url))}
    for page in pages:
        out[page_path(page.slug)] = dump(page_document(page, site_url))
        if page.embeddable:
            out[oembed_path(page.slug)] = dump(oembed(page, site_name, site_url, snippet_of(page)))
    return out


def served_schemas(site_url: str) -> dict[str, str]:
    """The API's JSON Schemas as served at /api/v1/schemas/, each `$id` its own address there.

    Each is whole on its own: a schema that refers to another carries it (with its
    `$id`) in `$defs`, the JSON Schema way of bundling, so a plain
    `jsonschema.validate(data, schema)` needs no registry and fetches nothing.
    """
    def own(name: str) -> dict[str, Any]:
        return {**load_schema(name), "$id": urljoin(site_url, SCHEMAS_PATH + name)}

    out = {}
    for name in API_SCHEMAS:
        schema = own(name)
        wanted = sorted({ref.split("#")[0] for ref in _refs(schema)} - {"", name})
        if wanted:
            schema["$defs"] = {**schema.get("$defs", {}), **{other: own(other) for other in wanted}}
        out[SCHEMAS_PATH + name] = dump(schema)
    return out


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return ([node["$ref"]] if isinstance(node.get("$ref"), str) else []) + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def oembed_routes(embeddable_pages: list[PageRecord], site_url: str) -> list[Route]:
    """The oEmbed endpoint's routes: each embeddable page's address and its oEmbed file."""
    return [Route(urljoin(site_url, page.url), oembed_path(page.slug)) for page in embeddable_pages]


def write_site_files(site_dir: Path, files: dict[str, str]) -> None:
    """Write {site-relative path: text} into the built site, making folders as needed."""
    for path, text in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
