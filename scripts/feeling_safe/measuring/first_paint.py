"""What a first paint costs on the wire: a page's HTML and any render-blocking CSS, as served.

Why: a server sends about ten 1,460-byte segments before it waits for the
reader's first acknowledgement (its initial congestion window), so a page
whose first paint needs only what fits in 14,600 bytes, response headers
included, can paint after one round trip. The guide's pages carry their
critical CSS in the HTML (a `<style>`, feeling_safe/pages/lean_assets.py) and
link no blocking stylesheet, so their first paint is the HTML response alone;
a page that does link one (default Material, an older build) is counted with
each such sheet, which is a second request besides. The figure is measured on
the wire (status line, headers and compressed body, as a browser asking for
Brotli, or a client that asks for gzip only, receives them), through the server
that deploys the site (deploy/nginx/site.conf).

Since the CSS is in every page, it is not cached across pages: a later page in
the same visit costs its whole HTML response (`FirstPaint.later_page`), where a
linked sheet would have come from the cache.
"""
from __future__ import annotations

import gzip
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli

from feeling_safe.measuring.nginx_site import serve_with_nginx
from feeling_safe.pages import html

SEGMENT = 1460
ONE_ROUND_TRIP = 10 * SEGMENT   # 14,600 bytes
# What Chromium, Firefox and Safari ask for over HTTPS.
BROWSER_ENCODINGS = "gzip, deflate, br"
BROTLI = BROWSER_ENCODINGS
# A client without Brotli (older browsers, Chromium over plain HTTP, many bots and proxies).
GZIP_ONLY = "gzip, deflate"
ENCODINGS = {"br": BROTLI, "gzip": GZIP_ONLY}


def blocking_stylesheets(page: str) -> list[str]:
    """Stylesheets that block rendering: <link rel=stylesheet> for all media, outside <noscript>
    (a browser with scripts on reads a <noscript>'s content as text)."""
    found = []
    for link in html.parse(page).css("link[href]"):
        values = link.attributes
        if ("stylesheet" in (values.get("rel") or "").split() and (values.get("media") or "all") in ("all", "screen")
                and values.get("href")):
            found.append(values["href"])
    return found


@dataclass(frozen=True)
class Response:
    status: int
    head: bytes      # status line and headers, with the blank line that ends them
    body: bytes      # as sent (compressed when the server compressed it)

    @property
    def wire(self) -> int:
        return len(self.head) + len(self.body)

    def header(self, name: str) -> str | None:
        for line in self.head.decode("latin-1").split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None


def fetch(url: str, timeout: float = 10, accept_encoding: str = BROWSER_ENCODINGS) -> Response:
    """One HTTP/1.1 GET as a browser asks (Chromium's Accept-Encoding), read raw to count every byte."""
    parts = urlsplit(url)
    path = parts.path or "/"
    request = (f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept-Encoding: {accept_encoding}\r\n"
               "Accept: text/html,text/css,*/*\r\nConnection: close\r\n\r\n").encode("ascii")
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout) as conn:
        conn.sendall(request)
        chunks = []
        while data := conn.recv(65536):
            chunks.append(data)
    raw = b"".join(chunks)
    head, sep, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return Response(status, head + sep, body)


def _unchunk(body: bytes) -> bytes:
    """The payload of a chunked body (its chunk-size lines count on the wire, not here)."""
    payload, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        payload, rest = payload + rest[:size], rest[size + 2:]
    return payload


def decoded(response: Response) -> str:
    """The response's text, undoing chunking and compression."""
    body = response.body
    if "chunked" in (response.header("Transfer-Encoding") or "").lower():
        body = _unchunk(body)
    encoding = response.header("Content-Encoding") or ""
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        body = brotli.decompress(body)
    return body.decode("utf-8")


@dataclass(frozen=True)
class FirstPaint:
    url: str
    html: int                    # the HTML response on the wire, headers included
    stylesheets: dict[str, int]  # each render-blocking sheet's response, by its href (none: the HTML alone)
    accept_encoding: str = BROWSER_ENCODINGS

    @property
    def total(self) -> int:
        """What the first paint of a first visit waits for."""
        return self.html + sum(self.stylesheets.values())

    @property
    def requests(self) -> int:
        """How many responses the first paint waits for (1: the HTML alone)."""
        return 1 + len(self.stylesheets)

    @property
    def later_page(self) -> int:
        """What the page costs later in the same visit (a third page): its HTML; a linked
        sheet is in the cache by then, inline CSS comes again with every page."""
        return self.html

    @property
    def one_round_trip(self) -> bool:
        return self.requests == 1 and self.total <= ONE_ROUND_TRIP


def first_paint(url: str, accept_encoding: str = BROWSER_ENCODINGS) -> FirstPaint:
    """Bytes on the wire for the page at `url` and each stylesheet that blocks its first paint,
    asked for as a client that accepts `accept_encoding` (BROTLI, GZIP_ONLY)."""
    page = fetch(url, accept_encoding=accept_encoding)
    if page.status != 200:
        raise ValueError(f"{url}: status {page.status}")
    sheets = {}
    for href in blocking_stylesheets(decoded(page)):
        sheet = fetch(urljoin(url, href), accept_encoding=accept_encoding)
        if sheet.status != 200:
            raise ValueError(f"{url}: stylesheet {href}: status {sheet.status}")
        sheets[href] = sheet.wire
    return FirstPaint(url, page.wire, sheets, accept_encoding)


def site_pages(site_dir: Path) -> list[str]:
    """Every page a reader reads, by its address relative to the site (the folders' index
    pages: no embed views, no API), in order, with the 404 page last."""
    pages = sorted(path.relative_to(site_dir).as_posix()[:-len("index.html")]
                   for path in site_dir.rglob("index.html"))
    return [page for page in pages if not page.startswith(("embed/", "api/"))] + \
        (["404.html"] if (site_dir / "404.html").is_file() else [])


def first_paints(site_dir: Path, encodings: tuple[str, ...] = ("br", "gzip"),
                 pages: list[str] | None = None) -> dict[str, list[FirstPaint]]:
    """Each page's first paint (`pages`, site-relative; every page a reader reads by default),
    served by nginx with deploy/nginx/site.conf and the build's headers, for each encoding
    a client accepts ("br": a browser's Accept-Encoding; "gzip": gzip only)."""
    prefix = Path(tempfile.mkdtemp(prefix="first-paint-"))
    try:
        with serve_with_nginx(site_dir, prefix) as url:
            return {name: [_first_paint_of(url, page, ENCODINGS[name]) for page in pages or site_pages(site_dir)]
                    for name in encodings}
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _first_paint_of(base: str, page: str, accept_encoding: str) -> FirstPaint:
    if page == "404.html":   # as a reader meets it: an unknown address
        response = fetch(base + "no-such-page/", accept_encoding=accept_encoding)
        return FirstPaint(base + "no-such-page/", response.wire, {
            href: fetch(urljoin(base + "no-such-page/", href), accept_encoding=accept_encoding).wire
            for href in blocking_stylesheets(decoded(response))}, accept_encoding)
    return first_paint(base + page, accept_encoding)


def summary(figures: list[FirstPaint]) -> dict[str, int]:
    """The largest first paint, how many pages exceed one round trip's bytes, how many wait for
    a second request, and the largest later page."""
    return {"pages": len(figures), "max": max((f.total for f in figures), default=0),
            "over": sum(f.total > ONE_ROUND_TRIP for f in figures),
            "two_requests": sum(f.requests > 1 for f in figures),
            "later_max": max((f.later_page for f in figures), default=0)}


def report(sites: dict[str, Path]) -> str:
    """A Markdown table of each site's pages: HTML (and blocking CSS) bytes for a Brotli and a
    gzip-only client, then each site's summary."""
    found = {name: first_paints(site) for name, site in sites.items()}
    lines = ["| site | page | br: HTML | br: blocking CSS | gzip: HTML | gzip: blocking CSS |",
             "|---|---|---:|---:|---:|---:|"]
    for name, figures in found.items():
        for br, gz in zip(figures["br"], figures["gzip"], strict=True):
            lines.append(f"| {name} | {urlsplit(br.url).path} | {br.html:,} | {br.total - br.html:,} | "
                         f"{gz.html:,} | {gz.total - gz.html:,} |")
    lines += ["", "| site | client | pages | max first paint | over 14,600 | two requests | max later page |",
              "|---|---|---:|---:|---:|---:|---:|"]
    for name, figures in found.items():
        for encoding, listed in figures.items():
            total = summary(listed)
            lines.append(f"| {name} | {encoding} | {total['pages']} | {total['max']:,} | {total['over']} | "
                         f"{total['two_requests']} | {total['later_max']:,} |")
    return "\n".join(lines)


if __name__ == "__main__":   # python -m feeling_safe.measuring.first_paint NAME=SITE_DIR ...
    import sys

    print(report({arg.partition("=")[0]: Path(arg.partition("=")[2]) for arg in sys.argv[1:]}))
