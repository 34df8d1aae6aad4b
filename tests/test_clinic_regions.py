"""Clinic builds outside the US: a UK, an Irish, a Canadian and an Australian clinic file
(clinics/example-*.yml) each build a site (the UK one with handouts) that says nothing
American, is honest about clinical review, and gives crisis links that dial, text and chat.

Each clinic is built once per session. "Nothing American" is checked on every page, every
handout PDF and every API file, in the words a reader sees (not in link addresses), and
outside the Sources lists and in-text citations, which name where a fact comes from rather
than what applies to the reader (tests/region_words.py: the one list of words bound to a
region, read the same way by tests/test_regions.py).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import region_words
from browser import serve
from feeling_safe.clinic.brand import crisis_region
from feeling_safe.clinic.file import load
from feeling_safe.content import crisis
from feeling_safe.content.dates import human_date
from handout_sheets import pdf as handout_pdf
from handout_sheets import sheets_to_read
from prebuild import recipe
from region_words import json_text, reader_text
from sitebuild import ROOT, built, soup
from test_clinic_site import clinic_build

CLINICS = {code: ROOT / "clinics" / f"example-{code}.yml" for code in ("uk", "ie", "ca", "au")}
WITH_HANDOUTS = {"uk"}
@recipe("clinic_sites")
def _build_clinic_sites(folder: Path) -> dict[str, Path]:
    sites = {}
    for code, clinic_file in CLINICS.items():
        out = folder / f"clinic-{code}" / "site"
        result = clinic_build(clinic_file, out, handouts=code in WITH_HANDOUTS)
        assert result.returncode == 0, f"{clinic_file.name}:\n{result.stderr}"
        sites[code] = out
    return sites


@pytest.fixture(scope="session")
def clinic_sites(prebuilds) -> dict[str, Path]:
    """The example clinics of the uk, ie, ca and au regions (uk with handouts)."""
    return prebuilds.result("clinic_sites")


def pdf_text(path: Path) -> str:
    """A handout's words, up to its Sources list (the last section). The booklet is its contents
    page and then the handouts themselves, page for page (test_clinic_site.py), so its contents
    page is what it adds."""
    text = " ".join(sheet.text for sheet in sheets_to_read(path))
    return text.rsplit("Sources", 1)[0] if "Sources" in text else text


@pytest.mark.parametrize("code", list(CLINICS))
def test_nothing_of_another_region_in_any_page_handout_or_api_file(clinic_sites, code):
    site = clinic_sites[code]
    assert len(sorted(site.rglob("*.html"))) > 20 and len(sorted((site / "api").rglob("*.json"))) > 20
    handouts = sorted((site / "handouts").glob("*.pdf"))
    assert bool(handouts) == (code in WITH_HANDOUTS)
    found = region_words.site_problems(site, code)
    found += [f"{path.relative_to(site)}: {words}" for path in handouts
              if (words := region_words.found_in(region_words.without_citations(pdf_text(path)), code))]
    assert not found, found


LANG = {"uk": "en-GB", "ie": "en-IE", "ca": "en-CA", "au": "en-AU"}


@pytest.mark.parametrize("code", list(CLINICS))
def test_every_page_and_handout_carries_the_clinic_s_language_tag(clinic_sites, code):
    """The region's tag (en-GB ...); the Australian example has its own crisis lines, so its file gives it."""
    site = clinic_sites[code]
    assert {soup(path).html["lang"] for path in site.rglob("*.html")} == {LANG[code]}
    handouts = sorted((site / "handouts").glob("*.pdf"))
    assert bool(handouts) == (code in WITH_HANDOUTS)
    assert {handout_pdf(path).trailer["/Root"]["/Lang"] for path in handouts} <= {LANG[code]}
    if isinstance(load(CLINICS[code])["crisis_region"], list):
        assert load(CLINICS[code])["lang"] == LANG[code]


def test_the_scan_would_see_another_region_s_text():
    """The scan itself: another region's wording in text is found; in an address, a source list,
    a longer word or a bigger number it is not; a region of one's own may say none of it."""
    found_in = region_words.found_in
    assert found_in(reader_text("<p>Call 911 or your state board.</p>"), "uk") == ["state board", "911"]
    assert found_in(reader_text("<p>Call 911 or your state board.</p>"), "ca") == ["state board"]
    assert found_in(reader_text('<p><a href="tel:988">Call 9-8-8</a></p><ol class="fst-sources"><li>PSYPACT</li></ol>'),
                    "au") == ["9-8-8"]
    assert found_in(json_text({"url": "https://x.example/licenses/", "html": "<p>Your license</p>"}), "ie") == ["license"]
    assert found_in("Ask your GP, or the NHS, about 16,000 people; see gpsmith", "au") == ["NHS"]
    assert found_in("Ask your GP", "us") == ["GP"] and found_in("Ask your GP", "uk") == []
    assert found_in("In a reading level of grade 8", None) == ["grade 8"]
    assert found_in("A state of calm on the board", None) == [], "everyday words do not trip it"
    assert set(region_words.foreign_words(None)) == set(region_words.REGION_WORDS)
    handout = "Go to the police (Ahpra, n.d.). Codes judge it (APA Ethics Code,\n3.05; BACP, 2018). Ask Ahpra."
    assert found_in(region_words.without_citations(handout), "uk") == ["Ahpra"]


def test_the_region_text_matches_the_build(clinic_sites):
    """Region-marked passages: each build keeps its own country's and drops the others'."""
    headings = {code: [h.get_text(strip=True) for h in soup(built(site, "choosing-a-therapist.md")).select("article h3")]
                for code, site in clinic_sites.items()}
    assert "In the UK" in headings["uk"] and "In Ireland" not in headings["uk"]
    assert "In Ireland" in headings["ie"] and "In the UK" not in headings["ie"]
    assert not {"In the UK", "In Ireland", "In the United States"} & set(headings["ca"] + headings["au"])
    glossary = {code: {dt.get_text(strip=True) for dt in soup(built(site, "glossary.md")).select("article dt")}
                for code, site in clinic_sites.items()}
    assert "Accredited register" in glossary["uk"] and "Accredited register" not in glossary["ie"]
    assert not any("PSYPACT" in terms or "Licensing board" in terms for terms in glossary.values())


def test_the_unbranded_guide_says_nothing_of_psypact(site_dir):
    """PSYPACT is a clinic's to claim (test_clinic_site.py checks the US example, which does)."""
    assert not [p for p in site_dir.rglob("*.html") if "PSYPACT" in reader_text(p.read_text(encoding="utf-8"))]


# --- review: the same story on the page, under every title, in the API and the JSON-LD -----------

def _json_ld(page) -> dict:
    (data,) = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    return data


@pytest.mark.parametrize("code", list(CLINICS))
def test_the_about_page_tells_the_build_s_real_review_status(clinic_sites, code):
    site, clinic = clinic_sites[code], load(CLINICS[code])
    reviewer = clinic.get("reviewer")
    page = soup(built(site, "about.md"))
    about = reader_text(str(page.select_one("article")))
    api = json.loads((site / "api/v1/pages/about.json").read_text(encoding="utf-8"))
    claims_none = re.compile(r"not yet (had|been reviewed by) a clinic", re.I)
    if reviewer:
        when = human_date(reviewer["reviewed"])
        said = f"{reviewer['name']}, {reviewer['credential']}, reviewed this guide for {clinic['name']} on {when}"
        assert " ".join(about.split()).count(said) == 2, "in the summary and under Clinical review"
        assert not claims_none.search(about) and not claims_none.search(json_text(api))
        assert said in " ".join(json_text(api).split())
        assert page.select_one(".clinic-reviewer time")["datetime"] == reviewer["reviewed"]
        assert _json_ld(page)["reviewedBy"]["name"] == reviewer["name"]
    else:
        assert claims_none.search(about) and claims_none.search(json_text(api))
        assert not page.select(".clinic-reviewer, .clinic-review") and "reviewedBy" not in _json_ld(page)


def test_the_unbranded_guide_claims_no_clinical_review(site_dir):
    page = soup(built(site_dir, "about.md"))
    assert "not yet had a clinical review" in page.select_one(".in-short").get_text()
    assert "reviewedBy" not in _json_ld(page) and not page.select(".clinic-reviewer, .clinic-review")


# --- crisis links: every kind, in the line on every page and on Get help now -----------------------

def _expected(code: str) -> list[dict]:
    return crisis.resolve(crisis_region(load(CLINICS[code])), crisis.load_regions())["lines"]


@pytest.mark.parametrize("code", list(CLINICS))
def test_each_clinic_s_crisis_links_are_its_region_s(clinic_sites, code):
    lines = _expected(code)
    page = soup(built(clinic_sites[code], "get-help-now.md"))
    banner = [(a.get_text(), a["href"]) for a in page.select(".fst-get-help a.fst-crisis-way")]
    assert banner == [(link["label"], link["href"]) for line in lines if line.get("banner", True)
                      for link in line["links"]]
    listed = [(a.get_text(), a["href"]) for a in page.select("article a.fst-crisis-way")]
    assert listed == [(link["label"], link["href"]) for line in lines for link in line["links"]]
    if isinstance(load(CLINICS[code])["crisis_region"], list):
        assert any(line.get("emergency") for line in lines), "an own list always has its emergency line"


def test_emergency_in_ireland_is_two_ways_to_call(clinic_sites):
    page = soup(built(clinic_sites["ie"], "get-help-now.md"))
    item = next(li for li in page.select("article li") if li.strong and li.strong.get_text() == "Emergency services")
    assert [(a.get_text(), a["href"]) for a in item.select("a.fst-crisis-way")] == [("Call 112", "tel:112"),
                                                                                   ("Call 999", "tel:999")]


def test_a_phone_extension_dials_the_main_number_then_the_extension(clinic_sites):
    contact = soup(built(clinic_sites["ca"], "what-it-is.md")).select_one(".clinic-contact-line")
    assert contact.find("a", href="tel:+14165550123;ext=4").get_text() == "+1 416 555 0123 ext. 4"


# (page, a link's accessible name, its address); each kind of way at least once.
TAPS = {
    "us": [("Call 988", "tel:988"), ("Text 988", "sms:988"), ("Text HOME to 741741", "sms:741741?&body=HOME"),
           ("Chat online at 988lifeline.org", "https://988lifeline.org/chat/"), ("Call 911", "tel:911"),
           ("Call 988, then press 1", "tel:988")],
    "ie": [("Call 116 123", "tel:116123"), ("Text 50808", "sms:50808"), ("Call 112", "tel:112"),
           ("Call 999", "tel:999")],
    "au": [("Call 13 11 14", "tel:131114"), ("Text 0477 13 11 14", "sms:0477131114"), ("Call 000", "tel:000")],
}


@pytest.mark.parametrize("code", list(TAPS))
def test_crisis_links_are_tappable_with_their_names_in_chromium(browser, site_dir, clinic_sites, code):
    site = site_dir if code == "us" else clinic_sites[code]
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    tab = context.new_page()
    try:
        with serve(site) as url:
            tab.goto(url + "get-help-now/")
            article = tab.locator("article")
            for name, href in TAPS[code]:
                link = article.get_by_role("link", name=name, exact=True).first
                assert link.get_attribute("href") == href, name
                box = link.bounding_box()
                assert box and box["width"] >= 24 and box["height"] >= 16, (name, box)
                link.tap(trial=True, timeout=30_000)  # visible, steady, and nothing covers it
            banner = tab.locator(".fst-get-help")
            for name, href in TAPS[code]:
                if code == "us" and "press 1" in name:
                    continue  # banner: false
                way = banner.get_by_role("link", name=name, exact=True, include_hidden=True)
                assert way.get_attribute("href") == href, name
            # A phone shows each line's first way; the header's Get help leads to the rest.
            lines = banner.locator(".fst-get-help__line")
            assert lines.count() >= 2
            for index in range(lines.count()):
                shown = lines.nth(index).get_by_role("link")
                assert shown.count() == 1 and shown.get_attribute("href") == \
                    lines.nth(index).locator("a").first.get_attribute("href")
    finally:
        context.close()
