"""What a build includes: which pages, which nav entries, which passages of text.

Why: a clinic's own site is for its clients. Pages written for clinics
(`kind: clinic`, such as "Embed this guide") stay out of it unless the clinic
file opts in (`for_clinics: true`), and a build without embeds has no page,
link or word about embedding. A page is removed whole: its file leaves the
build (so the strict build's link check fails on any link still pointing at
it), its nav entry goes, and a nav section left with one page gives way to
that page. Text that mentions such a page sits between a marker pair that is
dropped with it:

    <!-- for-clinics -->            kept only in a build for clinics
    <!-- embeds -->                 kept only in a build with embeds
    ... whole paragraphs or sections ...
    <!-- /embeds -->

Where a kept pair's markers were, nothing is left.
"""
from __future__ import annotations

import re
from typing import Any

# Marker pair names: each is kept when the build has that part.
PASSAGES = ("for-clinics", "embeds")
CLINIC_KIND = "clinic"
_MARKER = re.compile(r"^<!-- (/?)([a-z-]+) -->[ \t]*$", re.MULTILINE)


def dropped_pages(pages: dict[str, tuple[dict[str, Any], str]], *, for_clinics: bool, embeds: bool,
                  uses_embeds) -> set[str]:
    """The docs files a build leaves out: clinic pages unless it is for clinics, and
    pages that need embeds (`uses_embeds(body)`, the picker) when it has none.

    `pages` maps each page's src_uri to its (front matter, Markdown body).
    """
    return {src for src, (meta, body) in pages.items()
            if (not for_clinics and meta.get("kind") == CLINIC_KIND) or (not embeds and uses_embeds(body))}


def keep_passages(markdown: str, kept: dict[str, bool]) -> str:
    """Each marker pair's passage kept (markers removed) or dropped whole, by `kept[name]`."""
    for name in PASSAGES:
        pair = re.compile(rf"^<!-- {name} -->[ \t]*\n(.*?)^<!-- /{name} -->[ \t]*(?:\n|\Z)", re.DOTALL | re.MULTILINE)
        markdown = pair.sub(lambda match: match.group(1) if kept.get(name, True) else "", markdown)
    return markdown


def marker_problems(label: str, markdown: str, first_line: int = 1) -> list[str]:
    """One line per marker pair that is unclosed, unopened or nested in itself, naming the line."""
    problems, open_at = [], {}
    for match in _MARKER.finditer(markdown):
        closing, name = match.group(1) == "/", match.group(2)
        if name not in PASSAGES:
            continue
        line = first_line + markdown.count("\n", 0, match.start())
        if closing and name not in open_at:
            problems.append(f"{label}:{line}: <!-- /{name} --> closes nothing; add <!-- {name} --> before the passage")
        elif closing:
            del open_at[name]
        elif name in open_at:
            problems.append(f"{label}:{line}: <!-- {name} --> opens again before line {open_at[name]}'s is closed; "
                            f"add <!-- /{name} --> first")
        else:
            open_at[name] = line
    problems += [f"{label}:{line}: <!-- {name} --> is never closed; add <!-- /{name} --> after the passage"
                 for name, line in open_at.items()]
    return problems


def prune_nav(nav: list, dropped: set[str], *, clients_first: set[str] = frozenset()) -> list:
    """The nav (as mkdocs.yml writes it) without the `dropped` pages.

    A section left empty goes; a section left with one page gives way to that page
    (a one-page section is a detour). In a section that holds any of `clients_first`
    (a clinic build's clinic pages), every other page is for clients: it leaves the
    section and stands just before it, at its level, while the clinic pages keep the
    section's title ("For clinics"), which tells a client they are not for them.
    """
    result = []
    for item in nav:
        title, value = next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (None, item)
        if isinstance(value, list):
            children = prune_nav(value, dropped, clients_first=clients_first)
            for_clinics = bool(clients_first & {_source(child) for child in value})
            lifted = [c for c in children if for_clinics and _source(c) not in (None, *clients_first)]
            rest = [child for child in children if child not in lifted]
            result += lifted
            if len(rest) == 1 and _source(rest[0]) not in (None, *clients_first):
                result += rest
            elif rest:
                result.append({title: rest} if title is not None else rest)
        elif _source(item) not in dropped:
            result.append(item)
    return result


def _source(item) -> str | None:
    """The docs file a nav entry names (`{"Title": "page.md"}` or "page.md"), or None for a section."""
    value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
    return value if isinstance(value, str) else None
