"""Word counts and reading time, shared by the page meta line and the JSON feed.

Why: one definition of "how long is this page", so the number a reader sees
and the number other tools publish always agree.
"""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser, LexborNode

from feeling_safe.content import frontmatter
from feeling_safe.content.dates import human_date
from feeling_safe.pages import html as markup

if TYPE_CHECKING:  # the partials come from the plugin
    from feeling_safe.plugin.partials import Partials

WORDS_PER_MINUTE = 200
# What the build adds to a writer's text (feeling_safe/plugin/plugin.py): not counted as reading.
# The complaint routes (.fst-routes) are a directory from data/complaint-routes.yml: a reader looks
# up their own group and bodies rather than reading it through.
GENERATED = ("#next-step", ".fst-next-step", "#sources", ".fst-sources", ".fst-page-meta", ".fst-covers",
             ".fst-on-this-page", ".fst-routes")
_NOT_READ = ", ".join((*GENERATED, "script", "style"))
# Site navigation, not article: the Next step section (left out of the API's copy).
NEXT_STEP_HEADING = "h2#next-step"
NEXT_STEP_CLASS = "fst-next-step"
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def page_text(page_html: str) -> str:
    """The visible text of a page's content HTML, without the sections the build adds
    (text nodes joined by spaces, so words in two elements never run together)."""
    return " ".join(node.text_content for node in markup.text_nodes(markup.parse_fragment(page_html), _NOT_READ))


def article_fragment(page_html: str) -> str:
    """A page's content HTML without the reading path's Next step (the API's article).

    The section is the build's own (feeling_safe/content/readingpath.py): its heading, then one
    paragraph of class fst-next-step. Without both, the HTML is returned as it came.
    """
    article = markup.parse_fragment(page_html)
    return markup.serialize_fragment(article) if drop_next_step(article) else page_html


def drop_next_step(article: LexborHTMLParser) -> bool:
    """`article_fragment` on an article already parsed; False (and unchanged) without the section."""
    heading = article.css_first(NEXT_STEP_HEADING)
    if heading is None:
        return False
    section = [heading]
    while section[-1].next is not None and not _is_next_step_paragraph(section[-1]):
        section.append(section[-1].next)
    if not _is_next_step_paragraph(section[-1]):
        return False
    before = heading.prev
    if before is not None and before.is_text_node:  # the blank lines before the heading go too
        kept = before.text_content.rstrip()
        if kept:
            before.replace_with(kept)
        else:
            before.decompose()
    for node in section:
        node.decompose()
    return True


def _is_next_step_paragraph(node: LexborNode) -> bool:
    return node.tag == "p" and NEXT_STEP_CLASS in (node.attributes.get("class") or "").split()


def word_count(text: str) -> int:
    """Words in plain text (contractions and hyphenated words count once)."""
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at about 200 words a minute; never less than 1."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def with_meta_line(page_html: str, meta: dict, words: int, partials: Partials) -> str:
    """The page's HTML with its meta line (what it covers, reading time or time to use,
    last reviewed) right under its title; the home page is a welcome, not a document."""
    if meta.get("kind") == "home":
        return page_html
    reviewed = frontmatter.as_date(meta.get("last_reviewed"))
    # A tool page may give its measured time to use (`minutes`); a test checks that number.
    line = partials.render("page-meta.html", covers=meta.get("covers"),
                           minutes=meta.get("minutes") or reading_minutes(words),
                           to_use=bool(meta.get("minutes")), reviewed=reviewed,
                           reviewed_text=human_date(reviewed) if reviewed else None)
    return markup.insert_after_first_h1(page_html, line) or page_html
