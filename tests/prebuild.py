"""Session builds started in the background at the start of the session, shared by every worker.

Why: the suite needs a dozen builds (the guide, a sub-path copy, clinics in
each region, hostile and private clinics...), each seconds of one core.
Built when a fixture is first asked for, the suite waits for every one of
them; started at the beginning, one after another on a background thread,
they run beside the tests, and most are ready when a test asks. Only the
builds the selected tests use are started, in the order the tests will need
them (conftest.py reads the fixture names of the collected tests).

The suite runs in one worker per core (pytest-xdist). Each build is made
once per run, by whichever worker claims it first: a build's folder, lock,
and answer live in a folder every worker of the run sees. A worker's
background thread skips a build another worker holds and goes on to the
next, so the two threads share the list; a test that needs a build another
worker is making waits on its lock, then reads the answer it left.

A build fixture is a recipe here, registered under the fixture's name, and a
fixture in conftest.py or its test module that returns `prebuilds.result(name)`.
A recipe gets a fresh, empty folder and returns what the fixture returns
(paths, ports: anything picklable); a failed build raises in every test that
asked for it, in every worker.
"""
from __future__ import annotations

import fcntl
import pickle
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

Recipe = Callable[[Path], Any]
RECIPES: dict[str, Recipe] = {}
_HELD_ELSEWHERE = object()  # a background claim that found another worker building


class BuildFailed(AssertionError):
    """A session build that failed (in this worker or another): its message, as the recipe raised it."""


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
    """The run's builds: claimed in `order` on one background thread per worker; `result` waits.

    `shared` is a folder every worker of this run sees (the run's temp root)."""

    def __init__(self, shared: Path, order: list[str]) -> None:
        self._shared = shared
        self._shared.mkdir(parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prebuild")
        self._claims: dict[str, Future] = {name: self._pool.submit(self._make, name, False) for name in order}

    def result(self, name: str) -> Any:
        claim = self._claims.get(name)
        if claim is not None:
            answer = claim.result()
            if answer is not _HELD_ELSEWHERE:
                return answer
        return self._make(name, True)

    def _make(self, name: str, wait: bool) -> Any:
        """The build `name`: made here under its lock, or read from where another worker left it.
        Without `wait`, a build another worker holds is left to it (`_HELD_ELSEWHERE`)."""
        answer, failure = self._shared / f"{name}.answer", self._shared / f"{name}.failed"
        with open(self._shared / f"{name}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                return _HELD_ELSEWHERE
            try:
                if answer.exists():
                    return pickle.loads(answer.read_bytes())
                if failure.exists():
                    raise BuildFailed(failure.read_text(encoding="utf-8"))
                folder = self._shared / name
                folder.mkdir()
                try:
                    value = RECIPES[name](folder)
                except Exception as error:
                    failure.write_text(f"session build {name!r} failed: {error}", encoding="utf-8")
                    raise
                answer.write_bytes(pickle.dumps(value))
                return value
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
