"""Embed views of our pages, the snippet clinics paste, and link rewriting.

Why: a clinic should be able to show one of our pages inside its own site
with one paste, while every link still takes the reader to the full guide
(never inside the frame) and search engines index only the full page.
The build pipeline (feeling_safe/plugin/plugin.py) wires these to the generator; the
snippet and the picker are template partials (overrides/partials/embed/).
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import nh3
import yaml
from selectolax.lexbor import LexborHTMLParser

from feeling_safe.pages import html as pages_html

if TYPE_CHECKING:
    from feeling_safe.plugin.partials import Partials

EMBEDDABLE_KINDS = ("explainer", "tool")
EMBED_TEMPLATE = "embed.html"
FRAME_HEIGHT = 600  # px: the snippet's starting height, before embed.js fits the frame
FRAME_WIDTH = 640   # px: oEmbed needs a nominal width; the snippet itself fills its column
SCRIPT_PATH = "embed.js"
# Every file that is only there for embedding: a build without embeds leaves them all out.
ASSETS = (SCRIPT_PATH, "assets/javascripts/embed-frame.js", "assets/javascripts/embed-picker.js",
          "assets/stylesheets/embed.css")
# `<!-- embed:picker -->` in a page's text becomes the "Embed this guide" picker.
SHORTCODE = re.compile(r"<!--\s*embed:([\w-]+)\s*-->")
SHORTCODES = ("picker",)

_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")

# The API's article fragment (clean_fragment) is an allow-list, applied by nh3
# (the Ammonia sanitiser): the article markup a CMS needs and nothing that runs.
FRAGMENT_TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "section", "aside",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr", "strong", "em", "b", "i", "s", "del", "ins",
    "q", "cite", "blockquote", "code", "pre", "kbd", "sub", "sup", "small", "mark", "time",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "details", "summary",
    "figure", "figcaption", "img",
})
# Dropped with everything inside: code, and controls or frames that need our scripts.
FRAGMENT_DROPPED = frozenset({"script", "style", "noscript", "template", "iframe", "frame", "object",
                              "embed", "form", "select", "button", "textarea", "svg", "math", "title"})
FRAGMENT_ATTRIBUTES = {tag: frozenset(names) for tag, names in {
    "*": ("id", "class", "title", "lang", "dir", "role"),
    "a": ("href",), "abbr": ("tabindex",), "time": ("datetime",), "img": ("src", "alt", "width", "height"),
    "ol": ("start", "reversed", "type"), "li": ("value",), "details": ("open",),
    "q": ("cite",), "blockquote": ("cite",), "th": ("colspan", "rowspan", "scope"), "td": ("colspan", "rowspan"),
}.items()}
FRAGMENT_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms"})


def embeddable(meta: dict[str, Any]) -> bool:
    """Explainer and tool pages get an embed view (CONTRIBUTING.md)."""
    return meta.get("kind") in EMBEDDABLE_KINDS


def slug_of(src_uri: str) -> str:
    """The page's short name in embed and API addresses: `what-it-is.md` -> `what-it-is`."""
    return src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri


def source_of(slug: str) -> str:
    """The page a slug names: `what-it-is` -> `what-it-is.md` (the inverse of slug_of)."""
    return f"{slug}.md"


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
    # libyaml's emitter when PyYAML has it (the same YAML, read back the same; several times faster).
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return f"---\n{yaml.dump(front, Dumper=dumper, sort_keys=False, allow_unicode=True)}---\n\n{body}"


def absolute_url(base_url: str, url: str) -> str:
    """`url` as written in a page at `base_url`, made absolute; fragments, schemes kept."""
    raw = url.strip()
    if not raw or raw.startswith("#") or _HAS_SCHEME.match(raw):
        return url
    return urljoin(base_url, raw)


def frame_links(markup: str, page_url: str) -> str:
    """Make every link in an embed view open the full site in the top window.

    `markup` is a whole page (from its doctype) or an article. Links to another
    page become absolute (from `page_url`, the address the markup was written
    for) and get `target="_top"`; links within the page (`#...`) stay in the frame.
    """
    whole_page = markup.lstrip()[:9].lower() == "<!doctype"
    tree = pages_html.parse(markup) if whole_page else pages_html.parse_fragment(markup)
    frame_tree_links(tree, page_url)
    return pages_html.serialize(tree) if whole_page else pages_html.serialize_fragment(tree)


def frame_tree_links(tree: LexborHTMLParser, page_url: str) -> None:
    """`frame_links` on a page already parsed (the build's one parse of an embed view)."""
    for link in tree.css("a[href]"):
        href = link.attrs["href"] or ""
        if href.strip().startswith("#"):
            continue
        link.attrs["href"] = absolute_url(page_url, href)
        if "target" not in link.attrs:
            link.attrs["target"] = "_top"


def clean_fragment(markup: str, page_url: str) -> str:
    """The article as a fragment a CMS can import: only the allow-listed article markup
    (no scripts, styles, frames, forms, event handlers, data attributes or header
    anchors; links only to http(s), mailto, tel and sms), every address absolute."""
    return clean_tree(pages_html.parse_fragment(markup), page_url)


def clean_tree(article: LexborHTMLParser, page_url: str) -> str:
    """`clean_fragment` of an article already parsed (it loses MkDocs' header anchors, the
    pilcrow links, and what a page hides until its script fills it in, such as a tool's empty
    frame: the API carries content, not the interactive part; in place)."""
    def absolute(element: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src", "cite"):
            return value
        joined = value if value.strip().startswith("#") else urljoin(page_url, value.strip())
        scheme = urlsplit(joined).scheme
        return joined if (scheme in FRAGMENT_URL_SCHEMES or joined.startswith("#")) else None

    for anchor in article.css("a.headerlink, [hidden]"):
        anchor.decompose()
    markup = pages_html.serialize_fragment(article)
    return nh3.clean(markup, tags=set(FRAGMENT_TAGS), clean_content_tags=set(FRAGMENT_DROPPED),
                     attributes={tag: set(names) for tag, names in FRAGMENT_ATTRIBUTES.items()},
                     generic_attribute_prefixes={"aria-"}, attribute_filter=absolute,
                     url_schemes=set(FRAGMENT_URL_SCHEMES), link_rel=None, strip_comments=True).strip()


def frame_title(page_title: str, site_name: str) -> str:
    return f"{page_title} ({site_name})"


def snippet(partials: Partials, frames: Iterable[tuple[str, str, str]], script_url: str) -> str:
    """The HTML a clinic pastes: per (frame title, embed URL, full page URL) a linked quote
    and an iframe, then our script once."""
    return partials.render("embed/snippet.html", script_url=script_url, height=FRAME_HEIGHT,
                           frames=[{"title": title, "url": url, "page_url": page} for title, url, page in frames])


def page_picker(partials: Partials, choices: list[dict[str, str]], script_url: str, base: str) -> str:
    """The "Embed this guide" picker (overrides/partials/embed/picker.html).

    `choices` are dicts with slug, title, frame_title, embed_url and page_url (absolute);
    `base` is the relative path from the picker page to the site root.
    """
    def frame(choice: dict[str, str]) -> tuple[str, str, str]:
        return choice["frame_title"], choice["embed_url"], choice["page_url"]

    items = [{**choice, "embed_path": embed_path(choice["slug"]), "snippet": snippet(partials, [frame(choice)], script_url)}
             for choice in choices]
    every = snippet(partials, [frame(choice) for choice in choices], script_url)
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
