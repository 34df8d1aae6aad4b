"""What a built page may hold: the elements, attributes and addresses on an explicit list.

Why: a deny-list (look for inline scripts and handlers) misses what it did not
think of: another script type, `srcdoc`, a `data:` script source, SVG that
animates a link, `<meta http-equiv="refresh">`, a `.js` file dropped into
`docs/`. So each page, as the build writes it, is read the way a browser reads
it (feeling_safe/pages/html.py, an HTML5 parser) and everything in it must be on
the lists below, for the template that wrote it; anything else fails the build,
naming the page and the line. The lists are short on purpose: what the guide's
templates and Markdown write, and nothing a page does not need.

- Inline scripts: only those the template partials write (Material's storage
  helpers, our palette script), read from the partials at build time, so the
  Content-Security-Policy can allow them by hash.
- Inline CSS: only the one `<style>` overrides/main.html writes in the head,
  without attributes, holding exactly the build's text (`Rules.style`): empty
  as pages are written, since the build fills it with the critical CSS after
  the purge (pages/lean_assets.py), which the policy allows by its hash; and
  the one a template adds for a sheet of its own (the home page's, an embed
  view's: `<style data-fs-own="...">`, naming a listed stylesheet), also empty
  until the build fills it. Any other `<style>` (in the body, from a Markdown
  page's raw HTML; another one; other text) and every style= attribute fails
  the build.
- Scripts and stylesheets: only from files the theme brings (Material's,
  `overrides/`), that `DOCS_CODE` names under `docs/`, or that the build writes
  itself (a page's scripts join in one file, feeling_safe/publishing/page_scripts.py);
  a file under `docs/` that could run or style (not Markdown, not an image) must
  be named there too.
- Addresses: links may go to http(s), mailto, tel and sms; everything a page
  loads (scripts, sheets, images, frames) comes from the site itself.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from feeling_safe.pages import html

if TYPE_CHECKING:
    from feeling_safe.content.sources import PageSource

# --- the lists ------------------------------------------------------------------------------

# Files under docs/ that a browser could run or style with, each named: a script,
# stylesheet, SVG or HTML file added to docs/ is served only once it is named here
# (a reviewer sees it). Everything else under docs/ must be Markdown or an image.
DOCS_CODE = frozenset({
    "assets/javascripts/complaint-finder.js", "assets/javascripts/copy-text.js",
    "assets/javascripts/embed-frame.js", "assets/javascripts/embed-picker.js",
    "assets/javascripts/private-page.js", "assets/javascripts/quick-exit.js",
    "assets/javascripts/self-check.js", "assets/javascripts/was-this-ok.js",
    "assets/stylesheets/print.css", "assets/stylesheets/site.css",
    "assets/favicon.svg",
    "embed.js",  # the script a host page includes to fit our frame (feeling_safe/publishing/embed.py)
})
INERT_FILES = (".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico")
CODE_FILES = (".js", ".mjs", ".css", ".json", ".svg")  # what a page may load as code or data, by origin

# The partials that write inline scripts, relative to a theme folder: Material's
# storage helpers (the one Jinja expression in it is the page's relative root) and
# our palette picker. Found in the theme's folders at build time, so a theme update
# that changes them changes the allow-list with it.
ALLOWED_PARTIALS = ("partials/javascripts/base.html", "partials/javascripts/palette.html")

# Attributes any listed element may carry: none of them runs code, styles or loads.
GLOBAL = frozenset({"class", "id", "title", "lang", "dir", "hidden", "tabindex", "role"})
# The data-* attributes the theme's and our templates write and our scripts read.
DATA = frozenset({
    "data-md-component", "data-md-toggle", "data-md-state", "data-md-scrollfix", "data-md-type",
    "data-md-level", "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent",
    "data-md-color-media", "data-lean-palette", "data-lean-deferred", "data-bundle", "data-word-index", "data-search-on-intent",
    "data-fact", "data-fst-exit", "data-fs-copy", "data-copy-list", "data-print-url", "data-finder",
    "data-places", "data-body", "data-group", "data-kind", "data-order", "data-short", "data-statement",
    "data-value", "data-situations", "data-ok-tool", "data-ok-part", "data-ok-notes", "data-ok-routes",
    "data-ok-item", "data-ok-action", "data-ok-summary", "data-self-check", "data-sc-list", "data-sc-scale",
    "data-sc-static", "data-sc-guide", "data-sc-guidance", "data-sc-privacy", "data-sc-fine", "data-sc-harm",
    "data-sc-group", "data-sc-notes", "data-preview", "data-snippet",
})  # (data-fs-own: on a <style> only, read with it)

_TEXT = ("abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
         "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li",
         "mark", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
         "tbody", "tfoot", "thead", "tr", "u", "ul", "var", "wbr", "article", "aside", "footer", "header", "main",
         "nav", "section", "fieldset", "legend", "noscript")
# Element -> the attributes it may carry beyond GLOBAL, aria-* and DATA.
ELEMENTS: dict[str, frozenset[str]] = {tag: frozenset() for tag in _TEXT} | {
    "html": frozenset(), "head": frozenset(), "body": frozenset(), "title": frozenset(),
    "meta": frozenset({"charset", "name", "property", "content"}),
    "link": frozenset({"rel", "href", "media", "type", "sizes", "hreflang"}),
    "script": frozenset({"src", "defer", "type"}),
    "a": frozenset({"href", "rel", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "time": frozenset({"datetime"}),
    "ol": frozenset({"start", "reversed"}), "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan"}), "th": frozenset({"colspan", "rowspan", "scope"}),
    "details": frozenset({"open"}),
    "label": frozenset({"for"}),
    "input": frozenset({"type", "name", "value", "checked", "disabled", "placeholder", "required",
                        "autocomplete", "autocapitalize", "autocorrect", "spellcheck", "maxlength"}),
    "button": frozenset({"type", "name", "value", "disabled"}),
    "textarea": frozenset({"name", "rows", "cols", "placeholder", "maxlength", "spellcheck", "autocomplete",
                           "required"}),
    "select": frozenset({"name", "required"}), "option": frozenset({"value", "selected"}),
    # Icons: drawings only (no <a>, <animate>, <set>, <foreignObject>, <image>, <style> in SVG).
    "svg": frozenset({"viewbox", "xmlns", "width", "height", "focusable", "fill"}),
    "symbol": frozenset({"viewbox"}), "defs": frozenset(), "g": frozenset(),
    "path": frozenset({"d", "fill-rule", "clip-rule"}), "use": frozenset({"href"}),
}
# What each template may hold beyond ELEMENTS: the search form (Material's header),
# the embed picker's form and preview frame (a page for clinics), links that leave
# an embed view's frame.
TEMPLATE_EXTRAS: dict[str, dict[str, frozenset[str]]] = {
    "page": {"form": frozenset({"name"}), "iframe": frozenset({"src", "loading", "width", "height"})},
    "404": {"form": frozenset({"name"})},
    "embed": {"a": ELEMENTS["a"] | {"target"}},
}
# Attributes whose values are a fixed set (rel: each word).
VALUES: dict[tuple[str, str], frozenset[str]] = {
    ("a", "rel"): frozenset({"noopener", "noreferrer", "nofollow", "license", "external", "author", "help"}),
    ("a", "target"): frozenset({"_top"}),
    ("link", "rel"): frozenset({"stylesheet", "icon", "apple-touch-icon", "canonical", "alternate", "next",
                                "prev", "license"}),
    ("input", "type"): frozenset({"checkbox", "radio", "text", "search", "date", "email", "tel"}),
    ("button", "type"): frozenset({"button", "reset", "submit"}),
    ("meta", "name"): frozenset({"viewport", "description", "robots", "theme-color", "color-scheme",
                                 "twitter:card", "twitter:title", "twitter:description", "twitter:image",
                                 "twitter:image:alt"}),
}
DATA_TYPES = frozenset({"application/json", "application/ld+json"})  # <script type>: data, never run
_OPEN_GRAPH = re.compile(r"og:[a-z_:]+")

# Addresses, by what the element does with them.
LINK, PAGE, LOAD, CODE, FRAME = "link", "page", "load", "code", "frame"
ADDRESSES: dict[tuple[str, str], str] = {
    ("a", "href"): LINK, ("a", "data-print-url"): PAGE,
    ("img", "src"): LOAD, ("use", "href"): LOAD,
    ("script", "src"): CODE, ("script", "data-bundle"): CODE, ("script", "data-word-index"): LOAD,
    ("iframe", "src"): FRAME, ("option", "data-preview"): FRAME,
}
_LINK_REL = {"stylesheet": CODE, "icon": LOAD, "apple-touch-icon": LOAD}   # other rels: PAGE
# The elements with an address of a kind resolved against the page's folder (LOAD, CODE, FRAME).
_RESOLVES = frozenset({tag for (tag, _name), kind in ADDRESSES.items() if kind in (LOAD, CODE, FRAME)} | {"link"})
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms"})
EMBED_FOLDER = "embed/"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Rules:
    """What this build's pages may hold: the inline scripts its templates write, the files a
    page may load code from (site-relative paths), and the site's folder on its host."""
    scripts: tuple[re.Pattern, ...]
    code: frozenset[str] = frozenset()
    prefix: str = "/"
    # The text the head's one <style> may hold: empty as the build writes pages (it fills the
    # element with the critical CSS once every page is written), the critical CSS once filled.
    # The same text, the same hash (the policy's 'sha256-...'): texts are compared here.
    style: str = ""
    # The texts a later <style> in the head may hold once the build has filled it: a template's
    # own sheet (overrides/home.html). Empty as pages are written (each is then an empty
    # <style data-fs-own="its sheet">).
    own: frozenset[str] = frozenset()
    # Each element's verdict, once per build: pages repeat the same tags with the same
    # attributes (links, icons, list items). Keyed by what decides it (`_Reader._attributes`).
    verdicts: dict[tuple, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Found:
    """A page's inline scripts that are allowed, and everything else that is not."""
    scripts: set[str] = field(default_factory=set)
    problems: list[tuple[int, str]] = field(default_factory=list)   # (line in the page as written, what)


# --- reading the lists from the build ----------------------------------------------------------

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


def docs_file_problems(docs_files: list[str], docs_folder: str = "docs") -> list[str]:
    """A line for each file under docs/ a browser could run or style with that DOCS_CODE does
    not name (site-relative paths, as MkDocs lists them)."""
    return [f"{docs_folder}/{path}: a file a browser could run or style with, not on the list of the "
            f"site's own code (DOCS_CODE in feeling_safe/pages/allowed_markup.py); add it there, or "
            f"remove it" for path in sorted(docs_files)
            if not path.lower().endswith(INERT_FILES) and path not in DOCS_CODE]


def site_code(theme_files: list[str], written_by_build: list[str]) -> frozenset[str]:
    """The files a page may load code from: the theme's (Material's and overrides/), the
    ones DOCS_CODE names, and the build's own (lean sheets, sprite, search index, the pages'
    tools files: publishing/page_scripts.py)."""
    return frozenset(path for path in theme_files if path.lower().endswith(CODE_FILES)) \
        | DOCS_CODE | frozenset(written_by_build)


# --- reading a page ----------------------------------------------------------------------------

def scan(page_html: str, rules: Rules, *, template: str = "page", dest: str = "index.html") -> Found:
    """The allowed inline scripts of a built page (for the policy's hashes) and its problems,
    read as a browser reads it. `template`: page, embed or 404 (TEMPLATE_EXTRAS); `dest`: the
    page's site-relative path (its addresses are resolved against it). Lines are those of the
    page as the build writes it (its serialization, feeling_safe/pages/html.py)."""
    page = html.parse(page_html)
    reader = _Reader(rules, template, posixpath.dirname(dest))
    found, at = Found(), []
    for index, element in enumerate(html.elements(page)):
        for problem in reader.problems(element, found):
            at.append((index, problem))
        if element.tag == "noscript":  # as a browser without scripts reads it
            content = html.parse_fragment(element.text(deep=True))
            for inner in html.elements(content):
                for problem in reader.problems(inner, found):
                    at.append((index, f"{problem} (inside <noscript>)"))
    if at:
        lines = html.start_lines(html.serialize(page))
        found.problems = [(lines[index] if index < len(lines) else 0, problem) for index, problem in at]
    return found


class _Reader:
    def __init__(self, rules: Rules, template: str, folder: str) -> None:
        self.rules, self.template, self.folder = rules, template, folder
        self.elements = ELEMENTS | TEMPLATE_EXTRAS.get(template, {})
        self.styles = 0   # the head's <style> elements met so far

    def problems(self, element, found: Found) -> list[str]:
        tag = element.tag.lower()
        if tag == "script":
            return self._script(element, found) + self._attributes(tag, element.attributes)
        if tag == "style":
            return self._style(element)
        if tag not in self.elements:
            what = "a <style> element" if tag == "style" else f"a <{tag}> element"
            return [f"{what}, which the {self.template} template may not hold"]
        return self._attributes(tag, element.attributes)

    def _script(self, element, found: Found) -> list[str]:
        """A script of no type runs: it must load a listed file (its src= is checked as an
        address) or be a template's inline script. A data type (JSON) never runs; any other
        type may (text/ecmascript, module, importmap, speculationrules ...): none is listed."""
        attrs = {name.lower(): value for name, value in element.attributes.items()}
        kind = attrs.get("type")
        if kind is not None:
            if kind.strip().lower() in DATA_TYPES:
                return []
            what = "a <script" + (">" if "src" in attrs else "> (inline)")
            return [f'{what} of type="{kind}", which a browser may run: pages hold only scripts of no '
                    f'type and JSON data (an inline <script> needs a template that writes it)']
        if "src" in attrs:
            return []
        text = element.text(deep=True)
        if any(pattern.fullmatch(text) for pattern in self.rules.scripts):
            found.scripts.add(text)
            return []
        return [f"an inline <script> that no template writes ({text.strip()[:40]!r})"]

    def _style(self, element) -> list[str]:
        """Only the templates' `<style>` elements, children of the head: the one for the critical
        CSS, first, with no attributes (no media=, no nonce=) and the build's text (`Rules.style`);
        and one a template adds for a sheet of its own, empty with `data-fs-own` naming a
        stylesheet of the site's own code as pages are written, then with that sheet's text
        (`Rules.own`) and no attribute."""
        parent = element.parent
        if parent is None or parent.tag.lower() != "head":
            return [f"a <style> element outside the head, which the {self.template} template may not hold "
                    f"(only the head's one <style>, which the build fills, is allowed)"]
        attrs = {name.lower(): value or "" for name, value in element.attributes.items()}
        text = element.text(deep=True)
        if html.OWN_SHEET in attrs:
            path = attrs.pop(html.OWN_SHEET)
            if attrs:
                return [f"a {next(iter(attrs))}= attribute on a <style> in the head"]
            if not path.endswith(".css") or path not in self.rules.code:
                return [f"a <style> for {path!r}, not a stylesheet on the list of the site's own code"]
            return ["a <style> in the head with text the build did not put there"] if text else []
        if attrs:
            return [f"a {next(iter(attrs))}= attribute on the head's <style>"]
        self.styles += 1
        if self.styles > 1 and text not in self.rules.own:
            return ["a second <style> in the head (the template writes one, which the build fills)"]
        if self.styles == 1 and text != self.rules.style:
            return ["a <style> in the head with text the build did not put there "
                    "(the Content-Security-Policy allows only the critical CSS, by its hash)"]
        return []

    def _attributes(self, tag: str, attrs: dict) -> list[str]:
        """The problems of an element's attributes: the same for the same tag and attributes in
        the same template, and for an element that loads, from the same folder (its addresses
        are resolved against it)."""
        key = (self.template, self.folder if tag in _RESOLVES else "", tag, *attrs.items())
        verdict = self.rules.verdicts.get(key)
        if verdict is None:
            verdict = self.rules.verdicts[key] = tuple(self._attribute_problems(tag, attrs))
        return list(verdict)

    def _attribute_problems(self, tag: str, attrs: dict) -> list[str]:
        allowed = self.elements.get(tag, frozenset())
        problems = []
        for raw_name, value in attrs.items():
            name = raw_name.lower()
            value = value or ""
            if name.startswith("on"):
                problems.append(f"an inline event handler ({name}=) on <{tag}>")
            elif name == "style":
                problems.append(f"a style= attribute on <{tag}>")
            elif not (name in GLOBAL or name in allowed or name in DATA or
                      (name.startswith("aria-") and name[5:].isalpha())):
                problems.append(f"a {name}= attribute on <{tag}>, which the {self.template} template may not hold")
            else:
                problem = self._value(tag, name, value, attrs)
                if problem:
                    problems.append(problem)
        return problems

    def _value(self, tag: str, name: str, value: str, attrs: dict) -> str | None:
        if (tag, name) == ("script", "type"):
            return None  # read with the script (_script)
        if (tag, name) in VALUES:
            words = value.lower().split() if name == "rel" else [value.strip().lower()]
            wrong = [word for word in words if word not in VALUES[(tag, name)]] or ([""] if not words else [])
            if wrong:
                return f'{name}="{value}" on <{tag}>, not an allowed value'
        if (tag, name) == ("meta", "property") and not _OPEN_GRAPH.fullmatch(value.strip()):
            return f'property="{value}" on <meta>, not an allowed value'
        kind = ADDRESSES.get((tag, name))
        if tag == "link" and name == "href":
            rels = (attrs.get("rel") or "").lower().split()
            kind = next((_LINK_REL[rel] for rel in rels if rel in _LINK_REL), PAGE)
        return self._address(kind, tag, name, value) if kind else None

    def _address(self, kind: str, tag: str, name: str, value: str) -> str | None:
        """The problem with an address, read as a browser reads it (WHATWG URL: tabs and
        newlines dropped, outer spaces and controls trimmed, `\\` as `/`)."""
        address = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                                         "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                         "\x1b\x1c\x1d\x1e\x1f ")
        scheme = _SCHEME.match(address)
        if scheme:
            scheme_name = scheme.group(1).lower()
            if kind == LINK and scheme_name in LINK_SCHEMES or kind == PAGE and scheme_name in ("http", "https"):
                return None
            return f"a {scheme_name}: address in {name}= on <{tag}>"
        if kind in (LINK, PAGE):
            return None
        path = self._site_path(address)
        if path is None:
            return f"an address outside the site in {name}= on <{tag}> ({value[:60]!r})"
        if kind == CODE and path not in self.rules.code:
            return (f"a {'script' if tag == 'script' else 'stylesheet'} from {path} in {name}= on <{tag}>, "
                    f"not on the list of the site's own code (DOCS_CODE in feeling_safe/pages/allowed_markup.py)")
        if kind == FRAME and not path.startswith(EMBED_FOLDER):
            return f"a frame of {path} in {name}= on <{tag}>: pages frame only the guide's embed views"
        return None

    def _site_path(self, address: str) -> str | None:
        """The site-relative path an address loads (query and fragment left off), or None when
        it leaves the site (another host, or a path above the site's folder on its host)."""
        address = address.replace("\\", "/")
        if address.startswith("//"):
            return None
        address = address.split("#", 1)[0].split("?", 1)[0]
        address = unquote(re.sub(r"%2e", ".", address, flags=re.I))
        prefix = self.rules.prefix
        absolute = address if address.startswith("/") else posixpath.join(prefix + self.folder, address)
        # As a browser resolves it: ".." above the host's root stays at the root.
        resolved = posixpath.normpath(absolute) + ("/" if absolute.endswith(("/", "/.", "/..")) else "")
        resolved = "/" + resolved.lstrip("/")
        if not (resolved + "/").startswith(prefix) and resolved != prefix.rstrip("/"):
            return None
        return resolved[len(prefix):] if resolved.startswith(prefix) else ""


# --- a page in the build ---------------------------------------------------------------------------

def check(page_html: str, label: str, source: PageSource | None, rules: Rules,
          scripts: set[str], problems: list[str], *, template: str = "page", dest: str = "index.html") -> None:
    """Check one written page: its allowed inline scripts go into `scripts` (the policy's
    hashes), and each problem into `problems` as a line naming `label` and, when the page
    has a Markdown `source`, the line there it most likely comes from."""
    found = scan(page_html, rules, template=template, dest=dest)
    scripts.update(found.scripts)
    for _line, problem in found.problems:
        line = source_line(source.body, problem) if source else None
        where = f":{source.body_line + line}" if line else ""
        problems.append(f"{label}{where}: {problem}")


_NAMED = re.compile(r"<(\w[\w-]*)>|(\w[\w:-]*)=|(\w[\w+.-]*):")


def source_line(source: str, problem: str) -> int | None:
    """The line of a page's Markdown where the problem most likely comes from: the first line
    that holds what the problem names (an attribute, a scheme, an element), in that order."""
    found = _NAMED.findall(problem)
    marks = [re.compile(rf"\b{re.escape(attr)}\s*=", re.I) for _, attr, _ in found if attr] \
        + [re.compile(rf"\b{re.escape(scheme)}\s*:", re.I) for _, _, scheme in found if scheme] \
        + [re.compile(rf"<{re.escape(tag)}\b", re.I) for tag, _, _ in found if tag]
    if "inline <script>" in problem:
        marks.insert(0, re.compile(r"<script", re.I))
    for mark in marks:
        for number, line in enumerate(source.splitlines(), start=1):
            if mark.search(line):
                return number
    return None
