"""The quick search index: every page's title and section headings, a few kilobytes.

Why: Material's search needs its 35 KB bundle, a worker and the full-text
index, and then builds the index on the reader's phone: about two seconds
on a slow phone after the reader asks. Our pages do not load those up front
(overrides/assets/javascripts/lean.js), so a reader who presses "/" would
wait for all of it. This small file is fetched when the browser is idle
after a page loads; lean.js answers from it at once, by title and heading,
while the full search loads, and Material's full-text results replace its
results as soon as they are ready.

It is made from Material's own search index, so it covers exactly the pages
and sections the full search covers.
"""
from __future__ import annotations

import json
from pathlib import Path

from feeling_safe.pages import html as pages_html

SEARCH_INDEX = "search/search_index.json"
QUICK_INDEX = "search/quick.json"


def _plain(title: str) -> str:
    """A title as text: the index may hold inline markup (code, emphasis) and entities."""
    return " ".join(pages_html.parse_fragment(title).text().split())


def quick_index(search_index: dict) -> list[dict]:
    """[{"t": page title, "u": page location, "s": [[heading, anchor], ...]}, ...], in the
    full index's order (the site's reading order)."""
    pages: dict[str, dict] = {}
    for doc in search_index.get("docs", []):
        location, _, anchor = doc["location"].partition("#")
        title = _plain(doc.get("title", ""))
        if not title:
            continue
        page = pages.setdefault(location, {"t": "", "u": location, "s": []})
        if anchor:
            page["s"].append([title, anchor])
        else:
            page["t"] = title
    return [page for page in pages.values() if page["t"]]


def write_quick_index(site_dir: Path, *, has_search: bool) -> None:
    """Write search/quick.json from Material's index, which the search plugin (listed before
    ours) has written; nothing when the build has no search."""
    source = site_dir / SEARCH_INDEX
    if not source.is_file():
        if has_search:
            raise ValueError(f"{QUICK_INDEX}: no {SEARCH_INDEX} to make it from; in mkdocs.yml, "
                             "list the search plugin before feeling-safe under plugins")
        return
    entries = quick_index(json.loads(source.read_text(encoding="utf-8")))
    (site_dir / QUICK_INDEX).write_text(json.dumps(entries, ensure_ascii=False, separators=(",", ":")),
                                        encoding="utf-8")
