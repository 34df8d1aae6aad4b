"""Every Markdown page is in the nav and can be reached from the home page."""
from __future__ import annotations

from collections import deque
from urllib.parse import unquote, urljoin, urlsplit

from sitebuild import ROOT, nav_sources, site_config, soup

SITE = "http://site.test/"


def _doc_files():
    docs = ROOT / "docs"
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}


def _built_path(md: str) -> str:
    """The URL path MkDocs gives a Markdown file (use_directory_urls)."""
    stem = md[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def test_every_markdown_file_is_in_the_nav():
    missing = _doc_files() - set(nav_sources(site_config()["nav"]))
    assert not missing, f"pages missing from the nav in mkdocs.yml: {sorted(missing)}"


def test_every_page_is_reachable_from_the_home_page(site_dir):
    seen, queue = {""}, deque([""])
    while queue:
        path = queue.popleft()
        file = site_dir / path / "index.html" if path == "" or path.endswith("/") else site_dir / path
        if not file.is_file() or file.suffix != ".html":
            continue
        for a in soup(file).select("a[href]"):
            url = urljoin(SITE + path, a["href"])
            if not url.startswith(SITE):
                continue
            target = unquote(urlsplit(url).path).lstrip("/")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    unreachable = {md for md in _doc_files() if _built_path(md) not in seen}
    assert not unreachable, f"pages no link path reaches from the home page: {sorted(unreachable)}"
