"""What a first paint costs on the wire: a page's HTML and its render-blocking CSS, as served.

Why: a server sends about ten 1,460-byte segments before it waits for the
reader's first acknowledgement (its initial congestion window), so a page
whose HTML and render-blocking stylesheets fit in 14,600 bytes, response
headers included, paints after one round trip. The figure is measured on the
wire (status line, headers and compressed body, as a browser asking for Brotli
or gzip receives them), through the server that deploys the site (deploy/nginx/site.conf).
"""
from __future__ import annotations

import gzip
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import brotli

from feeling_safe.pages import html

SEGMENT = 1460
ONE_ROUND_TRIP = 10 * SEGMENT   # 14,600 bytes
# What Chromium, Firefox and Safari ask for over HTTPS.
BROWSER_ENCODINGS = "gzip, deflate, br"


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
    html: int
    stylesheets: dict[str, int]

    @property
    def total(self) -> int:
        return self.html + sum(self.stylesheets.values())


def first_paint(url: str) -> FirstPaint:
    """Bytes on the wire for the page at `url` and each stylesheet that blocks its first paint."""
    page = fetch(url)
    if page.status != 200:
        raise ValueError(f"{url}: status {page.status}")
    sheets = {}
    for href in blocking_stylesheets(decoded(page)):
        sheet = fetch(urljoin(url, href))
        if sheet.status != 200:
            raise ValueError(f"{url}: stylesheet {href}: status {sheet.status}")
        sheets[href] = sheet.wire
    return FirstPaint(url, page.wire, sheets)
