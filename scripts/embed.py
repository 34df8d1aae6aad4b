"""Embed views of our pages, the snippet clinics paste, and link rewriting.

Why: a clinic should be able to show one of our pages inside its own site
with one paste, while every link still takes the reader to the full guide
(never inside the frame) and search engines index only the full page.
The hook (overrides/hooks/embed.py) only wires these functions to MkDocs.
"""
from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from typing import Any, Iterable
from urllib.parse import urljoin

import yaml
from mkdocs.utils.meta import get_data

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


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, Markdown body), parsed the way MkDocs parses pages."""
    body, meta = get_data(text)
    return meta, body


def embed_page_source(meta: dict[str, Any], body: str) -> str:
    """Markdown of an embed view: the page's own metadata and text, in the embed layout,
    left out of search."""
    front = {**meta, "template": EMBED_TEMPLATE, "search": {"exclude": True}}
    # libyaml's emitter when PyYAML has it (the same YAML, read back the same; several times faster).
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return f"---\n{yaml.dump(front, Dumper=dumper, sort_keys=False, allow_unicode=True)}---\n\n{body}"


def human_date(value: dt.date | str) -> str:
    """`2026-11-26` -> `26 November 2026` (fixed English month names, no locale)."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    months = ("January", "February", "March", "April", "May", "June", "July",
              "August", "September", "October", "November", "December")
    return f"{day.day} {months[day.month - 1]} {day.year}"


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


def snippet(frames: Iterable[tuple[str, str]], script_url: str, height: int = FRAME_HEIGHT) -> str:
    """The HTML a clinic pastes: one iframe per (title, embed URL), then our script once.

    Without the script each frame still shows its page at `height`, scrollable.
    """
    lines = [
        f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" '
        f'height="{height}" loading="lazy" style="border:0;width:100%;display:block"></iframe>'
        for title, url in frames
    ]
    lines.append(f'<script src="{html.escape(script_url)}" async></script>')
    return "\n".join(lines)


def page_picker(choices: list[dict[str, str]], script_url: str, base: str) -> str:
    """The "Embed this guide" picker: a page menu, a live preview and the snippet.

    `choices` are dicts with slug, title, frame_title and embed_url (absolute);
    `base` is the relative path from the picker page to the site root, for the
    preview frame and the picker script. The preview keeps its fixed height (no
    embed.js here) so the rest of the page stays close. Without JavaScript the
    reader still sees the first page's snippet and the address of every page.
    """
    if not choices:
        return '<p class="fs-embed-picker">This site has no pages to embed.</p>'
    snippets = {c["slug"]: snippet([(c["frame_title"], c["embed_url"])], script_url) for c in choices}
    every = snippet([(c["frame_title"], c["embed_url"]) for c in choices], script_url)
    first = choices[0]
    options = [f'<option value="all" data-preview="{html.escape(base + embed_path(first["slug"]))}" '
               f'data-snippet="{html.escape(every)}">All pages, one after another</option>']
    options += [
        f'<option value="{html.escape(c["slug"])}"{" selected" if c is first else ""} '
        f'data-preview="{html.escape(base + embed_path(c["slug"]))}" '
        f'data-snippet="{html.escape(snippets[c["slug"]])}">{html.escape(c["title"])}</option>'
        for c in choices
    ]
    addresses = "\n".join(f'<li>{html.escape(c["title"])}: <code>{html.escape(c["embed_url"])}</code></li>'
                          for c in choices)
    return (
        '<div class="fs-embed-picker">\n'
        '<form class="fs-embed-picker__form" hidden>\n'
        '<label for="fs-embed-page">Page to embed</label>\n'
        f'<select id="fs-embed-page" name="page">\n' + "\n".join(options) + '\n</select>\n'
        '<button type="button" class="md-button md-button--primary" data-fs-copy>Copy the snippet</button>\n'
        '<span class="fs-embed-picker__status" role="status"></span>\n'
        '</form>\n'
        f'<pre class="fs-embed-picker__snippet"><code id="fs-embed-snippet">{html.escape(snippets[first["slug"]])}</code></pre>\n'
        '<p class="fs-embed-picker__label">Preview. Here the frame keeps its starting height and scrolls; '
        'on your site the script makes it grow to fit the whole page.</p>\n'
        f'<iframe class="fs-embed-picker__preview" src="{html.escape(base + embed_path(first["slug"]))}" '
        f'title="Preview of the embedded page" height="{FRAME_HEIGHT}" loading="lazy"></iframe>\n'
        '<details class="fs-embed-picker__all">\n'
        '<summary>The address of every page you can embed</summary>\n'
        f'<ul>\n{addresses}\n</ul>\n'
        '</details>\n'
        f'<script src="{html.escape(base + "assets/javascripts/embed-picker.js")}" defer></script>\n'
        '</div>'
    )


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
