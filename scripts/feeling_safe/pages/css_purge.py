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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise

from selectolax.lexbor import LexborHTMLParser, LexborNode

from feeling_safe.pages import html
from feeling_safe.pages.css_rules import (
    SELECTOR_LIST_FUNCTIONS,
    GroupRule,
    Rule,
    Selector,
    StyleRule,
    WholeRule,
    declarations,
    minify,  # noqa: F401 (callers import it from here)
    read_rules,
    read_selector,
    rule_nodes,
    walk_tokens,
    write_rules,
)

# Attributes whose every possible value is written into the HTML by the build
# (the palette inputs carry all scheme/colour values the scripts may switch to).
STATIC_VALUE_ATTRS = re.compile(r"^(dir|data-md-color-[a-z]+)$")
_JS_TOKEN = re.compile(r"[A-Za-z_][\w-]*")


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
        for element in html.elements(html.parse(page, scripting=False)):
            self._add_element(element)

    def add_tree(self, page: LexborHTMLParser) -> None:
        """`add_html` for a page already parsed (with scripting on, as the build parses
        pages): its elements, and the content of each <noscript> read as markup."""
        for element in html.elements(page):
            self._add_element(element)
        for _node, content in html.noscript_contents(page):
            for element in content.css("*"):
                self._add_element(element)

    def _add_element(self, element: LexborNode) -> None:
        self.tags.add(element.tag.lower())
        attrs = element.attributes
        if not attrs:
            return
        if "class" in attrs:
            self.classes.update((attrs["class"] or "").split())
        if "id" in attrs:
            self.ids.add(attrs["id"] or "")
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

    def __or__(self, other: UsedNames) -> UsedNames:
        return UsedNames(self.classes | other.classes, self.ids | other.ids,
                         self.attr_values | other.attr_values, self.tags | other.tags)


def _selector_tokens(selector: Selector | str) -> tuple:
    return (selector if isinstance(selector, Selector) else read_selector(selector)).tokens


def _is_literal(token, value: str) -> bool:
    return token is not None and token.type == "literal" and token.value == value


def _attribute_test(block) -> tuple[str, str] | None:
    """`[name=value]` (value an ident or a string, any flag after it) as (name, value)."""
    parts = [token for token in block.content if token.type != "whitespace"]
    if (len(parts) >= 3 and parts[0].type == "ident" and _is_literal(parts[1], "=")
            and parts[2].type in ("ident", "string")):
        return parts[0].lower_value, parts[2].value
    return None


def _needs_met(tokens, used: UsedNames, top: bool) -> bool:
    """Whether every class, id, static attribute value (and, at the top level, element)
    these selector tokens need is in `used`. What `:not()`, `:is()`... hold is optional."""
    previous = None
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        kind = token.type
        if kind == "function":
            if token.lower_name not in SELECTOR_LIST_FUNCTIONS and not _needs_met(token.arguments, used, False):
                return False
        elif kind == "hash":
            if token.value not in used.ids:
                return False
        elif _is_literal(token, ".") and following is not None and following.type == "ident":
            if following.value not in used.classes:
                return False
        elif kind == "[] block":
            test = _attribute_test(token)
            if test and STATIC_VALUE_ATTRS.match(test[0]) and test not in used.attr_values:
                return False
        elif kind == "ident" and top and _starts_compound(previous) and token.lower_value not in used.tags:
            return False
        previous = token
    return True


def _starts_compound(previous) -> bool:
    """Whether a token after `previous` begins a compound selector (an element name there)."""
    return previous is None or previous.type == "whitespace" or (
        previous.type == "literal" and previous.value in (">", "+", "~"))


def selector_can_match(selector: Selector | str, used: UsedNames) -> bool:
    """False only when the selector needs a name or value no page or script has."""
    return _needs_met(_selector_tokens(selector), used, True)


def selector_classes(selector: Selector | str) -> Iterator[str]:
    """The class names a selector names, at any depth (inside `:not()` too)."""
    tokens = list(walk_tokens(_selector_tokens(selector)))
    for token, following in pairwise(tokens):
        if _is_literal(token, ".") and following.type == "ident":
            yield following.value


def starts_with_class(selector: Selector | str, name: str) -> bool:
    """Whether the selector's first simple selector is the class `name`."""
    tokens = _selector_tokens(selector)
    return len(tokens) >= 2 and _is_literal(tokens[0], ".") and tokens[1].type == "ident" and tokens[1].value == name


# States only a reader's action brings about: no first paint needs them.
INTERACTION_STATES = frozenset({"hover", "focus", "focus-visible", "focus-within", "active"})
# Toggles (`[data-md-toggle=search]:checked`) a reader opens.
OPENED_TOGGLES = frozenset({("data-md-toggle", "search"), ("data-md-toggle", "drawer")})


def interaction_only(selector: Selector | str, media: str = "") -> bool:
    """True for selectors that match only after a reader's action."""
    return _acted_on(_selector_tokens(selector))


def _acted_on(tokens) -> bool:
    """`:hover`, `:focus`... or an opened toggle, at any depth (`:not(:hover)` too)."""
    for index, token in enumerate(tokens):
        after = tokens[index + 1:index + 3]
        if _is_literal(token, ":") and after and after[0].type == "ident" \
                and after[0].lower_value in INTERACTION_STATES:
            return True
        if token.type == "[] block" and _attribute_test(token) in OPENED_TOGGLES and len(after) == 2 \
                and _is_literal(after[0], ":") and after[1].type == "ident" and after[1].lower_value == "checked":
            return True
        if token.type == "function" and _acted_on(token.arguments):
            return True
    return False


def _starts_with_print(rule: GroupRule) -> bool:
    words = [token for token in rule.prelude if token.type != "whitespace"]
    return rule.keyword == "media" and bool(words) and words[0].type == "ident" and words[0].lower_value == "print"


def split_rules(rules, static: UsedNames, runtime: UsedNames, defer=interaction_only,
                media: str = "", both: UsedNames | None = None) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """`partition_rules` on rules read by css_rules.read_rules: (critical, deferred) rules."""
    both = both if both is not None else static | runtime
    critical, deferred = [], []
    for rule in rules:
        if isinstance(rule, WholeRule) and rule.keyword == "charset":
            continue  # the sheets are ASCII (css_rules._ascii), and a <style> in a page ignores it
        if isinstance(rule, WholeRule):  # @font-face, @keyframes, @page...: kept whole
            critical.append(rule)
        elif isinstance(rule, GroupRule) and _starts_with_print(rule):
            now, later = split_rules(rule.rules, both, both, defer, rule.head, both)
            if now or later:
                deferred.append(replace(rule, rules=now + later))
        elif isinstance(rule, GroupRule):
            now, later = split_rules(rule.rules, static, runtime, defer, rule.head, both)
            if now:
                critical.append(replace(rule, rules=now))
            if later:
                deferred.append(replace(rule, rules=later))
        else:
            first = [selector_can_match(s, static) and not defer(s, media) for s in rule.selectors]
            now = tuple(s for s, ok in zip(rule.selectors, first, strict=True) if ok)
            later = tuple(s for s, ok in zip(rule.selectors, first, strict=True) if not ok and selector_can_match(s, both))
            body = rule.body if now or later else ()   # read only for rules some page can match
            if now and body:
                critical.append(replace(rule, selectors=now, rewritten=body))
            if later and body:
                deferred.append(replace(rule, selectors=later, rewritten=body))
    return tuple(critical), tuple(deferred)


def partition_rules(css: str, static: UsedNames, runtime: UsedNames,
                    defer=interaction_only, media: str = "") -> tuple[str, str]:
    """Split CSS into (critical, deferred), minified; drop what neither can match.

    Critical: selectors the built HTML can match in its initial state.
    Deferred: selectors for states only an action brings (hover, focus, an
    opened search or menu), selectors only markup created by scripts can
    match (search results, tooltips), and print styles. Neither: gone.
    `defer(selector, media)` decides which matchable selectors can wait
    (`media` is the enclosing @media rule's head, or "").
    """
    critical, deferred = split_rules(read_rules(css), static, runtime, defer, media)
    return write_rules(critical), write_rules(deferred)


def _var_names(nodes) -> set[str]:
    """Custom properties read with `var(--x)` anywhere in these nodes."""
    names = set()
    for token in walk_tokens(nodes):
        if token.type == "function" and token.lower_name == "var":
            first = next((arg for arg in token.arguments if arg.type != "whitespace"), None)
            if first is not None and first.type == "ident" and first.value.startswith("--"):
                names.add(first.value)
    return names


def _is_custom_property(node) -> bool:
    return node.type == "declaration" and node.name.startswith("--")


def _droppable(rules):
    """`--x: ...` declarations in style rules' bodies: those the purge may drop."""
    for rule in rules:
        if isinstance(rule, StyleRule):
            yield from filter(_is_custom_property, rule.body)
        elif isinstance(rule, GroupRule):
            yield from _droppable(rule.rules)


def _staying(rules):
    """Everything else in these rules: what stays whichever custom properties go."""
    for rule in rules:
        if isinstance(rule, StyleRule):
            yield from (node for node in rule.body if not _is_custom_property(node))
        elif isinstance(rule, GroupRule):
            yield from rule.prelude
            yield from _staying(rule.rules)
        else:
            yield from rule.nodes


def _without_declarations(rules, unused: set[str]) -> tuple[Rule, ...]:
    """These rules without declarations of `unused` custom properties; rules and groups left empty go."""
    out = []
    for rule in rules:
        if isinstance(rule, StyleRule):
            body = tuple(node for node in rule.body if not (node.type == "declaration" and node.name in unused))
            if len(body) == len(rule.body):
                out.append(rule)
            elif body:
                out.append(replace(rule, rewritten=body))
        elif isinstance(rule, GroupRule):
            inner = _without_declarations(rule.rules, unused)
            if inner:
                out.append(replace(rule, rules=inner))
        else:
            out.append(rule)
    return tuple(out)


def purge_custom_properties(sheets: list[tuple[Rule, ...]], extra_uses=()) -> list[tuple[Rule, ...]]:
    """Drop `--x: ...` declarations nothing reads with `var(--x)` in any sheet
    (`extra_uses`: rules of other sheets, read only for their uses).

    Repeats until stable: a dropped declaration may have been the last reader of
    another. Each declaration's readings are gathered once; the sheets are rewritten once.
    """
    readers = _var_names(rule_nodes(extra_uses)).union(*(_var_names(_staying(rules)) for rules in sheets))
    declared = [(node.name, _var_names([node])) for rules in sheets for node in _droppable(rules)]
    dropped = set()
    while True:
        used = readers.union(*(reads for _, reads in declared))
        unused = {name for name, _ in declared} - used
        if not unused:
            return [_without_declarations(rules, dropped) for rules in sheets] if dropped else sheets
        dropped |= unused
        declared = [(name, reads) for name, reads in declared if name not in unused]


def _animation_names(nodes) -> set[str]:
    """Every word in an `animation` or `animation-name` value (prefixed ones too)."""
    return {token.value for declaration in declarations(nodes)
            if declaration.lower_name.endswith(("animation", "animation-name"))
            for token in walk_tokens(declaration.value) if token.type in ("ident", "string")}


def purge_keyframes(sheets: list[tuple[Rule, ...]], extra_uses=()) -> list[tuple[Rule, ...]]:
    """Drop `@keyframes` no `animation` in any sheet names; groups left empty go."""
    names = _animation_names(rule_nodes(extra_uses)).union(
        *(_animation_names(rule_nodes(rules)) for rules in sheets))

    def keep(rules) -> tuple[Rule, ...]:
        out = []
        for rule in rules:
            if isinstance(rule, WholeRule) and rule.keyword.endswith("keyframes") and rule.name not in names:
                continue
            if isinstance(rule, GroupRule):
                rule = replace(rule, rules=keep(rule.rules))
                if not rule.rules:
                    continue
            out.append(rule)
        return tuple(out)

    return [keep(rules) for rules in sheets]


def purge(css: str | list[str], static: UsedNames, runtime: UsedNames,
          keep_vars_used_in: str | list[str] = "", defer=interaction_only) -> tuple[str, str]:
    """(critical, deferred) CSS for these pages and scripts, minified.

    `css` is one stylesheet or several, in cascade order. `keep_vars_used_in` is
    other CSS (stylesheets served on their own) whose `var()` references and
    animations keep custom properties and keyframes alive. Each sheet is read
    once (css_rules.py); the steps work on its rules.
    """
    others = read_rules(keep_vars_used_in)
    sheets = list(split_rules(read_rules(css), static, runtime, defer))
    sheets = purge_custom_properties(sheets, others)
    critical, deferred = purge_keyframes(sheets, others)
    return write_rules(critical), write_rules(deferred)
