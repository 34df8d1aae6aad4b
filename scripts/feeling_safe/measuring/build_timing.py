"""Run the generator's build and record the CPU seconds each plugin spends, per event.

Why: `make bench` should say where a build's own cost goes, not only how
big it is. The generator runs every plugin through one method
(`PluginCollection.run_event`); timing each call there costs a clock read,
so the numbers come from the very build that is measured. What no plugin
accounts for is the generator and Material themselves (Markdown, templates).

Usage: `python -m feeling_safe.measuring.build_timing OUT.json build-arguments...`
writes {"<plugin> <event>": CPU seconds} to OUT.json.
"""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path


def origin_name(origin: str) -> str:
    """A hook file's name without `.py` (`hooks/x.py` -> `x`); plugin names stay as they are."""
    return Path(origin).stem if origin.endswith(".py") else origin


def timed_run_event(totals: dict[str, float]):
    """A `PluginCollection.run_event` that adds each method's CPU time to `totals`."""
    def run_event(self, name, item=None, **kwargs):
        pass_item = item is not None
        for method in self.events[name]:
            key = f"{origin_name(self._event_origins.get(method, '<unknown>'))} {name}"
            self._current_plugin = self._event_origins.get(method, "<unknown>")
            started = time.process_time()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            totals[key] += time.process_time() - started
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    return run_event


def main(argv: list[str]) -> int:
    import importlib

    from mkdocs.plugins import PluginCollection

    from feeling_safe.plugin import generator

    cli = importlib.import_module(f"{generator.NAME}.__main__").cli

    out, args = Path(argv[0]), argv[1:]
    totals: dict[str, float] = defaultdict(float)
    PluginCollection.run_event = timed_run_event(totals)
    try:
        cli.main(args=["build", *args])  # exits, with the generator's own status and messages
    finally:
        out.write_text(json.dumps(dict(totals), indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
