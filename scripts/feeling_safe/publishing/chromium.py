"""Debian's Chromium, as the handout printer, the bench and the tests launch it.

Never a downloaded browser: Playwright launches /usr/bin/chromium, or for most
browser tests Debian's build of the same Chromium without a browser's window
and tabs, /usr/bin/chromium-headless-shell (HEADLESS_SHELL).
"""
from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The same Chromium (one Debian source package, one version) without the full browser's
# window and tab machinery: the browser tests' engine. In headless mode the full
# browser spends about 1.9 s of CPU on each new tab, content or not (a tab with one
# line of text: 0.5 s to open, 1.2 s after its load); this one about 0.2 s. The suite
# opens a few hundred tabs. Pages are drawn, laid out, run and printed by the same
# Blink, V8 and Skia; what only a browser's own window does (asking for the favicon)
# is checked in the full browser (tests/conftest.py, full_browser).
HEADLESS_SHELL = os.environ.get("CHROMIUM_HEADLESS_SHELL", "/usr/bin/chromium-headless-shell")
# Without these, Chromium phones home at start-up (and this network refuses it).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
