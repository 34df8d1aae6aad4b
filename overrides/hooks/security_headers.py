"""Write `_headers` and `_headers.nginx` for the built site (scripts/security_headers.py).

Thin wrapper. Must run after every hook that writes or rewrites pages: the
Content-Security-Policy hashes the inline scripts of the final HTML, so it
is listed last in mkdocs.yml and runs at the lowest post-build priority.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts.security_headers import write_headers


@event_priority(-1000)
def on_post_build(config: MkDocsConfig) -> None:
    try:
        write_headers(Path(config.site_dir))
    except ValueError as error:
        raise PluginError(f"security_headers: {error}") from error
