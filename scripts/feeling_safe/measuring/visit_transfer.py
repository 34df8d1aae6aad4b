"""What a first visit really transfers: every response a fresh Chromium profile receives
for a page until its network is idle, headers included, as encoded on the wire.

Why: feeling_safe/measuring/page_weight.py reads what a page's markup asks for, which misses what
scripts fetch on their own. Material's bundle asks for its search worker and the
full-text index as soon as a page loads; our lean.js asks for the word search index
when the page is idle. Counting both sides in the browser keeps the comparison fair.
"""
from __future__ import annotations

import statistics

from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS

PHONE = {"width": 390, "height": 844}
# After the network is idle, how long to wait for late idle-time requests.
SETTLE_MS = 1500


def transferred(browser, url: str) -> int:
    """Bytes received (headers and encoded bodies) on a first visit to `url`."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        received: dict[str, int] = {}
        cdp.on("Network.loadingFinished", lambda event: received.__setitem__(event["requestId"],
                                                                              int(event["encodedDataLength"])))
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(SETTLE_MS)
        page.wait_for_load_state("networkidle")
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
