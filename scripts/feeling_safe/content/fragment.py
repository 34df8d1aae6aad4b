"""A page's content HTML (the article, not a whole page) read as a browser reads it.

Why: the glossary, the reading time, the contents list and the embed views all
read or rewrite the article. They share one HTML5 parser (lexbor, through
selectolax), so each reads the markup exactly as a browser builds it, in one
fast C pass, instead of each keeping its own tokenizer.
"""
from __future__ import annotations

from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode


def parse(html: str) -> LexborHTMLParser:
    """`html` parsed as the content of a <div> (the HTML Standard's fragment parsing)."""
    return LexborHTMLParser(html, is_fragment=True)


def serialise(fragment: LexborHTMLParser) -> str:
    """The fragment written back as HTML (the standard's serialisation)."""
    return fragment.html or ""


def top_nodes(fragment: LexborHTMLParser) -> list[LexborNode]:
    """The fragment's top-level nodes in order (they have no parent element)."""
    nodes, node = [], fragment.root
    while node is not None:
        nodes.append(node)
        node = node.next
    return nodes


def text_nodes(fragment: LexborHTMLParser, skip: str = "") -> Iterator[LexborNode]:
    """The fragment's text nodes in order, leaving out everything inside an element
    that matches the CSS selector `skip`. A caller may replace the node it was given."""
    skipped = {element.mem_id for element in fragment.css(skip)} if skip else set()
    return _texts_from(fragment.root, skipped)


def _texts_from(node: LexborNode | None, skipped: set[int]) -> Iterator[LexborNode]:
    while node is not None:
        following = node.next  # read first: the caller may replace `node`
        if node.is_text_node:
            yield node
        elif node.mem_id not in skipped:
            child = node.first_child
            if child is not None:
                yield from _texts_from(child, skipped)
        node = following
