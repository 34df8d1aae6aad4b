"""What a visit really transfers: every response Chromium receives for a page until its
network is idle, headers included, as encoded on the wire; and when it first paints.

Why: feeling_safe/measuring/page_weight.py reads what a page's markup asks for, which misses what
scripts fetch on their own. Material's bundle asks for its search worker and the
full-text index as soon as a page loads; our lean.js asks for the word index
when the page is idle (on a page with a tool of its own, when the reader
reaches for search). Counting both sides in the browser keeps the comparison fair.
A first visit starts from a fresh profile. A later page of the same visit
finds what the first left in the cache, so the bench also walks three pages in
one profile on the phone profile: inlining the critical CSS in every page
(one round trip to the first paint) costs its bytes again on each page.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from feeling_safe.measuring.phone import phone_page
from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS

# After the network is idle, how long to wait for late idle-time requests.
SETTLE_MS = 1500


def _counting(cdp) -> dict[str, int]:
    received: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda event: received.__setitem__(event["requestId"],
                                                                          int(event["encodedDataLength"])))
    return received


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(SETTLE_MS)
    page.wait_for_load_state("networkidle")


def transferred(browser, url: str) -> int:
    """Bytes received (headers and encoded bodies) on a first visit to `url`."""
    context, page, cdp = phone_page(browser, throttled=False)
    try:
        received = _counting(cdp)
        page.goto(url, wait_until="networkidle")
        _settle(page)
        return sum(received.values())
    finally:
        context.close()


def visit_transfers(urls: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """{site name: {page url: bytes}} for each named site's pages, each in a fresh profile."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return {name: {url: transferred(browser, url) for url in pages} for name, pages in urls.items()}
        finally:
            browser.close()


def median_kb(figures: dict[str, int]) -> float:
    return statistics.median(figures.values()) / 1024


@dataclass(frozen=True)
class Step:
    url: str
    bytes: int         # received from the navigation's start until the page is idle
    paint_ms: float    # first contentful paint, from the navigation's start


def walk(browser, urls: list[str]) -> list[Step]:
    """Each page of `urls` in turn in one throttled phone profile (a reader following links)."""
    context, page, cdp = phone_page(browser)
    try:
        received = _counting(cdp)
        steps = []
        for url in urls:
            received.clear()
            page.goto(url, wait_until="load")
            _settle(page)
            paint = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
            steps.append(Step(url, sum(received.values()), float(paint or 0)))
        return steps
    finally:
        context.close()


def walks(sites: dict[str, list[str]], runs: int = 3) -> dict[str, list[Step]]:
    """The median walk of each site: per step, the median bytes and paint time of `runs` walks,
    the sites taken in turn."""
    from playwright.sync_api import sync_playwright
    found: dict[str, list[list[Step]]] = {name: [] for name in sites}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                for name, urls in sites.items():
                    found[name].append(walk(browser, urls))
        finally:
            browser.close()
    return {name: [Step(steps[0].url, int(statistics.median(s.bytes for s in steps)),
                        statistics.median(s.paint_ms for s in steps))
                   for steps in zip(*runs_of)]
            for name, runs_of in found.items()}
