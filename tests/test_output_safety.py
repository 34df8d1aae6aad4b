"""No command can delete or overwrite anything but its own previous output.

Every writer (`make build`, `make clinic`, `make handouts`) goes through
feeling_safe/publishing/safe_build.py; these tests aim it at folders it must refuse, and at
its own output while it is interrupted, run twice at once, or killed with make.
"""
from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from feeling_safe.clinic import site as clinic_site
from feeling_safe.publishing import safe_build
from feeling_safe.publishing.safe_build import STAGING_PREFIX, STAMP, STAMP_TEXT, OutputError, check_output
from sitebuild import ROOT, fixture_config, write_page

EXAMPLE = ROOT / "clinics" / "example.yml"


def _snapshot(folder: Path) -> dict[str, float]:
    """Every file below `folder` with its modification time (what "touched" would change)."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))
            if ".venv" not in p.parts and "node_modules" not in p.parts and ".git" not in p.parts
            and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts}


def _make_clinic(out: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "clinic", f"CONFIG={EXAMPLE}", f"OUT={out}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def _clinic_command(out: str, capsys, monkeypatch) -> tuple[int, str]:
    """`make clinic`'s own command (feeling_safe.clinic), run in this process from the repo root:
    (exit code, stderr). A refusal happens before any process is started; the one test of
    `make clinic` itself below runs the whole command line."""
    monkeypatch.chdir(ROOT)
    capsys.readouterr()
    code = clinic_site.main([str(EXAMPLE), "--out", out])
    return code, capsys.readouterr().err


def _refused_in_one_line(stderr: str) -> bool:
    lines = [line for line in stderr.splitlines() if line.startswith("Build refused:")]
    return len(lines) == 1 and "Nothing was written" in lines[0]


def test_make_clinic_refuses_the_repository_in_one_line():
    """The command line end to end: make, its arguments, the exit code, one line."""
    before = _snapshot(ROOT / "docs")
    result = _make_clinic(".")
    assert result.returncode != 0
    assert _refused_in_one_line(result.stderr), result.stderr
    assert _snapshot(ROOT / "docs") == before


@pytest.mark.parametrize("out", [".", "docs", "docs/refused", "clinics", "data/x", "overrides", "scripts",
                                 ".git", "schemas", "..", "/", "site/../docs", "docs/../data/x", "./overrides/partials/x",
                                 "tests/.."],
                         ids=lambda out: f"OUT={out}")
def test_the_clinic_build_refuses_the_repository_and_its_sources(out, capsys, monkeypatch):
    before = _snapshot(ROOT / "docs")
    code, stderr = _clinic_command(out, capsys, monkeypatch)
    assert code != 0
    assert _refused_in_one_line(stderr), stderr
    assert _snapshot(ROOT / "docs") == before
    assert not (ROOT / "docs" / "refused").exists() and not (ROOT / "data" / "x").exists()


@pytest.mark.parametrize("through", ["link to the repository", "link to docs"])
def test_an_output_reached_through_a_link_into_the_sources_is_refused(tmp_path, capsys, monkeypatch, through):
    """A path that only a link makes the repository's: resolved before it is checked."""
    link = tmp_path / "link"
    link.symlink_to(ROOT if through == "link to the repository" else ROOT / "docs")
    out = link / "docs" / "x" if through == "link to the repository" else link / "x"
    before = _snapshot(ROOT / "docs")
    code, stderr = _clinic_command(str(out), capsys, monkeypatch)
    assert code != 0 and _refused_in_one_line(stderr), stderr
    assert _snapshot(ROOT / "docs") == before and not (ROOT / "docs" / "x").exists()


def test_an_existing_folder_that_is_not_a_build_of_ours_is_refused(tmp_path, capsys, monkeypatch):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    before = _snapshot(tmp_path)
    code, stderr = _clinic_command(str(precious), capsys, monkeypatch)
    assert code != 0 and f"{precious} exists and is not a build of ours" in stderr
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_a_file_or_a_link_as_output_is_refused(tmp_path, kind, capsys, monkeypatch):
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("not a folder")
    else:
        (tmp_path / "real").mkdir()
        out.symlink_to(tmp_path / "real")
    with pytest.raises(OutputError):
        check_output(out)
    code, stderr = _clinic_command(str(out), capsys, monkeypatch)
    assert code != 0 and _refused_in_one_line(stderr), stderr


def test_an_empty_folder_and_an_earlier_build_are_accepted(tmp_path):
    (tmp_path / "empty").mkdir()
    check_output(tmp_path / "empty")
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / STAMP).write_text(STAMP_TEXT)
    (tmp_path / "ours" / "index.html").write_text("old")
    check_output(tmp_path / "ours")
    check_output(tmp_path / "new" / "deep")


def _safe_build(docs: Path, out: Path) -> subprocess.Popen:
    config = yaml.safe_dump({"INHERIT": "mkdocs.yml", **fixture_config(docs)})
    process = subprocess.Popen([sys.executable, "-m", "feeling_safe.publishing.safe_build", "--config-file", "-",
                                "--site-dir", str(out)], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdin.write(config)
    process.stdin.close()
    return process


def _tree(docs_tree: Path) -> Path:
    write_page(docs_tree, "index.md", "# Home\n\nAll good.")
    return docs_tree


def test_every_build_stamps_its_output_and_a_rebuild_replaces_it(docs_tree, tmp_path):
    out = tmp_path / "out"
    for _ in range(2):
        process = _safe_build(_tree(docs_tree), out)
        assert process.wait(timeout=120) == 0, process.stderr.read()
        assert (out / STAMP).is_file() and (out / "index.html").is_file()
        assert (out / "index.html.br").is_file() and (out / "index.html.gz").is_file(), "published with its copies"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out"], "no staging folder left"


def test_two_builds_of_one_output_queue_and_both_finish(docs_tree, tmp_path):
    out = tmp_path / "out"
    first, second = _safe_build(_tree(docs_tree), out), _safe_build(docs_tree, out)
    assert first.wait(timeout=180) == 0 and second.wait(timeout=180) == 0
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out"]


# Waits are on events (a process seen, a file made by the build at a named point), polled: on a
# loaded machine each step may take long, and a fixed sleep would either fail there or make every
# run slow. The limits only stop a hang.
PATIENCE = 180


def _wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _processes_of(folder: Path) -> list[str]:
    """The processes whose command line names `folder`: make (OUT=), the clinic command (--out)
    and the generator (its staging folder)."""
    # -ww: whole command lines (without it ps may cut them at 80 columns, and the path with them).
    found = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout.splitlines()
    return [line for line in found if str(folder) in line and not line.startswith("ps ")]


def _generating(folder: Path) -> bool:
    return any(" build " in line and safe_build.STAGING_PREFIX in line for line in _processes_of(folder))


def _release(hold: Path) -> None:
    """Let a build waiting at the swap go on (if one is waiting: no reader means none is)."""
    try:
        fifo = os.open(hold / "swap", os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:
            return
        raise
    os.write(fifo, b"go")
    os.close(fifo)


# How the build is stopped: (what is started, what is signalled, the signal, when).
# "generating": once the generator is building into its staging folder; "swap": once the new
# site is whole and the build is about to put it in place (FST_BUILD_HOLD makes it wait there).
KILLS = {
    "SIGTERM to make while generating": ("make", "make", signal.SIGTERM, "generating"),
    "SIGKILL to make while generating": ("make", "make", signal.SIGKILL, "generating"),
    "SIGKILL to make at the swap": ("make", "make", signal.SIGKILL, "swap"),
    "Ctrl-C to make's process group while generating": ("make", "group", signal.SIGINT, "generating"),
    "SIGTERM to the clinic command while generating": ("clinic", "clinic", signal.SIGTERM, "generating"),
    "SIGKILL to the clinic command while generating": ("clinic", "clinic", signal.SIGKILL, "generating"),
}


@pytest.mark.parametrize("how", KILLS)
def test_a_killed_build_stops_and_leaves_the_previous_output(tmp_path, how):
    """Whichever process of the build is killed, and however: no new site, now or later.

    The build waits at its swap until released (FST_BUILD_HOLD), so a build that outlived the
    kill is caught there, on an event, however slow the machine: it never races the test."""
    started, target, signum, when = KILLS[how]
    folder, hold = tmp_path / "site", tmp_path / "hold"
    out = folder / "out"
    out.mkdir(parents=True)
    (out / STAMP).write_text(STAMP_TEXT)
    (out / "index.html").write_text("the last good build")
    hold.mkdir()
    os.mkfifo(hold / "swap")
    args = (["make", "--no-print-directory", "clinic", f"CONFIG={EXAMPLE}", f"OUT={out}"] if started == "make" else
            [sys.executable, "-m", "feeling_safe.clinic", str(EXAMPLE), "--out", str(out)])
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, safe_build.HOLD_VARIABLE: str(hold)}, start_new_session=True)
    try:
        if when == "generating":
            _wait_until(lambda: _generating(folder), "the generator never started")
        else:
            _wait_until(lambda: (hold / "swap.reached").exists() or process.poll() is not None,
                        "the build never reached its swap")
            assert process.poll() is None, "the build ended before its swap"
        if target == "group":
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        process.wait(timeout=PATIENCE)
        # Every process of the build ends, and none of them went on to the swap.
        _wait_until(lambda: (hold / "swap.reached").exists() and when == "generating" or not _processes_of(folder),
                    "a process of the build outlived the kill")
        assert when == "swap" or not (hold / "swap.reached").exists(), "the build went on to put its site in place"
    finally:
        _release(hold)  # a build that outlived the kill would now put its site in place: seen below
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    _wait_until(lambda: not _processes_of(folder), "a process of the build outlived the kill")
    assert (out / "index.html").read_text() == "the last good build"
    if (target, signum) != ("clinic", signal.SIGKILL):  # killed outright, it cannot clean up: the next build does
        assert [p.name for p in folder.iterdir()] == ["out"], "the staging folder is removed"


def test_the_build_and_its_generator_run_in_the_process_group_of_make(tmp_path):
    """Ctrl-C and a closed terminal signal the terminal's foreground group: every process of the
    build must be in it (none starts a session or a group of its own)."""
    out, hold = tmp_path / "out", tmp_path / "hold"
    hold.mkdir()
    os.mkfifo(hold / "swap")
    process = subprocess.Popen(["make", "--no-print-directory", "clinic", f"CONFIG={EXAMPLE}", f"OUT={out}"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, safe_build.HOLD_VARIABLE: str(hold)}, start_new_session=True)
    try:
        _wait_until(lambda: _generating(tmp_path), "the generator never started")
        found = subprocess.run(["ps", "-ww", "-eo", "pgid=,args="], capture_output=True, text=True).stdout
        groups = {int(line.split()[0]) for line in found.splitlines() if str(tmp_path) in line}
        assert groups == {process.pid}, found
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=PATIENCE)
        _wait_until(lambda: not _processes_of(tmp_path), "a process of the build outlived the kill")


def test_an_output_that_cannot_be_written_is_one_clear_line(tmp_path):
    """A read-only place (here sysfs, read-only even for root) stops the build before it starts."""
    result = subprocess.run([sys.executable, "-m", "feeling_safe.clinic", str(EXAMPLE), "--out", "/sys/fst-test-out"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Build refused: cannot write to /sys"), result.stderr
    assert "Traceback" not in result.stderr


def test_handouts_without_chromium_are_one_clear_line(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "feeling_safe.clinic", str(EXAMPLE), "--out", str(out), "--handouts"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "make browser" in result.stderr
    assert not out.exists()


# Where the system has no atomic exchange of two folders (macOS before renamex_np, old kernels,
# filesystems that answer EINVAL), the old site is set aside and the new one renamed in its place.

def _old_and_new(tmp_path: Path) -> tuple[Path, Path]:
    site, staging = tmp_path / "site", tmp_path / f".site{STAGING_PREFIX}x"
    for folder, text in ((site, "the last good build"), (staging, "the new build")):
        folder.mkdir()
        (folder / STAMP).write_text(STAMP_TEXT)
        (folder / "index.html").write_text(text)
    return site, staging


def _no_exchange(code: int):
    def refuse(_staging, _target):
        raise OSError(code, os.strerror(code))
    return refuse


@pytest.mark.parametrize("code", [errno.ENOSYS, errno.EINVAL, errno.ENOTSUP], ids=errno.errorcode.get)
def test_without_an_atomic_exchange_two_renames_replace_the_site(tmp_path, monkeypatch, code):
    site, staging = _old_and_new(tmp_path)
    monkeypatch.setattr(safe_build, "_exchange", _no_exchange(code))
    safe_build._put_in_place(staging, site)
    assert (site / "index.html").read_text() == "the new build"
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "the old site is removed, nothing set aside is left"


def test_a_real_failure_of_the_exchange_is_not_papered_over(tmp_path, monkeypatch):
    site, staging = _old_and_new(tmp_path)
    monkeypatch.setattr(safe_build, "_exchange", _no_exchange(errno.EACCES))
    with pytest.raises(PermissionError):
        safe_build._put_in_place(staging, site)
    assert (site / "index.html").read_text() == "the last good build"


def test_a_failure_between_the_two_renames_puts_the_old_site_back(tmp_path, monkeypatch):
    site, staging = _old_and_new(tmp_path)
    monkeypatch.setattr(safe_build, "_exchange", _no_exchange(errno.ENOSYS))
    rename = Path.rename

    def second_rename_fails(self, to):
        if self == staging:
            raise OSError(errno.EIO, "disk gone")
        return rename(self, to)
    monkeypatch.setattr(Path, "rename", second_rename_fails)
    with pytest.raises(OSError):
        safe_build._put_in_place(staging, site)
    assert (site / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == [staging.name, "site"]


@pytest.mark.parametrize("new_in_place", [False, True], ids=["killed between the renames", "killed after them"])
def test_the_next_build_recovers_a_site_left_aside(tmp_path, new_in_place):
    """A build killed outright (SIGKILL) mid-fallback: the next one, under the lock, restores or cleans up."""
    site, staging = _old_and_new(tmp_path)
    site.rename(tmp_path / f".site{safe_build.OLD_PREFIX}1234")
    if new_in_place:
        staging.rename(site)
    safe_build._remove_leftovers(site)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    expected = "the new build" if new_in_place else "the last good build"
    assert (site / "index.html").read_text() == expected


def _build_where_the_exchange_fails(docs_tree, tmp_path, monkeypatch, error: int, old_page: str) -> tuple[Path, int]:
    """A real build over an earlier one (its page `old_page`), where the atomic exchange raises `error`."""
    out = tmp_path / "out"
    out.mkdir()
    (out / STAMP).write_text(STAMP_TEXT)
    (out / old_page).write_text("the last good build")
    monkeypatch.setattr(safe_build, "_exchange", _no_exchange(error))
    monkeypatch.chdir(ROOT)
    config = yaml.safe_dump({"INHERIT": "mkdocs.yml", **fixture_config(_tree(docs_tree))})
    return out, safe_build.build("-", out, config_text=config)


def test_a_build_without_an_atomic_exchange_replaces_the_site(docs_tree, tmp_path, monkeypatch):
    out, status = _build_where_the_exchange_fails(docs_tree, tmp_path, monkeypatch, errno.EINVAL, "stale.html")
    assert status == 0
    assert (out / "index.html").is_file() and not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out"]


def test_a_site_that_cannot_be_put_in_place_is_one_line_and_the_old_site_stays(docs_tree, tmp_path, monkeypatch, capsys):
    out, status = _build_where_the_exchange_fails(docs_tree, tmp_path, monkeypatch, errno.EACCES, "index.html")
    assert status == 1
    failed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Build failed")]
    assert len(failed) == 1 and "Permission denied" in failed[0] and "was left as it was" in failed[0], failed
    assert (out / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out"]
