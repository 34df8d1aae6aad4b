"""Word counts and reading time, shared by the page meta line and the JSON feed.

Why: one definition of "how long is this page", so the number a reader sees
and the number other tools publish always agree.
"""
from __future__ import annotations

import math
import re

from bs4 import BeautifulSoup

WORDS_PER_MINUTE = 200
# What the build adds to a writer's text (scripts/pipeline.py): not counted as reading.
GENERATED = ("#next-step", ".fst-next-step", "#sources", ".fst-sources", ".fst-page-meta", ".fst-covers",
             ".fst-on-this-page")
# Site navigation, not article: left out of the API's copy of a page.
NAVIGATION = ("#next-step", ".fst-next-step")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def page_text(page_html: str) -> str:
    """The visible text of a page's content HTML, without the sections the build adds."""
    soup = BeautifulSoup(page_html, "html.parser")
    for selector in GENERATED:
        for element in soup.select(selector):
            element.decompose()
    for element in soup.select("script, style"):
        element.decompose()
    return soup.get_text(" ")


def article_fragment(page_html: str) -> str:
    """A page's content HTML without the reading path's Next step (the API's article)."""
    if "next-step" not in page_html:
        return page_html
    soup = BeautifulSoup(page_html, "html.parser")
    for selector in NAVIGATION:
        for element in soup.select(selector):
            element.decompose()
    return str(soup)


def word_count(text: str) -> int:
    """Words in plain text (contractions and hyphenated words count once)."""
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at about 200 words a minute; never less than 1."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
