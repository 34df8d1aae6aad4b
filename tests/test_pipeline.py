"""The build's own machinery: one plugin, its lock, its server, its helpers."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from pathlib import Path

import pytest

from scripts import check_lock, generator
from scripts.dates import human_date
from scripts.localserver import free_port, wait_for_port
from scripts.material import bundle_script
from scripts.partials import Partials
from sitebuild import PLUGIN, ROOT, site_config, soup


def test_overrides_holds_only_templates_and_assets():
    code = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "overrides").rglob("*.py"))
    assert not code, f"build code belongs in scripts/: {code}"


def test_mkdocs_yml_runs_our_plugin_and_no_hooks():
    config = site_config()
    assert "hooks" not in config
    assert PLUGIN in config["plugins"]
    entry = [ep for ep in metadata.entry_points(group="mkdocs.plugins") if ep.name == PLUGIN]
    assert [ep.value for ep in entry] == ["scripts.pipeline:FeelingSafePlugin"]


def _module_level_state(path: Path) -> list[str]:
    """Module-level names bound to a mutable container, and `global` statements."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{path.name}: global {', '.join(node.names)}" for node in ast.walk(tree) if isinstance(node, ast.Global)]
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            mutable = isinstance(node.value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp)) or (
                isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") in ("list", "dict", "set"))
            found += [f"{path.name}: {name}" for name in names if mutable and not name.isupper()]
    return found


def test_build_code_keeps_no_state_in_modules():
    """State lives on the plugin instance; module-level names are constants (UPPER_CASE)."""
    found = [line for path in sorted((ROOT / "scripts").glob("*.py")) for line in _module_level_state(path)]
    assert not found, found


def test_the_state_check_catches_module_level_state(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("_cache = {}\nNAMES = ('a',)\ndef f():\n    global _cache\n", encoding="utf-8")
    assert _module_level_state(sample) == ["sample.py: global _cache", "sample.py: _cache"]


# --- the lock -------------------------------------------------------------------------------

def test_the_installed_lock_is_complete():
    pins = check_lock.read_lock(ROOT / "requirements.txt")
    assert check_lock.problems(pins) == []
    assert generator.NAME in pins, "the generator in use is the one the lock pins"


def test_lock_problems_name_the_package_and_the_fix():
    pins = {"a": "1.0", "b": "2.0", "properdocs": "1.6.7"}
    versions = {"a": "1.0", "b": "2.1", "properdocs": "1.6.7"}
    needs = {"a": ["c>=1", "mkdocs<2,>=1.6", "d; extra == 'docs'", "b>=3"], "b": [], "properdocs": []}

    def version(name):
        return versions[name]

    found = check_lock.problems(pins, installed_version=version, requires=needs.get)
    assert found == ["a needs c>=1, which requirements.txt does not lock; add it pinned with ==",
                     "a needs b>=3, but requirements.txt locks b==2.0",
                     "b is 2.1, the lock says 2.0; run make venv"]


def test_an_unpinned_lock_line_is_named(tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("# comment\nfoo==1.0  # why\nbar>=2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"requirements.txt:3: 'bar>=2' is not pinned"):
        check_lock.read_lock(lock)


# --- the theme, dates, partials ----------------------------------------------------------

def test_the_bundle_name_is_read_from_the_theme(tmp_path):
    (tmp_path / "assets/javascripts").mkdir(parents=True)
    (tmp_path / "assets/javascripts/bundle.0123abcd.min.js").write_text("", encoding="utf-8")
    assert bundle_script([str(tmp_path / "missing"), str(tmp_path)]) == "assets/javascripts/bundle.0123abcd.min.js"
    with pytest.raises(ValueError, match="no assets/javascripts/bundle"):
        bundle_script([str(tmp_path / "missing")])


def test_the_built_pages_load_the_theme_s_own_bundle(site_dir, built_pages):
    lean = [tag for path in built_pages for tag in soup(path).select("script[data-bundle]")]
    assert lean, "pages load lean.js"
    bundle = {tag["data-bundle"].split("assets/", 1)[1] for tag in lean}
    assert len(bundle) == 1 and (site_dir / "assets" / bundle.pop()).is_file()


def test_dates_are_written_in_english_whatever_the_locale():
    assert human_date("2026-01-05") == "5 January 2026"


def test_partials_print_values_as_text():
    partials = Partials(ROOT / "overrides")
    html = partials.render("clinic/intro.html", clinic={"name": '<b onmouseover="x()">Us</b>'})
    assert "<b" not in html and "&lt;b onmouseover=" in html


# --- make serve ------------------------------------------------------------------------

def test_serve_restarts_when_build_code_changes(tmp_path):
    """`make serve` (scripts/serve.py): the site is served with live reload, and a change to a
    Python file in the watched folder restarts the server so the new code runs."""
    watched = tmp_path / "code"
    watched.mkdir()
    (watched / "step.py").write_text("A = 1\n", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "scripts.serve", "--dev-addr", f"127.0.0.1:{port}",
                               "--restart-on", str(watched)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, server, timeout=60)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert "livereload" in page
        (watched / "step.py").write_text("A = 2\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        line = ""
        while "restarting the server" not in line and time.monotonic() < deadline:
            line = server.stderr.readline()
        assert "restarting the server" in line
        wait_for_port(port, server, timeout=60)
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


# Python method calls on values work in Jinja but not in MiniJinja (the engine of Material's
# successor). Material's own `lang.t(...)` translation calls are the theme's, not ours.
_METHOD_CALL = re.compile(r"\{[{%][^}]*?\.(?!t\()([a-z_]+)\(")


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "overrides").rglob("*.html")))
def test_templates_call_no_python_methods(template):
    calls = _METHOD_CALL.findall((ROOT / template).read_text(encoding="utf-8"))
    assert not calls, f"{template}: Python method calls {calls}; pass the value from scripts/pipeline.py instead"


def test_the_method_call_check_finds_one():
    assert _METHOD_CALL.findall("<a href=\"{{ base_url.rstrip('/') }}\">{{ lang.t('x') }}") == ["rstrip"]
