"""Booking workflow: request, change, confirm, reject, complete, no-show, cancel, new date, reminders.

Every step that can take places locks the venue's schedule row (`select_for_update` on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and then counts, so
concurrent requests and changes can never book a slot beyond its capacity.
"""

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from bookings import notifications
from bookings.availability import SlotUse, check_room, is_exclusive, slot_end, slot_usage
from bookings.models import (
    Booking,
    Occasion,
    Programme,
    VenueSchedule,
    VisitStep,
    WaitingEntry,
    local_zone,
    running_order_errors,
)
from bookings.personal_data import booking_consent_record, waiting_consent_record

logger = logging.getLogger(__name__)


def _lock_schedule(venue_id: int) -> VenueSchedule | None:
    """The venue's schedule row, locked until the transaction ends: whoever counts a slot of the venue holds it."""
    schedules = VenueSchedule.objects.select_for_update(of=("self",)).select_related("venue")
    return schedules.filter(venue_id=venue_id).first()


def _venue_closed() -> ValidationError:
    return ValidationError(_("Địa điểm này hiện chưa nhận đăng ký tham quan."), code="venue_closed")


def _locked_schedule(venue_id: int) -> VenueSchedule:
    schedule = _lock_schedule(venue_id)
    if schedule is None:
        raise _venue_closed()
    return schedule


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


def _check_group_size(schedule: VenueSchedule, group_size: int) -> None:
    if group_size > schedule.max_group_size:
        raise ValidationError(
            _("Mỗi đoàn tối đa %(max)s người; đoàn đông hơn xin chia thành nhiều khung giờ.")
            % {"max": schedule.max_group_size},
            code="group_too_large",
        )


def _check_programme(schedule: VenueSchedule, programme: Programme | None) -> None:
    if programme is not None and programme.duration_minutes > schedule.slot_minutes:
        raise ValidationError(
            _("Chương trình “%(programme)s” dài hơn một khung giờ (%(minutes)s phút). Xin chọn chương trình khác.")
            % {"programme": programme.name, "minutes": schedule.slot_minutes},
            code="programme_too_long",
        )


def _booking_create(
    *,
    schedule: VenueSchedule,
    date: datetime.date,
    start_time: datetime.time,
    group_size: int,
    occasion: str,
    contact_name: str,
    contact_position: str,
    phone: str,
    email: str,
    consent: bool,
    organisation,
    organisation_name: str,
    programme: Programme | None,
    services: list[str],
    notes: str,
    language: str,
    now: datetime.datetime,
    exclude_entry_pk: int | None = None,
    consent_text: str | None = None,
    consent_at: datetime.datetime | None = None,
    source: str = Booking.Source.FORM,
    entered_by=None,
) -> Booking:
    """Check a request against the slot and store it; the caller holds the venue's lock (`schedule`).

    The consent kept is the booking form's text at ``now``, or the one given (a waiting entry's)."""
    end_time = slot_end(schedule, date, start_time, today=timezone.localdate(now))
    _check_group_size(schedule, group_size)
    _check_programme(schedule, programme)
    check_room(
        schedule,
        date,
        start_time,
        group_size=group_size,
        exclusive=is_exclusive(occasion=occasion, services=services),
        exclude_entry_pk=exclude_entry_pk,
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
        consent_text=(booking_consent_record() if consent_text is None else consent_text) if consent else "",
        consent_at=(consent_at or now) if consent else None,
        language=language,
        source=source,
        entered_by=entered_by,
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
    return booking


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
    with transaction.atomic():
        booking = _booking_create(
            schedule=_locked_schedule(venue.pk),
            date=date,
            start_time=start_time,
            group_size=group_size,
            occasion=occasion,
            contact_name=contact_name,
            contact_position=contact_position,
            phone=phone,
            email=email,
            consent=consent,
            organisation=organisation,
            organisation_name=organisation_name,
            programme=programme,
            services=list(services or []),
            notes=notes,
            language=language,
            now=now,
        )
    notifications.notify_received(booking)
    notifications.notify_staff_new(booking)
    return booking


def booking_take_by_telephone(
    *,
    entered_by,
    venue,
    date: datetime.date,
    start_time: datetime.time,
    group_size: int,
    occasion: str,
    contact_name: str,
    contact_position: str,
    phone: str,
    consent: bool,
    email: str = "",
    organisation=None,
    organisation_name: str = "",
    programme: Programme | None = None,
    services: list[str] | None = None,
    notes: str = "",
    language: str = settings.LANGUAGE_CODE,
    confirm: bool = False,
    now: datetime.datetime | None = None,
) -> Booking:
    """Store a request a committee made by telephone, entered by a staff member, as the public form's
    requests are stored: the same rules and the same count of the slot under the venue's lock.

    With `confirm`, the booking is then confirmed as staff confirm any request (the slot counted
    again); the booker is emailed when an address was given. Raises ValidationError as
    `booking_request` does (SlotFullError when the slot has no room left); nothing is stored then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _booking_create(
            schedule=_locked_schedule(venue.pk),
            date=date,
            start_time=start_time,
            group_size=group_size,
            occasion=occasion,
            contact_name=contact_name,
            contact_position=contact_position,
            phone=phone,
            email=email,
            consent=consent,
            organisation=organisation,
            organisation_name=organisation_name,
            programme=programme,
            services=list(services or []),
            notes=notes,
            language=language,
            now=now,
            source=Booking.Source.TELEPHONE,
            entered_by=entered_by,
        )
    if confirm:
        return booking_confirm(booking=booking, now=now)
    notifications.notify_received(booking)
    return booking


# Every field but the row's key and the booker's reference and secret link, which never change.
CHANGEABLE_FIELDS = tuple(
    field.name for field in Booking._meta.concrete_fields if field.name not in ("id", "reference", "secret")
)


def changeable_values(booking: Booking) -> dict[str, Any]:
    """The fields `booking_change` takes, by name, as this instance (edited, or an old version) has them."""
    return {name: getattr(booking, name) for name in CHANGEABLE_FIELDS}


@dataclass(frozen=True)
class _Claim:
    """What a booking takes of a slot."""

    venue_id: int
    date: datetime.date
    start_time: datetime.time
    group_size: int
    exclusive: bool
    status: str
    programme_id: int | None

    @classmethod
    def of(cls, booking: Booking) -> "_Claim":
        return cls(
            booking.venue_id,
            booking.date,
            booking.start_time,
            booking.group_size,
            booking.is_exclusive,
            booking.status,
            booking.programme_id,
        )

    @property
    def holds_places(self) -> bool:
        return self.status in Booking.HOLDING_STATUSES


@contextmanager
def _refused_on(field: str | None) -> Iterator[None]:
    """Report a refusal on the field that asked for more of the slot; None: on the booking as a whole."""
    try:
        yield
    except ValidationError as error:
        if field is None:
            raise
        raise ValidationError({field: error}) from None


def _check_confirmable(schedule: VenueSchedule, booking: Booking) -> None:
    # Confirming counts the confirmed bookings only, so staff can still confirm one of two
    # requests after lowering the capacity, but never confirm beyond it.
    check_room(
        schedule,
        booking.date,
        booking.start_time,
        group_size=booking.group_size,
        exclusive=booking.is_exclusive,
        exclude_pk=booking.pk,
        confirmed_only=True,
    )


def _check_claim(
    schedule: VenueSchedule | None, booking: Booking, before: _Claim, after: _Claim, *, today: datetime.date
) -> None:
    """The rules of a request, for whatever in `after` takes more of a slot than `before` did.

    A change that takes no more (fewer people, a guide, notes, a cancellation) is never refused,
    even in a slot that holds more than its capacity since staff lowered it.
    """
    if not after.holds_places:
        return
    moved = next(
        (
            name
            for name, old, new in (
                ("venue", before.venue_id, after.venue_id),
                ("date", before.date, after.date),
                ("start_time", before.start_time, after.start_time),
            )
            if old != new
        ),
        None,
    )
    holds_again = not before.holds_places
    more_people = after.group_size > before.group_size
    newly_exclusive = after.exclusive and not before.exclusive
    new_programme = after.programme_id != before.programme_id
    confirming = before.status == Booking.Status.PENDING and after.status == Booking.Status.CONFIRMED
    if not (moved or holds_again or more_people or newly_exclusive or new_programme or confirming):
        return
    if schedule is None:
        raise _venue_closed()
    if moved:
        with _refused_on(moved):
            booking.end_time = slot_end(schedule, booking.date, booking.start_time, today=today)
    if moved or holds_again or more_people:
        with _refused_on("group_size"):
            _check_group_size(schedule, booking.group_size)
    if moved or new_programme:
        with _refused_on("programme"):
            _check_programme(schedule, booking.programme)
    room = {"group_size": booking.group_size, "exclude_pk": booking.pk}
    if moved or holds_again:
        # The whole group enters the slot: counted as a new request is.
        with _refused_on(moved):
            check_room(schedule, booking.date, booking.start_time, exclusive=after.exclusive, **room)
    else:
        if more_people:
            with _refused_on("group_size"):
                check_room(schedule, booking.date, booking.start_time, exclusive=before.exclusive, **room)
        if newly_exclusive:
            with _refused_on("occasion" if booking.occasion == Occasion.ADMISSION else "services"):
                check_room(schedule, booking.date, booking.start_time, exclusive=True, **room)
    if confirming:
        _check_confirmable(schedule, booking)


def _changed_booking(
    booking: Booking, changes: dict[str, Any], *, now: datetime.datetime | None
) -> tuple[Booking, _Claim]:
    """The stored row of `booking`, locked, with `changes` applied and checked against its slot (not
    saved), and what it took of its slot before.

    Locks the schedule of the venue the booking is to be at, then the booking's row (the order
    booking_confirm takes them in, so the two never wait on each other).
    """
    unknown = sorted(set(changes) - set(CHANGEABLE_FIELDS))
    if unknown:
        raise TypeError(f"booking_change() cannot set {', '.join(unknown)}")
    venue_id = changes["venue"].pk if changes.get("venue") is not None else booking.venue_id
    schedule = _lock_schedule(venue_id)
    locked = _locked_booking(booking)
    if "venue" not in changes and locked.venue_id != venue_id:
        # Moved to another venue since `booking` was read: the lock held is not that venue's.
        raise ValidationError(
            _("Đăng ký %(ref)s vừa được chuyển sang địa điểm khác. Xin tải lại trang rồi sửa lại.")
            % {"ref": locked.reference},
            code="stale",
        )
    before = _Claim.of(locked)
    if changes.get("status", locked.status) != locked.status:
        _require(locked, changes["status"])
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_claim(schedule, locked, before, _Claim.of(locked), today=timezone.localdate(now or timezone.now()))
    return locked, before


def booking_change_check(*, booking: Booking, now: datetime.datetime | None = None, **changes: Any) -> None:
    """Check a change as `booking_change` does, saving nothing.

    The row locks it takes last until the caller's transaction ends: called inside the
    transaction that then saves through `booking_change` (the admin's change view), it keeps
    the slot for that save, so the save counts what the check counted.
    """
    with transaction.atomic():
        _changed_booking(booking, changes, now=now)


def booking_change(*, booking: Booking, now: datetime.datetime | None = None, **changes: Any) -> Booking:
    """Change a booking's fields (staff's edits, another slot, another status) under the rules of a request.

    `changes` are Booking fields by name (`group_size=30`, `occasion=...`, `date=..., start_time=...`,
    or all of `changeable_values(instance)`); a value equal to the stored one changes nothing, and
    a status moves only along `Booking.TRANSITIONS`. Whatever takes more of a slot (another venue,
    day or start time, more people, a ceremony that needs the slot to itself, places held again,
    a confirmation) is counted under the venue's lock, leaving the booking itself out.

    Raises ValidationError keyed by the field that asked for more (`group_size`, `occasion`,
    `services`, `programme`, `venue`, `date`, `start_time`), or unkeyed for the booking as a whole;
    nothing is stored then.
    """
    with transaction.atomic():
        booking, before = _changed_booking(booking, changes, now=now)
        after = _Claim.of(booking)
        moved = (before.venue_id, before.date, before.start_time) != (after.venue_id, after.date, after.start_time)
        if moved or before.status != after.status:
            booking.calendar_sequence += 1
        booking.full_clean()
        booking.save()
    if moved and after.holds_places:
        notifications.notify_moved(booking)
    if before.holds_places and (
        not after.holds_places
        or (before.venue_id, before.date, before.start_time) != (after.venue_id, after.date, after.start_time)
        or after.group_size < before.group_size
        or (before.exclusive and not after.exclusive)
    ):
        waiting_list_offer(venue_id=before.venue_id, date=before.date, start_time=before.start_time, now=now)
    return booking


def booking_move(
    *, booking: Booking, date: datetime.date, start_time: datetime.time, now: datetime.datetime | None = None
) -> Booking:
    """Move a pending or confirmed visit to another slot of its venue, counted under the venue's lock
    as a new request is; the committee is emailed the new time with an .ics that replaces the old one.

    Raises ValidationError keyed `date` or `start_time` (the slot full, closed, not a slot), or
    unkeyed; nothing is stored then.
    """
    if not booking.holds_places:
        raise ValidationError(
            _("Chỉ chuyển được đăng ký đang chờ xác nhận hoặc đã xác nhận; đăng ký %(ref)s đang “%(status)s”.")
            % {"ref": booking.reference, "status": booking.get_status_display()},
            code="bad_transition",
        )
    if (booking.date, booking.start_time) == (date, start_time):
        raise ValidationError(
            {"start_time": _("Đăng ký đang ở đúng khung giờ này. Hãy chọn ngày hoặc giờ khác.")}, code="same_slot"
        )
    before = f"{booking.start_time:%H:%M} {booking.date:%d/%m/%Y}"
    # The status read is passed on: one changed meanwhile (cancelled, say) is refused under the lock.
    moved = booking_change(booking=booking, date=date, start_time=start_time, status=booking.status, now=now)
    update_change_reason(
        moved,
        _("Chuyển từ %(before)s sang %(after)s")
        % {"before": before, "after": f"{moved.start_time:%H:%M} {moved.date:%d/%m/%Y}"},
    )
    return moved


def booking_confirm(*, booking: Booking, guide=None, now: datetime.datetime | None = None) -> Booking:
    """Confirm a pending booking after counting the slot again under the venue's lock; email the booker."""
    with transaction.atomic():
        schedule = _locked_schedule(booking.venue_id)
        booking = _locked_booking(booking)
        _require(booking, Booking.Status.CONFIRMED)
        _check_confirmable(schedule, booking)
        booking.calendar_sequence += 1
        booking.status = Booking.Status.CONFIRMED
        booking.decided_at = now or timezone.now()
        if guide is not None:
            booking.guide = guide
        if booking.programme is None:
            # None was chosen: the occasion's first template that fits the slot.
            templates = Programme.objects.for_occasion(booking.occasion)
            booking.programme = templates.filter(duration_minutes__lte=schedule.slot_minutes).first()
        booking.full_clean()
        booking.save()
        booking_programme_copy(booking=booking)
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
        booking.calendar_sequence += 1
        booking.status = Booking.Status.REJECTED
        booking.rejection_reason = reason
        booking.decided_at = now or timezone.now()
        booking.full_clean()
        booking.save()
    notifications.notify_rejected(booking)
    waiting_list_offer(venue_id=booking.venue_id, date=booking.date, start_time=booking.start_time, now=now)
    return booking


def booking_cancel(
    *, booking: Booking, by_booker: bool, reason: str = "", now: datetime.datetime | None = None
) -> Booking:
    """Cancel a pending or confirmed booking, by the booker or by staff; the places are freed; email both."""
    with transaction.atomic():
        booking = _locked_booking(booking)
        _require(booking, Booking.Status.CANCELLED)
        booking.calendar_sequence += 1
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_by = Booking.CancelledBy.BOOKER if by_booker else Booking.CancelledBy.STAFF
        booking.cancellation_reason = (reason or "").strip()
        booking.cancelled_at = now or timezone.now()
        booking.full_clean()
        booking.save()
    notifications.notify_cancelled(booking)
    waiting_list_offer(venue_id=booking.venue_id, date=booking.date, start_time=booking.start_time, now=now)
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


# Programmes --------------------------------------------------------------------------------------


def booking_programme_copy(*, booking: Booking, template: Programme | None = None, replace: bool = False) -> int:
    """Give a booking its own running order, copied from a template (its programme by default).

    A booking that already has steps keeps them (staff may have adjusted them) unless `replace`.
    Returns the number of steps copied.
    """
    template = template or booking.programme
    if template is None:
        return 0
    with transaction.atomic():
        booking = _locked_booking(booking)
        if booking.steps.exists():
            if not replace:
                return 0
            booking.steps.all().delete()
        steps = list(template.steps.prefetch_related("items"))
        errors = running_order_errors(steps, limit_minutes=booking.slot_length_minutes)
        if errors:
            raise ValidationError(errors, code="running_order")
        for source in steps:
            step = VisitStep(
                booking=booking,
                **{name: getattr(source, name) for name in STEP_FIELDS},
            )
            step.full_clean()
            step.save()
            step.items.set(source.items.all())
    return len(steps)


STEP_FIELDS = (
    "ordering",
    "start_minute",
    "duration_minutes",
    "activity",
    "details",
    "leader",
    "place",
    "exhibit_slug",
    "leaflets",
)


# The waiting list ---------------------------------------------------------------------------------


def offer_hours() -> int:
    """How long an offer holds its places (setting BOOKING_OFFER_HOURS, 24 by default)."""
    return settings.BOOKING_OFFER_HOURS


def _remaining(schedule: VenueSchedule, use: SlotUse) -> int:
    if schedule.exclusive_ceremonies and use.exclusive:
        return 0
    return max(schedule.capacity - use.taken, 0)


def _fits(schedule: VenueSchedule, use: SlotUse, *, group_size: int, exclusive: bool) -> bool:
    if schedule.exclusive_ceremonies and (use.exclusive or (exclusive and use.groups)):
        return False
    return group_size <= _remaining(schedule, use) and group_size <= schedule.max_group_size


def waiting_entry_join(
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
    language: str = settings.LANGUAGE_CODE,
    now: datetime.datetime | None = None,
) -> WaitingEntry:
    """Put a committee on the waiting list of a full slot; email it. Refused when the slot has room."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = _locked_schedule(venue.pk)
        with _refused_on("slot"):
            slot_end(schedule, date, start_time, today=timezone.localdate(now))
        with _refused_on("group_size"):
            _check_group_size(schedule, group_size)
        use = slot_usage(schedule.venue_id, date, date).get((date, start_time), SlotUse())
        exclusive = is_exclusive(occasion=occasion, services=[])
        if _fits(schedule, use, group_size=group_size, exclusive=exclusive):
            raise ValidationError(
                {
                    "group_size": _(
                        "Khung giờ này vẫn còn chỗ cho đoàn %(size)s người: xin quay lại lịch và đăng ký trực tiếp."
                    )
                    % {"size": group_size}
                },
                code="has_room",
            )
        if (
            WaitingEntry.objects.in_slot(schedule.venue_id, date, start_time)
            .filter(email__iexact=email, status__in=[WaitingEntry.Status.WAITING, WaitingEntry.Status.OFFERED])
            .exists()
        ):
            raise ValidationError(
                {
                    "email": _(
                        "Địa chỉ thư này đã đăng ký chờ khung giờ này. Ban Tuyên giáo sẽ báo qua thư khi có chỗ;"
                        " không cần đăng ký lại."
                    )
                },
                code="duplicate",
            )
        entry = WaitingEntry(
            venue=schedule.venue,
            date=date,
            start_time=start_time,
            organisation=organisation,
            organisation_name="" if organisation else organisation_name.strip(),
            contact_name=contact_name,
            contact_position=contact_position,
            phone=phone,
            email=email,
            group_size=group_size,
            occasion=occasion,
            consent=consent,
            consent_text=waiting_consent_record() if consent else "",
            consent_at=now if consent else None,
            language=language,
            created_at=now,
        )
        entry.full_clean()
        entry.save()
    notifications.notify_waiting_received(entry)
    return entry


def waiting_list_offer(
    *, venue_id: int, date: datetime.date, start_time: datetime.time, now: datetime.datetime | None = None
) -> list[WaitingEntry]:
    """Offer the free places of a slot to its waiting groups, first come first offered, each group that fits.

    Each offer holds its places for `offer_hours()`; the groups are emailed a link to claim them.
    A slot no longer bookable (past, within the notice, closed) offers nothing.
    """
    now = now or timezone.now()
    offered: list[WaitingEntry] = []
    with transaction.atomic():
        schedule = _lock_schedule(venue_id)
        if schedule is None:
            return offered
        waiting = list(WaitingEntry.objects.in_slot(venue_id, date, start_time).waiting().select_for_update())
        if not waiting:
            return offered
        try:
            slot_end(schedule, date, start_time, today=timezone.localdate(now))
        except ValidationError:
            return offered
        use = slot_usage(venue_id, date, date).get((date, start_time), SlotUse())
        expires = min(
            now + datetime.timedelta(hours=offer_hours()),
            datetime.datetime.combine(date, start_time, tzinfo=local_zone()),
        )
        for entry in waiting:
            if not _fits(schedule, use, group_size=entry.group_size, exclusive=entry.is_exclusive):
                continue
            entry.status = WaitingEntry.Status.OFFERED
            entry.offered_at = now
            entry.offer_expires_at = expires
            entry.full_clean()
            entry.save()
            use.taken += entry.group_size
            use.groups += 1
            use.exclusive = use.exclusive or entry.is_exclusive
            offered.append(entry)
    for entry in offered:
        notifications.notify_offer(entry)
    return offered


def waiting_list_offer_venue(*, venue_id: int, now: datetime.datetime | None = None) -> list[WaitingEntry]:
    """Offer places in every slot of a venue that has waiting groups (after its capacity changed)."""
    now = now or timezone.now()
    slots = (
        WaitingEntry.objects.filter(
            venue_id=venue_id, status=WaitingEntry.Status.WAITING, date__gte=timezone.localdate(now)
        )
        .values_list("date", "start_time")
        .distinct()
        .order_by("date", "start_time")
    )
    offered: list[WaitingEntry] = []
    for date, start_time in list(slots):
        offered += waiting_list_offer(venue_id=venue_id, date=date, start_time=start_time, now=now)
    return offered


def claim_refusal(entry: WaitingEntry, now: datetime.datetime) -> ValidationError | None:
    if entry.status == WaitingEntry.Status.CLAIMED:
        return ValidationError(
            _(
                "Lời mời này đã được dùng: đăng ký %(ref)s đã được tạo từ lời mời. Xin xem đăng ký đó theo đường"
                " dẫn trong thư xác nhận; không cần nhận chỗ lần nữa."
            )
            % {"ref": entry.booking.reference if entry.booking_id else "—"},
            code="claimed",
        )
    if entry.status == WaitingEntry.Status.WAITING:
        return ValidationError(
            _("Khung giờ này chưa có chỗ cho đơn vị. Ban Tuyên giáo sẽ gửi thư mời khi có chỗ."), code="not_offered"
        )
    expired = entry.status == WaitingEntry.Status.EXPIRED or (
        entry.status == WaitingEntry.Status.OFFERED and entry.offer_expires_at <= now
    )
    if expired:
        when = timezone.localtime(entry.offer_expires_at) if entry.offer_expires_at else None
        return ValidationError(
            _(
                "Lời mời giữ chỗ đã hết hạn%(when)s; chỗ đã được dành cho đơn vị chờ tiếp theo. Xin chọn khung"
                " giờ khác trên lịch đăng ký, hoặc đăng ký chờ lại."
            )
            % {"when": _(" lúc %(time)s") % {"time": when.strftime("%H:%M %d/%m/%Y")} if when else ""},
            code="expired",
        )
    if entry.status != WaitingEntry.Status.OFFERED:
        return ValidationError(_("Đăng ký chờ này đã kết thúc."), code="closed")
    return None


def waiting_entry_claim(*, entry: WaitingEntry, now: datetime.datetime | None = None) -> Booking:
    """Turn an open offer into a booking request, as the booking form would, under the venue's lock.

    The offer's own places are the group's; whatever else the slot holds is counted again. Raises
    ValidationError (used, expired, not offered, or the form's refusals); nothing is stored then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        schedule = _locked_schedule(entry.venue_id)
        entry = (
            WaitingEntry.objects.select_for_update(of=("self",))
            .select_related("venue", "organisation", "booking")
            .get(pk=entry.pk)
        )
        refusal = claim_refusal(entry, now)
        if refusal is not None:
            raise refusal
        booking = _booking_create(
            schedule=schedule,
            date=entry.date,
            start_time=entry.start_time,
            group_size=entry.group_size,
            occasion=entry.occasion,
            contact_name=entry.contact_name,
            contact_position=entry.contact_position,
            phone=entry.phone,
            email=entry.email,
            consent=entry.consent,
            consent_text=entry.consent_text,
            consent_at=entry.consent_at,
            organisation=entry.organisation,
            organisation_name=entry.organisation_name,
            programme=None,
            services=[],
            notes=_("Nhận chỗ từ danh sách chờ."),
            language=entry.language,
            now=now,
            exclude_entry_pk=entry.pk,
        )
        entry.status = WaitingEntry.Status.CLAIMED
        entry.booking = booking
        entry.full_clean()
        entry.save()
    notifications.notify_received(booking)
    notifications.notify_staff_new(booking)
    return booking


def waiting_offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Close the offers whose time has passed and offer their places to the next groups; close the
    waiting entries of slots that can no longer be booked. Returns the number of offers closed.

    Run by `manage.py expire_offers` from a timer (no job queue runs in this project yet).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    lapsed = list(
        WaitingEntry.objects.filter(status=WaitingEntry.Status.OFFERED, offer_expires_at__lte=now).values_list(
            "pk", "venue_id", "date", "start_time"
        )
    )
    closed = 0
    for pk, venue_id, date, start_time in lapsed:
        # A conditional update: a claim that got in first keeps its booking.
        if WaitingEntry.objects.filter(pk=pk, status=WaitingEntry.Status.OFFERED).update(
            status=WaitingEntry.Status.EXPIRED
        ):
            closed += 1
            waiting_list_offer(venue_id=venue_id, date=date, start_time=start_time, now=now)
    WaitingEntry.objects.filter(status=WaitingEntry.Status.WAITING, date__lt=today).update(
        status=WaitingEntry.Status.EXPIRED
    )
    return closed
