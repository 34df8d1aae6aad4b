"""The build, in order: every step our plugin adds to the generator, top to bottom.

The generator (ProperDocs, or MkDocs 1.6) calls a plugin's events in a
fixed order: startup (once per command), config, files, nav, then for each
page markdown -> content, then env and the static templates (404), then for
each page context -> post_page, then post_build. The
methods below follow that order, and each lists its steps in the order they
run, with the reason wherever the order matters. The work of each step is a
plain, unit-tested function in the module of its domain (content/, clinic/,
pages/, publishing/); this module only sequences it. What the events share
is one declared object, `BuildFacts` (plugin/facts.py), made in on_config
and completed in on_files and on_nav, each fact computed once.

In short: settle the options, load the clinic and data files -> read and check
every page's front matter once, add generated files -> record the reading path
-> content transforms (branding, crisis list, complaint routes, glossary, picker,
next step, citations) -> page HTML (API record, tooltips, clinic lines, print
links, meta line, phone contents list) -> SEO context -> written pages tidied and
their inline code checked -> API files, handouts plan, lean CSS, icon sprite,
quick search index -> security headers last.

Under `serve` (live reload) the steps that only a published site needs are
skipped, so a saved edit shows sooner: the CSS purge (pages link the sheets
whole), the icon sprite, the JSON API and oEmbed files (clinics embed from the
published site), and the security headers with the inline-code check that
decides their hashes (`make serve` sends no headers; `make build` and the
tests still fail on inline code).

One step follows the generator, outside this sequence: a build for publishing
(`make build`, `make clinic`, feeling_safe/publishing/safe_build.py) writes
each text file's compressed copies (feeling_safe/publishing/precompress.py)
once the site is whole, so live reload and the generator's own cost skip that work.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from selectolax.lexbor import LexborHTMLParser

from feeling_safe.checks.schema_check import FORMATS, Checker, is_site_address
from feeling_safe.clinic import brand as clinic_brand
from feeling_safe.clinic.file import ClinicError, clinic_log
from feeling_safe.clinic.file import load as load_clinic
from feeling_safe.clinic.file import warnings as clinic_warnings
from feeling_safe.content import (
    citations,
    complaints,
    crisis,
    frontmatter,
    glossary,
    region_text,
    scope,
    seo,
)
from feeling_safe.content.contents import (
    drop_sections,
    insert_after_summary,
    sections,
    wants_list,
)
from feeling_safe.content.reading import page_text, with_meta_line, word_count
from feeling_safe.content.readingpath import with_next_step
from feeling_safe.content.reviews import review_log
from feeling_safe.content.sources import content_problems, overdue_reviews, read_source
from feeling_safe.content.terms import build_terms
from feeling_safe.pages import html as pages_html
from feeling_safe.pages import inline_code
from feeling_safe.pages.html import RepeatedParts
from feeling_safe.pages.icon_sprite import collect_icons, move_icons, name_sprite, use_sprite, write_sprite
from feeling_safe.pages.lean_assets import (
    drop_folded_links,
    folded_extra_css,
    name_sheets,
    point_page_at,
    trim_indentation,
    write_lean_css,
    write_whole_css,
)
from feeling_safe.pages.theme_fixes import (
    add_missing_skip_link,
    drop_menu_contents,
    drop_toggle_autocomplete,
)
from feeling_safe.plugin.config import FeelingSafeConfig, Settings
from feeling_safe.plugin.facts import BuildFacts
from feeling_safe.plugin.material import bundle_script
from feeling_safe.plugin.partials import Partials
from feeling_safe.publishing import api, embed, embed_views, handouts, oembed_endpoint
from feeling_safe.publishing.quick_search import (
    QUICK_INDEX,
    SEARCH_INDEX,
    write_quick_index,
)
from feeling_safe.publishing.security_headers import (
    COMMON,
    Policies,
    headers_for,
    write_headers,
)

ROOT = Path(__file__).resolve().parents[3]
REFERENCES_FILE = ROOT / "data" / "references.yml"


class FeelingSafePlugin(BasePlugin[FeelingSafeConfig]):
    """The guide's build steps (see the module docstring for the sequence)."""

    is_serve: bool = False  # set by on_startup, once per command: kept across live reloads
    facts: BuildFacts       # made anew by each build's on_config

    # --- 0. startup: which command runs us ------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup also keeps this instance across live reloads (the generator's
        # rule), so anything a build learns lives on `facts`, made anew by each on_config.
        self.is_serve = command == "serve"

    # --- 1. config: the clinic first, then the data files ------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The clinic file first: the site name, address, logo, region, embeds and paper it
        # sets are read by every later step.
        clinic = None
        if self.config.clinic_file:
            try:
                clinic = load_clinic(self.config.clinic_file)
            except ClinicError as error:
                raise PluginError(f"Clinic file problems (see clinics/example.yml):\n{error}") from None
        settings = Settings.resolve(self.config, clinic, config.site_name)
        # The guide a clinic build adapts, as mkdocs.yml names it (before the clinic's name
        # replaces it): its licence asks for credit.
        attribution = clinic_brand.attribution(clinic, config.site_name, config.site_url) if clinic else None
        if clinic:
            for line in clinic_warnings(clinic):  # printed; the build goes on
                clinic_log.warning(line)
            clinic_brand.brand_config(config, clinic)
        if settings.embeds and not config.site_url:
            raise PluginError("mkdocs.yml: site_url is missing; embeds and the JSON feed need absolute addresses")
        if config.site_url and not is_site_address(config.site_url):
            raise PluginError(f"mkdocs.yml: site_url {config.site_url!r} is not the address of a site; "
                              f"{FORMATS['site-address'][2]}")
        # Data files, each read and checked once; a problem stops the build before any page.
        try:
            references = citations.load_references(REFERENCES_FILE)
            regions = crisis.load_regions()  # every crisis line and complaint body names a reference
            crisis_region = crisis.resolve(settings.region, regions, reference_keys=references.keys())
            complaint_routes = complaints.resolve(settings.complaint_region, settings.region,
                                                  complaints.load_routes(), references.keys(),
                                                  where=str(clinic.file) if clinic and clinic.get("complaint_region") else "")
        except ValueError as error:
            raise PluginError(f"Data file problems:\n{error}") from None
        try:  # what the theme's files say: its inline scripts (the only ones pages may carry), its bundle
            inspector = inline_code.Inspector(inline_code.allowed_patterns(config.theme.dirs))
            material_bundle = bundle_script(config.theme)
        except ValueError as error:
            raise PluginError(str(error)) from None
        partials = Partials(ROOT / "overrides")
        psypact = clinic_brand.psypact(clinic)
        names = settings.header_names
        self.facts = BuildFacts(
            settings=settings, serving=self.is_serve, clinic=clinic,
            clinic_fields=clinic_brand.public_fields(clinic) if clinic else None, attribution=attribution,
            site_name=clinic_brand.as_written(config.site_name), site_url=config.site_url or "",
            path_prefix=urlsplit(config.site_url or "").path or "/",
            share_image=clinic_brand.SHARE_CARD if clinic else seo.SHARE_IMAGE,
            references=references, crisis_region=crisis_region, complaint_routes=complaint_routes,
            psypact=psypact,
            # What this build's pages may say (<!-- only: ... --> blocks, glossary terms' `only`).
            marker_words=frozenset({*regions, region_text.PSYPACT}),
            held=region_text.facts(region_text.text_region(settings.complaint_region, settings.region),
                                   psypact=psypact),
            partials=partials, render_clinic=clinic_brand.renderer(partials, clinic) if clinic else None,
            header_names_html=partials.render(clinic_brand.HEADER_NAME, full_name=names[0], short_name=names[1])
            if names else None,
            inline_inspector=inspector, material_bundle=material_bundle,
            # Material registers its search plugin as "material/search"; a config names it "search".
            has_search=any(name.rpartition("/")[2] == "search" for name in config.plugins))
        return config

    # --- 2. files: every page's front matter once; generated files -----------------------------

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        facts, settings = self.facts, self.facts.settings
        # Read every page once; each later step takes its front matter from here.
        folder = Path(config.docs_dir).name
        checker = Checker(frontmatter.SCHEMA)  # the schema, compiled once for every page
        facts.pages = {file.src_uri: read_source(f"{folder}/{file.src_uri}", file.content_string, checker)
                       for file in files.documentation_pages()}
        facts.review_dates = {src: frontmatter.as_date(source.meta.get("last_reviewed"))
                              for src, source in facts.pages.items()}
        # Check the content model, citations and shortcodes together: one failure naming every file.
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
            facts.terms = build_terms(facts.pages.get(settings.glossary_page), facts.marker_words, facts.held)
        except ValueError as error:
            raise PluginError(f"Glossary problems:\n{error}") from None
        # Before the nav is made and embed views are added: what this build leaves out
        # (any link still pointing at a page left out then fails the strict build).
        self._leave_out(files, config)
        help_file = files.get_file_from_path(settings.get_help_page)
        facts.help_page = settings.get_help_page if help_file else None
        facts.help_page_url = help_file.url if help_file else None
        # The API's records, then the embed views: after the check, as views copy checked front matter.
        try:
            facts.records = {file.src_uri: api.record_from_meta(file.src_uri, file.url, facts.pages[file.src_uri].meta)
                             for file in files.documentation_pages()} if settings.embeds else {}
        except ValueError as error:
            raise PluginError(str(error)) from None
        facts.embed_views = {}
        if settings.embeds:
            for src, record in facts.records.items():
                if record.embeddable:
                    view = embed_views.view_file(config, src, facts.pages[src].meta, record)
                    files.append(view)
                    facts.embed_views[view.src_uri] = record
        else:
            for asset in embed.ASSETS:
                _drop(files, asset)
        if facts.clinic:
            for uri, content in clinic_brand.site_files(facts.clinic, facts.attribution).items():
                source = {"abs_src_path": str(content)} if isinstance(content, Path) else {"content": content}
                files.append(File.generated(config, uri, **source))
        files.append(File.generated(config, "robots.txt", content=seo.robots_txt(config.site_url)))
        return files

    def _leave_out(self, files: Files, config: MkDocsConfig) -> None:
        """Pages this build leaves out (content/scope.py), from the files and the nav."""
        settings = self.facts.settings
        pages = {src: (source.meta, source.body) for src, source in self.facts.pages.items()}
        dropped = scope.dropped_pages(pages, for_clinics=settings.for_clinics, embeds=settings.embeds,
                                      uses_embeds=lambda body: bool(embed.SHORTCODE.search(body)))
        for src in sorted(dropped):
            _drop(files, src)
        clinic_pages = {src for src, (meta, _body) in pages.items() if meta.get("kind") == scope.CLINIC_KIND}
        if config.nav:
            config.nav = scope.prune_nav(config.nav, dropped, clients_first=clinic_pages if self.facts.clinic else set())

    # --- 3. nav: the reading path, computed once ---------------------------------------------

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        facts = self.facts
        facts.reading_path = list(nav.pages)  # Next step, the API's order and the handouts follow it
        facts.in_path = frozenset(page.file.src_uri for page in facts.reading_path)
        in_order = api.in_reading_order(facts.records, [page.file.src_uri for page in facts.reading_path])
        facts.embeddable = [record for record in in_order if record.embeddable]
        facts.picker_choices = embed_views.picker_choices(facts.embeddable, facts.site_url, facts.site_name)
        facts.oembed_routes = api.oembed_routes(facts.embeddable, facts.site_url)
        # Pages for clinics, not for a worried reader: their own styles may follow the first paint.
        # (From the front matter read in on_files: the generator reads pages after on_nav.)
        facts.late_pages = frozenset(page.file.dest_uri for page in facts.reading_path
                                     if facts.pages[page.file.src_uri].meta.get("kind") == scope.CLINIC_KIND)
        return nav

    # --- 4. each page's Markdown ---------------------------------------------------------------

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        facts, settings, src = self.facts, self.facts.settings, page.file.src_uri
        view_of = facts.embed_views.get(src)
        if view_of:  # early: the print line and <link rel="canonical"> point at the full page
            page.canonical_url = urljoin(facts.site_url, view_of.url)
            return markdown  # empty: its article comes from its page (on_page_content)
        # Passages this build leaves out go first (about pages it drops, or for other regions),
        # then branding: all decide what the later steps read.
        markdown = scope.keep_passages(markdown, {"for-clinics": settings.for_clinics, "embeds": settings.embeds})
        markdown = region_text.keep_fitting(markdown, facts.held)
        markdown = clinic_brand.brand_or_strip(markdown, facts.render_clinic)
        markdown = crisis.insert_numbers(markdown, facts.crisis_region)
        markdown = crisis.insert_line(markdown, facts.crisis_region, crisis.help_link(src, facts.help_page))
        markdown = complaints.insert_routes(markdown, facts.complaint_routes, facts.clinic_fields)
        if src == settings.glossary_page and facts.terms:
            markdown = glossary.insert_glossary(markdown, facts.terms)
        # A build without embeds has left out every page that shows the picker (content/scope.py).
        markdown = embed_views.expand_picker(markdown, facts.partials, facts.picker_choices, facts.site_url, page.url)
        # Next step before citations: Sources must stay the page's last section.
        markdown = with_next_step(markdown, src, page.meta.get("kind"), self._next_step_target(page))
        return citations.cite(markdown, facts.references)

    def _next_step_target(self, page: Page) -> tuple[str, str, str] | None:
        """(src_uri, title, description) of the page after this one on the reading path, round
        to the first; None off the path."""
        if page.file.src_uri not in self.facts.in_path:
            return None
        target = page.next_page or self.facts.reading_path[0]
        if target is page:
            return None
        meta = self.facts.pages[target.file.src_uri].meta
        return target.file.src_uri, meta["title"], meta["description"]

    # --- 5. each page's HTML -------------------------------------------------------------------

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        facts, src = self.facts, page.file.src_uri
        view_of = facts.embed_views.get(src)
        if view_of:
            # Its page's finished article, without the reading path's Next step, and its contents
            # list (the skip link targets its first heading). Pages are built before their views
            # (the views were added after every page).
            found = facts.articles.get(embed.source_of(view_of.slug))
            if found is None:
                raise PluginError(f"embed view of {view_of.url} was built before its page")
            article, page.toc = found
            return embed_views.view_article(article, urljoin(facts.site_url, view_of.url))
        # Measure and publish the article before anything is added to it: the reading
        # time and the API's html are the writer's text, not the build's lines.
        words = word_count(page_text(html))
        if src in facts.records and not facts.serving:  # the API's article: only a published site has the API
            facts.records[src] = embed_views.with_article(facts.records[src], html, words,
                                                          urljoin(facts.site_url, page.url))
        if src != facts.settings.glossary_page:
            html = glossary.annotate(html, facts.terms)
        if facts.clinic:
            html = clinic_brand.brand_page_html(html, facts.render_clinic, bool(facts.clinic.get("reviewer")))
        # Print addresses after the clinic lines, so their links show on paper too.
        page_address = page.canonical_url or page.abs_url or page.url
        if facts.settings.handouts and page.meta.get("kind") in handouts.HANDOUT_KINDS and src in facts.in_path:
            # Only reading-path pages (in the nav) get a handout; embed views and the like do not.
            facts.handout_plan[src] = handouts.plan_entry(page.url, page.meta.get("title") or page.title,
                                                          page_address, page.file.dest_uri,
                                                          page.meta.get("last_reviewed"),
                                                          page.meta.get("handout_pages"))
        html = handouts.annotate_links(html, page_address)
        if not facts.settings.presentation:
            return html
        # The meta line and the phone contents list last: nothing above may count, tooltip or move them.
        html = with_meta_line(html, page.meta, words, facts.partials)
        if src in facts.records and facts.records[src].embeddable:
            facts.articles[src] = (html, page.toc)  # its embed view's article: no contents list in a frame
        if page.meta.get("kind") == "home":  # a welcome with doors: no contents list, in the menu either
            drop_sections(page.toc)
            return html
        found = sections(page.toc)
        if not wants_list(page.meta, words, found):
            return html
        return insert_after_summary(html, facts.partials.render("on-this-page.html", sections=found))

    # --- 6. templates: what every template is given; the static ones (404) ------------------

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        facts = self.facts
        # A small fixture site may have no get-help page; the line then has no "more" link.
        env.globals["get_help"] = {"lines": facts.crisis_region["lines"], "page_url": facts.help_page_url}
        env.globals["clinic"] = facts.clinic_fields
        env.globals["attribution"] = facts.attribution
        env.globals["clinic_icons"] = {"png": clinic_brand.FAVICON_PNG, "touch": clinic_brand.TOUCH_ICON} \
            if facts.clinic else None
        env.globals["material_bundle"] = facts.material_bundle
        env.globals["quick_search"] = QUICK_INDEX if facts.has_search else None
        return env

    def on_template_context(self, context: dict, template_name: str, config: MkDocsConfig) -> dict:
        if template_name == "404.html":
            context["seo"] = seo.not_found_seo(site_name=self.facts.site_name, description=config.site_description)
        return context

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """Static templates (404.html) skip on_post_page."""
        if not template_name.endswith(".html") or not self.facts.settings.presentation:
            return output
        output, checked = _tidy(output, self.facts.repeated_parts, prepare=self._preparer(config, template_name),
                                kind=str(template_name in self.facts.late_pages))
        if not self.facts.serving:  # the policy's hashes: `serve` sends no headers
            self.facts.check_inline(checked, f"overrides/{template_name}", None, "site")
        return output

    # --- 7. each page's template context --------------------------------------------------------

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        facts, src = self.facts, page.file.src_uri
        view_of = facts.embed_views.get(src)
        page_src = embed.source_of(view_of.slug) if view_of else src  # an embed view's dates are its page's
        if view_of:
            context["embed_view"] = {"full_url": page.canonical_url, "last_reviewed": str(view_of.last_reviewed),
                                     "last_reviewed_text": facts.reviewed_text(page_src)}
        elif src in facts.records and facts.records[src].embeddable:
            context["oembed_link"] = {"href": urljoin(facts.site_url, api.oembed_path(facts.records[src].slug)),
                                      "title": facts.records[src].title}
        plan = facts.handout_plan.get(src)
        if plan:
            context["handout"] = handouts.links(plan["slug"])
        reviewed = facts.review_dates.get(page_src)
        context["reviewed_text"] = facts.reviewed_text(page_src)  # the print line
        context["seo"] = seo.page_seo(
            title=page.meta.get("title") or page.title or "",
            description=page.meta.get("description") or config.site_description, url=page.canonical_url,
            last_reviewed=str(reviewed) if reviewed else None, kind=page.meta.get("kind", ""),
            site_name=facts.site_name, site_url=config.site_url, language=config.theme.get("language", "en"),
            image=facts.share_image, is_home=page.is_homepage,
            reviewer=facts.clinic.get("reviewer") if facts.clinic else None)
        return context

    # --- 8. written pages: tidied as they are written ----------------------------------------------

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        facts = self.facts
        view_of = facts.embed_views.get(page.file.src_uri)
        frame_url = urljoin(facts.site_url, page.url) if view_of else None  # every link leaves the frame
        if not facts.settings.presentation:
            return embed.frame_links(output, frame_url) if frame_url else output
        if facts.header_names_html:  # (the names' markup has no indentation for the tidy to trim)
            output = clinic_brand.header_names(output, facts.header_names_html)
        # One parse of the page for everything done to it as it is written.
        dest = page.file.dest_uri
        output, checked = _tidy(output, facts.repeated_parts, frame_url=frame_url,
                                prepare=self._preparer(config, dest), kind=str(dest in facts.late_pages))
        if facts.serving:  # the checks below are for the policy's headers, which `serve` does not send
            return output
        # The page as written (less the parts an earlier page's check covered): its inline
        # code decides the policy's hashes, or fails the build.
        source = facts.pages[embed.source_of(view_of.slug) if view_of else page.file.src_uri]
        facts.check_inline(checked, source.label + (" (embed view)" if view_of else ""), source,
                           "embed" if view_of else "site")
        return output

    def _preparer(self, config: MkDocsConfig, dest: str) -> Callable[[LexborHTMLParser], None] | None:
        """What a published build does to a page's tree as it is written, for post_build:
        the names the CSS purge needs, read before the icons move (the purge reads their
        markup as it is); the icons moved to the sprite's placeholder; the links to the
        folded-in extra_css dropped. None under `serve`: pages link the sheets whole."""
        facts = self.facts
        if facts.serving:
            return None
        if facts.folded_css is None:  # the static files are copied before any page is written
            facts.folded_css = folded_extra_css(Path(config.site_dir), [str(path) for path in config.extra_css])

        def prepare(page: LexborHTMLParser) -> None:
            facts.page_names[dest in facts.late_pages].add_tree(page)
            drop_folded_links(page, facts.folded_css)
            move_icons(page, facts.icons)
            facts.prepared.add(dest)
        return prepare

    # --- 9. after every page: outputs that need them all, headers last ----------------------------

    def on_post_build(self, config: MkDocsConfig) -> None:
        facts, settings, site_dir = self.facts, self.facts.settings, Path(config.site_dir)
        if settings.embeds and not facts.serving:  # the JSON API, and each host's side of /api/v1/oembed?url=
            in_order = api.in_reading_order(facts.records, [page.file.src_uri for page in facts.reading_path])
            api.write_site_files(site_dir, {
                **api.api_files(in_order, facts.site_name, facts.site_url,
                                lambda record: embed_views.snippet_for(record, facts.partials, facts.site_url,
                                                                       facts.site_name)),
                **api.served_schemas(facts.site_url),
                **oembed_endpoint.host_files(facts.path_prefix, facts.oembed_routes)})
        if settings.handouts:  # the plan `make handouts` prints, in reading order
            plan = [facts.handout_plan[p.file.src_uri] for p in facts.reading_path if p.file.src_uri in facts.handout_plan]
            manifest = handouts.manifest(plan, facts.site_name, config.site_description or "", facts.clinic_fields,
                                         settings.paper, attribution=facts.attribution,
                                         logo=clinic_brand.logo_uri(facts.clinic) if facts.clinic else None)
            api.write_site_files(site_dir, {handouts.MANIFEST: json.dumps(manifest, indent=1)})
        if not settings.presentation:
            return
        if facts.inline_problems:  # injected code would otherwise run under the policy
            raise PluginError("Inline code the Content-Security-Policy will not run (pages may run only the "
                              "guide's own scripts; remove it or move it into a script file):\n  "
                              + "\n  ".join(facts.inline_problems))
        extra_css = folded_extra_css(site_dir, [str(path) for path in config.extra_css])
        try:
            if facts.serving:  # live reload: the sheets whole, where pages link them; no headers
                write_whole_css(site_dir, extra_css)
                self._write_quick_index(site_dir)
                return
            # The CSS purge needs every written page, so it follows everything that writes pages.
            # Pages written through on_post_page were read as they were written (`_preparer`);
            # any other page is read here, and rewritten below.
            prepared = frozenset(facts.prepared)
            names = write_lean_css(site_dir, extra_css, facts.late_pages, facts.page_names, prepared)
            # Before the headers (which name the sprite): the icons leave every page for one cached file.
            sprite = write_sprite(site_dir, {**collect_icons(site_dir, prepared), **facts.icons})
            for dest in sorted(prepared):  # the addresses left for the names, in the page's bytes
                path = site_dir / dest
                written = path.read_bytes()
                named = name_sheets(written, names)
                named = name_sprite(named, sprite) if sprite is not None else named
                if named != written:
                    path.write_bytes(named)
            pages_html.rewrite_pages(site_dir, lambda page: point_page_at(page, names, extra_css)
                                     | (sprite is not None and use_sprite(page, sprite)), skip=prepared)
            self._write_quick_index(site_dir)
            # Last: the headers name every file the build wrote, with the policy of its pages,
            # under the site's folder on its host (`/`, or `/guide/` for a sub-path site).
            policies = Policies.from_scripts(facts.inline_scripts["site"], facts.inline_scripts["embed"])
            endpoint = []
            if settings.embeds:  # nginx's side of /api/v1/oembed?url= (Netlify's is _redirects)
                endpoint = oembed_endpoint.nginx_location(
                    facts.path_prefix, facts.oembed_routes,
                    [*COMMON.items(), *headers_for(oembed_endpoint.ENDPOINT, policies)],
                    embed.FRAME_WIDTH, embed.FRAME_HEIGHT)
            write_headers(site_dir, policies, facts.path_prefix, endpoint)
        except ValueError as error:
            raise PluginError(str(error)) from None

    def _write_quick_index(self, site_dir: Path) -> None:
        # From Material's search index, which the search plugin (listed before ours) has written.
        if not write_quick_index(site_dir) and self.facts.has_search:
            raise ValueError(f"{QUICK_INDEX}: no {SEARCH_INDEX} to make it from; in mkdocs.yml, "
                             "list the search plugin before feeling-safe under plugins")


def _tidy(output: str, repeated: RepeatedParts, *, frame_url: str | None = None,
          prepare: Callable[[LexborHTMLParser], None] | None = None, kind: str = "") -> tuple[str, str]:
    """Material's markup fixed where no block reaches it, and template indentation trimmed
    (one parse of the page, feeling_safe/pages/html.py); an embed view's links sent out of
    the frame; then what `prepare` does for post_build. Parts of the page done on an
    earlier page (the nav's other sections) are set aside and put back as they were done.
    Returns (the page as written, the page with those parts left out, for its checks)."""
    page = pages_html.parse(output)
    if frame_url:
        embed.frame_tree_links(page, frame_url)
    for fix in (drop_toggle_autocomplete, drop_menu_contents, add_missing_skip_link):
        fix(page)
    aside, new = repeated.set_aside(page, kind)
    trim_indentation(page)
    if prepare:
        prepare(page)
    repeated.remember(new)
    checked = pages_html.serialize(page)
    return repeated.put_back(checked, aside), checked


def _drop(files: Files, src_uri: str) -> None:
    file = files.get_file_from_path(src_uri)
    if file:
        files.remove(file)
