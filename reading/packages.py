"""The usage package of an approved copy request: a ZIP of the item's files, a manifest and the citation."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from archive.models import Item, MediaFile
from reading.models import ReadingRequest

logger = logging.getLogger(__name__)
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def citation(item: Item, *, on=None) -> str:
    """How to cite the item: title, number and date, inventory number, the keeper, the address, the day."""
    on = on or timezone.localdate()
    parts = [item.title]
    if item.number_symbol:
        parts.append(item.number_symbol)
    if item.date_display:
        parts.append(item.date_display)
    parts.append(_("số đăng ký %(number)s") % {"number": item.inventory_number})
    parts.append(_("Phòng Truyền thống Đảng bộ Khối các cơ quan Trung ương"))
    address = settings.SITE_URL.rstrip("/") + item.get_absolute_url()
    accessed = _("truy cập ngày %(date)s") % {"date": formats.date_format(on, "SHORT_DATE_FORMAT")}
    return ", ".join(parts) + f". {address} ({accessed})."


def member_name(index: int, media: MediaFile) -> str:
    stem = SAFE_NAME.sub("-", media.original_name or media.file.name.rsplit("/", 1)[-1]).strip("-") or "tep"
    return f"files/{index:03d}-{stem[-80:]}"


def manifest(request: ReadingRequest, files: list[tuple[str, MediaFile, str]]) -> dict:
    item = request.item
    return {
        "request": request.pk,
        "requester": request.requester.reader_profile.full_name
        if hasattr(request.requester, "reader_profile")
        else request.requester.get_username(),
        "approved_until": request.until.isoformat() if request.until else None,
        "item": {
            "inventory_number": item.inventory_number,
            "title": item.title,
            "number_symbol": item.number_symbol,
            "date": item.date_display,
            "kind": item.kind,
        },
        "files": [
            {"name": name, "original_name": media.original_name, "mime_type": media.mime_type, "sha256": digest}
            for name, media, digest in files
        ],
        "citation": citation(item),
        "made_at": timezone.now().isoformat(),
    }


def package_build(*, request_id: int) -> str:
    """Build (or build again) the package of an approved copy request; its package state."""
    request = ReadingRequest.objects.select_related("item", "requester").filter(pk=request_id).first()
    if request is None or request.kind != ReadingRequest.Kind.COPY or request.status != ReadingRequest.Status.APPROVED:
        return "skipped"
    ReadingRequest.objects.filter(pk=request.pk).update(package_status=ReadingRequest.Package.WORKING)
    try:
        with translation.override(request.language or settings.LANGUAGE_CODE), tempfile.TemporaryFile() as archive:
            with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
                written = []
                for index, media in enumerate(MediaFile.objects.filter(item=request.item).order_by(*_order()), 1):
                    name = member_name(index, media)
                    digest = hashlib.sha256()
                    with media.file.open("rb") as source, bundle.open(name, "w", force_zip64=True) as target:
                        for chunk in iter(lambda: source.read(1 << 20), b""):
                            digest.update(chunk)
                            target.write(chunk)
                    written.append((name, media, digest.hexdigest()))
                bundle.writestr("manifest.json", json.dumps(manifest(request, written), ensure_ascii=False, indent=2))
                bundle.writestr("CITATION.txt", citation(request.item) + "\n")
            archive.seek(0)
            with transaction.atomic():
                locked = ReadingRequest.objects.select_for_update().get(pk=request.pk)
                old = locked.package.name
                locked.package.save(f"{request.item.inventory_number}.zip", File(archive), save=False)
                locked.package_status, locked.package_error = ReadingRequest.Package.READY, ""
                locked.save(update_fields=["package", "package_status", "package_error"])
                if old:
                    transaction.on_commit(lambda: locked.package.storage.delete(old))
    except OSError as error:
        logger.warning("Copy package of request %s failed: %s", request.pk, error)
        ReadingRequest.objects.filter(pk=request.pk).update(
            package_status=ReadingRequest.Package.FAILED, package_error=str(error)[:500]
        )
        return ReadingRequest.Package.FAILED
    return ReadingRequest.Package.READY


def _order():
    return ("-is_primary", "position", "pk")
