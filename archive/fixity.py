"""Fixity: every stored original and derivative re-read and compared with the SHA-256 taken when it
was written, and each media file's preservation events (``archive.models.preservation``).

An audit walks the media files in the order of their keys, a batch at a time; each batch's events
and the run's cursor are committed together, so a pass stopped anywhere (a signal, a crash, a
``limit``) resumes after the last whole batch and never checks a file twice in one pass, nor
skips one. A missing or changed file is an event with that outcome, listed in the admin and sent
to staff by email when the pass ends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import MediaFile
from archive.models.preservation import FixityRun, PreservationEvent, StoredChecksum

AUDIT_AGENT = "audit_fixity"
PROCESSING_AGENT = "archive.processing"
CHUNK = 1024 * 1024
DERIVATIVE_FIELDS = ("thumbnail", "medium", "large")


def file_sha256(storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def media_file_received(*, media_file: MediaFile) -> None:
    """Record that the current original was received, once per stored original, with the user who
    saved the row when its history knows one."""
    name = media_file.file.name
    if not name or media_file.preservation_events.filter(kind=PreservationEvent.Kind.RECEIVED, file_name=name).exists():
        return
    latest = media_file.history.order_by("-history_date").first()
    user = getattr(latest, "history_user", None)
    PreservationEvent.objects.create(
        media_file=media_file,
        kind=PreservationEvent.Kind.RECEIVED,
        file_name=name,
        sha256=media_file.sha256,
        detail=media_file.original_name,
        agent=user.get_username() if user else _("hệ thống"),
    )


def derivatives_recorded(*, media_file: MediaFile, checksums: dict[str, tuple[str, int]], kept: Iterable[str]) -> None:
    """Keep the checksums of the derivatives a processing run wrote and kept (``kept``: the names on
    the row, and tiles by their prefix), drop those of the files they replace; one event. Called in
    the transaction that puts the names on the row."""
    kept = [name for name in kept if name]
    is_kept = Q(name__in=kept)
    for prefix in kept:
        is_kept |= Q(name__startswith=f"{prefix}/")
    media_file.checksums.exclude(is_kept).delete()
    rows = [
        StoredChecksum(media_file=media_file, name=name, sha256=sha, size=size)
        for name, (sha, size) in checksums.items()
        if name in kept or any(name.startswith(f"{prefix}/") for prefix in kept)
    ]
    StoredChecksum.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        PreservationEvent.objects.create(
            media_file=media_file,
            kind=PreservationEvent.Kind.DERIVATIVE,
            detail=_("%(count)d tệp phái sinh (ảnh thu nhỏ, ảnh cỡ vừa, cỡ lớn, ảnh phóng to).") % {"count": len(rows)},
            agent=PROCESSING_AGENT,
        )


def _stored_names_under(storage, prefix: str) -> list[str]:
    names, pending = [], [prefix]
    while pending:
        directory = pending.pop()
        try:
            directories, files = storage.listdir(directory)
        except FileNotFoundError:
            continue
        names.extend(f"{directory}/{name}" for name in files)
        pending.extend(f"{directory}/{name}" for name in directories)
    return sorted(names)


@dataclass
class FileCheck:
    name: str
    outcome: str
    expected: str = ""
    found: str = ""


def media_file_check(media_file: MediaFile) -> list[FileCheck]:
    """Re-read the original and every derivative of one media file and compare their SHA-256.

    A derivative made before its checksum was kept has none to compare with: its checksum is
    recorded now, and compared from the next pass on."""
    storage = media_file.file.storage
    expected = {media_file.file.name: media_file.sha256}
    recorded = {row.name: row.sha256 for row in media_file.checksums.all()}
    derived = {getattr(media_file, name).name for name in DERIVATIVE_FIELDS if getattr(media_file, name)}
    if media_file.tiles:
        under_prefix = [name for name in recorded if name.startswith(f"{media_file.tiles}/")]
        derived.update(under_prefix or _stored_names_under(storage, media_file.tiles))
    baseline = []
    for name in sorted(derived):
        if name in recorded:
            expected[name] = recorded[name]
        else:
            baseline.append(name)
    checks = []
    for name, sha in expected.items():
        if not storage.exists(name):
            checks.append(FileCheck(name, PreservationEvent.Outcome.MISSING, expected=sha))
            continue
        found, _size = file_sha256(storage, name)
        outcome = PreservationEvent.Outcome.SUCCESS if found == sha else PreservationEvent.Outcome.CHANGED
        checks.append(FileCheck(name, outcome, expected=sha, found=found))
    for name in baseline:
        if storage.exists(name):
            sha, size = file_sha256(storage, name)
            StoredChecksum.objects.get_or_create(
                name=name, defaults={"media_file": media_file, "sha256": sha, "size": size}
            )
            checks.append(FileCheck(name, PreservationEvent.Outcome.SUCCESS, expected=sha, found=sha))
        else:
            checks.append(FileCheck(name, PreservationEvent.Outcome.MISSING))
    return checks


def _problem_detail(check: FileCheck) -> str:
    if check.outcome == PreservationEvent.Outcome.MISSING:
        return _("Không tìm thấy tệp %(name)s trong kho lưu trữ.") % {"name": check.name}
    return _("Tệp %(name)s có SHA-256 %(found)s, khác với %(expected)s đã ghi khi lưu.") % {
        "name": check.name,
        "found": check.found,
        "expected": check.expected,
    }


def fixity_audit(
    *,
    batch_size: int = 50,
    limit: int | None = None,
    restart: bool = False,
    on_file: Callable[[FixityRun, int, int], None] | None = None,
) -> FixityRun:
    """Check every media file's stored files, resuming the newest unfinished pass unless ``restart``.

    ``limit`` stops after that many media files, leaving the pass to resume; ``on_file(run, done,
    total)`` is told after each media file (the command's progress bar)."""
    run = None if restart else FixityRun.objects.filter(finished_at__isnull=True).order_by("-started_at").first()
    if restart:
        FixityRun.objects.filter(finished_at__isnull=True).update(finished_at=timezone.now())
    if run is None:
        run = FixityRun.objects.create()
    total = MediaFile.objects.count()
    done_before = MediaFile.objects.filter(pk__lte=run.cursor).count()
    checked_now = 0
    while True:
        if limit is not None and checked_now >= limit:
            return run  # stopped before the end: the next call resumes after the cursor
        size = batch_size if limit is None else min(batch_size, limit - checked_now)
        batch = list(MediaFile.objects.filter(pk__gt=run.cursor).order_by("pk").prefetch_related("checksums")[:size])
        if not batch:
            break
        events, files, problems = [], 0, 0
        with transaction.atomic():
            for media_file in batch:
                checks = media_file_check(media_file)
                files += len(checks)
                failed = [check for check in checks if check.outcome != PreservationEvent.Outcome.SUCCESS]
                problems += len(failed)
                events.extend(
                    PreservationEvent(
                        media_file=media_file,
                        kind=PreservationEvent.Kind.CHECKED,
                        outcome=check.outcome,
                        file_name=check.name,
                        sha256=check.expected,
                        detail=_problem_detail(check),
                        agent=AUDIT_AGENT,
                        run=run,
                    )
                    for check in failed
                )
                if not failed:
                    events.append(
                        PreservationEvent(
                            media_file=media_file,
                            kind=PreservationEvent.Kind.CHECKED,
                            detail=_("%(count)d tệp đọc lại, SHA-256 khớp.") % {"count": len(checks)},
                            agent=AUDIT_AGENT,
                            run=run,
                        )
                    )
                checked_now += 1
                if on_file is not None:
                    on_file(run, done_before + checked_now, total)
            PreservationEvent.objects.bulk_create(events)
            run.cursor = batch[-1].pk
            run.media_checked += len(batch)
            run.files_checked += files
            run.problems += problems
            run.save(update_fields=["cursor", "media_checked", "files_checked", "problems"])
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    if run.problems:
        _notify_staff(run)
    return run


def _notify_staff(run: FixityRun) -> None:
    recipients = list(getattr(settings, "STAFF_NOTIFICATION_EMAILS", []) or [])
    if not recipients:
        return
    site_url = getattr(settings, "SITE_URL", "").rstrip("/")
    problems = run.events.exclude(outcome=PreservationEvent.Outcome.SUCCESS).select_related("media_file__item")
    lines = [
        _("– %(item)s, tệp “%(original)s”: %(detail)s")
        % {"item": event.media_file.item, "original": event.media_file.original_name, "detail": event.detail}
        for event in problems[:200]
    ]
    link = site_url + reverse("admin:archive_preservationevent_changelist") + f"?run__id__exact={run.pk}"
    body = _(
        "Lượt kiểm tra toàn vẹn tệp lưu trữ xong lúc %(at)s: %(files)d tệp đã đọc lại, "
        "%(problems)d tệp thiếu hoặc bị thay đổi.\n\n%(lines)s\n\n"
        "Khôi phục các tệp này từ bản sao lưu (manage.py restore --set). Xem trong trang quản trị: %(link)s\n"
    ) % {
        "at": timezone.localtime(run.finished_at).strftime("%d/%m/%Y %H:%M"),
        "files": run.files_checked,
        "problems": run.problems,
        "lines": "\n".join(lines),
        "link": link,
    }
    subject = _("Kiểm tra toàn vẹn: %(count)d tệp thiếu hoặc bị thay đổi") % {"count": run.problems}
    send_mail(subject, body, None, recipients)
