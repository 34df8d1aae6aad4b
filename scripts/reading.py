"""Word counts and reading time, shared by the page meta line and the JSON feed.

Why: one definition of "how long is this page", so the number a reader sees
and the number other tools publish always agree.
"""
from __future__ import annotations

import math
import re

from bs4 import BeautifulSoup

from scripts.html_fragment import Element, read

WORDS_PER_MINUTE = 200
# What the build adds after a writer's text (readingpath and citations hooks).
GENERATED = ("#next-step", ".fst-next-step", "#sources", ".fst-sources", ".fst-page-meta", ".fst-covers")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_GENERATED_IDS = frozenset(s[1:] for s in GENERATED if s.startswith("#"))
_GENERATED_CLASSES = frozenset(s[1:] for s in GENERATED if s.startswith("."))


def _generated(element: Element) -> bool:
    return (element.attrs.get("id") in _GENERATED_IDS or not _GENERATED_CLASSES.isdisjoint(element.classes)
            or element.name in ("script", "style"))


def page_text(page_html: str) -> str:
    """The visible text of a page's content HTML, without the sections the build adds.

    Plain markup is read without building a tree (scripts/html_fragment.py);
    the text is the same as BeautifulSoup's get_text(" ").
    """
    fragment = read(page_html, _generated, write=False)
    if fragment is not None:
        return " ".join(text for _, text, hidden in fragment.texts if not hidden)
    soup = BeautifulSoup(page_html, "html.parser")
    for selector in GENERATED:
        for element in soup.select(selector):
            element.decompose()
    for element in soup.select("script, style"):
        element.decompose()
    return soup.get_text(" ")


def word_count(text: str) -> int:
    """Words in plain text (contractions and hyphenated words count once)."""
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at about 200 words a minute; never less than 1."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
