"""Does the quote stored for a source say what the sentence citing it says?

Why: a citation is a promise that the source says what the sentence says. The
vetted quote in data/references.yml is the part of the source we read; if a
sentence shares none of its meaning words with the quotes it cites, the
sentence has drifted from its source (or cites the wrong one). So every
citing sentence (a page's `[@key]`, a data file's `source:`) is matched
against the quotes of the keys it cites, word by word after a crude stem,
ignoring function words and words every page uses (therapist, therapy,
client ...). It needs two shared words (all of them when it has fewer).
Sources with no stored quote (the research papers of REFERENCES.md, cited
for one figure each) are not matched here. A page is judged sentence by
sentence, up to each citation; a data field whole, with the citation's own
words (the body's name and place) beside the quote; a sentence about the
guide itself ("We could not check ...") is not judged.

A paraphrase can share no word with its quote ("end" for "terminate"). Such a
pair is allowed only by the reference's `supports:` list: the sentence's words,
each reviewed as something the quote does say, added to what it is matched on.
The test that runs this is content lint (tests/test_sources.py), not a build
step: matching words is a heuristic, and a build (a clinic's, say) must not stop
over wording a writer, not the builder, has to judge.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from feeling_safe.content.citations import CITATION

# Shared words a sentence needs with its cited quotes: two, or all of them when it has fewer.
NEEDED = 2
# Function words, and words nearly every sentence of the guide uses, which show no support.
_STOP_WORDS = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing done down during each either else
even ever every few for from further get gets got had has have having he her here hers him his
how however i if in into is it its itself just least less let like made make makes many may me
might more most much must my need needs never no nor not now of off on once one only or other
our ours out over own per put rather really same say says said shall she should since so some
still such than that the their theirs them then there these they this those though through to
too under until up upon us very was we were what when where whether which while who whom whose
why will with within without would yet you your yours yourself
therapist therapists therapy therapies client clients patient patients people person thing things way
ways part often usually sometimes
"""
STOP = frozenset(_STOP_WORDS.split())
# UK and US spellings read as one word.
SPELLING = {"licence": "license", "licences": "licenses", "behaviour": "behavior",
            "behaviours": "behaviors", "counsellor": "counselor", "counsellors": "counselors",
            "counselling": "counseling", "organisation": "organization", "organisations": "organizations",
            "practise": "practice", "practising": "practicing", "programme": "program", "favour": "favor",
            "favours": "favors", "centre": "center"}
_SUFFIXES = ("ations", "ation", "ingly", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s")
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)*_]*(?=\s|$)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]+>")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
# A sentence about the guide itself ("We could not check ...", "This guide gives no address")
# says what we did, not what the source says: it is not matched against the quote.
_ABOUT_US = re.compile(r"(?:We|This guide|Our)\b")


def stem(word: str) -> str:
    """A crude stem: UK spelling as US, one common suffix off, then a final e
    ("terminated", "terminating", "terminate" -> "terminat")."""
    word = SPELLING.get(word, word)
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    word = re.sub(r"i[sz]$", "iz", word)  # organis(e) / organiz(e)
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _plain(text: str) -> str:
    """Lower case ASCII letters, curly quotes and apostrophes gone ("don't" -> "dont")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"['’]", "", text)


def terms(text: str) -> set[str]:
    """The meaning words of a text, stemmed: what a sentence and its quote are matched on."""
    words = _WORD.findall(_plain(text))
    return {stem(word) for word in words if word not in STOP and (len(word) > 2 or word.isdigit())}


def _same(a: str, b: str) -> bool:
    """Two stems match when equal, when one begins the other and is at least 5 letters long
    ("psycholog", "psychological"), or when they share their first 6 letters ("consent", "consensual")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return (len(short) >= 5 and long_.startswith(short)) or (len(short) >= 6 and short[:6] == long_[:6])


def shared(sentence: Iterable[str], support: Iterable[str]) -> set[str]:
    support = set(support)
    return {term for term in sentence if term in support or any(_same(term, s) for s in support)}


# --- citing sentences -------------------------------------------------------------------------

@dataclass(frozen=True)
class Citing:
    """One citation and the sentence it sits in: where, the sentence's text, the keys cited."""

    where: str          # docs/crossing-a-line.md:22, or data/complaint-routes.yml: uk.routes[0].covers
    sentence: str       # plain text, citations removed
    keys: tuple[str, ...]
    # A data entry describes the body whose page it cites, so the citation's own words (the body's
    # name and place, the page's title) back it too; a page's sentence is matched on quotes alone.
    by_citation: bool = False


def _blocks(markdown: str) -> Iterable[tuple[int, str]]:
    """Paragraphs and list items, with the line each starts on (headings and comments dropped)."""
    markdown = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
    start, lines = 0, []
    for number, line in enumerate(markdown.splitlines() + [""], start=1):
        new_item = bool(_LIST_ITEM.match(line))
        if not line.strip() or line.lstrip().startswith(("#", "!!!", "???", "|")) or new_item:
            if lines:
                yield start, " ".join(lines)
            lines = []
            if new_item:
                start, lines = number, [_LIST_ITEM.sub("", line, count=1)]
            continue
        if not lines:
            start = number
        lines.append(line.strip())


def _sentences(block: str) -> list[str]:
    out, last = [], 0
    for end in _SENTENCE_END.finditer(block):
        out.append(block[last:end.end()].strip())
        last = end.end()
    if block[last:].strip():
        out.append(block[last:].strip())
    return out


def _readable(sentence: str) -> str:
    text = _LINK.sub(r"\1", sentence)
    text = _TAG.sub("", CITATION.sub("", text))
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+([.,;:?!])", r"\1", re.sub(r"\s+", " ", text)).strip()


def page_citings(label: str, markdown: str, first_line: int = 1) -> list[Citing]:
    """Every `[@key]` group of a page's Markdown with the sentence it closes."""
    found = []
    for line, block in _blocks(markdown):
        for sentence in _sentences(block):
            if _ABOUT_US.match(sentence):
                continue
            for match in CITATION.finditer(sentence):
                keys = tuple(re.findall(r"@([\w-]+)", match.group(1)))
                claim = sentence[:match.end()]  # a citation backs its sentence's words up to it
                found.append(Citing(f"{label}:{line + first_line - 1}", _readable(claim), keys))
    return found


def data_citings(label: str, data: Any, fields: Iterable[str]) -> list[Citing]:
    """The named text fields of every mapping in a data file that has a `source`, each judged as
    one claim: a field is one statement about one body or line (its later sentences explain or
    qualify the first), unlike a page, where every cited sentence is its own claim."""
    fields = tuple(fields)
    found: list[Citing] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            source = value.get("source")
            if source:
                keys = (source,) if isinstance(source, str) else tuple(source)
                for field in fields:
                    text = value.get(field)
                    claim = " ".join(s for s in _sentences(text) if not _ABOUT_US.match(s)) \
                        if isinstance(text, str) else ""
                    if claim:
                        found.append(Citing(f"{label}: {where}.{field}".replace(": .", ": "), _readable(claim), keys,
                                            by_citation=True))
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    walk(data, "")
    return found


# --- the match --------------------------------------------------------------------------------

def support_terms(entry: Mapping[str, Any]) -> set[str]:
    """What a reference entry can support: its quote's words and its reviewed `supports` words."""
    return terms(entry.get("quote") or "") | terms(" ".join(entry.get("supports") or ()))


def problem(citing: Citing, entries: Mapping[str, Mapping[str, Any]], needed: int = NEEDED) -> str | None:
    """A line naming the sentence and keys when the cited quotes share too few of its words, else None.

    Only keys with a stored quote count; a sentence citing none of them is not judged here."""
    quoted = [key for key in citing.keys if entries.get(key, {}).get("quote")]
    if not quoted:
        return None
    words = terms(citing.sentence)
    # A key cited beside them with no quote of its own (a crisis line) backs the sentence by its citation
    # text; so does every key of a data field (Citing.by_citation).
    unquoted = [key for key in citing.keys if key in entries and (key not in quoted or citing.by_citation)]
    support = set().union(*(support_terms(entries[key]) for key in quoted),
                          *(terms(entries[key].get("citation", "")) for key in unquoted))
    common = shared(words, support)
    if len(common) >= min(needed, len(words)):
        return None
    short = citing.sentence if len(citing.sentence) <= 90 else citing.sentence[:87].rstrip() + "..."
    cited = "; ".join(f"@{key}" for key in quoted)
    return (f'{citing.where}: "{short}" [{cited}]: its quote shares {len(common)} of the sentence\'s words '
            f"({', '.join(sorted(common)) or 'none'}); cite the source that says it, store that source's exact words "
            "as its quote (from the REFERENCES files), soften the sentence, or, if the quote says it in other words, "
            "add the sentence's words to the entry's `supports:` list")


def problems(citings: Iterable[Citing], entries: Mapping[str, Mapping[str, Any]],
             needed: int = NEEDED) -> list[str]:
    return [line for citing in citings if (line := problem(citing, entries, needed))]
