"""Personal data of visit bookings and waiting entries (Nghị định 13/2023/NĐ-CP): the purpose the
forms state, the consent kept with its text and time, and erasure after the retention period or on
request.

Erasing replaces the contact's name, position, phone and email, the committee's free-text notes and
the names of new members admitted at the visit, on the rows and on every one of their history rows,
then saves the booking once more, so its history records who erased it and why. The booking stays,
with its date, venue, organisation, occasion, group size and head count: visit statistics
(``bookings.statistics``) count the same after an erasure.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.institution import current as current_institution
from archive.personal_data import ERASED_NAME, retention_days
from bookings.models import Booking, NewMember, WaitingEntry

CONTACT_FIELDS = {"contact_name": ERASED_NAME, "contact_position": "", "phone": "", "email": ""}
BOOKING_FIELDS = {**CONTACT_FIELDS, "notes": ""}
NEW_MEMBER_FIELDS = {"full_name": ERASED_NAME, "introducers": ""}


def booking_purpose() -> str:
    """The purpose the booking and waiting-list forms state."""
    return _(
        "Mục đích: %(board)s dùng họ tên, chức vụ, số điện thoại và thư điện tử của người liên hệ để xử lý đăng "
        "ký, báo lịch và liên hệ về buổi tham quan. Các thông tin này được xóa sau %(days)d ngày kể từ ngày tham "
        "quan; số đoàn, số người theo ngày được giữ lại để thống kê. Người liên hệ có thể đề nghị xem hoặc xóa dữ "
        "liệu của mình bất cứ lúc nào (Nghị định 13/2023/NĐ-CP)."
    ) % {"board": current_institution().shown_board_short, "days": retention_days()}


def booking_consent_label() -> str:
    return _(
        "Tôi đồng ý để %(board)s dùng các thông tin trên để xử lý đăng ký và liên hệ về buổi tham quan, theo mục "
        "đích nêu trên."
    ) % {"board": current_institution().shown_board_short}


def waiting_consent_label() -> str:
    return _(
        "Tôi đồng ý để %(board)s dùng các thông tin trên để xếp đơn vị vào danh sách chờ và liên hệ khi có chỗ, "
        "theo mục đích nêu trên."
    ) % {"board": current_institution().shown_board_short}


def booking_consent_record() -> str:
    return f"{booking_purpose()}\n{booking_consent_label()}"


def waiting_consent_record() -> str:
    return f"{booking_purpose()}\n{waiting_consent_label()}"


def booking_erase_personal_data(*, booking: Booking, user=None, reason: str) -> Booking:
    """Erase one booking's personal data (its new members' names included), in its history too."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        Booking.history.model.objects.filter(id=locked.pk).update(**BOOKING_FIELDS)
        members = NewMember.objects.filter(booking=locked)
        NewMember.history.model.objects.filter(id__in=members.values("pk")).update(**NEW_MEMBER_FIELDS)
        members.update(**NEW_MEMBER_FIELDS)
        for name, value in BOOKING_FIELDS.items():
            setattr(locked, name, value)
        locked.personal_data_erased_at = timezone.now()
        locked._history_user = user
        locked._change_reason = reason[:100]
        locked.save()
    return locked


def waiting_entry_erase_personal_data(*, entry: WaitingEntry, user=None, reason: str) -> WaitingEntry:
    with transaction.atomic():
        locked = WaitingEntry.objects.select_for_update().get(pk=entry.pk)
        WaitingEntry.history.model.objects.filter(id=locked.pk).update(**CONTACT_FIELDS)
        for name, value in CONTACT_FIELDS.items():
            setattr(locked, name, value)
        locked.personal_data_erased_at = timezone.now()
        locked._history_user = user
        locked._change_reason = reason[:100]
        locked.save()
    return locked


def _limit(today: datetime.date | None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=retention_days())


def bookings_past_retention(today: datetime.date | None = None) -> QuerySet[Booking]:
    """Bookings whose visit day lies more than the retention period back, not yet erased."""
    return Booking.objects.filter(date__lte=_limit(today), personal_data_erased_at__isnull=True)


def waiting_entries_past_retention(today: datetime.date | None = None) -> QuerySet[WaitingEntry]:
    return WaitingEntry.objects.filter(date__lte=_limit(today), personal_data_erased_at__isnull=True)


def _of(model, *, email: str, phone: str):
    condition = Q(pk__in=[])
    if email.strip():
        condition |= Q(email__iexact=email.strip())
    if phone.strip():
        condition |= Q(phone=phone.strip())
    return model.objects.filter(condition)


def bookings_of(*, email: str = "", phone: str = "") -> QuerySet[Booking]:
    return _of(Booking, email=email, phone=phone).select_related("venue", "organisation").order_by("date")


def waiting_entries_of(*, email: str = "", phone: str = "") -> QuerySet[WaitingEntry]:
    return _of(WaitingEntry, email=email, phone=phone).select_related("venue", "organisation").order_by("date")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def booking_export(booking: Booking) -> dict:
    return {
        "kind": "booking",
        "reference": booking.reference,
        "venue": booking.venue.name,
        "date": booking.date.strftime("%d/%m/%Y"),
        "organisation": booking.organisation_display,
        "contact_name": booking.contact_name,
        "contact_position": booking.contact_position,
        "phone": booking.phone,
        "email": booking.email,
        "notes": booking.notes,
        "new_members": [m.full_name for m in booking.new_members.all()],
        "status": str(booking.get_status_display()),
        "consent_text": booking.consent_text,
        "consent_at": _when(booking.consent_at),
    }


def waiting_entry_export(entry: WaitingEntry) -> dict:
    return {
        "kind": "waiting_entry",
        "reference": f"#{entry.pk}",
        "venue": entry.venue.name,
        "date": entry.date.strftime("%d/%m/%Y"),
        "organisation": entry.organisation_display,
        "contact_name": entry.contact_name,
        "contact_position": entry.contact_position,
        "phone": entry.phone,
        "email": entry.email,
        "status": str(entry.get_status_display()),
        "consent_text": entry.consent_text,
        "consent_at": _when(entry.consent_at),
    }
