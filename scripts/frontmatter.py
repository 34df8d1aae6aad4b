"""The guide's front matter content model (see CONTRIBUTING.md).

Why: editors must not be able to publish a page that breaks the guide's
shape, so every page's front matter is checked before anything is built and
all problems are reported together, in plain words, naming file and field.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Any, Iterable

from mkdocs.utils.meta import get_data

KINDS = ("home", "explainer", "tool", "help", "reference", "clinic")
REQUIRED = ("title", "description", "kind", "last_reviewed", "next_review")
# Our optional fields (`scripts`: names of the page's small scripts, e.g. the
# self-check's), then Material's own page keys.
OPTIONAL = ("covers", "ideas", "terms", "scripts", "template", "hide", "search", "status")
ALLOWED = REQUIRED + OPTIONAL
DESCRIPTION_LENGTH = (50, 160)
# Concept ids in ../shared/guide/OUTLINE.md: C1..C73 (part 1) and H1..H26 (part 2: harm,
# complaints, choosing and changing a therapist).
IDEA_RANGES = {"C": 73, "H": 26}
IDEA_COUNT = IDEA_RANGES["C"]
IDEA_ID = re.compile(r"([CH])([1-9][0-9]*)")
TODAY_VARIABLE = "FST_TODAY"


def read_front_matter(path: str | os.PathLike) -> dict[str, Any]:
    """The page's front matter, parsed the way MkDocs parses it."""
    _, meta = get_data(Path(path).read_text(encoding="utf-8-sig"))
    return meta


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


def _closest(name: str) -> str:
    match = difflib.get_close_matches(name, ALLOWED, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def problems(label: str, meta: dict[str, Any]) -> list[str]:
    """Every way `meta` breaks the content model, as plain sentences starting with `label`."""
    found: list[str] = []
    for name in meta:
        if name not in ALLOWED:
            found.append(f"{label}: unknown field '{name}'{_closest(str(name))}; "
                         f"allowed fields are {', '.join(ALLOWED)}")
    for name in REQUIRED:
        if meta.get(name) in (None, ""):
            found.append(f"{label}: {name} is missing")
    for name in ("title", "description", "covers"):
        if meta.get(name) not in (None, "") and not _is_text(meta[name]):
            found.append(f"{label}: {name} must be text")
    description = meta.get("description")
    if _is_text(description):
        low, high = DESCRIPTION_LENGTH
        length = len(description.strip())
        if not low <= length <= high:
            found.append(f"{label}: description is {length} characters; keep it between {low} and {high}")
    kind = meta.get("kind")
    if kind not in (None, "") and kind not in KINDS:
        found.append(f"{label}: kind is '{kind}'; use one of {' | '.join(KINDS)}")
    dates = {}
    for name in ("last_reviewed", "next_review"):
        value = meta.get(name)
        if value in (None, ""):
            continue
        dates[name] = as_date(value)
        if dates[name] is None:
            found.append(f"{label}: {name} is '{value}', not a date; write it as YYYY-MM-DD")
    if dates.get("last_reviewed") and dates.get("next_review") \
            and dates["next_review"] <= dates["last_reviewed"]:
        found.append(f"{label}: next_review ({dates['next_review']}) must be after "
                     f"last_reviewed ({dates['last_reviewed']})")
    covers = meta.get("covers")
    if _is_text(covers) and "\n" in covers.strip():
        found.append(f"{label}: covers must be one line")
    found.extend(_idea_problems(label, meta.get("ideas")))
    scripts = meta.get("scripts")
    if scripts is not None and not (isinstance(scripts, list) and all(_is_text(s) for s in scripts)):
        found.append(f"{label}: scripts must be a list of script names")
    return found


def _idea_problems(label: str, ideas: Any) -> list[str]:
    if ideas is None:
        return []
    if not isinstance(ideas, list):
        return [f"{label}: ideas must be a list of concept ids such as C1"]
    bad = [str(i) for i in ideas
           if not (isinstance(i, str) and (m := IDEA_ID.fullmatch(i)) and int(m.group(2)) <= IDEA_RANGES[m.group(1)])]
    if bad:
        ranges = " or ".join(f"{letter}1 to {letter}{count}" for letter, count in IDEA_RANGES.items())
        return [f"{label}: ideas has {', '.join(bad)}; use concept ids {ranges}"]
    return []


def check_pages(pages: Iterable[tuple[str, str | os.PathLike]]) -> list[str]:
    """Problems across (label, path) pairs; a page whose YAML cannot be read is one problem."""
    found: list[str] = []
    for label, path in pages:
        text = Path(path).read_text(encoding="utf-8-sig")
        if not text.startswith("---"):
            found.append(f"{label}: front matter is missing (start the file with a '---' block)")
            continue
        _, meta = get_data(text)
        if not meta:
            found.append(f"{label}: front matter could not be read as YAML, or is empty")
            continue
        found.extend(problems(label, meta))
    return found


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
