"""Crisis lines for the get-help line and the get-help-now page, from one data file.

Why: crisis numbers must be right, the same everywhere on a site, and easy
for a clinic build to replace (the plugin's `crisis_region`: a region code from
data/crisis-regions.yml, or the clinic's own region as a mapping).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from scripts.yaml_file import load_yaml

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "crisis-regions.yml"
MARKER = "<!-- crisis-numbers -->"
LINE_FIELDS = ("name", "how", "short", "description", "links")
LINK_SCHEMES = ("tel:", "sms:", "https://")


def load_regions(path: str | Path = DEFAULT_FILE) -> dict[str, Any]:
    """Every region by code; ValueError naming the file if it is not valid YAML."""
    return load_yaml(path) or {}


def region_problems(label: str, region: Any) -> list[str]:
    """Plain-words problems with one region mapping ({name, lines: [...]})."""
    if not isinstance(region, dict) or not isinstance(region.get("lines"), list) or not region["lines"]:
        return [f"{label}: a region needs a name and a non-empty list of lines"]
    found = [] if isinstance(region.get("name"), str) else [f"{label}: name is missing"]
    for number, line in enumerate(region["lines"], start=1):
        where = f"{label}: line {number}"
        if not isinstance(line, dict):
            found.append(f"{where} must be a mapping with {', '.join(LINE_FIELDS)}")
            continue
        found += [f"{where}: {name} is missing" for name in LINE_FIELDS if not line.get(name)]
        if not isinstance(line.get("links") or [], list):
            found.append(f"{where}: links must be a list of {{label, href}} entries")
            continue
        for link in line.get("links") or []:
            href = link.get("href", "") if isinstance(link, dict) else ""
            if not (isinstance(link, dict) and link.get("label") and href.startswith(LINK_SCHEMES)):
                found.append(f"{where}: each link needs a label and a tel:, sms: or https:// href")
    return found


def resolve(choice: Any, regions: dict[str, Any], label: str = "crisis_region") -> dict[str, Any]:
    """The region to show: a code such as 'us', or a clinic's own region mapping."""
    if isinstance(choice, str):
        if choice not in regions:
            raise ValueError(f"{label}: unknown region '{choice}'; use one of {', '.join(regions)}")
        region, where = regions[choice], f"{label} ({choice})"
    else:
        region, where = choice, label
    found = region_problems(where, region)
    if found:
        raise ValueError("\n".join(found))
    return region


def numbers_markdown(region: dict[str, Any]) -> str:
    """The full list for the get-help-now page: name, how to reach it, what it is, links."""
    items = []
    for line in region["lines"]:
        links = " · ".join(f"[{link['label']}]({link['href']})" for link in line["links"])
        items.append(f"- **{line['name']}**: {line['how']}. {line['description']}  \n  {links}")
    return "\n".join(items) + "\n"


def insert_numbers(markdown: str, region: dict[str, Any]) -> str:
    """Replace the marker line with the full list (pages without the marker are unchanged)."""
    return markdown.replace(MARKER, "\n" + numbers_markdown(region), 1) if MARKER in markdown else markdown
