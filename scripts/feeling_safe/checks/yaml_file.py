"""Read a YAML file a person edits by hand, failing with one line that names it.

Why: a stray tab or quote in a data file (data/*.yml, a clinic file) must
stop the build with the file and line, not a parser traceback. A key given
twice is refused too (plain YAML keeps the last one silently), and so is a
file that is not UTF-8 text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _refusing_duplicates(loader: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """`loader`, except that a mapping with the same key twice is an error naming both lines."""

    class Checked(loader):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node, deep=False):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark.line + 1)
                except TypeError:  # an unhashable key: the constructor below says what is wrong
                    continue
                if first != key_node.start_mark.line + 1:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"'{key}' is given twice (first on line {first}); keep one of them",
                        key_node.start_mark)
            return super().construct_mapping(node, deep)

    return Checked


def _hint(problem: str) -> str:
    if "'\\t'" in problem or "tab" in problem.lower():
        return "indent with spaces, not tabs"
    if "given twice" in problem:
        return "delete or rename the second one"
    return "check the indentation and quotes there (a value starting with # or + needs quotes)"


def load_yaml(path: str | Path, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The file's data; ValueError `<file>: not valid YAML (line N): <problem>; <fix>` if it cannot be read."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: is not UTF-8 text (byte {error.start} cannot be read); "
                         "save the file as UTF-8") from None
    try:
        return yaml.load(text.removeprefix("\ufeff"), Loader=_refusing_duplicates(loader))
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        problem = str(getattr(error, "problem", None) or error)
        raise ValueError(f"{path}: not valid YAML{line}: {problem}; {_hint(problem)}.") from None
