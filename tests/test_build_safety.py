"""Broken input fails the build with a message naming the file, and a failed
build never destroys the last good output."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
import yaml

from feeling_safe.publishing.safe_build import STAMP, STAMP_TEXT
from sitebuild import ROOT, fixture_config, mkdocs_build, write_page


@pytest.mark.parametrize("home, other, named", [
    ("See [the next page](next.md).", "This goes [nowhere](missing-page.md).", ["next.md", "missing-page.md"]),
    ("See [a section](next.md#no-such-section).", "## A real section\n\nText.", ["index.md", "no-such-section"]),
    ("See [the next page](/next/).", "Text.", ["index.md"]),
], ids=["broken link", "broken anchor", "absolute link"])
def test_a_bad_link_fails_the_build_naming_the_file(docs_tree, tmp_path, home, other, named):
    write_page(docs_tree, "index.md", f"# Home\n\n{home}")
    write_page(docs_tree, "next.md", f"# Next\n\n{other}")
    result = mkdocs_build(tmp_path / "out", fixture_config(docs_tree))
    assert result.returncode != 0
    assert all(name in result.stderr for name in named), result.stderr


def _safe_build(config: dict, site_dir, *options: str):
    return subprocess.run(
        [sys.executable, "-m", "feeling_safe.publishing.safe_build", "--config-file", "-", "--site-dir", str(site_dir),
         *options],
        input=yaml.safe_dump({"INHERIT": "mkdocs.yml", **config}), text=True,
        capture_output=True, cwd=ROOT)


def _previous_build(site):
    """A folder as an earlier build of ours left it (with the stamp that says so)."""
    site.mkdir()
    (site / STAMP).write_text(STAMP_TEXT)
    (site / "index.html").write_text("the last good build")


def test_a_failed_build_leaves_the_previous_site_untouched(docs_tree, tmp_path):
    site = tmp_path / "site"
    _previous_build(site)
    write_page(docs_tree, "index.md", "# Home\n\n[broken](missing-page.md)")
    result = _safe_build(fixture_config(docs_tree), site)
    assert result.returncode != 0
    assert "missing-page.md" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == [STAMP, "index.html"]
    assert (site / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "site"], "staging folder left behind"


def test_a_good_build_replaces_the_site(docs_tree, tmp_path):
    site = tmp_path / "site"
    _previous_build(site)
    (site / "stale.html").write_text("old")
    write_page(docs_tree, "index.md", "# Home\n\nAll good.")
    result = _safe_build(fixture_config(docs_tree), site)
    assert result.returncode == 0, result.stderr
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "site"]
    assert (site / "index.html.br").is_file() and (site / "index.html.gz").is_file(), "copies for the server"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(site.stat().st_mode) == 0o777 & ~umask, "the web server must be able to read site/"


def test_a_build_without_compressed_copies_is_whole_and_stamped(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# Home\n\nAll good.")
    result = _safe_build(fixture_config(docs_tree), tmp_path / "site", "--no-compress")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert (site / "index.html").is_file() and (site / STAMP).read_text() == STAMP_TEXT
    assert [path.name for path in site.rglob("*") if path.suffix in (".br", ".gz")] == ["sitemap.xml.gz"]
