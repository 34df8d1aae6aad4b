"""Security and cache headers for a built site: one policy, written for every host.

Why: the headers that keep injected scripts out depend on the built pages
(the hashes of the inline scripts the theme writes), so they are computed
after the build, from the built files, and written twice from the same
rules: `_headers` (Netlify, Cloudflare Pages) and `_headers.nginx` (included
by deploy/nginx/site.conf). Nothing is typed by hand, so the two cannot drift.

For nginx and Apache the rules never overlap: each address gets its own
location (or `<If>`), and an address no rule names gets the 404 page's headers.
`_headers` hosts pick headers by the address asked for, so an unknown
address there gets only what `/*` says: `/*` carries the 404 page's document
headers (Content-Security-Policy, X-Frame-Options, Permissions-Policy), and
every later rule that needs another value replaces it. The hosts replace
differently (Cloudflare joins two values of one header with a comma, unless
a later rule detaches the first with `! Name`; Netlify skips `! Name` lines
and lets the last matching rule win each header), so a replacing rule says
both: `! Name`, then `Name: value`. A file that is never a document (a
style, image, font, JSON) with a rule of its own replaces the long policy
with a short one (SUBRESOURCE_POLICY) and keeps the other two, which mean
nothing there; a folder rule keeps `/*`'s policy, for the 404 page an
unknown address under it answers with.

Embed views are the one exception to "coarsest folder": any site may frame
them, so a folder rule (`/embed/*`) would make every mistyped address under
it, and the 404 page it answers with, frameable too. Each embed view gets
exact rules instead (in `_headers`, for its folder's address alone, the one
embed.js and oEmbed give: a rule a view; its `index.html` address is not
framed there. nginx and Apache need both: they find the index.html as a
second request). A mistyped address there gets the 404 page's headers on
every host (on `_headers` hosts from `/*`). The embed views inherit `/*`'s
`X-Frame-Options: SAMEORIGIN` on Netlify (which cannot take a header off),
and on Cloudflare alike: browsers ignore it wherever a Content-Security-
Policy names frame-ancestors (the HTML standard's rule), as theirs does.

Every response carries the headers, errors too: nginx's `add_header ...
always` in every location and, for what nginx answers before it picks a
location (a malformed request: 400, 414, 505), once more at the server
level; Apache's `Header always set` in the same places (`.htaccess` and, for
the requests Apache refuses before it reads one, the vhost's include).
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from feeling_safe.publishing.precompress import COPIES
from feeling_safe.publishing.safe_build import STAMP

HEADERS_FILE = "_headers"
NGINX_FILE = "_headers.nginx"
# The oEmbed endpoint's rewrites (Netlify) and worker (Cloudflare Pages): feeling_safe/publishing/oembed_endpoint.py.
REDIRECTS_FILE = "_redirects"
WORKER_FILE = "_worker.js"
ROUTES_FILE = "_routes.json"
APACHE_FILE = ".htaccess"          # Apache: the same rules, per directory (deploy/apache/site.conf)
APACHE_SERVER_FILE = "_headers.apache"  # Apache: what it answers before reading .htaccess (a bad request)
# For the server, never served.
HOST_FILES = (HEADERS_FILE, NGINX_FILE, REDIRECTS_FILE, WORKER_FILE, ROUTES_FILE, APACHE_SERVER_FILE)
# Every file in the built folder that no host may serve (each answers the 404 page): the host
# files, Apache's per-folder file and the build's stamp (publishing/safe_build.py). Netlify
# refuses them with forced `_redirects` lines, Cloudflare Pages through its worker (`_routes.json`).
NEVER_SERVED = (*HOST_FILES, APACHE_FILE, STAMP)
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
# Every header `headers_for` may set on a path (Apache unsets the ones a rule leaves out).
PATH_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy",
                "Access-Control-Allow-Origin", "Cross-Origin-Resource-Policy", "Cache-Control")

# Same value on every response: safe to put on `/*`.
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000",
}
# Sent by Cloudflare Pages on every static file unless `_headers` detaches it (`! Name`);
# we send it only where other sites' scripts read us (READ_BY_OTHER_SITES).
DETACHED = "Access-Control-Allow-Origin"
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
# `_headers` only: what replaces `/*`'s (the 404 page's) long policy on those files, in as few
# bytes as a policy takes (browsers apply no policy to a stylesheet, image, font or JSON).
SUBRESOURCE_POLICY = "default-src 'none'"
# What a document's own headers say and `_headers`' `/*` carries for the 404 page.
DOCUMENT_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy")
# Content-hashed names (bundle.a5f9d56c.min.js, lean-critical.318746ff57.css): never change.
FINGERPRINT = re.compile(r"\.[0-9a-f]{8,}\.")
CACHE_FOREVER = "public, max-age=31536000, immutable"
# Pages, JSON and unhashed assets: a new build reaches readers within minutes.
CACHE_SHORT = "public, max-age=300, must-revalidate"
# What a server compresses as it sends it (as deploy/nginx/site.conf's gzip_types, with pages).
COMPRESSED_TYPES = "text/html text/css application/javascript application/json application/xml image/svg+xml text/plain"

def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: Iterable[str], frame_ancestors: str, styles: Iterable[str] = ()) -> str:
    """A policy that runs only our own files and the exact inline scripts our templates write,
    and styles only with our own files and the exact `<style>` text the build puts in pages.

    `scripts` are those scripts' texts, as the build found them (feeling_safe/pages/allowed_markup.py
    refuses every other inline script, handler, javascript: address, style= attribute and
    `<style>`, so no 'unsafe-hashes' and never 'unsafe-inline'); `styles` are the hashes
    (`csp_hash`) of the critical CSS in the head's `<style>` (feeling_safe/pages/lean_assets.py).
    """
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *sorted({csp_hash(text) for text in scripts})]),
        "style-src " + " ".join(["'self'", *sorted(set(styles))]),
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
    # Pages with inline CSS of their own besides the critical CSS (the home page's doors, an
    # embed view's frame styles), each with its own policy: (site-relative path, policy).
    pages: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_scripts(cls, site: Iterable[str], embed: Iterable[str], styles: Iterable[str] = (),
                     page_styles: dict[str, tuple[str, ...]] | None = None) -> Policies:
        """The two policies, from the inline scripts of the full pages and of the embed views, and
        the hashes of the inline CSS both hold (the same critical CSS: embed.html extends main.html);
        `page_styles`: the hashes of a page's own inline CSS, by its site-relative path."""
        site, embed = set(site), set(embed)
        styles = tuple(style for style in styles if style)
        pages = tuple((rel, content_security_policy(embed if is_embed_view(rel) else site,
                                                    "*" if is_embed_view(rel) else "'self'", (*styles, *extra)))
                      for rel, extra in sorted((page_styles or {}).items()) if extra)
        return cls(site=content_security_policy(site, "'self'", styles),
                   embed=content_security_policy(embed, "*", styles), pages=pages)

    def for_page(self, rel: str) -> str:
        """The policy of the document at `rel` (site-relative)."""
        return dict(self.pages).get(rel) or (self.embed if is_embed_view(rel) else self.site)


Headers = tuple[tuple[str, str], ...]


def headers_for(rel: str, csp: Policies) -> Headers:
    """The path-dependent headers of one built file (COMMON comes on top)."""
    found = {}
    if rel.startswith(CLINIC_ASSETS):   # any logo, raster or SVG, opened on its own
        found["Content-Security-Policy"] = LOGO_POLICY
    elif SUBRESOURCE.search(rel):
        pass
    else:
        found["Content-Security-Policy"] = csp.for_page(rel)
        if not is_embed_view(rel):  # any site may frame an embed view
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
        # The embed folder and each embed view's own folder: exact rules only (a folder rule
        # would let any site frame a mistyped address there). A folder that only groups embed
        # views further down (none in the guide; the bench's scaled copies) may have one.
        exact = is_embed_view(folder) and (folder == EMBED_FOLDER or f"{folder}index.html" in files)
        if folder and not exact and len(set(here.values())) == 1:
            found.append(Rule(f"{prefix}{folder}", True, next(iter(here.values()))))
            return
        subfolders = sorted({rel[len(folder):].split("/", 1)[0] for rel in here if "/" in rel[len(folder):]})
        # Folders before the files beside them: Netlify reads `/embed/*` as `/embed` and anything
        # after it (`/embed.js` too) and lets the last matching rule win each header, so a file's
        # own rule must come after the folder whose name begins its own.
        for name in subfolders:
            walk(f"{folder}{name}/")
        for rel in sorted(r for r in here if "/" not in r[len(folder):]):
            found.extend(Rule(url, False, here[rel]) for url in _urls_of(rel, prefix))

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


def _embed_index_address(rule: Rule) -> bool:
    """An embed view's `index.html` address: `_headers` hosts match the address asked for, so
    its folder's address alone needs a rule there (one rule a view, against the host's limit)."""
    return not rule.prefix and f"/{EMBED_FOLDER}" in rule.path and rule.path.endswith("/index.html")


def _path_matches(pattern: str, url_path: str, host: str) -> bool:
    """Whether a `_headers` pattern matches an address on `host`: a splat matches any rest, even
    none; Netlify reads `/embed/*` as `/embed` and anything after it (`/embed.js` too)."""
    if host == "netlify" and pattern.endswith("/*"):
        return url_path.startswith(pattern[:-2])
    return re.match("^" + re.escape(pattern).replace(r"\*", ".*") + "$", url_path) is not None


def _rule_lines(headers: Headers, inherited: dict[str, str], exact: bool) -> list[str]:
    """One rule's lines, given what earlier matching rules already send there: a header they send
    with another value is detached first (Cloudflare would join the two); one with the same value
    is left to them. An `exact` rule for a file that has no policy (never a document) replaces
    the long one with SUBRESOURCE_POLICY; a folder rule keeps it, for the 404 page it answers
    an unknown address under that folder with."""
    wanted = dict(headers)
    if exact and "Content-Security-Policy" in inherited and "Content-Security-Policy" not in wanted:
        wanted = {"Content-Security-Policy": SUBRESOURCE_POLICY, **wanted}
    lines = []
    for name, value in wanted.items():
        if name in inherited and inherited[name] != value:
            lines.append(f"  ! {name}")
        if inherited.get(name) != value:
            lines.append(f"  {name}: {value}")
    return lines


def netlify_headers(found: list[Rule], fallback: Headers = ()) -> str:
    """`_headers`: COMMON and `fallback` (the 404 page's document headers) on `/*`, then one
    block a rule (splats for folders; an embed view's folder address, not its index.html), each
    replacing what the rules before it send there with other values (Netlify reads a folder rule
    such as `/assets/*` as `/assets` and any rest, so a rule also says again what an earlier
    folder rule whose name begins its own sets there)."""
    defaults = {name: value for name, value in fallback if name in DOCUMENT_HEADERS}
    blocks = ["# Generated by the build (feeling_safe/publishing/security_headers.py); do not edit.",
              f"# `! {DETACHED}`: Cloudflare Pages sends `{DETACHED}: *` on every file unless told not to;",
              "# `! Name` before `Name: value` below: Cloudflare would join the value with `/*`'s (the 404",
              "# page's); Netlify skips these lines (a header line without a colon) and lets the last rule win.",
              "/*", *(f"  {name}: {value}" for name, value in (*COMMON.items(), *defaults.items())), f"  ! {DETACHED}"]
    earlier: list[tuple[str, dict[str, str]]] = []
    for rule in (r for r in found if not _embed_index_address(r)):
        pattern = f"{rule.path}*" if rule.prefix else rule.path
        inherited = dict(defaults)
        for other, values in earlier:   # on either host's reading: the later rule must say it again
            # (a value marked as another rule's: said again even where equal, since one host may not match)
            if _path_matches(other, rule.path, "netlify") or _path_matches(other, rule.path, "cloudflare"):
                inherited.update({name: f"{value} (from {other})" for name, value in values.items()})
        blocks.append(pattern)
        blocks += _rule_lines(rule.headers, inherited, exact=not rule.prefix)
        earlier.append((pattern, dict(rule.headers)))
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
             "# Included by deploy/nginx/site.conf inside its server {} block.",
             "# What nginx answers before it picks a location (a malformed request: 400, 414, 505).",
             *(f"add_header {name} {_nginx_quote(value)} always;" for name, value in (*COMMON.items(), *fallback))]
    lines += [f"location = {prefix}{name} {{ return 404; }}" for name in HOST_FILES]
    for rule in found:
        lines += _nginx_block(f"^~ {rule.path}" if rule.prefix else f"= {rule.path}", rule.headers)
    lines += list(extra)
    lines += _nginx_block(prefix, fallback)
    return "\n".join(lines) + "\n"


def _apache_quote(value: str) -> str:
    # mod_headers reads a value as a format (%t, %{VAR}e): a literal % is %%.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%") + '"'


def _apache_set(headers: Headers, indent: str = "") -> list[str]:
    """Set these headers on every response, errors too; unset the path-dependent ones they leave
    out (the server's include sets the 404 page's, for what Apache answers before .htaccess)."""
    names = {name for name, _ in headers}
    return ([f"{indent}Header always set {name} {_apache_quote(value)}" for name, value in headers]
            + [f"{indent}Header always unset {name}" for name in PATH_HEADERS if name not in names])


def _apache_condition(rule: Rule) -> str:
    if "'" in rule.path or "\\" in rule.path:
        raise ValueError(f"{rule.path}: a quote or backslash cannot stand in an Apache expression")
    if rule.prefix:
        return f"%{{REQUEST_URI}} =~ m#^{re.escape(rule.path).replace('#', '[#]')}#"
    return f"%{{REQUEST_URI}} == '{rule.path}'"


def apache_server(fallback: Headers) -> str:
    """`_headers.apache`: the headers of what Apache answers before it reads `.htaccess`
    (a malformed request), for deploy/apache/site.conf to include in its <VirtualHost>."""
    return "\n".join(["# Generated by the build (feeling_safe/publishing/security_headers.py); do not edit.",
                      "# Included by deploy/apache/site.conf inside its <VirtualHost>.",
                      *(f"Header always set {name} {_apache_quote(value)}" for name, value in COMMON.items()),
                      *_apache_set(fallback)]) + "\n"


def apache_htaccess(found: list[Rule], fallback: Headers, prefix: str = "/", extra: Iterable[str] = ()) -> str:
    """`.htaccess`: the same rules as `_headers` and `_headers.nginx`, for Apache 2.4 (one
    `<If>` a rule, in a chain: they never overlap; the 404 page's headers for the rest), with
    the host files hidden, folders without a page of their own not found, and `extra` lines
    (the oEmbed endpoint's rewrites)."""
    hidden = "|".join(re.escape(name) for name in HOST_FILES)
    lines = ["# Generated by the build (feeling_safe/publishing/security_headers.py); do not edit.",
             "# Apache 2.4 (deploy/apache/site.conf): mod_headers, mod_rewrite, mod_mime and mod_dir;",
             "# mod_deflate or mod_brotli to compress. Needs AllowOverride FileInfo Indexes.",
             "AddDefaultCharset utf-8",
             "DirectoryIndex index.html",
             "DirectorySlash On",
             # Last-Modified is validator enough for files that change only with a deploy.
             "FileETag None",
             f"ErrorDocument 404 {prefix}404.html",
             f"ErrorDocument 403 {prefix}404.html",
             "<IfModule mod_brotli.c>",
             f"    AddOutputFilterByType BROTLI_COMPRESS {COMPRESSED_TYPES}",
             "</IfModule>",
             "<IfModule mod_deflate.c>",
             f"    AddOutputFilterByType DEFLATE {COMPRESSED_TYPES}",
             "</IfModule>",
             *(f"Header always set {name} {_apache_quote(value)}" for name, value in COMMON.items()),
             "RewriteEngine On",
             f"RewriteBase {prefix}",
             "# Rules also for a folder's address without its last slash (the oEmbed endpoint is one).",
             "RewriteOptions AllowNoSlash",
             "# The host files are instructions for the server, not pages; nor are dotfiles.",
             f"RewriteRule ^(?:{hidden})$ - [R=404]",
             r"RewriteRule (?:^|/)\. - [R=404]",
             *extra,
             "# A folder without a page of its own (embed/, api/, assets/) is not found either.",
             "RewriteCond %{REQUEST_FILENAME} -d",
             "RewriteCond %{REQUEST_FILENAME}/index.html !-f",
             "RewriteRule ^ - [R=404]"]
    for i, rule in enumerate(found):
        lines.append(f'<{"If" if i == 0 else "ElseIf"} "{_apache_condition(rule)}">')
        lines += _apache_set(rule.headers, "    ")
        lines.append(f'</{"If" if i == 0 else "ElseIf"}>')
    lines += ["# Any other address: the 404 page's headers.", "<Else>" if found else "<If \"true\">",
              *_apache_set(fallback, "    "), "</Else>" if found else "</If>"]
    return "\n".join(lines) + "\n"


def write_apache(site_dir: Path, found: list[Rule], fallback: Headers, prefix: str = "/", extra: Iterable[str] = ()) -> None:
    (site_dir / APACHE_FILE).write_text(apache_htaccess(found, fallback, prefix, extra), encoding="utf-8")
    (site_dir / APACHE_SERVER_FILE).write_text(apache_server(fallback), encoding="utf-8")


def check_limits(text: str, count: int) -> list[str]:
    """Problems a host would reject `_headers` for (Cloudflare's limits)."""
    problems = []
    if count > MAX_RULES:
        problems.append(f"{HEADERS_FILE} has {count} rules; Cloudflare Pages reads at most {MAX_RULES}")
    long = [line.split(":")[0].strip() for line in text.splitlines() if len(line) > MAX_LINE]
    if long:
        problems.append(f"{HEADERS_FILE} lines over {MAX_LINE} characters: {', '.join(long)}")
    return problems


def write_headers(site_dir: Path, csp: Policies, prefix: str = "/", nginx_extra: Iterable[str] = (),
                  apache_extra: Iterable[str] = ()) -> list[Rule]:
    """Write `_headers`, `_headers.nginx`, `.htaccess` and `_headers.apache` for the built site;
    returns the rules. `prefix`: the site's folder on its host (from site_url's path);
    `nginx_extra`, `apache_extra`: the oEmbed endpoint's lines for each."""
    found = site_rules(site_dir, csp, prefix)
    # Unknown addresses get the 404 page, which is one of the site's pages.
    fallback = headers_for("404.html", csp)
    text = netlify_headers(found, fallback)
    problems = check_limits(text, len(parse_headers_file(text)))
    if problems:
        raise ValueError("; ".join(problems))
    (site_dir / HEADERS_FILE).write_text(text, encoding="utf-8")
    (site_dir / NGINX_FILE).write_text(nginx_headers(found, fallback, prefix, nginx_extra), encoding="utf-8")
    write_apache(site_dir, found, fallback, prefix, apache_extra)
    return found


Block = tuple[str, dict[str, str], tuple[str, ...]]   # pattern, headers set, headers detached (`! Name`)


def parse_headers_file(text: str) -> list[Block]:
    """(pattern, headers, detached) blocks of a `_headers` file, in order (for tests and checks)."""
    blocks: list[Block] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            blocks.append((line.strip(), {}, ()))
        elif line.strip().startswith("! "):   # `! Name` takes a header off (Cloudflare; Netlify skips it)
            pattern, values, detached = blocks[-1]
            blocks[-1] = (pattern, values, (*detached, line.strip()[2:].strip()))
        else:
            name, _, value = line.strip().partition(":")
            blocks[-1][1][name.strip()] = value.strip()
    return blocks


HEADERS_HOSTS = ("cloudflare", "netlify")


def headers_for_url(blocks: list[Block], url_path: str, host: str) -> dict[str, str]:
    """What a `_headers` host sends for `url_path`, as that host reads the file: Cloudflare
    applies each matching rule in order (its `! Name` lines first, then its values, a value
    joined with a comma to one an earlier rule set); Netlify lets the last matching rule win
    each header and skips `! Name` lines."""
    if host not in HEADERS_HOSTS:
        raise ValueError(f"{host}: not a `_headers` host ({', '.join(HEADERS_HOSTS)})")
    sent: dict[str, str] = {}
    for pattern, values, detached in blocks:
        if not _path_matches(pattern, url_path, host):
            continue
        if host == "netlify":
            sent.update(values)
            continue
        for name in detached:
            sent.pop(name, None)
        for name, value in values.items():
            sent[name] = f"{sent[name]}, {value}" if name in sent else value
    return sent


def is_document(rel: str) -> bool:
    """Whether a browser may open the file as a document or run it as a worker (SUBRESOURCE:
    never; a clinic's logo, opened on its own: yes)."""
    return rel.startswith(CLINIC_ASSETS) or not SUBRESOURCE.search(rel)


def as_browsers_read(sent: dict[str, str], rel: str = "") -> dict[str, str]:
    """Headers as a browser applies them: X-Frame-Options is ignored where an enforced
    Content-Security-Policy names frame-ancestors (the HTML standard), and the document headers
    mean nothing on a file that is never a document (`rel`, the file's path in the site). For
    comparing what a `_headers` host sends (with `/*`'s 404 headers) to what
    nginx and Apache send."""
    if rel and not is_document(rel):
        return {name: value for name, value in sent.items() if name not in DOCUMENT_HEADERS}
    if "frame-ancestors" in sent.get("Content-Security-Policy", ""):
        return {name: value for name, value in sent.items() if name != "X-Frame-Options"}
    return dict(sent)
