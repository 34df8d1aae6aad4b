"""Text that fits only some builds: `<!-- only: us -->` ... `<!-- /only -->` in a page.

Why: a sentence about US state licensing, a UK register or PSYPACT is true
only where it applies. A page wraps such paragraphs in a pair of marker lines
naming what the build must have (every word): a region code (us, uk, ie, ca,
au: the region whose rules and bodies the build speaks of) and, for PSYPACT,
`psypact` (a clinic whose file says its psychologists practise under it).
Builds that have them keep the text and lose the markers; others lose both.
A word written `not-uk` asks for a build that does not hold `uk`: the same thing
said in every other build, and in a clinic's region of its own ("your GP" in the
UK, "your doctor" elsewhere). Glossary terms carry the same words in `only:`.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from feeling_safe.content.complaints import choice

START = re.compile(r"^<!-- only: ([^>]*?) -->[ \t]*$", re.MULTILINE)
BLOCK = re.compile(r"^<!-- only: ([^>]*?) -->[ \t]*\n(.*?)^<!-- /only -->[ \t]*\n?", re.MULTILINE | re.DOTALL)
END = re.compile(r"^<!-- /only -->[ \t]*$", re.MULTILINE)
PSYPACT = "psypact"
NOT = "not-"  # `not-uk`: the build does not hold `uk`


def text_region(complaint_region: Any, crisis_region: Any) -> str | None:
    """The region code whose rules and bodies a build's pages speak of: the complaint region,
    else the crisis region (as "How to raise a concern" picks it); None for a region of one's own."""
    try:
        chosen, _label = choice(complaint_region, crisis_region)
    except ValueError:
        return None
    return chosen if isinstance(chosen, str) else None


def facts(region: str | None, psypact: bool = False) -> frozenset[str]:
    """What a build has, in the words markers use."""
    return frozenset(word for word, held in ((region, region is not None), (PSYPACT, psypact)) if held)


def fits(words: Iterable[str], held: Collection[str]) -> bool:
    return all(word[len(NOT):] not in held if word.startswith(NOT) else word in held for word in words)


def known_word(word: str, known: Collection[str]) -> bool:
    """A word markers may name: a known one, or `not-` and a known one."""
    return (word[len(NOT):] if word.startswith(NOT) else word) in known


def keep_fitting(markdown: str, held: Collection[str]) -> str:
    """The page with each marked block kept (markers dropped) if the build holds all its words, else removed."""
    return BLOCK.sub(lambda match: match.group(2) if fits(match.group(1).split(), held) else "", markdown)


def marker_problems(label: str, markdown: str, known: Collection[str]) -> list[str]:
    """Unknown words, and markers that do not pair up (nesting is not allowed), one line each."""
    problems = []
    for match in START.finditer(markdown):
        unknown = [word for word in match.group(1).split() if not known_word(word, known)]
        if unknown or not match.group(1).split():
            problems.append(f"{label}: <!-- only: {match.group(1)} --> names {', '.join(unknown) or 'nothing'}; "
                            f"use {', '.join(sorted(known))} (or not- and one of them, like not-uk)")
    blocks = BLOCK.findall(markdown)
    if len(blocks) != len(START.findall(markdown)) or len(blocks) != len(END.findall(markdown)) \
            or any(START.search(body) for _words, body in blocks):
        problems.append(f"{label}: an <!-- only: ... --> line and its <!-- /only --> line do not pair up; "
                        "put each pair on their own lines around whole paragraphs, one pair at a time")
    return problems
