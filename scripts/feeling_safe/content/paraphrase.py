"""Sentences in the guide that keep a source-article sentence's shape with a few words swapped.

Why: the originality hook (../shared/hooks/originality) only catches runs of
seven identical words. A sentence can keep the seed article's structure and
most of its words, with one word in three swapped, and never share seven in a
row. This check compares every sentence of docs/ with every sentence of the
seed article (../shared/source/seed-article.txt) and flags close pairs.

How a pair is scored (no network, no model; pure Python):

- Words are lower-cased and crudely stemmed ("behaviours" -> "behavior",
  "reframing" -> "refram"), so a changed ending or spelling is not a new word.
- `order`: difflib's SequenceMatcher ratio on the two stemmed word sequences,
  function words included: high when the words come in the same order.
- `cover`: the words SequenceMatcher matched, over the length of the shorter
  sentence: high when a short sentence reuses part of a long one.
- `content`: cosine similarity of TF-IDF weighted content words (function
  words dropped; IDF over the page and seed sentences together), so words that
  every page uses ("therapy", "safety", "therapist") count for little.
- score = (order + cover + content) / 3, for each page sentence against its
  closest seed sentence, when both have at least MIN_WORDS words (shorter ones
  are labels and idea names the guide must share with its outline). The
  article's headings are left out for the same reason. A match is reported at
  the line where the sentence's paragraph starts.

Threshold 0.50, calibrated with `python -m feeling_safe.content.paraphrase --calibrate docs`
(November 2026):

- Planted paraphrases, each of the 66 seed sentences of 6+ words with every
  4th / 3rd / 2nd content word swapped: min 0.60 / 0.57 / 0.43, median
  0.76 / 0.70 / 0.58. All of the first two sets are caught; 62 of 66 of the
  third, whose sentences have lost half their words.
- The guide before the rewrite that came with this check (906 sentences):
  median 0.19, p90 0.29, p99 0.58; 17 at or above 0.50, all of them seed
  sentences reworded ("I feel respected and taken seriously." ~ "Do I feel
  respected and taken seriously?", 0.97).
- The guide after it (1,103 sentences, fresh writing): median 0.19, p90 0.29,
  p99 0.39, max 0.46.

So 0.50 sits above every fresh sentence and below every sentence that keeps
two thirds of a seed sentence's words. What it cannot see is a sentence that
keeps only the seed's frame of small words ("They are not failures on your
part" for "...not failures on the client's part" scores about 0.4): `--top N`
lists the closest pairs below the threshold for a person to read.
"""
from __future__ import annotations

import argparse
import difflib
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

THRESHOLD = 0.50
MIN_WORDS = 6
ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT.parent / "shared" / "source" / "seed-article.txt"

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(["a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "don't", "down", "each", "even", "ever", "every", "few", "for", "from", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "it's", "its", "itself", "just", "let", "me", "more", "most", "much", "my", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "still", "such", "than", "that", "that's", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "i'm", "you're", "can't", "isn't", "it'll", "we'll"])  # noqa: E501


@dataclass(frozen=True)
class Sentence:
    where: str   # "docs/page.md:12", or "seed:34"
    text: str
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    page: Sentence
    seed: Sentence
    score: float
    order: float     # SequenceMatcher ratio
    cover: float     # matched words / words in the shorter sentence
    content: float   # TF-IDF cosine of content words


# --- Words --------------------------------------------------------------------

def stem(word: str) -> str:
    """A crude stem: US spelling, then common endings off, so endings don't hide a shared word."""
    w = word.replace("'s", "").replace("'", "")
    if len(w) > 5:
        w = re.sub(r"our(s|ed|ing|al)?$", r"or\1", w)          # behaviour -> behavior
        w = re.sub(r"is(e|es|ed|ing|ation|ations)$", r"iz\1", w)  # minimise -> minimize
    for suffix, repl in (("izations", "iz"), ("ization", "iz"), ("izing", "iz"), ("ized", "iz"),
                         ("izes", "iz"), ("ize", "iz"), ("ically", "ic"), ("ness", ""),
                         ("ments", ""), ("ment", ""), ("ations", "at"), ("ation", "at"),
                         ("ingly", ""), ("ings", ""), ("ing", ""), ("edly", ""), ("ied", "y"),
                         ("ies", "y"), ("ed", ""), ("es", ""), ("ly", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


def content(words_: tuple[str, ...]) -> list[str]:
    return [w for w in words_ if w not in STOPWORDS and not w.isdigit()]


# --- Sentences ----------------------------------------------------------------

_SPLIT = re.compile(r"(?<=[.!?])[\"'\u201d)]*\s+(?=[\"'\u201c(]*[A-Z0-9])")


def split_sentences(block: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(block) if s.strip()]


def _markdown_to_text(line: str) -> str:
    """One Markdown line as plain words: links keep their text; tags, citations, attributes go."""
    line = re.sub(r"<!--.*?-->", " ", line)
    line = re.sub(r"\[@[^\]]*\]", " ", line)                      # [@key]
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)       # [text](url)
    line = re.sub(r"\{[:#.][^}]*\}|\{ [^}]*\}", " ", line)       # { .class } attribute lists
    line = re.sub(r"<[^>]+>", " ", line)                          # HTML tags
    line = re.sub(r"`[^`]*`", " ", line)
    line = re.sub(r"^\s*(?:[-*+]|\d+\.|#+|!!!.*|>)\s*", "", line)
    line = line.replace("**", "").replace("__", "")
    return " ".join(line.split())


def _front_matter(text: str) -> tuple[dict, str, int]:
    """(front matter, body, line number the body starts on)."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            meta = yaml.safe_load(text[3:end]) or {}
            closing_line = text.count("\n", 0, end + 1) + 1  # the body starts after its '---'
            return (meta if isinstance(meta, dict) else {}), text[end + 4:], closing_line
    return {}, text, 1


def page_sentences(path: Path, label: str) -> list[Sentence]:
    """Every sentence a reader sees on a page: front-matter prose, then the body, with line numbers."""
    text = path.read_text(encoding="utf-8")
    meta, body, first_line = _front_matter(text)
    found: list[Sentence] = []
    prose = [meta.get("description"), meta.get("covers")]
    prose += [t.get("definition") for t in meta.get("terms") or [] if isinstance(t, dict)]
    for value in prose:
        if isinstance(value, str):
            found += [Sentence(f"{label}:1", s, stems(s)) for s in split_sentences(" ".join(value.split()))]
    block: list[str] = []
    start = first_line
    in_code = False

    def flush() -> None:
        joined = " ".join(block)
        found.extend(Sentence(f"{label}:{start}", s, stems(s)) for s in split_sentences(joined))
        block.clear()

    for number, raw in enumerate(body.splitlines(), start=first_line):
        if raw.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            flush()
            continue
        starts_item = re.match(r"^\s*(?:[-*+]|\d+\.|#+|!!!)\s", raw) is not None
        line = "" if in_code else _markdown_to_text(raw)
        if not line or starts_item:
            flush()
            start = number
        if line:
            if not block:
                start = number
            block.append(line)
    flush()
    return found


def is_heading(line: str) -> bool:
    """A title-case line with no closing full stop: the article's title, byline and section names."""
    long_words = [w for w in re.findall(r"[A-Za-z\u2019']+", line) if len(w) > 3]
    capitals = sum(w[0].isupper() for w in long_words)
    return bool(long_words) and capitals / len(long_words) >= 0.6 and not line.rstrip().endswith((".", ":"))


def seed_sentences(path: Path) -> list[Sentence]:
    """The article's sentences (each line is a paragraph or list item); its headings are left out.

    Headings name topics ("How Psychological Safety Develops in Therapy"), which the
    guide's page titles and links must name too; they are not sentences to reword.
    """
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not is_heading(line):
            found += [Sentence(f"seed:{number}", s, stems(s)) for s in split_sentences(line.strip())]
    return found


def docs_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(p.rglob("*.md")) if p.is_dir() else [p]
    return files


# --- Scoring ------------------------------------------------------------------

class Scorer:
    """Scores pairs with IDF weights from all the sentences it was given."""

    def __init__(self, sentences: list[Sentence]):
        df = Counter(w for s in sentences for w in set(content(s.stems)))
        n = len(sentences)
        self.idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self._vectors: dict[tuple[str, ...], tuple[dict[str, float], float]] = {}

    def vector(self, words_: tuple[str, ...]) -> tuple[dict[str, float], float]:
        if words_ not in self._vectors:
            counts = Counter(content(words_))
            vec = {w: c * self.idf.get(w, 1.0) for w, c in counts.items()}
            self._vectors[words_] = (vec, math.sqrt(sum(v * v for v in vec.values())))
        return self._vectors[words_]

    def cosine(self, a: tuple[str, ...], b: tuple[str, ...]) -> float:
        (va, na), (vb, nb) = self.vector(a), self.vector(b)
        if not na or not nb:
            return 0.0
        return sum(v * vb.get(w, 0.0) for w, v in va.items()) / (na * nb)

    def match(self, page: Sentence, seed: Sentence) -> Match:
        matcher = difflib.SequenceMatcher(None, page.stems, seed.stems, autojunk=False)
        order = matcher.ratio()
        matched = sum(block.size for block in matcher.get_matching_blocks())
        cover = matched / min(len(page.stems), len(seed.stems))
        cos = self.cosine(page.stems, seed.stems)
        return Match(page, seed, (order + cover + cos) / 3, order, cover, cos)


def best_matches(pages: list[Sentence], seeds: list[Sentence]) -> list[Match]:
    """For each page sentence long enough to judge, its closest seed sentence."""
    scorer = Scorer(pages + seeds)
    seeds = [s for s in seeds if len(s.stems) >= MIN_WORDS]
    found = []
    for page in pages:
        if len(page.stems) < MIN_WORDS:
            continue
        found.append(max((scorer.match(page, seed) for seed in seeds), key=lambda m: m.score))
    return found


def check(paths: list[str], seed: Path = SEED, threshold: float = THRESHOLD) -> list[Match]:
    """Pairs scoring at or above `threshold`, worst first."""
    if not seed.is_file():
        raise FileNotFoundError(
            f"{seed}: the source article is missing; the paraphrase check needs "
            "../shared/source/seed-article.txt beside the repository (see ../shared/source/README.md)")
    pages = [s for f in docs_files(paths) for s in page_sentences(f, f.as_posix())]
    found = [m for m in best_matches(pages, seed_sentences(seed)) if m.score >= threshold]
    return sorted(found, key=lambda m: -m.score)


# --- Calibration ----------------------------------------------------------------

SYNONYMS = {
    "people": "clients", "feel": "sense", "feeling": "sensing", "safe": "secure", "often": "frequently",
    "help": "support", "helps": "supports", "important": "vital", "without": "lacking", "may": "might",
    "therapy": "treatment", "therapist": "clinician", "change": "growth", "trust": "confidence",
    "emotional": "affective", "emotions": "feelings", "research": "evidence", "shows": "suggests",
    "clients": "patients", "allows": "lets", "builds": "creates", "strong": "solid", "new": "fresh",
}


def planted(seed: Sentence, every: int = 3) -> str:
    """A paraphrase of `seed` of the kind this check must catch: every `every`-th content word swapped."""
    out, n = [], 0
    for word in words(seed.text):
        if word in STOPWORDS:
            out.append(word)
            continue
        n += 1
        out.append(SYNONYMS.get(word, f"zz{word[::-1]}") if n % every == 1 else word)
    return " ".join(out)


def calibrate(paths: list[str], seed: Path = SEED) -> str:
    """Score distributions: the pages' sentences, and planted paraphrases of every seed sentence."""
    seeds = seed_sentences(seed)
    pages = [s for f in docs_files(paths) for s in page_sentences(f, f.as_posix())]
    real = sorted(m.score for m in best_matches(pages, seeds))
    long_seeds = [s for s in seeds if len(s.stems) >= MIN_WORDS]
    fakes = {every: [Sentence("planted", planted(s, every), stems(planted(s, every))) for s in long_seeds]
             for every in (2, 3, 4)}
    lines = [f"threshold {THRESHOLD}, pairs of {MIN_WORDS}+ words"]

    def summary(name: str, scores: list[float]) -> str:
        scores = sorted(scores)
        q = lambda p: scores[min(len(scores) - 1, int(p * len(scores)))]  # noqa: E731
        above = sum(s >= THRESHOLD for s in scores)
        return (f"{name}: n={len(scores)} min={scores[0]:.2f} p50={q(.5):.2f} p90={q(.9):.2f} "
                f"p99={q(.99):.2f} max={scores[-1]:.2f}; at or above threshold: {above}")

    lines.append(summary("docs sentences (best seed match)", real))
    for every, sentences in fakes.items():
        scores = [m.score for m in best_matches(sentences, seeds)]
        lines.append(summary(f"planted, 1 content word in {every} swapped", scores))
    buckets = Counter(min(int(s * 20), 19) for s in real)
    lines.append("docs histogram: " + " ".join(f"{b / 20:.2f}:{buckets[b]}" for b in sorted(buckets)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["docs"])
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--calibrate", action="store_true", help="print score distributions and exit")
    parser.add_argument("--top", type=int, default=0, help="also list the N closest pairs below the threshold")
    args = parser.parse_args(argv)
    try:
        if args.calibrate:
            print(calibrate(args.paths, args.seed))
            return 0
        found = check(args.paths, args.seed, 0.0 if args.top else args.threshold)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    flagged = [m for m in found if m.score >= args.threshold]
    shown = flagged + [m for m in found if m.score < args.threshold][: args.top]
    for m in shown:
        print(f'{m.page.where}: {m.score:.2f} (order {m.order:.2f}, cover {m.cover:.2f}, words {m.content:.2f}) '
              f'"{m.page.text}" ~ {m.seed.where}: "{m.seed.text}"')
    if flagged:
        print(f"{len(flagged)} sentence(s) keep the shape of a source-article sentence: rewrite them freshly.")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
