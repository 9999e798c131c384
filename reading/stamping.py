"""Page images of an approved reading, stamped with the reader's name and the day, made on the fly.

A page is put together from the item's stored deep-zoom tiles (IIIF level 0, ``archive.processing``)
at the scale factor whose width is nearest below ``READ_WIDTH``, so it reads a dozen small JPEG
tiles rather than the original; the stamp is drawn on that copy before it leaves the process. The
original and the unstamped tiles are never handed to the reader: they stay behind
``archive.protected_media``'s rule, which an approved reading does not open.
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from archive.models import MediaFile

READ_WIDTH = 1400
TILE = 512
JPEG_QUALITY = 82
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONT_FILES = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")


class PageMissing(Exception):
    """The page has no stored tiles (not processed yet, or no such page)."""


@dataclass(frozen=True)
class PageGeometry:
    width: int
    height: int
    scale: int


def geometry(media: MediaFile, page: int) -> PageGeometry:
    """The page's full size and the scale factor a reading page is made at."""
    if not media.has_tiles or not 0 <= page < media.tiled_pages:
        raise PageMissing
    try:
        with default_storage.open(media.tile_name(page, "info.json"), "rb") as handle:
            info = json.load(handle)
    except (OSError, ValueError) as error:
        raise PageMissing from error
    width, height = int(info["width"]), int(info["height"])
    factors = sorted(int(f) for tiles in info.get("tiles", []) for f in tiles.get("scaleFactors", [1])) or [1]
    scale = next((f for f in factors if width / f <= READ_WIDTH), factors[-1])
    return PageGeometry(width, height, scale)


def compose(media: MediaFile, page: int) -> Image.Image:
    """The page at its reading scale, pasted together from its tiles."""
    shape = geometry(media, page)
    step = TILE * shape.scale
    canvas = Image.new("RGB", (math.ceil(shape.width / shape.scale), math.ceil(shape.height / shape.scale)), "white")
    for y in range(0, shape.height, step):
        for x in range(0, shape.width, step):
            w, h = min(step, shape.width - x), min(step, shape.height - y)
            size = f"{math.ceil(w / shape.scale)},{math.ceil(h / shape.scale)}"
            name = media.tile_name(page, f"{x},{y},{w},{h}/{size}/0/default.jpg")
            try:
                with default_storage.open(name, "rb") as handle, Image.open(handle) as tile:
                    canvas.paste(tile.convert("RGB"), (x // shape.scale, y // shape.scale))
            except OSError as error:
                raise PageMissing from error
    return canvas


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for directory in FONT_DIRS:
        for name in FONT_FILES:
            path = directory / name
            if path.exists():
                # Basic layout: libraqm's shaping gives wrong measures once libvips (pyvips) has
                # loaded its own HarfBuzz into the process; precomposed Vietnamese (NFC) needs none.
                return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    return ImageFont.load_default(size)


def stamp(picture: Image.Image, text: str) -> Image.Image:
    """``picture`` with ``text`` across it diagonally, repeated, and in a band along its foot.

    The diagonal text is drawn and turned once, on a tile the size of one line, then laid over the
    page tile by tile: turning a whole page's overlay would cost a second for a large page.
    """
    text = unicodedata.normalize("NFC", text)
    width, height = picture.size
    size = max(14, width // 40)
    font = _font(size)
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    text_width = int(measure.textlength(text, font=font))
    line = Image.new("L", (text_width + size * 4, size * 4), 0)
    ImageDraw.Draw(line).text((size * 2, size), text, font=font, fill=80)
    mask = line.rotate(30, resample=Image.Resampling.BICUBIC, expand=True)
    ink = Image.new("RGB", mask.size, (160, 20, 20))
    result = picture.convert("RGB")
    step_x, step_y = mask.width - size * 6, max(size * 5, mask.height // 3)
    for row, y in enumerate(range(-mask.height // 2, height, step_y)):
        for x in range(-mask.width + (row % 3) * step_x // 3, width, step_x):
            result.paste(ink, (x, y), mask)
    band = ImageDraw.Draw(result)
    lines = foot_lines(text, lambda line: measure.textlength(line, font=font) <= width - size)
    line_height = size + size // 3
    band_height = line_height * len(lines) + size // 2
    band.rectangle((0, height - band_height, width, height), fill=(255, 255, 255))
    for index, line in enumerate(lines):
        band.text(
            (size // 2, height - band_height + size // 4 + index * line_height), line, font=font, fill=(120, 0, 0)
        )
    return result


def foot_lines(text: str, fits) -> list[str]:
    """``text`` cut at its " · " separators into as few lines as ``fits`` allows."""
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and fits(f"{lines[-1]} · {part}"):
            lines[-1] = f"{lines[-1]} · {part}"
        else:
            lines.append(part)
    return lines


def stamped_page(media: MediaFile, page: int, text: str) -> bytes:
    """The JPEG of one page of ``media`` stamped with ``text``."""
    picture = stamp(compose(media, page), text)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)  # full colour: the red stamp stays sharp
    return buffer.getvalue()
