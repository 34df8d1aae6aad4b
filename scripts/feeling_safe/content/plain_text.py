"""Text from a data or clinic file, made safe to put into Markdown the build reads again.

Why: a clinic's crisis line or complaint route is text, not markup. HTML
escaping alone is not enough where the text lands in Markdown: `[x](javascript:...)`,
`![img](...)`, `*emphasis*`, `{ onclick=... }` attribute lists and `[@key]`
citations would all still turn into markup. Every sign Markdown or its
extensions read is written as a character reference, which shows as the
same character and means nothing; line breaks become spaces, so the text
cannot start a new block.
"""
from __future__ import annotations

import re
from typing import Any

# Characters that hide or reorder text, or show as nothing: C0 and C1 controls but tab and
# line feed (U+0085, the next-line control, among them), line and paragraph separators
# (U+2028-2029), bidirectional marks, embeddings, overrides and isolates (U+061C,
# U+200E-200F, U+202A-202E, U+2066-2069), zero-width and invisible ones (U+00AD, U+034F,
# U+180E, U+200B-200D, U+2060-2064, U+FEFF), the deprecated format controls U+206A-206F,
# interlinear annotation U+FFF9-FFFB, Hangul fillers that print as blank (U+115F, U+1160,
# U+3164, U+FFA0) and tag characters (U+E0000-E007F). A reader would see something other
# than what the file says.
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u180e"
                    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
                    "\U000e0000-\U000e007f]")


def hidden_character(text: str) -> str | None:
    """The first character in `text` that hides or reorders text, as `U+XXXX`, or None."""
    found = HIDDEN.search(text)
    return f"U+{ord(found.group()):04X}" if found else None

# Links and images need `[`; emphasis `*` and `_`; code "`"; attribute lists `{`; headings `#`
# (the text may follow one); entities `&`; raw HTML `<`. Parentheses alone are harmless.
_SIGNS = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                        "[": "&#91;", "]": "&#93;", "*": "&#42;", "_": "&#95;", "`": "&#96;",
                        "\\": "&#92;", "{": "&#123;", "}": "&#125;", "#": "&#35;"})


def markdown_text(value: Any) -> str:
    """`value` as inert text for Markdown (and HTML): it renders as written, and as nothing else."""
    return " ".join(str(value).split()).translate(_SIGNS)


# What could end a Markdown link's address early or open an attribute list after it.
_HREF_SIGNS = str.maketrans({char: f"%{ord(char):02X}" for char in "()[]{}<>\\`\"' \t\n"})


def markdown_href(href: str) -> str:
    """An address as a Markdown link's destination that stays one: every sign that could end
    it early, `)` above all, or start an attribute list after it (`{onclick=...}`), is
    percent-encoded (a server reads %28 as "(": the same page)."""
    return href.translate(_HREF_SIGNS)
