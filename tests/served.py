"""What a real server sends for the built site: the checks the nginx and Apache recipes and the
`_headers` hosts' own local runtimes share (tests/test_deploy_nginx.py, tests/test_deploy_apache.py,
tests/test_embed_hosts.py, tests/test_host_runtimes.py).

Each server must send, for every built file, what `_headers` promises the other hosts (as a
browser reads it: `/*`'s X-Frame-Options is ignored where the embed view's policy names
frame-ancestors, and the document headers on a file that is never a document), and carry the
headers on every answer it can give, errors too.
"""
from __future__ import annotations

import gzip
import http.client
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import quote, urlsplit

import brotli

from feeling_safe.publishing.safe_build import STAMP
from feeling_safe.publishing.security_headers import (
    COMMON,
    HEADERS_FILE,
    NGINX_FILE,
    as_browsers_read,
    headers_for_url,
    parse_headers_file,
    site_files,
)

EMBED_SLUG = "what-it-is"
# Host files a server must never send, whichever server it is.
PRIVATE = (HEADERS_FILE, NGINX_FILE, "_headers.apache", ".htaccess", "_redirects", "_worker.js", "_routes.json", STAMP)
FRAMED_BY_ANY = "frame-ancestors *"       # embed views
FRAMED_BY_US = "frame-ancestors 'self'"   # every other document, the 404 page among them
# Headers that loosen what other sites may do with a file, or differ by kind of file: a server
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
    """GET `url` once (a redirect is the answer, not followed), the body decoded."""
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


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def folder_address(rel: str) -> str:
    """The address readers use for a built file: a folder's for its index.html (an embed view
    is framed at that one only)."""
    return rel.removesuffix("index.html") if rel == "index.html" or rel.endswith("/index.html") else rel


def promised_header_problems(site_dir: Path, base_url: str, ignore: Iterable[str] = (),
                             host: str = "cloudflare") -> tuple[list[str], int]:
    """Every built file fetched once, at the address readers use: (what differs from `_headers`
    as `host` reads it, how many headers were checked), as a browser reads both (the two
    `_headers` hosts read it alike: test_security_headers.py). A header of ONLY_WHERE_PROMISED
    that `_headers` does not promise is a problem too. `ignore`: names a server is known to set
    its own way (said where it is passed)."""
    prefix = urlsplit(base_url).path
    blocks = parse_headers_file((site_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    skipped = {name.lower() for name in ignore}
    problems, checked = [], 0
    for rel in site_files(site_dir):
        address = folder_address(rel)
        expected = as_browsers_read(headers_for_url(blocks, prefix + address, host), rel)
        reply = get(base_url + address)
        # Cloudflare Pages sends `x.html` (our 404 page) on to `x`, with x.html's headers.
        moved = reply.status in (301, 308) and reply.headers.get("Location") in (prefix + rel[:-5], base_url + rel[:-5])
        if reply.status != 200 and not (rel.endswith(".html") and moved):
            problems.append(f"{rel}: status {reply.status}")
            continue
        expected = {name: value for name, value in expected.items() if name.lower() not in skipped}
        read = as_browsers_read({name: reply.headers[name] for name in {*expected, *ONLY_WHERE_PROMISED}
                                 if reply.headers.get(name) is not None}, rel)   # names as `_headers` spells them
        problems += [f"{rel}: {name} is {read.get(name)!r}, _headers says {value!r}"
                     for name, value in expected.items() if read.get(name) != value]
        problems += [f"{rel}: {name} is {read[name]!r}, _headers sends none"
                     for name in ONLY_WHERE_PROMISED if name not in expected and name in read]
        checked += len(expected)
    return problems, checked


def _raw(base_url: str, data: bytes) -> tuple[int, dict[str, str]]:
    """Send bytes no HTTP client would (a malformed request); the status and headers of the answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    message = Message()
    for line in head[1:]:
        name, _, value = line.partition(":")
        message[name.strip()] = value.strip()
    return int(head[0].split()[1]), dict(message.items())


def _call(base_url: str, method: str, path: str, headers: dict[str, str] | None = None,
          body: bytes | None = None) -> tuple[int, dict[str, str]]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, parts.path + path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.headers)
    finally:
        connection.close()


def every_answer(base_url: str, page_url: str) -> list[tuple[str, set[int], int, dict[str, str]]]:
    """Every kind of answer the server can give for the site: (what, the statuses it may
    answer with, the status it gave, its headers). `page_url`: an embeddable page's address.
    Where servers differ, either is allowed: Apache serves a page for POST as for GET, and
    answers a request in an unknown HTTP/1.x-like version; nginx refuses both."""
    page = f"{EMBED_SLUG}/"
    _status, sent, _body = fetch(base_url + page)
    endpoint = f"api/v1/oembed?url={quote(page_url, safe='')}"
    host = urlsplit(base_url).netloc.encode()
    asked = [
        ("a page", {200}, _call(base_url, "GET", page)),
        ("part of a page", {206}, _call(base_url, "GET", page, {"Range": "bytes=0-99"})),
        ("a page not changed since", {304}, _call(base_url, "GET", page, {"If-Modified-Since": sent["Last-Modified"]})),
        ("a folder without its slash", {301}, _call(base_url, "GET", EMBED_SLUG)),
        ("an unknown address", {404}, _call(base_url, "GET", "no-such-page/")),
        ("a mistyped embed view", {404}, _call(base_url, "GET", "embed/no-such-page/")),
        ("a host file", {404}, _call(base_url, "GET", HEADERS_FILE)),
        ("a range past the end", {416}, _call(base_url, "GET", page, {"Range": "bytes=99999999-"})),
        ("a POST", {200, 405}, _call(base_url, "POST", page, {"Content-Type": "text/plain"}, b"x")),
        ("an unknown method", {400, 405, 501}, _call(base_url, "BREW", page)),
        ("an oEmbed answer", {200}, _call(base_url, "GET", endpoint + "&format=json")),
        ("an oEmbed format other than JSON", {501}, _call(base_url, "GET", endpoint + "&format=xml")),
        ("oEmbed for an unknown page", {404}, _call(base_url, "GET", "api/v1/oembed?url=x")),
        ("a malformed request line", {400}, _raw(base_url, b"GARBAGE\r\n\r\n")),
        ("a request without a host", {400}, _raw(base_url, b"GET / HTTP/1.1\r\n\r\n")),
        ("a header too large", {400, 431}, _raw(base_url, b"GET / HTTP/1.1\r\nHost: " + host + b"\r\nX-Big: "
                                                + b"a" * 70000 + b"\r\n\r\n")),
        ("an address too long", {414}, _raw(base_url, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")),
        ("an unknown HTTP version", {200, 400, 505}, _raw(base_url, b"GET / HTTP/3.7\r\nHost: " + host + b"\r\n\r\n")),
    ]
    return [(what, wanted, status, headers) for what, wanted, (status, headers) in asked]


def answer_problems(base_url: str, page_url: str) -> tuple[list[str], set[int]]:
    """What `every_answer` gave that lacks the intended headers: the common ones on every
    answer; on every document (a page, an error page) a policy that lets no other site frame
    it (the embed views aside, none is asked for here); JSON for oEmbed. Also the statuses seen."""
    problems, seen = [], set()
    for what, wanted, status, headers in every_answer(base_url, page_url):
        seen.add(status)
        label = f"{what} ({status})"
        if status not in wanted:
            problems.append(f"{label}: wanted {sorted(wanted)}")
        problems += [f"{label}: {name} is {headers.get(name)!r}" for name, value in COMMON.items()
                     if headers.get(name) != value]
        if "oEmbed" in what:
            if not headers.get("Content-Type", "").startswith("application/json"):
                problems.append(f"{label}: Content-Type {headers.get('Content-Type')!r}")
            if headers.get("Access-Control-Allow-Origin") != "*":
                problems.append(f"{label}: no Access-Control-Allow-Origin")
            continue
        policy = headers.get("Content-Security-Policy", "")
        if "frame-ancestors 'self'" not in policy and "frame-ancestors 'none'" not in policy:
            problems.append(f"{label}: Content-Security-Policy {policy!r}")
        if "default-src 'self'" not in policy or "'unsafe-inline'" in policy:
            problems.append(f"{label}: Content-Security-Policy {policy!r}")
        if headers.get("X-Frame-Options") not in ("SAMEORIGIN", "DENY"):
            problems.append(f"{label}: X-Frame-Options {headers.get('X-Frame-Options')!r}")
    return problems, seen


def oembed_sizes(base_url: str, page_url: str, encoding: str, **sizes) -> tuple[int, dict]:
    """The endpoint's answer for `page_url` with `sizes`, asked with `Accept-Encoding: encoding`
    and decoded: (status, the JSON)."""
    extra = "".join(f"&{name}={value}" for name, value in sizes.items())
    status, headers, body = fetch(f"{base_url}api/v1/oembed?url={quote(page_url, safe='')}&format=json{extra}",
                                  {"Accept-Encoding": encoding})
    coding = headers.get("Content-Encoding", "")
    body = brotli.decompress(body) if coding == "br" else gzip.decompress(body) if coding == "gzip" else body
    return status, json.loads(body)


def assert_folders_unknown_addresses_and_host_files(base_url: str) -> None:
    """Folder addresses, unknown and mistyped addresses, and the host files, as a reader's browser meets them."""
    status, sent, _ = fetch(base_url + "what-it-is/")
    assert status == 200 and "frame-ancestors 'self'" in sent["Content-Security-Policy"]
    status, sent, _ = fetch(base_url + f"embed/{EMBED_SLUG}/")
    assert status == 200 and "frame-ancestors *" in sent["Content-Security-Policy"]
    assert "X-Frame-Options" not in sent
    for missing in ("no-such-page/", "embed/no-such-page/", f"embed/{EMBED_SLUG}-typo/", f"embed/{EMBED_SLUG}/x"):
        status, sent, body = fetch(base_url + missing)
        assert status == 404 and "frame-ancestors 'self'" in sent["Content-Security-Policy"], missing
        assert sent.get("X-Frame-Options") == "SAMEORIGIN" and b"Page not found" in body, missing
        assert all(sent.get(name) == value for name, value in COMMON.items())
    for folder in ("embed/", "api/", "api/v1/", "assets/", "assets/javascripts/"):
        status, sent, body = fetch(base_url + folder)
        assert status == 404 and "frame-ancestors 'self'" in sent["Content-Security-Policy"], folder
        assert b"Page not found" in body, f"{folder}: not our 404 page"
    for private in PRIVATE:
        status, _sent, body = fetch(base_url + private)
        assert status == 404 and b"Page not found" in body, f"{private} must not be served"
    with urllib.request.urlopen(base_url + "what-it-is") as response:  # the redirect keeps host and port
        assert response.status == 200 and response.url == base_url + "what-it-is/"
    request = urllib.request.Request(base_url + "what-it-is/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
