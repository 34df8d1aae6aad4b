"""The build, in order: every step our plugin adds to the generator, top to bottom.

The generator (ProperDocs, or MkDocs 1.6) calls a plugin's events in a fixed order:
startup (once per command), config, files, nav, then for each page markdown -> content,
then env and the static templates (404), then for each page context -> post_page, then
post_build. The methods below follow that order, and each lists its steps in the order
they run, with the reason wherever the order matters. The work of each step is a plain,
unit-tested function in the module of its domain (content/, clinic/, pages/,
publishing/); this module only sequences it (tests/test_build_facts.py keeps it short:
only events here, each a few steps). What the events share is one declared object,
`BuildFacts` (plugin/facts.py), made in on_config and completed in on_files and on_nav
by plugin/learn.py, each fact computed once.

In short: settle the options, load the clinic and data files -> read and check
every page's front matter once, add generated files (each page's scripts joined
in one file), minify our scripts -> record the reading path and each page's
next step (a big guide's nav pruned) -> content transforms (branding, crisis
list, complaint routes, glossary, picker, next step, citations) -> page HTML
(API record, tooltips, clinic lines, print links, meta line, phone contents
list) -> SEO context -> written pages tidied in one parse (pages/written.py)
and their inline code checked -> API files, handouts plan, word search index,
lean CSS and icon sprite (named in each written page; the critical CSS in each
page's <style>) -> security headers last (allowing that CSS by its hash).

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
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from feeling_safe.clinic import brand as clinic_brand
from feeling_safe.content import citations, complaints, crisis, frontmatter, glossary, region_text, scope, seo, situations
from feeling_safe.content.contents import with_contents_list
from feeling_safe.content.dates import human_date
from feeling_safe.content.reading import page_text, with_meta_line, word_count
from feeling_safe.content.readingpath import with_next_step
from feeling_safe.pages import allowed_markup, written
from feeling_safe.pages.lean_assets import write_whole_css
from feeling_safe.plugin import learn, material
from feeling_safe.plugin.config import FeelingSafeConfig
from feeling_safe.plugin.facts import BuildFacts
from feeling_safe.plugin.faults import fault_line
from feeling_safe.plugin.partials import CompiledTemplates
from feeling_safe.publishing import api, embed, embed_views, handouts, oembed_endpoint, page_scripts
from feeling_safe.publishing.security_headers import Policies, write_headers
from feeling_safe.publishing.word_search import WORD_INDEX, write_word_index


class FeelingSafePlugin(BasePlugin[FeelingSafeConfig]):
    """The guide's build steps (see the module docstring for the sequence)."""

    is_serve: bool = False  # set by on_startup, once per command: kept across live reloads
    facts: BuildFacts       # made anew by each build's on_config
    # Templates compiled by an earlier build of this `serve` (the theme's, our partials', those
    # whose output Markdown reads again):
    # kept across live reloads, recompiled only when a source changes.
    compiled: tuple[CompiledTemplates, CompiledTemplates, CompiledTemplates] | None = None

    # --- 0. startup: which command runs us ------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup also keeps this instance across live reloads (the generator's
        # rule), so anything a build learns lives on `facts`, made anew by each on_config.
        self.is_serve = command == "serve"
        self.compiled = (CompiledTemplates(), CompiledTemplates(), CompiledTemplates()) if self.is_serve else None

    # --- 1. config: the clinic first, then the data files ------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The clinic file (which brands the config), the settled options, the data files and
        # the theme's own scripts, each read and checked once (plugin/learn.py).
        self.facts = learn.from_config(self.config, config, serving=self.is_serve,
                                       compiled=self.compiled[1:] if self.compiled else None)
        return config

    # --- 2. files: every page's front matter once; generated files -----------------------------

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        learn.read_pages(self.facts, files, config)  # every page read once, checked together
        # Before the nav is made and embed views are added: what this build leaves out
        # (any link still pointing at a page left out then fails the strict build).
        learn.leave_out(self.facts, files, config)
        learn.add_records(self.facts, files, config)  # the API's records and the embed views
        learn.add_site_files(self.facts, files, config)  # the clinic's files, robots.txt
        learn.bundle_scripts(self.facts, files, config)  # each page's scripts as one file, named by its hash
        learn.allow_site_code(self.facts, files, config)  # what pages may load code from
        learn.minify_scripts(self.facts, files, config)  # after the check, which reads where files come from
        return files

    # --- 3. nav: the reading path, computed once ---------------------------------------------

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        learn.from_nav(self.facts, nav)
        config.theme["features"] = material.features_for_nav(config.theme["features"], len(nav.pages), self.facts.settings)
        return nav

    # --- 4. each page's Markdown ---------------------------------------------------------------

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        facts, settings, src = self.facts, self.facts.settings, page.file.src_uri
        view_of = facts.embed_views.get(src)
        frontmatter.escaped_for_theme(page.meta)  # the theme prints title and description as they are
        if view_of:  # early: the print line and <link rel="canonical"> point at the full page
            page.canonical_url = urljoin(facts.site_url, view_of.url)
            return markdown  # empty: its article comes from its page (on_page_content)
        # Passages this build leaves out go first (about pages it drops, or for other regions),
        # then branding: all decide what the later steps read.
        markdown = scope.keep_passages(markdown, {"for-clinics": settings.for_clinics, "embeds": settings.embeds})
        markdown = region_text.keep_fitting(markdown, facts.held)
        markdown = clinic_brand.brand_or_strip(markdown, facts.render_clinic)
        markdown = crisis.insert_numbers(markdown, facts.crisis_region, facts.markdown_partials)
        markdown = crisis.insert_line(markdown, facts.crisis_region, crisis.help_link(src, facts.help_page))
        markdown = complaints.insert_routes(markdown, facts.complaint_routes, facts.clinic_fields,
                                            facts.markdown_partials)
        markdown = situations.insert_situations(markdown, facts.situations, facts.markdown_partials)
        if src == settings.glossary_page and facts.terms:
            markdown = glossary.insert_glossary(markdown, facts.terms)
        # A build without embeds has left out every page that shows the picker (content/scope.py).
        markdown = embed_views.expand_picker(markdown, facts.partials, facts.picker_choices, facts.site_url, page.url)
        # Next step before citations: Sources must stay the page's last section.
        markdown = with_next_step(markdown, src, page.meta.get("kind"), facts.next_steps.get(src))
        return citations.cite(markdown, facts.references)

    # --- 5. each page's HTML -------------------------------------------------------------------

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        facts, src = self.facts, page.file.src_uri
        if view_of := facts.embed_views.get(src):  # its page's finished article (publishing/embed_views.py)
            html, page.toc = embed_views.view_content(view_of, facts.articles, facts.site_url)
            return html
        # A clinic's text, held out of Markdown (clinic/brand.py), goes in first.
        html = clinic_brand.release_held(html, facts.render_clinic)
        # Measure and publish the article before anything is added to it: the reading
        # time and the API's html are the writer's text, not the build's lines.
        words = word_count(page_text(html))
        if src in facts.records and not facts.serving:  # the API's article: only a published site has the API
            facts.records[src] = embed_views.with_article(facts.records[src], html, words,
                                                          urljoin(facts.site_url, page.url))
        html = glossary.annotate(html, facts.terms if src != facts.settings.glossary_page else [])  # tooltips
        html = clinic_brand.brand_page_html(html, facts.render_clinic,  # a clinic's reviewer and contact lines
                                            bool(facts.clinic and facts.clinic.get("reviewer")))
        # Print addresses after the clinic lines, so their links show on paper too.
        page_address = page.canonical_url or page.abs_url or page.url
        if facts.settings.handouts and page.meta.get("kind") in handouts.HANDOUT_KINDS and src in facts.in_path:
            # Only reading-path pages (in the nav) get a handout; embed views and the like do not.
            facts.handout_plan[src] = handouts.plan_entry(page.url, facts.pages[src].meta["title"],
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
        return with_contents_list(html, page.meta, page.toc, words, facts.partials)

    # --- 6. templates: what every template is given; the static ones (404) ------------------

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        facts = self.facts
        if self.compiled:  # live reload: the theme's templates compiled once per `serve`
            env.bytecode_cache = self.compiled[0]
        # A small fixture site may have no get-help page; the line then has no "more" link.
        env.globals["get_help"] = {"lines": facts.crisis_region["lines"], "page_url": facts.help_page_url}
        env.globals["clinic"] = facts.clinic_fields
        env.globals["attribution"] = facts.attribution
        env.globals["clinic_icons"] = {"png": clinic_brand.FAVICON_PNG, "touch": clinic_brand.TOUCH_ICON} \
            if facts.clinic else None
        env.globals["material_bundle"] = facts.material_bundle
        # A published build fills the head's <style> with the critical CSS (pages/lean_assets.py);
        # `serve` skips the purge and links the sheets whole.
        env.globals["inline_critical_css"] = not facts.serving
        env.globals["site_lang"] = facts.lang  # <html lang> (overrides/partials/language.html)
        # lean.js answers from it; `serve` has none (Material's search alone, as once its bundle runs)
        env.globals["word_index"] = WORD_INDEX if facts.has_search and not facts.serving else None
        return env

    def on_template_context(self, context: dict, template_name: str, config: MkDocsConfig) -> dict:
        if template_name == "404.html":
            context["seo"] = seo.not_found_seo(site_name=self.facts.site_name, description=config.site_description)
        return context

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """Static templates (404.html) skip on_post_page."""
        facts = self.facts
        if not template_name.endswith(".html") or not facts.settings.presentation:
            return output
        output, checked = written.tidy(output, facts.repeated_parts, late=template_name in facts.late_pages,
                                       into=None if facts.serving else facts.written, dest=template_name,
                                       folded_css=facts.folded_css)
        if not facts.serving:  # the policy's hashes: `serve` sends no headers
            allowed_markup.check(checked, f"overrides/{template_name}", None, facts.markup_rules,
                                 facts.inline_scripts["site"], facts.markup_problems,
                                 template=template_name.removesuffix(".html"), dest=template_name)
        return output

    # --- 7. each page's template context --------------------------------------------------------

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        facts, src = self.facts, page.file.src_uri
        view_of = facts.embed_views.get(src)
        page_src = embed.source_of(view_of.slug) if view_of else src  # an embed view's dates are its page's
        reviewed = facts.review_dates.get(page_src)
        reviewed_text = human_date(reviewed) if reviewed else None
        if view_of:
            context["embed_view"] = {"full_url": page.canonical_url, "last_reviewed": str(view_of.last_reviewed),
                                     "last_reviewed_text": reviewed_text}
        elif src in facts.records and facts.records[src].embeddable:
            context["oembed_link"] = {"href": urljoin(facts.site_url, api.oembed_path(facts.records[src].slug)),
                                      "title": facts.records[src].title}
        plan = facts.handout_plan.get(src)
        if plan:
            context["handout"] = handouts.links(plan["slug"])
        context["reviewed_text"] = reviewed_text  # the print line
        # Its scripts' one file (partials/page-scripts.html), an embed view's its page's.
        context["page_tools"] = facts.page_tools.get(page_scripts.script_names(facts.pages[page_src].meta))
        meta = facts.pages[page_src].meta  # as written: the partial escapes it
        context["seo"] = seo.page_seo(
            title=meta["title"], description=meta["description"], url=page.canonical_url,
            last_reviewed=str(reviewed) if reviewed else None, kind=page.meta.get("kind", ""),
            site_name=facts.site_name, site_url=config.site_url, language=facts.lang,
            image=facts.share_image, is_home=page.is_homepage,
            reviewer=facts.clinic.get("reviewer") if facts.clinic else None)
        return context

    # --- 8. written pages: tidied as they are written ----------------------------------------------

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        facts, dest = self.facts, page.file.dest_uri
        view_of = facts.embed_views.get(page.file.src_uri)
        frame_url = urljoin(facts.site_url, page.url) if view_of else None  # every link leaves the frame
        if not facts.settings.presentation:
            return embed.frame_links(output, frame_url) if frame_url else output
        if facts.header_names_html:  # (the names' markup has no indentation for the tidy to trim)
            output = clinic_brand.header_names(output, facts.header_names_html)
        # One parse of the page for everything done to it as it is written (pages/written.py);
        # a published build also takes what the purge and the sprite need.
        output, checked = written.tidy(output, facts.repeated_parts, late=dest in facts.late_pages,
                                       frame_url=frame_url, into=None if facts.serving else facts.written,
                                       dest=dest, folded_css=facts.folded_css)
        if facts.serving:  # the check below is for the policy's headers, which `serve` does not send
            return output
        # The page as written (less the parts an earlier page's check covered): its inline
        # code decides the policy's hashes, or fails the build.
        source = facts.pages[embed.source_of(view_of.slug) if view_of else page.file.src_uri]
        allowed_markup.check(checked, source.label + (" (embed view)" if view_of else ""), source,
                             facts.markup_rules, facts.inline_scripts["embed" if view_of else "site"],
                             facts.markup_problems, template="embed" if view_of else "page", dest=dest)
        return output

    # --- 9. after every page: outputs that need them all, headers last ----------------------------

    def on_post_build(self, config: MkDocsConfig) -> None:
        facts, settings, site_dir = self.facts, self.facts.settings, Path(config.site_dir)
        order = [page.file.src_uri for page in facts.reading_path]
        if settings.embeds and not facts.serving:  # the JSON API, and each host's side of /api/v1/oembed?url=
            api.write_site_files(site_dir, embed_views.published_files(api.in_reading_order(facts.records, order),
                                 facts.partials, facts.site_name, facts.site_url, facts.path_prefix, facts.oembed_routes))
        if settings.handouts:  # the plan `make handouts` prints, in reading order
            manifest = handouts.manifest([facts.handout_plan[src] for src in order if src in facts.handout_plan],
                                         facts.site_name, config.site_description or "", facts.clinic_fields,
                                         settings.paper, attribution=facts.attribution, lang=facts.lang,
                                         logo=clinic_brand.logo_uri(facts.clinic) if facts.clinic else None)
            api.write_site_files(site_dir, {handouts.MANIFEST: json.dumps(manifest, indent=1)})
        if not settings.presentation:
            return
        if facts.markup_problems:  # what a browser would run or load, with or without the policy
            raise PluginError("Markup pages may not hold (feeling_safe/pages/allowed_markup.py lists what they "
                              "may: the guide's own scripts only, which the Content-Security-Policy allows; "
                              "remove it, or move code into a script file on that list):\n  "
                              + "\n  ".join(facts.markup_problems))
        try:
            if facts.serving:  # live reload: the sheets whole, where pages link them; no sprite, headers, words
                return write_whole_css(site_dir, facts.folded_css)
            write_word_index(site_dir, has_search=facts.has_search, lang=facts.lang)  # from Material's search index
            # The CSS purge reads every written page (as it was written), so it follows everything
            # that writes pages; the sprite comes before the headers, which name it. The critical
            # CSS goes into every page's <style>; the policy allows it by its hash.
            learn.from_inline_css(facts, *facts.written.write_assets(site_dir, facts.folded_css, facts.late_pages))
            # Last: the headers name every file the build wrote, with the policy of its pages,
            # under the site's folder on its host (`/`, or `/guide/` for a sub-path site).
            policies = Policies.from_scripts(facts.inline_scripts["site"], facts.inline_scripts["embed"],
                                             styles=(facts.critical_style_hash,), page_styles=facts.page_style_hashes)
            write_headers(site_dir, policies, facts.path_prefix,  # with nginx's and Apache's oEmbed endpoint
                          *(oembed_endpoint.server_side(site_dir, facts.path_prefix, facts.oembed_routes, policies)
                            if settings.embeds else ([], [])))
        except ValueError as error:
            raise PluginError(str(error)) from None

    # --- on any fault: one line, never a traceback ------------------------------------------------

    def on_build_error(self, error: Exception) -> None:
        # Ours and the generator's own errors are one line already; anything else (a full disk,
        # text nested too deeply, a missing template) becomes one, after the generator's line
        # naming the page. Not under `serve`, whose server reports a failed rebuild and goes on.
        if not isinstance(error, BuildError) and not self.is_serve:
            raise PluginError(f"The build stopped: {fault_line(error)}") from None
