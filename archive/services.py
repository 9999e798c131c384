"""Work on the archive that spans models or has side effects: the item workflow and contributions.

Every service is keyword-only, runs in one transaction, validates with ``full_clean()`` and
raises ``ValidationError`` (in Vietnamese) without changing anything when the input is wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File as DjangoFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import Body, Contribution, ContributionFile, Item, MediaFile
from archive.models.contributions import ContributionLimits

logger = logging.getLogger(__name__)

CONTRIBUTION_KINDS = ("image", "pdf", "video", "audio")
PUBLISH_PERMISSION = "archive.publish_item"

# Which statuses each transition starts from.
REVIEW_FROM = frozenset({Item.Status.DRAFT, Item.Status.WITHDRAWN})
PUBLISH_FROM = frozenset({Item.Status.DRAFT, Item.Status.IN_REVIEW, Item.Status.WITHDRAWN})
WITHDRAW_FROM = frozenset({Item.Status.DRAFT, Item.Status.IN_REVIEW, Item.Status.PUBLISHED})


# Items -----------------------------------------------------------------------------------


def _status_names(statuses) -> str:
    return ", ".join(str(Item.Status(s).label) for s in Item.Status.values if s in statuses)


def _change_status(*, item: Item, user, status: str, allowed_from: frozenset[str], action: str) -> Item:
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.status not in allowed_from:
            raise ValidationError(
                _(
                    "Trạng thái: không thể %(action)s tư liệu %(number)s đang ở trạng thái “%(current)s”; "
                    "chỉ làm được với tư liệu ở trạng thái %(allowed)s."
                )
                % {
                    "action": action,
                    "number": locked.inventory_number,
                    "current": locked.get_status_display(),
                    "allowed": _status_names(allowed_from),
                },
                code="invalid_transition",
            )
        now = timezone.now()
        locked.status = status
        locked.status_changed_at = now
        locked.status_changed_by = user
        if status == Item.Status.PUBLISHED:
            locked.published_at = now
        locked.full_clean()
        locked._change_reason = action
        locked.save()
    for field in ("status", "status_changed_at", "status_changed_by_id", "published_at", "updated_at"):
        setattr(item, field, getattr(locked, field))
    return item


def _require_publish_permission(user) -> None:
    if user is None or not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Bạn không có quyền công bố, thu hồi tư liệu."))


def item_send_to_review(*, item: Item, user) -> Item:
    """Send a draft (or withdrawn) item to review."""
    return _change_status(
        item=item, user=user, status=Item.Status.IN_REVIEW, allowed_from=REVIEW_FROM, action=_("gửi duyệt")
    )


def item_publish(*, item: Item, user) -> Item:
    """Publish an item. It reaches visitors only if ``Item.objects.public()`` agrees:
    a classified, restricted, internal or embargoed item stays hidden even when published."""
    _require_publish_permission(user)
    return _change_status(
        item=item, user=user, status=Item.Status.PUBLISHED, allowed_from=PUBLISH_FROM, action=_("công bố")
    )


def item_withdraw(*, item: Item, user) -> Item:
    """Withdraw an item from the public: it is kept, never deleted, and can be sent to review again."""
    _require_publish_permission(user)
    return _change_status(
        item=item, user=user, status=Item.Status.WITHDRAWN, allowed_from=WITHDRAW_FROM, action=_("thu hồi")
    )


#: The item's workflow steps by name: the service and the statuses it starts from.
ITEM_STEPS = {
    "send_to_review": (item_send_to_review, REVIEW_FROM),
    "publish": (item_publish, PUBLISH_FROM),
    "withdraw": (item_withdraw, WITHDRAW_FROM),
}


def item_step_allowed(*, item: Item, user, step: str) -> bool:
    """Whether ``user`` may take ``item`` through ``step`` (a key of ``ITEM_STEPS``) from its status now:
    sending to review asks for the right to change items, publishing and withdrawing for
    ``PUBLISH_PERMISSION``. The service checks again under its row lock."""
    _service, allowed_from = ITEM_STEPS[step]
    needed = "archive.change_item" if step == "send_to_review" else PUBLISH_PERMISSION
    return user is not None and user.has_perm(needed) and item.status in allowed_from


def item_steps_allowed(*, item: Item, user) -> list[str]:
    """The steps of ``ITEM_STEPS`` open to ``user`` on ``item``, in the workflow's order."""
    return [step for step in ITEM_STEPS if item_step_allowed(item=item, user=user, step=step)]


# Contributions ---------------------------------------------------------------------------


def media_file_make_primary(*, item: Item, media_file: MediaFile | None = None) -> MediaFile | None:
    """The one way a file becomes its item's primary (the picture lists and pages show first).

    ``media_file`` (saved, of ``item``) takes the mark from whichever file had it: the database holds
    one primary per item (``mediafile_one_primary_per_item``), so the old one is cleared first.
    Without ``media_file`` the item keeps its primary, or its first file by position becomes it.
    Returns the primary, None for an item without files.
    """
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).first()  # one change of primary at a time
        files = MediaFile.objects.filter(item=item)
        if media_file is None:
            media_file = files.filter(is_primary=True).first() or files.order_by("position", "pk").first()
            if media_file is None:
                return None
        files.filter(is_primary=True).exclude(pk=media_file.pk).update(is_primary=False)
        files.filter(pk=media_file.pk, is_primary=False).update(is_primary=True)
        media_file.is_primary = True
    return media_file


def _notify_staff(contribution: Contribution) -> None:
    recipients = list(getattr(settings, "STAFF_NOTIFICATION_EMAILS", []) or [])
    if not recipients:
        return
    site_url = getattr(settings, "SITE_URL", "").rstrip("/")
    link = site_url + reverse("admin:archive_contribution_change", args=[contribution.pk])
    body = _(
        "Có đóng góp tư liệu mới %(reference)s.\n\n"
        "Người đóng góp: %(name)s\nCơ quan, đơn vị: %(organisation)s\nSố tệp gửi kèm: %(files)d\n\n"
        "%(description)s\n\nXem và xử lý: %(link)s\n"
    ) % {
        "reference": contribution.reference,
        "name": contribution.contributor_name,
        "organisation": contribution.body or contribution.organisation or "—",
        "files": contribution.files.count(),
        "description": contribution.description,
        "link": link,
    }
    send_mail(
        _("Đóng góp tư liệu mới %(reference)s") % {"reference": contribution.reference},
        body,
        getattr(settings, "DEFAULT_FROM_EMAIL", None),
        recipients,
        fail_silently=True,
    )


def _acknowledge(contribution: Contribution) -> None:
    """Tell the person who offered documents that the offer arrived, in the language of the form."""
    if not contribution.email:
        return
    from archive.institution import current

    body = _(
        "Kính gửi %(name)s,\n\n"
        "%(board)s đã nhận thông tin về tư liệu, hiện vật muốn đóng góp, mã %(reference)s, kèm %(files)d tệp."
        " Cán bộ của Ban sẽ xem xét và liên hệ lại qua thư điện tử hoặc số điện thoại đã cung cấp.\n\n"
        "Nội dung đã gửi:\n%(description)s\n\nThư này được gửi tự động, xin không trả lời thư.\n"
    ) % {
        "board": current().shown_board_short,
        "name": contribution.contributor_name,
        "reference": contribution.reference,
        "files": contribution.files.count(),
        "description": contribution.description,
    }
    send_mail(
        _("Đã nhận thông tin đóng góp tư liệu %(reference)s") % {"reference": contribution.reference},
        body,
        getattr(settings, "DEFAULT_FROM_EMAIL", None),
        [contribution.email],
        fail_silently=True,
    )


def _contribution_size_error(files: Sequence[UploadedFile]) -> str:
    """Anonymous uploads stay within a total per submission and a total per day for everyone
    (ContributionLimits), so no one can fill the disk."""
    limits = ContributionLimits.current()
    total = sum(uploaded.size or 0 for uploaded in files)
    per_submission = limits.submission_bytes
    if total > per_submission:
        return _(
            "Tệp gửi kèm: các tệp đã chọn có tổng dung lượng %(total)s, vượt mức %(limit)s mỗi lần gửi; hãy bớt"
            " tệp hoặc gửi bản nhỏ hơn (bản lớn xin gửi trực tiếp cho Ban Tuyên giáo)."
        ) % {"total": filesizeformat(total), "limit": filesizeformat(per_submission)}
    day_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    received = ContributionFile.objects.filter(contribution__received_at__gte=day_start).aggregate(
        total=Sum("size", default=0)
    )["total"]
    if received + total > limits.daily_bytes:
        return _(
            "Tệp gửi kèm: hôm nay hệ thống đã nhận đủ dung lượng tệp cho phép từ biểu mẫu công khai; xin gửi lại"
            " vào ngày mai, hoặc gửi thông tin không kèm tệp để Ban Tuyên giáo liên hệ."
        )
    return ""


def contribution_receive(
    *,
    contributor_name: str,
    description: str,
    consent: bool,
    body: Body | None = None,
    organisation: str = "",
    email: str = "",
    phone: str = "",
    files: Sequence[UploadedFile] = (),
) -> Contribution:
    """Store an offer of documents from the public form, then tell the Propaganda Board by email, and
    the person who offered them when they gave an address."""
    contribution = Contribution(
        contributor_name=" ".join((contributor_name or "").split()),
        description=(description or "").strip(),
        consent=bool(consent),
        body=body,
        organisation=(organisation or "").strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
    )
    if contribution.consent:
        from archive.personal_data import consent_record

        contribution.consent_text = consent_record()
        contribution.consent_at = timezone.now()
    errors: dict[str, list] = {}
    try:
        contribution.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if not contribution.consent:
        errors.setdefault("consent", []).append(
            _("Đồng ý xử lý dữ liệu cá nhân: cần đánh dấu đồng ý để Ban Tuyên giáo liên hệ và xử lý tư liệu.")
        )
    files = list(files)
    inspections = []
    max_files = ContributionLimits.current().files
    if len(files) > max_files:
        errors.setdefault("files", []).append(
            _("Tệp gửi kèm: gửi tối đa %(max)d tệp mỗi lần (đã chọn %(count)d); bớt tệp rồi gửi lại.")
            % {"max": max_files, "count": len(files)}
        )
    elif size_error := _contribution_size_error(files):
        errors.setdefault("files", []).append(size_error)
    elif files:
        from archive.media import inspect_upload

        for uploaded in files:
            try:
                inspections.append(
                    inspect_upload(uploaded, allowed_kinds=CONTRIBUTION_KINDS, field_label=_("Tệp gửi kèm"))
                )
            except ValidationError as error:
                errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    from archive.media import StorageWrites, clean_original_name

    # A file that cannot be stored (a full disk) removes those written before it and the rows.
    with transaction.atomic(), StorageWrites() as writes:
        contribution.save()
        for uploaded, inspection in zip(files, inspections, strict=True):
            stored = ContributionFile(
                contribution=contribution,
                original_name=clean_original_name(uploaded.name, inspection.extension),
                mime_type=inspection.mime_type,
                size=inspection.size,
                sha256=inspection.sha256,
            )
            writes.save(stored, "file", f"upload{inspection.extension}", uploaded)
            stored.save()
        transaction.on_commit(lambda: _notify_staff(contribution))
        transaction.on_commit(lambda: _acknowledge(contribution))
    return contribution


def _lock_contribution(contribution: Contribution, allowed: set[str], action: str) -> Contribution:
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if locked.status not in allowed:
        raise ValidationError(
            _("Trạng thái: không thể %(action)s đóng góp %(reference)s đang ở trạng thái “%(current)s”.")
            % {"action": action, "reference": locked.reference, "current": locked.get_status_display()},
            code="invalid_transition",
        )
    return locked


def _sync(target: Contribution, source: Contribution) -> None:
    for field in ("status", "decision_note", "handled_by_id", "decided_at"):
        setattr(target, field, getattr(source, field))


def contribution_review(*, contribution: Contribution, user) -> Contribution:
    """Mark a received contribution as being reviewed by ``user``."""
    with transaction.atomic():
        locked = _lock_contribution(contribution, {Contribution.Status.RECEIVED}, _("xem xét"))
        locked.status = Contribution.Status.REVIEWING
        locked.handled_by = user
        locked.save()
    _sync(contribution, locked)
    return contribution


def _attach_media(item: Item, contribution_file: ContributionFile) -> None:
    from archive.media import media_file_store

    with contribution_file.file.open("rb") as handle:
        media_file_store(item=item, uploaded=DjangoFile(handle, name=contribution_file.original_name))


def contribution_accept(*, contribution: Contribution, user, into: Item | None = None) -> list[Item]:
    """Accept a contribution: one draft item per file sent (one item if none), linked back to it.

    With ``into``, the files sent are added to that catalogued item instead (a better copy of a
    document already held); a classified item takes none (``archive.secrecy``) and nothing changes.
    """
    open_statuses = {Contribution.Status.RECEIVED, Contribution.Status.REVIEWING}
    with transaction.atomic():
        locked = _lock_contribution(contribution, open_statuses, _("nhận vào kho"))
        if into is not None:
            for contribution_file in locked.files.all():
                _attach_media(into, contribution_file)
            _mark_accepted(locked, user)
            _sync(contribution, locked)
            return [into]
        source = locked.body.name if locked.body_id else locked.organisation
        source = f"{locked.contributor_name} ({source})" if source else locked.contributor_name
        files = list(locked.files.all())
        first_line = locked.description.strip().splitlines()[0] if locked.description.strip() else ""
        base_title = first_line[:200] or _("Tư liệu từ đóng góp %(reference)s") % {"reference": locked.reference}
        items = []
        for index, contribution_file in enumerate(files or [None], start=1):
            title = base_title if len(files) <= 1 else f"{base_title} ({index}/{len(files)})"
            item = Item(
                title=title,
                description=locked.description,
                status=Item.Status.DRAFT,
                access_level=Item.AccessLevel.INTERNAL,
                acquisition_method=Item.Acquisition.DONATION,
                acquisition_source=source[:255],
                acquisition_date=timezone.localdate(),
                contribution=locked,
                created_by=user,
                staff_notes=_("Tạo từ đóng góp %(reference)s.") % {"reference": locked.reference},
            )
            item.full_clean(exclude=["inventory_number"])  # given on save
            item.save()
            if contribution_file is not None:
                _attach_media(item, contribution_file)
            items.append(item)
        _mark_accepted(locked, user)
    _sync(contribution, locked)
    return items


def _mark_accepted(locked: Contribution, user) -> None:
    locked.status = Contribution.Status.ACCEPTED
    locked.handled_by = user
    locked.decided_at = timezone.now()
    locked.save()


def contribution_decline(*, contribution: Contribution, user, note: str) -> None:
    """Decline a contribution, saying why (kept for the record; nothing is deleted)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"decision_note": _("Ghi chú xử lý: nhập lý do không tiếp nhận để lưu hồ sơ và trả lời người đóng góp.")}
        )
    open_statuses = {Contribution.Status.RECEIVED, Contribution.Status.REVIEWING}
    with transaction.atomic():
        locked = _lock_contribution(contribution, open_statuses, _("từ chối"))
        locked.status = Contribution.Status.DECLINED
        locked.decision_note = note
        locked.handled_by = user
        locked.decided_at = timezone.now()
        locked.full_clean()
        locked.save()
    _sync(contribution, locked)
