"""Who hears a concern about a therapist, per region, for "How to raise a concern".

Why: the right body depends on the country, sometimes on the nation, state or
province, and on the therapist's profession or register; getting it wrong
sends a hurt reader to a door that cannot open. So the bodies live in one data
file with a source for each (data/complaint-routes.yml): per region, every body
once, the seven kinds of therapist a reader can pick (each naming the bodies
that hear a complaint about them) and, where it changes the answer, the places.
The region is chosen like the crisis lines (feeling_safe/content/crisis.py):
the plugin's (or clinic file's) `complaint_region` if set (a code, or a region
of the clinic's own), else the crisis region when it is a code. A clinic build
shows the clinic's own route first; the outside bodies always stay, because a
reader may need a door the clinic does not hold.

The page lists every group with in-page links, so it works without
JavaScript and on paper; docs/assets/javascripts/complaint-finder.js only
narrows what is shown.
"""
from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

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
# The same routes, short, for a page that helps a reader take a next step ("Was this OK?", within
# its page-weight budget): the finder and every group as on the routes page, and each body by its
# name and address only (the routes page has the rest, and that page links each body's card).
SHORT_MARKER = "<!-- complaint-routes-short -->"
# Inside a sentence on another page (the harm page's "Report it"): a link to each kind of
# therapist's group on this page, so a reader reaches their group in one tap, with or
# without JavaScript, and a body's card in the next.
GROUPS_MARKER = "<!-- complaint-groups -->"
GROUPS_PARTIAL = "partials/complaint-groups.html"
ROUTES_PAGE = "complaints.md"  # the page with the routes; GROUPS_MARKER pages sit beside it
LABEL = "complaint_region"
# The kinds of therapist a reader can pick, in the order the page shows them; every region has
# all seven, so a link to a group (complaints.md#therapist-<id>) works in every build.
PROFESSIONS = ("psychologist", "counsellor", "social-worker", "family-therapist", "psychiatrist",
               "psychotherapist", "not-sure")
GROUP_ANCHOR = "therapist-{}"
BODY_ANCHOR = "body-{}"
FINDER_ANCHOR = "who-was-your-therapist"
# A body's facts in the order its card shows them, with their labels.
FIELDS = (("covers", "Who it covers"), ("can_do", "What it can do"), ("start", "How to start"),
          ("next", "What happens next"), ("limits", "Time limits"), ("cost", "Cost"),
          ("anonymity", "Your name"), ("support", "Support"))
# A card cites its body's `source` on these facts; a fact with a source of its own cites that.
CITED_FIELDS = ("can_do", "limits")
KINDS = {"regulator": "Regulator", "membership": "Membership body", "complaints": "Complaints body",
         "privacy": "Privacy regulator", "police": "Police"}


def load_routes(path: str | Path = DEFAULT_FILE) -> dict[str, Any]:
    """Every region by code; ValueError naming the file if it is not valid YAML."""
    return load_yaml(path) or {}


def region_problems(label: str, region: Any, reference_keys: Collection[str]) -> list[str]:
    """One line per problem with one region: its shape (the schema, https addresses
    included), then what the schema cannot say: sources data/references.yml has, ids that
    exist and are used once."""
    found = Checker(SCHEMA + "#/$defs/region").lines(region, label)
    return found + _source_lines(f"{label}: ", region, reference_keys) + _link_lines(f"{label}: ", region)


def file_problems(regions: Any, reference_keys: Collection[str], path: str | Path = DEFAULT_FILE) -> list[str]:
    """Every problem in the whole data file, each line naming the file: the schema's
    (region codes included), then sources data/references.yml lacks and ids that do not match."""
    found = Checker(SCHEMA).lines(regions, path)
    for code, region in regions.items() if isinstance(regions, dict) else ():
        found += _source_lines(f"{path}: {code}.", region, reference_keys) + _link_lines(f"{path}: {code}.", region)
    return found


def _entries(region: Any) -> list[tuple[str, Any]]:
    """(field path, entry) for everything in a region that may carry a `source`."""
    if not isinstance(region, dict):
        return []
    found = [(f"notes[{i}]", note) for i, note in enumerate(_list(region.get("notes")))]
    for group_id, group in _dict(region.get("professions")).items():
        if isinstance(group, dict) and isinstance(group.get("note"), dict):
            found.append((f"professions.{group_id}.note", group["note"]))
    for i, body in enumerate(_list(region.get("bodies"))):
        if isinstance(body, dict):
            found.append((f"bodies[{i}]", body))
            found += [(f"bodies[{i}].{key}", body[key]) for key, _label in FIELDS if isinstance(body.get(key), dict)]
    return found


def _source_lines(prefix: str, region: Any, reference_keys: Collection[str]) -> list[str]:
    """`<prefix>bodies[2].source: ...` for each source that data/references.yml lacks."""
    found = []
    for where, entry in _entries(region):
        if isinstance(entry, dict):
            found += source_problems(f"{prefix}{where}", entry, reference_keys)
    return found


def _link_lines(prefix: str, region: Any) -> list[str]:
    """Ids that must match: a group's bodies exist, a body's places are the region's, each
    body id is used once and every body is in some group."""
    if not isinstance(region, dict):
        return []
    bodies = [body for body in _list(region.get("bodies")) if isinstance(body, dict)]
    ids = [body.get("id") for body in bodies]
    places = {choice.get("id") for choice in _list(_dict(region.get("places")).get("choices")) if isinstance(choice, dict)}
    found, used = [], set()
    for index, body_id in enumerate(ids):
        if body_id in ids[:index]:
            found.append(f"{prefix}bodies[{index}].id: '{body_id}' is used by another body too; give each body its own id")
    for group_id, group in _dict(region.get("professions")).items():
        for index, body_id in enumerate(_list(_dict(group).get("bodies"))):
            used.add(body_id)
            if body_id not in ids:
                found.append(f"{prefix}professions.{group_id}.bodies[{index}]: no body has the id '{body_id}'; "
                             f"use one of {', '.join(map(str, dict.fromkeys(ids))) or 'the ids under bodies'}")
    for index, body in enumerate(bodies):
        if body.get("id") not in used:
            found.append(f"{prefix}bodies[{index}]: '{body.get('id')}' is in no group under professions; "
                         "list it where it hears complaints, or remove it")
        for place_index, place in enumerate(_list(body.get("places"))):
            if place not in places:
                found.append(f"{prefix}bodies[{index}].places[{place_index}]: '{place}' is not one of the region's "
                             f"places; use one of {', '.join(sorted(map(str, places))) or 'the ids under places.choices'}")
    return found


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


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
            reference_keys: Collection[str], where: str = "") -> dict[str, Any]:
    """The checked region for this build (see `choice`); ValueError listing every problem.
    `where` (such as a clinic file's path) starts each line."""
    chosen, label = choice(complaint_region, crisis_region)
    label = f"{where}: {label}" if where else label
    return pick(chosen, regions, label, partial(region_problems, reference_keys=reference_keys))


# --- a clinic's own region ----------------------------------------------------------------

def _host(address: Any) -> str:
    if not isinstance(address, str):
        return ""
    if "@" in address and "//" not in address:
        return address.rsplit("@", 1)[1].lower().removeprefix("www.")
    try:
        return (urlsplit(address).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def clinic_own(body: dict[str, Any], clinic: dict[str, Any]) -> bool:
    """Whether a body is the clinic itself: its name, or an address on one of the clinic's hosts."""
    names = {str(clinic.get(key, "")).strip().lower() for key in ("name", "short_name")} - {""}
    route = _dict(clinic.get("complaint_route"))
    names.add(str(route.get("name", "")).strip().lower())
    contact = _dict(clinic.get("contact"))
    hosts = {_host(clinic.get("base_url")), _host(contact.get("email")), _host(contact.get("booking_url")),
             _host(route.get("url")), _host(route.get("email"))} - {""}
    return str(body.get("name", "")).strip().lower() in names or (bool(body.get("url")) and _host(body["url"]) in hosts)


def independence_problem(region: Any, clinic: dict[str, Any]) -> str | None:
    """A clinic's own region must name at least one body outside the clinic: its own route is
    `complaint_route`, and a reader harmed there needs a door the clinic does not hold."""
    bodies = [body for body in _list(_dict(region).get("bodies")) if isinstance(body, dict)]
    if bodies and all(clinic_own(body, clinic) for body in bodies):
        return ("lists only the clinic itself; add at least one independent body outside the clinic "
                "(a regulator, ombudsman or health complaints body), and give the clinic's own way in "
                "as complaint_route")
    return None


# --- what the page shows --------------------------------------------------------------------

def _facts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """A body's facts for its card: label, text and the sources to cite."""
    facts = []
    for key, label in FIELDS:
        value = body.get(key)
        if isinstance(value, dict):
            facts.append({"key": key, "label": label, "text": value["text"], "source": value["source"]})
        elif value:  # the body's own source: cited where a reader checks it most (what it can do, time limits)
            facts.append({"key": key, "label": label, "text": value,
                          "source": body["source"] if key in CITED_FIELDS else []})
    return facts


def shown(region: dict[str, Any]) -> dict[str, Any]:
    """A checked region as the partial prints it: the groups in PROFESSIONS order, each with
    its bodies (and where they serve), and every body once with its card's facts."""
    place_names = {choice["id"]: choice["name"] for choice in _dict(region.get("places")).get("choices", [])}
    bodies = {body["id"]: {**body, "anchor": BODY_ANCHOR.format(body["id"]), "kind_label": KINDS[body["kind"]],
                           "facts": _facts(body), "place_ids": " ".join(body.get("places", [])),
                           "place_names": [place_names[place] for place in body.get("places", [])]}
              for body in region["bodies"]}
    groups = [{**region["professions"][group_id], "id": group_id, "anchor": GROUP_ANCHOR.format(group_id),
               "bodies": [bodies[body_id] for body_id in region["professions"][group_id]["bodies"]]}
              for group_id in PROFESSIONS]
    order = list(dict.fromkeys(body_id for group in groups for body_id in (b["id"] for b in group["bodies"])))
    return {**region, "groups": groups, "cards": [bodies[body_id] for body_id in order],
            "finder_anchor": FINDER_ANCHOR}


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
                env: jinja2.Environment | None = None, short: bool = False) -> str:
    """The rendered partial: the clinic's route first (if any), the region's notes, the finder
    and its jump list, every group, then every body's card (`short`: without the notes, the
    groups' headings a level down, each body only its name and address)."""
    template = (env or environment()).get_template(PARTIAL)
    return template.render(region=shown(region), clinic_route=clinic_route(clinic), short=short)


def groups_markdown(region: dict[str, Any], env: jinja2.Environment | None = None) -> str:
    """One line of links, one per kind of therapist, each to its group on the routes page."""
    template = (env or environment()).get_template(GROUPS_PARTIAL)
    return " ".join(template.render(region=shown(region), page=ROUTES_PAGE).split())


def insert_routes(markdown: str, region: dict[str, Any], clinic: dict[str, Any] | None = None,
                  env: jinja2.Environment | None = None) -> str:
    """Replace the marker line with the routes, and the in-sentence marker with the links to
    each group (pages without either marker are unchanged)."""
    if GROUPS_MARKER in markdown:
        markdown = markdown.replace(GROUPS_MARKER, groups_markdown(region, env))
    if SHORT_MARKER in markdown:
        markdown = insert_at(markdown, SHORT_MARKER, routes_html(region, clinic, env, short=True) + "\n")
    if MARKER not in markdown:
        return markdown
    return insert_at(markdown, MARKER, routes_html(region, clinic, env) + "\n")

