"""Turn `[@key]` citations into links and append the page's Sources section.

Thin wrapper over scripts/citations.py. Runs after the other Markdown hooks
so Sources is always the last section. Unknown keys in any page fail the
build once, listing every file and key.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from scripts.citations import cited_keys, link_citations, load_references, sources_section, unknown_keys

REFERENCES_FILE = Path(__file__).resolve().parents[2] / "data" / "references.yml"
_references: dict = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        _references.clear()
        _references.update(load_references(REFERENCES_FILE))
    except ValueError as error:
        raise PluginError(f"Reference list problems:\n{error}") from error
    folder = Path(config.docs_dir).name
    found = []
    for file in files.documentation_pages():
        body, _ = get_data(Path(file.abs_src_path).read_text(encoding="utf-8-sig"))
        found += [f"{folder}/{file.src_uri}: unknown citation key '{key}' (not in data/references.yml)"
                  for key in unknown_keys(body, _references)]
    if found:
        raise PluginError("Citation problems:\n  " + "\n  ".join(found))
    return files


@event_priority(-50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    keys = cited_keys(markdown)
    if not keys:
        return markdown
    page.meta["cited_keys"] = keys
    return link_citations(markdown, _references).rstrip() + "\n\n" + sources_section(keys, _references)
