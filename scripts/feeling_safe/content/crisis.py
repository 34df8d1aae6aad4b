"""Crisis lines for the get-help line and the get-help-now page, from one data file.

Why: crisis numbers must be right, the same everywhere on a site, and easy
for a clinic build to replace (the plugin's `crisis_region`: a region code from
data/crisis-regions.yml, or the clinic's own region as a mapping).
"""
from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from feeling_safe.checks.schema_check import Checker
from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.content.phone import sms_href, tel_href
from feeling_safe.content.plain_text import markdown_href, markdown_text

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_FILE = ROOT / "data" / "crisis-regions.yml"
TEMPLATES = ROOT / "overrides"
PARTIAL = "partials/crisis-lines.html"
MARKER = "<!-- crisis-numbers -->"
# The short line as large links in a page's body (the home page): the lines the banner shows.
LINE_MARKER = "<!-- crisis-line -->"
# Inside a sentence (Get help now's first line): "call" and the emergency number(s) as links.
EMERGENCY_MARKER = "<!-- emergency-call -->"
EMERGENCY_PARTIAL = "partials/emergency-call.html"
SCHEMA = "crisis-regions.schema.json"  # the file; one region is SCHEMA + "#/$defs/region"


def load_regions(path: str | Path = DEFAULT_FILE) -> dict[str, Any]:
    """Every region by code; ValueError naming the file, region, line and field for each problem."""
    regions = load_yaml(path)
    problems = Checker(SCHEMA).lines(regions, path)
    if problems:
        raise ValueError("\n".join(problems))
    return regions


def region_problems(label: str, region: Any, reference_keys: Collection[str] | None = None) -> list[str]:
    """Problems with one region mapping ({name, lines: [...]}), one line each, starting with `label`.

    With `reference_keys` (data/references.yml), each line's `source` must be one of them.
    """
    found = Checker(SCHEMA + "#/$defs/region").lines(region, label)
    if found or reference_keys is None:
        return found
    for number, line in enumerate(region["lines"]):
        found += source_problems(f"{label}: lines[{number}]", line, reference_keys)
    return found


def source_problems(where: str, entry: dict[str, Any], reference_keys: Collection[str]) -> list[str]:
    """An entry's `source` must name keys in data/references.yml (its shape is the schema's to check)."""
    return [f"{where}.source: '{key}' is not a key in data/references.yml; add it there or fix the key"
            for key in source_keys(entry) if key not in reference_keys]


def pick(choice: Any, regions: dict[str, Any], label: str,
         problems: Callable[[str, Any], list[str]]) -> dict[str, Any]:
    """The region to show: a code from `regions` (such as 'us'), or a mapping of one's own.

    Shared by every per-region data file (crisis lines, complaint routes), so
    they pick and check a region the same way; `problems` checks one region.
    """
    if isinstance(choice, str):
        if choice not in regions:
            close = difflib.get_close_matches(choice.lower(), list(regions), n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(regions)}"
            raise ValueError(f"{label}: unknown region '{choice}'; {fix}")
        region, where = regions[choice], f"{label} ({choice})"
    else:
        region, where = choice, label
    found = problems(where, region)
    if found:
        raise ValueError("\n".join(found))
    return region


def resolve(choice: Any, regions: dict[str, Any], label: str = "crisis_region",
            reference_keys: Collection[str] | None = None) -> dict[str, Any]:
    """The crisis region to show, with its links (`shown`): a code such as 'us', or a clinic's
    own region mapping.

    With `reference_keys`, every line's source is checked too (the build does this).
    """
    return shown(pick(choice, regions, label, partial(region_problems, reference_keys=reference_keys)))


# A region mapping of one's own given to the plugin without a `lang` (a clinic file must give one).
DEFAULT_LANG = "en"


def page_lang(region: dict[str, Any], chosen: str | None = None) -> str:
    """The pages' language tag (BCP 47): the one a clinic file chose, else its crisis region's
    (every region in data/crisis-regions.yml has one: en-US, en-GB, ...), else plain English."""
    return chosen or region.get("lang") or DEFAULT_LANG


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


def way_link(way: dict[str, Any]) -> dict[str, str]:
    """One way to reach a line as a link: its kind, its words (the link's accessible name) and address."""
    if "call" in way:
        then = f", then {way['then']}" if way.get("then") else ""
        return {"kind": "call", "label": f"Call {way['call']}{then}", "href": tel_href(way["call"])}
    if "text" in way:
        keyword = way.get("keyword")
        label = f"Text {keyword} to {way['text']}" if keyword else f"Text {way['text']}"
        return {"kind": "text", "label": label, "href": sms_href(way["text"], keyword)}
    host = (urlsplit(way["chat"]).hostname or "").removeprefix("www.")
    return {"kind": "chat", "label": f"Chat online at {host}", "href": way["chat"]}


def shown(region: dict[str, Any]) -> dict[str, Any]:
    """A checked region as the partials print it: each line with its links, its short name
    and its about text (hours, who it is for, description) in one run of sentences."""
    lines = []
    for line in region["lines"]:
        about = " ".join(_sentence(line[key]) for key in ("hours", "for", "description") if line.get(key))
        lines.append({**line, "short": line.get("short", line["name"]), "about": about,
                      "links": [way_link(way) for way in line["ways"]]})
    return {**region, "lines": lines}


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if text.endswith((".", "!", "?")) else text + "."


def environment(loader: jinja2.BaseLoader | None = None,
                compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Jinja for partials whose output Markdown reads again: `text` makes data inert for
    HTML and Markdown; `cite` adds an entry's `[@key]` sources (the citations step links them).
    The build makes one per build (`compiled`: templates an earlier build of `serve` compiled)."""
    env = jinja2.Environment(loader=loader or jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, bytecode_cache=compiled)
    env.filters["text"] = markdown_text
    env.filters["cite"] = lambda value, entry: cite(value, source_keys(entry))
    return env


def numbers_markdown(region: dict[str, Any], env: jinja2.Environment | None = None) -> str:
    """The full list for the get-help-now page (overrides/partials/crisis-lines.html)."""
    return (env or environment()).get_template(PARTIAL).render(region=region).strip() + "\n"


def insert_at(markdown: str, marker: str, text: str) -> str:
    """Replace the first marker line with `text` (pages without the marker are unchanged)."""
    return markdown.replace(marker, "\n" + text, 1) if marker in markdown else markdown


def insert_numbers(markdown: str, region: dict[str, Any], env: jinja2.Environment | None = None) -> str:
    """Replace the crisis marker line with the full list, and the emergency marker in a
    sentence with the emergency number (each rendered only for a page that has its marker:
    every page passes through here, and rendering compiles the partial)."""
    markdown = insert_emergency(markdown, region, env)
    if MARKER not in markdown:
        return markdown
    return insert_at(markdown, MARKER, numbers_markdown(region, env))


def emergency_numbers(region: dict[str, Any]) -> list[dict[str, str]]:
    """The numbers to call in an emergency (the ways to call of the lines marked `emergency: true`),
    each as {number, href}: ["999"] in the UK, ["112", "999"] in Ireland."""
    return [{"number": way["call"], "href": tel_href(way["call"])}
            for line in region["lines"] if line.get("emergency") for way in line["ways"] if "call" in way]


def insert_emergency(markdown: str, region: dict[str, Any], env: jinja2.Environment | None = None) -> str:
    """Replace the in-sentence marker with "call 999" (the number a link that dials it;
    overrides/partials/emergency-call.html), or "call your local emergency number" for a
    region that names none."""
    if EMERGENCY_MARKER not in markdown:
        return markdown
    words = (env or environment()).get_template(EMERGENCY_PARTIAL).render(numbers=emergency_numbers(region))
    return markdown.replace(EMERGENCY_MARKER, " ".join(words.split()))


def line_markdown(region: dict[str, Any], help_link: str | None) -> str:
    """The get-help line's links (those the banner shows) as one paragraph of large links,
    then "More ways to get help" (`help_link`, a Markdown link target) if there is a page for it."""
    links = [f"[{markdown_text(link['label'])}]({markdown_href(link['href'])}){{ .fst-crisis-action }}"
             for line in shown(region)["lines"] if line.get("banner") is not False for link in line["links"][:1]]
    if help_link:
        links.append(f"[More ways to get help]({help_link}){{ .fst-crisis-action }}")
    return "\n".join(links) + "\n{ .fst-crisis-line }\n"


def insert_line(markdown: str, region: dict[str, Any], help_link: str | None) -> str:
    """Replace the short-line marker (home page) with the line's large links."""
    if LINE_MARKER not in markdown:
        return markdown
    return insert_at(markdown, LINE_MARKER, line_markdown(region, help_link))


def help_link(src_uri: str, help_page: str | None) -> str | None:
    """A Markdown link from page `src_uri` to Get help now (the generator resolves it), if the site has one."""
    if help_page is None:
        return None
    return posixpath.relpath(help_page, posixpath.dirname(src_uri) or ".")
