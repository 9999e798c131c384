"""Spreadsheets and ZIPs for the batch ingest tests: real scans, crafted ZIPs, hostile members."""

from __future__ import annotations

import io
import stat
import struct
import zipfile

import pikepdf
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from archive.batches import FILES_COLUMN

HEADERS = ["Tiêu đề", "Loại hình", "Thời kỳ", "Mức độ tiếp cận", FILES_COLUMN]


def jpeg(size=(640, 480), seed: int = 0) -> bytes:
    buffer = io.BytesIO()
    picture = Image.effect_noise(size, 20 + seed % 40).convert("RGB")
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def tiff(size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 190, 170)).save(buffer, "TIFF")
    return buffer.getvalue()


def corrupt_tiff() -> bytes:
    """A TIFF whose header is right and whose strips end half-way."""
    data = tiff((800, 600))
    return data[: len(data) // 3]


def pdf(pages: int = 2) -> bytes:
    sheets = [Image.new("RGB", (300, 420), (250, 250, 240)) for _ in range(pages)]
    buffer = io.BytesIO()
    sheets[0].save(buffer, "PDF", save_all=True, append_images=sheets[1:], resolution=72)
    return buffer.getvalue()


def pdf_without_pages() -> bytes:
    document = pikepdf.new()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_with_broken_page() -> bytes:
    """Two pages; the second is a font dictionary, not a page, so no reader can load it."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R 4 0 R]/Count 2>>"
        b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n4 0 obj<</Type/Font>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF"
    )


def sheet(rows: list[dict], *, fmt: str = "xlsx", name: str = "lo-anh.xlsx") -> SimpleUploadedFile:
    dataset = tablib.Dataset(*[[row.get(h, "") for h in HEADERS] for row in rows], headers=HEADERS)
    data = dataset.export("xlsx") if fmt == "xlsx" else ("\ufeff" + dataset.export("csv")).encode()
    return SimpleUploadedFile(name, data)


def row(title: str, files: str, **extra) -> dict:
    return {
        "Tiêu đề": title,
        "Loại hình": "Ảnh",
        "Thời kỳ": "TK4",
        "Mức độ tiếp cận": "Công khai",
        FILES_COLUMN: files,
        **extra,
    }


def zip_bytes(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return buffer.getvalue()


def archive(members: dict[str, bytes], name: str = "anh-quet.zip", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, zip_bytes(members, **kwargs))


def with_symlink(members: dict[str, bytes], link: str, target: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
        info = zipfile.ZipInfo(link)
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        bundle.writestr(info, target)
    return buffer.getvalue()


def declaring_sizes(data: bytes, sizes: dict[str, int], *, compressed: bool = True) -> bytes:
    """The ZIP with its central directory declaring other sizes for some members (compressed too,
    unless told not to): how a ZIP of 2 GB or more looks to the preview, which reads only that
    directory."""
    data = bytearray(data)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        name = bytes(data[position + 46 : position + 46 + name_length]).decode()
        if name in sizes:
            struct.pack_into("<I", data, position + 24, sizes[name])
            if compressed:
                struct.pack_into("<I", data, position + 20, sizes[name])
        position = data.find(b"PK\x01\x02", position + 46 + name_length + extra_length + comment_length)
    return bytes(data)


def without_utf8_flag(data: bytes) -> bytes:
    """The ZIP with its names' UTF-8 flag cleared, as 7-Zip, macOS and many scanners write them."""
    data = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        while position != -1:
            (flags,) = struct.unpack_from("<H", data, position + flags_at)
            struct.pack_into("<H", data, position + flags_at, flags & ~0x800)
            position = data.find(signature, position + 4)
    return bytes(data)
