"""Things that may happen in therapy, for "Was this OK?", from one data file.

Why: a reader unsure whether a line was crossed needs each situation named plainly, with
what kind of thing it is (never part of therapy, a warning sign, or something that can be part
of good therapy), why, and a source. The situations live once, in data/situations.yml (shape:
schemas/situations.schema.json); the page lists them grouped by kind at <!-- situations -->
(overrides/partials/situations.html), which is the whole content without JavaScript, on paper
(a checklist) and in the embed view and the API. docs/assets/javascripts/was-this-ok.js reads
the same list from the page to offer the checkboxes and the summary, so there is no second copy.
"""
from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import jinja2

from feeling_safe.checks.schema_check import Checker
from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.content.crisis import environment, insert_at, source_problems

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_FILE = ROOT / "data" / "situations.yml"
SCHEMA = "situations.schema.json"
PARTIAL = "partials/situations.html"
MARKER = "<!-- situations -->"
ANCHOR = "situation-{}"
# The kinds in the order the page shows them, each with its heading (the tool names an item's
# kind with these same words, read from the page).
KINDS = (("never", "Never part of therapy"), ("warning-sign", "A warning sign"),
         ("can-be", "Can be part of therapy"))


def load_situations(path: str | Path = DEFAULT_FILE) -> Any:
    """The file's data; ValueError naming the file if it is not valid YAML."""
    return load_yaml(path)


def file_problems(data: Any, reference_keys: Collection[str], path: str | Path = DEFAULT_FILE) -> list[str]:
    """Every problem in the file, one line each naming the file and field: the schema's, then
    what it cannot say (sources data/references.yml lacks, an id used twice)."""
    found = Checker(SCHEMA).lines(data, path)
    items = data.get("situations") if isinstance(data, dict) else None
    seen: set[Any] = set()
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        found += source_problems(f"{path}: situations[{index}]", item, reference_keys)
        if item.get("id") in seen:
            found.append(f"{path}: situations[{index}].id: '{item['id']}' is used by another situation too; "
                         "give each its own id")
        seen.add(item.get("id"))
    return found


def load_checked(reference_keys: Collection[str], path: str | Path = DEFAULT_FILE) -> list[dict[str, Any]]:
    """The checked situations, in the file's order; ValueError listing every problem."""
    data = load_situations(path)
    found = file_problems(data, reference_keys, path)
    if found:
        raise ValueError("\n".join(found))
    return data["situations"]


def shown(situations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The kinds as the partial prints them: each with its label and its situations (kept in
    the file's order, which the tool's checkboxes follow through `order`)."""
    numbered = [{**item, "order": index, "anchor": ANCHOR.format(item["id"])} for index, item in enumerate(situations)]
    return [{"kind": kind, "label": label, "situations": [item for item in numbered if item["kind"] == kind]}
            for kind, label in KINDS if any(item["kind"] == kind for item in numbered)]


def situations_html(situations: list[dict[str, Any]], env: jinja2.Environment | None = None) -> str:
    """The rendered partial: one section per kind, each a list of situations with their reasons."""
    return (env or environment()).get_template(PARTIAL).render(kinds=shown(situations))


def insert_situations(markdown: str, situations: list[dict[str, Any]], env: jinja2.Environment | None = None) -> str:
    """Replace the marker line with the list (pages without it are unchanged, and nothing is rendered)."""
    if MARKER not in markdown:
        return markdown
    return insert_at(markdown, MARKER, situations_html(situations, env) + "\n")
