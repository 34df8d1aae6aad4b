"""Serve a built site on loopback and drive Debian's Chromium with Playwright.

Never a downloaded browser: Playwright launches /usr/bin/chromium.
"""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

from scripts.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 (shared with the handout printer)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@contextmanager
def serve(directory: Path, host: str = "127.0.0.1"):
    """Serve `directory` over HTTP on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
