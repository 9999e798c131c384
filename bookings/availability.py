"""Which slots of a venue can take a group: opening hours, closed days, notice, horizon, capacity.

The rules read the venue's `VenueSchedule`; public holidays come from the `holidays` package,
whose country classes are imported with this module (the package's first lookup of a country
imports every country's module), so no request pays for that import.
Listing a month costs a fixed number of queries whatever the number of bookings.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from holidays.countries import Vietnam

from bookings.models import Booking, ClosedDay, Occasion, Service, VenueSchedule, WaitingEntry

SLOT_FULL_CODE = "slot_full"


class SlotFullError(ValidationError):
    """The slot has no room left for this group (raised under the lock, so it is final)."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("Khung giờ này vừa hết chỗ: đơn vị khác đã đăng ký trước. Xin chọn khung giờ khác trên lịch."),
            code=SLOT_FULL_CODE,
        )


@lru_cache(maxsize=32)
def _holidays(year: int, language: str) -> dict[datetime.date, str]:
    return dict(Vietnam(years=year, language=language).items())


def public_holiday(day: datetime.date) -> str | None:
    """The name of Vietnam's public holiday on `day`, in the current language, or None."""
    language = "en_US" if get_language() == "en" else "vi"
    return _holidays(day.year, language).get(day)


def closed_reasons(schedule: VenueSchedule, start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """Why each closed day between start and end (inclusive) is closed: public holidays, Tết, closures."""
    reasons: dict[datetime.date, str] = {}
    if schedule.close_on_public_holidays:
        day = start
        while day <= end:
            name = public_holiday(day)
            if name:
                reasons[day] = name
            day += datetime.timedelta(days=1)
    for closed in ClosedDay.objects.for_venue(schedule.venue_id).overlapping(start, end):
        day = max(closed.start_date, start)
        while day <= min(closed.end_date, end):
            reasons.setdefault(day, closed.reason)
            day += datetime.timedelta(days=1)
    return reasons


def is_exclusive(*, occasion: str, services: list[str] | tuple[str, ...]) -> bool:
    return occasion == Occasion.ADMISSION or Service.CEREMONY in services


@dataclass
class SlotUse:
    """What is already booked in one slot."""

    taken: int = 0
    groups: int = 0
    exclusive: bool = False


def slot_usage(
    venue_id: int,
    start: datetime.date,
    end: datetime.date,
    *,
    exclude_pk: int | None = None,
    confirmed_only: bool = False,
    exclude_entry_pk: int | None = None,
) -> dict[tuple[datetime.date, datetime.time], SlotUse]:
    """Places held in each slot of a venue between two dates, in two queries.

    Pending and confirmed bookings hold places, and so do the waiting list's open offers until
    they expire (`confirmed_only`: the confirmed bookings alone, as confirming counts).
    """
    rows = Booking.objects.filter(venue_id=venue_id, date__gte=start, date__lte=end)
    rows = rows.filter(status=Booking.Status.CONFIRMED) if confirmed_only else rows.active()
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    usage: dict[tuple[datetime.date, datetime.time], SlotUse] = defaultdict(SlotUse)
    held = list(rows.values_list("date", "start_time", "group_size", "occasion", "services"))
    if not confirmed_only:
        offers = WaitingEntry.objects.holding(timezone.now()).filter(venue_id=venue_id, date__gte=start, date__lte=end)
        if exclude_entry_pk:
            offers = offers.exclude(pk=exclude_entry_pk)
        held += [(*row, []) for row in offers.values_list("date", "start_time", "group_size", "occasion")]
    for day, start_time, group_size, occasion, services in held:
        use = usage[(day, start_time)]
        use.taken += group_size
        use.groups += 1
        use.exclusive = use.exclusive or is_exclusive(occasion=occasion, services=services or [])
    return usage


@dataclass
class SlotInfo:
    """One slot of a day as the calendar shows it."""

    date: datetime.date
    start: datetime.time
    end: datetime.time
    capacity: int
    use: SlotUse

    @property
    def value(self) -> str:
        return f"{self.date.isoformat()}T{self.start:%H:%M}"

    @property
    def remaining(self) -> int:
        return 0 if self.use.exclusive else max(self.capacity - self.use.taken, 0)

    @property
    def is_free(self) -> bool:
        return self.remaining > 0

    @property
    def is_empty(self) -> bool:
        """No group yet: the only state in which a ceremony can take the slot."""
        return self.use.groups == 0


@dataclass
class DayInfo:
    """One day of the month calendar."""

    date: datetime.date
    closed_reason: str = ""
    outside_window: bool = False
    slots: list[SlotInfo] = field(default_factory=list)

    @property
    def free_slots(self) -> list[SlotInfo]:
        return [slot for slot in self.slots if slot.is_free]


def month_calendar(
    schedule: VenueSchedule, year: int, month: int, *, today: datetime.date
) -> list[list[DayInfo | None]]:
    """The weeks (Monday first) of a month, each day with its slots and their free places."""
    prefetch_related_objects([schedule], "opening_hours")
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    reasons = closed_reasons(schedule, first, last)
    usage = slot_usage(schedule.venue_id, first, last)
    earliest, latest = schedule.earliest_date(today), schedule.latest_date(today)
    weeks: list[list[DayInfo | None]] = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row: list[DayInfo | None] = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            info = DayInfo(date=day, closed_reason=reasons.get(day, ""))
            info.outside_window = not (earliest <= day <= latest) or not schedule.is_open_for_booking
            if not info.closed_reason and not info.outside_window:
                info.slots = [
                    SlotInfo(day, start, end, schedule.capacity, usage.get((day, start), SlotUse()))
                    for start, end in schedule.slot_times(day)
                ]
            row.append(info)
        weeks.append(row)
    return weeks


def slot_end(schedule: VenueSchedule, day: datetime.date, start: datetime.time, *, today: datetime.date):
    """Check that a slot may be booked at all (not yet its capacity) and return its end time.

    Raises ValidationError with a message saying what is wrong and what to do.
    """
    if not schedule.is_open_for_booking:
        raise ValidationError(_("Địa điểm này hiện chưa nhận đăng ký tham quan."), code="venue_closed")
    earliest, latest = schedule.earliest_date(today), schedule.latest_date(today)
    if day < earliest:
        raise ValidationError(
            _("Cần đăng ký trước ít nhất %(days)s ngày: xin chọn ngày từ %(date)s trở đi.")
            % {"days": schedule.min_notice_days, "date": earliest.strftime("%d/%m/%Y")},
            code="too_soon",
        )
    if day > latest:
        raise ValidationError(
            _("Chỉ nhận đăng ký trong vòng %(days)s ngày tới: xin chọn ngày đến %(date)s.")
            % {"days": schedule.max_horizon_days, "date": latest.strftime("%d/%m/%Y")},
            code="too_late",
        )
    reason = closed_reasons(schedule, day, day).get(day)
    if reason:
        raise ValidationError(
            _("Ngày %(date)s địa điểm nghỉ (%(reason)s). Xin chọn ngày khác.")
            % {"date": day.strftime("%d/%m/%Y"), "reason": reason},
            code="closed_day",
        )
    for slot_start, end in schedule.slot_times(day):
        if slot_start == start:
            return end
    raise ValidationError(
        _("%(time)s ngày %(date)s không phải là một khung giờ tiếp đón. Xin chọn khung giờ trên lịch.")
        % {"time": start.strftime("%H:%M"), "date": day.strftime("%d/%m/%Y")},
        code="no_such_slot",
    )


def check_room(
    schedule: VenueSchedule,
    day: datetime.date,
    start: datetime.time,
    *,
    group_size: int,
    exclusive: bool,
    exclude_pk: int | None = None,
    confirmed_only: bool = False,
    exclude_entry_pk: int | None = None,
) -> None:
    """Raise SlotFullError unless the group fits in the slot. Call it while holding the venue's lock.

    A new request counts every booking that holds places (pending and confirmed); confirming
    counts the confirmed ones, so staff can still confirm one of two requests after lowering
    the capacity, but never confirm beyond it.
    """
    use = slot_usage(
        schedule.venue_id,
        day,
        day,
        exclude_pk=exclude_pk,
        confirmed_only=confirmed_only,
        exclude_entry_pk=exclude_entry_pk,
    ).get((day, start), SlotUse())
    if schedule.exclusive_ceremonies:
        if use.exclusive:
            raise SlotFullError(
                _("Khung giờ này đã được dành riêng cho một buổi lễ kết nạp hoặc nghi lễ. Xin chọn khung giờ khác.")
            )
        if exclusive and use.groups:
            raise SlotFullError(
                _(
                    "Lễ kết nạp và nghi lễ tại phòng cần dùng riêng cả khung giờ, nhưng khung giờ này đã có đoàn khác."
                    " Xin chọn khung giờ còn trống hoàn toàn."
                )
            )
    if use.taken + group_size > schedule.capacity:
        remaining = max(schedule.capacity - use.taken, 0)
        if remaining:
            raise SlotFullError(
                _(
                    "Khung giờ này vừa hết chỗ cho đoàn %(size)s người: chỉ còn %(remaining)s chỗ."
                    " Xin chọn khung giờ khác hoặc giảm số người."
                )
                % {"remaining": remaining, "size": group_size}
            )
        raise SlotFullError()
