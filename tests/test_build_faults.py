"""Every fault a build can meet is one line and an exit code, and the old site stays.

The attack on the hardened build found tracebacks (a full disk while writing
the compressed copies, text nested too deeply, a `template:` path), a clinic
file deleted because it sat inside the output it rebuilt, and a build that put
its site in place after the command that started it was killed. These tests run
the publishing step in this process with a stand-in for the generator (the
generator's own work is not what they test), so each takes milliseconds; the
tests that kill real processes are in test_output_safety.py.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
from pathlib import Path

import pytest
from jinja2.exceptions import TemplateNotFound
from mkdocs.exceptions import PluginError

from feeling_safe.clinic import site as clinic_site
from feeling_safe.content import frontmatter
from feeling_safe.plugin.faults import fault_line
from feeling_safe.plugin.plugin import FeelingSafePlugin
from feeling_safe.publishing import safe_build
from feeling_safe.publishing.safe_build import STAMP, STAMP_TEXT
from sitebuild import ROOT, VALID_META, fixture_config, mkdocs_build_process, write_page

EXAMPLE = ROOT / "clinics" / "example.yml"
NEW_PAGE = "<!doctype html><title>new</title>" + "the new build " * 40  # big enough to get compressed copies


def _previous_site(out: Path) -> Path:
    out.mkdir(parents=True)
    (out / STAMP).write_text(STAMP_TEXT)
    (out / "index.html").write_text("the last good build")
    return out


@pytest.fixture
def generator(monkeypatch):
    """The generator replaced by one that writes a page into the staging folder; `during`
    (a list of callables) runs while it "builds"."""
    during = []

    def run(staging: Path, _config_file, _config_text, _env) -> int:
        (staging / "index.html").write_text(NEW_PAGE)
        for step in during:
            step()
        return 0
    monkeypatch.setattr(safe_build, "_run", run)
    return during


def _one_line(stderr: str, start: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(start), stderr
    return lines[0]


# --- faults while writing the new site: one line, exit 1, the old site as it was ----------------

def _failing_write(monkeypatch, method: str, code: int, only=lambda path: True):
    real = getattr(Path, method)

    def fail(self, *args, **kwargs):
        if only(self):
            raise OSError(code, os.strerror(code), str(self))
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Path, method, fail)


@pytest.mark.parametrize("where, method, code, only", [
    ("compressed copies", "write_bytes", errno.ENOSPC, lambda path: path.suffix in (".br", ".gz")),
    ("the stamp", "write_text", errno.EDQUOT, lambda path: path.name == STAMP),
    ("the folder's permissions", "chmod", errno.EPERM, lambda path: True),
], ids=["full disk while compressing", "quota while stamping", "chmod refused"])
def test_a_fault_while_writing_the_new_site_is_one_line_and_the_old_site_stays(
        generator, tmp_path, monkeypatch, capsys, where, method, code, only):
    out = _previous_site(tmp_path / "out")
    _failing_write(monkeypatch, method, code, only)
    assert safe_build.build("-", out, config_text="") == 1
    line = _one_line(capsys.readouterr().err, "Build failed:")
    assert os.strerror(code) in line and "was left as it was" in line, line
    assert (out / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "the staging folder is removed"


def test_a_generator_that_cannot_be_started_is_one_line(tmp_path, monkeypatch, capsys):
    out = _previous_site(tmp_path / "out")

    def no_process(*_args, **_kwargs):
        raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))
    monkeypatch.setattr(safe_build.subprocess, "Popen", no_process)
    assert safe_build.build("-", out, config_text="") == 1
    line = _one_line(capsys.readouterr().err, "Build failed:")
    assert os.strerror(errno.EAGAIN) in line and "was left as it was" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_fault_lines_name_the_file_and_what_to_do():
    full = fault_line(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/site/index.html.br"))
    assert "No space left on device" in full and "/site/index.html.br" in full and "free some disk space" in full
    assert "nested too deeply" in fault_line(RecursionError("maximum recursion depth exceeded"))
    assert "'../x.html'" in fault_line(TemplateNotFound("../x.html"))
    assert all("\n" not in line for line in (full, fault_line(RecursionError()), fault_line(ValueError("a\nb"[:1]))))


# --- inside the generator: a fault that is not ours becomes one line, never a traceback ---------

@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"),
                                   OSError(errno.ENOSPC, "No space left on device", "site/index.html"),
                                   TemplateNotFound("../../etc/passwd")],
                         ids=["recursion", "full disk", "template"])
def test_the_plugin_turns_an_unexpected_fault_into_one_line(error):
    with pytest.raises(PluginError) as raised:
        FeelingSafePlugin().on_build_error(error)
    assert "\n" not in str(raised.value) and str(raised.value).startswith("The build stopped:")


def test_the_plugin_leaves_its_own_errors_as_they_are():
    assert FeelingSafePlugin().on_build_error(PluginError("docs/x.md: title: missing")) is None


def test_a_page_nested_too_deeply_for_markdown_is_one_line_from_the_generator(docs_tree, tmp_path):
    """The generator itself, end to end: Python-Markdown reads nested lists by recursion, and a
    list 400 levels deep exceeds Python's stack while the page is read."""
    write_page(docs_tree, "index.md", "# Home\n\n" + "\n".join("    " * level + "- x" for level in range(400)))
    result = mkdocs_build_process(tmp_path / "out", fixture_config(docs_tree))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith(("ERROR", "Error"))]
    assert any("index.md" in line for line in errors) and any("nested too deeply" in line for line in errors), errors


# --- front matter the schema refuses, in one line naming file and field ------------------------

@pytest.mark.parametrize("template", ["../../../../etc/passwd", "/etc/passwd", "nope.html", "partials/seo.html"])
def test_a_template_that_is_not_one_of_ours_is_one_line_naming_file_and_field(template):
    found = frontmatter.problems("docs/x.md", {**VALID_META, "template": template})
    assert len(found) == 1 and found[0].startswith("docs/x.md: template:"), found


def test_our_page_templates_are_accepted():
    assert frontmatter.problems("docs/index.md", {**VALID_META, "template": "home.html"}) == []


@pytest.mark.parametrize("depth", [12, 300, 900])
def test_front_matter_nested_too_deeply_is_one_line_naming_file_and_field(depth):
    value: list = []
    for _ in range(depth):
        value = [value]
    found = frontmatter.problems("docs/x.md", {**VALID_META, "terms": value})
    assert len(found) == 1 and found[0].startswith("docs/x.md: terms: nested more than"), found


# --- an output that holds what the build reads is refused before anything is written ------------

def _clinic_in(folder: Path, logo_folder: Path | None = None) -> Path:
    """A copy of the example clinic file in `folder`, its logo in `logo_folder` (default: beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    logo_folder = logo_folder or folder
    logo_folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE.parent / "example-logo.svg", logo_folder / "logo.svg")
    text = EXAMPLE.read_text(encoding="utf-8").replace("path: example-logo.svg",
                                                       f"path: {os.path.relpath(logo_folder / 'logo.svg', folder)}")
    clinic = folder / "clinic.yml"
    clinic.write_text(text, encoding="utf-8")
    return clinic


def _held(tmp_path: Path, case: str) -> tuple[Path, Path, Path]:
    """(clinic file, output, the file a rebuild of the output would delete)."""
    out = _previous_site(tmp_path / "dist" / "example")
    if case == "clinic file in the output":
        clinic = _clinic_in(out)
        return clinic, out, clinic
    if case == "clinic file deep in the output":
        clinic = _clinic_in(out / "keep" / "clinics")
        return clinic, out, clinic
    if case == "logo in the output":
        clinic = _clinic_in(tmp_path / "clinics", out / "brand")
        return clinic, out, out / "brand" / "logo.svg"
    if case == "clinic file through a link into the output":
        real = _clinic_in(out / "kept")
        (tmp_path / "clinics").mkdir()
        (tmp_path / "clinics" / "clinic.yml").symlink_to(real)
        return tmp_path / "clinics" / "clinic.yml", out, real
    clinic = _clinic_in(out)  # "output given as its parent": the parent is ours (stamped) too
    (out.parent / STAMP).write_text(STAMP_TEXT)
    return clinic, out.parent, clinic


@pytest.mark.parametrize("case", ["clinic file in the output", "clinic file deep in the output", "logo in the output",
                                  "clinic file through a link into the output", "output given as its parent"])
def test_an_output_holding_the_clinic_file_or_its_logo_is_refused(generator, tmp_path, monkeypatch, capsys, case):
    clinic, out, kept = _held(tmp_path, case)
    before = kept.read_bytes()
    monkeypatch.chdir(ROOT)
    capsys.readouterr()
    code = clinic_site.main([str(clinic), "--out", str(out)])
    line = _one_line(capsys.readouterr().err, "Build refused:")
    assert code == 2 and str(kept.resolve()) in line and "Nothing was written" in line, line
    assert kept.read_bytes() == before
    assert (out / STAMP).is_file() and not list(out.parent.glob(".*building*")), "nothing was written"


def test_an_output_beside_the_clinic_file_is_accepted(generator, tmp_path, monkeypatch):
    clinic = _clinic_in(tmp_path / "clinics")
    out = _previous_site(tmp_path / "dist")
    monkeypatch.chdir(ROOT)
    assert clinic_site.main([str(clinic), "--out", str(out)]) == 0
    assert (out / "index.html").read_text() == NEW_PAGE and clinic.is_file()


def test_the_config_file_is_kept_like_the_clinic_file(generator, tmp_path, capsys):
    out = _previous_site(tmp_path / "site")
    (out / "mkdocs.yml").write_text("INHERIT: ../mkdocs.yml\n")
    assert safe_build.main(["--config-file", str(out / "mkdocs.yml"), "--site-dir", str(out)]) == 2
    assert "Build refused:" in capsys.readouterr().err and (out / "mkdocs.yml").is_file()


# --- the command that started the build has gone: its site is never put in place ----------------

def test_a_build_whose_starter_has_gone_never_puts_its_site_in_place(generator, tmp_path, monkeypatch, capsys):
    """The last check before the swap (any system): what started the build is no longer its parent
    (it died, and this process was handed to init or a subreaper)."""
    out = _previous_site(tmp_path / "out")
    starter = os.getppid()
    generator.append(lambda: monkeypatch.setattr(os, "getppid", lambda: 1 if starter != 1 else 2))
    assert safe_build.build("-", out, config_text="") == 128 + signal.SIGHUP
    line = _one_line(capsys.readouterr().err, "Build stopped")
    assert "was left as it was" in line
    assert (out / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_stop_pending_at_the_swap_is_honoured(generator, tmp_path, capsys):
    """A stop signal held back while the new site is finished (pending when the swap comes) stops
    the build: the last check and the swap happen with stops held, so none slips in between."""
    out = _previous_site(tmp_path / "out")

    def stop_while_held():
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
        os.kill(os.getpid(), signal.SIGTERM)  # pending: no handler runs before the swap
    generator.append(stop_while_held)
    try:
        code = safe_build.build("-", out, config_text="")
    finally:  # whatever happened, this test process lets go of the signal without dying of it
        previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
        signal.signal(signal.SIGTERM, previous)
    assert code == 128 + signal.SIGTERM
    assert "Build stopped" in capsys.readouterr().err
    assert (out / "index.html").read_text() == "the last good build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _parent_death_signal() -> int:
    value = ctypes.c_int(-1)
    assert ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(value)) == 0  # PR_GET_PDEATHSIG
    return value.value


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_build_asks_linux_to_stop_it_with_its_starter_and_then_lets_go(generator, tmp_path):
    seen = []
    generator.append(lambda: seen.append(_parent_death_signal()))
    before = _parent_death_signal()
    assert safe_build.build("-", tmp_path / "out", config_text="") == 0
    assert seen == [signal.SIGTERM], "while it builds, the death of its starter sends it SIGTERM"
    assert _parent_death_signal() == before, "and the caller's setting is back afterwards"
