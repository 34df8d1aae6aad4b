"""Our scripts as a page loads them: minified, and a page's tools in one file.

Why: a page with tools (`scripts: [private-page, copy-text, self-check]` in its
front matter, and quick-exit.js on a `quick_exit: true` page) once loaded each
as its own request, every response with its own headers, and each source with
its comments and indentation. Now, as the build reads its files, each distinct
list of a page's scripts becomes one deferred file, the sources minified
(rjsmin; a `/*! ... */` licence comment is kept) and joined in the listed
order, each in its own `try`, so one that fails does not stop the next (as
separate files did not). Its name is its content's hash
(`assets/javascripts/page-tools.<hash>.js`, as pages/lean_assets.py names the
sheets), so it is cached for a year and a changed source gets a new name;
pages with the same list share it. The scripts we publish on their own (ours
under docs/assets/javascripts/ and the theme's lean.js; not Material's bundle)
are minified in place. The template (overrides/partials/page-scripts.html) is
given the page's file by the plugin; the allow-list (pages/allowed_markup.py)
accepts the files this module wrote, and nothing else new.
"""
from __future__ import annotations

from typing import Any

import rjsmin

from feeling_safe.pages.lean_assets import hashed_name

FOLDER = "assets/javascripts"
STEM = "page-tools.js"                     # named page-tools.<hash>.js by its content
QUICK_EXIT = "quick-exit"                  # added for a page with `quick_exit: true`


def script_names(meta: dict[str, Any]) -> tuple[str, ...]:
    """The scripts a page loads, in order: its front matter's `scripts`, then quick-exit
    for a `quick_exit: true` page (once, if it lists it too)."""
    names = list(meta.get("scripts") or [])
    if meta.get("quick_exit") is True and QUICK_EXIT not in names:
        names.append(QUICK_EXIT)
    return tuple(dict.fromkeys(names))


def source_path(name: str) -> str:
    """A script's site-relative path: `copy-text` -> assets/javascripts/copy-text.js."""
    return f"{FOLDER}/{name}.js"


def minified(text: str) -> str:
    """A script minified, licence comments (`/*! ... */`) kept, every other comment dropped."""
    return rjsmin.jsmin(text, keep_bang_comments=True).strip()


def bundle(sources: list[str], *, minify: bool = True) -> str:
    """Scripts (as their sources) joined into one: each minified (unless not `minify`: under
    `serve`), in its own `try` so an error in one leaves the next to run; the error is thrown
    again, unhandled, for the console."""
    return "".join(f"try{{{minified(source) if minify else source}\n}}catch(e){{setTimeout(function(){{throw e}})}}\n"
                   for source in sources)


def is_ours(path: str) -> bool:
    """A script published on its own in our scripts' folder (the build also checks it comes from
    docs/ or overrides/, not Material's theme, whose bundle is minified already)."""
    return path.startswith(f"{FOLDER}/") and path.count("/") == 2 and path.endswith(".js")


def plan(pages: dict[str, tuple[str, ...]], sources: dict[str, str], *,
         minify: bool = True) -> tuple[dict[tuple[str, ...], str], dict[str, str], list[str]]:
    """The one file for each distinct list of scripts.

    `pages`: label (a page's source file) -> its script names; `sources`: site-relative path
    -> text of the scripts the build has; `minify`: see `bundle`. Returns ({names: site-relative path of their file},
    {that path: its content}, problems: a line for each page naming a script the build does not
    have).
    """
    files, contents, problems = {}, {}, []
    for label, names in sorted(pages.items()):
        missing = [name for name in names if source_path(name) not in sources]
        if missing:
            problems.append(f"{label}: scripts: no {', '.join(source_path(name) for name in missing)} "
                            f"(name a file in docs/assets/javascripts/ without .js)")
            continue
        if not names or names in files:
            continue
        content = bundle([sources[source_path(name)] for name in names], minify=minify)
        path = f"{FOLDER}/{hashed_name(STEM, content)}"
        files[names], contents[path] = path, content
    return files, contents, problems
