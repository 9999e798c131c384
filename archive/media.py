"""Uploaded media: inspection by content, derivatives made once, duplicate lookup.

Every upload is judged by what it is, never by its name: the magic bytes (``filetype``)
pick the type from a short allow-list, Pillow decodes images fully (with its
decompression-bomb limit raised as an error), every object of a PDF is read with pikepdf
and the PDF refused when it carries scripts, launch or submit actions, embedded files or
links other than the web's, films and recordings are read with ffprobe and refused without
a picture or sound and a duration. It is the one inspection of the project: the upgrades'
attachments (which may also be Word and Excel files) go through it too. The name shown for
a file ends in its real type's extension. No upload is read into memory whole: it is inspected
from its temporary file (or in chunks) and streamed to storage in chunks. Derivatives
(thumbnail, medium, large; JPEG, EXIF orientation applied, never upscaled) and the deep-zoom
tiles (archive.processing) are made by a background job after the original is stored, never
in the upload's request nor on a page view. All file access goes through Django's storage API,
so the media can live on the local disk or on S3-compatible storage; a write that fails (a
full disk) leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import logging
import math
import re
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import filetype
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from archive.models import Item, MediaFile
from archive.secrecy import classified_file_error
from archive.services import media_file_make_primary
from archive.tasks import media_file_enqueue

__all__ = [
    "ALL_KINDS",
    "DERIVATIVE_SIZES",
    "MAX_UPLOAD_BYTES",
    "StorageWrites",
    "UploadInspection",
    "clean_original_name",
    "derivative_dimensions",
    "duplicates_of",
    "inspect_upload",
    "make_derivatives",
    "write_derivatives",
    "media_file_store",
    "name_fits_type",
    "pdf_has_javascript",
    "prepare_media_file",
]

logger = logging.getLogger(__name__)

Kind = MediaFile.Kind
ALL_KINDS: tuple[str, ...] = (Kind.IMAGE, Kind.PDF, Kind.VIDEO, Kind.AUDIO)
#: Word and Excel files (DOCX, XLSX): never a media file of the archive, only taken where a caller
#: asks for them (the upgrades' attachments: contracts, estimates). Their magic bytes are checked.
OFFICE = "office"

MB = 1024 * 1024
#: Largest upload accepted per kind, in bytes. Read at call time, so tests and settings may change it.
MAX_UPLOAD_BYTES: dict[str, int] = {
    Kind.IMAGE: 40 * MB,
    Kind.PDF: 100 * MB,
    Kind.AUDIO: 200 * MB,
    Kind.VIDEO: 1024 * MB,
    OFFICE: 20 * MB,
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
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        OFFICE,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        OFFICE,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
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
# What in a PDF runs code, starts a program, carries or opens other files, or sends data away,
# refused wherever it hangs (catalogue, open and additional actions, pages, annotations, form
# fields, name trees, outlines): a viewer may act on any of them without the reader asking.
# As dictionary keys: scripts, the embedded-file name tree and file specifications' embedded
# files, rich media, XFA forms (their XML carries scripts).
PDF_FORBIDDEN_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/XFA"})
# As names anywhere (an action's /S, an annotation's /Subtype, a stream's /Type): script, launch,
# submit and import actions, rich media, embedded files and the actions that open another file.
PDF_FORBIDDEN_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/RichMedia",
        "/RichMediaExecute",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/FileAttachment",
        "/GoToE",
        "/GoToR",
    }
)
# The only links a PDF may carry (a /URI action's target): plain web addresses.
PDF_LINK_SCHEMES = frozenset({"http", "https"})

#: Seconds ffprobe may spend on one upload (it reads the container's header, not every frame).
MEDIA_PROBE_TIMEOUT = 30
# The ffprobe demuxer for each accepted film and recording type: a file is read only as what its
# magic bytes say it is, and from the local file alone (no playlists, other files or network).
FFPROBE_FORMATS: dict[str, str] = {
    "video/mp4": "mov",
    "video/webm": "matroska",
    "audio/mpeg": "mp3",
    "audio/mp4": "mov",
    "audio/aac": "aac",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
}
# Storage errors that mean no room is left: the disk is full or the quota is used up.
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})

# The other spellings of a canonical extension that a shown name may keep (``anh.jpeg`` for a JPEG).
EXTENSION_SPELLINGS: dict[str, frozenset[str]] = {
    ".jpg": frozenset({".jpeg", ".jpe", ".jfif"}),
    ".tif": frozenset({".tiff"}),
    ".mp4": frozenset({".m4v"}),
    ".m4a": frozenset({".m4b", ".mp4"}),
    ".ogg": frozenset({".oga", ".opus"}),
    ".wav": frozenset({".wave"}),
}

# The formats taken of each kind, as the messages name them.
KIND_FORMATS: dict[str, Any] = {
    Kind.IMAGE: _("ảnh JPEG, PNG, WebP, TIFF, GIF"),
    Kind.PDF: _("tệp PDF"),
    Kind.VIDEO: _("video MP4, WebM"),
    Kind.AUDIO: _("âm thanh MP3, M4A, AAC, OGG, WAV"),
    OFFICE: _("văn bản Word (DOCX), bảng tính Excel (XLSX)"),
}

MESSAGES: dict[str, Any] = {
    "empty": _("%(field)s: tệp rỗng (0 byte). Hãy chọn lại tệp có nội dung."),
    "unknown_type": _(
        "%(field)s: không nhận ra loại tệp hoặc loại tệp không được phép (ví dụ SVG, HTML, tệp chạy được), "
        "dù tên tệp là gì. Hãy chọn %(formats)s."
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
    "pdf_no_pages": _(
        "%(field)s: tệp PDF “%(name)s” không có trang nào. Hãy xuất lại tài liệu ra PDF có nội dung rồi tải lại."
    ),
    "bad_pdf_page": _(
        "%(field)s: trang %(page)d của tệp PDF “%(name)s” bị hỏng nên không đọc được. "
        "Hãy mở tệp bằng phần mềm đọc PDF, in lại ra PDF (chức năng “In ra PDF”) rồi tải lại."
    ),
    "bad_pdf": _(
        "%(field)s: không mở được tệp PDF (tệp hỏng hoặc có đặt mật khẩu). "
        "Hãy lưu lại tệp PDF không đặt mật khẩu rồi tải lại."
    ),
    "pdf_javascript": _(
        "%(field)s: tệp PDF có chứa mã JavaScript, lệnh tự chạy, tệp nhúng bên trong, lệnh gửi dữ liệu "
        "hoặc liên kết không phải địa chỉ web (http, https) nên không được nhận. "
        "Hãy in lại tài liệu ra PDF (chức năng “In ra PDF”) để loại bỏ những thành phần đó rồi tải lại."
    ),
    "bad_video": _(
        "%(field)s: tệp video không có hình hoặc không đọc được thời lượng (tệp hỏng, chưa ghi xong "
        "hoặc chỉ có phần đầu tệp). Hãy xuất lại video từ máy quay hoặc phần mềm dựng phim ra tệp MP4 "
        "hoặc WebM rồi tải lại."
    ),
    "bad_audio": _(
        "%(field)s: tệp âm thanh không có tiếng hoặc không đọc được thời lượng (tệp hỏng hoặc chưa ghi "
        "xong). Hãy xuất lại bản ghi âm ra tệp MP3, M4A, OGG hoặc WAV rồi tải lại."
    ),
    "probe_timeout": _(
        "%(field)s: kiểm tra tệp %(kind)s quá %(seconds)d giây vẫn chưa xong nên chưa nhận tệp. "
        "Hãy xuất lại tệp ở định dạng thông dụng (video MP4, âm thanh MP3) rồi tải lại."
    ),
    "probe_unavailable": _(
        "%(field)s: máy chủ hiện không kiểm tra được tệp video, âm thanh (thiếu công cụ ffprobe của "
        "ffmpeg) nên chưa nhận tệp này. Hãy báo quản trị hệ thống hoặc Ban Tuyên giáo, rồi tải lại sau; "
        "ảnh và tệp PDF vẫn gửi được."
    ),
    "storage_full": _(
        "Máy chủ hết chỗ lưu trữ nên chưa lưu được gì từ lần gửi này. Hãy thử lại sau, "
        "hoặc báo Ban Tuyên giáo để giải phóng dung lượng lưu trữ."
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
    #: Seconds, for films and recordings.
    duration: float | None = None


def _error(code: str, field_label: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params={"field": field_label, **params})


def _kind_label(kind: str) -> str:
    if kind == OFFICE:
        return str(_("văn bản Word, bảng tính Excel"))
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


def _is_web_link(uri: str) -> bool:
    """A plain ``http:``/``https:`` address with a host, nothing hidden in spaces or control characters."""
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in uri):
        return False
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    return parts.scheme in PDF_LINK_SCHEMES and bool(parts.hostname)


def _pdf_active_content(pdf: pikepdf.Pdf) -> str | None:
    """The first thing in a PDF that could run, launch, embed, submit or link off the web, or None.

    Every object of the file is read (qpdf unpacks object streams, however their dictionaries are
    written); the direct dictionaries and arrays inside each are walked here, the indirect ones as
    objects in their own turn.
    """
    pending: list[Any] = [pdf.trailer, *pdf.objects]
    while pending:
        obj = pending.pop()
        if isinstance(obj, pikepdf.Name):
            if str(obj) in PDF_FORBIDDEN_NAMES:
                return str(obj)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key, value in obj.items():
                if key in PDF_FORBIDDEN_KEYS:
                    return key
                if key == "/URI" and isinstance(value, pikepdf.String) and not _is_web_link(str(value)):
                    return key
                if not getattr(value, "is_indirect", False):
                    pending.append(value)
        elif isinstance(obj, pikepdf.Array):
            pending.extend(value for value in obj if not getattr(value, "is_indirect", False))
    return None


def _pdf_scan(source: bytes | str) -> str | None:
    """What ``_pdf_active_content`` finds in a PDF (its bytes, or the path of a local file, which
    qpdf reads as it needs); raises pikepdf.PdfError when qpdf cannot read the file."""
    try:
        with pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
            return _pdf_active_content(pdf)
    except RuntimeError as error:  # qpdf's internal errors reach Python as RuntimeError
        raise pikepdf.PdfError(str(error)) from error


def pdf_has_javascript(data: bytes) -> bool:
    """Whether a PDF carries scripts, launch, submit or import actions, embedded files, rich media or
    links other than the web's (see ``_pdf_active_content``).

    False for a file qpdf cannot read at all: nothing was found in it, and whether to take such a
    file is the caller's rule (``inspect_upload`` refuses it as a broken PDF).
    """
    try:
        return _pdf_scan(data) is not None
    except pikepdf.PdfError:
        return False


def _pdf_page_count(path: str) -> int | None:
    """The number of pages qpdf finds in a PDF, None when it cannot read the page tree."""
    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, RuntimeError):
        return None


def _inspect_pdf(uploaded, field_label: str) -> tuple[int, int, int]:
    """Open the PDF, refuse scripts, load every page; return the first page's size in points and
    the page count. Both readers open the file from the disk and read only what they need."""
    name = clean_original_name(getattr(uploaded, "name", ""), ".pdf")
    with _local_path(uploaded, ".pdf") as path:
        try:
            found = _pdf_scan(path)
        except pikepdf.PdfError:
            raise _error("bad_pdf", field_label) from None
        if found is not None:
            logger.info("PDF upload refused: it carries %s", found)
            raise _error("pdf_javascript", field_label)
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError:
            if _pdf_page_count(path) == 0:  # pdfium refuses a document without pages outright
                raise _error("pdf_no_pages", field_label, name=name) from None
            raise _error("bad_pdf", field_label) from None
        try:
            if pdfium_raw.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0:  # a second reader's opinion
                raise _error("pdf_javascript", field_label)
            page_count = len(document)
            if page_count < 1:
                raise _error("pdf_no_pages", field_label, name=name)
            width = height = 0.0
            # Each page is loaded (not rendered): a page pdfium cannot even load is refused here,
            # before it is stored, rather than failing later in the background job.
            for index in range(page_count):
                try:
                    page = document[index]
                    if index == 0:
                        width, height = page.get_size()
                        if page.get_rotation() in (90, 270):
                            width, height = height, width
                    page.close()
                except pdfium.PdfiumError:
                    raise _error("bad_pdf_page", field_label, name=name, page=index + 1) from None
        finally:
            document.close()
    uploaded.seek(0)
    return max(1, round(width)), max(1, round(height)), page_count


class StorageFull(ValidationError):
    """No room left for an upload. A form shows it on its file field; where the file is stored only
    once the form is valid (the admin saves inline files after validating), archive.middleware
    answers it with status 507 and the same message."""


def _storage_full(error: OSError) -> StorageFull:
    """Tell the administrator (the log) and the sender (the form) that there is no room left."""
    logger.error("Storage is full (%s): an upload was refused and what it had written removed.", error)
    return StorageFull(MESSAGES["storage_full"], code="storage_full")


@contextlib.contextmanager
def _local_path(uploaded, suffix: str) -> Iterator[str]:
    """A path on the local disk holding the upload: its own temporary file, else a copy made here."""
    temporary_file_path = getattr(uploaded, "temporary_file_path", None)
    if temporary_file_path is not None:
        yield temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        for chunk in _iter_chunks(uploaded):
            copy.write(chunk)
        copy.flush()
        yield copy.name


def _probed_duration(report: dict[str, Any]) -> float | None:
    """The longest positive, finite duration ffprobe gave for the file or one of its streams."""
    candidates = [report.get("format", {}).get("duration")]
    candidates += [stream.get("duration") for stream in report.get("streams", [])]
    durations = []
    for value in candidates:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds > 0:
            durations.append(seconds)
    return max(durations, default=None)


def _probe_media(uploaded, kind: str, mime: str, extension: str, field_label: str) -> float:
    """Read a film or recording with ffprobe and return its duration in seconds.

    A film needs a moving picture (a cover image alone is not one), a recording needs sound, and
    both a positive duration. Without ffprobe nothing is accepted (the check fails closed).
    """
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        logger.error("ffprobe is not installed (Debian package ffmpeg): video and audio uploads are refused.")
        raise _error("probe_unavailable", field_label)
    command = [
        ffprobe,
        "-v",
        "error",
        "-protocol_whitelist",
        "file",
        "-f",
        FFPROBE_FORMATS[mime],
        "-show_entries",
        "format=duration:stream=codec_type,duration:stream_disposition=attached_pic",
        "-of",
        "json",
    ]
    try:
        with _local_path(uploaded, extension) as path:
            result = subprocess.run(
                [*command, f"file:{path}"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=MEDIA_PROBE_TIMEOUT,
                check=False,
            )
    except subprocess.TimeoutExpired:
        raise _error("probe_timeout", field_label, kind=_kind_label(kind), seconds=MEDIA_PROBE_TIMEOUT) from None
    except OSError as error:
        if error.errno in STORAGE_FULL_ERRNOS:
            raise _storage_full(error) from error
        logger.error("ffprobe could not be run (%s): video and audio uploads are refused.", error)
        raise _error("probe_unavailable", field_label) from None
    finally:
        uploaded.seek(0)
    try:
        report = json.loads(result.stdout) if result.returncode == 0 else {}
    except ValueError:
        report = {}
    wanted = "video" if kind == Kind.VIDEO else "audio"
    has_stream = any(
        stream.get("codec_type") == wanted and not stream.get("disposition", {}).get("attached_pic")
        for stream in report.get("streams", [])
    )
    duration = _probed_duration(report)
    if not has_stream or duration is None:
        raise _error("bad_video" if kind == Kind.VIDEO else "bad_audio", field_label)
    return duration


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
        raise _error("unknown_type", field_label, formats="; ".join(str(KIND_FORMATS[k]) for k in allowed))
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
    width = height = page_count = duration = None
    if kind == Kind.IMAGE:
        width, height = _inspect_image(uploaded, mime, field_label)
    elif kind == Kind.PDF:
        width, height, page_count = _inspect_pdf(uploaded, field_label)
    elif kind in (Kind.VIDEO, Kind.AUDIO):
        duration = _probe_media(uploaded, kind, mime, extension, field_label)
    # An office file is taken by its magic bytes alone (filetype reads the parts inside the ZIP).
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
        duration=duration,
    )


def name_fits_type(name: str, extension: str) -> bool:
    """Whether ``name`` ends in ``extension`` (the real type's, from the inspection) or one of its
    spellings: ``hoá đơn.jpeg`` fits a JPEG, ``hoá đơn.pdf`` holding a PNG does not."""
    accepted = {extension, *EXTENSION_SPELLINGS.get(extension, ())}
    return any(str(name).lower().endswith(spelling) for spelling in accepted)


def _looks_like_extension(suffix: str) -> bool:
    """``exe``, ``jpeg``, ``mp4``: short, ASCII letters and digits, not a number (``Số 12.2010``)."""
    return 0 < len(suffix) <= 8 and suffix.isascii() and suffix.isalnum() and not suffix.isdigit()


def _with_extension(name: str, extension: str) -> str:
    """The name ending in the real type's extension: a matching one is kept as spelled, another replaced."""
    accepted = {extension, *EXTENSION_SPELLINGS.get(extension, ())}
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and _looks_like_extension(suffix):
        if f".{suffix.lower()}" in accepted:
            return name
        name = stem.rstrip(" .")
    if any(name.lower().endswith(spelling) for spelling in accepted):  # ``anh.png.exe`` becomes ``anh.png``
        return name
    return f"{name}{extension}"


def clean_original_name(name: str, extension: str = "") -> str:
    """The uploaded name for display and download: no path parts, NFC, diacritics kept, and ending
    in ``extension`` (the real type's) when given: ``anh.exe`` holding a PNG is shown as ``anh.png``."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    name = " ".join(name.split())
    if not name:
        name = f"tep{extension}"
    elif extension:
        name = _with_extension(name, extension)
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


@contextlib.contextmanager
def stored_local_path(field_file, suffix: str = "") -> Iterator[str]:
    """A path on the local disk holding a stored file: its own on local storage, else a temporary
    copy made in chunks (S3), removed afterwards."""
    try:
        path = field_file.storage.path(field_file.name)
    except NotImplementedError:  # Storage.path() of a storage without local files (S3), as Django documents it
        path = None
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        with field_file.storage.open(field_file.name, "rb") as handle:
            shutil.copyfileobj(handle, copy, CHUNK_BYTES)
        copy.flush()
        yield copy.name


def _source_image(media_file: MediaFile, path: str) -> Image.Image:
    """The picture the derivatives are made from (the stored file at ``path``): the image upright,
    or a PDF's first page."""
    largest = max(DERIVATIVE_SIZES.values())
    if media_file.kind == Kind.PDF:
        document = pdfium.PdfDocument(path)
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
        picture = Image.open(path)
        if picture.format == "JPEG":
            picture.draft("RGB", (largest, largest))
        picture.load()
    return ImageOps.exif_transpose(picture) or picture


class StorageWrites:
    """The files one upload writes to storage, removed together when anything in the block fails.

    ``save`` settles the stored name before writing, so a write that breaks off half-way leaves
    nothing behind under it. A full disk or quota (ENOSPC, EDQUOT) is logged for the
    administrator and becomes a ValidationError the forms show; other errors pass on unchanged.
    Used as ``with StorageWrites() as writes: writes.save(instance, "file", name, content)``,
    inside the transaction that saves the rows, so a failure keeps neither files nor rows.
    """

    def __init__(self, *, checksums: bool = False) -> None:
        self.written: list[tuple[Any, str]] = []
        #: With ``checksums``: stored name -> (SHA-256, size) of each file written (derivatives, kept
        #: for the fixity audit).
        self.checksums: dict[str, tuple[str, int]] | None = {} if checksums else None

    def __enter__(self) -> StorageWrites:
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None:
            return False
        self.remove()
        if isinstance(error, OSError) and error.errno in STORAGE_FULL_ERRNOS:
            raise _storage_full(error) from error
        return False

    def save(self, instance, field_name: str, filename: str, content) -> str:
        """Store ``content`` in the instance's file field under a fresh name from its ``upload_to``."""
        field = getattr(instance, field_name).field
        storage = field.storage
        name = storage.get_available_name(field.generate_filename(instance, filename), max_length=field.max_length)
        self.written.append((storage, name))
        content.seek(0)
        stored = storage.save(name, content, max_length=field.max_length)
        if stored != name:
            self.written.append((storage, stored))
        self._digest(stored, content)
        setattr(instance, field.attname, stored)
        return stored

    def save_as(self, storage, name: str, content) -> str:
        """Store ``content`` under exactly ``name`` (or the name the storage settles on, returned)."""
        self.written.append((storage, name))
        content.seek(0)
        stored = storage.save(name, content)
        if stored != name:
            self.written.append((storage, stored))
        self._digest(stored, content)
        return stored

    def _digest(self, name: str, content) -> None:
        if self.checksums is None:
            return
        digest, size = hashlib.sha256(), 0
        content.seek(0)
        for chunk in content.chunks():
            digest.update(chunk)
            size += len(chunk)
        self.checksums[name] = (digest.hexdigest(), size)

    def remove(self) -> None:
        """Delete what was written, the parts of broken-off writes included."""
        for storage, name in reversed(self.written):
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not remove %s, written by a failed upload.", name)
        self.written.clear()


def make_derivatives(media_file: MediaFile, path: str, *, writes: StorageWrites | None = None) -> None:
    """Write the large, medium and thumbnail JPEGs of an image or a PDF's first page, from the
    stored original at the local ``path``, and set their names on the (unsaved) media file.

    Called by the background job (archive.processing); a film's come from its poster frame
    (archive.films), a recording has none. Each size is
    scaled down from the one before it; a size no smaller than the one before (a small
    original is never upscaled) reuses that file instead of storing a copy. If one cannot
    be written, none is kept (``writes``: the caller's, which then removes them with its own).
    """
    if media_file.kind not in (Kind.IMAGE, Kind.PDF):
        return
    write_derivatives(media_file, _source_image(media_file, path), writes=writes)


make_derivatives.alters_data = True


def write_derivatives(media_file: MediaFile, picture: Image.Image, *, writes: StorageWrites | None = None) -> None:
    """Write the large, medium and thumbnail JPEGs of ``picture`` (an image, a PDF's first page, a
    film's poster frame) and set their names on the (unsaved) media file (see ``make_derivatives``)."""
    picture = _to_rgb(picture)
    source_size = picture.size
    previous_name = ""
    with StorageWrites() if writes is None else contextlib.nullcontext(writes) as writes:
        for field_name, longest in sorted(DERIVATIVE_SIZES.items(), key=lambda pair: -pair[1]):
            size = derivative_dimensions(*source_size, longest)
            if size == picture.size and previous_name:
                setattr(media_file, field_name, previous_name)
                continue
            if size != picture.size:
                picture = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=DERIVATIVE_QUALITY, optimize=True, progressive=True)
            previous_name = writes.save(media_file, field_name, f"{field_name}.jpg", ContentFile(buffer.getvalue()))


write_derivatives.alters_data = True


def prepare_media_file(media_file: MediaFile, uploaded, inspection: UploadInspection | None = None) -> None:
    """Fill the facts of an upload on an unsaved or changed MediaFile and store the original.

    The upload is streamed to storage in chunks under a random name; its cleaned original name
    is kept for display. The derivatives are the background job's (``media_file_enqueue``, once
    the row is saved); until then the file waits. The caller saves. If storing fails, nothing of
    it is kept; a full disk is a ValidationError.
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
    with StorageWrites() as writes:
        writes.save(media_file, "file", f"upload{inspection.extension}", uploaded)
        uploaded.seek(0)
    # The previous derivatives (a replaced file's) are the job's to remove: it knows which
    # names it replaces, and a job still running on the old file leaves nothing behind either.
    media_file.status = MediaFile.Status.WAITING
    media_file.failure_reason = ""


prepare_media_file.alters_data = True


def _stored_names(media_file: MediaFile) -> set[str]:
    return {name for name in (media_file.file.name, *(getattr(media_file, f).name for f in DERIVATIVE_SIZES)) if name}


def _refuse_classified(item: Item) -> None:
    error = classified_file_error(confidentiality=item.confidentiality, level_label=item.get_confidentiality_display())
    if error is not None:
        raise ValidationError({"file": error})


def media_file_store(
    *,
    item: Item,
    uploaded,
    caption: str = "",
    alt_text: str = "",
    is_primary: bool | None = None,
    enqueue: bool = True,
) -> MediaFile:
    """Inspect an upload, store the original, attach it to an item and queue its processing.

    The job is queued in the same transaction as the row (``enqueue=False``: the caller runs
    ``archive.processing.media_file_process`` itself). The item's first media file becomes its
    primary one unless told otherwise; making a file primary takes the mark from the previous one
    (``media_file_make_primary``). On bad input, or when storage is full, nothing is stored; a
    classified item takes no file on an internet-facing instance (``archive.secrecy``).
    """
    _refuse_classified(item)
    inspection = inspect_upload(uploaded, field_label=str(MediaFile._meta.get_field("file").verbose_name).capitalize())
    media_file = MediaFile(item=item, caption=caption, alt_text=alt_text)
    prepare_media_file(media_file, uploaded, inspection)
    try:
        with transaction.atomic():
            # The item's row, locked, as it stands now: classified since it was read, it takes no file.
            _refuse_classified(Item.objects.select_for_update().only("confidentiality").get(pk=item.pk))
            last = item.media.aggregate(last=Max("position"))["last"]
            media_file.position = 0 if last is None else last + 1
            media_file.is_primary = False  # the mark is given by media_file_make_primary, below
            media_file.full_clean()
            media_file.save()
            if is_primary is not False:
                primary = media_file_make_primary(item=item, media_file=media_file if is_primary else None)
                media_file.is_primary = primary.pk == media_file.pk
            if enqueue:
                media_file_enqueue(media_file=media_file)
    except Exception:
        storage = media_file.file.storage
        for name in _stored_names(media_file):
            storage.delete(name)
        raise
    media_file.refresh_from_db(fields=[*DERIVATIVE_SIZES, "tiles", "tiled_pages", "status", "failure_reason"])
    return media_file


def duplicates_of(sha256: str, *, exclude_item: Item | None = None) -> QuerySet[MediaFile]:
    """The same content already attached to other items (a warning for staff, not a refusal)."""
    queryset = MediaFile.objects.filter(sha256=sha256).select_related("item")
    if exclude_item is not None and exclude_item.pk:
        queryset = queryset.exclude(item=exclude_item)
    return queryset
