"""Reading time and last-reviewed date (and the optional `covers` note) under each H1.

Thin wrapper over scripts/reading.py. Values go into page.meta (word_count,
reading_minutes, counted on the page's final text without Next step and Sources); overrides/partials/page-meta.html renders them, and this
hook places that snippet straight after the page's H1.
"""
from __future__ import annotations

from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from scripts.frontmatter import as_date
from scripts.reading import page_text, reading_minutes, word_count

_env: dict[str, Environment] = {}


@event_priority(-100)  # last: the page's text is final (glossary tooltips do not change it)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    words = word_count(page_text(html))
    page.meta["word_count"] = words
    page.meta["reading_minutes"] = reading_minutes(words)
    page.meta["last_reviewed_date"] = as_date(page.meta.get("last_reviewed"))
    return html


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    _env["env"] = env
    return env


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    nav: Navigation) -> dict[str, Any]:
    if page.content and "</h1>" in page.content:
        snippet = _env["env"].get_template("partials/page-meta.html").render(page=page, config=config)
        head, tail = page.content.split("</h1>", 1)
        page.content = f"{head}</h1>\n{snippet.strip()}\n{tail}"
    return context
