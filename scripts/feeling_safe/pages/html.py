"""Read and rewrite built HTML the way a browser reads it: one HTML5 parser for every page.

Why: the build reads its own pages to check them (inline code, issue 22's
allow-list), to tidy them (theme fixes, indentation), to purge CSS and to
measure them. Regular expressions and Python's html.parser read markup in
ways no browser does (comments, raw text, unquoted values...), so a check
could pass markup a browser runs. Every reader here uses lexbor (through
selectolax), which follows the HTML Standard's tokenizer and tree builder.

Pages are parsed with scripting on, as a reader's browser parses them: the
content of a `<noscript>` is then text, and what is serialized reads back
the same way.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements whose text is kept exactly: indentation in them is content.
VERBATIM = ("pre", "textarea", "script", "style")


def parse(page: str | bytes, *, scripting: bool = True) -> LexborHTMLParser:
    """A whole page (text, or UTF-8 bytes) as a browser builds it."""
    return LexborHTMLParser(page, scripting=scripting)


def parse_fragment(fragment: str) -> LexborHTMLParser:
    """Markup meant for the inside of a <div> (an article's body)."""
    return LexborHTMLParser(fragment, is_fragment=True, scripting=True)


def fragment_text(fragment: str) -> str:
    """The words of an HTML fragment (which may hold markup and entities) as plain text,
    whitespace collapsed to single spaces."""
    return " ".join(parse_fragment(fragment).text().split()) if fragment else ""


def serialize(page: LexborHTMLParser) -> str:
    """The page as HTML text (the HTML Standard's serialization, doctype first)."""
    return page.html or ""


def serialize_fragment(fragment: LexborHTMLParser) -> str:
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


def elements(page: LexborHTMLParser) -> Iterator[LexborNode]:
    """Every element, in document order, with the content of each <template> (which is
    not in the tree, but is markup a script may bring in) right after the template."""
    if page.root is None:
        return iter(())
    if page.css_first("template") is None:   # (lexbor's walk also meets comments: skipped)
        return (node for node in page.root.traverse() if node.is_element_node)
    return _elements_with_templates(page.root)


def _elements_with_templates(top: LexborNode) -> Iterator[LexborNode]:
    for node in top.traverse():
        if not node.is_element_node:
            continue
        yield node
        if node.tag == "template":
            for content in node.template_fragments():
                yield from _elements_with_templates(content)


def insert_after_first_h1(fragment: str, addition: str) -> str | None:
    """The fragment with `addition` (markup) on its own line after its first <h1>;
    None when it has no <h1>."""
    tree = parse_fragment(fragment)
    heading = tree.css_first("h1")
    if heading is None:
        return None
    added = parse_fragment(f"\n{addition}\n")
    node = added.root
    anchor = heading
    while node is not None:
        following = node.next
        anchor.insert_after(node, move=True)
        anchor, node = anchor.next, following
    return serialize_fragment(tree)


def text_nodes_outside_verbatim(page: LexborHTMLParser) -> list[tuple[LexborNode, str]]:
    """(node, text) of the text nodes that hold a line break, outside <pre>, <textarea>,
    <script> and <style> (collected first: a tree must not change while it is walked)."""
    inside = set()
    for verbatim in page.css(",".join(VERBATIM)):
        inside.update(node.mem_id for node in verbatim.traverse(include_text=True))
    if page.root is None:
        return []
    found = []
    for node in page.root.traverse(include_text=True):
        if node.is_text_node:
            text = node.text_content
            if "\n" in text and node.mem_id not in inside:
                found.append((node, text))
    return found


# Where an element starts in a serialization: its start tag (attribute values there
# never hold "<" or ">", the serializer escapes them), skipping comments, the
# doctype, end tags and raw text, whose end the serializer writes as it read it.
_RAW_TEXT = ("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext")
_SERIALIZED_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|</[^>]*>"
    r"|<(" + "|".join(_RAW_TEXT) + r")(?=[\s>])[^>]*>.*?(?=</\1\s*>)"
    r"|<[a-zA-Z][^>]*>", re.DOTALL | re.IGNORECASE)


def start_lines(serialized: str) -> list[int]:
    """The line (from 1) of each element's start tag in a page's serialization
    (`serialize`), in document order: the n-th element of the parsed page starts
    on the n-th line given. Used only for error messages, which name a line."""
    lines, line, last = [], 1, 0
    for token in _SERIALIZED_TOKEN.finditer(serialized):
        text = token.group(0)
        if text[1] not in "!/":
            line += serialized.count("\n", last, token.start())
            last = token.start()
            lines.append(line)
    return lines


# The attribute naming the stylesheet a template's own `<style>` is filled with (overrides/home.html).
OWN_SHEET = "data-fs-own"


def head_styles(page: LexborHTMLParser) -> list[LexborNode]:
    """The page's `<style>` elements that are children of its <head>."""
    return page.css("head > style")


def fill_head_style(page: str, text: str, own: Callable[[str], str] = str) -> tuple[str, list[str]] | None:
    """The page with `text` as the content of the one empty `<style>` its template writes in
    the head (overrides/main.html), and each empty `<style data-fs-own="path">` a template
    adds (overrides/home.html) filled with `own(path)` and its attribute dropped, serialized
    again; with the texts put in the latter. None when the page has no `<style>` in its head.
    A ValueError when a `<style>` there is not one of these, or not empty: then something
    other than the templates wrote it, and the build's text must not join what it holds."""
    tree = parse(page)
    styles = head_styles(tree)
    if not styles:
        return None
    critical = [style for style in styles if not style.attributes]
    if len(critical) != 1 or any(style.text(deep=True) for style in styles) \
            or any(set(style.attributes) - {OWN_SHEET} for style in styles):
        raise ValueError("a page's head holds a <style> its template did not leave empty for the "
                         "critical CSS (overrides/main.html writes one, empty)")
    critical[0].insert_child(text)
    filled = []
    for style in styles:
        if style.attributes:
            filled.append(own(style.attributes[OWN_SHEET] or ""))
            del style.attrs[OWN_SHEET]
            style.insert_child(filled[-1])
    return serialize(tree), filled


def noscript_contents(page: LexborHTMLParser) -> list[tuple[LexborNode, LexborHTMLParser]]:
    """Each <noscript> of a page with its content read as markup (as a browser without
    scripts reads it); `put_back` writes changed content back."""
    return [(node, LexborHTMLParser(node.text(deep=True), is_fragment=True))
            for node in page.css("noscript")]


def put_back(contents: list[tuple[LexborNode, LexborHTMLParser]]) -> None:
    for node, content in contents:
        node.inner_html = serialize_fragment(content)


# The site nav's sections: on a large site they are most of every page, and all
# but the reader's own section are the same bytes on every page.
REPEATED_PARTS = "nav.md-nav--primary > ul > li"


class RepeatedParts:
    """Parts of pages that recur byte for byte, each processed once per build.

    Why: every page carries the whole nav, so reading and rewriting each page's
    nav in Python costs pages x nav items, which grows with the square of the
    site. A part seen before (the same markup, in the same place) is set aside
    as a marker before a page is processed and comes back, as it came out the
    first time, when the page is written; the checks of the first page that
    carried it stand for it (the result of reading a part depends only on its markup).
    """

    def __init__(self, selector: str = REPEATED_PARTS) -> None:
        self.selector = selector
        self.done: dict[str, str] = {}   # a part as written by the generator -> as we wrote it
        # Markers no page can hold already (never written: each is replaced before a page is).
        # Plain text, which the serializer writes as it is (letters, digits, `-` and `:`):
        # a text node costs far less to make than a comment parsed from markup.
        self._mark = f"fst-set-aside-{secrets.token_hex(8)}"
        self._marker = re.compile(rf"{self._mark}:(\d+):")

    def set_aside(self, page: LexborHTMLParser, kind: str = "") -> tuple[list[str], list[tuple[str, LexborNode]]]:
        """Replace each part done before with a marker (text); returns (what each marker
        stands for, in order; the new parts, to `remember` once they are processed).
        `kind` keeps apart parts whose processing differs (say, which purge reads them)."""
        aside, new = [], []
        for part in page.css(self.selector):
            key = f"{kind}\n{part.html}"
            done = self.done.get(key)
            if done is None:
                new.append((key, part))
                continue
            part.replace_with(f"{self._mark}:{len(aside)}:")
            aside.append(done)
        return aside, new

    def remember(self, new: list[tuple[str, LexborNode]]) -> None:
        for key, part in new:
            self.done.setdefault(key, part.html or "")

    def put_back(self, written: str, aside: list[str]) -> str:
        """The page with each marker replaced by the part it stands for."""
        if not aside:
            return written
        return self._marker.sub(lambda match: aside[int(match.group(1))], written)
