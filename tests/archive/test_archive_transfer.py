"""Transfer packages: an item, a dossier or a period exported from the admin as a BagIt bag, built in
the background, downloaded by staff, and valid by ``bagit``'s own check."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from xml.etree import ElementTree

import bagit
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archive import media
from archive.models import Dossier, Item, Keyword, MediaFile, Period, PreservationEvent, TransferPackage

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"


def jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((300, 200), 20 + seed).convert("RGB").save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture
def dossier(db, django_capture_on_commit_callbacks):
    dossier = Dossier.objects.create(code="HS-2007-01", title="Hồ sơ Đại hội lần thứ nhất")
    period = Period.objects.order_by("number").last()
    keyword = Keyword.objects.create(name="đại hội")
    items = []
    for n in range(2):
        item = Item.objects.create(
            title=f"Nghị quyết Đại hội số {n + 1}",
            summary="Về công tác xây dựng Đảng",
            number_symbol=f"0{n + 1}-NQ/ĐUK",
            dossier=dossier,
            period=period,
        )
        item.keywords.add(keyword)
        with django_capture_on_commit_callbacks(execute=True):
            media.media_file_store(item=item, uploaded=SimpleUploadedFile(f"Nghị quyết {n + 1}.jpg", jpeg(n)))
        items.append(item)
    return dossier


def unpack(client, package, tmp_path):
    response = client.get(reverse("admin:archive_transferpackage_download", args=[package.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == package.sha256
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(tmp_path)
    return tmp_path / f"transfer-{package.pk}"


def test_a_dossier_exported_from_the_admin_is_a_valid_bag(
    dossier, client, propaganda_user, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(propaganda_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:archive_dossier_changelist"),
            {"action": "export_transfer_package", "_selected_action": [dossier.pk]},
            follow=True,
        )
    assert "hàng đợi đóng gói" in response.content.decode()
    package = TransferPackage.objects.get()
    assert package.status == TransferPackage.Status.READY, package.failure_reason
    assert package.scope == TransferPackage.Scope.DOSSIER and package.file_count == 2

    bag = bagit.Bag(str(unpack(client, package, tmp_path)))
    bag.validate()  # every checksum of the manifest, the payload oxum, the tag files
    assert "sha256" in bag.algorithms
    for item in dossier.items.all():
        folder = f"data/{item.inventory_number}"
        record = json.loads((tmp_path / f"transfer-{package.pk}" / folder / "record.json").read_text())
        assert record["fields"]["title"] == item.title and record["links"]["keywords"] == ["đại hội"]
        media_file = item.media.get()
        assert record["media"][0]["sha256"] == media_file.sha256
        core = ElementTree.parse(tmp_path / f"transfer-{package.pk}" / folder / "dublin_core.xml").getroot()  # noqa: S314
        assert core.find(f"{DC}title").text == item.title
        assert [e.text for e in core.findall(f"{DC}identifier")] == [item.inventory_number, item.number_symbol]
        packed = [name for name in bag.payload_files() if name.startswith(f"{folder}/files/")]
        assert packed == [f"{folder}/files/01-Nghị quyết {item.title[-1]}.jpg"]
        assert bag.entries[packed[0]]["sha256"] == media_file.sha256
        assert media_file.preservation_events.filter(kind=PreservationEvent.Kind.EXPORTED).count() == 1


def test_an_item_and_a_period_can_be_exported_too(
    dossier, client, propaganda_user, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(propaganda_user)
    item = dossier.items.first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:archive_item_changelist"),
            {"action": "export_transfer_package", "_selected_action": [item.pk]},
        )
        client.post(
            reverse("admin:archive_period_changelist"),
            {"action": "export_transfer_package", "_selected_action": [item.period_id]},
        )
    by_scope = {package.scope: package for package in TransferPackage.objects.all()}
    assert by_scope[TransferPackage.Scope.ITEMS].file_count == 1
    assert by_scope[TransferPackage.Scope.PERIOD].items.count() == Item.objects.filter(period=item.period).count()
    bagit.Bag(str(unpack(client, by_scope[TransferPackage.Scope.PERIOD], tmp_path))).validate()


def test_a_changed_original_fails_the_package_by_name(
    dossier, client, propaganda_user, django_capture_on_commit_callbacks
):
    media_file = MediaFile.objects.order_by("pk").first()
    default_storage.delete(media_file.file.name)
    default_storage.save(media_file.file.name, io.BytesIO(b"hong"))
    client.force_login(propaganda_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:archive_dossier_changelist"),
            {"action": "export_transfer_package", "_selected_action": [dossier.pk]},
        )
    package = TransferPackage.objects.get()
    assert package.status == TransferPackage.Status.FAILED
    assert media_file.original_name in package.failure_reason and "SHA-256" in package.failure_reason
    assert not package.file
    assert client.get(reverse("admin:archive_transferpackage_download", args=[package.pk])).status_code == 404
    assert not PreservationEvent.objects.filter(kind=PreservationEvent.Kind.EXPORTED).exists()


def test_an_empty_dossier_is_refused_with_a_message(db, client, propaganda_user):
    empty = Dossier.objects.create(code="HS-TRONG", title="Hồ sơ trống")
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:archive_dossier_changelist"),
        {"action": "export_transfer_package", "_selected_action": [empty.pk]},
        follow=True,
    )
    assert "Không có tư liệu nào để đóng gói" in response.content.decode()
    assert not TransferPackage.objects.exists()


def test_only_staff_who_may_see_packages_download_them(
    dossier, client, propaganda_user, leadership_user, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(propaganda_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:archive_dossier_changelist"),
            {"action": "export_transfer_package", "_selected_action": [dossier.pk]},
        )
    package = TransferPackage.objects.get()
    url = reverse("admin:archive_transferpackage_download", args=[package.pk])
    client.logout()
    assert client.get(url).status_code == 302  # to the admin's login
    client.force_login(leadership_user)  # may view the archive, so may download; may not request
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("admin:archive_dossier_changelist"),
        {"action": "export_transfer_package", "_selected_action": [dossier.pk]},
        follow=True,
    )
    assert TransferPackage.objects.count() == 1
    assert "không có quyền" in response.content.decode() or response.status_code == 403
