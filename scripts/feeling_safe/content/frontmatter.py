"""The guide's front matter content model (see CONTRIBUTING.md).

Why: editors must not be able to publish a page that breaks the guide's
shape, so every page's front matter is checked before anything is built and
all problems are reported together, in plain words, naming file and field.
schemas/front-matter.schema.json is the one list of required and allowed
fields (checked through feeling_safe/checks/schema_check.py); only what JSON Schema
cannot express is written here: next_review after last_reviewed, concept ids
within OUTLINE.md's range.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.utils.meta import get_data

from feeling_safe.checks.schema_check import Checker, Problem, load_schema

SCHEMA = "front-matter.schema.json"


def _from_schema() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[int, int]]:
    """(required fields, optional fields, kinds, description length), as the schema lists them."""
    rules = load_schema(SCHEMA)
    fields = rules["properties"]
    required = tuple(rules["required"])
    optional = tuple(name for name in fields if name not in required)
    return (required, optional, tuple(fields["kind"]["enum"]),
            (fields["description"]["minLength"], fields["description"]["maxLength"]))


# Optional: ours (`scripts`: names of the page's small scripts, e.g. the
# self-check's), then Material's own page keys.
REQUIRED, OPTIONAL, KINDS, DESCRIPTION_LENGTH = _from_schema()
ALLOWED = REQUIRED + OPTIONAL
IDEA_COUNT = 73  # concept ids C1..C73 in ../shared/guide/OUTLINE.md
HARM_IDEA_COUNT = 26  # Part 2 of the outline (harm, choosing, changing): H1..H26
IDEA_ID = re.compile(r"(C|H)([1-9][0-9]*)")
IDEA_LIMITS = {"C": IDEA_COUNT, "H": HARM_IDEA_COUNT}
TODAY_VARIABLE = "FST_TODAY"
# Front matter nests two levels at most (`search: {exclude: true}`); deeper than this is refused
# before the schema check walks it (a walk hundreds of levels deep would exceed Python's stack).
MAX_DEPTH = 10


# Fields the theme prints into pages as they are (MkDocs' Jinja does not autoescape).
THEME_PRINTED = ("title", "description")


def escaped_for_theme(meta: dict[str, Any]) -> None:
    """A page's `meta` (MkDocs' copy, which the theme prints) with its printed fields made
    HTML text: a `<`, `&` or `"` in a title or description is a character, never markup.
    `Markup`, so our autoescaping partials do not escape it twice; our own code reads the
    front matter as written (`facts.pages`)."""
    for name in THEME_PRINTED:
        if isinstance(meta.get(name), str):
            meta[name] = Markup.escape(meta[name])


def read_front_matter(path: str | os.PathLike) -> dict[str, Any]:
    """The page's front matter, for tools that read one page from disk (make check-reviews)."""
    return split_page(Path(path).read_text(encoding="utf-8-sig"))[0]


def as_date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD date (PyYAML already turns unquoted ones into dates), else None."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def problems(label: str, meta: dict[str, Any], *, checker: Checker | None = None) -> list[str]:
    """Every way `meta` breaks the content model, one line each: `label: field: problem; fix`.

    Pass a `checker` (Checker(SCHEMA)) to reuse it across many pages.
    """
    deep = [field for field, value in meta.items() if _deeper_than(value, MAX_DEPTH)]
    if deep:
        return [f"{label}: {field}: nested more than {MAX_DEPTH} levels deep; front matter fields are "
                "plain values, lists or short mappings" for field in deep]
    checker = checker or Checker(SCHEMA)
    found = checker.problems(meta)
    bad = {problem.path for problem in found}
    last, following = as_date(meta.get("last_reviewed")), as_date(meta.get("next_review"))
    if last and following and following <= last and not {("last_reviewed",), ("next_review",)} & bad:
        found.append(Problem(("next_review",), f"{following} is not after last_reviewed ({last}); "
                                                "set the next review after the last one"))
    ideas = meta.get("ideas")
    if isinstance(ideas, list):
        for index, idea in enumerate(ideas):
            match = IDEA_ID.fullmatch(idea) if isinstance(idea, str) else None
            if match and int(match.group(2)) > IDEA_LIMITS[match.group(1)] and ("ideas", index) not in bad:
                found.append(Problem(("ideas", index), f"{idea!r} is not in OUTLINE.md; use concept ids "
                                                       f"C1 to C{IDEA_COUNT} or H1 to H{HARM_IDEA_COUNT}"))
    return checker.format(label, found, meta)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and mappings inside `value` nest more than `limit` levels (walked without recursion)."""
    level = [value]
    for _depth in range(limit + 1):
        level = [item for node in level if isinstance(node, (list, dict))
                 for item in (node.values() if isinstance(node, dict) else node)]
        if not level:
            return False
    return True


def split_page(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, Markdown body) of a page's text, parsed the way MkDocs parses it."""
    body, meta = get_data(text)
    return meta, body


def page_problems(label: str, text: str, meta: dict[str, Any] | None = None, *,
                  checker: Checker | None = None) -> list[str]:
    """Problems with one page's text (`meta`: its front matter, if already parsed);
    a page whose YAML cannot be read is one problem."""
    if not text.startswith("---"):
        return [f"{label}: front matter is missing (start the file with a '---' block)"]
    if meta is None:
        meta, _ = split_page(text)
    if not meta:
        return [f"{label}: front matter could not be read as YAML, or is empty"]
    return problems(label, meta, checker=checker)


def check_pages(pages: Iterable[tuple[str, str | os.PathLike]]) -> list[str]:
    """Problems across (label, path) pairs, for tools that read pages from disk."""
    checker = Checker(SCHEMA)
    return [problem for label, path in pages
            for problem in page_problems(label, Path(path).read_text(encoding="utf-8-sig"), checker=checker)]


def today(environ: dict[str, str] | None = None) -> dt.date:
    """Today's date, unless FST_TODAY=YYYY-MM-DD says otherwise (tests pin it)."""
    value = (os.environ if environ is None else environ).get(TODAY_VARIABLE)
    if value:
        parsed = as_date(value)
        if parsed is None:
            raise ValueError(f"{TODAY_VARIABLE} is '{value}'; write it as YYYY-MM-DD")
        return parsed
    return dt.date.today()


def overdue(meta: dict[str, Any], on: dt.date) -> bool:
    """Whether the page's next review date has passed on date `on`."""
    due = as_date(meta.get("next_review"))
    return due is not None and due < on
