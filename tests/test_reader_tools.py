"""The reader tools: the private self-check and the copy buttons on "Words to bring it up".

Built-HTML tests check the no-JavaScript content; browser tests drive Debian's
Chromium by keyboard and prove that nothing about the reader's answers leaves
the page: no request but the local server, no cookie, no storage write.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from axe import axe_url, axe_violations, describe_violations
from sitebuild import page_tools, soup

SELF_CHECK = "self-check/"
WHAT_TO_SAY = "what-to-say/"
GET_HELP = "get-help-now/"
# Where a "no" or "not sure" about professional limits or privacy leads.
CROSSING_A_LINE = "crossing-a-line/"
COMPLAINTS = "complaints/"
WAS_THIS_OK = "was-this-ok/"
TOOL_SCRIPTS = ("private-page.js", "copy-text.js", "self-check.js")

# Reports every way a page could keep something about the reader to the test
# (through an exposed function, so the record survives reloads and navigation).
RECORD_WRITES = """
(() => {
  const writes = { push: (what) => window.__recordWrite(what) };
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    writes.push("storage " + key);
    return setItem.call(this, key, value);
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    get() { return cookie.get.call(this); },
    set(value) { writes.push("cookie " + value); cookie.set.call(this, value); },
  });
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name) {
    writes.push("indexedDB " + name);
    return open.apply(this, arguments);
  };
})();
"""


# --- The built HTML (no JavaScript) -------------------------------------

def built(site_dir: Path, url: str):
    return soup(site_dir / url / "index.html")


def statements(site_dir: Path) -> list:
    return built(site_dir, SELF_CHECK).select("[data-sc-list] > li[data-statement]")


def test_every_statement_is_plain_content_with_its_guidance(site_dir):
    items = statements(site_dir)
    assert 8 <= len(items) <= 12
    ids = [li["data-statement"] for li in items]
    assert len(set(ids)) == len(ids)
    for li in items:
        assert li.select_one(".sc-statement").get_text(strip=True)
        assert li.select_one(".sc-note").get_text(strip=True)
        assert li.select_one("a.sc-read")["href"]
        assert li.select_one("q.sc-say").get_text(strip=True)
        assert li.select_one("a.sc-more")["href"].startswith("../what-to-say/#")
    page = built(site_dir, SELF_CHECK)
    assert [li["data-value"] for li in page.select("[data-sc-scale] [data-value]")] == \
        ["yes", "sometimes", "no", "unsure"]
    assert "reloading the page clears them" in page.select_one("[data-sc-privacy]").get_text()
    for name in ("intro", "yes", "concern", "unsure", "harm-static", "harm"):
        assert page.select_one(f'[data-sc-guidance="{name}"]').get_text(strip=True)


def test_the_harm_statements_lead_to_crossing_a_line_complaints_and_get_help(site_dir):
    """Without JavaScript too: professional limits and privacy each link the line crossed, raising
    a concern and Get help, cite what they say, and offer words for someone else, not the therapist."""
    page_url = "/" + SELF_CHECK
    harm = [li for li in statements(site_dir) if li.has_attr("data-sc-harm")]
    assert len(harm) == 2
    for li in harm:
        reads = [urljoin(page_url, a["href"]).split("#")[0] for a in li.select("a.sc-read")]
        assert reads == ["/" + CROSSING_A_LINE, "/" + COMPLAINTS, "/" + WAS_THIS_OK]
        assert urljoin(page_url, li.select_one("a.sc-help")["href"]) == "/" + GET_HELP
        assert li.select_one("a.sc-more")["href"] == "../what-to-say/#crossed-a-line"
        assert li.select_one(".sc-note a[href^='#source-']"), "what the note says is cited"
    page = built(site_dir, SELF_CHECK)
    static = page.select_one('[data-sc-guidance="harm-static"]')
    assert [urljoin(page_url, a["href"]) for a in static.select("a[href]")] == \
        ["/" + CROSSING_A_LINE, "/" + COMPLAINTS, "/" + WAS_THIS_OK]
    # The guidance the summary copies holds no link (its pages are the summary's "Read next")
    # and no condition on the reader's answer; straight after it, Get help now.
    harm_guidance = page.select_one('[data-sc-guidance="harm"]')
    assert harm_guidance.select("a[href]") == []
    help_guidance = harm_guidance.find_next_sibling()
    assert help_guidance["data-sc-guidance"] == "help"
    assert urljoin(page_url, help_guidance.select_one("a[href]")["href"]) == "/" + GET_HELP
    # Only "Mostly yes" counts as fine; the script reads that mark, and so does the enumeration below.
    assert [li["data-value"] for li in page.select("[data-sc-scale] [data-sc-fine]")] == ["yes"]


def test_each_suggested_sentence_is_in_the_section_it_links_to(site_dir):
    starters = built(site_dir, WHAT_TO_SAY)
    for li in statements(site_dir):
        anchor = li.select_one("a.sc-more")["href"].split("#")[1]
        heading = starters.find(id=anchor)
        assert heading is not None and heading.name == "h2", anchor
        section = heading.find_next_sibling(["div", "h2"])
        assert section.name == "div" and "data-copy-list" in section.attrs, anchor
        sentences = [item.get_text(strip=True) for item in section.select("li")]
        assert li.select_one("q.sc-say").get_text(strip=True) in sentences


def test_starters_cover_every_situation(site_dir):
    starters = built(site_dir, WHAT_TO_SAY)
    for anchor in ("rushed", "disagree", "judged", "not-helping", "how-we-work", "stopping",
                   "ending-by-message", "crossed-a-line"):
        section = starters.find(id=anchor).find_next_sibling("div")
        assert len(section.select("[data-copy-list] li, li")) >= 3, anchor
    assert not starters.select("article button"), "copy buttons come only with JavaScript"


def test_tool_scripts_load_only_on_the_tool_pages_and_their_embeds(site_dir, built_pages):
    loading = {}
    for path in built_pages:
        tools = page_tools(path)  # the one tools file's scripts (it exists: page_tools reads it)
        loading[path.relative_to(site_dir).as_posix()] = sorted(name + ".js" for name in tools
                                                                if name + ".js" in TOOL_SCRIPTS)
        sources = [s.get("src", "") for s in soup(path).select("script[src]")]
        assert not [src for src in sources if any(src.endswith("/" + name) for name in TOOL_SCRIPTS)], \
            f"{path}: the tools load from one file, not one request each"
    with_tools = {page: names for page, names in loading.items() if names}
    assert with_tools == {
        "self-check/index.html": sorted(TOOL_SCRIPTS),
        "embed/self-check/index.html": sorted(TOOL_SCRIPTS),
        "what-to-say/index.html": ["copy-text.js", "private-page.js"],
        "embed/what-to-say/index.html": ["copy-text.js", "private-page.js"],
        "was-this-ok/index.html": ["copy-text.js", "private-page.js"],
        "embed/was-this-ok/index.html": ["copy-text.js", "private-page.js"],
    }


# --- In the browser -----------------------------------------------------

@pytest.fixture()
def tab(browser, site_url):
    """A phone-sized tab that records requests and every storage or cookie write."""
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  permissions=["clipboard-read", "clipboard-write"])
    writes = []
    context.expose_function("__recordWrite", lambda what: writes.append(what))
    context.add_init_script(RECORD_WRITES)
    page = context.new_page()
    page.writes = writes
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def assert_nothing_kept_or_sent(page, site_url):
    """No request off the local server, no write to storage or cookies, nothing in the URL."""
    assert page.writes == []
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.evaluate("indexedDB.databases().then(list => list.length)") == 0
    assert not urlsplit(page.url).query
    assert page.errors == []
    local = urlsplit(site_url).netloc
    assert [url for url in page.requests if urlsplit(url).netloc != local and url != axe_url()] == []


def focus_by_tab(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches `selector`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def assert_focus_visible(page) -> None:
    """The focused control draws a focus ring (WCAG 2.4.7)."""
    ring = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                         "return [s.outlineStyle, s.outlineWidth]; })()")
    assert ring[0] != "none" and ring[1] != "0px", ring


def skip_to_content(page) -> None:
    """First Tab, then Enter on the "skip to content" link, as keyboard users start a page."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.md-skip')")
    page.keyboard.press("Enter")


SCALE = ["yes", "sometimes", "no", "unsure"]


def answer_by_keyboard(page, answers: list[str | None]) -> None:
    """Answer each statement in order (None skips it), then ask for the summary with Enter."""
    focus_by_tab(page, ".sc-question input[type=radio]")
    assert_focus_visible(page)
    for answer in answers:
        if answer == "yes":
            page.keyboard.press("Space")
        elif answer is not None:
            for _ in range(SCALE.index(answer)):
                page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")


def without_harm(items, answers: list[str | None]) -> list[str | None]:
    """The same answers with "mostly yes" on the statements about a line crossed."""
    return ["yes" if li.has_attr("data-sc-harm") else a for li, a in zip(items, answers)]


def shown_ids(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "nodes => nodes.map(n => n.dataset.statement)")


def pattern(ids: list[str], spec: str) -> list[str | None]:
    """Answers from a short spec: y(es), s(ometimes), n(ot really), u(nsure), -(skip)."""
    letters = {"y": "yes", "s": "sometimes", "n": "no", "u": "unsure", "-": None}
    return [letters[spec[i % len(spec)]] for i in range(len(ids))]


@pytest.mark.parametrize("spec", ["y", "u", "-", "snyu-", "yyyn"])
def test_keyboard_alone_completes_the_self_check(tab, site_url, site_dir, spec):
    items = statements(site_dir)
    ids = [li["data-statement"] for li in items]
    answers = pattern(ids, spec)
    tab.goto(site_url + SELF_CHECK)
    skip_to_content(tab)
    answer_by_keyboard(tab, answers)

    summary = tab.locator(".sc-summary")
    summary.wait_for()
    assert tab.evaluate("document.activeElement.id") == "sc-summary-title"
    status = tab.locator("[data-self-check] [role=status][aria-live=polite]")
    tab.wait_for_function("s => s.textContent.length > 0", arg=status.element_handle())

    # What matters most first: a line crossed, then "not really", "sometimes", "not sure" (page order within).
    rank = {"no": 0, "sometimes": 1, "unsure": 2}
    by_id = {li["data-statement"]: li for li in items}
    flagged = sorted([i for i, a in zip(ids, answers) if a in rank], key=lambda i: rank[answers[ids.index(i)]])
    harmed = [i for i in flagged if by_id[i].has_attr("data-sc-harm")]
    for_session = [i for i in flagged if i not in harmed]
    assert tab.locator('[data-sc-group="harm"]').count() == (1 if harmed else 0)
    assert shown_ids(tab, '[data-sc-group="lead"] li') == ([] if harmed else for_session[:1])
    # At most three sentences; after a line crossed, none for the therapist at all.
    phrases = [] if harmed else for_session[:3]
    assert tab.eval_on_selector_all('[data-sc-group="say"] q', "qs => qs.map(q => q.textContent)") == \
        [by_id[i].select_one("q.sc-say").get_text(strip=True) for i in phrases]
    assert tab.locator(".sc-summary q").count() <= 3
    # The rest by their short names, in a line.
    rest = [i for i in for_session if i not in ([] if harmed else for_session[:1]) + phrases]
    also = tab.locator('[data-sc-group="also"]')
    assert also.count() == (1 if rest else 0)
    for i in rest:
        assert by_id[i]["data-short"] in also.inner_text()
    # Pages to read: after a line crossed, every page the harm statements name; otherwise those of
    # what matters most, at most two; the page's defaults if all was well.
    page_root = site_url + SELF_CHECK
    sources = harmed or flagged
    hrefs = [urljoin(page_root, a["href"]) for i in sources for a in by_id[i].select("a.sc-read, a.sc-help")]
    if any(answers) and not flagged:
        hrefs = [urljoin(page_root, a["href"]) for a in built(site_dir, SELF_CHECK).select("a.sc-read-default")]
    pages = list(dict.fromkeys(h.split("#")[0] for h in hrefs))
    shown = tab.eval_on_selector_all('[data-sc-group="read"] a', "as => as.map(a => a.href.split('#')[0])")
    assert shown == (pages if harmed else pages[:2])
    # Always a way to Get help now.
    assert tab.eval_on_selector_all('[data-sc-group="help"] a', "as => as.map(a => a.href)") == [site_url + GET_HELP]
    # Gentle, never a score: no numbers in what the summary says (citation marks aside).
    text = summary.evaluate("""s => { const c = s.cloneNode(true);
        c.querySelectorAll('a[href^="#source-"]').forEach(a => a.remove()); return c.textContent; }""")
    assert not any(ch.isdigit() for ch in text)
    assert_nothing_kept_or_sent(tab, site_url)


# Answer every statement at once (None leaves one out) and ask for the summary.
ANSWER_ALL = """(answers) => {
  const form = document.querySelector('.sc-form');
  form.querySelectorAll('.sc-question').forEach((q, i) => {
    q.querySelectorAll('input').forEach(x => { x.checked = false; });
    if (answers[i]) q.querySelector('input[value=' + answers[i] + ']').checked = true;
  });
  form.requestSubmit();
}"""


def harm_patterns(page) -> tuple[list, list[list[str | None]]]:
    """Every answer pattern that flags harm, from the page's own data: the statements marked
    data-sc-harm, and the scale's values the script does not count as fine (data-sc-fine)."""
    items = page.select("[data-sc-list] > li[data-statement]")
    values = [li["data-value"] for li in page.select("[data-sc-scale] [data-value]")]
    flags = {li["data-value"] for li in page.select("[data-sc-scale] [data-value]") if not li.has_attr("data-sc-fine")}
    choices = [*values, None]
    harm = [i for i, li in enumerate(items) if li.has_attr("data-sc-harm")]
    patterns = []
    for k, combo in enumerate(c for c in itertools.product(choices, repeat=len(harm)) if flags & set(c)):
        # The other statements take every answer in turn, so concerns for the therapist are there too.
        answers = [choices[(j + k) % len(choices)] for j in range(len(items))]
        for index, answer in zip(harm, combo):
            answers[index] = answer
        patterns.append(answers)
    return items, patterns


def test_every_answer_pattern_that_flags_harm_keeps_the_therapist_out_of_the_summary(tab, site_url, site_dir):
    """For each pattern: what the reader said comes first, as a fact; no words to say to the
    therapist, no notes for a session; read next: the line crossed, raising a concern, Get help."""
    page = built(site_dir, SELF_CHECK)
    items, patterns = harm_patterns(page)
    assert len(patterns) >= 9
    labels = {li["data-value"]: li.get_text(strip=True) for li in page.select("[data-sc-scale] [data-value]")}
    harm_ids = {li["data-statement"] for li in items if li.has_attr("data-sc-harm")}
    for_someone_else = {li.select_one("q.sc-say").get_text(strip=True) for li in items if li.has_attr("data-sc-harm")}
    starters = built(site_dir, WHAT_TO_SAY)
    for_the_therapist = {li.get_text(strip=True) for li in starters.select("[data-copy-list] li")
                         if li.find_parent("div").find_previous_sibling("h2")["id"] != "crossed-a-line"}
    for_the_therapist |= {li.select_one("q.sc-say").get_text(strip=True) for li in items
                          if not li.has_attr("data-sc-harm")}
    assert for_the_therapist and not for_the_therapist & for_someone_else
    tab.goto(site_url + SELF_CHECK)
    tab.locator(".sc-form").wait_for()
    for answers in patterns:
        tab.evaluate(ANSWER_ALL, answers)
        summary = tab.locator(".sc-summary")
        said = [(li["data-statement"], a) for li, a in zip(items, answers)
                if li["data-statement"] in harm_ids and a and a != "yes"]
        groups = tab.eval_on_selector_all(".sc-summary [data-sc-group]", "gs => gs.map(g => g.dataset.scGroup)")
        assert groups[:2] == ["first", "harm"], (answers, groups)
        # Stated as a fact: each harm statement the reader flagged, with the answer they gave.
        facts = tab.eval_on_selector_all('[data-sc-group="harm"] .sc-group__said',
                                         "ps => ps.map(p => [p.dataset.statement, p.textContent])")
        assert sorted(f[0] for f in facts) == sorted(i for i, _ in said), answers
        for statement_id, answer in said:
            text = next(t for i, t in facts if i == statement_id)
            statement = next(li for li in items if li["data-statement"] == statement_id)
            assert statement.select_one(".sc-statement").get_text(strip=True) in text
            assert labels[answer] in text
        # Nothing for the therapist: no words, no notes, no "more words" but those for someone else.
        assert tab.locator('.sc-summary [data-sc-group="say"], .sc-notes-view, .sc-add, [data-sc-group="lead"]'
                           ).count() == 0, answers
        quotes = tab.eval_on_selector_all(".sc-summary q", "qs => qs.map(q => q.textContent.trim())")
        assert quotes and set(quotes) <= for_someone_else, answers
        text = summary.inner_text()
        assert not [sentence for sentence in for_the_therapist if sentence in text], answers
        more = tab.eval_on_selector_all(".sc-summary a[href*='what-to-say']", "as => as.map(a => a.hash)")
        assert set(more) <= {"#crossed-a-line"}, answers
        # Read next: the line crossed, raising a concern, Get help; and Get help at the end.
        reads = tab.eval_on_selector_all('[data-sc-group="read"] a', "as => as.map(a => a.href.split('#')[0])")
        assert reads == [site_url + CROSSING_A_LINE, site_url + COMPLAINTS, site_url + WAS_THIS_OK,
                         site_url + GET_HELP], answers
        assert tab.eval_on_selector_all('[data-sc-group="help"] a', "as => as.map(a => a.href)") == \
            [site_url + GET_HELP]
    assert not (found := axe_violations(tab)), describe_violations(found)
    assert_nothing_kept_or_sent(tab, site_url)


def test_without_a_harm_flag_the_summary_offers_words_and_no_harm_pages(tab, site_url, site_dir):
    """The other side: harm statements answered "mostly yes" (or skipped), concerns elsewhere."""
    items = statements(site_dir)
    answers = ["yes" if li.has_attr("data-sc-harm") else "no" for li in items]
    tab.goto(site_url + SELF_CHECK)
    tab.locator(".sc-form").wait_for()
    tab.evaluate(ANSWER_ALL, answers)
    assert tab.locator('[data-sc-group="harm"]').count() == 0
    assert tab.locator('[data-sc-group="say"] q').count() == 3
    reads = tab.eval_on_selector_all('[data-sc-group="read"] a', "as => as.map(a => a.href.split('#')[0])")
    assert site_url + CROSSING_A_LINE not in reads and site_url + COMPLAINTS not in reads
    assert site_url + WAS_THIS_OK not in reads
    assert_nothing_kept_or_sent(tab, site_url)


def test_notes_hold_only_what_the_reader_chose_and_copy_exactly(tab, site_url, site_dir):
    ids = [li["data-statement"] for li in statements(site_dir)]
    answers = pattern(ids, "sny")  # ids[0] sometimes, ids[1] not really, ids[2] yes, ...
    answers = without_harm(statements(site_dir), answers)  # notes are for sessions: no line crossed
    tab.goto(site_url + SELF_CHECK)
    skip_to_content(tab)
    answer_by_keyboard(tab, answers)
    assert tab.locator(".sc-notes__empty").is_visible()

    focus_by_tab(tab, f'[data-statement="{ids[1]}"] .sc-add input')   # past ids[0], left out
    assert_focus_visible(tab)
    tab.keyboard.press("Space")
    assert shown_ids(tab, "[data-sc-notes] li") == [ids[1]]

    focus_by_tab(tab, "#sc-extra")
    assert_focus_visible(tab)
    tab.keyboard.type("Ask about session times.")
    focus_by_tab(tab, ".sc-notes-view button.rt-button--primary")
    assert_focus_visible(tab)
    tab.keyboard.press("Enter")
    status = tab.locator("[data-self-check] [role=status]")
    status.filter(has_text="Copied").wait_for()
    copied = tab.evaluate("navigator.clipboard.readText()")
    statement = statements(site_dir)[1]
    assert copied.splitlines()[0] == "My notes for my next session"
    assert statement.select_one(".sc-statement").get_text(strip=True) in copied
    assert statement.select_one("q.sc-say").get_text(strip=True) in copied
    assert "Not really" in copied and "Ask about session times." in copied
    other = statements(site_dir)[0].select_one(".sc-statement").get_text(strip=True)
    assert other not in copied

    # Printing shows the notes alone: a copy of them is the only thing the print view keeps.
    tab.evaluate("""() => { window.print = () => {
        window.__printed = document.querySelector('.rt-print-sheet').innerText; }; }""")
    tab.get_by_role("button", name="Print my notes").click()
    tab.emulate_media(media="print")
    assert tab.evaluate("[...document.body.children].filter(n => getComputedStyle(n).display !== 'none')"
                        ".map(n => n.className)") == ["md-typeset rt-print-sheet"]
    assert tab.evaluate("window.__printed").strip() == tab.locator("#sc-notes").inner_text().strip()
    tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
    tab.emulate_media(media="screen")
    assert tab.locator(".rt-print-sheet").count() == 0

    # Clearing is one tap away from an Undo, and what the reader wrote survives it.
    assert tab.locator(".sc-actions").first.get_by_role("button", name="Clear my answers").count() == 0, \
        "Clear is not beside See my summary"
    tab.get_by_role("button", name="Clear my answers").click()
    tab.locator(".sc-summary").wait_for(state="hidden")
    assert tab.locator(".sc-question input:checked").count() == 0
    assert tab.evaluate("document.activeElement.textContent") == "Undo"
    tab.keyboard.press("Enter")
    tab.locator(".sc-summary").wait_for()
    assert tab.locator(".sc-question input:checked").count() == sum(1 for a in answers if a)
    assert shown_ids(tab, "[data-sc-notes] li") == [ids[1]]
    assert tab.locator("#sc-extra").input_value() == "Ask about session times."
    tab.get_by_role("button", name="Clear my answers").click()
    tab.locator(".sc-summary").wait_for(state="hidden")
    tab.locator(".sc-question").first.locator("input[value=no]").check()   # answering again drops the Undo
    assert tab.get_by_role("button", name="Undo").count() == 0
    tab.get_by_role("button", name="See my summary").click()
    assert tab.locator("#sc-extra").input_value() == "Ask about session times.", "typed notes survive a clear"
    assert_nothing_kept_or_sent(tab, site_url)


def test_nothing_is_stored_even_when_the_theme_would(tab, site_url):
    """The palette toggle and Material's search bundle save settings elsewhere, never here."""
    tab.goto(site_url + "what-it-is/")
    tab.locator("[data-lean-palette] button:visible").click()
    tab.wait_for_function("localStorage.length > 0")
    assert tab.writes, "the recorder must see the theme's writes on other pages"
    tab.writes.clear()
    tab.context.clear_cookies()
    tab.evaluate("localStorage.clear(); sessionStorage.clear()")

    tab.goto(site_url + SELF_CHECK)
    scheme = tab.evaluate("document.body.dataset.mdColorScheme")
    tab.locator("[data-lean-palette] button:visible").click()
    assert tab.evaluate("document.body.dataset.mdColorScheme") != scheme, "the toggle still works here"
    tab.keyboard.press("/")                                   # loads Material's bundle for search
    tab.wait_for_function("window.document$ !== undefined")
    tab.keyboard.type("safe")
    tab.keyboard.press("Escape")
    answer_by_keyboard(tab, ["no", "unsure", "yes"] + [None] * (tab.locator(".sc-question").count() - 3))
    tab.locator(".sc-summary").wait_for()
    tab.reload()
    assert tab.locator(".sc-summary").is_hidden()
    assert tab.locator(".sc-question input:checked").count() == 0
    assert_nothing_kept_or_sent(tab, site_url)


def test_axe_finds_nothing_before_and_after_the_self_check(tab, site_url, site_dir):
    tab.goto(site_url + SELF_CHECK)
    assert not (found := axe_violations(tab)), describe_violations(found)
    skip_to_content(tab)
    items = statements(site_dir)
    answer_by_keyboard(tab, without_harm(items, pattern([li["data-statement"] for li in items], "snyu")))
    tab.locator(".sc-add input").first.check()
    assert not (found := axe_violations(tab)), describe_violations(found)


def test_copy_buttons_put_the_exact_sentence_on_the_clipboard(tab, site_url):
    tab.goto(site_url + WHAT_TO_SAY)
    sentences = tab.locator("[data-copy-list] li .rt-sentence")
    assert sentences.count() >= 18
    assert not (found := axe_violations(tab)), describe_violations(found)
    skip_to_content(tab)
    focus_by_tab(tab, ".rt-copy")                             # by keyboard: the first button
    assert_focus_visible(tab)
    tab.keyboard.press("Enter")
    status = tab.locator("[role=status]").filter(has_text="Copied")
    status.wait_for()
    assert tab.evaluate("navigator.clipboard.readText()") == sentences.first.inner_text().strip()
    for index in (5, sentences.count() - 1):                 # and a few others, by pointer
        tab.locator("[data-copy-list] li .rt-copy").nth(index).click()
        expected = sentences.nth(index).inner_text().strip()
        tab.wait_for_function("t => navigator.clipboard.readText().then(c => c === t)", arg=expected)
    assert_nothing_kept_or_sent(tab, site_url)


@pytest.mark.parametrize("url", [SELF_CHECK, WHAT_TO_SAY])
def test_without_javascript_every_sentence_is_plain_text(browser, site_url, site_dir, url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + url)
    if url == SELF_CHECK:
        shown = page.locator("[data-sc-list] > li .sc-statement")
        assert shown.count() == len(statements(site_dir))
        assert page.locator(".sc-form, .sc-form input").count() == 0
    else:
        shown = page.locator("[data-copy-list] li")
        assert page.locator("article button").count() == 0
    assert shown.count() >= 8
    for index in range(shown.count()):
        assert shown.nth(index).is_visible()
    context.close()


@pytest.mark.parametrize("url", ["embed/" + SELF_CHECK, "embed/" + WHAT_TO_SAY])
def test_tools_work_in_the_embed_view(tab, site_url, url):
    tab.goto(site_url + url)
    if url.endswith(SELF_CHECK):
        tab.locator(".sc-question").first.locator("input[value=no]").check()
        tab.get_by_role("button", name="See my summary").click()
        assert shown_ids(tab, '[data-sc-group="lead"] li') == \
            [tab.locator(".sc-question").first.get_attribute("data-statement")]
        targets = tab.eval_on_selector_all(".sc-summary a[href]", "as => as.map(a => a.target)")
        assert targets and set(targets) == {"_top"}, "links leave the frame for the full site"
    else:
        tab.locator(".rt-copy").first.click()
        tab.locator("[role=status]").filter(has_text="Copied").wait_for()
    assert_nothing_kept_or_sent(tab, site_url)


def test_printing_the_page_gives_the_paper_self_check(tab, site_url, site_dir):
    """With JavaScript on, the printed page (and the handout) is still the plain list with its notes."""
    tab.goto(site_url + SELF_CHECK)
    tab.locator(".sc-form").wait_for()
    tab.emulate_media(media="print")
    shown = tab.locator("[data-sc-list] > li .sc-note")
    assert shown.count() == len(statements(site_dir))
    for index in range(shown.count()):
        assert shown.nth(index).is_visible()
    assert tab.locator(".sc-form").is_hidden()
