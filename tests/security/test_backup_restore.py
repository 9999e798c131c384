"""Backup and restore: a round trip reproduces every row and file; a bad archive changes nothing;
a backup taken while people write holds one moment of the database and restores whole."""

import datetime
import hashlib
import io
import json
import shutil
import threading
import time
import zipfile
from collections import Counter

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections, models, transaction
from django.utils import timezone
from PIL import Image

from archive.models import Contribution, ContributionFile, Dossier, Item, MediaFile, Person, Venue
from archive.services import contribution_receive
from bookings.models import Booking, OpeningHours, VenueSchedule
from bookings.services import booking_request
from traditions.backup import (
    ROW_UPGRADES,
    backed_up_models,
    database_snapshot,
    media_checksums,
    referenced_media,
    restore_backup,
    schema_state,
    verify_backup,
    write_backup,
)

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


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
    with transaction.atomic(), connection.cursor() as cursor:
        for model in reversed(backed_up_models(include_auto_created=True)):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
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


def test_archive_missing_a_migration_it_cannot_be_read_across_is_refused(backup_file, tmp_path):
    _empty_target()
    other = tmp_path / "cu-hon.zip"
    with zipfile.ZipFile(backup_file) as source, zipfile.ZipFile(other, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["schema"]["archive"].remove("0012_list_filter_date_indexes")
                content = json.dumps(manifest).encode()
            target.writestr(info, content)
    _refused(other, "archive")


# --- a backup taken before the dossier and the English codes --------------------------------

# Rows as a backup written before archive 0013_english_codes, 0014_dossier and 0015_facts_from_tables
# holds them: the model File (hồ sơ), an item's file and file_position, Vietnamese choice codes,
# content types and permissions named after the file, and the item's copies has_media and body_ids.
OLD_ROWS = [
    {
        "model": "auth.group",
        "pk": 1,
        "fields": {
            "name": "Ban Tuyên giáo",
            "permissions": [["view_file", "archive", "file"], ["view_item", "archive", "item"]],
        },
    },
    {
        "model": "auth.user",
        "pk": 1,
        "fields": {
            "password": "!",
            "username": "luutru",
            "is_staff": True,
            "is_active": True,
            "date_joined": "2025-03-01T02:00:00Z",
            "groups": [["Ban Tuyên giáo"]],
            "user_permissions": [
                ["change_file", "archive", "file"],
                ["view_historicalfile", "archive", "historicalfile"],
            ],
        },
    },
    {
        "model": "archive.file",
        "pk": 1,
        "fields": {"code": "HS-1948-01", "title": "Hồ sơ thành lập Liên chi", "retention": "permanent"},
    },
    {
        "model": "archive.historicalfile",
        "pk": 1,
        "fields": {
            "id": 1,
            "code": "HS-1948-01",
            "title": "Hồ sơ thành lập Liên chi",
            "retention": "permanent",
            "history_date": "2025-03-01T02:00:00Z",
            "history_type": "+",
            "history_user": ["luutru"],
        },
    },
    {
        "model": "archive.item",
        "pk": 1,
        "fields": {
            "inventory_number": "TL-2025-00001",
            "title": "Quyết định thành lập Liên chi cơ quan Trung ương",
            "document_type": "quyet-dinh",
            "confidentiality": "mat",
            "urgency": "hoa_toc",
            "signing_authority": "TM",
            "access_level": "internal",
            "file": 1,
            "file_position": 2,
            "has_media": False,
            "body_ids": "",
            "created_at": "2025-03-01T02:00:00Z",
            "updated_at": "2025-03-01T02:00:00Z",
        },
    },
    {
        "model": "archive.historicalitem",
        "pk": 1,
        "fields": {
            "id": 1,
            "inventory_number": "TL-2025-00001",
            "title": "Quyết định thành lập Liên chi cơ quan Trung ương",
            "document_type": "quyet-dinh",
            "confidentiality": "mat",
            "urgency": "hoa_toc",
            "signing_authority": "TM",
            "access_level": "internal",
            "file": 1,
            "file_position": 2,
            "created_at": "2025-03-01T02:00:00Z",
            "updated_at": "2025-03-01T02:00:00Z",
            "history_date": "2025-03-01T02:00:00Z",
            "history_type": "+",
            "history_user": ["luutru"],
        },
    },
    {
        "model": "admin.logentry",
        "pk": 1,
        "fields": {
            "action_time": "2025-03-01T02:00:00Z",
            "user": ["luutru"],
            "content_type": ["archive", "file"],
            "object_id": "1",
            "object_repr": "HS-1948-01 – Hồ sơ thành lập Liên chi",
            "action_flag": 1,
            "change_message": "[]",
        },
    },
]
OLD_COUNTS = {
    "auth.Group": 1,
    "auth.User": 1,
    "archive.File": 1,
    "archive.HistoricalFile": 1,
    "archive.Item": 1,
    "archive.HistoricalItem": 1,
    "admin.LogEntry": 1,
}


def _old_backup(path, schema: dict) -> None:
    data = json.dumps(OLD_ROWS, ensure_ascii=False).encode()
    manifest = {
        "format": 1,
        "created_at": "2025-03-01T02:00:00+00:00",
        "schema": schema,
        "rows": OLD_COUNTS,
        "files": {"data.json": hashlib.sha256(data).hexdigest()},
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", data)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))


def _schema_before_dossier() -> dict:
    schema = schema_state()
    schema["archive"] = [name for name in schema["archive"] if (("archive", name) not in ROW_UPGRADES)]
    return schema


# Transactional: the restore moves the tables' key sequences to the rows it loaded, and a sequence
# is not rolled back with the test's transaction; the flush after a transactional test empties the
# tables, so the data reseeded after it takes keys from where the sequences stand.
@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_before_the_dossier_and_the_english_codes_restores(tmp_path):
    path = tmp_path / "sao-luu-cu.zip"
    _old_backup(path, _schema_before_dossier())
    _empty_target()

    summary = restore_backup(path)

    assert {label: count for label, count in summary.rows.items() if count} == {
        **{label: 1 for label in OLD_COUNTS if "File" not in label},
        "archive.Dossier": 1,
        "archive.HistoricalDossier": 1,
    }
    dossier = Dossier.objects.get()
    item = Item.objects.get()
    assert (item.dossier, item.dossier_position) == (dossier, 2)
    codes = ("document_type", "confidentiality", "urgency", "signing_authority")
    assert Item.objects.values_list(*codes).get() == ("decision", "confidential", "flash", "on_behalf")
    history = item.history.get()
    assert (history.dossier_id, history.dossier_position) == (dossier.pk, 2)
    assert tuple(getattr(history, name) for name in codes) == ("decision", "confidential", "flash", "on_behalf")
    assert dossier.history.get().code == "HS-1948-01"
    user = get_user_model().objects.get(username="luutru")
    assert set(user.user_permissions.values_list("codename", flat=True)) == {"change_dossier", "view_historicaldossier"}
    assert user.has_perm("archive.view_dossier") and user.has_perm("archive.change_dossier")
    assert LogEntry.objects.get().content_type == ContentType.objects.get_for_model(Dossier)


def test_row_upgrades_name_migrations_of_the_project():
    """Renamed migrations (renumbered at a merge) must be renamed in ROW_UPGRADES too."""
    from django.db.migrations.loader import MigrationLoader

    nodes = MigrationLoader(connection, ignore_no_migrations=True).graph.nodes
    assert set(ROW_UPGRADES) <= set(nodes)


def test_a_backup_of_the_current_schema_is_read_as_it_is(backup_file):
    """Rows already in the current shape pass through no upgrade (a current backup never names File)."""
    assert verify_backup(backup_file).upgrades == []
    with zipfile.ZipFile(backup_file) as archive:
        assert '"archive.file"' not in archive.read("data.json").decode()


# --- what a restore reports ---------------------------------------------------------------


def _data_rows(path) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("data.json"))


def _label(row: dict) -> str:
    return apps.get_model(row["model"])._meta.label


def _row_counts_in_database() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in backed_up_models()}


def test_restore_reports_the_rows_it_loaded(backup_file):
    in_data = Counter(_label(row) for row in _data_rows(backup_file))
    with zipfile.ZipFile(backup_file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    _empty_target()

    summary = restore_backup(backup_file)

    loaded = _row_counts_in_database()
    assert summary.rows == loaded
    assert {label: count for label, count in loaded.items() if count} == in_data
    assert manifest["rows"] == loaded
    assert summary.files == len([name for name in manifest["files"] if name.startswith("media/")])


def test_restore_command_prints_the_rows_it_loaded(backup_file):
    rows = len(_data_rows(backup_file))
    _empty_target()
    out = io.StringIO()
    call_command("restore", str(backup_file), stdout=out)
    assert f"Đã khôi phục {rows} bản ghi" in out.getvalue()
    assert sum(_row_counts_in_database().values()) == rows


def test_manifest_counts_that_disagree_with_the_rows_are_refused(backup_file, tmp_path):
    _empty_target()
    other = tmp_path / "dem-sai.zip"
    with zipfile.ZipFile(backup_file) as source, zipfile.ZipFile(other, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["rows"]["archive.Item"] += 1
                content = json.dumps(manifest).encode()
            target.writestr(info, content)
    _refused(other, "archive.Item: manifest ghi")
    assert not Item.objects.exists()


def test_rows_whose_references_are_missing_are_refused(backup_file, tmp_path):
    """An archive consistent in itself (checksums, counts) whose rows name a row it lacks."""
    _empty_target()
    rows = _data_rows(backup_file)
    media_item = next(row["fields"]["item"] for row in rows if row["model"] == "archive.mediafile")
    rows = [row for row in rows if not (row["model"] == "archive.item" and row["pk"] == media_item)]
    data = json.dumps(rows, ensure_ascii=False).encode()
    broken = tmp_path / "thieu-tu-lieu.zip"
    with zipfile.ZipFile(backup_file) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "data.json":
                content = data
            elif info.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["rows"]["archive.Item"] -= 1
                manifest["files"]["data.json"] = hashlib.sha256(data).hexdigest()
                content = json.dumps(manifest).encode()
            target.writestr(info, content)
    _refused(broken, "Không nạp được dữ liệu trong data.json")
    assert not [name for name in manifest["files"] if default_storage.exists(name.removeprefix("media/"))]


# --- a backup taken while people write -------------------------------------------------------

WRITERS = 3
BULK_ITEMS = 1500  # enough rows that the dump lasts while the writers commit


def _png(*seed: int) -> bytes:
    buffer = io.BytesIO()
    colour = tuple(value % 251 for value in (seed[0] * 97 + seed[1], seed[1] * 31 + seed[2], seed[0] + seed[2] * 13))
    Image.new("RGB", (32, 24), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _open_schedule() -> VenueSchedule:
    venue = Venue.objects.get(code="phong-truyen-thong")
    schedule = VenueSchedule.objects.create(
        venue=venue, slot_minutes=60, buffer_minutes=0, capacity=40, max_group_size=40, min_notice_days=2
    )
    for weekday in range(7):
        OpeningHours.objects.create(
            schedule=schedule, weekday=weekday, opens=datetime.time(7, 0), closes=datetime.time(19, 0)
        )
    return schedule


def _slots(schedule: VenueSchedule, writer: int):
    """Every slot of the coming weeks, each writer on its own days."""
    day = schedule.earliest_date(timezone.localdate()) + datetime.timedelta(days=writer)
    while True:
        for start, _end in schedule.slot_times(day):
            yield day, start
        day += datetime.timedelta(days=WRITERS)


def _row_key(row: dict) -> str:
    return json.dumps(row, sort_keys=True)


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="Needs PostgreSQL: SQLite serialises writers with IMMEDIATE transactions (the backup's own "
    "transaction holds them off), and its in-memory test database is not shared between threads "
    "(run with DATABASE_URL=postgres://...).",
)
def test_backup_taken_while_people_write_restores_one_moment_whole(transactional_db, tmp_path):
    """Offers with files, items and bookings keep committing while the backup runs; what the backup
    holds is one moment: each writer's work up to some point and nothing after it, every file of
    every row and no other, counts that are the rows', and a restore that loads it all."""
    call_command("seed_bulk", items=BULK_ITEMS, stdout=io.StringIO())
    schedule = _open_schedule()
    stop = threading.Event()
    lock = threading.Lock()
    errors: list[BaseException] = []
    # Per writer, in commit order: (model label, primary key, when it had committed).
    written: list[list[tuple[str, int, float]]] = [[] for _ in range(WRITERS)]

    def write(writer: int) -> None:
        slots = _slots(schedule, writer)
        try:
            for n in range(1, 100_000):
                if stop.is_set():
                    break
                offer = contribution_receive(
                    contributor_name=f"Người gửi {writer}-{n}",
                    description="Ảnh tư liệu Đại hội Đảng bộ gửi tặng Phòng Truyền thống",
                    consent=True,
                    organisation="Đảng ủy Bộ Thử nghiệm",
                    email=f"nguoigui{writer}.{n}@example.org",
                    files=[SimpleUploadedFile(f"anh-{k}.png", _png(writer, n, k)) for k in (1, 2)],
                )
                written[writer].append(("archive.Contribution", offer.pk, time.monotonic()))
                with transaction.atomic():
                    item = Item.objects.create(title=f"Tư liệu ghi trong lúc sao lưu {writer}-{n}")
                written[writer].append(("archive.Item", item.pk, time.monotonic()))
                for day, start in slots:
                    if stop.is_set():
                        break
                    try:
                        booking = booking_request(
                            venue=schedule.venue,
                            date=day,
                            start_time=start,
                            group_size=1,
                            occasion="chapter_meeting",
                            organisation_name=f"Chi bộ số {writer}-{n}",
                            contact_name="Nguyễn Văn An",
                            contact_position="Bí thư Chi bộ",
                            phone="0912345678",
                            email="an@example.org",
                            consent=True,
                        )
                    except ValidationError:
                        continue  # a closed day or a full slot: the next one
                    written[writer].append(("bookings.Booking", booking.pk, time.monotonic()))
                    break
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    while not errors and min(len(done) for done in written) < 3:
        time.sleep(0.05)
    path = tmp_path / "sao-luu-dang-ghi.zip"
    started = time.monotonic()
    try:
        summary = write_backup(path)
    finally:
        ended = time.monotonic()
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors
    during = sum(started < at < ended for done in written for _label_, _pk, at in done)
    assert during >= 10, "the writers must commit while the backup runs"

    rows = _data_rows(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        members = {name.removeprefix("media/") for name in archive.namelist() if name.startswith("media/")}
    in_data = Counter(_label(row) for row in rows)
    assert {label: count for label, count in manifest["rows"].items() if count} == in_data
    assert summary.rows == manifest["rows"]

    # The files are exactly those the rows name.
    named = set()
    for row in rows:
        model = apps.get_model(row["model"])
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and row["fields"].get(field.name):
                named.add(row["fields"][field.name])
    assert members == named
    assert {name.removeprefix("media/") for name in manifest["files"] if name != "data.json"} == named

    shutil.rmtree(settings.MEDIA_ROOT)
    _wipe_everything()
    restored = restore_backup(path)

    assert restored.rows == manifest["rows"] == _row_counts_in_database()
    snapshot = database_snapshot()
    by_model: dict[str, list[str]] = {}
    for row in rows:
        by_model.setdefault(_label(row), []).append(_row_key(row))
    for model in backed_up_models():
        label = model._meta.label
        assert sorted(_row_key(row) for row in snapshot[label]) == sorted(by_model.get(label, [])), label
    assert media_checksums(sorted(named)) == {name: manifest["files"][f"media/{name}"] for name in named}
    for stored in ContributionFile.objects.all():
        assert media_checksums([stored.file.name]) == {stored.file.name: stored.sha256}

    # One moment: each writer's commits up to some point are all in the backup, none after it.
    present = {
        "archive.Contribution": set(Contribution.objects.values_list("pk", flat=True)),
        "archive.Item": set(Item.objects.values_list("pk", flat=True)),
        "bookings.Booking": set(Booking.objects.values_list("pk", flat=True)),
    }
    kept = 0
    for done in written:
        flags = [pk in present[label] for label, pk, _at in done]
        assert flags == sorted(flags, reverse=True), "a writer's later work is in the backup without its earlier work"
        kept += sum(flags)
    total = sum(len(done) for done in written)
    assert 0 < kept < total
    print(
        f"\nbackup during writes: {total} writes, {during} committed while the backup ran"
        f" ({ended - started:.1f} s), {kept} in the backup; {sum(in_data.values())} rows and"
        f" {len(named)} files compared"
    )
