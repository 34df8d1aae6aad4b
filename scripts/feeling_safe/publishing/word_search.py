"""The word index: every page's title and section headings, and every section's words, in one
small file (search/words.json, 12 KB with Brotli for this guide's 255 sections) that lean.js
answers search from.

Why: Material's search needs its 35 KB bundle, a worker and the full-text index, and then
builds the index on the reader's phone: one to two seconds on a slow phone after the reader
asks. Our pages do not load those up front (overrides/assets/javascripts/lean.js), so this
file is fetched when the browser is idle after a page loads, and lean.js answers from it as
the reader types, by title, heading and body text, while the full search loads; Material's
results replace its results as soon as they are ready.

It is made from Material's own search index (its `docs`: `location`, `title`, `text`, the text
as HTML, read with the one HTML parser), so it covers exactly the pages and sections the full
search covers. Words are compared as feeling_safe/publishing/stemming.py makes them (folded,
stop words dropped, stemmed by the site's language's rules, which the file carries).

The format (JSON, an object; sizes matter, the file is part of every page's first visit):

- "lang": the primary language subtag the stemmer's rules are for ("en").
- "stop": the language's stop words, space-separated: a query's stop word need not match.
- "steps": the stemming steps (stemming.py): [[[suffix, replacement, shortest stem], ...], ...].
- "pages": one entry per page, in reading order: [title, location, sections], where sections
  lists the page's headings in order, each either its text, when its anchor is the heading's
  words (stemming.words) joined by "-", or [text, anchor]. Titles and headings are plain text.
- Sections are numbered in reading order over the whole site: each page's own entry (its text
  before the first heading: the page itself, location without "#") and then its headings.
  Every doc in Material's index is one section.
- "words": the body text's stems (the words of each section's text, less its web addresses,
  stop words, words of one letter and words with a digit longer than four characters (phone
  numbers, identifiers), and less the stems of the section's own heading and of its page's
  title, which match it already), each stem once,
  grouped by the first section it appears in: one group per section, in section order,
  separated by ","; in a group, the stems are sorted and separated by " ". A stem's first
  section is thus its group's number.
- "more": for each stem, in the order "words" lists them, the other sections it appears in,
  separated by " " (empty for a stem in one section): each section as its gap from the one
  before (its first section, then the last one read), less one, written in base 32 with the
  digits of DIGITS, most significant first: a digit from the first 32 of DIGITS ends a number,
  one from the last 32 is followed by more ("0" is the next section, "1" the one after it,
  "x0" the 33rd after).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

from feeling_safe.pages import html as pages_html
from feeling_safe.publishing import stemming

SEARCH_INDEX = "search/search_index.json"
WORD_INDEX = "search/words.json"
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+")
LONGEST_NUMBER = 4  # longer runs with a digit are phone numbers, dates of issue, identifiers


def _without_addresses(text: str) -> str:
    """`text` less its web addresses (a source's URL): no reader searches for a word by them."""
    return ADDRESS.sub(" ", text)


def slug(heading: str) -> str:
    """The anchor lean.js assumes for a heading stored without one."""
    return "-".join(stemming.words(heading))


def indexed(word: str, stop: set[str]) -> bool:
    """Whether a body word goes into the index."""
    if word in stop or len(word) < 2:
        return False
    return not (len(word) > LONGEST_NUMBER and any(c.isdigit() for c in word))


def encode_gaps(first: int, rest: list[int]) -> str:
    """`rest` (ascending, all after `first`) as gaps in DIGITS (see the module's docstring)."""
    out, previous = [], first
    for number in rest:
        gap, previous = number - previous - 1, number
        digits = [DIGITS[gap % 32]]
        gap //= 32
        while gap:
            digits.append(DIGITS[32 + gap % 32])
            gap //= 32
        out.extend(reversed(digits))
    return "".join(out)


def decode_gaps(first: int, text: str) -> list[int]:
    """The inverse of encode_gaps."""
    found, value, previous = [], 0, first
    for char in text:
        digit = DIGITS.index(char)
        value = value * 32 + digit % 32
        if digit < 32:
            previous += value + 1
            found.append(previous)
            value = 0
    return found


def _sections(search_index: dict) -> list[dict]:
    """Material's docs grouped by page, in its order: [{"title", "location", "text",
    "sections": [{"title", "anchor", "text"}, ...]}, ...]."""
    pages: dict[str, dict] = {}
    for doc in search_index.get("docs", []):
        location, _, anchor = doc["location"].partition("#")
        page = pages.setdefault(location, {"title": "", "location": location, "text": "", "sections": []})
        title, text = pages_html.fragment_text(doc.get("title", "")), pages_html.fragment_text(doc.get("text", ""))
        if anchor:
            page["sections"].append({"title": title, "anchor": anchor, "text": text})
        else:
            page["title"], page["text"] = title, text
    return list(pages.values())


def word_index(search_index: dict, lang: str) -> dict:
    """The index (the format in the module's docstring) of Material's `search_index`, with the
    stemming rules for the site's language tag `lang`."""
    rules = stemming.language_rules(lang)
    stop, steps = set(rules["stop"]), rules["steps"]
    pages, texts = [], []  # texts: (page title, heading, body) of each section, in section order
    for page in _sections(search_index):
        headings = [s["title"] if s["anchor"] == slug(s["title"]) else [s["title"], s["anchor"]]
                    for s in page["sections"]]
        pages.append([page["title"], page["location"], headings])
        texts.append((page["title"], "", page["text"]))
        texts.extend((page["title"], s["title"], s["text"]) for s in page["sections"])
    postings: dict[str, list[int]] = defaultdict(list)
    # Each word stemmed and judged once (a guide's words repeat from page to page); a body
    # word's kept stem is None when it is not indexed.
    stem_of = cache(lambda word: stemming.stem(word, steps))
    kept_stem = cache(lambda word: stem_of(word) if indexed(word, stop) else None)
    for number, (title, heading, body) in enumerate(texts):
        own = {stem_of(word) for word in stemming.words(f"{title} {heading}")}
        for word in set(stemming.words(_without_addresses(body))):
            stem_ = kept_stem(word)
            if stem_ is not None and stem_ not in own:
                found = postings[stem_]
                if not found or found[-1] != number:
                    found.append(number)
    groups: list[list[str]] = [[] for _ in texts]
    for stem_, numbers in postings.items():
        groups[numbers[0]].append(stem_)
    ordered = [stem_ for group in groups for stem_ in sorted(group)]
    return {"lang": lang.split("-")[0].lower(), "stop": " ".join(rules["stop"]), "steps": steps,
            "pages": pages,
            "words": ",".join(" ".join(sorted(group)) for group in groups),
            "more": " ".join(encode_gaps(postings[s][0], postings[s][1:]) for s in ordered)}


def read_index(index: dict) -> tuple[list[tuple[str, str]], dict[str, list[int]]]:
    """What a reader of the format finds in `index` (as lean.js reads it): every section's
    address, in section order (page location, anchor or ""), and each stem's sections."""
    addresses = []
    for _title, location, headings in index["pages"]:
        addresses.append((location, ""))
        addresses.extend((location, h[1] if isinstance(h, list) else slug(h)) for h in headings)
    stems = [(number, stem_) for number, group in enumerate(index["words"].split(","))
             for stem_ in group.split(" ") if stem_]
    more = index["more"].split(" ")
    if len(more) != len(stems):
        raise ValueError(f"{WORD_INDEX}: {len(stems)} stems but {len(more)} postings")
    return addresses, {stem_: [first, *decode_gaps(first, rest)] for (first, stem_), rest in zip(stems, more)}


def write_word_index(site_dir: Path, *, has_search: bool, lang: str) -> None:
    """Write search/words.json from Material's index, which the search plugin (listed before
    ours) has written; nothing when the build has no search."""
    source = site_dir / SEARCH_INDEX
    if not source.is_file():
        if has_search:
            raise ValueError(f"{WORD_INDEX}: no {SEARCH_INDEX} to make it from; in mkdocs.yml, "
                             "list the search plugin before feeling-safe under plugins")
        return
    index = word_index(json.loads(source.read_text(encoding="utf-8")), lang)
    (site_dir / WORD_INDEX).write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")),
                                       encoding="utf-8")
