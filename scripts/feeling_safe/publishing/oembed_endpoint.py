"""oEmbed for any consumer: `/api/v1/oembed?url=<page address>&format=json`, on a static site.

Why: oEmbed libraries (micawber, WordPress given a provider) ask one endpoint
with `?url=`; a static host has only files. Each embeddable page's response
is a built file (`api/v1/oembed/<slug>.json`), so the endpoint is a rewrite
from the page's address to that file, written by the build from the same
page list for every host, so the two cannot drift:

- nginx (`_headers.nginx`, included by deploy/nginx/site.conf): an exact
  location that matches `url` (as given or percent-encoded) against each page
  address, answers 404 JSON for any other `url` and 501 for a format other
  than JSON (as the oEmbed spec says), and clamps the response's width and
  height, and the frame's starting height, to `maxwidth`/`maxheight`;
- Netlify (`_redirects`): one rewrite a page on the `url` query value, and a
  404 JSON rewrite for the rest (sizes stay the defaults there); an edge
  function (netlify/edge-functions/oembed.js, declared in netlify.toml) runs
  the Cloudflare worker below for the endpoint first, with the sizes;
- Apache (`.htaccess`, deploy/apache/site.conf): mod_rewrite rules on the
  query string, the same matches as nginx's and the same 404 JSON and 501,
  but the sizes stay the defaults: Apache cannot put a query value into a
  static file's body (mod_substitute's patterns are fixed);
- Cloudflare Pages, whose `_redirects` cannot match a query string: a small
  worker (deploy/cloudflare/_worker.js, copied as `_worker.js`) that reads the
  site's own feed and answers as nginx does, and a `_routes.json` that sends
  it this one address only.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from feeling_safe.publishing.embed import FRAME_HEIGHT, FRAME_WIDTH
from feeling_safe.publishing.security_headers import (  # noqa: F401 (the files the build writes, named there)
    COMMON,
    NEVER_SERVED,
    REDIRECTS_FILE,
    ROUTES_FILE,
    WORKER_FILE,
    Policies,
    headers_for,
)

ENDPOINT = "api/v1/oembed"
NOT_FOUND_FILE = "api/v1/oembed-not-found.json"   # Netlify's 404 body; nginx returns the same text
NOT_JSON_FILE = "api/v1/oembed-not-json.json"     # Apache's 501 body (its error text would be sent as HTML)
WORKER_SOURCE = Path(__file__).resolve().parents[3] / "deploy" / "cloudflare" / WORKER_FILE
VARIABLE = "feeling_safe_oembed"


@dataclass(frozen=True)
class Route:
    """One embeddable page: its public address and its built oEmbed file (site-relative)."""

    page_url: str
    file: str


def not_found_body() -> str:
    return json.dumps({"error": "not found: url is not the address of a page of this guide that can be embedded"})


def not_json_body() -> str:
    return json.dumps({"error": "not implemented: only format=json is served"})


def url_pattern(page_url: str) -> str:
    """A PCRE (for `~*`) matching `page_url` as a raw query value: as written or with its
    `:` and `/` percent-encoded, http or https, with or without the last slash."""
    body = page_url.split("://", 1)[1].rstrip("/")
    parts = {":": "(?::|%3A)", "/": "(?:/|%2F)"}
    return ("^https?(?::|%3A)(?:/|%2F){2}" + "".join(parts.get(c, re.escape(c)) for c in body)
            + "(?:/|%2F)?$")


def up_to(limit: int) -> str:
    """A regex for the whole numbers 1..limit written without leading zeros."""
    digits = str(limit)
    options = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(digits) - i - 1
            options.append(digits[:i] + f"[{low}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    options.append(digits)
    return "^(?:" + "|".join(options) + ")$"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_location(prefix: str, routes: list[Route], headers: list[tuple[str, str]], width: int, height: int) -> list[str]:
    """The endpoint as one nginx `location` (lines), for `_headers.nginx`.

    Only `set`, `return` and a final `rewrite ... break` sit in the `if` blocks'
    reach (the uses nginx documents as safe); the file is then served in this
    location, so `sub_filter` can put the clamped sizes into it.
    """
    var = VARIABLE
    q = '\\"'  # a quote as it stands inside the JSON text's html string
    cap = f" data-max-height={q}$arg_maxheight{q}"
    lines = [f"location = {prefix}{ENDPOINT} {{"]
    lines += [f"    add_header {name} {_quote(value)} always;" for name, value in headers]
    lines += ["    default_type application/json;", f'    set ${var} "";']
    lines += [f"    if ($arg_url ~* {_quote(url_pattern(route.page_url))}) {{ set ${var} {_quote(route.file)}; }}"
              for route in routes]
    swaps = [(f'"width": {width}', f'"width": ${var}_width'),
             (f'"height": {height},', f'"height": ${var}_height,'),
             (f"height={q}{height}{q}", f"height={q}${var}_height{q}${var}_cap")]
    lines += [f'    if ($arg_format !~ "^(?:json)?$") {{ return 501 {_quote(not_json_body())}; }}',
              f'    if (${var} = "") {{ return 404 {_quote(not_found_body())}; }}',
              f"    set ${var}_width {width};",
              f"    if ($arg_maxwidth ~ {_quote(up_to(width - 1))}) {{ set ${var}_width $arg_maxwidth; }}",
              f"    set ${var}_height {height};",
              f"    if ($arg_maxheight ~ {_quote(up_to(height - 1))}) {{ set ${var}_height $arg_maxheight; }}",
              # The frame may grow to fit its page, but never past maxheight (embed.js reads the cap).
              f'    set ${var}_cap "";',
              f'    if ($arg_maxheight ~ "^[1-9][0-9]{{0,5}}$") {{ set ${var}_cap {_quote(cap)}; }}',
              f"    rewrite ^ {prefix}${var} break;",
              "    sub_filter_types application/json;",
              "    sub_filter_once off;"]
    lines += [f"    sub_filter {_quote(old)} {_quote(new)};" for old, new in swaps]
    lines.append("}")
    return lines


def nginx_endpoint(prefix: str, routes: list[Route], policies: Policies) -> list[str]:
    """nginx's side of /api/v1/oembed?url= (Netlify's is `_redirects`), with the endpoint's
    headers and the snippet's sizes, for `_headers.nginx`."""
    return nginx_location(prefix, routes, [*COMMON.items(), *headers_for(ENDPOINT, policies)],
                          FRAME_WIDTH, FRAME_HEIGHT)


def apache_endpoint(prefix: str, routes: list[Route]) -> list[str]:
    """Apache's side of /api/v1/oembed?url= (mod_rewrite lines for `.htaccess`, below its
    `RewriteBase <prefix>`): each page's file, 501 for a format other than JSON, a 404 JSON
    error for any other `url` (the error bodies are set for this address alone)."""
    endpoint = re.escape(ENDPOINT)
    lines = [f"# oEmbed for any consumer: {prefix}{ENDPOINT}?url=<page address>&format=json",
             "# (maxwidth and maxheight are not honoured here: Apache cannot put them into the file).",
             f'<If "%{{REQUEST_URI}} == \'{prefix}{ENDPOINT}\'">',
             # The endpoint's address is also a folder's (api/v1/oembed/): no slash added.
             "    DirectorySlash Off",
             f"    ErrorDocument 404 {prefix}{NOT_FOUND_FILE}",
             f"    ErrorDocument 501 {prefix}{NOT_JSON_FILE}",
             "</If>",
             "RewriteCond %{QUERY_STRING} (?:^|&)format=(?!json(?:&|$)|&|$) [NC]",
             f"RewriteRule ^{endpoint}$ - [R=501]"]
    for route in routes:
        value = url_pattern(route.page_url).removeprefix("^").removesuffix("$")
        lines += [f"RewriteCond %{{QUERY_STRING}} (?:^|&)url={value}(?:&|$) [NC]",
                  f"RewriteRule ^{endpoint}$ {route.file} [END]"]
    return [*lines, f"RewriteRule ^{endpoint}$ - [R=404]"]


def netlify_redirects(prefix: str, routes: list[Route]) -> str:
    """`_redirects`: the endpoint's rewrites for Netlify (query matching; first match wins)."""
    lines = ["# Generated by the build (feeling_safe/publishing/oembed_endpoint.py); do not edit.",
             "# Files for the server, never for readers: the 404 page, even though the file is there (forced).",
             *(f"{prefix}{name} {prefix}404.html 404!" for name in NEVER_SERVED),
             f"# oEmbed for any consumer: {prefix}{ENDPOINT}?url=<page address>"]
    for route in routes:
        for url in sorted({route.page_url, route.page_url.rstrip("/")}):
            lines.append(f"{prefix}{ENDPOINT} url={url} {prefix}{route.file} 200")
    lines.append(f"{prefix}{ENDPOINT} {prefix}{NOT_FOUND_FILE} 404")
    return "\n".join(lines) + "\n"


def cloudflare_routes(prefix: str) -> str:
    """`_routes.json`: Cloudflare Pages runs the worker for the endpoint and for the files no
    host may serve (it answers those with the 404 page); every other address is static."""
    include = [f"{prefix}{ENDPOINT}", *(f"{prefix}{name}" for name in NEVER_SERVED)]
    return json.dumps({"version": 1, "include": include, "exclude": []}, indent=2) + "\n"


WORKER_HEADERS_LINE = "var PAGE_NOT_FOUND_HEADERS = {};"


def worker_with_headers(site_dir: Path, policies: Policies) -> None:
    """Write the 404 page's headers into the built worker (`_headers` does not reach a worker's
    answers; the page's policy is known once every page is written)."""
    path = site_dir / WORKER_FILE
    text = path.read_text(encoding="utf-8")
    if WORKER_HEADERS_LINE not in text:
        raise ValueError(f"{WORKER_SOURCE}: the line `{WORKER_HEADERS_LINE}` the build fills in is missing")
    headers = {**COMMON, **dict(headers_for("404.html", policies))}
    path.write_text(text.replace(WORKER_HEADERS_LINE, f"var PAGE_NOT_FOUND_HEADERS = {json.dumps(headers)};"),
                    encoding="utf-8")


def server_side(site_dir: Path, prefix: str, routes: list[Route], policies: Policies) -> tuple[list[str], list[str]]:
    """Once the pages' policies are known: the endpoint's lines for nginx and for Apache (for
    `write_headers`), and the 404 page's headers written into the Cloudflare worker."""
    worker_with_headers(site_dir, policies)
    return nginx_endpoint(prefix, routes, policies), apache_endpoint(prefix, routes)


def host_files(prefix: str, found: list[Route]) -> dict[str, str]:
    """The endpoint's files for each host, {site-relative path: text}: Netlify's rewrites and
    the 404 they answer with (and Apache's 501), Cloudflare Pages' worker and the routes it runs for."""
    return {REDIRECTS_FILE: netlify_redirects(prefix, found), NOT_FOUND_FILE: not_found_body() + "\n",
            NOT_JSON_FILE: not_json_body() + "\n",
            WORKER_FILE: WORKER_SOURCE.read_text(encoding="utf-8"), ROUTES_FILE: cloudflare_routes(prefix)}
