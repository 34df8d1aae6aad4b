"""The search timing's choice of words and places: what counts as a result for the word."""
from __future__ import annotations

import pytest

from feeling_safe.measuring import search_timing

INDEX = {"docs": [
    {"location": "alliance/", "title": "The therapeutic alliance", "text": "<p>How you and your therapist work.</p>"},
    {"location": "alliance/#bond", "title": "The bond", "text": "<p>Trust and <em>confidentiality</em>.</p>"},
    {"location": "rights/", "title": "Your rights", "text": "<p>Confidentiality, consent and records.</p>"},
    {"location": "rights/#records", "title": "Records", "text": "<p>Your records stay private. Consent.</p>"},
]}


def test_a_title_word_wants_the_pages_whose_title_holds_it():
    query = search_timing.title_query(INDEX)
    assert query.word == "alliance" and query.wanted == {"alliance/"}


def test_a_body_word_is_in_no_title_and_wants_every_section_whose_text_holds_it():
    query = search_timing.body_query(INDEX)
    # "confidentiality" (2 sections) beats "therapist" (1); "records" is a heading, so never chosen.
    assert query.word == "confidentiality"
    assert query.wanted == {"alliance/#bond", "rights/"}


def test_a_missing_title_word_is_an_error():
    with pytest.raises(ValueError, match="no page title holds"):
        search_timing.title_query(INDEX, word="rupture")


def test_runs_alternate_between_the_sites():
    assert search_timing.alternated(["ours", "default"], 3) == ["ours", "default"] * 3


def test_spread_is_min_median_max():
    assert search_timing.Spread.of([300.0, 100.0, 200.0, 900.0, 150.0]) == search_timing.Spread(100.0, 200.0, 900.0)


def test_a_word_whose_stem_is_in_a_title_is_not_body_only():
    index = {"docs": [
        {"location": "b/", "title": "Boundary", "text": "<p>Boundaries boundaries boundaries matter.</p>"},
        {"location": "c/", "title": "Care", "text": "<p>Supervision helps.</p>"},
    ]}
    assert search_timing.body_query(index).word == "supervision"


def test_every_site_is_timed_on_the_same_word_in_its_own_places():
    other = {"docs": [{"location": "rights/#consent", "title": "Consent", "text": "<p>Confidentiality.</p>"}]}
    query = search_timing.same_word(other, search_timing.body_query(INDEX))
    assert query.word == "confidentiality" and query.wanted == {"rights/#consent"}
