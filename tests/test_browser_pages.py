"""Every built page in Chromium: accessible, private, reflowing, calm.

Each test lists every failure at once. To keep the suite fast, one tab per
viewport x scheme loads each page it checks once and runs everything on that
load. On the phone in the light scheme every built page (every full page; the
embed views of the covering set, since an embed view's article is its page's,
checked there, and the rest of it is its template's) gets every check: axe, the colour-scheme check, the sideways-scroll and
privacy checks, the keyboard walk (focus order and focus styles, computed in one
call), and, narrowed to 320 px and to 1280 px at 200% zoom (resizing a loaded
page reflows it as a fresh load would), reflow and reduced motion. In the other
three settings (phone dark, desktop light and dark) the same checks but reflow
(and, in dark, the keyboard walk: focus order and styles do not change with the
scheme) run on a covering set of pages: one page per template, plus as few pages as
together hold every kind of element the site has (tag and classes, so every
styled thing, whose colours and layout depend on its kind, not its text); what
those settings change (colours, which parts of the template show) is decided by
an element's kind, while what depends on a page's own text (an empty link, a
heading out of order, a word too long for 320 px) is the same in every setting
and is checked on every page in the first. Real Tab presses, one round trip
each, run on one page per template and must reach the same stops in the same
order as the computed walk.
"""
from __future__ import annotations

import pytest

from axe import BEST_PRACTICE, WCAG_TAGS, axe_violations, describe_violations
from pagecheck import (
    DESKTOP,
    FOCUSED,
    MISSED,
    MOTION,
    NARROW,
    OVERFLOW,
    PHONE,
    SCHEME,
    TAB_ORDER_WALK,
    TABBABLE,
    TEMPLATE_PAGES,
    TEXT_FIT,
    ZOOMED,
    watch,
)

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def _fail_with(problems: dict[str, list[str]]) -> None:
    failing = {path: found for path, found in problems.items() if found}
    if failing:
        pytest.fail("\n".join(f"/{path}:\n  " + "\n  ".join(found) for path, found in failing.items()),
                    pytrace=False)


def _check_scheme(page, scheme: str) -> list[str]:
    colours = page.evaluate(SCHEME)
    found = []
    if (colours["background"] < colours["text"]) != (scheme == "dark"):
        found.append(f"does not follow the {scheme} scheme: {colours}")
    if colours["scheme"] is not None and (colours["scheme"] == "slate") != (scheme == "dark"):
        found.append(f"Material palette is {colours['scheme']!r} in the {scheme} scheme")
    return found


def _check_overflow(page, label: str) -> list[str]:
    overflow = page.evaluate(OVERFLOW)
    return [f"{label}: scrolls sideways {overflow}"] if overflow["scrollWidth"] > overflow["width"] + 1 else []


def _tab_presses(page) -> tuple[list[dict], bool]:
    """Tab from the top until focus leaves the page; (stops, whether it left).

    A framed page (an embed preview) is one stop: Tab walks through it and
    out again; its own page is checked on its own."""
    expected = page.evaluate(TABBABLE)
    stops = []
    for _ in range(len(expected) + 60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["frame"] and focused["seen"] and stops and stops[-1]["name"] == focused["name"]:
            continue  # still inside the frame
        if focused is None or focused["seen"]:
            return stops, True
        stops.append(focused)
    return stops, False


def _computed_tab_walk(page) -> list[dict]:
    """The same stops in one call (pagecheck.TAB_ORDER_WALK), after one real Tab press
    that puts the page in keyboard mode."""
    page.keyboard.press("Tab")
    return page.evaluate(TAB_ORDER_WALK)


def _check_stops(page, stops: list[dict]) -> list[str]:
    """Every stop: reachable by script focus, visible focus, on screen; a skip link first."""
    found = [f"Tab order lists it but it refuses focus: {s['name']}" for s in stops if s.get("refused")]
    stops = [s for s in stops if not s.get("refused")]
    # Controls before <main> are blocks to bypass: a skip link must come first.
    if any(stop["beforeMain"] for stop in stops):
        first = stops[0]
        if not (first["link"] or "").startswith("#") or "skip to content" not in first["text"].lower():
            found.append(f"first Tab does not reach a 'Skip to content' link (got {first['name']})")
        elif not page.evaluate("h => !!document.getElementById(decodeURIComponent(h.slice(1)))", first["link"]):
            found.append(f"skip link points at a missing target {first['link']}")
    own = [stop for stop in stops if not stop["frame"]]
    found += [f"focus not visible (no outline or box-shadow): {s['name']}" for s in own if not s["indicator"]]
    found += [f"focus lands off screen: {s['name']}" for s in own if not s["inView"]]
    return found


def _check_keyboard(page) -> list[str]:
    """Every Tab stop of the page, read in one call (the computed walk).

    Motion is switched off first so a control that slides or fades in on
    focus (the skip link) is judged where it ends up."""
    page.emulate_media(reduced_motion="reduce")
    return _check_stops(page, _computed_tab_walk(page))


def _comparable(stop: dict) -> tuple:
    # Material marks a link focused by a key press with a `focus-visible` class; script focus does not.
    return (stop["name"].replace(".focus-visible", ""), stop.get("indicator"), stop.get("inView"), stop.get("link"))


def _check_reflow_and_motion(page) -> list[str]:
    """320 px (WCAG 1.4.10) and 200% zoom: no sideways scroll, text fits and
    stays readable; with prefers-reduced-motion: reduce, nothing moves."""
    found = []
    for label, viewport in (("320px", NARROW), ("200% zoom", ZOOMED)):
        page.set_viewport_size(viewport)
        found += _check_overflow(page, label)
        found += [f"{label}: {problem}" for problem in page.evaluate(TEXT_FIT)]
    page.emulate_media(reduced_motion="reduce")
    motion = page.evaluate(MOTION)
    if motion["count"]:
        found.append(f"reduced motion: {motion['count']} elements still animate, e.g. {motion['first']}")
    if motion["scrollBehavior"] != "auto":
        found.append(f"reduced motion: scroll-behavior is {motion['scrollBehavior']}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_page_in_chromium(browser_context, site_url, site_paths, covering_paths, size, scheme):
    """axe (WCAG 2.0-2.2 A/AA, plus its best practices, which Lighthouse scores),
    scheme, no sideways scroll, privacy; keyboard in light; reflow, zoom and reduced
    motion on the phone in light, where every page is checked (the covering set elsewhere)."""
    assert len(site_paths) > 5, "the built site has almost no pages"
    assert set(TEMPLATE_PAGES) <= set(covering_paths), "a template page is no longer built"
    every_page = (size, scheme) == ("phone", "light")
    context = browser_context(viewport=VIEWPORTS[size], color_scheme=scheme)
    page = context.new_page()
    seen = watch(page, site_url)
    problems = {}
    checked = [path for path in site_paths if not path.startswith("embed/") or path in covering_paths] \
        if every_page else covering_paths
    for path in checked:
        page.set_viewport_size(VIEWPORTS[size])
        page.emulate_media(reduced_motion="no-preference")
        found = problems.setdefault(path, [])
        page.goto(site_url + path, wait_until="load")
        found += _check_scheme(page, scheme)
        found += _check_overflow(page, size)
        violations = axe_violations(page, tags=WCAG_TAGS + BEST_PRACTICE)
        if violations:
            found.append("axe:\n    " + describe_violations(violations).replace("\n", "\n    "))
        if scheme == "light":
            found += _check_keyboard(page)
        if every_page:
            found += _check_reflow_and_motion(page)
        if page.evaluate("document.cookie"):
            found.append(f"sets cookies: {page.evaluate('document.cookie')}")
        found += [f"request to another host: {url}" for url in seen["foreign"]]
        found += [f"console error: {text}" for text in seen["errors"]]
        seen["foreign"].clear()
        seen["errors"].clear()
    page.close()
    assert not context.cookies(), f"cookies were set: {context.cookies()}"
    _fail_with(problems)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_real_tab_presses_reach_what_the_computed_walk_checks(browser_context, site_url, site_paths, size):
    """On one page per template, Tab pressed for real: no keyboard trap, every
    expected control reached, each stop focused visibly; and the stops, in
    order, are exactly the computed walk's, which the gate above runs on every page."""
    assert set(TEMPLATE_PAGES) <= set(site_paths), "a template page is no longer built"
    page = browser_context(viewport=VIEWPORTS[size], color_scheme="light", reduced_motion="reduce").new_page()
    problems = {}
    for path in TEMPLATE_PAGES:
        found = problems.setdefault(path, [])
        page.goto(site_url + path, wait_until="load")
        stops, left_page = _tab_presses(page)
        if not left_page:
            found.append(f"keyboard trap: {len(stops)} Tab presses never left the page or came round")
        found += _check_stops(page, stops)
        found += [f"not reachable by Tab: {name}" for name in page.evaluate(MISSED)]
        page.goto(site_url + path, wait_until="load")
        computed = _computed_tab_walk(page)
        pressed, walked = [_comparable(s) for s in stops], [_comparable(s) for s in computed]
        if pressed != walked:
            first = next((i for i, (a, b) in enumerate(zip(pressed, walked)) if a != b), min(len(pressed), len(walked)))
            found.append(f"computed Tab order differs from Tab presses at stop {first} "
                         f"(pressed {len(pressed)}, computed {len(walked)}): "
                         f"{pressed[first:first + 1]} != {walked[first:first + 1]}")
    page.close()
    _fail_with(problems)


def test_motion_probe_sees_the_themes_transitions(browser_context, site_url):
    """Guard: without the preference the probe does find motion, so it can fail."""
    page = browser_context(viewport=NARROW, reduced_motion="no-preference").new_page()
    page.goto(site_url, wait_until="load")
    assert page.evaluate(MOTION)["count"] > 0
    page.close()
