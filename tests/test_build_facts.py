"""The plugin as a sequencer: its facts are declared once, each set once, and nothing else is kept;
its events stay a short list of steps.

The events up to on_nav run in-process on the real mkdocs.yml (no page is
rendered), the way the generator calls them; the plain functions the events
call are tested on small inputs.
"""
from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation

from feeling_safe.clinic import brand as clinic_brand
from feeling_safe.clinic.file import Clinic
from feeling_safe.content import citations, crisis, readingpath
from feeling_safe.content.sources import PageSource, content_problems, overdue_reviews
from feeling_safe.content.terms import build_terms
from feeling_safe.pages.lean_assets import CRITICAL, DEFERRED, FIXES, STYLES, write_whole_css
from feeling_safe.plugin import config as config_module
from feeling_safe.plugin import learn
from feeling_safe.plugin import plugin as plugin_module
from feeling_safe.plugin.config import FeelingSafeConfig, Settings
from feeling_safe.plugin.facts import BuildFacts
from feeling_safe.publishing import api, handouts, oembed_endpoint
from sitebuild import DEFAULT_SOURCE_DATE_EPOCH, ROOT, VALID_META

PLUGIN = "feeling-safe"


def _until_nav(monkeypatch, tmp_path: Path, command: str = "build"):
    """Our plugin after the generator's config, files and nav events on mkdocs.yml, and the
    number of times each of its facts was assigned."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH)
    assigned: Counter[str] = Counter()

    class CountedFacts(BuildFacts):
        def __setattr__(self, name, value):
            assigned[name] += 1
            super().__setattr__(name, value)

    monkeypatch.setattr(learn, "BuildFacts", CountedFacts)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    return config.plugins[PLUGIN], assigned, nav


def test_every_fact_is_set_once_by_the_end_of_on_nav(monkeypatch, tmp_path):
    plugin, assigned, nav = _until_nav(monkeypatch, tmp_path)
    names = [f.name for f in dataclasses.fields(BuildFacts)]
    unset = [name for name in names if not hasattr(plugin.facts, name)]
    assert unset == []
    assert {name: count for name, count in assigned.items() if count != 1} == {}
    assert set(assigned) == set(names)
    facts = plugin.facts
    assert [page.file.src_uri for page in facts.reading_path] == [page.file.src_uri for page in nav.pages]
    assert facts.embeddable and all(record.embeddable for record in facts.embeddable)
    assert [route.file for route in facts.oembed_routes] == [api.oembed_path(r.slug) for r in facts.embeddable]
    assert facts.path_prefix == "/" and not facts.serving


def test_the_plugin_keeps_nothing_but_its_options_and_facts(monkeypatch, tmp_path):
    """Every fact lives on the declared facts object; a stray `self.x = ...` fails here. (Besides
    its options and facts, the plugin keeps only what one `serve` keeps across live reloads.)"""
    plugin, _assigned, _nav = _until_nav(monkeypatch, tmp_path)
    assert set(vars(plugin)) <= {"config", "facts", "is_serve", "compiled"}
    assert set(vars(plugin)) >= {"config", "facts"}


def test_serve_is_known_to_the_build_s_facts(monkeypatch, tmp_path):
    plugin, _assigned, _nav = _until_nav(monkeypatch, tmp_path, command="serve")
    try:
        assert plugin.is_serve and plugin.facts.serving
    finally:  # the generator keeps a plugin with on_startup for the process: leave it as a build's
        plugin.on_startup(command="build", dirty=False)


def test_settings_take_the_clinic_s_choices_over_the_options():
    options = FeelingSafeConfig()
    options.load_dict({})
    assert options.validate() == ([], [])

    harbour = Clinic(ROOT / "clinics" / "x.yml", {
        "name": "Harbour Lane Counselling Practice", "short_name": "Harbour Lane", "paper": "letter",
        "embeds": False, "crisis_region": "uk"})
    guide = Settings.resolve(options, None, "Feeling Safe in Therapy")
    assert (guide.paper, guide.embeds, guide.for_clinics, guide.header_names) == ("a4", True, True, None)
    assert guide.glossary_page == "glossary.md" and guide.get_help_page == "get-help-now.md"
    clinic = Settings.resolve(options, harbour, "Feeling Safe in Therapy")
    assert (clinic.paper, clinic.embeds, clinic.for_clinics) == ("letter", False, False)
    assert clinic.header_names == ("Harbour Lane Counselling Practice", "Harbour Lane")


def test_every_option_is_read_by_the_settings_or_the_plugin():
    """An option nobody reads is a default that can disagree with the one that is used."""
    source = "\n".join(Path(module.__file__).read_text(encoding="utf-8")
                       for module in (plugin_module, learn, config_module))
    unread = [name for name, _option in FeelingSafeConfig._schema if f"options.{name}" not in source
              and f"self.config.{name}" not in source]
    assert unread == []


# --- the sequence stays readable in one sitting --------------------------------------------------

PLUGIN_FILE = Path(plugin_module.__file__)
MAX_LINES = 320         # plugin.py: the docstring, the imports, the events (about 300 lines today)
MAX_STATEMENTS = 20     # one event: a short list of named steps, each a call into a module


def _events(tree: ast.Module) -> dict[str, int]:
    """Each function defined anywhere in the module -> the statements in its body, nested
    ones included (a step inside an `if` is still a step); its docstring left out."""
    counts = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            counts[node.name] = sum(isinstance(child, ast.stmt) for statement in body for child in ast.walk(statement))
    return counts


def _sequence_problems(source: str) -> list[str]:
    tree = ast.parse(source)
    lines = source.count("\n")
    problems = [f"plugin.py has {lines} lines (at most {MAX_LINES}): move a step's work into its module"] \
        if lines > MAX_LINES else []
    for name, count in _events(tree).items():
        if not name.startswith("on_"):
            problems.append(f"{name}: only the generator's events belong in plugin.py; a helper goes into "
                            "the module of its domain (content/, clinic/, pages/, publishing/, plugin/learn.py)")
        elif count > MAX_STATEMENTS:
            problems.append(f"{name} has {count} statements (at most {MAX_STATEMENTS}): move its work into a module")
    return problems


def test_the_plugin_is_a_short_sequence_of_events():
    """plugin.py is read in one sitting: every function in it is an event, and each event a
    short list of steps; the work of each step lives in the module of its domain."""
    source = PLUGIN_FILE.read_text(encoding="utf-8")
    assert _sequence_problems(source) == []
    events = _events(ast.parse(source))
    assert {"on_config", "on_files", "on_page_content", "on_post_page", "on_post_build"} <= set(events)


def test_the_sequence_check_finds_a_helper_and_a_long_event():
    steps = "\n".join(f"        x{n} = step{n}(x)" for n in range(MAX_STATEMENTS + 1))
    source = (f"class P:\n    def on_page_content(self, x):\n        \"\"\"Doc.\"\"\"\n{steps}\n        return x\n"
              "    def _tidy(self, x):\n        return x\n")
    problems = _sequence_problems(source)
    assert len(problems) == 2
    assert problems[0].startswith(f"on_page_content has {MAX_STATEMENTS + 2} statements")
    assert problems[1].startswith("_tidy: only the generator's events")
    assert _sequence_problems("x = 1\n" * (MAX_LINES + 1))[0].startswith(f"plugin.py has {MAX_LINES + 1} lines")


# --- the plain functions the events call -------------------------------------------------------

def _source(label: str, body: str, **meta) -> PageSource:
    return PageSource(label, {**VALID_META, **meta}, body, [])


def test_content_problems_name_every_file_at_once():
    pages = {"a.md": _source("docs/a.md", "Said [@nobody]."), "b.md": _source("docs/b.md", "<!-- embed:typo -->")}
    message = content_problems(pages, {}, {"us"}, lambda label, body: [f"{label}: bad"] if "typo" in body else [])
    assert "docs/a.md" in message and "docs/b.md: bad" in message
    assert content_problems({"c.md": _source("docs/c.md", "Plain.")}, {}, {"us"}, lambda label, body: []) == ""


def test_overdue_reviews_name_the_page():
    pages = {"a.md": _source("docs/a.md", "", next_review=dt.date(2026, 1, 1)),
             "b.md": _source("docs/b.md", "", next_review=dt.date(2030, 1, 1))}
    lines = overdue_reviews(pages, dt.date(2027, 1, 1))
    assert len(lines) == 1 and lines[0].startswith("docs/a.md:")


def test_glossary_terms_follow_the_build_s_region():
    terms = [{"term": "Ombudsman", "definition": "x", "only": ["uk"]}, {"term": "Boundary", "definition": "y"}]
    source = PageSource("docs/glossary.md", {"terms": terms}, "", [])
    assert [t.term for t in build_terms(source, {"us", "uk"}, {"us"})] == ["Boundary"]
    assert build_terms(None, {"us"}, {"us"}) == []
    with pytest.raises(ValueError, match="docs/glossary.md: term 'Ombudsman'"):
        build_terms(source, {"us"}, {"us"})


def test_next_step_is_added_off_help_pages_only():
    target = ("b.md", "Bee", "About bees.")
    assert "b.md" in readingpath.with_next_step("Text", "a.md", "explainer", target)
    assert readingpath.with_next_step("Text", "a.md", "help", target) == "Text"
    assert readingpath.with_next_step("Text", "a.md", "explainer", None) == "Text"


def test_cite_adds_sources_last_only_when_the_page_cites():
    references = citations.load_references()
    key = next(iter(references))
    cited = citations.cite(f"Claim [@{key}].\n", references)
    assert cited.rstrip().endswith(citations.sources_section([key], references).rstrip())
    assert citations.cite("No claims.\n", references) == "No claims.\n"


def test_help_link_is_relative_to_the_page():
    assert crisis.help_link("topics/x.md", "get-help-now.md") == "../get-help-now.md"
    assert crisis.help_link("x.md", None) is None


def test_a_handout_plan_entry_and_links():
    entry = handouts.plan_entry("what-it-is/", "What it is", "https://x.org/what-it-is/", "what-it-is/index.html",
                                dt.date(2026, 1, 2))
    assert entry["slug"] == "what-it-is" and entry["last_reviewed"] == "2026-01-02"
    assert handouts.links("what-it-is")["pdf"] == f"{handouts.FOLDER}/what-it-is.pdf"


def test_oembed_host_files_route_every_embeddable_page():
    page = api.PageRecord(slug="what-it-is", title="T", description="D", kind="explainer", url="what-it-is/",
                          last_reviewed=dt.date(2026, 1, 1), next_review=dt.date(2026, 6, 1), words=0,
                          embeddable=True)
    routes = api.oembed_routes([page], "https://x.org/guide/")
    assert routes == [oembed_endpoint.Route("https://x.org/guide/what-it-is/", api.oembed_path("what-it-is"))]
    files = oembed_endpoint.host_files("/guide/", routes)
    assert set(files) == {oembed_endpoint.REDIRECTS_FILE, oembed_endpoint.NOT_FOUND_FILE, oembed_endpoint.NOT_JSON_FILE,
                          oembed_endpoint.WORKER_FILE, oembed_endpoint.ROUTES_FILE}
    assert "/guide/" in files[oembed_endpoint.REDIRECTS_FILE]


def test_psypact_is_read_from_the_clinic_s_online_practice():
    file = ROOT / "clinics" / "x.yml"
    assert clinic_brand.psypact(Clinic(file, {"sees_clients": {"online": {"psypact": True}}}))
    assert not clinic_brand.psypact(Clinic(file, {"sees_clients": {"online": {}}}))
    assert not clinic_brand.psypact(None)


def test_serve_links_the_sheets_whole_in_the_lean_cascade_order(tmp_path):
    styles = tmp_path / STYLES
    styles.mkdir(parents=True)
    (styles / "main.abc.min.css").write_text(".main{}", encoding="utf-8")
    (styles / "palette.abc.min.css").write_text(".palette{}", encoding="utf-8")
    (styles / FIXES).write_text(".fix{}", encoding="utf-8")
    (tmp_path / "site.css").write_text(".site{}", encoding="utf-8")
    write_whole_css(tmp_path, ["site.css", "missing.css"])
    critical = (styles / CRITICAL).read_text(encoding="utf-8")  # where the template links it: no page rewritten
    assert critical.split("\n") == [".main{}", ".palette{}", ".site{}", ".fix{}"]
    assert (styles / DEFERRED).read_text(encoding="utf-8") == ""
    assert not (styles / FIXES).exists()
