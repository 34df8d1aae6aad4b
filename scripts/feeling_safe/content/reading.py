"""Word counts and reading time, shared by the page meta line and the JSON feed.

Why: one definition of "how long is this page", so the number a reader sees
and the number other tools publish always agree.
"""
from __future__ import annotations

import math
import re

from selectolax.lexbor import LexborNode

from feeling_safe.content import fragment

WORDS_PER_MINUTE = 200
# What the build adds to a writer's text (scripts/feeling_safe/plugin/plugin.py): not counted as reading.
GENERATED = ("#next-step", ".fst-next-step", "#sources", ".fst-sources", ".fst-page-meta", ".fst-covers",
             ".fst-on-this-page")
_NOT_READ = ", ".join((*GENERATED, "script", "style"))
# Site navigation, not article: the Next step section (left out of the API's copy).
NEXT_STEP_HEADING = "h2#next-step"
NEXT_STEP_CLASS = "fst-next-step"
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def page_text(page_html: str) -> str:
    """The visible text of a page's content HTML, without the sections the build adds
    (text nodes joined by spaces, so words in two elements never run together)."""
    return " ".join(node.text_content for node in fragment.text_nodes(fragment.parse(page_html), _NOT_READ))


def article_fragment(page_html: str) -> str:
    """A page's content HTML without the reading path's Next step (the API's article).

    The section is the build's own (scripts/feeling_safe/content/readingpath.py): its heading, then one
    paragraph of class fst-next-step. Without both, the HTML is returned as it came.
    """
    article = fragment.parse(page_html)
    heading = article.css_first(NEXT_STEP_HEADING)
    if heading is None:
        return page_html
    section = [heading]
    while section[-1].next is not None and not _is_next_step_paragraph(section[-1]):
        section.append(section[-1].next)
    if not _is_next_step_paragraph(section[-1]):
        return page_html
    before = heading.prev
    if before is not None and before.is_text_node:  # the blank lines before the heading go too
        kept = before.text_content.rstrip()
        if kept:
            before.replace_with(kept)
        else:
            before.decompose()
    for node in section:
        node.decompose()
    return fragment.serialise(article)


def _is_next_step_paragraph(node: LexborNode) -> bool:
    return node.tag == "p" and NEXT_STEP_CLASS in (node.attributes.get("class") or "").split()


def word_count(text: str) -> int:
    """Words in plain text (contractions and hyphenated words count once)."""
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at about 200 words a minute; never less than 1."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
