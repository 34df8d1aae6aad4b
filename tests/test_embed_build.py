"""The built embed views, the JSON API, oEmbed and embed.js (issue 5)."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from feeling_safe.content.frontmatter import split_page as split_front_matter
from feeling_safe.publishing.embed import embeddable, slug_of
from prebuild import recipe
from sitebuild import ROOT, built, fixture_config, html_pages, mkdocs_build, mkdocs_build_process, soup, with_plugin, write_page

DOCS = ROOT / "docs"
PAGES = {p.relative_to(DOCS).as_posix(): split_front_matter(p.read_text(encoding="utf-8"))[0]
         for p in sorted(DOCS.rglob("*.md"))}
EMBEDDABLE = sorted(slug_of(src) for src, meta in PAGES.items() if embeddable(meta))
NOT_EMBEDDABLE = sorted(slug_of(src) for src, meta in PAGES.items() if not embeddable(meta))
SCHEMAS = {p.name: json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.schema.json")}


def _full(site_dir: Path, slug: str) -> Path:
    return built(site_dir, f"{slug}.md")


def _embed(site_dir: Path, slug: str) -> Path:
    return site_dir / "embed" / slug / "index.html"


@pytest.fixture(scope="module")
def feed(site_dir) -> dict:
    return json.loads((site_dir / "api/v1/pages.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site_url(feed) -> str:
    return feed["site_url"]


def test_there_are_pages_to_embed():
    assert len(EMBEDDABLE) >= 3 and NOT_EMBEDDABLE


@pytest.mark.parametrize("slug", EMBEDDABLE)
def test_embed_view_is_the_article_alone(site_dir, slug):
    doc = soup(_embed(site_dir, slug))
    assert not doc.select("header, .md-header, nav, .md-nav, .md-tabs, .md-sidebar, .md-search, "
                          "[data-md-component=search], .md-footer, footer.md-footer")
    embed_h1 = doc.select(".fs-embed article h1")
    full = soup(_full(site_dir, slug))
    assert [h.get_text(strip=True) for h in embed_h1] == [full.select_one("article h1").get_text(strip=True)]
    sections = [h.get_text() for h in doc.select("article h2")]
    full_sections = [h.get_text() for h in full.select("article h2")]
    # The same article; only the reading path's "next step" (site navigation) stays behind.
    assert set(sections) <= set(full_sections) and len(sections) >= len(full_sections) - 1 >= 1
    scripts = [s.get("src", "") for s in doc.find_all("script")]
    assert not [s for s in scripts if "bundle." in s or "lean.js" in s], "Material's bundle stays out"
    assert [s for s in scripts if s.endswith("assets/javascripts/embed-frame.js")]


@pytest.mark.parametrize("slug", EMBEDDABLE)
def test_embed_view_points_search_engines_at_the_full_page(site_dir, site_url, slug):
    doc = soup(_embed(site_dir, slug))
    assert [c["href"] for c in doc.find_all("link", rel="canonical")] == [urljoin(site_url, f"{slug}/")]
    robots = doc.find("meta", attrs={"name": "robots"})
    assert robots is not None and "noindex" in robots["content"]
    assert not doc.find("link", type="application/json+oembed")


@pytest.mark.parametrize("slug", EMBEDDABLE)
def test_embed_view_credits_the_guide_and_keeps_the_get_help_line(site_dir, site_url, feed, slug):
    doc = soup(_embed(site_dir, slug))
    attribution = doc.select_one(".fs-embed__attribution")
    site_name = feed["site_name"]
    assert attribution is not None and f"From {site_name}" in " ".join(attribution.get_text().split())
    assert attribution.a["href"] == urljoin(site_url, f"{slug}/")
    assert attribution.time["datetime"] == str(PAGES[f"{slug}.md"]["last_reviewed"])
    full_help = soup(_full(site_dir, slug)).select_one("[data-md-component=announce]")
    embed_help = doc.select_one("[data-md-component=announce]")
    assert full_help.get_text(strip=True), "the full page has a get-help line"
    assert embed_help is not None and embed_help.get_text(" ", strip=True) == full_help.get_text(" ", strip=True)


@pytest.mark.parametrize("slug", EMBEDDABLE)
def test_links_in_an_embed_view_leave_the_frame(site_dir, site_url, slug):
    bad = []
    for link in soup(_embed(site_dir, slug)).select("a[href]"):
        href = link["href"]
        if href.startswith("#"):
            continue  # a place on the same page: stays in the frame
        if not urlsplit(href).scheme or link.get("target") not in ("_top", "_blank"):
            bad.append(f"{href} target={link.get('target')}")
        elif href.startswith(site_url) and urlsplit(href).path.startswith("/embed/"):
            bad.append(f"{href} opens another embed view")
    assert not bad, f"embed/{slug}/: links that would open inside the frame:\n" + "\n".join(bad)


def test_embed_views_are_left_out_of_search_and_the_sitemap(site_dir):
    index = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("embed/")]
    assert [d for d in index["docs"] if d["location"].startswith("what-it-is/")], "full pages stay searchable"
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "/embed/" not in sitemap and "/what-it-is/" in sitemap


def test_only_embeddable_pages_have_an_embed_view(site_dir):
    assert sorted(p.name for p in (site_dir / "embed").iterdir()) == EMBEDDABLE


def test_embed_views_use_no_outside_svg_document(site_dir):
    """An SVG `<use>` of another file (the icon sprite) in a cross-origin frame off screen can hold
    the frame's load event, and with it the host page's, on a busy machine (Chromium never finishes
    the referenced document while it throttles the frame): an embed view references none."""
    outside = {}
    for slug in EMBEDDABLE:
        hrefs = [use.get("href") or use.get("xlink:href") or "" for use in soup(_embed(site_dir, slug)).select("use")]
        outside[slug] = [href for href in hrefs if not href.startswith("#")]
    assert not any(outside.values()), {slug: hrefs for slug, hrefs in outside.items() if hrefs}
    full = [use.get("href") for use in soup(_full(site_dir, EMBEDDABLE[0])).select("use")]
    for slug in EMBEDDABLE:   # each icon drawn from a symbol of the page's own sprite (pages/icon_sprite.py)
        tree = soup(_embed(site_dir, slug))
        uses = tree.select("use")
        assert uses, f"embed/{slug}/: its icons are inline"
        symbols = {s.get("id") for s in tree.select("div.fs-icons[hidden] > svg > symbol")}
        missing = [u["href"] for u in uses if u["href"][1:] not in symbols]
        assert not missing, f"embed/{slug}/: no symbol for {missing}"
        assert len(tree.select(".fs-icons")) == 1 and tree.body.contents[0].name == "div"
    assert any(href and not href.startswith("#") for href in full), "full pages still use the sprite (the probe sees it)"


@pytest.mark.parametrize("slug", EMBEDDABLE + NOT_EMBEDDABLE)
def test_full_pages_advertise_oembed_only_when_they_have_an_embed_view(site_dir, site_url, slug):
    links = soup(_full(site_dir, slug)).find_all("link", rel="alternate", type="application/json+oembed")
    if slug in EMBEDDABLE:
        assert [(link["href"], bool(link.get("title"))) for link in links] == [
            (urljoin(site_url, f"api/v1/oembed/{slug}.json"), True)]
    else:
        assert links == []


def _validator(name: str) -> Draft202012Validator:
    registry = Registry().with_resources(
        [(schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()])
    Draft202012Validator.check_schema(SCHEMAS[name])
    return Draft202012Validator(SCHEMAS[name], registry=registry, format_checker=FormatChecker())


def _api_files(site_dir: Path, folder: str) -> list[Path]:
    return sorted((site_dir / "api/v1" / folder).glob("*.json"))


def test_feed_matches_its_schema_and_lists_every_page_once(site_dir, feed):
    errors = [e.message for e in _validator("pages.schema.json").iter_errors(feed)]
    assert not errors, errors
    assert sorted(p["slug"] for p in feed["pages"]) == sorted(EMBEDDABLE + NOT_EMBEDDABLE)
    assert feed["pages"][0]["slug"] == "index", "reading-path order, home first"


def test_each_feed_address_is_a_built_file(site_dir, feed, site_url):
    missing = []
    for page in feed["pages"]:
        for key in ("url", "embed_url", "oembed_url"):
            url = page[key]
            if url is None:
                assert key != "url" and page["slug"] in NOT_EMBEDDABLE
                continue
            assert url.startswith(site_url)
            path = site_dir / url[len(site_url):]
            if not path.suffix:
                path = path / "index.html"
            if not path.is_file():
                missing.append(url)
    assert not missing


def test_every_page_document_matches_its_schema_and_the_feed(site_dir, feed):
    validator = _validator("page.schema.json")
    files = _api_files(site_dir, "pages")
    assert sorted(p.stem for p in files) == sorted(p["slug"] for p in feed["pages"])
    by_slug = {p["slug"]: p for p in feed["pages"]}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"
        assert {k: v for k, v in data.items() if k != "html"} == by_slug[path.stem]


@pytest.mark.parametrize("slug", EMBEDDABLE + NOT_EMBEDDABLE)
def test_page_html_is_a_clean_fragment_with_absolute_links(site_dir, site_url, slug):
    data = json.loads((site_dir / f"api/v1/pages/{slug}.json").read_text(encoding="utf-8"))
    doc = BeautifulSoup(data["html"], "html.parser")
    assert doc.find("h1") is not None
    assert not doc.find_all(["script", "style", "header", "nav"]) and not doc.select(".headerlink")
    assert not [t.name for t in doc.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    relative = [u for t in doc.find_all(True) for a in ("href", "src") if (u := t.get(a))
                and not u.startswith("#") and not urlsplit(u).scheme]
    assert not relative, f"{slug}: relative addresses {relative}"


def test_oembed_responses_match_the_schema_and_embed_the_page(site_dir, site_url, feed):
    validator = _validator("oembed.schema.json")
    files = _api_files(site_dir, "oembed")
    assert sorted(p.stem for p in files) == EMBEDDABLE
    titles = {p["slug"]: p["title"] for p in feed["pages"]}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"
        snippet = BeautifulSoup(data["html"], "html.parser")
        assert snippet.iframe["src"] == urljoin(site_url, f"embed/{path.stem}/")
        assert snippet.script["src"] == urljoin(site_url, "embed.js")
        assert data["title"] == titles[path.stem] and data["provider_url"] == site_url


def test_embed_script_is_small(site_dir):
    script = (site_dir / "embed.js").read_bytes()
    assert len(gzip.compress(script, compresslevel=9, mtime=0)) <= 2048


def test_picker_page_works_without_javascript(site_dir, site_url):
    page = site_dir / "embed-this-guide/index.html"
    doc = soup(page)
    picker = doc.select_one(".fs-embed-picker")
    assert picker.select_one("form")["hidden"] is not None
    shown = BeautifulSoup(picker.select_one("pre code").get_text(), "html.parser")
    assert shown.iframe["src"] in {urljoin(site_url, f"embed/{slug}/") for slug in EMBEDDABLE}
    assert shown.script["src"] == urljoin(site_url, "embed.js")
    preview = picker.select_one("iframe.fs-embed-picker__preview")
    assert (page.parent / preview["src"] / "index.html").resolve().is_file()
    assert len(picker.select("details li")) == len(EMBEDDABLE)


@recipe("site_without_embeds")
def _build_site_without_embeds(out: Path) -> Path:
    result = mkdocs_build_process(out, with_plugin(embeds=False))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def site_without_embeds(prebuilds) -> Path:
    return prebuilds.result("site_without_embeds")


def test_embeds_can_be_turned_off(site_without_embeds):
    site = site_without_embeds
    assert not (site / "embed").exists() and not (site / "api").exists()
    assert not (site / "embed.js").exists()
    assert not [p for p in html_pages(site) if soup(p).find("link", type="application/json+oembed")]
    assert not (site / "embed-this-guide").exists(), "the picker page goes too (feeling_safe/content/scope.py)"
    assert not [p for p in html_pages(site) if soup(p).find("a", href=re.compile("embed-this-guide"))]


def test_a_bad_embeds_switch_fails_the_build_naming_it(tmp_path):
    result = mkdocs_build(tmp_path / "out", with_plugin(embeds="yes"))
    assert result.returncode != 0 and "'embeds'" in result.stderr


def test_unknown_shortcodes_fail_the_build_once_naming_every_file(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\n<!-- embed:pickr -->")
    write_page(docs_tree, "other.md", "# Other\n\n<!-- embed:picker -->\n\n<!-- embed:list -->")
    result = mkdocs_build(tmp_path / "out", fixture_config(docs_tree))
    assert result.returncode != 0
    assert "docs/index.md: unknown shortcode embed:pickr" in result.stderr
    assert "docs/other.md: unknown shortcode embed:list" in result.stderr
