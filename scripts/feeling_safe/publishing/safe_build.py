"""Build the site into a staging folder and put it in place only on success.

Why: a build must never destroy anything but its own previous output. So the
output folder is checked before anything is written (never the repository,
a folder that holds it, our sources, or a folder that is not a build of
ours: builds carry a stamp file), one build of a folder runs at a time (a
lock on its parent folder; a second build waits), and the new site replaces
the old in one atomic exchange of the two folders (Linux's renameat2, macOS's
renamex_np), so an interrupted build leaves the old site or the new one, never
neither. Where the system or filesystem has no such exchange, two renames do
it (old aside as .<name>.old-*, new in place): for that moment the output is
missing, a failure puts the old one back, and a build killed in between leaves
the old site aside, which the next build puts back first. A build killed with its
`make` stops, and leaves nothing behind but its output as it was. A good
build gets its compressed copies for the server (feeling_safe/publishing/precompress.py)
before it is put in place: the published folder is always complete.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from feeling_safe.plugin.generator import command
from feeling_safe.publishing.precompress import precompress

ROOT = Path(__file__).resolve().parents[3]
STAMP = ".fst-build"
STAMP_TEXT = ("A build of Feeling Safe in Therapy: `make build` and `make clinic` may replace this folder.\n")
# Folders of the repository a build must never write into (the repository itself is refused too).
SOURCES = ("docs", "clinics", "data", "overrides", "scripts", "schemas", "tests", "deploy", ".git", ".ci",
           ".github", ".venv", "node_modules")
STAGING_PREFIX = ".building-"
OLD_PREFIX = ".old-"        # .<name>.old-*: the old output set aside when no atomic exchange is to be had
_RENAME_EXCHANGE = 2        # renameat2(2) flag: swap two paths atomically (Linux)
_RENAME_SWAP = 2            # renamex_np(2) flag: the same on macOS
# What a system or filesystem answers when it has no atomic exchange (rather than a real failure).
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}
_AT_FDCWD = -100
_PR_SET_PDEATHSIG = 1
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)  # Ctrl-C, kill, the death of `make`


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
    previous = {sig: signal.signal(sig, _stop) for sig in _STOP_SIGNALS}
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
        except _Stopped:
            _remove_leftovers(target)  # stopped as it was made: the folder may exist, its name never came back
            raise
        try:
            code = _run(staging, config_file, config_text, env)
            if code != 0:
                print(f"Build failed: {target} was left as it was.", file=sys.stderr)
                return code
            if finish is not None:
                finish(staging)
            # For the server to send as they are, once every file is final (feeling_safe/publishing/precompress.py).
            precompress(staging)
            (staging / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
            # mkdtemp makes the folder private (0700); the published folder must be readable by
            # the web server's user (nginx's www-data after `rsync -a site/ ...`), like any other.
            staging.chmod(0o777 & ~_umask())
            try:
                _put_in_place(staging, target)
            except OSError as error:
                left = (f"{target} was left as it was" if target.exists() else
                        f"the previous site is in {target.parent}/.{target.name}{OLD_PREFIX}*; the next build puts it back")
                print(f"Build failed: could not put the new site in place of {target} ({error.strerror or error}); "
                      f"{left}.", file=sys.stderr)
                return 1
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
    """The generator, stopped with us: a stop signal to this process (or the death of `make`) ends it.

    Stop signals wait while the child starts: a handler run during the fork
    runs inside an at-fork hook (logging's), which swallows its exception, and
    the build would go on as if never stopped. Once `child` exists they are
    let through, and the one that came meanwhile ends it here.
    """
    # Never `-q`: the generator would then drop the warnings that --strict counts.
    cmd = command("build", "--strict", "--config-file", config_file, "--site-dir", str(staging))
    unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        child = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, text=True,
                                 stdin=subprocess.PIPE if config_text is not None else None,
                                 preexec_fn=_in_child)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
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


def _in_child() -> None:
    """In the child before it runs: stop signals reach it again (the mask is inherited), and it
    receives SIGTERM when the parent dies (Linux), so no build outlives `make`."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


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
    """What killed builds of `target` left (we hold the lock: none is running).

    Staging folders go. An old output set aside by the two-rename fallback is
    put back if the build was killed before the new one took its place, and
    removed otherwise.
    """
    for leftover in target.parent.glob(f".{target.name}{STAGING_PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
    set_aside = sorted((old for old in target.parent.glob(f".{target.name}{OLD_PREFIX}*")
                        if old.is_dir() and not old.is_symlink()), key=lambda old: old.stat().st_mtime_ns)
    if set_aside and not target.exists():
        set_aside.pop().rename(target)
    for old in set_aside:
        shutil.rmtree(old, ignore_errors=True)


def _put_in_place(staging: Path, target: Path) -> None:
    """Make `staging` the output: one rename, one atomic exchange with the old output, or two renames."""
    if not target.exists():
        staging.rename(target)
        return
    try:
        _exchange(staging, target)
        return  # `staging` now holds the old output; the caller removes it.
    except OSError as error:
        if error.errno not in _NO_EXCHANGE:
            raise
    _replace_by_renames(staging, target)


def _exchange(staging: Path, target: Path) -> None:
    """Swap the two folders in one step; OSError(ENOSYS) where this system has no way to."""
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "renameat2"):  # Linux (glibc 2.28+, musl)
        result = libc.renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
    elif hasattr(libc, "renamex_np"):  # macOS 10.12+
        result = libc.renamex_np(os.fsencode(staging), os.fsencode(target), _RENAME_SWAP)
    else:
        raise OSError(errno.ENOSYS, "no atomic exchange of two folders on this system")
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error), str(staging), None, str(target))


def _replace_by_renames(staging: Path, target: Path) -> None:
    """The old output aside, the new one in its place, the old one removed.

    Between the two renames the output is missing, so stop signals wait until
    both are done; if the second fails the old output goes straight back; if
    the process is killed outright (SIGKILL, power loss) the next build puts
    it back (_remove_leftovers). The name is free: leftovers went under the lock.
    """
    old = target.parent / f".{target.name}{OLD_PREFIX}{os.getpid()}"
    unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        target.rename(old)
        try:
            staging.rename(target)
        except OSError:
            old.rename(target)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
    shutil.rmtree(old, ignore_errors=True)


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
