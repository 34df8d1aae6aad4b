"""Session builds started in the background at the start of the session.

Why: the suite needs a dozen builds (the guide, a sub-path copy, clinics in
each region, hostile and private clinics...), each seconds of one core.
Built when a fixture is first asked for, the suite waits for every one of
them; started at the beginning, one after another on a background thread,
they run on the second core while the first runs tests, and most are ready
when a test asks. Only the builds the selected tests use are started, in
the order the tests will need them (conftest.py reads the fixture names of
the collected tests).

A build fixture is a recipe here, registered under the fixture's name, and a
fixture in conftest.py or its test module that returns `prebuilds.result(name)`.
A recipe gets a fresh folder (made on the main thread) and returns what the
fixture returns; a failed build raises in the test that asked for it.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

Recipe = Callable[[Path], Any]
RECIPES: dict[str, Recipe] = {}


def recipe(name: str) -> Callable[[Recipe], Recipe]:
    """Register a build recipe for the session fixture `name`."""
    def register(build: Recipe) -> Recipe:
        RECIPES[name] = build
        return build
    return register


def needed_in_order(items) -> list[str]:
    """The recipes the collected tests use, in the order they first need them."""
    order: list[str] = []
    for item in items:
        for name in getattr(item, "fixturenames", ()):
            if name in RECIPES and name not in order:
                order.append(name)
    return order


class Prebuilds:
    """The session's builds: started in `order` on one background thread; `result` waits."""

    def __init__(self, make_folder: Callable[[str], Path], order: list[str]) -> None:
        self._make_folder = make_folder
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prebuild")
        self._started: dict[str, Future] = {}
        for name in order:
            self._start(name)

    def _start(self, name: str) -> Future:
        if name not in self._started:
            self._started[name] = self._pool.submit(RECIPES[name], self._make_folder(name))
        return self._started[name]

    def result(self, name: str) -> Any:
        return self._start(name).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
