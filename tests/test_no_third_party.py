"""Nothing the site serves loads a resource from another host.

Pages: `src`, `srcset`, `poster`, `data` and every `<link href>` must stay on
our own origin (relative, or the site's own canonical host for canonical and
alternate links). Stylesheets: no `url()` or `@import` to another host.
Ordinary outbound `<a href>` links are allowed: following one is the reader's choice.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from sitebuild import page_url, soup

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""")
RESOURCE_ATTRS = ("src", "srcset", "poster", "data")


def _is_foreign(url: str, own_hosts: set[str]) -> bool:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme in ("", "data", "blob"):
        return False
    return parts.netloc not in own_hosts


@pytest.fixture(scope="module")
def own_hosts(site_dir):
    canonical = soup(site_dir / "index.html").find("link", rel="canonical")
    return {urlsplit(canonical["href"]).netloc} if canonical else set()


def test_pages_load_nothing_from_other_hosts(site_dir, built_pages, own_hosts):
    found = []
    for page in built_pages:
        doc = soup(page)
        for tag in doc.find_all(True):
            for attr in RESOURCE_ATTRS:
                for url in str(tag.get(attr, "")).split(","):
                    url = url.strip().split(" ")[0]
                    if url and _is_foreign(url, set()):
                        found.append(f"{page_url(site_dir, page)}: <{tag.name} {attr}={url}>")
            if tag.name == "link" and tag.get("href"):
                rel = set(tag.get("rel") or [])
                allowed = own_hosts if rel & {"canonical", "alternate"} else set()
                if _is_foreign(tag["href"], allowed):
                    found.append(f"{page_url(site_dir, page)}: <link rel={sorted(rel)} href={tag['href']}>")
        for style in doc.find_all("style"):
            found += [f"{page_url(site_dir, page)}: <style> {u}" for u in _css_urls(style.text) if _is_foreign(u, set())]
        for tag in doc.select("[style]"):
            found += [f"{page_url(site_dir, page)}: style= {u}" for u in _css_urls(tag["style"]) if _is_foreign(u, set())]
    assert not found, "third-party resources:\n" + "\n".join(found)


def _css_urls(css: str):
    for match in CSS_URL.finditer(css):
        yield match.group(1) or match.group(2)


def test_stylesheets_import_nothing_from_other_hosts(site_dir):
    sheets = sorted(site_dir.rglob("*.css"))
    assert sheets, "the build has no stylesheets"
    found = [f"{css.relative_to(site_dir)}: {url}" for css in sheets
             for url in _css_urls(css.read_text(encoding="utf-8", errors="replace"))
             if _is_foreign(url, set())]
    assert not found, "stylesheets loading from other hosts:\n" + "\n".join(found)


def test_the_checker_catches_a_third_party_font():
    """Guard against a checker that can never fail."""
    css = "@import url('https://fonts.googleapis.com/css?family=Roboto'); a{background:url(//cdn.example/x.png)}"
    assert [u for u in _css_urls(css) if _is_foreign(u, set())] == [
        "https://fonts.googleapis.com/css?family=Roboto", "//cdn.example/x.png"]
