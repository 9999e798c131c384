"""Batch ingest in the admin: a spreadsheet and a ZIP of scans previewed, confirmed, unpacked in
the background into processed media files, and followed on a report page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import tablib
from django.conf import settings as django_settings
from django.urls import reverse

from archive import batches
from archive.models import IngestBatch, IngestFile, Item, MediaFile
from tests.archive.batch_samples import archive, jpeg, pdf, row, sheet, tiff

pytestmark = pytest.mark.django_db

INGEST = "admin:archive_item_batch_ingest"


def stored_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def staff(client, propaganda_user):
    client.force_login(propaganda_user)
    return client


def preview(client, rows, members, **sheet_kwargs):
    return client.post(reverse(INGEST), {"sheet": sheet(rows, **sheet_kwargs), "archive": archive(members)})


def confirm(client, batch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse(INGEST), {"batch": batch.pk, "confirm": "1"})


def test_a_batch_is_previewed_confirmed_unpacked_and_every_file_ends_ready(
    staff, propaganda_user, django_capture_on_commit_callbacks
):
    members = {
        "quet/bao-cao-1958-trang-1.jpg": jpeg(seed=1),
        "quet/bao-cao-1958-trang-2.tif": tiff(),
        "anh-dai-hoi.jpg": jpeg(seed=2),
        "van-kien.pdf": pdf(3),
    }
    rows = [
        row("Báo cáo năm 1958", "bao-cao-1958-trang-1.jpg; quet/bao-cao-1958-trang-2.tif"),
        row("Ảnh Đại hội", "anh-dai-hoi.jpg"),
        row("Văn kiện", "VAN-KIEN.pdf"),
        row("Hiện vật chưa chụp", ""),
    ]
    response = preview(staff, rows, members)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xem trước: 4 dòng (4 tư liệu mới, 0 tư liệu được sửa), 4 tệp" in html
    assert "quet/bao-cao-1958-trang-2.tif" in html and "không có trong ZIP" not in html
    assert Item.objects.count() == 0 and MediaFile.objects.count() == 0  # a preview changes nothing
    batch = IngestBatch.objects.get()
    assert batch.status == IngestBatch.Status.PREVIEW and batch.created_by == propaganda_user
    assert set(batch.members) == set(members)

    response = confirm(staff, batch, django_capture_on_commit_callbacks)
    report = reverse("admin:archive_item_batch_report", args=[batch.pk])
    assert response.status_code == 302 and response["Location"] == report
    batch.refresh_from_db()
    assert batch.status == IngestBatch.Status.DONE
    assert not batch.archive and not any(name.endswith(".zip") for name in stored_files())  # the ZIP is gone

    report_item = Item.objects.get(title="Báo cáo năm 1958")
    assert [m.original_name for m in report_item.media.order_by("position")] == [
        "bao-cao-1958-trang-1.jpg",
        "bao-cao-1958-trang-2.tif",
    ]
    assert report_item.media.filter(is_primary=True).get().original_name == "bao-cao-1958-trang-1.jpg"
    assert Item.objects.get(title="Văn kiện").media.get().page_count == 3
    assert not Item.objects.get(title="Hiện vật chưa chụp").media.exists()
    assert MediaFile.objects.count() == 4
    assert set(MediaFile.objects.values_list("status", flat=True)) == {MediaFile.Status.READY}
    assert all(m.has_tiles for m in MediaFile.objects.all())
    assert set(IngestFile.objects.values_list("status", flat=True)) == {IngestFile.Status.STORED}

    page = staff.get(report)
    html = page.content.decode()
    assert page.status_code == 200
    assert "4 trên 4 tệp đã xử lý xong, 0 tệp lỗi." in html
    assert html.count('data-state="ready"') == 4
    assert 'http-equiv="refresh"' not in html  # nothing left to wait for


def test_the_report_refreshes_while_files_wait_for_the_worker(staff, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    preview(staff, [row("Ảnh", "a.jpg")], {"a.jpg": jpeg()})
    batch = IngestBatch.objects.get()
    confirm(staff, batch, django_capture_on_commit_callbacks)
    assert Item.objects.filter(title="Ảnh").exists()  # the metadata is imported at once
    html = staff.get(reverse("admin:archive_item_batch_report", args=[batch.pk])).content.decode()
    assert 'http-equiv="refresh" content="5"' in html
    assert 'data-state="waiting"' in html and "0 trên 1 tệp đã xử lý xong" in html
    batches.ingest_batch_unpack(batch_id=batch.pk)  # what the worker runs
    ingest_file = IngestFile.objects.select_related("media_file").get()
    assert ingest_file.status == IngestFile.Status.STORED and ingest_file.state == MediaFile.Status.WAITING


def test_a_file_no_row_names_is_listed_as_unused_and_not_stored(staff, django_capture_on_commit_callbacks):
    response = preview(staff, [row("Ảnh", "a.jpg")], {"a.jpg": jpeg(), "thua/b.jpg": jpeg(seed=3)})
    html = response.content.decode()
    assert "Tệp trong ZIP không dòng nào ghi tên" in html and "thua/b.jpg" in html and "không dùng" in html
    confirm(staff, IngestBatch.objects.get(), django_capture_on_commit_callbacks)
    assert list(MediaFile.objects.values_list("original_name", flat=True)) == ["a.jpg"]


def test_a_csv_sheet_works_too_and_an_existing_item_gets_its_files(staff, django_capture_on_commit_callbacks):
    item = Item.objects.create(title="Đã có", is_sample=True)
    rows = [{**row("Đã có", "a.jpg"), "Số đăng ký": item.inventory_number}]
    dataset_headers = ["Số đăng ký", *rows[0]]
    data = tablib.Dataset([rows[0].get(h, "") for h in dataset_headers], headers=dataset_headers)
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff.post(
        reverse(INGEST),
        {
            "sheet": SimpleUploadedFile("lo.csv", ("\ufeff" + data.export("csv")).encode()),
            "archive": archive({"a.jpg": jpeg()}),
        },
    )
    confirm(staff, IngestBatch.objects.get(), django_capture_on_commit_callbacks)
    assert item.media.get().status == MediaFile.Status.READY
    assert Item.objects.count() == 1


def test_the_unpacking_may_run_again_without_storing_a_file_twice(staff, django_capture_on_commit_callbacks):
    preview(staff, [row("Ảnh", "a.jpg; b.jpg")], {"a.jpg": jpeg(), "b.jpg": jpeg(seed=5)})
    batch = IngestBatch.objects.get()
    confirm(staff, batch, django_capture_on_commit_callbacks)
    assert batches.ingest_batch_unpack(batch_id=batch.pk) == IngestBatch.Status.DONE
    assert MediaFile.objects.count() == 2


def test_a_stopped_run_is_resumed_without_storing_the_file_it_had_stored(
    settings, staff, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    preview(staff, [row("Ảnh", "a.jpg; b.jpg")], {"a.jpg": jpeg(), "b.jpg": jpeg(seed=5)})
    batch = IngestBatch.objects.get()
    confirm(staff, batch, django_capture_on_commit_callbacks)
    # A worker stopped after storing a.jpg, before recording it: the batch and the file say "working".
    first = IngestFile.objects.get(member="a.jpg")
    from archive.media import media_file_store

    with zipfile.ZipFile(batch.archive.path) as bundle, bundle.open("a.jpg") as handle:
        from django.core.files.uploadedfile import SimpleUploadedFile

        media_file_store(item=first.item, uploaded=SimpleUploadedFile("a.jpg", handle.read()))
    IngestFile.objects.filter(pk=first.pk).update(status=IngestFile.Status.WORKING)
    IngestBatch.objects.filter(pk=batch.pk).update(status=IngestBatch.Status.WORKING)
    assert batches.ingest_batch_unpack(batch_id=batch.pk) == IngestBatch.Status.DONE
    assert sorted(MediaFile.objects.values_list("original_name", flat=True)) == ["a.jpg", "b.jpg"]
    assert IngestFile.objects.filter(status=IngestFile.Status.STORED).count() == 2


def test_confirming_twice_imports_once(staff, django_capture_on_commit_callbacks):
    preview(staff, [row("Ảnh", "a.jpg")], {"a.jpg": jpeg()})
    batch = IngestBatch.objects.get()
    confirm(staff, batch, django_capture_on_commit_callbacks)
    second = confirm(staff, batch, django_capture_on_commit_callbacks)
    assert second.status_code == 404  # no longer a preview
    assert Item.objects.count() == 1 and MediaFile.objects.count() == 1


def test_a_discarded_preview_leaves_nothing(staff):
    preview(staff, [row("Ảnh", "a.jpg")], {"a.jpg": jpeg()})
    batch = IngestBatch.objects.get()
    assert stored_files()
    response = staff.post(reverse(INGEST), {"batch": batch.pk, "discard": "1"})
    assert response.status_code == 302
    assert not IngestBatch.objects.exists() and not stored_files() and not Item.objects.exists()


def test_a_preview_left_a_day_is_removed_by_the_next_one(staff, time_machine):
    time_machine.move_to("2026-12-01 09:00 +07:00")
    preview(staff, [row("Ảnh", "a.jpg")], {"a.jpg": jpeg()})
    old = IngestBatch.objects.get()
    old_files = stored_files()
    time_machine.move_to("2026-12-02 10:00 +07:00")
    preview(staff, [row("Ảnh", "a.jpg")], {"a.jpg": jpeg()})
    assert not IngestBatch.objects.filter(pk=old.pk).exists()
    assert not old_files & stored_files()


def test_the_batch_template_is_the_item_template_with_the_files_column(staff):
    response = staff.get(reverse("admin:archive_item_batch_template", args=["csv"]))
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[-1] == batches.FILES_COLUMN and "Tiêu đề" in header
    xlsx = staff.get(reverse("admin:archive_item_batch_template", args=["xlsx"]))
    assert tablib.Dataset().load(xlsx.content, format="xlsx").headers[-1] == batches.FILES_COLUMN


def test_the_item_list_links_to_the_batch_page_for_those_who_may_ingest(staff, client, leadership_user):
    assert reverse(INGEST) in staff.get(reverse("admin:archive_item_changelist")).content.decode()
    client.force_login(leadership_user)
    assert reverse(INGEST) not in client.get(reverse("admin:archive_item_changelist")).content.decode()
    assert client.get(reverse(INGEST)).status_code == 403


def test_many_files_chosen_at_once_are_ingested_as_a_zip_would_be(staff, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    chosen = [SimpleUploadedFile("trang-1.jpg", jpeg()), SimpleUploadedFile("trang-2.pdf", pdf(2))]
    response = staff.post(
        reverse(INGEST), {"sheet": sheet([row("Hồ sơ", "trang-1.jpg; trang-2.pdf")]), "files": chosen}
    )
    assert "1 dòng (1 tư liệu mới, 0 tư liệu được sửa), 2 tệp" in response.content.decode()
    batch = IngestBatch.objects.get()
    assert batch.members.keys() == {"trang-1.jpg", "trang-2.pdf"}
    confirm(staff, batch, django_capture_on_commit_callbacks)
    media = Item.objects.get(title="Hồ sơ").media.order_by("position")
    assert [(m.original_name, m.status) for m in media] == [("trang-1.jpg", "ready"), ("trang-2.pdf", "ready")]


def test_a_zip_and_loose_files_together_or_neither_are_refused(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [row("Ảnh", "a.jpg")]
    both = staff.post(
        reverse(INGEST),
        {"sheet": sheet(rows), "archive": archive({"a.jpg": jpeg()}), "files": [SimpleUploadedFile("a.jpg", jpeg())]},
    )
    neither = staff.post(reverse(INGEST), {"sheet": sheet(rows)})
    for response in (both, neither):
        assert "Hãy chọn một tệp ZIP hoặc chọn nhiều tệp cùng lúc" in response.content.decode()
    assert not IngestBatch.objects.exists() and not stored_files()


def test_a_vietnamese_name_written_without_the_utf8_flag_is_read_as_written(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.archive.batch_samples import without_utf8_flag, zip_bytes

    data = without_utf8_flag(zip_bytes({"ảnh Đại hội.jpg": jpeg()}))
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() != ["ảnh Đại hội.jpg"]  # the library's cp437
    response = staff.post(
        reverse(INGEST), {"sheet": sheet([row("Ảnh", "ảnh Đại hội.jpg")]), "archive": SimpleUploadedFile("a.zip", data)}
    )
    assert "Xem trước: 1 dòng" in response.content.decode()
    assert list(IngestBatch.objects.get().members) == ["ảnh Đại hội.jpg"]
