"""Classified items hold no file on an internet-facing instance (Luật Bảo vệ bí mật nhà nước, Điều 5).

A file is planted on a classified item by every path there is (the admin form, a crafted admin POST,
a contribution accepted into it, ``media_file_store`` as batch ingest and an API call it) and each
refuses it with the Vietnamese message citing the rule, storing nothing. Classifying an item that
holds files goes through the confirmed export step, which records who did it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive import services
from archive.media import media_file_store
from archive.models import Contribution, ContributionFile, Item, MediaFile, OfflineTransfer

pytestmark = pytest.mark.django_db

LAW = "29/2018/QH14"


def png(name: str = "bản quét.png", color=(10, 120, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def stored_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def secret_item(db):
    return Item.objects.create(
        title="Báo cáo tình hình bảo vệ chính trị nội bộ",
        confidentiality=Item.Confidentiality.SECRET,
        access_level=Item.AccessLevel.RESTRICTED,
        secret_custody="Kho lưu trữ Văn phòng, hệ thống ngoại tuyến số 2",
    )


def form_data(**values) -> dict:
    data = {
        "kind": "document",
        "title_vi": "Báo cáo tình hình bảo vệ chính trị nội bộ",
        "language": "vi",
        "reliability": "original",
        "access_level": "restricted",
        "confidentiality": "secret",
        "media-TOTAL_FORMS": "0",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "1000",
    }
    data.update(values)
    return data


def assert_refused(message: str) -> None:
    assert LAW in message and "Điều 5" in message and "“Tối mật”" in message
    assert not MediaFile.objects.exists()
    assert not any(name.startswith("items/") for name in stored_files())


def test_admin_form_refuses_a_file_on_a_new_classified_item(client, propaganda_user):
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:archive_item_add"), form_data(**{"media-TOTAL_FORMS": "1", "media-0-file": png()})
    )
    assert response.status_code == 200
    errors = " ".join(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert_refused(errors)
    assert "Luật Bảo vệ bí mật nhà nước số 29/2018/QH14, Điều 5" in errors
    assert not Item.objects.exists()


def test_the_change_form_of_a_classified_item_offers_no_upload_row(client, propaganda_user, secret_item):
    client.force_login(propaganda_user)
    response = client.get(reverse("admin:archive_item_change", args=[secret_item.pk]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.total_form_count() == 0
    assert "Kho lưu trữ Văn phòng, hệ thống ngoại tuyến số 2" in response.content.decode()


def test_a_crafted_admin_post_with_a_file_for_a_classified_item_is_refused(client, propaganda_user, secret_item):
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:archive_item_change", args=[secret_item.pk]),
        form_data(**{"media-TOTAL_FORMS": "1", "media-0-file": png(), "media-0-position": "0"}),
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    message = " ".join([*formset.non_form_errors(), *(e for form in formset.errors for e in form.get("file", []))])
    assert_refused(message)


def test_media_file_store_refuses_as_batch_ingest_and_the_api_would_call_it(secret_item):
    with pytest.raises(ValidationError) as refused:
        media_file_store(item=secret_item, uploaded=png())
    assert refused.value.message_dict["file"]
    assert_refused(" ".join(refused.value.messages))


def test_media_file_store_reads_the_item_as_it_stands_in_the_database(secret_item):
    stale = Item.objects.get(pk=secret_item.pk)
    stale.confidentiality = ""  # classified since this copy was read
    with pytest.raises(ValidationError) as refused:
        media_file_store(item=stale, uploaded=png())
    assert_refused(" ".join(refused.value.messages))


def test_model_validation_refuses_a_media_row_of_a_classified_item(secret_item):
    media_file = MediaFile(item=secret_item, file="items/aa/x.png", original_name="x.png")
    with pytest.raises(ValidationError) as refused:
        media_file.full_clean()
    assert LAW in refused.value.message_dict["file"][0]


def test_a_contribution_accepted_into_a_classified_item_is_refused_and_changes_nothing(
    propaganda_user, secret_item, django_capture_on_commit_callbacks
):
    contribution = Contribution.objects.create(
        contributor_name="Nguyễn Văn An",
        organisation="Đảng ủy Bộ Tư pháp",
        email="an@example.org",
        description="Bản sao",
    )
    ContributionFile.objects.create(
        contribution=contribution,
        file=ContentFile(png().read(), name="ban-sao.png"),
        original_name="bản sao.png",
        mime_type="image/png",
    )
    with pytest.raises(ValidationError) as refused:
        services.contribution_accept(contribution=contribution, user=propaganda_user, into=secret_item)
    assert_refused(" ".join(refused.value.messages))
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.RECEIVED


def test_offline_instance_accepts_the_file(settings, secret_item):
    settings.OFFLINE_INSTANCE = True
    stored = media_file_store(item=secret_item, uploaded=png(), enqueue=False)
    assert stored.item == secret_item


def test_classifying_an_item_with_files_in_the_form_is_refused(client, propaganda_user):
    item = Item.objects.create(title="Nghị quyết", access_level=Item.AccessLevel.INTERNAL)
    media_file_store(item=item, uploaded=png(), enqueue=False)
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:archive_item_change", args=[item.pk]),
        form_data(title="Nghị quyết", access_level="internal", confidentiality="confidential"),
    )
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.errors["confidentiality"])
    assert "1 tệp" in message and LAW in message and "Chuyển sang mật" in message
    item.refresh_from_db()
    assert item.confidentiality == ""


def test_the_confirmed_export_packs_removes_and_classifies_recording_who(
    client, propaganda_user, django_capture_on_commit_callbacks
):
    item = Item.objects.create(title="Biên bản họp", access_level=Item.AccessLevel.PUBLIC)
    first = media_file_store(item=item, uploaded=png("trang 1.png", (1, 2, 3)), enqueue=False)
    second = media_file_store(item=item, uploaded=png("trang 2.png", (4, 5, 6)), enqueue=False)
    originals = {first.original_name: first.sha256, second.original_name: second.sha256}
    assert any(name.startswith("items/") for name in stored_files())
    client.force_login(propaganda_user)
    changelist = reverse("admin:archive_item_changelist")
    chosen = {"action": "classify_offline", "_selected_action": [item.pk]}

    confirm_page = client.post(changelist, chosen)
    assert confirm_page.status_code == 200
    assert "29/2018/QH14" in confirm_page.content.decode()
    assert not OfflineTransfer.objects.exists()

    unconfirmed = client.post(
        changelist, {**chosen, "apply": "1", "confidentiality": "secret", "secret_custody": "Kho số 2"}
    )
    assert unconfirmed.status_code == 200 and not OfflineTransfer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            changelist,
            {
                **chosen,
                "apply": "1",
                "confidentiality": "secret",
                "secret_custody": "Kho lưu trữ Văn phòng, máy ngoại tuyến",
                "secret_access": "Thường trực Đảng ủy",
                "confirm": "on",
            },
        )
    assert done.status_code == 302
    transfer = OfflineTransfer.objects.get()
    assert transfer.status == OfflineTransfer.Status.READY and transfer.requested_by == propaganda_user
    assert transfer.file_count == 2
    item.refresh_from_db()
    assert item.confidentiality == "secret" and item.access_level == Item.AccessLevel.RESTRICTED
    assert item.secret_custody == "Kho lưu trữ Văn phòng, máy ngoại tuyến"
    assert not item.media.exists()
    assert not any(name.startswith("items/") for name in stored_files())
    latest = item.history.first()
    assert latest.history_user == propaganda_user and "ngoại tuyến" in latest.history_change_reason

    package = client.get(reverse("admin:archive_offlinetransfer_package", args=[transfer.pk]))
    assert package.status_code == 200
    body = b"".join(package.streaming_content)
    assert hashlib.sha256(body).hexdigest() == transfer.package_sha256
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        record = json.loads(archive.read("record.json"))
        assert {f["original_name"]: f["sha256"] for f in record["files"]} == originals
        for entry in record["files"]:
            assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
        assert record["exported_by"] == propaganda_user.get_username()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:archive_offlinetransfer_changelist"),
            {"action": "confirm_collected", "_selected_action": [transfer.pk]},
        )
    transfer.refresh_from_db()
    assert transfer.status == OfflineTransfer.Status.COLLECTED and transfer.collected_by == propaganda_user
    assert not any(name.startswith("offline/") for name in stored_files())


def test_a_changed_file_stops_the_export_and_nothing_is_removed(propaganda_user, django_capture_on_commit_callbacks):
    from archive.offline import offline_transfer_request

    item = Item.objects.create(title="Biên bản", access_level=Item.AccessLevel.INTERNAL)
    stored = media_file_store(item=item, uploaded=png(), enqueue=False)
    with stored.file.storage.open(stored.file.name, "wb") as handle:
        handle.write(b"changed on disk")
    with django_capture_on_commit_callbacks(execute=True):
        transfer = offline_transfer_request(
            item=item, user=propaganda_user, confidentiality="secret", secret_custody="Kho số 2"
        )
    transfer.refresh_from_db()
    assert transfer.status == OfflineTransfer.Status.FAILED and "SHA-256" in transfer.failure_reason
    item.refresh_from_db()
    assert item.confidentiality == "" and item.media.count() == 1
    assert not any(name.startswith("offline/") for name in stored_files())


def test_check_deploy_names_the_mode(settings):
    from traditions.checks import classified_files_mode

    assert [m.id for m in classified_files_mode()] == ["traditions.I001"]
    settings.OFFLINE_INSTANCE = True
    assert [m.id for m in classified_files_mode()] == ["traditions.I002"]
    assert all(m.level < 30 for m in classified_files_mode())  # INFO: CI's --fail-level WARNING stays green


def test_a_batch_ingest_naming_a_classified_item_stores_no_file(
    client, propaganda_user, secret_item, django_capture_on_commit_callbacks
):
    """The batch path end to end: a spreadsheet row naming the classified item by its number, with a
    scan in the ZIP, is unpacked in the background; the file is refused by the same rule, and the
    batch's report shows why."""
    import tablib
    from django.core.files.uploadedfile import SimpleUploadedFile

    from archive.models import IngestBatch, IngestFile
    from tests.archive.batch_samples import archive, jpeg, row

    client.force_login(propaganda_user)
    line = {
        **row(secret_item.title, "mat.jpg"),
        "Số đăng ký": secret_item.inventory_number,
        "Mức độ tiếp cận": "Hạn chế",
    }
    headers = ["Số đăng ký", *(h for h in line if h != "Số đăng ký")]
    data = tablib.Dataset([line.get(h, "") for h in headers], headers=headers)
    ingest = reverse("admin:archive_item_batch_ingest")
    page = client.post(
        ingest,
        {
            "sheet": SimpleUploadedFile("lo.csv", ("\ufeff" + data.export("csv")).encode()),
            "archive": archive({"mat.jpg": jpeg()}),
        },
    )
    assert page.status_code == 200
    batch = IngestBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ingest, {"batch": batch.pk, "confirm": "1"})
    refused = IngestFile.objects.get(batch=batch)
    assert refused.status == IngestFile.Status.FAILED
    assert_refused(refused.failure_reason)
