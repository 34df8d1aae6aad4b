"""`make serve`: the generator's live-reloading server, restarted when our build code changes.

Why: the generator rebuilds in the same Python process, so edits to the
content (docs/), data (data/, schemas/) and templates (overrides/) show on
the next rebuild, but an edit to our own Python (scripts/) would keep running
the old code. This wrapper watches scripts/ and restarts the server when a
.py file changes; the browser's live-reload script then loads the new build.
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from scripts.generator import command

ROOT = Path(__file__).resolve().parents[1]
# Watched by the generator itself (rebuilt in-process); docs/ and the config it always watches.
REBUILD_ON = ("data", "schemas")
RESTART_ON = "scripts"


class _Changed(FileSystemEventHandler):
    """Sets `event` when a Python file under the watched folder changes."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if str(event.src_path).endswith(".py") and event.event_type in ("modified", "created", "moved", "deleted"):
            self.event.set()


def _interrupt(*_signal) -> None:
    raise KeyboardInterrupt


def server_command(config_file: str, dev_addr: str) -> list[str]:
    watch = [arg for folder in REBUILD_ON for arg in ("--watch", str(ROOT / folder))]
    return command("serve", "--config-file", config_file, "--dev-addr", dev_addr, "--watch-theme", *watch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", default="mkdocs.yml")
    parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    parser.add_argument("--restart-on", default=str(ROOT / RESTART_ON), type=Path,
                        help="the folder whose Python files restart the server (default: scripts/)")
    args = parser.parse_args(argv)
    # `kill` (SIGTERM) ends the wrapper like Ctrl-C does, so its server never outlives it.
    signal.signal(signal.SIGTERM, _interrupt)
    changed = _Changed()
    observer = Observer()
    server = None
    observer.schedule(changed, str(args.restart_on), recursive=True)
    observer.start()
    try:
        while True:
            changed.event.clear()
            server = subprocess.Popen(server_command(args.config_file, args.dev_addr), cwd=ROOT)
            while not changed.event.wait(0.5):
                if server.poll() is not None:
                    return server.returncode
            server.terminate()
            server.wait()
            print(f"{args.restart_on} changed: restarting the server", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        observer.stop()
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
