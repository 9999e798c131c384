"""Full backups: the data of every app as JSON, the media files, and a manifest of checksums.

A backup is one zip file:

    manifest.json   format, creation time, schema (applied migrations per app), row counts,
                    and the sha256 of every other member
    data.json       every row of the backed-up models (Django's JSON serialisation,
                    natural keys for content types and permissions)
    media/<name>    every file the rows refer to, under its storage name

`write_backup()` reads every row inside one transaction that sees the database at one moment,
however many people write meanwhile, and streams the rows into the zip as it reads them; the
row counts and the list of files are taken from the rows written, so the manifest describes
exactly what data.json holds.

`restore_backup()` checks the whole archive before it touches anything, then loads the rows
and writes the files inside one transaction; it refuses an archive whose rows do not add up to
the manifest's counts, and on any failure nothing is left behind. A backup taken before one of
the migrations in `ROW_UPGRADES` restores too: its rows are first rewritten as that migration
rewrote the database's.
"""

import contextlib
import hashlib
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
EXACT_JSON = "json-exact"
serializers.register_serializer(EXACT_JSON, "traditions.exact_json")
# Apps whose rows make up the archive; contenttypes and permissions are rebuilt by migrate
# and referred to by natural key. Staff authenticator secrets (django-otp) are not kept: staff enrol
# again after a restore.
BACKUP_APPS = ["auth", "admin", "archive", "exhibits", "bookings", "upgrades", "traditions", "reading", "account"]
# An export for the offline system holds a classified item's files on their way off this machine:
# it must never be copied again, least of all to a backup bucket (archive.secrecy). Who exported
# what stays in the item's history.
EXCLUDED_MODELS = {"auth.permission", "archive.offlinetransfer", "archive.historicalofflinetransfer"}
CHUNK = 1024 * 1024
# Rows read per query while dumping: the dump holds one such batch (and its many-to-many links)
# in memory at a time, whatever the size of the table.
ROWS_PER_QUERY = 2000


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


def _dump_order() -> list[type[models.Model]]:
    """The backed-up models in the order dumpdata gives them: a natural key names a row that
    has already been loaded when the row naming it is read."""
    by_app: dict = {}
    for model in backed_up_models():
        by_app.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def _dump_queryset(model: type[models.Model], using: str) -> models.QuerySet:
    """Every row of `model` in key order, with what its serialisation reads fetched in batches."""
    queryset = model._base_manager.using(using).order_by("pk")
    # The serialiser names these rows by natural key. Joined only through enforced foreign keys:
    # a history row may keep the key of a row deleted since (no constraint), and an inner join
    # would drop that history row from the backup without a word.
    natural = [
        field.name
        for field in model._meta.concrete_fields
        if field.remote_field is not None
        and getattr(field, "db_constraint", False)
        and hasattr(field.remote_field.model, "natural_key")
    ]
    links = [
        field.name
        for field in model._meta.local_many_to_many
        if field.serialize and field.remote_field.through._meta.auto_created
    ]
    if natural:
        queryset = queryset.select_related(*natural)
    if links:
        queryset = queryset.prefetch_related(*links)
    return queryset


class _Sha256Writer(io.RawIOBase):
    """A binary stream that passes everything written to `target` and into a SHA-256 digest."""

    def __init__(self, target) -> None:
        super().__init__()
        self.target = target
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        return self.target.write(data)


@contextlib.contextmanager
def _one_moment(using: str) -> Iterator[None]:
    """A transaction in which every query sees the database as it was at one moment."""
    connection = transaction.get_connection(using)
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # PostgreSQL's default, READ COMMITTED, gives every statement a snapshot of its own:
            # tables dumped one after another would show different moments (files of an offer
            # without the offer, counts that are not those of the rows). REPEATABLE READ keeps the
            # transaction's first snapshot for all its statements, and READ ONLY says the backup
            # writes nothing. The ORM has no word for a transaction's isolation level, hence the
            # SQL; PostgreSQL accepts it only as the transaction's first statement, which it is
            # here (atomic sends nothing before it). Nested in a caller's transaction (a test's),
            # the caller's transaction decides what is seen.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # SQLite (WAL, transactions begun IMMEDIATE, see settings) reads one snapshot for the
        # whole transaction already; writers wait for it to end.
        yield


def _write_rows(archive: zipfile.ZipFile, summary: BackupSummary, media_names: set[str], using: str) -> str:
    """Stream every row into data.json as one JSON array; count the rows and collect the names of
    their files on the way. Returns the SHA-256 of data.json."""

    def rows() -> Iterator[models.Model]:
        for model in _dump_order():
            label = model._meta.label
            file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            for obj in _dump_queryset(model, using).iterator(chunk_size=ROWS_PER_QUERY):
                summary.rows[label] += 1
                for file_field in file_fields:
                    if name := file_field.value_from_object(obj).name:
                        media_names.add(name)
                yield obj

    serializer = serializers.get_serializer(EXACT_JSON)()
    with archive.open("data.json", "w", force_zip64=True) as member:
        digesting = _Sha256Writer(member)
        with io.TextIOWrapper(io.BufferedWriter(digesting, CHUNK), encoding="utf-8") as text:
            serializer.serialize(rows(), stream=text, use_natural_foreign_keys=True, indent=None)
    return digesting.digest.hexdigest()


def write_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write a backup of the database and media to `path` (a new zip file).

    The rows are those of one moment, even while people use the site; the manifest's counts and
    files are those of the rows written.
    """
    path = Path(path)
    if path.exists():
        raise BackupError(_("Tệp %(path)s đã có; chọn tên khác để không ghi đè bản sao lưu cũ.") % {"path": path})
    summary = BackupSummary(rows=dict.fromkeys((model._meta.label for model in backed_up_models()), 0))
    media_names: set[str] = set()
    tmp_path = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(tmp_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with _one_moment(using):
                checksums = {"data.json": _write_rows(archive, summary, media_names, using)}
                schema = schema_state(using)
            # Copied after the snapshot ends: a file is stored before the row naming it commits,
            # and stays while that row exists, so every name read is still in storage.
            for name in sorted(media_names):
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
                "schema": schema,
                "rows": summary.rows,
                "files": checksums,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        tmp_path.replace(path)
    finally:
        tmp_path.unlink(missing_ok=True)
    return summary


# The rows of a backup, as a list of serialised objects, rewritten as a migration rewrote the
# database: a backup whose schema lacks only such migrations restores into the current one.
# Each takes the rows and the manifest's counts (by model label) and returns both.


def _rows_before_english_codes(rows: list[dict], counts: dict[str, int]) -> tuple[list[dict], dict[str, int]]:
    """archive 0013_english_codes: items and their history stored Vietnamese choice codes."""
    from archive.former_codes import FORMER_CODES, current_code

    for row in rows:
        fields = row.get("fields") if isinstance(row, dict) else None
        if isinstance(fields, dict) and row.get("model") in ("archive.item", "archive.historicalitem"):
            for name in FORMER_CODES:
                if isinstance(fields.get(name), str):
                    fields[name] = current_code(name, fields[name])
    return rows, counts


# archive 0014_dossier: the model File (hồ sơ) became Dossier, an item's file its dossier.
DOSSIER_MODELS = {"file": "dossier", "historicalfile": "historicaldossier"}
DOSSIER_FIELDS = {"file": "dossier", "file_position": "dossier_position"}


def _rows_before_dossier(rows: list[dict], counts: dict[str, int]) -> tuple[list[dict], dict[str, int]]:
    """archive 0014_dossier: rows, item fields, content types and permissions named the file."""

    def content_type(key):
        if isinstance(key, list) and len(key) == 2 and key[0] == "archive" and key[1] in DOSSIER_MODELS:
            return ["archive", DOSSIER_MODELS[key[1]]]
        return key

    def permission(key):
        if isinstance(key, list) and len(key) == 3 and key[1] == "archive" and key[2] in DOSSIER_MODELS:
            action, _sep, _model = key[0].partition("_")
            return [f"{action}_{DOSSIER_MODELS[key[2]]}", "archive", DOSSIER_MODELS[key[2]]]
        return key

    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("fields"), dict):
            continue  # refused by the deserialiser, with its own message
        app_label, _dot, model_name = str(row.get("model", "")).partition(".")
        if app_label == "archive" and model_name in DOSSIER_MODELS:
            row["model"] = f"archive.{DOSSIER_MODELS[model_name]}"
        fields = row["fields"]
        if row.get("model") in ("archive.item", "archive.historicalitem"):
            row["fields"] = fields = {DOSSIER_FIELDS.get(name, name): value for name, value in fields.items()}
        try:
            model = apps.get_model(str(row.get("model", "")))
        except (LookupError, ValueError):
            continue
        for model_field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
            related = model_field.related_model
            if related is None or model_field.name not in fields:
                continue
            if related._meta.label_lower == "contenttypes.contenttype":
                fields[model_field.name] = content_type(fields[model_field.name])
            elif related._meta.label_lower == "auth.permission" and isinstance(fields[model_field.name], list):
                fields[model_field.name] = [permission(key) for key in fields[model_field.name]]
    renamed = {"archive.File": "archive.Dossier", "archive.HistoricalFile": "archive.HistoricalDossier"}
    return rows, {renamed.get(label, label): count for label, count in counts.items()}


def _rows_before_facts_from_tables(rows: list[dict], counts: dict[str, int]) -> tuple[list[dict], dict[str, int]]:
    """archive 0015_facts_from_tables: items carried copies of their media and bodies
    (``has_media``, ``body_ids``); the media files and links in the backup say the same."""
    for row in rows:
        if isinstance(row, dict) and row.get("model") == "archive.item" and isinstance(row.get("fields"), dict):
            row["fields"].pop("has_media", None)
            row["fields"].pop("body_ids", None)
    return rows, counts


# (app label, migration name) -> how the rows of a backup taken before it are brought up to it, in
# the order the migrations apply. A migration renamed is renamed here too (a test checks the names).
ROW_UPGRADES = {
    ("archive", "0013_english_codes"): _rows_before_english_codes,
    ("archive", "0014_dossier"): _rows_before_dossier,
    ("archive", "0015_facts_from_tables"): _rows_before_facts_from_tables,
}


@dataclass
class VerifiedBackup:
    manifest: dict
    media_names: list[str]
    # The migrations of ROW_UPGRADES the backup was taken before, in the order they apply.
    upgrades: list[tuple[str, str]] = field(default_factory=list)


def schema_upgrades(schema, using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, str]]:
    """The migrations of ROW_UPGRADES a backup of ``schema`` (its applied migrations per app) was
    taken before, in the order they apply; a schema that differs otherwise is refused."""
    current = schema_state(using)
    schema = schema if isinstance(schema, dict) else {}
    missing = {(app, name) for app, names in current.items() for name in names if name not in (schema.get(app) or [])}
    unknown = {
        (app, name)
        for app, names in schema.items()
        for name in (names if isinstance(names, list) else [names])
        if name not in current.get(app, [])
    }
    if unknown or not missing <= set(ROW_UPGRADES):
        differing = sorted({app for app, _name in unknown | (missing - set(ROW_UPGRADES))})
        raise BackupError(
            _(
                "Phiên bản cấu trúc dữ liệu của bản sao lưu khác với hệ thống (các ứng dụng: %(apps)s). "
                "Khôi phục trên đúng phiên bản phần mềm đã tạo bản sao lưu."
            )
            % {"apps": ", ".join(differing)}
        )
    return [migration for migration in ROW_UPGRADES if migration in missing]


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
    upgrades = schema_upgrades(manifest.get("schema"), using)
    media_names = sorted(name.removeprefix("media/") for name in files if name.startswith("media/"))
    for name in media_names:
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(_("Tệp sao lưu chứa đường dẫn không hợp lệ: %(name)s.") % {"name": name})
    return VerifiedBackup(manifest=manifest, media_names=media_names, upgrades=upgrades)


def _upgraded(data, expected: dict[str, int], upgrades: list[tuple[str, str]]) -> tuple[bytes, dict[str, int]]:
    """data.json and the manifest's counts of a backup taken before ``upgrades``, rewritten as
    those migrations rewrote the database."""
    try:
        rows = json.load(data)
    except ValueError as exc:
        raise BackupError(_("Không nạp được dữ liệu trong data.json: %(error)s") % {"error": exc}) from exc
    if not isinstance(rows, list):
        raise BackupError(_("Không nạp được dữ liệu trong data.json: %(error)s") % {"error": type(rows).__name__})
    for migration in upgrades:
        rows, expected = ROW_UPGRADES[migration](rows, expected)
    return json.dumps(rows, ensure_ascii=False).encode(), expected


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
    """Restore a verified archive into an empty database and storage, all or nothing.

    The summary gives the rows actually loaded, per model; an archive whose rows disagree with
    its manifest's counts is refused.
    """
    verified = verify_backup(path, using)
    _assert_target_empty(verified.media_names, using)
    expected = verified.manifest.get("rows")
    if not isinstance(expected, dict) or not all(isinstance(count, int) for count in expected.values()):
        raise BackupError(_("manifest.json trong tệp sao lưu bị hỏng."))
    written: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive, transaction.atomic(using=using):
            _empty_backed_up_tables(using)
            with archive.open("data.json") as data:
                if verified.upgrades:
                    data, expected = _upgraded(data, expected, verified.upgrades)
                loaded = _load_without_history(data, using)
            _require_counts(expected, loaded)
            _reset_sequences(using)
            summary = BackupSummary(rows={**dict.fromkeys(expected, 0), **loaded})
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


def _empty_backed_up_tables(using: str) -> None:
    """Rows that migrations seeded are replaced by the backup's own, so the result is identical.

    A plain DELETE of each table, in SQL: the ORM's delete() would follow relations, send signals
    and record history for rows that are only being replaced, and TRUNCATE is refused on
    PostgreSQL while the transaction has foreign-key checks pending. The foreign keys are checked
    when the transaction ends, once the backup's rows are in.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in reversed(backed_up_models(include_auto_created=True)):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's own table name, quoted


def _load_without_history(data, using: str) -> Counter:
    """Load the rows as they were: the history is in the backup, so recording it again would double it."""
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        return _load_rows(data, using)
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous


def _load_rows(data, using: str) -> Counter:
    """Save every row of data.json as loaddata does (raw saves, foreign keys checked once at the
    end); return how many rows of each model were saved."""
    connection = connections[using]
    loaded: Counter = Counter()
    with_forward_references = []
    try:
        with connection.constraint_checks_disabled():
            for row in serializers.deserialize(EXACT_JSON, data, using=using, handle_forward_references=True):
                row.save(using=using)
                loaded[row.object._meta.label] += 1
                if row.deferred_fields:
                    with_forward_references.append(row)
            for row in with_forward_references:
                row.save_deferred_fields(using=using)
        connection.check_constraints(
            table_names=[model._meta.db_table for model in backed_up_models(include_auto_created=True)]
        )
    except (DeserializationError, DatabaseError, ValueError) as exc:
        raise BackupError(_("Không nạp được dữ liệu trong data.json: %(error)s") % {"error": exc}) from exc
    return loaded


def _require_counts(expected: dict[str, int], loaded: Counter) -> None:
    differing = sorted(label for label in set(expected) | set(loaded) if expected.get(label, 0) != loaded.get(label, 0))
    if differing:
        raise BackupError(
            _("Số bản ghi nạp được khác với manifest.json (%(models)s): bản sao lưu không nhất quán.")
            % {
                "models": "; ".join(
                    _("%(model)s: manifest ghi %(expected)d, nạp được %(loaded)d")
                    % {"model": label, "expected": expected.get(label, 0), "loaded": loaded.get(label, 0)}
                    for label in differing
                )
            }
        )


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


def compare_with_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What differs between the database and storage and the backup at ``path``, restored into them:
    every row (with its many-to-many links) and every file; empty when they are identical."""
    verified = verify_backup(path, using)
    with zipfile.ZipFile(path) as archive, archive.open("data.json") as data:
        if verified.upgrades:
            content, _counts = _upgraded(data, {}, verified.upgrades)
            rows = json.loads(content)
        else:
            rows = json.load(data)
    # Generated columns are computed by the database from the stored ones (their expressions differ
    # between SQLite and PostgreSQL); they are not data of the backup.
    generated = {
        model._meta.label_lower: {f.name for f in model._meta.concrete_fields if isinstance(f, models.GeneratedField)}
        for model in backed_up_models()
    }

    def stored(row: dict) -> dict:
        skipped = generated.get(row.get("model"), set())
        return {**row, "fields": {k: v for k, v in row["fields"].items() if k not in skipped}}

    expected = {(row["model"], json.dumps(row["pk"])): stored(row) for row in rows}
    actual = {}
    for model in backed_up_models():
        queryset = model._base_manager.using(using).order_by("pk")
        for row in json.loads(serializers.serialize(EXACT_JSON, queryset, use_natural_foreign_keys=True)):
            actual[(row["model"], json.dumps(row["pk"]))] = stored(row)
    differences = []
    for key in sorted(set(expected) | set(actual)):
        before, after = expected.get(key), actual.get(key)
        if before == after:
            continue
        if before is None or after is None:
            fields = _("cả bản ghi")
        else:
            names = set(before["fields"]) | set(after["fields"])
            fields = ", ".join(sorted(n for n in names if before["fields"].get(n) != after["fields"].get(n)))
        differences.append(
            _("Bản ghi %(model)s #%(pk)s khác với bản sao lưu (%(fields)s).")
            % {"model": key[0], "pk": key[1], "fields": fields}
        )
    files = verified.manifest.get("files") or {}
    for name in verified.media_names:
        if not default_storage.exists(name):
            differences.append(_("Thiếu tệp %(name)s sau khi khôi phục.") % {"name": name})
        elif _sha256_stream(_storage_chunks(name)) != files[f"media/{name}"]:
            differences.append(_("Tệp %(name)s khác với bản sao lưu.") % {"name": name})
    return differences
