"""Backup sets: a full and an incremental set written to a local directory and an S3 bucket (moto's
server), encrypted; restored whole from either; checked by ``--verify``; bad input changes nothing."""

import json
import socket
import uuid

import boto3
import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from archive.models import Item, MediaFile, Person
from traditions import backup_sets
from traditions.backup import backed_up_models, database_snapshot, media_checksums, referenced_media

pytestmark = pytest.mark.django_db

ACCESS_KEY, SECRET_KEY, REGION = "testing-key", "testing-secret", "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


@pytest.fixture
def destinations(settings, tmp_path, s3_endpoint, s3_client, monkeypatch):
    """A local directory and a fresh bucket; the key and both destinations also in the environment,
    which the scratch process of ``--verify`` reads."""
    bucket = f"backup-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    local = tmp_path / "backups"
    local.mkdir()
    key = Fernet.generate_key().decode()
    settings.BACKUP_DIR = str(local)
    settings.BACKUP_S3 = {
        "bucket": bucket,
        "prefix": "sao-luu",
        "endpoint_url": s3_endpoint,
        "region_name": REGION,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
    }
    settings.BACKUP_KEY = key
    settings.BACKUP_KEEP_FULL = 2
    for name, value in {
        "DJANGO_BACKUP_DIR": str(local),
        "DJANGO_BACKUP_S3_BUCKET": bucket,
        "DJANGO_BACKUP_S3_PREFIX": "sao-luu",
        "DJANGO_BACKUP_S3_ENDPOINT_URL": s3_endpoint,
        "DJANGO_BACKUP_S3_REGION": REGION,
        "DJANGO_BACKUP_S3_ACCESS_KEY_ID": ACCESS_KEY,
        "DJANGO_BACKUP_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "DJANGO_BACKUP_KEY": key,
    }.items():
        monkeypatch.setenv(name, value)
    return {"local": local, "bucket": bucket}


def s3_keys(client, bucket) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(entry["Key"] for page in pages for entry in page.get("Contents", []))


def local_keys(root) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


@pytest.fixture
def demo(propaganda_user):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    item = Item.objects.create(title="Biên bản Đại hội đại biểu lần thứ nhất", number_symbol="01-BB/ĐUK")
    media = MediaFile(item=item, kind="pdf", original_name="Biên bản.pdf", mime_type="application/pdf")
    media.file.save("x.pdf", ContentFile("%PDF-1.4\n% biên bản đại hội\n".encode()), save=False)
    media.save()
    Person.objects.create(full_name="Người sẽ bị xóa")
    return item


def quiet():
    return open("/dev/null", "w")  # noqa: SIM115


def wipe_everything():
    names = referenced_media()
    from django.core.files.storage import default_storage

    with transaction.atomic(), connection.cursor() as cursor:
        for model in reversed(backed_up_models(include_auto_created=True)):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    for name in names:
        default_storage.delete(name)


def sets_at(destination_dir):
    return sorted({key.split("/")[1] for key in local_keys(destination_dir) if key.endswith("/manifest")})


def test_full_then_incremental_to_both_destinations_then_verify(demo, destinations, s3_client, capsys):
    call_command("backup", "--full")
    full_output = capsys.readouterr().out
    assert "đầy đủ" in full_output
    local_after_full = local_keys(destinations["local"])
    objects_after_full = [key for key in local_after_full if "/objects/" in key]
    assert len(objects_after_full) == len(set(media_checksums(referenced_media()).values()))
    # The same set, key for key, in the bucket under its prefix.
    assert s3_keys(s3_client, destinations["bucket"]) == [f"sao-luu/{key}" for key in local_after_full]
    # Encrypted: neither the rows nor the files can be read without the key.
    for key in local_after_full:
        content = (destinations["local"] / key).read_bytes()
        assert "Biên bản".encode() not in content and b"%PDF" not in content

    # Changes: one item edited, one person deleted, one person added, one new file.
    demo.title = "Biên bản Đại hội đại biểu lần thứ nhất (bản sửa)"
    demo.save()
    Person.objects.get(full_name="Người sẽ bị xóa").delete()
    Person.objects.create(full_name="Trần Thị Mới")
    new_media = MediaFile(item=demo, kind="pdf", original_name="Phụ lục.pdf", mime_type="application/pdf", position=1)
    new_media.file.save("y.pdf", ContentFile(b"%PDF-1.4\n% phu luc\n"), save=False)
    new_media.save()

    summary = backup_sets.backup_set_write()
    assert summary.kind == backup_sets.INCREMENTAL
    assert summary.uploaded_files == 1  # only the new file's content
    assert summary.deleted_rows >= 1
    assert 0 < summary.changed_rows < summary.rows / 5  # only what changed (edits write history rows too)
    local_after_incremental = local_keys(destinations["local"])
    new_objects = [k for k in local_after_incremental if "/objects/" in k and k not in objects_after_full]
    assert len(new_objects) == 1
    assert s3_keys(s3_client, destinations["bucket"]) == [f"sao-luu/{key}" for key in local_after_incremental]
    assert len(sets_at(destinations["local"])) == 2

    call_command("backup", "--verify")
    assert "khôi phục đúng" in capsys.readouterr().out

    # The incremental set restores the database and files as they are now, from either destination.
    before_rows, names = database_snapshot(), referenced_media()
    before_files = media_checksums(names)
    wipe_everything()
    call_command("restore", "--set", "latest", stdout=quiet())
    assert database_snapshot() == before_rows
    assert media_checksums(names) == before_files


def test_restore_from_the_bucket_when_the_local_copy_is_gone(demo, destinations, settings):
    backup_sets.backup_set_write(kind=backup_sets.FULL)
    before_rows, names = database_snapshot(), referenced_media()
    before_files = media_checksums(names)
    wipe_everything()
    settings.BACKUP_DIR = str(destinations["local"] / "mat")  # the local disk is lost
    call_command("restore", "--set", "latest", stdout=quiet())
    assert database_snapshot() == before_rows
    assert media_checksums(names) == before_files


@pytest.fixture
def small_archive(db):
    item = Item.objects.create(title="Nghị quyết Đại hội", number_symbol="02-NQ/ĐUK")
    media = MediaFile(item=item, kind="pdf", original_name="Nghị quyết.pdf", mime_type="application/pdf")
    media.file.save("z.pdf", ContentFile(b"%PDF-1.4\n% nghi quyet\n"), save=False)
    media.save()
    return item


def everything_at(destinations, s3_client):
    return local_keys(destinations["local"]), s3_keys(s3_client, destinations["bucket"])


@pytest.mark.parametrize(
    ("key", "fragment"),
    [("", "Chưa có khóa mã hóa"), ("không-phải-khóa", "không phải khóa Fernet hợp lệ")],
)
def test_a_missing_or_malformed_key_writes_nothing(small_archive, destinations, s3_client, settings, key, fragment):
    settings.BACKUP_KEY = key
    with pytest.raises(CommandError, match=fragment):
        call_command("backup")
    assert everything_at(destinations, s3_client) == ([], [])


def test_a_key_that_does_not_open_the_sets_there_writes_nothing(small_archive, destinations, s3_client, settings):
    backup_sets.backup_set_write(kind=backup_sets.FULL)
    before = everything_at(destinations, s3_client)
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="không mở được"):
        call_command("backup")
    assert everything_at(destinations, s3_client) == before


def test_a_new_key_listed_first_writes_and_the_old_one_still_reads(small_archive, destinations, settings):
    first = backup_sets.backup_set_write(kind=backup_sets.FULL)
    settings.BACKUP_KEY = f"{Fernet.generate_key().decode()},{settings.BACKUP_KEY}"
    second = backup_sets.backup_set_write()
    assert second.kind == backup_sets.INCREMENTAL and second.set_id > first.set_id


def test_an_unreachable_bucket_writes_nothing_anywhere(small_archive, destinations, s3_client, settings):
    settings.BACKUP_S3 = {**settings.BACKUP_S3, "endpoint_url": f"http://127.0.0.1:{free_port()}"}
    with pytest.raises(CommandError, match="Không ghi được vào nơi sao lưu s3://"):
        call_command("backup")
    assert everything_at(destinations, s3_client) == ([], [])


def test_a_missing_bucket_is_named(small_archive, destinations, settings):
    settings.BACKUP_S3 = {**settings.BACKUP_S3, "bucket": "khong-co-bucket-nay"}
    with pytest.raises(CommandError, match="s3://khong-co-bucket-nay"):
        call_command("backup")
    assert local_keys(destinations["local"]) == []


def test_a_failure_half_way_leaves_no_half_set(small_archive, destinations, s3_client):
    backup_sets.backup_set_write(kind=backup_sets.FULL)
    before = everything_at(destinations, s3_client)
    # A file the rows name is gone from storage: found after the rows were uploaded.
    MediaFile.objects.get().file.storage.delete(MediaFile.objects.get().file.name)
    small_archive.title = "Nghị quyết Đại hội (sửa)"
    small_archive.save()
    with pytest.raises(CommandError, match="Thiếu tệp"):
        call_command("backup", "--full")
    assert everything_at(destinations, s3_client) == before


def test_retention_keeps_the_newest_full_sets_with_their_incrementals(small_archive, destinations, s3_client):
    ids = []
    for kind in (backup_sets.FULL, None, backup_sets.FULL, None, backup_sets.FULL, None):
        ids.append(backup_sets.backup_set_write(kind=kind).set_id)
    # BACKUP_KEEP_FULL is 2: the first chain (a full set and its incremental) is gone everywhere.
    assert sets_at(destinations["local"]) == ids[2:]
    assert not any(key.startswith(f"sao-luu/{ids[0]}/") for key in s3_keys(s3_client, destinations["bucket"]))


def test_a_set_of_another_schema_version_is_refused_and_nothing_restored(small_archive, destinations, settings):
    cipher = backup_sets.backup_cipher()
    summary = backup_sets.backup_set_write(kind=backup_sets.FULL)
    destination = backup_sets.LocalDestination(settings.BACKUP_DIR)
    key = f"{summary.set_id}/{summary.set_id}/manifest"
    manifest = json.loads(b"".join(backup_sets.decrypt_from(cipher, (destinations["local"] / key).open("rb"), key)))
    manifest["schema"]["archive"].append("9999_future")
    path = destinations["local"] / "manifest.tmp"
    with path.open("wb") as out:
        backup_sets.encrypt_to(cipher, [json.dumps(manifest).encode()], out)
    destination.put(key, path)
    path.unlink()
    settings.BACKUP_S3 = {**settings.BACKUP_S3, "bucket": ""}
    wipe_everything()
    with pytest.raises(CommandError, match="Phiên bản cấu trúc dữ liệu.*archive.*Không có gì bị thay đổi"):
        call_command("restore", "--set", "latest")
    assert not Item.objects.exists()


def test_verify_names_a_file_changed_at_the_destination(small_archive, destinations, settings):
    summary = backup_sets.backup_set_write(kind=backup_sets.FULL)
    settings.BACKUP_S3 = {**settings.BACKUP_S3, "bucket": ""}
    obj = next(p for p in (destinations["local"] / summary.set_id / "objects").iterdir())
    data = bytearray(obj.read_bytes())
    data[-5] ^= 0x01
    obj.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=obj.name):
        call_command("backup", "--verify")
