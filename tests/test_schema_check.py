"""The one wrapper over jsonschema (feeling_safe/checks/schema_check.py): every schema error
becomes one plain line `<file>: <field>: <what>; <fix>`, in file order."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from feeling_safe.checks import schema_check
from feeling_safe.checks.schema_check import Checker, Problem
from sitebuild import ROOT

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.org/schemas/toy.schema.json",
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "crisis"],
    "properties": {
        "name": {"type": "string", "minLength": 2, "pattern": "\\S", "description": "the name",
                 "examples": ["Harbour"]},
        "colour": {"type": "string", "format": "colour"},
        "size": {"type": "string", "enum": ["small", "large"]},
        "when": {"type": "string", "format": "date"},
        "site": {"type": "string", "format": "uri", "x-hint": {"format": "give the clinic's own address"}},
        "code": {"type": "string", "pattern": "^[a-z]+$", "x-problem": {"pattern": "has capitals or digits"},
                 "x-hint": "use a-z only"},
        "crisis": {"$ref": "#/$defs/region"},
        "sources": {"type": "array", "items": {"type": "object", "x-name": "key", "required": ["key", "title"],
                                               "properties": {"key": {"type": "string"}, "title": {"type": "string"}}}},
        "choice": {"description": "a code, or a list of lines",
                   "oneOf": [{"type": "string", "enum": ["us", "uk"]},
                             {"type": "array", "items": {"type": "string", "format": "phone"}}]},
    },
    "$defs": {
        "region": {
            "type": "object", "required": ["lines"], "additionalProperties": False,
            "properties": {"lines": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False, "required": ["number"],
                "properties": {"number": {"type": "string", "format": "phone"}}}}},
        },
    },
}


@pytest.fixture
def toy(tmp_path: Path) -> Checker:
    (tmp_path / "toy.schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    return Checker("toy.schema.json", folder=tmp_path)


def _lines(checker: Checker, value) -> list[str]:
    return checker.lines(value, "f.yml")


def test_a_valid_value_has_no_problems(toy):
    assert _lines(toy, {"name": "Harbour", "crisis": {"lines": [{"number": "+1 212 555 0147"}]}}) == []


@pytest.mark.parametrize("change, line", [
    ({"nmae": "x"}, "f.yml: nmae: unknown field; did you mean 'name'?"),
    ({"zzz": 1}, "f.yml: zzz: unknown field; known fields here: name, colour, size"),
    ({"size": "Smal"}, "f.yml: size: 'Smal' is not one of small, large; did you mean 'small'?"),
    ({"size": "huge"}, "f.yml: size: 'huge' is not one of small, large; pick one of them"),
    ({"name": ["a"]}, "f.yml: name: expected text, got a list; write text, like \"Harbour\""),
    ({"name": 7}, "f.yml: name: expected text, got a whole number (7); write text"),
    ({"name": "   "}, "f.yml: name: is blank; write text, like \"Harbour\""),
    ({"name": "A"}, "f.yml: name: 'A' is too short (1 character); write at least 2 characters"),
    ({"colour": "teal"}, "f.yml: colour: 'teal' is not a colour; write a hex colour like #1f5f8b"),
    ({"when": "2026-02-30"}, "f.yml: when: '2026-02-30' is not a date; write it as YYYY-MM-DD"),
    ({"site": "javascript:alert(1)"}, "f.yml: site: 'javascript:alert(1)' is not a web address (it is a "
                                      "javascript: address, not http:// or https://); give the clinic's own address"),
    ({"code": "Ab1"}, "f.yml: code: has capitals or digits; use a-z only"),
    ({"crisis": {"lines": []}}, "f.yml: crisis.lines: has 0 entries; add at least 1"),
    ({"crisis": {"lines": [{"number": "1 2 3"}, {"number": "none"}]}},
     "f.yml: crisis.lines[1].number: 'none' is not a phone number; use digits"),
    ({"sources": [{"key": "a-2020", "title": "A"}, {"key": "b-2021"}]},
     "f.yml: sources.b-2021.title: required field is missing; add it"),
    ({"sources": [{"title": "A"}]}, "f.yml: sources[0].key: required field is missing; add it"),
    ({"choice": "usa"}, "f.yml: choice: 'usa' is not one of us, uk; did you mean 'us'?"),
    ({"choice": ["988", "none"]}, "f.yml: choice[1]: 'none' is not a phone number"),
    ({"choice": 3}, "f.yml: choice: expected text or a list, got a whole number; a code, or a list of lines"),
])
def test_each_kind_of_mistake_is_one_plain_line(toy, change, line):
    lines = _lines(toy, {"name": "Harbour", "crisis": {"lines": [{"number": "988"}]}, **change})
    assert len(lines) == 1, lines
    assert lines[0].startswith(line), lines


def test_a_missing_field_names_its_description_and_example(toy):
    assert _lines(toy, {"crisis": {"lines": [{"number": "988"}]}}) == [
        'f.yml: name: required field is missing; add it (the name), like "Harbour"']


def test_one_line_per_field_even_when_it_breaks_several_rules(toy):
    assert _lines(toy, {"name": " ", "crisis": {"lines": [{"number": "988"}]}}) == [
        "f.yml: name: ' ' is too short (1 character); write at least 2 characters, like \"Harbour\""]


def test_problems_come_in_file_order_with_missing_fields_first_in_their_parent(toy):
    value = {"size": "huge", "crisis": {"lines": [{"number": "x"}], "extra": 1}, "colour": "red", "name": "A"}
    fields = [line.split(": ")[1] for line in _lines(toy, value)]
    assert fields == ["size", "crisis.lines[0].number", "crisis.extra", "colour", "name"]
    assert [line.split(": ")[1] for line in _lines(toy, {"size": "huge"})] == ["name", "crisis", "size"]


def test_a_caller_s_own_problems_sort_in_with_the_schema_s(toy):
    value = {"name": "Harbour", "colour": "#fff", "size": "huge", "crisis": {"lines": [{"number": "988"}]}}
    problems = toy.problems(value) + [Problem(("colour",), "too light; pick a darker shade")]
    assert [line.split(": ")[1] for line in toy.format("f.yml", problems, value)] == ["colour", "size"]


def test_a_sub_schema_can_be_checked_on_its_own(tmp_path, toy):
    region = Checker("toy.schema.json#/$defs/region", folder=tmp_path)
    assert region.lines({"lines": [{"numbr": "1"}]}, "extra.crisis_region") == [
        "extra.crisis_region: lines[0].number: required field is missing; add it",
        "extra.crisis_region: lines[0].numbr: unknown field; did you mean 'number'?",
    ]


def test_yaml_dates_are_checked_as_their_text(toy):
    value = {"name": "Harbour", "crisis": {"lines": [{"number": "988"}]}, "when": dt.date(2026, 1, 2)}
    assert _lines(toy, value) == []


def test_hostile_or_odd_values_give_lines_not_tracebacks(toy):
    value = {1: "x", "name": None, "crisis": {"lines": ["988", None, {"number": "\n<script>"}]}}
    lines = _lines(toy, value)
    assert lines and all("\n" not in line.replace("\\n", "") and ": " in line and ";" in line for line in lines)
    assert "f.yml: 1: unknown field; known fields here: name" in lines[0]


def test_a_schema_naming_a_format_nobody_checks_is_refused(tmp_path):
    schema = {**SCHEMA, "properties": {"x": {"type": "string", "format": "postcode"}}}
    (tmp_path / "toy.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(ValueError, match="format postcode is not checked"):
        Checker("toy.schema.json", folder=tmp_path)


@pytest.mark.parametrize("name, good, bad", [
    ("uri", ["https://guide.example.org/", "http://localhost:8000/x"],
     ["guide.example.org", "https://harbour lane.example/", "javascript:alert(1)", "https://x/", "https://[::1"]),
    ("email", ["hello@yourclinic.org"], ["hello@@x", "a@b", "<a@b.org>"]),
    ("phone", ["+1 212 555 0147", "988", "020 7946 0958", "1-800-273-8255"], ["12", "call us", "1" * 16]),
    ("colour", ["#fff", "#1F5F8B"], ["teal", "#12345", "1f5f8b"]),
    ("date", ["2026-02-28"], ["2026-02-30", "26/11/2026", "2026-1-2"]),
    ("image-path", ["logo.svg", "art/Logo.PNG"], ["logo.gif", "https://x.org/logo.svg"]),
])
def test_our_formats(name, good, bad):
    checker = schema_check.format_checker()
    assert all(checker.conforms(value, name) for value in good)
    assert not any(checker.conforms(value, name) for value in bad)


@pytest.mark.parametrize("path", sorted((ROOT / "schemas").glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_is_valid_and_uses_only_checked_formats(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)
    Checker(path.name)


# Rules between fields, written in the schema with their own words (x-problem and x-hint
# on the keyword): the data files' checks live there, not in Python.
RULES = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.org/schemas/rules.schema.json",
    "type": "object",
    "propertyNames": {"pattern": "^[a-z]+$", "x-problem": {"pattern": "{value} is not a lower-case name"},
                      "x-hint": {"pattern": "write a-z only"}},
    "properties": {
        "route": {"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone"]}],
                  "x-problem": {"anyOf": "says no way to reach it"}, "x-hint": {"anyOf": "add email or phone"}},
        "way": {"type": "object", "not": {"required": ["call", "text"]},
                "x-problem": {"not": "gives call and text together"}, "x-hint": {"not": "give one of them"}},
        "lines": {"type": "array", "contains": {"required": ["emergency"]},
                  "x-problem": {"contains": "has no emergency line"}, "x-hint": {"contains": "add one"}},
    },
    "if": {"required": ["own"]},
    "then": {"required": ["region"], "x-problem": {"required": "is required because own is set"},
             "x-hint": {"required": "name a region"}},
}


@pytest.mark.parametrize("value, line", [
    ({"route": {}}, "f.yml: route: says no way to reach it; add email or phone"),
    ({"route": {"phone": "988"}}, None),
    ({"way": {"call": "988", "text": "988"}}, "f.yml: way: gives call and text together; give one of them"),
    ({"way": {"text": "988"}}, None),
    ({"lines": [{"name": "a"}]}, "f.yml: lines: has no emergency line; add one"),
    ({"lines": [{"name": "a"}, {"emergency": True}]}, None),
    ({"own": True}, "f.yml: region: is required because own is set; name a region"),
    ({"own": True, "region": "uk"}, None),
    ({"Bad": 1}, "f.yml: Bad: 'Bad' is not a lower-case name; write a-z only"),
])
def test_a_rule_between_fields_reads_in_its_own_words(tmp_path, value, line):
    (tmp_path / "rules.schema.json").write_text(json.dumps(RULES), encoding="utf-8")
    assert Checker("rules.schema.json", folder=tmp_path).lines(value, "f.yml") == ([line] if line else [])
