"""The build's own machinery: one plugin, its lock, its server, its helpers."""
from __future__ import annotations

import ast
import contextlib
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from importlib import metadata
from pathlib import Path

import jinja2
import pytest

from feeling_safe.content.dates import human_date
from feeling_safe.devtools import check_lock
from feeling_safe.measuring.localserver import free_port, wait_for_port
from feeling_safe.pages.icon_sprite import SPRITE_FOLDER, SPRITE_PLACEHOLDER, SPRITE_STEM
from feeling_safe.pages.lean_assets import CRITICAL, STYLES
from feeling_safe.plugin import generator
from feeling_safe.plugin.material import bundle_script
from feeling_safe.plugin.partials import Partials
from sitebuild import DEFAULT_SOURCE_DATE_EPOCH, PLUGIN, ROOT, site_config, soup, stop_with_its_group


def test_overrides_holds_only_templates_and_assets():
    code = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "overrides").rglob("*.py"))
    assert not code, f"build code belongs in scripts/: {code}"


def test_mkdocs_yml_runs_our_plugin_and_no_hooks():
    config = site_config()
    assert "hooks" not in config
    assert PLUGIN in config["plugins"]
    entry = [ep for ep in metadata.entry_points(group="mkdocs.plugins") if ep.name == PLUGIN]
    assert [ep.value for ep in entry] == ["feeling_safe.plugin.plugin:FeelingSafePlugin"]


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


PACKAGE = ROOT / "scripts" / "feeling_safe"
MODULES = sorted(PACKAGE.rglob("*.py"))


def test_build_code_keeps_no_state_in_modules():
    """State lives on the plugin instance; module-level names are constants (UPPER_CASE)."""
    assert len(MODULES) > 40, "the package's modules are found"
    found = [line for path in MODULES for line in _module_level_state(path)]
    assert not found, found


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The feeling_safe modules a module imports, anywhere in it (a lazy import is still an edge)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("feeling_safe"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if (PACKAGE.parent / child.replace(".", "/")).with_suffix(".py").is_file()
                          else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("feeling_safe")}
    return found


def _import_graph() -> dict[str, set[str]]:
    graph = {_module_name(path): _imports(path) for path in MODULES}
    # A package's __init__ is not a step of its own: `feeling_safe` installs the generator alias only.
    return {name: {m for m in edges if m != name and m in graph and m != "feeling_safe"}
            for name, edges in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import loop, as a path that returns to its start, or []."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_build_code_has_no_import_loop():
    graph = _import_graph()
    assert sum(map(len, graph.values())) > 50, "imports are found"
    assert _cycle(graph) == []


def test_the_loop_check_finds_a_loop():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]


# The build's packages never reach into the bench or the developer tools.
BUILD_PACKAGES = ("plugin", "content", "clinic", "pages", "publishing", "checks")


def test_the_build_never_imports_measuring_or_dev_tools():
    graph = _import_graph()
    wrong = sorted(f"{name} -> {edge}" for name, edges in graph.items()
                   if name.split(".")[1:2] and name.split(".")[1] in BUILD_PACKAGES
                   for edge in edges if edge.split(".")[1] in ("measuring", "devtools"))
    assert not wrong


def test_every_module_imports_on_its_own_in_any_order():
    """No import-order trap: any module may be the first one imported (the package installs the
    generator's mkdocs alias before any of its modules runs)."""
    names = [n for n in map(_module_name, MODULES) if not n.endswith("__main__")]
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    for first in ("feeling_safe.content.frontmatter", "feeling_safe.plugin.plugin"):
        result = subprocess.run([sys.executable, "-c", code, first], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-2000:]
    result = subprocess.run([sys.executable, "-c", code, *names], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


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
    """`make serve` (feeling_safe/devtools/serve.py): the site is served with live reload, and a change to a
    Python file in the watched folder restarts the server so the new code runs."""
    watched = tmp_path / "code"
    watched.mkdir()
    (watched / "step.py").write_text("A = 1\n", encoding="utf-8")
    port = free_port()
    # Its own session: whatever it starts is ended with it, and its stderr is read on a thread, so a
    # wait for a line ends at its deadline even if a server that outlived the wrapper holds the pipe.
    server = subprocess.Popen([sys.executable, "-m", "feeling_safe.devtools.serve", "--dev-addr", f"127.0.0.1:{port}",
                               "--restart-on", str(watched)], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stderr], daemon=True).start()
    said: list[str] = []
    try:
        wait_for_port(port, server, timeout=60)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert "livereload" in page
        (watched / "step.py").write_text("A = 2\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        while not any("restarting the server" in line for line in said) and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                said.append(lines.get(timeout=0.5))
        assert any("restarting the server" in line for line in said), "".join(said[-20:])
        wait_for_port(port, server, timeout=60)
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).status == 200
    finally:
        stop_with_its_group(server)


def test_serve_skips_what_only_a_published_site_needs(tmp_path, monkeypatch):
    """A live-reload build (as `make serve` runs one) writes the stylesheets whole where pages
    link them: no purge, no icon sprite, no JSON API, no security headers, no compressed copies;
    the next live reload compiles few templates again (they are kept for the whole `serve`)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    serve_url = "http://127.0.0.1:8000/"
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    site = tmp_path / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.site_url = serve_url
    config.plugins.on_startup(command="serve", dirty=False)
    compiled = []
    compile_template = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, *args, **kwargs: compiled.append(args) or compile_template(env, *args, **kwargs))
    try:
        build(config, serve_url=serve_url)
        first = len(compiled)
        # A live reload: a fresh config, the same plugin; templates compiled once per `serve`.
        again = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
        again.site_url = serve_url
        build(again, serve_url=serve_url)
    finally:  # the generator keeps a plugin with on_startup for the process: leave it as a build's
        config.plugins[PLUGIN].on_startup(command="build", dirty=False)
    assert first > 40 and len(compiled) - first < first / 4, (first, len(compiled) - first)
    styles = site / STYLES
    assert (styles / CRITICAL).stat().st_size > 10_000 and not list(styles.glob("lean-critical.*.css"))
    assert not list((site / SPRITE_FOLDER).glob(f"{SPRITE_STEM}.*.svg"))
    assert not (site / "_headers").exists() and not (site / "api").exists()
    assert not list(site.rglob("*.br")) and not list(site.rglob("*.html.gz"))
    page = (site / "what-it-is" / "index.html").read_text(encoding="utf-8")
    assert f"{STYLES}/{CRITICAL}" in page and "<use " not in page and SPRITE_PLACEHOLDER not in page
    # No word index (Material's search alone answers under serve), and no page asks for one.
    assert (site / "search" / "search_index.json").is_file() and not (site / "search" / "words.json").exists()
    assert "data-word-index" not in page


# Python method calls on values work in Jinja but not in MiniJinja (the engine of Material's
# successor). Material's own `lang.t(...)` translation calls are the theme's, not ours.
_METHOD_CALL = re.compile(r"\{[{%][^}]*?\.(?!t\()([a-z_]+)\(")


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "overrides").rglob("*.html")))
def test_templates_call_no_python_methods(template):
    calls = _METHOD_CALL.findall((ROOT / template).read_text(encoding="utf-8"))
    assert not calls, f"{template}: Python method calls {calls}; pass the value from feeling_safe/plugin/plugin.py instead"


def test_the_method_call_check_finds_one():
    assert _METHOD_CALL.findall("<a href=\"{{ base_url.rstrip('/') }}\">{{ lang.t('x') }}") == ["rstrip"]
