"""The guide's pages, checked on the session-built site, one test per page and rule.

Pages are the Markdown files in docs/ (known at collection time); each maps
to its built HTML in the session site. Front matter is read from the source
only to know what to expect (kind, dates, citations, covers).
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import textstat
from bs4 import BeautifulSoup

from feeling_safe.content import region_text
from feeling_safe.content.citations import cited_keys
from feeling_safe.content.frontmatter import HARM_IDEA_COUNT, IDEA_COUNT, as_date, read_front_matter
from feeling_safe.content.glossary import load_terms
from feeling_safe.content.reading import GENERATED, reading_minutes, word_count
from sitebuild import ROOT, nav_sources, plugin_options, site_config, soup, url_of

DOCS = ROOT / "docs"
CONFIG = site_config()
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
GLOSSARY = plugin_options()["glossary_page"]
# What the unbranded build holds for <!-- only: ... --> text: its region, and no clinic's PSYPACT.
HELD = region_text.facts(region_text.text_region(plugin_options().get("complaint_region"),
                                                 plugin_options().get("crisis_region", "us")))
GET_HELP = plugin_options()["get_help_page"]
EXPLAINER_WORDS = (250, 1300)
MAX_GRADE = 8


NAV = nav_sources(CONFIG["nav"])  # the reading path


def meta(src: str) -> dict:
    return read_front_matter(DOCS / src)


def body(src: str) -> str:
    return (DOCS / src).read_text(encoding="utf-8").split("---", 2)[-1]


def article(site_dir: Path, src: str):
    return soup(site_dir / url_of(src) / "index.html").select_one("article")


def _strip_generated(node) -> None:
    """Remove what the build adds around a writer's text: meta line, covers note, Next step, Sources."""
    for selector in GENERATED:
        for element in node.select(selector):
            element.decompose()


def prose(site_dir: Path, src: str) -> str:
    """The page's body prose, as read for the reading-grade check.

    Taken from a fresh parse of the built <article>: the text of every <p>,
    <li> and <dd> (a list item without its nested lists or paragraphs, which
    count on their own), one block per line. Excluded: the H1 and all other
    headings, code and preformatted blocks, tables, the "In short" box title
    (.admonition-title), in-text citation links ("(Author, 2018)"), and the
    parts the build adds (reading-time/review line, covers note, Next step,
    Sources). The get-help line is outside the <article>, so never included.
    A block that does not end in . ! ? : gets a full stop, so list items and
    short labels count as sentences rather than running into the next block.
    """
    node = BeautifulSoup(str(article(site_dir, src)), "lxml").select_one("article")
    _strip_generated(node)
    for selector in ("h1", "h2", "h3", "h4", "h5", "h6", "pre", "code", "table",
                     ".admonition-title", "a[href^='#source-']"):
        for element in node.select(selector):
            element.decompose()
    blocks = []
    for block in node.select("p, li, dd"):
        copy = BeautifulSoup(str(block), "lxml").select_one(block.name)
        for nested in copy.select("ul, ol, p, dl"):
            nested.decompose()
        text = " ".join(copy.get_text(" ").split())
        text = re.sub(r"\s*\(\s*\)", "", text)  # a citation's brackets, its link removed
        text = re.sub(r"\s+([.,;:!?])", r"\1", text).strip()
        if text:
            blocks.append(text if text[-1] in ".!?:" else text + ".")
    return "\n".join(blocks)


def writer_words(site_dir: Path, src: str) -> int:
    """Words the writer wrote, as built: the article minus the build's additions."""
    node = BeautifulSoup(str(article(site_dir, src)), "lxml").select_one("article")
    _strip_generated(node)
    return word_count(node.get_text(" "))


# Shape -------------------------------------------------------------------------

@pytest.mark.content
@pytest.mark.parametrize("src", PAGES)
def test_one_h1_matching_the_title(site_dir, src):
    h1s = article(site_dir, src).find_all("h1")
    assert len(h1s) == 1
    assert h1s[0].get_text(" ", strip=True) == meta(src)["title"]


@pytest.mark.content
@pytest.mark.parametrize("src", PAGES)
def test_in_short_summary_comes_first(site_dir, src):
    """After the H1 come only the build's covers note and meta line, then the "In short" box;
    the home page is a welcome, not a document: a short welcome line instead."""
    first = article(site_dir, src).find("h1").find_next_sibling()
    if meta(src)["kind"] == "home":
        assert first.name == "p" and "fst-welcome" in first.get("class", []), str(first)[:120]
        assert not article(site_dir, src).select(".in-short")
        return
    while first is not None and {"fst-covers", "fst-page-meta"} & set(first.get("class") or ()):
        first = first.find_next_sibling()
    assert first is not None and first.name == "div" and "in-short" in first.get("class", []), \
        f"first element after the H1 is {str(first)[:120]}"
    assert first.select_one(".admonition-title").get_text(strip=True) == "In short"


@pytest.mark.content
@pytest.mark.parametrize("src", PAGES)
def test_heading_levels_are_not_skipped(site_dir, src):
    levels = [int(h.name[1]) for h in article(site_dir, src).find_all(re.compile(r"^h[1-6]$"))]
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert levels[0] == 1 and not skips, f"heading levels {levels}"


@pytest.mark.parametrize("src", PAGES)
def test_reading_time_and_last_reviewed_under_the_title(site_dir, src):
    page = article(site_dir, src)
    line = page.select_one("h1 ~ p.fst-page-meta")
    if meta(src)["kind"] == "home":  # a welcome: no reading time, no date
        assert line is None
        return
    if meta(src).get("minutes"):  # a tool's measured time to use it (tests/test_phone.py measures it)
        assert re.search(r"Takes about (\d+) min\b", line.get_text()).group(1) == str(meta(src)["minutes"])
    else:
        minutes = int(re.search(r"(\d+) min read", line.get_text()).group(1))
        # The hook counts the Markdown, this the built text: they may differ by a few words.
        assert abs(minutes - reading_minutes(writer_words(site_dir, src))) <= 1
    assert line.find("time")["datetime"] == as_date(meta(src)["last_reviewed"]).isoformat()
    covers = meta(src).get("covers")
    note = page.select_one("h1 + p.fst-covers")
    assert (note.get_text(strip=True) if note else None) == (" ".join(covers.split()) if covers else None)


# Sources and the reading path ----------------------------------------------------

def body_with_data(src: str) -> str:
    """The page's Markdown as the unbranded build reads it: only its region's text (<!-- only: ... -->),
    with the build's data lists put in at their markers (crisis lines, complaint routes, the
    situations of "Was this OK?"), so their sources count as the page's citations."""
    from feeling_safe.content import complaints, crisis, situations
    from feeling_safe.content.citations import load_references

    options = plugin_options()
    region = crisis.resolve(options.get("crisis_region", "us"), crisis.load_regions())
    routes = complaints.resolve(options.get("complaint_region"), options.get("crisis_region", "us"),
                                complaints.load_routes(), load_references().keys())
    text = region_text.keep_fitting(body(src), HELD)
    text = complaints.insert_routes(crisis.insert_numbers(text, region), routes)
    return situations.insert_situations(text, situations.load_checked(load_references().keys()))


@pytest.mark.content
@pytest.mark.parametrize("src", PAGES)
def test_pages_that_cite_have_sources_and_every_citation_resolves(site_dir, src):
    page = article(site_dir, src)
    keys = cited_keys(body_with_data(src))
    heading = page.find("h2", id="sources")
    assert (heading is not None) == bool(keys)
    listed = [li["id"] for li in page.select("#sources + ol.fst-sources > li")]
    assert listed == [f"source-{key}" for key in keys]
    cited = {a["href"][1:] for a in page.select("a[href^='#source-']")}
    assert cited == set(listed)
    assert heading is None or heading.find_next_sibling("h2") is None, "Sources must be the last section"


@pytest.mark.parametrize("src", [p for p in NAV if meta(p)["kind"] != "help"])
def test_next_step_links_to_the_next_page_in_the_nav(site_dir, src):
    position = NAV.index(src)
    target = NAV[position + 1] if position + 1 < len(NAV) else NAV[0]
    link = article(site_dir, src).select_one("#next-step + p a")
    assert urljoin("/" + url_of(src), link["href"]) == "/" + url_of(target)
    assert link.get_text(strip=True) == meta(target)["title"]


@pytest.mark.parametrize("src", [p for p in NAV if meta(p)["kind"] == "help"])
def test_help_pages_end_without_a_next_step(site_dir, src):
    assert article(site_dir, src).select_one("#next-step") is None


# Length and reading level ----------------------------------------------------------

@pytest.mark.content
@pytest.mark.parametrize("src", [p for p in PAGES if meta(p)["kind"] == "explainer"])
def test_explainer_word_count(site_dir, src):
    low, high = EXPLAINER_WORDS
    assert low <= writer_words(site_dir, src) <= high


@pytest.mark.content
@pytest.mark.parametrize("src", PAGES)
def test_reading_grade_at_most_8(site_dir, src):
    text = prose(site_dir, src)
    assert word_count(text) > 0
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"Flesch-Kincaid grade {grade} for {word_count(text)} words"


# Research claims -----------------------------------------------------------------------

RESEARCH_WORDS = re.compile(r"\b(research|researchers|study|studies|studied|survey|meta-analysis|reviews?)\b", re.I)
FIGURE = re.compile(r"\b(?:r|d|g|OR) = \d*\.\d+|\d[\d,.]*%|\b\d[\d,]* (?:studies|clients|patients|samples|people)\b")


def paragraphs(src: str) -> list[str]:
    """The body's paragraphs and list items as written (headings and the "In short" box left out).

    A paragraph ending in ":" is kept with the list it introduces, whose items carry its sources.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body(src)) if b.strip()]
    found: list[str] = []
    for block in blocks:
        if block.startswith(("#", "!!!", "<")):
            continue
        items = re.split(r"\n(?=\s*(?:[-*+]|\d+\.) )", block)
        if found and found[-1].endswith(":") and re.match(r"\s*(?:[-*+]|\d+\.) ", block):
            lead = found.pop()
            items = [f"{lead} {item}" for item in items]
        found += [" ".join(item.split()) for item in items]
    return found


@pytest.mark.content
@pytest.mark.parametrize("src", [p for p in PAGES if meta(p)["kind"] in ("explainer", "tool")])
def test_every_research_statement_cites_its_source(src):
    """A paragraph that talks about research names its source there, not somewhere else on the page."""
    uncited = [p for p in paragraphs(src) if RESEARCH_WORDS.search(p) and not cited_keys(p)]
    assert not uncited, f"docs/{src}: cite a source ([@key]) or say it as experience:\n" + "\n".join(uncited)


@pytest.mark.content
def test_each_research_figure_is_given_on_one_page():
    """A study's figures are stated once, on the page where they matter most; other pages link there."""
    pages_of: dict[tuple[str, str], set[str]] = {}
    for src in PAGES:
        for paragraph in paragraphs(src):
            for key in cited_keys(paragraph):
                for figure in FIGURE.findall(paragraph):
                    pages_of.setdefault((key, figure), set()).add(src)
    repeated = {f"{key}: {figure}": sorted(srcs) for (key, figure), srcs in pages_of.items() if len(srcs) > 1}
    assert not repeated, f"figures given on more than one page: {repeated}"


# Get help and the glossary -----------------------------------------------------------

@pytest.mark.parametrize("src", PAGES)
def test_get_help_line_on_every_page(site_dir, src):
    page = soup(site_dir / url_of(src) / "index.html")
    line = page.select_one(".md-banner .fst-get-help")
    more = line.select_one("a.fst-get-help__more")
    assert urljoin("/" + url_of(src), more["href"]) == "/" + url_of(GET_HELP)
    assert line.select("a[href^='tel:']")
    assert line.find_parent("header") is None and line.find_next("h1") is not None, "before the title"


def test_get_help_page_lists_every_line(site_dir):
    from feeling_safe.content.crisis import load_regions, resolve

    region = resolve(plugin_options().get("crisis_region", "us"), load_regions())
    page = article(site_dir, GET_HELP)
    hrefs = {a["href"] for a in page.select("a.fst-crisis-way")}
    assert {link["href"] for line in region["lines"] for link in line["links"]} == hrefs
    assert "<!-- crisis-numbers -->" not in str(page)


# The unbranded build's terms: those its region's text may use (glossary `only:`).
TERMS = [t for t in load_terms(GLOSSARY, meta(GLOSSARY).get("terms")) if region_text.fits(t.only, HELD)]


def test_glossary_lists_every_term_with_an_id(site_dir):
    page = article(site_dir, GLOSSARY)
    assert TERMS, "the glossary has terms"
    for term in TERMS:
        assert page.find("dt", id=term.anchor).get_text(strip=True) == term.term


def _term_pattern(name: str) -> re.Pattern:
    flags = 0 if name.isupper() else re.I
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flags)


@pytest.mark.parametrize("src", [p for p in PAGES if p != GLOSSARY])
def test_glossary_tooltips_where_terms_occur(site_dir, src):
    """Every term used in the prose has one focusable tooltip; none in headings or links."""
    page = article(site_dir, src)
    node = BeautifulSoup(str(page), "lxml").select_one("article")
    _strip_generated(node)  # the writer's text (a data directory such as the complaint routes is not)
    tips = [(tip["title"], tip.get("tabindex"), tip.find_parent(re.compile(r"^(h[1-6]|a|button)$")))
            for tip in node.select("abbr.fst-term")]
    for selector in ("h1", "h2", "h3", "h4", "h5", "h6", "a", "pre", "code", ".admonition-title"):
        for element in node.select(selector):
            element.decompose()
    text = node.get_text(" ")
    used = [t for t in TERMS if any(_term_pattern(n).search(text) for n in t.names)]
    assert sorted(title for title, _tabindex, _parent in tips) == sorted(t.definition for t in used)
    for _title, tabindex, parent in tips:
        assert tabindex == "0"
        assert parent is None


def test_glossary_tooltip_shows_on_keyboard_focus(page, site_url, site_dir):
    """In Chromium: Tab reaches a term, and its definition becomes visible text on focus."""
    src = next(p for p in NAV if p != GLOSSARY and article(site_dir, p).select_one("abbr.fst-term"))
    page.goto(site_url + url_of(src))
    term = page.locator("article abbr.fst-term").first
    definition = term.get_attribute("title")
    hidden = page.evaluate("e => getComputedStyle(e, '::after').content", term.element_handle())
    page.locator("article h1").click()  # Tab continues from the title
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("e => document.activeElement === e", term.element_handle()):
            break
    assert page.evaluate("e => document.activeElement === e", term.element_handle())
    shown = page.evaluate("e => getComputedStyle(e, '::after').content", term.element_handle())
    assert hidden in ("none", "normal") and shown == f'"{definition}"'


@pytest.mark.content
def test_every_idea_of_the_outline_is_carried_by_a_page():
    """The `ideas:` lists together cover every idea of the outline (C1..C73 and part 2's H1..H26)."""
    claimed = {idea for src in PAGES for idea in meta(src).get("ideas", [])}
    wanted = [f"C{n}" for n in range(1, IDEA_COUNT + 1)] + [f"H{n}" for n in range(1, HARM_IDEA_COUNT + 1)]
    missing = [idea for idea in wanted if idea not in claimed]
    assert not missing, f"ideas no page carries: {missing}"


@pytest.mark.content
@pytest.mark.parametrize("src", [p for p in PAGES if meta(p)["kind"] == "explainer"])
def test_every_explainer_names_the_ideas_it_carries(src):
    assert meta(src).get("ideas"), f"docs/{src}: list the outline ideas it carries in `ideas:`"
