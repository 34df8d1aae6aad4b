"""Glossary: render the glossary page from its `terms:` and add tooltips on other pages.

Thin wrapper over scripts/glossary.py. The glossary page is named by
`extra.glossary_page` in mkdocs.yml (default glossary.md).
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from scripts.frontmatter import read_front_matter
from scripts.glossary import Term, annotate, insert_glossary, load_terms

_terms: list[Term] = []
_glossary: dict[str, str] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    name = config.extra.get("glossary_page", "glossary.md")
    file = files.get_file_from_path(name)
    _terms.clear()
    _glossary.clear()
    if file is None:
        return files
    _glossary["src_uri"] = file.src_uri
    label = f"{Path(config.docs_dir).name}/{file.src_uri}"
    try:
        _terms.extend(load_terms(label, read_front_matter(file.abs_src_path).get("terms")))
    except ValueError as error:
        raise PluginError(f"Glossary problems:\n{error}") from error
    return files


def _is_glossary(page: Page) -> bool:
    return page.file.src_uri == _glossary.get("src_uri")


@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return insert_glossary(markdown, _terms) if _is_glossary(page) and _terms else markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return html if _is_glossary(page) else annotate(html, _terms)
