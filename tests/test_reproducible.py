"""Two builds of the same commit are byte for byte the same.

Why: anyone can rebuild the site and check it is what we serve, and a CDN
sees only real changes. Dates come from front matter or SOURCE_DATE_EPOCH;
ordering is stable; nothing depends on the output folder's path.
"""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

from sitebuild import mkdocs_build

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def _digests(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_into_different_folders_are_identical(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second-build"
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda out: mkdocs_build(out, env=EPOCH), (first, second)))
    for result in results:
        assert result.returncode == 0, result.stderr
    one, two = _digests(first), _digests(second)
    assert sorted(one) == sorted(two), set(one) ^ set(two)
    different = sorted(name for name in one if one[name] != two[name])
    # The files most likely to carry a date or an unstable order are all there to compare.
    for name in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "api/v1/pages.json",
                 "_headers", "_headers.nginx", "robots.txt", "404.html"):
        assert name in one, name
    assert len(one) > 50
    assert not different, f"{len(different)} of {len(one)} files differ: {different}"
