"""Security and cache headers for a built site: one policy, written for every host.

Why: the headers that keep injected scripts out depend on the built pages
(the hashes of the inline scripts the theme writes), so they are computed
after the build, from the built files, and written twice from the same
rules: `_headers` (Netlify, Cloudflare Pages) and `_headers.nginx` (included
by deploy/nginx/site.conf). Nothing is typed by hand, so the two cannot drift.

The rules never overlap for a header that varies by path: hosts disagree on
what overlapping `_headers` rules do (Cloudflare joins the values with a
comma, which would merge two Content-Security-Policies into the strictest
of both; Netlify lets one win). Only headers that are the same everywhere
go on `/*`; everything else sits on the coarsest folders whose files all get
the same headers, and on single files elsewhere.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from feeling_safe.publishing.precompress import COPIES

HEADERS_FILE = "_headers"
NGINX_FILE = "_headers.nginx"
# The oEmbed endpoint's rewrites (Netlify) and worker (Cloudflare Pages): feeling_safe/publishing/oembed_endpoint.py.
REDIRECTS_FILE = "_redirects"
WORKER_FILE = "_worker.js"
ROUTES_FILE = "_routes.json"
HOST_FILES = (HEADERS_FILE, NGINX_FILE, REDIRECTS_FILE, WORKER_FILE, ROUTES_FILE)  # for the server, never served
# Cloudflare Pages reads at most 100 rules and 2,000 characters a line.
MAX_RULES = 100
MAX_LINE = 2000

CLINIC_ASSETS = "assets/clinic/"  # a clinic build's logo and colours (feeling_safe/plugin/plugin.py)
# A clinic's logo opened on its own is a document: it may draw, and do nothing else.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
EMBED_FOLDER = "embed/"            # embed views: framed by any site (feeling_safe/publishing/embed.py)
# Read by other sites' scripts (CORS): the embed script and the JSON API.
READ_BY_OTHER_SITES = ("embed.js", "api/")
# Loaded into other sites' pages; Cross-Origin-Resource-Policy lets them even
# where the host page requires it (Cross-Origin-Embedder-Policy).
LOADED_BY_OTHER_SITES = (*READ_BY_OTHER_SITES, EMBED_FOLDER)

# Same value on every response: safe to put on `/*`.
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000",
}
# Powerful features a reading guide never asks for: the reader's devices, location, screen
# and money. Features whose default is already our own origin (clipboard-write for the
# copy buttons, fullscreen) need no line; fewer bytes keep a page's first round trip.
PERMISSIONS_POLICY = ", ".join(f"{name}=()" for name in (
    "camera", "display-capture", "geolocation", "hid", "microphone", "midi", "payment", "serial", "usb"))
# Files a browser only ever uses inside a page (it styles, shows or reads them; it never
# runs them as a document or worker), so the document headers (Content-Security-Policy,
# Permissions-Policy, X-Frame-Options) mean nothing on them: leaving them off saves about
# a kilobyte a response, among them the stylesheet every first paint waits for.
SUBRESOURCE = re.compile(r"\.(css|png|jpe?g|webp|avif|gif|ico|woff2?|json)$")
# Content-hashed names (bundle.a5f9d56c.min.js, lean-critical.318746ff57.css): never change.
FINGERPRINT = re.compile(r"\.[0-9a-f]{8,}\.")
CACHE_FOREVER = "public, max-age=31536000, immutable"
# Pages, JSON and unhashed assets: a new build reaches readers within minutes.
CACHE_SHORT = "public, max-age=300, must-revalidate"

def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: Iterable[str], frame_ancestors: str) -> str:
    """A policy that runs only our own files and the exact inline scripts our templates write.

    `scripts` are those scripts' texts, as the build found them (feeling_safe/pages/allowed_markup.py
    refuses every other inline script, handler, javascript: address and inline style,
    so no 'unsafe-hashes' and no style hashes are ever needed).
    """
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *sorted({csp_hash(text) for text in scripts})]),
        "style-src 'self'",
        # Material's icons are data: SVGs in its CSS (mask-image).
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ]
    return "; ".join(directives)


def is_embed_view(rel: str) -> bool:
    return rel.startswith(EMBED_FOLDER)


@dataclass(frozen=True)
class Policies:
    site: str    # every response except embed views: framed only by our own pages
    embed: str   # embed views: any site may frame them

    @classmethod
    def from_scripts(cls, site: Iterable[str], embed: Iterable[str]) -> Policies:
        """The two policies, from the inline scripts of the full pages and of the embed views."""
        return cls(site=content_security_policy(site, "'self'"), embed=content_security_policy(embed, "*"))


Headers = tuple[tuple[str, str], ...]


def headers_for(rel: str, csp: Policies) -> Headers:
    """The path-dependent headers of one built file (COMMON comes on top)."""
    found = {}
    if rel.startswith(CLINIC_ASSETS):   # any logo, raster or SVG, opened on its own
        found["Content-Security-Policy"] = LOGO_POLICY
    elif SUBRESOURCE.search(rel):
        pass
    elif is_embed_view(rel):
        found["Content-Security-Policy"] = csp.embed
    else:
        found["Content-Security-Policy"] = csp.site
        found["X-Frame-Options"] = "SAMEORIGIN"
    if found:
        found["Permissions-Policy"] = PERMISSIONS_POLICY
    if rel.startswith(READ_BY_OTHER_SITES):
        found["Access-Control-Allow-Origin"] = "*"
    if rel.startswith(LOADED_BY_OTHER_SITES):
        found["Cross-Origin-Resource-Policy"] = "cross-origin"
    found["Cache-Control"] = CACHE_FOREVER if FINGERPRINT.search(Path(rel).name) else CACHE_SHORT
    return tuple(found.items())


@dataclass(frozen=True)
class Rule:
    path: str        # "/what-it-is/" (prefix: the folder and all below) or "/embed.js" (exact);
                     # under the site's folder on its host ("/guide/what-it-is/") for a sub-path site
    prefix: bool
    headers: Headers


def _urls_of(rel: str, prefix: str) -> list[str]:
    """A file's address, plus its folder's address if it is the folder's index page."""
    urls = [f"{prefix}{rel}"]
    if rel == "index.html" or rel.endswith("/index.html"):
        urls.insert(0, f"{prefix}{rel[:-len('index.html')]}")
    return urls


def rules(files: dict[str, Headers], prefix: str = "/") -> list[Rule]:
    """The fewest non-overlapping rules that give each file its headers; `prefix` is the
    site's folder on its host (`/`, or `/guide/` for a site published under a sub-path)."""
    found: list[Rule] = []

    def walk(folder: str) -> None:
        here = {rel: h for rel, h in files.items() if rel.startswith(folder)}
        if folder and len(set(here.values())) == 1:
            found.append(Rule(f"{prefix}{folder}", True, next(iter(here.values()))))
            return
        subfolders = sorted({rel[len(folder):].split("/", 1)[0] for rel in here if "/" in rel[len(folder):]})
        for rel in sorted(r for r in here if "/" not in r[len(folder):]):
            found.extend(Rule(url, False, here[rel]) for url in _urls_of(rel, prefix))
        for name in subfolders:
            walk(f"{folder}{name}/")

    walk("")
    return found


def is_compressed_copy(path: Path) -> bool:
    """`x.css.br` or `x.css.gz` beside `x.css`: sent for `x.css` (feeling_safe/publishing/precompress.py),
    never addressed itself."""
    return path.suffix in COPIES and path.with_suffix("").is_file()


def site_files(site_dir: Path) -> list[str]:
    """Every file the host serves (not the header files themselves, nor dotfiles such as
    the build stamp, nor the compressed copies a server sends in a file's place), sorted."""
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*")
                  if p.is_file() and p.name not in HOST_FILES and not p.name.startswith(".")
                  and not is_compressed_copy(p))


def site_rules(site_dir: Path, csp: Policies, prefix: str = "/") -> list[Rule]:
    return rules({rel: headers_for(rel, csp) for rel in site_files(site_dir)}, prefix)


def netlify_headers(found: list[Rule]) -> str:
    """`_headers`: COMMON on `/*`, then one block a rule (splats for folders)."""
    blocks = ["# Generated by the build (feeling_safe/publishing/security_headers.py); do not edit.",
              "/*", *(f"  {name}: {value}" for name, value in COMMON.items())]
    for rule in found:
        blocks.append(f"{rule.path}*" if rule.prefix else rule.path)
        blocks += [f"  {name}: {value}" for name, value in rule.headers]
    return "\n".join(blocks) + "\n"


def _nginx_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _nginx_block(match: str, headers: Headers) -> list[str]:
    # add_header in a location replaces the server's, so each one carries the full set.
    lines = [f"location {match} {{"]
    lines += [f"    add_header {name} {_nginx_quote(value)} always;"
              for name, value in (*COMMON.items(), *headers)]
    return lines + ["}"]


def nginx_headers(found: list[Rule], fallback: Headers, prefix: str = "/", extra: Iterable[str] = ()) -> str:
    """`_headers.nginx`: one location a rule, for a `server {}` block (or, for a sub-path
    site, its `location ^~ /guide/`) to include; `extra` are more lines (the oEmbed endpoint).

    nginx locations never overlap, so a catch-all `location <prefix>` gives unknown
    addresses (and what they redirect to) the site's policy as well. The host files
    themselves answer 404 here, wherever the site sits.
    """
    lines = ["# Generated by the build (feeling_safe/publishing/security_headers.py); do not edit.",
             "# Included by deploy/nginx/site.conf inside its server {} block."]
    lines += [f"location = {prefix}{name} {{ return 404; }}" for name in HOST_FILES]
    for rule in found:
        lines += _nginx_block(f"^~ {rule.path}" if rule.prefix else f"= {rule.path}", rule.headers)
    lines += list(extra)
    lines += _nginx_block(prefix, fallback)
    return "\n".join(lines) + "\n"


def check_limits(text: str, count: int) -> list[str]:
    """Problems a host would reject `_headers` for (Cloudflare's limits)."""
    problems = []
    if count > MAX_RULES:
        problems.append(f"{HEADERS_FILE} has {count} rules; Cloudflare Pages reads at most {MAX_RULES}")
    long = [line.split(":")[0].strip() for line in text.splitlines() if len(line) > MAX_LINE]
    if long:
        problems.append(f"{HEADERS_FILE} lines over {MAX_LINE} characters: {', '.join(long)}")
    return problems


def write_headers(site_dir: Path, csp: Policies, prefix: str = "/", nginx_extra: Iterable[str] = ()) -> list[Rule]:
    """Write `_headers` and `_headers.nginx` for the built site; returns the rules.
    `prefix`: the site's folder on its host (from site_url's path)."""
    found = site_rules(site_dir, csp, prefix)
    text = netlify_headers(found)
    problems = check_limits(text, len(found) + 1)
    if problems:
        raise ValueError("; ".join(problems))
    (site_dir / HEADERS_FILE).write_text(text, encoding="utf-8")
    # Unknown addresses get the 404 page, which is one of the site's pages.
    fallback = headers_for("404.html", csp)
    (site_dir / NGINX_FILE).write_text(nginx_headers(found, fallback, prefix, nginx_extra), encoding="utf-8")
    return found


def parse_headers_file(text: str) -> list[tuple[str, dict[str, str]]]:
    """(pattern, headers) blocks of a `_headers` file, in order (for tests and checks)."""
    blocks: list[tuple[str, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            blocks.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(":")
            blocks[-1][1][name.strip()] = value.strip()
    return blocks


def headers_for_url(blocks: list[tuple[str, dict[str, str]]], url_path: str) -> dict[str, str]:
    """What a `_headers` host sends for `url_path` (a splat matches any rest, even none).

    Fails on a header two matching rules both set: that is where hosts disagree.
    """
    sent: dict[str, str] = {}
    for pattern, values in blocks:
        regex = "^" + re.escape(pattern).replace(r"\*", ".*") + "$"
        if re.match(regex, url_path):
            clash = sorted(set(sent) & set(values))
            if clash:
                raise ValueError(f"{url_path}: {', '.join(clash)} set by more than one rule")
            sent.update(values)
    return sent

