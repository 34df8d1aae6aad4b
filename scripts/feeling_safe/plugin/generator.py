"""Which site generator runs the build: ProperDocs, or MkDocs 1.6.1 after going back.

Why: ProperDocs is the maintained fork of MkDocs 1.x and serves the `mkdocs`
API that Material (and our plugin) import, through an import alias its own
command installs. Every command of ours starts the generator through
`command()`, and every module that imports `mkdocs.*` imports this module
first, so the same code runs under a plain `python` (tests, scripts) and
under either generator: going back to MkDocs is one line in requirements.txt.
"""
from __future__ import annotations

import importlib.util
import sys

NAME = "properdocs" if importlib.util.find_spec("properdocs") else "mkdocs"

if NAME == "properdocs":
    import properdocs.replacement  # noqa: F401  (mkdocs.* imports now resolve to ProperDocs)


def command(*args: str) -> list[str]:
    """The generator's command line, run by this Python: `command("build", "--strict")`."""
    return [sys.executable, "-m", NAME, *args]
