"""Backup sets: full and incremental, encrypted, written to every destination, checked by restoring.

Each destination (a local directory, a prefix of an S3-compatible bucket) holds chains; a chain
begins with a full set and goes on with incremental ones:

    <chain>/objects/<sha256>   a media file, named by the SHA-256 of its content, encrypted
    <chain>/<set>/rows         the rows: all of them (full) or the rows added or changed since the
                               parent set and the keys of the rows deleted since (incremental)
    <chain>/<set>/index        the SHA-256 of every row's serialisation, by model and key: what the
                               next incremental set compares with
    <chain>/<set>/manifest     written last: schema, row counts, every stored file name with its
                               content's SHA-256, the parent set; a set without one does not exist

Rows by change: every row is read and serialised as the full backup serialises it, and only rows
whose serialisation differs from the parent's index are written. This covers every model alike,
those without history or timestamps, many-to-many links (serialised with their owner) and
deletions, which no timestamp records. Media by content: a stored name is never rewritten (uploads
get fresh random names), so a name already in the parent's manifest keeps its hash and is not read
again; a new name is read, hashed and uploaded unless its content is already in the chain.

Restoring a set needs its chain's full set, every incremental set between them, and the chain's
objects: the rows are merged in order (later rows replace earlier ones, deleted keys go), the
media map is the set's own, and the result is materialised as a backup zip of the format of
``traditions.backup``, restored by the same code with the same checks.

Encryption: Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) over chunks of 1 MiB;
each chunk carries its index and a last-chunk mark inside the authenticated token, so a chunk
removed, repeated, moved or cut off is detected, and a wrong key fails on the first chunk. Fernet
was chosen over age because ``cryptography`` is already installed, authenticated and tested, and
a key is one line of the environment; ``DJANGO_BACKUP_KEY`` may list several keys separated by
commas (the first encrypts, all decrypt) so a key can be replaced without losing the old sets.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, models
from django.utils import timezone
from django.utils.translation import gettext as _

from traditions import backup
from traditions.backup import EXACT_JSON, BackupError, schema_state, schema_upgrades

SET_FORMAT = "traditions-backup-set/1"
MAGIC = b"TRBK-FERNET-1\n"
CHUNK = 1024 * 1024
HEADER = struct.Struct(">Q?")
LENGTH = struct.Struct(">I")
FULL, INCREMENTAL = "full", "incremental"


# --- encryption ------------------------------------------------------------------------------


def backup_cipher() -> MultiFernet:
    """The key(s) of DJANGO_BACKUP_KEY; a clear error when it is unset or not a Fernet key."""
    keys = [key.strip() for key in (settings.BACKUP_KEY or "").split(",") if key.strip()]
    if not keys:
        raise BackupError(
            _(
                "Chưa có khóa mã hóa bản sao lưu: đặt biến môi trường DJANGO_BACKUP_KEY "
                "(tạo khóa mới bằng “manage.py backup --new-key”). Chưa ghi gì."
            )
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise BackupError(
            _(
                "DJANGO_BACKUP_KEY không phải khóa Fernet hợp lệ (44 ký tự base64, "
                "tạo bằng “manage.py backup --new-key”). Chưa ghi gì."
            )
        ) from exc


def new_key() -> str:
    return Fernet.generate_key().decode()


def _rechunk(chunks: Iterable[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for chunk in chunks:
        buffer.extend(chunk)
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    yield bytes(buffer)


def encrypt_to(cipher: MultiFernet, chunks: Iterable[bytes], out) -> str:
    """Write ``chunks`` encrypted to the binary stream ``out``; the SHA-256 of the plaintext."""
    digest = hashlib.sha256()
    out.write(MAGIC)
    pending: bytes | None = None
    index = 0

    def record(data: bytes, last: bool) -> None:
        token = cipher.encrypt(HEADER.pack(index, last) + data)
        out.write(LENGTH.pack(len(token)))
        out.write(token)

    for chunk in _rechunk(chunks):
        digest.update(chunk)
        if pending is not None:
            record(pending, False)
            index += 1
        pending = chunk
    record(pending or b"", True)
    return digest.hexdigest()


def decrypt_from(cipher: MultiFernet, handle, name: str) -> Iterator[bytes]:
    """The plaintext chunks of the encrypted stream ``handle``; BackupError naming ``name`` when
    the key does not open it or it was changed, reordered or cut off."""
    damaged = _("Tệp %(name)s của bản sao lưu bị hỏng hoặc bị cắt cụt.") % {"name": name}
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupError(damaged)
    index = 0
    while True:
        length = handle.read(LENGTH.size)
        if len(length) != LENGTH.size:
            raise BackupError(damaged)
        token = handle.read(LENGTH.unpack(length)[0])
        try:
            plain = cipher.decrypt(token)
        except InvalidToken as exc:
            if index == 0:
                raise BackupError(
                    _(
                        "Khóa DJANGO_BACKUP_KEY không mở được %(name)s: sai khóa, hoặc tệp đã bị sửa. "
                        "Đặt đúng khóa đã dùng khi sao lưu. Chưa ghi gì."
                    )
                    % {"name": name}
                ) from exc
            raise BackupError(damaged) from exc
        if len(plain) < HEADER.size:
            raise BackupError(damaged)
        found, last = HEADER.unpack(plain[: HEADER.size])
        if found != index:
            raise BackupError(damaged)
        yield plain[HEADER.size :]
        if last:
            if handle.read(1):
                raise BackupError(damaged)
            return
        index += 1


# --- destinations ----------------------------------------------------------------------------


class Destination(abc.ABC):
    """Where sets are kept. Keys are ``/``-separated paths relative to the destination's root; a
    local directory and an S3 bucket implement the five operations below."""

    label = ""

    def probe(self) -> None:
        """Raise BackupError unless the destination can be written now."""
        key = f".probe-{uuid.uuid4().hex}"
        with tempfile.NamedTemporaryFile() as handle:
            handle.write(b"probe")
            handle.flush()
            self.put(key, Path(handle.name))
        self.delete([key])

    @abc.abstractmethod
    def put(self, key: str, path: Path) -> None: ...

    @abc.abstractmethod
    @contextlib.contextmanager
    def open(self, key: str): ...

    @abc.abstractmethod
    def exists(self, key: str) -> bool: ...

    @abc.abstractmethod
    def list_keys(self, prefix: str = "") -> list[str]: ...

    @abc.abstractmethod
    def delete(self, keys: list[str]) -> None: ...

    def full_error(self, exc: Exception) -> BackupError:
        return BackupError(
            _("Nơi sao lưu %(destination)s đã đầy: %(error)s. Giải phóng dung lượng rồi chạy lại.")
            % {"destination": self.label, "error": exc}
        )

    def unreachable_error(self, exc: Exception) -> BackupError:
        return BackupError(
            _("Không ghi được vào nơi sao lưu %(destination)s: %(error)s. Kiểm tra kết nối, quyền ghi và cấu hình.")
            % {"destination": self.label, "error": exc}
        )


class LocalDestination(Destination):
    def __init__(self, root: str) -> None:
        self.root = Path(root)
        self.label = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/"))

    def put(self, key: str, path: Path) -> None:
        target = self._path(key)
        partial = target.with_name(f"{target.name}.partial-{uuid.uuid4().hex[:8]}")
        try:
            if not self.root.is_dir():
                raise FileNotFoundError(errno.ENOENT, _("thư mục không tồn tại"), str(self.root))
            target.parent.mkdir(parents=True, exist_ok=True)
            with path.open("rb") as source, partial.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise self.full_error(exc) from exc
            raise self.unreachable_error(exc) from exc

    @contextlib.contextmanager
    def open(self, key: str):
        with self._path(key).open("rb") as handle:
            yield handle

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_keys(self, prefix: str = "") -> list[str]:
        base = self._path(prefix) if prefix else self.root
        if not base.is_dir():
            return []
        return sorted(
            path.relative_to(self.root).as_posix()
            for path in base.rglob("*")
            if path.is_file() and ".partial-" not in path.name
        )

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            self._path(key).unlink(missing_ok=True)
        for directory in sorted({self._path(key).parent for key in keys}, key=lambda p: -len(p.parts)):
            while directory != self.root and directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()
                directory = directory.parent


class S3Destination(Destination):
    def __init__(self, config: dict) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = config["bucket"]
        self.prefix = (config.get("prefix") or "").strip("/")
        self.label = f"s3://{self.bucket}/{self.prefix}"
        self.client = boto3.client(
            "s3",
            endpoint_url=config.get("endpoint_url"),
            region_name=config.get("region_name"),
            aws_access_key_id=config.get("access_key"),
            aws_secret_access_key=config.get("secret_key"),
            config=Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 2}),
        )

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    @contextlib.contextmanager
    def _errors(self):
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("QuotaExceeded", "EntityTooLarge", "InsufficientStorage", "XMinioStorageFull"):
                raise self.full_error(exc) from exc
            raise self.unreachable_error(exc) from exc
        except (BotoCoreError, Boto3Error) as exc:
            raise self.unreachable_error(exc) from exc

    def put(self, key: str, path: Path) -> None:
        # An object appears whole or not at all: S3 commits an upload (multipart included) at its end.
        with self._errors():
            self.client.upload_file(str(path), self.bucket, self._key(key))

    @contextlib.contextmanager
    def open(self, key: str):
        with tempfile.TemporaryFile() as handle:
            with self._errors():
                self.client.download_fileobj(self.bucket, self._key(key), handle)
            handle.seek(0)
            yield handle

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            with self._errors():
                self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except BackupError as exc:
            cause = exc.__cause__
            if isinstance(cause, ClientError) and cause.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return False
            raise
        return True

    def list_keys(self, prefix: str = "") -> list[str]:
        found = []
        start = self._key(prefix) if prefix else (f"{self.prefix}/" if self.prefix else "")
        with self._errors():
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
                for entry in page.get("Contents", []):
                    key = entry["Key"]
                    found.append(key.removeprefix(f"{self.prefix}/") if self.prefix else key)
        return sorted(found)

    def delete(self, keys: list[str]) -> None:
        with self._errors():
            for start in range(0, len(keys), 1000):
                batch = [{"Key": self._key(key)} for key in keys[start : start + 1000]]
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})


def configured_destinations() -> list[Destination]:
    destinations: list[Destination] = []
    if settings.BACKUP_DIR:
        destinations.append(LocalDestination(settings.BACKUP_DIR))
    if settings.BACKUP_S3.get("bucket"):
        destinations.append(S3Destination(settings.BACKUP_S3))
    if not destinations:
        raise BackupError(
            _(
                "Chưa có nơi sao lưu: đặt DJANGO_BACKUP_DIR (thư mục trên ổ đĩa khác) và "
                "DJANGO_BACKUP_S3_BUCKET (kho đối tượng S3). Chưa ghi gì."
            )
        )
    return destinations


# --- reading sets ----------------------------------------------------------------------------


@dataclass
class SetInfo:
    manifest: dict

    @property
    def id(self) -> str:
        return self.manifest["set"]

    @property
    def chain(self) -> str:
        return self.manifest["chain"]


def _read_encrypted(destination: Destination, cipher: MultiFernet, key: str) -> bytes:
    with destination.open(key) as handle:
        return b"".join(decrypt_from(cipher, handle, f"{destination.label}/{key}"))


def list_sets(destination: Destination, cipher: MultiFernet) -> dict[str, SetInfo]:
    """The committed sets at a destination, by id (ids sort by time)."""
    sets = {}
    for key in destination.list_keys():
        parts = key.split("/")
        if len(parts) == 3 and parts[2] == "manifest":
            try:
                manifest = json.loads(_read_encrypted(destination, cipher, key))
            except ValueError as exc:
                raise BackupError(
                    _("Tệp %(name)s của bản sao lưu bị hỏng.") % {"name": f"{destination.label}/{key}"}
                ) from exc
            if not isinstance(manifest, dict) or manifest.get("format") != SET_FORMAT:
                raise BackupError(
                    _("Tệp %(name)s không phải bản sao lưu của hệ thống.") % {"name": f"{destination.label}/{key}"}
                )
            sets[manifest["set"]] = SetInfo(manifest)
    return dict(sorted(sets.items()))


def chain_of(sets: dict[str, SetInfo], set_id: str) -> list[SetInfo]:
    """The full set and every incremental set leading to ``set_id``, oldest first."""
    chain = []
    current: str | None = set_id
    while current is not None:
        info = sets.get(current)
        if info is None:
            raise BackupError(
                _("Thiếu bộ sao lưu %(set)s mà bộ %(target)s cần để khôi phục.") % {"set": current, "target": set_id}
            )
        chain.append(info)
        current = info.manifest.get("parent")
    return list(reversed(chain))


# --- writing sets ----------------------------------------------------------------------------


@dataclass
class SetSummary:
    set_id: str
    kind: str
    rows: int = 0
    changed_rows: int = 0
    deleted_rows: int = 0
    files: int = 0
    uploaded_files: int = 0
    destinations: list[str] = field(default_factory=list)
    removed_sets: list[str] = field(default_factory=list)
    note: str = ""


def _pk_key(pk) -> str:
    return json.dumps(pk)


def _row_digest(row: dict) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def _dump_rows(out, parent_index: dict | None, using: str) -> tuple[dict, dict, set[str], int, int]:
    """Write rows as one JSON object {"rows": [...], "deleted": [[model, pk], ...]} to ``out`` (text):
    every row, or with ``parent_index`` only those that differ from it. Returns the new index, the
    row counts per model, the stored names the rows refer to, and the rows written and deleted."""
    serializer = serializers.get_serializer(EXACT_JSON)()
    index: dict[str, dict[str, str]] = {}
    counts: dict[str, int] = {}
    media_names: set[str] = set()
    changed = deleted = 0
    out.write('{"rows": [')
    first = True
    for model in backup._dump_order():
        label_lower = model._meta.label_lower
        counts[model._meta.label] = 0
        model_index = index.setdefault(label_lower, {})
        previous = (parent_index or {}).get(label_lower, {})
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        batch: list = []
        queryset = backup._dump_queryset(model, using).iterator(chunk_size=backup.ROWS_PER_QUERY)

        def flush(batch: list, model_index: dict, previous: dict) -> None:
            nonlocal first, changed
            text = serializer.serialize(batch, use_natural_foreign_keys=True, indent=None)
            for row in json.loads(text):
                key, digest = _pk_key(row["pk"]), _row_digest(row)
                model_index[key] = digest
                if parent_index is None or previous.get(key) != digest:
                    out.write(("" if first else ",") + json.dumps(row, ensure_ascii=False))
                    first = False
                    changed += 1

        for obj in queryset:
            counts[model._meta.label] += 1
            for file_field in file_fields:
                if name := file_field.value_from_object(obj).name:
                    media_names.add(name)
            batch.append(obj)
            if len(batch) >= backup.ROWS_PER_QUERY:
                flush(batch, model_index, previous)
                batch = []
        if batch:
            flush(batch, model_index, previous)
    out.write('], "deleted": [')
    first = True
    for label_lower, previous in (parent_index or {}).items():
        for key in previous:
            if key not in index.get(label_lower, {}):
                out.write(("" if first else ",") + json.dumps([label_lower, json.loads(key)]))
                first = False
                deleted += 1
    out.write("]}")
    return index, counts, media_names, changed, deleted


def _storage_chunks(name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _latest_common(per_destination: list[dict[str, SetInfo]]) -> SetInfo | None:
    common = set(per_destination[0])
    for sets in per_destination[1:]:
        common &= set(sets)
    return per_destination[0][max(common)] if common else None


def backup_set_write(*, kind: str | None = None, using: str = DEFAULT_DB_ALIAS) -> SetSummary:
    """Write a backup set to every configured destination: full, or incremental on the newest set
    all destinations hold (``kind`` None: incremental when there is one, else full).

    Everything is checked before anything is written (key, destinations reachable and writable,
    the sets already there readable with this key). The set's files go first and its manifest
    last at every destination; on any failure, what this run wrote is removed again, so a
    destination never holds half a set.
    """
    cipher = backup_cipher()
    destinations = configured_destinations()
    for destination in destinations:
        destination.probe()
    existing = [list_sets(destination, cipher) for destination in destinations]
    current_schema = schema_state(using)
    parent = None if kind == FULL else _latest_common(existing)
    note = ""
    if parent is not None and parent.manifest.get("schema") != current_schema:
        parent, note = None, _("Cấu trúc dữ liệu đã đổi từ bộ trước: tạo bộ đầy đủ mới.")
    if kind == INCREMENTAL and parent is None and not note:
        note = _("Chưa có bộ sao lưu chung ở mọi nơi sao lưu: tạo bộ đầy đủ.")
    set_id = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    chain = parent.chain if parent is not None else set_id
    summary = SetSummary(set_id=set_id, kind=INCREMENTAL if parent else FULL, note=note)
    written: dict[int, list[str]] = {i: [] for i in range(len(destinations))}
    parent_media = parent.manifest["media"] if parent else {}
    in_chain = set(parent_media.values())

    def put_everywhere(key: str, path: Path) -> None:
        for i, destination in enumerate(destinations):
            written[i].append(key)
            destination.put(key, path)

    with tempfile.TemporaryDirectory(prefix="backup-set-") as work:
        work_dir = Path(work)
        try:
            parent_index = None
            if parent is not None:
                parent_index = json.loads(
                    _read_encrypted(destinations[0], cipher, f"{chain}/{parent.id}/index").decode()
                )
            rows_plain = work_dir / "rows.json"
            with backup._one_moment(using), rows_plain.open("w", encoding="utf-8") as out:
                index, counts, media_names, changed, deleted = _dump_rows(out, parent_index, using)
                schema = schema_state(using)
            summary.rows, summary.changed_rows, summary.deleted_rows = sum(counts.values()), changed, deleted
            encrypted_sha = {}
            index_plain = work_dir / "index.json"
            index_plain.write_text(json.dumps(index), encoding="utf-8")
            for name, source in (("rows", rows_plain), ("index", index_plain)):
                path = work_dir / f"{name}.enc"
                with path.open("wb") as out, source.open("rb") as plain:
                    encrypted_sha[name] = encrypt_to(cipher, iter(lambda h=plain: h.read(CHUNK), b""), out)
                put_everywhere(f"{chain}/{set_id}/{name}", path)
            media: dict[str, str] = {}
            uploaded: set[str] = set()
            for name in sorted(media_names):
                if name in parent_media:
                    media[name] = parent_media[name]
                    continue
                if not default_storage.exists(name):
                    raise BackupError(
                        _("Thiếu tệp %(name)s trong kho lưu trữ tệp; không thể sao lưu đầy đủ.") % {"name": name}
                    )
                path = work_dir / "object.enc"
                with path.open("wb") as out:
                    sha = encrypt_to(cipher, _storage_chunks(name), out)
                media[name] = sha
                if sha in uploaded or sha in in_chain:
                    continue
                for i, destination in enumerate(destinations):
                    key = f"{chain}/objects/{sha}"
                    if parent is None or not destination.exists(key):
                        written[i].append(key)
                        destination.put(key, path)
                uploaded.add(sha)
            summary.files, summary.uploaded_files = len(media), len(uploaded)
            manifest = {
                "format": SET_FORMAT,
                "set": set_id,
                "chain": chain,
                "kind": summary.kind,
                "parent": parent.id if parent else None,
                "created_at": timezone.now().isoformat(),
                "schema": schema,
                "rows": counts,
                "rows_sha256": encrypted_sha["rows"],
                "index_sha256": encrypted_sha["index"],
                "media": media,
            }
            path = work_dir / "manifest.enc"
            with path.open("wb") as out:
                encrypt_to(cipher, [json.dumps(manifest, ensure_ascii=False).encode()], out)
            put_everywhere(f"{chain}/{set_id}/manifest", path)
        except BaseException:
            for i, destination in enumerate(destinations):
                with contextlib.suppress(BackupError):
                    destination.delete(list(reversed(written[i])))
            raise
    summary.destinations = [destination.label for destination in destinations]
    summary.removed_sets = _apply_retention(destinations, cipher)
    return summary


def _apply_retention(destinations: list[Destination], cipher: MultiFernet) -> list[str]:
    """Keep the newest BACKUP_KEEP_FULL chains at each destination; remove older chains whole, and
    what a run stopped without cleaning up (killed) left outside any committed set."""
    keep = max(1, settings.BACKUP_KEEP_FULL)
    removed: list[str] = []
    for destination in destinations:
        sets = list_sets(destination, cipher)
        chains = sorted({info.chain for info in sets.values() if info.manifest.get("kind") == FULL})
        for chain in chains[:-keep]:
            destination.delete(destination.list_keys(f"{chain}/"))
            removed.extend(info.id for info in sets.values() if info.chain == chain)
        kept = set(chains[-keep:])
        stray = []
        for key in destination.list_keys():
            parts = key.split("/")
            if parts[0].startswith(".probe-"):
                continue
            if parts[0] not in kept or (len(parts) == 3 and parts[1] != "objects" and parts[1] not in sets):
                stray.append(key)
        destination.delete(stray)
    return sorted(set(removed))


# --- restoring sets --------------------------------------------------------------------------


def _readable_destination(destinations: list[Destination], cipher: MultiFernet, set_id: str | None):
    """The first destination that can be read and holds ``set_id`` (or any set), with its sets."""
    errors = []
    for destination in destinations:
        try:
            sets = list_sets(destination, cipher)
        except BackupError as exc:
            errors.append(str(exc))
            continue
        if sets and (set_id is None or set_id in sets):
            return destination, sets
    if errors:
        raise BackupError(" ".join(errors))
    if set_id:
        raise BackupError(_("Không nơi sao lưu nào có bộ %(set)s.") % {"set": set_id})
    raise BackupError(_("Chưa có bộ sao lưu nào ở các nơi sao lưu."))


def backup_set_materialise(*, target: Path, set_id: str | None = None, using: str = DEFAULT_DB_ALIAS) -> SetInfo:
    """Write set ``set_id`` (the newest when None), with its chain merged, as a backup zip at
    ``target`` that ``traditions.backup.restore_backup`` restores."""
    cipher = backup_cipher()
    destination, sets = _readable_destination(configured_destinations(), cipher, set_id)
    target_set = sets[set_id or max(sets)]
    schema_upgrades(target_set.manifest.get("schema"), using)
    merged: dict[str, dict[str, dict]] = {}
    for info in chain_of(sets, target_set.id):
        key = f"{info.chain}/{info.id}/rows"
        with destination.open(key) as handle:
            digest = hashlib.sha256()
            content = bytearray()
            for chunk in decrypt_from(cipher, handle, f"{destination.label}/{key}"):
                digest.update(chunk)
                content.extend(chunk)
        if digest.hexdigest() != info.manifest.get("rows_sha256"):
            raise BackupError(
                _("Mã kiểm tra của %(name)s không khớp: bản sao lưu đã bị sửa hoặc hỏng.")
                % {"name": f"{destination.label}/{key}"}
            )
        part = json.loads(bytes(content))
        for row in part["rows"]:
            merged.setdefault(row["model"], {})[_pk_key(row["pk"])] = row
        for model, pk in part["deleted"]:
            merged.get(model, {}).pop(_pk_key(pk), None)
    order = [model._meta.label_lower for model in backup._dump_order()]
    order += [label for label in merged if label not in order]
    partial = target.with_name(target.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            data_digest = hashlib.sha256()
            with archive.open("data.json", "w", force_zip64=True) as member:
                first = True
                member.write(b"[")
                data_digest.update(b"[")
                for label in order:
                    rows = merged.get(label, {})
                    for key in sorted(rows, key=lambda k: (not isinstance(json.loads(k), int), json.loads(k))):
                        text = (b"" if first else b",") + json.dumps(rows[key], ensure_ascii=False).encode()
                        member.write(text)
                        data_digest.update(text)
                        first = False
                member.write(b"]")
                data_digest.update(b"]")
            files = {"data.json": data_digest.hexdigest()}
            for name, sha in sorted(target_set.manifest["media"].items()):
                key = f"{target_set.chain}/objects/{sha}"
                digest = hashlib.sha256()
                with destination.open(key) as handle, archive.open(f"media/{name}", "w", force_zip64=True) as member:
                    for chunk in decrypt_from(cipher, handle, f"{destination.label}/{key}"):
                        digest.update(chunk)
                        member.write(chunk)
                if digest.hexdigest() != sha:
                    raise BackupError(
                        _("Tệp %(name)s trong bản sao lưu (%(key)s) không khớp mã kiểm tra SHA-256.")
                        % {"name": name, "key": f"{destination.label}/{key}"}
                    )
                files[f"media/{name}"] = sha
            manifest = {
                "format": backup.FORMAT_VERSION,
                "created_at": target_set.manifest["created_at"],
                "schema": target_set.manifest["schema"],
                "rows": target_set.manifest["rows"],
                "files": files,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target_set


def backup_set_verify(*, set_id: str | None = None) -> tuple[SetInfo, list[str]]:
    """Restore a set (the newest by default) into a scratch SQLite database and scratch storage, in
    a separate process, and compare every row and file with the set; the differences found.

    The scratch process is this project's ``manage.py`` with DATABASE_URL and DJANGO_MEDIA_ROOT
    pointed at a temporary directory, so the live database and storage are never touched."""
    with tempfile.TemporaryDirectory(prefix="backup-verify-") as work:
        work_dir = Path(work)
        archive = work_dir / "set.zip"
        info = backup_set_materialise(target=archive, set_id=set_id)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work_dir / 'scratch.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(work_dir / "media"),
            "DJANGO_S3_BUCKET": "",
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        steps = [[*manage, "migrate", "--noinput", "-v", "0"], [*manage, "restore", str(archive), "--compare"]]
        for command in steps:
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode != 0:
                message = (result.stderr.strip() or result.stdout.strip()).splitlines()
                return info, message[-20:] or [_("Bước kiểm tra thất bại: %(command)s") % {"command": command[2]}]
    return info, []
