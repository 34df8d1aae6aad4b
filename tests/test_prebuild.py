"""The session builds' sharing between workers (tests/prebuild.py): each build made once per run."""
from __future__ import annotations

import threading

import pytest

from prebuild import RECIPES, BuildFailed, Prebuilds


@pytest.fixture()
def recipes():
    """Two throwaway recipes: one counts its builds (and can be held open), one always fails."""
    made, release = [], threading.Event()

    def counted(folder):
        made.append(folder)
        release.wait(timeout=30)
        (folder / "index.html").write_text("built")
        return folder, 8080

    def broken(folder):
        raise AssertionError("strict build failed: a broken link")

    RECIPES.update(_counted=counted, _broken=broken)
    yield made, release
    del RECIPES["_counted"], RECIPES["_broken"]


def test_a_build_claimed_by_one_worker_is_read_by_the_other(tmp_path, recipes):
    made, release = recipes
    first = Prebuilds(tmp_path, ["_counted"])   # starts building in the background, held open
    second = Prebuilds(tmp_path, ["_counted"])  # finds it claimed: leaves it to the first
    waited = {}
    reader = threading.Thread(target=lambda: waited.setdefault("answer", second.result("_counted")))
    reader.start()
    reader.join(timeout=0.5)
    assert reader.is_alive(), "the second worker must wait for the build, not make its own"
    release.set()
    reader.join(timeout=30)
    assert first.result("_counted") == waited["answer"] == (tmp_path / "_counted", 8080)
    assert len(made) == 1 and (tmp_path / "_counted" / "index.html").read_text() == "built"
    first.close()
    second.close()


def test_a_failed_build_fails_in_every_worker_without_building_twice(tmp_path, recipes):
    first = Prebuilds(tmp_path, ["_broken"])
    with pytest.raises(AssertionError, match="a broken link"):
        first.result("_broken")
    second = Prebuilds(tmp_path, [])
    with pytest.raises(BuildFailed, match="_broken.*a broken link"):
        second.result("_broken")
    first.close()
    second.close()
