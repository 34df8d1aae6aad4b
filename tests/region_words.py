"""Words that belong to some regions only: the one list every region-fit scan reads.

A build for region R may say a word only if R is among the word's regions; a build
for a region of its own (a clinic outside us, uk, ie, ca and au) may say none of them.
Each entry is a whole word or phrase (a regular expression, matched whole; acronyms in
capitals (with an optional plural s?) match in capitals only, everything else in any case). Keep entries specific:
a word that also has an everyday meaning ("state", "board", "college") would trip the
scan on ordinary text, so name the phrase ("state board") instead.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from feeling_safe.pages import html

REGIONS = ("us", "uk", "ie", "ca", "au")

# word or phrase -> the regions whose builds may say it
REGION_WORDS: dict[str, frozenset[str]] = {word: frozenset(regions.split()) for word, regions in {
    # The United States: its licensing, its numbers, its bodies and spellings, health insurance, school grades.
    r"state boards?": "us",
    r"licensing boards?": "us",
    r"state laws?": "us",
    r"PSYPACT": "us",
    r"licen[sc]ed in your state": "us",
    r"licenses?": "us",                 # the US noun; elsewhere "licence", where a word is needed at all
    r"practicing": "us",
    r"United States": "us",
    r"veterans?": "us",
    r"741741": "us",
    r"838255": "us",
    r"HIPAA": "us",
    r"APA": "us",
    r"(?:health )?insurance (?:plan|company|companies|card)s?": "us",
    r"in-network|out-of-network|copays?|co-pays?|deductibles?": "us",
    r"(?:take|takes|accept|accepts) (?:my|your) insurance": "us",
    r"Medicaid": "us",
    r"(?:\d+(?:st|nd|rd|th)|eighth|ninth|sixth|seventh) grade|grade \d+": "us",
    # Numbers that two countries share.
    r"911": "us ca",
    r"988": "us ca",
    r"9-8-8": "ca",
    r"999": "uk ie",
    r"112": "ie",
    r"116 123|Samaritans": "uk ie",
    r"000": "au",
    # The United Kingdom.
    r"NHS": "uk",
    r"A&E": "uk",
    r"BACP": "uk",
    r"HCPC": "uk",
    r"UKCP": "uk",
    r"NCPS": "uk",
    r"accredited registers?": "uk",
    r"85258": "uk",
    r"GPs?": "uk ie au",
    # Ireland.
    r"HSE": "ie",
    r"CORU": "ie",
    r"PSI": "ie",
    r"IACP": "ie",
    r"IAHIP": "ie",
    r"50808": "ie",
    # Canada.
    r"CRPO": "ca",
    # Australia.
    r"Ahpra|AHPRA": "au",
    r"PACFA": "au",
    r"Psychology Board of Australia": "au",
    r"13 11 14": "au",
}.items()}

# What a reader does not read as the guide's own words: where a fact comes from (Sources and
# in-text citations), and code the page runs.
NOT_READER_TEXT = "#sources, #sources + ol, ol.fst-sources, a[href^='#source-'], script, style, noscript, template"
# A web address is not wording (the licence's address says "licenses" in every country).
_ADDRESS = re.compile(r"(?:https?://)?[\w.-]+\.[a-z]{2,}/\S*")


# An in-text citation as a PDF's text gives it (the link is gone): "(Ahpra, n.d.)", "(BACP, 2018;
# CORU, n.d.-c)", "(APA Ethics Code, 10.05–10.06)".
_CITATION = re.compile(r"\([^()]*(?:\b(?:19|20)\d\d[a-z]?\b|n\.d\.|Ethics Code)[^()]*\)")


def without_citations(text: str) -> str:
    """A handout's text without its in-text citations, which name where a fact comes from."""
    return _CITATION.sub(" ", text)


@cache
def _pattern(word: str) -> re.Pattern:
    bare = word.replace("s?", "")  # an acronym's plural (GPs) is still an acronym
    capitals = bare == bare.upper()
    # Whole words: not inside a longer word, code or number ("16,000" does not say 000).
    return re.compile(rf"(?<![\w-])(?<!\d[,.])(?:{word})(?![\w-])(?![,.]\d)", 0 if capitals else re.IGNORECASE)


def foreign_words(region: str | None) -> list[str]:
    """The entries a build for `region` (None: a region of the clinic's own) may not say."""
    return [word for word, regions in REGION_WORDS.items() if region not in regions]


def found_in(text: str, region: str | None) -> list[str]:
    """The entries of other regions that `text` says, each as the words it matched."""
    text = _ADDRESS.sub(" ", " ".join(text.split()))
    found = []
    for word in foreign_words(region):
        match = _pattern(word).search(text)
        if match:
            found.append(match.group(0))
    return found


def reader_text(markup: str) -> str:
    """What a reader sees of an HTML page or fragment, without its sources and citations
    (read by the build's own HTML5 parser: a twentieth of BeautifulSoup's time, the same words)."""
    page = html.parse(markup)
    for part in page.css(NOT_READER_TEXT):
        part.decompose()
    return page.root.text(separator=" ")


def json_text(value) -> str:
    """Every string in an API file as a reader of it sees it: HTML as its text, addresses left out."""
    if isinstance(value, dict):
        return " ".join(json_text(item) for item in value.values())
    if isinstance(value, list):
        return " ".join(json_text(item) for item in value)
    if isinstance(value, str) and "<" in value:
        return reader_text(value)
    return "" if not isinstance(value, str) or re.match(r"^[a-z]+:", value) else value


def site_problems(site: Path, region: str | None) -> list[str]:
    """Every HTML page (embed views too) and API file of a built site that says another
    region's words, one line each: `path: [words]`."""
    found = []
    for path in sorted(site.rglob("*.html")):
        words = found_in(reader_text(path.read_text(encoding="utf-8")), region)
        if words:
            found.append(f"{path.relative_to(site)}: {words}")
    for path in sorted((site / "api").rglob("*.json")):
        words = found_in(json_text(json.loads(path.read_text(encoding="utf-8"))), region)
        if words:
            found.append(f"{path.relative_to(site)}: {words}")
    return found
