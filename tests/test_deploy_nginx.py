"""The nginx recipe, for real: deploy/nginx/site.conf serves the built site with its headers.

One Chromium visit per built page (full pages and embed views) checks that
the Content-Security-Policy lets everything we ship run (no violation, no
console error) and that the page is served with its policy; on the way,
search and the palette toggle are used, and a second origin embeds a page
with /embed.js and sees it resize. Before that, every built file is fetched
once to check nginx sends exactly what `_headers` promises the other hosts.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from browser import serve
from pagecheck import watch
from served import (
    EMBED_SLUG,
    answer_problems,
    assert_folders_unknown_addresses_and_host_files,
    oembed_sizes,
    promised_header_problems,
)
from sitebuild import html_pages, page_url

# Logs every policy violation, in every frame, as a console error the test collects.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", e => console.error(
  `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline code"} ` +
  `in ${e.sourceFile}:${e.lineNumber} ${e.sample}`), true);"""
DESKTOP = {"width": 1280, "height": 800}


def test_nginx_sends_what_headers_file_promises_for_every_file(site_dir, nginx_url):
    problems, checked = promised_header_problems(site_dir, nginx_url)
    assert checked > 5 * 50, "too few files or headers checked"
    assert not problems, "\n".join(problems)


def _page_url(site_dir) -> str:
    feed = json.loads((site_dir / "api/v1/pages.json").read_text(encoding="utf-8"))
    return next(p["url"] for p in feed["pages"] if p["slug"] == EMBED_SLUG)


def test_every_answer_nginx_gives_carries_the_headers_errors_too(site_dir, nginx_url):
    problems, seen = answer_problems(nginx_url, _page_url(site_dir))
    assert {200, 206, 301, 304, 400, 404, 405, 414, 416, 501, 505} <= seen, seen
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("encoding", ["identity", "gzip", "br", "gzip, deflate, br, zstd"])
def test_oembed_honours_maxwidth_and_maxheight_whatever_the_client_accepts(site_dir, nginx_url, encoding):
    """WordPress asks with Accept-Encoding: the answer must not be a precompressed copy of the defaults."""
    assert not list((site_dir / "api/v1/oembed").glob("*.json.*")), "no compressed copies to send in their place"
    status, data = oembed_sizes(nginx_url, _page_url(site_dir), encoding, maxwidth=500, maxheight=300)
    assert status == 200 and (data["width"], data["height"]) == (500, 300)
    assert 'height="300" data-max-height="300"' in data["html"]
    status, data = oembed_sizes(nginx_url, _page_url(site_dir), encoding)
    assert status == 200 and (data["width"], data["height"]) == (640, 600)


def test_folder_addresses_unknown_paths_and_header_files(nginx_url):
    assert_folders_unknown_addresses_and_host_files(nginx_url)


@pytest.fixture(scope="module")
def host_url(site_dir, nginx_url, tmp_path_factory):
    """A clinic's page on a second origin, pasting our oEmbed snippet pointed at nginx."""
    folder = tmp_path_factory.mktemp("host")
    snippet = json.loads((site_dir / f"api/v1/oembed/{EMBED_SLUG}.json").read_text(encoding="utf-8"))["html"]
    site_url = json.loads((site_dir / "api/v1/pages.json").read_text(encoding="utf-8"))["site_url"]
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'><title>A clinic</title></head>"
        f"<body><h1>Our clinic</h1>{snippet.replace(site_url, nginx_url)}</body></html>", encoding="utf-8")
    with serve(folder) as url:
        assert urlsplit(url).netloc != urlsplit(nginx_url).netloc
        yield url


def _use_search(page) -> list[str]:
    page.locator(".md-search__input").click()
    page.keyboard.type("alliance")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10_000)
    return [] if results.count() else ["search shows no results for 'alliance'"]


def _use_palette(page) -> list[str]:
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("[data-lean-palette] button:visible").click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return [] if after != before else [f"palette toggle left the scheme at {before!r}"]


def test_every_page_runs_under_its_policy_in_chromium(browser, site_dir, nginx_url, host_url):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(CSP_LISTENER)
    paths = [page_url(site_dir, path) for path in html_pages(site_dir)]
    problems: dict[str, list[str]] = {}
    visits = {"pages": 0, "palette": 0, "search": 0}
    page = context.new_page()
    seen = watch(page, nginx_url)  # console errors and requests to other hosts, for the tab's life
    failed = []  # subresources that did not load (the 404 page's own document is expected)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/no-such-page/") else None)
    for path in paths:
        found = problems.setdefault(path or "/", [])
        is_404 = path == "404.html"
        for entries in (seen["errors"], seen["foreign"], failed):
            entries.clear()
        response = page.goto(nginx_url + ("no-such-page/" if is_404 else path), wait_until="load")
        visits["pages"] += 1
        if response.status != (404 if is_404 else 200):
            found.append(f"status {response.status}")
        policy = response.headers.get("content-security-policy", "")
        ancestors = "frame-ancestors *" if path.startswith("embed/") else "frame-ancestors 'self'"
        if ancestors not in policy or "'unsafe-inline'" in policy or "'unsafe-eval'" in policy:
            found.append(f"policy: {policy!r}")
        if page.locator("[data-lean-palette] button:visible").count():
            found += _use_palette(page)
            visits["palette"] += 1
        if path == "":
            found += _use_search(page)
            visits["search"] += 1
        page.wait_for_timeout(50)  # let late violations (deferred styles, workers) report
        errors = seen["errors"]
        if is_404:  # Chromium logs the 404 status of the document itself
            errors = [e for e in errors if "status of 404 (Not Found)" not in e]
        found += [f"console: {text}" for text in errors]
        found += [f"request to another host: {url}" for url in seen["foreign"]]
        found += [f"failed to load: {entry}" for entry in failed]
    seen["errors"].clear()
    page.goto(host_url, wait_until="load")
    frame = page.locator("iframe").first
    frame.scroll_into_view_if_needed()
    start = float(frame.get_attribute("height"))
    page.wait_for_function("start => document.querySelector('iframe').getBoundingClientRect().height > start + 100",
                           arg=start, timeout=10_000)
    page.wait_for_timeout(50)
    embed_errors = seen["errors"]
    context.close()
    assert visits["pages"] == len(paths) > 20 and visits["search"] == 1 and visits["palette"] > 10, visits
    assert not embed_errors, "embed on another origin:\n" + "\n".join(embed_errors)
    assert not any(problems.values()), "\n".join(
        f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items() if found)


def test_an_injected_inline_script_is_blocked(browser, nginx_url):
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    seen = watch(page, nginx_url)
    page.goto(nginx_url + "what-it-is/", wait_until="load")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.injected = true"; document.head.append(s); }""")
    page.wait_for_timeout(50)
    injected = page.evaluate("window.injected === true")
    context.close()
    assert not injected, "an injected inline script ran"
    assert any(e.startswith("CSP violation: script-src") for e in seen["errors"]), seen["errors"]


# --- the critical CSS in the page, allowed by its hash ---------------------------------------------

HEADER_STYLE = """() => { const header = getComputedStyle(document.querySelector(".md-header"));
                         return [header.position, header.backgroundColor]; }"""


def _first_paint_styles(browser, url: str, *, plant: str = "") -> tuple[list[str], list[str], dict]:
    """Open `url` with the deferred sheet held back (what the first paint has: the page alone),
    optionally planting a `<style>` with `plant`; returns (the header's position and colour,
    console errors, the deferred sheet's answer once let through)."""
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    seen = watch(page, url)
    held = []
    page.route("**/lean-deferred.*.css", lambda route: held.append(route))
    page.goto(url, wait_until="domcontentloaded")
    styled = page.evaluate(HEADER_STYLE)
    if plant:
        page.evaluate("""text => { const s = document.createElement("style"); s.textContent = text;
                                   document.head.append(s); }""", plant)
        page.wait_for_timeout(50)
        styled = page.evaluate(HEADER_STYLE)
    for route in held:
        route.continue_()
    page.wait_for_function("""() => [...document.styleSheets].some(sheet => sheet.href
                              && sheet.href.includes("lean-deferred.") && sheet.cssRules.length > 0)""")
    deferred = page.evaluate("""() => { const link = document.querySelector("link[data-lean-deferred]");
                                        return {href: link.href, media: link.media}; }""")
    page.wait_for_timeout(50)
    errors = list(seen["errors"])
    context.close()
    return styled, errors, deferred


def test_the_page_s_own_css_paints_it_under_the_policy(browser, site_dir, nginx_url):
    """The header is styled before any stylesheet arrives (the deferred one is held back), the
    policy allows the <style> by its hash (no violation), and the deferred sheet still loads."""
    styled, errors, deferred = _first_paint_styles(browser, nginx_url + "what-it-is/")
    assert styled[0] == "sticky" and styled[1] not in ("rgba(0, 0, 0, 0)", "transparent"), styled
    assert not errors, errors
    assert "lean-deferred." in deferred["href"]


def test_a_planted_style_is_refused_by_the_policy(browser, nginx_url):
    """The policy allows the build's text, not inline CSS in general ('unsafe-inline')."""
    styled, errors, _ = _first_paint_styles(browser, nginx_url + "what-it-is/",
                                            plant=".md-header{position:static!important;background:red!important}")
    assert styled[0] == "sticky" and styled[1] != "rgb(255, 0, 0)", styled
    assert any(error.startswith("CSP violation: style-src") for error in errors), errors


def test_a_clinic_s_own_colours_paint_under_its_own_policy(browser, clinic_site, tmp_path):
    """A clinic build's critical CSS carries its colours, so its text and hash differ from the
    guide's; its pages paint in its primary colour with no violation."""
    from feeling_safe.measuring.nginx_site import serve_with_nginx

    with serve_with_nginx(clinic_site, tmp_path) as url:
        styled, errors, _ = _first_paint_styles(browser, url + "what-it-is/")
    assert styled == ["sticky", "rgb(31, 95, 139)"], styled   # clinics/example.yml: primary "#1f5f8b"
    assert not errors, errors
