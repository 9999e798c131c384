"""Backup and restore: a round trip reproduces every row and file; a bad archive changes nothing."""

import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from archive.models import Item, MediaFile, Person
from traditions.backup import backed_up_models, database_snapshot, media_checksums, referenced_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_with_data(propaganda_user):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    person = Person.objects.create(full_name="Nguyễn Văn Thử")
    item = Item.objects.create(title="Biên bản Đại hội đại biểu lần thứ nhất", number_symbol="01-BB/ĐUK")
    item.people.add(person)
    media = MediaFile(item=item, kind="pdf", original_name="Biên bản đại hội.pdf", mime_type="application/pdf")
    media.file.save("ignored.pdf", ContentFile("%PDF-1.4\n% biên bản\n".encode()), save=False)
    media.thumbnail.save("thumb.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"), save=False)
    media.save()
    return item


def _wipe_everything():
    names = referenced_media()
    for model in reversed(backed_up_models(include_auto_created=True)):
        model._base_manager.all()._raw_delete("default")
    for name in names:
        default_storage.delete(name)


def test_round_trip_restores_every_row_and_every_file(archive_with_data, tmp_path):
    before_rows = database_snapshot()
    names = referenced_media()
    before_files = media_checksums(names)
    assert len(names) >= 2
    assert sum(len(rows) for rows in before_rows.values()) > 50

    path = tmp_path / "sao-luu.zip"
    call_command("backup", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    _wipe_everything()
    assert not Item.objects.exists()
    call_command("restore", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert database_snapshot() == before_rows
    assert media_checksums(names) == before_files
    # Sequences continue after the restored rows: a new item gets a fresh primary key.
    new = Item.objects.create(title="Tư liệu thêm sau khi khôi phục")
    assert new.pk > max(row["pk"] for row in before_rows["archive.Item"])


def _refused(path, expected_fragment):
    before = database_snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command("restore", str(path))
    assert expected_fragment in str(excinfo.value)
    assert "Không có gì bị thay đổi" in str(excinfo.value)
    assert database_snapshot() == before


@pytest.fixture
def backup_file(archive_with_data, tmp_path):
    path = tmp_path / "sao-luu.zip"
    call_command("backup", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return path


def _empty_target():
    _wipe_everything()


def test_truncated_archive_is_refused(backup_file):
    _empty_target()
    data = backup_file.read_bytes()
    backup_file.write_bytes(data[: len(data) // 2])
    _refused(backup_file, "bị hỏng hoặc bị cắt cụt")


def test_tampered_member_is_refused(backup_file, tmp_path):
    _empty_target()
    tampered = tmp_path / "sua.zip"
    with zipfile.ZipFile(backup_file) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "data.json":
                content = content.replace("Biên bản".encode(), b"Bien ban")
            target.writestr(info, content)
    _refused(tampered, "không khớp")


def test_archive_of_another_schema_version_is_refused(backup_file, tmp_path):
    _empty_target()
    other = tmp_path / "khac.zip"
    with zipfile.ZipFile(backup_file) as source, zipfile.ZipFile(other, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["schema"]["archive"].append("9999_future")
                content = json.dumps(manifest).encode()
            target.writestr(info, content)
    _refused(other, "archive")


def test_restore_refuses_a_database_that_is_not_empty(backup_file):
    _refused(backup_file, "không trống")
    assert get_user_model().objects.exists()


def test_backup_never_overwrites_an_existing_file(backup_file):
    with pytest.raises(CommandError, match="đã có"):
        call_command("backup", str(backup_file))
