"""Embeds where clinics publish (issue 13), against a build served by nginx under a sub-path.

The site is built for, and served at, `http://127.0.0.1:<port>/guide/` with
deploy/nginx/site.conf's documented sub-path block (conftest `subpath_site`),
so its own links, oEmbed answers and WordPress's same-host check all hold.
Three hosts on other origins embed every embeddable page, at 390 and 1280 px:
a WordPress post reproduced exactly (discovery, filtered markup, sandbox,
WordPress's own wp-embed.js), a host whose CSP allows no inline style, and a
page a third-party oEmbed client (micawber) rendered from page addresses.
"""
from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import jsonschema
import pytest

import wordpress
from browser import serve
from feeling_safe.pages import html
from feeling_safe.publishing.security_headers import (
    HEADERS_FILE,
    NEVER_SERVED,
    NGINX_FILE,
    ROUTES_FILE,
    WORKER_FILE,
    parse_headers_file,
    site_files,
)
from served import promised_header_problems
from sitebuild import ROOT

WIDTHS = (390, 1280)
STEP = 240  # embed-frame.js rounds heights up to whole steps of this many px (issue 21: privacy)
# The frame's own document: its height as it reports it, its lowest content, the frame's
# viewport, and whether the document overflows it (an inner scrollbar).
MEASURE = """() => {
  const root = document.documentElement;
  let bottom = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.height && el.checkVisibility()) bottom = Math.max(bottom, box.bottom + window.scrollY);
  }
  return {content: Math.max(bottom, Math.ceil(root.getBoundingClientRect().height)),
          viewport: window.innerHeight, overflows: root.scrollHeight > root.clientHeight + 1};
}"""


def _fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def guide(subpath_site):
    """(built folder, served URL, embeddable pages [(slug, full page URL)])."""
    out, url = subpath_site
    feed = json.loads((out / "api/v1/pages.json").read_text(encoding="utf-8"))
    assert feed["site_url"] == url
    pages = [(p["slug"], p["url"]) for p in feed["pages"] if p["embed_url"]]
    assert len(pages) >= 10
    return out, url, pages


def _endpoint(url: str, page_url: str, **params) -> str:
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return f"{url}api/v1/oembed?url={quote(page_url, safe='')}&format=json{extra}"


def _wait_fitted(page, frame_el, check, timeout: float = 60.0) -> dict:
    """Wait until `check(size)` holds for the frame's document; return the numbers."""
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    deadline = time.monotonic() + timeout
    while True:
        frame.wait_for_load_state("load")
        size = frame.evaluate(MEASURE)
        if check(size):
            return size
        if time.monotonic() > deadline:
            pytest.fail(f"{frame.url}: does not fit: {size}")
        time.sleep(0.1)


def _room(size) -> bool:
    """The viewport holds the document with at most one of embed-frame.js's steps to spare."""
    return -1 <= size["viewport"] - size["content"] <= STEP + 1


def _fits(size) -> bool:
    """Fitted by embed.js: the viewport is the document rounded up to a whole step, and
    nothing scrolls inside."""
    return not size["overflows"] and _room(size) and size["viewport"] % STEP == 0


def _fits_up_to_cap(size) -> bool:
    """Fitted by wp-embed.js: the document, rounded up to a step, up to its 1,000 px cap
    (a longer page scrolls inside)."""
    if size["content"] > wordpress.CAP + 1:
        return size["overflows"] and abs(size["viewport"] - wordpress.CAP) <= 1
    return not size["overflows"] and _room(size) and size["viewport"] in (*range(STEP, wordpress.CAP, STEP), wordpress.CAP)


def _open_link_in_top_window(page, frame_el, full_url: str) -> None:
    """Click the credit link inside the frame: the host's top window opens the full page."""
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    link = frame.locator(".fs-embed__attribution a")
    with page.expect_navigation(url=full_url, timeout=10_000):
        link.click()


# --- WordPress ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wordpress_host(guide, tmp_path_factory):
    """WordPress posts embedding our pages: one with every page, one per page."""
    _out, url, pages = guide
    folder = tmp_path_factory.mktemp("wordpress")
    embeds = {slug: wordpress.filter_oembed_result(wordpress.discover(page_url)["html"], wordpress.secret())
              for slug, page_url in pages}
    posts = {"all.html": wordpress.post_page(list(embeds.values()))}
    posts.update({f"{slug}.html": wordpress.post_page([markup]) for slug, markup in embeds.items()})
    wordpress.write_host(folder, posts)
    with serve(folder) as host:
        assert urlsplit(host).netloc != urlsplit(url).netloc
        yield host, embeds


def test_wordpress_keeps_a_framed_sandboxed_embed_with_a_linked_quote(wordpress_host, guide):
    _host, embeds = wordpress_host
    for slug, page_url in guide[2]:
        markup = embeds[slug]
        assert 'sandbox="allow-scripts"' in markup and "#?secret=" in markup and "<script" not in markup
        quote_link = re.search(r'<blockquote class="wp-embedded-content" data-secret="\w+"><a href="([^"]+)">([^<]+)</a>',
                               markup)
        assert quote_link and quote_link.group(1) == page_url and quote_link.group(2).strip(), markup
        assert 'style="position: absolute; clip: rect(1px, 1px, 1px, 1px);"' in markup  # hidden until it speaks


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wordpress_post_fits_every_page_up_to_its_height_cap(browser, wordpress_host, guide, width):
    host, _embeds = wordpress_host
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(host + "all.html")
        frames = page.locator("iframe.wp-embedded-content")
        assert frames.count() == len(guide[2])
        sizes = [_wait_fitted(page, frames.nth(i), _fits_up_to_cap) for i in range(frames.count())]
        # Once a frame has spoken, wp-embed.js shows it and hides the quote.
        assert page.eval_on_selector_all("iframe.wp-embedded-content", "fs => fs.filter(f => f.style.length).length") == 0
        assert page.eval_on_selector_all("blockquote.wp-embedded-content",
                                         "qs => qs.filter(q => q.style.display !== 'none').length") == 0
        assert any(s["content"] > wordpress.CAP for s in sizes), "long pages reach the cap and scroll"
        # Every real page is longer than the cap; a shorter one (its article cut down in
        # place) is fitted to its content, rounded up to a step, with nothing to scroll.
        frame_el = frames.nth(0)
        frame_el.element_handle().content_frame().evaluate(
            "() => document.querySelectorAll('.fs-embed article > :not(h1)').forEach(e => e.remove())")
        short = _wait_fitted(page, frame_el, lambda s: s["content"] < 900 and _fits_up_to_cap(s))
        assert short["viewport"] == -(-short["content"] // STEP) * STEP and not short["overflows"]
    finally:
        context.close()


def test_links_in_a_wordpress_embed_open_the_full_page_in_the_top_window(browser, wordpress_host, guide,
                                                                         covering_paths):
    """The embed views of the covering set, at a phone's width: where a link opens is set by
    the frame's sandbox and the template's credit link, not by a page's text or the width
    (each view's credit link and target are read from every built view in test_embed_build.py,
    and both widths' layouts are checked by the fit tests)."""
    host, _embeds = wordpress_host
    covered = {path.split("/")[1] for path in covering_paths if path.startswith("embed/")}
    views = [(slug, page_url) for slug, page_url in guide[2] if slug in covered]
    assert len(views) >= 2, "the covering set holds embed views"
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        for slug, page_url in views:
            page.goto(host + f"{slug}.html")
            frame_el = page.locator("iframe.wp-embedded-content")
            _wait_fitted(page, frame_el, _fits_up_to_cap)
            _open_link_in_top_window(page, frame_el, page_url)
        # A phone number cannot open from the sandbox: it opens the full page, where it can.
        slug, page_url = guide[2][0]
        page.goto(host + f"{slug}.html")
        frame_el = page.locator("iframe.wp-embedded-content")
        _wait_fitted(page, frame_el, _fits_up_to_cap)
        frame = frame_el.element_handle().content_frame()
        with page.expect_navigation(url=re.compile("^" + re.escape(page_url)), timeout=10_000):
            frame.locator("[data-md-component=announce] a[href^='tel:']").first.click()
        assert not [e for e in errors if "sandbox" in e.lower() or "navigat" in e.lower()], errors
    finally:
        context.close()


# --- a host whose CSP allows no inline style ---------------------------------------------------

HOST_CSS = """*,*::before,*::after{box-sizing:border-box}
body{margin:0;padding:12px;font-family:sans-serif}
iframe{border:3px solid #246;padding:4px}
"""


@pytest.fixture(scope="module")
def strict_host(guide, tmp_path_factory):
    """A clinic page whose policy lets only its own styles and our frames and script run;
    its stylesheet sizes every box as border-box and gives frames a border and padding."""
    _out, url, pages = guide
    folder = tmp_path_factory.mktemp("strict")
    snippets = [json.loads(_fetch(_endpoint(url, page_url))[2])["html"] for _slug, page_url in pages]
    (folder / "host.css").write_text(HOST_CSS, encoding="utf-8")
    (folder / "favicon.ico").write_bytes(b"")  # so the browser's own request logs no 404
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'><title>A clinic</title>"
        "<link rel='stylesheet' href='host.css'></head><body><h1>Our clinic</h1>"
        + "".join(f"<section><h2>Part {i}</h2>{s}</section>" for i, s in enumerate(snippets, 1))
        + "</body></html>", encoding="utf-8")
    policy = f"default-src 'self'; frame-src {url}; script-src {url}; style-src 'self'"
    with serve(folder, headers={"Content-Security-Policy": policy}) as host:
        yield host


@pytest.mark.parametrize("width", WIDTHS)
def test_a_strict_csp_host_fits_every_page_and_logs_nothing(browser, strict_host, guide, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    logged = []
    page.on("console", lambda message: logged.append(f"{message.type}: {message.text}"))
    try:
        page.goto(strict_host, wait_until="domcontentloaded")  # each frame is waited for below
        page.wait_for_function("window.feelingSafeEmbed")
        page.wait_for_timeout(300)  # frames below the fold have not loaded yet: nothing may be logged
        assert not logged, logged
        frames = page.locator("iframe[src*='/embed/']")
        assert frames.count() == len(guide[2])
        for i in range(frames.count()):
            _wait_fitted(page, frames.nth(i), _fits)
        page.wait_for_timeout(100)
        assert not logged, logged
        assert page.eval_on_selector_all("blockquote.fs-embed-fallback", "qs => qs.filter(q => q.offsetHeight).length") == 0
        _open_link_in_top_window(page, frames.nth(0), guide[2][0][1])
    finally:
        context.close()


# --- a third-party oEmbed client on a page address, and the sub-path deployment -------------

@pytest.fixture(scope="module")
def micawber_host(guide, tmp_path_factory):
    """A page micawber rendered from our page addresses through /api/v1/oembed?url=."""
    from micawber import Provider, ProviderRegistry

    _out, url, pages = guide
    registry = ProviderRegistry()
    registry.register(re.escape(url) + r"\S+", Provider(url + "api/v1/oembed"))
    text = "\n\n".join(page_url for _slug, page_url in pages)
    rendered = registry.parse_text(text)  # no maxwidth: micawber would add a maxheight, which caps the frame
    folder = tmp_path_factory.mktemp("micawber")
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'><title>Rendered</title></head>"
        f"<body>{rendered}</body></html>", encoding="utf-8")
    with serve(folder) as host:
        yield host, rendered


def test_micawber_renders_our_embed_from_a_page_address(micawber_host, guide):
    _host, rendered = micawber_host
    for slug, page_url in guide[2]:
        assert f'src="{guide[1]}embed/{slug}/"' in rendered, slug
        assert f'<a href="{page_url}">' in rendered
    assert rendered.count("embed.js") == len(guide[2])


@pytest.mark.parametrize("width", WIDTHS)
def test_a_sub_path_deployment_fits_every_page_and_its_links_work(browser, micawber_host, guide, width):
    host, _rendered = micawber_host
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(host, wait_until="domcontentloaded")  # each frame is waited for below
        frames = page.locator("iframe[src*='/guide/embed/']")
        assert frames.count() == len(guide[2])
        for i in range(frames.count()):
            _wait_fitted(page, frames.nth(i), _fits)
        _open_link_in_top_window(page, frames.nth(len(guide[2]) - 1), guide[2][-1][1])
    finally:
        context.close()


# --- the endpoint itself --------------------------------------------------------------------

def test_the_oembed_endpoint_answers_any_consumer(guide):
    _out, url, pages = guide
    slug, page_url = pages[0]
    for address in (_endpoint(url, page_url), f"{url}api/v1/oembed?url={page_url}",
                    _endpoint(url, page_url.rstrip("/"))):
        status, headers, body = _fetch(address)
        data = json.loads(body)
        assert status == 200 and headers["Content-Type"] == "application/json", address
        assert headers["Access-Control-Allow-Origin"] == "*" and data["type"] == "rich"
        assert f"{url}embed/{slug}/" in data["html"] and (data["width"], data["height"]) == (640, 600)
    status, _headers, body = _fetch(_endpoint(url, page_url, maxwidth=500, maxheight=300))
    data = json.loads(body)
    assert status == 200 and (data["width"], data["height"]) == (500, 300)
    assert 'height="300" data-max-height="300"' in data["html"]
    for unknown in ("https://elsewhere.example/what-it-is/", f"{url}no-such-page/", f"{url}about/", ""):
        status, headers, body = _fetch(_endpoint(url, unknown))
        assert status == 404 and headers["Content-Type"] == "application/json" and "error" in json.loads(body), unknown
    status, _headers, body = _fetch(_endpoint(url, page_url).replace("format=json", "format=xml"))
    assert status == 501 and "error" in json.loads(body)


def _host_code_answers(out, url, pages, command: list[str]) -> None:
    """A host's own oEmbed code (run in Node) answers every kind of request as nginx does."""
    slug, page_url = pages[1]
    requests = [_endpoint(url, page_url), f"{url}api/v1/oembed?url={page_url.rstrip('/')}",
                _endpoint(url, page_url, maxwidth=480, maxheight=333), _endpoint(url, page_url, maxwidth=9999),
                _endpoint(url, page_url, maxwidth="0500"), _endpoint(url, "https://elsewhere.example/x/"),
                _endpoint(url, page_url).replace("format=json", "format=xml"), f"{url}api/v1/oembed"]
    result = subprocess.run([*command, *requests], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(requests)
    for address, worker in zip(requests, answers):
        status, headers, body = _fetch(address)
        assert worker["status"] == status, address
        assert json.loads(worker["body"]) == json.loads(body), address
        for name in ("content-type", "access-control-allow-origin", "cross-origin-resource-policy", "cache-control"):
            assert worker["headers"][name] == headers[name.title()], (address, name)
    assert [a["status"] for a in answers] == [200, 200, 200, 200, 200, 404, 501, 404]
    assert (json.loads(answers[2]["body"])["width"], json.loads(answers[2]["body"])["height"]) == (480, 333)


def test_cloudflare_s_worker_answers_exactly_as_nginx_does(guide):
    """Cloudflare Pages' _redirects cannot match ?url=: its worker must say what nginx says."""
    out, url, pages = guide
    routes = json.loads((out / ROUTES_FILE).read_text(encoding="utf-8"))
    prefix = urlsplit(url).path
    assert routes["include"] == [prefix + "api/v1/oembed", *(prefix + name for name in NEVER_SERVED)], \
        "the worker runs for the endpoint and the files no host may serve, nothing else"
    _host_code_answers(out, url, pages, ["node", str(ROOT / "tests/cloudflare_worker.mjs"), str(out / WORKER_FILE)])


def test_netlify_s_edge_function_answers_exactly_as_nginx_does(guide):
    """Netlify's _redirects cannot put maxwidth and maxheight into a file: its edge function (the
    worker's code, netlify.toml runs it for the endpoint) must say what nginx says."""
    import tomllib

    out, url, pages = guide
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    assert config["edge_functions"] == [{"path": "/api/v1/oembed", "function": "oembed"}]
    _host_code_answers(out, url, pages, ["node", str(ROOT / "tests/netlify_edge.mjs"), str(ROOT)])


def test_a_frame_given_maxheight_grows_no_taller(browser, guide, tmp_path_factory):
    _out, url, pages = guide
    snippet = json.loads(_fetch(_endpoint(url, pages[0][1], maxheight=450))[2])["html"]
    folder = tmp_path_factory.mktemp("maxheight")
    (folder / "index.html").write_text(f"<!doctype html><title>Host</title><body>{snippet}</body>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        with serve(folder) as host:
            page.goto(host)
            frame_el = page.locator("iframe")
            size = _wait_fitted(page, frame_el, lambda s: s["viewport"] == 450 and s["overflows"])
            assert size["content"] > 450
    finally:
        context.close()


# --- the sub-path deployment's headers, host files, 404 page and schemas -----------------------

def test_nginx_under_a_sub_path_sends_what_headers_file_promises(guide):
    out, url, _pages = guide
    prefix = urlsplit(url).path
    blocks = parse_headers_file((out / HEADERS_FILE).read_text(encoding="utf-8"))
    assert all(pattern.startswith(prefix) for pattern, _, _ in blocks[1:]), "every rule names the sub-path"
    problems, checked = promised_header_problems(out, url)
    assert checked > 500 and not problems, "\n".join(problems[:20])
    status, sent, _ = _fetch(url + "embed/what-it-is/")
    assert "frame-ancestors *" in sent["Content-Security-Policy"] and "X-Frame-Options" not in sent
    assert _fetch(url + "embed.js")[1]["Access-Control-Allow-Origin"] == "*"
    hashed = [rel for rel in site_files(out) if re.search(r"\.[0-9a-f]{8,}\.(css|js)$", rel)]
    assert hashed and all("immutable" in _fetch(url + rel)[1]["Cache-Control"] for rel in hashed)


def test_under_a_sub_path_host_files_are_never_served_and_unknown_addresses_get_our_404(guide):
    out, url, _pages = guide
    for private in (HEADERS_FILE, NGINX_FILE, "_redirects", WORKER_FILE, ROUTES_FILE, ".fst-build"):
        assert (out / private).is_file()
        status, _sent, body = _fetch(url + private)
        assert status == 404 and b"Page not found" in body, private
    for missing in ("no-such-page/", "embed/", "api/", "assets/"):
        status, sent, body = _fetch(url + missing)
        assert status == 404 and b"Page not found" in body, missing
        assert "frame-ancestors 'self'" in sent["Content-Security-Policy"]
    assert b"Our clinic" in _fetch(url.replace("/guide/", "/"))[2], "the clinic's own site stays at /"


def test_served_schemas_validate_every_api_file_with_a_plain_validate(guide):
    out, url, _pages = guide
    schemas = {}
    for name in ("pages", "page", "oembed"):
        address = f"{url}api/v1/schemas/{name}.schema.json"
        status, headers, body = _fetch(address)
        schemas[name] = json.loads(body)
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
        assert schemas[name]["$id"] == address, "the $id is where the schema is served"
    files = {"pages": [out / "api/v1/pages.json"], "page": sorted((out / "api/v1/pages").glob("*.json")),
             "oembed": sorted((out / "api/v1/oembed").glob("*.json"))}
    for name, paths in files.items():
        assert paths
        for path in paths:
            jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schemas[name])
    broken = json.loads((out / "api/v1/pages/what-it-is.json").read_text(encoding="utf-8"))
    broken["url"] = 12
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schemas["page"])


def _alternate_links(built: Path) -> list[tuple[str, str]]:
    """A built page's <link rel=alternate> kinds: (type, what the address names), the address's slug left out."""
    tree = html.parse(built.read_bytes())
    return sorted((link.attributes.get("type") or "", re.sub(r"[^/?=]+(\.json)?$", "<slug>", urlsplit(
        link.attributes.get("href") or "").path)) for link in tree.css('link[rel~="alternate"]'))


def test_opening_search_asks_for_no_sitemap_on_any_embeddable_page(browser, guide):
    """Material's bundle fetched a sitemap.xml beside every <link rel=alternate>, the oEmbed one too.
    Searched in the browser on the first embeddable page; every other embeddable page carries
    the same kinds of alternate link (its template's), so it asks for what the first asks for."""
    out, url, pages = guide
    site_path = urlsplit(url).path
    kinds = {page_url: _alternate_links(out / urlsplit(page_url).path.removeprefix(site_path) / "index.html")
             for _slug, page_url in pages}
    first_url = pages[0][1]
    assert kinds[first_url], "an embeddable page carries its oEmbed <link rel=alternate>"
    assert all(found == kinds[first_url] for found in kinds.values()), kinds
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    asked, failed = [], []
    page.on("request", lambda request: asked.append(request.url) if "sitemap" in request.url else None)
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    try:
        page.goto(first_url, wait_until="load")
        page.locator(".md-search__input").click()
        page.keyboard.type("alliance")
        page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=30_000)
        assert page.evaluate("!!window.document$"), "Material's bundle is running"
        page.wait_for_timeout(150)
    finally:
        context.close()
    assert not asked and not failed, asked + failed
