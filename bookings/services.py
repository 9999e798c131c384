"""Booking workflow: request, confirm, reject, complete, no-show, cancel, new date, reminders.

Every step that can take places locks the venue's schedule row (`select_for_update` on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and then counts, so
concurrent requests can never book a slot beyond its capacity.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import notifications
from bookings.availability import check_room, is_exclusive, slot_end
from bookings.models import Booking, Programme, VenueSchedule

logger = logging.getLogger(__name__)


def _locked_schedule(venue_id: int) -> VenueSchedule:
    try:
        return VenueSchedule.objects.select_for_update(of=("self",)).select_related("venue").get(venue_id=venue_id)
    except VenueSchedule.DoesNotExist:
        raise ValidationError(_("Địa điểm này hiện chưa nhận đăng ký tham quan."), code="venue_closed") from None


def _locked_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("venue", "organisation", "programme")
        .get(pk=booking.pk)
    )


def _require(booking: Booking, status: str) -> None:
    if not booking.can_become(status):
        raise ValidationError(
            _("Không thể chuyển đăng ký %(ref)s từ “%(current)s” sang “%(target)s”.")
            % {
                "ref": booking.reference,
                "current": booking.get_status_display(),
                "target": Booking.Status(status).label,
            },
            code="bad_transition",
        )


def booking_request(
    *,
    venue,
    date: datetime.date,
    start_time: datetime.time,
    group_size: int,
    occasion: str,
    contact_name: str,
    contact_position: str,
    phone: str,
    email: str,
    consent: bool,
    organisation=None,
    organisation_name: str = "",
    programme: Programme | None = None,
    services: list[str] | None = None,
    notes: str = "",
    language: str = settings.LANGUAGE_CODE,
    now: datetime.datetime | None = None,
) -> Booking:
    """Take a committee's request for a slot, if the rules allow it and places remain; email booker and staff.

    Raises ValidationError (SlotFullError when the slot has no room left); nothing is stored then.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    services = list(services or [])
    with transaction.atomic():
        schedule = _locked_schedule(venue.pk)
        end_time = slot_end(schedule, date, start_time, today=today)
        if group_size > schedule.max_group_size:
            raise ValidationError(
                _("Mỗi đoàn tối đa %(max)s người; đoàn đông hơn xin chia thành nhiều khung giờ.")
                % {"max": schedule.max_group_size},
                code="group_too_large",
            )
        if programme is not None and programme.duration_minutes > schedule.slot_minutes:
            raise ValidationError(
                _("Chương trình “%(programme)s” dài hơn một khung giờ (%(minutes)s phút). Xin chọn chương trình khác.")
                % {"programme": programme.name, "minutes": schedule.slot_minutes},
                code="programme_too_long",
            )
        check_room(
            schedule,
            date,
            start_time,
            group_size=group_size,
            exclusive=is_exclusive(occasion=occasion, services=services),
        )
        booking = Booking(
            venue=schedule.venue,
            date=date,
            start_time=start_time,
            end_time=end_time,
            organisation=organisation,
            organisation_name="" if organisation else organisation_name.strip(),
            contact_name=contact_name,
            contact_position=contact_position,
            phone=phone,
            email=email,
            group_size=group_size,
            occasion=occasion,
            programme=programme,
            services=services,
            notes=notes,
            consent=consent,
            language=language,
            created_at=now,
        )
        booking.full_clean(validate_unique=False)
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    booking.save()
                break
            except IntegrityError:
                # The five-character reference collided with another one: draw again.
                booking.reference = Booking._meta.get_field("reference").get_default()
        else:  # pragma: no cover - 30^5 references make five collisions in a row practically impossible
            raise ValidationError(_("Không tạo được mã đăng ký, xin gửi lại."), code="reference")
    notifications.notify_received(booking)
    notifications.notify_staff_new(booking)
    return booking


def booking_confirm(*, booking: Booking, guide=None, now: datetime.datetime | None = None) -> Booking:
    """Confirm a pending booking after counting the slot again under the venue's lock; email the booker."""
    with transaction.atomic():
        schedule = _locked_schedule(booking.venue_id)
        booking = _locked_booking(booking)
        _require(booking, Booking.Status.CONFIRMED)
        check_room(
            schedule,
            booking.date,
            booking.start_time,
            group_size=booking.group_size,
            exclusive=booking.is_exclusive,
            exclude_pk=booking.pk,
            confirmed_only=True,
        )
        booking.status = Booking.Status.CONFIRMED
        booking.decided_at = now or timezone.now()
        if guide is not None:
            booking.guide = guide
        booking.full_clean()
        booking.save()
    notifications.notify_confirmed(booking)
    return booking


def booking_reject(*, booking: Booking, reason: str, now: datetime.datetime | None = None) -> Booking:
    """Reject a pending booking with a reason the booker is told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"rejection_reason": _("Hãy ghi lý do từ chối để báo cho đơn vị.")})
    with transaction.atomic():
        booking = _locked_booking(booking)
        _require(booking, Booking.Status.REJECTED)
        booking.status = Booking.Status.REJECTED
        booking.rejection_reason = reason
        booking.decided_at = now or timezone.now()
        booking.full_clean()
        booking.save()
    notifications.notify_rejected(booking)
    return booking


def booking_cancel(
    *, booking: Booking, by_booker: bool, reason: str = "", now: datetime.datetime | None = None
) -> Booking:
    """Cancel a pending or confirmed booking, by the booker or by staff; the places are freed; email both."""
    with transaction.atomic():
        booking = _locked_booking(booking)
        _require(booking, Booking.Status.CANCELLED)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_by = Booking.CancelledBy.BOOKER if by_booker else Booking.CancelledBy.STAFF
        booking.cancellation_reason = (reason or "").strip()
        booking.cancelled_at = now or timezone.now()
        booking.full_clean()
        booking.save()
    notifications.notify_cancelled(booking)
    return booking


def booking_complete(
    *,
    booking: Booking,
    actual_visitors: int | None = None,
    outcome_notes: str = "",
    films_shown: str | None = None,
    leaflets_handed_out: int | None = None,
) -> Booking:
    """Record a confirmed visit as held, with the actual head count (the group size when not given)."""
    with transaction.atomic():
        booking = _locked_booking(booking)
        _require(booking, Booking.Status.COMPLETED)
        booking.status = Booking.Status.COMPLETED
        if actual_visitors is not None:
            booking.actual_visitors = actual_visitors
        elif booking.actual_visitors is None:
            booking.actual_visitors = booking.group_size
        if outcome_notes:
            booking.outcome_notes = outcome_notes
        if films_shown is not None:
            booking.films_shown = films_shown
        if leaflets_handed_out is not None:
            booking.leaflets_handed_out = leaflets_handed_out
        booking.full_clean()
        booking.save()
    return booking


def booking_mark_no_show(*, booking: Booking) -> Booking:
    """Record that a confirmed group did not come."""
    with transaction.atomic():
        booking = _locked_booking(booking)
        _require(booking, Booking.Status.NO_SHOW)
        booking.status = Booking.Status.NO_SHOW
        booking.full_clean()
        booking.save()
    return booking


MAX_NEW_DATE_REQUESTS = 5
MAX_NEW_DATE_MESSAGE = 1000


def booking_request_new_date(*, booking: Booking, message: str) -> Booking:
    """The booker asks for another date; staff are emailed and arrange it (the booking is unchanged).

    A booking takes a few such requests at most, so its secret link cannot flood staff or grow the record.
    """
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Hãy ghi ngày, giờ đơn vị muốn đổi sang.")})
    if len(message) > MAX_NEW_DATE_MESSAGE:
        raise ValidationError(
            {
                "message": _("Nội dung đề nghị tối đa %(max)s ký tự; hãy viết ngắn gọn hơn.")
                % {"max": MAX_NEW_DATE_MESSAGE}
            }
        )
    with transaction.atomic():
        booking = _locked_booking(booking)
        if not booking.holds_places:
            raise ValidationError(_("Đăng ký này đã kết thúc, không thể đề nghị đổi ngày."), code="bad_transition")
        if booking.new_date_request.count("\n[") + bool(booking.new_date_request) >= MAX_NEW_DATE_REQUESTS:
            raise ValidationError(
                _("Đăng ký này đã gửi %(max)s đề nghị đổi ngày. Xin liên hệ Ban Tuyên giáo qua điện thoại.")
                % {"max": MAX_NEW_DATE_REQUESTS},
                code="too_many_requests",
            )
        stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
        booking.new_date_request = (booking.new_date_request + "\n" if booking.new_date_request else "") + (
            f"[{stamp}] {message}"
        )
        booking.full_clean()
        booking.save(update_fields=["new_date_request"])
    notifications.notify_new_date_requested(booking)
    return booking


def booking_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Email a reminder for each confirmed visit within its venue's reminder window, once only.

    Each booking is claimed with a conditional update before its email is sent, so two runs at
    the same time still send one reminder.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    longest = max(VenueSchedule.objects.values_list("reminder_days_before", flat=True), default=0)
    sent = 0
    candidates = Booking.objects.reminder_candidates(today, longest).select_related(
        "venue__booking_schedule", "organisation", "programme"
    )
    for booking in candidates:
        schedule = getattr(booking.venue, "booking_schedule", None)
        days = schedule.reminder_days_before if schedule else 0
        if booking.date > today + datetime.timedelta(days=days):
            continue
        claimed = Booking.objects.filter(
            pk=booking.pk, status=Booking.Status.CONFIRMED, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if claimed:
            notifications.notify_reminder(booking)
            sent += 1
    return sent
