"""How long a reader on a phone waits for search results, ours against the default build.

Why: our pages load Material's bundle only when a reader reaches for search
(overrides/assets/javascripts/lean.js) and answer from a small word index
until it is ready. What a reader feels is the wait after they stop typing, so
that is what is timed: in Debian's Chromium on Lighthouse's phone profile
(feeling_safe/measuring/phone.py), on a page whose first load has finished, a reader presses
"/" and types a word at phone pace (a key every 150 ms). Two clocks stop when
the list first shows a result for the whole word: one started at "/", one at
the last keystroke. A result "for the word" is a link to a place the word is:

- a title word: the pages whose title holds it;
- a body word: a section whose text holds it but whose title does not, so
  only a full-text search can find it (the word is chosen from the built
  index, not written here, so copy edits do not break the bench).

The sites are timed in turn, run after run (ours, default, ours, ...), each
in a fresh browser profile, so a slow moment of the machine falls on both;
min, median and max are reported.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from urllib.parse import urljoin

from feeling_safe.measuring.phone import phone_page
from feeling_safe.pages import html as pages_html
from feeling_safe.publishing import stemming
from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS

KEY_DELAY_MS = 150
TITLE_WORD = "alliance"
# A body word: long enough to be a real word a reader would type, not a stop word.
BODY_WORD_LETTERS = 7
# A reader reads before searching: time for the fetches a page makes when idle.
SETTLE_MS = 5000

# Installed before "/" is pressed: the page notes "/", each keystroke, and the first list
# change after the word's last keystroke at which a wanted link is listed. If the list was
# already right and does not change again, the wait after the last key counts as nothing.
_WATCH = """([wanted, length]) => {
  const want = new Set(wanted);
  const t = window.__searchTiming = { keys: [] };
  const found = () => Array.prototype.some.call(document.querySelectorAll("a.md-search-result__link"),
    (link) => want.has(link.origin + link.pathname + link.hash));  /* Material adds ?h=word */
  const note = () => {
    if (t.keys.length === length && t.after === undefined && found()) t.after = performance.now();
  };
  addEventListener("keydown", (e) => {
    const now = performance.now();
    if (e.key === "/" && t.slash === undefined) { t.slash = now; return; }
    t.keys.push(now);
    if (t.keys.length === length) setTimeout(() => {
      if (t.after === undefined && found()) t.after = now;
    }, 5000);
  }, true);
  new MutationObserver(note).observe(document.body, { childList: true, subtree: true, characterData: true });
}"""


@dataclass(frozen=True)
class Query:
    word: str
    wanted: frozenset[str]   # locations in the search index ("page/" or "page/#anchor")


def _lower_text(fragment: str) -> str:
    return pages_html.fragment_text(fragment).lower()


def _has(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def title_query(index: dict, word: str = TITLE_WORD) -> Query:
    """The pages (not sections) whose title holds `word`."""
    wanted = {doc["location"] for doc in index["docs"]
              if "#" not in doc["location"] and _has(word, _lower_text(doc.get("title", "")))}
    if not wanted:
        raise ValueError(f"no page title holds {word!r}")
    return Query(word, frozenset(wanted))


def body_query(index: dict, letters: int = BODY_WORD_LETTERS, lang: str = "en") -> Query:
    """The body-only word in the most sections (ties: alphabetical), and those sections.

    Body-only: no form of it (read and stemmed as the word index reads words,
    feeling_safe/publishing/stemming.py) is in any title or heading, so neither
    our headings nor Material's title boost can answer it."""
    steps = stemming.language_rules(lang)["steps"]
    titled = {stemming.stem(word, steps) for doc in index["docs"] for word in stemming.words(_lower_text(doc.get("title", "")))}
    where: dict[str, set[str]] = {}
    for doc in index["docs"]:
        for word in set(stemming.words(_lower_text(doc.get("text", "")))):
            if len(word) >= letters and word.isalpha() and stemming.stem(word, steps) not in titled:
                where.setdefault(word, set()).add(doc["location"])
    if not where:
        raise ValueError("no body-only word in the search index")
    word, places = min(where.items(), key=lambda item: (-len(item[1]), item[0]))
    return Query(word, frozenset(places))


def same_word(index: dict, query: Query) -> Query:
    """`query`'s word in another build of the same pages: the places its text holds it."""
    places = {doc["location"] for doc in index["docs"] if _has(query.word, _lower_text(doc.get("text", "")))}
    if not places:
        raise ValueError(f"{query.word!r} is in no section's text")
    return Query(query.word, frozenset(places))


@dataclass(frozen=True)
class Timing:
    from_slash: float        # ms from "/" to a result for the whole word
    from_last_key: float     # ms from the word's last keystroke to it (0 when it was already listed)


def time_query(browser, url: str, site_base: str, query: Query, timeout_ms: float = 60_000) -> Timing:
    """One reader: load `url`, wait for the page to settle, press "/", type the word."""
    context, page, _ = phone_page(browser)
    try:
        page.goto(url, wait_until="networkidle", timeout=timeout_ms)
        page.wait_for_timeout(SETTLE_MS)  # idle-time fetches, as a reader who reads first
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        page.evaluate(_WATCH, [sorted(urljoin(site_base, place) for place in query.wanted), len(query.word)])
        page.keyboard.press("/")
        page.keyboard.type(query.word, delay=KEY_DELAY_MS)
        page.wait_for_function("() => __searchTiming.after !== undefined", timeout=timeout_ms)
        t = page.evaluate("({ slash: __searchTiming.slash, keys: __searchTiming.keys, after: __searchTiming.after })")
        return Timing(t["after"] - t["slash"], t["after"] - t["keys"][-1])
    finally:
        context.close()


@dataclass(frozen=True)
class Spread:
    low: float
    median: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(min(values), statistics.median(values), max(values))


def alternated(names: list[str], runs: int) -> list[str]:
    """ours, default, ours, default...: each run times every site once, in turn."""
    return [name for _ in range(runs) for name in names]


def search_times(sites: dict[str, tuple[str, str, dict]], runs: int = 5) -> dict[str, dict[str, dict[str, Spread]]]:
    """{site: {"title"|"body": {"from /"|"from last key": Spread}}} for each named site,
    given (page URL, site base URL, its search index)."""
    from playwright.sync_api import sync_playwright
    # One word for every site, chosen from the first site's index (ours): the sites' places for it.
    first = next(iter(sites.values()))[2]
    chosen = {"title": title_query(first), "body": body_query(first)}
    queries = {name: {"title": title_query(index, chosen["title"].word), "body": same_word(index, chosen["body"])}
               for name, (_, _, index) in sites.items()}
    raw: dict[str, dict[str, list[Timing]]] = {name: {"title": [], "body": []} for name in sites}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in alternated(list(sites), runs):
                url, base, _ = sites[name]
                for kind, query in queries[name].items():
                    raw[name][kind].append(time_query(browser, url, base, query))
        finally:
            browser.close()
    return {name: {kind: {"from /": Spread.of([t.from_slash for t in times]),
                          "from last key": Spread.of([t.from_last_key for t in times])}
                   for kind, times in kinds.items()}
            for name, kinds in raw.items()}
