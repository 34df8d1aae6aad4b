"""What a host sends, asked the same way of every host the site documents: nginx
(tests/test_deploy_nginx.py) and the `_headers` hosts on their own local runtimes
(tests/test_host_runtimes.py). One request, no redirect followed, the body decoded from
its Content-Encoding; and the check that a host sends, for every built file, the headers
`_headers` promises for it."""
from __future__ import annotations

import gzip
import http.client
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import brotli

from feeling_safe.publishing.security_headers import HEADERS_FILE, headers_for_url, parse_headers_file, site_files

FRAMED_BY_ANY = "frame-ancestors *"       # embed views
FRAMED_BY_US = "frame-ancestors 'self'"   # every other document, the 404 page among them
# Headers that loosen what other sites may do with a file, or differ by kind of file: a host
# sends them where `_headers` says, and nowhere else (hosts have their own defaults and matching).
ONLY_WHERE_PROMISED = ("Access-Control-Allow-Origin", "Cross-Origin-Resource-Policy", "Content-Security-Policy",
                       "X-Frame-Options", "Permissions-Policy")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message   # names case-insensitive: hosts differ in how they spell them
    body: bytes        # as the file was, whatever Content-Encoding carried it
    raw: bytes         # as sent

    def text(self) -> str:
        return self.body.decode("utf-8")


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 60) -> Reply:
    """GET `url` once (a redirect is the answer, not followed)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
    body = gzip.decompress(raw) if encoding == "gzip" else brotli.decompress(raw) if encoding == "br" else raw
    return Reply(response.status, response.headers, body, raw)


def broken_promises(site_dir: Path, base_url: str, prefix: str = "/",
                    ignore: Iterable[str] = ()) -> tuple[list[str], int]:
    """Every built file fetched once from `base_url`: (what differs from `_headers`, headers checked).
    `ignore`: header names the host is known to set its own way (said where it is passed)."""
    blocks = parse_headers_file((site_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    skipped = {name.lower() for name in ignore}
    problems, checked = [], 0
    for rel in site_files(site_dir):
        address = rel.removesuffix("index.html")   # a folder's page, at the address readers use
        reply = get(base_url + address)
        # Cloudflare Pages sends `x.html` (our 404 page) on to `x`, with x.html's headers.
        moved = reply.status in (301, 308) and reply.headers.get("Location") in (prefix + rel[:-5], base_url + rel[:-5])
        if reply.status != 200 and not (rel.endswith(".html") and moved):
            problems.append(f"{prefix}{address}: status {reply.status}")
            continue
        promised = headers_for_url(blocks, prefix + address)
        for name, value in promised.items():
            if name.lower() in skipped:
                continue
            checked += 1
            if reply.headers.get(name) != value:
                problems.append(f"{prefix}{address}: {name} is {reply.headers.get(name)!r}, _headers says {value!r}")
        problems += [f"{prefix}{address}: {name} is {reply.headers.get(name)!r}, _headers sends none"
                     for name in ONLY_WHERE_PROMISED if name not in promised and reply.headers.get(name) is not None]
    return problems, checked
