"""Text for one region (<!-- only: ... -->), phone and text links, and the ways to reach a crisis line:
the plain functions, and a build that refuses a marker it cannot read."""
from __future__ import annotations

import pytest

from feeling_safe.content import crisis, glossary, region_text
from feeling_safe.content.phone import sms_href, split_extension, tel_href
from sitebuild import fixture_config, mkdocs_build, soup, with_plugin, write_page

KNOWN = {"us", "uk", "ie", "ca", "au", "psypact"}
PAGE = """Everyone reads this.

<!-- only: us -->
US text.
<!-- /only -->

<!-- only: us psypact -->
PSYPACT text.
<!-- /only -->

<!-- only: uk -->
UK text.
<!-- /only -->

<!-- only: not-uk -->
Not-UK text.
<!-- /only -->

Everyone reads this too.
"""


@pytest.mark.parametrize("held, kept", [
    ({"us"}, ["US text.", "Not-UK text."]), ({"us", "psypact"}, ["US text.", "PSYPACT text.", "Not-UK text."]),
    ({"uk"}, ["UK text."]), ({"au"}, ["Not-UK text."]), (set(), ["Not-UK text."]),
])
def test_a_build_keeps_only_the_text_that_fits_it(held, kept):
    out = region_text.keep_fitting(PAGE, held)
    assert [line for line in out.splitlines() if line.endswith("text.")] == kept
    assert out.startswith("Everyone reads this.") and out.rstrip().endswith("Everyone reads this too.")
    assert "<!--" not in out


def test_the_text_region_is_the_complaint_region_then_the_crisis_region():
    assert region_text.text_region(None, "uk") == "uk"
    assert region_text.text_region("ie", {"name": "Own", "lines": []}) == "ie"
    assert region_text.text_region(None, {"name": "Own", "lines": []}) is None
    assert region_text.facts("us", psypact=True) == {"us", "psypact"} and region_text.facts(None) == frozenset()


@pytest.mark.parametrize("text, words", [
    ("<!-- only: usa -->\nx\n<!-- /only -->\n", "names usa; use au, ca, ie, psypact, uk, us (or not- and one"),
    ("<!-- only: not-usa -->\nx\n<!-- /only -->\n", "names not-usa; use"),
    ("<!-- only:  -->\nx\n<!-- /only -->\n", "names nothing"),
    ("<!-- only: us -->\nx\n", "do not pair up"),
    ("x\n<!-- /only -->\n", "do not pair up"),
    ("<!-- only: us -->\n<!-- only: uk -->\nx\n<!-- /only -->\n<!-- /only -->\n", "do not pair up"),
])
def test_a_marker_the_build_cannot_read_is_one_line_naming_the_file(text, words):
    problems = region_text.marker_problems("docs/page.md", text, KNOWN)
    assert problems and all(line.startswith("docs/page.md: ") for line in problems)
    assert any(words in line for line in problems), problems
    assert region_text.marker_problems("docs/page.md", PAGE, KNOWN) == []


def test_the_build_fails_on_a_bad_marker_and_keeps_only_fitting_text(docs_tree, tmp_path):
    write_page(docs_tree, "index.md", "# A fixture page\n\n" + PAGE)
    result = mkdocs_build(tmp_path / "uk", {**fixture_config(docs_tree), **with_plugin(crisis_region="uk")})
    assert result.returncode == 0, result.stderr
    text = soup(tmp_path / "uk" / "index.html").select_one("article").get_text()
    assert "UK text." in text and "US text." not in text and "PSYPACT" not in text
    write_page(docs_tree, "bad.md", "# A fixture page\n\n<!-- only: england -->\nx\n<!-- /only -->\n")
    result = mkdocs_build(tmp_path / "bad", fixture_config(docs_tree))
    assert result.returncode != 0
    assert "Region markers" in result.stderr and "docs/bad.md: <!-- only: england --> names england" in result.stderr


def test_glossary_terms_say_which_builds_show_them():
    terms = glossary.load_terms("docs/glossary.md", [
        {"term": "PSYPACT", "definition": "An agreement.", "only": ["us", "psypact"]},
        {"term": "Alliance", "definition": "A bond."}])
    assert [t.term for t in terms if region_text.fits(t.only, {"us"})] == ["Alliance"]
    assert [t.term for t in terms if region_text.fits(t.only, {"us", "psypact"})] == ["PSYPACT", "Alliance"]
    with pytest.raises(ValueError, match="only must be a list of words"):
        glossary.load_terms("docs/glossary.md", [{"term": "X", "definition": "Y.", "only": "us"}])


# --- phone and text links ----------------------------------------------------------------------

@pytest.mark.parametrize("written, href", [
    ("+44 20 7946 0000", "tel:+442079460000"), ("9-8-8", "tel:988"), ("13 11 14", "tel:131114"),
    ("+1 212 555 0147 ext. 12", "tel:+12125550147;ext=12"), ("+1 212 555 0147 x 7", "tel:+12125550147;ext=7"),
    ("(02) 5550 1234 extension 305", "tel:0255501234;ext=305"),
    # The trunk prefix in brackets is not dialled after the country code; without a country code it is.
    ("+64 (0)4 555 0123", "tel:+6445550123"), ("+44 (0) 20 7946 0000 ext. 3", "tel:+442079460000;ext=3"),
    ("+64(0)45550123", "tel:+6445550123"), ("(0)4 555 0123", "tel:045550123"),
])
def test_a_phone_number_dials_as_written_with_its_extension(written, href):
    assert tel_href(written) == href


def test_an_extension_is_split_only_at_the_end():
    assert split_extension("+1 212 555 0147 ext. 12") == ("+1 212 555 0147", "12")
    assert split_extension("+1 212 555 0147") == ("+1 212 555 0147", None)
    assert split_extension("x12") == ("x12", None), "an extension needs a number before it"


def test_a_text_link_carries_its_start_word_in_the_form_both_phone_systems_read():
    assert sms_href("741741", "HOME") == "sms:741741?&body=HOME"
    assert sms_href("0477 13 11 14") == "sms:0477131114"


# --- the ways to reach a line ----------------------------------------------------------------------

@pytest.mark.parametrize("way, link", [
    ({"call": "116 123"}, ("call", "Call 116 123", "tel:116123")),
    ({"call": "988", "then": "press 1"}, ("call", "Call 988, then press 1", "tel:988")),
    ({"text": "741741", "keyword": "HOME"}, ("text", "Text HOME to 741741", "sms:741741?&body=HOME")),
    ({"text": "50808"}, ("text", "Text 50808", "sms:50808")),
    ({"chat": "https://www.line.example/chat"}, ("chat", "Chat online at line.example", "https://www.line.example/chat")),
])
def test_each_way_is_a_link_whose_words_say_what_it_does(way, link):
    made = crisis.way_link(way)
    assert (made["kind"], made["label"], made["href"]) == link


def test_each_way_is_exactly_one_call_text_or_chat():
    ways = [{"call": "111"}, {}, {"call": "111", "chat": "https://a.example/"},
            {"chat": "https://a.example/", "keyword": "HI"}, {"text": "111", "keyword": "HI"}]
    line = {"name": "Desk", "ways": ways, "hours": "Any time", "for": "Anyone"}
    found = crisis.region_problems("r", {"name": "R", "lines": [line]})
    assert [problem.split(": ")[1] for problem in found] == ["lines[0].ways[1]", "lines[0].ways[2]", "lines[0].ways[3]"]
    assert "gives none of call, text or chat" in found[0] and "gives call and chat together" in found[1]
    assert "keyword goes with text, not chat" in found[2]


def test_a_region_line_with_a_bad_way_is_named():
    line = {"name": "Desk", "ways": [{"call": "111", "text": "111"}], "hours": "Any time", "for": "Anyone"}
    assert crisis.region_problems("r", {"name": "R", "lines": [line]}) == [
        'r: lines[0].ways[0]: gives call and text together; write each way on its own, like {call: "116 123"}']
