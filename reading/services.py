"""Writes of the reading app: profiles and their standing, requests and their decisions, the use log."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.models import Body, Item, MediaFile
from reading import notifications
from reading.forms import end_date_errors
from reading.models import ReaderProfile, ReadingRequest, RequestUse
from reading.rules import request_refusal

DECIDE_PERMISSION = notifications.DECIDE_PERMISSION


def profile_create(*, user, full_name: str, body: Body | None, institution: str, purpose: str) -> ReaderProfile:
    """The profile of a person who just signed up, with no standing until staff confirm one."""
    profile = ReaderProfile(
        user=user, full_name=full_name.strip(), body=body, institution=institution.strip(), purpose=purpose.strip()
    )
    profile.full_clean()
    profile.save()
    return profile


def profile_confirm(*, profile: ReaderProfile, standing: str, by) -> ReaderProfile:
    """Staff confirm a person as a member of the Bloc or a researcher ("" withdraws the standing)."""
    if standing not in ReaderProfile.Standing.values:
        raise ValidationError({"standing": _("Tư cách không hợp lệ.")})
    with transaction.atomic():
        profile = ReaderProfile.objects.select_for_update().get(pk=profile.pk)
        profile.standing = standing
        profile.confirmed_by = by if standing else None
        profile.confirmed_at = timezone.now() if standing else None
        profile.full_clean()
        profile.save()
    return profile


def request_submit(
    *, user, inventory_number: str, kind: str, purpose: str, wanted_until: datetime.date | None = None
) -> ReadingRequest:
    """Record a signed-in person's request and tell the staff who decide it.

    Refused, with nothing saved, for an item that cannot be asked for (``reading.rules``) and for
    an end date in the past.
    """
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    if not purpose.strip():
        raise ValidationError({"purpose": _("Xin ghi mục đích đọc, sao tư liệu.")})
    if problem := end_date_errors(wanted_until):
        raise ValidationError({"wanted_until": problem})
    with transaction.atomic():
        item = Item.objects.filter(inventory_number=inventory_number.strip().upper()[:20]).first()
        if refusal := request_refusal(user=user, item=item, kind=kind):
            raise ValidationError({"inventory_number": refusal} if refusal.code != "kind" else {"kind": refusal})
        request = ReadingRequest(
            requester=user,
            item=item,
            kind=kind,
            purpose=purpose.strip(),
            wanted_until=wanted_until,
            language=translation.get_language() or "vi",
        )
        request.full_clean()
        request.save()
        transaction.on_commit(lambda: notifications.request_received(request))
    return request


def _pending_for_decision(request: ReadingRequest, by) -> ReadingRequest:
    if not (by.is_active and by.is_staff and by.has_perm(DECIDE_PERMISSION)):
        raise PermissionDenied
    locked = ReadingRequest.objects.select_for_update().select_related("item", "requester").get(pk=request.pk)
    if locked.status != ReadingRequest.Status.PENDING:
        raise ValidationError(_("Yêu cầu này đã được quyết định trước đó."), code="decided")
    return locked


def request_approve(*, request: ReadingRequest, until: datetime.date, by) -> ReadingRequest:
    """Approve a pending request until the end of ``until``; a copy's package is then built in the
    background queue. The requester is told by email."""
    if until is None:
        raise ValidationError({"until": _("Xin nhập ngày kết thúc thời hạn sử dụng (dd/mm/yyyy).")})
    if problem := end_date_errors(until):
        raise ValidationError({"until": problem})
    with transaction.atomic():
        locked = _pending_for_decision(request, by)
        if locked.item.confidentiality != Item.Confidentiality.NONE:
            raise ValidationError(_("Tư liệu đã được xác định độ mật: không thể duyệt yêu cầu này."), code="classified")
        locked.status = ReadingRequest.Status.APPROVED
        locked.until = until
        locked.refusal_reason = ""
        locked.decided_by, locked.decided_at = by, timezone.now()
        if locked.kind == ReadingRequest.Kind.COPY:
            locked.package_status = ReadingRequest.Package.WAITING
        locked.full_clean()
        locked.save()
        if locked.kind == ReadingRequest.Kind.COPY:
            from reading.tasks import build_copy_package

            pk = locked.pk
            transaction.on_commit(lambda: build_copy_package.enqueue(pk))
        transaction.on_commit(lambda: notifications.request_decided(locked))
    return locked


def request_refuse(*, request: ReadingRequest, reason: str, by) -> ReadingRequest:
    """Refuse a pending request with a reason the requester is sent."""
    if not (reason or "").strip():
        raise ValidationError({"refusal_reason": _("Xin ghi lý do từ chối để báo cho người yêu cầu.")})
    with transaction.atomic():
        locked = _pending_for_decision(request, by)
        locked.status = ReadingRequest.Status.REFUSED
        locked.refusal_reason = reason.strip()
        locked.until = None
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.full_clean()
        locked.save()
        transaction.on_commit(lambda: notifications.request_decided(locked))
    return locked


def request_use_log(
    *, request: ReadingRequest, action: str, address: str | None, media: MediaFile | None = None, page=None
) -> RequestUse:
    """Record one use under an open request (the reading page, a page image, the package)."""
    return RequestUse.objects.create(request=request, action=action, media=media, page=page, address=address or "")
