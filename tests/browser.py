"""Serve a built site on loopback and drive Debian's Chromium with Playwright.

Never a downloaded browser: Playwright launches Debian's chromium-headless-shell, or
/usr/bin/chromium where a browser's own window matters (feeling_safe/publishing/chromium.py).
"""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS, HEADLESS_SHELL  # noqa: F401 (shared with the handout printer)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def log_message(self, *args):  # keep test output readable
        pass

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve(directory: Path, host: str = "127.0.0.1", headers: dict[str, str] | None = None):
    """Serve `directory` over HTTP on a free loopback port (with `headers` on every
    response, such as a host page's Content-Security-Policy); yields the base URL."""
    handler_class = type("Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
