"""Read a YAML file a person edits by hand, failing with one line that names it.

Why: a stray tab or quote in a data file (data/*.yml, a clinic file) must
stop the build with the file and line, not a parser traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_yaml(path: str | Path, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The file's data; ValueError `<file>: not valid YAML (line N): <problem>; ...` if it cannot be read."""
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        raise ValueError(f"{path}: not valid YAML{line}: {getattr(error, 'problem', error)}; "
                         "check the indentation and quotes there.") from None
