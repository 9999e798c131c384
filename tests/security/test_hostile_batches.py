"""Bad batches: each refused or failed with a Vietnamese message naming the file and the fix,
nothing else changed, and no media file pointing at a file that is not stored."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive import batches
from archive.models import IngestBatch, IngestFile, Item, MediaFile
from tests.archive.batch_samples import (
    archive,
    corrupt_tiff,
    declaring_sizes,
    jpeg,
    pdf,
    pdf_with_broken_page,
    pdf_without_pages,
    row,
    sheet,
    with_symlink,
    zip_bytes,
)
from tests.archive.media_samples import require_ffmpeg

pytestmark = pytest.mark.django_db

INGEST = "admin:archive_item_batch_ingest"
GB = 1024**3


def stored_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def staff(client, propaganda_user):
    client.force_login(propaganda_user)
    return client


def refused(client, rows, zip_data: bytes, name: str = "anh-quet.zip") -> str:
    """Post a batch that must be refused whole: the page says why, and nothing at all is kept."""
    response = client.post(reverse(INGEST), {"sheet": sheet(rows), "archive": SimpleUploadedFile(name, zip_data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lô này chưa nhập được; chưa có gì thay đổi." in html
    assert 'name="confirm"' not in html
    assert not IngestBatch.objects.exists() and not Item.objects.exists() and not MediaFile.objects.exists()
    assert not stored_files()
    return html


def ingested(client, rows, members: dict[str, bytes], capture) -> IngestBatch:
    """Post and confirm a batch whose files are only found bad once unpacked, in the background."""
    client.post(reverse(INGEST), {"sheet": sheet(rows), "archive": archive(members)})
    batch = IngestBatch.objects.get()
    with capture(execute=True):
        client.post(reverse(INGEST), {"batch": batch.pk, "confirm": "1"})
    batch.refresh_from_db()
    assert batch.status == IngestBatch.Status.DONE
    for media_file in MediaFile.objects.all():  # no record points at a file that is not stored
        assert default_storage.exists(media_file.file.name)
    return batch


def failure(member: str) -> str:
    ingest_file = IngestFile.objects.get(member=member)
    assert ingest_file.status == IngestFile.Status.FAILED and ingest_file.media_file is None
    assert ingest_file.state == MediaFile.Status.FAILED
    return ingest_file.failure_reason


def test_a_zip_declaring_a_member_of_2_gb_is_refused_before_anything_is_unpacked(staff):
    data = declaring_sizes(zip_bytes({"phim-lon.mp4": b"x" * 1000, "a.jpg": jpeg()}), {"phim-lon.mp4": 2 * GB})
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("phim-lon.mp4").file_size == 2 * GB
    html = refused(staff, [row("Phim", "phim-lon.mp4")], data)
    assert "Tệp “phim-lon.mp4” trong ZIP khi giải nén nặng 2,0\xa0GB, vượt giới hạn 1,0\xa0GB của một tệp" in html
    assert "Chưa giải nén tệp nào." in html


def test_a_zip_whose_members_declare_more_than_the_batch_limit_together_is_refused(staff):
    names = [f"quet-{n}.tif" for n in range(4)]
    data = declaring_sizes(zip_bytes(dict.fromkeys(names, b"x" * 1000)), dict.fromkeys(names, GB - 1))
    html = refused(staff, [row("Lô", "; ".join(names))], data)
    assert "Các tệp trong ZIP “anh-quet.zip” khi giải nén nặng tổng cộng 4,0\xa0GB, vượt giới hạn 3,0\xa0GB" in html
    assert "Hãy chia các tệp thành nhiều lô nhỏ hơn" in html


def test_a_zip_larger_than_a_batch_may_be_is_refused_by_its_size_alone():
    members, problems = batches.read_members(b"", "lon.zip", batches.MAX_ARCHIVE_BYTES + 1)
    assert members == {}
    assert problems == [
        "Tệp ZIP “lon.zip” nặng 3,0\xa0GB, vượt giới hạn 3,0\xa0GB của một lô. "
        "Hãy chia các tệp thành nhiều lô nhỏ hơn rồi nhập từng lô."
    ]


@pytest.mark.parametrize("name", ["../x.jpg", "quet/../../x.jpg", "/etc/x.jpg", "C:\\Windows\\x.jpg", "..\\x.jpg"])
def test_a_member_whose_path_leaves_the_zip_refuses_the_batch(staff, name):
    html = refused(staff, [row("Ảnh", "a.jpg")], zip_bytes({"a.jpg": jpeg(), name: jpeg(seed=4)}))
    assert f"Tệp “{name}” trong ZIP có đường dẫn trỏ ra ngoài thư mục của tệp ZIP" in html
    assert "Hãy nén lại từ chính thư mục chứa ảnh quét" in html


def test_a_symlink_member_refuses_the_batch(staff):
    html = refused(staff, [row("Ảnh", "a.jpg")], with_symlink({"a.jpg": jpeg()}, "mat-khau.jpg", "/etc/passwd"))
    assert "Mục “mat-khau.jpg” trong ZIP là liên kết tượng trưng (symlink), không phải tệp" in html


def test_a_zip_bomb_is_refused_by_its_ratio(staff):
    bomb = zip_bytes({"a.jpg": jpeg(), "bom.tif": bytes(50 * 1024 * 1024)})
    html = refused(staff, [row("Ảnh", "a.jpg; bom.tif")], bomb)
    assert "Tệp “bom.tif” trong ZIP nén chặt hơn 100 lần" in html and "“bom nén”" in html


def test_a_file_that_is_not_a_zip_is_refused(staff):
    html = refused(staff, [row("Ảnh", "a.jpg")], jpeg(), name="anh.zip")
    assert "Tệp “anh.zip” không phải tệp ZIP hoặc đã hỏng" in html


def test_a_row_naming_a_file_not_in_the_zip_refuses_the_batch(staff):
    html = refused(staff, [row("Ảnh", "a.jpg"), row("Ảnh hai", "khong-co.jpg")], zip_bytes({"a.jpg": jpeg()}))
    assert "Dòng 3 ghi tệp “khong-co.jpg” nhưng tệp ZIP không có tệp này." in html
    assert "Hãy sửa tên tệp ở cột “Tệp số hóa” cho đúng tên trong ZIP" in html
    assert "không có trong ZIP" in html  # the preview still lists the row and its missing file


def test_a_name_held_in_two_folders_must_be_written_with_its_folder(staff):
    html = refused(staff, [row("Ảnh", "a.jpg")], zip_bytes({"x/a.jpg": jpeg(), "y/a.jpg": jpeg(seed=2)}))
    assert "Dòng 2 ghi tệp “a.jpg” nhưng tệp ZIP có nhiều tệp cùng tên này" in html and "“x/a.jpg”" in html


def test_a_wrong_cell_refuses_the_batch_naming_its_line_and_column(staff):
    html = refused(staff, [row("Ảnh", "a.jpg", **{"Thời kỳ": "TK9"})], zip_bytes({"a.jpg": jpeg()}))
    assert "Dòng 2, cột “Thời kỳ”:" in html


def test_a_sheet_without_the_files_column_is_told_to_add_it(staff):
    data = "\ufeffTiêu đề\nẢnh\n".encode()
    response = staff.post(
        reverse(INGEST),
        {
            "sheet": SimpleUploadedFile("lo.csv", data),
            "archive": SimpleUploadedFile("a.zip", zip_bytes({"a.jpg": jpeg()})),
        },
    )
    assert "Bảng tính “lo.csv” thiếu cột “Tệp số hóa”" in response.content.decode()
    assert not IngestBatch.objects.exists() and not stored_files()


def test_a_corrupt_tiff_fails_alone_with_its_reason_and_the_rest_is_stored(staff, django_capture_on_commit_callbacks):
    ingested(
        staff,
        [row("Báo cáo", "trang-1.jpg; trang-2.tif")],
        {"trang-1.jpg": jpeg(), "trang-2.tif": corrupt_tiff()},
        django_capture_on_commit_callbacks,
    )
    reason = failure("trang-2.tif")
    item = Item.objects.get()
    assert reason.startswith(f"Tệp “trang-2.tif” (dòng 2, tư liệu {item.inventory_number}): Tệp: tệp ảnh bị hỏng")
    assert "Hãy xuất lại ảnh từ máy quét" in reason and "hãy tải tệp đã sửa lên ở trang của tư liệu" in reason
    assert list(item.media.values_list("original_name", flat=True)) == ["trang-1.jpg"]
    html = staff.get(reverse("admin:archive_item_batch_report", args=[IngestBatch.objects.get().pk])).content.decode()
    assert "1 trên 2 tệp đã xử lý xong, 1 tệp lỗi." in html and "tệp ảnh bị hỏng" in html


def test_a_pdf_without_pages_or_with_a_broken_page_fails_with_its_reason(staff, django_capture_on_commit_callbacks):
    ingested(
        staff,
        [row("Trống", "trong.pdf"), row("Hỏng", "hong.pdf"), row("Tốt", "tot.pdf")],
        {"trong.pdf": pdf_without_pages(), "hong.pdf": pdf_with_broken_page(), "tot.pdf": pdf(2)},
        django_capture_on_commit_callbacks,
    )
    assert "tệp PDF “trong.pdf” không có trang nào" in failure("trong.pdf")
    assert "trang 2 của tệp PDF “hong.pdf” bị hỏng" in failure("hong.pdf")
    assert list(MediaFile.objects.values_list("original_name", flat=True)) == ["tot.pdf"]


def test_a_video_ffprobe_cannot_read_fails_with_its_reason(staff, django_capture_on_commit_callbacks):
    require_ffmpeg()
    broken = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
    ingested(staff, [row("Phim", "phim.mp4")], {"phim.mp4": broken}, django_capture_on_commit_callbacks)
    reason = failure("phim.mp4")
    assert "tệp video không có hình hoặc không đọc được thời lượng" in reason and "xuất lại video" in reason
    assert not MediaFile.objects.exists()


def test_a_member_longer_than_it_declares_is_never_written_past_its_size(staff, django_capture_on_commit_callbacks):
    data = declaring_sizes(zip_bytes({"a.jpg": jpeg()}), {"a.jpg": 100}, compressed=False)
    staff.post(reverse(INGEST), {"sheet": sheet([row("Ảnh", "a.jpg")]), "archive": SimpleUploadedFile("a.zip", data)})
    batch = IngestBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse(INGEST), {"batch": batch.pk, "confirm": "1"})
    assert "bị hỏng trong tệp ZIP" in failure("a.jpg")
    assert not MediaFile.objects.exists()


def test_a_stored_zip_gone_before_unpacking_fails_each_file_with_its_reason(
    settings, staff, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    staff.post(reverse(INGEST), {"sheet": sheet([row("Ảnh", "a.jpg")]), "archive": archive({"a.jpg": jpeg()})})
    batch = IngestBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse(INGEST), {"batch": batch.pk, "confirm": "1"})
    batch.refresh_from_db()
    default_storage.delete(batch.archive.name)
    assert batches.ingest_batch_unpack(batch_id=batch.pk) == IngestBatch.Status.FAILED
    assert "tệp ZIP của lô không còn đọc được" in failure("a.jpg")
    assert not MediaFile.objects.exists()
