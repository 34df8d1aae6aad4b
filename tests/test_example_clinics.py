"""The example clinic files dial no one: every phone number in them is in a range kept for
fiction (drama numbers) in the clinic's own country, so a reader who copies one reaches no person."""
from __future__ import annotations

import re

import pytest
import yaml

from feeling_safe.content.phone import dial_digits
from sitebuild import ROOT

# Dialled forms (digits after the country code) of the ranges kept for film and drama.
FICTION = {
    "1": re.compile(r"^1\d{3}55501\d\d$"),     # North America: 555-0100 to 555-0199
    "44": re.compile(r"^442079460\d{3}$"),      # UK (Ofcom): 020 7946 0xxx
    "61": re.compile(r"^6125550\d{4}$"),        # Australia (ACMA): 02 5550 xxxx
    "353": re.compile(r"^3532091\d{5}$"),       # Ireland (ComReg, as reported): 020 91x xxxx
}
# Example files for a country with no range kept for fiction that we could source give no phone.
NO_FICTION_RANGE = {"example-nz.yml"}


def phones(node) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "phone" and isinstance(v, str)] + \
            [p for v in node.values() for p in phones(v)]
    if isinstance(node, list):
        return [p for v in node for p in phones(v)]
    return []


@pytest.mark.parametrize("path", sorted((ROOT / "clinics").glob("example*.yml")), ids=lambda p: p.name)
def test_example_clinic_phones_are_drama_numbers(path):
    numbers = phones(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert bool(numbers) != (path.name in NO_FICTION_RANGE)
    for number in numbers:
        digits = dial_digits(number.split(" ext")[0]).lstrip("+")
        assert any(pattern.match(digits) for pattern in FICTION.values()), f"{path.name}: {number}"
