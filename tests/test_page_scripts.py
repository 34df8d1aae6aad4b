"""A page's scripts as one minified file named by its content; our other scripts minified.

The tools themselves are tested where they work (test_reader_tools.py, test_self_check*.py,
test_quick_exit.py, test_was_this_ok.py, test_complaint_routes.py, test_embed_browser.py),
all against the published build, so against these files.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from feeling_safe.content.frontmatter import read_front_matter
from feeling_safe.publishing import page_scripts
from sitebuild import ROOT, is_document, page_tools, soup

JAVASCRIPTS = ROOT / "docs" / "assets" / "javascripts"
TOOLS_FILE = re.compile(r"(?:^|/)assets/javascripts/page-tools\.[0-9a-f]{10}\.js$")


def source(name: str) -> str:
    return (JAVASCRIPTS / f"{name}.js").read_text(encoding="utf-8")


def wanted() -> dict[str, tuple[str, ...]]:
    """Each docs page with scripts (by slug) -> the scripts its front matter asks for."""
    lists = {path.stem: page_scripts.script_names(read_front_matter(path)) for path in (ROOT / "docs").glob("*.md")}
    return {slug: names for slug, names in lists.items() if names}


# --- the build's rules ------------------------------------------------------------------------------

def test_a_page_asks_for_its_scripts_then_the_quick_exit_once():
    assert page_scripts.script_names({}) == ()
    assert page_scripts.script_names({"scripts": ["a", "b"]}) == ("a", "b")
    assert page_scripts.script_names({"scripts": ["a"], "quick_exit": True}) == ("a", "quick-exit")
    assert page_scripts.script_names({"scripts": ["quick-exit", "a"], "quick_exit": True}) == ("quick-exit", "a")
    assert page_scripts.script_names({"quick_exit": False}) == ()


def test_the_same_list_shares_a_file_and_a_changed_source_changes_its_name():
    sources = {page_scripts.source_path(name): source(name) for name in ("private-page", "copy-text", "self-check")}
    lists = {"docs/a.md": ("private-page", "copy-text", "self-check"), "docs/b.md": ("private-page", "copy-text"),
             "docs/c.md": ("private-page", "copy-text", "self-check"), "docs/d.md": ()}
    files, contents, problems = page_scripts.plan(lists, sources)
    assert not problems
    assert set(files) == {lists["docs/a.md"], lists["docs/b.md"]} and len(contents) == 2
    assert all(TOOLS_FILE.search(path) for path in contents)
    changed = dict(sources, **{"assets/javascripts/self-check.js": sources["assets/javascripts/self-check.js"] + "\n;"})
    again, _, _ = page_scripts.plan(lists, changed)
    assert again[lists["docs/b.md"]] == files[lists["docs/b.md"]]    # its sources did not change
    assert again[lists["docs/a.md"]] != files[lists["docs/a.md"]]


def test_a_script_the_build_does_not_have_is_one_line_naming_the_page():
    _, contents, problems = page_scripts.plan({"docs/x.md": ("copy-text", "nope")},
                                              {"assets/javascripts/copy-text.js": source("copy-text")})
    assert problems == ["docs/x.md: scripts: no assets/javascripts/nope.js "
                        "(name a file in docs/assets/javascripts/ without .js)"]
    assert not contents


def test_minified_drops_comments_but_a_licence():
    text = "/* a note */\n/*! Licence: MIT */\nfunction f ( a ) {\n  // why\n  return a + 1;\n}\n"
    out = page_scripts.minified(text)
    assert "a note" not in out and "why" not in out and "Licence: MIT" in out
    assert len(out) < len(text)


def test_one_script_that_fails_does_not_stop_the_next(browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content("<!doctype html><title>t</title><p>x</p>")
    page.add_script_tag(content=page_scripts.bundle(["(function(){ throw new Error('first fails') })();",
                                                     "window.secondRan = true;"]))
    page.wait_for_function("window.secondRan === true")
    page.wait_for_timeout(50)
    assert any("first fails" in error for error in errors), "the error still reaches the console"
    page.close()


# --- the built site ---------------------------------------------------------------------------------

def test_each_page_with_scripts_loads_one_tools_file_and_lean_js(site_dir):
    lists = wanted()
    assert {"self-check", "what-to-say", "complaints", "was-this-ok"} <= set(lists)
    for slug, names in lists.items():
        for path in (site_dir / slug / "index.html", site_dir / "embed" / slug / "index.html"):
            if not path.is_file():
                assert "embed" in path.parts, f"{slug} was built"
                continue
            sources = [s.get("src", "") for s in soup(path).select("script[src]")]
            ours = [src for src in sources if "/bundle." not in src]
            tools = [src for src in ours if TOOLS_FILE.search(src)]
            assert len(tools) == 1, (path, sources)
            others = {src.rpartition("/")[2] for src in ours if src not in tools}
            assert others == ({"embed-frame.js"} if "embed" in path.parts else {"lean.js"}), (path, sources)
            assert tuple(page_tools(path)) == names, path


def test_the_tools_file_is_named_by_its_content_and_smaller_than_its_sources(site_dir):
    import hashlib

    lists = wanted()
    for slug, names in lists.items():
        path = site_dir / slug / "index.html"
        src = next(s["src"] for s in soup(path).select("script[src]") if TOOLS_FILE.search(s.get("src", "")))
        content = (path.parent / src).resolve().read_bytes()
        assert hashlib.sha256(content).hexdigest()[:10] in src
        assert len(content) < 0.8 * len("".join(source(name) for name in names).encode()), slug


def test_pages_with_the_same_scripts_share_the_file(site_dir):
    by_list: dict[tuple[str, ...], set[str]] = {}
    for slug, names in wanted().items():
        path = site_dir / slug / "index.html"
        by_list.setdefault(names, set()).update(s["src"].rpartition("/")[2] for s in soup(path).select("script[src]")
                                               if TOOLS_FILE.search(s.get("src", "")))
    assert all(len(files) == 1 for files in by_list.values()), by_list
    assert len({file for files in by_list.values() for file in files}) == len(by_list)


def test_pages_without_scripts_load_no_tools_file(site_dir, built_pages):
    lists = wanted()
    for path in built_pages:
        rel = path.relative_to(site_dir).parts
        slug = rel[1] if rel[0] == "embed" and len(rel) == 3 else rel[0]
        if not is_document(path) or slug in lists:
            continue
        assert not page_tools(path), path


@pytest.mark.parametrize("name", sorted(path.name for path in JAVASCRIPTS.glob("*.js")) + ["lean.js"])
def test_every_script_we_publish_is_minified(site_dir, name):
    built = (site_dir / "assets" / "javascripts" / name).read_text(encoding="utf-8")
    origin = (ROOT / "overrides" if name == "lean.js" else ROOT / "docs") / "assets" / "javascripts" / name
    assert built.strip() == page_scripts.minified(origin.read_text(encoding="utf-8"))
    assert len(built) < len(origin.read_text(encoding="utf-8"))
    assert not re.search(r"/\*(?!!)", built), "no comment but a licence"


# Node compiles each file as a classic script, as a browser's <script> does (no `export`).
NODE = shutil.which("node")
_COMPILE_EACH = ("const vm = require('vm'), fs = require('fs');"
                 "for (const f of process.argv.slice(1)) {"
                 "  try { new vm.Script(fs.readFileSync(f, 'utf8'), {filename: f}); }"
                 "  catch (e) { console.log(f + ': ' + e.message); } }")


def test_every_script_of_ours_parses_as_published(site_dir):
    """The minified files, each page's tools file (sources joined in their `try`s) and embed.js,
    compiled by Node as the browser reads them: a minifier that broke a script fails here by name."""
    folder = site_dir / "assets" / "javascripts"
    ours = [path for path in sorted(folder.glob("*.js")) if not path.name.startswith("bundle.")]
    ours.append(site_dir / "embed.js")
    assert len(ours) > 8 and any(path.name.startswith(page_scripts.STEM.removesuffix(".js")) for path in ours)
    assert NODE, "node is missing: `make node` installs it (Debian's npm brings it)"
    result = subprocess.run([NODE, "-e", _COMPILE_EACH, *map(str, ours)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_the_syntax_check_names_a_broken_script(tmp_path):
    broken = tmp_path / "broken.js"
    broken.write_text(page_scripts.bundle(["(function(){ var a = ; })();"], minify=False), encoding="utf-8")
    assert NODE, "node is missing: `make node` installs it (Debian's npm brings it)"
    result = subprocess.run([NODE, "-e", _COMPILE_EACH, str(broken)], capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith(f"{broken}: Unexpected token")


# Each file's top level, read by acorn (package.json): "iife" when it is one function expression
# called at once (`(function () {...})();`, or with `!` or an arrow), else what it holds.
_TOP_LEVEL = """const acorn = require('acorn'), fs = require('fs');
const iife = (node) => node.type === 'CallExpression'
  && ['FunctionExpression', 'ArrowFunctionExpression'].includes(node.callee.type);
for (const f of process.argv.slice(1)) {
  const body = acorn.parse(fs.readFileSync(f, 'utf8'), {ecmaVersion: 'latest', sourceType: 'script'}).body;
  const one = body.length === 1 && body[0].type === 'ExpressionStatement' ? body[0].expression : null;
  const called = one && one.type === 'UnaryExpression' ? one.argument : one;
  console.log(called && iife(called) ? 'iife' : body.map((node) => node.type).join(' '));
}"""


def _top_levels(paths: list) -> list[str]:
    assert NODE, "node is missing: `make node` installs it (Debian's npm brings it)"
    result = subprocess.run([NODE, "-e", _TOP_LEVEL, *map(str, paths)], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_every_page_script_is_one_function_called_at_once():
    """A page's scripts are joined in one file, each inside its own `try` (publishing/page_scripts.py):
    a top-level declaration there would be scoped to its block, and a "use strict" would no longer
    apply, so each script must be a single function expression called at once, declaring nothing."""
    scripts = sorted(JAVASCRIPTS.glob("*.js"))
    assert len(scripts) > 5
    assert dict(zip([path.name for path in scripts], _top_levels(scripts))) == {path.name: "iife" for path in scripts}


def test_the_top_level_check_names_what_else_a_script_holds(tmp_path):
    written = {"declares.js": "var a = 1;\n(function () {})();", "strict.js": "'use strict';\n(function () {})();",
               "bang.js": "!function () {}();", "arrow.js": "(() => {})();"}
    for name, text in written.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = dict(zip(written, _top_levels([tmp_path / name for name in written])))
    assert found == {"declares.js": "VariableDeclaration ExpressionStatement",
                     "strict.js": "ExpressionStatement ExpressionStatement", "bang.js": "iife", "arrow.js": "iife"}
