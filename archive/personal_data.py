"""Personal data of contributions (Nghị định 13/2023/NĐ-CP): the purpose stated on the form, the
consent kept with its text and time, and erasure after the retention period or on request.

Erasing replaces the contributor's name, email and phone on the contribution and on every one of
its history rows, then saves the contribution once more, so its history records who erased it and
why. The contribution itself, its files and the items made from it stay: a catalogued item names
its source (``Item.acquisition_source``) as archival provenance, which the purpose says.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.institution import current as current_institution
from archive.models import Contribution

#: What stands in for an erased name.
ERASED_NAME = "—"
CONTRIBUTION_PERSONAL_FIELDS = {"contributor_name": ERASED_NAME, "email": "", "phone": ""}


def retention_days() -> int:
    return int(settings.PERSONAL_DATA_RETENTION_DAYS)


def contribution_purpose() -> str:
    """The purpose the contribution form states, naming the Board as the institution's record does."""
    return _(
        "Mục đích: %(board)s dùng họ tên, thư điện tử và số điện thoại của người đóng góp để liên hệ về tư liệu, "
        "hiện vật được đóng góp và ghi nguồn gốc của tư liệu nếu được nhận vào kho. Thông tin liên hệ được xóa "
        "sau %(days)d ngày kể từ khi đóng góp được xử lý xong; người đóng góp có thể đề nghị xem hoặc xóa dữ "
        "liệu của mình bất cứ lúc nào (Nghị định 13/2023/NĐ-CP)."
    ) % {"board": current_institution().shown_board_short, "days": retention_days()}


def contribution_consent_label() -> str:
    return _(
        "Tôi đồng ý để %(board)s lưu giữ thông tin trên và liên hệ với tôi về tư liệu đóng góp, theo mục đích nêu trên."
    ) % {"board": current_institution().shown_board_short}


def consent_record() -> str:
    """The text a person agreed to, as kept with their contribution."""
    return f"{contribution_purpose()}\n{contribution_consent_label()}"


def contribution_erase_personal_data(*, contribution: Contribution, user=None, reason: str) -> Contribution:
    """Erase one contribution's personal data, in its history too; its history records who and why."""
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        Contribution.history.model.objects.filter(id=locked.pk).update(**CONTRIBUTION_PERSONAL_FIELDS)
        for name, value in CONTRIBUTION_PERSONAL_FIELDS.items():
            setattr(locked, name, value)
        locked.personal_data_erased_at = timezone.now()
        locked._history_user = user
        locked._change_reason = reason[:100]
        locked.save()
    return locked


def contributions_past_retention(now: datetime.datetime | None = None) -> QuerySet[Contribution]:
    """Decided contributions whose retention period has run out, not yet erased."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=retention_days())
    decided = Q(status__in=[Contribution.Status.ACCEPTED, Contribution.Status.DECLINED], decided_at__lte=limit)
    return Contribution.objects.filter(decided, personal_data_erased_at__isnull=True)


def contributions_of(*, email: str = "", phone: str = "") -> QuerySet[Contribution]:
    """A person's contributions, by their email or phone (a request to see or erase their data)."""
    condition = Q(pk__in=[])
    if email.strip():
        condition |= Q(email__iexact=email.strip())
    if phone.strip():
        condition |= Q(phone=phone.strip())
    return Contribution.objects.filter(condition).order_by("received_at")


def contribution_export(contribution: Contribution) -> dict:
    """One contribution's personal data and what it is about, for the person who asks."""
    return {
        "kind": "contribution",
        "reference": contribution.reference,
        "contributor_name": contribution.contributor_name,
        "organisation": contribution.body.name if contribution.body_id else contribution.organisation,
        "email": contribution.email,
        "phone": contribution.phone,
        "description": contribution.description,
        "status": str(contribution.get_status_display()),
        "received_at": timezone.localtime(contribution.received_at).strftime("%d/%m/%Y %H:%M"),
        "consent_text": contribution.consent_text,
        "consent_at": timezone.localtime(contribution.consent_at).strftime("%d/%m/%Y %H:%M")
        if contribution.consent_at
        else "",
    }
