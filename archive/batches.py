"""Batch ingest (nhập lô): items from a spreadsheet and their scans from a ZIP, in the background.

Staff upload the item import's spreadsheet with one more column, "Tệp số hóa", naming the files of
each row (several separated by ";"), and a ZIP holding those files. The preview reads only the
ZIP's central directory (nothing is unpacked in the request) and the spreadsheet (a dry run of the
item import) and lists each row, each file found or missing, and the files no row names. A batch
with anything wrong is refused whole, with a Vietnamese message naming the file and the fix, and
nothing is stored. Confirming imports the items all or nothing, as the item import does, and queues
one job (``archive.tasks.unpack_ingest_batch``) that unpacks the ZIP member by member, each
streamed to a temporary file and stored through ``archive.media.media_file_store`` (the one way a
file is stored, which inspects it first); each stored file then has its own processing job.

What holds:
- a ZIP is refused before anything is unpacked when it is larger than ``MAX_ARCHIVE_BYTES``, holds
  more than ``MAX_MEMBERS`` files, declares a member larger than ``MAX_MEMBER_BYTES``, members
  larger than ``MAX_TOTAL_BYTES`` together, or a member compressed more than ``MAX_RATIO`` times
  (a ZIP bomb); also when a member's path leaves the ZIP's folder (absolute, ``..``, a drive), is
  a symbolic link, is encrypted or uses a compression method the standard library cannot read;
- unpacking never writes more than a member declares: the standard library stops at the declared
  size and checks the CRC, and the bytes written are counted here as well;
- files no row names are listed in the preview as unused and are not stored; they do not stop the
  batch;
- a file that fails its inspection (a corrupt TIFF, a PDF without pages, a film ffprobe cannot
  read) is marked failed with the reason; no media file is made for it, and its item, imported
  with the rest, waits for the corrected file;
- the job may run again (a worker stopped half-way): a file already stored is not stored twice.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import stat
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from archive.media import CHUNK_BYTES, StorageWrites, media_file_store, stored_local_path
from archive.models import IngestBatch, IngestFile, Item, MediaFile
from archive.resources import ItemResource

logger = logging.getLogger(__name__)

MB = 1024 * 1024
GB = 1024 * MB
#: Largest ZIP taken as one batch, as uploaded (500 scans of 5 MB are 2.4 GB).
MAX_ARCHIVE_BYTES = 3 * GB
#: Most files one ZIP may hold.
MAX_MEMBERS = 1000
#: Largest member, unpacked: the largest media file taken at all (a film, archive.media).
MAX_MEMBER_BYTES = 1 * GB
#: Most bytes all members of one ZIP may unpack to.
MAX_TOTAL_BYTES = 3 * GB
#: Most a member may be compressed (its size over its compressed size) once it is over 1 MB:
#: scans and photographs hardly compress, a ZIP bomb compresses by thousands.
MAX_RATIO = 100
RATIO_FROM_BYTES = MB
#: A preview not confirmed within this time is removed, with its stored files, by the next one.
PREVIEW_KEPT = datetime.timedelta(days=1)

#: The column naming each row's files, added to the item import's columns.
FILES_COLUMN = "Tệp số hóa"
FILES_EXAMPLE = "bao-cao-1958-trang-1.tif; bao-cao-1958-trang-2.tif"
FILE_SEPARATORS = re.compile(r"[;\n]")
SUPPORTED_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
SHEET_SUFFIXES = (".xlsx", ".csv")

MESSAGES = {
    "not_zip": _(
        "Tệp “%(name)s” không phải tệp ZIP hoặc đã hỏng nên không đọc được danh sách tệp bên trong. "
        "Hãy nén lại thư mục ảnh quét thành tệp ZIP rồi tải lại."
    ),
    "archive_too_large": _(
        "Tệp ZIP “%(name)s” nặng %(size)s, vượt giới hạn %(limit)s của một lô. "
        "Hãy chia các tệp thành nhiều lô nhỏ hơn rồi nhập từng lô."
    ),
    "too_many": _(
        "Tệp ZIP “%(name)s” có %(count)d tệp, vượt giới hạn %(limit)d tệp của một lô. "
        "Hãy chia các tệp thành nhiều lô nhỏ hơn rồi nhập từng lô."
    ),
    "total_too_large": _(
        "Các tệp trong ZIP “%(name)s” khi giải nén nặng tổng cộng %(size)s, vượt giới hạn %(limit)s "
        "của một lô. Chưa giải nén tệp nào. Hãy chia các tệp thành nhiều lô nhỏ hơn rồi nhập từng lô."
    ),
    "member_too_large": _(
        "Tệp “%(member)s” trong ZIP khi giải nén nặng %(size)s, vượt giới hạn %(limit)s của một tệp. "
        "Chưa giải nén tệp nào. Hãy giảm dung lượng tệp này hoặc bỏ nó ra khỏi tệp ZIP rồi tải lại."
    ),
    "bomb": _(
        "Tệp “%(member)s” trong ZIP nén chặt hơn %(limit)d lần (%(compressed)s giải nén thành %(size)s), "
        "dấu hiệu của “bom nén”. Chưa giải nén tệp nào. Hãy bỏ tệp này ra khỏi tệp ZIP rồi tải lại; "
        "ảnh quét thật không nén được nhiều như vậy."
    ),
    "unsafe_path": _(
        "Tệp “%(member)s” trong ZIP có đường dẫn trỏ ra ngoài thư mục của tệp ZIP (đường dẫn tuyệt đối, "
        "ổ đĩa hoặc “..”), nên lô bị từ chối. Hãy nén lại từ chính thư mục chứa ảnh quét rồi tải lại."
    ),
    "symlink": _(
        "Mục “%(member)s” trong ZIP là liên kết tượng trưng (symlink), không phải tệp, nên lô bị từ chối. "
        "Hãy thay liên kết bằng chính tệp đó, nén lại rồi tải lại."
    ),
    "encrypted": _("Tệp “%(member)s” trong ZIP có đặt mật khẩu. Hãy nén lại không đặt mật khẩu rồi tải lại."),
    "compression": _(
        "Tệp “%(member)s” trong ZIP dùng kiểu nén không đọc được. "
        "Hãy nén lại bằng kiểu nén thông thường (Deflate) rồi tải lại."
    ),
    "duplicate_member": _("Tệp ZIP có hai tệp cùng tên “%(member)s”. Hãy đổi tên một tệp, nén lại rồi tải lại."),
    "bad_sheet": _(
        "Không đọc được bảng tính “%(name)s”. Hãy lưu bảng tính thành tệp Excel (.xlsx) hoặc CSV (UTF-8) "
        "theo mẫu nhập lô rồi tải lại."
    ),
    "empty_sheet": _("Bảng tính “%(name)s” không có dòng nào. Hãy điền mỗi tư liệu một dòng theo mẫu nhập lô."),
    "no_files_column": _(
        "Bảng tính “%(name)s” thiếu cột “%(column)s”, cột ghi tên các tệp của mỗi dòng. "
        "Hãy tải mẫu nhập lô và thêm cột này."
    ),
    "no_files_named": _(
        "Không dòng nào của bảng tính ghi tệp ở cột “%(column)s”, nên lô không có tệp nào để nhập. "
        "Hãy ghi tên tệp trong ZIP cho từng dòng (nhiều tệp cách nhau bằng dấu “;”)."
    ),
    "missing_file": _(
        "Dòng %(line)d ghi tệp “%(file)s” nhưng tệp ZIP không có tệp này. Hãy sửa tên tệp ở cột "
        "“%(column)s” cho đúng tên trong ZIP, hoặc thêm tệp vào ZIP rồi tải lại."
    ),
    "ambiguous_file": _(
        "Dòng %(line)d ghi tệp “%(file)s” nhưng tệp ZIP có nhiều tệp cùng tên này (%(candidates)s). "
        "Hãy ghi cả thư mục ở cột “%(column)s”, ví dụ “%(example)s”."
    ),
    "import_row": _("Dòng %(line)d, cột “%(column)s”: %(message)s"),
    "import_line": _("Dòng %(line)d: %(message)s"),
    # In the background, one file at a time.
    "member_failed": _(
        "Tệp “%(member)s” (dòng %(line)d, tư liệu %(number)s): %(message)s Tư liệu đã được nhập; "
        "hãy tải tệp đã sửa lên ở trang của tư liệu."
    ),
    "member_corrupt": _(
        "bị hỏng trong tệp ZIP (giải nén không ra đúng nội dung đã ghi). Hãy nén lại tệp này hoặc tải thẳng nó lên."
    ),
    "archive_gone": _("tệp ZIP của lô không còn đọc được (đã bị xóa hoặc hỏng) nên chưa lưu được tệp này."),
}


def _text(value) -> str:
    """A cell as text: empty for an empty cell, a number typed in Excel as its digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _message(code: str, **params) -> str:
    return str(MESSAGES[code]) % params


@dataclass
class RowFiles:
    """One row of the sheet and the files it names: (name as written, member found or None)."""

    line: int
    title: str
    number: str
    files: list[tuple[str, str | None, int | None]] = field(default_factory=list)


@dataclass
class BatchPreview:
    """What a batch would do: its rows and their files, the files no row names, what is wrong."""

    rows: list[RowFiles] = field(default_factory=list)
    unused: list[tuple[str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    new_items: int = 0
    changed_items: int = 0

    @property
    def file_count(self) -> int:
        return sum(1 for row in self.rows for _name, member, _size in row.files if member)

    @property
    def total_bytes(self) -> int:
        return sum(size or 0 for row in self.rows for _name, member, size in row.files if member)


class BatchRefused(ValidationError):
    """A batch the preview found something wrong with (``preview.problems`` say what)."""

    def __init__(self, preview: BatchPreview) -> None:
        super().__init__(preview.problems)
        self.preview = preview


# The ZIP -----------------------------------------------------------------------------------------


def _fold_name(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _unsafe(raw: str) -> bool:
    """A member name that points outside the ZIP's folder, on Unix or on Windows."""
    if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", raw))


def _clean_member(raw: str) -> str:
    """The member's path with Windows separators, empty and ``.`` parts removed, in NFC."""
    parts = [part for part in re.split(r"[/\\]", unicodedata.normalize("NFC", raw)) if part not in ("", ".")]
    return "/".join(parts)


def _raw_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: a name without the UTF-8 flag is read as code page
    437 by the standard library, but 7-Zip, macOS and many scanners write UTF-8 without the flag, so
    a Vietnamese name that reads back as UTF-8 is taken as such."""
    name = info.orig_filename
    if not info.flag_bits & 0x800:
        try:
            return name.encode("cp437").decode("utf-8")
        except UnicodeError:
            return name
    return name


def read_members(archive, archive_name: str, archive_size: int) -> tuple[dict[str, int], list[str]]:
    """The files a ZIP holds, from its central directory alone: {path: size}, and what is wrong.

    ``archive`` is a path or a seekable file. Nothing is decompressed.
    """
    problems: list[str] = []
    if archive_size > MAX_ARCHIVE_BYTES:
        problems.append(
            _message(
                "archive_too_large",
                name=archive_name,
                size=filesizeformat(archive_size),
                limit=filesizeformat(MAX_ARCHIVE_BYTES),
            )
        )
        return {}, problems
    try:
        with zipfile.ZipFile(archive) as bundle:
            infos = bundle.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return {}, [_message("not_zip", name=archive_name)]
    files = [info for info in infos if not info.is_dir()]
    if len(files) > MAX_MEMBERS:
        return {}, [_message("too_many", name=archive_name, count=len(files), limit=MAX_MEMBERS)]
    members: dict[str, int] = {}
    seen: set[str] = set()
    total = 0
    for info in files:
        raw = _raw_name(info)
        shown = _clean_member(raw) or raw
        if _unsafe(raw) or "\x00" in raw:
            problems.append(_message("unsafe_path", member=raw))
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            problems.append(_message("symlink", member=shown))
            continue
        if info.flag_bits & 0x1:
            problems.append(_message("encrypted", member=shown))
            continue
        if info.compress_type not in SUPPORTED_COMPRESSION:
            problems.append(_message("compression", member=shown))
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            problems.append(
                _message(
                    "member_too_large",
                    member=shown,
                    size=filesizeformat(info.file_size),
                    limit=filesizeformat(MAX_MEMBER_BYTES),
                )
            )
            continue
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(1, info.compress_size):
            problems.append(
                _message(
                    "bomb",
                    member=shown,
                    limit=MAX_RATIO,
                    compressed=filesizeformat(info.compress_size),
                    size=filesizeformat(info.file_size),
                )
            )
            continue
        if _fold_name(shown) in seen:
            problems.append(_message("duplicate_member", member=shown))
            continue
        seen.add(_fold_name(shown))
        members[shown] = info.file_size
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        problems.append(
            _message(
                "total_too_large", name=archive_name, size=filesizeformat(total), limit=filesizeformat(MAX_TOTAL_BYTES)
            )
        )
    return members, problems


def _safe_infos(bundle: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The ZIP's files by their cleaned path, those with an unsafe path left out."""
    return {
        _clean_member(_raw_name(info)): info
        for info in bundle.infolist()
        if not info.is_dir() and not _unsafe(_raw_name(info)) and not stat.S_ISLNK(info.external_attr >> 16)
    }


# The spreadsheet ---------------------------------------------------------------------------------


def read_sheet(uploaded, name: str) -> tablib.Dataset:
    """The spreadsheet's rows (XLSX or CSV with or without a BOM), or ValidationError."""
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        if data[:2] == b"PK":
            dataset = tablib.Dataset().load(data, format="xlsx")
        else:
            dataset = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
    except Exception as error:  # tablib and openpyxl raise many kinds for a file they cannot read
        logger.info("Batch spreadsheet %r could not be read: %s", name, error)
        raise ValidationError(_message("bad_sheet", name=name), code="bad_sheet") from None
    if not dataset.headers or FILES_COLUMN not in dataset.headers:
        raise ValidationError(_message("no_files_column", name=name, column=FILES_COLUMN), code="no_files_column")
    if not len(dataset):
        raise ValidationError(_message("empty_sheet", name=name), code="empty_sheet")
    return dataset


def template_dataset() -> tablib.Dataset:
    """The item import's template with the files column, for staff to fill in."""
    dataset = ItemResource.template_dataset()
    dataset.append_col([FILES_EXAMPLE] * len(dataset), header=FILES_COLUMN)
    return dataset


def _named_files(cell) -> list[str]:
    names = [" ".join(part.split()) for part in FILE_SEPARATORS.split("" if cell is None else str(cell))]
    return [unicodedata.normalize("NFC", name).strip("/\\") for name in names if name]


def _match_files(dataset: tablib.Dataset, members: dict[str, int]) -> BatchPreview:
    """Each row's files looked up in the ZIP: by their path, else by a file name held once."""
    preview = BatchPreview()
    by_path = {_fold_name(member): member for member in members}
    by_name: dict[str, list[str]] = defaultdict(list)
    for member in members:
        by_name[_fold_name(PurePosixPath(member).name)].append(member)
    used: set[str] = set()
    title_column = ItemResource.fields["title"].column_name
    number_column = ItemResource.fields["inventory_number"].column_name
    for index, row in enumerate(dataset.dict, start=2):  # line 1 holds the headers
        entry = RowFiles(line=index, title=_text(row.get(title_column)), number=_text(row.get(number_column)))
        for name in _named_files(row.get(FILES_COLUMN)):
            member = by_path.get(_fold_name(name))
            if member is None:
                candidates = by_name.get(_fold_name(PurePosixPath(name).name), [])
                if len(candidates) > 1:
                    preview.problems.append(
                        _message(
                            "ambiguous_file",
                            line=index,
                            file=name,
                            candidates=", ".join(f"“{c}”" for c in candidates[:5]),
                            column=FILES_COLUMN,
                            example=candidates[0],
                        )
                    )
                    entry.files.append((name, None, None))
                    continue
                member = candidates[0] if candidates else None
            if member is None:
                preview.problems.append(_message("missing_file", line=index, file=name, column=FILES_COLUMN))
                entry.files.append((name, None, None))
                continue
            used.add(member)
            entry.files.append((name, member, members[member]))
        preview.rows.append(entry)
    preview.unused = [(member, size) for member, size in members.items() if member not in used]
    if not any(row.files for row in preview.rows):
        preview.problems.append(_message("no_files_named", column=FILES_COLUMN))
    return preview


class BatchItemResource(ItemResource):
    """The item import, remembering which item each row of the sheet became."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.row_items: dict[int, Item] = {}

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.row_items[kwargs["row_number"] + 1] = instance  # the sheet's line: the headers are line 1


def _import(dataset: tablib.Dataset, *, user, dry_run: bool) -> tuple[BatchItemResource, list[str], object]:
    """Run the item import (all or nothing); its resource, its problems as messages, its result."""
    resource = BatchItemResource()
    sheet = tablib.Dataset(*dataset, headers=dataset.headers)
    del sheet[FILES_COLUMN]
    try:
        result = resource.import_data(
            sheet,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            collect_failed_rows=True,
            rollback_on_validation_errors=True,
            user=user,
        )
    except ValueError as error:  # a missing identifying column (VietnameseResource._check_id_columns)
        return resource, [str(error)], None
    problems: list[str] = [str(error.error) for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [_message("import_line", line=number + 1, message=str(error.error)) for error in errors]
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for text in messages:
                if column == "__all__":
                    problems.append(_message("import_line", line=invalid.number + 1, message=text))
                else:
                    problems.append(_message("import_row", line=invalid.number + 1, column=column, message=text))
    return resource, problems, result


def _count(preview: BatchPreview, result) -> None:
    if result is not None:
        totals = result.totals
        preview.new_items = totals.get("new", 0)
        preview.changed_items = totals.get("update", 0)


def batch_preview(*, dataset: tablib.Dataset, members: dict[str, int], user) -> BatchPreview:
    """The rows and files a batch would import, with everything wrong in it; changes nothing."""
    preview = _match_files(dataset, members)
    _resource, problems, result = _import(dataset, user=user, dry_run=True)
    preview.problems = problems + preview.problems
    _count(preview, result)
    return preview


# The services ------------------------------------------------------------------------------------


def _purge_previews() -> None:
    """Remove the previews nobody confirmed within ``PREVIEW_KEPT``, with their stored files."""
    stale = IngestBatch.objects.filter(status=IngestBatch.Status.PREVIEW, created_at__lt=timezone.now() - PREVIEW_KEPT)
    for batch in stale:
        ingest_batch_discard(batch=batch)


def pack_files(files) -> TemporaryUploadedFile:
    """Files chosen together, packed as they are (stored, not compressed) into one temporary ZIP, so
    that a batch of loose files is checked, stored and unpacked exactly as a ZIP is."""
    packed = TemporaryUploadedFile("tep-chon-cung-luc.zip", "application/zip", 0, None)
    try:
        with zipfile.ZipFile(packed.file, "w", zipfile.ZIP_STORED, allowZip64=True) as bundle:
            for uploaded in files:
                name = PurePosixPath(str(uploaded.name).replace("\\", "/")).name or "tep"
                info = zipfile.ZipInfo(unicodedata.normalize("NFC", name))
                info.compress_type = zipfile.ZIP_STORED
                info.file_size = uploaded.size
                uploaded.seek(0)
                with bundle.open(info, "w", force_zip64=uploaded.size > 2 * GB) as target:
                    for chunk in uploaded.chunks(CHUNK_BYTES):
                        target.write(chunk)
        packed.file.flush()
        packed.size = packed.file.tell()
        packed.seek(0)
    except BaseException:
        packed.close()
        raise
    return packed


def ingest_batch_prepare(*, sheet, archive, user) -> tuple[IngestBatch, BatchPreview]:
    """Check a spreadsheet and a ZIP as a batch and, when nothing is wrong, store both as a preview.

    Raises ``BatchRefused`` (its preview says what is wrong) or ValidationError (a sheet that
    cannot be read); then nothing is stored.
    """
    sheet_name = str(getattr(sheet, "name", "") or "bang-tinh")
    archive_name = str(getattr(archive, "name", "") or "tep.zip")
    dataset = read_sheet(sheet, sheet_name)
    members, problems = read_members(archive, archive_name, int(archive.size))
    archive.seek(0)
    if problems:
        preview = _match_files(dataset, members) if members else BatchPreview()
        preview.problems = problems + (preview.problems if members else [])
        raise BatchRefused(preview)
    preview = batch_preview(dataset=dataset, members=members, user=user)
    if preview.problems:
        raise BatchRefused(preview)
    _purge_previews()
    batch = IngestBatch(
        archive_name=archive_name[:255],
        archive_size=int(archive.size),
        sheet_name=sheet_name[:255],
        members=members,
        created_by=user if getattr(user, "pk", None) else None,
    )
    with transaction.atomic(), StorageWrites() as writes:
        writes.save(batch, "archive", archive_name, archive)
        writes.save(batch, "sheet", sheet_name, sheet)
        batch.full_clean()
        batch.save()
    return batch, preview


def ingest_batch_discard(*, batch: IngestBatch) -> None:
    """Remove a batch that was never confirmed, with its stored ZIP and spreadsheet."""
    if batch.status != IngestBatch.Status.PREVIEW:
        raise ValueError("only a preview is discarded")
    names = [f.name for f in (batch.archive, batch.sheet) if f]
    storage = batch.archive.storage
    batch.delete()
    for name in names:
        storage.delete(name)


ingest_batch_discard.alters_data = True


def ingest_batch_confirm(*, batch: IngestBatch, user) -> IngestBatch:
    """Import the batch's items (all or nothing) and queue the unpacking of its files.

    Raises ``BatchRefused`` when the import fails now (a number taken since the preview, say):
    then nothing is changed and the batch stays a preview.
    """
    from archive.tasks import unpack_ingest_batch

    with batch.sheet.open("rb") as handle:
        dataset = read_sheet(handle, batch.sheet_name)
    members = {name: int(size) for name, size in batch.members.items()}
    preview = _match_files(dataset, members)
    if preview.problems:
        raise BatchRefused(preview)
    with transaction.atomic():
        locked = IngestBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != IngestBatch.Status.PREVIEW:
            return locked  # confirmed already (a second click): nothing is imported twice
        resource, problems, result = _import(dataset, user=user, dry_run=False)
        if problems or result is None or result.has_errors() or result.has_validation_errors():
            preview.problems = problems
            raise BatchRefused(preview)
        _count(preview, result)
        missing_rows = {row.line: row.number for row in preview.rows if row.line not in resource.row_items}
        skipped = {
            item.inventory_number: item
            for item in Item.objects.filter(inventory_number__in=[n for n in missing_rows.values() if n])
        }
        files = []
        for row in preview.rows:
            item = resource.row_items.get(row.line) or skipped.get(row.number)
            if item is None or item.pk is None:
                raise RuntimeError(f"row {row.line} of batch {batch.pk} has no item after its import")
            for _name, member, _size in row.files:
                files.append(IngestFile(batch=locked, item=item, row=row.line, member=member, position=len(files)))
        IngestFile.objects.bulk_create(files)
        locked.status = IngestBatch.Status.WAITING
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        unpack_ingest_batch.enqueue(locked.pk)
    locked.refresh_from_db()
    return locked


ingest_batch_confirm.alters_data = True


# The job -----------------------------------------------------------------------------------------


def _fail_file(ingest_file: IngestFile, reason: str) -> None:
    IngestFile.objects.filter(pk=ingest_file.pk).update(status=IngestFile.Status.FAILED, failure_reason=reason)


def _inspection_message(error: ValidationError, label: str) -> str:
    """The inspection's messages with the file's name where they name the form's field."""
    texts = []
    # A refusal keyed by field (the classified-item rule names "file") or a plain list of messages.
    parts = (
        [p for found in error.error_dict.values() for p in found] if hasattr(error, "error_dict") else error.error_list
    )
    for part in parts:
        params = dict(part.params or {})
        if "field" in params:
            texts.append(str(part.message) % {**params, "field": label})
        else:
            texts.extend(part.messages)
    return " ".join(texts)


def _unpack_member(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[TemporaryUploadedFile, str]:
    """The member streamed to a temporary file (never more than it declares); its SHA-256."""
    upload = TemporaryUploadedFile(PurePosixPath(_clean_member(_raw_name(info))).name, "", info.file_size, None)
    digest = hashlib.sha256()
    written = 0
    try:
        with bundle.open(info) as source:
            while chunk := source.read(CHUNK_BYTES):
                written += len(chunk)
                if written > info.file_size:
                    raise zipfile.BadZipFile("member longer than declared")
                digest.update(chunk)
                upload.write(chunk)
        if written != info.file_size:
            raise zipfile.BadZipFile("member shorter than declared")
        upload.flush()
        upload.seek(0)
    except BaseException:
        upload.close()
        raise
    return upload, digest.hexdigest()


def _store_member(
    bundle: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], ingest_file: IngestFile, *, resumed: bool
) -> None:
    item = ingest_file.item
    label = gettext("Tệp")

    def failed(message: str) -> None:
        _fail_file(
            ingest_file,
            _message(
                "member_failed",
                member=ingest_file.member,
                line=ingest_file.row,
                number=item.inventory_number,
                message=message,
            ),
        )

    info = infos.get(ingest_file.member)
    if info is None:
        failed(str(MESSAGES["member_corrupt"]))
        return
    try:
        upload, sha256 = _unpack_member(bundle, info)
    # zipfile raises NotImplementedError for a compression method it cannot unpack, RuntimeError
    # for an encrypted member: each is a member the batch cannot use, told to staff as such.
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
        logger.info("Batch %s: member %r could not be unpacked: %s", ingest_file.batch_id, ingest_file.member, error)
        failed(str(MESSAGES["member_corrupt"]))
        return
    try:
        if resumed:  # a stopped run may have stored it without recording so
            earlier = MediaFile.objects.filter(item=item, sha256=sha256, original_name=upload.name).first()
            if earlier is not None and not IngestFile.objects.filter(media_file=earlier).exists():
                IngestFile.objects.filter(pk=ingest_file.pk).update(media_file=earlier, status=IngestFile.Status.STORED)
                return
        try:
            media_file = media_file_store(item=item, uploaded=upload)
        except ValidationError as error:
            failed(_inspection_message(error, label))
            return
        IngestFile.objects.filter(pk=ingest_file.pk).update(media_file=media_file, status=IngestFile.Status.STORED)
    finally:
        upload.close()


def ingest_batch_unpack(*, batch_id: int) -> str:
    """Unpack a confirmed batch's ZIP into media files, one member at a time; the state it ends in."""
    with translation.override("vi"), transaction.atomic():
        batch = IngestBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status in (IngestBatch.Status.PREVIEW, IngestBatch.Status.DONE):
            return "gone" if batch is None else batch.status
        resumed = batch.status != IngestBatch.Status.WAITING
        IngestBatch.objects.filter(pk=batch.pk).update(status=IngestBatch.Status.WORKING)
    with translation.override("vi"):
        try:
            pending = batch.files.filter(status__in=[IngestFile.Status.WAITING, IngestFile.Status.WORKING])
            if not pending.exists():
                return _batch_done(batch)
            with stored_local_path(batch.archive, ".zip") as path, zipfile.ZipFile(path) as bundle:
                infos = _safe_infos(bundle)
                # A resumed run takes again the file a stopped one was working on.
                claimable = [IngestFile.Status.WAITING, *([IngestFile.Status.WORKING] if resumed else [])]
                for ingest_file in pending.select_related("item").order_by("position", "pk"):
                    claimed = (
                        IngestFile.objects.filter(pk=ingest_file.pk, media_file__isnull=True)
                        .filter(status__in=claimable)
                        .update(status=IngestFile.Status.WORKING)
                    )
                    if claimed:
                        _store_member(bundle, infos, ingest_file, resumed=resumed)
        except (OSError, zipfile.BadZipFile, ValueError) as error:
            logger.error("Batch %s: the stored ZIP could not be read: %s", batch.pk, error)
            reason = str(MESSAGES["archive_gone"])
            for ingest_file in batch.files.filter(
                status__in=[IngestFile.Status.WAITING, IngestFile.Status.WORKING]
            ).select_related("item"):
                _fail_file(
                    ingest_file,
                    _message(
                        "member_failed",
                        member=ingest_file.member,
                        line=ingest_file.row,
                        number=ingest_file.item.inventory_number,
                        message=reason,
                    ),
                )
            IngestBatch.objects.filter(pk=batch.pk).update(status=IngestBatch.Status.FAILED, failure_reason=reason)
            return IngestBatch.Status.FAILED
        return _batch_done(batch)


def _batch_done(batch: IngestBatch) -> str:
    """Every file is stored or failed: the ZIP is no longer needed (the media files hold the originals)."""
    name = batch.archive.name
    storage = batch.archive.storage
    with transaction.atomic():
        IngestBatch.objects.filter(pk=batch.pk).update(status=IngestBatch.Status.DONE, archive="")
        if name:
            transaction.on_commit(lambda: storage.delete(name))
    return IngestBatch.Status.DONE


def batch_summary(files: list[IngestFile]) -> dict[str, int]:
    """How many files of a batch are in each state (waiting, working, ready, failed)."""
    counts = dict.fromkeys(MediaFile.Status.values, 0)
    for ingest_file in files:
        counts[ingest_file.state] += 1
    return counts


def batch_summary_text(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return ngettext(
        "%(ready)d trên %(total)d tệp đã xử lý xong, %(failed)d tệp lỗi.",
        "%(ready)d trên %(total)d tệp đã xử lý xong, %(failed)d tệp lỗi.",
        total,
    ) % {"ready": counts[MediaFile.Status.READY], "total": total, "failed": counts[MediaFile.Status.FAILED]}
