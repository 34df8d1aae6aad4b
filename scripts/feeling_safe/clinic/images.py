"""A clinic's pictures, drawn at build time: favicons, the share card, and how well the logo shows.

Why: a clinic's site should look like the clinic's in a browser tab, on a phone's
home screen and in a link preview, and an ordinary build must not need a
browser or the network for that. SVG logos are drawn by resvg (resvg-py, a
self-contained renderer), PNG logos read by Pillow, and Pillow draws the
share card with the font it ships (`ImageFont.load_default`), so the same
clinic file gives the same bytes on every machine with the same lock (Pillow
writes no timestamps into a PNG). Text inside an SVG logo is drawn with the
machine's fonts, the one thing that may differ between machines.
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import resvg_py
from PIL import Image, ImageDraw, ImageFont

from feeling_safe.clinic.colour import contrast_ratio

CARD_SIZE = (1200, 630)   # Open Graph's size (feeling_safe/content/seo.py SHARE_IMAGE_SIZE)
CARD_MARGIN = 96
FAVICON_SIZE = 32
TOUCH_ICON_SIZE = 180     # iOS home screen; iOS fills transparency with black, so it gets a white ground
# WCAG 1.4.11: a graphic a reader must make out needs 3:1 against what is around it.
GRAPHIC_CONTRAST = 3.0
MEASURE_SIZE = 64         # px: the logo is judged at about the size the header shows it, twice over
WHITE = (255, 255, 255, 255)


def logo_image(path: Path, size: int) -> Image.Image:
    """The logo as an RGBA picture that fits a `size` x `size` square, centred, transparent around it."""
    if path.suffix.lower() == ".svg":
        # Drawn large, then shrunk: one renderer's output whatever the SVG's own width and height.
        drawn = Image.open(io.BytesIO(bytes(resvg_py.svg_to_bytes(svg_path=str(path), width=max(size, 256)))))
    else:
        drawn = Image.open(path)
    drawn = drawn.convert("RGBA")
    drawn.thumbnail((size, size), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    square.alpha_composite(drawn, ((size - drawn.width) // 2, (size - drawn.height) // 2))
    return square


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=9)
    return out.getvalue()


def favicon_png(path: Path) -> bytes:
    """The PNG fallback favicon, for browsers that cannot show an SVG one."""
    return png_bytes(logo_image(path, FAVICON_SIZE))


def touch_icon_png(path: Path, background: str | None) -> bytes:
    """The home-screen icon: the logo on its background colour (else white), with a margin."""
    ground = Image.new("RGBA", (TOUCH_ICON_SIZE, TOUCH_ICON_SIZE), _rgba(background) if background else WHITE)
    inner = TOUCH_ICON_SIZE * 3 // 4
    ground.alpha_composite(logo_image(path, inner), ((TOUCH_ICON_SIZE - inner) // 2,) * 2)
    return png_bytes(ground.convert("RGB"))


# --- how well the logo shows on the header's colour -----------------------------------------------

@dataclass(frozen=True)
class LogoContrast:
    """How much of the logo's painted area stands out from the header colour (3:1 or more)."""

    share: float          # 0..1, of the painted area
    dominant: str         # the colour covering most of the painted area, #rrggbb
    dominant_ratio: float  # its contrast with the header colour

    @property
    def hard_to_see(self) -> bool:
        return self.share < 0.5


def logo_contrast(path: Path, behind: str) -> LogoContrast:
    """Measure the logo as the header shows it: drawn at MEASURE_SIZE px, each pixel weighted by
    its opacity; the share of that painted area whose colour has at least 3:1 contrast with the
    colour `behind` it (the primary colour, or the clinic's logo.background; WCAG's ratio for
    graphics), and the dominant colour (colours rounded to 16 levels a channel, so anti-aliased
    edges do not count as colours of their own)."""
    image = logo_image(path, MEASURE_SIZE)
    weights: Counter[tuple[int, int, int]] = Counter()
    for red, green, blue, alpha in image.get_flattened_data():
        if alpha:
            weights[(red // 16 * 16 + 8, green // 16 * 16 + 8, blue // 16 * 16 + 8)] += alpha
    total = sum(weights.values())
    if not total:
        return LogoContrast(share=0.0, dominant=behind, dominant_ratio=1.0)
    ratios = {colour: contrast_ratio(_hex(colour), behind) for colour in weights}
    visible = sum(weight for colour, weight in weights.items() if ratios[colour] >= GRAPHIC_CONTRAST)
    dominant = max(sorted(weights), key=weights.__getitem__)
    return LogoContrast(share=visible / total, dominant=_hex(dominant), dominant_ratio=ratios[dominant])


# --- the share card ------------------------------------------------------------------------------

def share_card(name: str, tagline: str, credit: str, primary: str, accent: str, logo: Path | None) -> bytes:
    """A 1200 x 630 link-preview card: the logo on a white tile, the name large, a line about
    the guide, the licence's credit small, an accent-coloured band at the foot; white text on
    `primary` (checked for 4.5:1 with white when the clinic file is read)."""
    card = Image.new("RGB", CARD_SIZE, _rgba(primary)[:3])
    draw = ImageDraw.Draw(card)
    width = CARD_SIZE[0] - 2 * CARD_MARGIN
    top = 84
    if logo:
        draw.rounded_rectangle((CARD_MARGIN, top, CARD_MARGIN + 120, top + 120), radius=28, fill=WHITE[:3])
        card.paste(logo_image(logo, 88), (CARD_MARGIN + 16, top + 16), logo_image(logo, 88))
        top += 168
    for size in (76, 68, 60, 52):
        font = ImageFont.load_default(size=size)
        lines = _wrap(name, font, width)
        if len(lines) <= 2:
            break
    lines = lines[:3]
    for line in lines:
        # The shipped font has one weight: a thin outline in the same colour makes it bold.
        draw.text((CARD_MARGIN, top), line, font=font, fill="white", stroke_width=2, stroke_fill="white")
        top += int(size * 1.15)
    top += 24
    small = ImageFont.load_default(size=34)
    for line in _wrap(tagline, small, width)[:2]:
        draw.text((CARD_MARGIN, top), line, font=small, fill="white")
        top += 46
    draw.rectangle((0, CARD_SIZE[1] - 64, CARD_SIZE[0], CARD_SIZE[1]), fill=_rgba(accent)[:3])
    tiny = ImageFont.load_default(size=22)
    draw.text((CARD_MARGIN, CARD_SIZE[1] - 46), _wrap(credit, tiny, width)[0], font=tiny, fill="white")
    return png_bytes(card)


def _wrap(text: str, font, width: int) -> list[str]:
    """Words in lines no wider than `width` px (a word longer than a line stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _rgba(colour: str) -> tuple[int, int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 255)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{min(channel, 255):02x}" for channel in rgb[:3])
