"""Crisis lines for the get-help line and the get-help-now page, from one data file.

Why: crisis numbers must be right, the same everywhere on a site, and easy
for a clinic build to replace (the plugin's `crisis_region`: a region code from
data/crisis-regions.yml, or the clinic's own region as a mapping).
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from scripts.schema_check import Checker
from scripts.yaml_file import load_yaml

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "crisis-regions.yml"
MARKER = "<!-- crisis-numbers -->"
SCHEMA = "crisis-regions.schema.json"  # the file; one region is SCHEMA + "#/$defs/region"


def load_regions(path: str | Path = DEFAULT_FILE) -> dict[str, Any]:
    """Every region by code; ValueError naming the file, region, line and field for each problem."""
    regions = load_yaml(path)
    problems = Checker(SCHEMA).lines(regions, path)
    if problems:
        raise ValueError("\n".join(problems))
    return regions


def region_problems(label: str, region: Any) -> list[str]:
    """Problems with one region mapping ({name, lines: [...]}), one line each, starting with `label`."""
    return Checker(SCHEMA + "#/$defs/region").lines(region, label)


def resolve(choice: Any, regions: dict[str, Any], label: str = "crisis_region") -> dict[str, Any]:
    """The region to show: a code such as 'us', or a clinic's own region mapping."""
    if isinstance(choice, str):
        if choice not in regions:
            close = difflib.get_close_matches(choice.lower(), list(regions), n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(regions)}"
            raise ValueError(f"{label}: unknown region '{choice}'; {fix}")
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
