"""Read the start tags and inline scripts/styles of many built pages fast, as html.parser does.

Why: the CSS purge and the security headers read every built page, and every
full page carries the whole nav, so a guide of 1,000 pages is about 100 MB
of HTML. html.parser walks that in Python, tag by tag. Here one regular
expression cuts each page into tokens at C speed; the pages share most of
their tokens (the nav, header and footer), so each distinct token is then
checked and read once.

The fast path takes only plain markup, the kind the build writes: start
tags whose attributes are `name`, `name="value"` or `name='value'` (no `<`
or `>` inside), end tags, comments, the doctype, script and style elements,
and a lone `<` in text. There, where a token starts and ends is beyond
doubt, so a token read on its own reads as html.parser reads it in the page
(tests/test_fast_readers.py compares both). A page with anything else (bare
attribute values, processing instructions, CDATA sections, a tag cut
off...) is reported as not plain, and the callers read it with html.parser
as before. Either way the result is the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

_SCRIPT, _STYLE = "[sS][cC][rR][iI][pP][tT]", "[sS][tT][yY][lL][eE]"
_NAME_END = r"(?=[\t\n\r\f />])"
# One group: findall gives each token's text, or "" for markup that is not plain.
_TOKENS = re.compile(
    r"(<(?!" + _SCRIPT + _NAME_END + "|" + _STYLE + _NAME_END + r")[a-zA-Z][^<>]*>"   # a start tag
    r"|<" + _SCRIPT + _NAME_END + r"[^<>]*>.*?</\s*" + _SCRIPT + r"\s*>"              # a whole script element
    r"|<" + _STYLE + _NAME_END + r"[^<>]*>.*?</\s*" + _STYLE + r"\s*>"                # a whole style element
    r"|<!--.*?--\s*>"                                                                 # a comment (ends at --\s*>)
    r"|<![dD][oO][cC][tT][yY][pP][eE][^>]*>"                                          # the doctype
    r"|<(?![a-zA-Z/!?]))"                                                             # a lone < in text
    r"|</(?![a-zA-Z][^<>]*>)"                                # an end tag with a < in it: not plain
    r"|<(?!/)",                                              # any other <: not plain
    re.S)                                                    # (plain end tags match nothing: skipped)
# A start tag beyond doubt: name, then `attr`, `attr="value"` or `attr='value'`, ASCII spaces between.
_PLAIN_START = re.compile(
    r"""<[a-zA-Z][a-zA-Z0-9:_.-]*(?:[ \t\n\r\f]+[^\s"'<>/=]+(?:="[^"<>]*"|='[^'<>]*')?)*[ \t\n\r\f]*/?>""")
_RAW_TEXT = re.compile(r"(<(?:script|style)(?=[\t\n\r\f />])[^>]*>)(.*)</\s*[a-z]+\s*>\Z", re.S | re.I)

Attrs = tuple[tuple[str, "str | None"], ...]


@dataclass(frozen=True)
class StartTag:
    name: str       # lower case, as html.parser gives it
    attrs: Attrs    # (name, value) in order; values unescaped, None for a bare attribute


@dataclass(frozen=True)
class RawText:
    """A script or style element: its start tag and its body (never unescaped)."""
    tag: StartTag
    body: str


# In a plain start tag (checked against _PLAIN_START first), where html.parser finds the
# name and each attribute: nothing can be read two ways there.
_PLAIN_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9:_.-]*)")
_PLAIN_ATTR = re.compile(r"""[ \t\n\r\f]+([^\s"'<>/=]+)(?:="([^"<>]*)"|='([^'<>]*)')?""")


@lru_cache(maxsize=65536)
def read_token(token: str) -> StartTag | RawText | None | bool:
    """What one token is: a start tag, a script/style element, None (comment, doctype,
    text), or False if it is not plain (see the module docstring). Pure, so cached.

    Attributes come out as html.parser gives them: names lower-cased, values
    unescaped, None for a bare attribute.
    """
    if not token.startswith("<") or token.startswith("<!") or token == "<":
        return None
    raw = _RAW_TEXT.match(token)
    start = raw.group(1) if raw else token
    if not _PLAIN_START.fullmatch(start) or (raw and start.endswith("/>")):
        return False
    name = _PLAIN_NAME.match(start)
    attrs = tuple((m.group(1).lower(), _attr_value(m.group(2), m.group(3)))
                  for m in _PLAIN_ATTR.finditer(start, name.end()))
    tag = StartTag(name.group(1).lower(), attrs)
    return RawText(tag, raw.group(2)) if raw else tag


def _attr_value(double: str | None, single: str | None) -> str | None:
    value = double if double is not None else single
    return unescape(value) if value else value


class PageScanner:
    """Reads many pages and collects the start tags and script/style elements of the plain ones.

    Each distinct token is read once. Pages also share most of their markup
    (every full page carries the nav), so a page is cut before each `<li`
    first and only pieces not seen before are cut into tokens. That holds
    when no token spans a cut, which the piece ending inside the token shows
    (it is not plain on its own); such a page is cut into tokens whole.
    """

    _CUT = "<li"

    def __init__(self) -> None:
        # piece -> its tokens (None: not plain on its own); _heads for the piece before a page's first cut
        self._pieces: dict[str, frozenset[str] | None] = {}
        self._heads: dict[str, frozenset[str] | None] = {}
        self._counted: set[str] = set()
        self._tokens: set[str] = set()                        # tokens of the plain pages added

    def _cut(self, page: str | bytes) -> tuple[frozenset[str] | None, set]:
        """The tokens of the page's head and the set of its pieces, each piece's tokens cached."""
        cut = _CUT_BYTES if isinstance(page, bytes) else self._CUT
        head, *rest = page.split(cut)
        if head not in self._heads:
            self._heads[head] = _plain_tokens(_text(head))
        pieces = set(rest)
        for piece in pieces.difference(self._pieces):
            self._pieces[piece] = _plain_tokens(self._CUT + _text(piece))
        return self._heads[head], pieces

    def add(self, page: str | bytes) -> bool:
        """Take in a page (text, or UTF-8 bytes, which are cut without decoding them
        all); False if it is not plain markup (read it with html.parser)."""
        head, pieces = self._cut(page)
        new = pieces.difference(self._counted)
        if head is None or any(self._pieces[piece] is None for piece in new):
            return self._add_whole(_text(page))
        self._tokens |= head
        for piece in new:
            self._tokens |= self._pieces[piece]
        self._counted |= new
        return True

    def page_tokens(self, page: str | bytes) -> frozenset[str] | None:
        """The distinct tokens of one page (from the same piece cache), or None if it is not plain."""
        head, pieces = self._cut(page)
        parts = [head, *(self._pieces[piece] for piece in pieces)]
        if any(part is None for part in parts):
            return _plain_tokens(_text(page))
        return frozenset().union(*parts)

    def _add_whole(self, page_html: str) -> bool:
        found = _plain_tokens(page_html)
        if found is None:
            return False
        self._tokens |= found
        return True

    def start_tags(self) -> list[StartTag]:
        """Every start tag of the plain pages (script and style ones too)."""
        tags = []
        for token in self._tokens:
            read = read_token(token)
            if isinstance(read, StartTag):
                tags.append(read)
            elif isinstance(read, RawText):
                tags.append(read.tag)
        return tags

    def raw_text(self) -> list[RawText]:
        """The script and style elements of the plain pages."""
        return [read for token in self._tokens if isinstance(read := read_token(token), RawText)]


_CUT_BYTES = PageScanner._CUT.encode("ascii")   # ASCII: a cut never falls inside a UTF-8 character


def _text(markup: str | bytes) -> str:
    return markup.decode("utf-8") if isinstance(markup, bytes) else markup


def _plain_tokens(markup: str) -> frozenset[str] | None:
    """The distinct tokens of a piece of markup, or None if it is not plain on its own."""
    found = frozenset(_TOKENS.findall(markup))
    return None if "" in found or not _all_plain(found) else found


def _all_plain(tokens) -> bool:
    return all(read_token(token) is not False for token in tokens)
