"""Stylesheets read as browsers read them (tinycss2), and written back small.

Why: the purge decides rule by rule and selector by selector, so it needs the
rules a browser would see. Hand tokenising with regexes breaks on `/*` or `}`
inside a string, on escapes, on comments in odd places; tinycss2 follows the
CSS Syntax spec. The minifier works on tokens, never on raw text: it drops
comments and spare whitespace, and tinycss2 writes each token back (it puts
an empty comment between two tokens that would otherwise run together).
Nothing here knows what a page uses: that is css_purge.py.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

import tinycss2
from tinycss2.ast import CurlyBracketsBlock, FunctionBlock, Node, ParenthesesBlock, SquareBracketsBlock, WhitespaceToken

# At-rules whose block holds rules, each of which the purge judges on its own.
GROUPING_AT_RULES = frozenset({"media", "supports", "layer", "container", "document"})
# Functional pseudo-classes that take a selector list (whitespace around combinators can go).
SELECTOR_LIST_FUNCTIONS = frozenset({"not", "is", "where", "has", "matches", "-webkit-any", "-moz-any"})
_COMMA = frozenset({","})
_IN_PARENTHESES = frozenset({",", ":"})   # `(max-width: 10em)`
_COMBINATORS = frozenset({",", ">", "+", "~"})
_SPACE = WhitespaceToken(0, 0, " ")


@dataclass(frozen=True)
class Selector:
    """One complex selector of a rule's list, as tokens (no whitespace at either end).

    Its minified text is written only for the selectors a purge keeps (most of Material's go).
    """
    tokens: tuple[Node, ...]

    @cached_property
    def text(self) -> str:
        return _ascii(tinycss2.serialize(squeeze(self.tokens, _COMBINATORS)))


@dataclass(frozen=True)
class StyleRule:
    """`a, b { ... }`. `content` is its block's tokens as read; `body` its declarations (and
    any nested rules), read from them only when a purge keeps the rule, or given when the
    purge has rewritten them (`rewritten`)."""
    selectors: tuple[Selector, ...]
    content: tuple[Node, ...] = ()
    rewritten: tuple[Node, ...] | None = None

    @cached_property
    def body(self) -> tuple[Node, ...]:
        return self.rewritten if self.rewritten is not None else _block(self.content)


@dataclass(frozen=True)
class GroupRule:
    """`@media ... { rules }` (or @supports, @layer, @container): rules judged one by one."""
    keyword: str            # lower-case, without "@"
    head: str               # minified "@media screen and (...)"
    prelude: tuple[Node, ...]
    rules: tuple


@dataclass(frozen=True)
class WholeRule:
    """An at-rule kept or dropped whole: @font-face, @keyframes, @page, @charset, `@layer a, b;`..."""
    keyword: str            # lower-case, without "@"
    name: str               # first word of the prelude (a @keyframes name), or ""
    nodes: tuple[Node, ...]  # its prelude tokens and parsed body, for the uses it makes
    text: str               # minified


Rule = StyleRule | GroupRule | WholeRule


def read_rules(css: str | Iterable[str]) -> tuple[Rule, ...]:
    """A stylesheet's rules (or several sheets', in order, each read on its own as a
    browser does: an unclosed block in one cannot swallow the next); comments and what
    a browser would drop as invalid are gone."""
    if isinstance(css, str):
        return _read_sheet(css)
    return tuple(rule for sheet in css for rule in _read_sheet(sheet))


@lru_cache(maxsize=8)
def _read_sheet(css: str) -> tuple[Rule, ...]:
    """Reading is most of the purge's time (tinycss2 is pure Python) and Material's sheets are
    the same in every build, so a process that builds again (tests, `serve`) reads them once.
    The rules are immutable: every step of the purge makes new ones."""
    return _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _rules(nodes: Iterable[Node]) -> tuple[Rule, ...]:
    out = []
    for node in nodes:
        if node.type == "qualified-rule":
            out.append(StyleRule(_selector_list(node.prelude), tuple(node.content)))
        elif node.type == "at-rule":
            out.append(_at_rule(node))
    return tuple(out)


def _at_rule(node) -> Rule:
    keyword, head = node.lower_at_keyword, _head(node)
    if node.content is not None and keyword in GROUPING_AT_RULES:
        inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
        return GroupRule(keyword, head, tuple(node.prelude), _rules(inner))
    words = [token for token in node.prelude if token.type in ("ident", "string")]
    name = words[0].value if words else ""
    if node.content is None:
        return WholeRule(keyword, name, tuple(node.prelude), head + ";")
    body = _block(node.content)
    return WholeRule(keyword, name, (*node.prelude, *body), f"{head}{{{write_block(body)}}}")


def _head(node) -> str:
    """`@media screen and (...)`, minified; a space after the keyword only where the source had one."""
    prelude = squeeze_text(node.prelude)
    space = " " if prelude and node.prelude[0].type == "whitespace" else ""
    return f"@{tinycss2.serialize_identifier(node.at_keyword)}{space}{prelude}"


def _block(content: list[Node]) -> tuple[Node, ...]:
    """A `{...}` block's declarations and nested rules; invalid ones (ParseError) dropped."""
    nodes = tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
    return tuple(node for node in nodes if node.type != "error")


def _selector_list(prelude: list[Node]) -> tuple[Selector, ...]:
    """A rule's prelude split on its top-level commas."""
    selectors, current = [], []
    for token in [*prelude, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            tokens = _trimmed(current)
            if tokens:
                selectors.append(Selector(tokens))
            current = []
        elif token.type != "comment":
            current.append(token)
    return tuple(selectors)


def _trimmed(tokens: list[Node]) -> tuple[Node, ...]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].type == "whitespace":
        start += 1
    while end > start and tokens[end - 1].type == "whitespace":
        end -= 1
    return tuple(tokens[start:end])


def read_selector(text: str) -> Selector:
    """One selector given as text (a caller's, or a test's), read as `read_rules` reads them."""
    return Selector(_trimmed(tinycss2.parse_component_value_list(text, skip_comments=True)))


def squeeze(tokens: Iterable[Node], tight: frozenset[str] = _COMMA) -> list[Node]:
    """Tokens without comments, ends trimmed, each whitespace run one space, and no
    space next to a `tight` delimiter (commas; also combinators in a selector)."""
    out: list[Node] = []
    for token in tokens:
        if token.type == "comment":
            continue
        if token.type == "whitespace":
            if out and out[-1] is not _SPACE and not _is_delim(out[-1], tight):
                out.append(_SPACE)
            continue
        if _is_delim(token, tight) and out and out[-1] is _SPACE:
            out.pop()
        out.append(_squeeze_inside(token, tight))
    if out and out[-1] is _SPACE:
        out.pop()
    return out


def _is_delim(token: Node, tight: frozenset[str]) -> bool:
    return token.type == "literal" and token.value in tight


def _squeeze_inside(token: Node, tight: frozenset[str]) -> Node:
    """A block or function with its contents squeezed; other tokens as they are."""
    line, column = token.source_line, token.source_column
    if token.type == "function":
        inner = tight if token.lower_name in SELECTOR_LIST_FUNCTIONS else _COMMA
        return FunctionBlock(line, column, token.name, squeeze(token.arguments, inner))
    if token.type == "() block":
        return ParenthesesBlock(line, column, squeeze(token.content, _IN_PARENTHESES))
    if token.type == "[] block":
        return SquareBracketsBlock(line, column, squeeze(token.content, _COMMA))
    if token.type == "{} block":
        return CurlyBracketsBlock(line, column, squeeze(token.content, _COMMA))
    return token


def squeeze_text(tokens: Iterable[Node], tight: frozenset[str] = _COMMA) -> str:
    return _ascii(tinycss2.serialize(squeeze(tokens, tight)))


def write_block(nodes: Iterable[Node]) -> str:
    """Declarations and rules of a block, minified: `a:b;c:d` and `x{...}`."""
    parts, after_declaration = [], False
    for node in nodes:
        if node.type == "declaration":
            important = "!important" if node.important else ""
            text = f"{tinycss2.serialize_identifier(node.name)}:{squeeze_text(node.value)}{important}"
            parts.append((";" if after_declaration else "") + text)
            after_declaration = True
            continue
        if after_declaration:
            parts.append(";")
        after_declaration = False
        if node.type == "qualified-rule":
            selectors = ",".join(selector.text for selector in _selector_list(node.prelude))
            parts.append(f"{selectors}{{{write_block(_block(node.content))}}}")
        elif node.type == "at-rule" and node.content is None:
            parts.append(_head(node) + ";")
        elif node.type == "at-rule":
            parts.append(f"{_head(node)}{{{write_block(_block(node.content))}}}")
    return "".join(parts)


def write_rules(rules: Iterable[Rule]) -> str:
    """Rules back to CSS text, minified."""
    return "".join(_write_rule(rule) for rule in rules)


def _write_rule(rule: Rule) -> str:
    if isinstance(rule, StyleRule):
        return f"{','.join(selector.text for selector in rule.selectors)}{{{write_block(rule.body)}}}"
    if isinstance(rule, GroupRule):
        return f"{rule.head}{{{write_rules(rule.rules)}}}"
    return rule.text


def minify(css: str) -> str:
    """Comments and spare whitespace dropped, every rule kept: for hand-written CSS."""
    return write_rules(read_rules(css))


def walk_tokens(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every token in these nodes, blocks, functions, declarations and rules, depth first."""
    for node in nodes:
        yield node
        if node.type == "declaration":
            yield from walk_tokens(node.value)
        elif node.type == "function":
            yield from walk_tokens(node.arguments)
        elif node.type in ("() block", "[] block", "{} block"):
            yield from walk_tokens(node.content)
        elif node.type in ("qualified-rule", "at-rule"):
            yield from walk_tokens(node.prelude)
            yield from walk_tokens(node.content or ())


# Functions whose string arguments are addresses a browser loads (besides a url token).
_LOADING_FUNCTIONS = frozenset({"url", "src", "image-set", "-webkit-image-set"})


@dataclass(frozen=True)
class Load:
    """An address a stylesheet has a browser load."""

    address: str    # escapes resolved; where it is computed (a var() in image-set()), that CSS as written
    imported: bool  # the sheet an @import names
    literal: bool   # False where the address is only known when the page runs (var(), attr(), env())


def loads(css: str) -> list[Load]:
    """Every address the stylesheet `css` has a browser load, in order: url() and src() values,
    image-set()'s strings (and any var() standing in for one), and the sheet an @import names.
    Read as CSS, so a `url(` in a string or comment is none, and escapes are resolved as a
    browser resolves them."""
    found = []
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if node.type == "at-rule" and node.lower_at_keyword == "import":
            found.append(_imported(node.prelude))
            continue
        for token in walk_tokens([node]):
            if token.type == "url":
                found.append(Load(token.value.strip(), False, True))
            elif token.type == "function" and token.lower_name in _LOADING_FUNCTIONS:
                for argument in token.arguments:
                    if argument.type == "string":
                        found.append(Load(argument.value.strip(), False, True))
                    elif argument.type == "function" and argument.lower_name not in _LOADING_FUNCTIONS:
                        found.append(Load(tinycss2.serialize([argument]), False, False))
    return found


def _imported(prelude: list[Node]) -> Load:
    """The sheet an @import names: its first url or string (media and supports conditions follow)."""
    for token in prelude:
        if token.type in ("url", "string"):
            return Load(token.value.strip(), True, True)
        if token.type == "function" and token.lower_name == "url":
            strings = [argument for argument in token.arguments if argument.type == "string"]
            return Load(strings[0].value.strip(), True, True) if strings else Load(tinycss2.serialize([token]), True, False)
    return Load(tinycss2.serialize(prelude).strip(), True, False)


def rule_nodes(rules: Iterable[Rule]) -> Iterator[Node]:
    """The tinycss2 nodes of these rules (selectors, preludes, bodies), groups opened."""
    for rule in rules:
        if isinstance(rule, StyleRule):
            for selector in rule.selectors:
                yield from selector.tokens
            yield from rule.body
        elif isinstance(rule, GroupRule):
            yield from rule.prelude
            yield from rule_nodes(rule.rules)
        else:
            yield from rule.nodes


def declarations(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every declaration in these nodes, nested rules' blocks read too."""
    for node in nodes:
        if node.type == "declaration":
            yield node
        elif node.type in ("qualified-rule", "at-rule") and node.content is not None:
            yield from declarations(_block(node.content))


_NON_ASCII = re.compile(r"[^\x00-\x7f]([0-9a-fA-F \t\n\r\f])?")


def _ascii(text: str) -> str:
    """Non-ASCII characters as CSS escapes, so a sheet reads the same whatever charset a
    host sends. tinycss2 writes escapes out as the characters they stand for; in
    serialised CSS such a character can only be in a name, string or url(), where an
    escape means the same. The space that ends an escape is added only where the next
    character would otherwise be read as part of it."""
    return _NON_ASCII.sub(
        lambda m: f"\\{ord(m.group()[0]):x}" + (" " + m.group(1) if m.group(1) else ""), text)
