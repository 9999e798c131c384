"""Hostile uploads, end to end, on every upload surface: the public contribution form, the admin's
media inline on an item, and the upgrade attachments (expenses).

archive.media.inspect_upload is tested on its own in tests/archive/test_archive_media.py; here the
same kinds of files go through the real forms. A refused file gets a Vietnamese message and leaves
nothing behind (no row, no file in MEDIA_ROOT); an accepted one is stored under a random name inside
MEDIA_ROOT with the sender's name cleaned for display, whatever that name was.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
import tablib
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive import media
from archive.models import Body, Contribution, ContributionFile, Item, MediaFile
from upgrades.models import BudgetLine, Expense, WorkItem, validate_attachment_content

pytestmark = pytest.mark.django_db

BOUNDARY = "----upload-boundary-7f3"


# --- files ----------------------------------------------------------------------------------


def png_bytes(size=(120, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (163, 21, 27)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), (250, 250, 245)).save(buffer, "PDF")
    return buffer.getvalue()


def handmade_pdf(catalog_extra: bytes) -> bytes:
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
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@functools.cache
def bomb_png() -> bytes:
    """20000 × 20000 one-bit pixels: a few kilobytes on disk, 400 million pixels decoded."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


# (id, file name, content) of files every surface must refuse.
REFUSED = [
    ("decompression bomb", "bom.png", bomb_png),
    (
        "png with script appended (polyglot)",
        "ảnh.png",
        lambda: png_bytes() + b"<script>alert(document.cookie)</script>",
    ),
    ("gif header then html (polyglot)", "ảnh.gif", lambda: b"GIF89a<html><script>alert(1)</script></html>"),
    (
        "svg with script",
        "biểu tượng.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    (
        "svg named .png",
        "logo.png",
        lambda: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x"/>',
    ),
    ("html named .jpg", "ảnh.jpg", lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    ("windows executable named .jpg", "ảnh.jpg", lambda: b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    (
        "pdf with javascript",
        "văn bản.pdf",
        lambda: handmade_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\('x'\\)) >>"),
    ),
    ("pdf with launch action", "văn bản.pdf", lambda: handmade_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>")),
    ("empty file", "rỗng.jpg", lambda: b""),
]

NFD_NAME = unicodedata.normalize("NFD", "Ảnh Đại hội Đảng bộ Khối lần thứ nhất.png")
# (id, name as sent, what the cleaned display name must be, or None: only that it is clean). The
# content is a PNG: a name's extension that does not match it is replaced by ``.png``.
ODD_NAMES = [
    ("unix traversal", "../../etc/passwd.jpg", "passwd.png"),
    ("windows traversal", "..\\..\\x.png", "x.png"),
    ("absolute unix path", "/etc/shadow.png", "shadow.png"),
    ("absolute windows path", "C:\\Windows\\System32\\ảnh.png", "ảnh.png"),
    ("NFD Vietnamese", NFD_NAME, unicodedata.normalize("NFC", NFD_NAME)),
    ("RTL override", "ảnh\u202egpj.exe", "ảnhgpj.png"),
    ("zero-width and bidi marks", "a\u200b\u200fb\ufeff.png", "ab.png"),
    ("very long name", "Ảnh " + "a" * 300 + "ả" * 50 + ".png", None),
    ("NUL in the name", "ảnh\x00.php.png", None),
    ("only dots", "...", None),
    ("markup in the name", '"><script>alert("xss-7f3")</script>.png', None),
]


def multipart(data: dict, files: list[tuple[str, str, bytes]]) -> bytes:
    """A multipart body as a browser sends it, file names exactly as given."""
    lines: list[bytes] = []
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            lines += [
                f"--{BOUNDARY}".encode(),
                f'Content-Disposition: form-data; name="{key}"'.encode(),
                b"",
                str(one).encode(),
            ]
    for field, name, content in files:
        quoted = name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")
        lines += [
            f"--{BOUNDARY}".encode(),
            f'Content-Disposition: form-data; name="{field}"; filename="{quoted}"'.encode(),
            b"Content-Type: application/octet-stream",
            b"",
            content,
        ]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)


def post_multipart(client, url: str, data: dict, files: list[tuple[str, str, bytes]]):
    return client.post(url, multipart(data, files), content_type=f"multipart/form-data; boundary={BOUNDARY}")


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_inside_media_root(name: str, pattern: str) -> None:
    assert re.fullmatch(pattern, name), name
    root = Path(django_settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    assert path.is_file() and path.is_relative_to(root)


def assert_clean_display_name(shown: str, expected: str | None) -> None:
    assert shown, "a display name is always kept"
    assert "/" not in shown and "\\" not in shown
    assert not any(unicodedata.category(ch).startswith("C") for ch in shown)
    assert unicodedata.is_normalized("NFC", shown)
    assert len(shown) <= 255
    if expected is not None:
        assert shown == expected


# --- the public contribution form ---------------------------------------------------------------


CONTRIBUTE_URL = "/dong-gop-tu-lieu/"


def contribution_data() -> dict:
    return {
        "contributor_name": "Nguyễn Thị Hoa",
        "body": str(Body.objects.order_by("pk").first().pk),
        "email": "hoa@example.vn",
        "description": "Ảnh Đại hội Đảng bộ Khối lần thứ nhất năm 2010.",
        "consent": "on",
    }


@pytest.mark.parametrize(("case", "name", "content"), REFUSED, ids=[r[0] for r in REFUSED])
def test_contribution_form_refuses_hostile_files_and_stores_nothing(client, case, name, content):
    response = post_multipart(client, CONTRIBUTE_URL, contribution_data(), [("files", name, content())])
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["files"] and len(errors["files"]) == 1, case
    if case == "empty file":  # Django's own check of an empty upload comes first, in its own words
        assert errors["files"] == ["Tập tin được gửi là rỗng."]
    else:
        assert errors["files"][0].startswith("Tệp gửi kèm: "), case
    assert Contribution.objects.count() == 0 and ContributionFile.objects.count() == 0
    assert media_files() == []


def test_contribution_form_refuses_the_whole_lot_when_one_file_is_bad(client):
    files = [("files", "tốt.png", png_bytes()), ("files", "xấu.pdf", REFUSED[7][2]())]
    response = post_multipart(client, CONTRIBUTE_URL, contribution_data(), files)
    assert response.status_code == 200
    assert "JavaScript" in response.content.decode()
    assert Contribution.objects.count() == 0 and media_files() == []


def test_contribution_form_refuses_an_oversize_file(client, monkeypatch):
    monkeypatch.setitem(media.MAX_UPLOAD_BYTES, media.Kind.IMAGE, 1000)
    response = post_multipart(
        client, CONTRIBUTE_URL, contribution_data(), [("files", "lớn.png", png_bytes((400, 400)))]
    )
    assert response.status_code == 200
    assert "vượt giới hạn" in response.content.decode()
    assert Contribution.objects.count() == 0 and media_files() == []


@pytest.mark.parametrize(("case", "name", "expected"), ODD_NAMES, ids=[n[0] for n in ODD_NAMES])
def test_contribution_form_stores_odd_names_under_a_random_name(client, case, name, expected):
    response = post_multipart(client, CONTRIBUTE_URL, contribution_data(), [("files", name, png_bytes())])
    assert response.status_code == 302, response.context["form"].errors
    stored = ContributionFile.objects.get()
    assert_inside_media_root(stored.file.name, r"contributions/[0-9a-f]{32}\.png")
    assert_clean_display_name(stored.original_name, expected)
    # The staff page lists the file by its cleaned name, escaped.
    assert "<script>alert" not in client.get(reverse("exhibits:contribute_done")).content.decode()


def test_a_name_longer_than_any_file_system_allows_is_a_bad_request(client):
    """Django refuses multipart headers over 1 KB (here a 3 KB name) before any view runs."""
    response = post_multipart(
        client, CONTRIBUTE_URL, contribution_data(), [("files", "ả" * 1000 + ".png", png_bytes())]
    )
    assert response.status_code == 400
    assert Contribution.objects.count() == 0 and media_files() == []


def test_contribution_form_goes_by_content_not_extension(client):
    files = [
        ("files", "ảnh.jpg", pdf_bytes()),
        ("files", "tài liệu.pdf", png_bytes()),
        ("files", "virus.exe", png_bytes()),
    ]
    response = post_multipart(client, CONTRIBUTE_URL, contribution_data(), files)
    assert response.status_code == 302
    # Shown and downloaded under the sender's name with the real type's extension.
    stored = {f.original_name: f for f in ContributionFile.objects.all()}
    assert stored["ảnh.pdf"].mime_type == "application/pdf" and stored["ảnh.pdf"].file.name.endswith(".pdf")
    assert stored["tài liệu.png"].mime_type == "image/png" and stored["tài liệu.png"].file.name.endswith(".png")
    assert stored["virus.png"].file.name.endswith(".png")
    assert len(media_files()) == 3


# --- the admin's media inline on an item --------------------------------------------------------


def item_data() -> dict:
    return {
        "kind": "photo",
        "title_vi": "Ảnh Nhà Truyền thống",
        "language": "vi",
        "reliability": "original",
        "access_level": "public",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "1000",
        "media-0-position": "0",
    }


@pytest.mark.parametrize(("case", "name", "content"), REFUSED, ids=[r[0] for r in REFUSED])
def test_admin_media_inline_refuses_hostile_files_and_stores_nothing(client, propaganda_user, case, name, content):
    client.force_login(propaganda_user)
    response = post_multipart(
        client, reverse("admin:archive_item_add"), item_data(), [("media-0-file", name, content())]
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    if case == "empty file":  # refused by Django's own check of an empty upload, in its own words
        assert formset.errors[0] == {"file": ["Tập tin được gửi là rỗng."]}
    else:
        assert formset.errors[0]["file"], case
    assert not Item.objects.exists() and not MediaFile.objects.exists()
    assert media_files() == []


def test_admin_media_inline_refuses_an_oversize_file(client, propaganda_user, monkeypatch):
    monkeypatch.setitem(media.MAX_UPLOAD_BYTES, media.Kind.IMAGE, 1000)
    client.force_login(propaganda_user)
    files = [("media-0-file", "lớn.png", png_bytes((400, 400)))]
    response = post_multipart(client, reverse("admin:archive_item_add"), item_data(), files)
    assert response.status_code == 200
    assert "vượt giới hạn" in " ".join(response.context["inline_admin_formsets"][0].formset.errors[0]["file"])
    assert not Item.objects.exists() and media_files() == []


def test_admin_media_inline_goes_by_content_not_extension(client, propaganda_user):
    client.force_login(propaganda_user)
    files = [("media-0-file", "ảnh chụp.jpg", pdf_bytes())]
    response = post_multipart(client, reverse("admin:archive_item_add"), item_data(), files)
    assert response.status_code == 302
    stored = MediaFile.objects.get()
    assert stored.kind == "pdf" and stored.mime_type == "application/pdf"
    assert_inside_media_root(stored.file.name, r"items/[0-9a-f]{2}/[0-9a-f]{32}\.pdf")
    assert stored.original_name == "ảnh chụp.pdf"


def test_a_png_uploaded_as_an_executable_is_shown_and_downloaded_as_a_png(client, propaganda_user):
    client.force_login(propaganda_user)
    data = {**item_data(), "access_level": "public", "status": "published"}
    response = post_multipart(
        client, reverse("admin:archive_item_add"), data, [("media-0-file", "anh.exe", png_bytes())]
    )
    assert response.status_code == 302
    stored = MediaFile.objects.get()
    assert stored.original_name == "anh.png"
    page = client.get(reverse("admin:archive_item_change", args=[stored.item_id])).content.decode()
    assert "anh.png" in page and "anh.exe" not in page
    download = client.get(reverse("archive:media", args=[stored.pk, "original"]) + "?tai-ve=1")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="anh.png"'


@pytest.mark.parametrize(("case", "name", "expected"), ODD_NAMES, ids=[n[0] for n in ODD_NAMES])
def test_admin_media_inline_stores_odd_names_under_a_random_name(client, propaganda_user, case, name, expected):
    client.force_login(propaganda_user)
    response = post_multipart(
        client, reverse("admin:archive_item_add"), item_data(), [("media-0-file", name, png_bytes())]
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    stored = MediaFile.objects.get()
    assert_inside_media_root(stored.file.name, r"items/[0-9a-f]{2}/[0-9a-f]{32}\.png")
    assert_inside_media_root(stored.thumbnail.name, r"derivatives/[0-9a-f]{2}/[0-9a-f]{32}\.jpg")
    assert_clean_display_name(stored.original_name, expected)
    page = client.get(reverse("admin:archive_item_change", args=[stored.item_id])).content.decode()
    assert "<script>alert" not in page


# --- upgrade attachments (staff) -------------------------------------------------------------------


@pytest.fixture
def budget_line(db) -> BudgetLine:
    return BudgetLine.objects.create(
        work_item=WorkItem.objects.order_by("pk").first(),
        description="Tủ trưng bày",
        unit="chiếc",
        quantity=2,
        unit_price=15_000_000,
        fiscal_year=2025,
    )


def expense_data(budget_line: BudgetLine) -> dict:
    return {
        "budget_line": str(budget_line.pk),
        "spent_on": "15/03/2025",
        "amount": "30000000",
        "supplier": "Công ty Nội thất Hà Nội",
        "invoice_number": "",
        "note": "",
    }


# The attachments go through the archive's inspection (archive.media.inspect_upload), so they meet
# the same refusals, in the same words, as the collection's own uploads.
ATTACHMENT_REFUSED = [
    ("pdf with javascript", "hóa đơn.pdf", REFUSED[7][2], "JavaScript"),
    ("pdf with launch action", "hóa đơn.pdf", REFUSED[8][2], "JavaScript"),
    ("png with script appended (polyglot)", "ảnh.png", REFUSED[1][2], "HTML hoặc JavaScript"),
    ("decompression bomb", "bom.png", bomb_png, "quá nhiều điểm ảnh"),
    ("truncated png", "ảnh.png", lambda: png_bytes()[:80], "bị hỏng"),
    ("html named .pdf", "hóa đơn.pdf", lambda: b"<html><script>alert(1)</script></html>", "không nhận ra loại tệp"),
    ("executable named .jpg", "ảnh.jpg", REFUSED[6][2], "không nhận ra loại tệp"),
    ("png named .pdf", "hóa đơn.pdf", png_bytes, "không khớp với đuôi .pdf"),
    ("pdf named .docx", "dự toán.docx", pdf_bytes, "không khớp với đuôi .docx"),
    ("svg", "sơ đồ.svg", REFUSED[3][2], "svg"),
    ("empty file", "rỗng.pdf", lambda: b"", ""),
]


@pytest.mark.parametrize(
    ("case", "name", "content", "message"), ATTACHMENT_REFUSED, ids=[a[0] for a in ATTACHMENT_REFUSED]
)
def test_expense_attachment_refuses_hostile_files(client, office_user, budget_line, case, name, content, message):
    client.force_login(office_user)
    response = post_multipart(
        client, reverse("admin:upgrades_expense_add"), expense_data(budget_line), [("attachment", name, content())]
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "attachment" in errors, case
    assert message in " ".join(errors["attachment"])
    assert not Expense.objects.exists() and media_files() == []


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def office_file(inner: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dự toán.xlsx", lambda: tablib.Dataset(["Tủ", 1000]).export("xlsx")),
        ("hợp đồng.docx", lambda: office_file("word/document.xml")),
        ("hóa đơn.pdf", pdf_bytes),
        ("ảnh.jpeg", jpeg_bytes),
    ],
)
def test_the_attachment_inspection_takes_office_files_pdfs_and_pictures(name, content):
    validate_attachment_content(SimpleUploadedFile(name, content()))


def test_an_office_file_is_not_a_media_file_of_the_archive():
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(SimpleUploadedFile("hợp đồng.docx", office_file("word/document.xml")))
    assert caught.value.code == "kind_not_allowed"


def test_an_unknown_attachment_is_told_what_an_attachment_may_be(client, office_user, budget_line):
    client.force_login(office_user)
    data = expense_data(budget_line)
    files = [("attachment", "x.pdf", b"MZ" * 99)]
    response = post_multipart(client, reverse("admin:upgrades_expense_add"), data, files)
    message = " ".join(response.context["adminform"].form.errors["attachment"])
    assert message.startswith("Tệp đính kèm: không nhận ra loại tệp")
    assert "ảnh JPEG, PNG, WebP, TIFF, GIF; tệp PDF; văn bản Word (DOCX), bảng tính Excel (XLSX)." in message
    assert "MP4" not in message


def test_expense_attachment_refuses_an_oversize_file(client, office_user, budget_line, monkeypatch):
    monkeypatch.setattr("upgrades.models.ATTACHMENT_MAX_BYTES", 1000)
    client.force_login(office_user)
    response = post_multipart(
        client,
        reverse("admin:upgrades_expense_add"),
        expense_data(budget_line),
        [("attachment", "hđ.pdf", pdf_bytes())],
    )
    assert response.status_code == 200 and "quá lớn" in response.content.decode()
    assert not Expense.objects.exists() and media_files() == []


@pytest.mark.parametrize("name", ["../../etc/hóa đơn.pdf", "..\\..\\hđ.pdf", "/var/www/hđ.pdf", "h\u202efdp.exe.pdf"])
def test_expense_attachment_is_stored_under_a_random_name(client, office_user, budget_line, name):
    client.force_login(office_user)
    response = post_multipart(
        client, reverse("admin:upgrades_expense_add"), expense_data(budget_line), [("attachment", name, pdf_bytes())]
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    expense = Expense.objects.get()
    assert_inside_media_root(expense.attachment.name, r"upgrades/[0-9a-f]{32}\.pdf")
    download = client.get(reverse("upgrades:expense_attachment", args=[expense.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "/" not in download["Content-Disposition"].split("filename", 1)[1]
