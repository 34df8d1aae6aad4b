"""What the lean build must keep: search, dark mode, the reading path, the menu.

Material's script bundle now loads only when a reader reaches for search
(overrides/assets/javascripts/lean.js); these tests prove every feature
still works, by mouse and by keyboard, and that a first visit downloads
exactly what the page-weight budget counts.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from feeling_safe.measuring.page_weight import first_visit
from pagecheck import DESKTOP

ARTICLE = "what-it-is/"


@pytest.fixture()
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


FULL_RESULT = ".md-search-result__item:not([data-fst-quick])"
QUICK_RESULT = ".md-search-result__item[data-fst-quick]"


def _results(page, item: str = FULL_RESULT) -> list[str]:
    """The result pages Material's full-text search shows (or, with QUICK_RESULT, quick search)."""
    page.wait_for_selector(item + " a", timeout=15_000)
    return [urlsplit(a.get_attribute("href")).path for a in page.locator(item + " > a").all()]


def test_search_finds_a_page_on_desktop(desktop, site_url):
    desktop.goto(site_url + ARTICLE)
    desktop.click(".md-search__input")
    desktop.keyboard.type("alliance")
    assert any(path.endswith("/therapeutic-alliance/") for path in _results(desktop))


def test_search_opens_from_the_keyboard_on_a_phone(page, site_url):
    page.goto(site_url + ARTICLE)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Search":
            break
    assert page.evaluate("document.activeElement.tagName") == "BUTTON", "Tab never reached the Search button"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("trauma")
    assert any(path.endswith("/trauma-informed-care/") for path in _results(page))


def test_slash_key_opens_search(desktop, site_url):
    desktop.goto(site_url + ARTICLE)
    desktop.keyboard.press("/")
    assert desktop.evaluate("document.activeElement.classList.contains('md-search__input')")
    desktop.keyboard.type("comfort")
    assert _results(desktop)


def test_palette_toggle_switches_and_is_remembered(page, site_url):
    page.goto(site_url + ARTICLE)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    toggle = page.get_by_role("button", name="Switch to dark mode")
    toggle.focus()
    page.keyboard.press("Enter")
    assert body.get_attribute("data-md-color-scheme") == "slate"
    assert page.get_by_role("button", name="Switch to light mode").is_visible()
    assert not toggle.is_visible()
    page.reload()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.get_by_role("button", name="Switch to light mode").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"


def test_reading_path_next_and_previous_links_work(page, site_url):
    page.goto(site_url + ARTICLE)
    next_link = page.locator("a.md-footer__link--next")
    assert "What it is not" in next_link.get_attribute("aria-label")
    next_link.click()
    page.wait_for_url("**/what-it-is-not/")
    page.locator("a.md-footer__link--prev").click()
    page.wait_for_url("**/" + ARTICLE)


def test_menu_opens_from_the_keyboard_on_a_phone(page, site_url):
    page.goto(site_url + ARTICLE)
    menu = page.get_by_role("button", name="Open the site menu")
    assert not page.locator(".md-sidebar--primary").is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    assert page.locator(".md-sidebar--primary").is_visible()
    assert page.get_by_role("link", name="Glossary").first.is_visible()


def test_first_visit_downloads_what_the_budget_counts(full_browser_page, site_url, site_dir):
    """The static measure (feeling_safe/measuring/page_weight.py) matches the full browser's own
    requests (its icon too), and Material's bundle is not among them until search is wanted."""
    page = full_browser_page
    counted = {r.url for r in first_visit(site_dir, site_dir / ARTICLE / "index.html").resources}
    counted = {url.removesuffix("index.html") for url in counted}
    requested = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path.lstrip("/")))
    page.goto(site_url + ARTICLE, wait_until="load")
    # The word index waits for an idle moment (at most 3 s after load) and the favicon
    # for Chromium's own turn: on a busy machine both can come after "networkidle".
    for _ in range(100):
        if counted <= set(requested):
            break
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    assert set(requested) == counted
    assert not [url for url in requested if "bundle." in url]
    page.click(".md-header__button[for=__search]")
    page.wait_for_function("() => !!window.document$")
    assert [url for url in requested if "bundle." in url]


def test_search_downloads_start_together_and_an_early_query_is_kept(desktop, site_url):
    """On the first "/", the worker and the index are asked for beside the bundle, not after it
    runs; a query typed while the bundle is still on its way gets its results once it lands."""
    held, requested = [], []
    desktop.on("request", lambda request: requested.append(urlsplit(request.url).path))
    desktop.route("**/assets/javascripts/bundle.*.min.js", lambda route: held.append(route))  # the bundle waits
    desktop.goto(site_url + ARTICLE, wait_until="networkidle")
    assert not [path for path in requested if "/workers/" in path or "search_index" in path]
    desktop.keyboard.press("/")
    desktop.keyboard.type("alliance")
    for _ in range(50):
        worker = [p for p in requested if "/workers/search." in p]
        if held and worker and [p for p in requested if p.endswith("search_index.json")]:
            break
        desktop.wait_for_timeout(100)
    assert held, "the bundle was never asked for"
    assert [p for p in requested if "/workers/search." in p], "the worker waits for the bundle"
    assert [p for p in requested if p.endswith("search_index.json")], "the index waits for the bundle"
    assert desktop.input_value(".md-search__input") == "alliance"
    held[0].continue_()
    assert any(path.endswith("/therapeutic-alliance/") for path in _results(desktop))


def test_quick_results_answer_at_once_and_give_way_to_the_full_search(desktop, site_url):
    """With the bundle still on its way, titles and headings answer (search/words.json, fetched
    when the page was idle); Material's full-text results then replace them all."""
    held = []
    desktop.route("**/assets/javascripts/bundle.*.min.js", lambda route: held.append(route))
    with desktop.expect_request("**/search/words.json", timeout=15_000):  # fetched once the page is idle
        desktop.goto(site_url + ARTICLE, wait_until="networkidle")
    desktop.keyboard.press("/")
    desktop.keyboard.type("allian")
    quick = _results(desktop, QUICK_RESULT)
    assert quick[0].endswith("/therapeutic-alliance/"), quick
    assert desktop.locator(QUICK_RESULT + " > a[href*='#']").count(), "a matching heading links to its section"
    assert held, "the bundle is still held: these are quick results"
    desktop.keyboard.type("ce")
    assert _results(desktop, QUICK_RESULT)[0].endswith("/therapeutic-alliance/"), "it follows the typing"
    held[0].continue_()
    full = _results(desktop)
    assert any(path.endswith("/therapeutic-alliance/") for path in full)
    assert desktop.locator(QUICK_RESULT).count() == 0
    desktop.keyboard.press("Backspace")
    desktop.wait_for_timeout(300)
    assert desktop.locator(QUICK_RESULT).count() == 0, "once the full search answers, it alone answers"


def test_word_index_results_show_titles_as_text(desktop, site_url):
    hostile = ('{"lang": "en", "stop": "", "steps": [], "words": "", "more": "", "pages": '
               '[["<img src=x id=injected>Alliance", "what-it-is/", [["<b>alliance</b>", "x"]]]]}')
    desktop.route("**/search/words.json", lambda route: route.fulfill(body=hostile, content_type="application/json"))
    desktop.route("**/assets/javascripts/bundle.*.min.js", lambda route: None)  # never lands
    desktop.goto(site_url + ARTICLE, wait_until="networkidle")
    desktop.keyboard.press("/")
    desktop.keyboard.type("alliance")
    desktop.wait_for_selector(QUICK_RESULT)
    assert desktop.locator("#injected, .md-search-result b").count() == 0
    assert "<img src=x id=injected>Alliance" in desktop.locator(QUICK_RESULT).inner_text()
