"""Every internal link and #anchor in the built site resolves.

Checked on the built HTML, independently of MkDocs' own link validation.
"""
from __future__ import annotations

from urllib.parse import unquote, urljoin, urlsplit

from sitebuild import page_url, soup

SITE = "http://site.test/"  # a stand-in origin to resolve relative URLs against


def _target(site_dir, url: str):
    """The built file a site URL points at, or None."""
    path = unquote(urlsplit(url).path).lstrip("/")
    candidate = site_dir / path
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _internal_links(site_dir, page):
    base = SITE + page_url(site_dir, page)
    doc = soup(page)
    for tag in doc.select("a[href], link[href]"):
        href = tag["href"]
        if href.startswith(("mailto:", "tel:", "sms:", "javascript:", "data:")):
            continue
        url = urljoin(base, href)
        if url.startswith(SITE):
            yield href, url


def test_the_site_has_pages(built_pages):
    assert len(built_pages) >= 2


def test_every_internal_link_and_anchor_resolves(site_dir, built_pages):
    broken = []
    for page in built_pages:
        if page.name == "404.html":
            continue  # served at any path; checked below
        for href, url in _internal_links(site_dir, page):
            target = _target(site_dir, url)
            if target is None:
                broken.append(f"{page_url(site_dir, page)}: {href} (no such file)")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix == ".html" and soup(target).find(id=fragment) is None \
                    and soup(target).find(attrs={"name": fragment}) is None:
                broken.append(f"{page_url(site_dir, page)}: {href} (no #{fragment})")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_404_page_links_resolve_from_the_site_root(site_dir):
    page = site_dir / "404.html"
    broken = [href for tag in soup(page).select("a[href], link[href]")
              if (href := tag["href"]).startswith("/") and _target(site_dir, href) is None]
    assert not broken
