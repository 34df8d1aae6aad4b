"""Build the site (or a variant of it) for tests.

Variants are one-line child configs that `INHERIT: mkdocs.yml`, piped to
the generator on stdin from the repo root, so relative paths in mkdocs.yml
(theme overrides) keep working and nothing is written into the repo.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from functools import cache
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from feeling_safe.content.readingpath import nav_sources  # noqa: F401  (tests import it from here)
from feeling_safe.plugin.generator import command

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01, the Makefile's fallback


# The environment at start-up: builds on the background thread start from it, never from
# os.environ while an in-process build on the main thread has set FST_TODAY or the date in it.
START_ENV = dict(os.environ)


def build_env(env: dict | None = None) -> dict:
    """A fixed build date unless the caller (or the Makefile) sets one: builds are reproducible."""
    return {"SOURCE_DATE_EPOCH": DEFAULT_SOURCE_DATE_EPOCH, **START_ENV, **(env or {})}


def mkdocs_build(site_dir: Path, overrides: dict | None = None,
                 env: dict | None = None) -> subprocess.CompletedProcess:
    """A strict build of mkdocs.yml plus `overrides` into `site_dir`, in this process (tests/inprocess.py).

    Answers as the command does (returncode, stderr with the log). Main thread only:
    session recipes on the background thread use `mkdocs_build_process`."""
    from inprocess import build_in_process

    child = {"INHERIT": "mkdocs.yml", **(overrides or {})}
    values = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH), **(env or {})}
    return build_in_process(ROOT, site_dir, child, values)


def mkdocs_build_process(site_dir: Path, overrides: dict | None = None,
                         env: dict | None = None) -> subprocess.CompletedProcess:
    """The same build by the generator's command, in its own process (a core of its own)."""
    child = {"INHERIT": "mkdocs.yml", **(overrides or {})}
    return subprocess.run(
        command("build", "--strict", "--config-file", "-", "--site-dir", str(site_dir)),
        input=yaml.safe_dump(child), text=True, capture_output=True,
        cwd=ROOT, env=build_env(env),
    )


def html_pages(site_dir: Path) -> list[Path]:
    """Every built HTML page, in a stable order."""
    return sorted(site_dir.rglob("*.html"))


def is_document(path: Path) -> bool:
    """A whole HTML page (it starts with a doctype), not an HTML fragment the build also writes."""
    return path.read_text(encoding="utf-8")[:200].lstrip().lower().startswith("<!doctype html")


@cache
def soup(path: Path) -> BeautifulSoup:
    """Parsed HTML of a built page (cached: pages are parsed once per session)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def url_of(source: str) -> str:
    """The site-relative URL of a docs page: `what-it-is.md` -> `what-it-is/`, `index.md` -> ``."""
    stem = source[: -len(".md")] if source.endswith(".md") else source
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def built(site_dir: Path, source: str) -> Path:
    """Where a docs page lands in a build: `what-it-is.md` -> `what-it-is/index.html`."""
    return site_dir / url_of(source) / "index.html"


def page_url(site_dir: Path, path: Path) -> str:
    """The site-relative URL a built file is served at (`what-it-is/`)."""
    rel = path.relative_to(site_dir).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


# Front matter that passes the content model, for small fixture docs trees.
VALID_META = {
    "title": "A fixture page",
    "description": "A page used by the tests to check how the build treats broken input.",
    "kind": "reference",
    "last_reviewed": "2026-01-15",
    "next_review": "2099-01-15",
}


def write_page(docs: Path, name: str, body: str, **meta) -> Path:
    """Write a Markdown page with valid front matter (override fields via `meta`)."""
    front = {**VALID_META, **meta}
    front = {k: v for k, v in front.items() if v is not None}
    path = docs / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n\n{body}\n", encoding="utf-8")
    return path


def fixture_config(docs: Path) -> dict:
    """Child-config overrides that build a small fixture tree instead of docs/."""
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    return {"docs_dir": str(docs), "nav": pages}


class _IgnoreTagsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for tests: `!ENV` and `!!python/name` tags become None."""


_IgnoreTagsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_config() -> dict:
    """mkdocs.yml as plain data (tags ignored), for tests that need the nav or our plugin's options."""
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTagsLoader)


PLUGIN = "feeling-safe"


def plugin_options() -> dict:
    """Our plugin's options as mkdocs.yml sets them (feeling_safe/plugin/plugin.py has the defaults)."""
    return site_config()["plugins"][PLUGIN] or {}


def with_plugin(**options) -> dict:
    """Child-config overrides that set some of our plugin's options (the rest are inherited)."""
    return {"plugins": {PLUGIN: options}}


def clinic_build(clinic_file: Path, out: Path, handouts: bool = False,
                 compressed: bool = False) -> subprocess.CompletedProcess:
    """`make clinic`'s command: check the file, then build atomically into `out`. Without the
    compressed copies unless `compressed` (about 2.5 s of CPU a build, more than the build
    itself): only a site a test serves through nginx or Apache needs them."""
    args = [sys.executable, "-m", "feeling_safe.clinic", str(clinic_file), "--out", str(out)]
    args += (["--handouts"] if handouts else []) + ([] if compressed else ["--no-compress"])
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=START_ENV)


def stop_with_its_group(process: subprocess.Popen) -> None:
    """End a server started with `start_new_session=True` as Ctrl-C would, then anything it
    started that outlived it (its process group), so no server is left holding a port or a pipe."""
    process.terminate()
    try:
        process.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def page_tools(page: Path) -> list[str]:
    """The names of the scripts (docs/assets/javascripts/<name>.js) a built page's one tools
    file holds (publishing/page_scripts.py), in the order it runs them; [] without one. Read
    from the file itself: each source, minified, is in it."""
    from feeling_safe.publishing.page_scripts import STEM, minified

    stem = STEM.removesuffix(".js") + "."
    sources = [s.get("src", "") for s in soup(page).select("script[src]")
               if s.get("src", "").rpartition("/")[2].startswith(stem)]
    if not sources:
        return []
    assert len(sources) == 1, f"{page}: more than one tools file: {sources}"
    content = (page.parent / sources[0]).resolve().read_text(encoding="utf-8")
    found = {}
    for source in sorted((ROOT / "docs" / "assets" / "javascripts").glob("*.js")):
        at = content.find(minified(source.read_text(encoding="utf-8")))
        if at >= 0:
            found[at] = source.stem
    return [found[at] for at in sorted(found)]
