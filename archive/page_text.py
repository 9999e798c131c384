"""The job that reads the text of a document's pages, after its pictures exist (``archive.processing``).

For each page of a PDF (up to ``ARCHIVE_TEXT_MAX_PAGES``) the text layer is read with pypdfium2;
a page without one, or whose layer is garbage (``ocr.is_garbage``), is rendered and read by
Tesseract, as a scanned image is. The words' boxes are in the pixels of the page's tiled
picture. The outcome is the media file's ``text_status`` and ``text_note`` (Vietnamese, for staff).

What holds:
- the original and the pictures are only read; an image that cannot be read leaves the state
  ``failed`` with the reason, and the pages' text as it was;
- reading again keeps what people did: a page's correction and its "checked" mark stay;
- only the media files of documents and publications are read (a photograph has no text).
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from archive import ocr
from archive.media import stored_local_path
from archive.models import Item, MediaFile, PageText
from archive.models.media import derivative_upload_to
from archive.processing import PDF_DPI

logger = logging.getLogger(__name__)

TextStatus = MediaFile.TextStatus
READ_ITEM_KINDS = frozenset({Item.Kind.DOCUMENT, Item.Kind.PUBLICATION})
READ_FILE_KINDS = frozenset({MediaFile.Kind.IMAGE, MediaFile.Kind.PDF})
OCRMYPDF_TIMEOUT = 60 * 60

REASONS = {
    "missing": _("Không tìm thấy tệp gốc trong kho lưu trữ để đọc chữ. Hãy tải tệp gốc lên lại rồi bấm “Xử lý lại”."),
    "unreadable": _(
        "Không đọc được chữ trên ảnh (tệp hỏng hoặc không phải ảnh). "
        "Hãy quét lại trang thành ảnh JPEG, PNG hoặc TIFF rồi tải tệp mới lên thay tệp này."
    ),
    "bad_pdf": _(
        "Không mở được tệp PDF để đọc chữ (tệp hỏng). Hãy in lại tệp ra PDF (chức năng “In ra PDF”) "
        "rồi tải tệp mới lên thay tệp này."
    ),
    "unexpected": _("Việc đọc chữ gặp lỗi ngoài dự kiến (đã ghi vào nhật ký máy chủ). Hãy bấm “Xử lý lại”."),
}


def _pages(numbers: list[int]) -> str:
    return ", ".join(str(number) for number in numbers)


def wants_text(media_file: MediaFile) -> bool:
    """Whether the media file's pages are read: a picture or PDF of a document or publication."""
    return (
        settings.ARCHIVE_READ_TEXT
        and media_file.kind in READ_FILE_KINDS
        and Item.objects.filter(pk=media_file.item_id, kind__in=READ_ITEM_KINDS).exists()
    )


def page_text_enqueue(media_file: MediaFile) -> None:
    """Queue the reading of the media file's text (``archive.tasks.read_page_text``), if it has any."""
    from archive.tasks import read_page_text

    if not wants_text(media_file):
        return
    MediaFile.objects.filter(pk=media_file.pk).update(text_status=TextStatus.WAITING, text_note="")
    read_page_text.enqueue(media_file.pk)


class ReadingFailed(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _read_image(path: str) -> list[tuple[int, str, ocr.PageReading]]:
    try:
        with Image.open(path) as picture:
            picture.load()
            reading = ocr.tesseract(picture)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, ocr.Unreadable) as error:
        logger.warning("Could not read the text of %s: %s", path, error)
        raise ReadingFailed("unreadable") from error
    return [(1, PageText.Source.OCR, reading)]


def _picture_width(media_file: MediaFile, index: int, page_width: float) -> float:
    """The width of page ``index``'s tiled picture (the boxes' pixels), as the tiles were made."""
    sizes = media_file.tiled_sizes or []
    if index < len(sizes) and sizes[index].get("width"):
        return float(sizes[index]["width"])
    return page_width * PDF_DPI / 72


def _read_pdf(media_file: MediaFile, path: str, notes: dict) -> list[tuple[int, str, ocr.PageReading]]:
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        raise ReadingFailed("bad_pdf") from error
    readings = []
    try:
        total = len(document)
        limit = min(total, settings.ARCHIVE_TEXT_MAX_PAGES)
        if limit < total:
            notes["capped"] = (limit, total)
        for index in range(limit):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                notes.setdefault("unreadable", []).append(index + 1)
                continue
            try:
                width, _height = page.get_size()
                scale = _picture_width(media_file, index, width) / width
                layer = ocr.text_layer(page, scale)
                if layer.text.strip() and not ocr.is_garbage(layer.text):
                    readings.append((index + 1, PageText.Source.TEXT_LAYER, layer))
                    continue
                if layer.text.strip():
                    notes.setdefault("garbage", []).append(index + 1)
                bitmap = page.render(scale=ocr.OCR_DPI / 72, fill_color=(255, 255, 255, 255), grayscale=True)
                try:
                    picture = bitmap.to_pil()
                finally:
                    bitmap.close()
                reading = ocr.tesseract(picture, dpi=ocr.OCR_DPI)
                readings.append((index + 1, PageText.Source.OCR, ocr.scaled(reading, scale * 72 / ocr.OCR_DPI)))
            except (pdfium.PdfiumError, ocr.Unreadable) as error:
                logger.warning("Media file %s, page %s: %s", media_file.pk, index + 1, error)
                notes.setdefault("unreadable", []).append(index + 1)
            finally:
                page.close()
    finally:
        document.close()
    return readings


def _note(notes: dict) -> str:
    """What staff should know of a reading that ended, in Vietnamese (the state is ``ready``)."""
    parts = []
    with translation.override("vi"):
        if notes.get("empty"):
            parts.append(gettext("Không thấy chữ nào trên trang %(pages)s.") % {"pages": _pages(notes["empty"])})
        if notes.get("garbage"):
            parts.append(
                gettext(
                    "Lớp chữ của trang %(pages)s bị lỗi mã chữ (bảng mã cũ hoặc phông không chuẩn) nên đã nhận dạng "
                    "lại từ hình trang; nên soát lại chữ các trang này."
                )
                % {"pages": _pages(notes["garbage"])}
            )
        if notes.get("unreadable"):
            parts.append(
                gettext("Không đọc được trang %(pages)s (trang hỏng); các trang khác đã đọc.")
                % {"pages": _pages(notes["unreadable"])}
            )
        if notes.get("capped"):
            limit, total = notes["capped"]
            parts.append(
                ngettext(
                    "Tệp có %(total)d trang; chỉ đọc chữ %(limit)d trang đầu (giới hạn của hệ thống). "
                    "Hãy tách tệp thành nhiều tệp nhỏ hơn để đọc hết.",
                    "Tệp có %(total)d trang; chỉ đọc chữ %(limit)d trang đầu (giới hạn của hệ thống). "
                    "Hãy tách tệp thành nhiều tệp nhỏ hơn để đọc hết.",
                    total,
                )
                % {"total": total, "limit": limit}
            )
    return " ".join(parts)


def _reason(code: str) -> str:
    with translation.override("vi"):
        return gettext(REASONS[code])


def media_file_read_text(*, media_file_id: int) -> str:
    """Read the text of a media file's pages and keep it (``PageText``); return the state it ends in."""
    with transaction.atomic():
        media_file = MediaFile.objects.select_for_update().filter(pk=media_file_id).first()
        if media_file is None:
            return "gone"
        if not wants_text(media_file):
            return TextStatus.NONE
        MediaFile.objects.filter(pk=media_file.pk).update(text_status=TextStatus.WORKING, text_note="")
    notes: dict = {}
    try:
        if not media_file.file.storage.exists(media_file.file.name):
            raise ReadingFailed("missing")
        with stored_local_path(media_file.file, Path(media_file.file.name).suffix) as path:
            if media_file.kind == MediaFile.Kind.IMAGE:
                readings = _read_image(path)
            else:
                readings = _read_pdf(media_file, path, notes)
    except ReadingFailed as failure:
        return _end(media_file, TextStatus.FAILED, _reason(failure.code))
    except Exception:
        logger.exception("The text of media file %s could not be read.", media_file.pk)
        return _end(media_file, TextStatus.FAILED, _reason("unexpected"))
    notes["empty"] = [number for number, _source, reading in readings if not reading.text.strip()]
    with transaction.atomic():
        row = MediaFile.objects.select_for_update().filter(pk=media_file.pk).first()
        if row is None or row.file.name != media_file.file.name:
            return "gone"  # deleted or given another file meanwhile: a later job reads that
        _keep(row, readings)
        MediaFile.objects.filter(pk=row.pk).update(text_status=TextStatus.READY, text_note=_note(notes))
    if media_file.kind == MediaFile.Kind.PDF and any(source == PageText.Source.OCR for _n, source, _r in readings):
        searchable_pdf_make(media_file)
    return TextStatus.READY


def _keep(media_file: MediaFile, readings: list[tuple[int, str, ocr.PageReading]]) -> None:
    """Store the pages read, keeping each page's correction and check; pages no longer read go."""
    existing = {page.page: page for page in PageText.objects.filter(media_file=media_file)}
    read = set()
    for number, source, reading in readings:
        read.add(number)
        page = existing.get(number) or PageText(media_file=media_file, item_id=media_file.item_id, page=number)
        page.source, page.text, page.words = source, reading.text, reading.words
        page.save()
    PageText.objects.filter(media_file=media_file).exclude(page__in=read).delete()


def _end(media_file: MediaFile, status: str, note: str) -> str:
    MediaFile.objects.filter(pk=media_file.pk).update(text_status=status, text_note=note)
    return status


def searchable_pdf_make(media_file: MediaFile) -> bool:
    """Have OCRmyPDF make a searchable PDF/A copy of a scanned PDF, stored beside the original.

    Its failure is only logged and noted: the pages' text, read already, is what search uses."""
    if not settings.ARCHIVE_SEARCHABLE_PDF:
        return False
    storage = media_file.file.storage
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as directory:
        output = Path(directory) / "searchable.pdf"
        with stored_local_path(media_file.file, ".pdf") as path:
            command = ["ocrmypdf", "-l", "vie", "--output-type", "pdfa", "--skip-text", "--jobs", "1", "--quiet"]
            try:
                done = subprocess.run(  # noqa: S603 - fixed command, paths of our own
                    [*command, path, str(output)], capture_output=True, timeout=OCRMYPDF_TIMEOUT, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as error:
                logger.warning("OCRmyPDF failed on media file %s: %s", media_file.pk, error)
                return False
        if done.returncode != 0 or not output.exists():
            logger.warning("OCRmyPDF failed on media file %s: %s", media_file.pk, done.stderr[-500:])
            return False
        with output.open("rb") as handle:
            name = storage.save(derivative_upload_to(media_file, "searchable.pdf"), File(handle))
    with transaction.atomic():
        row = MediaFile.objects.select_for_update().filter(pk=media_file.pk).first()
        if row is None or row.file.name != media_file.file.name:
            storage.delete(name)
            return False
        replaced = row.searchable_pdf.name
        MediaFile.objects.filter(pk=row.pk).update(searchable_pdf=name)
        if replaced:
            transaction.on_commit(lambda: storage.delete(replaced))
    return True
