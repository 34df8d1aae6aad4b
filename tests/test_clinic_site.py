"""A clinic build from clinics/example.yml: branded everywhere it should be,
escaped where it is shown, with handouts; the default build stays unbranded;
a bad clinic file leaves no output behind."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser import serve
from feeling_safe.clinic.file import load
from feeling_safe.content.frontmatter import read_front_matter as _front_matter
from feeling_safe.publishing.precompress import MIN_BYTES
from feeling_safe.publishing.safe_build import STAMP, STAMP_TEXT
from handout_sheets import pdf as _pdf
from handout_sheets import sheets_to_read
from prebuild import recipe
from sitebuild import ROOT, built, clinic_build, html_pages, mkdocs_build, nav_sources, site_config, soup, with_plugin
from test_clinic_config import HOSTILE, example_data, outside_the_us, own_lines, write_clinic

# What Markdown and its extensions would turn into markup, were clinic text read as Markdown.
MARKDOWN_TRICKS = (" [call](javascript:alert(1)) ![i](https://evil.example/i.png) *x* _y_ `z`"
                   " { onclick=alert(1) } <b onclick=alert(1)>b</b>")

EXAMPLE = ROOT / "clinics" / "example.yml"
CLINIC = load(EXAMPLE)
DOCS = ROOT / "docs"


# The pages of a clinic site: the example leaves out the pages for clinics (`for_clinics` is false).
SOURCES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.glob("*.md") if _front_matter(p).get("kind") != "clinic")
EXPLAINERS = [name for name in SOURCES if _front_matter(DOCS / name).get("kind") == "explainer"]


# A clinic's name and reviewer written as Markdown and its extensions would read them: a link
# with an attribute list, emphasis on a glossary word, raw HTML, a class list, a heading sign.
HOSTILE_NAME = '# [x](https://evil.example){rel=opener} *guide* <b>x</b> {: .x} "><img src=x>'
HOSTILE_REVIEWER = {"name": "[Dr x](https://evil.example){rel=opener}", "credential": "*guide* <b>x</b> {: .x} # Heading"}


@recipe("hostile_site")
def _build_hostile_site(folder: Path) -> Path:
    data = example_data()
    data.update(name=HOSTILE_NAME, short_name='"><img src=x onerror=1>')
    data["logo"]["alt"] = HOSTILE
    data["commitments"] = [{"statement": HOSTILE[:100], "details": HOSTILE + MARKDOWN_TRICKS}]
    data["sees_clients"]["in_person"][0]["name"] = HOSTILE + MARKDOWN_TRICKS[:60]
    data["reviewer"].update(HOSTILE_REVIEWER)
    outside_the_us(data, own_lines(name=MARKDOWN_TRICKS[:60], description=HOSTILE + MARKDOWN_TRICKS))
    data["complaint_route"] = {"name": HOSTILE[:80], "description": HOSTILE + MARKDOWN_TRICKS,
                               "email": "care@harbourlane.example"}
    result = clinic_build(write_clinic(folder, data), folder / "out")
    assert result.returncode == 0, result.stderr
    return folder / "out"


@pytest.fixture(scope="session")
def hostile_site(prebuilds) -> Path:
    """A clinic whose every shown value is markup, built once (no handouts)."""
    return prebuilds.result("hostile_site")


# --- branding on every page -------------------------------------------------------------

def header_name(page) -> str:
    """The site name in the header as a wide screen shows it (phones may show short_name)."""
    topic = page.select_one(".md-header__topic")
    return (topic.select_one(".fst-name-full") or topic).get_text(strip=True)


def _linked_css(path: Path, page) -> str:
    """The page's own CSS (its <style>) and the text of every local stylesheet it links (however
    the build bundles them)."""
    sheets = [(path.parent / link["href"]).resolve() for link in page.find_all("link", rel="stylesheet")]
    return "\n".join([*(style.get_text().lower() for style in page.find_all("style")),
                      *(sheet.read_text(encoding="utf-8").lower() for sheet in sheets)])


@pytest.mark.parametrize("source", SOURCES)
def test_every_page_carries_the_clinic_brand(clinic_site, source):
    page = soup(built(clinic_site, source))
    assert page.title.get_text().endswith(f" - {CLINIC['name']}")
    assert page.find("link", rel="canonical")["href"].startswith(CLINIC["base_url"])
    assert header_name(page) == CLINIC["name"]
    logo = page.select_one(".md-header .md-logo img")
    assert logo["src"].endswith("assets/clinic/logo.svg") and logo["alt"] == CLINIC["logo"]["alt"]
    assert CLINIC["colours"]["primary"] in _linked_css(built(clinic_site, source), page)
    help_line = page.select_one(".fst-get-help").get_text(" ", strip=True)
    assert all(number in help_line for number in ("988", "741741", "911"))
    assert CLINIC["reviewer"]["name"] in page.select_one(".clinic-reviewer").get_text()
    (json_ld,) = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert json_ld["reviewedBy"] == {"@type": "Person", "name": CLINIC["reviewer"]["name"],
                                     "jobTitle": CLINIC["reviewer"]["credential"]}
    contact = page.select_one(".clinic-contact-line")
    assert contact.find("a", href="tel:+12125550147") and contact.find("a", href=f"mailto:{CLINIC['contact']['email']}")


@pytest.mark.parametrize("source", [s for s in SOURCES if not re.search("<!-- (clinic-|for-clinics)", (DOCS / s).read_text())])
def test_reading_time_is_the_unbranded_guide_s(clinic_site, site_dir, source):
    """The clinic's contact and reviewer lines are not reading: on every page whose text the
    clinic does not replace or leave out (no clinic or for-clinics markers), the minutes stay the guide's."""
    def minutes(site: Path) -> list[str]:
        return [m.get_text() for m in soup(built(site, source)).select(".fst-page-meta__time")]
    assert minutes(clinic_site) == minutes(site_dir)


@pytest.mark.parametrize("source", SOURCES)
def test_the_api_copy_of_a_clinic_page_is_the_article_alone(clinic_site, source):
    """The feed carries the writer's article, not the lines the build adds around it."""
    data = json.loads((clinic_site / f"api/v1/pages/{source[:-len('.md')]}.json").read_text(encoding="utf-8"))
    fragment = BeautifulSoup(data["html"], "html.parser")
    added = fragment.select(".fst-page-meta, .fst-covers, .clinic-contact-line, .clinic-reviewer, "
                            "#next-step, .fst-next-step, [data-print-url]")
    assert not added, [str(tag)[:80] for tag in added]
    article = soup(built(clinic_site, source)).select_one("article")
    headings = [h.get_text(strip=True) for h in article.select("h2") if h.get("id") != "next-step"]
    assert [h.get_text(strip=True) for h in fragment.select("h2")] == headings


def test_the_header_wears_the_clinic_colour_and_logo(clinic_site, browser):
    with serve(clinic_site) as url:
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        tab.goto(url + "what-it-is/")
        background = tab.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        logo_loaded = tab.evaluate("document.querySelector('.md-header .md-logo img').naturalWidth > 0")
        tab.close()
    red, green, blue = (int(CLINIC["colours"]["primary"][i:i + 2], 16) for i in (1, 3, 5))
    assert background == f"rgb({red}, {green}, {blue})"
    assert logo_loaded
    assert (clinic_site / "assets/clinic/logo.svg").read_bytes() == CLINIC.logo_file.read_bytes()


def test_embed_views_point_at_the_clinic_site_and_keep_its_crisis_line(clinic_site):
    views = html_pages(clinic_site / "embed")
    assert views
    for view in views:
        page = soup(view)
        assert page.find("link", rel="canonical")["href"].startswith(CLINIC["base_url"])
        assert "988" in page.select_one(".fst-get-help").get_text()


def test_the_sitemap_uses_the_clinic_base_url(clinic_site):
    sitemap = (clinic_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count(f"<loc>{CLINIC['base_url']}") >= len(SOURCES) - 1


def test_our_approach_shows_the_clinic_commitments_and_places(clinic_site):
    page = soup(built(clinic_site, "our-approach.md"))
    statements = [item.strong.get_text() for item in page.select(".clinic-commitments li")]
    assert statements == [c["statement"] for c in CLINIC["commitments"]]
    places = page.select_one(".clinic-locations").get_text(" ", strip=True)
    assert CLINIC["sees_clients"]["in_person"][0]["name"] in places
    assert all(region in places for region in CLINIC["sees_clients"]["online"]["regions"])
    # The clinic says some of its psychologists have PSYPACT approval: the page says what it is,
    # with its source, and not that every psychologist has it.
    psypact = next(p for p in page.select("article p") if "PSYPACT is an agreement" in p.get_text())
    assert psypact.select("a[href='#source-psypact']") and "not every psychologist" in psypact.get_text()
    assert CLINIC["name"] in page.select_one(".clinic-intro").get_text()
    assert page.select_one(".clinic-contact").find("a", href=CLINIC["contact"]["booking_url"])
    # The generic commitments are gone, and the contents lists only headings that exist.
    ids = {tag["id"] for tag in page.find_all(id=True)}
    toc = [a["href"][1:] for a in page.select(".md-sidebar--secondary a[href^='#']")]
    assert toc and all(anchor in ids for anchor in toc)
    assert "planning-your-care-together" not in ids


def test_a_clinic_site_leaves_out_the_pages_for_clinics(clinic_site):
    """The example keeps `for_clinics` at its default (false): no page for clinics, no menu
    for them, no link or Next step to them; "Our commitments" stays, for clients, in the main menu."""
    assert not built(clinic_site, "embed-this-guide.md").exists()
    home = soup(built(clinic_site, "index.md"))
    sections = [label.get_text(strip=True) for label in home.select("nav.md-nav--primary label.md-nav__link")]
    assert sections and "For clinics" not in sections
    top = [a.get_text(strip=True) for a in home.select("nav.md-nav--primary > ul > li > a.md-nav__link")]
    assert "Our commitments" in top
    for path in html_pages(clinic_site):
        assert not soup(path).find("a", href=re.compile("embed-this-guide")), path
    assert "I run or work at a clinic" not in home.select_one("article").get_text()
    next_step = soup(built(clinic_site, "our-approach.md")).select_one(".fst-next-step a")
    assert next_step and "embed" not in next_step["href"]


def test_get_help_now_offers_the_clinic_contact_apart_from_crisis_lines(clinic_site):
    page = soup(built(clinic_site, "get-help-now.md"))
    box = page.select_one(".clinic-contact")
    assert "not a crisis line" in box.get_text()
    assert box.find("a", href=f"mailto:{CLINIC['contact']['email']}")
    assert "Text HOME to 741741" in page.select_one("article").get_text()


def test_the_default_build_stays_unbranded(site_dir):
    for source in ("index.md", "our-approach.md", "get-help-now.md"):
        page = soup(built(site_dir, source))
        assert page.title.get_text().endswith("Feeling Safe in Therapy")
        assert not page.select(".clinic-contact-line, .clinic-reviewer, .clinic-contact")
        assert not any("clinic.css" in link["href"] for link in page.find_all("link", rel="stylesheet"))
    approach = soup(built(site_dir, "our-approach.md"))
    assert approach.find(id="planning-your-care-together")
    assert not (site_dir / "handouts").exists()


def test_a_clinic_can_leave_out_the_embed_views_and_api(tmp_path):
    data = example_data()
    data["embeds"] = False
    result = clinic_build(write_clinic(tmp_path, data), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "what-it-is" / "index.html").is_file()
    assert not (tmp_path / "out" / "embed").exists() and not (tmp_path / "out" / "api").exists()


# --- the licence's credit (CC BY-SA 4.0) ------------------------------------------------------

GUIDE_NAME, GUIDE_URL = site_config()["site_name"], site_config()["site_url"]
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"


def test_a_clinic_build_compresses_its_text_files_unless_told_not_to(clinic_site, hostile_site):
    pages = sorted(clinic_site.rglob("*.html"))
    assert pages and all(page.with_name(page.name + ".br").is_file() and page.with_name(page.name + ".gz").is_file()
                         for page in pages if page.stat().st_size >= MIN_BYTES)
    assert sorted(hostile_site.rglob("*.br")) == [], "built with --no-compress"
    assert [path.name for path in hostile_site.rglob("*.gz")] == ["sitemap.xml.gz"], "MkDocs's own sitemap only"
    assert (hostile_site / STAMP).read_text(encoding="utf-8") == STAMP_TEXT


def test_every_clinic_page_credits_the_guide_and_its_licence(clinic_site):
    pages = [path for path in html_pages(clinic_site) if path.name == "index.html" and path.parent != clinic_site / "search"]
    assert len(pages) >= 2 * len(EXPLAINERS), "full pages and embed views"
    for path in pages:
        (credit,) = soup(path).select(".fst-attribution")
        text = credit.get_text(" ", strip=True)
        assert CLINIC["name"] in text and "adapted" in text and GUIDE_NAME in text and "CC BY-SA 4.0" in text, path
        assert credit.find("a", href=GUIDE_URL, string=GUIDE_NAME), path
        assert credit.find("a", href=LICENCE_URL), path


def test_the_guide_itself_carries_no_clinic_credit(site_dir):
    assert not [path for path in html_pages(site_dir) if soup(path).select(".fst-attribution")]


def test_every_handout_and_the_booklet_cover_credit_the_guide_and_its_licence(clinic_site):
    pdfs = sorted((clinic_site / "handouts").glob("*.pdf"))
    assert len(pdfs) == len(EXPLAINERS) + 1
    for path in pdfs:
        for number, sheet in enumerate(sheets_to_read(path), start=1):
            text = " ".join(sheet.text.split())
            assert f"{CLINIC['name']} adapted this guide from {GUIDE_NAME} ({GUIDE_URL})" in text, (path.name, number)
            assert f"CC BY-SA 4.0 ({LICENCE_URL})" in text, (path.name, number)


# --- escaping ------------------------------------------------------------------------------

def test_the_clinic_route_comes_first_and_the_outside_bodies_stay(clinic_site):
    from feeling_safe.content.complaints import load_routes

    page = soup(built(clinic_site, "complaints.md")).select_one("article")
    section = page.find("h2", id="who-can-hear-a-concern")
    names = []
    for heading in section.find_all_next(["h2", "h3"]):
        if heading.name == "h2":
            break
        names.append(heading.get_text(strip=True))
    route = CLINIC["complaint_route"]
    assert names[:2] == [route["name"], "Who was your therapist?"]
    cards = [heading.get_text(strip=True) for heading in section.find_all_next("h4")]
    assert sorted(cards) == sorted(body["name"] for body in load_routes()["us"]["bodies"])
    box = page.select_one(".fst-route--clinic")
    assert box.find("a", href=f"mailto:{route['email']}") and route["description"] in box.get_text(" ")


@pytest.mark.parametrize("source, selector", [("complaints.md", ".fst-route--clinic"), ("get-help-now.md", "article")])
def test_markdown_in_clinic_text_stays_text(hostile_site, source, selector):
    """Links (javascript: ones too), images, emphasis and attribute lists in a clinic's complaint
    route or crisis line show as the characters typed and make no markup."""
    box = soup(built(hostile_site, source)).select_one(selector)
    assert "[call](javascript:alert(1))" in box.get_text() and "*x*" in box.get_text()
    assert not box.select("a[href^='javascript'], img, em, script, [onclick], [onerror]")


def test_a_hostile_complaint_route_heading_is_text(hostile_site):
    assert soup(built(hostile_site, "complaints.md")).find("h3", string=HOSTILE[:80])


def test_a_hostile_clinic_renders_as_text_everywhere(hostile_site):
    pages = html_pages(hostile_site)
    assert len(pages) >= len(SOURCES)
    for path in pages:
        page = soup(path)
        assert not page.select("[onerror]"), path
        assert not page.find("img", src="x"), path
        code = [script.get_text() for script in page.find_all("script")
                if script.get("type") not in ("application/ld+json", "application/json")]
        assert not any("alert(1)" in text for text in code), path
        for data in page.find_all("script", type="application/ld+json"):
            json.loads(data.string)  # the name stays inside a JSON string
    assert html_pages(hostile_site / "embed"), "embed views are escaped too"
    for source in SOURCES:
        page = soup(built(hostile_site, source))
        assert page.title.get_text().endswith(f" - {HOSTILE_NAME}") or page.title.get_text() == HOSTILE_NAME
        assert header_name(page) == HOSTILE_NAME
        assert HOSTILE_NAME in page.select_one(".fst-print-meta").get_text()


# What the tricks above would make, were the clinic's text read as Markdown: the link, its
# rel, emphasis, the raw <b>, the class list, a heading, a glossary or abbreviation tooltip.
MADE_BY_MARKDOWN = "a[href^='https://evil'], [rel~=opener], em, b, .x, img[src=x], abbr"
CLINIC_BOXES = ".clinic-review, .clinic-reviewer, .clinic-intro, .clinic-commitments, .clinic-locations, " \
               ".clinic-welcome, .clinic-contact, .clinic-contact-line, .fst-doors__clinic"


def test_clinic_text_is_text_on_every_page(hostile_site):
    """Every clinic box on every page shows the name and reviewer as typed, with no element
    Markdown, its attribute lists, abbreviations or the glossary would have made."""
    seen = set()
    for path in html_pages(hostile_site):
        page = soup(path)
        assert len(page.find_all("h1")) <= 1, path
        for box in page.select(CLINIC_BOXES):
            assert not box.select(MADE_BY_MARKDOWN), (path, str(box)[:300])
            seen.update(name for name in box.get("class") if name.startswith(("clinic-", "fst-doors")))
    assert {"clinic-review", "clinic-reviewer", "clinic-intro", "clinic-commitments", "clinic-welcome",
            "clinic-contact", "clinic-contact-line", "fst-doors__clinic"} <= seen
    about = soup(built(hostile_site, "about.md"))
    review = about.select(".clinic-review")
    assert review and all(HOSTILE_REVIEWER["name"] in span.get_text() and HOSTILE_REVIEWER["credential"]
                          in span.get_text() and HOSTILE_NAME in span.get_text() for span in review)
    assert [h.get_text() for h in about.select("article h1, article h2") if "Heading" in h.get_text()] == []
    welcome = soup(built(hostile_site, "index.md")).select_one(".clinic-welcome")
    assert HOSTILE_NAME in welcome.get_text() and not welcome.select(MADE_BY_MARKDOWN)


def test_clinic_text_is_text_in_the_api_and_json_ld(hostile_site):
    """The API's copy of About and every page's JSON-LD carry the same literal text."""
    data = json.loads((hostile_site / "api/v1/pages/about.json").read_text(encoding="utf-8"))
    fragment = BeautifulSoup(data["html"], "html.parser")
    reviews = fragment.select(".clinic-review")
    assert reviews and all(HOSTILE_REVIEWER["credential"] in box.get_text() and not box.select(MADE_BY_MARKDOWN)
                           for box in reviews)
    assert "fstheld" not in data["html"]
    page = soup(built(hostile_site, "about.md"))
    (json_ld,) = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert json_ld["reviewedBy"] == {"@type": "Person", "name": HOSTILE_REVIEWER["name"],
                                     "jobTitle": HOSTILE_REVIEWER["credential"]}
    assert json_ld["isPartOf"]["name"] == HOSTILE_NAME


# --- handouts ------------------------------------------------------------------------------

@pytest.mark.parametrize("source", EXPLAINERS)
def test_each_explainer_has_a_handout_of_at_most_two_pages(clinic_site, source):
    slug = source[: -len(".md")]
    path = clinic_site / "handouts" / f"{slug}.pdf"
    pdf = _pdf(path)
    assert 1 <= len(pdf.pages) <= _front_matter(DOCS / source).get("handout_pages", 2) <= 4
    assert [float(v) for v in pdf.pages[0].mediabox[2:]] == pytest.approx([612, 792], abs=2), "Letter, as the example asks"
    text = " ".join(sheet.text for sheet in sheets_to_read(path))
    assert _front_matter(DOCS / source)["title"].split()[0] in text
    assert CLINIC["contact"]["phone"] in text and f"{CLINIC['base_url']}{slug}/" in text
    uris = [annot.get_object()["/A"]["/URI"] for page in pdf.pages for annot in page.get("/Annots", [])
            if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]]
    # Every link leads to the secure web, never to the folder the page was printed from (sources
    # seen only over plain http are kept unlinked, as `address_seen` in data/references.yml).
    assert uris and all(uri.startswith(("https://", "mailto:", "tel:", "sms:")) for uri in uris), uris
    link = soup(built(clinic_site, source)).select_one(".fst-handout-link a")
    assert (built(clinic_site, source).parent / link["href"]).resolve() == (clinic_site / "handouts" / f"{slug}.pdf")


def test_the_booklet_holds_every_handout_in_reading_order(clinic_site):
    booklet = _pdf(clinic_site / "handouts" / "booklet.pdf")
    handouts = [_pdf(clinic_site / "handouts" / f"{source[:-3]}.pdf") for source in EXPLAINERS]
    assert len(booklet.pages) == 1 + sum(len(h.pages) for h in handouts)
    # After its contents page the booklet is its handouts, page for page, as drawn: what a check
    # reads on each handout holds for the booklet, so other tests read only its contents page.
    in_order = [_pdf(clinic_site / "handouts" / f"{source[:-3]}.pdf")
                for source in nav_sources(site_config()["nav"]) if source in EXPLAINERS]
    drawn = [page.get_contents().get_data() for handout in in_order for page in handout.pages]
    assert [page.get_contents().get_data() for page in booklet.pages[1:]] == drawn
    nav = nav_sources(site_config()["nav"])
    expected = [_front_matter(DOCS / source)["title"] for source in nav if source in EXPLAINERS]
    assert [item.title for item in booklet.outline] == expected
    cover = booklet.pages[0].extract_text()
    assert CLINIC["name"] in cover and all(title in cover for title in expected), "contents page"
    starts = [booklet.get_destination_page_number(item) + 1 for item in booklet.outline]
    assert starts[0] == 2 and starts == sorted(starts)


# --- failure leaves nothing behind -----------------------------------------------------------

def _bad_clinic(folder: Path) -> Path:
    data = example_data()
    data["contact"]["email"] = "not-an-email"
    return write_clinic(folder, data, "bad.yml")


def test_make_clinic_with_a_bad_file_writes_nothing(tmp_path):
    clinic_file = _bad_clinic(tmp_path)
    out = tmp_path / "dist" / "bad"
    result = subprocess.run(["make", "--no-print-directory", "clinic", f"CONFIG={clinic_file}", f"OUT={out}"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert f"{clinic_file}: contact.email: " in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yml", "example-logo.svg"]


def test_a_bad_clinic_file_leaves_an_earlier_good_build_untouched(tmp_path):
    clinic_file = _bad_clinic(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / STAMP).write_text(STAMP_TEXT)
    (out / "index.html").write_text("the last good build")
    result = clinic_build(clinic_file, out)
    assert result.returncode != 0 and "contact.email" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [STAMP, "index.html"]
    assert (out / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yml", "example-logo.svg", "out"]


def test_the_plugin_itself_refuses_a_bad_clinic_file(tmp_path):
    """A hand-made child config that skips `make clinic` is checked by the plugin, naming the field."""
    clinic_file = _bad_clinic(tmp_path)
    result = mkdocs_build(tmp_path / "site", with_plugin(clinic_file=str(clinic_file)))
    assert result.returncode != 0
    assert f"{clinic_file}: contact.email: " in result.stderr
    assert not (tmp_path / "site").exists()
