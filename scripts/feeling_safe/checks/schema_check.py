"""Check a hand-edited data file against its JSON Schema in schemas/, in plain words.

Why: the schema is the one place a file's rules live (editors and other tools
read it too), but `jsonschema`'s own errors are written for programmers. This
wrapper turns each error into our one line per problem,
`<file>: <field, e.g. crisis.lines[2].number>: <what is wrong>; <how to fix>`,
sorted in file order, with "did you mean 'x'?" for unknown fields and values.

The words come from the schema where it has them, next to the rule:
- `x-hint`: how to fix a value, as text, or as {keyword: text} to give one
  keyword (`format`, `enum`, `minLength`, ...) its own fix;
- `x-problem`: {keyword: text} for what is wrong, where the plain default
  would be vague (a `pattern`, a `minProperties`); `{value}` in it is the value.
  It is how a rule between fields reads well: beside an `anyOf` of `required`
  ("give email, phone or url"), a `not` ("call and text together"), a
  `contains` ("an emergency line"), or a `required` in an if/then's `then`
  ("complaint_region is required because crisis_region is a list");
- `x-name` on an array's item schema: the item field that names an entry in
  messages (`fluckiger-2018.status` reads better than `[5].status`);
- `x-aliases` beside an `enum`: {what people write: the value they mean}
  (`gb` -> `uk`), or a `$ref` to such a table, for "did you mean";
- `x-renamed` on an object: {old field: how to write it now};
- `examples`: the first one is shown as "like ...".
`format` is checked (our formats are in FORMATS); a schema naming a format we
do not check is refused, so a rule can never be silently skipped.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from referencing import Registry, Resource

from feeling_safe.checks import web_address
from feeling_safe.content.phone import split_extension

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"
TOP_LEVEL = "(top level)"

FieldPath = tuple  # a field's place in the data: keys and list indexes, from the top (`("lines", 2)`)


@dataclass(frozen=True)
class Problem:
    """One problem at one field: `message` is "what is wrong; how to fix it"."""

    path: FieldPath
    message: str


# --- formats: each is (check, what the value should be, how to fix) ----------------------

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_EMAIL = re.compile(r"[^@\s<>\"',;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]*")
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
# A site's folder on its host: plain segments (no `.`/`..`, escapes or empty segments), so
# header rules, nginx locations and the embeds' addresses read it the same way.
_SITE_PATH = re.compile(r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?")


def web_address_problem(value: str) -> str | None:
    """Why `value` is not an http(s) address with a real host name, read as browsers read it
    (feeling_safe/checks/web_address.py), or None."""
    return web_address.problem(value)


def is_web_address(value: str) -> bool:
    """An http(s) address with a real host name and nothing that breaks out of an attribute."""
    return web_address_problem(value) is None


# Sub-paths the build itself publishes under a site's address (the embed views, the JSON API):
# a site placed inside one would have its pages served, framed and cached under their rules.
RESERVED_PATHS = ("/embed/", "/api/v1/")


def site_address_problem(value: str) -> str | None:
    """Why `value` is not where a whole site is published, or None: a web address at the root
    of a host or in a plain folder on it (`https://example.org/guide/`), written the way browsers
    write it back, with nothing a browser or a header rule would read differently (user name,
    query, fragment, port 0 or out of range, `..`, escapes, a reserved folder)."""
    problem = web_address_problem(value)
    if problem:
        return problem
    if "?" in value or "#" in value:
        return "has a ?query or #part"
    address = web_address.parse(value)
    if not _SITE_PATH.fullmatch(urlsplit(value).path) or address.path != (urlsplit(value).path or "/"):
        return "has an odd folder name (use letters, digits and - _ . ~, with no empty, . or .. folders)"
    if address.href not in (value, value + "/"):
        return f"is written otherwise than browsers write it back, {address.href}"
    reserved = next((path for path in RESERVED_PATHS if path in address.path.lower() + "/"), None)
    if reserved:
        return f"is inside {reserved}, where the site puts its own files"
    return None


def is_site_address(value: str) -> bool:
    """Where a whole site is published (see site_address_problem)."""
    return site_address_problem(value) is None


def is_phone(value: str) -> bool:
    """Digits, spaces, brackets, dots and dashes with an optional leading +, and an
    optional extension at the end (`ext. 12`)."""
    number, _extension = split_extension(value)
    return bool(_PHONE.fullmatch(number.strip())) and 3 <= len(re.sub(r"\D", "", number)) <= 15


def is_date(value: str) -> bool:
    try:
        return bool(_DATE.fullmatch(value)) and bool(dt.date.fromisoformat(value))
    except ValueError:  # a day the month does not have
        return False


def is_image_path(value: str) -> bool:
    """A file beside the data file: a relative path ending .svg or .png, not an address."""
    return "://" not in value and value.lower().endswith((".svg", ".png"))


# Formats that can say what is wrong with a value, added to the line after the noun.
FORMAT_REASONS: dict[str, Callable[[str], str | None]] = {"uri": web_address_problem,
                                                         "site-address": site_address_problem}

FORMATS: dict[str, tuple[Callable[[str], bool], str, str]] = {
    "uri": (is_web_address, "a web address", "write the full address, like https://yourclinic.org/"),
    "site-address": (is_site_address, "the address of a site",
                     "write it like https://guide.yourclinic.org/ or https://yourclinic.org/guide/, with no "
                     "user name, ?query, #part, port out of range, odd folder name (letters, digits, - _ . ~) "
                     "or folder the site uses itself (/embed/, /api/v1/)"),
    "email": (lambda v: bool(_EMAIL.fullmatch(v)), "an email address", "write it like hello@yourclinic.org"),
    "phone": (is_phone, "a phone number",
              "use digits, spaces and an optional leading + (and ext. for an extension), like +1 212 555 0147 "
              "or +1 212 555 0147 ext. 12"),
    "colour": (lambda v: bool(_COLOUR.fullmatch(v)), "a colour", "write a hex colour like #1f5f8b"),
    "date": (is_date, "a date", "write it as YYYY-MM-DD, like 2026-11-02"),
    "image-path": (is_image_path, "an .svg or .png file",
                   "export the logo as SVG or PNG and give its path relative to this file"),
}


def format_checker() -> jsonschema.FormatChecker:
    """A FormatChecker that knows exactly our formats (strings only; other types pass)."""
    checker = jsonschema.FormatChecker(formats=())
    for name, (check, _, _) in FORMATS.items():
        checker.checks(name)(lambda value, check=check: not isinstance(value, str) or check(value))
    return checker


# --- loading the schemas ---------------------------------------------------------------------

def load_schema(name: str, folder: Path = SCHEMA_DIR) -> dict:
    """A schema from schemas/ by file name (`clinic.schema.json`)."""
    return json.loads((folder / name).read_text(encoding="utf-8"))


def _registry(folder: Path) -> Registry:
    """Every schema in the folder, by its $id, so one may $ref another."""
    resources = []
    for path in sorted(folder.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def _formats_in(schema: Any) -> set[str]:
    """Every `format` a schema names (not counting values in examples, enums or our x- words)."""
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        children = [v for k, v in schema.items()
                    if k not in ("examples", "default", "const", "enum") and not k.startswith("x-")]
        return found.union(*(_formats_in(child) for child in children))
    if isinstance(schema, list):
        return set().union(*(_formats_in(v) for v in schema))
    return set()


def as_json(value: Any) -> Any:
    """YAML's dates as the YYYY-MM-DD text JSON Schema expects; everything else as it is."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


class Checker:
    """One schema (a file in schemas/, optionally `#/$defs/...` inside it), ready to check values.

    Build one per file kind and reuse it across values (front matter of every page).
    """

    def __init__(self, schema: str, folder: Path = SCHEMA_DIR):
        name, _, pointer = schema.partition("#")
        root = load_schema(name, folder)
        unknown = _formats_in(root) - set(FORMATS)
        if unknown:
            raise ValueError(f"schemas/{name}: format {', '.join(sorted(unknown))} is not checked by "
                             "feeling_safe/checks/schema_check.py; add it to FORMATS")
        self.schema_file = f"schemas/{name}"
        # Our schemas are code: tests/test_schema_check.py checks each against its meta-schema
        # (about a tenth of a live-reload rebuild when done here on every build).
        cls = jsonschema.validators.validator_for(root)
        target = {"$ref": f"{root['$id']}#{pointer}"} if pointer else root
        self._validator = cls(target, registry=_registry(folder), format_checker=format_checker())
        self._root = root
        self._start = _resolve({"$ref": "#" + pointer}, root) if pointer else root

    def problems(self, value: Any) -> list[Problem]:
        """Every problem in `value`, one per field, in file order."""
        value = as_json(value)
        found: dict[FieldPath, tuple[int, Problem]] = {}
        for error in self._validator.iter_errors(value):
            for rank, problem in _explain(error, self.schema_file, self._root):
                if problem.path not in found or rank < found[problem.path][0]:
                    found[problem.path] = (rank, problem)
        return sort_problems([problem for _, problem in found.values()], value)

    def lines(self, value: Any, file: str | Path) -> list[str]:
        """The problems as `<file>: <field>: <what>; <fix>` lines."""
        return self.format(file, self.problems(value), value)

    def format(self, file: str | Path, problems: Iterable[Problem], value: Any) -> list[str]:
        """Problems (the schema's and a caller's own checks) as lines, in file order."""
        return format_problems(file, problems, as_json(value), self._start, self._root)


# --- turning errors into words -----------------------------------------------------------------

_TYPE_WORDS = {"object": "a group of fields", "array": "a list", "string": "text", "boolean": "true or false",
               "integer": "a whole number", "number": "a number", "null": "empty"}
# When one field breaks several rules, the first of these is the one reported.
_RANK = ["type", "oneOf", "anyOf", "required", "additionalProperties", "enum", "const", "minLength",
         "pattern", "maxLength", "format", "minItems", "maxItems", "minProperties", "uniqueItems"]


def type_name(value: Any) -> str:
    """What a value is, in words (a YAML `yes` is true or false; a bare key is empty)."""
    for name, kind in (("boolean", bool), ("object", dict), ("array", list), ("string", str),
                       ("integer", int), ("number", float)):
        if isinstance(value, kind):
            return _TYPE_WORDS[name]
    return "empty"


def _type_words(types: str | list[str]) -> str:
    return " or ".join(_TYPE_WORDS.get(t, t) for t in ([types] if isinstance(types, str) else types))


def _example(schema: dict) -> str:
    examples = schema.get("examples") if isinstance(schema, dict) else None
    return f", like {json.dumps(examples[0], ensure_ascii=False)}" if examples else ""


def _hint(schema: dict, keyword: str) -> str | None:
    hint = schema.get("x-hint") if isinstance(schema, dict) else None
    if isinstance(hint, dict):
        return hint.get(keyword)
    return hint


def _closest(word: Any, choices: Iterable[Any], cutoff: float) -> str | None:
    """The choice closest to `word`, ignoring case, if any is close enough."""
    options = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(str(word).lower(), options, n=1, cutoff=cutoff)
    return options[close[0]] if close else None


def _shown(value: Any) -> str:
    return f" ({value!r})" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _characters(count: int) -> str:
    return f"{count} character{'' if count == 1 else 's'}"


def _rank(keyword: str) -> int:
    return _RANK.index(keyword) if keyword in _RANK else len(_RANK)


def _explain(error: jsonschema.ValidationError, schema_file: str, root: dict | None = None) -> list[tuple[int, Problem]]:
    """(rank, Problem) pairs for one jsonschema error; one error can name several fields."""
    keyword, schema, value = error.validator, error.schema, error.instance
    path = tuple(error.absolute_path)
    if "propertyNames" in error.absolute_schema_path and isinstance(value, str):
        path += (value,)  # a badly named field is named itself, not the group that holds it
    limit = error.validator_value
    problem_text = (schema.get("x-problem") or {}).get(keyword) if isinstance(schema, dict) else None
    if problem_text:
        problem_text = problem_text.replace("{value}", repr(value))

    def one(what: str, fix: str) -> list[tuple[int, Problem]]:
        fix = _hint(schema, keyword) or fix
        return [(_rank(keyword), Problem(path, f"{problem_text or what}; {fix}"))]

    if keyword in ("oneOf", "anyOf"):
        if problem_text:  # a rule between fields ("give email, phone or url"), not a choice of kinds
            return one(problem_text, f"see {schema_file}")
        return _explain_choice(error, schema_file, root)
    if keyword == "required":
        properties = schema.get("properties", {})
        out = []
        for key in limit:
            if isinstance(value, dict) and key not in value:
                described = properties.get(key, {}).get("description")
                # Only a hint written for `required`: a plain-text x-hint is about the object's own value.
                hints = schema.get("x-hint") if isinstance(schema.get("x-hint"), dict) else {}
                fix = hints.get(keyword) or ("add it" + (f" ({described})" if described else "")
                                               + _example(properties.get(key, {})))
                what = problem_text or "required field is missing"
                out.append((_rank(keyword), Problem(path + (key,), f"{what}; {fix}")))
        return out
    if keyword == "additionalProperties":
        known = list(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        out = []
        for key in value:
            if key in known or any(p.search(str(key)) for p in patterns):
                continue
            close = _closest(key, known, 0.6)
            fix = f"did you mean '{close}'?" if close else f"known fields here: {', '.join(known)}"
            fix = (schema.get("x-renamed") or {}).get(key, fix)  # a field the file format used to have
            out.append((_rank(keyword), Problem(path + (key,), f"unknown field; {fix}")))
        return out
    if keyword == "type":
        if value is None:
            # A bare `primary: #1f5f8b` or `phone: +44...` often reads as empty or as a number:
            # YAML takes # as the start of a comment.
            quote = " in quotes" if "string" in (limit if isinstance(limit, list) else [limit]) else ""
            return one("is empty", f"write {_type_words(limit)}{quote}{_example(schema)} "
                                   "(a value starting with # must be in quotes)" if quote else
                       f"write {_type_words(limit)}{_example(schema)}")
        if schema.get("format") == "phone" and isinstance(value, (int, float)) and not isinstance(value, bool):
            # `phone: +442079460000` or `call: 000`: YAML read a number, dropping its + or leading zeros.
            return one(f"expected text, got {type_name(value)}{_shown(value)}",
                       f"put it in quotes{_example(schema)} (YAML reads a bare number as a number, "
                       "and drops a leading + or 0)")
        return one(f"expected {_type_words(limit)}, got {type_name(value)}{_shown(value)}",
                   f"write {_type_words(limit)}{_example(schema)}")
    if keyword == "enum":
        # `x-aliases` ({written: meant}, or a $ref to one) catches names a person writes for a value.
        aliases = _resolve(schema.get("x-aliases") or {}, root or {})
        written = " ".join(value.lower().split()) if isinstance(value, str) else None
        close = aliases.get(written) if written else None
        close = close or (_closest(value, limit, 0.5) if isinstance(value, str) else None)
        what = f"{value!r} is not one of {', '.join(map(str, limit))}"
        if close:
            more = _hint(schema, keyword)
            more = f" Or {more[0].lower()}{more[1:]}" if more and more.startswith(("pick", "Pick")) else ""
            return [(_rank(keyword), Problem(path, f"{problem_text or what}; did you mean '{close}'?{more}"))]
        return one(what, "pick one of them")
    if keyword == "const":
        return one(f"{value!r} is not {limit!r}", f"write {json.dumps(limit)}")
    if keyword == "minLength":
        what = ("is empty" if value == "" else f"is too short ({_characters(len(value))})" if len(value) > 30
                else f"{value!r} is too short ({_characters(len(value))})")
        return one(what, f"write at least {limit} characters{_example(schema)}")
    if keyword == "maxLength":
        return one(f"is too long ({_characters(len(value))})", f"shorten it to {limit} or fewer")
    if keyword == "pattern":
        what = "is blank" if limit == r"\S" else f"{value!r} is not in the expected form"
        return one(what, f"write text{_example(schema)}" if limit == r"\S"
                   else f"see {schema_file}{_example(schema)}")
    if keyword == "format":
        _, noun, fix = FORMATS[limit]
        reason = FORMAT_REASONS[limit](value) if limit in FORMAT_REASONS and isinstance(value, str) else None
        return one(f"{value!r} is not {noun}" + (f" (it {reason})" if reason else ""), fix)
    if keyword in ("minimum", "exclusiveMinimum"):
        return one(f"{value!r} is too small", f"write a number {'above' if keyword[0] == 'e' else 'from'} {limit} up")
    if keyword in ("maximum", "exclusiveMaximum"):
        return one(f"{value!r} is too large", f"write a number {'below' if keyword[0] == 'e' else 'up to'} {limit}")
    if keyword == "minItems":
        return one(f"has {len(value)} entries", f"add at least {limit}")
    if keyword == "maxItems":
        return one(f"has {len(value)} entries", f"keep at most {limit}")
    if keyword == "minProperties":
        return one(f"has {len(value)} fields", f"add at least {limit}")
    if keyword == "uniqueItems":
        return one("lists the same entry twice", "remove the repeat")
    return one(" ".join(error.message.split()), f"see {schema_file}")


def _explain_choice(error: jsonschema.ValidationError, schema_file: str,
                    root: dict | None = None) -> list[tuple[int, Problem]]:
    """oneOf/anyOf: explain the branch written for this kind of value, or say which kinds fit."""
    branches = error.validator_value
    fitting = [index for index, branch in enumerate(branches)
               if "type" not in branch or _is_type(error.instance, branch["type"])]
    if fitting:
        return [pair for sub in error.context if sub.relative_schema_path[0] == fitting[0]
                for pair in _explain(sub, schema_file, root)]
    wanted = _type_words([branch["type"] for branch in branches])
    fix = _hint(error.schema, error.validator) or error.schema.get("description") or f"see {schema_file}"
    return [(_rank(error.validator), Problem(tuple(error.absolute_path),
                                             f"expected {wanted}, got {type_name(error.instance)}; {fix}"))]


def _is_type(value: Any, types: str | list[str]) -> bool:
    checker = jsonschema.Draft202012Validator.TYPE_CHECKER
    return any(checker.is_type(value, t) for t in ([types] if isinstance(types, str) else types))


# --- file order and field names ---------------------------------------------------------------

def _position(value: Any, path: FieldPath) -> tuple[int, ...]:
    """Where `path` sits in `value`, as indexes in written order; a missing field sorts first in its parent."""
    out = []
    for step in path:
        if isinstance(value, dict):
            keys = list(value)
            if step not in keys:
                out.append(-1)
                break
            out.append(keys.index(step))
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            out.append(step)
            value = value[step]
        else:
            out.append(-1)
            break
    return tuple(out)


def sort_problems(problems: Iterable[Problem], value: Any) -> list[Problem]:
    """Problems in the order their fields are written (stable for problems at one field)."""
    return sorted(problems, key=lambda problem: _position(value, problem.path))


def _resolve(schema: Any, root: dict) -> dict:
    """Follow a local `$ref` (`#/$defs/x`) so names can be read where the rule is written."""
    while isinstance(schema, dict) and str(schema.get("$ref", "")).startswith("#/"):
        node: Any = root
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    return schema if isinstance(schema, dict) else {}


def _child_schema(schema: dict, step: Any, root: dict) -> dict:
    schema = _resolve(schema, root)
    if isinstance(step, int):
        return _resolve(schema.get("items", {}), root)
    extra = schema.get("additionalProperties")
    return _resolve(schema.get("properties", {}).get(step, extra if isinstance(extra, dict) else {}), root)


def field_name(path: FieldPath, value: Any = None, schema: dict | None = None, root: dict | None = None,
               bad: frozenset = frozenset()) -> str:
    """`crisis.lines[2].number` for a path; a list entry whose item schema has `x-name: key`
    is called by its key (`fluckiger-2018.status`), unless the key itself is wrong (in `bad`)."""
    if not path:
        return TOP_LEVEL
    schema, root = schema or {}, root or schema or {}
    parts: list[str] = []
    for number, step in enumerate(path):
        child = _child_schema(schema, step, root)
        if isinstance(value, list) and isinstance(step, int):
            item = value[step] if step < len(value) else None
            label = child.get("x-name")
            named = (isinstance(item, dict) and isinstance(item.get(label), str) and item[label].strip()
                     and path[:number + 1] + (label,) not in bad)
            parts.append(item[label] if named else f"[{step}]")
            value = item
        else:
            parts.append(str(step))
            value = value.get(step) if isinstance(value, dict) else None
        schema = child
    return "".join(part if part.startswith("[") or not index else "." + part
                   for index, part in enumerate(parts))


def format_problems(file: str | Path, problems: Iterable[Problem], value: Any = None,
                    schema: dict | None = None, root: dict | None = None) -> list[str]:
    """`<file>: <field>: <what>; <fix>` lines, in file order."""
    problems = sort_problems(problems, value)
    bad = frozenset(problem.path for problem in problems)
    return [f"{file}: {field_name(problem.path, value, schema, root, bad)}: {problem.message}"
            for problem in problems]
