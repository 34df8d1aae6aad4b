"""Brotli and gzip copies of the built text files, for a server to send as they are
(nginx's brotli_static and gzip_static).

Why: a page's first paint should fit in the server's first round trip
(feeling_safe/measuring/first_paint.py). Compressing once at build time, at each format's
best level, sends fewer bytes than a server compressing each response at its
default level, costs the server nothing per request, and gives a
Content-Length instead of chunked framing. Every browser asks for Brotli over
HTTPS, and it is about a sixth smaller than gzip -9 on our pages; gzip stays
for clients that do not ask for it. The copies are byte-identical from build
to build (no name, no time in the gzip header; Brotli has neither).
"""
from __future__ import annotations

import gzip
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

# Text a browser downloads; images and fonts are compressed already.
TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
# Brotli's quality 11 costs about 24 ms a page against 9 ms for 10, for 3% fewer bytes:
# what a first paint waits for (pages, stylesheets) and the icons get 11, the rest
# (scripts, JSON) 10. Its cost grows with the file: a page over BEST_UP_TO bytes
# (a guide whose nav is long but not yet pruned, feeling_safe/plugin/material.py) could
# never paint in one round trip anyway, and gets quality 5, which costs a
# hundredth of the time and is still no bigger than gzip -9. Today's pages carry their
# critical CSS (about 29 KB) and are 65-80 KB: at quality 5 they would lose 1.5 KB of
# their first round trip.
BROTLI_BEST = (".html", ".css", ".svg")
BEST_UP_TO = 128 * 1024
# Gzip only, for what a reader's browser never fetches on an English site: source maps
# (developers' tools) and the search's word stemmers for other languages (two thirds
# of Brotli's time otherwise spent on scripts).
GZIP_ONLY = re.compile(r"\.map$|(^|/)assets/javascripts/lunr/")
# No copies of the oEmbed answers: the endpoint (feeling_safe/publishing/oembed_endpoint.py) sends
# them with maxwidth and maxheight put in as it sends them (nginx's sub_filter), which a server
# cannot do to a compressed copy, so a consumer asking for compression (WordPress does) would get
# the default sizes. nginx compresses them as it sends them; they are under a kilobyte.
NO_COPIES = re.compile(r"^api/v1/oembed/")


def _quality(rel: str, data: bytes) -> int:
    if len(data) > BEST_UP_TO:
        return 5
    return 11 if rel.endswith(BROTLI_BEST) else 10


# Each copy's suffix and how it is made from a file's site-relative path and bytes.
COPIES = {".br": lambda rel, data: None if GZIP_ONLY.search(rel) else brotli.compress(data, quality=_quality(rel, data)),
          ".gz": lambda rel, data: gzip.compress(data, compresslevel=9, mtime=0)}

# Below this, gzip's own framing outweighs the saving (nginx compresses nothing this small).
MIN_BYTES = 256


def precompress(site_dir: Path) -> int:
    """Write `<file>.br` and `<file>.gz` beside each text file the host serves, when
    smaller than the file; returns how many files got at least one copy.

    Files are compressed on every core at once (zlib and Brotli let go of Python's
    lock while they work); each copy depends only on its file, so the result is the same.
    """
    files = [path for path in sorted(site_dir.rglob("*"))
             if path.is_file() and path.suffix in TEXT_SUFFIXES and not path.name.startswith(("_", "."))
             and path.stat().st_size >= MIN_BYTES
             and not NO_COPIES.search(path.relative_to(site_dir).as_posix())]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return sum(pool.map(lambda path: _write_copies(path, path.relative_to(site_dir).as_posix()), files))


def _write_copies(path: Path, rel: str) -> bool:
    data, wrote = path.read_bytes(), False
    for suffix, compress in COPIES.items():
        target = path.with_name(path.name + suffix)
        if target.exists():   # MkDocs's own sitemap.xml.gz
            continue
        body = compress(rel, data)
        if body is not None and len(body) < len(data):
            target.write_bytes(body)
            wrote = True
    return wrote
