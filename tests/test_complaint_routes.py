"""Who hears a complaint, by region, place and kind of therapist (data/complaint-routes.yml).

The data's own checks (one line per problem, naming file and field), a clinic's own region,
every region's built complaints page (the groups a reader reaches by in-page links, each body's
card with how to start and its time limits), the worked example for a country the guide does not
build in (clinics/example-nz.yml: nothing from another region), and the finder in a browser
(it narrows the list and keeps nothing).
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from feeling_safe.clinic import file as clinic_file
from feeling_safe.content import complaints, crisis
from feeling_safe.content.citations import load_references
from prebuild import recipe
from sitebuild import ROOT, clinic_build, page_tools, soup
from test_regions import other_region_sites, region_sites  # noqa: F401  (session fixtures)

KEYS = load_references().keys()
ROUTES = complaints.load_routes()
NZ_FILE = ROOT / "clinics" / "example-nz.yml"
NZ = yaml.safe_load(NZ_FILE.read_text(encoding="utf-8"))
FINDER = "#" + complaints.FINDER_ANCHOR


def body(**fields) -> dict:
    return {"id": "desk", "name": "The Desk", "kind": "complaints", "covers": "Everyone here.",
            "can_do": "It hears complaints.", "start": "Write to it.", "source": "lifeline-988", **fields}


def region(*bodies, **extra) -> dict:
    """A region whose seven groups all name the first body."""
    return {"name": "Nowhere", "professions": {group: {"label": group, "bodies": [bodies[0]["id"]]}
                                               for group in complaints.PROFESSIONS},
            "bodies": list(bodies), **extra}


def article_text(page) -> str:
    """An article's words without its citations and Sources list (those name sources, not routes)."""
    page = copy.copy(page)
    for part in page.select("#sources, #sources + ol, a[href^='#source-'], .fst-page-meta"):
        part.decompose()
    return " ".join(page.get_text(" ").split())


# --- the data ---------------------------------------------------------------------------------

def test_every_region_has_every_kind_of_therapist_and_each_body_is_in_a_group():
    for code, data in ROUTES.items():
        assert list(data["professions"]) == list(complaints.PROFESSIONS), code
        named = {body_id for group in data["professions"].values() for body_id in group["bodies"]}
        assert named == {body["id"] for body in data["bodies"]}, code


def test_ids_that_do_not_match_are_named_one_line_each():
    bad = region(body(places=["mars"]), body(id="desk"), body(id="lonely"),
                 places={"label": "Where?", "choices": [{"id": "earth", "name": "Earth"}], "elsewhere": "Elsewhere"})
    bad["professions"]["psychiatrist"]["bodies"] = ["desk", "nobody"]
    found = complaints.file_problems({"xx": bad}, KEYS, "f.yml")
    assert found == [
        "f.yml: xx.bodies[1].id: 'desk' is used by another body too; give each body its own id",
        "f.yml: xx.professions.psychiatrist.bodies[1]: no body has the id 'nobody'; use one of desk, lonely",
        "f.yml: xx.bodies[0].places[0]: 'mars' is not one of the region's places; use one of earth",
        "f.yml: xx.bodies[2]: 'lonely' is in no group under professions; list it where it hears complaints, or remove it",
    ]


def test_a_region_missing_a_kind_of_therapist_or_a_way_to_start_is_named():
    bad = region(body())
    del bad["professions"]["not-sure"]
    del bad["bodies"][0]["start"]
    bad["bodies"][0]["limits"] = {"text": "Within a year."}
    found = complaints.file_problems({"xx": bad}, KEYS, "f.yml")
    assert any(line.startswith("f.yml: xx.professions.not-sure: required field is missing; give all seven")
               for line in found), found
    assert any(line.startswith("f.yml: xx.bodies[0].start: required field is missing") for line in found), found
    assert any(line.startswith("f.yml: xx.bodies[0].limits") for line in found), found


def test_a_fact_with_its_own_source_names_it_and_a_missing_one_is_named():
    bad = region(body(limits={"text": "Within a year.", "source": "no-such-key"}))
    assert complaints.file_problems({"xx": bad}, KEYS, "f.yml") == [
        "f.yml: xx.bodies[0].limits.source: 'no-such-key' is not a key in data/references.yml; add it there or fix the key"]


def test_a_url_needs_its_label():
    found = complaints.file_problems({"xx": region(body(url="https://desk.example/"))}, KEYS, "f.yml")
    assert len(found) == 1 and found[0].startswith("f.yml: xx.bodies[0]") and "url and url_label together" in found[0]


# --- a clinic's own region ----------------------------------------------------------------------

def clinic_data(**changes) -> dict:
    data = yaml.safe_load((ROOT / "clinics" / "example.yml").read_text(encoding="utf-8"))
    data.pop("psypact", None)
    data["sees_clients"]["online"].pop("psypact", None)
    data.update(changes)
    return data


def test_a_clinic_region_that_lists_only_the_clinic_is_refused_naming_file_and_field():
    itself = body(name="Harbour Lane Psychology")
    on_its_site = body(id="site", name="Complaints desk", url="https://harbourlane.example/complaints",
                       url_label="Our desk")
    for bodies in ([itself], [itself, on_its_site]):
        found = clinic_file.validate(clinic_data(complaint_region=region(*bodies)), "clinics/mine.yml")
        assert [line for line in found if "complaint_region" in line] == [
            "clinics/mine.yml: complaint_region.bodies: lists only the clinic itself; add at least one independent "
            "body outside the clinic (a regulator, ombudsman or health complaints body), and give the clinic's own "
            "way in as complaint_route."], found
    outside = body(id="ombudsman", name="The Ombudsman", url="https://ombudsman.example/", url_label="Ombudsman")
    assert clinic_file.validate(clinic_data(complaint_region=region(itself, outside)), "clinics/mine.yml") == []


def test_a_clinic_region_is_checked_like_the_data_file():
    found = clinic_file.validate(clinic_data(complaint_region=region(body(start=None, extra=1))), "clinics/mine.yml")
    assert any(line.startswith("clinics/mine.yml: complaint_region.bodies[0].extra: unknown field") for line in found)
    assert any(line.startswith("clinics/mine.yml: complaint_region.bodies[0].start: ") for line in found), found
    with pytest.raises(ValueError) as error:
        complaints.resolve(region(body(source="no-such-key")), "us", ROUTES, KEYS, where="clinics/mine.yml")
    assert str(error.value) == ("clinics/mine.yml: complaint_region: bodies[0].source: 'no-such-key' is not a key "
                                "in data/references.yml; add it there or fix the key")


def test_the_new_zealand_example_is_a_clean_region_with_an_independent_body():
    own = NZ["complaint_region"]
    assert complaints.region_problems("complaint_region", own, KEYS) == []
    assert complaints.independence_problem(own, NZ) is None
    assert NZ.get("lang") == "en-NZ"
    references = load_references()
    for entry in own["bodies"]:
        for key in crisis.source_keys(entry):
            assert references[key].url and urlsplit(references[key].url).hostname.endswith(".nz"), key


# --- every region's built page ------------------------------------------------------------------

def complaints_page(site: Path):
    return soup(site / "complaints" / "index.html").select_one("article")


@pytest.mark.parametrize("code", list(ROUTES))
def test_every_kind_of_therapist_has_a_group_reached_by_an_in_page_link(region_sites, code):  # noqa: F811
    page = complaints_page(region_sites[code])
    data = ROUTES[code]
    jump = [a["href"] for a in page.select("ul.fst-jump a")]
    assert jump == ["#" + complaints.GROUP_ANCHOR.format(group) for group in complaints.PROFESSIONS]
    assert page.select_one(FINDER).find_next("ul", class_="fst-jump"), "the jump list follows the question"
    for href, group_id in zip(jump, complaints.PROFESSIONS):
        heading = page.select_one(href)
        assert heading.name == "h3" and heading.get_text(strip=True) == data["professions"][group_id]["label"]
        group = heading.find_parent("section", class_="fst-group")
        assert group["data-group"] == group_id
        links = [a["href"] for a in group.select(".fst-group__bodies a")]
        assert links == ["#" + complaints.BODY_ANCHOR.format(b) for b in data["professions"][group_id]["bodies"]]
        for link in links:
            card = page.select_one(link).find_parent("section", class_="fst-card")
            terms = [dt.get_text() for dt in card.select("dt")]
            assert "How to start" in terms and card.select_one("dt + dd").get_text(strip=True), (code, link)


@pytest.mark.parametrize("code", list(ROUTES))
def test_each_card_says_what_its_data_says_with_time_limits_where_given(region_sites, code):  # noqa: F811
    page = complaints_page(region_sites[code])
    for data in ROUTES[code]["bodies"]:
        card = page.select_one(f"section.fst-card[data-body='{data['id']}']")
        facts = {dt.get_text(): " ".join(dt.find_next_sibling("dd").get_text().split()) for dt in card.select("dt")}
        for key, label in complaints.FIELDS:
            if data.get(key):
                text = data[key]["text"] if isinstance(data[key], dict) else data[key]
                assert facts[label].startswith(text.rstrip(".")[:40]), (code, data["id"], key)
            else:
                assert label not in facts, (code, data["id"], key)
        assert facts["Kind"].startswith(complaints.KINDS[data["kind"]])


@pytest.mark.parametrize("code", list(ROUTES))
def test_the_finder_is_there_for_scripts_and_names_the_places_that_change_the_answer(region_sites, code):  # noqa: F811
    page = complaints_page(region_sites[code])
    finder = page.select_one("[data-finder]")
    assert finder.has_attr("hidden"), "without JavaScript the finder stays hidden; the jump list does the work"
    assert not finder.select("input[type=radio]"), "the script makes the choices from the jump list"
    places = ROUTES[code].get("places")
    options = [option["value"] for option in finder.select("select option")]
    assert options == ([""] + [c["id"] for c in places["choices"]] + ["-"] if places else [])
    assert not finder.find_parent("form") and not finder.select("form")


@pytest.mark.parametrize("code", list(ROUTES))
def test_the_harm_page_links_to_the_finder(region_sites, code):  # noqa: F811
    harm = soup(region_sites[code] / "crossing-a-line" / "index.html").select_one("article")
    assert harm.select(f"a[href$='complaints/{FINDER}']"), code


@pytest.mark.parametrize("code", list(ROUTES))
def test_from_the_harm_page_a_body_s_card_is_two_taps_away_without_javascript(region_sites, code):  # noqa: F811
    """Tap 1: the harm page's link for the reader's kind of therapist lands on its group (every
    kind, in the region's words); tap 2: a body's link in that group lands on its card, which says
    how to start and what happens next or the time limits, where a source gives them."""
    site, data = region_sites[code], ROUTES[code]
    harm = soup(site / "crossing-a-line" / "index.html").select_one("article")
    links = {a["href"].rpartition("#")[2]: a.get_text(strip=True) for a in harm.select(".fst-group-links a")}
    assert links == {complaints.GROUP_ANCHOR.format(group): data["professions"][group]["label"]
                     for group in complaints.PROFESSIONS}, code
    assert all(a["href"].startswith("../complaints/#") for a in harm.select(".fst-group-links a"))
    page = complaints_page(site)
    for anchor in links:
        group = page.select_one(f"#{anchor}").find_parent("section", class_="fst-group")
        for body_link in group.select(".fst-group__bodies a"):
            card = page.select_one(body_link["href"]).find_parent("section", class_="fst-card")
            assert "How to start" in [dt.get_text() for dt in card.select("dt")], (code, anchor, body_link["href"])


def test_the_embed_view_carries_the_same_groups_and_cards(site_dir):
    full = complaints_page(site_dir)
    embed = soup(site_dir / "embed" / "complaints" / "index.html")
    for selector, attribute in (("section.fst-group", "data-group"), ("section.fst-card", "data-body")):
        assert [s[attribute] for s in embed.select(selector)] == [s[attribute] for s in full.select(selector)]
    assert [a["href"] for a in embed.select("ul.fst-jump a")] == [a["href"] for a in full.select("ul.fst-jump a")]
    assert "complaint-finder" in page_tools(site_dir / "embed" / "complaints" / "index.html")


# --- a country the guide does not build in ----------------------------------------------------

@recipe("nz_site")
def _build_nz(folder: Path) -> Path:
    out = folder / "nz"
    result = clinic_build(NZ_FILE, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def nz_site(prebuilds) -> Path:
    return prebuilds.result("nz_site")


def test_the_new_zealand_build_shows_its_own_bodies_and_nothing_from_another_region(nz_site):
    page = complaints_page(nz_site)
    own = NZ["complaint_region"]
    assert sorted(card["data-body"] for card in page.select("section.fst-card")) == sorted(b["id"] for b in own["bodies"])
    foreign = {data["name"] for other in ROUTES.values() for data in other["bodies"]} | \
        {data.get("url_label") for other in ROUTES.values() for data in other["bodies"]} - {None}
    shown = {"page": article_text(page),
             "embed": article_text(soup(nz_site / "embed" / "complaints" / "index.html").select_one("article"))}
    api = json.loads((nz_site / "api" / "v1" / "pages" / "complaints.json").read_text(encoding="utf-8"))
    shown["api"] = article_text(BeautifulSoup(api["html"], "lxml"))
    for where, text in shown.items():
        assert "Health and Disability Commissioner" in text, where
        assert [name for name in foreign if name in text] == [], where
        assert "The outside bodies for New Zealand" in text, where
    banner = soup(nz_site / "complaints" / "index.html").select_one(".fst-get-help").get_text(" ")
    assert "111" in banner and "1737" in banner


# --- the finder in a browser ------------------------------------------------------------------

VISIBLE = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter((el) => el.offsetParent !== null).map((el) => el.dataset.group || el.dataset.body)"""


def test_the_finder_narrows_the_list_and_keeps_nothing(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    requests, errors = [], []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    address = site_url + "complaints/"
    tab.goto(address)
    everything = tab.evaluate(VISIBLE, "section.fst-card")
    assert tab.locator("[data-finder]").is_visible() and len(everything) == len(ROUTES["us"]["bodies"])
    tab.get_by_label("A social worker").check()
    assert tab.evaluate(VISIBLE, "section.fst-group") == ["social-worker"]
    assert sorted(tab.evaluate(VISIBLE, "section.fst-card")) == sorted(ROUTES["us"]["professions"]["social-worker"]["bodies"])
    assert not tab.locator("ul.fst-jump").is_visible()
    assert "social worker" in tab.locator(".fst-finder__status").inner_text()
    tab.get_by_role("button", name="Show everyone again").click()
    assert len(tab.evaluate(VISIBLE, "section.fst-card")) == len(everything)
    assert tab.url == address
    assert tab.evaluate("localStorage.length + sessionStorage.length") == 0
    assert context.cookies() == [] and errors == []
    assert [url for url in requests if urlsplit(url).netloc != urlsplit(site_url).netloc] == []
    context.close()


def test_the_finder_narrows_by_place_where_the_place_changes_the_answer(browser, region_sites):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    address = (region_sites["uk"] / "complaints" / "index.html").as_uri()
    tab.goto(address)
    tab.get_by_label("A psychologist").check()
    tab.select_option("#fst-finder-where", "wales")
    assert sorted(tab.evaluate(VISIBLE, "section.fst-card")) == ["hcpc", "nhs-wales"]
    tab.select_option("#fst-finder-where", "-")
    assert tab.evaluate(VISIBLE, "section.fst-card") == ["hcpc"]
    assert tab.url == address
    assert tab.evaluate("localStorage.length + sessionStorage.length") == 0
    context.close()


def test_on_paper_every_group_and_card_is_there_and_the_finder_is_not(browser, region_sites):  # noqa: F811
    context = browser.new_context()
    tab = context.new_page()
    tab.goto((region_sites["uk"] / "complaints" / "index.html").as_uri())
    tab.get_by_label("A psychologist").check()  # a pick on screen does not narrow the handout
    tab.emulate_media(media="print")
    assert not tab.locator("[data-finder]").is_visible()
    assert len(tab.evaluate(VISIBLE, "section.fst-card")) == len(ROUTES["uk"]["bodies"])
    assert len(tab.evaluate(VISIBLE, "section.fst-group")) == len(complaints.PROFESSIONS)
    context.close()


@pytest.mark.parametrize("code", list(ROUTES))
def test_every_regions_complaints_handout_fits_its_sheets(page, region_sites, code):  # noqa: F811
    from feeling_safe.content.frontmatter import read_front_matter
    from feeling_safe.publishing.handouts import print_page

    meta = read_front_matter(ROOT / "docs" / "complaints.md")
    page.emulate_media(media="print")
    pdf, _scale = print_page(page, (region_sites[code] / "complaints" / "index.html").as_uri(), "a4",
                             "Feeling Safe in Therapy", "https://example.org/complaints/", None,
                             sheets=meta["handout_pages"])
    assert pdf.startswith(b"%PDF")
