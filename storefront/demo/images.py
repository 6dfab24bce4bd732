"""Pictures for demo products and producer logos, drawn locally with Pillow.

Every picture is deterministic (same text in, same bytes out) and stored under a name
taken from a hash of its bytes, so loading the demo twice reuses the same files and
the /media URLs can be cached forever.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from storefront import media
from storefront.storage import as_storage
from storefront.text import fold

PHOTO_SIZE = (800, 600)
LOGO_SIZE = (256, 256)
# Listing cards crop a photo to its middle square (object-fit: cover): the printed name
# stays inside that square, with a margin, or a card cuts it off.
TEXT_LEFT, TEXT_RIGHT = 124, 676
BAND_TOP = 400  # the dark band the name and place are printed on
TITLE_TOP, TITLE_BOTTOM = 410, 546
SUBTITLE_TOP, SUBTITLE_BOTTOM = 552, 592
TITLE_SIZES = (46, 42, 38, 34, 30, 27, 24)
SUBTITLE_SIZES = (28, 24, 21, 18)

# Fonts known to carry the Vietnamese letters (ệ, ữ, đ…); the first one present is used.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)

# (background, accent) per OCOP product group.
GROUP_COLOURS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "thuc-pham": ((196, 120, 36), (252, 214, 120)),
    "do-uong": ((32, 104, 150), (150, 214, 240)),
    "duoc-lieu": ((46, 120, 70), (170, 226, 150)),
    "thu-cong-my-nghe": ((140, 70, 50), (236, 190, 150)),
    "sinh-vat-canh": ((170, 60, 110), (250, 190, 220)),
    "du-lich": ((60, 80, 150), (250, 220, 110)),
}
DEFAULT_COLOURS = ((90, 90, 90), (220, 220, 220))


@cache
def _font_path() -> str | None:
    """A TrueType font on this machine that renders Vietnamese, or None (draw no text)."""
    for candidate in (*FONT_CANDIDATES, *_fontconfig_matches()):
        if Path(candidate).is_file() and _renders_vietnamese(candidate):
            return candidate
    return None


def _fontconfig_matches() -> list[str]:
    """Font files fontconfig offers for Vietnamese text, where fc-match is installed."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    try:
        found = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_match, "-f", "%{file}\\n", "-s", "sans-serif:lang=vi"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return found.stdout.splitlines()[:20]


def _renders_vietnamese(path: str) -> bool:
    """Whether the font has real glyphs for Vietnamese letters rather than a blank box."""
    try:
        font = ImageFont.truetype(path, 32)
    except OSError:
        return False
    missing = bytes(font.getmask("\U0010fffd"))
    return all(bytes(font.getmask(ch)) != missing for ch in "ệữđƠ")


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    path = _font_path()
    return ImageFont.truetype(path, size) if path else None


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


@dataclass(frozen=True)
class TextBox:
    """One line printed on a picture: its text, font size and the box its ink covers."""

    text: str
    size: int
    at: tuple[int, int]  # the middle of the line's top (Pillow's "mt" anchor)
    box: tuple[int, int, int, int]  # left, top, right, bottom of its ink


def _lines_that_fit(
    draw: ImageDraw.ImageDraw, text: str, sizes: tuple[int, ...], top: int, bottom: int
) -> list[TextBox]:
    """`text` wrapped in the largest of `sizes` whose lines all fit between TEXT_LEFT and
    TEXT_RIGHT and between `top` and `bottom`; at the smallest size, as many whole
    lines as fit, the last ending in "…"."""
    width, height = TEXT_RIGHT - TEXT_LEFT, bottom - top
    centre = (TEXT_LEFT + TEXT_RIGHT) // 2
    for size in sizes:
        font = _font(size)
        if font is None:
            return []
        step = round(size * 1.2)
        lines = _wrap(draw, text, font, width)
        fits = len(lines) * step <= height and all(
            draw.textlength(line, font=font) <= width for line in lines
        )
        if fits or size == sizes[-1]:
            break
    if not fits:
        lines = lines[: max(1, height // step)]
        while lines and draw.textlength(lines[-1] + "…", font=font) > width:
            lines[-1] = lines[-1][:-1].rstrip()
            if not lines[-1]:
                lines.pop()
        if lines:
            lines[-1] += "…"
    y = top + (height - len(lines) * step) // 2
    boxes = []
    for line in lines:
        left, upper, right, lower = draw.textbbox((centre, y), line, font=font, anchor="mt")
        ink = (int(left), int(upper), int(math.ceil(right)), int(math.ceil(lower)))
        boxes.append(TextBox(line, size, (centre, y), ink))
        y += step
    return boxes


def picture_text(title: str, subtitle: str) -> list[TextBox]:
    """Where product_picture prints the product's name and its place: the name in up to
    three lines, shrunk until it fits the middle square's band; none without a font."""
    if _font_path() is None:
        return []
    draw = ImageDraw.Draw(Image.new("RGB", PHOTO_SIZE))
    title = unicodedata.normalize("NFC", title)
    return [
        *_lines_that_fit(draw, title, TITLE_SIZES, TITLE_TOP, TITLE_BOTTOM),
        *_lines_that_fit(draw, subtitle, SUBTITLE_SIZES, SUBTITLE_TOP, SUBTITLE_BOTTOM),
    ]


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    r, g, b = (max(0, min(255, int(c * factor))) for c in colour)
    return (r, g, b)


def _draw_motif(draw: ImageDraw.ImageDraw, group_code: str, rng: random.Random) -> None:
    """A simple drawing that says which kind of product this is."""
    _, accent = GROUP_COLOURS.get(group_code, DEFAULT_COLOURS)
    light = _shade(accent, 1.15)
    cx, cy = 400 + rng.randint(-60, 60), 215 + rng.randint(-20, 20)
    if group_code == "thuc-pham":  # a jar among grains
        draw.rounded_rectangle((cx - 90, cy - 70, cx + 90, cy + 130), 30, fill=accent)
        draw.rectangle((cx - 70, cy - 110, cx + 70, cy - 70), fill=light)
        for _ in range(14):
            x, y = rng.randint(60, 740), rng.randint(40, 380)
            draw.ellipse((x - 12, y - 8, x + 12, y + 8), fill=light)
    elif group_code == "do-uong":  # a bottle and a glass
        draw.rounded_rectangle((cx - 60, cy - 40, cx + 60, cy + 150), 24, fill=accent)
        draw.rectangle((cx - 20, cy - 120, cx + 20, cy - 40), fill=accent)
        draw.polygon(
            [(cx + 110, cy + 40), (cx + 190, cy + 40), (cx + 175, cy + 150), (cx + 125, cy + 150)],
            fill=light,
        )
    elif group_code == "duoc-lieu":  # leaves on a stem
        draw.line((cx, cy + 160, cx, cy - 140), fill=light, width=8)
        for i in range(5):
            y = cy + 110 - i * 55
            side = -1 if i % 2 else 1
            x0, x1 = sorted((cx, cx + side * 150))
            draw.ellipse((x0, y - 28, x1, y + 28), fill=accent)
    elif group_code == "thu-cong-my-nghe":  # a woven pattern
        for i in range(-600, 800, 46):
            draw.line((i, 0, i + 420, 420), fill=accent, width=12)
            draw.line((i + 420, 0, i, 420), fill=light, width=6)
    elif group_code == "sinh-vat-canh":  # a flower
        for i in range(8):
            angle = i * 45 + rng.randint(0, 10)
            dx, dy = _polar(angle, 85)
            draw.ellipse((cx + dx - 55, cy + dy - 55, cx + dx + 55, cy + dy + 55), fill=accent)
        draw.ellipse((cx - 45, cy - 45, cx + 45, cy + 45), fill=light)
    else:  # tourism: mountains under the sun
        draw.ellipse((560, 50, 680, 170), fill=light)
        for left, peak, shade in ((-80, 110, 0.9), (220, 170, 1.0), (420, 90, 0.8)):
            draw.polygon(
                [(left, 420), (left + 260, peak), (left + 520, 420)], fill=_shade(accent, shade)
            )


def _polar(degrees: float, radius: float) -> tuple[int, int]:
    rad = math.radians(degrees)
    return int(radius * math.cos(rad)), int(radius * math.sin(rad))


def product_picture(title: str, subtitle: str, group_code: str) -> bytes:
    """An 800×600 JPEG: the group's colour and motif, the product name and its place."""
    title = unicodedata.normalize("NFC", title)
    background, _ = GROUP_COLOURS.get(group_code, DEFAULT_COLOURS)
    image = Image.new("RGB", PHOTO_SIZE, background)
    draw = ImageDraw.Draw(image)
    _draw_motif(draw, group_code, random.Random(fold(title)))  # noqa: S311 - not security
    draw.rectangle((0, BAND_TOP, 800, 600), fill=_shade(background, 0.55))
    boxes = picture_text(title, subtitle)
    for box in boxes:
        is_title = box.at[1] < SUBTITLE_TOP
        draw.text(
            box.at,
            box.text,
            font=_font(box.size),
            fill="white" if is_title else (235, 235, 235),
            anchor="mt",
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def producer_logo(name: str) -> bytes:
    """A 256×256 PNG badge with the producer's initials."""
    name = unicodedata.normalize("NFC", name)
    rng = random.Random(fold(name))  # noqa: S311 - not security
    colours = list(GROUP_COLOURS.values())
    background, accent = colours[rng.randrange(len(colours))]
    image = Image.new("RGB", LOGO_SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 248, 248), fill=background, outline=accent, width=10)
    font = _font(92)
    if font:
        words = [w for w in name.split() if w[:1].isalpha()]
        initials = "".join(w[0] for w in words[-2:]).upper()
        draw.text((128, 132), initials, font=font, fill="white", anchor="mm")
    else:
        draw.ellipse((88, 88, 168, 168), fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def store_media(media_root: media.Store, folder: str, data: bytes, extension: str) -> str:
    """Save `data` as <folder>/<sha256 prefix>.<extension> in the media store unless it is
    already there; return its path in the store."""
    digest = hashlib.sha256(data).hexdigest()[:32]
    relative = f"{folder}/{digest}.{extension}"
    as_storage(media_root).save(relative, data)
    return relative


def store_photo(media_root: media.Store, picture: bytes) -> str:
    """Save a product picture, the small copy the cards show and its sharing picture (as
    an upload gets); return the picture's path relative to media_root."""
    path = store_media(media_root, "products", picture, "jpg")
    media.store_copies(media_root, path, picture)
    return path
