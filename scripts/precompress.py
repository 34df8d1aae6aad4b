"""Gzip copies of the built text files, for a server to send as they are (nginx's gzip_static).

Why: a page's first paint should fit in the server's first round trip
(scripts/first_paint.py). Compressing once at build time, at zlib's best
level, sends fewer bytes than a server compressing each response at its
default level, costs the server nothing per request, and gives a
Content-Length instead of chunked framing. The copies are byte-identical
from build to build (no name, no time in the gzip header).
"""
from __future__ import annotations

import gzip
from pathlib import Path

# Text a browser downloads; images and fonts are compressed already.
TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
SUFFIX = ".gz"
# Below this, gzip's own framing outweighs the saving (nginx compresses nothing this small).
MIN_BYTES = 256


def precompress(site_dir: Path) -> int:
    """Write `<file>.gz` beside each text file the host serves; returns how many."""
    written = 0
    for path in sorted(site_dir.rglob("*")):
        if (not path.is_file() or path.suffix not in TEXT_SUFFIXES or path.name.startswith(("_", "."))
                or path.stat().st_size < MIN_BYTES):
            continue
        target = path.with_name(path.name + SUFFIX)
        if target.exists():   # MkDocs's own sitemap.xml.gz
            continue
        body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        if len(body) < path.stat().st_size:
            target.write_bytes(body)
            written += 1
    return written
