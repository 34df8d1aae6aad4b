"""Phone numbers as links.

Why: a number written for people (+44 20 7946 0000, (555) 010-2000) must
still dial when tapped; `tel:` wants only digits and a leading plus.
"""
from __future__ import annotations

import re


def tel_href(phone: str) -> str:
    """`+44 20 7946 0000` -> `tel:+442079460000`: digits and the plus only."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)
