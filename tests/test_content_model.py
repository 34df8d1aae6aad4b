"""The content model, end to end: small fixture docs trees built with the real plugin.

Each broken tree must fail the strict build with one message that names the
file and the field; several broken files fail once, listing all of them.
"""
from __future__ import annotations

import pytest

from sitebuild import fixture_config, mkdocs_build, soup, write_page

GOOD_BODY = "# A fixture page\n\nSome text for the fixture page."

BROKEN = {
    "missing title": ({"title": None}, GOOD_BODY, ["docs/broken.md: title: required field is missing"]),
    "bad date": ({"last_reviewed": "26/11/2026"}, GOOD_BODY,
                 ["docs/broken.md", "last_reviewed", "not a date", "YYYY-MM-DD"]),
    "description too long": ({"description": "x" * 172}, GOOD_BODY,
                             ["docs/broken.md: description: is too long (172 characters)", "between 50 and 160"]),
    "unknown field": ({"descripton": "typo"}, GOOD_BODY,
                      ["docs/broken.md: descripton: unknown field", "did you mean 'description'"]),
    "review before last check": ({"next_review": "2025-01-01"}, GOOD_BODY,
                                 ["docs/broken.md: next_review: 2025-01-01 is not after last_reviewed"]),
    "unknown kind": ({"kind": "essay"}, GOOD_BODY, ["docs/broken.md: kind: 'essay' is not one of"]),
    "unknown citation key": ({}, GOOD_BODY + " A claim [@no-such-source-2020].",
                             ["docs/broken.md", "unknown citation key 'no-such-source-2020'"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_page_fails_the_build_naming_file_and_field(case, docs_tree, tmp_path):
    meta, body, expected = BROKEN[case]
    write_page(docs_tree, "index.md", GOOD_BODY)
    write_page(docs_tree, "broken.md", body, **meta)
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree))
    assert result.returncode != 0
    for words in expected:
        assert words in result.stderr, result.stderr


def test_several_bad_files_fail_once_listing_all(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", GOOD_BODY)
    write_page(docs_tree, "one.md", GOOD_BODY, title=None)
    write_page(docs_tree, "two.md", GOOD_BODY, description="Too short.")
    write_page(docs_tree, "three.md", GOOD_BODY, next_review="soon", colour="blue")
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree))
    assert result.returncode != 0
    assert result.stderr.count("Front matter problems") == 1
    for line in ("docs/one.md: title: required field is missing",
                 "docs/two.md: description: 'Too short.' is too short (10 characters)",
                 "docs/three.md: next_review: 'soon' is not a date",
                 "docs/three.md: colour: unknown field"):
        assert line in result.stderr, result.stderr


def test_overdue_review_warns_but_does_not_fail_the_build(docs_tree, tmp_path):
    """Decision: an overdue review is still valid content, so the strict build passes with a warning."""
    write_page(docs_tree, "index.md", GOOD_BODY)
    write_page(docs_tree, "old.md", GOOD_BODY, last_reviewed="2020-01-01", next_review="2020-06-01")
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree), env={"FST_TODAY": "2021-01-01"})
    assert result.returncode == 0, result.stderr
    assert "REVIEW DUE -  docs/old.md: next_review was 2020-06-01" in result.stderr
    assert "docs/index.md" not in result.stderr.split("REVIEW DUE")[-1]


def test_a_malformed_fst_today_fails_the_build_with_one_line_naming_it(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", GOOD_BODY)
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree), env={"FST_TODAY": "tomorrow"})
    assert result.returncode != 0
    assert "FST_TODAY is 'tomorrow'; write it as YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_fixture_tree_renders_citations_next_step_and_meta(docs_tree, tmp_path):
    """A valid tree: citations link to Sources, the first page points on, `covers` shows under the H1."""
    write_page(docs_tree, "index.md", "# A fixture page\n\nIntro `[@not-a-key]` stays code.",
               title="Home", description="The fixture home page, which is long enough to pass the check.")
    write_page(docs_tree, "next.md", "# Next\n\nAlliance matters [@fluckiger-2018; @bordin-1979].",
               title="Next", covers="This page talks about a fixture, calmly.")
    site = tmp_path / "site"
    result = mkdocs_build(site, fixture_config(docs_tree))
    assert result.returncode == 0, result.stderr
    home = soup(site / "index.html").select_one("article")
    assert home.find("code").get_text() == "[@not-a-key]"
    assert home.select_one("#next-step + p a")["href"] == "next/"
    page = soup(site / "next" / "index.html").select_one("article")
    links = [a["href"] for a in page.select("p a[href^='#source-']")]
    assert links == ["#source-fluckiger-2018", "#source-bordin-1979"]
    assert [li["id"] for li in page.select("#sources + ol li")] == ["source-fluckiger-2018", "source-bordin-1979"]
    assert page.select_one("h1 + p.fst-covers").get_text() == "This page talks about a fixture, calmly."
    assert "min read" in page.select_one("p.fst-covers + p.fst-page-meta").get_text()


def test_a_page_left_out_of_the_nav_fails_the_build_naming_it(docs_tree, tmp_path):
    """The nav is the reading path: a page outside it would be unreachable by prev/next."""
    write_page(docs_tree, "index.md", GOOD_BODY)
    write_page(docs_tree, "orphan.md", GOOD_BODY)
    result = mkdocs_build(tmp_path / "site", {**fixture_config(docs_tree), "nav": ["index.md"]})
    assert result.returncode != 0
    assert "orphan.md" in result.stderr, result.stderr


def test_content_problems_of_every_kind_fail_once_together(docs_tree, tmp_path):
    """Front matter, citations and shortcodes are checked together: one failure names them all."""
    write_page(docs_tree, "index.md", GOOD_BODY + " [@no-such-key-1999]")
    write_page(docs_tree, "two.md", GOOD_BODY + "\n\n<!-- embed:pickr -->", title=None)
    result = mkdocs_build(tmp_path / "site", fixture_config(docs_tree))
    assert result.returncode != 0
    for line in ("docs/two.md: title: required field is missing", "docs/index.md: unknown citation key 'no-such-key-1999'",
                 "docs/two.md: unknown shortcode embed:pickr"):
        assert line in result.stderr, result.stderr
    assert result.stderr.count("ERROR") == 1, result.stderr


@pytest.mark.parametrize("site_url", ["https://example.org/guide/../x/", "https://user@example.org/",
                                      "https://example.org/?x=1", "https://example.org/a%20b/"])
def test_a_site_url_a_header_rule_would_misread_fails_the_build(docs_tree, tmp_path, site_url):
    """A folder is fine (tests/test_subpath.py builds one); user info, a query or an odd folder is not."""
    write_page(docs_tree, "index.md", GOOD_BODY)
    result = mkdocs_build(tmp_path / "site", {**fixture_config(docs_tree), "site_url": site_url})
    assert result.returncode != 0 and "site_url" in result.stderr and "not the address of a site" in result.stderr, \
        result.stderr
