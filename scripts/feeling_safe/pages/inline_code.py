"""Inline code in built pages: only the snippets our templates and the theme's write.

Why: the Content-Security-Policy allows inline scripts by hash. Hashing
whatever a page happens to contain would allow-list injected code too (a
`<script>` in a page's Markdown, an `onerror` on an image, a `javascript:`
link). So the inline scripts a page may carry are fixed in advance, read
from the template partials that write them (Material's base script, our
palette script), and anything else that could run or style inline fails the
build, naming the page and the line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from feeling_safe.pages import html

if TYPE_CHECKING:
    from feeling_safe.content.sources import PageSource

# The partials that write inline scripts, relative to a theme folder: Material's
# storage helpers (the one Jinja expression in it is the page's relative root) and
# our palette picker. Found in the theme's folders at build time, so a theme update
# that changes them changes the allow-list with it.
ALLOWED_PARTIALS = ("partials/javascripts/base.html", "partials/javascripts/palette.html")
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def allowed_patterns(theme_dirs: list[str | Path]) -> list[re.Pattern]:
    """One pattern per allowed inline script, from the first theme folder that has its partial.

    A `{{ ... }}` in the partial may be any text without a quote or a tag (it is
    a relative address); everything else must match to the character.
    """
    patterns = []
    for partial in ALLOWED_PARTIALS:
        source = next((Path(folder) / partial for folder in theme_dirs if (Path(folder) / partial).is_file()), None)
        if source is None:
            raise ValueError(f"no theme folder has {partial}, whose inline script the policy allows")
        text = _JINJA_COMMENT.sub("", source.read_text(encoding="utf-8"))
        for script in _INLINE_SCRIPT.findall(text):
            parts = [re.escape(piece) for piece in _JINJA_EXPRESSION.split(script)]
            patterns.append(re.compile(r'[^"<>\n]*'.join(parts)))
    return patterns


@dataclass
class Found:
    """A page's inline scripts that are allowed, and every inline thing that is not."""
    scripts: set[str] = field(default_factory=set)
    problems: list[tuple[int, str]] = field(default_factory=list)   # (line in the page as written, what)


def _address_runs_code(value: str) -> bool:
    """A javascript: or vbscript: address, however it is spaced (browsers drop controls and spaces)."""
    return re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:"))


# Attributes that neither run code nor style nor hold an address: most of a page's
# attributes (the nav's), so the check looks only at the others.
_INERT = frozenset({"class", "id", "title", "lang", "dir", "rel", "type", "name", "for", "tabindex", "role",
                    "hidden", "open", "checked", "disabled", "value", "alt", "width", "height", "viewBox",
                    "aria-label", "aria-hidden", "aria-labelledby", "aria-describedby", "aria-expanded",
                    "data-md-component", "data-md-toggle", "data-md-state", "data-md-scrollfix", "data-md-color-scheme",
                    "data-md-color-primary", "data-md-color-accent", "data-md-color-media", "charset", "content",
                    "media", "loading", "decoding", "target", "colspan", "rowspan", "start", "d", "xmlns"})


def _element_problems(element, allowed: list[re.Pattern], found: Found) -> list[str]:
    tag, attrs = element.tag, element.attributes
    problems = []
    for name in attrs.keys() - _INERT:
        value = attrs[name]
        name = name.lower()
        if name.startswith("on"):
            problems.append(f"an inline event handler ({name}=) on <{tag}>")
        elif name == "style":
            problems.append(f"a style= attribute on <{tag}>")
        elif name in URL_ATTRIBUTES and value and ":" in value and _address_runs_code(value):
            problems.append(f"a javascript: address in {name}= on <{tag}>")
    if tag == "style":
        problems.append("a <style> element")
    elif tag == "script" and "src" not in attrs and (attrs.get("type") or "").strip().lower() in EXECUTABLE_TYPES:
        text = element.text(deep=True)
        if any(pattern.fullmatch(text) for pattern in allowed):
            found.scripts.add(text)
        else:
            problems.append(f"an inline <script> that no template writes ({text.strip()[:40]!r})")
    return problems


class Inspector:
    """Checks every written page of a build (held by the plugin)."""

    def __init__(self, allowed: list[re.Pattern]) -> None:
        self.allowed = allowed

    def scan(self, page_html: str) -> Found:
        return scan(page_html, self.allowed)


def scan(page_html: str, allowed: list[re.Pattern]) -> Found:
    """The allowed inline scripts of a built page (for the policy's hashes) and its problems,
    read from the page as written, as a browser reads it (line breaks normalised, as
    browsers do before hashing). Lines are those of the page as the build writes it
    (its serialization, feeling_safe/pages/html.py)."""
    page = html.parse(page_html)
    found, at = Found(), []
    for index, element in enumerate(html.elements(page)):
        for problem in _element_problems(element, allowed, found):
            at.append((index, problem))
    if at:
        lines = html.start_lines(html.serialize(page))
        found.problems = [(lines[index] if index < len(lines) else 0, problem) for index, problem in at]
    return found


def check(page_html: str, label: str, source: PageSource | None, inspector: Inspector,
          scripts: set[str], problems: list[str]) -> None:
    """Check one written page: its allowed inline scripts go into `scripts` (the policy's
    hashes), and each problem into `problems` as a line naming `label` and, when the page
    has a Markdown `source`, the line there it most likely comes from."""
    found = inspector.scan(page_html)
    scripts.update(found.scripts)
    for _line, problem in found.problems:
        line = source_line(source.body, problem) if source else None
        where = f":{source.body_line + line}" if line else ""
        problems.append(f"{label}{where}: {problem}")


_PROBLEM_MARKS = (("event handler", re.compile(r"\son[a-z]+\s*=", re.I)), ("style= attribute", re.compile(r"\bstyle\s*=", re.I)),
                  ("javascript:", re.compile(r"javascript:", re.I)), ("<style>", re.compile(r"<style", re.I)),
                  ("<script>", re.compile(r"<script", re.I)))


def source_line(source: str, problem: str) -> int | None:
    """The line of a page's Markdown where the problem most likely comes from (first match)."""
    for kind, mark in _PROBLEM_MARKS:
        if kind in problem:
            for number, line in enumerate(source.splitlines(), start=1):
                if mark.search(line):
                    return number
    return None
