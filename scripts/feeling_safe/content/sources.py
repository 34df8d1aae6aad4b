"""Every page's source, read once, and the checks that need them all at once.

Why: each page's front matter and Markdown are read once, at the start of a
build, and every later step takes them from here. A problem in any page
(front matter, citation keys, shortcodes, passage and region markers) is
collected with every other one, so the build fails once naming every file
and field, not one file per attempt.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from feeling_safe.checks.schema_check import Checker
from feeling_safe.content import citations, frontmatter, region_text, scope


@dataclass(frozen=True)
class PageSource:
    """A page's front matter and Markdown, read and checked once."""

    label: str   # docs/what-it-is.md, for messages
    meta: dict[str, Any]
    body: str
    problems: list[str]
    body_line: int = 0  # lines of the file before the body (the front matter), for line numbers


def read_source(label: str, text: str, checker: Checker) -> PageSource:
    """A page's text split into front matter and body, its front matter's problems found."""
    meta, body = frontmatter.split_page(text)
    return PageSource(label, meta, body, frontmatter.page_problems(label, text, meta, checker=checker),
                      body_line=text.count("\n") - body.count("\n"))


def content_problems(pages: Mapping[str, PageSource], references: Mapping[str, Any], marker_words: Collection[str],
                     shortcode_problems: Callable[[str, str], list[str]]) -> str:
    """Every page's problems, by kind, as one message ('' when there are none)."""
    sources = list(pages.values())
    found = [problem for source in sources for problem in source.problems]
    cites = [f"{s.label}: unknown citation key '{key}' (not in data/references.yml)"
             for s in sources for key in citations.unknown_keys(s.body, references)]
    codes = [p for s in sources for p in shortcode_problems(s.label, s.body)]
    markers = [p for s in sources for p in scope.marker_problems(s.label, s.body, s.body_line + 1)]
    only = [p for s in sources for p in region_text.marker_problems(s.label, s.body, marker_words)]
    sections = [("Front matter problems (see CONTRIBUTING.md)", found), ("Citation problems", cites),
                ("Unknown embed shortcodes", codes), ("Unmatched passage markers (see CONTRIBUTING.md)", markers),
                ("Region markers (see CONTRIBUTING.md)", only)]
    return "\n".join(f"{title}:\n  " + "\n  ".join(lines) for title, lines in sections if lines)


def overdue_reviews(pages: Mapping[str, PageSource], on: dt.date) -> list[str]:
    """A line for each page whose next review date has passed by `on`."""
    return [f"{source.label}: next_review was {source.meta['next_review']}; check the page against its sources, "
            "then update last_reviewed and next_review"
            for source in pages.values() if frontmatter.overdue(source.meta, on)]
