"""Which glossary terms this build shows: the glossary page's `terms:`, checked, for its region.

Why: a term may hold only where a build holds a fact (`only: [uk]`, `only:
[psypact]`); the glossary list and the tooltips must show the same terms, so
they are chosen once, from the glossary page's front matter, for the whole build.
"""
from __future__ import annotations

from collections.abc import Collection

from feeling_safe.content import glossary, region_text
from feeling_safe.content.sources import PageSource


def build_terms(source: PageSource | None, marker_words: Collection[str], held: Collection[str]) -> list[glossary.Term]:
    """The terms this build shows; raises ValueError naming the glossary page and term."""
    if source is None:  # a small fixture site may have no glossary
        return []
    terms = glossary.load_terms(source.label, source.meta.get("terms"))
    unknown = [f"{source.label}: term '{t.term}': only names {word!r}; use {', '.join(sorted(marker_words))}"
               for t in terms for word in t.only if not region_text.known_word(word, marker_words)]
    if unknown:
        raise ValueError("\n".join(unknown))
    return [term for term in terms if region_text.fits(term.only, held)]
