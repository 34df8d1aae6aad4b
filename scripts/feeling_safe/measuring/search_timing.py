"""How long a reader on a phone waits for search: from the "/" key to the first result shown.

Why: our pages load Material's bundle only when a reader reaches for search
(overrides/assets/javascripts/lean.js), so the first search pays for the
downloads a default build makes up front. The time is measured in Debian's
Chromium on Lighthouse's phone profile (CPU slowed 4x, 562.5 ms round trip,
1.6 Mbit/s down) through the Chrome DevTools Protocol, on a page whose first
load has finished, from the key press (in the page's clock) to the first
result item in the page.
"""
from __future__ import annotations

import statistics

from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS

LATENCY_MS = 562.5
DOWNLOAD_BYTES_PER_S = 1638.4 * 1024 / 8
UPLOAD_BYTES_PER_S = 675 * 1024 / 8
CPU_SLOWDOWN = 4
PHONE = {"width": 390, "height": 844}
QUERY = "alliance"

# Installed before the key press: the page notes the time of the first "/" and of the first result.
_WATCH = """() => {
  window.__searchTiming = {};
  addEventListener("keydown", (e) => { if (e.key === "/" && !__searchTiming.key) __searchTiming.key = performance.now(); }, true);
  new MutationObserver((list, observer) => {
    const now = performance.now();
    if (!__searchTiming.result && document.querySelector(".md-search-result__item")) __searchTiming.result = now;
    if (document.querySelector(".md-search-result__item:not([data-fst-quick])")) {
      __searchTiming.full = now; observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""


def time_to_results(browser, url: str, query: str = QUERY, timeout_ms: float = 60_000) -> tuple[float, float]:
    """Milliseconds from "/" to the first search result on `url`, on the throttled phone profile,
    and to the first full-text result (Material's; our quick search's come first, by title)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCY_MS,
                                                       "downloadThroughput": DOWNLOAD_BYTES_PER_S,
                                                       "uploadThroughput": UPLOAD_BYTES_PER_S})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="networkidle", timeout=timeout_ms)
        page.evaluate(_WATCH)
        page.keyboard.press("/")
        page.keyboard.type(query)
        page.wait_for_function("() => window.__searchTiming.full", timeout=timeout_ms)
        timing = page.evaluate("window.__searchTiming")
        return timing["result"] - timing["key"], timing["full"] - timing["key"]
    finally:
        context.close()


def search_times(urls: dict[str, str], runs: int = 3) -> dict[str, tuple[float, float]]:
    """Median times to first results and to full-text results for each named site (a fresh
    browser profile each run)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            found = {name: [time_to_results(browser, url) for _ in range(runs)] for name, url in urls.items()}
            return {name: (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))
                    for name, times in found.items()}
        finally:
            browser.close()
