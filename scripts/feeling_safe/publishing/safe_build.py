"""Build the site into a staging folder and put it in place only on success.

Why: a build must never destroy anything but its own previous output. So the
output folder is checked before anything is written (never the repository,
a folder that holds it, our sources, or a folder that is not a build of
ours: builds carry a stamp file), one build of a folder runs at a time (a
lock on its parent folder; a second build waits), and the new site replaces
the old in one atomic exchange of the two folders, so an interrupted build
leaves the old site or the new one, never neither. A build killed with its
`make` stops, and leaves nothing behind but its output as it was. A good
build gets its compressed copies for the server (scripts/feeling_safe/publishing/precompress.py)
before it is put in place: the published folder is always complete.
"""
from __future__ import annotations

import argparse
import ctypes
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from feeling_safe.plugin.generator import command
from feeling_safe.publishing.precompress import precompress

ROOT = Path(__file__).resolve().parents[3]
STAMP = ".fst-build"
STAMP_TEXT = ("A build of Feeling Safe in Therapy: `make build` and `make clinic` may replace this folder.\n")
# Folders of the repository a build must never write into (the repository itself is refused too).
SOURCES = ("docs", "clinics", "data", "overrides", "scripts", "schemas", "tests", "deploy", ".git", ".ci",
           ".github", ".venv", "node_modules")
STAGING_PREFIX = ".building-"
_RENAME_EXCHANGE = 2        # renameat2(2) flag: swap two paths atomically (Linux)
_AT_FDCWD = -100
_PR_SET_PDEATHSIG = 1


class OutputError(Exception):
    """An output folder a build must not write to; the message says why and what to do."""


def check_output(output: Path, root: Path = ROOT) -> None:
    """Raise OutputError unless `output` is a folder a build may (re)place."""
    if output.is_symlink():
        raise OutputError(f"{output} is a symbolic link; give the folder it points to, or another output")
    target, root = output.resolve(), root.resolve()
    if target == root or root.is_relative_to(target):
        raise OutputError(f"{target} is the repository or holds it; choose an output folder such as site/ or dist/<name>")
    for name in SOURCES:
        if target.is_relative_to(root / name):
            raise OutputError(f"{target} is inside {name}/, which holds the guide's sources; "
                              "choose an output folder such as site/ or dist/<name>")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder; remove it or choose another output")
    if target.is_dir() and any(target.iterdir()) and not (target / STAMP).is_file():
        raise OutputError(f"{target} exists and is not a build of ours (no {STAMP} stamp); "
                          "remove it yourself or choose another output")


def build(config_file: str, site_dir: str | os.PathLike, env: dict[str, str] | None = None,
          config_text: str | None = None, finish: Callable[[Path], None] | None = None) -> int:
    """Run a strict build into a staging folder; put it in place of `site_dir` only if it succeeds.

    `config_file` may be "-" with the config in `config_text` (a child config
    that INHERITs mkdocs.yml, resolved from the current folder). Returns the
    generator's exit code (2 for a refused output); its warnings and errors,
    which name the file, go straight to the terminal. `finish(staging)` adds
    to a good build before it is put in place (the PDF handouts); if it
    raises, `site_dir` is left as it was.
    """
    # From here on a stop signal (Ctrl-C, kill, the death of `make`) unwinds through the
    # clean-up below instead of killing us mid-way.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        return _build(Path(os.path.abspath(site_dir)), config_file, env, config_text, finish)
    except _Stopped as stopped:
        print(f"Build stopped: {site_dir} was left as it was.", file=sys.stderr)
        return 128 + stopped.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _build(target: Path, config_file: str, env: dict[str, str] | None, config_text: str | None,
           finish: Callable[[Path], None] | None) -> int:
    try:
        check_output(target)
    except OutputError as error:
        print(f"Build refused: {error}. Nothing was written.", file=sys.stderr)
        return 2
    made = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _cannot_write(target, error, made)
    with _locked(target.parent, target.name):
        _remove_leftovers(target)  # under the lock: no other build of this output is running
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_PREFIX}", dir=target.parent))
        except OSError as error:
            return _cannot_write(target, error, made)
        try:
            code = _run(staging, config_file, config_text, env)
            if code != 0:
                print(f"Build failed: {target} was left as it was.", file=sys.stderr)
                return code
            if finish is not None:
                finish(staging)
            # For the server to send as they are, once every file is final (scripts/feeling_safe/publishing/precompress.py).
            precompress(staging)
            (staging / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
            # mkdtemp makes the folder private (0700); the published folder must be readable by
            # the web server's user (nginx's www-data after `rsync -a site/ ...`), like any other.
            staging.chmod(0o777 & ~_umask())
            _put_in_place(staging, target)
            return 0
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if not target.exists():
                _remove_empty(made)  # the folders made for the staging copy: a failure leaves nothing


def _cannot_write(target: Path, error: OSError, made: list[Path]) -> int:
    print(f"Build refused: cannot write to {target.parent} ({error.strerror}). Nothing was written.", file=sys.stderr)
    _remove_empty(made)
    return 2


def _run(staging: Path, config_file: str, config_text: str | None, env: dict[str, str] | None) -> int:
    """The generator, stopped with us: a stop signal to this process (or the death of `make`) ends it."""
    # Never `-q`: the generator would then drop the warnings that --strict counts.
    cmd = command("build", "--strict", "--config-file", config_file, "--site-dir", str(staging))
    child = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, text=True,
                             stdin=subprocess.PIPE if config_text is not None else None,
                             preexec_fn=_die_with_parent)

    try:
        child.communicate(config_text)
        return child.returncode
    except _Stopped:
        child.terminate()
        child.wait()
        raise


class _Stopped(Exception):
    """This process got a signal to stop; the build is ended and cleaned up on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, _frame) -> None:
    raise _Stopped(signum)


def _die_with_parent() -> None:
    """In a child: receive SIGTERM when the parent dies (Linux), so no build outlives `make`."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class _locked:
    """An exclusive lock on the output's parent folder; a second build there waits its turn."""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name = folder, name

    def __enter__(self) -> None:
        self.fd = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another build in {self.folder} is running; waiting for it to finish.", file=sys.stderr)
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *_exc) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _remove_leftovers(target: Path) -> None:
    """Staging folders of earlier builds of `target` that were killed (we hold the lock: none is running)."""
    for leftover in target.parent.glob(f".{target.name}{STAGING_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _put_in_place(staging: Path, target: Path) -> None:
    """Make `staging` the output: one rename, or one atomic exchange with the old output."""
    if not target.exists():
        staging.rename(target)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"could not swap {staging} into {target}: {os.strerror(error)}")
    # `staging` now holds the old output; the caller removes it.


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders this build made (innermost first), if they are still empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", default="mkdocs.yml")
    parser.add_argument("--site-dir", default="site")
    args = parser.parse_args(argv)
    config_text = sys.stdin.read() if args.config_file == "-" else None
    return build(args.config_file, args.site_dir, config_text=config_text)


if __name__ == "__main__":
    sys.exit(main())
