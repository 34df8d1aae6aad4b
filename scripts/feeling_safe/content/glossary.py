"""Glossary: terms defined once (glossary front matter), explained wherever they appear.

Why: a reader meeting "alliance" or "DBT" on any page should get a plain
definition without leaving the page, on hover and on keyboard focus, and
editors should keep each definition in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from feeling_safe.pages import html as markup

MARKER = "<!-- glossary-terms -->"
# Text inside these is never annotated: headings, links and other interactive
# or code elements (a tooltip there would nest controls or change meaning).
SKIP_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "button", "code", "pre",
                       "kbd", "script", "style", "summary", "label", "textarea", "select",
                       "option", "dt", "time", "svg"})
# ...nor the parts the build adds (meta line, covers note, Next step, Sources, the complaint
# routes' directory, which is looked up rather than read through), nor sentences a reader
# copies to say as they are ("Words to bring it up").
# A clinic's own text (the roots of overrides/partials/clinic/) is the clinic's, shown as written.
CLINIC_CLASSES = frozenset({"clinic-intro", "clinic-commitments", "clinic-locations", "clinic-review",
                            "clinic-welcome", "clinic-contact", "fst-doors__clinic"})
SKIP_CLASSES = frozenset({"admonition-title", "fst-page-meta", "fst-covers", "fst-next-step", "fst-sources",
                          "fst-routes", "say-list", *CLINIC_CLASSES})
_NOT_ANNOTATED = ", ".join([*sorted(SKIP_TAGS), *sorted("." + name for name in SKIP_CLASSES)])
TOOLTIP_CLASS = "fst-term"


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    also: tuple[str, ...] = field(default_factory=tuple)
    only: tuple[str, ...] = field(default_factory=tuple)  # the words a build must hold (feeling_safe/content/region_text.py)

    @property
    def anchor(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.also)


def load_terms(label: str, raw: object) -> list[Term]:
    """Terms from the glossary page's `terms:` list; problems raise ValueError naming file and field."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValueError(f"{label}: terms must be a list of {{term, also, definition}} entries")
    problems, terms = [], []
    for number, entry in enumerate(raw, start=1):
        where = f"{label}: terms entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must have term, definition and optional also")
            continue
        unknown = set(entry) - {"term", "also", "definition", "only"}
        if unknown:
            problems.append(f"{where}: unknown field {', '.join(sorted(map(str, unknown)))}")
        name, definition, also = entry.get("term"), entry.get("definition"), entry.get("also", [])
        only = entry.get("only", [])
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: term is missing")
        if not isinstance(definition, str) or not definition.strip():
            problems.append(f"{where}: definition is missing")
        if not isinstance(also, list) or not all(isinstance(a, str) and a.strip() for a in also):
            problems.append(f"{where}: also must be a list of words")
        if not isinstance(only, list) or not all(isinstance(word, str) and word.strip() for word in only):
            problems.append(f"{where}: only must be a list of words, like [us]")
        if not problems:
            terms.append(Term(name.strip(), " ".join(definition.split()), tuple(a.strip() for a in also),
                              tuple(word.strip() for word in only)))
    anchors = [t.anchor for t in terms]
    problems += [f"{label}: term '{t.term}' is defined twice" for i, t in enumerate(terms)
                 if t.anchor in anchors[:i]]
    if problems:
        raise ValueError("\n".join(problems))
    return terms


def glossary_markdown(terms: list[Term]) -> str:
    """The glossary as a Markdown definition list, each term with id term-<slug>, A to Z."""
    entries = [f"{t.term} {{ #{t.anchor} }}\n:   {t.definition}\n" for t in
               sorted(terms, key=lambda t: t.term.casefold())]
    return "\n".join(entries)


def insert_glossary(markdown: str, terms: list[Term]) -> str:
    """Put the definition list at the marker line, or at the end of the page's own text."""
    listing = glossary_markdown(terms)
    if MARKER in markdown:
        return markdown.replace(MARKER, "\n" + listing, 1)
    return markdown.rstrip() + "\n\n" + listing


def _pattern(terms: list[Term]) -> re.Pattern:
    """One regex for every name, longest first; all-capitals names (CBT) match case exactly."""
    names = sorted({n for t in terms for n in t.names}, key=len, reverse=True)
    parts = [re.escape(n) if n.isupper() else f"(?i:{re.escape(n)})" for n in names]
    return re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?![\w-])")


def annotate(page_html: str, terms: list[Term]) -> str:
    """Wrap the first use of each term in prose in a focusable <abbr title=definition>.

    The browser shows the title on hover; site.css shows the same text on
    focus (keyboard or tap), and Material's tooltips take over when its
    bundle is loaded. Only the first use per page is marked, so a page is not
    dotted with underlines. Headings, links, code, the summary title, Next
    step and Sources are left alone. Returns the input unchanged if no term occurs.
    """
    if not terms:
        return page_html
    pattern, by_name, shortest = _matcher(tuple(terms))
    article = markup.parse_fragment(page_html)
    seen: set[str] = set()
    changed = False
    for node in markup.text_nodes(article, _NOT_ANNOTATED):
        text = node.text_content
        if len(text) >= shortest and pattern.search(text):
            changed = _wrap_terms(article, node, text, by_name, pattern, seen) or changed
    return markup.serialize_fragment(article) if changed else page_html


@lru_cache(maxsize=8)
def _matcher(terms: tuple[Term, ...]) -> tuple[re.Pattern, dict[str, Term], int]:
    """The names' pattern, each name's term, the shortest name's length (the same terms, every page)."""
    by_name = {n.casefold(): t for t in terms for n in t.names}
    return _pattern(list(terms)), by_name, min(len(n) for t in terms for n in t.names)


def _wrap_terms(article: LexborHTMLParser, node: LexborNode, text: str, by_name: dict[str, Term],
                pattern: re.Pattern, seen: set[str]) -> bool:
    """The text node cut around the first use of each term not yet `seen`, each wrapped in
    its tooltip; False (the node untouched) if every term in it was seen already."""
    last = 0
    for match in pattern.finditer(text):
        term = by_name[match.group(1).casefold()]
        if term.anchor in seen:
            continue
        seen.add(term.anchor)
        if match.start() > last:
            node.insert_before(text[last:match.start()])
        node.insert_before(_tooltip(article, term, match.group(1)), move=True)
        last = match.end()
    if not last:
        return False
    if last < len(text):
        node.replace_with(text[last:])
    else:
        node.decompose()
    return True


def _tooltip(article: LexborHTMLParser, term: Term, text: str) -> LexborNode:
    """<abbr class="fst-term" title="definition" tabindex="0">text</abbr>"""
    abbr = article.create_node("abbr")
    abbr.attrs["class"] = TOOLTIP_CLASS
    abbr.attrs["title"] = term.definition
    abbr.attrs["tabindex"] = "0"
    abbr.insert_child(text)
    return abbr
