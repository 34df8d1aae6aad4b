"""The clinic file checker: the example passes, and every bad value a clinic
could type gets one line naming the file and the field, with a fix."""
from __future__ import annotations

import copy
import html
import json
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import jsonschema
import pytest
import yaml
from jinja2 import Environment, FileSystemLoader

from feeling_safe.clinic import brand as clinic_brand
from feeling_safe.clinic import file as clinic_module
from feeling_safe.clinic.colour import contrast_ratio
from feeling_safe.clinic.file import ClinicError, load, validate
from feeling_safe.clinic.logo import PNG_MAGIC, svg_problem
from feeling_safe.content import crisis
from feeling_safe.plugin.partials import Partials
from sitebuild import ROOT

EXAMPLE = ROOT / "clinics" / "example.yml"


def example_data() -> dict:
    """A fresh copy of the example's values, to change one at a time."""
    return copy.deepcopy(load(EXAMPLE).data)


# A clinic's own crisis lines: a line with two ways, and the emergency line every own list needs.
OWN_LINES = [{"name": "Lifeline", "ways": [{"call": "13 11 14"}, {"text": "0477 13 11 14"}],
              "hours": "Any time", "for": "Anyone in Australia"},
             {"name": "Emergency services", "ways": [{"call": "000"}], "hours": "Any time",
              "for": "When a life is in danger", "emergency": True}]


def own_lines(**first) -> list[dict]:
    """OWN_LINES with the first line changed."""
    lines = copy.deepcopy(OWN_LINES)
    lines[0].update(first)
    return lines


def outside_the_us(data: dict, lines: list[dict] | None = None, region: str = "au") -> dict:
    """The example moved to another region: its own crisis lines (with their language tag) or its
    region's, and no PSYPACT."""
    data["sees_clients"]["online"].pop("psypact", None)
    if lines is not None:
        data.update(crisis_region=lines, complaint_region=region, lang="en-AU")
    else:
        data["crisis_region"] = region
    return data


def write_clinic(folder: Path, data: dict, name: str = "clinic.yml") -> Path:
    """A clinic file in `folder`, with the example's logo beside it."""
    (folder / "example-logo.svg").write_bytes((EXAMPLE.parent / "example-logo.svg").read_bytes())
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_example_is_valid_for_the_checker_and_for_json_schema():
    data = example_data()
    assert validate(data, EXAMPLE) == []
    schema = clinic_module.load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)


@pytest.mark.parametrize("base_url, site_url", [
    ("https://harbourlane.example/guide/", "https://harbourlane.example/guide/"),
    ("https://harbourlane.example/our-practice/guide", "https://harbourlane.example/our-practice/guide/"),
    ("https://guide.harbourlane.example:8443/", "https://guide.harbourlane.example:8443/"),
])
def test_a_clinic_may_publish_in_a_folder_of_its_own_site(tmp_path, base_url, site_url):
    data = example_data()
    data["base_url"] = base_url
    assert validate(data, EXAMPLE) == []
    assert load(write_clinic(tmp_path, data)).base_url == site_url, "the folder always ends with a slash"


@pytest.mark.parametrize("base_url", ["https://harbourlane.example/guide/index.html",
                                      "https://guide.harbourlane.example/index.htm"])
def test_a_base_url_ending_in_a_page_is_refused_with_the_folder_to_write(base_url):
    data = example_data()
    data["base_url"] = base_url
    assert validate(data, EXAMPLE) == [
        f"{EXAMPLE}: base_url: ends with a page (index.html), not the folder the site lives in; "
        "leave off index.html: write the folder, like https://yourclinic.org/guide/."]


def test_a_language_tag_is_checked_and_needed_with_one_s_own_crisis_lines():
    data = example_data()
    data["lang"] = "en-nz"
    assert validate(data, EXAMPLE) == [
        f"{EXAMPLE}: lang: 'en-nz' is not a language tag for English pages; write en, a hyphen and the "
        "country's two capital letters, like en-NZ (the guide is written in English)."]
    data["lang"] = "en-NZ"
    assert validate(data, EXAMPLE) == []
    own = example_data()
    own["crisis_region"] = [{"name": "Emergency services", "ways": [{"call": "111"}], "hours": "Any time",
                             "for": "When a life is in danger", "emergency": True}]
    own["complaint_region"] = "us"
    assert validate(own, EXAMPLE) == [f"{EXAMPLE}: lang: is required because crisis_region is your own list; "
                                      "give the language tag of your pages, like lang: en-NZ."]
    assert validate({**own, "lang": "en-NZ"}, EXAMPLE) == []


def test_a_phone_with_its_trunk_prefix_in_brackets_is_accepted_and_dials():
    data = example_data()
    data["contact"]["phone"] = "+64 (0)4 555 0123"
    assert validate(data, EXAMPLE) == []
    rendered = Partials(ROOT / "overrides").render("clinic/contact-links.html", contact=data["contact"])
    assert 'href="tel:+6445550123"' in rendered


@pytest.mark.parametrize("path", sorted((ROOT / "clinics").glob("*.yml")), ids=lambda path: path.name)
def test_every_example_clinic_file_is_clean(path):
    """The example clinics (one per region) check clean, and the Canadian one shows that an
    extension is allowed."""
    clinic = load(path)
    assert validate(clinic.data, path) == []
    if path.name == "example-ca.yml":
        assert "ext." in clinic["contact"]["phone"]


def test_the_schema_offers_exactly_the_regions_in_the_crisis_data_file():
    regions = yaml.safe_load((ROOT / "data" / "crisis-regions.yml").read_text(encoding="utf-8"))
    enum = clinic_module.load_schema()["properties"]["crisis_region"]["oneOf"][0]["enum"]
    assert sorted(enum) == sorted(regions)
    complaint_regions = yaml.safe_load((ROOT / "data" / "complaint-routes.yml").read_text(encoding="utf-8"))
    assert sorted(clinic_module.load_schema()["properties"]["complaint_region"]["oneOf"][0]["enum"]) == sorted(complaint_regions)
    assert sorted(complaint_regions) == sorted(regions), "every crisis region has its complaint bodies"


def _set(path: str, value):
    """A change to the example: set a dotted field (`contact.email`) to `value`."""
    def change(data):
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return change


def _drop(path: str):
    def change(data):
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        del node[last]
    return change


def _rename(old: str, new: str):
    def change(data):
        data[new] = data.pop(old)
    return change


def _svg(body: str) -> bytes:
    return body.encode("utf-8")


def _link_logo():
    """A logo that is a symbolic link to a file outside the clinic's folder."""
    def change(data, folder):
        outside = folder.parent / f"{folder.name}-outside.svg"
        outside.write_bytes((ROOT / "clinics" / "example-logo.svg").read_bytes())
        (folder / "linked.svg").symlink_to(outside)
        data["logo"]["path"] = "linked.svg"
    return change


def _write_logo(name: str, content: bytes):
    """Point the logo at a file written next to the clinic file."""
    def change(data, folder):
        (folder / name).write_bytes(content)
        data["logo"]["path"] = name
    return change


# (id, change, field named in the error, words the message must contain)
BAD_CONFIGS = [
    ("missing-name", _drop("name"), "name", "required"),
    ("missing-email", _drop("contact.email"), "contact.email", "required"),
    ("missing-commitments", _drop("commitments"), "commitments", "required"),
    ("missing-logo-alt", _drop("logo.alt"), "logo.alt", "required"),
    ("typo-top-level", _rename("colours", "colors"), "colors", "did you mean 'colours'?"),
    ("typo-nested", _set("contact.emial", "a@b.org"), "contact.emial", "did you mean 'email'?"),
    ("name-not-text", _set("name", ["Harbour", "Lane"]), "name", "expected text"),
    ("name-blank", _set("name", "   "), "name", "is blank"),
    ("statement-too-long", _set("commitments.0.statement", "x" * 121), "commitments[0].statement", "shorten it to 120"),
    ("embeds-not-boolean", _set("embeds", "yes"), "embeds", "true or false"),
    ("commitments-not-a-list", _set("commitments", "We care"), "commitments", "expected a list"),
    ("empty-commitments", _set("commitments", []), "commitments", "at least 1"),
    ("commitment-without-statement", _set("commitments.0", {"details": "Only details."}),
     "commitments[0].statement", "required"),
    ("base-url-not-a-url", _set("base_url", "guide.harbourlane"), "base_url", "not the address of a site"),
    ("booking-url-with-space", _set("contact.booking_url", "https://harbour lane.example/book"),
     "contact.booking_url", "not a web address"),
    ("bad-email", _set("contact.email", "hello@@harbourlane"), "contact.email", "not an email address"),
    ("bad-phone", _set("contact.phone", "call us"), "contact.phone", "not a phone number"),
    ("phone-too-short", _set("contact.phone", "12"), "contact.phone", "not a phone number"),
    ("colour-not-a-colour", _set("colours.primary", "blueish"), "colours.primary", "not a colour"),
    ("colour-name-not-hex", _set("colours.accent", "teal"), "colours.accent", "not a colour"),
    ("primary-low-contrast", _set("colours.primary", "#7fb3d5"), "colours.primary", "2.26:1"),
    ("accent-low-contrast", _set("colours.accent", "#f0b37a"), "colours.accent", "below WCAG AA"),
    ("unknown-region", _set("crisis_region", "usa"), "crisis_region", "did you mean 'us'?"),
    ("custom-region-bad-number", _set("crisis_region", own_lines(ways=[{"call": "none"}])),
     "crisis_region[0].ways[0].call", "not a phone number"),
    ("custom-region-missing-field", _set("crisis_region", [{"name": "Line", "ways": [{"call": "13 11 14"}],
                                                            "for": "Anyone", "emergency": True}]),
     "crisis_region[0].hours", "required"),
    ("own-lines-without-complaint-region", _set("crisis_region", OWN_LINES),
     "complaint_region", "required because crisis_region is your own list"),
    # Region names people write, and what they mean; each mentions the own-list way out.
    *[(f"region-name-{name.replace(' ', '-')}", _set("crisis_region", name), "crisis_region",
       f"did you mean '{code}'? Or pick us, uk, ie, ca or au, or give your own list of lines")
      for name, code in [("gb", "uk"), ("GB", "uk"), ("UK", "uk"), ("england", "uk"), ("Scotland", "uk"),
                         ("wales", "uk"), ("northern ireland", "uk"), ("Northern  Ireland", "uk"),
                         ("ireland", "ie"), ("Éire", "ie"), ("australia", "au"), ("Canada", "ca"),
                         ("USA", "us")]],
    ("complaint-region-name", _set("complaint_region", "England"), "complaint_region", "did you mean 'uk'?"),
    ("own-list-empty", _set("crisis_region", []), "crisis_region",
     'like [{name: Emergency services, ways: [{call: "000"}]'),
    ("own-list-without-emergency", _set("crisis_region", own_lines()[:1]), "crisis_region",
     "has no emergency line; add your emergency number as a line marked emergency: true"),
    ("own-line-old-number-field", _set("crisis_region", own_lines(number="13 11 14")),
     "crisis_region[0].number", 'write the number as ways: [{call: "13 11 14"}]'),
    ("own-line-no-ways", _set("crisis_region", own_lines(ways=[])), "crisis_region[0].ways", "add a way"),
    ("way-call-and-text-together", _set("crisis_region", own_lines(ways=[{"call": "13 11 14", "text": "13 11 14"}])),
     "crisis_region[0].ways[0]", "gives call and text together; write each way on its own"),
    ("way-keyword-on-a-call", _set("crisis_region", own_lines(ways=[{"call": "13 11 14", "keyword": "HELP"}])),
     "crisis_region[0].ways[0]", "keyword goes with text, not call"),
    ("way-then-on-a-text", _set("crisis_region", own_lines(ways=[{"text": "50808", "then": "press 1"}])),
     "crisis_region[0].ways[0]", "then goes with call, not text"),
    ("way-empty", _set("crisis_region", own_lines(ways=[{}])), "crisis_region[0].ways[0]", "give call, text or chat"),
    ("way-chat-not-secure", _set("crisis_region", own_lines(ways=[{"chat": "http://lifeline.example/chat"}])),
     "crisis_region[0].ways[0].chat", "is not an https:// address"),
    ("way-keyword-two-words", _set("crisis_region", own_lines(ways=[{"text": "741741", "keyword": "HI THERE"}])),
     "crisis_region[0].ways[0].keyword", "write one word"),
    ("way-unknown-kind", _set("crisis_region", own_lines(ways=[{"email": "help@lifeline.example"}])),
     "crisis_region[0].ways[0].email", "unknown field"),
    ("quick-exit-url-not-secure", _set("quick_exit_url", "http://weather.example/"), "quick_exit_url",
     "is not an https:// address"),
    ("quick-exit-url-not-an-address", _set("quick_exit_url", "https://"), "quick_exit_url",
     "give a neutral page's full address"),
    ("quick-exit-url-script", _set("quick_exit_url", "javascript:alert(1)"), "quick_exit_url",
     "is not an https:// address"),
    ("quick-exit-url-markup", _set("quick_exit_url", 'https://weather.example/"><script>'), "quick_exit_url",
     "is not a web address"),
    ("phone-unquoted-plus", _set("contact.phone", 442079460000), "contact.phone", "put it in quotes"),
    ("call-unquoted-zeros", _set("crisis_region", own_lines(ways=[{"call": 0}])),
     "crisis_region[0].ways[0].call", "put it in quotes"),
    ("phone-bad-extension", _set("contact.phone", "+1 212 555 0147 ext. twelve"), "contact.phone", "not a phone number"),
    ("reviewer-in-the-future", _set("reviewer.reviewed", "2999-01-01"), "reviewer.reviewed", "is after today"),
    ("psypact-outside-the-us", lambda data: data.update(crisis_region="uk"), "sees_clients.online.psypact",
     "PSYPACT is an agreement between US states"),
    ("complaint-route-without-contact", _set("complaint_route", {"name": "Care lead", "description": "Tell us how it went."}),
     "complaint_route", "add email, phone or url"),
    ("complaint-route-bad-email", _set("complaint_route.email", "care at clinic"),
     "complaint_route.email", "not an email address"),
    ("unknown-complaint-region", _set("complaint_region", "nz"), "complaint_region", "is not one of"),
    ("reviewer-bad-date", _set("reviewer.reviewed", "2026-02-30"), "reviewer.reviewed", "not a date"),
    ("paper-unknown", _set("paper", "A5"), "paper", "not one of"),
    ("nowhere-seen", _set("sees_clients", {}), "sees_clients", "add in_person"),
    ("online-without-regions", _set("sees_clients.online", {"psypact": True}), "sees_clients.online.regions", "required"),
    ("logo-missing", _set("logo.path", "no-such-logo.svg"), "logo.path", "no file at"),
    ("logo-wrong-extension", _write_logo("logo.gif", b"GIF89a"), "logo.path", "not an .svg or .png"),
    ("logo-png-not-png", _write_logo("logo.png", b"<svg></svg>"), "logo.path", "not a PNG image"),
    ("logo-svg-not-xml", _write_logo("logo.svg", b"\x89PNG\r\n\x1a\n...."), "logo.path", "not an SVG image"),
    ("logo-svg-wrong-root", _write_logo("logo.svg", b"<html><body/></html>"), "logo.path", "its root is <html>"),
    ("logo-svg-with-script", _write_logo("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
     "logo.path", "contains <script>"),
    *[(f"hostile-svg-{name}", _write_logo("logo.svg", _svg(body)), "logo.path", words) for name, body, words in [
        ("onload", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload attribute"),
        ("onclick-on-path", '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0" onclick="x()"/></svg>', "onclick"),
        ("foreign-object", '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
         "contains <foreignObject>"),
        ("animate-href", '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" '
                         'to="javascript:alert(1)"/></a></svg>', "contains <a>"),
        ("set", '<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="fill" to="red"/></svg>', "contains <set>"),
        ("image", '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
         "contains <image>"),
        ("iframe", '<svg xmlns="http://www.w3.org/2000/svg"><iframe src="https://evil.example/"/></svg>',
         "contains <iframe>"),
        ("style-element", '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);'
                          '</style></svg>', "contains <style>"),
        ("external-use", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                         '<use x:href="https://evil.example/a.svg#x"/></svg>', "may only refer to its own parts"),
        ("javascript-href", '<svg xmlns="http://www.w3.org/2000/svg"><use href="javascript:alert(1)"/></svg>',
         "may only refer to its own parts"),
        ("fill-url-outside", '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/#g)"/></svg>',
         "outside the file"),
        ("style-url-outside", '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(//evil.example/#g)"/></svg>',
         "outside the file"),
        # CSS in style and presentation attributes is read as CSS: escapes resolved, functions known.
        ("style-url-escaped", '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:u\\72l(//evil.example/#g)"/>'
                              '</svg>', "outside the file"),
        ("fill-url-escaped", '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="\\75 rl(https://evil.example/a#g)"/>'
                             '</svg>', "outside the file"),
        ("style-quoted-url-escaped", '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:u\\72 l('
                                     '&quot;https://evil.example/a.png&quot;)"/></svg>', "outside the file"),
        ("style-image-set", '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:image-set('
                            '&quot;https://evil.example/a.png&quot; 1x)"/></svg>', "image-set()"),
        ("style-escaped-expression", '<svg xmlns="http://www.w3.org/2000/svg"><rect style="width:\\65 xpression(x)"/>'
                                     '</svg>', "expression()"),
        ("stylesheet-instruction", '<?xml-stylesheet href="https://evil.example/a.css"?>'
                                   '<svg xmlns="http://www.w3.org/2000/svg"/>', "stylesheet instruction"),
        ("entity", '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "entity"),
        ("html-namespace", '<svg xmlns="http://www.w3.org/2000/svg"><h:script xmlns:h="http://www.w3.org/1999/xhtml">'
                           'alert(1)</h:script></svg>', "contains <script>"),
    ]],
    ("logo-absolute-path", _set("logo.path", "/etc/logo.svg"), "logo.path", "absolute path"),
    ("logo-outside-folder", _set("logo.path", "../logo.svg"), "logo.path", "outside the clinic file's folder"),
    ("logo-link-outside", _link_logo(), "logo.path", "outside the clinic file's folder"),
    *[(f"hidden-character-{name}", _set(field, value), field.replace(".0.", "[0]."), "invisible or control character")
      for name, field, value in [
          ("bidi-override", "name", "Harbour \u202eLane"), ("zero-width", "short_name", "Harb\u200bour"),
          ("control", "commitments.0.details", "We listen.\x07"), ("bidi-isolate", "contact.address", "1 Road \u2066x")]],
    ("citation-known-key", _set("commitments.0.details", "Safety matters [@fluckiger-2018]."),
     "commitments[0].details", "name the source in words"),
    ("citation-unknown-key", _set("commitments.0.details", "Safety matters [@no-such-source]."),
     "commitments[0].details", "name the source in words"),
    *[(f"base-url-{name}", _set("base_url", value), "base_url", "not the address of a site")
      for name, value in [("user-info", "https://user:secret@guide.harbourlane.example/"),
                          ("query", "https://guide.harbourlane.example/?a=1"),
                          ("fragment", "https://guide.harbourlane.example/#top"),
                          ("bad-port", "https://guide.harbourlane.example:99999/"),
                          ("javascript", "javascript:alert(1)"), ("ftp", "ftp://guide.harbourlane.example/"),
                          ("dot-dot-folder", "https://harbourlane.example/guide/../x/"),
                          ("escaped-folder", "https://harbourlane.example/our%20guide/"),
                          ("empty-folder", "https://harbourlane.example//guide/"),
                          ("no-host", "https:///guide/")]],
]


@pytest.mark.parametrize("change, field, words", [case[1:] for case in BAD_CONFIGS],
                         ids=[case[0] for case in BAD_CONFIGS])
def test_a_bad_clinic_file_names_the_file_and_field_and_says_how_to_fix(tmp_path, change, field, words):
    assert_refused_naming(tmp_path, change, field, words)


def assert_refused_naming(folder: Path, change, field: str, words: str) -> None:
    """The example clinic file, changed by `change(data)` (or `change(data, folder)`), is refused
    with one line per problem, each with a fix after the `;`, the first naming `field` say `words`."""
    data = example_data()
    if change.__code__.co_argcount == 2:
        change(data, folder)
    else:
        change(data)
    path = write_clinic(folder, data)
    with pytest.raises(ClinicError) as raised:
        load(path)
    lines = raised.value.problems
    matching = [line for line in lines if line.startswith(f"{path}: {field}: ")]
    assert matching, f"no problem names {field}: {lines}"
    assert words in matching[0], matching[0]
    assert all("\n" not in line and ";" in line for line in lines), "one line each, with a fix after the ;"


def test_all_problems_are_reported_at_once_in_file_order(tmp_path):
    """The schema's problems and the contrast check's, sorted as the fields are written."""
    data = example_data()
    data["contact"]["email"] = "nope"
    data["colours"]["primary"] = "#ffffff"
    del data["short_name"]
    with pytest.raises(ClinicError) as raised:
        load(write_clinic(tmp_path, data))
    fields = [line.split(": ")[1] for line in raised.value.problems]
    assert fields == ["short_name", "colours.primary", "contact.email"]


def test_a_file_that_is_not_yaml_gets_a_line_number(tmp_path):
    path = tmp_path / "clinic.yml"
    path.write_text("name: Harbour\n  short_name: [oops\n", encoding="utf-8")
    with pytest.raises(ClinicError) as raised:
        load(path)
    assert raised.value.problems[0].startswith(f"{path}: not valid YAML (line ")


@pytest.mark.parametrize("first, second, ratio", [
    ("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48), ("#767676", "#fff", 4.54),
])
def test_contrast_ratio_follows_wcag(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


HOSTILE = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
CLINIC_PARTIALS = [*clinic_brand.REGIONS.values(), *clinic_brand.SPOTS.values(),
                   clinic_brand.REVIEWER_LINE, clinic_brand.CONTACT_LINE]


def _render(clinic, partial: str) -> str:
    """A clinic partial as the build renders it (feeling_safe/plugin/plugin.py)."""
    return clinic_brand.renderer(Partials(ROOT / "overrides"), clinic)(partial)


def test_every_clinic_value_is_escaped_in_the_html_it_makes(tmp_path):
    data = example_data()
    data["commitments"][0] = {"statement": HOSTILE[:100], "details": HOSTILE}
    data["sees_clients"]["in_person"][0]["name"] = HOSTILE
    data["sees_clients"]["online"]["note"] = HOSTILE
    data["reviewer"]["name"] = HOSTILE
    data["contact"]["address"] = HOSTILE
    outside_the_us(data, own_lines(name=HOSTILE[:120], description=HOSTILE, hours=HOSTILE, short=HOSTILE[:40]))
    clinic = load(write_clinic(tmp_path, data))
    region = crisis.resolve(clinic_brand.crisis_region(clinic), {})
    get_help = Environment(loader=FileSystemLoader(ROOT / "overrides")).get_template("partials/get-help.html")
    made = "".join([*(_render(clinic, partial) for partial in CLINIC_PARTIALS), crisis.numbers_markdown(region),
                    get_help.render(get_help={"lines": region["lines"]})])
    assert "<script" not in made and "<img" not in made
    assert "&lt;script&gt;" in made


def test_the_reviewer_line_dates_the_review_in_words_and_machine_form(tmp_path):
    data = example_data()
    data["reviewer"]["reviewed"] = "2026-03-07"
    line = _render(load(write_clinic(tmp_path, data)), clinic_brand.REVIEWER_LINE)
    assert '<time datetime="2026-03-07">7 March 2026</time>' in line


def test_a_custom_crisis_list_becomes_a_region_for_the_get_help_line(tmp_path):
    from feeling_safe.content.crisis import region_problems

    data = example_data()
    outside_the_us(data, OWN_LINES)
    region = clinic_brand.crisis_region(load(write_clinic(tmp_path, data)))
    assert region_problems("test", region) == []
    links = crisis.resolve(region, {})["lines"][0]["links"]
    assert [(link["label"], link["href"]) for link in links] == [("Call 13 11 14", "tel:131114"),
                                                                 ("Text 0477 13 11 14", "sms:0477131114")]


def test_the_site_name_prints_escaped_in_templates_and_stays_plain_for_code():
    name = clinic_brand.ThemeText('Smith & <b>Jones</b>')
    shown = jinja2.Environment().from_string("{{ n }}|{{ n | e }}|{{ n ~ '!' }}").render(n=name)
    assert shown == "Smith &amp; &lt;b&gt;Jones&lt;/b&gt;|" * 2 + "Smith &amp; &lt;b&gt;Jones&lt;/b&gt;!"
    assert f"{name} guide" == "Smith & <b>Jones</b> guide"
    assert json.loads(json.dumps({"name": name}))["name"] == "Smith & <b>Jones</b>"
    assert html.escape(name) == "Smith &amp; &lt;b&gt;Jones&lt;/b&gt;"
    assert type(clinic_brand.as_written(name)) is str and clinic_brand.as_written(name) == "Smith & <b>Jones</b>"
    assert str(clinic_brand.as_written(name)) == "Smith & <b>Jones</b>", "as written, also when str() is called"
    assert clinic_brand.as_written("Plain name") == "Plain name"


@pytest.mark.parametrize("region, numbers", [
    ("us", ["988", "741741", "911"]), ("uk", ["116 123", "111", "999"]), ("ie", ["116 123", "112", "999"]),
    ("ca", ["9-8-8", "911"]), ("au", ["13 11 14", "000"]),
])
def test_each_region_a_clinic_can_pick_has_its_crisis_numbers(region, numbers):
    from feeling_safe.content.crisis import load_regions, resolve

    shown = " ".join(link["label"] for line in resolve(region, load_regions())["lines"] for link in line["links"])
    assert all(number in shown for number in numbers)


def test_an_unbranded_page_loses_the_markers_but_keeps_the_generic_text():
    text = "Intro.\n\n<!-- clinic-intro -->\nGeneric words.\n<!-- /clinic-intro -->\n\n<!-- clinic-contact -->\n"
    assert clinic_brand.strip_markers(text) == "Intro.\n\nGeneric words.\n\n"


def test_a_logo_drawn_with_css_passes_the_drawing_only_check():
    """Styles that only draw (colours, own gradients, transforms, a quoted font name with
    brackets in it) are read as CSS and pass; the same text outside CSS is not read as CSS."""
    logo = ('<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
            '<rect style="fill:url(#g);stroke:rgb(0 0 0 / 50%);font-family:&quot;Sans (x)&quot;" '
            'transform="translate(2 3) rotate(4)" fill="url(#g)" clip-path="circle(50%)" aria-label="Harbour(Lane)"/>'
            '</svg>')
    assert svg_problem(logo.encode("utf-8"), "logo.svg") is None


def test_a_png_logo_is_accepted_and_kept_as_png(tmp_path):
    (tmp_path / "logo.png").write_bytes(PNG_MAGIC + b"\x00\x00\x00\rIHDR")
    data = example_data()
    data["logo"]["path"] = "logo.png"
    assert load(write_clinic(tmp_path, data)).logo_file == (tmp_path / "logo.png").resolve()


@pytest.mark.parametrize("text, words", [
    ("name: One\nname: Two\n", "'name' is given twice (first on line 1)"),
    ("contact:\n  phone: '+1 212 555 0147'\n  phone: '+1 212 555 0148'\n", "'phone' is given twice"),
    ("name: One\n\tshort_name: Two\n", "indent with spaces, not tabs"),
    ("colours:\n  primary: #1f5f8b\n", "must be in quotes"),
    ("contact:\n  phone: +442079460000\n", "contact.phone: expected text, got a whole number (442079460000); "
                                            "put it in quotes"),
    ("crisis_region:\n  - name: Emergency\n    ways:\n      - call: 000\n",
     "crisis_region[0].ways[0].call: expected text, got a whole number (0); put it in quotes"),
], ids=["duplicate-key", "duplicate-nested-key", "tab", "unquoted-hash", "unquoted-plus-phone", "unquoted-000"])
def test_a_hand_edited_clinic_file_gets_one_line_naming_the_problem(tmp_path, text, words):
    path = tmp_path / "clinic.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClinicError) as raised:
        load(path)
    assert any(words in line for line in raised.value.problems), raised.value.problems
    assert all(line.startswith(str(path)) and "\n" not in line for line in raised.value.problems)


def test_a_clinic_file_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "clinic.yml"
    path.write_bytes("name: Caf\u00e9 Th\u00e9rapie\n".encode("latin-1"))
    with pytest.raises(ClinicError) as raised:
        load(path)
    assert len(raised.value.problems) == 1
    problem = raised.value.problems[0]
    assert problem.startswith(f"{path}: is not UTF-8 text") and "save the file as UTF-8" in problem


def test_a_non_utf8_locale_changes_nothing(tmp_path):
    """The checker and the build read and write UTF-8 whatever the machine's locale says."""
    data = example_data()
    data["name"] = "Clinique Th\u00e9rapie \u00c9l\u00e9onore"
    path = write_clinic(tmp_path, data)
    result = subprocess.run([sys.executable, "-m", "feeling_safe.clinic", str(path)], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
                                            "PYTHONCOERCECLOCALE": "0"})
    assert result.returncode == 0 and result.stdout.strip().endswith("OK"), result.stderr


@pytest.mark.parametrize("field", ["name", "short_name", "commitments.0.statement", "commitments.0.details",
                                   "contact.address", "logo.alt", "complaint_route.description"])
def test_every_free_text_field_has_a_length_limit(tmp_path, field):
    data = example_data()
    data.setdefault("complaint_route", {"name": "Care lead", "description": "Tell us.", "email": "a@b.org"})
    _set(field, "x " * 2000)(data)
    with pytest.raises(ClinicError) as raised:
        load(write_clinic(tmp_path, data))
    assert any("shorten it" in line for line in raised.value.problems), raised.value.problems
