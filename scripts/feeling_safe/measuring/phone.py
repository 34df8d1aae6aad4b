"""Lighthouse's phone profile in Chromium, for every timing the bench takes.

Why: a worried reader is often on a slow phone, so timings are taken as
Lighthouse's mobile profile takes them: a 390 px touch screen, the CPU
slowed 4x, 562.5 ms round trips and 1.47 Mbit/s down (its "slow 4G"),
applied through the Chrome DevTools Protocol. One definition, so every
figure in the bench is taken on the same phone.
"""
from __future__ import annotations

LATENCY_MS = 562.5
# Lighthouse's DevTools throttling: 1,638.4 kbit/s down and 750 up, each times 0.9.
DOWNLOAD_BYTES_PER_S = 1638.4 * 0.9 * 1024 / 8
UPLOAD_BYTES_PER_S = 675 * 1024 / 8
CPU_SLOWDOWN = 4
SCREEN = {"width": 390, "height": 844}


def phone_page(browser, throttled: bool = True):
    """A fresh profile (nothing cached) with one page on the phone's screen; throttled unless told
    otherwise. Returns (context, page, cdp session); the caller closes the context."""
    context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if throttled:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCY_MS,
                                                       "downloadThroughput": DOWNLOAD_BYTES_PER_S,
                                                       "uploadThroughput": UPLOAD_BYTES_PER_S})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return context, page, cdp
