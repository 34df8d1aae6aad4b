"""Dates as the guide writes them: one function, fixed English month names.

Why: `strftime("%B")` follows the machine's locale, so the same build could
say "Januar" on one computer; readers, handouts and the API must agree.
"""
from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def human_date(value: dt.date | str) -> str:
    """`2026-11-26` -> `26 November 2026`."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
