"""What a clinic build puts into the guide: page text, crisis lines, theme colours.

Every clinic value is escaped where it becomes HTML: the fragments are
template partials rendered with autoescaping (scripts/partials.py); the site
name, which Material prints unescaped, is a ThemeText that escapes itself.
The build pipeline (scripts/pipeline.py) decides when each runs.
"""
from __future__ import annotations

import html
import re
from typing import Callable

from scripts.clinic import Clinic
from scripts.partials import Partials
from scripts.phone import tel_href
from scripts.plain_text import markdown_text


# Marker comments in the page text (docs/our-approach.md, docs/get-help-now.md, docs/index.md):
# a pair wraps the generic text a clinic build replaces; a single one marks a spot.
# Each names the partial (overrides/partials/clinic/) that renders the clinic's own.
REGIONS = {"clinic-intro": "clinic/intro.html", "clinic-commitments": "clinic/commitments.html",
           "clinic-locations": "clinic/locations.html", "clinic-welcome": "clinic/welcome.html",
           "clinic-doors": "clinic/doors.html"}
SPOTS = {"clinic-contact": "clinic/contact-box.html"}
CONTACT_LINE = "clinic/contact-line.html"
REVIEWER_LINE = "clinic/reviewer.html"
Render = Callable[[str], str]  # partial name -> HTML, with the clinic in its context


def renderer(partials: Partials, clinic: Clinic) -> Render:
    """Renders a clinic partial with the clinic's values (escaped by the partials' autoescaping)."""
    return lambda partial: partials.render(partial, clinic=clinic.data, reviewer=clinic.get("reviewer"))


def brand_markdown(markdown: str, render: Render) -> str:
    """Swap the generic text between marker pairs for the clinic's own (as raw HTML blocks).

    Done on the Markdown, before the table of contents is made, so headings
    that only the generic text has never linger in the contents.
    """
    for name, partial in REGIONS.items():
        pattern = re.compile(rf"<!-- {name} -->.*?<!-- /{name} -->", re.DOTALL)
        markdown = pattern.sub(lambda _match, partial=partial: f"\n\n{render(partial)}\n\n", markdown)
    for name, partial in SPOTS.items():
        if f"<!-- {name} -->" in markdown:
            markdown = markdown.replace(f"<!-- {name} -->", f"\n\n{render(partial)}\n\n")
    return markdown


def strip_markers(markdown: str) -> str:
    """The unbranded page: generic text kept, marker comments dropped."""
    names = "|".join(map(re.escape, [*REGIONS, *SPOTS]))
    return re.sub(rf"^<!-- /?(?:{names}) -->\n?", "", markdown, flags=re.MULTILINE)


def brand_page_html(content: str, render: Render, reviewed: bool) -> str:
    """The reviewer line under the page's H1 (when the clinic names a reviewer) and the
    contact line after the article."""
    if reviewed:
        head, found, rest = content.partition("</h1>")
        reviewer = render(REVIEWER_LINE)
        content = f"{head}{found}{reviewer}{rest}" if found else reviewer + content
    return content + render(CONTACT_LINE)


def crisis_region(clinic: Clinic):
    """The crisis region (scripts/crisis.py) a clinic build shows: a region code, or the
    clinic's own lines as a region mapping with every value made inert text for both HTML
    and Markdown (the get-help partial and the get-help-now list print them as they are)."""
    choice = clinic["crisis_region"]
    if isinstance(choice, str):
        return choice
    text = markdown_text
    lines = [{"name": text(line["name"]), "how": f'Call {text(line["number"])}',
              "short": f'{text(line["name"])}: {text(line["number"])}',
              "description": text(line["description"]),
              "links": [{"label": f'Call {text(line["number"])}', "href": tel_href(line["number"])}]}
             for line in choice]
    return {"name": text(clinic["name"]), "lines": lines}


class ThemeText(str):
    """Text that prints escaped in templates but stays plain text for Python code.

    Why: MkDocs' Jinja does not autoescape, and Material prints
    `{{ config.site_name }}` as it is. This string escapes itself when a
    template prints it (`str()`, `| e`), while f-strings, joins, JSON and
    `html.escape` see the clinic's name as written, so code that escapes
    it itself does not escape it twice.
    """

    def __str__(self) -> str:
        return html.escape(str.__str__(self), quote=True)

    def __html__(self) -> str:
        return str(self)

    def __format__(self, spec: str) -> str:
        return format(str.__str__(self), spec)


def as_written(text: str) -> str:
    """The text as written: a ThemeText (a clinic's site name) without its template escaping.

    For code that escapes for itself or writes JSON; plain strings pass through.
    """
    return str.__str__(text)


def public_fields(clinic: Clinic) -> dict:
    """The clinic's values for templates, the JSON-LD and the handouts.

    Raw text, as written: whoever prints one must escape it.
    """
    return {key: clinic.data[key] for key in ("name", "short_name", "contact", "crisis_region")} | {
        "complaint_route": clinic.get("complaint_route"), "complaint_region": clinic.get("complaint_region"),
        "base_url": clinic.base_url, "reviewer": clinic.get("reviewer"), "logo_alt": clinic["logo"]["alt"]}


def theme_css(clinic: Clinic) -> str:
    """CSS custom properties that put the clinic's colours into Material's theme.

    Both colours were checked against white (AA). The dark scheme keeps the
    guide's light accent and link colours, which are tuned for dark grounds.
    """
    primary, accent = clinic["colours"]["primary"], clinic["colours"]["accent"]
    return (":root > * {\n"
            f"  --md-primary-fg-color: {primary};\n  --md-primary-fg-color--light: {primary};\n"
            f"  --md-primary-fg-color--dark: {primary};\n  --md-accent-fg-color: {accent};\n"
            f"  --md-typeset-a-color: {primary};\n}}\n"
            '[data-md-color-scheme="slate"] {\n'
            f"  --md-primary-fg-color: {primary};\n  --md-primary-fg-color--dark: {primary};\n}}\n")
