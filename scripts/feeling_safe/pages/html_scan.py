"""What is left of the old plain-markup tokenizer: read one start tag or script/style element as html.parser does.

Removed at merge once html_fragment goes: scripts/feeling_safe/pages/html_fragment.py (being
replaced on another branch) is its last user. Built pages are read with
scripts/feeling_safe/pages/html.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

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
