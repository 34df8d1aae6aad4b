"""Search at once from the word index (search/words.json): feeling_safe/publishing/word_search.py
builds it, feeling_safe/publishing/stemming.py makes its words, lean.js answers from it.

The words the browser tests type are chosen from the built index at test time (a word only in
body text, a word in a title), never written here, so the tests follow the guide's content.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from feeling_safe.pages import html as pages_html
from feeling_safe.pages.html import fragment_text
from feeling_safe.publishing import stemming
from feeling_safe.publishing.word_search import (
    ADDRESS,
    DIGITS,
    WORD_INDEX,
    decode_gaps,
    encode_gaps,
    indexed,
    read_index,
    word_index,
    write_word_index,
)
from pagecheck import DESKTOP

ARTICLE = "what-it-is/"
QUICK_RESULT = ".md-search-result__item[data-fst-quick]"
FULL_RESULT = ".md-search-result__item:not([data-fst-quick])"
BUNDLE = "**/assets/javascripts/bundle.*.min.js"
ENGLISH = stemming.language_rules("en")["steps"]


# --- words and stems --------------------------------------------------------------------------

def test_words_are_letters_and_digits_lower_case_without_accents():
    assert stemming.words("Éxito: l'ÉTÉ 2024, naïve—ÇA_va") == ["exito", "l", "ete", "2024", "naive", "ca", "va"]
    assert stemming.words("Ελπίδα καλή") == ["ελπιδα", "καλη"]  # any script's letters
    assert stemming.words("<b>&amp;</b>") == ["b", "amp", "b"]  # text, as it is given


@pytest.mark.parametrize("forms", [
    ("therapist", "therapists"), ("therapy", "therapies"), ("feel", "feeling", "feels"),
    ("worry", "worries", "worried", "worrying"), ("stop", "stopping", "stopped", "stops"),
    ("care", "caring", "cared", "cares"), ("talk", "talked", "talking"), ("safe", "safely"),
])
def test_english_forms_of_a_word_share_a_stem(forms):
    assert len({stemming.stem(form, ENGLISH) for form in forms}) == 1, forms


@pytest.mark.parametrize("apart", [("distress", "distre"), ("status", "statu"), ("bring", "br"), ("red", "r")])
def test_short_and_sibilant_endings_are_kept(apart):
    word, wrong = apart
    assert stemming.stem(word, ENGLISH) != wrong


def test_rules_are_chosen_by_the_sites_language():
    assert stemming.language_rules("en-GB") is stemming.RULES["en"]
    assert "the" in stemming.language_rules("EN-us")["stop"]
    assert stemming.language_rules("es-US") is stemming.RULES["es"]
    other = stemming.language_rules("fr-CA")  # no French rules: words folded, not stemmed
    assert other == {"stop": [], "steps": []}
    assert stemming.stem("thérapies", other["steps"]) == "thérapies"


SPANISH = stemming.language_rules("es")["steps"]


@pytest.mark.parametrize("forms", [
    ("terapeuta", "terapeutas", "terapeuto", "terapeutos"), ("limite", "limites"), ("sesion", "sesiones"),
    ("seguro", "segura", "seguros", "seguras"), ("mes", "meses"), ("vez", "veces"), ("queja", "quejas"),
])
def test_spanish_forms_of_a_word_share_a_stem(forms):
    assert len({stemming.stem(form, SPANISH) for form in forms}) == 1, forms


@pytest.mark.parametrize("word", ["casa", "mas", "mes", "vez", "988", "dolor"])
def test_short_spanish_words_and_other_endings_are_kept(word):
    assert stemming.stem(word, SPANISH) == word


@pytest.mark.parametrize("language", sorted(stemming.RULES))
def test_stop_words_are_written_as_words_folds_them(language):
    stop = stemming.RULES[language]["stop"]
    assert stop and all(stemming.words(word) == [word] for word in stop)
    assert len(stop) == len(set(stop))


# --- the index, built from a small Material index ---------------------------------------------

FIXTURE = {"docs": [
    {"location": "", "title": "Home &amp; <em>more</em>", "text": "<p>Welcome. Ruptures happen, see https://example.org/ruptured-page</p>"},
    {"location": "#where-would-you-like-to-start", "title": "Where would you like to start?",
     "text": "<p>A rupture is <b>repaired</b> here.</p>"},
    {"location": "#odd", "title": "I'm here", "text": "<p>Nothing about repairs; call 0800123456 or 988.</p>"},
    {"location": "a/", "title": "Alliance", "text": "<p>An alliance grows. Ruptures too.</p>"},
    {"location": "a/#the-bond", "title": "The bond", "text": "<ul><li>Bonds and <code>repair</code></li></ul>"},
]}


def test_the_index_lists_pages_sections_and_body_stems():
    index = word_index(FIXTURE, "en-US")
    assert index["lang"] == "en" and index["steps"] == ENGLISH and "the" in index["stop"].split()
    # A heading whose anchor is its words joined by "-" is stored as text alone.
    assert index["pages"] == [["Home & more", "", ["Where would you like to start?", ["I'm here", "odd"]]],
                              ["Alliance", "a/", ["The bond"]]]
    addresses, stems = read_index(index)
    assert addresses == [("", ""), ("", "where-would-you-like-to-start"), ("", "odd"), ("a/", ""), ("a/", "the-bond")]
    assert stems[stemming.stem("ruptures", ENGLISH)] == [0, 1, 3]
    assert stems[stemming.stem("repair", ENGLISH)] == [1, 2, 4]
    assert "988" in stems and not [s for s in stems if s.startswith("0800")], "long numbers are left out"
    assert not [s for s in stems if "example" in s], "web addresses are left out"
    assert not {"the", "an", "a", "about"} & set(stems), "stop words are left out"
    # A section's own heading and its page's title match it already: not repeated as its words.
    assert stemming.stem("alliance", ENGLISH) not in stems and stemming.stem("bond", ENGLISH) not in stems


def test_each_stem_is_listed_once_under_its_first_section():
    index = word_index(FIXTURE, "en")
    groups = index["words"].split(",")
    assert len(groups) == 5
    stems = [stem_ for group in groups for stem_ in group.split(" ") if stem_]
    assert len(stems) == len(set(stems)) == len(index["more"].split(" "))
    for group in groups:
        assert group.split(" ") == sorted(group.split(" "))


@pytest.mark.parametrize("numbers", [[0], [0, 1, 2], [3, 40, 41, 2000], list(range(5, 300, 7)), [1, 33, 34 + 32 * 32]])
def test_sections_travel_as_gaps_and_come_back(numbers):
    first, rest = numbers[0], numbers[1:]
    text = encode_gaps(first, rest)
    assert set(text) <= set(DIGITS) and " " not in text and "," not in text
    assert decode_gaps(first, text) == rest
    assert encode_gaps(0, [1]) == "0" and encode_gaps(0, [33]) == "x0" and encode_gaps(0, [2]) == "1"


def test_indexed_words():
    stop = set(stemming.language_rules("en")["stop"])
    assert indexed("rupture", stop) and indexed("988", stop) and indexed("2024", stop)
    assert not indexed("the", stop) and not indexed("x", stop) and not indexed("07700900", stop)


def test_without_materials_index_the_build_says_what_to_do(tmp_path):
    write_word_index(tmp_path, has_search=False, lang="en")  # no search: nothing to do
    assert not (tmp_path / WORD_INDEX).exists()
    with pytest.raises(ValueError, match="list the search plugin before feeling-safe"):
        write_word_index(tmp_path, has_search=True, lang="en")


# --- the built site's index -------------------------------------------------------------------

class Built:
    """The built site's word index beside Material's, as the tests choose words from them."""

    def __init__(self, site_dir: Path):
        self.index = json.loads((site_dir / WORD_INDEX).read_text(encoding="utf-8"))
        self.docs = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        self.addresses, self.stems = read_index(self.index)
        self.steps, self.stop = self.index["steps"], set(self.index["stop"].split())
        self.named = set()  # every word of a title or heading, and its stem
        self.body: dict[str, set[int]] = {}  # every body word -> its sections
        for number, doc in enumerate(self.docs):
            for word in stemming.words(fragment_text(doc["title"])):
                self.named |= {word, stemming.stem(word, self.steps)}
            for word in stemming.words(fragment_text(doc["text"])):
                self.body.setdefault(word, set()).add(number)

    def stem(self, word: str) -> str:
        return stemming.stem(word, self.steps)

    def body_only(self, word: str) -> bool:
        """Only in body text: no title or heading word starts with it or shares its stem."""
        return (word.isalpha() and len(word) >= 5 and indexed(word, self.stop) and self.stem(word) in self.stems
                and self.stem(word) not in self.named and not any(n.startswith(word) for n in self.named))

    def pages_of(self, stem_: str) -> set[str]:
        return {self.addresses[n][0] for n in self.stems[stem_]}

    def sections_of(self, stem_: str) -> set[str]:
        return {f"{self.addresses[n][0]}#{self.addresses[n][1]}" for n in self.stems[stem_] if self.addresses[n][1]}

    def a_body_word(self, fits=lambda word: True) -> str:
        """A body-only word in a few sections of a few pages, at least one a heading's section."""
        for word in sorted(self.body):
            if self.body_only(word) and fits(word):
                stem_ = self.stem(word)
                if 2 <= len(self.stems[stem_]) <= 6 and len(self.pages_of(stem_)) <= 5 and self.sections_of(stem_):
                    return word
        raise AssertionError("no word only in body text found in the built index")


@pytest.fixture(scope="module")
def built(site_dir) -> Built:
    return Built(site_dir)


def test_every_section_of_materials_index_is_addressable(built, site_dir):
    assert set(built.index) == {"lang", "stop", "steps", "pages", "words", "more"}
    assert built.addresses == [tuple(doc["location"].partition("#")[::2]) for doc in built.docs]
    pages = {}
    for location, anchor in built.addresses:
        if location not in pages:
            pages[location] = pages_html.parse((site_dir / location / "index.html").read_text(encoding="utf-8"))
        assert not anchor or pages[location].css_first(f'[id="{anchor}"]'), f"/{location}#{anchor}"
    for title, location, _headings in built.index["pages"]:
        assert title == fragment_text(built.docs[built.addresses.index((location, ""))]["title"])


def test_every_body_word_finds_its_section(built):
    missing = []
    for number, doc in enumerate(built.docs):
        location = built.addresses[number][0]
        page_title = built.docs[built.addresses.index((location, ""))]["title"]
        own = {built.stem(w) for w in stemming.words(f"{fragment_text(page_title)} {fragment_text(doc['title'])}")}
        for word in set(stemming.words(ADDRESS.sub(" ", fragment_text(doc["text"])))):
            stem_ = built.stem(word)
            if indexed(word, built.stop) and stem_ not in own and number not in built.stems.get(stem_, []):
                missing.append((doc["location"], word))
    assert not missing, missing[:10]


# --- in the browser ---------------------------------------------------------------------------

@pytest.fixture()
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def _held_page(desktop, site_url) -> list:
    """The article, loaded and idle, with Material's bundle held back (the routes it waits in)."""
    held = []
    desktop.route(BUNDLE, lambda route: held.append(route))
    desktop.goto(site_url + ARTICLE, wait_until="networkidle")
    desktop.wait_for_function("() => document.querySelector('script[data-bundle]').wordSearch")
    return held


def _ask(desktop, query: str) -> tuple[list[str], list[str]]:
    """Type `query` after "/"; the pages and the sections ours lists, as site paths."""
    desktop.keyboard.press("/")
    desktop.keyboard.type(query)
    desktop.wait_for_selector(QUICK_RESULT + " > a", timeout=15_000)
    def paths(selector):
        return [urlsplit(a.get_attribute("href")) for a in desktop.locator(selector).all()]
    pages = [u.path.lstrip("/") for u in paths(QUICK_RESULT + " > a:first-child")]
    sections = [f"{u.path.lstrip('/')}#{u.fragment}" for u in paths(QUICK_RESULT + " > a:not(:first-child)")]
    return pages, sections


def _relative(site_url: str, paths: list[str]) -> list[str]:
    prefix = urlsplit(site_url).path.lstrip("/")
    return [path.removeprefix(prefix) for path in paths]


def test_the_browser_reads_and_stems_words_as_the_build_does(desktop, site_url, built):
    """lean.js's words and stems, over every title, heading and body text of the built site,
    with the rules the index carries, are Python's."""
    _held_page(desktop, site_url)
    texts = [fragment_text(doc[field]) for doc in built.docs for field in ("title", "text")]
    theirs = desktop.evaluate("""([texts, steps]) => {
        const search = document.querySelector('script[data-bundle]').wordSearch;
        const split = texts.map((text) => search.words(text));
        const vocabulary = [...new Set(split.flat())].sort();
        return [split, vocabulary, vocabulary.map((word) => search.stem(word, steps))];
    }""", [texts, built.steps])
    split, vocabulary, stems = theirs
    assert split == [stemming.words(text) for text in texts]
    assert len(vocabulary) > 1000
    assert stems == [built.stem(word) for word in vocabulary]


def test_the_browser_stems_spanish_as_the_build_does(desktop, site_url):
    """The Spanish rules (replacements included: veces -> vez) applied by lean.js are Python's."""
    _held_page(desktop, site_url)
    text = "Las veces que usted sintió miedo, los límites, sus terapeutas y las sesiones seguras: meses de quejas."
    theirs = desktop.evaluate("""([text, steps]) => {
        const search = document.querySelector('script[data-bundle]').wordSearch;
        return search.words(text).map((word) => search.stem(word, steps));
    }""", [text, SPANISH])
    assert theirs == [stemming.stem(word, SPANISH) for word in stemming.words(text)]
    assert "vez" in theirs and "limit" in theirs


def test_a_word_only_in_body_text_finds_its_pages_and_sections_at_once(desktop, site_url, built):
    held = _held_page(desktop, site_url)
    word = built.a_body_word()
    pages, sections = _ask(desktop, word + " ")
    assert held, "the bundle is still held: these answers are ours"
    stem_ = built.stem(word)
    assert set(_relative(site_url, pages)) == built.pages_of(stem_), word
    assert sections and set(_relative(site_url, sections)) <= built.sections_of(stem_), word


@pytest.mark.parametrize("ending", ["s", "ing"])
def test_another_form_of_a_word_finds_it(desktop, site_url, built, ending):
    """A plural or -ing form the text never uses finds the sections that use the word."""
    _held_page(desktop, site_url)
    word = built.a_body_word(lambda w: w + ending not in built.body and w[-1] not in "sey"
                             and built.stem(w + ending) == built.stem(w))
    pages, _ = _ask(desktop, word + ending + " ")
    assert set(_relative(site_url, pages)) == built.pages_of(built.stem(word)), word + ending


def test_a_word_with_its_ending_half_typed_finds_it(desktop, site_url, built):
    """As the reader types, "acceptin" already finds what "accepting" finds."""
    _held_page(desktop, site_url)
    word = built.a_body_word(lambda w: w.endswith("ing") and built.stem(w) != w
                             and not [s for s in built.stems if s.startswith(w[:-1])])
    pages, _ = _ask(desktop, word[:-1])
    assert built.pages_of(built.stem(word)) <= set(_relative(site_url, pages)), word[:-1]


def test_accents_need_not_match(desktop, site_url, built):
    _held_page(desktop, site_url)
    word = built.a_body_word(lambda w: any(vowel in w for vowel in "aeiou"))
    accented = "".join({"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü"}.get(c, c) for c in word)
    pages, _ = _ask(desktop, accented.capitalize() + " ")
    assert set(_relative(site_url, pages)) == built.pages_of(built.stem(word)), accented


def test_pages_with_the_word_in_their_title_come_first(desktop, site_url, built):
    _held_page(desktop, site_url)
    titles = {location: stemming.words(title) for title, location, _ in built.index["pages"]}
    chosen = None
    for word in sorted(built.body):
        stem_ = built.stem(word)
        titled = {location for location, named in titles.items()  # as lean.js matches a title
                  if any(w.startswith(word) or built.stem(w) == stem_ for w in named)}
        if word.isalpha() and len(word) >= 5 and not built.body_only(word) and stem_ in built.stems \
                and titled and len(built.pages_of(stem_) - titled) >= 2 and len(titled) <= 3:
            chosen = word, titled
            break
    assert chosen, "no title word that body text elsewhere also uses"
    word, titled = chosen
    pages = _relative(site_url, _ask(desktop, word + " ")[0])
    assert set(pages[:len(titled)]) == titled and len(pages) > len(titled), (word, pages)


def test_results_show_titles_and_headings_as_text(desktop, site_url):
    hostile = json.dumps({"lang": "en", "stop": "", "steps": [], "words": "", "more": "", "pages": [
        ["<img src=x id=injected>Alliance", ARTICLE, [["<b>alliance</b> &amp; more", "x"]]]]})
    desktop.route("**/" + WORD_INDEX, lambda route: route.fulfill(body=hostile, content_type="application/json"))
    _held_page(desktop, site_url)
    _ask(desktop, "alliance")
    assert desktop.locator("#injected, .md-search-result b").count() == 0
    text = desktop.locator(QUICK_RESULT).inner_text()
    assert "<img src=x id=injected>Alliance" in text and "<b>alliance</b> &amp; more" in text


def test_materials_results_take_over_without_a_gap_or_a_lost_query(desktop, site_url, built):
    """The reader's query, typed while the bundle is on its way, is answered by ours and then
    by Material's, and the list is never empty in between."""
    held = _held_page(desktop, site_url)
    word = built.a_body_word()
    ours, _ = _ask(desktop, word)
    desktop.evaluate("""() => {
        const list = document.querySelector('.md-search-result__list');
        window.__sizes = [];
        new MutationObserver(() => __sizes.push(list.children.length)).observe(list, { childList: true });
    }""")
    assert held
    held[0].continue_()
    desktop.wait_for_selector(FULL_RESULT + " a", timeout=60_000)
    full = [urlsplit(a.get_attribute("href")).path.lstrip("/") for a in desktop.locator(FULL_RESULT + " > a").all()]
    assert desktop.input_value(".md-search__input") == word
    assert set(ours) & set(full), "Material answers the same query"
    assert 0 not in desktop.evaluate("window.__sizes"), "the list was emptied before Material's results"
    assert desktop.locator(QUICK_RESULT).count() == 0
    desktop.keyboard.press("Backspace")
    desktop.wait_for_timeout(300)
    assert desktop.locator(QUICK_RESULT).count() == 0, "once Material answers, it alone answers"


def test_each_index_reaches_the_network_once_per_visit(browser, nginx_url):
    """As nginx serves the site: the word index (fetched at idle) and Material's index
    (asked for beside the bundle, then by the bundle) each come over the network once."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        sent, cached = [], set()
        cdp.on("Network.responseReceived", lambda event: sent.append(event))
        cdp.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
        cdp.send("Network.enable")
        page.goto(nginx_url + ARTICLE, wait_until="networkidle")
        page.keyboard.press("/")
        page.keyboard.type("alliance")
        page.wait_for_selector(FULL_RESULT + " a", timeout=60_000)
        page.wait_for_timeout(500)
        def fetched(name):
            return [e for e in sent if urlsplit(e["response"]["url"]).path.endswith(name)]
        def from_network(name):
            return [e for e in fetched(name) if e["requestId"] not in cached and not e["response"].get("fromDiskCache")]
        for name in ("search/search_index.json", WORD_INDEX):
            assert fetched(name), f"{name} never asked for"
            assert len(from_network(name)) == 1, (name, len(from_network(name)))
        assert len(fetched("search/search_index.json")) == 2, "asked for beside the bundle, then by it"
    finally:
        context.close()


@pytest.mark.parametrize("path, at_idle", [(ARTICLE, True), ("self-check/", False), ("get-help-now/", False)])
def test_a_page_with_a_tool_of_its_own_fetches_the_words_only_when_asked(desktop, site_url, built, path, at_idle):
    """Reading pages fetch the word index when idle; a page that runs its own tool (its
    front matter's scripts, or quick exit) leaves it until the reader reaches for search,
    and still answers a body-only word as they type."""
    asked = []
    desktop.on("request", lambda request: asked.append(urlsplit(request.url).path))
    held = []
    desktop.route(BUNDLE, lambda route: held.append(route))
    desktop.goto(site_url + path, wait_until="load")
    tools = desktop.locator("script[src*='page-tools.']").count()
    assert (tools == 0) == at_idle, "the rule is: a page with a tools file waits"
    desktop.wait_for_timeout(3500)  # past lean.js's idle timeout (3 s)
    assert any(p.endswith(WORD_INDEX) for p in asked) == at_idle
    pages, _ = _ask(desktop, built.a_body_word())
    assert pages, "a body-only word is answered from the index fetched on intent"
    assert sum(p.endswith(WORD_INDEX) for p in asked) == 1


def test_a_stalled_word_index_does_not_hold_the_full_search_up(desktop, site_url):
    """The word index never answers: Material's bundle is still asked for, within seconds."""
    stalled = []
    desktop.route("**/" + WORD_INDEX, lambda route: stalled.append(route))
    desktop.goto(site_url + "self-check/", wait_until="load")
    with desktop.expect_request(BUNDLE, timeout=10_000):
        desktop.keyboard.press("/")
    assert stalled, "the word index was asked for first"


def test_slash_opens_search_while_the_full_search_is_still_loading(desktop, site_url):
    """A reach for search (the pointer over its box) starts the loading; "/" pressed before
    Material's bundle runs still opens search and puts the caret in the box."""
    held = []
    desktop.route(BUNDLE, lambda route: held.append(route))
    desktop.goto(site_url + ARTICLE, wait_until="networkidle")
    desktop.locator(".md-search__input").hover()
    desktop.mouse.move(0, 0)
    desktop.keyboard.press("/")
    assert desktop.evaluate("document.getElementById('__search').checked")
    assert desktop.evaluate("document.activeElement.classList.contains('md-search__input')")
