"""Uploaded media: inspection by content, derivatives made once, duplicate lookup.

Every upload is judged by what it is, never by its name: the magic bytes (``filetype``)
pick the type from a short allow-list, Pillow decodes images fully (with its
decompression-bomb limit raised as an error), PDFs are opened with pypdfium2 and refused
when they carry JavaScript or launch actions. Derivatives (thumbnail, medium, large; JPEG,
EXIF orientation applied, never upscaled) are written once, when the file is stored,
and never on a page view. All file access goes through Django's storage API, so the
media can live on the local disk or on S3-compatible storage.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import filetype
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from archive.models import Item, MediaFile

__all__ = [
    "ALL_KINDS",
    "DERIVATIVE_SIZES",
    "MAX_UPLOAD_BYTES",
    "UploadInspection",
    "derivative_dimensions",
    "duplicates_of",
    "inspect_upload",
    "make_derivatives",
    "media_file_store",
    "prepare_media_file",
]

Kind = MediaFile.Kind
ALL_KINDS: tuple[str, ...] = (Kind.IMAGE, Kind.PDF, Kind.VIDEO, Kind.AUDIO)

MB = 1024 * 1024
#: Largest upload accepted per kind, in bytes. Read at call time, so tests and settings may change it.
MAX_UPLOAD_BYTES: dict[str, int] = {
    Kind.IMAGE: 40 * MB,
    Kind.PDF: 100 * MB,
    Kind.AUDIO: 200 * MB,
    Kind.VIDEO: 1024 * MB,
}

#: Longest side in pixels of each derivative, by MediaFile field name.
DERIVATIVE_SIZES: dict[str, int] = {"thumbnail": 320, "medium": 960, "large": 1920}
DERIVATIVE_QUALITY = 82

# What is accepted, by the MIME type ``filetype`` reads from the magic bytes:
# (kind, canonical MIME type, canonical extension). Anything else is refused.
ACCEPTED_TYPES: dict[str, tuple[str, str, str]] = {
    "image/jpeg": (Kind.IMAGE, "image/jpeg", ".jpg"),
    "image/png": (Kind.IMAGE, "image/png", ".png"),
    "image/apng": (Kind.IMAGE, "image/png", ".png"),
    "image/webp": (Kind.IMAGE, "image/webp", ".webp"),
    "image/tiff": (Kind.IMAGE, "image/tiff", ".tif"),
    "image/gif": (Kind.IMAGE, "image/gif", ".gif"),
    "application/pdf": (Kind.PDF, "application/pdf", ".pdf"),
    "video/mp4": (Kind.VIDEO, "video/mp4", ".mp4"),
    "video/webm": (Kind.VIDEO, "video/webm", ".webm"),
    "audio/mpeg": (Kind.AUDIO, "audio/mpeg", ".mp3"),
    "audio/mp4": (Kind.AUDIO, "audio/mp4", ".m4a"),
    "audio/aac": (Kind.AUDIO, "audio/aac", ".aac"),
    "audio/ogg": (Kind.AUDIO, "audio/ogg", ".ogg"),
    "audio/x-wav": (Kind.AUDIO, "audio/wav", ".wav"),
}
# Pillow format names that may stand behind each accepted image MIME type.
PILLOW_FORMATS = {
    "image/jpeg": {"JPEG", "MPO"},
    "image/png": {"PNG"},
    "image/webp": {"WEBP"},
    "image/tiff": {"TIFF"},
    "image/gif": {"GIF"},
}

HEAD_BYTES = 8192
CHUNK_BYTES = MB
# Markers of HTML or script hidden in an image (a polyglot a browser might run as a page).
# Long enough that compressed image data does not match them by chance.
POLYGLOT_MARKERS = re.compile(rb"<(?:script|html|body|iframe|svg[\s/>]|\?php|!doctype)|javascript:")
POLYGLOT_OVERLAP = 16
# PDF names that run code or programs: /JS and /JavaScript actions, /Launch actions.
PDF_DANGEROUS_NAMES = {b"JS", b"JavaScript", b"Launch"}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM_START = re.compile(rb"stream\r?\n")
_PDF_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm[^>]*>>\s*stream\r?\n", re.DOTALL)

MESSAGES: dict[str, Any] = {
    "empty": _("%(field)s: tệp rỗng (0 byte). Hãy chọn lại tệp có nội dung."),
    "unknown_type": _(
        "%(field)s: không nhận ra loại tệp hoặc loại tệp không được phép (ví dụ SVG, HTML, tệp chạy được), "
        "dù tên tệp là gì. Hãy chọn ảnh JPEG, PNG, WebP, TIFF, GIF; tệp PDF; video MP4, WebM "
        "hoặc âm thanh MP3, M4A, AAC, OGG, WAV."
    ),
    "kind_not_allowed": _("%(field)s: ở đây không nhận tệp %(kind)s. Hãy chọn tệp thuộc loại: %(allowed)s."),
    "too_large": _(
        "%(field)s: tệp %(kind)s nặng %(size)s, vượt giới hạn %(limit)s. Hãy nén hoặc giảm dung lượng tệp rồi tải lại."
    ),
    "bad_image": _(
        "%(field)s: tệp ảnh bị hỏng hoặc không đầy đủ nên không đọc được. "
        "Hãy xuất lại ảnh từ máy quét, máy ảnh hoặc chọn tệp khác."
    ),
    "decompression_bomb": _(
        "%(field)s: ảnh có quá nhiều điểm ảnh (tối đa %(limit)s triệu điểm ảnh). "
        "Hãy giảm độ phân giải của ảnh rồi tải lại."
    ),
    "polyglot": _(
        "%(field)s: tệp ảnh có chứa mã HTML hoặc JavaScript, có thể là tệp giả mạo. "
        "Hãy mở ảnh bằng phần mềm xử lý ảnh, lưu lại thành tệp mới rồi tải lên."
    ),
    "bad_pdf": _(
        "%(field)s: không mở được tệp PDF (tệp hỏng hoặc có đặt mật khẩu). "
        "Hãy lưu lại tệp PDF không đặt mật khẩu rồi tải lại."
    ),
    "pdf_javascript": _(
        "%(field)s: tệp PDF có chứa mã JavaScript hoặc lệnh tự chạy nên không được nhận. "
        "Hãy in lại tài liệu ra PDF (chức năng “In ra PDF”) để loại bỏ mã rồi tải lại."
    ),
}


@dataclass(frozen=True)
class UploadInspection:
    """What an upload really is, read from its content."""

    kind: str
    mime_type: str
    extension: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    page_count: int | None


def _error(code: str, field_label: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params={"field": field_label, **params})


def _kind_label(kind: str) -> str:
    return str(Kind(kind).label).lower() if kind in Kind.values else kind


def _upload_size(uploaded) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
    return int(size)


def _iter_chunks(uploaded):
    uploaded.seek(0)
    while chunk := uploaded.read(CHUNK_BYTES):
        yield chunk
    uploaded.seek(0)


def _read_head(uploaded) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    return bytes(head)


def _sniff(head: bytes) -> tuple[str, str, str] | None:
    guessed = filetype.guess(head)
    if guessed is None:
        return None
    mime = guessed.mime
    if mime == "video/mp4" and head[8:11] in (b"M4A", b"M4B"):
        mime = "audio/mp4"
    return ACCEPTED_TYPES.get(mime)


def _contains_markers(uploaded, markers: re.Pattern[bytes]) -> bool:
    """Case-insensitive search for markers across the whole file, chunk boundaries included."""
    tail = b""
    for chunk in _iter_chunks(uploaded):
        window = (tail + bytes(chunk)).lower()
        if markers.search(window):
            uploaded.seek(0)
            return True
        tail = window[-POLYGLOT_OVERLAP:]
    return False


def _open_image(uploaded, field_label: str) -> Image.Image:
    """Open an image with the decompression-bomb limit enforced as an error."""
    uploaded.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(uploaded)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb_error(field_label) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _error("bad_image", field_label) from None


def _bomb_error(field_label: str) -> ValidationError:
    limit = (Image.MAX_IMAGE_PIXELS or 0) / 1_000_000
    return _error("decompression_bomb", field_label, limit=f"{limit:g}".replace(".", ","))


def _inspect_image(uploaded, mime: str, field_label: str) -> tuple[int, int]:
    """Verify, then reopen and decode fully; return the size as the image displays (EXIF applied)."""
    if _contains_markers(uploaded, POLYGLOT_MARKERS):
        raise _error("polyglot", field_label)
    image = _open_image(uploaded, field_label)
    if image.format not in PILLOW_FORMATS.get(mime, set()):
        raise _error("bad_image", field_label)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.verify()
            image = _open_image(uploaded, field_label)  # verify() leaves the image unusable
            image.load()
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb_error(field_label) from None
        except (OSError, SyntaxError, ValueError, IndexError, EOFError, struct.error):
            raise _error("bad_image", field_label) from None
        finally:
            uploaded.seek(0)
    if orientation in (5, 6, 7, 8):  # rotated a quarter turn: displays with sides swapped
        width, height = height, width
    return width, height


def _pdf_names(data: bytes) -> set[bytes]:
    names = set()
    for match in _PDF_NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        names.add(name)
    return names


def _pdf_outside_streams(data: bytes) -> Iterable[bytes]:
    """The PDF's text outside stream bodies: binary data there could spell "/JS" by chance."""
    position = 0
    while (match := _PDF_STREAM_START.search(data, position)) is not None:
        if data[max(0, match.start() - 3) : match.start()] == b"end":  # "endstream"
            yield data[position : match.end()]
            position = match.end()
            continue
        yield data[position : match.start()]
        end = data.find(b"endstream", match.end())
        if end == -1:
            return
        position = end + len(b"endstream")
    yield data[position:]


def _pdf_object_streams(data: bytes) -> Iterable[bytes]:
    """The decompressed contents of object streams, where dictionaries can hide from a byte scan."""
    for match in _PDF_OBJECT_STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end == -1:
            continue
        try:
            yield zlib.decompressobj().decompress(data[start:end], 50 * MB)
        except zlib.error:
            continue


def pdf_has_javascript(data: bytes, document: pdfium.PdfDocument | None = None) -> bool:
    """Whether a PDF carries JavaScript or launch actions (byte scan, object streams, PDFium)."""
    if any(_pdf_names(part) & PDF_DANGEROUS_NAMES for part in _pdf_outside_streams(data)):
        return True
    if any(_pdf_names(stream) & PDF_DANGEROUS_NAMES for stream in _pdf_object_streams(data)):
        return True
    return bool(document is not None and pdfium_raw.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0)


def _inspect_pdf(uploaded, field_label: str) -> tuple[int, int, int]:
    """Open the PDF, refuse scripts; return the first page's size in points and the page count."""
    uploaded.seek(0)
    data = bytes(uploaded.read())
    uploaded.seek(0)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _error("bad_pdf", field_label) from None
    try:
        if pdf_has_javascript(data, document):
            raise _error("pdf_javascript", field_label)
        page_count = len(document)
        if page_count < 1:
            raise _error("bad_pdf", field_label)
        page = document[0]
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):
            width, height = height, width
        page.close()
    finally:
        document.close()
    return max(1, round(width)), max(1, round(height)), page_count


def inspect_upload(uploaded, *, allowed_kinds: Iterable[str] = ALL_KINDS, field_label: str = "Tệp") -> UploadInspection:
    """Find out what an upload really is, or raise ValidationError naming the field and the fix.

    Leaves the file position at 0.
    """
    allowed = [str(k) for k in allowed_kinds]
    field_label = str(field_label)
    size = _upload_size(uploaded)
    if size == 0:
        raise _error("empty", field_label)
    head = _read_head(uploaded)
    sniffed = _sniff(head)
    if sniffed is None:
        raise _error("unknown_type", field_label)
    kind, mime, extension = sniffed
    if kind not in allowed:
        raise _error(
            "kind_not_allowed",
            field_label,
            kind=_kind_label(kind),
            allowed=", ".join(_kind_label(k) for k in allowed),
        )
    limit = MAX_UPLOAD_BYTES[kind]
    if size > limit:
        raise _error(
            "too_large", field_label, kind=_kind_label(kind), size=filesizeformat(size), limit=filesizeformat(limit)
        )
    width = height = page_count = None
    if kind == Kind.IMAGE:
        width, height = _inspect_image(uploaded, mime, field_label)
    elif kind == Kind.PDF:
        width, height, page_count = _inspect_pdf(uploaded, field_label)
    digest = hashlib.sha256()
    for chunk in _iter_chunks(uploaded):
        digest.update(chunk)
    uploaded.seek(0)
    return UploadInspection(
        kind=kind,
        mime_type=mime,
        extension=extension,
        size=size,
        sha256=digest.hexdigest(),
        width=width,
        height=height,
        page_count=page_count,
    )


def clean_original_name(name: str, extension: str = "") -> str:
    """The uploaded name for display and download: no path parts, NFC, diacritics kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    name = " ".join(name.split())
    if not name:
        name = f"tep{extension}"
    if len(name) > 255:
        stem, dot, suffix = name.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix) <= 10 else ""
        name = (stem if dot else name)[: 255 - len(suffix)] + suffix
    return name


def derivative_dimensions(width: int | None, height: int | None, longest: int) -> tuple[int, int] | None:
    """The size of a derivative fitted within ``longest`` pixels, never upscaled."""
    if not width or not height:
        return None
    scale = min(1.0, longest / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_rgb(image: Image.Image) -> Image.Image:
    """An RGB copy for JPEG: 16-bit greys scaled, transparency flattened onto white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        return background
    return image.convert("RGB")


def _source_image(media_file: MediaFile) -> Image.Image:
    """The picture the derivatives are made from: the image upright, or a PDF's first page."""
    largest = max(DERIVATIVE_SIZES.values())
    with media_file.file.open("rb") as handle:
        data = handle.read()
    if media_file.kind == Kind.PDF:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            scale = min(4.0, largest / max(page.get_size()))
            picture = page.render(scale=scale, rotation=0, fill_color=(255, 255, 255, 255)).to_pil()
            page.close()
        finally:
            document.close()
        return picture
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        picture = Image.open(io.BytesIO(data))
        if picture.format == "JPEG":
            picture.draft("RGB", (largest, largest))
        picture.load()
    return ImageOps.exif_transpose(picture) or picture


def make_derivatives(media_file: MediaFile) -> None:
    """Write the large, medium and thumbnail JPEGs of an image or a PDF's first page.

    Called once, from ``prepare_media_file``; video and audio have none. Each size is
    scaled down from the one before it; a size no smaller than the one before (a small
    original is never upscaled) reuses that file instead of storing a copy.
    """
    if media_file.kind not in (Kind.IMAGE, Kind.PDF):
        return
    picture = _to_rgb(_source_image(media_file))
    source_size = picture.size
    previous_name = ""
    for field_name, longest in sorted(DERIVATIVE_SIZES.items(), key=lambda pair: -pair[1]):
        size = derivative_dimensions(*source_size, longest)
        if size == picture.size and previous_name:
            setattr(media_file, field_name, previous_name)
            continue
        if size != picture.size:
            picture = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=DERIVATIVE_QUALITY, optimize=True, progressive=True)
        getattr(media_file, field_name).save(f"{field_name}.jpg", ContentFile(buffer.getvalue()), save=False)
        previous_name = getattr(media_file, field_name).name


make_derivatives.alters_data = True


def prepare_media_file(media_file: MediaFile, uploaded, inspection: UploadInspection | None = None) -> None:
    """Fill the facts of an upload on an unsaved or changed MediaFile, store it and its derivatives.

    The upload is stored under a random name through the default storage; its cleaned
    original name is kept for display. Derivatives are made here, once. The caller saves.
    """
    inspection = inspection or inspect_upload(uploaded)
    media_file.kind = inspection.kind
    media_file.mime_type = inspection.mime_type
    media_file.size = inspection.size
    media_file.sha256 = inspection.sha256
    media_file.width = inspection.width
    media_file.height = inspection.height
    media_file.page_count = inspection.page_count
    media_file.original_name = clean_original_name(getattr(uploaded, "name", ""), inspection.extension)
    uploaded.seek(0)
    media_file.file.save(f"upload{inspection.extension}", uploaded, save=False)
    uploaded.seek(0)
    for field_name in DERIVATIVE_SIZES:
        setattr(media_file, field_name, "")
    make_derivatives(media_file)


prepare_media_file.alters_data = True


def _stored_names(media_file: MediaFile) -> set[str]:
    return {name for name in (media_file.file.name, *(getattr(media_file, f).name for f in DERIVATIVE_SIZES)) if name}


def media_file_store(
    *, item: Item, uploaded, caption: str = "", alt_text: str = "", is_primary: bool | None = None
) -> MediaFile:
    """Inspect an upload, store it with its derivatives and attach it to an item.

    The item's first media file becomes its primary one unless told otherwise; making a
    file primary takes the mark from the previous one. On bad input nothing is stored.
    """
    inspection = inspect_upload(uploaded, field_label=str(MediaFile._meta.get_field("file").verbose_name).capitalize())
    media_file = MediaFile(item=item, caption=caption, alt_text=alt_text)
    prepare_media_file(media_file, uploaded, inspection)
    try:
        with transaction.atomic():
            has_primary = item.media.filter(is_primary=True).exists()
            media_file.is_primary = not has_primary if is_primary is None else is_primary
            if media_file.is_primary and has_primary:
                item.media.filter(is_primary=True).update(is_primary=False)
            last = item.media.aggregate(last=Max("position"))["last"]
            media_file.position = 0 if last is None else last + 1
            media_file.full_clean()
            media_file.save()
    except Exception:
        storage = media_file.file.storage
        for name in _stored_names(media_file):
            storage.delete(name)
        raise
    return media_file


def duplicates_of(sha256: str, *, exclude_item: Item | None = None) -> QuerySet[MediaFile]:
    """The same content already attached to other items (a warning for staff, not a refusal)."""
    queryset = MediaFile.objects.filter(sha256=sha256).select_related("item")
    if exclude_item is not None and exclude_item.pk:
        queryset = queryset.exclude(item=exclude_item)
    return queryset
