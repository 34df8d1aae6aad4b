"""What a first visit to a built page downloads, in gzip -9 bytes.

Why: "lighter than the theme's default" is a promise we test, and bytes are
deterministic where timings are not. A first visit fetches the HTML, the
stylesheets it links (and the fonts and images they point to), the scripts
it loads, its images, its favicon and the word search index lean.js
fetches once the page is idle (on pages without a tool of their own). Render-blocking means what the browser
must have before the first paint: the HTML and the stylesheets that apply to
the screen on load (not `media="print"` ones switched on later). Scripts
that load only on a reader's action (Material's search bundle, for us) are
not part of a first visit. Used by the budget tests and by `make bench`.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from feeling_safe.pages import html
from feeling_safe.pages.css_rules import loads


@cache
def gzip_size(path: Path) -> int:
    """Bytes of the file compressed with gzip -9 (fixed mtime: deterministic)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


@dataclass
class Resource:
    url: str              # site-relative path, or the full URL of a foreign one
    kind: str             # html, css, js, font, image, icon
    blocking: bool
    gzip_bytes: int = 0   # 0 for foreign resources (not measurable offline)
    foreign: bool = False


@dataclass
class Weight:
    page: str
    resources: list[Resource] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.gzip_bytes for r in self.resources)

    @property
    def blocking(self) -> int:
        return sum(r.gzip_bytes for r in self.resources if r.blocking)

    @property
    def requests(self) -> int:
        return len(self.resources)

    @property
    def foreign(self) -> list[str]:
        return [r.url for r in self.resources if r.foreign]


def _page_refs(page: str) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """The resources a page's markup asks for on load, (url, kind, blocking) in document
    order, and its inline stylesheets. Read with scripts on, as a first visit is: what a
    <noscript> holds is text, never loaded."""
    refs: list[tuple[str, str, bool]] = []
    inline_css: list[str] = []
    for element in html.elements(html.parse(page)):
        tag = element.tag
        a = {k: (v or "") for k, v in element.attributes.items()}
        rel = set(a.get("rel", "").lower().split())
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            media = a.get("media", "all").strip().lower() or "all"
            refs.append((a["href"], "css", media not in ("print", "not all")))
        elif tag == "link" and rel & {"icon", "shortcut"} and a.get("href"):
            refs.append((a["href"], "icon", False))
        elif tag == "link" and "preload" in rel and a.get("href"):
            refs.append((a["href"], {"style": "css", "script": "js", "font": "font"}.get(a.get("as", ""), "image"), False))
        elif tag == "script" and a.get("src"):
            refs.append((a["src"], "js", False))
            # The word index: fetched by lean.js once the page is idle, except on a page with a
            # tool of its own (data-search-on-intent), which waits for the reader to reach for search.
            if a.get("data-word-index") and "data-search-on-intent" not in a:
                refs.append((a["data-word-index"], "json", False))
        elif tag in ("img", "source") and (a.get("src") or a.get("srcset")) and a.get("loading") != "lazy":
            url = a.get("src") or a["srcset"].split(",")[0].strip().split(" ")[0]
            refs.append((url, "image", False))
        elif tag == "use" and (a.get("href") or a.get("xlink:href")):
            refs.append((a.get("href") or a["xlink:href"], "image", False))
        elif tag == "style":
            inline_css.append(element.text(deep=True))
    return refs, inline_css


def _local_file(site_dir: Path, base: str, url: str) -> tuple[str, Path | None]:
    """(site-relative path, file) for a URL relative to page `base`; file None if foreign."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return url, None
    if parts.scheme or parts.netloc:
        return url, None
    path = urlsplit(urljoin("/" + base, url)).path.lstrip("/")
    file = site_dir / path
    if path == "" or path.endswith("/"):
        file = file / "index.html"
    return path, file


def _css_refs(css: str) -> list[tuple[str, str]]:
    """(url, kind) of fonts, images and imports a stylesheet pulls in (data: URLs excluded)."""
    found = []
    for load in loads(css):
        if not load.literal or load.address.startswith(("data:", "#")):
            continue
        kind = "css" if load.imported else "font" if re.search(r"\.(woff2?|ttf|otf|eot)(\?|#|$)", load.address) else "image"
        found.append((load.address, kind))
    return found


def first_visit(site_dir: Path, page_file: Path) -> Weight:
    """Every resource a first visit to `page_file` downloads, with gzip sizes.

    Fonts and images referenced by CSS count when they are not data: URLs;
    a browser fetches only those a rule on the page uses, so this is an upper
    bound. Foreign URLs are listed (and counted as requests) with 0 bytes.
    """
    rel = page_file.relative_to(site_dir).as_posix()
    base = rel[: -len("index.html")] if rel.endswith("index.html") else rel
    weight = Weight(page=base)
    weight.resources.append(Resource(rel, "html", True, gzip_size(page_file)))
    refs, inline_css = _page_refs(page_file.read_text(encoding="utf-8"))
    seen = {rel}
    queue = [(url, kind, blocking, base) for url, kind, blocking in refs]
    queue += [(url, kind, False, base) for css in inline_css for url, kind in _css_refs(css)]
    while queue:
        url, kind, blocking, origin = queue.pop(0)
        path, file = _local_file(site_dir, origin, url)
        if path in seen or url.startswith("data:"):
            continue
        seen.add(path)
        if file is None:
            weight.resources.append(Resource(url, kind, blocking, 0, foreign=True))
            continue
        if not file.is_file():
            raise FileNotFoundError(f"{base or '/'}: links {url}, which the build does not have")
        weight.resources.append(Resource(path, kind, blocking, gzip_size(file)))
        if kind == "css":
            for inner, inner_kind in _css_refs(file.read_text(encoding="utf-8", errors="replace")):
                queue.append((inner, inner_kind, blocking and inner_kind == "css", path))
    # Browsers ask for /favicon.ico when a page names no icon.
    if not any(r.kind == "icon" for r in weight.resources) and (site_dir / "favicon.ico").is_file():
        weight.resources.append(Resource("favicon.ico", "icon", False, gzip_size(site_dir / "favicon.ico")))
    return weight
