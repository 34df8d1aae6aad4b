"""'Was this OK?' (issue #21): the situations, each with its kind, reason and source, in every build;
the tool's summary, notes and first draft in Chromium.

The words are the writers'; these tests check structure: which kind each item is under, what it
cites, which bodies are shown, what the summary holds (and never holds), and that nothing about
the reader is kept, sent or put in the address. The situations and the bodies come from the data
files, so a test follows the data.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from axe import BEST_PRACTICE, WCAG_TAGS, axe_violations, describe_violations
from feeling_safe.content import complaints, situations
from feeling_safe.content.citations import load_references
from sitebuild import page_tools, soup
from test_reader_tools import RECORD_WRITES, assert_nothing_kept_or_sent
from test_regions import other_region_sites, region_sites  # noqa: F401, F811  (their session builds)

SLUG = "was-this-ok"
KEYS = load_references().keys()
SITUATIONS = situations.load_checked(KEYS)
KIND_OF = {item["id"]: item["kind"] for item in SITUATIONS}
ROUTES = complaints.load_routes()
LINE_CROSSED = ("never", "warning-sign")
# Words aimed at raising something with the therapist: never in a summary of a line crossed.
WITH_THERAPIST = re.compile(r"\b(in a session|bring it up|raise it with|talk (it )?(over )?(to|with) (your|the) "
                            r"therapist|tell (your|the) therapist|ask (your|the) therapist)", re.I)
# The example: a former counsellor texted privately and suggested a drink after therapy ended.
EXAMPLE = ("messages", "social-invitation")
PHONE = {"width": 390, "height": 844}


def keys_of(item: dict) -> list[str]:
    source = item["source"]
    return [source] if isinstance(source, str) else list(source)


def page_of(site, slug: str = SLUG):
    return soup(site / slug / "index.html")


def cited(node) -> list[str]:
    return [a["href"][len("#source-"):] for a in node.select("a[href^='#source-']")]


# --- the data file ---------------------------------------------------------------------------

def test_every_kind_is_there_and_each_situation_cites_a_source():
    assert {item["kind"] for item in SITUATIONS} == {"never", "warning-sign", "can-be"}
    assert all(keys_of(item) for item in SITUATIONS)
    assert len({item["id"] for item in SITUATIONS}) == len(SITUATIONS)


def test_each_problem_in_the_situations_file_is_one_line_naming_file_and_field(tmp_path):
    data = {"situations": [
        {"id": "fine", "name": "Something that happened", "kind": "never",
         "reason": "A reason long enough to read.", "source": "ca-bop-file-complaint"},
        {"id": "fine", "name": "Another thing", "kind": "sometimes",
         "reason": "A reason long enough to read.", "source": "no-such-key"},
        {"id": "Bad Id", "name": "A third thing", "kind": "warning-sign", "reason": "Short"},
    ]}
    path = tmp_path / "situations.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        situations.load_checked(KEYS, path)
    lines = str(raised.value).splitlines()
    assert all(line.startswith(f"{path}: situations") for line in lines), lines
    # An entry is named by its id where it has a usable one (as the schema check names it), else its place.
    expected = (".kind: 'sometimes'", "].source: 'no-such-key'", "].id: 'fine'",
                "[2].id", "[2].reason", "[2].source")
    for field in expected:
        assert sum(field in line for line in lines) == 1, (field, lines)
    assert len(lines) == len(expected), lines


def test_the_marker_is_replaced_and_other_pages_are_untouched():
    page = f"Intro\n\n{situations.MARKER}\n\nMore"
    out = situations.insert_situations(page, SITUATIONS)
    assert situations.MARKER not in out and out.endswith("More")
    assert out.count('class="fst-situation"') == len(SITUATIONS)
    assert situations.insert_situations("No marker here.", SITUATIONS) == "No marker here."


# --- the built page, in every region and a clinic's build --------------------------------------

def check_page(site, code: str | None, clinic_route: str | None = None) -> None:
    page = page_of(site)
    article = page.select_one("article")
    sections = article.select(".fst-situations > section[data-kind]")
    assert [s["data-kind"] for s in sections] == [k for k, _ in situations.KINDS], "grouped by kind, in order"
    listed = article.select(".fst-situations li.fst-situation")
    assert sorted(li["id"].removeprefix("situation-") for li in listed) == sorted(KIND_OF), "every situation, once"
    sources = [li["id"][len("source-"):] for li in article.select("#sources + ol.fst-sources > li")]
    for section in sections:
        assert section.select_one("h3").get_text(strip=True) == dict(situations.KINDS)[section["data-kind"]]
        for li in section.select("li.fst-situation"):
            item = next(i for i in SITUATIONS if i["id"] == li["id"].removeprefix("situation-"))
            assert item["kind"] == section["data-kind"], item["id"]
            assert li.select_one(".fst-situation__name").get_text(strip=True)
            assert cited(li) == keys_of(item), f"{item['id']} cites its sources"
            assert set(cited(li)) <= set(sources), f"{item['id']}: its sources are listed"
    # Who hears it: this build's routes (every group, every body's card), the finder's frame.
    routes = article.select_one(".fst-routes")
    assert routes is not None and routes.select_one("[data-finder]") is not None
    assert [g["data-group"] for g in routes.select(".fst-group")] == list(complaints.PROFESSIONS)
    if code:
        bodies = {body["id"] for body in ROUTES[code]["bodies"]}
        assert {card["data-body"] for card in routes.select(".fst-card")} == bodies, code
        for body in ROUTES[code]["bodies"]:
            card = routes.select_one(f'.fst-card[data-body="{body["id"]}"]')
            assert card["id"] == f"body-{body['id']}", "the groups' links reach it"
            assert card.select_one('[data-fact="name"]').get_text(strip=True) == body["name"]
            address = card.select_one('a[data-fact="url"]')
            assert (address["href"] if address else None) == body.get("url"), body["id"]
        # The routes page, which has each body's card in full, is one tap away.
        assert any(a["href"].endswith("complaints/") for a in article.select("a[data-ok-routes]"))
    if clinic_route:
        first = routes.select_one("h3")
        assert first.get_text(strip=True) == clinic_route, "the clinic's own route comes first"
    # Without JavaScript the tool's frame and the notes are hidden and empty.
    for selector in ("[data-ok-tool]", "[data-ok-notes]"):
        frame = article.select_one(selector)
        assert frame is not None and frame.has_attr("hidden") and not frame.get_text(strip=True), selector
    # The line on a shared device's copy of a saved file is said only where the notes are (with JavaScript).
    assert article.select_one('[data-ok-part="notes-privacy"]').has_attr("hidden")


@pytest.mark.parametrize("code", ["us", "uk", "ie", "ca", "au"])
def test_the_page_lists_every_situation_by_kind_with_its_source_and_the_region_s_routes(region_sites, code):  # noqa: F811
    check_page(region_sites[code], code)


def test_a_clinic_build_has_the_page_with_its_own_route_first(clinic_site):
    from sitebuild import ROOT
    clinic = yaml.safe_load((ROOT / "clinics" / "example.yml").read_text(encoding="utf-8"))  # what clinic_site builds
    check_page(clinic_site, clinic.get("complaint_region") or clinic.get("crisis_region"),
               clinic["complaint_route"]["name"])


def test_the_page_sits_beside_the_harm_page_and_the_harm_pages_link_it(site_dir):
    crossing = page_of(site_dir, "crossing-a-line")
    nav = [a["href"] for a in crossing.select(".md-nav--primary a.md-nav__link[href]")]
    here = [urljoin("/crossing-a-line/", href).split("#")[0] for href in nav]
    assert here.index("/was-this-ok/") == here.index("/crossing-a-line/") + 1, "next to the harm page in the menu"
    for slug in ("crossing-a-line", "get-help-now", "", "self-check"):
        links = {urljoin(f"/{slug}/".replace("//", "/"), a["href"]).split("#")[0]
                 for a in page_of(site_dir, slug).select("article a[href]")}
        assert "/was-this-ok/" in links, slug or "home"
    harm = page_of(site_dir, "self-check").select_one('[data-sc-guidance="harm-static"]')
    assert any(a["href"].endswith("was-this-ok/") for a in harm.select("a[href]")), "the self-check's harm summary"


def test_the_api_and_the_embed_view_carry_the_list_without_the_tool(site_dir):
    record = json.loads((site_dir / "api" / "v1" / "pages" / f"{SLUG}.json").read_text(encoding="utf-8"))
    content = soup_fragment(record["html"])
    assert len(content.select("li.fst-situation")) == len(SITUATIONS)
    assert not content.select(".fst-ok, .fst-notes, .fst-finder, script, input, button"), "content, not the tool"
    view = page_of(site_dir, f"embed/{SLUG}")
    assert len(view.select("article li.fst-situation")) == len(SITUATIONS)
    assert "was-this-ok" in page_tools(site_dir / "embed" / SLUG / "index.html"), "the tool works in the embed view too"


def soup_fragment(html: str):
    from bs4 import BeautifulSoup
    return BeautifulSoup(html, "lxml")


def test_the_handout_allows_the_page_its_sheets():
    from feeling_safe.content.frontmatter import read_front_matter
    from sitebuild import ROOT
    meta = read_front_matter(ROOT / "docs" / f"{SLUG}.md")
    assert meta["kind"] == "explainer", "explainer pages get a handout"
    assert 2 <= meta.get("handout_pages", 2) <= 4


# --- in Chromium ----------------------------------------------------------------------------

@pytest.fixture()
def tab(browser):
    """A phone-sized tab recording requests, errors and every storage or cookie write
    (as tests/test_reader_tools.py's, which assert_nothing_kept_or_sent reads)."""
    context = browser.new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    writes = []
    context.expose_function("__recordWrite", lambda what: writes.append(what))
    context.add_init_script(RECORD_WRITES)
    page = context.new_page()
    page.writes, page.requests, page.errors = writes, [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def open_tool(tab, site_url):
    tab.goto(site_url + SLUG + "/")
    tab.wait_for_selector("[data-ok-tool]:not([hidden]) input[name='fst-ok']")


def tick(tab, ids, on=True) -> None:
    for situation_id in ids:
        box = tab.locator(f'input[name="fst-ok"][value="{situation_id}"]')
        box.check() if on else box.uncheck()


def group_bodies(site_dir, group: str) -> list[str]:
    article = page_of(site_dir).select_one("article")
    return [a["href"] for a in article.select(f'.fst-group[data-group="{group}"] .fst-group__bodies a')]


def test_ticking_each_situation_shows_its_kind_source_and_routes_and_no_words_for_the_therapist(
        tab, site_url, site_dir):
    built = page_of(site_dir)
    with_therapist = built.select_one('[data-ok-part="with-therapist"]').get_text(" ")
    assert WITH_THERAPIST.search(with_therapist), "the pattern finds the page's own words for a session"
    not_sure = group_bodies(site_dir, "not-sure")
    open_tool(tab, site_url)
    summary = tab.locator(".fst-ok__summary")
    assert summary.is_hidden()
    for item in SITUATIONS:
        tick(tab, [item["id"]])
        shown = summary.locator("[data-ok-item]")
        assert shown.count() == 1 and shown.get_attribute("data-ok-item") == item["id"]
        assert shown.get_attribute("data-kind") == item["kind"]
        assert shown.locator(".fst-ok__kind").inner_text().rstrip(".") == dict(situations.KINDS)[item["kind"]]
        assert shown.evaluate("li => Array.from(li.querySelectorAll('a[href^=\"#source-\"]'))"
                              ".map(a => a.hash.slice(8))") == keys_of(item)
        text = summary.inner_text()
        if item["kind"] in LINE_CROSSED:
            assert summary.locator('[data-ok-summary="crossed"]').count() == 1, item["id"]
            assert summary.locator('[data-ok-summary="fault"]').count() == 1, item["id"]
            who = summary.locator('[data-ok-summary="who"] a').evaluate_all("as => as.map(a => a.getAttribute('href'))")
            assert who == not_sure, "with no pick, every body for 'not sure' in this build's region"
            assert not WITH_THERAPIST.search(text), (item["id"], WITH_THERAPIST.search(text))
        else:
            assert summary.locator('[data-ok-summary="can-be"]').count() == 1, item["id"]
            assert WITH_THERAPIST.search(text), f"{item['id']}: something that can be part of therapy may be raised"
        tick(tab, [item["id"]], on=False)
        assert summary.is_hidden()
    # A line crossed beside something that can be part of therapy: still no words for the therapist.
    tick(tab, ["attraction", "sexual-contact"])
    assert not WITH_THERAPIST.search(summary.inner_text())
    assert_nothing_kept_or_sent(tab, site_url)


def test_the_example_shows_the_line_crossed_not_your_fault_and_who_hears_it_in_one_phone_screen(
        tab, site_url, site_dir):
    open_tool(tab, site_url)
    # The page opens with its tool (no "On this page" list before it), its first box on the first screen.
    assert tab.evaluate("document.querySelector('article .in-short').nextElementSibling.matches('[data-ok-tool]')")
    assert tab.locator('input[name="fst-ok"]').first.bounding_box()["y"] < PHONE["height"]
    tick(tab, EXAMPLE)
    summary = tab.locator(".fst-ok__summary")
    summary.scroll_into_view_if_needed()
    top = summary.bounding_box()["y"]
    for part in ("crossed", "fault", "who"):
        box = tab.locator(f'.fst-ok__summary [data-ok-summary="{part}"]').bounding_box()
        assert box["y"] + box["height"] - top <= PHONE["height"], f"{part} is below the first phone screen"
    # Picking the therapist narrows who hears it to their group, here and in the routes below.
    tab.select_option("#fst-ok-who", "psychologist")
    who = tab.locator('[data-ok-summary="who"] a').evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert who == group_bodies(site_dir, "psychologist")
    assert tab.locator('input[name="fst-finder-who"][value="psychologist"]').is_checked()
    # Following a body's link from the summary moves to it without a fragment in the address.
    tab.locator('[data-ok-summary="who"] a').first.click()
    assert tab.evaluate("document.activeElement.id") == who[0][1:]
    assert not urlsplit(tab.url).fragment
    assert_nothing_kept_or_sent(tab, site_url)


@pytest.mark.parametrize("code", ["uk", "ie", "ca", "au"])
def test_in_every_region_the_example_s_summary_top_fits_one_phone_screen(browser, region_sites, code):  # noqa: F811
    """Where more bodies hear a concern, and the reader has not picked their therapist yet."""
    from browser import serve
    context = browser.new_context(viewport=PHONE)
    try:
        with serve(region_sites[code]) as base:
            page = context.new_page()
            open_tool(page, base)
            tick(page, EXAMPLE)
            top = page.locator(".fst-ok__summary").bounding_box()["y"]
            who = page.locator('[data-ok-summary="who"]')
            box = who.bounding_box()
            assert box["y"] + box["height"] - top <= PHONE["height"], code
            hrefs = who.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
            assert hrefs == group_bodies(region_sites[code], "not-sure"), code
    finally:
        context.close()


def test_the_draft_is_addressed_to_the_chosen_body_prints_as_a_letter_and_nothing_is_kept(tab, site_url):
    body = next(b for b in ROUTES["us"]["bodies"]
                if b["id"] == ROUTES["us"]["professions"]["psychologist"]["bodies"][0])
    assert body.get("url"), "the example body has an address"
    open_tool(tab, site_url)
    assert tab.locator('[data-ok-part="notes-privacy"]').is_visible(), "beside the notes: a shared device may keep a file"
    tick(tab, EXAMPLE)
    tab.select_option("#fst-ok-who", "psychologist")
    tab.fill("#fst-note-dates", "Spring, after our last session")
    tab.fill("#fst-note-what", "Private texts, then an invitation for a drink.")
    assert tab.locator("#fst-ok-to").input_value() == body["id"]
    tab.click('[data-ok-action="make-draft"]')
    letter = tab.locator(".fst-letter")
    text = letter.inner_text()
    assert body["name"] in text and body["url"] in text
    assert "Private texts, then an invitation for a drink." in text
    before = tab.locator(".fst-ok__before a").evaluate_all("as => as.map(a => a.href)")
    assert body["url"] in before, "where to start"
    assert site_url + f"complaints/#body-{body['id']}" in before, "how this body says to start, on its full card"
    # Printed from its button, the draft is a sheet of its own: no header, menu, footer or buttons.
    tab.evaluate("window.print = () => { window.__printed = true; }")
    tab.click('[data-ok-action="print-draft"]')
    assert tab.evaluate("window.__printed")
    tab.emulate_media(media="print")
    assert tab.locator(".rt-print-sheet.fst-letter-sheet").is_visible()
    assert body["name"] in tab.locator(".rt-print-sheet.fst-letter-sheet").inner_text()
    for selector in (".md-header", ".md-sidebar", ".md-footer", "article", "button"):
        assert all(not box.is_visible() for box in tab.locator(selector).all()), selector
    tab.emulate_media(media="screen")
    tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert tab.locator(".rt-print-sheet.fst-letter-sheet").count() == 0
    # Saved as text: a file made on the device, not a request.
    with tab.expect_download() as download:
        tab.click('[data-ok-action="save-draft"]')
    assert download.value.suggested_filename.endswith(".txt")
    assert body["name"] in Path(download.value.path()).read_text(encoding="utf-8")
    tab.requests[:] = [url for url in tab.requests if not url.startswith("blob:")]
    assert_nothing_kept_or_sent(tab, site_url)
    assert not urlsplit(tab.url).fragment
    # A reload clears it all.
    tab.reload()
    tab.wait_for_selector("[data-ok-tool]:not([hidden])")
    assert tab.locator('input[name="fst-ok"]:checked').count() == 0
    assert tab.locator(".fst-ok__summary").is_hidden()
    assert tab.locator("#fst-note-what").input_value() == ""
    assert tab.locator(".fst-letter").is_hidden()


def test_the_page_prints_the_situations_as_a_checklist_without_the_tool(tab, site_url):
    open_tool(tab, site_url)
    tab.emulate_media(media="print")
    assert tab.locator(".fst-ok").is_hidden() and tab.locator(".fst-notes").is_hidden()
    marks = tab.locator("li.fst-situation").evaluate_all(
        "lis => lis.map(li => getComputedStyle(li, '::before').content)")
    assert len(marks) == len(SITUATIONS) and all("\u2610" in mark for mark in marks), marks


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_tool_in_use_passes_axe(browser, site_url, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    try:
        open_tool(page, site_url)
        tick(page, EXAMPLE + ("attraction",))
        page.select_option("#fst-ok-who", "counsellor")
        page.fill("#fst-note-what", "Notes")
        page.click('[data-ok-action="make-draft"]')
        violations = axe_violations(page, tags=WCAG_TAGS + BEST_PRACTICE)
        assert not violations, describe_violations(violations)
    finally:
        context.close()
