"""Sources: each citing sentence is backed by the quote it cites, and each source address is the
body's own page (issue #20, "Sources").

The sentences are read from the Markdown in docs/ (every region's text at once, so nothing a
region's build shows is missed) and from the data files' sourced fields; the matching is
feeling_safe/content/support.py, the address rules feeling_safe/content/source_hosts.py (which
the build also applies, in citations.load_references).
"""
from __future__ import annotations

import pytest

from feeling_safe.checks.yaml_file import load_yaml
from feeling_safe.content import frontmatter, support
from feeling_safe.content.citations import DEFAULT_FILE, load_references
from feeling_safe.content.source_hosts import address_problem
from sitebuild import ROOT

ENTRIES = {entry["key"]: entry for entry in load_yaml(DEFAULT_FILE)}
# The data files' fields that state something on their entry's `source` (complaint routes: today's
# and the fields of routes by profession and place).
DATA_FIELDS = {"data/complaint-routes.yml": ("text", "covers", "can_do", "limits", "start", "next", "cost", "anonymity",
                                             "support"),
               "data/crisis-regions.yml": ("for", "description"),
               "data/situations.yml": ("reason",)}
# Mismatches found and handed on, each to the branch rewriting that text (file, key, sentence start):
# a line here is allowed to fail the match until that text changes; a line that no longer matches a
# failing sentence fails the test, so the list cannot go stale.
PENDING: dict[tuple, str] = {}


def citings() -> list[support.Citing]:
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _meta, body = frontmatter.split_page(text)
        found += support.page_citings(path.relative_to(ROOT).as_posix(), body,
                                      text.count("\n") - body.count("\n") + 1)
    for name, fields in DATA_FIELDS.items():
        found += support.data_citings(name, load_yaml(ROOT / name), fields)
    return found


def _pending(citing: support.Citing) -> tuple | None:
    file = citing.where.split(":")[0]
    return next((entry for entry in PENDING if entry[0] == file and entry[1] in citing.keys
                 and citing.sentence.startswith(entry[2])), None)


# The matching --------------------------------------------------------------------------------

def test_terms_are_stemmed_and_read_uk_and_us_spelling_alike():
    assert support.terms("Terminated") == support.terms("terminating") == support.terms("terminate")
    assert support.terms("licence counsellor behaviour") == support.terms("license counselor behavior")
    assert support.terms("You can ask the therapist about it") == {"ask"}
    assert "400" in support.terms("at least $400 more")


def test_a_citation_backs_the_words_of_its_sentence_up_to_it():
    markdown = ("Intro line.\n\n<!-- only: us -->\nFirst claim here [@a]. Second claim [@b], and more [@c; @d]. Not cited.\n\n"
                "- a list item about [links](x.md) and **bold** [@e]\n")
    found = support.page_citings("docs/x.md", markdown, first_line=5)
    assert [(c.where, c.sentence, c.keys) for c in found] == [
        ("docs/x.md:8", "First claim here", ("a",)),
        ("docs/x.md:8", "Second claim", ("b",)),
        ("docs/x.md:8", "Second claim, and more", ("c", "d")),
        ("docs/x.md:10", "a list item about links and bold", ("e",))]


def test_data_fields_are_read_whole_from_sourced_mappings_with_their_place():
    data = {"uk": {"notes": [{"text": "One. Two. We could not check three.", "source": "a"}],
                   "routes": [{"covers": "Three.", "name": "Not read.", "source": ["b", "c"],
                               "limits": {"text": "Four.", "source": "d"}}]}}
    found = support.data_citings("data/r.yml", data, ("text", "covers"))
    assert [(c.where, c.sentence, c.keys) for c in found] == [
        ("data/r.yml: uk.notes[0].text", "One. Two.", ("a",)),
        ("data/r.yml: uk.routes[0].covers", "Three.", ("b", "c")),
        ("data/r.yml: uk.routes[0].limits.text", "Four.", ("d",))]


def test_sentences_about_the_guide_itself_are_not_matched():
    found = support.page_citings("docs/x.md", "We checked this in a copy [@a]. This guide says so [@b]. Ours too [@c].")
    assert [c.keys for c in found] == [("c",)]


def test_the_wrong_standard_for_the_after_therapy_rule_is_caught():
    """The mismatch issue #20 names: 'end therapy to get around the rule' cited to APA 10.05-10.06."""
    citing = support.Citing("docs/crossing-a-line.md:22", "A therapist may not end therapy to get around the rule.",
                            ("apa-ethics-10-05-10-06",))
    line = support.problem(citing, ENTRIES)
    assert line and line.startswith('docs/crossing-a-line.md:22: "A therapist may not end therapy to get around '
                                    'the rule." [@apa-ethics-10-05-10-06]: its quote shares 0'), line


def test_a_paraphrase_passes_only_with_reviewed_supports_words():
    entry = {"quote": '"terminate therapy at any time."'}
    citing = support.Citing("docs/x.md:1", "You can stop whenever you like.", ("k",))
    assert support.problem(citing, {"k": entry}) is not None
    assert support.problem(citing, {"k": {**entry, "supports": ["stop", "whenever"]}}) is None


def test_sources_without_a_quote_are_not_judged_but_back_a_quoted_neighbour_by_their_citation():
    entries = {"paper": {"citation": "Smith (2018). Alliance."}, "line": {"citation": "NHS 111, mental health option"},
               "quoted": {"quote": '"Lifeline is free."'}}
    assert support.problem(support.Citing("d:1", "Figures differ a lot.", ("paper",)), entries) is None
    assert support.problem(support.Citing("d:1", "NHS 111's mental health option.", ("quoted", "line")), entries) is None
    assert support.problem(support.Citing("d:1", "NHS 111's mental health option.", ("quoted",)), entries)


def test_a_data_field_may_rest_on_the_citation_naming_its_body_a_page_sentence_may_not():
    entries = {"vic": {"citation": "Health Complaints Commissioner (Victoria). Our process.",
                       "quote": '"Our complaints process is free."'}}
    assert support.problem(support.Citing("data/r.yml: au.covers", "Health services in Victoria.", ("vic",),
                                          by_citation=True), entries) is None
    assert support.problem(support.Citing("docs/x.md:1", "Health services in Victoria.", ("vic",)), entries)


@pytest.mark.content
def test_every_citing_sentence_shares_its_meaning_words_with_a_cited_quote():
    """One line per problem: where, the sentence, the keys, and how to fix it."""
    problems = [line for citing in citings() if (line := support.problem(citing, ENTRIES)) and not _pending(citing)]
    assert problems == [], "\n" + "\n".join(problems)


@pytest.mark.content
def test_every_pending_mismatch_is_still_there():
    """A PENDING line whose text was rewritten must go, so the list cannot hide a new sentence."""
    used = {entry for citing in citings() if (entry := _pending(citing)) and support.problem(citing, ENTRIES)}
    stale = [f"{file}: no failing sentence starts {start!r} citing @{key} any more; remove it from PENDING in "
             "tests/test_sources.py" for file, key, start in PENDING if (file, key, start) not in used]
    assert stale == [], "\n".join(stale)


@pytest.mark.content
def test_every_supports_word_is_used_by_a_sentence_citing_its_entry():
    """A `supports:` word no citing sentence needs is an allowance nobody reviewed against a sentence."""
    words: dict[str, set[str]] = {}
    for citing in citings():
        for key in citing.keys:
            words.setdefault(key, set()).update(support.terms(citing.sentence))
    unused = [f"data/references.yml: {key}.supports: {word!r} is in no sentence citing it; remove it"
              for key, entry in ENTRIES.items() for word in entry.get("supports") or ()
              if not support.shared(support.terms(word), words.get(key, set()))]
    assert unused == [], "\n".join(unused)


# The addresses -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://staging.switalskis.com/new-ukcp-code-of-ethics/",
    "https://prod.hcpc-uk.org/check-the-register/how-to-check",
    "https://staging.hpca.nsw.gov.au/make-a-complaint-hpca",
    "https://www.ombudsman.org.uk/organisations-we-investigate/complaint-standards/nhs-complaint-standards-test/x",
    "https://paperzz.com/doc/7229369/the-ukcp-complaints-and-conduct-process",
    "https://studylib.net/doc/6732909/ukcp-s-complaints-and-conduct-process",
    "https://ca.codecond.com/x", "https://codes.findlaw.com/ca/business-and-professions-code/bpc-sect-729/",
    "https://www.shouselaw.com/ca/x", "https://www.melmedlaw.com/x", "https://www.aclsolicitors.ie/x",
    "https://www.hja.net/x", "https://knowt.com/flashcards/9d09b2a8", "https://docslib.org/doc/288584/x",
    "https://regulations.justia.com/states/georgia/x", "https://mooppan.blogspot.com/2021/11/x.html",
])
def test_copies_of_a_bodys_page_are_refused(url):
    assert address_problem(url)


@pytest.mark.parametrize("url, citation", [
    ("https://www.hcpc-uk.org/concerns/what-we-investigate/registered-professionals/", "Health and Care Professions Council."),
    ("https://www.professionalstandards.org.uk/news-and-blog/latest-news/detail/2021/x", "Professional Standards Authority."),
    ("https://www.psichi.org/general/custom.asp?page=164",
     "American Psychological Association. Standard 10.08, as quoted by Handelsman"),
    ("https://www2.hse.ie/emergencies/when-to-call-112-or-999/", "Health Service Executive. (n.d.)."),
    ("https://doi.org/10.1037/pst0000172", "Flückiger, C. (2018)."),
])
def test_a_bodys_own_page_and_a_named_publishers_copy_pass(url, citation):
    assert address_problem(url, citation) is None


def test_a_body_named_in_the_citation_must_be_linked_on_its_own_domain():
    assert "apa.org" in address_problem("https://example.org/ethics/complaint", "American Psychological Association.")


def test_every_source_address_is_the_bodys_own_page():
    """Entries added later (by any branch) are held to the same rules, with how to fix each."""
    wrong = [f"data/references.yml: {key}.url: {problem}" for key, entry in ENTRIES.items()
             if entry.get("url") and (problem := address_problem(entry["url"], entry.get("citation", "")))]
    assert wrong == [], "\n".join(wrong)


def test_the_build_refuses_a_mirror_address_naming_the_entry_and_the_fix(tmp_path):
    bad = tmp_path / "references.yml"
    bad.write_text("- {key: a-2020, label: A, citation: 'UK Council for Psychotherapy. Code.', status: secondary,\n"
                   "   url: 'https://staging.switalskis.com/new-ukcp-code-of-ethics/'}\n"
                   "- {key: b-2020, label: B, citation: B., status: verified, url: 'https://www.bacp.co.uk/x'}\n",
                   encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_references(bad)
    lines = str(error.value).splitlines()
    assert len(lines) == 1 and "a-2020.url: staging.switalskis.com" in lines[0] and "address_seen" in lines[0], lines


def test_supports_needs_a_quote(tmp_path):
    bad = tmp_path / "references.yml"
    bad.write_text("- {key: a-2020, label: A, citation: A., status: verified, supports: [stop]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="a-2020"):
        load_references(bad)
