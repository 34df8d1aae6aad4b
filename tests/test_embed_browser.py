"""Embeds in a real browser: a clinic's page on another origin pastes our snippet.

The host pages are served from a second loopback port, so every frame is
cross-origin, as on a clinic's own site.
"""
from __future__ import annotations

import json
import re
import shutil
import time
from contextlib import contextmanager

import pytest

from browser import serve
from sitebuild import ROOT

SLUGS = ("what-it-is", "self-check", "what-to-say")  # a plain article, a tool with its own script, a list page
FRAMES = "iframe[src*='/embed/']"
HEIGHT_TYPE = "feeling-safe:height"
STEP = 240  # embed-frame.js rounds heights up to whole steps of this many px (so small changes say nothing)
QUICK_EXIT_SLUG = "crossing-a-line"  # a page whose front matter asks for the quick exit

# The frame's document: bottom of its lowest element, and whether it overflows (an inner scrollbar).
MEASURE = """() => {
  const root = document.documentElement;
  let bottom = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.height && el.checkVisibility()) bottom = Math.max(bottom, box.bottom + window.scrollY);
  }
  return {content: bottom, viewport: window.innerHeight,
          overflows: root.scrollHeight > root.clientHeight + 1};
}"""


def _snippet(site_dir, site_url: str, slug: str) -> str:
    """The snippet exactly as our oEmbed response gives it, pointed at the test server."""
    data = json.loads((site_dir / f"api/v1/oembed/{slug}.json").read_text(encoding="utf-8"))
    feed = json.loads((site_dir / "api/v1/pages.json").read_text(encoding="utf-8"))
    return data["html"].replace(feed["site_url"], site_url)


def _host_page(body: str) -> str:
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width,initial-scale=1'><title>A clinic</title>"
            "<style>body{margin:0;padding:12px;font-family:sans-serif}</style></head>"
            f"<body><h1>Our clinic</h1>{body}</body></html>")


@pytest.fixture(scope="module")
def host_url(site_dir, site_url, tmp_path_factory):
    """A clinic's site on a second origin, with host pages written from our built snippets."""
    folder = tmp_path_factory.mktemp("clinic")
    # Three snippets pasted one after another (so embed.js arrives three times), plus a
    # listener that records what the frames post (for the AMP message check).
    recorder = "<script>window.received=[];addEventListener('message',e=>received.push(e.data))</script>"
    (folder / "three.html").write_text(_host_page(
        recorder + "".join(f"<p>Before {slug}</p>{_snippet(site_dir, site_url, slug)}" for slug in SLUGS)))
    without_script = _snippet(site_dir, site_url, SLUGS[0]).split("<script")[0]
    (folder / "no-script.html").write_text(_host_page(without_script))
    # A frame of ours that never reports its height (a full page), to see what embed.js
    # does with odd messages on its own, plus a foreign frame from the host's origin.
    (folder / "odd.html").write_text(_host_page(
        f"<iframe id='plain' src='{site_url}{SLUGS[0]}/' title='plain' height='500' style='width:100%;border:0'></iframe>"
        "<iframe id='foreign' srcdoc='<p>foreign</p>' title='foreign'></iframe>"
        f"<script src='{site_url}embed.js' async></script>"))
    shutil.copy(ROOT / "node_modules/pym.js/dist/pym.v1.min.js", folder / "pym.v1.min.js")
    # One embed each, and a recorder of every message a frame posts (with the origin it came from).
    recorder = ("<script>window.received=[];"
                "addEventListener('message',e=>received.push({origin:e.origin,data:e.data}))</script>")
    for slug in ("self-check", QUICK_EXIT_SLUG):
        (folder / f"{slug}.html").write_text(_host_page(recorder + _snippet(site_dir, site_url, slug)))
    (folder / "pym.html").write_text(_host_page(
        "<div id='pym-embed'></div><script src='pym.v1.min.js'></script>"
        f"<script>new pym.Parent('pym-embed', '{site_url}embed/{SLUGS[0]}/', {{title: 'Embedded guide'}});</script>"))
    with serve(folder) as url:
        assert url.split(":")[2] != site_url.split(":")[2], "host and site must be different origins"
        yield url


def _fit(page, frame_selector: str, index: int, timeout: float = 60.0) -> dict:
    """Wait until frame `index` fits its document (no inner scrollbar, and no more than one of
    embed-frame.js's steps of room below it); return the numbers."""
    frame_el = page.locator(frame_selector).nth(index)
    frame_el.scroll_into_view_if_needed()
    frame = frame_el.element_handle().content_frame()
    deadline = time.monotonic() + timeout
    while True:
        frame.wait_for_load_state("load")
        size = frame.evaluate(MEASURE)
        size["frame"] = frame_el.evaluate("f => f.getBoundingClientRect().height")
        if -2 <= size["frame"] - size["content"] <= STEP + 2 and not size["overflows"]:
            return size
        if time.monotonic() > deadline:
            pytest.fail(f"frame {index} does not fit its page: {size}")
        time.sleep(0.1)


def _heights(page, selector: str = "iframe") -> list[float]:
    return page.eval_on_selector_all(selector, "fs => fs.map(f => f.getBoundingClientRect().height)")


@pytest.fixture()
def clinic(browser, host_url):
    """A fresh host page with three embeds, at phone width, each frame already fitted once
    (so every test starts from the same state, whatever ran before it)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(host_url + "three.html")
    for index in range(3):
        _fit(page, FRAMES, index)
    yield page
    context.close()


def test_three_embeds_fit_their_pages_at_phone_width(clinic):
    assert clinic.locator(FRAMES).count() == 3
    sizes = [_fit(clinic, FRAMES, i) for i in range(3)]
    assert all(s["frame"] > 600 for s in sizes), "each article is longer than the snippet's starting height"


def test_embeds_refit_after_the_window_is_resized(clinic):
    clinic.set_viewport_size({"width": 390, "height": 844})
    before = [_fit(clinic, FRAMES, i)["frame"] for i in range(3)]
    clinic.set_viewport_size({"width": 1280, "height": 900})
    sizes = [_fit(clinic, FRAMES, i) for i in range(3)]
    assert [s["frame"] for s in sizes] != before, "a wider window gives shorter frames"
    assert all(s["frame"] < b for s, b in zip(sizes, before))


def test_an_embed_refits_when_a_details_section_opens(clinic):
    frame = clinic.locator(FRAMES).first.element_handle().content_frame()
    # Content added after load (a reader tool might do this), then opened by a click.
    frame.evaluate("""() => {
      const d = document.createElement('details');
      d.id = 'test-details';
      d.innerHTML = '<summary>More about this</summary><p style="height:700px">Long text</p>';
      document.querySelector('.fs-embed article').append(d);
    }""")
    closed = _fit(clinic, FRAMES, 0)["frame"]
    frame.click("#test-details summary")
    opened = _fit(clinic, FRAMES, 0)["frame"]
    assert opened >= closed + 700 - STEP
    assert closed % STEP == 0 and opened % STEP == 0, "heights go out in whole steps"


def test_frames_speak_the_amp_embed_size_message(clinic):
    received = clinic.evaluate("window.received")
    amp = [m for m in received if isinstance(m, dict) and m.get("sentinel") == "amp"]
    ours = [m for m in received if isinstance(m, dict) and m.get("type") == HEIGHT_TYPE]
    assert amp and {m["type"] for m in amp} == {"embed-size"}
    assert sorted(m["height"] for m in amp) == sorted(m["height"] for m in ours)


def test_foreign_or_malformed_messages_change_nothing(clinic):
    before = _heights(clinic, FRAMES)
    # From the host page itself: the wrong origin and not one of the frames.
    clinic.evaluate(f"postMessage({{type: '{HEIGHT_TYPE}', height: 123}}, '*')")
    # From one of our frames, but not in our format.
    frame = clinic.locator(FRAMES).first.element_handle().content_frame()
    frame.evaluate(f"""() => {{
      for (const bad of [{{type: '{HEIGHT_TYPE}', height: '123'}}, {{height: 123}},
                         {{type: '{HEIGHT_TYPE}', height: NaN}}, {{type: '{HEIGHT_TYPE}'}},
                         '{HEIGHT_TYPE} 123', null, 123, [123]])
        parent.postMessage(bad, '*');
    }}""")
    clinic.wait_for_timeout(400)
    assert _heights(clinic, FRAMES) == before


def test_embed_script_ignores_other_windows_and_clamps_heights(page, host_url):
    page.goto(host_url + "odd.html")
    page.wait_for_function("window.feelingSafeEmbed")
    plain = page.frame_locator("#plain").locator("h1").first
    plain.wait_for()
    frame = page.locator("#plain").element_handle().content_frame()
    foreign = page.locator("#foreign").element_handle().content_frame()

    def height():
        return page.eval_on_selector("#plain", "f => f.getBoundingClientRect().height")

    def changed_from(before):
        """The height once a message has resized the frame (waits for it, however slow the machine)."""
        page.wait_for_function("h => document.querySelector('#plain').getBoundingClientRect().height !== h",
                               arg=before)
        return height()

    start = height()
    foreign.evaluate(f"parent.postMessage({{type: '{HEIGHT_TYPE}', height: 900}}, '*')")
    page.wait_for_timeout(200)  # a change that must not happen has no event to wait for
    assert height() == start, "a frame from another origin cannot resize ours"
    frame.evaluate(f"parent.postMessage({{type: '{HEIGHT_TYPE}', height: 900}}, '*')")
    assert changed_from(start) == 900, "our own frame can"
    frame.evaluate(f"parent.postMessage({{type: '{HEIGHT_TYPE}', height: 1e9}}, '*')")
    huge = changed_from(900)
    frame.evaluate(f"parent.postMessage({{type: '{HEIGHT_TYPE}', height: -40}}, '*')")
    tiny = changed_from(huge)
    assert 900 < huge <= 100_000 and 0 < tiny < 200


def test_without_the_script_the_frame_shows_the_page_and_scrolls(page, host_url):
    page.goto(host_url + "no-script.html")
    frame = page.locator(FRAMES).first.element_handle().content_frame()
    frame.wait_for_load_state("load")
    assert frame.locator("h1").first.is_visible()
    page.wait_for_timeout(300)
    assert _heights(page, FRAMES) == [600]
    assert frame.evaluate("document.documentElement.scrollHeight > innerHeight + 100")
    frame.evaluate("scrollBy(0, 400)")
    assert frame.evaluate("scrollY") > 0, "readers can scroll inside the frame"


def test_a_pym_host_resizes_the_embed_without_our_script(page, host_url):
    page.goto(host_url + "pym.html")
    size = _fit(page, "#pym-embed iframe", 0)
    assert size["frame"] > 600
    assert not page.evaluate("'feelingSafeEmbed' in window"), "only Pym is on this page"


def test_the_picker_swaps_snippet_and_preview_and_copies(page, site_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page.goto(site_url + "embed-this-guide/")
    menu = page.locator("#fs-embed-page")
    assert menu.is_visible(), "the menu appears once the script runs"
    menu.select_option("what-to-say")
    code = page.locator("#fs-embed-snippet")
    assert "/embed/what-to-say/" in code.inner_text()
    page.wait_for_function("document.querySelector('.fs-embed-picker__preview').src.endsWith('/embed/what-to-say/')")
    menu.select_option("all")
    assert code.inner_text().count("<iframe") == menu.locator("option").count() - 1
    assert code.inner_text().count("<script") == 1
    page.get_by_role("button", name="Copy the snippet").click()
    page.wait_for_function("document.querySelector('.fs-embed-picker__status').textContent.startsWith('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == code.inner_text()


def test_without_javascript_the_picker_shows_only_the_snippet(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "embed-this-guide/")
        assert not page.locator("#fs-embed-page").is_visible(), "a menu that cannot work stays hidden"
        assert "/embed/" in page.locator("#fs-embed-snippet").inner_text()
    finally:
        context.close()


BLOCK_STORAGE = """
for (const name of ['localStorage', 'sessionStorage']) {
  Object.defineProperty(window, name, {configurable: true, get() {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  }});
}
"""


@pytest.mark.parametrize("scheme, expected", [("dark", "slate"), ("light", "default")])
def test_embed_views_follow_the_system_scheme_when_storage_is_blocked(browser, site_url, scheme, expected):
    """A third-party frame may have no storage at all: the page must not throw, and its palette
    falls back to the reader's system setting; the toggle still works, it just is not kept."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    context.add_init_script(BLOCK_STORAGE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(site_url + "embed/what-it-is/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.goto(site_url + "what-it-is/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.locator("[data-lean-palette] button:visible").click()
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != expected
        assert not errors, errors
    finally:
        context.close()


# --- Icons in WordPress's sandbox -------------------------------------------------------------

# Each icon of the frame's document: where its <use> points, what that names in the document,
# the drawing's box, and the icon's box on screen (the palette buttons, hidden in an embed view,
# are shown first, so their icons have a box to measure).
ICONS = """() => {
  document.querySelectorAll('.fs-embed__palette, .fs-embed__palette [hidden]').forEach(e => { e.hidden = false; });
  return [...document.querySelectorAll('use')].map(use => {
    const href = use.getAttribute('href') || '';
    const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
    const drawing = use.getBBox(), shown = use.closest('svg').getBoundingClientRect();
    return {href, symbol: target ? target.localName : null, drawn: drawing.width * drawing.height,
            shown: shown.width * shown.height};
  });
}"""


def test_icons_are_drawn_in_a_sandboxed_frame_on_another_origin(browser, site_url, tmp_path_factory):
    """WordPress frames an embed with sandbox="allow-scripts" and no allow-same-origin: the frame's
    origin is opaque, so an SVG <use> of another file (the site's icon sprite) is refused. An
    embed view's icons come from a sprite in the page itself; a full page's, from the site's
    sprite file, are the control: refused in the same frame."""
    folder = tmp_path_factory.mktemp("sandboxed")
    frame = "<iframe id='{id}' sandbox='allow-scripts' src='{src}' title='{id}' style='width:100%;height:600px'></iframe>"
    (folder / "index.html").write_text(_host_page(
        frame.format(id="embed", src=f"{site_url}embed/{SLUGS[0]}/") + frame.format(id="full", src=f"{site_url}{SLUGS[0]}/")))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        with serve(folder) as host:
            assert host.split(":")[2] != site_url.split(":")[2], "host and site must be different origins"
            page = context.new_page()
            page.goto(host + "index.html", wait_until="load")
            found = {}
            for name in ("embed", "full"):
                inside = page.locator(f"#{name}").element_handle().content_frame()
                inside.wait_for_load_state("load")
                assert inside.evaluate("origin") == "null", "the sandbox gives the frame an opaque origin"
                page.wait_for_timeout(300)   # time for any sprite file to arrive, were it allowed
                found[name] = inside.evaluate(ICONS)
    finally:
        context.close()
    icons = found["embed"]
    assert len(icons) >= 2 and all(i["href"].startswith("#") and i["symbol"] == "symbol" for i in icons), icons
    assert all(i["drawn"] > 0 and i["shown"] > 0 for i in icons), icons
    control = [i for i in found["full"] if not i["href"].startswith("#")]
    assert control and all(i["drawn"] == 0 for i in control), "the control: the site's sprite is refused in the sandbox"


# --- Privacy (issue 21): the host learns nothing about a reader's answers ----------------------

@contextmanager
def _one_embed(browser, host_url, name: str):
    """A fresh phone-size tab on the host page `name` (one embed), its frame fitted once;
    yields (tab, frame)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(host_url + name)
        _fit(page, FRAMES, 0)
        yield page, page.locator(FRAMES).first.element_handle().content_frame()
    finally:
        context.close()


def _embedded_self_check(browser, host_url, answer: str):
    """Answer every statement of the embedded self-check with `answer`, see the summary, and
    return (what the host received from the answers on, the frame document's own height)."""
    with _one_embed(browser, host_url, "self-check.html") as (page, frame):
        frame.wait_for_selector(".sc-question input")
        page.wait_for_timeout(500)  # anything still settling from the load goes out now
        page.evaluate("window.received = []")
        for question in frame.locator(".sc-question").all():
            question.locator(f"input[value={answer}]").check()
        frame.get_by_role("button", name="See my summary").click()
        frame.wait_for_selector(".sc-summary:not([hidden])")
        # The host asks again (embed.js's ping) and the window changes width: both make the frame speak.
        page.evaluate(f"document.querySelector(\"{FRAMES}\").contentWindow.postMessage("
                      "{type: 'feeling-safe:ping'}, '*')")
        page.set_viewport_size({"width": 400, "height": 844})
        page.wait_for_function("window.received.length >= 4")
        page.wait_for_timeout(800)  # room for any later message (the frame waits 30 ms to send)
        content = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        return page.evaluate("window.received"), content


def test_two_answer_sets_in_an_embedded_self_check_give_the_host_the_same_messages(browser, host_url, site_url):
    fine, worried = (_embedded_self_check(browser, host_url, answer) for answer in ("yes", "no"))
    # The test means something only if the two summaries differ by more than a step.
    assert abs(fine[1] - worried[1]) > STEP, (fine[1], worried[1])
    assert fine[0] == worried[0], "the host can tell the answers apart"
    origin = site_url.rstrip("/")
    assert fine[0] and all(message["origin"] == origin for message in fine[0])
    heights = [m["data"]["height"] for m in fine[0] if isinstance(m["data"], dict) and m["data"].get("type") == HEIGHT_TYPE]
    assert heights and all(height % STEP == 0 for height in heights)


def test_a_frame_answers_only_its_host_and_never_posts_to_any_origin(browser, host_url, site_url, site_dir):
    """A ping from a window other than the frame's parent is ignored; the host's own ping is
    answered, from our origin; and the frame's script never names "*" as a target."""
    script = (site_dir / "assets/javascripts/embed-frame.js").read_text(encoding="utf-8")
    assert not re.search(r"postMessage\([^;]*['\"]\*['\"]\s*\)", script), "a message to any origin"
    with _one_embed(browser, host_url, "self-check.html") as (page, frame):
        page.wait_for_timeout(500)
        page.evaluate("window.received = []")
        frame.evaluate("window.postMessage({type: 'feeling-safe:ping'}, '*')")  # from itself, not its host
        page.wait_for_timeout(500)  # a reply that must not come has no event to wait for
        assert page.evaluate("window.received") == []
        page.evaluate(f"document.querySelector(\"{FRAMES}\").contentWindow.postMessage("
                      "{type: 'feeling-safe:ping'}, '*')")
        page.wait_for_function("window.received.length >= 2")
        assert {m["origin"] for m in page.evaluate("window.received")} == {site_url.rstrip("/")}


# --- Quick exit in an embed view (issue 21): the frame goes blank, the host page stays -------------

def test_quick_exit_in_an_embed_blanks_the_frame_and_keeps_the_host_page(browser, host_url):
    with _one_embed(browser, host_url, f"{QUICK_EXIT_SLUG}.html") as (page, frame):
        height, entries = _heights(page, FRAMES)[0], page.evaluate("history.length")
        button = frame.get_by_role("button", name="Exit this page")
        assert button.is_visible()
        button.click()
        frame.wait_for_url("about:blank")
        assert frame.evaluate("document.body.innerText.trim()") == "", "nothing of the article is left"
        assert page.url == host_url + f"{QUICK_EXIT_SLUG}.html", "the host page never navigates"
        assert page.locator("h1").first.inner_text() == "Our clinic"
        page.wait_for_timeout(300)
        assert _heights(page, FRAMES)[0] == height, "the host's layout does not jump"
        assert page.evaluate("history.length") == entries, "no history entry to go back to the article"


def test_the_quick_exit_shortcut_blanks_an_embed_too(browser, host_url):
    with _one_embed(browser, host_url, f"{QUICK_EXIT_SLUG}.html") as (page, frame):
        frame.locator("h1").click()  # the reader is reading inside the frame
        for _ in range(3):
            page.keyboard.press("Shift")
        frame.wait_for_url("about:blank")
        assert page.url == host_url + f"{QUICK_EXIT_SLUG}.html"
