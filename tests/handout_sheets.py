"""A handout PDF's sheets as the tests read them, each sheet read once per session.

Why: pypdf reads a page Chromium printed in about a quarter of a second, and
several tests read the same handouts (a clinic's credit, its logo, the words it
must not use); they share one reading of each sheet. Of the booklet only its
contents page is read: after it, the booklet is its handouts page for page
(test_clinic_site.py, test_the_booklet_holds_every_handout_in_reading_order).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypdf import PdfReader

HEADER_MARGIN_MM = 14  # the handout's top margin, where Chromium draws its header


@dataclass(frozen=True)
class Sheet:
    text: str                                       # every word it draws, as pypdf extracts them
    header_text: str                                # the words drawn in its top margin
    colours: tuple[tuple[float, float, float], ...]  # the fill and stroke colours it (and its forms) sets


@cache
def pdf(path: Path) -> PdfReader:
    """The PDF at `path`, opened once."""
    return PdfReader(io.BytesIO(path.read_bytes()))


def sheets_to_read(path: Path) -> list[Sheet]:
    """A handout's sheets; of the booklet, its contents page only."""
    count = 1 if path.name == "booklet.pdf" else len(pdf(path).pages)
    return [_sheet(path, number) for number in range(count)]


@cache
def _sheet(path: Path, number: int) -> Sheet:
    page = pdf(path).pages[number]
    top = float(page.mediabox.top) - HEADER_MARGIN_MM / 25.4 * 72
    in_header = []

    def visit(text, cm, tm, font, size):
        if tm[5] * cm[3] + cm[5] > top and text.strip():
            in_header.append(text)

    text = page.extract_text(visitor_text=visit)
    streams = [page.get_contents().get_data()]
    for xobject in (page["/Resources"].get("/XObject") or {}).values():
        streams.append(xobject.get_object().get_data())
    found = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:RG|rg)", b"".join(streams))
    return Sheet(text, "".join(in_header), tuple(tuple(float(v) for v in triple) for triple in found))
