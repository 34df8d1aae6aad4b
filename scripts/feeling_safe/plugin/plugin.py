"""The build, in order: every step our plugin adds to the generator, top to bottom.

The generator (ProperDocs, or MkDocs 1.6) calls a plugin's events in a
fixed order: config, files, nav, then for each page markdown -> content ->
context -> post_page, then post_build. The methods below follow that order,
and each lists its steps in the order they run, with the reason wherever
the order matters. The work of each step is a plain, unit-tested function in
scripts/; this module only sequences it and keeps the build's facts (the
clinic, the data files, every page's front matter, the nav order), each
computed once, on the plugin instance.

In short: load the clinic and data files and every page's front matter once
-> content transforms (branding, crisis list, complaint routes, glossary,
picker, next step, citations) -> page metadata (reading time, API record, tooltips, print
links, clinic lines, phone contents list, meta line) -> SEO context -> written pages tidied ->
API files, handouts plan, lean CSS, icon sprite, quick search index -> security headers last.

One step follows the generator, outside this sequence: a build for publishing
(`make build`, `make clinic`, scripts/feeling_safe/publishing/safe_build.py) writes each text file's
compressed copies for the server (scripts/feeling_safe/publishing/precompress.py) once the site is
whole, so live reload and the generator's own cost skip that work.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from feeling_safe.publishing import api
from feeling_safe.clinic import images as brand_images
from feeling_safe.content import citations
from feeling_safe.clinic import brand as clinic_brand
from feeling_safe.content import complaints
from feeling_safe.content import contents
from feeling_safe.content import crisis
from feeling_safe.publishing import embed
from feeling_safe.content import frontmatter
from feeling_safe.content import glossary
from feeling_safe.publishing import handouts
from feeling_safe.pages import html as pages_html
from feeling_safe.pages import inline_code
from feeling_safe.publishing import oembed_endpoint
from feeling_safe.content import region_text
from feeling_safe.content import scope
from feeling_safe.content import seo
from feeling_safe.clinic.file import Clinic, ClinicError, clinic_log, load as load_clinic, warnings as clinic_warnings
from feeling_safe.content.dates import human_date
from feeling_safe.pages.lean_assets import folded_extra_css, point_page_at, trim_indentation, write_lean_css
from feeling_safe.plugin.material import bundle_script
from feeling_safe.plugin.partials import Partials
from feeling_safe.content.reading import article_fragment, page_text, reading_minutes, word_count
from feeling_safe.content.readingpath import next_step_section
from feeling_safe.content.reviews import review_log
from feeling_safe.checks.schema_check import FORMATS, Checker, is_site_address
from feeling_safe.pages.icon_sprite import collect_icons, use_sprite, write_sprite
from feeling_safe.publishing.quick_search import QUICK_INDEX, SEARCH_INDEX, write_quick_index
from feeling_safe.publishing.security_headers import COMMON, Policies, headers_for, write_headers
from feeling_safe.pages.theme_fixes import add_missing_skip_link, drop_menu_contents, drop_toggle_autocomplete

ROOT = Path(__file__).resolve().parents[3]
REFERENCES_FILE = ROOT / "data" / "references.yml"


class FeelingSafeConfig(Config):
    """The plugin's settings in mkdocs.yml; the one place their defaults live."""

    clinic_file = c.Optional(c.Type(str))       # a clinic build (make clinic): brands the whole site
    crisis_region = c.Type((str, dict), default="us")  # us | uk | ie | ca | au, or a region mapping
    complaint_region = c.Optional(c.Type((str, dict)))  # whose complaint bodies; default: crisis_region
    embeds = c.Type(bool, default=True)          # embed views, embed.js and the JSON API
    for_clinics = c.Type(bool, default=True)     # pages for clinics (kind: clinic); a clinic file's default: false
    handouts = c.Type(bool, default=False)       # link each explainer's PDF (make handouts)
    paper = c.Choice(("a4", "letter"), default="a4")
    get_help_page = c.Type(str, default="get-help-now.md")
    glossary_page = c.Type(str, default="glossary.md")   # its `terms:` feed the tooltips
    share_image = c.Type(str, default=seo.SHARE_IMAGE)
    # The site name's short form for the header on phones, when site_name would be cut there
    # (a clinic build takes its clinic file's short_name).
    short_name = c.Optional(c.Type(str))
    # `make bench`'s baseline: plain Material given the same article HTML (content steps
    # only), without our presentation (meta line, embeds, SEO, lean CSS, headers).
    content_only = c.Type(bool, default=False)


@dataclass(frozen=True)
class Settings:
    """What this build does, settled once: the plugin's settings, with a clinic file's choices on top."""

    embeds: bool
    for_clinics: bool
    handouts: bool
    paper: str
    region: Any
    complaint_region: Any
    presentation: bool
    header_names: tuple[str, str] | None  # (name, short form) when phones show the short form

    @classmethod
    def resolve(cls, options: FeelingSafeConfig, clinic: Clinic | None, site_name: str) -> Settings:
        own = clinic.data if clinic else {}
        presentation = not options.content_only
        name, short = (own["name"], own["short_name"]) if clinic else (site_name, options.short_name)
        # A clinic's site is for its clients: pages for clinics only if its file asks for them.
        for_clinics = own.get("for_clinics", False) if clinic else options.for_clinics
        return cls(embeds=own.get("embeds", options.embeds) and presentation, handouts=options.handouts,
                   for_clinics=for_clinics,
                   presentation=presentation, complaint_region=own.get("complaint_region", options.complaint_region),
                   paper=own.get("paper", options.paper),
                   header_names=(name, short) if short and clinic_brand.cut_on_phones(name) else None,
                   region=clinic_brand.crisis_region(clinic) if clinic else options.crisis_region)


@dataclass(frozen=True)
class PageSource:
    """A page's front matter and Markdown, read and checked once."""

    label: str   # docs/what-it-is.md, for messages
    meta: dict[str, Any]
    body: str
    problems: list[str]
    body_line: int = 0  # lines of the file before the body (the front matter), for line numbers


class FeelingSafePlugin(BasePlugin[FeelingSafeConfig]):
    """The guide's build steps (see the module docstring for the sequence)."""

    # --- 1. config: the clinic first, then the data files -------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The clinic file first: the site name, address, logo, region, embeds and paper it
        # sets are read by every later step.
        self.clinic = self._load_clinic(self.config.clinic_file)
        self.settings = Settings.resolve(self.config, self.clinic, config.site_name)
        # The guide a clinic build adapts, as mkdocs.yml names it: its licence asks for credit.
        self.attribution = clinic_brand.attribution(self.clinic, config.site_name, config.site_url) \
            if self.clinic else None
        self.share_image = self.config.share_image
        if self.clinic:
            for line in clinic_warnings(self.clinic):  # printed; the build goes on
                clinic_log.warning(line)
            self._brand_config(config, self.clinic)
            self.share_image = clinic_brand.SHARE_CARD
        if self.settings.embeds and not config.site_url:
            raise PluginError("mkdocs.yml: site_url is missing; embeds and the JSON feed need absolute addresses")
        if config.site_url and not is_site_address(config.site_url):
            raise PluginError(f"mkdocs.yml: site_url {config.site_url!r} is not the address of a site; "
                              f"{FORMATS['site-address'][2]}")
        # Data files, each read and checked once; a problem stops the build before any page.
        try:
            self.references = citations.load_references(REFERENCES_FILE)
            sources = self.references.keys()  # every crisis line and complaint body names one
            regions = crisis.load_regions()
            self.region = crisis.resolve(self.settings.region, regions, reference_keys=sources)
            self.complaint_routes = complaints.resolve(self.settings.complaint_region, self.settings.region,
                                                       complaints.load_routes(), sources)
        except ValueError as error:
            raise PluginError(f"Data file problems:\n{error}") from None
        # What this build's pages may say (<!-- only: ... --> blocks, glossary terms' `only`).
        self.marker_words = {*regions, region_text.PSYPACT}
        self.held = region_text.facts(region_text.text_region(self.settings.complaint_region, self.settings.region),
                                      psypact=self._psypact())
        self.partials = Partials(ROOT / "overrides")
        # Where a phone would cut the site name: the header's two names, rendered once.
        self.header_names_html = self.partials.render(
            clinic_brand.HEADER_NAME, full_name=self.settings.header_names[0],
            short_name=self.settings.header_names[1]) if self.settings.header_names else None
        try:  # the inline scripts the theme's and our templates write: the only ones pages may carry
            self.inline_inspector = inline_code.Inspector(inline_code.allowed_patterns(config.theme.dirs))
        except ValueError as error:
            raise PluginError(str(error)) from None
        self.render_clinic = clinic_brand.renderer(self.partials, self.clinic) if self.clinic else None
        self.site_name = clinic_brand.as_written(config.site_name)
        return config

    def _psypact(self) -> bool:
        online = (self.clinic.get("sees_clients") or {}).get("online") or {} if self.clinic else {}
        return online.get("psypact") is True

    @staticmethod
    def _load_clinic(clinic_file: str | None) -> Clinic | None:
        if not clinic_file:
            return None
        try:
            return load_clinic(clinic_file)
        except ClinicError as error:
            raise PluginError(f"Clinic file problems (see clinics/example.yml):\n{error}") from None

    @staticmethod
    def _brand_config(config: MkDocsConfig, clinic: Clinic) -> None:
        config.site_name = clinic_brand.ThemeText(clinic["name"])  # Material prints it unescaped
        config.site_url = clinic.base_url
        config.theme["logo"] = clinic_brand.header_logo_uri(clinic)
        config.theme["favicon"] = clinic_brand.favicon_uri(clinic)
        config.extra_css.append(clinic_brand.CSS)

    # --- 2. files: every page's front matter once; generated files ---------------------

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        folder = Path(config.docs_dir).name
        # Read every page once; each later step takes its front matter from here.
        checker = Checker(frontmatter.SCHEMA)  # the schema, compiled once for every page
        self.pages = {file.src_uri: self._read(f"{folder}/{file.src_uri}", file, checker)
                      for file in files.documentation_pages()}
        # Check the content model, citations and shortcodes together: one failure naming every file.
        self._check_content()
        self._warn_overdue_reviews()
        # Before the nav is made and embed views are added: what this build leaves out.
        self._leave_out(files, config)
        self.terms = self._glossary_terms()
        self.embed_views: dict[str, api.PageRecord] = {}  # an embed view's src_uri -> its full page
        self.records: dict[str, api.PageRecord] = {}      # what the API says of each page
        self.handout_plan: dict[str, dict] = {}          # filled as explainer pages render
        self.articles: dict[str, tuple] = {}              # each embeddable page's finished article and toc
        self.inline_scripts = {"site": set(), "embed": set()}  # allowed inline scripts found, per policy
        self.inline_problems: list[str] = []             # every other inline script, handler or style
        if self.settings.embeds:
            self._add_embed_views(files, config)  # after the check: views copy checked front matter
        else:
            for asset in embed.ASSETS:
                self._drop(files, asset)
        if self.clinic:
            self._add_clinic_assets(files, config, self.clinic)
        files.append(File.generated(config, "robots.txt", content=seo.robots_txt(config.site_url)))
        return files

    def _add_clinic_assets(self, files: Files, config: MkDocsConfig, clinic: Clinic) -> None:
        """The logo (and its light version), icons, share card and colour sheet, drawn here
        without a browser or the network (scripts/feeling_safe/clinic/images.py)."""
        logo = clinic.logo_file
        pictures = {clinic_brand.logo_uri(clinic): logo}
        if clinic.on_primary_file:
            pictures[clinic_brand.header_logo_uri(clinic)] = clinic.on_primary_file
        for uri, source in pictures.items():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        credit = f"Adapted from {self.attribution['guide_name']} · {self.attribution['licence']}"
        drawn = {
            clinic_brand.FAVICON_PNG: brand_images.favicon_png(logo),
            clinic_brand.TOUCH_ICON: brand_images.touch_icon_png(logo, clinic["logo"].get("background")),
            clinic_brand.SHARE_CARD: brand_images.share_card(clinic["name"], clinic_brand.CARD_TAGLINE, credit,
                                                             clinic["colours"]["primary"], clinic["colours"]["accent"],
                                                             logo),
            clinic_brand.CSS: clinic_brand.theme_css(clinic),
        }
        for uri, content in drawn.items():
            files.append(File.generated(config, uri, content=content))

    @staticmethod
    def _read(label: str, file: File, checker: Checker) -> PageSource:
        text = file.content_string
        meta, body = frontmatter.split_page(text)
        return PageSource(label, meta, body, frontmatter.page_problems(label, text, meta, checker=checker),
                          body_line=text.count("\n") - body.count("\n"))

    def _check_content(self) -> None:
        found = [problem for source in self.pages.values() for problem in source.problems]
        cites = [f"{s.label}: unknown citation key '{key}' (not in data/references.yml)"
                 for s in self.pages.values() for key in citations.unknown_keys(s.body, self.references)]
        codes = [p for s in self.pages.values() for p in embed.shortcode_problems(s.label, s.body)]
        markers = [p for s in self.pages.values() for p in scope.marker_problems(s.label, s.body, s.body_line + 1)]
        only = [p for s in self.pages.values() for p in region_text.marker_problems(s.label, s.body, self.marker_words)]
        sections = [("Front matter problems (see CONTRIBUTING.md)", found), ("Citation problems", cites),
                    ("Unknown embed shortcodes", codes), ("Unmatched passage markers (see CONTRIBUTING.md)", markers),
                    ("Region markers (see CONTRIBUTING.md)", only)]
        message = "\n".join(f"{title}:\n  " + "\n  ".join(lines) for title, lines in sections if lines)
        if message:
            raise PluginError(message)

    def _warn_overdue_reviews(self) -> None:
        # A visible warning, not a strict-build failure: `make check-reviews` is the gate.
        try:
            on = frontmatter.today()
        except ValueError as error:
            raise PluginError(str(error)) from None
        for source in self.pages.values():
            if frontmatter.overdue(source.meta, on):
                review_log.warning("%s: next_review was %s; check the page against its sources, "
                                   "then update last_reviewed and next_review", source.label,
                                   source.meta["next_review"])

    def _glossary_terms(self) -> list[glossary.Term]:
        source = self.pages.get(self.config.glossary_page)
        if source is None:  # a small fixture site may have no glossary
            return []
        try:
            terms = glossary.load_terms(source.label, source.meta.get("terms"))
        except ValueError as error:
            raise PluginError(f"Glossary problems:\n{error}") from None
        unknown = [f"{source.label}: term '{t.term}': only names {word!r}; use {', '.join(sorted(self.marker_words))}"
                   for t in terms for word in t.only if word not in self.marker_words]
        if unknown:
            raise PluginError("Glossary problems:\n" + "\n".join(unknown))
        return [term for term in terms if region_text.fits(term.only, self.held)]

    def _add_embed_views(self, files: Files, config: MkDocsConfig) -> None:
        for file in list(files.documentation_pages()):
            source = self.pages[file.src_uri]
            record = api.record_from_meta(file.src_uri, file.url, source.meta)
            self.records[file.src_uri] = record
            if record.embeddable:
                # No body: the view shows its page's finished article (on_page_content), so the
                # page's Markdown is rendered once, not twice.
                view = File.generated(config, embed.embed_src_uri(file.src_uri),
                                      content=embed.embed_page_source(source.meta, ""),
                                      inclusion=InclusionLevel.NOT_IN_NAV)
                view.dest_uri = embed.embed_dest_uri(record.slug)
                files.append(view)
                self.embed_views[view.src_uri] = record

    def _leave_out(self, files: Files, config: MkDocsConfig) -> None:
        """Pages this build leaves out (scripts/feeling_safe/content/scope.py), from the files and the nav; any link
        still pointing at one then fails the strict build."""
        pages = {src: (source.meta, source.body) for src, source in self.pages.items()}
        dropped = scope.dropped_pages(pages, for_clinics=self.settings.for_clinics, embeds=self.settings.embeds,
                                      uses_embeds=lambda body: bool(embed.SHORTCODE.search(body)))
        for src in sorted(dropped):
            self._drop(files, src)
        clinic_pages = {src for src, (meta, _body) in pages.items() if meta.get("kind") == scope.CLINIC_KIND}
        if config.nav:
            config.nav = scope.prune_nav(config.nav, dropped, clients_first=clinic_pages if self.clinic else set())

    @staticmethod
    def _drop(files: Files, src_uri: str) -> None:
        file = files.get_file_from_path(src_uri)
        if file:
            files.remove(file)

    # --- 3. nav: the reading path, computed once -----------------------------------------

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.reading_path = list(nav.pages)  # Next step, the API's order and the handouts follow it
        self.in_path = {page.file.src_uri for page in self.reading_path}
        return nav

    # --- 4. each page's Markdown ------------------------------------------------------------

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        view_of = self.embed_views.get(src)
        if view_of:  # early: the print line and <link rel="canonical"> point at the full page
            page.canonical_url = urljoin(config.site_url, view_of.url)
            return markdown  # empty: its article comes from its page (on_page_content)
        # Passages this build leaves out go first (about pages it drops, or for other regions),
        # then branding: all decide what the later steps read.
        markdown = scope.keep_passages(markdown, {"for-clinics": self.settings.for_clinics,
                                                  "embeds": self.settings.embeds})
        markdown = region_text.keep_fitting(markdown, self.held)
        markdown = self._brand_markdown(markdown)
        markdown = crisis.insert_numbers(markdown, self.region)
        markdown = crisis.insert_line(markdown, self.region, self._help_link(src, files))
        markdown = complaints.insert_routes(markdown, self.complaint_routes,
                                            clinic_brand.public_fields(self.clinic) if self.clinic else None)
        if src == self.config.glossary_page and self.terms:
            markdown = glossary.insert_glossary(markdown, self.terms)
        markdown = self._expand_shortcodes(markdown, page, config)
        # Next step before citations: Sources must stay the page's last section.
        markdown = self._next_step(markdown, page)
        return self._cite(markdown)

    def _help_link(self, src: str, files: Files) -> str | None:
        # A Markdown link from this page to Get help now (the generator resolves it), if the site has one.
        if not files.get_file_from_path(self.config.get_help_page):
            return None
        return posixpath.relpath(self.config.get_help_page, posixpath.dirname(src) or ".")

    def _brand_markdown(self, markdown: str) -> str:
        if not self.clinic:
            return clinic_brand.strip_markers(markdown)
        return clinic_brand.brand_markdown(markdown, self.render_clinic)

    def _expand_shortcodes(self, markdown: str, page: Page, config: MkDocsConfig) -> str:
        # A build without embeds has left out every page that shows the picker (scripts/feeling_safe/content/scope.py).
        if not embed.SHORTCODE.search(markdown):
            return markdown
        return embed.expand_shortcodes(markdown, {"picker": self._picker(config, embed.relative_root(page.url))})

    def _picker(self, config: MkDocsConfig, base: str) -> str:
        choices = [{"slug": record.slug, "title": record.title, "frame_title": self._frame_title(record),
                    "embed_url": urljoin(config.site_url, embed.embed_path(record.slug)),
                    "page_url": urljoin(config.site_url, record.url)}
                   for record in self._in_reading_order() if record.embeddable]
        return embed.page_picker(self.partials, choices, urljoin(config.site_url, embed.SCRIPT_PATH), base)

    def _frame_title(self, record: api.PageRecord) -> str:
        return embed.frame_title(record.title, self.site_name)

    def _in_reading_order(self) -> list[api.PageRecord]:
        return api.in_reading_order(self.records, [p.file.src_uri for p in self.reading_path])

    def _next_step(self, markdown: str, page: Page) -> str:
        # Help pages end without one: a reader in crisis is not on a reading path.
        if page.file.src_uri not in self.in_path or page.meta.get("kind") == "help":
            return markdown
        target = page.next_page or self.reading_path[0]
        if target is page:
            return markdown
        meta = self.pages[target.file.src_uri].meta
        section = next_step_section(page.file.src_uri, target.file.src_uri, meta["title"], meta["description"])
        return markdown.rstrip() + "\n\n" + section

    def _cite(self, markdown: str) -> str:
        keys = citations.cited_keys(markdown)
        if not keys:
            return markdown
        return (citations.link_citations(markdown, self.references).rstrip() + "\n\n"
                + citations.sources_section(keys, self.references))

    # --- 5. each page's HTML ------------------------------------------------------------

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        view_of = self.embed_views.get(src)
        if view_of:
            return self._embed_article(view_of, page, config)
        # Measure and publish the article before anything is added to it: the reading
        # time and the API's html are the writer's text, not the build's lines.
        words = word_count(page_text(html))
        self._record_article(page, html, words, config)
        if src != self.config.glossary_page:
            html = glossary.annotate(html, self.terms)
        if self.clinic:
            html = clinic_brand.brand_page_html(html, self.render_clinic, bool(self.clinic.get("reviewer")))
        # Print addresses after the clinic lines, so their links show on paper too.
        page_address = page.canonical_url or page.abs_url or page.url
        self._plan_handout(page, page_address)
        html = handouts.annotate_links(html, page_address)
        if not self.settings.presentation:
            return html
        # The meta line and the phone contents list last: nothing above may count, tooltip or move them.
        html = self._add_meta_line(html, page, words)
        if src in self.records and self.records[src].embeddable:
            self.articles[src] = (html, page.toc)  # its embed view's article: no contents list in a frame
        return self._add_phone_contents(html, page, words)

    def _add_phone_contents(self, html: str, page: Page, words: int) -> str:
        if page.meta.get("kind") == "home":  # a welcome with doors: no contents list, in the menu either
            contents.drop_sections(page.toc)
            return html
        found = contents.sections(page.toc)
        if not contents.wants_list(page.meta, words, found):
            return html
        return contents.insert_after_summary(html, self.partials.render("on-this-page.html", sections=found))

    def _embed_article(self, view_of: api.PageRecord, page: Page, config: MkDocsConfig) -> str:
        """An embed view's article: its page's, finished, without the reading path's Next step,
        with every link made absolute from the page's address (the view lives elsewhere), and
        its page's contents list (the skip link targets its first heading).
        Pages are built before their views (the views were added after every page)."""
        found = self.articles.get(embed.source_of(view_of.slug))
        if found is None:
            raise PluginError(f"embed view of {view_of.url} was built before its page")
        article, page.toc = found
        return embed.frame_links(article_fragment(article), urljoin(config.site_url, view_of.url))

    def _record_article(self, page: Page, html: str, words: int, config: MkDocsConfig) -> None:
        src = page.file.src_uri
        if src in self.records:
            fragment = embed.clean_fragment(article_fragment(html), urljoin(config.site_url, page.url))
            self.records[src] = replace(self.records[src], words=words, content=fragment)

    def _plan_handout(self, page: Page, address: str) -> None:
        # Only reading-path pages (in the nav) get a handout; embed views and the like do not.
        if not (self.settings.handouts and page.meta.get("kind") in handouts.HANDOUT_KINDS
                and page.file.src_uri in self.in_path):
            return
        slug = handouts.handout_slug(page.url)
        reviewed = page.meta.get("last_reviewed")
        self.handout_plan[page.file.src_uri] = {
            "slug": slug, "title": page.meta.get("title") or page.title, "url": address,
            "path": page.file.dest_uri, "last_reviewed": str(reviewed) if reviewed else None}

    def _add_meta_line(self, html: str, page: Page, words: int) -> str:
        if page.meta.get("kind") == "home":  # home is a welcome, not a document
            return html
        reviewed = frontmatter.as_date(page.meta.get("last_reviewed"))
        # A tool page may give its measured time to use (`minutes`); a test checks that number.
        line = self.partials.render("page-meta.html", covers=page.meta.get("covers"),
                                    minutes=page.meta.get("minutes") or reading_minutes(words),
                                    to_use=bool(page.meta.get("minutes")), reviewed=reviewed,
                                    reviewed_text=human_date(reviewed) if reviewed else None)
        return pages_html.insert_after_first_h1(html, line) or html

    # --- 6. templates: what each page's template is given ---------------------------------

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        # A small fixture site may have no get-help page; the line then has no "more" link.
        help_page = files.get_file_from_path(self.config.get_help_page)
        env.globals["get_help"] = {"lines": self.region["lines"], "page_url": help_page.url if help_page else None}
        env.globals["clinic"] = clinic_brand.public_fields(self.clinic) if self.clinic else None
        env.globals["attribution"] = self.attribution
        env.globals["clinic_icons"] = {"png": clinic_brand.FAVICON_PNG, "touch": clinic_brand.TOUCH_ICON} \
            if self.clinic else None
        env.globals["material_bundle"] = bundle_script(config.theme)
        # Material registers its search plugin as "material/search"; a config names it "search".
        self.has_search = any(name.rpartition("/")[2] == "search" for name in config.plugins)
        env.globals["quick_search"] = QUICK_INDEX if self.has_search else None
        return env

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        src = page.file.src_uri
        view_of = self.embed_views.get(src)
        if view_of:
            context["embed_view"] = {"full_url": page.canonical_url, "last_reviewed": str(view_of.last_reviewed),
                                     "last_reviewed_text": human_date(view_of.last_reviewed)}
        elif src in self.records and self.records[src].embeddable:
            context["oembed_link"] = {"href": urljoin(config.site_url, api.oembed_path(self.records[src].slug)),
                                      "title": self.records[src].title}
        plan = self.handout_plan.get(src)
        if plan:
            context["handout"] = {"pdf": f"{handouts.FOLDER}/{plan['slug']}.pdf",
                                  "booklet": f"{handouts.FOLDER}/{handouts.BOOKLET}"}
        reviewed = page.meta.get("last_reviewed")
        reviewed_date = frontmatter.as_date(reviewed)
        context["reviewed_text"] = human_date(reviewed_date) if reviewed_date else None  # the print line
        context["seo"] = seo.page_seo(
            title=page.meta.get("title") or page.title or "",
            description=page.meta.get("description") or config.site_description, url=page.canonical_url,
            last_reviewed=str(reviewed) if reviewed else None, kind=page.meta.get("kind", ""),
            site_name=self.site_name, site_url=config.site_url, language=config.theme.get("language", "en"),
            image=self.share_image, is_home=page.is_homepage,
            reviewer=self.clinic.get("reviewer") if self.clinic else None)
        return context

    def on_template_context(self, context: dict, template_name: str, config: MkDocsConfig) -> dict:
        if template_name == "404.html":
            context["seo"] = seo.not_found_seo(site_name=self.site_name, description=config.site_description)
        return context

    # --- 7. written pages: tidied as they are written ------------------------------------

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.embed_views:  # every link leaves the frame for the full page
            output = embed.frame_links(output, urljoin(config.site_url, page.url))
        if not self.settings.presentation:
            return output
        output = _tidy(output)
        if self.header_names_html:
            output = clinic_brand.header_names(output, self.header_names_html)
        # The page as written: its inline code decides the policy's hashes, or fails the build.
        view_of = self.embed_views.get(page.file.src_uri)
        source = self.pages[embed.source_of(view_of.slug) if view_of else page.file.src_uri]
        self._check_inline(output, source.label + (" (embed view)" if view_of else ""), source,
                           "embed" if view_of else "site")
        return output

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """Static templates (404.html) skip on_post_page."""
        if not template_name.endswith(".html") or not self.settings.presentation:
            return output
        output = _tidy(output)
        self._check_inline(output, f"overrides/{template_name}", None, "site")
        return output

    def _check_inline(self, output: str, label: str, source: PageSource | None, policy: str) -> None:
        found = self.inline_inspector.scan(output)
        self.inline_scripts[policy].update(found.scripts)
        for _line, problem in found.problems:
            line = inline_code.source_line(source.body, problem) if source else None
            where = f":{source.body_line + line}" if line else ""
            self.inline_problems.append(f"{label}{where}: {problem}")

    # --- 8. after every page: outputs that need them all, headers last --------------------

    def on_post_build(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        if self.settings.embeds:
            self._write_api(site_dir, config)
        if self.settings.handouts:
            self._write_handout_plan(site_dir, config)
        if not self.settings.presentation:
            return
        if self.inline_problems:  # injected code would otherwise run under the policy
            raise PluginError("Inline code the Content-Security-Policy will not run (pages may run only the "
                              "guide's own scripts; remove it or move it into a script file):\n  "
                              + "\n  ".join(self.inline_problems))
        # The CSS purge reads every written page, so it follows everything that writes pages.
        extra_css = folded_extra_css(site_dir, [str(path) for path in config.extra_css])
        try:
            names = write_lean_css(site_dir, extra_css, self._late_pages())
            # After the purge (which reads the icons' markup as it is) and before the headers
            # (which name the sprite): the icons leave every page for one cached file. Each
            # page is rewritten once, for its sheets and its icons.
            sprite = write_sprite(site_dir, collect_icons(site_dir))
            pages_html.rewrite_pages(site_dir, lambda page: point_page_at(page, names, extra_css)
                                     | (sprite is not None and use_sprite(page, sprite)))
            # From Material's search index, which the search plugin (listed before ours) has written.
            if not write_quick_index(site_dir) and self.has_search:
                raise ValueError(f"{QUICK_INDEX}: no {SEARCH_INDEX} to make it from; in mkdocs.yml, "
                                 "list the search plugin before feeling-safe under plugins")
            # Last: the headers name every file the build wrote, with the policy of its pages,
            # under the site's folder on its host (`/`, or `/guide/` for a sub-path site).
            policies = Policies.from_scripts(self.inline_scripts["site"], self.inline_scripts["embed"])
            prefix = urlsplit(config.site_url).path or "/"
            endpoint = []
            if self.settings.embeds:  # nginx's side of /api/v1/oembed?url= (Netlify's is _redirects)
                endpoint = oembed_endpoint.nginx_location(
                    prefix, self._oembed_routes(config), [*COMMON.items(), *headers_for(oembed_endpoint.ENDPOINT, policies)],
                    embed.FRAME_WIDTH, embed.FRAME_HEIGHT)
            write_headers(site_dir, policies, prefix, endpoint)
        except ValueError as error:
            raise PluginError(str(error)) from None

    def _late_pages(self) -> frozenset[str]:
        # Pages for clinics, not for a worried reader: their own styles may follow the first paint.
        return frozenset(page.file.dest_uri for page in self.reading_path if page.meta.get("kind") == "clinic")

    def _write_api(self, site_dir: Path, config: MkDocsConfig) -> None:
        script_url = urljoin(config.site_url, embed.SCRIPT_PATH)

        def snippet_of(record: api.PageRecord) -> str:
            return embed.snippet(self.partials, [(self._frame_title(record),
                                                  urljoin(config.site_url, embed.embed_path(record.slug)),
                                                  urljoin(config.site_url, record.url))], script_url)

        for path, text in api.api_files(self._in_reading_order(), self.site_name, config.site_url,
                                        snippet_of).items():
            _write(site_dir / path, text)
        for path, text in api.served_schemas(config.site_url).items():
            _write(site_dir / path, text)
        # /api/v1/oembed?url=<page address>: Netlify's rewrites, and the 404 they answer with.
        prefix = urlsplit(config.site_url).path or "/"
        _write(site_dir / oembed_endpoint.REDIRECTS_FILE,
               oembed_endpoint.netlify_redirects(prefix, self._oembed_routes(config)))
        _write(site_dir / oembed_endpoint.NOT_FOUND_FILE, oembed_endpoint.not_found_body() + "\n")
        # Cloudflare Pages' side: its worker, run for the endpoint only.
        _write(site_dir / oembed_endpoint.WORKER_FILE, oembed_endpoint.WORKER_SOURCE.read_text(encoding="utf-8"))
        _write(site_dir / oembed_endpoint.ROUTES_FILE, oembed_endpoint.cloudflare_routes(prefix))

    def _oembed_routes(self, config: MkDocsConfig) -> list[oembed_endpoint.Route]:
        return [oembed_endpoint.Route(urljoin(config.site_url, record.url), api.oembed_path(record.slug))
                for record in self._in_reading_order() if record.embeddable]

    def _write_handout_plan(self, site_dir: Path, config: MkDocsConfig) -> None:
        pages = [self.handout_plan[p.file.src_uri] for p in self.reading_path if p.file.src_uri in self.handout_plan]
        fields = clinic_brand.public_fields(self.clinic) if self.clinic else None
        manifest = handouts.manifest(pages, self.site_name, config.site_description or "", fields,
                                     self.settings.paper, logo=clinic_brand.logo_uri(self.clinic) if self.clinic else None,
                                     attribution=self.attribution)
        _write(site_dir / handouts.MANIFEST, json.dumps(manifest, indent=1))


def _tidy(output: str) -> str:
    """Material's markup fixed where no block reaches it, and template indentation trimmed
    (one parse of the page, scripts/feeling_safe/pages/html.py)."""
    page = pages_html.parse(output)
    for fix in (drop_toggle_autocomplete, drop_menu_contents, add_missing_skip_link, trim_indentation):
        fix(page)
    return pages_html.serialize(page)


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
