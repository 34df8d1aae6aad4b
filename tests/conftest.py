"""Session fixtures: each configuration is built once, into a temp dir."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, HEADLESS_SHELL, serve
from feeling_safe.publishing.precompress import precompress
from feeling_safe.publishing.safe_build import STAMP, STAMP_TEXT
from prebuild import Prebuilds, needed_in_order, recipe
from sitebuild import ROOT, clinic_build, html_pages, mkdocs_build_process

BUILD_ORDER = pytest.StashKey[list]()


def pytest_collection_modifyitems(session, config, items):
    config.stash[BUILD_ORDER] = needed_in_order(items)


def shared_temp(tmp_path_factory) -> Path:
    """This run's temp root, seen by every worker (a worker's own root is a folder in it)."""
    own = tmp_path_factory.getbasetemp()
    return own.parent if os.environ.get("PYTEST_XDIST_WORKER") else own


@pytest.fixture(scope="session", autouse=True)
def prebuilds(request, tmp_path_factory):
    """The builds the selected tests use, started now in the background (tests/prebuild.py)."""
    builds = Prebuilds(shared_temp(tmp_path_factory) / "builds", request.config.stash.get(BUILD_ORDER, []))
    yield builds
    builds.close()


@recipe("site_dir")
def _build_site(folder: Path) -> Path:
    result = mkdocs_build_process(folder)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr}"
    precompress(folder)  # as `make build` leaves it: compressed copies, then the stamp
    (folder / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def site_dir(prebuilds) -> Path:
    """The default (unbranded) site, built strictly once per session."""
    return prebuilds.result("site_dir")


@recipe("clinic_site")
def _build_clinic(folder: Path) -> Path:
    out = folder / "example"
    result = clinic_build(ROOT / "clinics" / "example.yml", out, handouts=True, compressed=True)  # nginx serves it
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def clinic_site(prebuilds) -> Path:
    """The example clinic (clinics/example.yml), with handouts, built once per session."""
    return prebuilds.result("clinic_site")


@pytest.fixture(scope="session")
def private_clinic(prebuilds) -> Path:
    """A clinic with `embeds: false` that still asks for the pages for clinics, with A4 handouts
    and a logo drawn in one colour (its recipe: test_clinic_brand.py; test_print.py reads its sheets)."""
    return prebuilds.result("private_clinic")


@pytest.fixture(scope="session")
def built_pages(site_dir) -> list[Path]:
    return html_pages(site_dir)


@pytest.fixture()
def docs_tree(tmp_path) -> Path:
    """An empty docs folder for tests that build a small, deliberately broken site."""
    docs = tmp_path / "docs"
    docs.mkdir()
    return docs


@pytest.fixture(scope="session")
def site_url(site_dir) -> str:
    """Base URL of the default site, served on loopback for the whole session."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def nginx_url(site_dir, tmp_path_factory) -> str:
    """Base URL of the default site served by Debian's nginx with deploy/nginx/site.conf."""
    from feeling_safe.measuring.nginx_site import serve_with_nginx

    with serve_with_nginx(site_dir, tmp_path_factory.mktemp("nginx")) as url:
        yield url


# Playwright waits on events (a load, a selector, a condition) up to 30 s by default; a page
# with three embeds on a 2-core machine with both cores busy can take longer to load. The
# limit only stops a hang: every wait still ends as soon as its event happens.
BROWSER_PATIENCE_MS = 120_000


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver, one per session (a thread can hold only one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@contextlib.contextmanager
def _launched(driver, executable: str, package: str):
    """Debian's Chromium at `executable`, whose contexts wait up to BROWSER_PATIENCE_MS."""
    if not Path(executable).is_file():
        pytest.fail(f"{executable} is missing: `make test` installs Debian's {package} (never a downloaded browser)")
    chromium = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    new_context = chromium.new_context

    def patient_context(**options):
        context = new_context(**options)
        context.set_default_timeout(BROWSER_PATIENCE_MS)
        context.set_default_navigation_timeout(BROWSER_PATIENCE_MS)
        return context

    chromium.new_context = patient_context
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless Chromium for the whole session: Debian's chromium-headless-shell, the same
    engine without a browser's window (feeling_safe/publishing/chromium.py says why)."""
    with _launched(playwright_driver, HEADLESS_SHELL, "chromium-headless-shell") as chromium:
        yield chromium


@pytest.fixture(scope="session")
def full_browser(playwright_driver):
    """Debian's full chromium in headless mode, for what a browser's own window does
    (it asks for the page's icon); started only when a test asks for it."""
    with _launched(playwright_driver, CHROMIUM, "chromium") as chromium:
        yield chromium


@contextlib.contextmanager
def _fresh_phone_tab(chromium):
    """A tab of its own context (own cookies and storage) at phone size, closed after."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture()
def page(browser):
    """A fresh, isolated browser tab (own cookies and storage) at phone size."""
    with _fresh_phone_tab(browser) as tab:
        yield tab


@pytest.fixture()
def full_browser_page(full_browser):
    """The same, in the full browser."""
    with _fresh_phone_tab(full_browser) as tab:
        yield tab


@pytest.fixture(scope="session")
def browser_context(browser):
    """Shared, read-only browser contexts, one per setting, reused all session.

    Call it with Playwright's `new_context` options, e.g.
    `browser_context(viewport={"width": 390, "height": 844}, color_scheme="dark")`.
    For tests that change state (storage, palette choice) use `page` instead.
    """
    contexts = {}

    def get(**options):
        key = repr(sorted(options.items()))
        if key not in contexts:
            contexts[key] = browser.new_context(**options)
        return contexts[key]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="session")
def site_paths(site_dir, built_pages) -> list[str]:
    """Site-relative URL of every built HTML document (full pages and embeds)."""
    from sitebuild import is_document, page_url
    return [page_url(site_dir, path) for path in built_pages if is_document(path)]


@pytest.fixture(scope="session")
def covering_paths(site_dir, site_paths) -> list[str]:
    """The pages that together hold every kind of element the site has (pagecheck.covering_set):
    where a browser check's outcome depends on an element's kind, not a page's text."""
    from pagecheck import covering_set, element_kinds

    kinds = {path: element_kinds(site_dir / (path + "index.html" if path.endswith("/") or not path else path))
             for path in site_paths}
    return covering_set(kinds, site_paths)


@recipe("subpath_site")
def _build_subpath(parent: Path) -> tuple[Path, int]:
    from feeling_safe.measuring.localserver import free_port
    from feeling_safe.measuring.nginx_site import SUB_PATH

    port = free_port()
    out = parent / SUB_PATH.strip("/")
    result = mkdocs_build_process(out, {"site_url": f"http://127.0.0.1:{port}{SUB_PATH}"})
    assert result.returncode == 0, f"strict build failed:\n{result.stderr}"
    (out / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
    return out, port


@pytest.fixture(scope="session")
def subpath_site(prebuilds, tmp_path_factory) -> tuple[Path, str]:
    """The site built for, and served by nginx at, a sub-path: `http://127.0.0.1:<port>/guide/`
    (site.conf's documented sub-path form). Its site_url is the address it is served at,
    so its own links, oEmbed and wp-embed's same-host check all hold. Yields (folder, URL)."""
    from feeling_safe.measuring.nginx_site import serve_subpath_with_nginx

    out, port = prebuilds.result("subpath_site")
    with serve_subpath_with_nginx(out.parent, port, tmp_path_factory.mktemp("nginx-subpath")) as url:
        yield out, url
