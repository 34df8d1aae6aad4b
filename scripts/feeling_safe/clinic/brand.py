"""What a clinic build puts into the guide: page text, crisis lines, theme colours.

Every clinic value is escaped where it becomes HTML: the fragments are
template partials rendered with autoescaping (feeling_safe/plugin/partials.py); the site
name, which Material prints unescaped, is a ThemeText that escapes itself.
No clinic value is ever read as Markdown: the page's Markdown holds a placeholder
word where a partial goes, and the partial's HTML replaces it after Markdown.
The build pipeline (feeling_safe/plugin/plugin.py) decides when each runs.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from feeling_safe.clinic.file import PHONE_HEADER_CHARS, Clinic
from feeling_safe.plugin.partials import Partials

# Marker comments in the page text (docs/our-approach.md, docs/get-help-now.md, docs/about.md,
# docs/index.md):
# a pair wraps the generic text a clinic build replaces; a single one marks a spot.
# Each names the partial (overrides/partials/clinic/) that renders the clinic's own; a
# partial that renders nothing (review.html, for a clinic with no reviewer) keeps the
# generic text. A pair may be indented (inside an admonition); the clinic's text is too.
REGIONS = {"clinic-intro": "clinic/intro.html", "clinic-commitments": "clinic/commitments.html",
           "clinic-locations": "clinic/locations.html", "clinic-review": "clinic/review.html",
           "clinic-welcome": "clinic/welcome.html", "clinic-doors": "clinic/doors.html"}
SPOTS = {"clinic-contact": "clinic/contact-box.html"}
CONTACT_LINE = "clinic/contact-line.html"
HEADER_NAME = "header-name.html"
# What a clinic build adds under the site (served with the logo's locked-down policy,
# feeling_safe/publishing/security_headers.py CLINIC_ASSETS).
ASSETS = "assets/clinic/"
CSS = ASSETS + "clinic.css"
FAVICON_PNG = ASSETS + "favicon.png"
TOUCH_ICON = ASSETS + "apple-touch-icon.png"
SHARE_CARD = ASSETS + "share-card.png"
CARD_TAGLINE = "A plain-language guide to feeling safe in therapy."
REVIEWER_LINE = "clinic/reviewer.html"
Render = Callable[[str], str]  # partial name -> HTML, with the clinic in its context


def renderer(partials: Partials, clinic: Clinic) -> Render:
    """Renders a clinic partial with the clinic's values (escaped by the partials' autoescaping)."""
    return lambda partial: partials.render(partial, clinic=clinic.data, reviewer=clinic.get("reviewer"))


def held(name: str) -> str:
    """The word that holds a region's or spot's place in the Markdown until its HTML goes in:
    letters only, one word, so Markdown, its abbreviations and attribute lists leave it be."""
    return "fstheld" + re.sub(r"[^a-z]", "", name)


def brand_markdown(markdown: str, render: Render) -> str:
    """Swap the generic text between marker pairs for a placeholder of the clinic's own.

    Done on the Markdown, before the table of contents is made, so headings
    that only the generic text has never linger in the contents. The clinic's
    text itself goes in after Markdown (`release_held`): Markdown never reads it,
    so nothing in a clinic's values (links, emphasis, `{: attr}` lists, `*[abbr]:`
    definitions, headings) can become markup.
    """
    for name, partial in REGIONS.items():
        pattern = re.compile(rf"^([ \t]*)<!-- {name} -->\n(.*?)^\1<!-- /{name} -->", re.DOTALL | re.MULTILINE)
        if not pattern.search(markdown):
            continue
        own = render(partial)
        markdown = pattern.sub(lambda match, own=own, name=name: (f"\n\n{match.group(1)}{held(name)}\n\n" if own
                                                                  else match.group(2)), markdown)
    for name in SPOTS:
        if f"<!-- {name} -->" in markdown:
            markdown = markdown.replace(f"<!-- {name} -->", f"\n\n{held(name)}\n\n")
    return markdown


_BLOCK = re.compile(r"\s*<(?:p|div|ul|ol|aside|section)[\s>]")


def release_held(html: str, render: Render | None) -> str:
    """The page's HTML with each placeholder `brand_markdown` left replaced by the clinic's
    partial, rendered (autoescaped) and never read as Markdown. A block partial takes the
    place of the paragraph Markdown made around its placeholder; an inline one sits in it.
    Without a clinic (`render` None) the page is as it was."""
    if render is None:
        return html
    for name, partial in {**REGIONS, **SPOTS}.items():
        token = held(name)
        if token not in html:
            continue
        own = render(partial).strip()
        if _BLOCK.match(own):
            html = html.replace(f"<p>{token}</p>", own)
        html = html.replace(token, own)
    return html


def strip_markers(markdown: str) -> str:
    """The unbranded page: generic text kept, marker comments dropped."""
    names = "|".join(map(re.escape, [*REGIONS, *SPOTS]))
    return re.sub(rf"^[ \t]*<!-- /?(?:{names}) -->\n?", "", markdown, flags=re.MULTILINE)


def brand_page_html(content: str, render: Render | None, reviewed: bool) -> str:
    """The reviewer line under the page's H1 (when the clinic names a reviewer) and the
    contact line after the article; without a clinic (`render` None), the page as it was."""
    if render is None:
        return content
    if reviewed:
        head, found, rest = content.partition("</h1>")
        reviewer = render(REVIEWER_LINE)
        content = f"{head}{found}{reviewer}{rest}" if found else reviewer + content
    return content + render(CONTACT_LINE)


def crisis_region(clinic: Clinic):
    """The crisis region (feeling_safe/content/crisis.py) a clinic build shows: a region code, or the
    clinic's own lines as a region mapping (the same shape as a built-in region, without
    sources). Their text stays as written: the partials that print it make it inert."""
    choice = clinic["crisis_region"]
    if isinstance(choice, str):
        return choice
    return {"name": clinic["name"], "lines": [dict(line) for line in choice]}


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
        "base_url": clinic.base_url, "reviewer": clinic.get("reviewer"), "logo_alt": clinic["logo"]["alt"],
        "quick_exit_url": clinic.get("quick_exit_url")}


LICENCE = {"licence": "CC BY-SA 4.0", "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/"}


def attribution(clinic: Clinic, guide_name: str, guide_url: str) -> dict:
    """What CC BY-SA 4.0 asks a clinic build to say (overrides/partials/clinic/attribution.html):
    the original guide's name and site (mkdocs.yml's, before the clinic's replace them), the
    licence and its address, and who adapted it. Raw text: whoever prints it escapes it."""
    return {"clinic": clinic["name"], "guide_name": as_written(guide_name), "guide_url": guide_url, **LICENCE}


def logo_uri(clinic: Clinic) -> str:
    """Where the clinic's logo lands in the site (handouts, share card and favicon use it)."""
    return f"{ASSETS}logo{clinic.logo_file.suffix.lower()}"


def header_logo_uri(clinic: Clinic) -> str:
    """The header's logo: the clinic's light version for the primary colour, if it gives one."""
    variant = clinic.on_primary_file
    return f"{ASSETS}logo-on-primary{variant.suffix.lower()}" if variant else logo_uri(clinic)


def favicon_uri(clinic: Clinic) -> str:
    """An SVG logo is its own favicon; a PNG one gives way to its small PNG copy."""
    return logo_uri(clinic) if clinic.logo_file.suffix.lower() == ".svg" else FAVICON_PNG


def cut_on_phones(name: str) -> bool:
    """Whether a site name would be cut in a phone's header (so a short form takes its place)."""
    return len(name) > PHONE_HEADER_CHARS


def header_names(output: str, names: str) -> str:
    """The header's site name replaced by `names` (partials/header-name.html, rendered): the
    full name and the short form, of which CSS (site.css) shows one: the full name from
    600 px up, the short form below."""
    return _HEADER_TOPIC.sub(lambda match: f"{match.group(1)}{names}{match.group(3)}", output, count=1)


_HEADER_TOPIC = re.compile(r'(<div class="md-header__topic">\s*<span class="md-ellipsis">)(.*?)(</span>)', re.DOTALL)


def theme_css(clinic: Clinic) -> str:
    """CSS custom properties that put the clinic's colours into Material's theme, the
    logo's background (if the clinic gives one).

    Both colours were checked against white (AA). The dark scheme keeps the
    guide's light accent and link colours, which are tuned for dark grounds.
    """
    primary, accent = clinic["colours"]["primary"], clinic["colours"]["accent"]
    background = clinic["logo"].get("background")
    extra = ""
    if background:  # a checked #rgb/#rrggbb colour (schemas/clinic.schema.json)
        extra += (".md-logo img {\n"
                  f"  background-color: {background};\n  border-radius: 0.2rem;\n  padding: 0.1rem;\n}}\n")
    return extra + (":root > * {\n"
            f"  --md-primary-fg-color: {primary};\n  --md-primary-fg-color--light: {primary};\n"
            f"  --md-primary-fg-color--dark: {primary};\n  --md-accent-fg-color: {accent};\n"
            f"  --md-typeset-a-color: {primary};\n}}\n"
            '[data-md-color-scheme="slate"] {\n'
            f"  --md-primary-fg-color: {primary};\n  --md-primary-fg-color--dark: {primary};\n}}\n")


def brand_config(config, clinic: Clinic) -> None:
    """The generator's config made the clinic's: its name (Material prints it unescaped, so a
    ThemeText), its address, its header logo and favicon, and its colour sheet last."""
    config.site_name = ThemeText(clinic["name"])
    config.site_url = clinic.base_url
    config.theme["logo"] = header_logo_uri(clinic)
    config.theme["favicon"] = favicon_uri(clinic)
    config.extra_css.append(CSS)


def site_files(clinic: Clinic, attribution: dict) -> dict[str, Path | str | bytes]:
    """The clinic's files for its site, {site-relative path: source file or content}: the logo
    (and its light version), the icons, the share card and the colour sheet, drawn here
    without a browser or the network (feeling_safe/clinic/images.py)."""
    from feeling_safe.clinic import images  # drawing needs the image libraries; only a clinic build draws

    logo = clinic.logo_file
    found: dict[str, Path | str | bytes] = {logo_uri(clinic): logo}
    if clinic.on_primary_file:
        found[header_logo_uri(clinic)] = clinic.on_primary_file
    credit = f"Adapted from {attribution['guide_name']} · {attribution['licence']}"
    return found | {
        FAVICON_PNG: images.favicon_png(logo),
        TOUCH_ICON: images.touch_icon_png(logo, clinic["logo"].get("background")),
        SHARE_CARD: images.share_card(clinic["name"], CARD_TAGLINE, credit, clinic["colours"]["primary"],
                                      clinic["colours"]["accent"], logo),
        CSS: theme_css(clinic),
    }


def psypact(clinic: Clinic | None) -> bool:
    """Whether the clinic sees clients online across US states under PSYPACT (its pages may say so)."""
    online = (clinic.get("sees_clients") or {}).get("online") or {} if clinic else {}
    return online.get("psypact") is True


def brand_or_strip(markdown: str, render: Render | None) -> str:
    """A clinic build's Markdown with the clinic's text in place of its markers; the guide's without them."""
    return brand_markdown(markdown, render) if render else strip_markers(markdown)
