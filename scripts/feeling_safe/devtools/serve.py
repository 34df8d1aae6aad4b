"""`make serve`: the generator's live-reloading server, restarted when our build code changes.

Why: the generator rebuilds in the same Python process, so edits to the
content (docs/), data (data/, schemas/) and templates (overrides/) show on
the next rebuild, but an edit to our own Python (scripts/) would keep running
the old code. This wrapper watches scripts/ and restarts the server when a
.py file changes; the browser's live-reload script then loads the new build.

`make clinic-serve CONFIG=clinics/x.yml` (`--clinic`) serves a clinic's own
site the same way: the child config that `make clinic` builds from, with the
repository's folders written out in full, goes into a temporary folder outside
the repository (removed on exit; the generator's server rereads its config file
on every rebuild, and a config on standard input would lose its INHERIT), and
the clinic file's folder (its logo too) and mkdocs.yml are watched, so an
edit to either shows on the next rebuild.
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from feeling_safe.plugin.generator import command

ROOT = Path(__file__).resolve().parents[3]
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


def server_command(config_file: str, dev_addr: str, also_watch: tuple[Path, ...] = ()) -> list[str]:
    folders = [ROOT / folder for folder in REBUILD_ON] + list(also_watch)
    watch = [arg for folder in folders for arg in ("--watch", str(folder))]
    return command("serve", "--config-file", config_file, "--dev-addr", dev_addr, "--watch-theme", *watch)


def clinic_config(clinic_file: Path) -> dict:
    """`make clinic`'s child config for a config file that lives outside the repository:
    paths that mkdocs.yml gives relative to itself are written out in full."""
    from feeling_safe.clinic.site import child_config

    parent = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return {**child_config(clinic_file), "INHERIT": str(ROOT / "mkdocs.yml"),
            "docs_dir": str(ROOT / parent["docs_dir"]), "theme": {"custom_dir": str(ROOT / parent["theme"]["custom_dir"])}}


def watched_for(clinic_file: Path) -> tuple[Path, ...]:
    """What a clinic's server watches beyond `make serve`'s: the clinic file's folder and mkdocs.yml,
    which its config file only INHERITs."""
    return clinic_file.resolve().parent, ROOT / "mkdocs.yml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", default="mkdocs.yml")
    parser.add_argument("--clinic", type=Path, help="serve this clinic file's site instead (make clinic-serve)")
    parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    parser.add_argument("--restart-on", default=str(ROOT / RESTART_ON), type=Path,
                        help="the folder whose Python files restart the server (default: scripts/)")
    args = parser.parse_args(argv)
    if not args.clinic:
        return _serve(args.config_file, args.dev_addr, args.restart_on, ())
    if not args.clinic.is_file():
        print(f"{args.clinic}: no such clinic file; copy clinics/example.yml and edit it.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fst-clinic-serve-") as folder:
        config_file = Path(folder) / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(clinic_config(args.clinic), sort_keys=False), encoding="utf-8")
        return _serve(str(config_file), args.dev_addr, args.restart_on, watched_for(args.clinic))


def _serve(config_file: str, dev_addr: str, restart_on: Path, also_watch: tuple[Path, ...]) -> int:
    # `kill` (SIGTERM) ends the wrapper like Ctrl-C does, so its server never outlives it.
    signal.signal(signal.SIGTERM, _interrupt)
    changed = _Changed()
    observer = Observer()
    server = None
    observer.schedule(changed, str(restart_on), recursive=True)
    observer.start()
    try:
        while True:
            changed.event.clear()
            server = subprocess.Popen(server_command(config_file, dev_addr, also_watch), cwd=ROOT)
            while not changed.event.wait(0.5):
                if server.poll() is not None:
                    return server.returncode
            server.terminate()
            server.wait()
            print(f"{restart_on} changed: restarting the server", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        observer.stop()
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
