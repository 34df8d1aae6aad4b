"""Every page prints cleanly: no site chrome, link addresses on paper, the
page's address and review date at the end, and explainers fit two A4 pages."""
from __future__ import annotations

import io

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader, PdfWriter

import test_clinic_brand  # noqa: F401 (its recipe makes the private_clinic build, conftest.py)
from feeling_safe.content.dates import human_date
from feeling_safe.publishing.handouts import HandoutError, print_page
from handout_sheets import pdf as handout_pdf
from handout_sheets import sheets_to_read
from sitebuild import ROOT, soup, url_of
from test_clinic_site import EXPLAINERS, SOURCES, _front_matter, built

SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
HIDDEN_ON_PAPER = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"]


@pytest.mark.parametrize("source", SOURCES)
def test_every_page_ends_with_its_address_and_review_date_for_paper(site_dir, source):
    page = soup(built(site_dir, source))
    meta = page.select_one(".fst-print-meta").get_text(" ", strip=True)
    assert SITE_URL + url_of(source) in meta
    assert human_date(_front_matter(ROOT / "docs" / source)["last_reviewed"]) in meta
    internal = page.select("article a[href$='/']:not([href^='http'])")
    assert all(link["data-print-url"].startswith(SITE_URL) for link in internal)


@pytest.mark.parametrize("source", ["index.md", "what-it-is.md", "self-check.md", "get-help-now.md",
                                    "embed-this-guide.md", "glossary.md"])
def test_printing_hides_the_site_chrome_and_shows_link_addresses(page, site_url, source):
    page.goto(site_url + url_of(source))
    page.emulate_media(media="print")
    for selector in HIDDEN_ON_PAPER:
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".fst-print-meta").is_visible()
    assert page.locator(".fst-get-help").is_visible(), "crisis numbers stay on paper"
    after = page.evaluate("""(site) => {
        const link = document.querySelector(`article a[data-print-url^="${site}"]`);
        return link && getComputedStyle(link, '::after').content;
    }""", SITE_URL)
    assert after and SITE_URL in after


def test_the_print_line_is_not_on_screen(page, site_url):
    page.goto(site_url + "what-it-is/")
    assert not page.locator(".fst-print-meta").is_visible()


@pytest.mark.parametrize("source", EXPLAINERS)
def test_each_explainer_prints_on_at_most_two_a4_pages(private_clinic, source):
    """Read from the A4 handouts of a clinic's build, printed once for the session: a
    clinic's sheets carry its header and credit line besides the guide's own footer, so
    what fits them fits the guide's own print (the same print stylesheet and printer)."""
    sheets = _front_matter(ROOT / "docs" / source).get("handout_pages", 2)  # a directory page may take four
    handout = private_clinic / "handouts" / f"{source[:-len('.md')]}.pdf"
    reader = handout_pdf(handout)
    assert len(reader.pages) <= sheets <= 4
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == pytest.approx([595.3, 841.9], abs=2)  # A4
    assert _front_matter(ROOT / "docs" / source)["title"].split()[0] in sheets_to_read(handout)[0].text


def test_a_page_too_long_for_two_pages_fails_naming_it(page, tmp_path):
    long_page = tmp_path / "long.html"
    long_page.write_text("<h1>Long</h1>" + "<p>Words that go on and on for the test. </p>" * 400, encoding="utf-8")
    with pytest.raises(HandoutError, match=r"https://example\.org/long/: prints on \d+ letter pages"):
        print_page(page, long_page.as_uri(), "letter", "Fixture", "https://example.org/long/", None)


def test_a_closed_section_prints_in_full(page, site_url):
    page.goto(site_url + "what-it-is/")
    page.evaluate("""() => document.querySelector('article').insertAdjacentHTML('beforeend',
        '<details class="note"><summary>More</summary><p id="inside">Hidden on screen.</p></details>')""")
    assert not page.locator("#inside").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#inside").is_visible()


def test_the_dark_scheme_prints_black_on_white(browser, site_url):
    context = browser.new_context(color_scheme="dark")
    tab = context.new_page()
    tab.goto(site_url + "what-it-is/")
    tab.emulate_media(media="print", color_scheme="dark")
    colours = tab.evaluate("""() => [getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.querySelector('article h2 + p')).color]""")
    context.close()
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]


def test_the_booklet_cover_and_every_pdf_carry_the_build_s_language_tag():
    """The plan names the pages' language tag (en-GB in a UK build); the cover's <html lang>
    and each PDF's /Lang (what a screen reader reads) follow it."""
    from feeling_safe.plugin.partials import Partials
    from feeling_safe.publishing import handouts

    plan = handouts.manifest([], "A guide", "About it.", None, "a4", lang="en-GB")
    assert plan["lang"] == "en-GB"
    assert BeautifulSoup(handouts.cover_html(Partials(ROOT / "overrides"), plan), "lxml").html["lang"] == "en-GB"
    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(blank)
    tagged = handouts._with_metadata(blank.getvalue(), "A guide", "Someone", "en-GB")
    assert PdfReader(io.BytesIO(tagged)).trailer["/Root"]["/Lang"] == "en-GB"
