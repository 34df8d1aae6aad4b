"""The plugin's options (mkdocs.yml) and what this build does, settled once from them.

Why: an option's default lives in one place, `FeelingSafeConfig`; every step
reads the settled `Settings` (the options with a clinic file's choices on top),
never the options themselves, so a clinic build and the guide's own build
cannot disagree about what a missing option means.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from feeling_safe.clinic import brand as clinic_brand
from feeling_safe.clinic.file import Clinic


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
    # The site name's short form for the header on phones, when site_name would be cut there
    # (a clinic build takes its clinic file's short_name).
    short_name = c.Optional(c.Type(str))
    # A nav of more pages than this is pruned (Material's navigation.prune): each page lists
    # the sections it is in and every other section as one link. Material writes the whole
    # nav into every page; at 1,600 pages that is about 150 KB of each page and most of the
    # build's time. The guide (22 pages) is far below it.
    prune_nav_over = c.Type(int, default=100)
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
    region: Any             # the crisis lines' region: a code, or a mapping of one's own
    complaint_region: Any   # whose complaint bodies (None: the crisis region's)
    presentation: bool      # False: content steps only (`content_only`, the bench's baseline)
    header_names: tuple[str, str] | None  # (name, short form) when phones show the short form
    get_help_page: str
    glossary_page: str
    prune_nav_over: int     # pages in the nav above which it is pruned

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
                   region=clinic_brand.crisis_region(clinic) if clinic else options.crisis_region,
                   get_help_page=options.get_help_page, glossary_page=options.glossary_page,
                   prune_nav_over=options.prune_nav_over)
