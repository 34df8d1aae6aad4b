"""What search engines and link previews see, checked on the built HTML.

Pages are found from the build (the sitemap and the built files) and their
expected values from their own front matter, never typed here.
"""
from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from feeling_safe.content.frontmatter import read_front_matter
from feeling_safe.content.seo import SHARE_IMAGE, SHARE_IMAGE_SIZE, page_title, script_json
from sitebuild import ROOT, html_pages, page_url, plugin_options, site_config, soup

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE_URL = site_config()["site_url"]


def _source(url: str) -> Path:
    """`what-it-is/` -> docs/what-it-is.md; the home page is docs/index.md."""
    return ROOT / "docs" / (f"{url.strip('/')}.md" if url.strip("/") else "index.md")


@pytest.fixture(scope="module")
def sitemap(site_dir) -> dict[str, str]:
    """{loc: lastmod} from the built sitemap.xml."""
    root = ElementTree.parse(site_dir / "sitemap.xml").getroot()
    return {url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for url in root.findall("s:url", SITEMAP_NS)}


@pytest.fixture(scope="module")
def full_pages(site_dir) -> list[str]:
    """Site-relative URLs of every built page that has a source page (not embed views or 404)."""
    return [page_url(site_dir, p) for p in html_pages(site_dir) if _source(page_url(site_dir, p)).is_file()]


def _meta(doc, **attrs) -> str | None:
    tag = doc.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def _json_ld(doc) -> list[dict]:
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]


def test_sitemap_lists_every_canonical_page_once_with_its_review_date(site_dir, sitemap, full_pages):
    assert sorted(sitemap) == sorted(urljoin(SITE_URL, url) for url in full_pages)
    assert not [loc for loc in sitemap if "/embed/" in loc]
    for url in full_pages:
        assert sitemap[urljoin(SITE_URL, url)] == str(read_front_matter(_source(url))["last_reviewed"]), url


def test_robots_txt_names_the_sitemap_and_blocks_nothing(site_dir):
    lines = (site_dir / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {urljoin(SITE_URL, 'sitemap.xml')}" in lines
    assert "User-agent: *" in lines
    assert not [line for line in lines if line.lower().startswith("disallow:") and line.split(":", 1)[1].strip()]


def test_titles_and_descriptions_come_from_front_matter_and_are_unique(site_dir, full_pages):
    titles, descriptions = {}, {}
    for url in full_pages:
        meta = read_front_matter(_source(url))
        doc = soup(site_dir / url / "index.html")
        titles[url] = doc.title.string
        descriptions[url] = _meta(doc, name="description")
        assert titles[url] == page_title(meta["title"], site_config()["site_name"]), url
        assert descriptions[url] == meta["description"], url
    assert len(set(titles.values())) == len(full_pages), titles
    assert len(set(descriptions.values())) == len(full_pages), descriptions


def test_each_page_has_canonical_url_share_tags_and_json_ld(site_dir, full_pages):
    for url in full_pages:
        meta = read_front_matter(_source(url))
        doc = soup(site_dir / url / "index.html")
        canonical = urljoin(SITE_URL, url)
        assert doc.find("link", rel="canonical")["href"] == canonical, url
        assert _meta(doc, property="og:url") == canonical
        assert _meta(doc, property="og:title") == meta["title"]
        assert _meta(doc, property="og:description") == meta["description"]
        assert _meta(doc, property="og:type") == ("website" if url == "" else "article")
        assert _meta(doc, property="og:image") == urljoin(SITE_URL, SHARE_IMAGE)
        # The card type is X's own tag; for title, description and image it reads the og: tags.
        assert _meta(doc, name="twitter:card") == "summary_large_image"
        assert _meta(doc, property="og:image:alt") == _meta(doc, name="twitter:image:alt")
        (data,) = _json_ld(doc)
        assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
        assert (data["name"], data["description"], data["url"]) == (meta["title"], meta["description"], canonical)
        assert data["lastReviewed"] == str(meta["last_reviewed"])
        assert data["audience"]["@type"] == "MedicalAudience" and data["audience"]["audienceType"]
        assert data["about"] and data["isPartOf"]["url"] == SITE_URL
        assert "reviewedBy" not in data, "the unbranded guide has had no clinical review"
        assert not doc.find("meta", attrs={"name": "robots"}), f"{url} must stay indexable"


def test_share_image_is_ours_and_the_promised_size(site_dir):
    data = (site_dir / SHARE_IMAGE).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == SHARE_IMAGE_SIZE
    assert len(data) < 100_000


def test_embed_views_are_noindex_copies_that_point_at_their_page(site_dir):
    views = [p for p in html_pages(site_dir) if page_url(site_dir, p).startswith("embed/")]
    assert views
    for path in views:
        doc = soup(path)
        full = page_url(site_dir, path).removeprefix("embed/")
        assert _meta(doc, name="robots") == "noindex"
        assert doc.find("link", rel="canonical")["href"] == urljoin(SITE_URL, full)
        assert _json_ld(doc)[0]["url"] == urljoin(SITE_URL, full)


def test_json_ld_cannot_close_its_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"


def test_not_found_page_helps_the_reader_on(site_dir):
    doc = soup(site_dir / "404.html")
    assert doc.title.string == page_title("Page not found", site_config()["site_name"])
    assert _meta(doc, name="robots") == "noindex"
    article = doc.find("article")
    hrefs = [a["href"] for a in article.find_all("a")]
    get_help = urlsplit(SITE_URL).path + plugin_options()["get_help_page"].removesuffix(".md") + "/"
    assert get_help in hrefs, hrefs
    assert urlsplit(SITE_URL).path in hrefs, "a link to the home page"
    for href in hrefs:  # absolute paths: the page is served at any wrong address
        assert href.startswith("/") and (site_dir / href.lstrip("/") / "index.html").is_file(), href
    assert len(hrefs) > 10, "the reading path is listed"
