"""Emails about reading and copy requests: to staff who decide them, and to the requester."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reading.models import ReadingRequest

logger = logging.getLogger(__name__)
DECIDE_PERMISSION = "reading.decide_readingrequest"


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def staff_addresses() -> list[str]:
    """The configured staff addresses and every active staff member who may decide requests."""
    users = get_user_model().objects.with_perm(
        DECIDE_PERMISSION, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
    )
    addresses = list(settings.STAFF_NOTIFICATION_EMAILS or [])
    addresses += [u.email for u in users.filter(is_active=True, is_staff=True).exclude(email="") if u.email]
    return list(dict.fromkeys(addresses))


def _send(*, to: list[str], subject: str, template: str, context: dict) -> None:
    if not to:
        return
    body = render_to_string(template, context)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    try:
        message.send()
    except Exception:  # a mail server hiccup must not undo a stored request or decision
        logger.exception("Could not send reading-request email %r", subject)


def request_received(request: ReadingRequest) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            to=staff_addresses(),
            subject=_("[Yêu cầu #%(pk)s] %(kind)s %(number)s chờ duyệt")
            % {"pk": request.pk, "kind": request.get_kind_display(), "number": request.item.inventory_number},
            template="reading/email/to_staff.txt",
            context={
                "request": request,
                "profile": getattr(request.requester, "reader_profile", None),
                "admin_url": absolute_url(reverse("admin:reading_readingrequest_change", args=[request.pk])),
            },
        )


def request_decided(request: ReadingRequest) -> None:
    with translation.override(request.language or settings.LANGUAGE_CODE):
        approved = request.status == ReadingRequest.Status.APPROVED
        subject = _("Yêu cầu #%(pk)s đã được duyệt") if approved else _("Yêu cầu #%(pk)s không được chấp thuận")
        _send(
            to=[request.requester.email] if request.requester.email else [],
            subject=subject % {"pk": request.pk},
            template="reading/email/decided.txt",
            context={
                "request": request,
                "approved": approved,
                "url": absolute_url(reverse("reading:request_detail", args=[request.pk])),
            },
        )
