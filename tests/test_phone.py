"""Made for a worried reader on a phone (issue 15), measured in Chromium.

Get help is one tap away on every page and embed view at every scroll
position; every crisis link is a 44 x 44 px target; the phone menu opens at
its top level; long pages start with their sections; the home page is a
welcome with doors; reading is 18 px text in lines of 60-75 characters
under titles in a solid colour; and the self-check is timed by a scripted
pass, with its summary's words counted for every kind of answer.
"""
from __future__ import annotations

import math
import random
import re
from urllib.parse import urljoin, urlsplit

import pytest

from feeling_safe.content.frontmatter import read_front_matter
from pagecheck import DESKTOP, PHONE
from sitebuild import ROOT, plugin_options, soup, url_of
from test_clinic_site import CLINIC

DOCS = ROOT / "docs"
GET_HELP = url_of(plugin_options()["get_help_page"])
SELF_CHECK = "self-check/"
WHAT_TO_SAY = "what-to-say/"
TARGET = 44  # CSS px, both ways (WCAG 2.5.5)
WORDS_PER_MINUTE = 200
SECONDS_PER_INTERACTION = 4  # find the choice, tap it; reading the statement is counted as words
SUMMARY_MAX_WORDS = 250
# The reader-side word count (feeling_safe/content/reading.py's rule) of an element's visible text.
WORDS = r"""(node) => ((node.innerText || "").match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) || []).length"""


def _fail_with(problems: dict[str, list[str]]) -> None:
    failing = {path: found for path, found in problems.items() if found}
    if failing:
        pytest.fail("\n".join(f"/{path}:\n  " + "\n  ".join(found) for path, found in failing.items()),
                    pytrace=False)


def full_pages(site_paths: list[str]) -> list[str]:
    return [path for path in site_paths if not path.startswith("embed/") and path != "404.html"]


def front_matter(path: str) -> dict:
    source = "index.md" if path == "" else path.strip("/") + ".md"
    return read_front_matter(DOCS / source)


# --- Get help, one tap away ----------------------------------------------------------

HEADER_HELP = """() => {
  const link = document.querySelector(".fst-header-help");
  if (!link) return null;
  const box = link.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {href: link.href, top: box.top, bottom: box.bottom, width: box.width, height: box.height,
          onTop: link === hit || link.contains(hit), text: link.textContent.trim(), scrollY: window.scrollY};
}"""


# --- Every page, loaded once per setting ---------------------------------------------
# The page checks below read what one visit per page found: every page on the
# phone and on a desktop (light), and in dark only the covering set (what dark
# changes, colours, is decided by an element's kind). A page load costs far more
# than a probe, so each page is loaded once per setting, not once per check.

SECTIONS = """() => { const box = document.querySelector('article .in-short');
  const next = box && box.nextElementSibling; const list = document.querySelector('.fst-on-this-page');
  return {afterInShort: next && next.className,
          listShown: !!list && list.getClientRects().length > 0 && getComputedStyle(list).visibility !== 'hidden',
          links: [...document.querySelectorAll('.fst-on-this-page a')].map(a => a.getAttribute('href')),
          headings: [...document.querySelectorAll('article h2[id]')].map(h => '#' + h.id)}; }"""


def _visit(page, url: str, full_page: bool, probes: tuple[str, ...]) -> dict:
    """What `probes` find on the page at `url`; Get help's position is read last (it scrolls)."""
    page.goto(url, wait_until="load")
    seen = {"height": page.evaluate("document.documentElement.scrollHeight")}
    if "crisis" in probes:
        seen["crisis"] = page.evaluate(CRISIS_LINKS)
    if full_page:
        if "title" in probes:
            seen["title"] = page.evaluate(TITLE_CONTRAST)
        if "lines" in probes:
            seen["lines"] = page.evaluate(LINE_LENGTHS)
        if "sections" in probes:
            seen["sections"] = page.evaluate(SECTIONS)
    if "help" in probes:
        seen["help"] = []
        for where in (0, seen["height"] / 2, seen["height"]):
            page.evaluate("y => window.scrollTo(0, y)", where)
            help_link = page.evaluate(HEADER_HELP)
            if help_link is None:
                break
            seen["help"].append(help_link)
    return seen


@pytest.fixture(scope="module")
def visits(browser_context, site_url, site_paths, covering_paths) -> dict[str, dict[str, dict]]:
    """{setting: {page path: what its probes found}} for "phone", "desktop" (every page and
    embed view, light) and "phone-dark" (the covering set)."""
    every = ("crisis", "title", "lines", "sections", "help")
    settings = {"phone": (dict(viewport=PHONE), site_paths, every),
                "desktop": (dict(viewport=DESKTOP), site_paths, every),
                "phone-dark": (dict(viewport=PHONE, color_scheme="dark"), covering_paths, ("title",))}
    found = {}
    for setting, (options, paths, probes) in settings.items():
        page = browser_context(**options).new_page()
        full = set(full_pages(paths))
        found[setting] = {path: _visit(page, site_url + path, path in full, probes) for path in paths}
        page.close()
    return found


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_get_help_is_in_view_at_every_scroll_position(visits, size):
    """Top, middle and bottom of every page and embed view: the header's Get help is on screen, on top, tappable."""
    viewport = PHONE if size == "phone" else DESKTOP
    problems = {}
    for path, seen in visits[size].items():
        if path == "404.html":
            continue
        found = problems.setdefault(path, [])
        if not seen["help"]:
            found.append("no Get help control")
            continue
        for help_link in seen["help"]:
            label = f"scrolled to {help_link['scrollY']:.0f}"
            # (an embed view's links open the guide's canonical address in the top window)
            if urlsplit(help_link["href"]).path != "/" + GET_HELP or help_link["text"] != "Get help":
                found.append(f"{label}: Get help leads to {help_link['href']}")
            if help_link["top"] < 0 or help_link["bottom"] > viewport["height"] or not help_link["onTop"]:
                found.append(f"{label}: Get help is off screen or covered {help_link}")
            if help_link["width"] < TARGET or help_link["height"] < TARGET:
                found.append(f"{label}: Get help is {help_link['width']:.0f}x{help_link['height']:.0f} px")
    _fail_with(problems)
    assert sum(len(seen["help"]) for seen in visits[size].values()) >= 3 * (len(visits[size]) - 1)


CRISIS_LINKS = """() => [...document.querySelectorAll(
    '.fst-get-help a, .fst-header-help, .fst-crisis-action, a[href^="tel:"], a[href^="sms:"]')]
  .filter(a => a.getClientRects().length && getComputedStyle(a).visibility !== "hidden")
  .map(a => { const b = a.getBoundingClientRect();
              return {text: a.textContent.trim(), width: b.width, height: b.height}; })"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_crisis_link_is_a_44_px_target(visits, site_paths, size):
    problems, smallest, seen = {}, None, 0
    for path, found in visits[size].items():
        links = found["crisis"]
        seen += len(links)
        problems[path] = [f"{link['text']!r} is {link['width']:.1f}x{link['height']:.1f} px" for link in links
                          if link["width"] < TARGET or link["height"] < TARGET]
        for link in links:
            size_of = min(link["width"], link["height"])
            smallest = size_of if smallest is None else min(smallest, size_of)
    assert seen > 3 * len(visits[size]), "the probe found crisis links"
    _fail_with(problems)
    assert smallest >= TARGET
    print(f"{size}: {seen} crisis links on {len(visits[size])} pages, the smallest side {smallest:.1f} px")


def test_the_phone_menu_opens_at_the_top_level_with_get_help_now(browser_context, site_url):
    """From mid-page deep in a section: menu, then Get help now (the header's Get help is one tap)."""
    page = browser_context(viewport=PHONE).new_page()
    for path in (SELF_CHECK, "crossing-a-line/", "what-it-is/"):
        page.goto(site_url + path, wait_until="load")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
        page.get_by_role("button", name="Open the site menu").click()
        link = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link",
                            has_text="Get help now")
        # On screen and on top: not under a section the menu opened by itself.
        page.wait_for_function("""(link) => { const box = link.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return box.left >= 0 && box.right <= innerWidth && (hit === link || link.contains(hit)); }""",
                               arg=link.element_handle(), timeout=30_000)
        link.click()
        page.wait_for_url(site_url + GET_HELP)
    page.close()


# --- Where things are on a long page --------------------------------------------------

def test_long_pages_start_with_their_sections_on_phones(visits):
    problems, long_pages = {}, []
    for path, seen in visits["phone"].items():
        sections = seen.get("sections")
        if sections is None or seen["height"] <= 2 * PHONE["height"]:
            continue  # an embed view or the 404 page, or short
        found = problems.setdefault(path, [])
        long_pages.append(path)
        meta = front_matter(path)
        if meta.get("kind") == "home":
            continue
        if meta.get("contents") is False:
            continue  # checked below: the page opens with its own tool or jump links
        if len(sections["headings"]) < 3:
            continue  # no sections to list (the glossary: one list of terms)
        if sections["afterInShort"] != "fst-on-this-page" or not sections["listShown"]:
            found.append(f"no 'On this page' list straight after In short (found {sections['afterInShort']!r})")
            continue
        links, headings = sections["links"], sections["headings"]
        if not links or not set(links) <= set(headings):
            found.append(f"list {links} does not match the sections {headings}")
        if visits["desktop"][path]["sections"]["listShown"]:
            found.append("the list shows on a wide screen, beside the contents sidebar")
    _fail_with(problems)
    assert len(long_pages) > 10
    own = {path for path in long_pages if front_matter(path).get("contents") is False}
    assert own == {SELF_CHECK, WHAT_TO_SAY, "was-this-ok/"}, own  # its tool first: tests/test_was_this_ok.py


def test_words_to_say_lead_with_jump_links_and_phrases_research_below(browser_context, site_url):
    page = browser_context(viewport=PHONE).new_page()
    page.goto(site_url + WHAT_TO_SAY, wait_until="load")
    order = page.evaluate("""() => [...document.querySelector('article').children].map(n =>
        n.matches('.in-short') ? 'short' : n.matches('.fst-jump') ? 'jump' : n.matches('[data-copy-list]') ? 'say'
        : n.tagName === 'H2' ? 'h2:' + n.id : '')""")
    order = [item for item in order if item]
    assert order[:4] == ["short", "jump", "h2:rushed", "say"], order
    research = order.index("h2:a-good-therapist-welcomes-this")
    assert max(i for i, item in enumerate(order) if item == "say") < research
    jumps = page.eval_on_selector_all(".fst-jump a", "as => as.map(a => a.getAttribute('href'))")
    # Each list of words to say, by the section (its h2) it sits in, however many lines lead into it.
    sections = page.eval_on_selector_all("article [data-copy-list]", """ds => ds.map(d => {
        let n = d.previousElementSibling;
        while (n && n.tagName !== 'H2') n = n.previousElementSibling;
        return '#' + n.id; })""")
    assert sorted(jumps) == sorted(set(sections))
    first_phrase = page.locator("[data-copy-list] li").first.bounding_box()
    screens = first_phrase["y"] / PHONE["height"]
    assert screens < 1.5, f"the first phrase is {screens:.1f} screens down"
    page.close()


# --- Home -------------------------------------------------------------------------------

# Looking for a therapist leads to choosing one; the harm door comes before the repair door.
DOORS = ["choosing-a-therapist/", "crossing-a-line/", "signs-it-is-missing/"]
HARM_DOOR = "crossing-a-line/"


def test_home_is_a_welcome_with_doors_not_a_document(site_dir, site_url, browser_context):
    home = soup(site_dir / "index.html")
    article = home.select_one("article")
    assert not article.select(".fst-page-meta, .in-short, .fst-on-this-page")
    assert home.select_one(".md-sidebar--secondary").has_attr("hidden")
    assert not home.select(".md-nav--primary .md-nav--secondary"), "no contents in the menu either"
    doors = [a["href"] for a in article.select(".fst-doors a.fst-door")]
    assert doors == DOORS + ["our-approach/"]
    assert [urljoin("/", a["href"]) for a in article.select(".fst-crisis-line a")][-1] == "/" + GET_HELP
    assert article.select(".fst-crisis-line a[href^='tel:']")
    page = browser_context(viewport=PHONE).new_page()
    page.goto(site_url, wait_until="load")
    for box in page.locator(".fst-door").all():
        size = box.bounding_box()
        assert size["height"] >= 2 * TARGET and size["width"] >= PHONE["width"] - 60, size
    page.close()


def test_the_harm_door_is_in_the_first_screen_on_a_phone(site_dir, site_url, browser_context):
    """A reader harmed by a therapist sees their door without scrolling, at 390 x 844."""
    doors = [a["href"] for a in soup(site_dir / "index.html").select("article a.fst-door")]
    assert HARM_DOOR in doors
    page = browser_context(viewport=PHONE).new_page()
    page.goto(site_url, wait_until="load")
    assert page.evaluate("window.scrollY") == 0
    door = page.locator(f'article a.fst-door[href="{HARM_DOOR}"]')
    box = door.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert door.evaluate("d => { const r = d.getBoundingClientRect(); "
                         "return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('a') === d; }"), \
        "nothing covers the door"
    page.close()


def test_a_clinic_home_has_its_name_and_its_own_doors(clinic_site):
    article = soup(clinic_site / "index.html").select_one("article")
    assert CLINIC["name"] in article.select_one(".fst-welcome").get_text()
    doors = [a["href"] for a in article.select("a.fst-door")]
    assert doors == DOORS + ["our-approach/", CLINIC["contact"]["booking_url"]]
    assert "I run or work at a clinic" not in article.get_text()
    assert CLINIC["short_name"] in article.select("a.fst-door")[3].get_text()


# --- Reading -----------------------------------------------------------------------------

# Characters per full line of the page's longest paragraphs (Range boxes group characters by line).
LINE_LENGTHS = """() => {
  const lengths = [];
  const paragraphs = [...document.querySelectorAll('article > p')]
    .sort((a, b) => b.textContent.length - a.textContent.length).slice(0, 3);
  for (const p of paragraphs) {
    const lines = new Map();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        const top = Math.round(box.top);
        lines.set(top, (lines.get(top) || 0) + 1);
      }
    }
    const counts = [...lines.values()];
    lengths.push(...counts.slice(0, -1));  // the last line of a paragraph is short
  }
  return lengths;
}"""

TITLE_CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const h1 = document.querySelector('article h1');
  const fg = rgb(getComputedStyle(h1).color);
  let bg = [255, 255, 255];
  for (let el = h1; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0.5) { bg = c; break; }
  }
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), alpha: fg.length > 3 ? fg[3] : 1,
          body: parseFloat(getComputedStyle(document.querySelector('article p:not([class])')).fontSize)};
}"""


def test_reading_size_line_length_and_title_contrast(visits):
    """Every page: 18 px body text and a solid title of 7:1 on the phone, lines of 60-75
    characters at 1280 px; in dark, the title's contrast on the covering set (sizes and
    line lengths do not change with the scheme)."""
    problems, measured = {}, []
    for setting in ("phone", "phone-dark"):
        for path, seen in visits[setting].items():
            title = seen.get("title")
            if title is None:
                continue  # an embed view or the 404 page
            found = problems.setdefault(path, [])
            if title["body"] < 18:
                found.append(f"{setting}: body text is {title['body']} px")
            if title["ratio"] < 7 or title["alpha"] != 1:
                found.append(f"{setting}: title contrast {title['ratio']:.1f}:1, alpha {title['alpha']}")
    for path, seen in visits["desktop"].items():
        lengths = seen.get("lines")
        if lengths:
            average = sum(lengths) / len(lengths)
            measured.append(average)
            if not 60 <= average <= 75:
                problems.setdefault(path, []).append(f"lines of {average:.0f} characters at 1280 px")
    _fail_with(problems)
    assert len(measured) > 10
    assert any(seen.get("title") for seen in visits["phone-dark"].values()), "no full page in the dark set"
    print(f"lines of {min(measured):.0f}-{max(measured):.0f} characters at 1280 px")


# --- The self-check, measured -------------------------------------------------------------

SCALE = {"y": "yes", "s": "sometimes", "n": "no", "u": "unsure", "-": None}
# Answer every statement (None leaves one out), ask for the summary, count its words and sentences.
SUMMARY_OF = """(answers) => {
  const form = document.querySelector('.sc-form');
  form.querySelectorAll('.sc-question').forEach((q, i) => {
    q.querySelectorAll('input').forEach(x => { x.checked = false; });
    if (answers[i]) q.querySelector('input[value=' + answers[i] + ']').checked = true;
  });
  form.requestSubmit();
  const s = document.querySelector('.sc-summary');
  const words = ((s.innerText || '').match(/[\\p{L}\\p{N}]+(?:['’-][\\p{L}\\p{N}]+)*/gu) || []).length;
  return {words, phrases: s.querySelectorAll('q').length,
          help: [...s.querySelectorAll('[data-sc-group="help"] a')].map(a => a.href),
          links: [...s.querySelectorAll('a')].map(a => a.href),
          first: [...s.querySelectorAll('[data-sc-group="first"] [data-sc-group]')].map(g => g.dataset.scGroup)};
}"""


@pytest.fixture(scope="module")
def self_check(browser_context, site_url):
    page = browser_context(viewport=PHONE).new_page()
    page.goto(site_url + SELF_CHECK, wait_until="load")
    page.locator(".sc-form").wait_for()
    yield page
    page.close()


def _answers(spec: str, count: int) -> list[str | None]:
    return [SCALE[spec[i % len(spec)]] for i in range(count)]


@pytest.mark.parametrize("spec", ["y", "n", "u", "s", "snyu", "yyyn", "-"])
def test_the_summary_is_short_leads_with_what_matters_and_links_help(self_check, site_url, site_dir, spec):
    statements = soup(site_dir / SELF_CHECK / "index.html").select("[data-sc-list] > li[data-statement]")
    answers = _answers(spec, len(statements))
    summary = self_check.evaluate(SUMMARY_OF, answers)
    print(f"summary for {spec!r}: {summary['words']} words, {summary['phrases']} sentences")
    assert summary["words"] <= SUMMARY_MAX_WORDS
    assert summary["phrases"] <= 3
    assert summary["help"] == [site_url + GET_HELP], "every summary links Get help now"
    harmed = any(a in ("no", "unsure", "sometimes") for li, a in zip(statements, answers) if li.has_attr("data-sc-harm"))
    pages = [link.split("#")[0] for link in summary["links"]]
    if harmed:
        assert site_url + "crossing-a-line/" in pages
        assert summary["first"][0] == "harm", "a line crossed leads"
    else:
        assert site_url + "crossing-a-line/" not in pages
    if not harmed and any(a in ("no", "sometimes") for li, a in zip(statements, answers)
                          if not li.has_attr("data-sc-harm")):
        assert "lead" in summary["first"], "the strongest concern comes first"
    # Nothing in it points at something that is not on screen.
    text = self_check.locator(".sc-summary").inner_text().lower()
    assert not re.search(r"\b(under|below) (that|this|each) statement|the note under", text)


def test_no_answer_pattern_makes_the_summary_long(self_check, site_dir):
    """500 random patterns (skips included), beyond the named ones."""
    count = len(soup(site_dir / SELF_CHECK / "index.html").select("[data-sc-list] > li[data-statement]"))
    rng = random.Random(15)
    patterns = [[rng.choice(list(SCALE.values())) for _ in range(count)] for _ in range(500)]
    results = self_check.evaluate(f"patterns => patterns.map({SUMMARY_OF})", patterns)
    longest = max(results, key=lambda r: r["words"])
    print(f"longest summary of 500 random patterns: {longest['words']} words")
    assert longest["words"] <= SUMMARY_MAX_WORDS
    assert max(r["phrases"] for r in results) <= 3


def test_a_scripted_pass_takes_the_time_the_page_states(browser_context, site_url, site_dir):
    """Read the page down to the form and the form itself at 200 words a minute, answer every
    statement and ask for the summary (4 s each), read the summary: at most 4 minutes, and
    the page says so, in its text and under its title."""
    page = browser_context(viewport=PHONE).new_page()
    page.goto(site_url + SELF_CHECK, wait_until="load")
    before = page.evaluate("""(words) => { let n = 0; const root = document.querySelector('[data-self-check]');
        for (const node of document.querySelector('article').children) { if (node === root) break; n += words(node); }
        return n + words(root.querySelector('.sc-form')); }""".replace("words(", "(" + WORDS + ")("))
    interactions = 0
    questions = page.locator(".sc-question")
    for index in range(questions.count()):  # a mixed, realistic set of answers
        questions.nth(index).locator(f"input[value={SCALE['nysu'[index % 4]]}]").check()
        interactions += 1
    page.get_by_role("button", name="See my summary").click()
    interactions += 1
    after = page.locator(".sc-summary").evaluate(WORDS)
    seconds = (before + after) / WORDS_PER_MINUTE * 60 + interactions * SECONDS_PER_INTERACTION
    minutes = math.ceil(seconds / 60)
    print(f"self-check pass: {before} + {after} words, {interactions} interactions = {seconds:.0f} s")
    assert seconds <= 4 * 60
    stated = front_matter(SELF_CHECK)["minutes"]
    assert stated == minutes
    assert page.locator(".fst-page-meta__time").inner_text() == f"Takes about {stated} min"
    assert f"It takes about {stated} minutes." in page.locator("article").inner_text()
    page.close()


def test_copying_nothing_says_so_and_the_first_choice_is_three_tabs_in(browser_context, site_url):
    page = browser_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"]).new_page()
    page.goto(site_url + SELF_CHECK, wait_until="load")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.md-skip')")
    page.keyboard.press("Enter")
    for presses in range(1, 4):  # noqa: B007  (read after the loop)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.sc-question input')"):
            break
    assert page.evaluate("document.activeElement.matches('.sc-question input')"), "more than three Tabs"
    print(f"first choice: {presses} Tabs after the skip link")
    page.locator(".sc-question").first.locator("input[value=no]").check()
    page.get_by_role("button", name="See my summary").click()
    page.evaluate("navigator.clipboard.writeText('before')")
    page.get_by_role("button", name="Copy my notes").click()
    page.locator("[data-self-check] [role=status]").filter(has_text="Nothing to copy yet").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == "before"
    page.close()


# --- The plain functions behind it -----------------------------------------------------------

def test_the_contents_list_goes_after_in_short_and_skips_the_build_sections():
    from types import SimpleNamespace as Item

    from feeling_safe.content.contents import insert_after_summary, sections, wants_list
    toc = [Item(level=1, id="t", url="#t", title="T", children=[
        Item(level=2, id="a", url="#a", title="Rock &amp; roll", children=[]),
        Item(level=2, id="b", url="#b", title="B", children=[]),
        Item(level=2, id="c", url="#c", title="C", children=[]),
        Item(level=2, id="next-step", url="#next-step", title="Next step", children=[]),
        Item(level=2, id="sources", url="#sources", title="Sources", children=[])])]
    found = sections(toc)
    assert found == [{"url": "#a", "title": "Rock & roll"}, {"url": "#b", "title": "B"}, {"url": "#c", "title": "C"}]
    assert wants_list({"kind": "explainer"}, 600, found)
    assert not wants_list({"kind": "explainer"}, 200, found)
    assert not wants_list({"kind": "explainer", "contents": False}, 600, found)
    assert not wants_list({"kind": "home"}, 600, found)
    assert not wants_list({"kind": "explainer"}, 600, found[:2])
    html = '<h1>T</h1><div class="admonition in-short"><p>x</p><div>y</div></div><p>z</p>'
    assert insert_after_summary(html, "<nav>L</nav>") == \
        '<h1>T</h1><div class="admonition in-short"><p>x</p><div>y</div></div>\n<nav>L</nav><p>z</p>'
    assert insert_after_summary("<h1>T</h1><p>z</p>", "<nav>L</nav>") == "<h1>T</h1>\n<nav>L</nav><p>z</p>"


def test_the_menu_loses_its_copy_of_the_contents_but_keeps_the_page_link():
    from feeling_safe.pages import html as pages_html
    from feeling_safe.pages.theme_fixes import drop_menu_contents
    page = pages_html.parse(
        '<ul><li class="md-nav__item md-nav__item--active">\n<input class="md-nav__toggle md-toggle" type="checkbox" '
        'id="__toc">\n<label class="md-nav__link md-nav__link--active" for="__toc">\n<span>Page</span>\n</label>\n'
        '<a href="./" class="md-nav__link md-nav__link--active">\n<span>Page</span>\n</a>\n'
        '<nav class="md-nav md-nav--secondary" aria-label="On this page">\n<ul><li><nav class="md-nav">'
        '<ul><li>x</li></ul></nav></li></ul>\n</nav>\n</li></ul>')
    drop_menu_contents(page)
    item = page.css_first("li.md-nav__item--active")
    assert [child.tag for child in item.iter()] == ["input", "a"] and item.css_first("a").attributes["href"] == "./"
    assert page.css_first("label") is None and page.css_first("nav") is None
    unchanged = pages_html.parse("<p>no menu</p>")
    drop_menu_contents(unchanged)
    assert unchanged.body.inner_html == "<p>no menu</p>"


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_the_guide_s_name_is_never_cut_in_the_header(browser_context, site_url, width):
    """Below 600 px the header shows the plugin's short_name, whole; wider, the site name."""
    from sitebuild import site_config

    page = browser_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(site_url + "what-it-is/", wait_until="load")
    shown = page.evaluate("""() => {
      const names = [...document.querySelectorAll('.md-header__topic .fst-name-full, .md-header__topic .fst-name-short')]
        .filter(node => node.getClientRects().length);
      const box = document.querySelector('.md-header__topic .md-ellipsis');
      return {text: names.map(node => node.innerText), cut: box.scrollWidth > box.clientWidth};
    }""")
    page.close()
    expected = plugin_options()["short_name"] if width < 600 else site_config()["site_name"]
    assert shown == {"text": [expected], "cut": False}
