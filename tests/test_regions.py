"""Per-region data: crisis lines and complaint routes, each with its source, in every region's build.

Each non-US region is built once per session (`plugins: {feeling-safe: {crisis_region: uk}}`,
deep-merged over mkdocs.yml's plugin options by INHERIT); the US build is the default site. Plain functions
(feeling_safe/content/complaints.py, feeling_safe/content/crisis.py) are checked directly.
"""
from __future__ import annotations

import json
import re
from html import unescape as html_text
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

import region_words
from feeling_safe.content import complaints, crisis
from feeling_safe.content.citations import load_references
from prebuild import recipe
from sitebuild import ROOT, mkdocs_build_process, site_config, soup, with_plugin

REFERENCES = load_references()
KEYS = REFERENCES.keys()
CRISIS = crisis.load_regions()
ROUTES = complaints.load_routes()
OTHER_REGIONS = [code for code in CRISIS if code != "us"]

# Where therapists are registered rather than licensed (a counsellor in the UK or Ireland
# is not licensed at all); Canada's psychologists do hold licences, and the US ones licenses.
NOT_LICENSED = ["licensed", "licence"]
HARM_PAGES = ["crossing-a-line", "complaints", "get-help-now", ""]
# A region of one's own (a clinic outside the five): its crisis lines and complaint bodies as
# mappings, so no region code decides what the pages say (region_text.text_region is None).
OWN_REGION = {"name": "Own region", "lang": "en-NZ", "lines": [
    {"name": "Help line", "ways": [{"call": "0800 123 456"}], "hours": "Any time.", "for": "Anyone."},
    {"name": "Emergency services", "short": "Emergency", "ways": [{"call": "111"}], "hours": "Any time.",
     "for": "When a life is in danger right now.", "emergency": True}]}
OWN_ROUTES = {"name": "Own region",
              "professions": {kind: {"label": label, "bodies": ["independent"]} for kind, label in [
                  ("psychologist", "A psychologist"), ("counsellor", "A counsellor"),
                  ("social-worker", "A social worker"), ("family-therapist", "A family therapist"),
                  ("psychiatrist", "A psychiatrist"), ("psychotherapist", "A psychotherapist"),
                  ("not-sure", "I'm not sure")]},
              "bodies": [{"id": "independent", "name": "An independent body", "kind": "complaints",
                          "covers": "Every therapist here.", "can_do": "It hears complaints.",
                          "start": "Write to it.", "url": "https://body.example/complaints",
                          "url_label": "Complain", "source": "edmondson-1999"}]}


@recipe("other_region_sites")
def _build_other_regions(folder: Path) -> dict[str, Path]:
    sites = {}
    for code in OTHER_REGIONS:
        out = folder / f"site-{code}"
        result = mkdocs_build_process(out, with_plugin(crisis_region=code))
        assert result.returncode == 0, f"{code} build failed:\n{result.stderr}"
        sites[code] = out
    return sites


@pytest.fixture(scope="session")
def other_region_sites(prebuilds) -> dict[str, Path]:
    return prebuilds.result("other_region_sites")


@recipe("own_region_site")
def _build_own_region(folder: Path) -> Path:
    out = folder / "site-own"
    result = mkdocs_build_process(out, with_plugin(crisis_region=OWN_REGION, complaint_region=OWN_ROUTES))
    assert result.returncode == 0, f"own region build failed:\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def own_region_site(prebuilds) -> Path:
    return prebuilds.result("own_region_site")


@pytest.fixture(scope="session")
def region_sites(site_dir, other_region_sites) -> dict[str, Path]:
    """Every region's site: the default build for us, one strict build for each other region."""
    return {"us": site_dir, **other_region_sites}


def article(site: Path, slug: str):
    return soup(site / slug / "index.html").select_one("article")


def cited(node) -> list[str]:
    """The reference keys a part of the page links to, in order."""
    return [a["href"][len("#source-"):] for a in node.select("a[href^='#source-']")]


def listed_sources(page) -> list[str]:
    return [li["id"][len("source-"):] for li in page.select("#sources + ol.fst-sources > li")]


# Crisis lines ---------------------------------------------------------------------------

@pytest.mark.parametrize("code", list(CRISIS))
def test_every_crisis_line_names_a_known_source(code):
    assert crisis.region_problems(code, CRISIS[code], KEYS) == []
    assert all(crisis.source_keys(line) for line in CRISIS[code]["lines"]), "every line cites where it comes from"


@pytest.mark.parametrize("code", list(CRISIS))
def test_get_help_now_lists_each_line_with_its_source(region_sites, code):
    page = article(region_sites[code], "get-help-now")
    items = page.select("h2#who-you-can-contact ~ ul")[0].find_all("li", recursive=False)
    lines = crisis.shown(CRISIS[code])["lines"]
    assert len(items) == len(lines)
    for item, line in zip(items, lines):
        assert item.find("strong").get_text() == line["name"]
        assert [(a.get_text(), a["href"]) for a in item.select("a.fst-crisis-way")] == \
            [(link["label"], link["href"]) for link in line["links"]] == \
            [(link["label"], link["href"]) for link in map(crisis.way_link, line["ways"])]
        assert line["hours"].rstrip(".") in item.get_text() and line["for"].rstrip(".") in item.get_text()
        assert cited(item) == crisis.source_keys(line)
    assert {key for line in lines for key in crisis.source_keys(line)} <= set(listed_sources(page))


@pytest.mark.parametrize("code", list(CRISIS))
def test_the_line_on_every_page_shows_the_region_and_leaves_out_banner_false(region_sites, code):
    banner = soup(region_sites[code] / "what-it-is" / "index.html").select_one(".fst-get-help")
    shown = [(" ".join(span.get_text(" ").split()), [(a.get_text(), a["href"]) for a in span.find_all("a")])
             for span in banner.select(".fst-get-help__line")]
    lines = [line for line in crisis.shown(CRISIS[code])["lines"] if line.get("banner", True)]
    assert [links for _text, links in shown] == [[(link["label"], link["href"]) for link in line["links"]]
                                                 for line in lines]
    assert all(text.startswith(line.get("short", line["name"]) + " :") or text.startswith(line["short"] + ":")
               for (text, _links), line in zip(shown, lines))
    assert banner.find("a", class_="fst-get-help__more")


def test_the_veterans_option_and_the_new_lines_are_there():
    numbers = {code: " ".join(" ".join(link["label"] for link in line["links"]) + f" {line['about']}"
                              for line in crisis.shown(region)["lines"])
               for code, region in CRISIS.items()}
    assert "press 1" in numbers["us"] and "838255" in numbers["us"]
    assert "0808 808 8000" in numbers["uk"] and "England" in numbers["uk"]
    assert "50808" in numbers["ie"] and not re.search(r"\b(TALK|HELLO)\b", numbers["ie"]), "start word unconfirmed"
    assert "9-8-8" in numbers["ca"] and "833" not in numbers["ca"]
    assert "13 11 14" in numbers["au"] and "0477 13 11 14" in numbers["au"] and "free" not in numbers["au"].lower()


def test_us_readers_reach_help_in_spanish_in_one_tap():
    """988's Spanish option (press 2, or text AYUDA) and Crisis Text Line's (AYUDA to 741741), each
    a link of its own; never the unconfirmed start word HOLA."""
    links = {link["label"]: link["href"] for line in crisis.shown(CRISIS["us"])["lines"] for link in line["links"]}
    assert links["Call 988, then press 2"] == "tel:988"
    assert links["Text AYUDA to 988"].startswith("sms:988") and links["Text AYUDA to 741741"].endswith("body=AYUDA")
    assert not any("HOLA" in label for label in links)


def test_a_crisis_source_that_is_not_a_reference_is_named():
    line = {"name": "Desk", "ways": [{"call": "111"}], "hours": "Any time", "for": "Anyone",
            "source": ["lifeline-988", "no-such-key"]}
    with pytest.raises(ValueError) as error:
        crisis.resolve({"name": "Clinic", "lines": [line]}, {}, reference_keys=KEYS)
    assert str(error.value) == ("crisis_region: lines[0].source: 'no-such-key' is not a key in "
                                "data/references.yml; add it there or fix the key")


def test_a_number_for_a_name_and_a_bad_banner_flag_are_named():
    line = {"name": 50808, "ways": [{"text": "50808"}], "hours": "Any time", "for": "Anyone", "banner": "no"}
    found = crisis.region_problems("r", {"name": "R", "lines": [line]})
    assert [problem.split(";")[0] for problem in found] == [
        "r: lines[0].name: expected text, got a whole number (50808)",
        "r: lines[0].banner: expected true or false, got text ('no')"], found


def test_every_source_the_site_links_is_a_secure_address():
    """Sources seen only over plain http keep that address unlinked (`address_seen`)."""
    assert [ref.key for ref in REFERENCES.values() if ref.url and not ref.url.startswith("https://")] == []


def test_cite_puts_the_source_before_the_full_stop():
    assert crisis.cite("Free, any time.", ["a", "b"]) == "Free, any time [@a; @b]."
    assert crisis.cite("No stop", ["a"]) == "No stop [@a]"
    assert crisis.cite("Clinic line.", []) == "Clinic line."


# Complaint routes: the data ----------------------------------------------------------------

def test_the_complaint_data_is_clean_and_matches_its_json_schema():
    assert complaints.file_problems(ROUTES, KEYS) == []
    schema = json.loads((ROOT / "schemas" / complaints.SCHEMA).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(ROUTES)
    assert sorted(ROUTES) == sorted(CRISIS), "each crisis region has its complaint bodies"


@pytest.mark.content
def test_the_data_makes_none_of_the_claims_we_must_not_make():
    text = yaml.safe_dump(ROUTES).lower()
    for code in ("uk", "ie"):
        region = yaml.safe_dump(ROUTES[code]).lower()
        assert not re.search(r"\blicen[cs]", region), f"{code}: counsellors there are not licensed"
    assert "board of professional conduct" not in text and "1890 424 555" not in text
    assert "national counselling society" not in text and "ask kathleen" not in text
    coru = next(body for body in ROUTES["ie"]["bodies"] if body["name"] == "CORU")
    assert "not open" in coru["covers"]


BAD_ROUTE = {"id": "a-body", "name": "A body", "kind": "complaints", "covers": "Some therapists here.",
             "can_do": "It hears complaints.", "start": "Write to it.",
             "url": "http://body.example/complaints", "url_label": "Complain", "source": "no-such-key"}


def one_body_region(body: dict, **extra) -> dict:
    """A region whose seven groups all name `body`."""
    return {"name": "Nowhere", "professions": {group: {"label": group, "bodies": [body.get("id", "x")]}
                                               for group in complaints.PROFESSIONS},
            "bodies": [body], **extra}


def test_each_problem_in_the_complaint_data_is_one_line_naming_file_and_field(tmp_path):
    data = {"us": ROUTES["us"], "xx": {"name": "Nowhere", "routes": [BAD_ROUTE], "bodies": [BAD_ROUTE, {"name": "B"}],
                                       "notes": [{"text": "A note with no source."}], "extra": 1}}
    found = complaints.file_problems(data, KEYS, "data/complaint-routes.yml")
    assert any(line.startswith("data/complaint-routes.yml: xx.extra: unknown field") for line in found), found
    assert any(line.startswith("data/complaint-routes.yml: xx.routes: ") and "under bodies" in line
               for line in found), found
    assert any(line.startswith("data/complaint-routes.yml: xx.professions: required field is missing")
               for line in found), found
    assert any(line.startswith("data/complaint-routes.yml: xx.bodies[1].covers: required field is missing")
               for line in found), found
    assert any(line.startswith("data/complaint-routes.yml: xx.notes[0].source: required field is missing")
               for line in found), found
    fixed = one_body_region(BAD_ROUTE)
    assert sorted(complaints.file_problems({"xx": fixed}, KEYS, "f.yml")) == [
        "f.yml: xx.bodies[0].source: 'no-such-key' is not a key in data/references.yml; add it there or fix the key",
        "f.yml: xx.bodies[0].url: 'http://body.example/complaints' is not an https:// address; "
        "link the body's secure page",
    ]
    assert all("\n" not in line for line in found)


def test_the_region_follows_the_complaint_region_then_the_crisis_region():
    assert complaints.choice(None, "uk") == ("uk", "crisis_region")
    assert complaints.choice("ie", "uk") == ("ie", "complaint_region")
    with pytest.raises(ValueError, match="complaint_region: crisis_region is a region of your own"):
        complaints.choice(None, {"name": "Clinic", "lines": []})
    with pytest.raises(ValueError, match="crisis_region: unknown region 'fr'"):
        complaints.resolve(None, "fr", ROUTES, KEYS)
    own = one_body_region({**BAD_ROUTE, "url": "https://body.example/", "source": "lifeline-988"})
    assert complaints.resolve(own, "us", ROUTES, KEYS) is own


# Complaint routes: the partial -------------------------------------------------------------

CLINIC = {"name": "Smith & Co", "complaint_route": {
    "name": "Client care [lead]", "description": "Write to *us*. <b>Hi</b> [@lifeline-988]",
    "email": "care@clinic.example", "phone": "+1 212 555 0100", "url": "https://clinic.example/care?a=1&b=2"}}


def test_the_clinic_route_comes_first_and_every_outside_body_follows():
    html = complaints.routes_html(ROUTES["uk"], CLINIC)
    headings = re.findall(r"^#### (.+) \{: #body-", html, flags=re.M)
    assert re.findall(r"^### (.+)$", html, flags=re.M)[0] == "Client care &#91;lead&#93;"
    assert sorted(map(html_text, headings)) == sorted(body["name"] for body in ROUTES["uk"]["bodies"])
    assert "Write to &#42;us&#42;. &lt;b&gt;Hi&lt;/b&gt; &#91;@lifeline-988&#93;" in html
    assert 'href="https://clinic.example/care?a=1&amp;b=2"' in html and 'href="tel:+12125550100"' in html
    assert "Smith &amp; Co has its own way" in html


def test_every_body_and_note_carries_its_source_and_address():
    for code, region in ROUTES.items():
        html = complaints.routes_html(region)
        for entry in region.get("notes", []) + region["bodies"]:
            citation = "[" + "; ".join(f"@{key}" for key in crisis.source_keys(entry)) + "]"
            assert citation in html, f"{code}: {entry.get('name', entry.get('text'))}"
        for body in region["bodies"]:
            assert not body.get("url") or f'href="{body["url"]}"'.replace("'", "&#39;") in html


def test_the_marker_is_replaced_and_other_pages_are_untouched():
    page = f"Intro\n\n{complaints.MARKER}\n\nMore"
    out = complaints.insert_routes(page, ROUTES["ie"])
    assert complaints.MARKER not in out and "#### CORU {: #body-coru }" in out and out.endswith("More")
    assert complaints.insert_routes("No marker here.", ROUTES["ie"]) == "No marker here."


# Complaint routes: every region's build -----------------------------------------------------

@pytest.mark.parametrize("code", list(ROUTES))
def test_the_complaints_page_shows_the_regions_bodies_with_their_sources(region_sites, code):
    page = article(region_sites[code], "complaints")
    region = ROUTES[code]
    bodies = {body["id"]: body for body in region["bodies"]}
    cards = page.select("section.fst-card")
    assert sorted(card["data-body"] for card in cards) == sorted(bodies)
    for card in cards:
        body = bodies[card["data-body"]]
        assert card.find("h4").get_text(strip=True) == body["name"]
        if body.get("url"):
            assert card.find("a", href=body["url"]).get_text() == body["url_label"]
        assert set(crisis.source_keys(body)) <= set(cited(card))
    wanted = {key for entry in region.get("notes", []) + region["bodies"] for key in crisis.source_keys(entry)}
    assert wanted <= set(listed_sources(page))
    assert "<!-- complaint-routes -->" not in str(page)
    assert not page.select(".fst-route--clinic"), "the unbranded guide has no clinic route"


@pytest.mark.parametrize("code", list(CRISIS))
def test_no_page_says_another_region_s_words(region_sites, code):
    """Every page (embed views too) and every API file of each region's build, in the words a
    reader sees: nothing bound to another region (tests/region_words.py, the one list)."""
    found = region_words.site_problems(region_sites[code], code)
    assert not found, f"{code} build: {found}"


def test_a_region_of_one_s_own_gets_only_region_neutral_text(own_region_site):
    """No region code: every region-marked passage is dropped, and nothing bound to any region shows."""
    found = region_words.site_problems(own_region_site, None)
    assert not found, found
    assert soup(own_region_site / "index.html").html["lang"] == "en-NZ"
    first = article(own_region_site, "get-help-now").select_one(".admonition.in-short > p:not(.admonition-title)")
    assert [a["href"] for a in first.select("a.fst-emergency-call")] == ["tel:111"]


@pytest.mark.parametrize("code", OTHER_REGIONS)
@pytest.mark.parametrize("slug", HARM_PAGES)
def test_no_licence_wording_where_therapists_are_registered(region_sites, code, slug):
    if code == "ca":
        return
    page = BeautifulSoup(str(article(region_sites[code], slug)), "lxml")  # a copy: article() is cached
    for part in page.select(region_words.NOT_READER_TEXT + ", .fst-page-meta"):
        part.decompose()
    text = " ".join(page.get_text(" ").split())
    found = [word for word in NOT_LICENSED if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags=re.I)]
    assert not found, f"{code} build of /{slug}: {found}"


# Language and the emergency number ------------------------------------------------------

@pytest.mark.parametrize("code", list(CRISIS))
def test_every_page_carries_the_region_s_language_tag(region_sites, code):
    site, lang = region_sites[code], CRISIS[code]["lang"]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    wrong = [p.relative_to(site).as_posix() for p in pages
             if soup(p).html.get("lang") != lang]
    assert not wrong, f"not {lang}: {wrong}"
    assert json.loads((site / "search" / "search_index.json").read_text())["config"]["lang"] == ["en"], \
        "search keeps Material's English stemmer"
    ld = json.loads(soup(site / "what-it-is" / "index.html").find("script", type="application/ld+json").string)
    assert lang in json.dumps(ld)


def test_each_region_has_a_language_tag_and_an_emergency_line():
    assert {code: region["lang"] for code, region in CRISIS.items()} == {
        "us": "en-US", "uk": "en-GB", "ie": "en-IE", "ca": "en-CA", "au": "en-AU"}
    assert {code: [n["number"] for n in crisis.emergency_numbers(region)] for code, region in CRISIS.items()} == {
        "us": ["911"], "uk": ["999"], "ie": ["112", "999"], "ca": ["911"], "au": ["000"]}


@pytest.mark.parametrize("code", list(CRISIS))
def test_get_help_now_names_the_emergency_number_in_its_first_line(region_sites, code):
    page = article(region_sites[code], "get-help-now")
    first = page.select_one(".admonition.in-short > p:not(.admonition-title)")  # the page's first words
    links = [(a.get_text(), a["href"]) for a in first.select("a.fst-emergency-call")]
    assert links == [(n["number"], n["href"]) for n in crisis.emergency_numbers(CRISIS[code])]
    assert " or ".join(n for n, _href in links) in first.get_text()
    assert "<!--" not in str(page)


def test_a_region_without_an_emergency_line_is_refused_naming_it():
    regions = {**CRISIS, "ca": {**CRISIS["ca"], "lines": CRISIS["ca"]["lines"][:1]}}
    found = crisis.Checker(crisis.SCHEMA).lines(regions, "data/crisis-regions.yml")
    assert found == ["data/crisis-regions.yml: ca.lines: has no emergency line; "
                     "add the emergency services as a line marked emergency: true"]
    no_lang = {"us": {key: value for key, value in CRISIS["us"].items() if key != "lang"}}
    assert crisis.Checker(crisis.SCHEMA).lines(no_lang, "f.yml") == [
        "f.yml: us.lang: required field is missing; add the language tag of the region's pages, like lang: en-GB"]


def _links(site: Path, path: Path) -> set[str]:
    """Site-relative addresses of the pages a built page links to (embed views link the full
    pages by their absolute address)."""
    from urllib.parse import urljoin
    own = site_config()["site_url"]
    here = urljoin(own, path.relative_to(site).as_posix())
    targets = (urljoin(here, a["href"]) for a in soup(path).select("a[href]"))
    return {target[len(own):].split("#")[0].removesuffix("index.html") for target in targets if target.startswith(own)}


@pytest.mark.parametrize("code", list(CRISIS))
def test_from_any_page_a_harmed_reader_reaches_the_harm_pages_in_two_taps(region_sites, code):
    """Every page (embed views too) links, in its get-help line, to a page that links straight to
    "When a therapist crosses a line" (what is not OK) and "How to raise a concern" (where to report
    it in this region)."""
    site = region_sites[code]
    harm = {"crossing-a-line/", "complaints/"}
    two_taps = {target for target in _links(site, site / "get-help-now" / "index.html")}
    assert harm <= two_taps
    pages = [p for p in site.rglob("index.html") if (p.parent / "index.html").is_file()]
    stranded = [p.relative_to(site).as_posix() for p in pages
                if not (harm & _links(site, p)) and "get-help-now/" not in _links(site, p)]
    assert len(pages) > 20 and not stranded, stranded
    complaints = article(site, "complaints")
    assert complaints.select("dl.fst-route"), "the complaints page names where to report"
    assert "not OK" in article(site, "crossing-a-line").get_text() or \
        "never part of therapy" in article(site, "crossing-a-line").get_text()


def test_a_region_code_that_is_not_one_is_named_with_the_fix():
    found = complaints.file_problems({"uk": ROUTES["uk"], "USA": ROUTES["us"]}, KEYS, "f.yml")
    assert found == ["f.yml: USA: 'USA' is not a region code; write two small letters, like uk"]
    assert complaints.file_problems([], KEYS, "f.yml")[0].startswith("f.yml: (top level): expected a group of fields")
