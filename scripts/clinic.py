"""A clinic's file (clinics/*.yml): check it, then build the clinic's site.

Why plain Python over a schema library: a clinic typing its file by hand
needs one line per mistake that names the file and the field and says how
to fix it. schemas/clinic.schema.json describes the shape (and drives this
checker); the checks JSON Schema cannot express (logo bytes, colour
contrast) live here too. What the build puts into pages is in
scripts/clinic_brand.py.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from scripts.yaml_file import load_yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "clinic.schema.json"
# Material puts white text on the primary colour; links and hovers sit on white.
WHITE = "#ffffff"
AA_CONTRAST = 4.5
LOGO_MAX_BYTES = 100_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_ROOTS = {"svg", "{http://www.w3.org/2000/svg}svg"}


class ClinicError(Exception):
    """A clinic file with problems; `problems` holds one line per mistake."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _StringDateLoader(yaml.SafeLoader):
    """YAML without the timestamp rule: dates stay text, as the schema says."""


_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


# --- formats: each returns None when fine, else "problem; fix" ------------------

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_EMAIL = re.compile(r"[^@\s<>\"',;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]*")
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def _check_uri(value: str) -> str | None:
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.hostname
            or any(c.isspace() for c in value) or "<" in value or '"' in value
            or ("." not in parts.hostname and parts.hostname != "localhost")):
        return f"{value!r} is not a web address; write the full address, like https://yourclinic.org/"
    return None


def _check_email(value: str) -> str | None:
    if not _EMAIL.fullmatch(value):
        return f"{value!r} is not an email address; write it like hello@yourclinic.org"
    return None


def _check_phone(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    if not _PHONE.fullmatch(value) or not 3 <= len(digits) <= 15:
        return (f"{value!r} is not a phone number; use digits, spaces and an optional leading +,"
                " like +1 212 555 0147")
    return None


def _check_colour(value: str) -> str | None:
    if not _COLOUR.fullmatch(value):
        return f"{value!r} is not a colour; write a hex colour like #1f5f8b"
    return None


def _check_date(value: str) -> str | None:
    try:
        if _DATE.fullmatch(value) and date.fromisoformat(value):
            return None
    except ValueError:  # a day the month does not have
        pass
    return f"{value!r} is not a date; write it as YYYY-MM-DD, like 2026-11-02"


FORMATS = {"uri": _check_uri, "email": _check_email, "phone": _check_phone,
           "colour": _check_colour, "date": _check_date}


# --- the schema walker ------------------------------------------------------------

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}
_TYPE_WORDS = {"object": "a group of fields", "array": "a list", "string": "text",
               "boolean": "true or false"}


def _type_name(value) -> str:
    for name, kind in (("boolean", bool), ("object", dict), ("array", list), ("string", str)):
        if isinstance(value, kind):
            return _TYPE_WORDS[name]
    return "empty" if value is None else "a number"


def _is_type(value, type_: str) -> bool:
    return isinstance(value, _TYPES[type_])


def _example(schema: dict) -> str:
    examples = schema.get("examples")
    return f", like {json.dumps(examples[0])}" if examples else ""


def _walk(value, schema: dict, field: str, problems: list[tuple[str, str]]) -> None:
    """Check `value` against `schema`, appending (field, "problem; fix") pairs."""
    if "oneOf" in schema:
        branches = [b for b in schema["oneOf"] if _is_type(value, b["type"])]
        if not branches:
            wanted = " or ".join(_TYPE_WORDS[b["type"]] for b in schema["oneOf"])
            hint = schema.get("description", "see schemas/clinic.schema.json")
            problems.append((field, f"expected {wanted}, got {_type_name(value)}; {hint}"))
            return
        _walk(value, branches[0], field, problems)
        return
    type_ = schema["type"]
    if not _is_type(value, type_):
        problems.append((field, f"expected {_TYPE_WORDS[type_]}, got {_type_name(value)}"
                                f"{f' ({value!r})' if isinstance(value, (str, int, float)) else ''}; "
                                f"write {_TYPE_WORDS[type_]}{_example(schema)}"))
        return
    if type_ == "object":
        _walk_object(value, schema, field, problems)
    elif type_ == "array":
        if len(value) < schema.get("minItems", 0):
            problems.append((field, f"has {len(value)} entries; add at least {schema['minItems']}"))
        for index, item in enumerate(value):
            _walk(item, schema["items"], f"{field}[{index}]", problems)
    elif type_ == "string":
        _walk_string(value, schema, field, problems)


def _walk_object(value: dict, schema: dict, field: str, problems: list) -> None:
    known = schema.get("properties", {})
    prefix = f"{field}." if field else ""
    for key in schema.get("required", []):
        if key not in value:
            problems.append((prefix + key, f"required field is missing; add it{_example(known[key])}"))
    for key, item in value.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f'did you mean "{close[0]}"?' if close else f"known fields here: {', '.join(known)}"
            problems.append((prefix + str(key), f"unknown field; {hint}"))
        else:
            _walk(item, known[key], prefix + key, problems)


def _walk_string(value: str, schema: dict, field: str, problems: list) -> None:
    if "enum" in schema and value not in schema["enum"]:
        close = difflib.get_close_matches(value, schema["enum"], n=1, cutoff=0.5)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        problems.append((field, f"{value!r} is not one of {', '.join(schema['enum'])}{hint}; pick one of them"))
    elif len(value.strip()) < schema.get("minLength", 0):
        problems.append((field, f"{value!r} is too short; write at least {schema['minLength']} characters{_example(schema)}"))
    elif len(value) > schema.get("maxLength", len(value)):
        problems.append((field, f"is {len(value)} characters; shorten it to {schema['maxLength']} or fewer"))
    elif schema.get("format") in FORMATS:
        problem = FORMATS[schema["format"]](value)
        if problem:
            problems.append((field, problem))


def schema_problems(value, schema: dict, field: str = "") -> list[tuple[str, str]]:
    """(field, "problem; fix") pairs for `value` against a schema in the subset this walker reads.

    Public so other hand-edited data files (data/complaint-routes.yml) get the
    same one-line-per-mistake messages as a clinic file.
    """
    problems: list[tuple[str, str]] = []
    _walk(value, schema, field, problems)
    return problems


# --- checks beyond the schema -------------------------------------------------------

def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rgb or #rrggbb colour."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _check_contrast(colours: dict) -> list[tuple[str, str]]:
    uses = {"primary": "with the white header text on it", "accent": "as text on the white page"}
    problems = []
    for key, use in uses.items():
        colour = colours.get(key)
        if isinstance(colour, str) and _COLOUR.fullmatch(colour):
            ratio = contrast_ratio(colour, WHITE)
            if ratio < AA_CONTRAST:
                problems.append((f"colours.{key}", f"{colour} has contrast {ratio:.2f}:1 {use}, below WCAG AA "
                                                   f"{AA_CONTRAST}:1; pick a darker shade"))
    return problems


def _check_logo(path: Path, field: str) -> list[tuple[str, str]]:
    if not path.is_file():
        return [(field, f"no file at {path}; put the logo there or fix the path (it is relative to the clinic file)")]
    if path.suffix.lower() not in (".svg", ".png"):
        return [(field, f"{path.name} is not an .svg or .png file; export the logo as SVG or PNG")]
    data = path.read_bytes()
    if len(data) > LOGO_MAX_BYTES:
        return [(field, f"{path.name} is {len(data):,} bytes; keep the logo under {LOGO_MAX_BYTES:,} bytes")]
    if path.suffix.lower() == ".png":
        if not data.startswith(PNG_MAGIC):
            return [(field, f"{path.name} is not a PNG image (its bytes say otherwise); export it again as PNG")]
        return []
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return [(field, f"{path.name} is not an SVG image (it is not valid XML); export it again as SVG")]
    if root.tag not in SVG_ROOTS:
        return [(field, f"{path.name} is not an SVG image (its root is <{root.tag}>); export it again as SVG")]
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject") or any(a.lower().startswith("on") for a in element.attrib):
            return [(field, f"{path.name} contains a script or event handler; remove it (a logo must be a plain picture)")]
    return []


def _check_complaints(data: dict) -> list[tuple[str, str]]:
    """A clinic's own crisis lines say nothing about who hears complaints; a contact needs a way in."""
    problems = []
    if isinstance(data.get("crisis_region"), list) and "complaint_region" not in data:
        problems.append(("complaint_region", "required because crisis_region is your own list; name whose "
                                             "complaint bodies to show: us, uk, ie, ca or au"))
    route = data.get("complaint_route")
    if isinstance(route, dict) and not {"email", "phone", "url"} & set(route):
        problems.append(("complaint_route", "says no way to reach it; add email, phone or url"))
    return problems


def _check_sees_clients(sees: dict) -> list[tuple[str, str]]:
    if isinstance(sees, dict) and not ({"in_person", "online"} & set(sees)):
        return [("sees_clients", "says nowhere the clinic sees clients; add in_person locations, online regions, or both")]
    return []


# --- loading ------------------------------------------------------------------------

@dataclass(frozen=True)
class Clinic:
    """A checked clinic file. `data` is the YAML as written; `file` its path."""

    file: Path
    data: dict

    def __getitem__(self, key):
        return self.data[key]

    def get(self, key, default=None):
        return self.data.get(key, default)

    @property
    def logo_file(self) -> Path:
        return (self.file.parent / self.data["logo"]["path"]).resolve()

    @property
    def embeds(self) -> bool:
        return self.data.get("embeds", True)

    @property
    def paper(self) -> str:
        return self.data.get("paper", "a4")

    @property
    def base_url(self) -> str:
        url = self.data["base_url"]
        return url if url.endswith("/") else url + "/"


def validate(data, file: str | Path) -> list[str]:
    """Every problem in a parsed clinic file, one line each: `file: field: problem; fix`."""
    file = Path(file)
    problems: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return [f"{file}: the file must be a set of `field: value` lines (see clinics/example.yml)"]
    _walk(data, load_schema(), "", problems)
    bad_fields = {field for field, _ in problems}
    if isinstance(data.get("colours"), dict):
        problems += [p for p in _check_contrast(data["colours"]) if p[0] not in bad_fields]
    logo = data.get("logo")
    if isinstance(logo, dict) and isinstance(logo.get("path"), str) and "logo.path" not in bad_fields:
        problems += _check_logo(file.parent / logo["path"], "logo.path")
    problems += _check_sees_clients(data.get("sees_clients"))
    problems += _check_complaints(data)
    return [f"{file}: {field or '(top level)'}: {problem}{'' if problem.endswith(('.', '?')) else '.'}"
            for field, problem in problems]


def load(file: str | Path) -> Clinic:
    """Read and check a clinic file; raise ClinicError listing every problem."""
    file = Path(file)
    if not file.is_file():
        raise ClinicError([f"{file}: no such clinic file; copy clinics/example.yml and edit it."])
    try:
        data = load_yaml(file, loader=_StringDateLoader)
    except ValueError as error:
        raise ClinicError([str(error)]) from None
    problems = validate(data, file)
    if problems:
        raise ClinicError(problems)
    return Clinic(file=file.resolve(), data=data)


# --- the branded build -----------------------------------------------------------------

def child_config(clinic: Clinic, handouts: bool = False) -> dict:
    """The one-screen config that INHERITs mkdocs.yml and points the clinic hook at the file."""
    return {
        "INHERIT": "mkdocs.yml",
        "site_name": clinic["name"],
        "site_url": clinic.base_url,
        "extra": {"clinic_file": str(clinic.file), "embeds": clinic.embeds,
                  "handouts": handouts, "paper": clinic.paper},
    }


def build(clinic_file: str | Path, out: str | Path, handouts: bool = False) -> int:
    """Check the clinic file, then build its site into `out` atomically.

    Problems are reported before anything is written, so a bad file never
    leaves a folder behind; a failed build leaves an earlier `out` as it was.
    Run from the repo root (the child config INHERITs ./mkdocs.yml).
    """
    from scripts import safe_build

    try:
        clinic = load(clinic_file)
    except ClinicError as error:
        print(error, file=sys.stderr)
        print(f"Clinic build stopped: nothing was written to {out}.", file=sys.stderr)
        return 2
    config_text = yaml.safe_dump(child_config(clinic, handouts), sort_keys=False, allow_unicode=True)
    if handouts:
        from scripts.handouts import build_with_handouts
        return build_with_handouts(config_text, out)
    return safe_build.build("-", out, config_text=config_text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a clinic file, or build its branded site.")
    parser.add_argument("config", help="the clinic file, e.g. clinics/example.yml")
    parser.add_argument("--out", help="build the site into this folder (atomic)")
    parser.add_argument("--handouts", action="store_true", help="also render the PDF handouts")
    args = parser.parse_args(argv)
    if args.out:
        return build(args.config, args.out, handouts=args.handouts)
    try:
        load(args.config)
    except ClinicError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"{args.config}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
