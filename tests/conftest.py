"""Session fixtures: each configuration is built once, into a temp dir."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import ROOT, html_pages, mkdocs_build


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The default (unbranded) site, built strictly once per session."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(out)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def built_pages(site_dir) -> list[Path]:
    return html_pages(site_dir)


@pytest.fixture()
def docs_tree(tmp_path) -> Path:
    """An empty docs folder for tests that build a small, deliberately broken site."""
    docs = tmp_path / "docs"
    docs.mkdir()
    return docs
