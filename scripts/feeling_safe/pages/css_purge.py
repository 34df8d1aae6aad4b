"""Drop the CSS rules no built page can ever match, and split the rest.

Why: Material ships one stylesheet for every feature it has (blog, tabs, code
annotations, right-to-left, 20 colour palettes...). Our pages use a small part
of it, and every rule a reader downloads before the first paint costs time on
an old phone. The purge is conservative: a selector goes only if it needs a
class, id or element that appears in no page and no script (scripts may add
classes at run time), or a `dir`/`data-md-color-*` value no page has; then
custom properties and keyframes nothing uses go too. What is left is split
into the rules a first paint needs and those that can load after it
(`partition_rules`). Deterministic: the same pages and CSS give the same bytes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from feeling_safe.pages import html

# Attributes whose every possible value is written into the HTML by the build
# (the palette inputs carry all scheme/colour values the scripts may switch to).
STATIC_VALUE_ATTRS = re.compile(r"^(dir|data-md-color-[a-z]+)$")
_CLASS_OR_ID = re.compile(r"([.#])(-?[_a-zA-Z][\w-]*)")
_ATTR_VALUE = re.compile(r"\[\s*([\w-]+)\s*=\s*['\"]?([^'\"\]]*)['\"]?\s*\]")
_TYPE = re.compile(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)")
_ATTR_OR_STRING = re.compile(r"\[[^\]]*\]|\"[^\"]*\"|'[^']*'")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_JS_TOKEN = re.compile(r"[A-Za-z_][\w-]*")
_CUSTOM_PROP_DECL = re.compile(r"(?<![\w-])(--[\w-]+)\s*:")
_CUSTOM_PROP_USE = re.compile(r"var\(\s*(--[\w-]+)")


@dataclass
class UsedNames:
    """Everything the pages and scripts can put in the DOM."""
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attr_values: set[tuple[str, str]] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)

    def add_html(self, page: str | bytes) -> None:
        """Every element of a page (text or UTF-8 bytes), read as a browser reads it. The
        content of a <noscript> counts as markup: a reader without scripts sees it."""
        tags, classes, ids = self.tags, self.classes, self.ids
        for element in html.elements(html.parse(page, scripting=False)):
            tags.add(element.tag.lower())
            attrs = element.attributes
            if not attrs:
                continue
            if "class" in attrs:
                classes.update((attrs["class"] or "").split())
            if "id" in attrs:
                ids.add(attrs["id"] or "")
            if len(attrs) > ("class" in attrs) + ("id" in attrs):   # more than class and id
                for name, value in attrs.items():
                    if (name == "dir" or name.startswith("data-md-color-")) and STATIC_VALUE_ATTRS.match(name):
                        self.attr_values.add((name, value or ""))

    def add_pages(self, pages: Iterable[str | bytes]) -> None:
        for page in pages:
            self.add_html(page)

    def add_script(self, js: str, names: re.Pattern[str] | None = None) -> None:
        """Identifier-like tokens in a script may become classes, ids or tags.

        `names` narrows the class and id tokens (say, to the theme features we
        use); every token still counts as a possible element name.
        """
        tokens = set(_JS_TOKEN.findall(js))
        self.tags |= {t.lower() for t in tokens}
        names_ok = {t for t in tokens if names is None or names.search(t)}
        self.classes |= names_ok
        self.ids |= names_ok

    def __or__(self, other: "UsedNames") -> "UsedNames":
        return UsedNames(self.classes | other.classes, self.ids | other.ids,
                         self.attr_values | other.attr_values, self.tags | other.tags)


def _strip_functional(selector: str) -> str:
    """Remove `:not(...)`, `:is(...)`... groups: what they need is optional."""
    out, i = [], 0
    while (match := _FUNCTIONAL.search(selector, i)):
        out.append(selector[i:match.start()])
        depth, j = 1, match.end()
        while j < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[j], 0)
            j += 1
        i = j
    out.append(selector[i:])
    return "".join(out)


def selector_can_match(selector: str, used: UsedNames) -> bool:
    """False only when the selector needs a name or value no page or script has."""
    plain = _strip_functional(selector)
    bare = _ATTR_OR_STRING.sub("", plain)
    for kind, name in _CLASS_OR_ID.findall(bare):
        if name not in (used.classes if kind == "." else used.ids):
            return False
    for attr, value in _ATTR_VALUE.findall(plain):
        if STATIC_VALUE_ATTRS.match(attr) and (attr, value) not in used.attr_values:
            return False
    for tag in _TYPE.findall(bare):
        if tag.lower() not in used.tags:
            return False
    return True


def _split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` outside brackets, parentheses and strings."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _blocks(css: str):
    """Yield (prelude, body) for each top-level rule; body None for `@x ...;`."""
    i, n = 0, len(css)
    while i < n:
        while i < n and css[i].isspace():
            i += 1
        if css.startswith("/*", i):
            i = css.find("*/", i) + 2 or n
            continue
        start, quote = i, ""
        while i < n:
            ch = css[i]
            if quote:
                quote = "" if ch == quote and css[i - 1] != "\\" else quote
            elif ch in "\"'":
                quote = ch
            elif ch in "{;":
                break
            i += 1
        prelude = css[start:i].strip()
        if i >= n:
            if prelude:
                yield prelude, None
            return
        if css[i] == ";":
            yield prelude, None
            i += 1
            continue
        depth, j, quote = 1, i + 1, ""
        while j < n and depth:
            ch = css[j]
            if quote:
                quote = "" if ch == quote and css[j - 1] != "\\" else quote
            elif ch in "\"'":
                quote = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            j += 1
        yield prelude, css[i + 1:j - 1]
        i = j


_GROUPING_AT_RULES = ("@media", "@supports", "@layer", "@container", "@document")


# States only a reader's action brings about: no first paint needs them.
INTERACTION_STATES = re.compile(
    r":(?:hover|focus|focus-visible|focus-within|active)(?![\w-])|\[data-md-toggle=(?:search|drawer)\]:checked")


def interaction_only(selector: str, media: str = "") -> bool:
    """True for selectors that match only after a reader's action."""
    return bool(INTERACTION_STATES.search(selector))


def partition_rules(css: str, static: UsedNames, runtime: UsedNames,
                    defer=interaction_only, media: str = "") -> tuple[str, str]:
    """Split CSS into (critical, deferred); drop what neither can match.

    Critical: selectors the built HTML can match in its initial state.
    Deferred: selectors for states only an action brings (hover, focus, an
    opened search or menu), selectors only markup created by scripts can
    match (search results, tooltips), and print styles. Neither: gone.
    `defer(selector, media)` decides which matchable selectors can wait
    (`media` is the enclosing @media prelude, or "").
    """
    both = static | runtime
    critical, deferred = [], []
    for prelude, body in _blocks(css):
        if body is None:
            critical.append(prelude + ";")
        elif prelude.lower().startswith("@media print"):
            inner = "".join(partition_rules(body, both, both, defer, prelude))
            if inner:
                deferred.append(f"{prelude}{{{inner}}}")
        elif prelude.lower().startswith(_GROUPING_AT_RULES):
            now, later = partition_rules(body, static, runtime, defer, prelude)
            if now:
                critical.append(f"{prelude}{{{now}}}")
            if later:
                deferred.append(f"{prelude}{{{later}}}")
        elif prelude.startswith("@"):  # @font-face, @keyframes, @page...: kept whole
            critical.append(f"{prelude}{{{body}}}")
        elif body.strip():
            selectors = [s.strip() for s in _split_top(prelude, ",")]
            now = [s for s in selectors if selector_can_match(s, static) and not defer(s, media)]
            later = [s for s in selectors if s not in now and selector_can_match(s, both)]
            if now:
                critical.append(f"{','.join(now)}{{{body}}}")
            if later:
                deferred.append(f"{','.join(later)}{{{body}}}")
    return "".join(critical), "".join(deferred)


def _drop_declarations(body: str, unused: set[str]) -> str:
    decls = _split_top(body, ";")
    kept = [d for d in decls if not ((m := _CUSTOM_PROP_DECL.match(d.strip())) and m.group(1) in unused)]
    return ";".join(kept)


def purge_custom_properties(sheets: list[str], extra_uses: str = "") -> list[str]:
    """Drop `--x: ...` declarations nothing reads with `var(--x)` in any sheet.

    Repeats until stable: a dropped rule may have been the last reader.
    """
    while True:
        everything = "".join(sheets) + extra_uses
        unused = set(_CUSTOM_PROP_DECL.findall("".join(sheets))) - set(_CUSTOM_PROP_USE.findall(everything))
        pruned = [_rewrite_bodies(css, lambda body: _drop_declarations(body, unused)) for css in sheets]
        if not unused or pruned == sheets:
            return pruned
        sheets = pruned


def _rewrite_bodies(css: str, rewrite) -> str:
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.lower().startswith(_GROUPING_AT_RULES):
            out.append(f"{prelude}{{{_rewrite_bodies(body, rewrite)}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            new = rewrite(body)
            if new.strip(" ;"):
                out.append(f"{prelude}{{{new}}}")
    return "".join(out)


_ANIMATION = re.compile(r"animation(?:-name)?\s*:\s*([^;}]+)")
_KEYFRAMES = re.compile(r"@(?:-webkit-)?keyframes\s+([\w-]+)")


def purge_keyframes(sheets: list[str], extra_uses: str = "") -> list[str]:
    """Drop `@keyframes` no `animation` in any sheet names."""
    names = {token for css in [*sheets, extra_uses] for value in _ANIMATION.findall(css)
             for token in re.findall(r"[\w-]+", value)}

    def keep(css: str) -> str:
        out = []
        for prelude, body in _blocks(css):
            if body is None:
                out.append(prelude + ";")
            elif (match := _KEYFRAMES.match(prelude)) and match.group(1) not in names:
                continue
            elif prelude.lower().startswith(_GROUPING_AT_RULES):
                inner = keep(body)
                if inner:
                    out.append(f"{prelude}{{{inner}}}")
            else:
                out.append(f"{prelude}{{{body}}}")
        return "".join(out)

    return [keep(css) for css in sheets]


_STRING_OR_SPACE = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\s+""")
_AROUND_PUNCT = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\s*([{};,])\s*""")
_DECLARATION_COLON = re.compile(r"([{;])([\w-]+)\s*:\s*")


def minify(css: str) -> str:
    """Drop comments and spare whitespace (strings untouched), for hand-written CSS."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = _STRING_OR_SPACE.sub(lambda m: m.group(1) or " ", css)
    css = _AROUND_PUNCT.sub(lambda m: m.group(1) or m.group(2), css)
    css = _DECLARATION_COLON.sub(r"\1\2:", css)
    return css.replace(";}", "}").strip()


def purge(css: str, static: UsedNames, runtime: UsedNames,
          keep_vars_used_in: str = "", defer=interaction_only) -> tuple[str, str]:
    """(critical, deferred) CSS for these pages and scripts.

    `keep_vars_used_in` is other CSS (stylesheets served on their own) whose
    `var()` references and animations keep custom properties and keyframes alive.
    """
    css = minify(css)
    sheets = list(partition_rules(css, static, runtime, defer))
    sheets = purge_custom_properties(sheets, keep_vars_used_in)
    critical, deferred = purge_keyframes(sheets, keep_vars_used_in)
    return critical, deferred
