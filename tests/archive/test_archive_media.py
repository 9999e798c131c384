"""Upload inspection by content, derivatives made once, EXIF orientation, duplicates."""

import functools
import io
import unicodedata
import wave
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from archive import media, processing
from archive.models import Item, MediaFile
from tests.archive.media_samples import sample

# --- sample files -------------------------------------------------------------------------


def image_bytes(fmt: str, size=(64, 48), color=(180, 120, 60), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def pdf_bytes(pages: int = 1, size=(600, 850)) -> bytes:
    images = [Image.new("RGB", size, (250, 250, 245)) for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def handmade_pdf(catalog_extra: bytes = b"", extra_objects: bytes = b"") -> bytes:
    """A tiny valid PDF built by hand, with something added to the catalogue."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    out.write(extra_objects)
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


# An MP4 header and nothing behind it: enough for the magic bytes, refused by ffprobe's check.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + b"\x00" * 64


def made(name: str):
    """A real film or recording, made with ffmpeg when a test first reads it (see media_samples)."""
    return functools.partial(sample, name)


def content_of(content) -> bytes:
    return content() if callable(content) else content


GOOD_FILES = [
    # (name as uploaded, content, kind, mime type, canonical extension)
    ("ảnh.jpg", image_bytes("JPEG"), "image", "image/jpeg", ".jpg"),
    ("ảnh.png", image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)), "image", "image/png", ".png"),
    ("ảnh.webp", image_bytes("WEBP"), "image", "image/webp", ".webp"),
    ("ảnh.tif", image_bytes("TIFF"), "image", "image/tiff", ".tif"),
    ("ảnh.gif", image_bytes("GIF", mode="P", color=3), "image", "image/gif", ".gif"),
    ("văn bản.pdf", pdf_bytes(2), "pdf", "application/pdf", ".pdf"),
    ("tay.pdf", handmade_pdf(), "pdf", "application/pdf", ".pdf"),
    ("phim.mp4", made("phim.mp4"), "video", "video/mp4", ".mp4"),
    ("phim có tiếng.mp4", made("phim có tiếng.mp4"), "video", "video/mp4", ".mp4"),
    ("phim.webm", made("phim.webm"), "video", "video/webm", ".webm"),
    ("ghi âm.mp3", made("ghi âm.mp3"), "audio", "audio/mpeg", ".mp3"),
    ("ghi âm.m4a", made("ghi âm.m4a"), "audio", "audio/mp4", ".m4a"),
    ("ghi âm.aac", made("ghi âm.aac"), "audio", "audio/aac", ".aac"),
    ("ghi âm.ogg", made("ghi âm.ogg"), "audio", "audio/ogg", ".ogg"),
    ("ghi âm.wav", made("ghi âm.wav"), "audio", "audio/wav", ".wav"),
    ("ghi âm python.wav", wav_bytes(), "audio", "audio/wav", ".wav"),
]


def truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    picture = Image.effect_noise((400, 300), 60).convert("RGB")
    picture.save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


@functools.cache
def bomb_png() -> bytes:
    """A one-colour 20000 x 20000 PNG: tiny on disk, 400 million pixels when decoded."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


JS_PDF = handmade_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\('x'\\)) >>")
HEX_JS_PDF = handmade_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
LAUNCH_PDF = handmade_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>")
PNG_WITH_SCRIPT = image_bytes("PNG") + b"<script>alert(document.cookie)</script>"

BAD_FILES = [
    # (id, name, content, expected error code)
    ("empty", "rỗng.jpg", b"", "empty"),
    ("text renamed .jpg", "ghi chú.jpg", "Đây là văn bản, không phải ảnh.\n".encode() * 20, "unknown_type"),
    (
        "svg with script",
        "biểu tượng.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "unknown_type",
    ),
    ("svg renamed .png", "logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "unknown_type"),
    ("html", "trang.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "unknown_type"),
    ("html renamed .pdf", "trang.pdf", b"<html><body>not a pdf</body></html>", "unknown_type"),
    ("windows executable renamed .jpg", "ảnh.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "unknown_type"),
    ("elf executable renamed .jpg", "ảnh.jpg", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, "unknown_type"),
    ("zip renamed .pdf", "hồ sơ.pdf", b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 200, "unknown_type"),
    ("truncated jpeg", "ảnh cắt.jpg", truncated_jpeg(), "bad_image"),
    ("png header then garbage", "ảnh.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 40, "bad_image"),
    ("gif header then html", "ảnh.gif", b"GIF89a<html><script>alert(1)</script></html>", "polyglot"),
    ("valid png with script appended", "ảnh.png", PNG_WITH_SCRIPT, "polyglot"),
    ("decompression bomb", "bom.png", bomb_png(), "decompression_bomb"),
    ("pdf with javascript", "văn bản.pdf", JS_PDF, "pdf_javascript"),
    ("pdf with hex-escaped javascript", "văn bản.pdf", HEX_JS_PDF, "pdf_javascript"),
    ("pdf with launch action", "văn bản.pdf", LAUNCH_PDF, "pdf_javascript"),
    ("broken pdf", "hỏng.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "bad_pdf"),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def item(db):
    return Item.objects.create(title="Biên bản Đại hội Đảng bộ Khối lần thứ nhất", is_sample=True)


@pytest.fixture
def other_item(db):
    return Item.objects.create(title="Ảnh tư liệu Ban Chấp hành", is_sample=True)


# --- inspection -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "kind", "mime", "extension"), GOOD_FILES, ids=[g[0] for g in GOOD_FILES])
def test_good_files_are_recognised_by_content(name, content, kind, mime, extension):
    content = content_of(content)
    uploaded = upload(name, content)
    result = media.inspect_upload(uploaded)
    assert (result.kind, result.mime_type, result.extension) == (kind, mime, extension)
    assert result.size == len(content)
    assert len(result.sha256) == 64
    assert uploaded.tell() == 0
    if kind in ("video", "audio"):
        assert 0 < result.duration <= 1.2  # the samples last a second or less
    else:
        assert result.duration is None


def test_image_and_pdf_dimensions_are_recorded():
    jpeg = media.inspect_upload(upload("a.jpg", image_bytes("JPEG", size=(300, 200))))
    assert (jpeg.width, jpeg.height, jpeg.page_count) == (300, 200, None)
    pdf = media.inspect_upload(upload("a.pdf", pdf_bytes(3, size=(600, 850))))
    assert pdf.page_count == 3
    assert pdf.height > pdf.width  # the first page's shape, portrait
    audio = media.inspect_upload(upload("a.wav", wav_bytes()))
    assert (audio.width, audio.height, audio.page_count) == (None, None, None)


def test_the_name_does_not_decide_the_type():
    result = media.inspect_upload(upload("thực ra là ảnh.pdf", image_bytes("PNG")))
    assert (result.kind, result.extension) == ("image", ".png")


@pytest.mark.parametrize(("case", "name", "content", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_a_vietnamese_message_naming_the_field(case, name, content, code, monkeypatch):
    if code == "decompression_bomb":
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000_000)
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload(name, content), field_label="Tệp đính kèm")
    error = caught.value
    assert error.code == code
    message = error.messages[0]
    assert message.startswith("Tệp đính kèm: ")
    assert "Hãy" in message  # says what to do about it


def test_decompression_bomb_is_an_error_even_below_pillows_own_error_threshold(monkeypatch):
    # 400 million pixels is above MAX_IMAGE_PIXELS but below twice it, where Pillow only warns.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300_000_000)
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload("bom.png", bomb_png()))
    assert caught.value.code == "decompression_bomb"
    assert "300 triệu điểm ảnh" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("content", "kind"),
    [(image_bytes("JPEG"), "image"), (pdf_bytes(), "pdf"), (made("phim.mp4"), "video"), (wav_bytes(), "audio")],
    ids=["image", "pdf", "video", "audio"],
)
def test_each_kind_has_its_own_size_limit(content, kind, monkeypatch):
    content = content_of(content)
    monkeypatch.setitem(media.MAX_UPLOAD_BYTES, kind, len(content) - 1)
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload("x", content))
    assert caught.value.code == "too_large"
    monkeypatch.setitem(media.MAX_UPLOAD_BYTES, kind, len(content))
    assert media.inspect_upload(upload("x", content)).kind == kind


def test_default_size_limits():
    assert media.MAX_UPLOAD_BYTES == {
        "image": 40 * 1024 * 1024,
        "pdf": 100 * 1024 * 1024,
        "audio": 200 * 1024 * 1024,
        "video": 1024 * 1024 * 1024,
        "office": 20 * 1024 * 1024,
    }


def test_kind_not_allowed_here():
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload("phim.mp4", MP4), allowed_kinds=["image", "pdf"], field_label="Ảnh")
    assert caught.value.code == "kind_not_allowed"
    assert caught.value.messages[0].startswith("Ảnh: ở đây không nhận tệp video.")


# --- storing --------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "name", "content", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_refused_upload_stores_nothing(case, name, content, code, item, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000_000)
    with pytest.raises(ValidationError) as caught:
        media.media_file_store(item=item, uploaded=upload(name, content))
    assert caught.value.messages[0].startswith("Tệp: ")
    assert MediaFile.objects.count() == 0
    assert stored_files() == []


def test_oversized_upload_stores_nothing(item, monkeypatch):
    monkeypatch.setitem(media.MAX_UPLOAD_BYTES, "image", 10)
    with pytest.raises(ValidationError):
        media.media_file_store(item=item, uploaded=upload("ảnh.jpg", image_bytes("JPEG")))
    assert MediaFile.objects.count() == 0
    assert stored_files() == []


def test_failed_save_removes_the_stored_files(item, monkeypatch):
    def broken_full_clean(self, *args, **kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr(MediaFile, "full_clean", broken_full_clean)
    with pytest.raises(ValidationError):
        media.media_file_store(item=item, uploaded=upload("ảnh.jpg", image_bytes("JPEG", size=(1000, 800))))
    assert stored_files() == []


@pytest.mark.parametrize(("name", "content", "kind", "mime", "extension"), GOOD_FILES, ids=[g[0] for g in GOOD_FILES])
def test_store_records_the_facts_under_a_random_name(name, content, kind, mime, extension, item):
    content = content_of(content)
    stored = media.media_file_store(item=item, uploaded=upload(name, content), caption="Chú thích")
    stored.refresh_from_db()
    assert (stored.kind, stored.mime_type, stored.size) == (kind, mime, len(content))
    assert stored.original_name == name
    assert stored.file.name.startswith("items/") and stored.file.name.endswith(extension)
    assert name.rsplit(".", 1)[0] not in stored.file.name
    assert stored.file.storage.exists(stored.file.name)
    with stored.file.open("rb") as handle:
        assert handle.read() == content
    has_derivatives = kind in ("image", "pdf", "video")  # a film's are its poster frame's
    assert all(bool(getattr(stored, f)) == has_derivatives for f in ("thumbnail", "medium", "large"))


def test_original_name_loses_path_parts_and_is_nfc(item):
    decomposed = unicodedata.normalize("NFD", "C:\\Users\\an\\Tài liệu/Ảnh Đại hội lần thứ I.png")
    stored = media.media_file_store(item=item, uploaded=upload(decomposed, image_bytes("PNG")))
    assert stored.original_name == "Ảnh Đại hội lần thứ I.png"
    assert unicodedata.is_normalized("NFC", stored.original_name)


def test_stored_extension_follows_the_content_not_the_name(item):
    stored = media.media_file_store(item=item, uploaded=upload("ảnh.gif", image_bytes("JPEG")))
    assert stored.file.name.endswith(".jpg")
    assert stored.original_name == "ảnh.jpg"  # shown and downloaded by what it is


@pytest.mark.parametrize(
    ("name", "extension", "shown"),
    [
        ("anh.exe", ".png", "anh.png"),
        ("Ảnh Đại hội.PNG", ".png", "Ảnh Đại hội.PNG"),
        ("ảnh quét.jpeg", ".jpg", "ảnh quét.jpeg"),
        ("bản đồ.tiff", ".tif", "bản đồ.tiff"),
        ("anh.png.exe", ".png", "anh.png"),
        ("anh.exe.png", ".png", "anh.exe.png"),
        ("biên bản.docx", ".pdf", "biên bản.pdf"),
        ("biên bản", ".pdf", "biên bản.pdf"),
        ("Nghị quyết số 12.2010", ".pdf", "Nghị quyết số 12.2010.pdf"),
        ("Đại hội lần thứ I. Hà Nội", ".jpg", "Đại hội lần thứ I. Hà Nội.jpg"),
        ("ghi âm.mp4", ".m4a", "ghi âm.mp4"),
        ("phim.mov", ".mp4", "phim.mp4"),
        ("anh .exe", ".png", "anh.png"),
        ("trang.html", ".png", "trang.png"),
        ("...", ".png", "tep.png"),
        ("anh.exe", "", "anh.exe"),
    ],
)
def test_the_shown_name_keeps_only_an_extension_that_matches_the_content(name, extension, shown):
    assert media.clean_original_name(name, extension) == shown


def test_a_long_name_keeps_the_real_extension():
    shown = media.clean_original_name("Ảnh " + "a" * 300 + ".exe", ".png")
    assert len(shown) == 255 and shown.endswith("a.png")


def test_first_media_is_primary_and_positions_follow(item):
    first = media.media_file_store(item=item, uploaded=upload("1.png", image_bytes("PNG", color=(1, 1, 1))))
    second = media.media_file_store(item=item, uploaded=upload("2.png", image_bytes("PNG", color=(2, 2, 2))))
    assert (first.is_primary, second.is_primary) == (True, False)
    assert (first.position, second.position) == (0, 1)
    third = media.media_file_store(
        item=item, uploaded=upload("3.png", image_bytes("PNG", color=(3, 3, 3))), is_primary=True
    )
    assert list(item.media.filter(is_primary=True)) == [third]


# --- derivatives ----------------------------------------------------------------------------


def test_derivatives_fit_their_sizes_and_never_upscale(item):
    big = media.media_file_store(item=item, uploaded=upload("lớn.png", image_bytes("PNG", size=(2400, 1200))))
    sizes = {}
    for field in ("thumbnail", "medium", "large"):
        with getattr(big, field).open("rb") as handle, Image.open(handle) as picture:
            assert picture.format == "JPEG"
            sizes[field] = picture.size
    assert sizes == {"thumbnail": (320, 160), "medium": (960, 480), "large": (1920, 960)}

    small = media.media_file_store(item=item, uploaded=upload("nhỏ.png", image_bytes("PNG", size=(200, 100))))
    assert small.thumbnail.name == small.medium.name == small.large.name
    with small.large.open("rb") as handle, Image.open(handle) as picture:
        assert picture.size == (200, 100)
    assert media.derivative_dimensions(2400, 1200, 960) == (960, 480)
    assert media.derivative_dimensions(200, 100, 960) == (200, 100)
    assert media.derivative_dimensions(None, None, 960) is None


def test_derivatives_are_made_once(item, monkeypatch):
    calls = []
    real = media.make_derivatives

    def counting(media_file, path, **kwargs):
        calls.append(media_file)
        real(media_file, path, **kwargs)

    monkeypatch.setattr(processing, "make_derivatives", counting)
    stored = media.media_file_store(item=item, uploaded=upload("ảnh.jpg", image_bytes("JPEG", size=(1200, 900))))
    names = (stored.thumbnail.name, stored.medium.name, stored.large.name)
    assert len(calls) == 1
    files_before = sorted(stored_files())

    stored.caption = "Chú thích mới"
    stored.save()
    item.title = "Tiêu đề mới"
    item.save()
    again = MediaFile.objects.get(pk=stored.pk)
    again.full_clean()
    again.save()
    _ = (again.thumbnail.url, again.medium.url, again.large.url)  # what a page view touches

    assert len(calls) == 1
    assert (again.thumbnail.name, again.medium.name, again.large.name) == names
    assert sorted(stored_files()) == files_before


def test_exif_orientation_is_applied(item):
    # Left half red, right half blue, stored sideways with orientation 6 (rotate 90° clockwise to view).
    picture = Image.new("RGB", (400, 200), "blue")
    ImageDraw.Draw(picture).rectangle((0, 0, 199, 199), fill="red")
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95)
    stored = media.media_file_store(item=item, uploaded=upload("xoay.jpg", buffer.getvalue()))
    assert (stored.width, stored.height) == (200, 400)  # as it displays
    with stored.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        thumb = thumb.convert("RGB")
        assert thumb.size == (160, 320)
        top, bottom = thumb.getpixel((80, 40)), thumb.getpixel((80, 280))
    assert top[0] > 200 and top[2] < 60  # red on top
    assert bottom[2] > 200 and bottom[0] < 60  # blue below


def test_pdf_first_page_preview(item):
    stored = media.media_file_store(item=item, uploaded=upload("nghị quyết.pdf", pdf_bytes(2, size=(600, 850))))
    assert stored.page_count == 2
    with stored.medium.open("rb") as handle, Image.open(handle) as preview:
        assert preview.format == "JPEG"
        assert max(preview.size) == 960
        assert preview.height > preview.width


def animated_gif() -> bytes:
    frames = [Image.new("P", (120, 80), index) for index in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cmyk.jpg", image_bytes("JPEG", mode="CMYK", color=(0, 80, 80, 10), size=(500, 400))),
        ("xám 16 bit.png", image_bytes("PNG", mode="I;16", color=40000, size=(500, 400))),
        ("xám 16 bit.tif", image_bytes("TIFF", mode="I;16", color=40000, size=(500, 400))),
        ("động.gif", animated_gif()),
        ("bảng màu.png", image_bytes("PNG", mode="P", color=5, size=(500, 400), transparency=5)),
    ],
)
def test_unusual_image_modes_get_derivatives(name, content, item):
    stored = media.media_file_store(item=item, uploaded=upload(name, content))
    with stored.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.format == "JPEG" and thumb.mode == "RGB"
        assert max(thumb.size) == min(320, max(stored.width, stored.height))


def test_transparent_png_is_flattened_onto_white(item):
    stored = media.media_file_store(
        item=item, uploaded=upload("trong.png", image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)))
    )
    with stored.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert min(thumb.convert("RGB").getpixel((5, 5))) > 240


# --- duplicates ----------------------------------------------------------------------------


def test_duplicates_of_finds_the_same_content_elsewhere(item, other_item):
    content = image_bytes("JPEG", size=(80, 60), color=(10, 20, 30))
    first = media.media_file_store(item=item, uploaded=upload("một.jpg", content))
    second = media.media_file_store(item=other_item, uploaded=upload("hai.jpg", content))
    assert first.sha256 == second.sha256
    assert list(media.duplicates_of(second.sha256, exclude_item=other_item)) == [first]
    assert set(media.duplicates_of(second.sha256)) == {first, second}
    different = media.inspect_upload(upload("ba.jpg", image_bytes("JPEG", color=(99, 99, 99))))
    assert not media.duplicates_of(different.sha256).exists()


def test_binary_stream_data_that_spells_js_is_not_mistaken_for_javascript():
    binary = b"\x00\x01/JS \x02/JavaScript\x03" * 4
    stream = b"4 0 obj\n<< /Length %d >>\nstream\n" % len(binary) + binary + b"\nendstream\nendobj\n"
    result = media.inspect_upload(upload("quét.pdf", handmade_pdf(extra_objects=stream)))
    assert result.kind == "pdf"
