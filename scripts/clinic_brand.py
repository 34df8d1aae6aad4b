"""What a clinic build puts into the guide: page text, crisis lines, theme colours.

Every clinic value is escaped where it becomes HTML; the site name, which
Material prints unescaped, is a ThemeText that escapes itself in templates.
The clinic hook (overrides/hooks/clinic.py) wires these to MkDocs.
"""
from __future__ import annotations

import html
import re
from datetime import date

from scripts.clinic import Clinic
from scripts.embed import human_date


def _e(value: str) -> str:
    return html.escape(str(value), quote=True)


def tel_href(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def contact_links(clinic: Clinic) -> str:
    """Phone, email and booking as links, joined for one line of text."""
    contact = clinic["contact"]
    links = [f'<a href="{_e(tel_href(contact["phone"]))}">{_e(contact["phone"])}</a>',
             f'<a href="mailto:{_e(contact["email"])}">{_e(contact["email"])}</a>']
    if contact.get("booking_url"):
        links.append(f'<a href="{_e(contact["booking_url"])}">book online</a>')
    return " · ".join(links)


def contact_line_html(clinic: Clinic) -> str:
    """The small call to action after every article."""
    return (f'<aside class="clinic-contact-line" aria-label="Contact {_e(clinic["short_name"])}">'
            f'<p>Questions about therapy at {_e(clinic["name"])}? {contact_links(clinic)}</p></aside>')


def contact_box_html(clinic: Clinic) -> str:
    """The fuller call to action where a reader looks for it (our approach, get help)."""
    contact = clinic["contact"]
    address = f'<p class="clinic-address">{_e(contact["address"])}</p>' if contact.get("address") else ""
    return (f'<div class="clinic-contact admonition" role="note">'
            f'<p class="admonition-title">Talk to {_e(clinic["name"])}</p>'
            f"<p>To ask a question or book a first appointment: {contact_links(clinic)}</p>{address}"
            f"<p>This is not a crisis line. If you may be in danger, use the numbers on "
            f"this page or call your local emergency number.</p></div>")


def commitments_html(clinic: Clinic) -> str:
    items = []
    for commitment in clinic["commitments"]:
        details = f'<p>{_e(commitment["details"])}</p>' if commitment.get("details") else ""
        items.append(f'<li><strong>{_e(commitment["statement"])}</strong>{details}</li>')
    return (f'<div class="clinic-commitments"><p>At {_e(clinic["name"])} we commit to:</p>'
            f'<ul>{"".join(items)}</ul></div>')


def locations_html(clinic: Clinic) -> str:
    sees = clinic["sees_clients"]
    parts = []
    if sees.get("in_person"):
        places = "".join(f'<li><strong>{_e(p["name"])}</strong>: {_e(p["address"])}</li>' for p in sees["in_person"])
        parts.append(f"<p>In person at:</p><ul>{places}</ul>")
    online = sees.get("online")
    if online:
        regions = ", ".join(_e(r) for r in online["regions"])
        parts.append(f"<p>Online, for people living in: {regions}.</p>")
        if online.get("psypact"):
            parts.append("<p>Our psychologists also practise online across PSYPACT member states.</p>")
        if online.get("note"):
            parts.append(f'<p>{_e(online["note"])}</p>')
    return f'<div class="clinic-locations">{"".join(parts)}</div>'


def reviewer_html(clinic: Clinic) -> str:
    reviewer = clinic.get("reviewer")
    if not reviewer:
        return ""
    day = date.fromisoformat(reviewer["reviewed"])
    return (f'<p class="clinic-reviewer">Clinically reviewed for {_e(clinic["short_name"])} by '
            f'{_e(reviewer["name"])}, {_e(reviewer["credential"])}, on '
            f'<time datetime="{day.isoformat()}">{human_date(day)}</time>.</p>')


def intro_html(clinic: Clinic) -> str:
    return (f'<p class="clinic-intro">These are the promises {_e(clinic["name"])} makes to every client. '
            "Each one is something you can expect, and ask about, from your first session on.</p>")


# Marker comments in the page text (docs/our-approach.md, docs/get-help-now.md):
# a pair wraps the generic text a clinic build replaces; a single one marks a spot.
REGIONS = {"clinic-intro": intro_html, "clinic-commitments": commitments_html,
           "clinic-locations": locations_html}
SPOTS = {"clinic-contact": contact_box_html}


def brand_markdown(markdown: str, clinic: Clinic) -> str:
    """Swap the generic text between marker pairs for the clinic's own (as raw HTML blocks).

    Done on the Markdown, before the table of contents is made, so headings
    that only the generic text has never linger in the contents.
    """
    for name, render in REGIONS.items():
        pattern = re.compile(rf"<!-- {name} -->.*?<!-- /{name} -->", re.DOTALL)
        markdown = pattern.sub(lambda _match, render=render: f"\n\n{render(clinic)}\n\n", markdown)
    for name, render in SPOTS.items():
        markdown = markdown.replace(f"<!-- {name} -->", f"\n\n{render(clinic)}\n\n")
    return markdown


def strip_markers(markdown: str) -> str:
    """The unbranded page: generic text kept, marker comments dropped."""
    names = "|".join(map(re.escape, [*REGIONS, *SPOTS]))
    return re.sub(rf"^<!-- /?(?:{names}) -->\n?", "", markdown, flags=re.MULTILINE)


def brand_page_html(content: str, clinic: Clinic) -> str:
    """The reviewer line under the page's H1 and the contact line after the article."""
    reviewer = reviewer_html(clinic)
    if reviewer:
        head, found, rest = content.partition("</h1>")
        content = f"{head}{found}{reviewer}{rest}" if found else reviewer + content
    return content + contact_line_html(clinic)


def crisis_region(clinic: Clinic):
    """The value for `extra.crisis_region` (scripts/crisis.py): a region code, or the
    clinic's own lines as a region mapping with every value escaped (the get-help
    partial and the get-help-now list print them as they are)."""
    choice = clinic["crisis_region"]
    if isinstance(choice, str):
        return choice
    lines = [{"name": _e(line["name"]), "how": f'Call {_e(line["number"])}',
              "short": f'{_e(line["name"])}: {_e(line["number"])}',
              "description": _e(line["description"]),
              "links": [{"label": f'Call {_e(line["number"])}', "href": tel_href(line["number"])}]}
             for line in choice]
    return {"name": _e(clinic["name"]), "lines": lines}


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
    """The clinic's values for other hooks and templates (`config.extra.clinic`).

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
