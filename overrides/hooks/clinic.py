"""Brand the guide for one clinic when `extra.clinic_file` is set (`make clinic`).

Thin wrapper over scripts/clinic.py (the file) and scripts/clinic_brand.py
(the pages). Without a clinic file it only drops the marker comments from
the page text, so `make build` stays unbranded. The clinic's values are
escaped where they become HTML, including the site name the theme prints.
"""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from scripts.clinic import Clinic, ClinicError, load
from scripts.clinic_brand import (ThemeText, brand_markdown, brand_page_html, crisis_region, public_fields,
                                  strip_markers, theme_css)

CSS_URI = "assets/clinic/clinic.css"
_clinic: Clinic | None = None


@event_priority(100)  # first: other hooks read the crisis region and site name it sets
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _clinic
    _clinic = None
    clinic_file = config.extra.get("clinic_file")
    if not clinic_file:
        return config
    try:
        _clinic = load(clinic_file)
    except ClinicError as error:
        raise PluginError(f"Clinic file problems (see clinics/example.yml):\n{error}") from None
    config.site_name = ThemeText(_clinic["name"])  # templates print it escaped
    config.site_url = _clinic.base_url
    config.extra["embeds"] = _clinic.embeds
    config.theme["logo"] = f"assets/clinic/logo{_clinic.logo_file.suffix.lower()}"
    config.extra_css.append(CSS_URI)
    config.extra["clinic"] = public_fields(_clinic)
    config.extra["crisis_region"] = crisis_region(_clinic)
    if _clinic.get("complaint_region"):
        config.extra["complaint_region"] = _clinic["complaint_region"]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _clinic is None:
        return files
    files.append(File.generated(config, config.theme["logo"], abs_src_path=str(_clinic.logo_file)))
    files.append(File.generated(config, CSS_URI, content=theme_css(_clinic)))
    return files


@event_priority(90)  # before citations and the crisis list: the generic text it replaces goes first
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return strip_markers(markdown) if _clinic is None else brand_markdown(markdown, _clinic)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return html if _clinic is None else brand_page_html(html, _clinic)
