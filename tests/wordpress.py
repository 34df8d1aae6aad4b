"""A WordPress post with one of our pages pasted in, reproduced exactly, for the embed tests.

Why: most clinics publish with WordPress. Given a page address, WordPress finds
our oEmbed link in the page (discovery), asks it with its own maxwidth and
maxheight, filters the HTML (wp_filter_oembed_result, wp-includes/embed.php, as
in Debian's WordPress 6.1): only a blockquote, links and an iframe with a few
attributes survive, scripts are dropped, a 10-character secret goes into the
frame's address (`#?secret=`) and a data-secret attribute, the frame is hidden
until it speaks, and it is sandboxed with scripts only (no top-window links).
The host page then runs WordPress's own wp-embed.js (make wordpress).
"""
from __future__ import annotations

import html
import json
import re
import secrets
import string
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from sitebuild import ROOT

WP_EMBED = ROOT / ".cache" / "wordpress" / "wp-embed.js"
CAP = 1000  # wp-embed.js clamps a frame's height to 200..1000 px
# wp_embed_defaults() for a theme with a 600 px content width.
MAX_WIDTH, MAX_HEIGHT = 600, 900
ALLOWED = {"a": {"href"}, "blockquote": set(),
           "iframe": {"src", "width", "height", "frameborder", "marginwidth", "marginheight", "scrolling", "title"}}


class _Kses(HTMLParser):
    """wp_kses with WordPress's oEmbed allow-list: other tags dropped (their text kept), other attributes dropped."""

    def __init__(self, allowed: dict[str, set[str]]):
        super().__init__(convert_charrefs=False)
        self.allowed, self.out = allowed, []

    def handle_starttag(self, tag, attrs):
        if tag in self.allowed:
            kept = "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs
                           if name in self.allowed[tag])
            self.out.append(f"<{tag}{kept}>")

    def handle_endtag(self, tag):
        if tag in self.allowed:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")


def kses(markup: str, allowed: dict[str, set[str]]) -> str:
    parser = _Kses(allowed)
    parser.feed(markup)
    parser.close()
    return "".join(parser.out)


def filter_oembed_result(result: str, secret: str) -> str:
    """wp_filter_oembed_result() for a provider WordPress does not trust, step by step."""
    markup = kses(result, ALLOWED)
    content = re.search(r"(<blockquote>.*?</blockquote>)?.*(<iframe.*?></iframe>)", markup, re.S)
    assert content and content.group(2), "WordPress drops an oEmbed response without an iframe"
    markup = (content.group(1) or "") + content.group(2)
    src = re.search(r""" src=(['"])(.*?)\1""", markup)
    if src:
        quote = src.group(1)
        markup = markup.replace(src.group(0), f" src={quote}{src.group(2)}#?secret={secret}{quote} "
                                              f"data-secret={quote}{secret}{quote}")
        markup = markup.replace("<blockquote", f'<blockquote data-secret="{secret}"')
    markup = kses(markup, {**ALLOWED, "blockquote": {"data-secret"}, "iframe": ALLOWED["iframe"] | {"data-secret"}})
    if content.group(1):  # a blockquote to fall back on: the frame stays hidden until it speaks
        markup = markup.replace("<iframe", '<iframe style="position: absolute; clip: rect(1px, 1px, 1px, 1px);"')
        markup = markup.replace("<blockquote", '<blockquote class="wp-embedded-content"')
    return re.sub("<iframe", '<iframe class="wp-embedded-content" sandbox="allow-scripts" security="restricted"',
                  markup, flags=re.I)


class _Discovery(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "alternate" and values.get("type") == "application/json+oembed":
            self.found.append(values["href"])


def discover(page_url: str) -> dict:
    """What WordPress does with a pasted address: find the oEmbed link, ask it with its sizes."""
    with urllib.request.urlopen(page_url) as response:
        finder = _Discovery()
        finder.feed(response.read().decode("utf-8"))
    assert len(finder.found) == 1, f"{page_url}: oEmbed links {finder.found}"
    query = urlencode({"maxwidth": MAX_WIDTH, "maxheight": MAX_HEIGHT, "url": page_url, "dnt": 1})
    with urllib.request.urlopen(f"{finder.found[0]}?{query}") as response:
        return json.loads(response.read().decode("utf-8"))


def secret() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10))


def post_page(embeds: list[str], title: str = "A clinic's post") -> str:
    """A post as a WordPress block theme writes it: each embed in the embed block's figure,
    WordPress's embed styles, wp-embed.js in the footer."""
    figures = "".join(
        '<figure class="wp-block-embed is-type-rich is-provider-feeling-safe-in-therapy">'
        f'<div class="wp-block-embed__wrapper">\n{markup}\n</div></figure>' for markup in embeds)
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{html.escape(title)}</title><link rel='stylesheet' href='wp.css'></head>"
            f"<body class='single'><main><h1>{html.escape(title)}</h1>{figures}</main>"
            "<script src='wp-includes/js/wp-embed.js' id='wp-embed-js'></script></body></html>")


WP_CSS = """*,*::before,*::after{box-sizing:border-box}
body{margin:0;padding:12px;font-family:sans-serif}
.wp-block-embed{margin:0 0 1em;overflow-wrap:break-word}
.wp-block-embed iframe{max-width:100%}
.wp-block-embed__wrapper{position:relative}
"""


def write_host(folder: Path, pages: dict[str, str]) -> None:
    """The host's files: WordPress's script and styles, and one post per name in `pages`."""
    assert WP_EMBED.is_file(), f"{WP_EMBED} is missing: `make wordpress` (part of `make test`) fetches it"
    (folder / "wp-includes/js").mkdir(parents=True, exist_ok=True)
    (folder / "wp-includes/js/wp-embed.js").write_bytes(WP_EMBED.read_bytes())
    (folder / "wp.css").write_text(WP_CSS, encoding="utf-8")
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
