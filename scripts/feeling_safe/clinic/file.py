"""A clinic's file (clinics/*.yml): read it and check it, one line per mistake.

Why: a clinic typing its file by hand needs one line per mistake that names
the file and the field and says how to fix it. schemas/clinic.schema.json
holds the rules (checked with feeling_safe/checks/schema_check.py, the one wrapper over
jsonschema), rules between fields included (a way in for a complaint route,
an emergency line among a clinic's own, PSYPACT only in the US); only the
checks JSON Schema cannot express (the logo's bytes, colour contrast, hidden
characters and citations in any text, a review date after today) are written here. What the build puts into pages is in
feeling_safe/clinic/brand.py.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from feeling_safe.checks import schema_check
from feeling_safe.checks.schema_check import Problem
from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.clinic.colour import contrast_ratio
from feeling_safe.clinic.logo import logo_problem
from feeling_safe.content import complaints, frontmatter
from feeling_safe.content.plain_text import hidden_character
from feeling_safe.plugin.build_log import own_logger

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_FILE = ROOT / "schemas" / "clinic.schema.json"
# Material puts white text on the primary colour; links and hovers sit on white.
WHITE = "#ffffff"
AA_CONTRAST = 4.5
# The header's title on a 360 px phone, beside Get help, holds about this many characters of
# a typical name (measured in Chromium: 14-15 at 360 px, 17-18 at 390); below 600 px a longer
# name gives way to short_name, which should fit (tests/test_clinic_brand.py).
PHONE_HEADER_CHARS = 14

# Warnings (the file is fine, the result may not be): their own logger, outside the generator's,
# so a strict build prints them and goes on.
clinic_log = own_logger("clinic", "WARNING")


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
    return schema_check.load_schema(SCHEMA_FILE.name)


# --- checks beyond the schema -------------------------------------------------------

def _check_contrast(colours: dict) -> list[Problem]:
    uses = {"primary": "with the white header text on it", "accent": "as text on the white page"}
    problems = []
    for key, use in uses.items():
        colour = colours.get(key)
        if isinstance(colour, str) and schema_check.FORMATS["colour"][0](colour):
            ratio = contrast_ratio(colour, WHITE)
            if ratio < AA_CONTRAST:
                problems.append(Problem(("colours", key), f"{colour} has contrast {ratio:.2f}:1 {use}, below "
                                                         f"WCAG AA {AA_CONTRAST}:1; pick a darker shade"))
    return problems


# Fields of prose, which may be written over several lines (YAML's `>` and `|`); every other
# text is one line, and a line break in it is refused.
PROSE_FIELDS = frozenset({"details", "description", "note", "text"})
_CITATION = re.compile(r"\[@")


def _strings(value, path: tuple = ()):
    """(field path, text) for every string in the parsed file."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, (*path, index))


def _check_text(data: dict) -> list[Problem]:
    """Clinic text is shown as plain text: no hidden characters, no line breaks outside prose,
    no citations (`[@key]`)."""
    problems = []
    for path, text in _strings(data):
        hidden = hidden_character(text)
        if hidden:
            problems.append(Problem(path, f"contains an invisible or control character ({hidden}); "
                                          "retype the text without it"))
        elif "\n" in text and not (path and path[-1] in PROSE_FIELDS):
            problems.append(Problem(path, "has a line break, but it is shown on one line; write it on one line "
                                          "(in quotes, not after | or >)"))
        elif _CITATION.search(text):
            problems.append(Problem(path, "cites a source ([@...]), but clinic text is shown as plain text; "
                                          "name the source in words instead"))
    return problems


def _check_own_region(data: dict) -> list[Problem]:
    """A region of the clinic's own names at least one body outside the clinic (whether a body
    is the clinic's own needs the clinic's name and addresses, which JSON Schema cannot compare)."""
    region = data.get("complaint_region")
    if not isinstance(region, dict):
        return []
    problem = complaints.independence_problem(region, data)
    return [Problem(("complaint_region", "bodies"), problem)] if problem else []


def _check_review_date(data: dict) -> list[Problem]:
    """A review cannot have happened yet (today's date is not a thing JSON Schema knows)."""
    reviewer = data.get("reviewer") if isinstance(data.get("reviewer"), dict) else {}
    reviewed = reviewer.get("reviewed")
    if isinstance(reviewed, str) and schema_check.is_date(reviewed):
        today = frontmatter.today()
        if dt.date.fromisoformat(reviewed) > today:
            return [Problem(("reviewer", "reviewed"), f"{reviewed} is after today ({today.isoformat()}); "
                                                      "give the date the review was done")]
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
    def on_primary_file(self) -> Path | None:
        """The logo's light version for the header's primary colour, if the file gives one."""
        variant = self.data["logo"].get("on_primary")
        return (self.file.parent / variant).resolve() if variant else None

    @property
    def base_url(self) -> str:
        url = self.data["base_url"]
        return url if url.endswith("/") else url + "/"


def validate(data, file: str | Path) -> list[str]:
    """Every problem in a parsed clinic file, one line each (`file: field: problem; fix`), in file order."""
    file = Path(file)
    if not isinstance(data, dict):
        return [f"{file}: the file must be a set of `field: value` lines (see clinics/example.yml)."]
    checker = schema_check.Checker(SCHEMA_FILE.name)
    problems = checker.problems(data)
    bad_fields = {problem.path for problem in problems}
    if isinstance(data.get("colours"), dict):
        problems += [p for p in _check_contrast(data["colours"]) if p.path not in bad_fields]
    logo = data.get("logo")
    for key in ("path", "on_primary"):
        if isinstance(logo, dict) and isinstance(logo.get(key), str) and ("logo", key) not in bad_fields:
            problem = logo_problem(file.parent, logo[key])
            if problem:
                problems.append(Problem(("logo", key), problem))
    problems += [p for p in _check_text(data) + _check_review_date(data) + _check_own_region(data)
                 if p.path not in bad_fields]
    return [line if line.endswith((".", "?")) else line + "."
            for line in checker.format(file, problems, data)]


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


def warnings(clinic: Clinic) -> list[str]:
    """What will look wrong though the file is valid, one line each (`file: field: what; fix`):
    a logo hard to see on the header's colour, a site over plain http, a name cut short in the
    header on phones."""
    from feeling_safe.clinic.images import GRAPHIC_CONTRAST, logo_contrast  # drawing needs the image libraries

    found = []
    primary, logo = clinic["colours"]["primary"], clinic["logo"]
    shown = clinic.on_primary_file or clinic.logo_file
    behind = logo.get("background") or primary
    contrast = logo_contrast(shown, behind)
    if contrast.hard_to_see:
        field = "logo.background" if logo.get("background") else "logo.on_primary" if clinic.on_primary_file else "logo"
        found.append(f"{clinic.file}: {field}: only {contrast.share:.0%} of the logo stands out from the colour "
                     f"behind it in the header, {behind} (it is mostly {contrast.dominant}, contrast "
                     f"{contrast.dominant_ratio:.2f}:1; "
                     f"a logo needs {GRAPHIC_CONTRAST:g}:1), so it will be hard to see; add logo.on_primary with a "
                     "light version of the logo, or logo.background with a light colour such as \"#ffffff\"")
    if clinic["base_url"].startswith("http://"):
        found.append(f"{clinic.file}: base_url: {clinic['base_url']} is plain http, so browsers mark the site "
                     "\"Not secure\", and a clinic page served over https cannot embed it; publish the site over "
                     "https and write the address with https://")
    name, short = clinic["name"], clinic["short_name"]
    if len(name) > PHONE_HEADER_CHARS and len(short) > PHONE_HEADER_CHARS:
        found.append(f"{clinic.file}: short_name: phones show it in the header in place of name, which is too long "
                     f"there, but at {len(short)} characters it will be cut too; keep it to {PHONE_HEADER_CHARS}")
    return found
