"""A page's first paint on the wire, through nginx with deploy/nginx/site.conf (feeling_safe/measuring/first_paint.py).

Every page paints from its HTML response alone (the critical CSS is in it), which for a
Brotli client fits one round trip (14,600 bytes, headers included); `make bench` and
`python -m feeling_safe.measuring.first_paint` report the figures, gzip-only clients' too.
"""
from __future__ import annotations

import gzip
import re
from urllib.parse import urljoin, urlsplit

import brotli
import pytest
from bs4 import BeautifulSoup

from browser import serve
from feeling_safe.measuring.bench import article_pages
from feeling_safe.measuring.first_paint import (
    ENCODINGS,
    GZIP_ONLY,
    ONE_ROUND_TRIP,
    FirstPaint,
    blocking_stylesheets,
    decoded,
    fetch,
    first_paint,
)
from feeling_safe.pages import html
from feeling_safe.pages.icon_sprite import SPRITE_PLACEHOLDER
from feeling_safe.publishing.precompress import precompress
from test_written_pages import write_like_the_build

ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>'
OTHER_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1h2v2H1z"/></svg>'
LABELLED = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9" role="img" aria-label="A mark"><path d="M0 0h9v9z"/></svg>'


def test_blocking_stylesheets_are_the_ones_a_first_paint_waits_for():
    page = ('<link rel="stylesheet" href="a.css"><link rel="stylesheet" href="b.css" media="print">'
            '<noscript><link rel="stylesheet" href="c.css"></noscript><link rel="preload" href="d.css" as="style">'
            '<link rel="stylesheet" href="e.css" media="screen">')
    assert blocking_stylesheets(page) == ["a.css", "e.css"]


def test_precompressed_copies_match_their_files_and_are_reproducible(tmp_path):
    (tmp_path / "page.html").write_text("<p>safe</p>" * 100, encoding="utf-8")
    (tmp_path / "tiny.css").write_text("a{b:c}", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG" * 200)
    (tmp_path / "_headers").write_text("/*\n  X: y\n" * 50, encoding="utf-8")
    assert precompress(tmp_path) == 1
    first = {suffix: (tmp_path / f"page.html{suffix}").read_bytes() for suffix in (".gz", ".br")}
    assert gzip.decompress(first[".gz"]) == (tmp_path / "page.html").read_bytes()
    assert brotli.decompress(first[".br"]) == (tmp_path / "page.html").read_bytes()
    assert not any((tmp_path / f"{name}{suffix}").exists()
                   for name in ("tiny.css", "photo.png", "_headers") for suffix in (".gz", ".br"))
    stemmer = tmp_path / "assets" / "javascripts" / "lunr" / "min" / "lunr.de.min.js"
    stemmer.parent.mkdir(parents=True)
    stemmer.write_text("var a = 1;\n" * 100, encoding="utf-8")
    assert precompress(tmp_path) == 1, "only the new file"
    assert stemmer.with_name(stemmer.name + ".gz").is_file() and not stemmer.with_name(stemmer.name + ".br").exists()
    for suffix in first:
        (tmp_path / f"page.html{suffix}").unlink()
    precompress(tmp_path)
    assert {suffix: (tmp_path / f"page.html{suffix}").read_bytes() for suffix in first} == first


@pytest.mark.parametrize("asks, suffix", [("gzip, deflate, br", ".br"), ("gzip", ".gz")])
def test_nginx_sends_the_copy_the_browser_asks_for(site_dir, nginx_url, asks, suffix):
    page = fetch(nginx_url + "what-it-is/", accept_encoding=asks)
    assert page.header("Content-Encoding") == suffix.strip(".").replace("gz", "gzip")
    assert page.body == (site_dir / "what-it-is" / f"index.html{suffix}").read_bytes()
    assert page.header("Vary") == "Accept-Encoding", "a shared cache keeps the two copies apart"
    assert page.header("Last-Modified") and page.header("ETag") is None, "one validator, fewer bytes"
    assert decoded(page) == (site_dir / "what-it-is" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("client", ["br", "gzip"])
def test_every_page_paints_from_its_html_response_precompressed_with_lean_headers(site_dir, nginx_url, client):
    """No page waits for a stylesheet: the critical CSS is in the HTML, and so is the home page's
    and embed views' own (pages/lean_assets.py). For a Brotli client every page's HTML response,
    headers included, fits one round trip (14,600 bytes); a gzip-only client's figures are
    printed (the bench reports them)."""
    problems, figures = [], {}
    for rel, path in [*article_pages(site_dir).items(), ("404.html", site_dir / "404.html")]:
        address = "no-such-page/" if rel == "404.html" else rel
        page = fetch(nginx_url + address, accept_encoding=ENCODINGS[client])
        copy = path.with_name(path.name + (".br" if client == "br" else ".gz"))
        if page.body != copy.read_bytes():
            problems.append(f"/{rel}: not the build's {client} copy")
        if page.header("Content-Security-Policy") is None or page.header("Permissions-Policy") is None:
            problems.append(f"/{rel}: a page lacks its policies")
        sheets = blocking_stylesheets(decoded(page))
        if sheets:
            problems.append(f"/{rel}: blocking stylesheets {sheets}")
        if not html.parse(decoded(page)).css_first("head > style"):
            problems.append(f"/{rel}: no <style> with the critical CSS")
        figure = first_paint(nginx_url + address, ENCODINGS[client]) if rel != "404.html" \
            else FirstPaint(nginx_url + address, page.wire, {}, ENCODINGS[client])
        figures[rel] = figure
        if client == "br" and figure.total > ONE_ROUND_TRIP:
            problems.append(f"/{rel}: first paint {figure.total:,} bytes, over {ONE_ROUND_TRIP:,}")
    print(f"{client}: " + ", ".join(f"/{rel} {figure.total:,}" for rel, figure in figures.items()))
    assert len(figures) > 20 and not problems, "\n".join(problems)


def test_the_deferred_sheet_comes_precompressed_without_document_headers(site_dir, nginx_url):
    page = fetch(nginx_url + "what-it-is/")
    hrefs = {link.attributes["href"] for link in html.parse(decoded(page)).css("link[data-lean-deferred]")}
    assert len(hrefs) == 1
    problems = []
    for href in hrefs:
        name = href.rsplit("/", 1)[-1]
        sheet = fetch(nginx_url + "assets/stylesheets/" + name)
        if sheet.body != (site_dir / "assets" / "stylesheets" / f"{name}.br").read_bytes():
            problems.append(f"{name}: not the build's Brotli copy")
        for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
            if sheet.header(header) is not None:
                problems.append(f"{name}: carries {header}, which only documents use")
        if sheet.header("X-Content-Type-Options") != "nosniff" or sheet.header("Cache-Control") is None:
            problems.append(f"{name}: lost its common or cache headers")
    assert not problems, "\n".join(problems)


def test_a_page_that_links_a_blocking_sheet_is_counted_with_it(tmp_path):
    """first_paint stays right for a page that waits for stylesheets (default Material's)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="../s.css"><link rel="stylesheet" href="../p.css" '
        'media="print"></head><body><p>x</p></body></html>', encoding="utf-8")
    (tmp_path / "b.html").write_text("<!doctype html><html><head><style>p{}</style></head><body></body></html>",
                                     encoding="utf-8")
    (tmp_path / "s.css").write_text("p{color:red}" * 50, encoding="utf-8")
    (tmp_path / "p.css").write_text("p{color:blue}", encoding="utf-8")
    with serve(tmp_path) as url:
        figure = first_paint(url + "a/", accept_encoding=GZIP_ONLY)
        sheet = fetch(url + "s.css", accept_encoding=GZIP_ONLY)
        alone = first_paint(url + "b.html")
    assert list(figure.stylesheets) == ["../s.css"] and figure.requests == 2 and not figure.one_round_trip
    assert figure.total == figure.html + sheet.wire and figure.later_page == figure.html
    assert alone.stylesheets == {} and alone.total == alone.html == alone.later_page and alone.one_round_trip


# --- the icon sprite ------------------------------------------------------------------------------

def _page(base: str, body: str) -> str:
    return (f'<!doctype html><html><head><link rel="stylesheet" href="{base}assets/stylesheets/a.css">'
            f"</head><body>{body}</body></html>")


def test_icons_leave_every_page_for_one_sprite_each_page_can_reach(tmp_path):
    pages = {"index.html": _page("", ICON + OTHER_ICON + LABELLED), "deep/page/index.html": _page("../../", ICON),
             "404.html": _page("/guide/", ICON)}
    _taken, sprite = write_like_the_build(tmp_path, pages, folded=[])
    assert re.fullmatch(r"assets/images/icons\.[0-9a-f]{10}\.svg", sprite)
    symbols = {s["id"]: s for s in BeautifulSoup((tmp_path / sprite).read_text(), "html.parser").find_all("symbol")}
    assert len(symbols) == 2 and all(s["viewbox"] == "0 0 24 24" for s in symbols.values())
    for rel, address in (("index.html", "/guide/"), ("deep/page/index.html", "/guide/deep/page/"),
                         ("404.html", "/guide/no-such/")):
        written = (tmp_path / rel).read_text()
        assert SPRITE_PLACEHOLDER not in written
        page = BeautifulSoup(written, "html.parser")
        for use in page.find_all("use"):
            target = urlsplit(urljoin(address, use["href"]))
            assert target.path == "/guide/" + sprite and target.fragment in symbols, (rel, use["href"])
            assert use.parent.name == "svg" and use.parent["viewbox"] == "0 0 24 24"
    home = BeautifulSoup((tmp_path / "index.html").read_text(), "html.parser")
    labelled = home.find("svg", attrs={"aria-label": "A mark"})
    assert labelled.find("path") is not None and labelled.find("use") is None, "an icon with its own label stays inline"
    assert len(home.find_all("use")) == 2
    again, _ = write_like_the_build(tmp_path / "again", {"index.html": (tmp_path / "index.html").read_text()}, folded=[])
    assert again.icons == {}, "nothing left to move"


def test_the_built_icons_all_point_into_the_sprite(site_dir, built_pages):
    sprites = list((site_dir / "assets" / "images").glob("icons.*.svg"))
    assert len(sprites) == 1
    symbols = {s["id"] for s in BeautifulSoup(sprites[0].read_text(), "html.parser").find_all("symbol")}
    uses = 0
    for path in built_pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        # Embed views draw from a sprite inside the page (a sandboxed frame refuses the file).
        inline = {s["id"] for s in page.select("div.fs-icons > svg > symbol")}
        for svg in page.find_all("svg"):
            assert svg.find("use") or svg.get("role") or svg.get("class") or svg.get("id") \
                or svg.find_parent("div", class_="fs-icons"), f"{path}: an icon left inline"
        for use in page.find_all("use"):
            file, _, key = use["href"].partition("#")
            assert (file.endswith(sprites[0].name) and key in symbols) or (not file and key in inline), use["href"]
            uses += 1
    assert uses > 5 * len(built_pages) / 2


