"""Who hears a concern about a therapist, on the page with <!-- complaint-routes -->.

Thin wrapper over scripts/complaints.py (all logic and checks live there). The
region follows `extra.complaint_region`, else `extra.crisis_region`; a clinic
build's own route (`extra.clinic.complaint_route`) comes first. Runs after the
clinic hook and before citations, which link each body's source.
"""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from scripts import complaints
from scripts.citations import load_references


def _region(config: MkDocsConfig) -> dict:
    try:
        return complaints.resolve(config.extra, complaints.load_routes(), load_references().keys())
    except ValueError as error:
        raise PluginError(f"Complaint route problems (data/complaint-routes.yml):\n{error}") from None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _region(config)  # fail before building anything
    return config


@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if complaints.MARKER not in markdown:
        return markdown
    return complaints.insert_routes(markdown, _region(config), config.extra.get("clinic"))
