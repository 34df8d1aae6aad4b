"""Hostile clinic and data files: each is refused with one line naming the file and the field,
fast, never a traceback or a hang; addresses are read as browsers read them (the WHATWG URL
Standard), logos by their real encoding, YAML within limits before anything walks it."""
from __future__ import annotations

import resource

import pytest
import yaml

from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.clinic.file import ClinicError, load
from test_clinic_config import _set, assert_refused_naming, example_data, outside_the_us, own_lines, write_clinic

LOGO = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'


def _own_line(field: str, value):
    """The example moved to Australia with its own crisis lines, the first line's `field` set."""
    def change(data):
        outside_the_us(data, own_lines(**{field: value}))
    return change


def _chat(url: str):
    return _own_line("ways", [{"chat": url}])


def _logo(content: bytes):
    def change(data, folder):
        (folder / "logo.svg").write_bytes(content)
        data["logo"]["path"] = "logo.svg"
    return change


def _many(path: str, item, count: int):
    return _set(path, [item] * count)


# (id, change, field named in the error, words the message must contain). Each is accepted, or
# read differently from a browser, by the checker before this file.
HOSTILE_FIELDS = [
    # Invisible and bidirectional characters the checker let through.
    *[(f"hidden-{name}", _set(field, value), shown, f"invisible or control character ({code})")
      for name, field, shown, value, code in [
          ("arabic-letter-mark", "name", "name", "Harbour \u061cLane", "U+061C"),
          ("next-line", "short_name", "short_name", "Harbour\x85Lane", "U+0085"),
          ("soft-hyphen", "logo.alt", "logo.alt", "Harbour La\u00adne", "U+00AD"),
          ("tag-language", "commitments.0.statement", "commitments[0].statement", "We listen\U000e0001", "U+E0001"),
          ("tag-letter", "contact.address", "contact.address", "12 Harbour Lane\U000e0041", "U+E0041"),
          ("inhibit-swapping", "reviewer.name", "reviewer.name", "Dr \u206aAna Ruiz", "U+206A"),
          ("nominal-digits", "reviewer.credential", "reviewer.credential", "PsyD\u206f", "U+206F"),
          ("annotation-anchor", "commitments.0.details", "commitments[0].details", "We \ufff9ask\ufffb often.",
           "U+FFF9"),
          ("hangul-filler", "sees_clients.in_person.0.name", "sees_clients.in_person[0].name", "Office \u3164",
           "U+3164"),
          ("line-separator", "sees_clients.online.regions.0", "sees_clients.online.regions[0]", "New\u2028York",
           "U+2028"),
          ("mongolian-vowel-separator", "short_name", "short_name", "Harbour\u180eLane", "U+180E"),
      ]],
    # Line breaks in fields shown on one line: with them, text could start a block of its own.
    *[(f"line-break-{name}", _set(field, value), shown, "has a line break")
      for name, field, shown, value in [
          ("name", "name", "name", "Harbour\n# Heading"),
          ("abbreviation", "reviewer.name", "reviewer.name", "Dr Ana Ruiz\n\n*[guide]: owned"),
          ("credential", "reviewer.credential", "reviewer.credential", "PsyD\n{: .x }"),
          ("statement", "commitments.0.statement", "commitments[0].statement", "We listen\n\n- a list"),
          ("place", "sees_clients.in_person.0.address", "sees_clients.in_person[0].address", "1 Road\n===="),
          ("alt", "logo.alt", "logo.alt", "Harbour\nLane"),
      ]],
    ("line-break-crisis-line-name", _own_line("name", "Lifeline\n# Call"), "crisis_region[0].name", "has a line break"),
    # Lists without end.
    ("too-many-commitments", _many("commitments", {"statement": "We listen"}, 13), "commitments", "keep at most 12"),
    ("too-many-places", _many("sees_clients.in_person", {"name": "Office", "address": "1 Harbour Lane"}, 21),
     "sees_clients.in_person", "keep at most 20"),
    ("too-many-regions", _many("sees_clients.online.regions", "New York", 61), "sees_clients.online.regions",
     "keep at most 60"),
    ("too-many-crisis-lines", lambda data: outside_the_us(data, own_lines() * 7), "crisis_region", "keep at most 12"),
    # Addresses, as browsers read them.
    ("base-url-backslash", _set("base_url", "https://guide.harbourlane.example\\@evil.example/"), "base_url",
     "backslash"),
    ("base-url-unicode-host", _set("base_url", "https://bücher.example/"), "base_url", "xn--bcher-kva.example"),
    ("base-url-escaped-host", _set("base_url", "https://guide.h%61rbourlane.example/"), "base_url",
     "guide.harbourlane.example"),
    ("base-url-fullwidth-dot", _set("base_url", "https://guide\uff0eharbourlane.example/"), "base_url",
     "guide.harbourlane.example"),
    ("base-url-port-0", _set("base_url", "https://guide.harbourlane.example:0/"), "base_url", "port 0"),
    ("base-url-leading-hyphen", _set("base_url", "https://-guide.harbourlane.example/"), "base_url", "hyphen"),
    ("base-url-trailing-hyphen", _set("base_url", "https://guide-.harbourlane.example/"), "base_url", "hyphen"),
    ("base-url-long-label", _set("base_url", f"https://{'g' * 64}.harbourlane.example/"), "base_url",
     "64 characters"),
    ("base-url-embed", _set("base_url", "https://harbourlane.example/embed/"), "base_url", "inside /embed/"),
    ("base-url-api", _set("base_url", "https://harbourlane.example/guide/api/v1/"), "base_url", "inside /api/v1/"),
    ("base-url-default-port", _set("base_url", "https://guide.harbourlane.example:443/"), "base_url",
     "https://guide.harbourlane.example/"),
    ("base-url-number-host", _set("base_url", "https://0x7f.1/"), "base_url", "127.0.0.1"),
    ("base-url-bad-punycode", _set("base_url", "https://xn--zz.harbourlane.example/"), "base_url",
     "host name browsers cannot read"),
    ("booking-url-backslash", _set("contact.booking_url", "https://harbourlane.example\\@evil.example/book"),
     "contact.booking_url", "backslash"),
    ("booking-url-unicode-host", _set("contact.booking_url", "https://harbоurlane.example/book"),
     "contact.booking_url", "xn--"),
    ("booking-url-slashes", _set("contact.booking_url", "https:/harbourlane.example/book"), "contact.booking_url",
     "two slashes"),
    ("booking-url-empty-label", _set("contact.booking_url", "https://harbourlane..example/book"),
     "contact.booking_url", "empty part"),
    ("quick-exit-user-name", _set("quick_exit_url", "https://www.bbc.co.uk@evil.example/weather"), "quick_exit_url",
     "user name or password"),
    ("quick-exit-port-0", _set("quick_exit_url", "https://weather.example:0/"), "quick_exit_url", "port 0"),
    ("chat-backslash", _chat("https://lifeline.example\\@evil.example/chat"), "crisis_region[0].ways[0].chat",
     "backslash"),
    ("chat-unicode-host", _chat("https://lifelіne.example/chat"), "crisis_region[0].ways[0].chat", "xn--"),
    # Logos decoded as a reader decodes them.
    ("logo-utf16", _logo(LOGO.encode("utf-16")), "logo.path", "saved as UTF-16"),
    ("logo-utf16-doctype", _logo(('<!DOCTYPE svg [<!ENTITY x "y">]>' + LOGO).encode("utf-16")), "logo.path",
     "saved as UTF-16"),
    ("logo-utf32", _logo(LOGO.encode("utf-32")), "logo.path", "saved as UTF-32"),
    ("logo-declared-latin1", _logo(b'<?xml version="1.0" encoding="ISO-8859-1"?>' + LOGO.encode()), "logo.path",
     "ISO-8859-1"),
]


@pytest.mark.parametrize("change, field, words", [case[1:] for case in HOSTILE_FIELDS],
                         ids=[case[0] for case in HOSTILE_FIELDS])
def test_a_hostile_clinic_value_is_one_line_naming_its_field(tmp_path, change, field, words):
    assert_refused_naming(tmp_path, change, field, words)


def test_prose_may_have_line_breaks(tmp_path):
    """Details and descriptions may be written over several lines (YAML's > and |)."""
    data = example_data()
    data["commitments"][0]["details"] = "We ask how therapy is going.\nWe act on what you say.\n"
    assert load(write_clinic(tmp_path, data)).data["commitments"][0]["details"].count("\n") == 2


@pytest.mark.parametrize("value", ["https://guide.harbourlane.example/", "https://harbourlane.example/guide/",
                                   "http://localhost:8000/", "https://127.0.0.1:8000/", "https://xn--bcher-kva.example/",
                                   "https://harbourlane.example/embedded/"])
def test_plain_site_addresses_still_pass(tmp_path, value):
    data = example_data()
    data["base_url"] = value
    assert load(write_clinic(tmp_path, data)).data["base_url"] == value


# --- YAML within limits ------------------------------------------------------------------------

def _bomb(levels: int = 9) -> str:
    """A "billion laughs": 9 lists of 9 aliases, each to the list before (9^9 values), under an unknown key."""
    lines = ["extra:", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_THREAD)  # this test's own, not a background build's
    return usage.ru_utime + usage.ru_stime


HOSTILE_YAML = [
    ("alias-bomb", lambda: _bomb(), "values once its aliases"),
    ("alias-bomb-in-a-field", lambda: "name: Harbour\n" + _bomb().replace("extra:", "commitments:"),
     "values once its aliases"),
    ("deep-flow", lambda: "name: " + "[" * 200 + "]" * 200 + "\n", "nest"),
    ("deep-block", lambda: "".join(" " * n + f"k{n}:\n" for n in range(60)), "nests more than"),
    ("recursive-list", lambda: "name: &a [*a]\n", "inside the value it names"),
    ("recursive-map", lambda: "contact: &c {email: a@b.example, again: *c}\n", "inside the value it names"),
    ("unclosed-brackets", lambda: "name: " + "[" * 20000 + "\n", "nest"),
    ("too-big", lambda: "name: Harbour\n" + "# padding\n" * 110_000, "bytes"),
]


@pytest.mark.parametrize("make, words", [case[1:] for case in HOSTILE_YAML], ids=[case[0] for case in HOSTILE_YAML])
def test_a_hostile_clinic_yaml_fails_fast_with_one_line(tmp_path, make, words):
    path = tmp_path / "clinic.yml"
    path.write_text(make(), encoding="utf-8")
    start = _cpu()
    with pytest.raises(ClinicError) as raised:
        load(path)
    assert _cpu() - start < 2, "refused before anything walks the file"
    (line,) = raised.value.problems
    assert line.startswith(f"{path}: ") and words in line and "\n" not in line, line


@pytest.mark.parametrize("make, words", [case[1:] for case in HOSTILE_YAML if case[0] != "alias-bomb-in-a-field"],
                         ids=[case[0] for case in HOSTILE_YAML if case[0] != "alias-bomb-in-a-field"])
def test_a_hostile_data_file_fails_fast_with_one_line(tmp_path, make, words):
    """The data files are read with libyaml (CSafeLoader): the same limits, the same one line."""
    path = tmp_path / "situations.yml"
    path.write_text(make(), encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        load_yaml(path, loader=yaml.CSafeLoader)
    assert str(raised.value).startswith(f"{path}: ") and words in str(raised.value) and "\n" not in str(raised.value)


def test_aliases_within_limits_still_load(tmp_path):
    path = tmp_path / "data.yml"
    path.write_text("a: &x {b: 1}\nc: *x\n", encoding="utf-8")
    assert load_yaml(path) == {"a": {"b": 1}, "c": {"b": 1}}


# --- the WHATWG reading itself ------------------------------------------------------------------

# (input, what a browser's URL parser makes of it): cases from the URL Standard's tests
# (web-platform-tests url/resources/urltestdata.json) for the special schemes.
WHATWG_CASES = [
    ("https://a.example\\@b.example/", "https://a.example/@b.example/"),
    ("https:\\\\a.example\\x", "https://a.example/x"),
    ("https:///guide/", "https://guide/"),
    ("https:a.example/x", "https://a.example/x"),
    ("HTTPS://EXAMPLE.org:443/", "https://example.org/"),
    ("http://example.org:80/", "http://example.org/"),
    ("http://example.org:0/", "http://example.org:0/"),
    ("https://bücher.example/", "https://xn--bcher-kva.example/"),
    ("https://ex%61mple.org/", "https://example.org/"),
    ("https://example\u3002org/", "https://example.org/"),
    ("http://0x7f.1/", "http://127.0.0.1/"),
    ("http://2130706433/", "http://127.0.0.1/"),
    ("http://0177.0.0.1/", "http://127.0.0.1/"),
    ("http://[0:0:0:0:0:0:0:1]/", "http://[::1]/"),
    ("https://a.example/b/./c/../d", "https://a.example/b/d"),
    ("https://a.example/%2e%2E/x/%2e", "https://a.example/x/"),
    ("https://a.example/a b?c d#e f", "https://a.example/a%20b?c%20d#e%20f"),
    ("https://u:p@a.example@b.example/", "https://u:p%40a.example@b.example/"),
    ("https://a.example", "https://a.example/"),
]


@pytest.mark.parametrize("value, href", WHATWG_CASES)
def test_addresses_are_read_as_the_url_standard_reads_them(value, href):
    from feeling_safe.checks.web_address import parse

    assert parse(value).href == href


@pytest.mark.parametrize("value", ["https://exa mple.org/", "https://a.example:65536/", "https://a.example:8o/",
                                   "https://[::1/", "https://xn--zz.example/", "https://@/", "http://1.2.3.4.5/",
                                   "http://256.256.256.256.256/"])
def test_addresses_a_browser_refuses_are_refused(value):
    from feeling_safe.checks.web_address import AddressError, parse

    with pytest.raises(AddressError):
        parse(value)


@pytest.mark.parametrize("url", ["https://lifeline.example/){onclick=alert(1)}(x",
                                 "https://lifeline.example/)![i](https://evil.example/i.png)(",
                                 "https://lifeline.example/a)[x](javascript:alert(1))("])
def test_a_crisis_chat_address_stays_one_link_in_the_get_help_line(url):
    """The get-help line is Markdown; a clinic's chat address in it cannot end its link early
    and add attributes, images or other links after it."""
    import markdown
    from bs4 import BeautifulSoup

    from feeling_safe.checks.schema_check import is_web_address
    from feeling_safe.content.crisis import line_markdown

    assert is_web_address(url), "an address browsers open as it is"
    region = {"lines": [{"name": "Lifeline", "ways": [{"chat": url}], "hours": "Any time", "for": "Anyone"}]}
    page = BeautifulSoup(markdown.markdown(line_markdown(region, None), extensions=["attr_list", "md_in_html"]),
                         "html.parser")
    (link,) = page.find_all("a")
    assert link["href"].startswith("https://lifeline.example/") and set(link.attrs) == {"href", "class"}
    assert not page.find_all("img") and "evil" not in page.get_text() + link.get_text()
