"""Make the default share card (docs/assets/share-card.png), the picture link previews show.

Why: a shared link should show our own card, not a font-fetching social
plugin's. Run once, when the name or colours change, and commit the PNG:
    .venv/bin/python -m feeling_safe.clinic.share_card
Debian's Chromium draws a small HTML card at 1200 x 630 (Open Graph's size);
system fonts only, nothing fetched.
"""
from __future__ import annotations

import argparse
import html
from pathlib import Path

from feeling_safe.content.seo import SHARE_IMAGE, SHARE_IMAGE_SIZE
from feeling_safe.publishing.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[3]
PRIMARY = "#2f6f62"   # the guide's primary colour (docs/assets/stylesheets/site.css)


def card_html(name: str, tagline: str, icon_svg: str) -> str:
    width, height = SHARE_IMAGE_SIZE
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
html,body{{margin:0;width:{width}px;height:{height}px;overflow:hidden}}
body{{background:{PRIMARY};color:#fff;
  font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;display:flex;flex-direction:column;
  justify-content:center;padding:0 96px;box-sizing:border-box}}
.icon{{width:120px;height:120px;background:#fff;border-radius:28px;display:flex;align-items:center;justify-content:center;margin-bottom:48px}}
.icon svg{{width:84px;height:84px}}
h1{{font-size:76px;line-height:1.1;margin:0 0 28px;font-weight:700}}
p{{font-size:36px;line-height:1.35;margin:0;max-width:960px;opacity:.95}}
</style></head><body><div class="icon">{icon_svg}</div>
<h1>{html.escape(name)}</h1><p>{html.escape(tagline)}</p></body></html>"""


def render(out: Path, name: str, tagline: str) -> None:
    from playwright.sync_api import sync_playwright

    icon = (ROOT / "docs/assets/favicon.svg").read_text(encoding="utf-8")
    width, height = SHARE_IMAGE_SIZE
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.set_content(card_html(name, tagline, icon))
        out.write_bytes(page.screenshot(type="png", full_page=False))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / SHARE_IMAGE))
    parser.add_argument("--name", default="Feeling Safe in Therapy")
    parser.add_argument("--tagline", default="A plain-language guide to feeling safe in therapy, "
                                             "for clients and the clinics that serve them.")
    args = parser.parse_args(argv)
    render(Path(args.out), args.name, args.tagline)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
