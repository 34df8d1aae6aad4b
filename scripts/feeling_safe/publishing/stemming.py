"""Words as search compares them, the same in Python (the word index, at build) and in the
browser (lean.js, as the reader types).

A word is a run of Unicode letters and digits, lower-cased, its accents folded (NFD, then the
combining accents U+0300-U+036F dropped: "Éxito" -> "exito"), so a reader need not type them.
Stop words (too common to tell pages apart) are dropped; the rest are stemmed by a light
suffix stemmer, so "therapists", "feeling" and "worried" find "therapist", "feel" and "worry".

The stemmer is data, one set of rules per language (RULES, keyed by the primary language
subtag of the site's language): the word index carries its language's rules and stop words
(publishing/word_search.py), and lean.js applies them as they are, so the two sides cannot
drift apart (tests/test_word_search.py runs the browser's stemmer over the whole vocabulary).
A language without rules here gets folded words, unstemmed, and no stop words: search still
works, only without plurals. To add one, add its steps and stop words below (folded, as
`words` makes them).

Rules: a list of steps, applied in order; each step is a list of [suffix, replacement,
shortest stem], and the first rule of a step whose suffix ends the word, leaving at least
"shortest stem" characters before it, replaces that suffix (a rule that replaces a suffix with
itself stops its step: "ss" keeps "distress" from losing its "s").
"""
from __future__ import annotations

import re
import unicodedata

ACCENTS = range(0x300, 0x370)  # the combining accents NFD splits off (lean.js folds the same range)
_DROP_ACCENTS = dict.fromkeys(ACCENTS)  # (a str.translate table)
# A run of letters and digits: a word character (Unicode letters and numbers, and "_") that is
# not "_". The same set, code point for code point, as Unicode's categories L and N.
_WORD = re.compile(r"[^\W_]+")

_ENGLISH_STOP = (
    "a about above after again against all am an and any are as at be because been before being below "
    "between both but by can could did do does doing down during each few for from further had has have "
    "having he her here hers herself him himself his how i if in into is it its itself just me more most "
    "my myself no nor not now of off on once only or other our ours ourselves out over own same she "
    "should so some such than that the their theirs them themselves then there these they this those "
    "through to too under until up very was we were what when where which while who whom why will with "
    "would you your yours yourself yourselves ll re ve")

# Spanish, folded: the articles, pronouns, prepositions and the commonest verbs' forms.
_SPANISH_STOP = (
    "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el "
    "ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba estan estar estas este esto "
    "estos fue fueron ha han hasta hay la las le les lo los mas me mi mis muy nada ni no nos nosotras "
    "nosotros o os otra otras otro otros para pero poco por porque que quien quienes se sea ser si sin "
    "sobre son su sus tambien te tiene tienen todo todos tu tus un una unas uno unos usted ustedes y ya yo")

RULES: dict[str, dict] = {
    "en": {
        "stop": _ENGLISH_STOP.split(),
        "steps": [
            # Plurals and third persons: therapies -> therapy, distresses -> distress, boundaries -> boundary.
            [["sses", "ss", 1], ["ies", "y", 2], ["ss", "ss", 1], ["us", "us", 1], ["is", "is", 1],
             ["s", "", 3]],
            # Verb endings: feeling -> feel, worried -> worry, talked -> talk.
            [["ied", "y", 2], ["ing", "", 3], ["ed", "", 3], ["ly", "", 4]],
            # A doubled consonant left by them: stopping -> stopp -> stop.
            [[c + c, c, 1] for c in "bdgmnprt"],
            # A final e or y, which the endings above drop or change: care, caring, cared -> car;
            # worry, worries, worried -> worri.
            [["e", "", 3], ["y", "i", 2]],
        ],
    },
    # Savoy's light Spanish stemmer (as Lucene's SpanishLightStemmer has it), one step: a word
    # of five letters or more loses its plural and its final vowel, so "terapeutas",
    # "terapeuta" and "terapeuto" meet at "terapeut", "limites" and "limite" at "limit";
    # "meses" -> "mes", "veces" -> "vez" (a z before -es is written c).
    "es": {
        "stop": _SPANISH_STOP.split(),
        "steps": [
            [["eses", "es", 1], ["ces", "z", 2], ["os", "", 3], ["as", "", 3], ["es", "", 3],
             ["o", "", 4], ["a", "", 4], ["e", "", 4]],
        ],
    },
}


def language_rules(lang: str) -> dict:
    """The stop words and stemming steps for a language tag ("en-US" -> English's); a language
    without rules gets none (words folded, not stemmed)."""
    return RULES.get(lang.split("-")[0].lower(), {"stop": [], "steps": []})


def words(text: str) -> list[str]:
    """The words of `text`: runs of Unicode letters and digits, lower-cased, accents folded."""
    return _WORD.findall(unicodedata.normalize("NFD", text.lower()).translate(_DROP_ACCENTS))


def stem(word: str, steps: list) -> str:
    """`word` (already folded) stemmed by `steps` (a language's "steps", as the index carries them)."""
    for rules in steps:
        for suffix, replacement, shortest in rules:
            if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
                word = word[:len(word) - len(suffix)] + replacement
                break
    return word
