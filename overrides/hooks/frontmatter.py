"""Check every page's front matter before the build; warn about overdue reviews.

Thin wrapper over scripts/frontmatter.py. An overdue review is a visible
warning but not a strict-build failure: the page is still valid content, and
`make check-reviews` is the command that fails on it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from scripts.frontmatter import check_pages, overdue, read_front_matter, today

# Its own logger, outside "mkdocs": MkDocs' strict mode counts only its own warnings.
review_log = logging.getLogger("feeling_safe.reviews")
if not review_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("REVIEW DUE -  %(message)s"))
    review_log.addHandler(_handler)
    review_log.propagate = False


def on_files(files: Files, config: MkDocsConfig) -> Files:
    folder = Path(config.docs_dir).name
    pages = [(f"{folder}/{file.src_uri}", file.abs_src_path) for file in files.documentation_pages()]
    found = check_pages(pages)
    if found:
        raise PluginError("Front matter problems (see CONTRIBUTING.md):\n  " + "\n  ".join(found))
    try:
        on = today()
    except ValueError as error:
        raise PluginError(str(error)) from None
    for label, path in pages:
        meta = read_front_matter(path)
        if overdue(meta, on):
            review_log.warning("%s: next_review was %s; check the page against its sources, "
                               "then update last_reviewed and next_review", label, meta["next_review"])
    return files
