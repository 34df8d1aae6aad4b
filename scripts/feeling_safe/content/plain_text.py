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

from typing import Any

# Links and images need `[`; emphasis `*` and `_`; code "`"; attribute lists `{`; headings `#`
# (the text may follow one); entities `&`; raw HTML `<`. Parentheses alone are harmless.
_SIGNS = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                        "[": "&#91;", "]": "&#93;", "*": "&#42;", "_": "&#95;", "`": "&#96;",
                        "\\": "&#92;", "{": "&#123;", "}": "&#125;", "#": "&#35;"})


def markdown_text(value: Any) -> str:
    """`value` as inert text for Markdown (and HTML): it renders as written, and as nothing else."""
    return " ".join(str(value).split()).translate(_SIGNS)
