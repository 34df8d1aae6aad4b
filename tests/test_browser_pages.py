"""Every built page in Chromium: accessible, private, reflowing, calm.

Each test loops over every built page (full pages and embed views, found in
the built site) and lists every failure at once. To keep the suite fast, one
tab per viewport x scheme loads each page once and runs everything on that
load: axe, the colour-scheme check, the sideways-scroll check and the
privacy checks always; then, in the light scheme, the keyboard walk (focus
order and focus styles do not depend on the scheme); on the phone in the
dark scheme, the same load is narrowed to 320 px and to 1280 px at 200%
zoom (resizing a loaded page reflows it as a fresh load would) and checked
with reduced motion.
"""
from __future__ import annotations

import pytest

from axe import BEST_PRACTICE, WCAG_TAGS, axe_violations, describe_violations
from pagecheck import (DESKTOP, FOCUSED, MISSED, MOTION, NARROW, OVERFLOW, PHONE, SCHEME,
                       TABBABLE, TEXT_FIT, ZOOMED, watch)

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


def _check_keyboard(page) -> list[str]:
    """Tab from the top until focus leaves the page; check every stop.

    Motion is switched off first so a control that slides or fades in on
    focus (the skip link) is judged where it ends up. A framed page (an
    embed preview) is one stop: Tab walks through it and out again; its
    own page is checked on its own.
    """
    page.emulate_media(reduced_motion="reduce")
    expected = page.evaluate(TABBABLE)
    stops, left_page, presses = [], False, 0
    while presses < len(expected) + 60:
        page.keyboard.press("Tab")
        presses += 1
        focused = page.evaluate(FOCUSED)
        if focused and focused["frame"] and focused["seen"] and stops and stops[-1]["name"] == focused["name"]:
            continue  # still inside the frame
        if focused is None or focused["seen"]:
            left_page = True
            break
        stops.append(focused)
    found = []
    if not left_page:
        found.append(f"keyboard trap: {len(stops)} Tab presses never left the page or came round")
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
    found += [f"not reachable by Tab: {name}" for name in page.evaluate(MISSED)]
    return found


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
def test_every_page_in_chromium(browser_context, site_url, site_paths, size, scheme):
    """axe (WCAG 2.0-2.2 A/AA, plus its best practices, which Lighthouse scores),
    scheme, no sideways scroll, privacy; keyboard in light; reflow, zoom and
    reduced motion on the phone in dark."""
    assert len(site_paths) > 5, "the built site has almost no pages"
    context = browser_context(viewport=VIEWPORTS[size], color_scheme=scheme)
    page = context.new_page()
    seen = watch(page, site_url)
    problems = {}
    for path in site_paths:
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
        elif size == "phone":
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


def test_motion_probe_sees_the_themes_transitions(browser_context, site_url):
    """Guard: without the preference the probe does find motion, so it can fail."""
    page = browser_context(viewport=NARROW, reduced_motion="no-preference").new_page()
    page.goto(site_url, wait_until="load")
    assert page.evaluate(MOTION)["count"] > 0
    page.close()
