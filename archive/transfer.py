"""Transfer packages: BagIt bags (the ``bagit`` library, RFC 8493) of items for another archive.

A bag holds, per item, under ``data/<inventory number>/``:

    record.json        the item's full record (every field, its links named in words, its files
                       with their SHA-256 and sizes), as the backup serialises it
    dublin_core.xml    the item in simple Dublin Core (``oai_dc``), for any archive's catalogue
    files/NN-<name>    each digitised original, under its original name

and ``manifest-sha256.txt`` with the checksum of every file of ``data/``. Each original is
compared with the SHA-256 taken at upload while it is copied: a changed file fails the package
with its name instead of handing on a damaged copy. The bag is validated by ``bagit`` before it is
zipped and stored; every original packed gets an "exported" preservation event.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import bagit
from django.core import serializers
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from archive.institution import current as current_institution
from archive.models import Item, MediaFile, PreservationEvent, TransferPackage

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
AGENT = "archive.transfer"


class PackageFailed(Exception):
    """The package cannot be built for a reason staff can act on; the message says it in Vietnamese."""


def transfer_package_request(*, scope: str, label: str, items, user) -> TransferPackage:
    """Record a package of ``items`` and queue its building, in one transaction."""
    with transaction.atomic():
        package = TransferPackage.objects.create(scope=scope, label=label[:500], requested_by=user)
        package.items.set(items)
        transaction.on_commit(lambda: build_transfer_package.enqueue(package.pk))
    return package


@task()
def build_transfer_package(package_id: int) -> str:
    """Build one package's bag and store it as a zip; the state it ends in."""
    return transfer_package_build(package_id=package_id)


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]+", "_", name, flags=re.UNICODE).strip(" .") or "tep"
    return cleaned[:150]


def item_record(item: Item) -> dict:
    """The item's full record: every field (Django's JSON serialisation, links by natural key or
    key), its links named in words, and its media files."""
    row = json.loads(serializers.serialize("json", [item], use_natural_foreign_keys=True))[0]
    return {
        "model": row["model"],
        "pk": row["pk"],
        "fields": row["fields"],
        "links": {
            "period": str(item.period) if item.period_id else None,
            "issuing_body": str(item.issuing_body) if item.issuing_body_id else None,
            "signer": str(item.signer) if item.signer_id else None,
            "dossier": str(item.dossier) if item.dossier_id else None,
            "bodies": [str(body) for body in item.bodies.all()],
            "people": [str(person) for person in item.people.all()],
            "keywords": [keyword.name for keyword in item.keywords.all()],
        },
        "media": [
            {
                "original_name": media_file.original_name,
                "kind": media_file.kind,
                "mime_type": media_file.mime_type,
                "size": media_file.size,
                "sha256": media_file.sha256,
                "caption": media_file.caption,
                "is_primary": media_file.is_primary,
            }
            for media_file in item.media.order_by("position", "pk")
        ],
    }


def dublin_core(item: Item) -> bytes:
    """The item in simple Dublin Core, as OAI-PMH's ``oai_dc`` writes it."""
    ElementTree.register_namespace("oai_dc", OAI_DC)
    ElementTree.register_namespace("dc", DC)
    ElementTree.register_namespace("xsi", XSI)
    root = ElementTree.Element(
        f"{{{OAI_DC}}}dc",
        {f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"},
    )

    def add(element: str, value) -> None:
        if value:
            ElementTree.SubElement(root, f"{{{DC}}}{element}").text = str(value)

    with translation.override("vi"):
        add("title", item.title)
        add("identifier", item.inventory_number)
        add("identifier", item.number_symbol)
        add("creator", item.issuing_body)
        add("contributor", item.signer)
        for keyword in item.keywords.all():
            add("subject", keyword.name)
        for body in item.bodies.all():
            add("subject", body)
        for person in item.people.all():
            add("subject", person)
        add("description", item.summary)
        add("description", item.description)
        date = item.partial_date
        add("date", date.earliest().isoformat() if date else None)
        add("type", item.get_kind_display())
        add("type", item.get_document_type_display() if item.document_type else None)
        for mime_type in sorted({media_file.mime_type for media_file in item.media.all() if media_file.mime_type}):
            add("format", mime_type)
        add("language", item.language)
        add("coverage", item.period)
        add("coverage", item.place_of_issue)
        add("source", item.acquisition_source)
        add("relation", item.dossier)
        add("rights", item.get_access_level_display())
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _copy_checked(media_file: MediaFile, target: Path) -> None:
    digest = hashlib.sha256()
    with media_file.file.storage.open(media_file.file.name, "rb") as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != media_file.sha256:
        raise PackageFailed(
            _(
                "Tệp “%(name)s” của tư liệu %(item)s khác với mã SHA-256 ghi khi tải lên (tệp đã bị hỏng "
                "hoặc bị thay đổi). Khôi phục tệp từ bản sao lưu rồi yêu cầu đóng gói lại."
            )
            % {"name": media_file.original_name, "item": media_file.item.inventory_number}
        )


def transfer_package_build(*, package_id: int) -> str:
    """Build, validate, zip and store a package's bag; safe to run again."""
    package = TransferPackage.objects.filter(pk=package_id).first()
    if package is None:
        return "gone"
    TransferPackage.objects.filter(pk=package.pk).update(status=TransferPackage.Status.WORKING, failure_reason="")
    items = list(
        package.items.select_related("period", "issuing_body", "signer", "dossier")
        .prefetch_related("bodies", "people", "keywords", "media")
        .order_by("inventory_number")
    )
    exported: list[MediaFile] = []
    try:
        with translation.override("vi"), tempfile.TemporaryDirectory(prefix="transfer-") as work:
            root = Path(work) / "bag"
            root.mkdir()
            for item in items:
                folder = root / _safe_name(item.inventory_number or f"item-{item.pk}")
                (folder / "files").mkdir(parents=True)
                (folder / "record.json").write_text(
                    json.dumps(item_record(item), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
                )
                (folder / "dublin_core.xml").write_bytes(dublin_core(item))
                for number, media_file in enumerate(item.media.order_by("position", "pk"), start=1):
                    if not media_file.file.storage.exists(media_file.file.name):
                        raise PackageFailed(
                            _("Thiếu tệp “%(name)s” của tư liệu %(item)s trong kho lưu trữ.")
                            % {"name": media_file.original_name, "item": item.inventory_number}
                        )
                    name = f"{number:02d}-{_safe_name(media_file.original_name or Path(media_file.file.name).name)}"
                    _copy_checked(media_file, folder / "files" / name)
                    exported.append(media_file)
            bag = bagit.make_bag(
                str(root),
                bag_info={
                    "Source-Organization": current_institution().name,
                    "External-Description": package.label,
                    "External-Identifier": f"transfer-{package.pk}",
                    "Bagging-Date": timezone.localdate().isoformat(),
                    "Bag-Count": "1 of 1",
                },
                checksums=["sha256"],
            )
            bag.validate()
            archive_path = Path(work) / "package.zip"
            with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        archive.write(path, f"transfer-{package.pk}/{path.relative_to(root).as_posix()}")
            digest = hashlib.sha256()
            with archive_path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                handle.seek(0)
                old = package.file.name
                package.file.save(f"transfer-{package.pk}.zip", File(handle), save=False)
            if old:
                package.file.storage.delete(old)
    except Exception as error:
        if not isinstance(error, PackageFailed | bagit.BagError | OSError):
            logger.exception("Transfer package %s could not be built.", package.pk)
        reason = (
            str(error)
            if isinstance(error, PackageFailed)
            else _("Lỗi khi đóng gói: %(error)s. Bấm xuất gói lại; nếu vẫn lỗi, báo quản trị hệ thống.")
            % {"error": error}
        )
        logger.warning("Transfer package %s failed: %s", package.pk, error)
        TransferPackage.objects.filter(pk=package.pk).update(
            status=TransferPackage.Status.FAILED, failure_reason=reason
        )
        return TransferPackage.Status.FAILED
    with transaction.atomic():
        TransferPackage.objects.filter(pk=package.pk).update(
            file=package.file.name,
            size=package.file.storage.size(package.file.name),
            sha256=digest.hexdigest(),
            file_count=len(exported),
            status=TransferPackage.Status.READY,
            failure_reason="",
            finished_at=timezone.now(),
        )
        PreservationEvent.objects.bulk_create(
            PreservationEvent(
                media_file=media_file,
                kind=PreservationEvent.Kind.EXPORTED,
                file_name=media_file.file.name,
                sha256=media_file.sha256,
                detail=_("Đóng vào gói chuyển giao “%(label)s” (#%(pk)d).")
                % {"label": package.label, "pk": package.pk},
                agent=package.requested_by.get_username() if package.requested_by else AGENT,
            )
            for media_file in exported
        )
    return TransferPackage.Status.READY
