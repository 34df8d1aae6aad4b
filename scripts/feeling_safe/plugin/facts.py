"""The build's facts: everything the plugin's events share, declared in one place, each computed once.

Why: the generator calls the plugin's events one after another, and a later
event needs what an earlier one learnt (the clinic, the data files, every
page's front matter, the nav's order). Held as one typed object, each fact
has one declared name, type and moment: the fields in the first group are
known when the config is (`on_config` makes the object), the next are set
by `on_files`, then `on_nav` (plugin/learn.py sets them all); the last group
fills up as pages render. A fact read before its event has set it is an
AttributeError, not a silent default. Like Material's own plugins, the plugin
holds nothing else: a new build (a live reload) starts from a new object.
The object is data only: what is done with a fact is a function in the
module of its domain.

A new fact: a field in the group of the event that knows it (with its type
and a comment saying what it is), set in that event's function in
plugin/learn.py (or, for the last group, given a default here).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import jinja2
from mkdocs.structure.pages import Page

from feeling_safe.clinic.brand import Render
from feeling_safe.clinic.file import Clinic
from feeling_safe.content.citations import Reference
from feeling_safe.content.glossary import Term
from feeling_safe.content.sources import PageSource
from feeling_safe.pages.allowed_markup import Rules
from feeling_safe.pages.html import RepeatedParts
from feeling_safe.pages.written import WrittenPages
from feeling_safe.plugin.config import Settings
from feeling_safe.plugin.partials import Partials
from feeling_safe.publishing.api import PageRecord
from feeling_safe.publishing.oembed_endpoint import Route


@dataclass
class BuildFacts:
    """What the build knows, in the order it learns it (see the module docstring)."""

    # --- on_config: the options settled, the clinic, the data files ---------------------------
    settings: Settings
    serving: bool                     # `serve` (live reload): publishing-only steps are skipped
    clinic: Clinic | None
    clinic_fields: dict | None        # the clinic's public values (templates, complaint routes, handouts)
    attribution: dict | None          # the credit a clinic build gives the guide it adapts
    site_name: str                    # as written (no template escaping), for JSON and our own escaping
    site_url: str
    path_prefix: str                  # the site's folder on its host: `/`, or `/guide/` for a sub-path site
    share_image: str
    references: dict[str, Reference]  # data/references.yml
    crisis_region: dict[str, Any]     # the crisis lines shown (data/crisis-regions.yml or the clinic's)
    complaint_routes: dict[str, Any]  # data/complaint-routes.yml, for this build's region
    situations: list[dict[str, Any]]  # data/situations.yml: what "Was this OK?" lists, by kind
    psypact: bool                     # the clinic sees clients across US states under PSYPACT
    marker_words: frozenset[str]      # the words `<!-- only: ... -->` and a term's `only` may name
    held: frozenset[str]              # the words this build holds (its region, psypact)
    partials: Partials
    markdown_partials: jinja2.Environment  # partials whose output Markdown reads again (content/crisis.py)
    render_clinic: Render | None      # a clinic partial, rendered with the clinic in its context
    header_names_html: str | None     # the header's two names, where a phone would cut the site name
    inline_patterns: tuple[re.Pattern, ...]  # the inline scripts our templates and the theme's write
    material_bundle: str              # the theme's script bundle, by its hashed name
    has_search: bool                  # the search plugin runs: the word-search index is made from its
    lang: str                         # the pages' language tag (<html lang>, handouts): the clinic's
    #                                   `lang`, else the crisis region's (en-US, en-GB, ...)

    # --- on_files: every page's source, and what the build makes of it ------------------------
    pages: dict[str, PageSource] = field(init=False)         # by src_uri
    review_dates: dict[str, dt.date | None] = field(init=False)  # each page's last_reviewed, by src_uri
    terms: list[Term] = field(init=False)                    # the glossary's, for this build's region
    records: dict[str, PageRecord] = field(init=False)       # what the API says of each page (words and
    #                                                          article added as the page renders)
    embed_views: dict[str, PageRecord] = field(init=False)   # an embed view's src_uri -> its page's record
    help_page: str | None = field(init=False)                # Get help now's src_uri, if the site has it
    help_page_url: str | None = field(init=False)
    folded_css: list[str] = field(init=False)                # the extra_css the lean sheets take in
    markup_rules: Rules = field(init=False)                  # what pages may hold (pages/allowed_markup.py)
    page_tools: dict[tuple[str, ...], str] = field(init=False)  # a list of page scripts -> its one file
    #                                                          (publishing/page_scripts.py)

    # --- on_nav: the reading path --------------------------------------------------------------
    reading_path: list[Page] = field(init=False)      # the nav's pages: Next step, API order, handouts
    in_path: frozenset[str] = field(init=False)       # their src_uris
    next_steps: dict[str, tuple[str, str, str] | None] = field(init=False)  # src_uri -> its Next step's
    #                                                   (src_uri, title, description); None: the only page
    embeddable: list[PageRecord] = field(init=False)  # embeddable pages' records, in reading order
    picker_choices: list[dict[str, str]] = field(init=False)
    oembed_routes: list[Route] = field(init=False)
    late_pages: frozenset[str] = field(init=False)    # pages for clinics: their styles may follow the first paint

    # --- as pages render ---------------------------------------------------------------------------
    articles: dict[str, tuple[str, Any]] = field(default_factory=dict)  # embeddable page -> (article, toc)
    handout_plan: dict[str, dict] = field(default_factory=dict)         # explainer page -> its handout
    inline_scripts: dict[str, set[str]] = field(default_factory=lambda: {"site": set(), "embed": set()})
    markup_problems: list[str] = field(default_factory=list)            # markup not on the allow-list
    # The policy's hash of the critical CSS every page's <style> holds (set after the purge).
    critical_style_hash: str = ""
    # The policy's hashes of a page's own inline CSS (the home page's, embed views'), by its path.
    page_style_hashes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A published build's pages, as they were written: the purge's names, the sprite's icons.
    written: WrittenPages = field(default_factory=WrittenPages)
    # Parts of pages done once and reused on every page that repeats them (the nav's sections).
    repeated_parts: RepeatedParts = field(default_factory=RepeatedParts)
