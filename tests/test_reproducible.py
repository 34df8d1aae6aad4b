"""Two builds of the same commit are byte for byte the same.

Why: anyone can rebuild the site and check it is what we serve, and a CDN
sees only real changes. Dates come from front matter or SOURCE_DATE_EPOCH;
ordering is stable; nothing depends on the output folder's path.

The session's build (its own process, `site_dir`) is one of the two; the
second is built here, in another process (this one: another hash seed),
into a folder with another name and parent.
"""
from __future__ import annotations

import hashlib

from feeling_safe.publishing.safe_build import STAMP
from sitebuild import mkdocs_build

COMPRESSED_COPIES = (".br", ".gz")  # what the session's recipe adds after the build, as `make build` does


def _digests(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _added_by_publishing(name: str, built: dict[str, str]) -> bool:
    """The stamp, or a compressed copy of a built file (`make build` writes them after the build)."""
    return name == STAMP or any(name.endswith(suffix) and name[: -len(suffix)] in built
                                for suffix in COMPRESSED_COPIES)


def test_a_second_build_into_another_folder_is_identical_to_the_session_build(site_dir, tmp_path):
    second = tmp_path / "second-build"
    result = mkdocs_build(second)
    assert result.returncode == 0, result.stderr
    session, again = _digests(site_dir), _digests(second)
    # The files most likely to carry a date or an unstable order are all there to compare.
    for name in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "api/v1/pages.json",
                 "_headers", "_headers.nginx", "robots.txt", "404.html"):
        assert name in again, name
    assert len(again) > 50
    assert sorted(set(again) - set(session)) == [], "files only the second build wrote"
    extra = sorted(name for name in set(session) - set(again) if not _added_by_publishing(name, again))
    assert extra == [], "files only the session build wrote"
    different = sorted(name for name in again if again[name] != session[name])
    assert not different, f"{len(different)} of {len(again)} files differ: {different}"
