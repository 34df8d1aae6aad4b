"""Embed views of our pages, the snippet clinics paste, and link rewriting.

Why: a clinic should be able to show one of our pages inside its own site
with one paste, while every link still takes the reader to the full guide
(never inside the frame) and search engines index only the full page.
The build pipeline (scripts/pipeline.py) wires these to the generator; the
snippet and the picker are template partials (overrides/partials/embed/).
"""
from __future__ import annotations

import html
import posixpath
import re
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import urljoin

import yaml

if TYPE_CHECKING:
    from scripts.partials import Partials

EMBEDDABLE_KINDS = ("explainer", "tool")
EMBED_TEMPLATE = "embed.html"
FRAME_HEIGHT = 600  # px: the snippet's starting height, before embed.js fits the frame
FRAME_WIDTH = 640   # px: oEmbed needs a nominal width; the snippet itself fills its column
SCRIPT_PATH = "embed.js"
# `<!-- embed:picker -->` in a page's text becomes the "Embed this guide" picker.
SHORTCODE = re.compile(r"<!--\s*embed:([\w-]+)\s*-->")
SHORTCODES = ("picker",)

_TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s[^>]*)?)>")
_URL_ATTR = re.compile(r"""(?<=\s)(href|src)=(["'])(.*?)\2""", re.S)
_EVENT_ATTR = re.compile(r"""\s+on[a-z]+=(["']).*?\1""", re.S | re.I)
_TARGET_ATTR = re.compile(r"""(?<=\s)target=""", re.I)
_DROPPED_ELEMENTS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.S | re.I)
_HEADERLINK = re.compile(r"""<a\b[^>]*\bclass=(["'])[^"']*\bheaderlink\b[^"']*\1[^>]*>.*?</a>""", re.S)
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def embeddable(meta: dict[str, Any]) -> bool:
    """Explainer and tool pages get an embed view (CONTRIBUTING.md)."""
    return meta.get("kind") in EMBEDDABLE_KINDS


def slug_of(src_uri: str) -> str:
    """The page's short name in embed and API addresses: `what-it-is.md` -> `what-it-is`."""
    return src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri


def embed_src_uri(src_uri: str) -> str:
    """The virtual source of a page's embed view, beside the page itself.

    It sits in the same folder so the page's relative Markdown links resolve to
    the same full pages; its output goes to `embed/<slug>/` (see embed_dest_uri).
    """
    return slug_of(src_uri) + ".embed.md"


def embed_path(slug: str) -> str:
    return f"embed/{slug}/"


def embed_dest_uri(slug: str) -> str:
    return embed_path(slug) + "index.html"


def embed_page_source(meta: dict[str, Any], body: str) -> str:
    """Markdown of an embed view: the page's own metadata and text, in the embed layout,
    left out of search."""
    front = {**meta, "template": EMBED_TEMPLATE, "search": {"exclude": True}}
    return f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n\n{body}"


def absolute_url(base_url: str, url: str) -> str:
    """`url` as written in a page at `base_url`, made absolute; fragments, schemes kept."""
    raw = html.unescape(url).strip()
    if not raw or raw.startswith("#") or _HAS_SCHEME.match(raw):
        return url
    return html.escape(urljoin(base_url, raw), quote=True)


def _rewrite_tags(markup: str, rewrite) -> str:
    return _TAG.sub(lambda m: "<" + m.group(1) + rewrite(m.group(1).lower(), m.group(2)) + ">", markup)


def frame_links(markup: str, page_url: str) -> str:
    """Make every link in an embed view open the full site in the top window.

    Links to another page become absolute (from `page_url`, the embed view's own
    address) and get `target="_top"`; links within the page (`#...`) stay in the frame.
    """
    def rewrite(name: str, attrs: str) -> str:
        if name != "a":
            return attrs
        match = _URL_ATTR.search(attrs)
        if not match or match.group(1) != "href" or match.group(3).strip().startswith("#"):
            return attrs
        attrs = attrs[: match.start(3)] + absolute_url(page_url, match.group(3)) + attrs[match.end(3):]
        if not _TARGET_ATTR.search(attrs):
            closing = "/" if attrs.rstrip().endswith("/") else ""
            attrs = attrs.rstrip().rstrip("/").rstrip() + ' target="_top"' + (" /" if closing else "")
        return attrs

    return _rewrite_tags(markup, rewrite)


def clean_fragment(markup: str, page_url: str) -> str:
    """The article as a fragment a CMS can import: no scripts, styles, event handlers
    or header anchors, and every link and image address absolute."""
    markup = _DROPPED_ELEMENTS.sub("", markup)
    markup = _HEADERLINK.sub("", markup)

    def rewrite(name: str, attrs: str) -> str:
        attrs = _EVENT_ATTR.sub("", attrs)
        return _URL_ATTR.sub(lambda m: f"{m.group(1)}={m.group(2)}"
                             f"{absolute_url(page_url, m.group(3))}{m.group(2)}", attrs)

    return _rewrite_tags(markup, rewrite).strip()


def frame_title(page_title: str, site_name: str) -> str:
    return f"{page_title} ({site_name})"


def snippet(partials: Partials, frames: Iterable[tuple[str, str]], script_url: str) -> str:
    """The HTML a clinic pastes: one iframe per (title, embed URL), then our script once."""
    return partials.render("embed/snippet.html", frames=[{"title": title, "url": url} for title, url in frames],
                           script_url=script_url, height=FRAME_HEIGHT)


def page_picker(partials: Partials, choices: list[dict[str, str]], script_url: str, base: str) -> str:
    """The "Embed this guide" picker (overrides/partials/embed/picker.html).

    `choices` are dicts with slug, title, frame_title and embed_url (absolute);
    `base` is the relative path from the picker page to the site root.
    """
    items = [{**choice, "embed_path": embed_path(choice["slug"]),
              "snippet": snippet(partials, [(choice["frame_title"], choice["embed_url"])], script_url)}
             for choice in choices]
    every = snippet(partials, [(choice["frame_title"], choice["embed_url"]) for choice in choices], script_url)
    return partials.render("embed/picker.html", choices=items, every=every, base=base, height=FRAME_HEIGHT)


def shortcode_problems(label: str, markdown: str) -> list[str]:
    """One line per unknown `embed:` shortcode in a page: a typo must fail, not vanish."""
    known = ", ".join("embed:" + name for name in SHORTCODES)
    return [f"{label}: unknown shortcode embed:{name}; known: {known}"
            for name in sorted(set(SHORTCODE.findall(markdown)) - set(SHORTCODES))]


def expand_shortcodes(markdown: str, rendered: dict[str, str]) -> str:
    """Each known shortcode replaced by its HTML (`rendered`: shortcode name -> HTML)."""
    return SHORTCODE.sub(lambda match: rendered[match.group(1)], markdown)


def relative_root(page_url: str) -> str:
    """Relative path from a page's URL (`embed-this-guide/`) back to the site root (`../`)."""
    depth = len([part for part in posixpath.dirname(page_url.rstrip("/") + "/x").split("/") if part])
    return "../" * depth
