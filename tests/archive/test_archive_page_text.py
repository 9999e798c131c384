"""The page-text job (archive.page_text): a scan read by Tesseract, a born-digital PDF by its text
layer, and the bad inputs (an unreadable image, a blank page, a long PDF, a garbage text layer)
each ending in a clear state on the media file, nothing else changed; a correction survives a
second reading."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from archive import media, page_text
from archive.models import Item, MediaFile, PageText
from tests.archive.page_samples import scan, scanned_pdf, text_pdf

pytestmark = pytest.mark.django_db

LINES = ["Hướng dẫn số 36-HD/VPTW", "về công tác lưu trữ hồ sơ", "chiến khu Việt Bắc"]


@pytest.fixture(autouse=True)
def reading(settings):
    settings.ARCHIVE_READ_TEXT = True


@pytest.fixture
def item(db):
    return Item.objects.create(
        title="Tài liệu quét", status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC, is_sample=True
    )


def upload(item, name: str, content: bytes, capture) -> MediaFile:
    with capture(execute=True):
        stored = media.media_file_store(item=item, uploaded=SimpleUploadedFile(name, content))
    stored.refresh_from_db()
    return stored


def test_a_scan_is_read_by_tesseract_with_each_words_box(item, django_capture_on_commit_callbacks):
    stored = upload(item, "trang.png", scan(LINES), django_capture_on_commit_callbacks)
    assert stored.status == MediaFile.Status.READY
    assert stored.text_status == MediaFile.TextStatus.READY and stored.text_note == ""
    page = PageText.objects.get(media_file=stored)
    assert page.page == 1 and page.source == PageText.Source.OCR and page.item == item
    assert "36-HD/VPTW" in page.text and "Việt Bắc" in page.text
    boxes = {word: box for word, *box in page.words}
    x, y, w, h = boxes["Bắc"]
    assert 60 < x < 1400 and 2 * 120 < y < 3 * 120 + 60 and 20 < h < 80  # the third line, in the picture's pixels
    assert " viet bac " in page.search_text


def test_a_photograph_is_not_read(django_capture_on_commit_callbacks):
    photo = Item.objects.create(title="Ảnh", kind=Item.Kind.PHOTO, is_sample=True)
    stored = upload(photo, "anh.png", scan(["Không đọc"]), django_capture_on_commit_callbacks)
    assert stored.text_status == "" and not PageText.objects.exists()


def test_a_born_digital_pdf_is_read_from_its_text_layer(item, django_capture_on_commit_callbacks):
    stored = upload(
        item,
        "van-ban.pdf",
        text_pdf([b"Bao cao tong ket nam 1958", b"So 03-BC/DBTW"]),
        django_capture_on_commit_callbacks,
    )
    page = PageText.objects.get(media_file=stored)
    assert page.source == PageText.Source.TEXT_LAYER
    assert "Bao cao tong ket nam 1958" in page.text and "03-BC/DBTW" in page.text
    word, x, y, w, h = page.words[0]
    scale = stored.tiled_sizes[0]["width"] / 595  # the boxes are in the tiled picture's pixels
    assert word == "Bao" and x == pytest.approx(72 * scale, abs=12)
    assert y == pytest.approx((842 - 760 - 18) * scale, abs=25)


def test_a_garbage_text_layer_is_read_again_by_ocr(item, django_capture_on_commit_callbacks):
    # UTF-8 Vietnamese read as Latin-1 (what a legacy-encoded PDF shows): "Ã„Â'áº£ng" and so on.
    garbage = "Đảng ủy Khối cơ quan".encode().decode("latin-1").encode("latin-1")
    stored = upload(item, "loi-ma.pdf", text_pdf([garbage, garbage]), django_capture_on_commit_callbacks)
    assert stored.text_status == MediaFile.TextStatus.READY
    assert "Lớp chữ của trang 1 bị lỗi mã chữ" in stored.text_note
    assert PageText.objects.get(media_file=stored).source == PageText.Source.OCR


def test_an_unreadable_image_fails_with_a_reason_and_changes_nothing(item, django_capture_on_commit_callbacks):
    stored = upload(item, "trang.png", scan(LINES), django_capture_on_commit_callbacks)
    before = list(PageText.objects.values_list("text", flat=True))
    # The stored original replaced by bytes no decoder reads (a file damaged on disk).
    storage = stored.file.storage
    storage.delete(stored.file.name)
    storage.save(stored.file.name, ContentFile(b"\x89PNG\r\n\x1a\n not a picture"))
    assert page_text.media_file_read_text(media_file_id=stored.pk) == MediaFile.TextStatus.FAILED
    stored.refresh_from_db()
    assert stored.text_status == MediaFile.TextStatus.FAILED
    assert stored.text_note.startswith("Không đọc được chữ trên ảnh") and "tải tệp mới lên" in stored.text_note
    assert list(PageText.objects.values_list("text", flat=True)) == before
    assert stored.status == MediaFile.Status.READY and stored.has_tiles  # the pictures stay in use


def test_a_blank_page_and_a_long_pdf_are_said_on_the_media_file(item, settings, django_capture_on_commit_callbacks):
    settings.ARCHIVE_TEXT_MAX_PAGES = 2
    pages = [scan(["Trang có chữ Điện Biên"]), scan([" "]), scan(["Trang ba không đọc"])]
    stored = upload(item, "dai.pdf", scanned_pdf(pages), django_capture_on_commit_callbacks)
    assert stored.text_status == MediaFile.TextStatus.READY
    assert "Không thấy chữ nào trên trang 2." in stored.text_note
    assert "Tệp có 3 trang; chỉ đọc chữ 2 trang đầu" in stored.text_note
    assert list(PageText.objects.filter(media_file=stored).values_list("page", flat=True)) == [1, 2]


def test_reading_again_keeps_the_correction_and_the_check(item, django_capture_on_commit_callbacks):
    stored = upload(item, "trang.png", scan(LINES), django_capture_on_commit_callbacks)
    page = PageText.objects.get(media_file=stored)
    page.corrected_text, page.checked = "Hướng dẫn số 36-HD/VPTW đã soát", True
    page.save()
    page_text.media_file_read_text(media_file_id=stored.pk)
    page.refresh_from_db()
    assert page.corrected_text.endswith("đã soát") and page.checked and " da soat " in page.search_text


def test_a_scanned_pdf_gets_a_searchable_copy(item, settings, django_capture_on_commit_callbacks):
    settings.ARCHIVE_SEARCHABLE_PDF = True
    stored = upload(item, "quet.pdf", scanned_pdf([scan(LINES)]), django_capture_on_commit_callbacks)
    assert stored.searchable_pdf
    import pypdfium2 as pdfium

    with stored.searchable_pdf.open("rb") as handle:
        document = pdfium.PdfDocument(handle.read())
    textpage = document[0].get_textpage()
    assert "VPTW" in textpage.get_text_range()
