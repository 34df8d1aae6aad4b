"""Printed pages and PDF handouts for the waiting room.

Why: a clinic hands out paper. Every page's links show their addresses on
paper (docs/assets/stylesheets/print.css reads `data-print-url`), and
overrides/partials/print-meta.html closes each page with a print-only line
giving its address and review date. With the plugin's `handouts` option the build links
each explainer page to its PDF; after the build, Debian's Chromium (through
Playwright, the only PDF engine we use) prints each explainer page to
handouts/<slug>.pdf, at most MAX_PAGES pages, and pypdf joins them, after a
contents page, into handouts/booklet.pdf in reading order.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import yaml
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from feeling_safe.pages import html as pages_html
from feeling_safe.plugin.partials import Partials
from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[3]

HANDOUT_KINDS = ("explainer",)
FOLDER = "handouts"
MANIFEST = f"{FOLDER}/handouts.json"
BOOKLET = "booklet.pdf"
MAX_PAGES = 2
# Tried in turn until a page fits on MAX_PAGES sheets; below 86 % the text gets too small to read.
SCALES = (1.0, 0.93, 0.86)
PAPER = {"a4": "A4", "letter": "Letter"}
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}

_NOT_PRINTED = ("#", "mailto:", "tel:", "sms:", "javascript:")


class HandoutError(Exception):
    """A handout that cannot be made as promised (too long, page missing)."""


def handout_slug(page_url: str) -> str:
    """`what-it-is/` -> `what-it-is` (the PDF's name)."""
    return page_url.strip("/").replace("/", "-") or "index"


def annotate_links(content: str, page_url: str) -> str:
    """Give each link an absolute `data-print-url`, which the print CSS shows after it
    (links whose text already shows their address, and in-page or non-web ones, go without)."""
    fragment = pages_html.parse_fragment(content)
    changed = False
    for link in fragment.css("a[href]"):
        href = link.attributes["href"] or ""
        absolute = urljoin(page_url, href)
        if (not href or href.startswith(_NOT_PRINTED) or "data-print-url" in link.attributes
                or link.text(deep=True).strip() in (absolute, href)):
            continue
        link.attrs["data-print-url"] = absolute
        changed = True
    return pages_html.serialize_fragment(fragment) if changed else content


def footer_text(site_name: str, clinic: dict | None) -> str:
    """Who the handout is from: the clinic and how to reach it, or the guide."""
    if not clinic:
        return site_name
    contact = clinic["contact"]
    return " · ".join(part for part in (clinic["name"], contact.get("phone"), contact["email"]) if part)


def credit_text(attribution: dict | None) -> str | None:
    """The licence's credit line for paper (addresses written out), from a clinic build's
    attribution (feeling_safe/clinic/brand.py); None for the guide itself."""
    if not attribution:
        return None
    return (f"{attribution['clinic']} adapted this guide from {attribution['guide_name']} "
            f"({attribution['guide_url']}). Licence: {attribution['licence']} ({attribution['licence_url']}).")


def footer_template(partials: Partials, left: str, url: str, reviewed: str | None, credit: str | None = None) -> str:
    """Chromium's PDF footer (overrides/partials/handouts/footer.html; every value escaped)."""
    return partials.render("handouts/footer.html", left=left, url=url, reviewed=reviewed, credit=credit)


def header_template(partials: Partials | None, name: str | None, logo: str | None) -> str:
    """Chromium's PDF header: a clinic's logo (a data: address) and name; empty for the guide."""
    if not name:
        return "<span></span>"
    return partials.render("handouts/header.html", brand=name, logo=logo)


def manifest(pages: list[dict], site_name: str, description: str, clinic: dict | None, paper: str,
             logo: str | None = None, attribution: dict | None = None, lang: str = "en") -> dict:
    """The plan render_handouts follows; `logo` is the clinic's logo file, site-relative;
    `lang` the pages' language tag, which the booklet's cover carries too."""
    return {"paper": paper, "footer": footer_text(site_name, clinic), "title": site_name, "lang": lang,
            "description": description, "pages": pages, "logo": logo,
            "brand": clinic["name"] if clinic else None, "credit": credit_text(attribution)}


def plan_entry(page_url: str, title: str, address: str, dest_uri: str, last_reviewed: object,
               sheets: int | None = None) -> dict:
    """One page's entry in the handouts plan: its PDF's name, title, public address,
    built file, review date and how many sheets it may take (front matter `handout_pages`,
    else MAX_PAGES) (written by the build, read by render_handouts)."""
    return {"slug": handout_slug(page_url), "title": title, "url": address, "path": dest_uri,
            "last_reviewed": str(last_reviewed) if last_reviewed else None, "sheets": sheets or MAX_PAGES}


def links(slug: str) -> dict[str, str]:
    """A page's handout links, site-relative: its own PDF and the booklet of every handout."""
    return {"pdf": f"{FOLDER}/{slug}.pdf", "booklet": f"{FOLDER}/{BOOKLET}"}


def data_address(path: Path) -> str:
    """A small image as a data: address, for Chromium's header and the cover, which load no files."""
    kind = "image/svg+xml" if path.suffix.lower() == ".svg" else "image/png"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def cover_html(partials: Partials, plan: dict, logo: str | None = None) -> str:
    """The booklet's first page (overrides/partials/handouts/cover.html)."""
    return partials.render("handouts/cover.html", plan=plan, logo=logo)


# --- rendering ------------------------------------------------------------------------

def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _fixed_date() -> str:
    """PDF date from SOURCE_DATE_EPOCH, so rebuilt handouts are byte-for-byte stable."""
    stamp = datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), tz=UTC)
    return stamp.strftime("D:%Y%m%d%H%M%S+00'00'")


def _with_metadata(pdf: bytes, title: str, author: str, lang: str = "en") -> bytes:
    """The PDF's title, author and fixed dates, and its language (the catalog's /Lang, which
    screen readers read as the pages' <html lang>)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    date = _fixed_date()
    writer.metadata = {"/Title": title, "/Author": author, "/Creator": author,
                       "/Producer": "Chromium via Playwright", "/CreationDate": date, "/ModDate": date}
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Links in the PDF lead to the public site, never to the folder the page was printed from.
_PUBLIC_LINKS = """(base) => {
  for (const link of document.querySelectorAll("a[href]")) {
    const href = link.getAttribute("href");
    if (!href.startsWith("#")) link.href = new URL(href, base).href;
  }
}"""


def print_page(tab, url: str, paper: str, footer: str, page_url: str, reviewed: str | None,
               frame: dict | None = None, sheets: int = MAX_PAGES) -> tuple[bytes, float]:
    """Print one page, shrinking a little if needed to fit `sheets` sheets (MAX_PAGES unless
    its front matter allows more).

    `footer` says who it is from; `frame` (a clinic build's) holds the sheets' `partials`,
    `header` template and `credit` (the licence's credit line, which the footer carries in
    place of the page's own).
    """
    frame = frame or {"partials": Partials(ROOT / "overrides"), "header": header_template(None, None, None),
                      "credit": None}
    tab.goto(url, wait_until="load")
    tab.evaluate(_PUBLIC_LINKS, page_url)
    if frame["credit"]:
        tab.evaluate(_CREDIT_IN_FOOTER)
    for scale in SCALES:
        pdf = tab.pdf(format=PAPER[paper], margin=MARGIN, scale=scale, print_background=True,
                      display_header_footer=True, header_template=frame["header"],
                      footer_template=footer_template(frame["partials"], footer, page_url, reviewed,
                                                      frame["credit"]))
        pages = _page_count(pdf)
        if pages <= sheets:
            return pdf, scale
    raise HandoutError(f"{page_url}: prints on {pages} {paper} pages even at {SCALES[-1]:.0%} scale; "
                       f"shorten it (this handout is {sheets} pages at most).")


# A handout's footer carries the licence's credit on every sheet, so the page's own line
# (overrides/partials/clinic/attribution.html) steps aside and leaves the room to the text.
_CREDIT_IN_FOOTER = """() => { for (const line of document.querySelectorAll(".fst-attribution")) line.remove(); }"""


def render_handouts(site_dir: Path) -> list[dict]:
    """Print every page in the build's plan to PDF, then join them into the booklet.

    The plan (handouts.json, from the handouts hook) is removed once the PDFs exist.
    """
    from playwright.sync_api import sync_playwright  # only here: the hook imports this module too

    site_dir = Path(site_dir)
    plan = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    folder = site_dir / FOLDER
    partials = Partials(ROOT / "overrides")
    logo = data_address(site_dir / plan["logo"]) if plan.get("logo") else None
    frame = {"partials": partials, "credit": plan.get("credit"),
             "header": header_template(partials, plan.get("brand"), logo)}
    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.emulate_media(media="print")
            for entry in plan["pages"]:
                source = site_dir / entry["path"]
                if not source.is_file():
                    raise HandoutError(f"{entry['path']}: the built page is missing; the handout cannot be made.")
                pdf, scale = print_page(tab, source.as_uri(), plan["paper"], plan["footer"],
                                        entry["url"], entry.get("last_reviewed"), frame,
                                        entry.get("sheets", MAX_PAGES))
                pdf = _with_metadata(pdf, f"{entry['title']} - {plan['title']}", plan["footer"], plan.get("lang", "en"))
                (folder / f"{entry['slug']}.pdf").write_bytes(pdf)
                made.append({**entry, "pages": _page_count(pdf), "scale": scale})
            tab.set_content(cover_html(partials, plan, logo))
            cover = tab.pdf(format=PAPER[plan["paper"]], margin=MARGIN, print_background=True)
        finally:
            browser.close()
    booklet = PdfWriter()
    booklet.append(PdfReader(io.BytesIO(cover)))
    for entry in made:
        booklet.append(PdfReader(folder / f"{entry['slug']}.pdf"), outline_item=entry["title"])
    booklet.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    booklet.write(out)
    (folder / BOOKLET).write_bytes(_with_metadata(out.getvalue(), plan["title"], plan["footer"], plan.get("lang", "en")))
    (site_dir / MANIFEST).unlink()
    for entry in made:
        print(f"handout {entry['slug']}.pdf: {entry['pages']} page(s) at {entry['scale']:.0%}", file=sys.stderr)
    return made


def main(argv: list[str] | None = None) -> int:
    """`make handouts`: the unbranded site with its PDF handouts, built atomically."""
    parser = argparse.ArgumentParser(description="Build the site with PDF handouts of each explainer page.")
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--paper", choices=sorted(PAPER), default="a4")
    args = parser.parse_args(argv)
    child = {"INHERIT": "mkdocs.yml", "plugins": {"feeling-safe": {"handouts": True, "paper": args.paper}}}
    return build_with_handouts(yaml.safe_dump(child), args.site_dir)


def build_with_handouts(config_text: str, site_dir: str | os.PathLike, keep: Iterable[str | os.PathLike] = (),
                        compress: bool = True) -> int:
    """A strict, atomic build plus handouts: if a handout fails, `site_dir` stays as it was.
    `keep`: files the build reads, which `site_dir` must not hold (the clinic file, its logo);
    `compress`: as safe_build.build."""
    from feeling_safe.publishing import safe_build

    if not Path(CHROMIUM).is_file():
        print(f"Handouts need Chromium at {CHROMIUM}, which is missing: run `make browser` (Debian's "
              "chromium) or set CHROMIUM to its path. Nothing was written.", file=sys.stderr)
        return 2
    try:
        return safe_build.build("-", site_dir, config_text=config_text, finish=render_handouts, keep=keep,
                                compress=compress)
    except HandoutError as error:
        print(f"{error}\nBuild failed: {site_dir} was left as it was.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
