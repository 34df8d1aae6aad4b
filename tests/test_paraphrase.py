"""The paraphrase check (feeling_safe/content/paraphrase.py): the guide passes, a planted paraphrase does not.

The seed article lives outside the repository (../shared/source/seed-article.txt,
beside the clone in CI). If it is missing, these tests fail saying so: a check
that quietly skips would let a paraphrase through.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from feeling_safe.content import paraphrase
from sitebuild import ROOT

MISSING_SEED = (f"{paraphrase.SEED} is missing: the paraphrase check needs the source article at "
                "../shared/source/seed-article.txt beside the repository (see ../shared/source/README.md)")

# Seed sentences with a few words swapped, as a writer might "reword" them.
PLANTED = [
    "Psychological safety is the feeling that you can bring your whole experience into the "
    "therapy room without having to censor, perform, or guard yourself.",
    "These feelings are not failures on the client's part.",
    "If safety feels low, bringing this into the conversation can be a strong step.",
]
FRESH = [
    "You can bring a note to your first session and read from it.",
    "Ask for the fees in writing before you agree to anything.",
]


@pytest.fixture()
def seed() -> Path:
    assert paraphrase.SEED.is_file(), MISSING_SEED
    return paraphrase.SEED


@pytest.fixture()
def planted_page(tmp_path) -> Path:
    """A page with front matter, planted paraphrases, and fresh sentences between them."""
    page = tmp_path / "docs" / "planted.md"
    page.parent.mkdir()
    lines = ["---", "title: Planted", "description: A page that rewords the source article too closely.", "---",
             "", "# Planted", ""]
    for planted, fresh in zip(PLANTED, FRESH + [""]):
        lines += [planted, "", fresh, ""]
    page.write_text("\n".join(lines), encoding="utf-8")
    return page


@pytest.mark.content
def test_the_guide_keeps_no_seed_sentence_shape(seed):
    found = paraphrase.check([str(ROOT / "docs")], seed)
    assert not found, "rewrite these freshly:\n" + "\n".join(
        f'{m.page.where}: {m.score:.2f} "{m.page.text}" ~ "{m.seed.text}"' for m in found)


def test_a_planted_paraphrase_is_caught_and_located(seed, planted_page):
    found = paraphrase.check([str(planted_page)], seed)
    assert sorted(m.page.text for m in found) == sorted(PLANTED)
    body_start = planted_page.read_text(encoding="utf-8").splitlines().index("# Planted") + 1
    for m in found:
        line = int(m.page.where.rsplit(":", 1)[1])
        assert planted_page.read_text(encoding="utf-8").splitlines()[line - 1] == m.page.text
        assert line > body_start
    assert paraphrase.main([str(planted_page), "--seed", str(seed)]) == 1


@pytest.mark.parametrize("every", [3, 4])
def test_every_seed_sentence_with_a_third_of_its_words_swapped_is_caught(seed, every):
    """The calibration claim in the module docstring, as a test."""
    seeds = [s for s in paraphrase.seed_sentences(seed) if len(s.stems) >= paraphrase.MIN_WORDS]
    fakes = [paraphrase.Sentence("planted", text, paraphrase.stems(text))
             for text in (paraphrase.planted(s, every) for s in seeds)]
    missed = [m.page.text for m in paraphrase.best_matches(fakes, seeds) if m.score < paraphrase.THRESHOLD]
    assert len(seeds) > 40 and not missed, missed


def test_citations_links_and_code_are_not_part_of_a_sentence(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: T\n---\n\nRead [the page](other.md){ .x } now [@key-2018].\n\n"
                    "```\ncode here is skipped entirely\n```\n", encoding="utf-8")
    assert [s.text for s in paraphrase.page_sentences(page, "page.md")] == ["Read the page now ."]


def test_spelling_and_endings_do_not_hide_a_shared_word():
    assert paraphrase.stem("behaviours") == paraphrase.stem("behaviors") == paraphrase.stem("behavior")
    assert paraphrase.stem("minimisation") == paraphrase.stem("minimization")
    assert paraphrase.stem("reframing") == paraphrase.stem("reframed")


def test_a_missing_seed_is_one_clear_error(tmp_path, capsys):
    missing = tmp_path / "seed-article.txt"
    with pytest.raises(FileNotFoundError, match="seed-article.txt"):
        paraphrase.check([str(ROOT / "docs")], missing)
    assert paraphrase.main(["docs", "--seed", str(missing)]) == 2
    assert "source article is missing" in capsys.readouterr().err
