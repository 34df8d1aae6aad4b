"""Who hears a concern about a therapist, per region, for "How to raise a concern".

Why: the right body depends on the country and on the therapist's profession
or register, and getting it wrong sends a hurt reader to a door that cannot
open. So the bodies live in one data file with a source for each
(data/complaint-routes.yml), chosen like the crisis lines (feeling_safe/content/crisis.py):
the plugin's (or clinic file's) `complaint_region` if set, else the crisis
region when it is a region code. A clinic build shows the clinic's own route first; the outside
bodies always stay, because a reader may need a door the clinic does not hold.
"""
from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import yaml

from feeling_safe.checks.schema_check import Checker
from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.content.crisis import environment, insert_at, pick, source_problems
from feeling_safe.content.phone import tel_href

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_FILE = ROOT / "data" / "complaint-routes.yml"
SCHEMA = "complaint-routes.schema.json"
TEMPLATES = ROOT / "overrides"
PARTIAL = "partials/complaint-routes.html"
MARKER = "<!-- complaint-routes -->"
LABEL = "complaint_region"


def load_routes(path: str | Path = DEFAULT_FILE) -> dict[str, Any]:
    """Every region by code; ValueError naming the file if it is not valid YAML."""
    return load_yaml(path, loader=yaml.CSafeLoader) or {}  # libyaml: every build and rebuild reads it


def region_problems(label: str, region: Any, reference_keys: Collection[str]) -> list[str]:
    """One line per problem with one region: its shape (the schema, https addresses
    included) and, for every entry that names one, a source that data/references.yml has."""
    return Checker(SCHEMA + "#/$defs/region").lines(region, label) + _source_lines(f"{label}: ", region, reference_keys)


def file_problems(regions: Any, reference_keys: Collection[str], path: str | Path = DEFAULT_FILE) -> list[str]:
    """Every problem in the whole data file, each line naming the file: the schema's
    (region codes included), then sources that data/references.yml lacks."""
    found = Checker(SCHEMA).lines(regions, path)
    for code, region in regions.items() if isinstance(regions, dict) else ():
        found += _source_lines(f"{path}: {code}.", region, reference_keys)
    return found


def _source_lines(prefix: str, region: Any, reference_keys: Collection[str]) -> list[str]:
    """`<prefix>routes[2].source: ...` for each entry's source that data/references.yml lacks."""
    found = []
    for kind in ("notes", "routes"):
        entries = region.get(kind) if isinstance(region, dict) and isinstance(region.get(kind), list) else []
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                found += source_problems(f"{prefix}{kind}[{index}]", entry, reference_keys)
    return found


def choice(complaint_region: Any, crisis_region: Any) -> tuple[Any, str]:
    """The region to show and the setting it came from.

    `complaint_region` wins; else the crisis region, when it is a code. A
    clinic's own crisis lines say nothing about who hears complaints, so then
    the build must name a complaint region.
    """
    if complaint_region is not None:
        return complaint_region, LABEL
    if not isinstance(crisis_region, str):
        raise ValueError(f"{LABEL}: crisis_region is a region of your own, so name the region whose "
                         "complaint bodies to show (a code such as us or uk, or your own mapping)")
    return crisis_region, "crisis_region"


def resolve(complaint_region: Any, crisis_region: Any, regions: dict[str, Any],
            reference_keys: Collection[str]) -> dict[str, Any]:
    """The checked region for this build (see `choice`); ValueError listing every problem."""
    chosen, label = choice(complaint_region, crisis_region)
    return pick(chosen, regions, label, partial(region_problems, reference_keys=reference_keys))


def clinic_route(clinic: dict[str, Any] | None) -> dict[str, Any] | None:
    """The clinic's own route from its public fields (clinic_brand.public_fields), as the partial shows it."""
    route = (clinic or {}).get("complaint_route")
    if not route:
        return None
    links = []
    if route.get("url"):
        links.append({"label": f"{route['name']}: online", "href": route["url"]})
    if route.get("email"):
        links.append({"label": route["email"], "href": f"mailto:{route['email']}"})
    if route.get("phone"):
        links.append({"label": route["phone"], "href": tel_href(route["phone"])})
    return {"clinic": clinic["name"], "name": route["name"], "description": route["description"], "links": links}


def routes_html(region: dict[str, Any], clinic: dict[str, Any] | None = None,
                env: jinja2.Environment | None = None) -> str:
    """The rendered partial: the clinic's route first (if any), then the region's notes and bodies."""
    template = (env or environment()).get_template(PARTIAL)
    return template.render(region=region, clinic_route=clinic_route(clinic))


def insert_routes(markdown: str, region: dict[str, Any], clinic: dict[str, Any] | None = None) -> str:
    """Replace the marker line with the routes (pages without the marker are unchanged)."""
    if MARKER not in markdown:
        return markdown
    return insert_at(markdown, MARKER, routes_html(region, clinic) + "\n")
