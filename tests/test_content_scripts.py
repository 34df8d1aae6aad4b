"""Unit tests for the plain Python behind the content hooks (scripts/)."""
from __future__ import annotations

import datetime as dt
import random
import re

import pytest
import yaml
from bs4 import BeautifulSoup
from selectolax.lexbor import LexborHTMLParser

from feeling_safe.content import citations, crisis, frontmatter, glossary, reading, readingpath, reviews
from sitebuild import ROOT, VALID_META, write_page

FIXED_TODAY = dt.date(2027, 1, 1)


# Front matter -----------------------------------------------------------------

def test_valid_meta_has_no_problems():
    assert frontmatter.problems("docs/x.md", dict(VALID_META)) == []


def test_unquoted_yaml_dates_are_accepted():
    meta = {**VALID_META, "last_reviewed": dt.date(2026, 1, 1), "next_review": dt.date(2026, 6, 1)}
    assert frontmatter.problems("docs/x.md", meta) == []


@pytest.mark.parametrize("change, message", [
    ({"description": "x" * 161}, "docs/x.md: description: is too long (161 characters); keep it between 50 and 160"),
    ({"description": "x" * 49}, "docs/x.md: description: is too short (49 characters); keep it between 50 and 160"),
    ({"last_reviewed": "2026-02-30"}, "docs/x.md: last_reviewed: '2026-02-30' is not a date; write it as YYYY-MM-DD"),
    ({"kind": "blog"}, "docs/x.md: kind: 'blog' is not one of home, explainer, tool, help, reference, clinic; "),
    ({"kind": "explainr"}, "docs/x.md: kind: 'explainr' is not one of home, explainer, tool, help, reference, "
                           "clinic; did you mean 'explainer'?"),
    ({"ideas": ["C1", "C74", "X2"]}, "docs/x.md: ideas[1]: 'C74' is not in OUTLINE.md; use concept ids C1 to C73 or H1 to H26"),
    ({"ideas": ["H1", "H27", "H0"]}, "docs/x.md: ideas[1]: 'H27' is not in OUTLINE.md; use concept ids C1 to C73 or H1 to H26"),
    ({"ideas": ["H1", "H27", "H0"]}, "docs/x.md: ideas[2]: 'H0' is not a concept id"),
    ({"ideas": ["C1", "C74", "X2"]}, "docs/x.md: ideas[2]: 'X2' is not a concept id; use concept ids"),
    ({"covers": "two\nlines"}, "docs/x.md: covers: is blank or more than one line; write one line"),
    ({"titel": "Typo"}, "docs/x.md: titel: unknown field; did you mean 'title'?"),
    ({"colour": "blue"}, "docs/x.md: colour: unknown field; known fields here: title, description, kind"),
    ({"scripts": "copy-text"}, "docs/x.md: scripts: expected a list, got text ('copy-text'); write a list of script names"),
    ({"quick_exit": "yes"}, "docs/x.md: quick_exit: expected true or false, got text ('yes'); write true, or leave"),
    ({"title": None}, "docs/x.md: title: is empty; write text"),
    ({"title": "  "}, "docs/x.md: title: is blank; write text"),
    ({"next_review": "2025-01-01"},
     "docs/x.md: next_review: 2025-01-01 is not after last_reviewed (2026-01-15); set the next review after"),
    ({"terms": [{"term": "CBT"}]}, "docs/x.md: terms[0].definition: required field is missing; add it"),
])
def test_each_problem_is_named_in_plain_words(change, message):
    found = frontmatter.problems("docs/x.md", {**VALID_META, **change})
    assert any(line.startswith(message) for line in found), found
    assert all(line.count("; ") >= 1 and "\n" not in line for line in found), "one line each, with a fix"


def test_front_matter_problems_come_in_the_order_the_fields_are_written():
    meta = {"titel": "Typo", "description": "Too short.", "kind": "blog", "last_reviewed": "2026-01-15",
            "next_review": "2025-01-01"}
    fields = [line.split(": ")[1] for line in frontmatter.problems("docs/x.md", meta)]
    assert fields == ["title", "titel", "description", "kind", "next_review"]


def test_contributing_lists_the_fields_the_schema_requires_and_allows():
    """CONTRIBUTING.md's front matter section and the schema are one contract: they must agree."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Front matter", 1)[1].split("\n## ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    comments = {line.split(":", 1)[0]: line.split("#", 1)[1] for line in example.splitlines()
                if re.match(r"[a-z_]+:", line) and "#" in line}
    assert tuple(key for key, comment in comments.items() if "required" in comment) == frontmatter.REQUIRED
    assert {key for key, comment in comments.items() if "optional" in comment} <= set(frontmatter.OPTIONAL)
    kinds = comments["kind"].split(":", 1)[1].strip()
    assert tuple(kinds.split(" | ")) == frontmatter.KINDS
    low, high = frontmatter.DESCRIPTION_LENGTH
    assert f"{low}–{high} characters" in comments["description"]
    mentioned = set(re.findall(r"`([a-z_]+)`", section)) | set(comments)
    assert set(frontmatter.ALLOWED) <= mentioned, "every allowed field is explained"


def test_material_keys_and_optional_fields_are_allowed():
    meta = {**VALID_META, "hide": ["toc"], "template": "main.html", "search": {"exclude": True},
            "status": "new", "covers": "One calm line.", "ideas": ["C1", "C73", "H1", "H26"], "scripts": ["copy-text"]}
    assert frontmatter.problems("docs/x.md", meta) == []


def test_today_is_injectable_and_checked():
    assert frontmatter.today({"FST_TODAY": "2030-02-03"}) == dt.date(2030, 2, 3)
    with pytest.raises(ValueError, match="FST_TODAY"):
        frontmatter.today({"FST_TODAY": "tomorrow"})


def test_overdue_pages_with_a_fixed_today(tmp_path):
    write_page(tmp_path, "due.md", "# Due", last_reviewed="2026-01-01", next_review="2026-12-31")
    write_page(tmp_path, "fresh.md", "# Fresh", last_reviewed="2026-06-01", next_review="2027-01-01")
    write_page(tmp_path, "sub/old.md", "# Old", last_reviewed="2020-01-01", next_review="2021-01-01")
    assert reviews.overdue_pages(tmp_path, FIXED_TODAY) == [
        ("due.md", dt.date(2026, 12, 31)), ("sub/old.md", dt.date(2021, 1, 1))]


def test_check_reviews_exits_non_zero_listing_overdue_pages(tmp_path, monkeypatch, capsys):
    write_page(tmp_path, "due.md", "# Due", last_reviewed="2026-01-01", next_review="2026-12-31")
    monkeypatch.setenv("FST_TODAY", FIXED_TODAY.isoformat())
    assert reviews.main(["--docs-dir", str(tmp_path)]) == 1
    assert "due.md: review was due on 2026-12-31" in capsys.readouterr().out
    monkeypatch.setenv("FST_TODAY", "2026-12-31")
    assert reviews.main(["--docs-dir", str(tmp_path)]) == 0
    monkeypatch.setenv("FST_TODAY", "next week")
    assert reviews.main(["--docs-dir", str(tmp_path)]) == 2
    assert "FST_TODAY is 'next week'; write it as YYYY-MM-DD" in capsys.readouterr().err


# Reading time -------------------------------------------------------------------

def test_word_count_skips_what_the_build_adds():
    html = ("<h1>Title here</h1><p>Don't stop <a href='x'>now</a>.</p>"
            "<h2 id='next-step'>Next step</h2><p class='fst-next-step'>Other page words</p>"
            "<h2 id='sources'>Sources</h2><ol class='fst-sources'><li>Author, A. (2018).</li></ol>")
    assert reading.word_count(reading.page_text(html)) == 5  # Title here Don't stop now


def test_page_text_reads_markup_as_a_browser_does():
    html = ("<p>One &amp; two<p>three <em>four<script>var five = 5</script><style>p{}</style>"
            "<!-- six seven --><template><p>eight</p></template>ni&shy;ne")
    assert reading.page_text(html).split() == ["One", "&", "two", "three", "four", "ni\xadne"]
    assert reading.word_count(reading.page_text("<p>un<em>clear</em> words</p>")) == 3  # "un" "clear" apart


def test_the_api_article_leaves_out_the_next_step_and_keeps_the_rest():
    html = ('<h1 id="t">T</h1>\n<p>Body.</p>\n<h2 id="next-step">Next step</h2>\n'
            '<p class="fst-next-step"><a href="../b/">B</a>: about B.</p>\n<h2 id="sources">Sources</h2>')
    assert reading.article_fragment(html) == '<h1 id="t">T</h1>\n<p>Body.</p>\n<h2 id="sources">Sources</h2>'
    assert reading.article_fragment("<h1>T</h1><p>Body.</p>") == "<h1>T</h1><p>Body.</p>"


@pytest.mark.parametrize("words, minutes", [(0, 1), (1, 1), (200, 1), (201, 2), (1300, 7)])
def test_reading_minutes(words, minutes):
    assert reading.reading_minutes(words) == minutes


# Citations ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def references():
    return citations.load_references(ROOT / "data" / "references.yml")


@pytest.mark.content
def test_reference_list_has_unique_keys_and_no_unverified_item(references):
    entries = yaml.safe_load((ROOT / "data" / "references.yml").read_text(encoding="utf-8"))
    assert len(references) == len(entries), "a key is listed twice in data/references.yml"
    assert {"fluckiger-2018", "eubanks-2018", "lifeline-988"} <= set(references)
    assert not {r.status for r in references.values()} - set(citations.STATUSES)
    assert references["fluckiger-2018"].label == "Flückiger et al., 2018"


def test_a_malformed_reference_list_names_the_file_and_entry(tmp_path):
    listed = tmp_path / "references.yml"
    listed.write_text("- just a string\n- key: a-2020\n  label: A, 2020\n  status: verified\n", encoding="utf-8")
    with pytest.raises(ValueError) as error:
        citations.load_references(listed)
    assert [line.split("; ")[0] for line in str(error.value).splitlines()] == [
        f"{listed}: [0]: expected a group of fields, got text ('just a string')",
        f"{listed}: a-2020.citation: required field is missing"]
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("a-2020: {label: A}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{mapping}: \\(top level\\): expected a list"):
        citations.load_references(mapping)
    twice = tmp_path / "twice.yml"
    twice.write_text("- {key: a-2020, label: A, citation: C, status: verifed, ulr: x}\n"
                     "- {key: a-2020, label: A, citation: C, status: verified}\n", encoding="utf-8")
    with pytest.raises(ValueError) as error:
        citations.load_references(twice)
    assert [line.split(": ", 2)[1] for line in str(error.value).splitlines()] == [
        "a-2020.status", "a-2020.ulr", "[1].key"]
    assert "did you mean 'verified'?" in str(error.value) and "did you mean 'url'?" in str(error.value)
    assert "'a-2020' is used twice" in str(error.value)
    broken = tmp_path / "broken.yml"
    broken.write_text("- key: a-2020\n  label: [A, 2020\n", encoding="utf-8")
    for load in (citations.load_references, crisis.load_regions):
        with pytest.raises(ValueError) as error:
            load(broken)
        assert str(error.value).startswith(f"{broken}: not valid YAML (line 3)"), error.value


def test_citations_become_links_and_code_is_untouched(references):
    markdown = "Claim [@fluckiger-2018; @bordin-1979]. `[@bordin-1979]`\n\n```\n[@rogers-1957]\n```\n"
    out = citations.link_citations(markdown, references)
    assert "([Flückiger et al., 2018](#source-fluckiger-2018); [Bordin, 1979](#source-bordin-1979))" in out
    assert "`[@bordin-1979]`" in out and "[@rogers-1957]" in out
    assert citations.cited_keys(markdown) == ["fluckiger-2018", "bordin-1979"]


def test_unknown_keys_and_sources_section(references):
    assert citations.unknown_keys("A [@nope-1999] and [@bordin-1979]", references) == ["nope-1999"]
    section = citations.sources_section(["bordin-1979"], references)
    assert section.startswith("## Sources\n")
    assert '<li id="source-bordin-1979" markdown="span">Bordin, E. S. (1979)' in section


# Reading path -------------------------------------------------------------------

def test_next_step_links_relative_to_the_page():
    section = readingpath.next_step_section("guide/a.md", "b.md", "B page", "What B is about.")
    assert section == "## Next step\n\n[B page](../b.md): What B is about.\n{ .fst-next-step }\n"


# Glossary -----------------------------------------------------------------------

TERMS = glossary.load_terms("docs/glossary.md", [
    {"term": "CBT", "definition": "A talking therapy about thoughts and actions."},
    {"term": "Alliance", "also": ["therapeutic alliance"], "definition": "The working bond with your therapist."},
])


def test_first_use_in_prose_gets_a_focusable_tooltip():
    html = ("<h2>CBT and the alliance</h2><p>The therapeutic alliance matters in CBT. "
            "The alliance again, and <a href='x'>CBT</a>.</p><p>Acbt cbt CBT.</p><pre><code>CBT</code></pre>")
    page = LexborHTMLParser(glossary.annotate(html, TERMS), is_fragment=True)
    tips = page.css("abbr.fst-term")
    assert [(t.text(), t.attrs["tabindex"]) for t in tips] == [("therapeutic alliance", "0"), ("CBT", "0")]
    assert tips[0].attrs["title"] == "The working bond with your therapist."
    assert not page.css("h2 abbr, a abbr, code abbr")


# Markup Markdown, hooks and writers may produce, as a browser reads it, and the tooltips it gets.
TRICKY_FRAGMENTS = [
    ('<h1 id="t">Alliance</h1>\n<p>The alliance matters. So does CBT &amp; more.</p>', ["alliance", "CBT"]),
    ('<p>Text with <a href="x.md">alliance</a> in a link, then therapeutic alliance here.</p>',
     ["therapeutic alliance"]),
    ('<div class="admonition in-short"><p class="admonition-title">CBT</p><p>A CBT &lt;can&gt; heal.</p></div>',
     ["CBT"]),
    ('<p>Line<br />break and <img alt="CBT" src="a.png" /> image, <hr/> alliance</p>\n\n   \n<p>CBT</p>',
     ["alliance", "CBT"]),
    ('<ul>\n  <li>  </li>\n<li>CBT &#39;quoted&#39; &quot;double&quot;</li></ul><pre>  alliance\n  </pre>', ["CBT"]),
    ('<p class="a  b" data-x=\'say "CBT"\' title="it\'s">Alliance</p><script>var alliance = 1;</script>',
     ["Alliance"]),
    ('<div class="fst-sources"><p>alliance in sources</p></div><p>then alliance</p><!-- CBT -->', ["alliance"]),
    ('<details open><summary>CBT</summary><p>CBT again</p></details><p/><span>x</span>', ["CBT"]),
    ('<p>unusual &nbsp; entity alliance</p>', ["alliance"]),
    ('<p>unclosed <em>alliance <b>CBT', ["alliance", "CBT"]),
    ('<template><p>alliance</p></template><textarea>\n  CBT  </textarea><svg><text>alliance</text></svg>', []),
    ('<table><tr><td>CBT</td></tr>alliance</table>', ["alliance", "CBT"]),  # the text moves before the table
]


def _texts(html: str) -> str:
    return LexborHTMLParser(html, is_fragment=True).text()


@pytest.mark.parametrize("html, tips", TRICKY_FRAGMENTS)
def test_tooltips_keep_the_text_and_stay_out_of_headings_links_and_code(html, tips):
    out = glossary.annotate(html, TERMS)
    page = LexborHTMLParser(out, is_fragment=True)
    assert _texts(out) == _texts(html), "a tooltip only wraps words"
    assert [tip.text() for tip in page.css("abbr.fst-term")] == tips
    skipped = ", ".join(f"{name} abbr" for name in (*glossary.SKIP_TAGS, *(f".{c}" for c in glossary.SKIP_CLASSES)))
    assert not page.css(skipped)


def test_tooltips_on_random_markup_keep_the_text():
    pieces = ["<p>", "</p>", "<em>", "</em>", "<br />", "<a href=\"x\">", "</a>", " ", "\n", "alliance", "CBT",
              "cbt", "&amp;", "&lt;", ">", "'", '"', "word", "<!-- c -->", '<span class="fst-covers">', "</span>",
              "<pre>", "</pre>", "&nbsp;", "<", "<h2>", "</h2>"]
    rng = random.Random(7)
    for _ in range(500):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        out = glossary.annotate(html, TERMS)
        assert _texts(out) == _texts(html), repr(html)
        assert len(LexborHTMLParser(out, is_fragment=True).css("abbr.fst-term")) <= 2, repr(html)


def test_glossary_problems_name_the_field():
    with pytest.raises(ValueError, match="docs/glossary.md: terms entry 1: definition is missing"):
        glossary.load_terms("docs/glossary.md", [{"term": "CBT"}])


def test_glossary_markdown_is_a_sorted_definition_list_with_ids():
    assert glossary.glossary_markdown(TERMS).startswith(
        "Alliance { #term-alliance }\n:   The working bond with your therapist.\n")


# Crisis lines -------------------------------------------------------------------

@pytest.mark.parametrize("code, numbers", [("us", ["tel:988", "tel:988", "sms:741741?&body=HOME", "tel:988",
                                                   "sms:741741?&body=AYUDA", "tel:911"]),
                                           ("uk", ["tel:116123", "sms:85258?&body=SHOUT", "tel:111", "tel:08088088000",
                                                   "tel:999"]),
                                           ("ie", ["tel:116123", "sms:50808", "tel:112"]),
                                           ("ca", ["tel:988", "tel:911"]),
                                           ("au", ["tel:131114", "tel:000"])])
def test_regions_resolve_with_links(code, numbers):
    region = crisis.resolve(code, crisis.load_regions())
    assert [line["links"][0]["href"] for line in region["lines"]] == numbers


# Lines whose only sources are secondary, each reviewed: the rest must rest on a verified source.
SECONDARY_ONLY_LINES = {"Crisis Text Line", "50808"}


def test_no_press_3_and_no_secondary_only_line():
    data = crisis.load_regions()
    assert "press 3" not in str(data).lower()
    references = citations.load_references(ROOT / "data" / "references.yml")
    statuses = {key: ref.status for key, ref in references.items()}
    secondary_only = {line["name"] for region in data.values() for line in region["lines"]
                      if all(statuses[key] == "secondary" for key in crisis.source_keys(line))}
    assert secondary_only == SECONDARY_ONLY_LINES


def test_unknown_region_and_custom_region_problems():
    with pytest.raises(ValueError, match="unknown region 'fr'"):
        crisis.resolve("fr", crisis.load_regions())
    with pytest.raises(ValueError, match=r"^crisis_region: lines\[0\]\.hours: required field is missing"):
        crisis.resolve({"name": "Clinic", "lines": [{"name": "Desk", "for": "Anyone", "ways": [{"call": "111"}]}]}, {})
    with pytest.raises(ValueError) as error:
        crisis.resolve({"name": "Clinic", "lines": [{"name": "Desk", "hours": "Any time", "for": "Anyone",
                                                      "ways": "tel:1"}]}, {})
    assert str(error.value).startswith("crisis_region: lines[0].ways: expected a list, got text ('tel:1'); "
                                       'write a list like [{call: "116 123"}')
    with pytest.raises(ValueError, match="unknown region 'usa'; did you mean 'us'"):
        crisis.resolve("usa", crisis.load_regions())


def test_a_malformed_crisis_file_names_region_line_and_field(tmp_path):
    regions = crisis.load_regions()
    regions["us"]["lines"][0]["ways"][2]["chat"] = "javascript:alert(1)"
    regions["uk"]["lines"][0]["hour"] = regions["uk"]["lines"][0].pop("hours")
    path = tmp_path / "crisis-regions.yml"
    path.write_text(yaml.safe_dump(regions, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValueError) as error:
        crisis.load_regions(path)
    assert [line.split(": ")[:2] for line in str(error.value).splitlines()] == [
        [str(path), "us.lines[0].ways[2].chat"], [str(path), "uk.lines[0].hours"], [str(path), "uk.lines[0].hour"]]
    assert "'javascript:alert(1)' is not an https:// address" in str(error.value)
    assert "did you mean 'hours'?" in str(error.value)


def test_marker_becomes_the_full_list():
    region = crisis.resolve("us", crisis.load_regions())
    out = crisis.insert_numbers("Intro\n\n<!-- crisis-numbers -->\n\nMore", region)
    assert "- **988 Suicide &amp; Crisis Lifeline**: <a class=" in out and crisis.MARKER not in out
    text_link = BeautifulSoup(out, "html.parser").find("a", href="sms:741741?&body=HOME")
    assert text_link is not None and "fst-crisis-way--text" in text_link["class"]
    assert text_link.get_text() == "Text HOME to 741741"
    assert out.startswith("Intro\n") and out.endswith("\n\nMore")
