"""Full backups: the data of every app as JSON, the media files, and a manifest of checksums.

A backup is one zip file:

    manifest.json   format, creation time, schema (applied migrations per app), row counts,
                    and the sha256 of every other member
    data.json       every row of the backed-up models (Django's JSON serialisation,
                    natural keys for content types and permissions)
    media/<name>    every file the rows refer to, under its storage name

`restore_backup()` checks the whole archive before it touches anything, then loads the rows
and writes the files inside one transaction; on any failure nothing is left behind.
"""

import datetime
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
EXACT_JSON = "json-exact"
serializers.register_serializer(EXACT_JSON, "traditions.exact_json")
# Apps whose rows make up the archive; contenttypes and permissions are rebuilt by migrate
# and referred to by natural key.
BACKUP_APPS = ["auth", "admin", "archive", "exhibits", "bookings", "upgrades"]
EXCLUDED_MODELS = {"auth.permission"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why, in Vietnamese."""


@dataclass
class BackupSummary:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def backed_up_models(include_auto_created: bool = False) -> list[type[models.Model]]:
    result = []
    for label in BACKUP_APPS:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in app_config.get_models(include_auto_created=include_auto_created):
            if model._meta.label_lower not in EXCLUDED_MODELS:
                result.append(model)
    return result


def schema_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The applied migrations of every app, which a restore must match exactly."""
    applied = MigrationRecorder(connections[using]).applied_migrations()
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        state.setdefault(app_label, []).append(name)
    return state


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]


def referenced_media(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every storage name that a backed-up row refers to."""
    names: set[str] = set()
    for model in backed_up_models():
        for file_field in _file_fields(model):
            values = (
                model._base_manager.using(using)
                .exclude(**{file_field.name: ""})
                .exclude(**{f"{file_field.name}__isnull": True})
            )
            names.update(values.values_list(file_field.name, flat=True))
    return sorted(names)


def _sha256_stream(chunks: Iterator[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _storage_chunks(name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def write_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write a backup of the database and media to `path` (a new zip file)."""
    path = Path(path)
    if path.exists():
        raise BackupError(_("Tệp %(path)s đã có; chọn tên khác để không ghi đè bản sao lưu cũ.") % {"path": path})
    summary = BackupSummary()
    labels = [model._meta.label for model in backed_up_models()]
    data = io.StringIO()
    # One snapshot: rows and the list of files come from the same transaction.
    with transaction.atomic(using=using):
        call_command(
            "dumpdata",
            *labels,
            format=EXACT_JSON,
            indent=None,
            use_natural_foreign_keys=True,
            database=using,
            stdout=data,
        )
        media_names = referenced_media(using)
        for model in backed_up_models():
            summary.rows[model._meta.label] = model._base_manager.using(using).count()
    data_bytes = data.getvalue().encode()
    checksums = {"data.json": hashlib.sha256(data_bytes).hexdigest()}
    tmp_path = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(tmp_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.writestr("data.json", data_bytes)
            for name in media_names:
                if not default_storage.exists(name):
                    raise BackupError(
                        _("Thiếu tệp %(name)s trong kho lưu trữ tệp; không thể sao lưu đầy đủ.") % {"name": name}
                    )
                digest = hashlib.sha256()
                with archive.open(f"media/{name}", "w", force_zip64=True) as member:
                    for chunk in _storage_chunks(name):
                        digest.update(chunk)
                        member.write(chunk)
                checksums[f"media/{name}"] = digest.hexdigest()
                summary.files += 1
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "schema": schema_state(using),
                "rows": summary.rows,
                "files": checksums,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        tmp_path.replace(path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return summary


@dataclass
class VerifiedBackup:
    manifest: dict
    media_names: list[str]


def verify_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> VerifiedBackup:
    """Check an archive completely, touching nothing: readable, complete, checksums, schema."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": path})
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            if "manifest.json" not in members:
                raise BackupError(
                    _("Tệp sao lưu không có manifest.json: không phải bản sao lưu của hệ thống, hoặc đã hỏng.")
                )
            try:
                manifest = json.loads(archive.read("manifest.json"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise BackupError(_("manifest.json trong tệp sao lưu bị hỏng.")) from exc
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
                raise BackupError(
                    _("Tệp sao lưu có định dạng %(found)s, hệ thống cần định dạng %(expected)s.")
                    % {
                        "found": manifest.get("format") if isinstance(manifest, dict) else "?",
                        "expected": FORMAT_VERSION,
                    }
                )
            files = manifest.get("files") or {}
            if "data.json" not in files:
                raise BackupError(_("manifest.json không liệt kê data.json; tệp sao lưu không đầy đủ."))
            for name, expected in files.items():
                if name not in members:
                    raise BackupError(_("Tệp sao lưu thiếu %(name)s (có thể đã bị cắt cụt).") % {"name": name})
                with archive.open(name) as member:
                    actual = _sha256_stream(iter(lambda m=member: m.read(CHUNK), b""))
                if actual != expected:
                    raise BackupError(
                        _("Mã kiểm tra của %(name)s không khớp: tệp sao lưu đã bị sửa hoặc hỏng.") % {"name": name}
                    )
            unexpected = members - set(files) - {"manifest.json"}
            if unexpected:
                raise BackupError(
                    _("Tệp sao lưu có tệp lạ không được liệt kê trong manifest: %(names)s.")
                    % {"names": ", ".join(sorted(unexpected)[:5])}
                )
    except zipfile.BadZipFile as exc:
        raise BackupError(_("Tệp sao lưu bị hỏng hoặc bị cắt cụt, không đọc được.")) from exc
    current = schema_state(using)
    if manifest.get("schema") != current:
        differing = sorted(
            app
            for app in set(current) | set(manifest.get("schema") or {})
            if current.get(app) != (manifest.get("schema") or {}).get(app)
        )
        raise BackupError(
            _(
                "Phiên bản cấu trúc dữ liệu của bản sao lưu khác với hệ thống (các ứng dụng: %(apps)s). "
                "Khôi phục trên đúng phiên bản phần mềm đã tạo bản sao lưu."
            )
            % {"apps": ", ".join(differing)}
        )
    media_names = sorted(name.removeprefix("media/") for name in files if name.startswith("media/"))
    for name in media_names:
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(_("Tệp sao lưu chứa đường dẫn không hợp lệ: %(name)s.") % {"name": name})
    return VerifiedBackup(manifest=manifest, media_names=media_names)


def _assert_target_empty(media_names: list[str], using: str) -> None:
    user_model = apps.get_model("auth", "User")
    item_model = apps.get_model("archive", "Item")
    users = user_model._base_manager.using(using).count()
    items = item_model._base_manager.using(using).count()
    if users or items:
        raise BackupError(
            _(
                "Cơ sở dữ liệu đích không trống (%(users)d người dùng, %(items)d tư liệu). "
                "Chỉ khôi phục vào cơ sở dữ liệu mới vừa chạy migrate."
            )
            % {"users": users, "items": items}
        )
    existing = [name for name in media_names if default_storage.exists(name)]
    if existing:
        raise BackupError(
            _("Kho tệp đích đã có %(count)d tệp trùng tên với bản sao lưu (ví dụ %(name)s). Dùng kho tệp trống.")
            % {"count": len(existing), "name": existing[0]}
        )


def restore_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Restore a verified archive into an empty database and storage, all or nothing."""
    verified = verify_backup(path, using)
    _assert_target_empty(verified.media_names, using)
    summary = BackupSummary(rows=dict(verified.manifest.get("rows") or {}))
    written: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive, transaction.atomic(using=using):
            # Rows that migrations seeded are replaced by the backup's own, so the result is identical.
            for model in reversed(backed_up_models(include_auto_created=True)):
                model._base_manager.using(using).all()._raw_delete(using)
            with tempfile.TemporaryDirectory() as tmp:
                data_path = Path(tmp) / "data.json"
                data_path.write_bytes(archive.read("data.json"))
                _load_without_history(data_path, using)
            _reset_sequences(using)
            for name in verified.media_names:
                with archive.open(f"media/{name}") as member:
                    stored = default_storage.save(name, ContentFile(member.read()))
                written.append(stored)
                if stored != name:
                    raise BackupError(_("Không ghi được tệp %(name)s đúng tên vào kho tệp.") % {"name": name})
                summary.files += 1
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return summary


def _load_without_history(data_path: Path, using: str) -> None:
    """Load the rows as they were: the history is in the backup, so recording it again would double it."""
    from archive.signals import related_facts_paused

    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        with related_facts_paused():  # the items' rows carry their media and bodies facts
            call_command("loaddata", str(data_path), database=using, verbosity=0)
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models(include_auto_created=True))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def database_snapshot(using: str = DEFAULT_DB_ALIAS) -> dict[str, list]:
    """Every backed-up row, serialised, per model: what a round trip must reproduce exactly."""
    snapshot: dict[str, list] = {}
    for model in backed_up_models(include_auto_created=True):
        queryset = model._base_manager.using(using).order_by("pk")
        rows = json.loads(serializers.serialize(EXACT_JSON, queryset, use_natural_foreign_keys=True))
        if model._meta.auto_created:
            # Many-to-many link rows are restored through their owners; their own ids carry no meaning.
            rows = sorted(json.dumps(row["fields"], sort_keys=True) for row in rows)
        snapshot[model._meta.label] = rows
    return snapshot


def media_checksums(names: list[str]) -> dict[str, str]:
    return {name: _sha256_stream(_storage_chunks(name)) for name in names}


def default_backup_name() -> str:
    return f"backup-{datetime.datetime.now():%Y%m%d-%H%M%S}.zip"
