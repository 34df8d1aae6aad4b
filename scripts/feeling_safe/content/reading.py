"""Word counts and reading time, shared by the page meta line and the JSON feed.

Why: one definition of "how long is this page", so the number a reader sees
and the number other tools publish always agree.
"""
from __future__ import annotations

import math
import re

from bs4 import BeautifulSoup

from feeling_safe.pages.html_fragment import Element, read

WORDS_PER_MINUTE = 200
# What the build adds to a writer's text (scripts/feeling_safe/plugin/plugin.py): not counted as reading.
GENERATED = ("#next-step", ".fst-next-step", "#sources", ".fst-sources", ".fst-page-meta", ".fst-covers",
             ".fst-on-this-page")
# Site navigation, not article: where the Next step section starts (left out of the API's copy).
NEXT_STEP_START = '<h2 id="next-step">'
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_GENERATED_IDS = frozenset(s[1:] for s in GENERATED if s.startswith("#"))
_GENERATED_CLASSES = frozenset(s[1:] for s in GENERATED if s.startswith("."))


def _generated(element: Element) -> bool:
    return (element.attrs.get("id") in _GENERATED_IDS or not _GENERATED_CLASSES.isdisjoint(element.classes)
            or element.name in ("script", "style"))


def page_text(page_html: str) -> str:
    """The visible text of a page's content HTML, without the sections the build adds.

    Plain markup is read without building a tree (scripts/feeling_safe/pages/html_fragment.py);
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


def article_fragment(page_html: str) -> str:
    """A page's content HTML without the reading path's Next step (the API's article).

    The section is the build's own (scripts/feeling_safe/content/readingpath.py): its heading, then one
    paragraph of class fst-next-step; it is cut out as written.
    """
    start = page_html.find(NEXT_STEP_START)
    if start < 0:
        return page_html
    paragraph = page_html.find('<p class="fst-next-step">', start)
    end = page_html.find("</p>", paragraph) if paragraph >= 0 else -1
    if end < 0:
        return page_html
    return page_html[:start].rstrip() + page_html[end + len("</p>"):]


def word_count(text: str) -> int:
    """Words in plain text (contractions and hyphenated words count once)."""
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at about 200 words a minute; never less than 1."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
