"""The site's nav: the guide's in full on every page; a big guide's pruned to the reader's section
(feeling_safe/plugin/material.py)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from feeling_safe.plugin.config import FeelingSafeConfig
from feeling_safe.plugin.material import PRUNE, features_for_nav
from sitebuild import built, mkdocs_build, nav_sources, site_config, soup, with_plugin, write_page


def nav_sections(page) -> dict[str, list[str]]:
    """Each top-level section of the page's primary nav: its title, and the links listed inside it
    (none when the section is pruned to one link)."""
    nav = page.select_one("nav.md-nav--primary > ul.md-nav__list")
    sections = {}
    for item in nav.find_all("li", recursive=False):
        classes = item.get("class", [])
        if "md-nav__item--nested" in classes and "md-nav__item--pruned" not in classes:
            title = " ".join(item.select_one(".md-nav__link").get_text(" ").split())
            sections[title] = [a["href"] for a in item.select("nav.md-nav a.md-nav__link")]
    return sections


def test_the_guide_lists_every_section_in_full_on_every_page(site_dir):
    nav = site_config()["nav"]
    sections = {title: len(nav_sources(pages)) for entry in nav for title, pages in entry.items()
                if isinstance(pages, list)}
    assert len(sections) > 3
    for source in ("index.md", "complaints.md", "glossary.md"):
        listed = nav_sections(soup(built(site_dir, source)))
        assert {title: len(links) for title, links in listed.items()} == sections, source


def test_a_nav_past_its_limit_is_pruned_and_others_are_not():
    limit = FeelingSafeConfig.prune_nav_over.default
    settings = SimpleNamespace(prune_nav_over=limit, presentation=True)
    assert features_for_nav(["navigation.footer"], limit, settings) == ["navigation.footer"]
    assert features_for_nav(["navigation.footer"], limit + 1, settings) == ["navigation.footer", PRUNE]
    assert features_for_nav([PRUNE], limit + 1, settings) == [PRUNE]
    assert features_for_nav(None, limit + 1, settings) == [PRUNE]
    baseline = SimpleNamespace(prune_nav_over=limit, presentation=False)  # the bench's plain Material
    assert features_for_nav(["navigation.footer"], limit + 1, baseline) == ["navigation.footer"]


@pytest.fixture(scope="module")
def pruned_site(tmp_path_factory):
    """A small guide of two sections, built with a nav limit below its size."""
    docs = tmp_path_factory.mktemp("pruned") / "docs"
    write_page(docs, "index.md", "# Home\n\nWelcome.")
    for section, names in (("first", ("one", "two")), ("second", ("three", "four"))):
        for name in names:
            write_page(docs, f"{section}/{name}.md", f"# Page {name}\n\nText of {name}.")
    nav = [{"Home": "index.md"},
           {"First": ["first/one.md", "first/two.md"]},
           {"Second": ["second/three.md", "second/four.md"]}]
    site = docs.parent / "site"
    result = mkdocs_build(site, {"docs_dir": str(docs), "nav": nav, **with_plugin(prune_nav_over=3, embeds=False)})
    assert result.returncode == 0, result.stderr
    return site


def test_a_pruned_nav_lists_the_reader_s_section_and_links_to_the_others(pruned_site):
    page = soup(pruned_site / "first" / "two" / "index.html")
    assert nav_sections(page) == {"First": ["../one/", "./"]}
    pruned = page.select("nav.md-nav--primary li.md-nav__item--pruned")
    assert [(" ".join(li.get_text(" ").split()), li.select_one("a")["href"]) for li in pruned] == \
        [("Second", "../../second/three/")]
