"""Security and cache headers: the policy module, and what the build writes (default and clinic).

The nginx side is served for real in tests/test_deploy_nginx.py.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from feeling_safe.pages import html
from feeling_safe.pages.allowed_markup import Rules, allowed_patterns, scan
from feeling_safe.plugin import generator  # noqa: F401
from feeling_safe.publishing.security_headers import (
    CACHE_FOREVER,
    CACHE_SHORT,
    COMMON,
    HEADERS_FILE,
    HEADERS_HOSTS,
    HOST_FILES,
    LOGO_POLICY,
    MAX_LINE,
    MAX_RULES,
    NGINX_FILE,
    SUBRESOURCE_POLICY,
    Rule,
    apache_htaccess,
    as_browsers_read,
    content_security_policy,
    csp_hash,
    headers_for_url,
    netlify_headers,
    parse_headers_file,
    rules,
    site_files,
)
from served import folder_address
from sitebuild import ROOT, html_pages, page_url, soup

EXECUTABLE = (None, "", "text/javascript", "module")


def _expected_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# --- the policy module --------------------------------------------------------------------

def test_csp_hash_is_the_browser_hash_of_the_exact_text():
    assert csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


ALLOWED = [re.compile(r"a\(\)"), re.compile(r"b\(\)\n")]


def test_inline_code_allows_only_known_scripts_and_skips_data_blocks():
    found = scan('<script>a()</script><script type="application/ld+json">{"x":1}</script>'
                 '<script src="x.js"></script><script>b()\r\n</script>', Rules(tuple(ALLOWED), code=frozenset({"x.js"})))
    assert found.scripts == {"a()", "b()\n"} and found.problems == []


@pytest.mark.parametrize("markup, words", [
    ("<script>alert(1)</script>", "inline <script> that no template writes"),
    ("<script type='text/javascript'>a();alert(1)</script>", "inline <script>"),
    ('<img src="x" onerror="alert(1)">', "event handler (onerror=) on <img>"),
    ('<details ontoggle="alert(1)" open>x</details>', "event handler (ontoggle=)"),
    ('<svg><a onclick="alert(1)">x</a></svg>', "event handler (onclick=)"),
    ('<body onload="alert(1)">', "event handler (onload=)"),
    ('<a href="javascript:alert(1)">x</a>', "javascript: address in href="),
    ('<a href=" JaVa\tScRiPt:alert(1)">x</a>', "javascript: address"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "javascript: address"),
    ('<iframe src="javascript:alert(1)"></iframe>', "javascript: address in src="),
    ('<form action="javascript:alert(1)"></form>', "action= attribute on <form>"),
    ('<button formaction="javascript:alert(1)">x</button>', "formaction= attribute on <button>"),
    ("<style>body{background:url(//evil.example)}</style>", "a <style> element"),
    ('<p style="background:red">x</p>', "a style= attribute on <p>"),
], ids=lambda value: value[:30] if isinstance(value, str) else value)
def test_every_other_inline_script_handler_url_or_style_is_a_problem(markup, words):
    found = scan(f"<p>ok</p>\n{markup}", Rules(tuple(ALLOWED)))
    assert found.scripts == set() and [line for line, _ in found.problems] and \
        any(words in problem for _, problem in found.problems), found.problems


def test_the_allowed_scripts_come_from_the_templates_that_write_them(site_dir):
    material = Path(__import__("material").__file__).parent / "templates"
    patterns = allowed_patterns([ROOT / "overrides", material])
    assert len(patterns) == 2
    page = (site_dir / "what-it-is" / "index.html").read_text(encoding="utf-8")
    files = frozenset(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.*"))
    found = scan(page, Rules(tuple(patterns), code=files, style=_critical(site_dir / "what-it-is" / "index.html")),
                 dest="what-it-is/index.html")
    assert len(found.scripts) == 2 and not found.problems
    with pytest.raises(ValueError, match="no theme folder has partials/javascripts/base.html"):
        allowed_patterns([ROOT / "overrides"])


def test_policy_allows_exactly_the_given_scripts_and_never_unsafe_hashes():
    strict = content_security_policy({"a()"}, "'self'")
    script_src = next(d for d in strict.split("; ") if d.startswith("script-src "))
    assert script_src == f"script-src 'self' {_expected_hash('a()')}"
    assert "style-src 'self';" in strict and strict.startswith("default-src 'self';")
    for word in ("'unsafe-hashes'", "'unsafe-inline'", "'unsafe-eval'"):
        assert word not in strict


def _sent(blocks, url_path: str) -> dict[str, str]:
    """What both `_headers` hosts send for an address, each as it reads the file; they must agree."""
    cloudflare, netlify = (headers_for_url(blocks, url_path, host) for host in HEADERS_HOSTS)
    assert cloudflare == netlify, f"{url_path}: Cloudflare sends {cloudflare}, Netlify {netlify}"
    return cloudflare


def test_each_host_reads_the_rules_alike_and_an_unknown_address_gets_the_404_headers():
    page = (("Content-Security-Policy", "P"), ("X-Frame-Options", "SAMEORIGIN"), ("Permissions-Policy", "Q"),
            ("Cache-Control", "s"))
    view = (("Content-Security-Policy", "E"), ("Permissions-Policy", "Q"), ("Cache-Control", "s"))
    style, image = (("Cache-Control", "f"),), (("Cache-Control", "s"),)
    files = {"index.html": page, "page/index.html": page, "assets/x.1234abcd.css": style, "assets/y.js": page,
             "assets/deep/z.js": page, "embed/p/index.html": view, "handouts/booklet.pdf": page, "embed.js": page,
             "assets/images/a.png": image, "assets/images/b.png": image}
    fallback = page[:3]
    found = rules(files)
    blocks = parse_headers_file(netlify_headers(found, fallback))
    assert blocks[0][1] == {**COMMON, **dict(fallback)}, "/* carries the 404 page's document headers"
    for rel, headers in files.items():
        address = "/" + rel.removesuffix("index.html")   # an embed view is framed at its folder's address
        wanted = {**COMMON, **dict(fallback), **dict(headers)}
        if rel.endswith(".css"):   # its own rule: the long policy replaced by a short one; the others left
            wanted["Content-Security-Policy"] = SUBRESOURCE_POLICY
        # (an embed view keeps `/*`'s X-Frame-Options, ignored beside its frame-ancestors)
        assert _sent(blocks, address) == wanted, rel
    # A folder rule keeps `/*`'s policy for the 404 page it answers an unknown address there with.
    for unknown in ("/no-such-page/", "/assets/no-such.css", "/assets/images/no-such.png", "/embed/p/index.html",
                    "/embed/", "/embed.json"):
        assert _sent(blocks, unknown) == {**COMMON, **dict(fallback), **({"Cache-Control": "s"} if "images" in unknown
                                                                          else {})}, unknown
    assert {(r.path, r.prefix) for r in found} >= {("/page/", True), ("/embed/p/", False), ("/embed/p/index.html", False),
                                                   ("/assets/deep/", True), ("/assets/x.1234abcd.css", False), ("/", False)}
    assert not [r for r in found if r.prefix and r.path.startswith("/embed/")], "no folder rule frames a mistyped address"


def test_embed_views_take_one_rule_each_and_a_folder_of_them_one_in_all():
    a, b = (("X", "1"),), (("X", "2"),)
    views = {f"embed/p{i}/index.html": b for i in range(30)}
    nested = {f"embed/copies/{c:02d}/p{i}/index.html": b for c in range(50) for i in range(30)}
    found = rules({"index.html": a, **views, **nested})
    assert len(parse_headers_file(netlify_headers(found))) == 1 + 2 + 30 + 1
    assert Rule("/embed/copies/", True, b) in found and Rule("/embed/p0/index.html", False, b) in found, "nginx needs both"


@pytest.mark.parametrize("mistyped", ["/embed/", "/embed/no-such-page/", "/embed/what-it-is-typo/", "/embed/what-it-is/x",
                                      "/embed/what-it-is/index.html",
                                      "/embed/what-it-is/index.htm", "/embed/WHAT-IT-IS/", "/embed/what-it-is//"])
def test_a_mistyped_embed_address_is_not_frameable_where_the_real_one_is(site_dir, header_blocks, mistyped):
    """On `_headers` hosts the 404 answer takes the headers of the address asked for."""
    real = _sent(header_blocks, "/embed/what-it-is/")
    assert "frame-ancestors *" in as_browsers_read(real)["Content-Security-Policy"]
    assert "X-Frame-Options" not in as_browsers_read(real), "a browser ignores `/*`'s on a real embed view"
    sent = _sent(header_blocks, mistyped)   # `/*`'s: the 404 page's
    assert sent.get("X-Frame-Options") == "SAMEORIGIN" and "frame-ancestors 'self'" in sent["Content-Security-Policy"]


def test_apache_rules_are_the_same_rules_in_an_if_chain():
    a, b = (("Cache-Control", "x"), ("Content-Security-Policy", "default-src 'self'; a 100%")), (("X-Frame-Options", "DENY"),)
    found = rules({"index.html": a, "embed/p/index.html": b, "assets/deep/z.js": a, "assets/y.js": b}, "/guide/")
    text = apache_htaccess(found, a, "/guide/", ["# endpoint"])
    conditions = re.findall(r'^<(If|ElseIf|Else)\b ?"?([^">]*)', text, re.M)
    assert [kind for kind, _ in conditions] == ["If"] + ["ElseIf"] * (len(found) - 1) + ["Else"]
    assert ("ElseIf", "%{REQUEST_URI} == '/guide/index.html'") in conditions
    assert "%{REQUEST_URI} =~ m#^/guide/assets/deep/#" in text
    assert 'Header always set Content-Security-Policy "default-src \'self\'; a 100%%"' in text, "a literal % is %%"
    assert "ErrorDocument 404 /guide/404.html" in text and "RewriteBase /guide/" in text and "# endpoint" in text
    for name in HOST_FILES:
        assert re.escape(name) in text


def test_each_host_replaces_a_header_its_own_way():
    blocks = parse_headers_file("/*\n  A: 1\n/x/*\n  ! A\n  A: 2\n/y/*\n  A: 3\n/embed/*\n  B: 4\n")
    assert blocks[1] == ("/x/*", {"A": "2"}, ("A",))
    assert [headers_for_url(blocks, "/x/z", host)["A"] for host in HEADERS_HOSTS] == ["2", "2"]
    # Without `! A`, Cloudflare joins the two values (two policies would both apply); Netlify keeps the last.
    assert [headers_for_url(blocks, "/y/z", host)["A"] for host in HEADERS_HOSTS] == ["1, 3", "3"]
    # Netlify reads `/embed/*` as `/embed` and any rest.
    assert [headers_for_url(blocks, "/embed.js", host).get("B") for host in HEADERS_HOSTS] == [None, "4"]
    with pytest.raises(ValueError, match="not a `_headers` host"):
        headers_for_url(blocks, "/x/z", "nginx")


# --- the default build --------------------------------------------------------------------

@pytest.fixture(scope="module")
def header_blocks(site_dir):
    return parse_headers_file((site_dir / HEADERS_FILE).read_text(encoding="utf-8"))


def _policy(blocks, url_path: str) -> str:
    return _sent(blocks, url_path)["Content-Security-Policy"]


def test_every_inline_script_is_hashed_in_its_pages_policy_and_no_handler_is_left(site_dir, built_pages, header_blocks):
    missing, hashes = [], set()
    for path in built_pages:
        url = "/" + page_url(site_dir, path)
        policy = _policy(header_blocks, url)
        doc = soup(path)
        for script in doc.find_all("script", src=False):
            if script.get("type") in EXECUTABLE:
                hashes.add(_expected_hash(script.string or ""))
                if _expected_hash(script.string or "") not in policy:
                    missing.append(f"{url}: <script>{(script.string or '')[:40]}")
        for tag in doc.find_all(True):
            for name, value in tag.attrs.items():
                if name.startswith("on"):
                    missing.append(f"{url}: {name}={value}")
    assert hashes, "the theme writes inline scripts; none were found"
    assert not missing, "inline code the policy would block:\n" + "\n".join(missing)


# Files a browser never opens as a document or runs as a worker.
SUBRESOURCE_ENDINGS = (".css", ".png", ".jpg", ".webp", ".ico", ".woff2", ".json")


def test_policies_frame_and_cache_by_path(site_dir, built_pages, header_blocks):
    problems = []
    exact = {pattern for pattern, _, _ in header_blocks if not pattern.endswith("*")}
    not_found = header_blocks[0][1]["Content-Security-Policy"]   # `/*`'s: the 404 page's
    for rel in site_files(site_dir):
        sent = _sent(header_blocks, "/" + folder_address(rel))
        embed = rel.startswith("embed/")
        policy = sent.get("Content-Security-Policy", "")
        if rel.endswith(SUBRESOURCE_ENDINGS):
            # Never a document: its own rule puts the short policy in place of `/*`'s; a folder
            # rule keeps `/*`'s, for the 404 page an unknown address under it answers with.
            if policy != (SUBRESOURCE_POLICY if "/" + rel in exact else not_found):
                problems.append(f"{rel}: policy {policy!r} on a file that is never a document")
        else:
            if ("frame-ancestors *" if embed else "frame-ancestors 'self'") not in policy:
                problems.append(f"{rel}: {policy!r}")
            # Embed views too: `/*`'s, which browsers ignore beside frame-ancestors.
            framing = sent.get("X-Frame-Options")
            if framing != "SAMEORIGIN":
                problems.append(f"{rel}: X-Frame-Options {framing!r}")
            if "camera=()" not in sent.get("Permissions-Policy", ""):
                problems.append(f"{rel}: Permissions-Policy {sent.get('Permissions-Policy')!r}")
        for directive in ("'unsafe-inline'", "'unsafe-eval'", "http:", "https:"):
            if directive in policy:
                problems.append(f"{rel}: {directive} in the policy")
        fingerprinted = any(len(part) >= 8 and all(c in "0123456789abcdef" for c in part)
                            for part in rel.rsplit("/", 1)[-1].split(".")[1:-1])
        wanted = CACHE_FOREVER if fingerprinted else CACHE_SHORT
        if sent.get("Cache-Control") != wanted:
            problems.append(f"{rel}: Cache-Control {sent.get('Cache-Control')!r}, want {wanted!r}")
        if {k: sent.get(k) for k in COMMON} != COMMON:
            problems.append(f"{rel}: missing common headers")
    immutable = [r for r in site_files(site_dir)
                 if _sent(header_blocks, "/" + folder_address(r))["Cache-Control"] == CACHE_FOREVER]
    assert any(r.endswith(".css") for r in immutable) and any(r.endswith(".js") for r in immutable)
    assert _sent(header_blocks, "/embed.js")["Access-Control-Allow-Origin"] == "*"
    assert _sent(header_blocks, "/api/v1/pages.json")["Access-Control-Allow-Origin"] == "*"
    for loaded in ("/embed.js", "/embed/what-it-is/"):
        assert _sent(header_blocks, loaded)["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert not problems, "\n".join(problems)


def test_headers_file_fits_cloudflare_limits_and_nginx_has_a_location_per_rule(site_dir, header_blocks):
    text = (site_dir / HEADERS_FILE).read_text(encoding="utf-8")
    assert len(header_blocks) <= MAX_RULES
    print(f"{len(header_blocks)} of {MAX_RULES} rules")
    assert max(len(line) for line in text.splitlines()) <= MAX_LINE
    nginx = (site_dir / NGINX_FILE).read_text(encoding="utf-8")
    served_by_rules = [line for line in nginx.splitlines() if line.startswith("location ")
                       and "return 404" not in line and line != "location = /api/v1/oembed {"]
    # One per rule (`/*` becomes `location /`), beside the host files' 404s and the oEmbed endpoint;
    # nginx alone has each embed view's index.html address.
    views = [rel for rel in site_files(site_dir) if rel.startswith("embed/") and rel.endswith("/index.html")]
    assert len(served_by_rules) == len(header_blocks) + len(views) > len(views) > 10
    assert [line for line in nginx.splitlines() if "return 404; }" in line and line.startswith("location")] == [
        f"location = /{name} {{ return 404; }}" for name in HOST_FILES]


# --- a clinic build gets the same headers ---------------------------------------------------

@pytest.fixture(scope="session")
def clinic_dir(clinic_site) -> Path:
    """The example clinic the session already builds (conftest.py: with handouts, which changes no header)."""
    return clinic_site


def test_a_clinic_build_gets_headers_for_its_own_pages(clinic_dir):
    blocks = parse_headers_file((clinic_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    assert (clinic_dir / NGINX_FILE).is_file()
    missing = []
    for path in html_pages(clinic_dir):
        policy = _policy(blocks, "/" + page_url(clinic_dir, path))
        for script in soup(path).find_all("script", src=False):
            if script.get("type") in EXECUTABLE and _expected_hash(script.string or "") not in policy:
                missing.append(page_url(clinic_dir, path))
    assert "frame-ancestors *" in _policy(blocks, "/embed/what-it-is/")
    assert _sent(blocks, "/assets/clinic/clinic.css")["Cache-Control"] == CACHE_SHORT
    assert not missing, missing


def test_a_clinic_logo_opened_on_its_own_runs_nothing(clinic_dir):
    blocks = parse_headers_file((clinic_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    logos = sorted((clinic_dir / "assets" / "clinic").glob("logo.*"))
    assert logos
    for logo in logos:
        assert _sent(blocks, "/" + logo.relative_to(clinic_dir).as_posix())["Content-Security-Policy"] \
            == LOGO_POLICY
    assert LOGO_POLICY.startswith("default-src 'none';") and "script" not in LOGO_POLICY


# --- the critical CSS: one <style> a page, allowed by its hash --------------------------------------

def _styles(path: Path) -> list[str]:
    return [node.text() for node in html.parse(path.read_bytes()).css("head > style")]


def _critical(path: Path) -> str:
    return _styles(path)[0]


def _critical_problems(folder: Path, blocks) -> tuple[set[str], list[str]]:
    """(every page's critical CSS, what is wrong): each page holds it first in its head, not
    empty, then its template's own sheet if it has one (minified: nothing else), which the
    allow-list accepts with those texts; its policy allows exactly their hashes in style-src;
    no page links a stylesheet its first paint would wait for."""
    texts, problems = set(), []
    for path in html_pages(folder):
        url = "/" + page_url(folder, path)
        critical, *own = _styles(path)
        texts.add(critical)
        policy = _policy(blocks, url)
        style_src = next(d for d in policy.split("; ") if d.startswith("style-src "))
        if style_src != "style-src " + " ".join(["'self'", *sorted(_expected_hash(t) for t in {critical, *own})]):
            problems.append(f"{url}: {style_src}")
        sheet = "home.css" if url == "/" else "embed.css" if url.startswith("/embed/") else None
        # (a template's own sheet, as its own <style>: the home page's doors, an embed view's frame)
        if [len(text) > 100 for text in own] != ([True] if sheet else []) or sheet and own[0] in critical:
            problems.append(f"{url}: inline CSS of its own {[text[:30] for text in own]}, want {sheet}'s")
        refused = [problem for _, problem in scan(path.read_text(encoding="utf-8"),
                                                  Rules((), style=critical, own=frozenset(own))).problems
                   if "<style>" in problem]
        if not critical or refused:
            problems.append(f"{url}: its <style> is not one the allow-list accepts: {refused}")
        if [link for link in soup(path).find_all("link", rel="stylesheet") if not link.find_parent("noscript")
                and link.get("media") in (None, "all", "screen")]:
            problems.append(f"{url}: links a stylesheet its first paint waits for")
    return texts, problems


def test_every_page_holds_the_build_s_critical_css_and_its_policy_allows_exactly_it(site_dir, header_blocks):
    texts, problems = _critical_problems(site_dir, header_blocks)
    assert len(texts) == 1 and len(next(iter(texts))) > 10_000, "one text for every page of a build"
    assert not list((site_dir / "assets" / "stylesheets").glob("lean-critical*")), "no critical sheet file"
    assert not problems, "\n".join(problems)


def test_a_clinic_build_s_critical_css_has_its_colours_and_its_own_hash(site_dir, clinic_dir):
    blocks = parse_headers_file((clinic_dir / HEADERS_FILE).read_text(encoding="utf-8"))
    texts, problems = _critical_problems(clinic_dir, blocks)
    assert len(texts) == 1 and not problems, "\n".join(problems)
    [clinic] = texts
    assert "#1f5f8b" in clinic and clinic != _critical(site_dir / "index.html")   # clinics/example.yml's primary


def test_the_policy_allows_the_given_style_hashes_and_never_unsafe_inline():
    policy = content_security_policy({"a()"}, "'self'", [_expected_hash("b{c:d}")])
    assert f"style-src 'self' {_expected_hash('b{c:d}')};" in policy and "'unsafe-inline'" not in policy
