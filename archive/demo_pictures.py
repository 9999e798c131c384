"""The pictures of the demonstration catalogue (`archive.demo`), drawn with Pillow.

Each demo item gets a believable stand-in for its digital copy: a typed Party document, a group
photograph, an object on a studio background, a publication cover, a video poster or a short
tone for a recording. Every picture carries a footer saying it is an illustration, so nobody
takes it for a scan of a real record. Drawing is deterministic (seeded by the item's title), so
running the demo again draws the same files. Only the demo uses this module.
"""

from __future__ import annotations

import functools
import io
import math
import random
import struct
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from archive.models import Item
from archive.partial_dates import PartialDate, Precision

if TYPE_CHECKING:
    from archive.demo import ItemSpec

PICTURE_FOOTER = "Hình minh họa – dữ liệu mẫu"
FONT_FILES = {
    "serif": ("dejavu/DejaVuSerif.ttf", "liberation/LiberationSerif-Regular.ttf"),
    "serif-bold": ("dejavu/DejaVuSerif-Bold.ttf", "liberation/LiberationSerif-Bold.ttf"),
    "sans": ("dejavu/DejaVuSans.ttf", "liberation/LiberationSans-Regular.ttf"),
    "sans-bold": ("dejavu/DejaVuSans-Bold.ttf", "liberation/LiberationSans-Bold.ttf"),
}
FONT_ROOT = Path("/usr/share/fonts/truetype")
INK = (35, 30, 28)
PARTY_RED = (190, 30, 35)
GOLD = (240, 200, 60)
CLOTHES = [(235, 235, 230), (240, 240, 236), (40, 52, 90), (60, 60, 64), (225, 225, 215), (95, 110, 80)]


@functools.cache
def font(style: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font with Vietnamese glyphs where the system has one; Pillow's own font otherwise."""
    for relative in FONT_FILES[style]:
        path = FONT_ROOT / relative
        if path.exists():
            # The basic layout: Raqm's shaping measures text wrongly once libvips is loaded in the
            # same process (the worker's), which made a picture's size absurd.
            return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    return ImageFont.load_default(size=size)


def _text_width(draw: ImageDraw.ImageDraw, text: str, typeface) -> float:
    return draw.textlength(text, font=typeface)


def _wrap(draw: ImageDraw.ImageDraw, text: str, typeface, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and _text_width(draw, candidate, typeface) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _centred(draw, y: int, text: str, typeface, fill, width: int, x0: int = 0) -> int:
    for line in _wrap(draw, text, typeface, width - 40):
        draw.text((x0 + (width - _text_width(draw, line, typeface)) / 2, y), line, font=typeface, fill=fill)
        y += int(typeface.size * 1.35) if hasattr(typeface, "size") else 16
    return y


def _star(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float, fill) -> None:
    cx, cy = centre
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        r = radius if i % 2 == 0 else radius * 0.4
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=fill)


def _footer(image: Image.Image, text: str = PICTURE_FOOTER) -> None:
    draw = ImageDraw.Draw(image)
    typeface = font("sans", 14)
    width = _text_width(draw, text, typeface)
    draw.text((image.width - width - 12, image.height - 22), text, font=typeface, fill=(120, 120, 120))


@functools.cache
def _grain(size: tuple[int, int]) -> Image.Image:
    """Scanner grain, made once per picture size (Pillow's noise is slow at full size)."""
    return Image.effect_noise(size, 40).convert("RGB")


def _aged(image: Image.Image, amount: float, rng: random.Random) -> Image.Image:
    """Yellow the paper and add scanner grain in proportion to age (0 new – 1 very old)."""
    if amount <= 0:
        return image
    tint = Image.new("RGB", image.size, (236, 214, 170))
    image = Image.blend(image, tint, 0.25 * amount)
    return Image.blend(image, _grain(image.size), 0.06 + 0.05 * amount)


def _date_line(partial: PartialDate) -> str:
    if partial.precision == Precision.DAY:
        return f"Hà Nội, ngày {partial.day} tháng {partial.month} năm {partial.year}"
    if partial.precision == Precision.MONTH:
        return f"Hà Nội, ngày … tháng {partial.month} năm {partial.year}"
    return f"Hà Nội, năm {partial.year}"


def document_page(spec: ItemSpec, partial: PartialDate, rng: random.Random, page: int = 1) -> Image.Image:
    """A typed Party document page: red band with a star, header, number, title, text, seal."""
    width, height = 900, 1273
    image = Image.new("RGB", (width, height), (252, 250, 243))
    draw = ImageDraw.Draw(image)
    age = max(0.0, min(1.0, (2010 - partial.year) / 60))
    if page == 1:
        draw.rectangle((0, 0, width, 70), fill=PARTY_RED)
        draw.ellipse((width / 2 - 28, 7, width / 2 + 28, 63), fill=GOLD)
        _star(draw, (width / 2, 36), 22, PARTY_RED)
        issuer = (spec.issuer or "Ban Chấp hành Trung ương").upper()
        left = _wrap(draw, issuer, font("serif-bold", 17), 340)
        y = 95
        for line in left[:3]:
            x = 60 + (340 - _text_width(draw, line, font("serif-bold", 17))) / 2
            draw.text((x, y), line, font=font("serif-bold", 17), fill=INK)
            y += 24
        draw.text((220, y), "*", font=font("serif", 18), fill=INK)
        if spec.number:
            draw.text((150, y + 26), f"Số {spec.number}", font=font("serif", 18), fill=INK)
        draw.text((500, 95), "ĐẢNG CỘNG SẢN VIỆT NAM", font=font("serif-bold", 20), fill=INK)
        draw.line((520, 124, 800, 124), fill=INK, width=2)
        draw.text((500, 140), _date_line(partial), font=font("serif", 17), fill=INK)
        kind_label = dict(Item._meta.get_field("document_type").choices).get(spec.document_type, "văn bản")
        y = _centred(draw, 250, str(kind_label).upper(), font("serif-bold", 30), INK, width)
        y = _centred(draw, y + 6, spec.title, font("serif-bold", 20), INK, width - 120, 60)
        draw.line((width / 2 - 60, y + 8, width / 2 + 60, y + 8), fill=INK, width=1)
        y += 36
        for line in _wrap(draw, spec.summary, font("serif", 19), width - 200):
            draw.text((100, y), line, font=font("serif", 19), fill=INK)
            y += 30
    else:
        y = 90
        draw.text((width / 2 - 10, 40), str(page), font=font("serif", 18), fill=INK)
    # Lines of typed text, shown as grey strokes of random lengths.
    y += 20
    bottom = height - (330 if page == 1 else 120)
    while y < bottom:
        if rng.random() < 0.12:
            y += 18
            continue
        indent = 130 if rng.random() < 0.2 else 100
        length = rng.randint(420, width - 100 - indent)
        draw.line((indent, y + 9, indent + length, y + 9), fill=(150, 145, 140), width=9)
        y += 30
    if page == 1:
        draw.text((width - 380, height - 300), "T/M BAN THƯỜNG VỤ", font=font("serif-bold", 19), fill=INK)
        position = spec.signer_position.split(",")[-1].strip().upper() if spec.signer_position else "BÍ THƯ"
        draw.text((width - 380, height - 272), position[:28], font=font("serif-bold", 17), fill=INK)
        seal = Image.new("RGBA", (170, 170), (0, 0, 0, 0))
        seal_draw = ImageDraw.Draw(seal)
        seal_draw.ellipse((4, 4, 166, 166), outline=(200, 40, 50, 170), width=7)
        seal_draw.ellipse((26, 26, 144, 144), outline=(200, 40, 50, 150), width=3)
        _star(seal_draw, (85, 85), 34, (200, 40, 50, 160))
        seal = seal.rotate(rng.randint(-25, 25))
        image.paste(seal, (width - 400, height - 250), seal)
        if spec.signer:
            draw.text((width - 330, height - 110), spec.signer, font=font("serif-bold", 20), fill=INK)
        draw.text((80, height - 250), "Nơi nhận:", font=font("serif", 15), fill=INK)
        for index in range(4):
            draw.line((80, height - 222 + index * 22, 300, height - 222 + index * 22), fill=(160, 155, 150), width=6)
    image = _aged(image, age, rng)
    _footer(image)
    return image


def plan_page(spec: ItemSpec) -> Image.Image:
    """A transcribed first page of the 2023 plan (clearly not a scan of the original)."""
    width, height = 900, 1273
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for line_index, line in enumerate(_wrap(draw, "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TRUNG ƯƠNG", font("serif", 17), 340)):
        draw.text((80, 60 + line_index * 24), line, font=font("serif", 17), fill=INK)
    draw.text((150, 110), "ĐẢNG ỦY KHỐI", font=font("serif-bold", 17), fill=INK)
    draw.text((500, 60), "ĐẢNG CỘNG SẢN VIỆT NAM", font=font("serif-bold", 20), fill=INK)
    draw.line((520, 89, 800, 89), fill=INK, width=2)
    draw.text((560, 105), "Hà Nội, năm 2023", font=font("serif", 17), fill=INK)
    y = _centred(draw, 190, "KẾ HOẠCH", font("serif-bold", 30), INK, width)
    y = _centred(
        draw,
        y + 4,
        "sưu tầm tư liệu, nâng cấp và khai thác Phòng Truyền thống, Nhà Truyền thống "
        "của Đảng bộ Khối các cơ quan Trung ương",
        font("serif-bold", 20),
        INK,
        width - 120,
        60,
    )
    y += 24
    body = (
        "Căn cứ Chương trình công tác năm 2023, Ban Thường vụ Đảng ủy Khối ban hành Kế hoạch sưu tầm tư liệu, "
        "nâng cấp và khai thác Phòng Truyền thống, Nhà Truyền thống của Đảng bộ Khối các cơ quan Trung ương, "
        "như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Tổ chức sưu tầm tư liệu lịch sử liên quan đến tiến trình "
        "lịch sử của Đảng bộ Khối các cơ quan Trung ương nhằm bổ sung, làm phong phú hình ảnh, hiện vật, tư liệu "
        "của Phòng Truyền thống, Nhà Truyền thống của Đảng bộ Khối.\n- Xác định rõ những hạng mục cần nâng cấp "
        "và lộ trình nâng cấp Phòng Truyền thống, Nhà Truyền thống của Đảng bộ Khối.\n- Tổ chức khai thác hiệu "
        "quả Phòng Truyền thống, Nhà Truyền thống của Đảng bộ Khối góp phần phục vụ công tác giáo dục lịch sử "
        "truyền thống, lý tưởng, đạo đức cách mạng cho cán bộ, đảng viên trong Đảng bộ Khối."
    )
    for line in _wrap(draw, body, font("serif", 19), width - 180):
        draw.text((90, y), line, font=font("serif", 19), fill=INK)
        y += 30
    draw.text((width - 380, height - 260), "T/M BAN THƯỜNG VỤ", font=font("serif-bold", 19), fill=INK)
    draw.text((width - 400, height - 232), "PHÓ BÍ THƯ THƯỜNG TRỰC", font=font("serif-bold", 17), fill=INK)
    draw.text((width - 340, height - 130), spec.signer, font=font("serif-bold", 20), fill=INK)
    _footer(image, "Bản chép lại nội dung để trình diễn – không phải bản quét văn bản gốc")
    return image


def _people_rows(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, top: int, colour: bool) -> None:
    rows = 3
    for row in range(rows):
        count = 9 - row
        y = top + row * 110
        size = 46 - row * 4
        for index in range(count):
            x = (index + 0.5 + row * 0.3) * (width - 120) / count + 40 + rng.randint(-8, 8)
            tone = rng.randint(40, 90)
            skin = (205, 160, 125) if colour else (tone + 40, tone + 30, tone + 25)
            clothes = rng.choice(CLOTHES) if colour else (tone, tone - 5, tone - 10)
            draw.ellipse((x - size / 2, y - size, x + size / 2, y), fill=skin)
            draw.ellipse((x - size / 2, y - size, x + size / 2, y - size * 0.55), fill=(30, 25, 25))
            draw.rounded_rectangle((x - size, y + 4, x + size, y + 4 + size * 2.6), radius=14, fill=clothes)


def photo(spec: ItemSpec, partial: PartialDate, rng: random.Random, *, congress: bool, colour: bool) -> Image.Image:
    """A group photograph: people in rows under a banner, sepia and grain for older years."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), (170, 160, 140))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(200 - 90 * y / height)
        draw.line((0, y, width, y), fill=(shade, shade - 6, shade - 14))
    if congress:
        draw.rectangle((80, 60, width - 80, 200), fill=PARTY_RED if colour else (110, 100, 95))
        banner = spec.title.upper()
        _centred(draw, 78, banner, font("sans-bold", 30), (250, 235, 200), width - 160, 80)
        draw.rectangle((60, 430, width - 60, 520), fill=(120, 40, 35) if colour else (95, 85, 75))
    else:
        draw.rectangle((0, 120, width, 300), fill=(150, 165, 150) if colour else (150, 140, 125))
        for _ in range(7):
            x = rng.randint(0, width)
            draw.polygon([(x, 300), (x + 90, 120), (x + 180, 300)], fill=(110, 120, 105) if colour else (120, 110, 95))
    _people_rows(draw, rng, width, 360 if not congress else 330, colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    if not colour:
        image = ImageOps.colorize(ImageOps.grayscale(image), (40, 26, 14), (246, 226, 190))
    image = _aged(image, 0.8 if not colour else 0.1, rng)
    framed = Image.new("RGB", (width + 40, height + 110), (246, 242, 232))
    framed.paste(image, (20, 20))
    caption = f"{spec.title} ({partial})"
    draw = ImageDraw.Draw(framed)
    for index, line in enumerate(_wrap(draw, caption, font("serif", 20), width - 40)[:2]):
        draw.text((30, height + 30 + index * 28), line, font=font("serif", 20), fill=INK)
    _footer(framed)
    return framed


def artifact(spec: ItemSpec, rng: random.Random, variant: str) -> Image.Image:
    """An object photographed on a neutral studio background."""
    width, height = 1000, 1000
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(235 - 60 * y / height)
        draw.line((0, y, width, y), fill=(shade, shade, shade - 4))
    draw.ellipse((220, 800, 780, 880), fill=(150, 150, 146))
    if variant == "medal":
        draw.polygon([(420, 120), (580, 120), (640, 430), (360, 430)], fill=PARTY_RED)
        draw.polygon([(470, 120), (530, 120), (560, 430), (440, 430)], fill=GOLD)
        draw.ellipse((300, 400, 700, 800), fill=(214, 170, 60), outline=(150, 110, 30), width=10)
        draw.ellipse((360, 460, 640, 740), fill=PARTY_RED)
        _star(draw, (500, 600), 110, GOLD)
    elif variant == "flag":
        draw.line((230, 100, 230, 860), fill=(110, 80, 50), width=16)
        draw.polygon([(238, 110), (800, 150), (780, 560), (238, 600)], fill=PARTY_RED)
        _centred(draw, 250, "CỜ THI ĐUA", font("serif-bold", 54), GOLD, 560, 238)
        _centred(draw, 340, "ĐƠN VỊ DẪN ĐẦU", font("serif-bold", 36), GOLD, 560, 238)
        draw.polygon([(238, 600), (780, 560), (760, 640), (238, 690)], fill=GOLD)
    elif variant == "certificate":
        draw.rectangle((170, 150, 830, 800), fill=(120, 70, 40))
        draw.rectangle((200, 180, 800, 770), fill=(250, 244, 225))
        draw.rectangle((220, 200, 780, 750), outline=PARTY_RED, width=6)
        _star(draw, (500, 280), 50, PARTY_RED)
        _centred(draw, 360, "BẰNG KHEN", font("serif-bold", 56), PARTY_RED, 600, 200)
        y = _centred(draw, 450, spec.title, font("serif", 24), INK, 560, 220)
        for index in range(4):
            draw.line((280, y + 30 + index * 30, 720, y + 30 + index * 30), fill=(170, 165, 160), width=6)
    else:  # bag
        draw.rounded_rectangle((400, 220, 600, 320), radius=40, outline=(80, 50, 30), width=22)
        draw.rounded_rectangle((220, 300, 780, 760), radius=30, fill=(115, 72, 40), outline=(70, 42, 22), width=8)
        draw.line((220, 420, 780, 420), fill=(70, 42, 22), width=8)
        draw.rectangle((470, 400, 530, 470), fill=(200, 170, 90), outline=(120, 95, 40), width=4)
    image = _aged(image, 0.2, rng)
    _footer(image)
    return image


def publication_cover(spec: ItemSpec, partial: PartialDate, rng: random.Random) -> Image.Image:
    width, height = 800, 1130
    palette = [(140, 30, 30), (30, 60, 110), (40, 90, 60), (120, 80, 30)]
    background = palette[rng.randrange(len(palette))]
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, width - 40, height - 40), outline=GOLD, width=6)
    draw.rectangle((60, 60, width - 60, height - 60), outline=GOLD, width=2)
    _star(draw, (width / 2, 230), 80, GOLD)
    y = _centred(draw, 380, spec.title.upper(), font("serif-bold", 44), (250, 240, 215), width - 120, 60)
    _centred(draw, y + 40, spec.summary, font("serif", 24), (235, 225, 200), width - 200, 100)
    _centred(draw, height - 160, f"HÀ NỘI – {partial.year}", font("serif-bold", 28), GOLD, width)
    image = _aged(image, max(0.0, (2010 - partial.year) / 80), rng)
    _footer(image)
    return image


def poster(spec: ItemSpec) -> Image.Image:
    width, height = 1280, 720
    image = Image.new("RGB", (width, height), (25, 20, 22))
    draw = ImageDraw.Draw(image)
    for x in range(width):
        red = int(90 + 70 * x / width)
        draw.line((x, 0, x, 160), fill=(red, 20, 25))
    _star(draw, (110, 80), 44, GOLD)
    _centred(draw, 230, spec.title, font("sans-bold", 44), (250, 245, 235), width - 200, 100)
    draw.ellipse((width / 2 - 70, 470, width / 2 + 70, 610), outline=(250, 245, 235), width=8)
    draw.polygon([(width / 2 - 22, 505), (width / 2 - 22, 575), (width / 2 + 38, 540)], fill=(250, 245, 235))
    _footer(image, "Ảnh bìa minh họa – tệp video do cán bộ tải lên")
    return image


def tone_wav(seconds: float = 1.5, frequency: float = 440.0, rate: int = 8000) -> bytes:
    """A short, quiet sine tone standing in for a digitised recording."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = int(seconds * rate)
        fade = rate // 10
        samples = bytearray()
        for n in range(frames):
            envelope = min(1.0, n / fade, (frames - n) / fade)
            samples += struct.pack("<h", int(6000 * envelope * math.sin(2 * math.pi * frequency * n / rate)))
        out.writeframes(bytes(samples))
    return buffer.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _pdf(pages: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=110, quality=75)
    return buffer.getvalue()


def media_for(spec: ItemSpec, partial: PartialDate) -> tuple[str, bytes] | None:
    """The file to attach to a demo item: (original name, bytes), drawn deterministically."""
    rng = random.Random(spec.title)  # noqa: S311 - pictures, not secrets
    base = spec.title.replace("/", "-")[:80].rstrip(" ,.")
    kind = spec.picture
    if kind is None:
        return None
    if kind == "document":
        return f"{base}.jpg", _jpeg(document_page(spec, partial, rng))
    if kind == "pdf":
        pages = [document_page(spec, partial, rng, page) for page in range(1, spec.extra.get("page_count", 2) + 1)]
        return f"{base}.pdf", _pdf(pages)
    if kind == "plan":
        return f"{base}.pdf", _pdf([plan_page(spec)])
    if kind.startswith("photo"):
        colour = kind == "photo-color" or partial.year >= 1995
        picture = photo(spec, partial, rng, congress=kind == "photo-congress", colour=colour)
        return f"{base}.jpg", _jpeg(picture)
    if kind.startswith("artifact-"):
        return f"{base}.jpg", _jpeg(artifact(spec, rng, kind.removeprefix("artifact-")))
    if kind == "publication":
        return f"{base}.jpg", _jpeg(publication_cover(spec, partial, rng))
    if kind == "poster":
        return f"Ảnh bìa – {base}.jpg", _jpeg(poster(spec))
    if kind == "audio":
        return f"{base}.wav", tone_wav(frequency=rng.choice([330.0, 392.0, 440.0]))
    raise ValueError(f"unknown picture kind {kind!r}")
