"""Citations: `[@key]` in Markdown becomes a linked in-text citation and a Sources list.

Why: writers cite by key, so every figure on the site traces to one vetted
entry in data/references.yml, and an unknown key can never reach a reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from feeling_safe.checks.schema_check import Checker, Problem, load_schema
from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.content.source_hosts import HOW_TO_FIX, address_problem

SCHEMA = "references.schema.json"
STATUSES = tuple(load_schema(SCHEMA)["items"]["properties"]["status"]["enum"])
DEFAULT_FILE = Path(__file__).resolve().parents[3] / "data" / "references.yml"
CITATION = re.compile(r"\[(@[\w-]+(?:\s*;\s*@[\w-]+)*)\]")
# Code is left alone: fenced blocks first, then inline code spans.
_CODE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?^[ \t]*\1[^\n]*$|(`+)[^`\n]*?\2", re.S | re.M)
SOURCES_HEADING = "Sources"


@dataclass(frozen=True)
class Reference:
    key: str
    label: str      # in-text form, e.g. "Flückiger et al., 2018"
    citation: str   # full APA text (Markdown italics allowed)
    status: str
    url: str | None = None


def load_references(path: str | Path = DEFAULT_FILE) -> dict[str, Reference]:
    """The reference list by key; a malformed list raises ValueError, one line per problem
    naming the file, the entry and the field (rules: schemas/references.schema.json, each key
    used once, and each `url` a body's own page: feeling_safe/content/source_hosts.py)."""
    entries = load_yaml(path) or []
    checker = Checker(SCHEMA)
    problems = checker.problems(entries)
    first: dict[str, int] = {}
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        key = entry.get("key") if isinstance(entry, dict) else None
        if isinstance(key, str) and key in first:
            problems.append(Problem((index, "key"), f"{key!r} is used twice (first by entry [{first[key]}]); "
                                                    "give each source its own key"))
        elif isinstance(key, str):
            first[key] = index
        url = entry.get("url") if isinstance(entry, dict) else None
        if isinstance(url, str) and (wrong := address_problem(url, str(entry.get("citation", "")))):
            problems.append(Problem((index, "url"), f"{wrong}; {HOW_TO_FIX}"))
    if problems:
        raise ValueError("\n".join(checker.format(path, problems, entries)))
    return {entry["key"]: Reference(entry["key"], entry["label"], entry["citation"], entry["status"],
                                    entry.get("url")) for entry in entries}


def anchor(key: str) -> str:
    return f"source-{key}"


def _outside_code(markdown: str, replace) -> str:
    """Apply `replace` to the text between code blocks and code spans only."""
    out, last = [], 0
    for code in _CODE.finditer(markdown):
        out.append(replace(markdown[last:code.start()]))
        out.append(code.group(0))
        last = code.end()
    out.append(replace(markdown[last:]))
    return "".join(out)


def cited_keys(markdown: str) -> list[str]:
    """Keys cited in the page, in order of first citation (code ignored)."""
    keys: list[str] = []

    def collect(text: str) -> str:
        for match in CITATION.finditer(text):
            for key in re.findall(r"@([\w-]+)", match.group(1)):
                if key not in keys:
                    keys.append(key)
        return text

    _outside_code(markdown, collect)
    return keys


def link_citations(markdown: str, references: dict[str, Reference]) -> str:
    """Turn `[@a; @b]` into "(A, 2018; B, 2019)", each part linking to its Sources item."""
    def one(match: re.Match) -> str:
        keys = re.findall(r"@([\w-]+)", match.group(1))
        parts = [f"[{references[key].label}](#{anchor(key)})" for key in keys]
        return "(" + "; ".join(parts) + ")"

    return _outside_code(markdown, lambda text: CITATION.sub(one, text))


def sources_section(keys: list[str], references: dict[str, Reference]) -> str:
    """A Markdown "Sources" section: an ordered list whose items carry id source-<key>.

    Written as md_in_html so the ids are part of the page tree, where MkDocs'
    anchor validation sees them (attr_list cannot set ids on list items).
    """
    items = []
    for key in keys:
        ref = references[key]
        link = f" <{ref.url}>" if ref.url else ""
        items.append(f'<li id="{anchor(key)}" markdown="span">{ref.citation}{link}</li>')
    return (f"## {SOURCES_HEADING}\n\n"
            '<ol class="fst-sources" markdown>\n' + "\n".join(items) + "\n</ol>\n")


def unknown_keys(markdown: str, references: dict[str, Reference]) -> list[str]:
    return [key for key in cited_keys(markdown) if key not in references]


def cite(markdown: str, references: dict[str, Reference]) -> str:
    """Citations made links to the page's Sources section, added last (it stays the page's last section)."""
    keys = cited_keys(markdown)
    if not keys:
        return markdown
    return link_citations(markdown, references).rstrip() + "\n\n" + sources_section(keys, references)
