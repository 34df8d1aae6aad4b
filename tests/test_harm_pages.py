"""The pages a reader harmed by a therapist reads, checked on the built site for structure:
which section names which line, which route comes first, where a door or link leads.

The words themselves are the writers'; these tests look for the section, the link, the order
and a few word stems that name a thing (shaming, confidentiality), never for a sentence.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from sitebuild import built, soup, url_of
from test_regions import other_region_sites, region_sites  # noqa: F401, F811  (their session builds)

CROSSING = "crossing-a-line.md"
SIGNS = "signs-it-is-missing.md"

# What is named as a line crossed, by word stem.
SHAMING = re.compile(r"\b(sham|humiliat|contempt|mock)", re.I)
CONFIDENTIALITY = re.compile(r"\b(confidential|private|privacy)", re.I)


def article(site_dir, source: str):
    return soup(built(site_dir, source)).select_one("article")


def section(page, heading_id: str) -> list:
    """The elements under an H2, up to the next H2."""
    heading = page.find(id=heading_id)
    assert heading is not None and heading.name == "h2", heading_id
    found = []
    for node in heading.find_next_siblings():
        if node.name == "h2":
            break
        found.append(node)
    return found


def links_of(site_dir, source: str, node) -> set[str]:
    """The pages a node links to, as site-relative URLs without fragments."""
    base = "/" + url_of(source)
    return {urljoin(base, a["href"]).split("#")[0] for a in node.select("a[href]")
            if not a["href"].startswith("#")}


@pytest.mark.content
def test_shaming_and_breaking_confidentiality_are_lines_crossed_not_an_off_day(site_dir):
    lines = section(article(site_dir, CROSSING), "other-lines-a-therapist-should-not-cross")
    items = [li for node in lines if node.name == "ul" for li in node.select("li")]
    for stem, what in ((SHAMING, "shaming"), (CONFIDENTIALITY, "breaking confidentiality")):
        named = [li for li in items if stem.search(li.get_text())]
        assert named, f"{what} is listed as a line crossed"
        assert all(li.select("a[href^='#source-']") for li in named), f"{what}: cited"
    # "Signs it is missing": the therapist's everyday failings (the list an off day may explain)
    # do not include shaming; where shaming is named, it leads to the harm page.
    signs = section(article(site_dir, SIGNS), "signs-in-what-your-therapist-does")
    for node in signs:
        if node.name == "ul":
            assert not [li for li in node.select("li") if SHAMING.search(li.get_text())], \
                "shaming is not one of the signs an off day may explain"
    named = [node for node in signs if node.name == "p" and SHAMING.search(node.get_text())]
    assert named, "shaming is named on the signs page"
    for node in named:
        assert "/" + url_of(CROSSING) in links_of(site_dir, SIGNS, node)
        assert CONFIDENTIALITY.search(node.get_text()), "and breaking confidentiality with it"


@pytest.mark.content
def test_get_help_now_puts_the_harm_route_before_the_repair_route(site_dir):
    page = article(site_dir, "get-help-now.md")
    order = [urljoin("/get-help-now/", a["href"]).split("#")[0] for a in page.select("a[href]")]
    harm = [order.index(p) for p in ("/crossing-a-line/", "/complaints/")]
    repair = order.index("/when-it-is-missing/")
    assert max(harm) < repair, order


# Raising a concern is never played down as "not a complaint": a complaint is one of the reader's options.
NOT_A_COMPLAINT = re.compile(r"(not|n't|never|no)\s+(really\s+)?(a\s+)?complain", re.I)


@pytest.mark.content
def test_no_page_calls_raising_a_concern_not_a_complaint(built_pages):
    said = {}
    for path in built_pages:
        main = soup(path).select_one("article") or soup(path).body
        if main is not None and (found := NOT_A_COMPLAINT.search(main.get_text(" "))):
            said[path.as_posix()] = found.group(0)
    assert said == {}


# After therapy ends: each region's codes, by their own standards; no rule stated for everyone.
AFTER_THERAPY = "after-therapy-ends"
CODES = {
    "us": {"apa-ethics-10-08", "aca-ct-2006-five-years", "nasw-1-09-former-clients",
           "ca-dca-therapy-never-includes-sexual-behavior"},
    "ca": {"crpo-sexual-abuse"},
    "uk": {"bacp-ethical-framework-sexual"},
    "ie": set(),
    "au": set(),
}
YEARS = re.compile(r"\b(one|two|three|four|five|\d+)[ -]years?\b", re.I)


def cited(node) -> set[str]:
    return {a["href"][len("#source-"):] for a in node.select("a[href^='#source-']")}


@pytest.mark.content
@pytest.mark.parametrize("code", list(CODES))
def test_after_therapy_rules_are_stated_by_code_and_place(region_sites, code):  # noqa: F811
    harm = soup(region_sites[code] / "crossing-a-line" / "index.html").select_one("article")
    during = [node for node in section(harm, AFTER_THERAPY) if node.name == "p"]
    # First, on the harm page: what happened during therapy was already a line crossed (cited),
    # and the rules after therapy are a link away.
    assert during and cited(during[0])
    assert any(a["href"] == "../changing-or-ending/#relationships-after-therapy"
               for node in during for a in node.select("a[href]"))
    page = soup(region_sites[code] / "changing-or-ending" / "index.html").select_one("article")
    blocks = [node for node in section(page, "relationships-after-therapy") if node.name in ("p", "ul")]
    assert blocks, "the section is in every region's build"
    # Each code's rule is cited from that code, in its own region only.
    keys = set().union(*(cited(node) for node in blocks))
    assert CODES[code] <= keys
    assert not keys & set().union(*(CODES[other] for other in CODES if other != code)) - CODES[code]
    # A waiting time is only ever stated with the code or law that sets it, never on its own.
    for node in (li for block in blocks for li in ([block] if block.name == "p" else block.select("li"))):
        if YEARS.search(node.get_text()):
            assert cited(node) & CODES[code], node.get_text()
            assert cited(node) != {"apa-ethics-10-05-10-06"}


@pytest.mark.content
def test_the_warning_signs_of_grooming_are_listed_cited_and_linked_from_the_harm_page(site_dir):
    signs = section(article(site_dir, SIGNS), "grooming")
    lists = [node for node in signs if node.name == "ul"]
    assert lists and len(lists[0].select("li")) >= 4
    intro = lists[0].find_previous_sibling("p")
    assert intro.select("a[href^='#source-']"), "the list says whose list it is, and cites it"
    assert "/" + url_of(CROSSING) in set().union(*(links_of(site_dir, SIGNS, node) for node in signs))
    harm = article(site_dir, CROSSING)
    assert harm.select(f'a[href="../{url_of(SIGNS)}#grooming"]'), "the harm page links the signs"
    reactions = section(harm, "reactions")
    assert any(node.select("a[href^='#source-']") for node in reactions), "common reactions are cited"


# Sexual-assault support lines where a source confirms them, each only in its own region's build.
SUPPORT_LINES = {"us": "rainn.org", "au": "1800respect.org.au"}
PHONE_DIGITS = re.compile(r"\b\d{3,4}[ .-]\d{3}[ .-]\d{3,4}\b")


@pytest.mark.content
@pytest.mark.parametrize("code", list(CODES))
def test_sexual_assault_support_lines_are_shown_only_in_their_region(region_sites, code):  # noqa: F811
    page = soup(region_sites[code] / "crossing-a-line" / "index.html").select_one("article")
    blocks = section(page, "what-you-can-do")
    hosts = {host for host in SUPPORT_LINES.values()
             if any(a["href"].split("/")[2].removeprefix("www.") == host
                    for node in blocks for a in node.select("a[href^='https://']"))}
    assert hosts == ({SUPPORT_LINES[code]} if code in SUPPORT_LINES else set())
    for node in blocks:
        if code in SUPPORT_LINES and node.select(f"a[href*='{SUPPORT_LINES[code]}']"):
            assert node.select("a[href^='#source-']"), "the line is cited"
            if code == "au":  # its description is confirmed, its digits are not: no number is printed
                assert not PHONE_DIGITS.search(node.get_text()), node.get_text()


# Never told to ask the person who harmed them which body they belong to: where a harmed reader
# reads, a sentence that sends them to ask the therapist about a body or register is refused.
# The routes' own notes and cards (data/complaint-routes.yml) are read with the rest of the page.
HARM_READING = ["crossing-a-line", "complaints", "get-help-now"]
ASK_THEM = re.compile(r"\bask (them|him|her|your therapist|the therapist)\b", re.I)
NOT_NEEDED = re.compile(r"(n't|\bnot|\bno|\bnever)( need| have)? to ask\b|\bno need to ask\b", re.I)
A_BODY = re.compile(r"\b(body|bodies|register|registered|belong|board|college|association)", re.I)


def told_to_ask_the_therapist(text: str) -> list[str]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]
    return [sentence for before, sentence in zip(["", *sentences], sentences)
            if ASK_THEM.search(sentence) and not NOT_NEEDED.search(sentence)
            and A_BODY.search(before + " " + sentence)]


def test_the_scan_would_see_advice_to_ask_the_therapist():
    assert told_to_ask_the_therapist("You can ask your therapist which professional body they are registered with.")
    assert told_to_ask_the_therapist("It helps to know which body your therapist belongs to. You can ask them, or look.")
    assert not told_to_ask_the_therapist("Which body? You don't need to ask them. Look at their letters.")
    assert not told_to_ask_the_therapist("You can ask them to slow down.")


@pytest.mark.content
@pytest.mark.parametrize("code", list(CODES))
def test_a_harmed_reader_is_never_told_to_ask_the_therapist_which_body(region_sites, code):  # noqa: F811
    found = {}
    for slug in HARM_READING:
        page = soup(region_sites[code] / slug / "index.html").select_one("article")
        if said := told_to_ask_the_therapist(page.get_text(" ")):
            found[slug] = said
    starters = soup(region_sites[code] / "what-to-say" / "index.html")
    crossed = " ".join(node.get_text(" ") for node in section(starters, "crossed-a-line"))
    if said := told_to_ask_the_therapist(crossed):
        found["what-to-say#crossed-a-line"] = said
    assert found == {}


@pytest.mark.content
def test_choosing_a_therapist_shows_how_to_look_someone_up(site_dir):
    page = article(site_dir, "choosing-a-therapist.md")
    heading = page.find(id="look-up")
    assert heading is not None and heading.name == "h3"
    steps = heading.find_next_sibling("ol")
    assert steps is not None and len(steps.select(":scope > li")) >= 3
    assert steps.select("a[href^='#source-']"), "what a register search asks for is cited"
    complaints = article(site_dir, "complaints.md")
    assert complaints.select('a[href="../choosing-a-therapist/#look-up"]'), "complaints links the steps"


# Money a therapist asks for is told apart from the fee: wherever a page says a therapist asking
# for (or seeking) money is never part of therapy, the same sentence says "beyond the fee".
ASKING_FOR_MONEY = re.compile(r"\b(ask|asking|asks|seek|seeking|seeks)\b[^.]{0,20}\bmoney\b", re.I)


@pytest.mark.content
def test_asking_for_money_is_told_apart_from_fees(built_pages):
    found = []
    for path in built_pages:
        main = soup(path).select_one("article")
        if main is None:
            continue
        text = " ".join(main.get_text(" ").split())
        found += [f"{path.parent.name}: {sentence}" for sentence in re.split(r"(?<=[.!?])\s+", text)
                  if ASKING_FOR_MONEY.search(sentence) and not re.search(r"\bfees?\b", sentence)]
    assert found == []


# Reading level is said in words: no page names a US school grade to its readers.
SCHOOL_GRADE = re.compile(r"\b(grade|grades)\s+\d|\b\d+(st|nd|rd|th)[ -]grade\b", re.I)


@pytest.mark.content
def test_no_page_states_a_school_grade(built_pages):
    found = {}
    for path in built_pages:
        main = soup(path).select_one("article")
        if main is None:
            continue
        copy = BeautifulSoup(str(main), "lxml")
        for part in copy.select("#sources, #sources + ol, ol.fst-sources, a[href^='#source-']"):
            part.decompose()
        if grade := SCHOOL_GRADE.search(copy.get_text(" ")):
            found[path.parent.name] = grade.group(0)
    assert found == {}


# The words the harm pages lean on are explained where a harmed reader meets them.
@pytest.mark.content
@pytest.mark.parametrize(("source", "term"), [
    (SIGNS, "grooming"), ("complaints.md", "regulator"), ("complaints.md", "complaint"), (CROSSING, "complaint"),
])
def test_harm_words_are_in_the_glossary_and_explained_where_used(site_dir, source, term):
    glossary = soup(built(site_dir, "glossary.md"))
    assert glossary.find("dt", id=f"term-{term}"), term
    tips = [tip for tip in article(site_dir, source).select("abbr.fst-term")
            if re.match(rf"{term}s?$", tip.get_text(strip=True), re.I)]
    assert len(tips) == 1 and tips[0]["title"], (source, term)
