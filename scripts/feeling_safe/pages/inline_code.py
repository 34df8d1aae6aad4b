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
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from feeling_safe.pages.html_scan import PageScanner, RawText, StartTag, read_token

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
    problems: list[tuple[int, str]] = field(default_factory=list)   # (line in the built page, what)


class _Scanner(HTMLParser):
    def __init__(self, allowed: list[re.Pattern]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.found = Found()
        self._script: list[str] | None = None
        self._script_line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if name.startswith("on"):
                self.found.problems.append((line, f"an inline event handler ({name}=) on <{tag}>"))
            elif name == "style":
                self.found.problems.append((line, f"a style= attribute on <{tag}>"))
            elif name in URL_ATTRIBUTES and value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                    ("javascript:", "vbscript:")):
                self.found.problems.append((line, f"a javascript: address in {name}= on <{tag}>"))
        kinds = dict(attrs)
        if tag == "style":
            self.found.problems.append((line, "a <style> element"))
        elif tag == "script" and "src" not in kinds and (kinds.get("type") or "").strip().lower() in EXECUTABLE_TYPES:
            self._script, self._script_line = [], line

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            text = "".join(self._script)
            if any(pattern.fullmatch(text) for pattern in self.allowed):
                self.found.scripts.add(text)
            else:
                self.found.problems.append((self._script_line, f"an inline <script> that no template writes "
                                                               f"({text.strip()[:40]!r})"))
            self._script = None


class Inspector:
    """Scans every page of a build (held by the plugin): pages share most of their markup, so
    each distinct tag or script is judged once (scripts/feeling_safe/pages/html_scan.py); a page that is not plain
    markup is read whole by html.parser, with the same verdicts."""

    def __init__(self, allowed: list[re.Pattern]) -> None:
        self.allowed = allowed
        self.scanner = PageScanner()
        self._verdicts: dict[str, Found] = {}

    def scan(self, page_html: str) -> Found:
        page_html = page_html.replace("\r\n", "\n").replace("\r", "\n") if "\r" in page_html else page_html
        tokens = self.scanner.page_tokens(page_html)
        if tokens is None:
            return scan(page_html, self.allowed)
        found = Found()
        for token in tokens:
            verdict = self._verdicts.get(token)
            if verdict is None:
                verdict = self._verdicts[token] = self._judge(token)
            found.scripts |= verdict.scripts
            found.problems += verdict.problems
        return found

    def _judge(self, token: str) -> Found:
        read = read_token(token)
        if isinstance(read, RawText):
            attrs = "".join(f' {name}="{value}"' if value is not None else f" {name}" for name, value in read.tag.attrs)
            return scan(f"<{read.tag.name}{attrs}>{read.body}</{read.tag.name}>", self.allowed)
        if isinstance(read, StartTag):
            attrs = "".join(f' {name}="{escape(value)}"' if value is not None else f" {name}"
                            for name, value in read.attrs)
            return scan(f"<{read.name}{attrs}>", self.allowed)
        return Found()


def scan(page_html: str, allowed: list[re.Pattern]) -> Found:
    """The allowed inline scripts of a built page (for the policy's hashes) and its problems."""
    scanner = _Scanner(allowed)
    # Browsers normalise line breaks before hashing; so do we.
    scanner.feed(page_html.replace("\r\n", "\n").replace("\r", "\n"))
    scanner.close()
    return scanner.found


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
