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
edit to either shows on the next rebuild. The site is served at the clinic's
base_url's folder (`/guide/` for https://yourclinic.org/guide/), as it will be
published. While the clinic file has problems, no build can run (the generator's
server would hold every request until one did): every request gets a plain page
naming the file and each field instead, until the file is saved without them.
"""
from __future__ import annotations

import argparse
import http.server
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
    """Sets `event` when a file under the watched folder changes (with `suffix`, only such files)."""

    def __init__(self, suffix: str = "") -> None:
        self.event = threading.Event()
        self.suffix = suffix

    def on_any_event(self, event: FileSystemEvent) -> None:
        if str(event.src_path).endswith(self.suffix) and event.event_type in ("modified", "created", "moved", "deleted"):
            self.event.set()


def _interrupt(*_signal) -> None:
    raise KeyboardInterrupt


def server_command(config_file: str, dev_addr: str, also_watch: tuple[Path, ...] = ()) -> list[str]:
    folders = [ROOT / folder for folder in REBUILD_ON] + list(also_watch)
    watch = [arg for folder in folders for arg in ("--watch", str(folder))]
    return command("serve", "--config-file", config_file, "--dev-addr", dev_addr, "--watch-theme", *watch)


def clinic_config(clinic_file: Path, base_url: str | None = None) -> dict:
    """`make clinic`'s child config for a config file that lives outside the repository:
    paths that mkdocs.yml gives relative to itself are written out in full. With the clinic's
    `base_url`, its site_url too: the generator's server serves the site at that address's folder."""
    from feeling_safe.clinic.site import child_config

    parent = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return {**child_config(clinic_file), "INHERIT": str(ROOT / "mkdocs.yml"),
            **({"site_url": base_url} if base_url else {}),
            "docs_dir": str(ROOT / parent["docs_dir"]), "theme": {"custom_dir": str(ROOT / parent["theme"]["custom_dir"])}}


def clinic_problems(clinic_file: Path) -> tuple[list[str], str | None]:
    """The clinic file's problems, one line each, and its base_url once it has none."""
    from feeling_safe.clinic.file import ClinicError, load

    try:
        return [], load(clinic_file).base_url
    except ClinicError as error:
        return error.problems, None


def error_page(clinic_file: Path, problems: list[str]) -> bytes:
    """The page every request gets while the clinic file has problems (overrides/partials/devtools/)."""
    from feeling_safe.plugin.partials import Partials

    return Partials(ROOT / "overrides").render("devtools/clinic-error.html", file=str(clinic_file),
                                               problems=problems).encode("utf-8")


def error_server(dev_addr: str, page: bytes) -> http.server.ThreadingHTTPServer:
    """A server that answers every request with `page` (500), running in a thread of its own."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (the standard library's name)
            self.send_response(500)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(page)

        do_HEAD = do_GET

        def log_message(self, *args) -> None:
            pass

    host, _, port = dev_addr.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


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
        return _serve(str(config_file), args.dev_addr, args.restart_on, watched_for(args.clinic), args.clinic)


def _serve(config_file: str, dev_addr: str, restart_on: Path, also_watch: tuple[Path, ...],
           clinic_file: Path | None = None) -> int:
    """Serve until interrupted, restarting when build code changes; for a clinic, write its config
    first, and serve the error page instead while its file has problems."""
    # `kill` (SIGTERM) ends the wrapper like Ctrl-C does, so its server never outlives it.
    signal.signal(signal.SIGTERM, _interrupt)
    changed, clinic_changed = _Changed(".py"), _Changed()
    observer = Observer()
    server, failing = None, None
    observer.schedule(changed, str(restart_on), recursive=True)
    if clinic_file:
        observer.schedule(clinic_changed, str(clinic_file.resolve().parent))
    observer.start()
    try:
        while True:
            changed.event.clear()
            clinic_changed.event.clear()
            if clinic_file:
                problems, base_url = clinic_problems(clinic_file)
                if problems:  # no build can run: every request gets the problems, until the file changes
                    print("\n".join(problems), file=sys.stderr, flush=True)
                    failing = error_server(dev_addr, error_page(clinic_file, problems))
                    while not (clinic_changed.event.wait(0.5) or changed.event.is_set()):
                        pass
                    failing.shutdown()
                    failing.server_close()
                    failing = None
                    continue
                Path(config_file).write_text(yaml.safe_dump(clinic_config(clinic_file, base_url), sort_keys=False),
                                             encoding="utf-8")
            server = subprocess.Popen(server_command(config_file, dev_addr, also_watch), cwd=ROOT)
            reason = f"{restart_on} changed: restarting the server"
            while not changed.event.wait(0.5):
                if server.poll() is not None:
                    return server.returncode
                if clinic_changed.event.is_set():  # the generator rebuilds it; unless it can no longer
                    clinic_changed.event.clear()
                    problems, new_base = clinic_problems(clinic_file)
                    if problems or new_base != base_url:
                        reason = f"{clinic_file}: " + ("has problems" if problems else "base_url changed")
                        break
            server.terminate()
            server.wait()
            print(reason, file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        observer.stop()
        if failing is not None:
            failing.shutdown()
            failing.server_close()
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
