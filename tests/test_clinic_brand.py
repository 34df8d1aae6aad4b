"""What a build leaves out (scripts/scope.py): pages for clinics stay out of a clinic's site
unless its file opts in, and a build without embeds has no trace of embedding: no page,
file, link or word, in pages, search, handouts or API."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from scripts import scope
from scripts.localserver import free_port, wait_for_port
from sitebuild import (ROOT, built, fixture_config, html_pages, mkdocs_build, nav_sources, site_config, soup,
                       with_plugin, write_page)
from test_clinic_config import example_data, write_clinic
from test_clinic_site import clinic_build

EMBED_WORD = re.compile(r"embed", re.IGNORECASE)
NAV = site_config()["nav"]


def _top_level(page) -> list[str]:
    """The primary nav's top-level entries, as a reader sees them (drawer or sidebar)."""
    items = page.select("nav.md-nav--primary > ul.md-nav__list > li")
    return [item.find(["a", "label"], recursive=False).get_text(" ", strip=True) for item in items]


def _section(page, title: str) -> list[str] | None:
    """The page titles under a top-level nav section, or None if the nav has no such section."""
    for item in page.select("nav.md-nav--primary > ul.md-nav__list > li.md-nav__item--nested"):
        if item.find("label", recursive=False).get_text(" ", strip=True) == title:
            return [a.get_text(" ", strip=True) for a in item.select("nav a.md-nav__link")]
    return None


@pytest.fixture(scope="module")
def private_clinic(tmp_path_factory) -> Path:
    """A clinic with `embeds: false` that still asks for the pages for clinics, with handouts."""
    folder = tmp_path_factory.mktemp("private")
    data = example_data()
    data.update(embeds=False, for_clinics=True)
    result = clinic_build(write_clinic(folder, data), folder / "out", handouts=True)
    assert result.returncode == 0, result.stderr
    return folder / "out"


@pytest.fixture(scope="module")
def clinic_for_clinics(tmp_path_factory) -> Path:
    """A clinic that opts in to the pages for clinics (`for_clinics: true`), embeds on."""
    folder = tmp_path_factory.mktemp("for-clinics")
    data = example_data()
    data["for_clinics"] = True
    result = clinic_build(write_clinic(folder, data), folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out"


# --- the rules, on plain values ----------------------------------------------------------------

def test_a_passage_is_kept_without_its_markers_or_dropped_whole():
    text = "Intro.\n\n<!-- for-clinics -->\nFor clinics.\n\n<!-- embeds -->\nEmbed it.\n<!-- /embeds -->\n<!-- /for-clinics -->\nEnd.\n"
    assert scope.keep_passages(text, {"for-clinics": True, "embeds": True}) == "Intro.\n\nFor clinics.\n\nEmbed it.\nEnd.\n"
    assert scope.keep_passages(text, {"for-clinics": True, "embeds": False}) == "Intro.\n\nFor clinics.\n\nEnd.\n"
    assert scope.keep_passages(text, {"for-clinics": False, "embeds": True}) == "Intro.\n\nEnd.\n"


def test_unmatched_markers_are_named_with_their_line():
    text = "<!-- embeds -->\nA\n<!-- /for-clinics -->\n\n<!-- embeds -->\n"
    problems = scope.marker_problems("docs/x.md", text, first_line=10)
    assert "docs/x.md:12: <!-- /for-clinics --> closes nothing" in problems[0]
    assert "docs/x.md:14: <!-- embeds --> opens again" in problems[1]
    assert "docs/x.md:10: <!-- embeds --> is never closed" in problems[2]
    assert scope.marker_problems("docs/x.md", "<!-- embeds -->\nA\n<!-- /embeds -->\n") == []


def test_pages_are_dropped_by_audience_and_by_embeds():
    pages = {"a.md": ({"kind": "clinic"}, "text"), "b.md": ({"kind": "reference"}, "<!-- embed:picker -->"),
             "c.md": ({"kind": "explainer"}, "text")}
    uses = lambda body: "embed:" in body  # noqa: E731
    assert scope.dropped_pages(pages, for_clinics=False, embeds=True, uses_embeds=uses) == {"a.md"}
    assert scope.dropped_pages(pages, for_clinics=True, embeds=False, uses_embeds=uses) == {"b.md"}
    assert scope.dropped_pages(pages, for_clinics=True, embeds=True, uses_embeds=uses) == set()


def test_the_nav_loses_dropped_pages_and_one_page_sections():
    embed_page = "embed-this-guide.md"
    assert scope.prune_nav(NAV, set()) == NAV
    pruned = scope.prune_nav(NAV, {embed_page}, clients_first={embed_page})
    assert embed_page not in nav_sources(pruned)
    assert {"Our commitments": "our-approach.md"} in pruned, "the one page left stands alone"
    assert not [item for item in pruned if "For clinics" in item]
    assert nav_sources(pruned) == [s for s in nav_sources(NAV) if s != embed_page], "reading order kept"
    kept = scope.prune_nav(NAV, set(), clients_first={embed_page})
    assert kept.index({"Our commitments": "our-approach.md"}) + 1 == kept.index({"For clinics": [{"Embed this guide": embed_page}]})


# --- the strict build still checks links ---------------------------------------------------------

def test_a_link_to_a_left_out_page_fails_the_strict_build(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\nSee [the clinic page](for-you.md).", title="Home")
    write_page(docs_tree, "for-you.md", "# For clinics\n\nHello.", title="For clinics", kind="clinic")
    result = mkdocs_build(tmp_path / "out", {**fixture_config(docs_tree), **with_plugin(for_clinics=False)})
    assert result.returncode != 0
    assert "for-you.md" in result.stderr and "not found" in result.stderr


def test_a_link_inside_its_marker_pair_goes_with_the_page(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\nHi.\n\n<!-- for-clinics -->\nSee [the clinic page](for-you.md).\n"
                                      "<!-- /for-clinics -->\n", title="Home")
    write_page(docs_tree, "for-you.md", "# For clinics\n\nHello.", title="For clinics", kind="clinic")
    out = tmp_path / "out"
    result = mkdocs_build(out, {**fixture_config(docs_tree), **with_plugin(for_clinics=False)})
    assert result.returncode == 0, result.stderr
    assert not (out / "for-you").exists()
    assert "clinic page" not in soup(out / "index.html").select_one("article").get_text()


def test_an_unclosed_marker_fails_the_build_naming_file_and_line(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\n<!-- embeds -->\nHi.\n", title="Home")
    result = mkdocs_build(tmp_path / "out", fixture_config(docs_tree))
    assert result.returncode != 0
    assert re.search(r"docs/index\.md:\d+: <!-- embeds --> is never closed", result.stderr), result.stderr


# --- clinic builds -----------------------------------------------------------------------------------

def test_a_clinic_that_opts_in_keeps_the_pages_for_clinics(clinic_for_clinics):
    page = soup(built(clinic_for_clinics, "index.md"))
    assert _section(page, "For clinics") == ["Embed this guide"]
    top = _top_level(page)
    assert top.index("Our commitments") + 1 == top.index("For clinics"), "commitments are for clients"
    assert built(clinic_for_clinics, "embed-this-guide.md").is_file()
    assert page.select_one("article").find("a", href=re.compile(r"embed-this-guide/$"))


def test_without_embeds_there_is_no_trace_of_embedding(private_clinic):
    site = private_clinic
    assert not [p for p in site.rglob("*") if EMBED_WORD.search(p.relative_to(site).as_posix())]
    assert not (site / "api").exists()
    pages = html_pages(site)
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not EMBED_WORD.search(text), f"{path}: {EMBED_WORD.search(text)}"
    for name in ("search/search_index.json", "sitemap.xml"):
        assert not EMBED_WORD.search((site / name).read_text(encoding="utf-8")), name
    page = soup(built(site, "index.md"))
    assert _section(page, "For clinics") is None and "Our commitments" in _top_level(page)


def test_without_embeds_no_handout_mentions_embedding(private_clinic):
    pdfs = sorted((private_clinic / "handouts").glob("*.pdf"))
    assert len(pdfs) > 10
    for pdf in pdfs:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
        assert text.strip() and not EMBED_WORD.search(text), pdf.name


# --- make clinic-serve -------------------------------------------------------------------------------

def soup_of(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "lxml")


def test_clinic_serve_shows_the_clinic_and_follows_edits_to_its_file(tmp_path):
    """`make clinic-serve` (scripts/serve.py --clinic): the clinic's site with live reload; an edit
    to the clinic file shows on the next rebuild, and nothing is written into the repository."""
    data = example_data()
    clinic_file = write_clinic(tmp_path, data)
    before = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=ROOT, capture_output=True, text=True).stdout
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "scripts.serve", "--clinic", str(clinic_file),
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, server, timeout=90)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert "livereload" in page
        assert soup_of(page).select_one(".md-header__topic").get_text(strip=True) == data["name"]
        data["name"] = "Quayside Therapy Rooms"
        clinic_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        deadline, topic = time.monotonic() + 60, ""
        while topic != data["name"] and time.monotonic() < deadline:
            time.sleep(1)
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
            topic = soup_of(page).select_one(".md-header__topic").get_text(strip=True)
        assert topic == data["name"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    after = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=ROOT, capture_output=True, text=True).stdout
    assert after == before, "clinic-serve wrote into the repository"
