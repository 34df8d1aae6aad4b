"""A page's first paint on the wire, through nginx with deploy/nginx/site.conf (scripts/first_paint.py).

The per-page figure against one round trip (14,600 bytes) is in `make bench`.
"""
from __future__ import annotations

import gzip

from scripts.bench import article_pages
from scripts.first_paint import blocking_stylesheets, decoded, fetch, first_paint
from scripts.precompress import precompress


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
    first = (tmp_path / "page.html.gz").read_bytes()
    assert gzip.decompress(first) == (tmp_path / "page.html").read_bytes()
    assert not any((tmp_path / name).exists() for name in ("tiny.css.gz", "photo.png.gz", "_headers.gz"))
    (tmp_path / "page.html.gz").unlink()
    precompress(tmp_path)
    assert (tmp_path / "page.html.gz").read_bytes() == first


def test_pages_and_their_blocking_css_come_precompressed_with_lean_headers(site_dir, nginx_url):
    problems, sheets = [], set()
    for rel, path in article_pages(site_dir).items():
        page = fetch(nginx_url + rel)
        if page.body != path.with_name("index.html.gz").read_bytes():
            problems.append(f"/{rel}: not the build's gzip -9 copy")
        if page.header("Content-Security-Policy") is None or page.header("Permissions-Policy") is None:
            problems.append(f"/{rel}: a page lacks its policies")
        figure = first_paint(nginx_url + rel)
        assert figure.html == page.wire and figure.stylesheets, rel
        sheets.update(blocking_stylesheets(decoded(page)))
    for href in {h.rsplit("/", 1)[-1] for h in sheets}:
        sheet = fetch(nginx_url + "assets/stylesheets/" + href)
        on_disk = site_dir / "assets" / "stylesheets" / f"{href}.gz"
        if sheet.body != on_disk.read_bytes():
            problems.append(f"{href}: not the build's gzip -9 copy")
        for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
            if sheet.header(name) is not None:
                problems.append(f"{href}: carries {name}, which only documents use")
        if sheet.header("X-Content-Type-Options") != "nosniff" or sheet.header("Cache-Control") is None:
            problems.append(f"{href}: lost its common or cache headers")
    assert sheets and not problems, "\n".join(problems)
