"""Classifying an item that holds files: export them for the offline system, then remove them here.

One confirmed step in the admin (``offline_transfer_request``) records who asked; the background
job (``offline_transfer_run``) packs the originals into a ZIP with the item's record and a SHA-256
manifest, checking each file against the checksum taken at upload, and only then, in one
transaction with the item's row locked, deletes the media rows and gives the item its
confidentiality (``archive.secrecy``). The stored files go once the transaction commits. A package
that fails a check leaves the item and its files as they were.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.media import DERIVATIVE_SIZES
from archive.models import Item, MediaFile, OfflineTransfer
from archive.models.offline import package_upload_to
from archive.processing import delete_tiles

CHUNK = 1024 * 1024


def offline_transfer_request(
    *, item: Item, user, confidentiality: str, secret_custody: str, secret_access: str = ""
) -> OfflineTransfer:
    """Record the confirmed request and queue the export, in one transaction."""
    from archive.tasks import run_offline_transfer

    if confidentiality not in Item.Confidentiality.values or not confidentiality:
        raise ValidationError({"confidentiality": _("Độ mật: chọn Mật, Tối mật hoặc Tuyệt mật.")})
    if not secret_custody.strip():
        raise ValidationError(
            {"secret_custody": _("Nơi lưu giữ bản gốc: ghi nơi giữ bản gốc và bản số hóa trên hệ thống ngoại tuyến.")}
        )
    with transaction.atomic():
        transfer = OfflineTransfer(
            item=item,
            confidentiality=confidentiality,
            secret_custody=secret_custody.strip(),
            secret_access=secret_access.strip(),
            requested_by=user,
        )
        transfer.full_clean()
        transfer.save()
        run_offline_transfer.enqueue(transfer.pk)
    return transfer


def _member_name(position: int, media_file: MediaFile) -> str:
    name = PurePath(media_file.original_name or media_file.file.name).name
    return f"files/{position:03d}-{name}"


def _record(item: Item, transfer: OfflineTransfer, members: list[tuple[str, MediaFile]]) -> dict:
    return {
        "inventory_number": item.inventory_number,
        "title": item.title,
        "summary": item.summary,
        "description": item.description,
        "number_symbol": item.number_symbol,
        "date": item.date_display,
        "confidentiality": transfer.confidentiality,
        "secret_custody": transfer.secret_custody,
        "secret_access": transfer.secret_access,
        "exported_by": transfer.requested_by.get_username(),
        "exported_at": timezone.now().isoformat(),
        "files": [
            {
                "name": name,
                "original_name": media_file.original_name,
                "mime_type": media_file.mime_type,
                "size": media_file.size,
                "sha256": media_file.sha256,
                "caption": media_file.caption,
            }
            for name, media_file in members
        ],
    }


def _pack(item: Item, transfer: OfflineTransfer, media: list[MediaFile], target) -> None:
    """Write the ZIP to ``target``; a file whose content no longer matches its SHA-256 stops it."""
    members = [(_member_name(position, m), m) for position, m in enumerate(media, start=1)]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as package:
        for name, media_file in members:
            digest = hashlib.sha256()
            with media_file.file.open("rb") as source, package.open(name, "w", force_zip64=True) as member:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    member.write(chunk)
            if media_file.sha256 and digest.hexdigest() != media_file.sha256:
                raise ValueError(
                    _("Tệp “%(name)s” đã khác với mã kiểm tra SHA-256 lúc tải lên; không xuất, không gỡ tệp nào.")
                    % {"name": media_file.original_name}
                )
        manifest = "".join(f"{m.sha256}  {name}\n" for name, m in members)
        package.writestr("manifest-sha256.txt", manifest)
        record = json.dumps(_record(item, transfer, members), ensure_ascii=False, indent=2)
        package.writestr("record.json", record)


def _stored_names(media_file: MediaFile) -> list[str]:
    fields = ["file", *DERIVATIVE_SIZES]
    return [getattr(media_file, field).name for field in fields if getattr(media_file, field).name]


def _fail(transfer: OfflineTransfer, reason: str) -> str:
    OfflineTransfer.objects.filter(pk=transfer.pk).update(status=OfflineTransfer.Status.FAILED, failure_reason=reason)
    return OfflineTransfer.Status.FAILED


def offline_transfer_run(*, transfer_id: int) -> str:
    """Export and remove the files of a waiting transfer, then classify its item; its new state.

    A transfer no longer waiting (run twice) is left alone.
    """
    transfer = OfflineTransfer.objects.select_related("item", "requested_by").filter(pk=transfer_id).first()
    if transfer is None or transfer.status != OfflineTransfer.Status.WAITING:
        return transfer.status if transfer else ""
    item = transfer.item
    media = list(item.media.order_by("-is_primary", "position", "pk"))
    storage = OfflineTransfer._meta.get_field("package").storage
    with tempfile.TemporaryFile() as target:
        try:
            _pack(item, transfer, media, target)
        except (ValueError, OSError) as error:
            return _fail(transfer, str(error))
        target.seek(0)
        digest = hashlib.sha256()
        while chunk := target.read(CHUNK):
            digest.update(chunk)
        size = target.tell()
        target.seek(0)
        package_name = storage.save(package_upload_to(transfer, "package.zip"), File(target))
    try:
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=item.pk)
            if set(item.media.values_list("pk", flat=True)) != {m.pk for m in media}:
                raise ValueError(_("Các tệp của tư liệu đã thay đổi trong lúc xuất; hãy thực hiện lại."))
            removed = [name for m in media for name in _stored_names(m)]
            tiles = [m.tiles for m in media if m.tiles]
            for media_file in media:
                media_file._history_user = transfer.requested_by
                media_file._change_reason = _("Xuất sang hệ thống ngoại tuyến")
                media_file.delete()
            item.confidentiality = transfer.confidentiality
            item.secret_custody = transfer.secret_custody
            item.secret_access = transfer.secret_access
            if item.access_level == Item.AccessLevel.PUBLIC:
                item.access_level = Item.AccessLevel.RESTRICTED
            item.full_clean(exclude=["inventory_number"])
            item._history_user = transfer.requested_by
            item._change_reason = _("Chuyển sang mật, tệp đã xuất sang hệ thống ngoại tuyến")
            item.save()
            OfflineTransfer.objects.filter(pk=transfer.pk).update(
                status=OfflineTransfer.Status.READY,
                package=package_name,
                package_sha256=digest.hexdigest(),
                package_size=size,
                file_count=len(media),
                finished_at=timezone.now(),
                failure_reason="",
            )

            def remove_stored() -> None:
                file_storage = MediaFile._meta.get_field("file").storage
                for name in removed:
                    file_storage.delete(name)
                for prefix in tiles:
                    delete_tiles(file_storage, prefix)

            transaction.on_commit(remove_stored)
    except (ValueError, ValidationError) as error:
        storage.delete(package_name)
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return _fail(transfer, reason)
    return OfflineTransfer.Status.READY


def offline_transfer_collect(*, transfer: OfflineTransfer, user) -> None:
    """Staff confirm the package has reached the offline system: it is deleted here, the record stays."""
    with transaction.atomic():
        locked = OfflineTransfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.status != OfflineTransfer.Status.READY:
            raise ValidationError(
                _("Chỉ xác nhận được gói đã xuất xong (đang ở trạng thái “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        name = locked.package.name
        locked.status = OfflineTransfer.Status.COLLECTED
        locked.package = ""
        locked.collected_at = timezone.now()
        locked.collected_by = user
        locked._history_user = user
        locked.save()
        if name:
            transaction.on_commit(lambda: locked.package.storage.delete(name))
    transfer.refresh_from_db()
