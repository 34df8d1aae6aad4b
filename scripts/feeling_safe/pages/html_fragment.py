"""A page's content HTML read the way BeautifulSoup(html, "html.parser") reads it, fast.

Why: the glossary tooltips and the reading time read every page's article
(twice as many with embed views), and BeautifulSoup builds a whole tree in
Python to do it. For the plain markup Markdown and our hooks write, the
same result comes from one regex pass: the text nodes BeautifulSoup would
find (with the elements around each) and the pieces of `str(soup)`, which
BeautifulSoup writes in its own way (attributes sorted, `<br/>`, only `&`,
`<` and `>` escaped, whitespace-only text folded to one space or line
break). Anything outside that plain subset (unbalanced tags, unusual
entities, `<template>`...) returns None and the callers use BeautifulSoup
itself, so the output is the same either way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from bs4.builder import HTMLParserTreeBuilder
from bs4.dammit import EntitySubstitution

from feeling_safe.pages.html_scan import RawText, StartTag, read_token

_BUILDER = HTMLParserTreeBuilder()
VOID = frozenset(_BUILDER.empty_element_tags)
PRESERVE_WHITESPACE = frozenset(_BUILDER.preserve_whitespace_tags)
# Elements whose text BeautifulSoup keeps as other string types: not plain here.
_OTHER_STRINGS = frozenset(_BUILDER.string_containers) - {"script", "style"}
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"

_TOKEN = re.compile(
    r"(<(?:[sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE])(?=[\t\n\r\f />])[^<>]*>.*?"
    r"</\s*(?:[sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE])\s*>)"   # 1: a script or style element
    r"|(<[a-zA-Z][^<>]*>)"                                            # 2: a start tag
    r"|</([a-zA-Z][a-zA-Z0-9]*)>"                                     # 3: an end tag, written plainly
    r"|<!--(.*?)--\s*>"                                               # 4: a comment
    r"|(<)",                                                          # 5: anything else: not plain
    re.S)
# The only character references plain text may hold, and what they stand for.
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot);|#(39|x27);)?")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "39": "'", "x27": "'"}


@dataclass(frozen=True, eq=False)
class Element:
    """An open element: its name, its attributes as BeautifulSoup holds them, its classes."""
    name: str
    attrs: dict[str, str]
    classes: frozenset[str]


@dataclass
class Fragment:
    """`pieces` join to `str(BeautifulSoup(html, "html.parser"))`; `texts` are its text
    nodes in order: (index in pieces, text, inside an element `hidden` picked)."""
    pieces: list[str]
    texts: list[tuple[int, str, bool]]


def escape_text(text: str) -> str:
    """How BeautifulSoup writes text and attribute values: `&`, `<`, `>` escaped."""
    if "&" not in text and "<" not in text and ">" not in text:
        return text
    return EntitySubstitution.substitute_xml(text)


def fold_whitespace(text: str) -> str:
    """BeautifulSoup keeps a whitespace-only string as one line break or space."""
    if text.strip(_ASCII_SPACES):
        return text
    return "\n" if "\n" in text else " "


def _soup_attrs(tag: StartTag) -> dict[str, str]:
    """Attributes as BeautifulSoup stores them: last value wins, None -> "", class-like split."""
    attrs: dict[str, str] = {}
    for name, value in tag.attrs:
        attrs[name] = value or ""
    multi = _BUILDER.cdata_list_attributes
    for name in (*multi.get("*", ()), *multi.get(tag.name, ())):
        if name in attrs:
            attrs[name] = " ".join(attrs[name].split())
    return attrs


def start_tag(name: str, attrs: dict[str, str]) -> str:
    """A start tag as BeautifulSoup writes it (attributes sorted, void elements end in />)."""
    written = [f"{key}={EntitySubstitution.quoted_attribute_value(escape_text(value))}"
               for key, value in sorted(attrs.items())]
    return "<" + name + "".join(" " + a for a in written) + ("/" if name in VOID else "") + ">"


@lru_cache(maxsize=65536)
def _written_tag(token: str) -> tuple[str, Element] | None:
    """A plain start tag token as BeautifulSoup writes it, and the element; None if not plain.
    Pure, so cached: pages share most of their tags."""
    tag = read_token(token)
    if not isinstance(tag, StartTag):
        return None
    attrs = _soup_attrs(tag)
    return start_tag(tag.name, attrs), Element(tag.name, attrs, frozenset(attrs.get("class", "").split()))


def _decode(text: str) -> str | None:
    """Text with its character references resolved, or None for references outside the plain set."""
    if "&" not in text:
        return text
    out, last = [], 0
    for match in _ENTITY.finditer(text):
        key = match.group(1) or match.group(2)
        if key is None:
            return None
        out += [text[last:match.start()], _ENTITIES[key]]
        last = match.end()
    return "".join(out + [text[last:]])


def _text_run(raw: str, preserve: bool) -> str | None:
    """A run of text between tags, decoded (None if an entity needs the slow path); outside
    verbatim elements, whitespace alone becomes one space or one line break."""
    decoded = _decode(raw) if "&" in raw else raw
    if decoded is not None and not preserve and not decoded.strip(_ASCII_SPACES):
        decoded = "\n" if "\n" in decoded else " "
    return decoded


def read(html: str, hidden: Callable[[Element], bool], write: bool = True) -> Fragment | None:
    """The fragment as BeautifulSoup would hold it, or None if it is not plain markup.

    With `write=False` only the texts are collected (pieces stay empty).
    """
    pieces: list[str] = []
    texts: list[tuple[int, str, bool]] = []
    stack: list[tuple[Element, bool]] = []      # open elements, and whether each is hidden or inside one
    hidden_now = False                          # the innermost open element is hidden or inside one
    preserve = 0
    last = 0
    end = len(html)
    for match in _TOKEN.finditer(html):
        start = match.start()
        if start > last:
            decoded = _text_run(html[last:start], preserve)
            if decoded is None:
                return None
            texts.append((len(pieces), decoded, hidden_now))
            if write:
                pieces.append(escape_text(decoded))
        last = match.end()
        kind = match.lastindex
        if kind == 2:                 # a start tag
            tag_text = match.group(2)
            written = _written_tag(tag_text)
            if written is None or written[1].name in _OTHER_STRINGS:
                return None
            element = written[1]
            if write:
                pieces.append(written[0])
            if element.name in VOID:
                continue
            if tag_text.endswith("/>"):   # <p/>: html.parser opens and closes it at once
                if write:
                    pieces.append(f"</{element.name}>")
                continue
            hidden_now = hidden_now or hidden(element)
            stack.append((element, hidden_now))
            if element.name in PRESERVE_WHITESPACE:
                preserve += 1
        elif kind == 3:               # an end tag
            name = match.group(3).lower()
            if not stack or stack[-1][0].name != name:
                return None
            if name in PRESERVE_WHITESPACE:
                preserve -= 1
            stack.pop()
            hidden_now = bool(stack) and stack[-1][1]
            if write:
                pieces.append(f"</{name}>")
        elif kind == 4:               # a comment
            if write:
                pieces.append(f"<!--{match.group(4)}-->")
        elif kind == 1:               # a script or style element
            read_as = read_token(match.group(1))
            if not isinstance(read_as, RawText):
                return None
            if write:
                body = read_as.body if preserve else fold_whitespace(read_as.body) if read_as.body else ""
                pieces.append(start_tag(read_as.tag.name, _soup_attrs(read_as.tag)) + body + f"</{read_as.tag.name}>")
        else:   # odd
            return None
    if stack:
        return None
    if last < end:
        decoded = _text_run(html[last:], preserve)
        if decoded is None:
            return None
        texts.append((len(pieces), decoded, False))
        if write:
            pieces.append(escape_text(decoded))
    return Fragment(pieces, texts)
