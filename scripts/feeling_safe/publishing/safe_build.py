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
`make` stops, and leaves nothing behind but its output as it was: the whole
build stays in the process group of the command that started it (Ctrl-C or a
closed terminal reach every process), each process gets SIGTERM when the one
that started it dies (Linux's PR_SET_PDEATHSIG), and the new site is put in
place only after a last check, with stop signals held, that the starting
process is still there and no stop is pending: a killed `make` (even with
SIGKILL) never gets a new site seconds later. An output that holds a file the
build reads (the clinic file, its logo, the config) is refused: replacing the
folder would delete it. A fault while writing (a full disk) is one line
(feeling_safe/plugin/faults.py), and the old site stays. A good
build gets its compressed copies for the server (feeling_safe/publishing/precompress.py)
before it is put in place: the published folder is always complete.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import fcntl
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from feeling_safe.plugin.faults import fault_line
from feeling_safe.plugin.generator import command
from feeling_safe.publishing.precompress import precompress

ROOT = Path(__file__).resolve().parents[3]
STAMP = ".fst-build"
STAMP_TEXT = ("A build of Feeling Safe in Therapy: `make build` and `make clinic` may replace this folder.\n")
NO_COMPRESS_HELP = ("no .br and .gz copies of the text files: for a preview, or a host that compresses "
                    "as it sends; nginx and Apache with deploy/'s configs send the copies")
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
_PR_GET_PDEATHSIG = 2
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)  # Ctrl-C, kill, the death of `make`
# Tests only: a folder where the build waits at a named point (see _hold), so a test can stop
# it there, on an event instead of a guess at how long a step takes.
HOLD_VARIABLE = "FST_BUILD_HOLD"


class OutputError(Exception):
    """An output folder a build must not write to; the message says why and what to do."""


def check_output(output: Path, root: Path = ROOT, keep: Iterable[str | os.PathLike] = ()) -> None:
    """Raise OutputError unless `output` is a folder a build may (re)place.

    `keep`: files the build reads (a clinic file, its logo, the config), which
    the output must not hold: the next build would delete them with the old site.
    """
    if output.is_symlink():
        raise OutputError(f"{output} is a symbolic link; give the folder it points to, or another output")
    target, root = output.resolve(), root.resolve()
    if target == root or root.is_relative_to(target):
        raise OutputError(f"{target} is the repository or holds it; choose an output folder such as site/ or dist/<name>")
    for kept in keep:
        read = Path(kept).resolve()
        if read.is_relative_to(target):
            raise OutputError(f"{target} holds {read}, which the build reads, and a rebuild would delete it; "
                              "keep it outside the output folder, or choose another output")
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
          config_text: str | None = None, finish: Callable[[Path], None] | None = None,
          keep: Iterable[str | os.PathLike] = (), compress: bool = True) -> int:
    """Run a strict build into a staging folder; put it in place of `site_dir` only if it succeeds.

    `config_file` may be "-" with the config in `config_text` (a child config
    that INHERITs mkdocs.yml, resolved from the current folder). Returns the
    generator's exit code (2 for a refused output); its warnings and errors,
    which name the file, go straight to the terminal. `finish(staging)` adds
    to a good build before it is put in place (the PDF handouts); if it
    raises, `site_dir` is left as it was. `keep`: files the build reads, which
    `site_dir` must not hold (check_output). `compress`: then write each text file's
    compressed copies for the server to send as they are, once every file is final
    (feeling_safe/publishing/precompress.py).
    """
    steps = [step for step in (finish, precompress if compress else None) if step is not None]
    # From here on a stop signal (Ctrl-C, kill, the death of `make` or whatever started us)
    # unwinds through the clean-up below instead of killing us mid-way.
    previous = {sig: signal.signal(sig, _stop) for sig in _STOP_SIGNALS}
    try:
        with _Starter() as starter:
            return _build(Path(os.path.abspath(site_dir)), config_file, env, config_text, steps, keep, starter)
    except _Stopped as stopped:
        why = "the command that started it has ended" if stopped.signum is None else "it was stopped"
        print(f"Build stopped ({why}): {site_dir} was left as it was.", file=sys.stderr)
        return 128 + (stopped.signum or signal.SIGHUP)
    except OSError as error:  # anything else the system refused (the lock, starting the generator): one line
        return _failed(Path(os.path.abspath(site_dir)), "could not build", error)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _build(target: Path, config_file: str, env: dict[str, str] | None, config_text: str | None,
           steps: list[Callable[[Path], object]], keep: Iterable[str | os.PathLike], starter: _Starter) -> int:
    if config_file != "-":
        keep = (*keep, config_file)
    try:
        check_output(target, keep=keep)
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
            try:
                for step in steps:  # the handouts, then the compressed copies
                    step(staging)
                (staging / STAMP).write_text(STAMP_TEXT, encoding="utf-8")
                # mkdtemp makes the folder private (0700); the published folder must be readable by
                # the web server's user (nginx's www-data after `rsync -a site/ ...`), like any other.
                staging.chmod(0o777 & ~_umask())
            except OSError as error:
                return _failed(target, "could not finish the new site", error)
            _hold("swap")
            try:
                _commit(staging, target, starter)
            except OSError as error:
                return _failed(target, f"could not put the new site in place of {target}", error)
            return 0
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if not target.exists():
                _remove_empty(made)  # the folders made for the staging copy: a failure leaves nothing


def _failed(target: Path, what: str, error: OSError) -> int:
    """The one line for a fault after the generator succeeded (feeling_safe/plugin/faults.py words it)."""
    left = (f"{target} was left as it was" if target.exists() else
            f"the previous site is in {target.parent}/.{target.name}{OLD_PREFIX}*; the next build puts it back")
    print(f"Build failed: {what}: {fault_line(error)}. {left[0].upper()}{left[1:]}.", file=sys.stderr)
    return 1


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
                                 preexec_fn=functools.partial(_in_child, os.getpid()))
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
        child.communicate(config_text)
        return child.returncode
    except _Stopped:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise


class _Stopped(Exception):
    """This process got a signal to stop (`signum`), or what started it has ended (None);
    the build is ended and cleaned up on the way out."""

    def __init__(self, signum: int | None):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, _frame) -> None:
    _ignore_stops()  # once stopping, a second Ctrl-C must not cut the clean-up short
    raise _Stopped(signum)


def _ignore_stops() -> None:
    """Stop signals from now on (and any pending) are dropped; build() restores the handlers."""
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


def _parent_death_signal(signum: int) -> int | None:
    """Ask Linux to send `signum` to this process when the one that started it dies (0: never);
    the previous setting, or None where there is no such request (then _Starter.gone() still checks)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        previous = ctypes.c_int(0)
        if libc.prctl(_PR_GET_PDEATHSIG, ctypes.byref(previous)) == 0 and \
                libc.prctl(_PR_SET_PDEATHSIG, signum) == 0:
            return previous.value
    return None


class _Starter:
    """The process that started this build (`make`, a shell, a test): while the build runs, its
    death stops the build (SIGTERM, from Linux), and gone() says whether it has died (any system)."""

    def __enter__(self) -> _Starter:
        self.pid = os.getppid()
        self.previous = _parent_death_signal(signal.SIGTERM)
        if self.gone():  # it died before Linux was asked to tell us
            self.__exit__()
            raise _Stopped(None)
        return self

    def gone(self) -> bool:
        return os.getppid() != self.pid

    def __exit__(self, *_exc) -> None:
        if self.previous is not None:
            _parent_death_signal(self.previous)


def _in_child(parent: int) -> None:
    """In the child before it runs: stop signals reach it again (the mask is inherited), and it
    receives SIGTERM when the parent dies (Linux), so no build outlives `make`; a parent that
    died while the child was being started (before the request) ends it here."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def _hold(point: str) -> None:
    """Tests only: with FST_BUILD_HOLD set to a folder holding a FIFO named `point`, say so
    (`<point>.reached`) and wait until the test writes to the FIFO (a stop signal ends the wait)."""
    folder = os.environ.get(HOLD_VARIABLE)
    if not folder or not (Path(folder) / point).exists():
        return
    # Read and write: opening never waits, and a test that writes finds a reader as soon as
    # `.reached` exists (nothing to race).
    fd = os.open(Path(folder) / point, os.O_RDWR)
    try:
        (Path(folder) / f"{point}.reached").write_text(str(os.getpid()), encoding="utf-8")
        os.read(fd, 1)
    finally:
        os.close(fd)


def _commit(staging: Path, target: Path, starter: _Starter) -> None:
    """Put `staging` in place of `target`, unless this build was stopped or what started it has
    ended: checked with stop signals held, so none can slip in between the check and the swap.
    After the swap, stops are dropped: the new site is in place, and nothing is left to undo."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        pending = sorted(signal.sigpending() & set(_STOP_SIGNALS))
        if pending or starter.gone():
            _ignore_stops()
            raise _Stopped(pending[0] if pending else None)
        _put_in_place(staging, target)
        _ignore_stops()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


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
    parser.add_argument("--no-compress", dest="compress", action="store_false", help=NO_COMPRESS_HELP)
    args = parser.parse_args(argv)
    config_text = sys.stdin.read() if args.config_file == "-" else None
    return build(args.config_file, args.site_dir, config_text=config_text, compress=args.compress)


if __name__ == "__main__":
    sys.exit(main())
