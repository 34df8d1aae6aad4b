"""Read a YAML file a person edits by hand, failing with one line that names it.

Why: a stray tab or quote in a data file (data/*.yml, a clinic file) must
stop the build with the file and line, not a parser traceback. A key given
twice is refused too (plain YAML keeps the last one silently), and so is a
file that is not UTF-8 text.

Limits, checked on the parser's events before anything is built or walked,
so a hostile file fails at once with one line rather than hanging or
overflowing the stack: its size (MAX_BYTES), how deep it nests (MAX_DEPTH),
how many values it holds once every alias is expanded (MAX_VALUES: a 1.5 KB
"billion laughs" of aliases holds billions), and an alias inside the very
value it names (a loop that no walk ends).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# Far above any hand-written file here (data/references.yml: about 100 KB, 6 levels deep,
# some 10,000 values, no aliases), far below what slows a build.
MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_VALUES = 200_000


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
    if "nesting depth" in problem:
        return "write it flatter"
    if "given twice" in problem:
        return "delete or rename the second one"
    return "check the indentation and quotes there (a value starting with # or + needs quotes)"


def _beyond_limits(text: str, loader: type[yaml.SafeLoader]) -> str | None:
    """What makes the text too big to build, from its events alone (nothing is built), or None.

    Counts every value as it would be once aliases are expanded: each anchored value's
    count is known when it closes, and an alias adds that count again."""
    depth, values = 0, 0
    open_anchors: list[tuple[str | None, int]] = []  # each open collection's anchor and the count at its start
    sizes: dict[str, int] = {}
    # libyaml where it is there: the same events, and Python's scanner slows to a crawl on
    # thousands of unclosed brackets.
    events = yaml.parse(text, Loader=yaml.CSafeLoader if yaml.__with_libyaml__ else loader)
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                if any(anchor == event.anchor for anchor, _ in open_anchors):
                    return (f"line {line}: the alias *{event.anchor} sits inside the value it names, so it never "
                            "ends; write the value out instead")
                continue  # an unknown alias: the loader names it
            values += sizes[event.anchor]
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            values += 1
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
            else:
                depth += 1
                if depth > MAX_DEPTH:
                    return f"line {line}: nests more than {MAX_DEPTH} levels deep; write it flatter"
                open_anchors.append((event.anchor, values - 1))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, start = open_anchors.pop()
            if anchor:
                sizes[anchor] = values - start
        if values > MAX_VALUES:
            return (f"line {line}: holds more than {MAX_VALUES:,} values once its aliases (*name) are expanded; "
                    "write the values out, without aliases")
    return None


# libyaml's parser with PyYAML's safe constructor where libyaml is there (Debian's and PyPI's
# wheels have it): the same data, read some ten times faster (data/references.yml on every build).
SAFE_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


def load_yaml(path: str | Path, loader: type[yaml.SafeLoader] = SAFE_LOADER) -> Any:
    """The file's data; ValueError `<file>: not valid YAML (line N): <problem>; <fix>` if it cannot be read,
    or `<file>: <what>; <fix>` if it is bigger, deeper or holds more than a hand-written file could."""
    data = Path(path).read_bytes()
    if len(data) > MAX_BYTES:
        raise ValueError(f"{path}: is {len(data):,} bytes, more than a hand-written file needs; "
                         f"keep it under {MAX_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: is not UTF-8 text (byte {error.start} cannot be read); "
                         "save the file as UTF-8") from None
    text = text.removeprefix("\ufeff")
    try:
        too_much = _beyond_limits(text, loader)
        if too_much:
            raise ValueError(f"{path}: {too_much}.")
        return yaml.load(text, Loader=_refusing_duplicates(loader))
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        problem = str(getattr(error, "problem", None) or error)
        raise ValueError(f"{path}: not valid YAML{line}: {problem}; {_hint(problem)}.") from None
