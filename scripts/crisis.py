"""Crisis lines for the get-help line and the get-help-now page, from one data file.

Why: crisis numbers must be right, the same everywhere on a site, and easy
for a clinic build to replace (`extra.crisis_region`: a region code from
data/crisis-regions.yml, or the clinic's own region as a mapping).
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Callable, Collection

from scripts.yaml_file import load_yaml

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "crisis-regions.yml"
MARKER = "<!-- crisis-numbers -->"
LINE_FIELDS = ("name", "how", "short", "description", "links")
LINK_SCHEMES = ("tel:", "sms:", "https://")


def load_regions(path: str | Path = DEFAULT_FILE) -> dict[str, Any]:
    """Every region by code; ValueError naming the file if it is not valid YAML."""
    return load_yaml(path) or {}


def region_problems(label: str, region: Any, reference_keys: Collection[str] | None = None) -> list[str]:
    """Plain-words problems with one region mapping ({name, lines: [...]}).

    With `reference_keys` (data/references.yml), each line's `source` must be one of them.
    """
    if not isinstance(region, dict) or not isinstance(region.get("lines"), list) or not region["lines"]:
        return [f"{label}: a region needs a name and a non-empty list of lines"]
    found = [] if isinstance(region.get("name"), str) else [f"{label}: name is missing"]
    for number, line in enumerate(region["lines"], start=1):
        where = f"{label}: line {number}"
        if not isinstance(line, dict):
            found.append(f"{where} must be a mapping with {', '.join(LINE_FIELDS)}")
            continue
        found += [f"{where}: {name} is missing" for name in LINE_FIELDS if not line.get(name)]
        found += [f"{where}: {name} must be text; put it in quotes" for name in LINE_FIELDS[:4]
                  if line.get(name) and not isinstance(line[name], str)]
        if not isinstance(line.get("banner", True), bool):
            found.append(f"{where}: banner must be true or false (false leaves the line out of the line on every page)")
        if not isinstance(line.get("links") or [], list):
            found.append(f"{where}: links must be a list of {{label, href}} entries")
            continue
        for link in line.get("links") or []:
            href = link.get("href", "") if isinstance(link, dict) else ""
            if not (isinstance(link, dict) and link.get("label") and href.startswith(LINK_SCHEMES)):
                found.append(f"{where}: each link needs a label and a tel:, sms: or https:// href")
        if reference_keys is not None:
            found += source_problems(where, line, reference_keys)
    return found


def source_problems(where: str, entry: dict[str, Any], reference_keys: Collection[str]) -> list[str]:
    """An entry's `source` must name keys in data/references.yml (one key or a list)."""
    source = entry.get("source")
    if source is not None and not (isinstance(source, str) or (
            isinstance(source, list) and source and all(isinstance(key, str) for key in source))):
        return [f"{where}: source must be a key in data/references.yml, or a list of keys"]
    return [f"{where}: source '{key}' is not a key in data/references.yml; add it there or fix the key"
            for key in source_keys(entry) if key not in reference_keys]


def pick(choice: Any, regions: dict[str, Any], label: str,
         problems: Callable[[str, Any], list[str]]) -> dict[str, Any]:
    """The region to show: a code from `regions` (such as 'us'), or a mapping of one's own.

    Shared by every per-region data file (crisis lines, complaint routes), so
    they pick and check a region the same way; `problems` checks one region.
    """
    if isinstance(choice, str):
        if choice not in regions:
            raise ValueError(f"{label}: unknown region '{choice}'; use one of {', '.join(regions)}")
        region, where = regions[choice], f"{label} ({choice})"
    else:
        region, where = choice, label
    found = problems(where, region)
    if found:
        raise ValueError("\n".join(found))
    return region


def resolve(choice: Any, regions: dict[str, Any], label: str = "extra.crisis_region",
            reference_keys: Collection[str] | None = None) -> dict[str, Any]:
    """The crisis region to show: a code such as 'us', or a clinic's own region mapping.

    With `reference_keys`, every line's source is checked too (the build does this).
    """
    return pick(choice, regions, label, partial(region_problems, reference_keys=reference_keys))


def source_keys(entry: dict[str, Any]) -> list[str]:
    """The reference keys an entry names in `source` (one key or a list; none for a clinic's own line)."""
    source = entry.get("source") or []
    return [source] if isinstance(source, str) else list(source)


def cite(text: str, keys: list[str]) -> str:
    """`text` with a `[@key; ...]` citation before its closing full stop (the citations hook links it)."""
    if not keys:
        return text
    citation = "[" + "; ".join(f"@{key}" for key in keys) + "]"
    body, stop = (text[:-1], ".") if text.endswith(".") else (text, "")
    return f"{body} {citation}{stop}"


def numbers_markdown(region: dict[str, Any]) -> str:
    """The full list for the get-help-now page: name, how to reach it, what it is (with its source), links."""
    items = []
    for line in region["lines"]:
        links = " · ".join(f"[{link['label']}]({link['href']})" for link in line["links"])
        description = cite(line["description"], source_keys(line))
        items.append(f"- **{line['name']}**: {line['how']}. {description}  \n  {links}")
    return "\n".join(items) + "\n"


def insert_at(markdown: str, marker: str, text: str) -> str:
    """Replace the first marker line with `text` (pages without the marker are unchanged)."""
    return markdown.replace(marker, "\n" + text, 1) if marker in markdown else markdown


def insert_numbers(markdown: str, region: dict[str, Any]) -> str:
    """Replace the crisis marker line with the full list."""
    return insert_at(markdown, MARKER, numbers_markdown(region))
