"""The reading path: a "Next step" section pointing to the next page in the nav.

Why: a worried reader should never reach a dead end; each page ends by
offering the next one, with its title and what it is about.
"""
from __future__ import annotations

import posixpath

from feeling_safe.content.plain_text import markdown_text

NEXT_STEP_HEADING = "Next step"


def relative_link(from_src_uri: str, to_src_uri: str) -> str:
    """A Markdown link target from one docs file to another (MkDocs checks and rewrites it)."""
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


def next_step_section(from_src_uri: str, to_src_uri: str, title: str, description: str) -> str:
    """Markdown for the "Next step" section: a link to the next page and its one-line description
    (front matter, so text: a sign Markdown or HTML reads in it is a character)."""
    link = relative_link(from_src_uri, to_src_uri)
    return (f"## {NEXT_STEP_HEADING}\n\n"
            f"[{markdown_text(title)}]({link}): {markdown_text(description)}\n"
            "{ .fst-next-step }\n")


def nav_sources(items: list) -> list[str]:
    """The pages of a nav as mkdocs.yml writes it, flattened in reading order (external links left out)."""
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += nav_sources(value)
        elif isinstance(value, str) and "://" not in value:
            found.append(value)
    return found


def with_next_step(markdown: str, src_uri: str, kind: str | None, target: tuple[str, str, str] | None) -> str:
    """The page's Markdown with a Next step section to `target` (src_uri, title, description).

    Help pages end without one: a reader in crisis is not on a reading path.
    `target` is None for a page outside the reading path (or the only page on it).
    """
    if target is None or kind == "help":
        return markdown
    to_src, title, description = target
    return markdown.rstrip() + "\n\n" + next_step_section(src_uri, to_src, title, description)


def next_steps(order: list[str], meta: dict[str, dict]) -> dict[str, tuple[str, str, str] | None]:
    """Each reading-path page's Next step target (src_uri, title, description): the page after
    it, round to the first; None for the only page on the path. `meta`: each page's front matter."""
    targets: dict[str, tuple[str, str, str] | None] = {}
    for index, src in enumerate(order):
        to = order[(index + 1) % len(order)]
        targets[src] = None if to == src else (to, meta[to]["title"], meta[to]["description"])
    return targets
