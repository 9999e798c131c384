"""Reading the words of a page: a PDF's own text layer (pypdfium2) or Tesseract's OCR of its picture.

Both give a ``PageReading``: the text, line by line, and each word's box ``[word, x, y, w, h]``
in the pixels of the page's picture (for a PDF page, the picture rendered at ``scale`` pixels
per point, the scale the tiles were made at). Nothing here touches the database.

Tesseract runs as the Debian ``tesseract`` command with the Vietnamese model (``tesseract-ocr-vie``),
once per page, writing hOCR; the settings (``OCR_PSM``, ``OCR_DPI``, the preprocessing) are the
ones ``bench/ocr.py`` measured best (bench/README.md, "Vietnamese OCR").
"""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from lxml import html as lxml_html
from PIL import Image, ImageFilter, ImageOps

#: Page segmentation 6 (one block of text): the two columns of a Party document's header ("Số …"
#: left, "Hà Nội, ngày …" right) are read across, line by line, and a degraded page's lines stay
#: whole, where 4 and 3 break them (bench/README.md compares the modes' errors; bench/ocr.py
#: measures them again).
OCR_PSM = 6
#: Resolution a PDF page is rendered at for OCR; a picture's own resolution is used as it is.
OCR_DPI = 300
#: A run of Tesseract on one page may take this long before the page counts as unreadable.
OCR_TIMEOUT = 180
_BBOX_RE = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
#: What a text layer's characters are expected to be: Vietnamese letters, digits, punctuation.
_VIETNAMESE_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_LETTERS = {unicodedata.normalize("NFC", vowel + tone) for vowel in _VIETNAMESE_VOWELS for tone in _TONES} | set(
    "bcdđfghjklmnpqrstvwxz"
)
EXPECTED_CHARS = frozenset(_LETTERS | {letter.upper() for letter in _LETTERS}) | frozenset(
    "0123456789 \t\n\r.,;:!?()[]{}\"'-–—/\\%&*+=<>#@_“”‘’…«»•§№°"
)
#: A text layer with fewer expected characters than this share is garbage (a font without a
#: Unicode map, text in a legacy Vietnamese encoding such as TCVN3 or VNI read as Latin-1).
GARBAGE_SHARE = 0.85


@dataclass
class PageReading:
    text: str = ""
    words: list[list] = field(default_factory=list)


class Unreadable(Exception):
    """Tesseract could not read the picture (corrupt, not an image, timed out)."""


def is_garbage(text: str) -> bool:
    """Whether a text layer's characters are mostly not Vietnamese text (see ``GARBAGE_SHARE``)."""
    chars = [char for char in unicodedata.normalize("NFC", text) if not char.isspace()]
    if not chars:
        return False
    expected = sum(1 for char in chars if char in EXPECTED_CHARS)
    return expected / len(chars) < GARBAGE_SHARE


def text_layer(page, scale: float) -> PageReading:
    """The words of a pypdfium2 page's text layer, boxed in the pixels of its picture at ``scale``.

    pdfium gives one character per index, the spaces and line breaks it infers included; a word is
    a run of characters between white space, its box the union of its characters' boxes."""
    textpage = page.get_textpage()
    try:
        _width, height = page.get_size()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        words: list[list] = []
        current: list[str] = []
        box: list[float] = []
        for index, char in enumerate(text[:count]):
            if char.isspace() or not char.isprintable():
                if current:
                    words.append(_word("".join(current), box, height, scale))
                current, box = [], []
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            box = (
                [left, bottom, right, top]
                if not box
                else [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
            )
            current.append(char)
        if current:
            words.append(_word("".join(current), box, height, scale))
        return PageReading(text=_tidy(text), words=words)
    finally:
        textpage.close()


def _word(text: str, box: list[float], page_height: float, scale: float) -> list:
    left, bottom, right, top = box
    return [
        text,
        round(left * scale),
        round((page_height - top) * scale),
        max(1, round((right - left) * scale)),
        max(1, round((top - bottom) * scale)),
    ]


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


#: Turns tried by ``deskewed``, in degrees: a page fed crooked by hand or a feeder, up to 4°.
SKEW_ANGLES = [step / 4 for step in range(-16, 17)]
#: Width of the small copy on which the skew is measured (the turn is then made on the whole page).
SKEW_WIDTH = 800


def skew_angle(grey: Image.Image) -> float:
    """The turn that sets the lines of text level: the angle whose rows of ink are sharpest (the
    largest variance of the rows' mean darkness, each row's mean computed by a 1-pixel-wide resize)."""
    small = grey.resize((SKEW_WIDTH, max(1, grey.height * SKEW_WIDTH // grey.width)), Image.Resampling.BOX)
    ink = ImageOps.invert(small).point(lambda value: 255 if value > 96 else 0)
    best, best_score = 0.0, -1.0
    for angle in SKEW_ANGLES:
        rows = list(
            ink.rotate(angle, resample=Image.Resampling.NEAREST).resize((1, ink.height), Image.Resampling.BOX).getdata()
        )
        mean = sum(rows) / len(rows)
        score = sum((row - mean) ** 2 for row in rows)
        if score > best_score + 1e-6 or (abs(score - best_score) <= 1e-6 and abs(angle) < abs(best)):
            best, best_score = angle, score
    return best


def prepared(picture: Image.Image, *, clean: bool = True) -> tuple[Image.Image, float]:
    """The picture Tesseract reads, and the turn it was given (degrees, counter-clockwise): grey,
    its contrast stretched (a yellowed page's ink darker); with ``clean``, specks removed (a 3 × 3
    median) and the page turned level (``skew_angle``)."""
    grey = ImageOps.autocontrast(ImageOps.exif_transpose(picture).convert("L"), cutoff=1)
    if not clean:
        return grey, 0.0
    grey = grey.filter(ImageFilter.MedianFilter(3))
    angle = skew_angle(grey)
    if angle:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return grey, angle


def unturned(reading: PageReading, angle: float, turned: tuple[int, int], size: tuple[int, int]) -> PageReading:
    """The reading of a picture turned by ``angle`` (and enlarged to ``turned``), its boxes moved back
    onto the picture as given (``size``): each box's centre turned back, its size kept."""
    if not angle:
        return reading
    theta = math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    words = []
    for word, x, y, w, h in reading.words:
        dx, dy = x + w / 2 - turned[0] / 2, y + h / 2 - turned[1] / 2
        cx, cy = dx * cos - dy * sin + size[0] / 2, dx * sin + dy * cos + size[1] / 2
        words.append([word, round(cx - w / 2), round(cy - h / 2), w, h])
    return PageReading(text=reading.text, words=words)


def tesseract(
    picture: Image.Image, *, dpi: int = OCR_DPI, psm: int = OCR_PSM, prepare: bool = True, clean: bool = True
) -> PageReading:
    """Tesseract's reading of a picture; ``Unreadable`` if it cannot. The boxes are in the pixels
    of the picture as given (a page turned level for reading has its boxes turned back)."""
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as directory:
        source = Path(directory) / "page.png"
        angle = 0.0
        if prepare:
            picture_read, angle = prepared(picture, clean=clean)
        else:
            picture_read = picture
        picture_read.save(source, dpi=(dpi, dpi))
        command = ["tesseract", str(source), str(Path(directory) / "out"), "-l", "vie", "--psm", str(psm)]
        command += ["--dpi", str(dpi), "hocr"]
        try:
            done = subprocess.run(command, capture_output=True, timeout=OCR_TIMEOUT, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as error:
            raise Unreadable(str(error)) from error
        hocr = Path(directory) / "out.hocr"
        if done.returncode != 0 or not hocr.exists():
            raise Unreadable(done.stderr.decode("utf-8", "replace")[-500:])
        return unturned(parse_hocr(hocr.read_bytes()), angle, picture_read.size, picture.size)


def parse_hocr(content: bytes) -> PageReading:
    """The text (a line per hOCR line, a blank line between paragraphs) and word boxes of hOCR."""
    if not content.strip():
        return PageReading()
    document = lxml_html.fromstring(content)
    words: list[list] = []
    paragraphs: list[str] = []
    for paragraph in document.xpath("//*[contains(concat(' ', @class, ' '), ' ocr_par ')]"):
        lines = []
        for line in paragraph.xpath(".//*[contains(concat(' ', @class, ' '), ' ocr_line ')]"):
            line_words = []
            for span in line.xpath(".//*[contains(concat(' ', @class, ' '), ' ocrx_word ')]"):
                word = unicodedata.normalize("NFC", span.text_content().strip())
                match = _BBOX_RE.search(span.get("title", ""))
                if not word or not match:
                    continue
                x0, y0, x1, y1 = (int(value) for value in match.groups())
                words.append([word, x0, y0, x1 - x0, y1 - y0])
                line_words.append(word)
            if line_words:
                lines.append(" ".join(line_words))
        if lines:
            paragraphs.append("\n".join(lines))
    return PageReading(text="\n\n".join(paragraphs), words=words)


def scaled(reading: PageReading, factor: float) -> PageReading:
    """The reading with its boxes in pixels ``factor`` times as many (an OCR render to the tiles')."""
    if factor == 1:
        return reading
    words = [[word, *(round(value * factor) for value in box)] for word, *box in reading.words]
    return PageReading(text=reading.text, words=words)
