"""Phone numbers as links.

Why: a number written for people (+44 20 7946 0000, (555) 010-2000, or
+1 212 555 0147 ext. 12) must still dial when tapped; `tel:` wants only
digits and a leading plus, and an extension as RFC 3966's `;ext=`.
"""
from __future__ import annotations

import re
from urllib.parse import quote

# "ext. 12", "ext 12", "extension 12", "x12" at the end of the number.
_EXTENSION = re.compile(r"\s*(?:,\s*)?(?:ext\.?|extension|x)\s*(\d{1,6})\s*$", re.IGNORECASE)


def split_extension(phone: str) -> tuple[str, str | None]:
    """`+1 212 555 0147 ext. 12` -> (`+1 212 555 0147`, `12`); a number without one -> (number, None)."""
    found = _EXTENSION.search(phone)
    if not found or not found.start():
        return phone, None
    return phone[:found.start()], found.group(1)


# "+64 (0)4 555 0123", "+44 (0) 20 ...": the national trunk prefix in brackets, written for callers
# inside the country; dialled after the country code it makes a number that does not connect.
_TRUNK_PREFIX = re.compile(r"\(\s*0\s*\)")


def dial_digits(phone: str) -> str:
    """The main number as a phone dials it: digits and a leading plus only; in an international
    number, a trunk prefix in brackets, `(0)`, is left out (+64 (0)4 555 0123 -> +6445550123)."""
    number = split_extension(phone)[0]
    if number.lstrip().startswith("+"):
        number = _TRUNK_PREFIX.sub("", number)
    return re.sub(r"[^0-9+]", "", number)


def tel_href(phone: str) -> str:
    """`+44 20 7946 0000` -> `tel:+442079460000`; an extension -> `tel:+12125550147;ext=12` (RFC 3966)."""
    extension = split_extension(phone)[1]
    return "tel:" + dial_digits(phone) + (f";ext={extension}" if extension else "")


def sms_href(number: str, keyword: str | None = None) -> str:
    """`sms:741741`, or with a start word `sms:741741?&body=HOME`.

    `?&body=` is the one form both big phone systems read: Android's messaging apps
    take `body` from the query (RFC 5724's `?body=`; the empty pair before it is
    ignored), and iOS Messages, since iOS 8, looks for `&body=`. Where a phone fills
    in neither, the link still opens a message to the right number, and its words
    ("Text HOME to 741741") say what to type.
    """
    href = "sms:" + dial_digits(number)
    return href + f"?&body={quote(keyword)}" if keyword else href
