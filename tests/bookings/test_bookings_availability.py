"""Availability: opening hours cut into slots, closed days, notice, horizon, capacity, exclusive use."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings.availability import (
    SlotFullError,
    check_room,
    closed_reasons,
    month_calendar,
    public_holiday,
    slot_end,
)
from bookings.models import ClosedDay

pytestmark = pytest.mark.django_db


def test_opening_hours_are_cut_into_slots_with_the_turnover_buffer(schedule):
    monday = datetime.date(2026, 3, 2)
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in schedule.slot_times(monday)] == [
        ("08:00", "09:30"),
        ("09:45", "11:15"),
        ("13:30", "15:00"),
        ("15:15", "16:45"),
    ]
    assert schedule.slot_times(datetime.date(2026, 3, 7)) == []  # Saturday: no hours


def test_a_shorter_slot_and_buffer_give_more_slots(new_schedule, house):
    schedule = new_schedule(house, slot_minutes=60, buffer_minutes=0)
    assert len(schedule.slot_times(datetime.date(2026, 3, 2))) == 3 + 3


def test_vietnamese_public_holidays_close_the_venue_lunar_ones_included(schedule):
    assert "Quốc khánh" in public_holiday(datetime.date(2026, 9, 2))
    assert "Tết Nguyên Đán" in public_holiday(datetime.date(2026, 2, 17))
    assert "Hùng Vương" in public_holiday(datetime.date(2026, 4, 26))
    reasons = closed_reasons(schedule, datetime.date(2026, 8, 31), datetime.date(2026, 9, 3))
    assert set(reasons) == {datetime.date(2026, 8, 31), datetime.date(2026, 9, 1), datetime.date(2026, 9, 2)}


def test_holidays_can_be_ignored_by_a_venue(schedule):
    schedule.close_on_public_holidays = False
    schedule.save()
    assert closed_reasons(schedule, datetime.date(2026, 9, 2), datetime.date(2026, 9, 2)) == {}


def test_staff_closed_ranges_apply_to_their_venue_or_to_all(schedule, house):
    ClosedDay.objects.create(
        venue=None, kind="tet", start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 3), reason="Tết"
    )
    ClosedDay.objects.create(
        venue=house, start_date=datetime.date(2027, 3, 8), end_date=datetime.date(2027, 3, 8), reason="Sửa mái"
    )
    reasons = closed_reasons(schedule, datetime.date(2027, 2, 28), datetime.date(2027, 3, 9))
    assert {day for day, reason in reasons.items() if reason == "Tết"} == {
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 2),
        datetime.date(2027, 3, 3),
    }
    assert datetime.date(2027, 3, 8) not in reasons  # the House's repair does not close the Room


def _today():
    return timezone.localdate()


def test_minimum_notice_and_maximum_horizon(schedule, find_open_day):
    today = _today()
    with pytest.raises(ValidationError, match="ít nhất 2 ngày") as too_soon:
        slot_end(schedule, today + datetime.timedelta(days=1), datetime.time(8, 0), today=today)
    assert too_soon.value.code == "too_soon"
    with pytest.raises(ValidationError, match="trong vòng 60 ngày") as too_late:
        slot_end(schedule, today + datetime.timedelta(days=61), datetime.time(8, 0), today=today)
    assert too_late.value.code == "too_late"
    day = find_open_day(schedule)
    assert slot_end(schedule, day, datetime.time(8, 0), today=today) == datetime.time(9, 30)


def test_closed_days_and_non_slots_are_refused(schedule, find_open_day):
    today = _today()
    day = find_open_day(schedule)
    with pytest.raises(ValidationError, match="không phải là một khung giờ"):
        slot_end(schedule, day, datetime.time(9, 0), today=today)
    ClosedDay.objects.create(venue=schedule.venue, start_date=day, end_date=day, reason="Kiểm kê hiện vật")
    with pytest.raises(ValidationError, match="Kiểm kê hiện vật") as closed:
        slot_end(schedule, day, datetime.time(8, 0), today=today)
    assert closed.value.code == "closed_day"


def test_a_venue_not_open_for_booking_refuses_everything(schedule, find_open_day):
    day = find_open_day(schedule)
    schedule.is_open_for_booking = False
    schedule.save()
    with pytest.raises(ValidationError, match="chưa nhận đăng ký"):
        slot_end(schedule, day, datetime.time(8, 0), today=_today())


def test_capacity_counts_pending_and_confirmed_but_not_cancelled(schedule, request_booking, visit_day):
    from bookings.services import booking_cancel, booking_confirm

    first = request_booking(visit_day, group_size=25)
    booking_confirm(booking=first)
    second = request_booking(visit_day, group_size=15)
    with pytest.raises(SlotFullError, match="vừa hết chỗ"):
        check_room(schedule, visit_day, datetime.time(8, 0), group_size=1, exclusive=False)
    booking_cancel(booking=second, by_booker=True)
    check_room(schedule, visit_day, datetime.time(8, 0), group_size=15, exclusive=False)
    with pytest.raises(SlotFullError, match="chỉ còn 15 chỗ"):
        check_room(schedule, visit_day, datetime.time(8, 0), group_size=16, exclusive=False)


def test_an_admission_ceremony_takes_the_whole_slot(schedule, request_booking, visit_day):
    request_booking(visit_day, group_size=10, occasion="admission")
    with pytest.raises(SlotFullError, match="dành riêng"):
        check_room(schedule, visit_day, datetime.time(8, 0), group_size=1, exclusive=False)
    # The next slot is untouched.
    check_room(schedule, visit_day, datetime.time(9, 45), group_size=40, exclusive=False)


def test_a_ceremony_needs_an_empty_slot(schedule, request_booking, visit_day):
    request_booking(visit_day, group_size=5)
    with pytest.raises(SlotFullError, match="dùng riêng cả khung giờ"):
        check_room(schedule, visit_day, datetime.time(8, 0), group_size=5, exclusive=True)
    schedule.exclusive_ceremonies = False
    schedule.save()
    check_room(schedule, visit_day, datetime.time(8, 0), group_size=5, exclusive=True)


@pytest.mark.instant("2026-12-03 09:00")
def test_month_calendar_shows_free_places_closures_and_the_window(
    schedule, request_booking, visit_day, django_assert_max_num_queries
):
    assert visit_day == datetime.date(2026, 12, 7)  # two days' notice, then the weekend
    request_booking(visit_day, group_size=30)
    request_booking(visit_day, group_size=10, start_time=datetime.time(9, 45), occasion="admission")
    with django_assert_max_num_queries(4):  # hours, closed days, bookings: not one per day or booking
        weeks = month_calendar(schedule, visit_day.year, visit_day.month, today=_today())
    days = {day.date: day for week in weeks for day in week if day}
    info = days[visit_day]
    first, second = info.slots[0], info.slots[1]
    assert (first.remaining, first.is_free, first.is_empty) == (10, True, False)
    assert (second.remaining, second.is_free) == (0, False)
    assert info.slots[2].remaining == 40
    yesterday = datetime.date(2026, 12, 2)
    assert days[yesterday].outside_window and not days[yesterday].slots
    assert days[datetime.date(2026, 12, 4)].outside_window  # inside the two days' notice


def test_month_calendar_marks_holidays(schedule):
    weeks = month_calendar(schedule, 2026, 9, today=datetime.date(2026, 8, 1))
    days = {day.date: day for week in weeks for day in week if day}
    assert "Quốc khánh" in days[datetime.date(2026, 9, 2)].closed_reason
    assert days[datetime.date(2026, 9, 2)].slots == []
    assert len(days[datetime.date(2026, 9, 3)].slots) == 4
    assert days[datetime.date(2026, 9, 5)].slots == []  # Saturday
    assert weeks[0][0] is None  # 1 September 2026 is a Tuesday: Monday belongs to August
