"""Quick exit (issue 21), after the GOV.UK design system's "Exit this page".

A page asks for it in its front matter (`quick_exit: true`); that is all it needs. The built
pages carry a plain link to a neutral page (a clinic's own, if its file names one);
quick-exit.js makes the button and the Shift-three-times shortcut blank the page and leave it
with location.replace, so the back button does not return. Embed views: test_embed_browser.py.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml

from axe import BEST_PRACTICE, WCAG_TAGS, axe_violations, describe_violations
from feeling_safe.content.frontmatter import read_front_matter
from pagecheck import DESKTOP
from sitebuild import ROOT, html_pages, is_document, page_tools, soup

BUTTON = "[data-fst-exit]"
SCRIPT = "quick-exit"  # docs/assets/javascripts/quick-exit.js, in the page's tools file
SMALL_PAGE = "<!doctype html><html lang='en'><title>Elsewhere</title><p>Somewhere else</p></html>"


def flagged_slugs() -> set[str]:
    """The pages whose front matter asks for the quick exit (slug: the file name without .md)."""
    return {path.stem for path in (ROOT / "docs").glob("*.md") if read_front_matter(path).get("quick_exit") is True}


def _documents(site_dir) -> dict[str, object]:
    return {path.relative_to(site_dir).as_posix(): path for path in html_pages(site_dir) if is_document(path)}


def _wants_exit(rel: str, slugs: set[str]) -> bool:
    parts = rel.split("/")
    slug = parts[1] if parts[0] == "embed" and len(parts) == 3 else parts[0]
    return rel.endswith("/index.html") and slug in slugs and len(parts) in (2, 3)


def test_the_harm_complaints_and_help_pages_ask_for_it():
    assert {"crossing-a-line", "complaints", "get-help-now"} <= flagged_slugs()


def test_only_pages_whose_front_matter_asks_have_the_quick_exit_and_its_script(site_dir):
    slugs = flagged_slugs()
    wrong = []
    for rel, path in _documents(site_dir).items():
        page = soup(path)
        wanted = _wants_exit(rel, slugs)
        has_exit = len(page.select(BUTTON)) == 1
        has_script = SCRIPT in page_tools(path)
        if (has_exit, has_script) != (wanted, wanted):
            wrong.append(f"{rel}: quick exit {has_exit}, script {has_script}, front matter asks {wanted}")
    assert not wrong, "\n".join(wrong)
    assert sum(_wants_exit(rel, slugs) for rel in _documents(site_dir)) >= len(slugs), "every flagged page was built"


def test_without_scripts_it_is_a_plain_link_to_a_neutral_page_that_learns_nothing(site_dir, site_url):
    for slug in sorted(flagged_slugs()):
        link = soup(site_dir / slug / "index.html").select_one(BUTTON)
        assert link.name == "a" and link.get_text(strip=True) == "Exit this page"
        href = urlsplit(link["href"])
        assert href.scheme == "https" and href.hostname and href.hostname not in site_url
        assert "noreferrer" in link["rel"], "the destination is not told where the reader was"
        # The shortcut is described only once the script that runs it is there; the button's
        # look comes with the script too (nothing render-blocking).
        assert not link.has_attr("aria-describedby") and not link.has_attr("class")


def test_in_an_embed_view_it_is_a_button_that_cannot_open_the_host_page(site_dir):
    views = [site_dir / "embed" / slug / "index.html" for slug in sorted(flagged_slugs())]
    views = [view for view in views if view.is_file()]
    assert views, "an explainer page with the quick exit has an embed view"
    for view in views:
        button = soup(view).select_one(BUTTON)
        assert button.name == "button" and button.get("type") == "button" and button.has_attr("hidden")
        assert not button.has_attr("href") and not button.find_parent("a")
        assert button.get_text(strip=True) == "Exit this page"


def test_a_clinic_build_sends_the_quick_exit_to_its_own_page(clinic_site):
    destination = yaml.safe_load((ROOT / "clinics/example.yml").read_text(encoding="utf-8"))["quick_exit_url"]
    for slug in sorted(flagged_slugs()):
        assert soup(clinic_site / slug / "index.html").select_one(BUTTON)["href"] == destination


# --- In Chromium --------------------------------------------------------------------------------

@pytest.fixture()
def away(browser, site_dir):
    """A phone tab whose requests to the quick exit's destination get a small page of our own
    (nothing leaves the machine); yields (tab, destination)."""
    destination = soup(site_dir / "crossing-a-line" / "index.html").select_one(BUTTON)["href"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    referrers = []

    def answer(route):
        referrers.append(route.request.all_headers().get("referer"))
        route.fulfill(body=SMALL_PAGE, content_type="text/html")

    context.route(destination + "**", answer)
    # What the page shows as it unloads: the blank page quick-exit.js leaves behind.
    leaving = []
    context.expose_function("reportLeaving", lambda state: leaving.append(state))
    context.add_init_script("addEventListener('beforeunload', () => window.reportLeaving && reportLeaving("
                            "{text: document.body.innerText.trim(), title: document.title,"
                            " alert: (document.querySelector('[role=alert]') || {}).textContent || null}))")
    tab = context.new_page()
    tab.leaving = leaving
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab, destination
    context.close()
    assert not errors, errors
    assert referrers and referrers == [None] * len(referrers), "the destination learns where the reader was"


def _reader_on(tab, site_url: str, slug: str) -> None:
    """A reader who came from another page of the guide (so there is somewhere to go back to)."""
    tab.goto(site_url + "what-it-is/")
    tab.goto(site_url + slug + "/")
    tab.wait_for_function("document.querySelector('[data-fst-exit]').hasAttribute('aria-describedby')")


def _left_for_good(tab, site_url: str, destination: str) -> None:
    tab.wait_for_url(destination)
    assert tab.leaving[-1] == {"text": "Loading.", "title": "Loading", "alert": "Loading."}, \
        "the page was blanked, and said so, before it went"
    assert tab.locator("p").inner_text() == "Somewhere else"
    tab.go_back()
    assert tab.url == site_url + "what-it-is/", "back skips the page the reader left"
    tab.go_forward()
    assert tab.url == destination, "and forward does not bring it back either"


def test_the_button_leaves_at_once_and_back_does_not_return(away, site_url):
    tab, destination = away
    _reader_on(tab, site_url, "crossing-a-line")
    button = tab.get_by_role("link", name="Exit this page")
    assert "Shift three times" in tab.evaluate(
        "document.getElementById(document.querySelector('[data-fst-exit]').getAttribute('aria-describedby'))"
        ".textContent")
    button.click()
    _left_for_good(tab, site_url, destination)


def test_shift_three_times_leaves_and_is_announced(away, site_url):
    tab, destination = away
    _reader_on(tab, site_url, "get-help-now")
    status = tab.locator("[data-fst-exit-status]")
    assert status.get_attribute("role") == "status"
    tab.keyboard.press("Shift")
    assert "2 more times" in status.text_content()
    tab.keyboard.press("a")  # any other key starts the count again
    assert "stopped" in status.text_content()
    tab.keyboard.press("Shift+A")  # Shift held to type a capital is not a press
    tab.keyboard.press("Shift")
    tab.keyboard.press("Shift")
    assert "1 more time" in status.text_content()
    assert tab.url == site_url + "get-help-now/"
    tab.keyboard.press("Shift")
    _left_for_good(tab, site_url, destination)


@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_button_passes_axe_is_44px_and_shows_its_focus(browser_context, site_url, size, scheme):
    tab = browser_context(viewport=size, color_scheme=scheme).new_page()
    try:
        tab.goto(site_url + "complaints/")
        button = tab.locator(BUTTON)
        tab.wait_for_function("document.querySelector('[data-fst-exit]').hasAttribute('aria-describedby')")
        # The button's colours from the moment its class arrives: no fade from the link's colour,
        # which on the red reads at 3:1 while it lasts (and made axe's check depend on timing).
        arrives = button.evaluate("""b => { b.classList.remove('fst-exit'); getComputedStyle(b).color;
            b.classList.add('fst-exit'); return getComputedStyle(b).color; }""")
        assert arrives == "rgb(255, 255, 255)"
        violations = axe_violations(tab, ".md-content", tags=WCAG_TAGS + BEST_PRACTICE)
        assert not violations, describe_violations(violations)
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        before = button.evaluate("b => getComputedStyle(b).outlineStyle")
        button.focus()
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.press("Tab")  # focused from the keyboard, so :focus-visible applies
        assert tab.evaluate("document.activeElement.hasAttribute('data-fst-exit')")
        ring = button.evaluate("b => [getComputedStyle(b).outlineStyle, parseFloat(getComputedStyle(b).outlineWidth)]")
        assert before == "none" and ring[0] == "solid" and ring[1] >= 2
        # Held under the header while the reader scrolls.
        tab.mouse.wheel(0, 3000)
        tab.wait_for_function("scrollY > 1000")
        header = tab.locator(".md-header").bounding_box()
        box = button.bounding_box()
        assert header["y"] + header["height"] - 1 <= box["y"] < header["y"] + header["height"] + 20
    finally:
        tab.close()


def test_paper_leaves_it_out(browser_context, site_url):
    tab = browser_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        tab.goto(site_url + "crossing-a-line/")
        assert tab.locator(BUTTON).is_visible()
        tab.emulate_media(media="print")
        assert not tab.locator(BUTTON).is_visible()
    finally:
        tab.close()


def test_without_javascript_the_link_still_leaves(browser, site_url, site_dir):
    destination = soup(site_dir / "complaints" / "index.html").select_one(BUTTON)["href"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    context.route(destination + "**", lambda route: route.fulfill(body=SMALL_PAGE, content_type="text/html"))
    try:
        tab = context.new_page()
        tab.goto(site_url + "complaints/")
        tab.get_by_role("link", name="Exit this page").click()
        tab.wait_for_url(destination)
    finally:
        context.close()

