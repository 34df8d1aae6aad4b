"""How the build learns its facts before any page renders: from the config, the files, the nav.

Why: the plugin's events (plugin/plugin.py) should read as a sequence of steps,
not as the code of each step. What the build must know before the first page
(the clinic, the data files, every page's front matter, the reading path) is
gathered here, each fact once, into the declared `BuildFacts` (plugin/facts.py):
`from_config` makes the object; `read_pages`, `leave_out`, `add_records` and
`add_site_files` complete it in the files event (and add or drop the files that
follow from it); `from_nav` records the reading path. A problem in a file stops
the build here, with one message naming every file and field.

A new fact: declare it in `BuildFacts` (its type, the event that sets it) and set
it in the function of that event below.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from feeling_safe.checks.schema_check import FORMATS, Checker, site_address_problem
from feeling_safe.clinic import brand as clinic_brand
from feeling_safe.clinic.file import Clinic, ClinicError, clinic_log
from feeling_safe.clinic.file import load as load_clinic
from feeling_safe.clinic.file import warnings as clinic_warnings
from feeling_safe.content import citations, complaints, crisis, frontmatter, readingpath, region_text, scope, seo, situations
from feeling_safe.content.reviews import review_log
from feeling_safe.content.sources import content_problems, overdue_reviews, read_source
from feeling_safe.content.terms import build_terms
from feeling_safe.pages import allowed_markup
from feeling_safe.pages.icon_sprite import SPRITE_PLACEHOLDER
from feeling_safe.pages.lean_assets import DEFERRED, STYLES
from feeling_safe.plugin.config import FeelingSafeConfig, Settings
from feeling_safe.plugin.facts import BuildFacts
from feeling_safe.plugin.material import bundle_script
from feeling_safe.plugin.partials import CompiledTemplates, Partials
from feeling_safe.publishing import api, embed, embed_views, page_scripts
from feeling_safe.publishing.security_headers import csp_hash
from feeling_safe.publishing.word_search import WORD_INDEX

ROOT = Path(__file__).resolve().parents[3]
REFERENCES_FILE = ROOT / "data" / "references.yml"


# --- config: the clinic first, then the data files -------------------------------------------

def from_config(options: FeelingSafeConfig, config: MkDocsConfig, *, serving: bool,
                compiled: tuple[CompiledTemplates, CompiledTemplates] | None = None) -> BuildFacts:
    """The facts known with the config: the clinic file (which brands `config`), the settled
    options, the data files and the theme's own scripts, each read and checked once."""
    # The clinic file first: the site name, address, logo, region, embeds and paper it
    # sets are read by every later step.
    clinic = _clinic(options.clinic_file)
    settings = Settings.resolve(options, clinic, config.site_name)
    # The guide a clinic build adapts, as mkdocs.yml names it (before the clinic's name
    # replaces it): its licence asks for credit.
    attribution = clinic_brand.attribution(clinic, config.site_name, config.site_url) if clinic else None
    if clinic:
        for line in clinic_warnings(clinic):  # printed; the build goes on
            clinic_log.warning(line)
        clinic_brand.brand_config(config, clinic)
    if settings.embeds and not config.site_url:
        raise PluginError("mkdocs.yml: site_url is missing; embeds and the JSON feed need absolute addresses")
    if config.site_url and (problem := site_address_problem(config.site_url)):
        raise PluginError(f"mkdocs.yml: site_url {config.site_url!r} is not the address of a site (it {problem}); "
                          f"{FORMATS['site-address'][2]}")
    # Data files, each read and checked once; a problem stops the build before any page.
    try:
        references = citations.load_references(REFERENCES_FILE)
        regions = crisis.load_regions()  # every crisis line and complaint body names a reference
        crisis_region = crisis.resolve(settings.region, regions, reference_keys=references.keys())
        complaint_routes = complaints.resolve(settings.complaint_region, settings.region,
                                              complaints.load_routes(), references.keys(),
                                              where=str(clinic.file) if clinic and clinic.get("complaint_region") else "")
        situation_list = situations.load_checked(references.keys())
    except ValueError as error:
        raise PluginError(f"Data file problems:\n{error}") from None
    try:  # what the theme's files say: its inline scripts (the only ones pages may carry), its bundle
        inline_patterns = tuple(allowed_markup.allowed_patterns(config.theme.dirs))
        material_bundle = bundle_script(config.theme)
    except ValueError as error:
        raise PluginError(str(error)) from None
    partials = Partials(ROOT / "overrides", compiled[0] if compiled else None)
    psypact = clinic_brand.psypact(clinic)
    names = settings.header_names
    return BuildFacts(
        settings=settings, serving=serving, clinic=clinic,
        clinic_fields=clinic_brand.public_fields(clinic) if clinic else None, attribution=attribution,
        site_name=clinic_brand.as_written(config.site_name), site_url=config.site_url or "",
        path_prefix=urlsplit(config.site_url or "").path or "/",
        share_image=clinic_brand.SHARE_CARD if clinic else seo.SHARE_IMAGE,
        references=references, crisis_region=crisis_region, complaint_routes=complaint_routes,
        situations=situation_list,
        psypact=psypact,
        # What this build's pages may say (<!-- only: ... --> blocks, glossary terms' `only`).
        marker_words=frozenset({*regions, region_text.PSYPACT}),
        held=region_text.facts(region_text.text_region(settings.complaint_region, settings.region),
                               psypact=psypact),
        partials=partials, markdown_partials=crisis.environment(compiled=compiled[1] if compiled else None),
        render_clinic=clinic_brand.renderer(partials, clinic) if clinic else None,
        header_names_html=partials.render(clinic_brand.HEADER_NAME, full_name=names[0], short_name=names[1])
        if names else None,
        inline_patterns=inline_patterns, material_bundle=material_bundle,
        # Material registers its search plugin as "material/search"; a config names it "search".
        has_search=any(name.rpartition("/")[2] == "search" for name in config.plugins),
        lang=crisis.page_lang(crisis_region, clinic.get("lang") if clinic else None))


def _clinic(clinic_file: str | None) -> Clinic | None:
    if not clinic_file:
        return None
    try:
        return load_clinic(clinic_file)
    except ClinicError as error:
        raise PluginError(f"Clinic file problems (see clinics/example.yml):\n{error}") from None


# --- files: every page's front matter once; what the build leaves out and adds -------------------

def read_pages(facts: BuildFacts, files: Files, config: MkDocsConfig) -> None:
    """Every page read once and checked together with every other (one failure naming every
    file); each later step takes its front matter from `facts.pages`."""
    folder = Path(config.docs_dir).name
    checker = Checker(frontmatter.SCHEMA)  # the schema, compiled once for every page
    facts.pages = {file.src_uri: read_source(f"{folder}/{file.src_uri}", file.content_string, checker)
                   for file in files.documentation_pages()}
    facts.review_dates = {src: frontmatter.as_date(source.meta.get("last_reviewed"))
                          for src, source in facts.pages.items()}
    # The content model, citations and shortcodes together: one failure naming every file.
    problems = content_problems(facts.pages, facts.references, facts.marker_words, embed.shortcode_problems)
    if problems:
        raise PluginError(problems)
    try:
        today = frontmatter.today()
    except ValueError as error:
        raise PluginError(str(error)) from None
    for line in overdue_reviews(facts.pages, today):  # a warning: `make check-reviews` is the gate
        review_log.warning(line)
    try:
        facts.terms = build_terms(facts.pages.get(facts.settings.glossary_page), facts.marker_words, facts.held)
    except ValueError as error:
        raise PluginError(f"Glossary problems:\n{error}") from None


def leave_out(facts: BuildFacts, files: Files, config: MkDocsConfig) -> None:
    """Pages this build leaves out (content/scope.py), dropped from the files and the nav;
    then where Get help now is, if the build kept it."""
    settings = facts.settings
    pages = {src: (source.meta, source.body) for src, source in facts.pages.items()}
    dropped = scope.dropped_pages(pages, for_clinics=settings.for_clinics, embeds=settings.embeds,
                                  uses_embeds=lambda body: bool(embed.SHORTCODE.search(body)))
    for src in sorted(dropped):
        _drop(files, src)
    clinic_pages = {src for src, (meta, _body) in pages.items() if meta.get("kind") == scope.CLINIC_KIND}
    if config.nav:
        config.nav = scope.prune_nav(config.nav, dropped, clients_first=clinic_pages if facts.clinic else set())
    help_file = files.get_file_from_path(settings.get_help_page)
    facts.help_page = settings.get_help_page if help_file else None
    facts.help_page_url = help_file.url if help_file else None


def add_records(facts: BuildFacts, files: Files, config: MkDocsConfig) -> None:
    """The API's record of each page, and an embed view (a generated page) for each embeddable
    one; without embeds, their scripts dropped. After the check: views copy checked front matter."""
    try:
        facts.records = {file.src_uri: api.record_from_meta(file.src_uri, file.url, facts.pages[file.src_uri].meta)
                         for file in files.documentation_pages()} if facts.settings.embeds else {}
    except ValueError as error:
        raise PluginError(str(error)) from None
    facts.embed_views = {}
    if facts.settings.embeds:
        for src, record in facts.records.items():
            if record.embeddable:
                view = embed_views.view_file(config, src, facts.pages[src].meta, record)
                files.append(view)
                facts.embed_views[view.src_uri] = record
    else:
        for asset in embed.ASSETS:
            _drop(files, asset)


def add_site_files(facts: BuildFacts, files: Files, config: MkDocsConfig) -> None:
    """A clinic's logo and colour sheet, robots.txt; and the `extra_css` the lean sheets
    take in (those the build copies)."""
    if facts.clinic:
        for uri, content in clinic_brand.site_files(facts.clinic, facts.attribution).items():
            source = {"abs_src_path": str(content)} if isinstance(content, Path) else {"content": content}
            files.append(File.generated(config, uri, **source))
    files.append(File.generated(config, "robots.txt", content=seo.robots_txt(config.site_url)))
    copied = {file.src_uri for file in files}
    facts.folded_css = [str(path) for path in config.extra_css if str(path) in copied]


def allow_site_code(facts: BuildFacts, files: Files, config: MkDocsConfig) -> None:
    """What pages may load code from (pages/allowed_markup.py): the theme's files, the files
    under docs/ that DOCS_CODE names (any other file there that could run or style fails the
    build), and the files the build writes itself (a clinic's sheet and logo, checked as the
    clinic file is; the deferred sheet, sprite and search index; each page's tools file)."""
    docs_dir = Path(config.docs_dir).resolve()
    theme_dirs = [Path(folder).resolve() for folder in config.theme.dirs]
    from_docs, from_theme = [], []
    # (Not the critical sheet: a published build puts it in each page's <style>; only `serve`,
    # which checks nothing, links it.)
    built = [f"{STYLES}/{DEFERRED}", SPRITE_PLACEHOLDER, WORD_INDEX]
    for file in files:
        if file.generated_by:
            built += [] if file.is_documentation_page() else [file.src_uri]
            continue
        source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if source is not None and source.is_relative_to(docs_dir):
            if not file.is_documentation_page():
                from_docs.append(file.src_uri)
        elif source is not None and any(source.is_relative_to(folder) for folder in theme_dirs):
            from_theme.append(file.src_uri)
    problems = allowed_markup.docs_file_problems(from_docs, Path(config.docs_dir).name)
    if problems:
        raise PluginError("Files under docs/ that pages may not load:\n  " + "\n  ".join(problems))
    facts.markup_rules = allowed_markup.Rules(scripts=facts.inline_patterns, prefix=facts.path_prefix,
                                              code=allowed_markup.site_code(from_theme, built))


def bundle_scripts(facts: BuildFacts, files: Files, config: MkDocsConfig) -> None:
    """Each distinct list of pages' scripts as one file named by its hash, added to the files
    (publishing/page_scripts.py); before `allow_site_code`, which allows pages what the build
    adds. Under `serve`, not minified."""
    docs_dir = Path(config.docs_dir).resolve()  # a page's tools come from docs/, never the theme's (lean.js)
    sources = {file.src_uri: file.content_string for file in _our_scripts(files, config)
               if Path(file.abs_src_path).resolve().is_relative_to(docs_dir)}
    lists = {facts.pages[file.src_uri].label: page_scripts.script_names(facts.pages[file.src_uri].meta)
             for file in files.documentation_pages() if file.src_uri in facts.pages}
    facts.page_tools, contents, problems = page_scripts.plan(lists, sources, minify=not facts.serving)
    if problems:
        raise PluginError("Pages name scripts the build does not have:\n  " + "\n  ".join(problems))
    for path, content in contents.items():
        files.append(File.generated(config, path, content=content))


def minify_scripts(facts: BuildFacts, files: Files, config: MkDocsConfig) -> None:
    """Our scripts published on their own, minified in place (not under `serve`). After
    `allow_site_code`, which reads where each file comes from (a file given new content no
    longer says) and has refused any file under docs/ not on its list."""
    if facts.serving:
        return
    for file in _our_scripts(files, config):
        file.content_string = page_scripts.minified(file.content_string) + "\n"


def _our_scripts(files: Files, config: MkDocsConfig) -> list[File]:
    """Our scripts in the build (publishing/page_scripts.py `is_ours`) from docs/ or the theme's
    overrides/: not Material's (its bundle is minified already)."""
    own = [Path(config.docs_dir).resolve()] + ([Path(config.theme.custom_dir).resolve()]
                                               if config.theme.custom_dir else [])
    return [file for file in files if page_scripts.is_ours(file.src_uri) and file.abs_src_path
            and any(Path(file.abs_src_path).resolve().is_relative_to(folder) for folder in own)]


def _drop(files: Files, src_uri: str) -> None:
    file = files.get_file_from_path(src_uri)
    if file:
        files.remove(file)


# --- nav: the reading path, computed once ------------------------------------------------------

def from_nav(facts: BuildFacts, nav: Navigation) -> None:
    """The reading path (the nav's order) and what follows from it: each page's Next step,
    the embeddable pages in order, the picker's choices, the oEmbed routes, the pages for clinics."""
    facts.reading_path = list(nav.pages)  # Next step, the API's order and the handouts follow it
    order = [page.file.src_uri for page in facts.reading_path]
    facts.in_path = frozenset(order)
    facts.next_steps = readingpath.next_steps(order, {src: facts.pages[src].meta for src in order})
    in_order = api.in_reading_order(facts.records, order)
    facts.embeddable = [record for record in in_order if record.embeddable]
    facts.picker_choices = embed_views.picker_choices(facts.embeddable, facts.site_url, facts.site_name)
    facts.oembed_routes = api.oembed_routes(facts.embeddable, facts.site_url)
    # Pages for clinics, not for a worried reader: their own styles may follow the first paint.
    # (From the front matter read in on_files: the generator reads pages after on_nav.)
    facts.late_pages = frozenset(page.file.dest_uri for page in facts.reading_path
                                 if facts.pages[page.file.src_uri].meta.get("kind") == scope.CLINIC_KIND)



# --- post_build: the CSS the pages carry ---------------------------------------------------------

def from_inline_css(facts: BuildFacts, critical: str, own: dict[str, list[str]]) -> None:
    """The policy's hashes of the CSS the build put in the pages (pages/written.py): the critical
    CSS every page holds, and a page's own (the home page's, embed views'), by its path."""
    facts.critical_style_hash = csp_hash(critical)
    facts.page_style_hashes = {dest: tuple(map(csp_hash, texts)) for dest, texts in own.items()}
