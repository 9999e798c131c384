"""Fixtures of the bookings tests: a venue with a schedule, programmes, committees, a helper to book."""

import datetime

import pytest
from django.db import models
from django.utils import timezone

from archive.models import Body, Venue
from bookings.availability import closed_reasons
from bookings.models import OpeningHours, Programme, VenueSchedule

STAFF_EMAIL = "tuyengiao-staff@example.org"


@pytest.fixture(autouse=True)
def _booking_settings(settings):
    settings.STAFF_NOTIFICATION_EMAILS = [STAFF_EMAIL]
    settings.SITE_URL = "https://phongtruyenthong.example.vn"


def make_schedule(venue: Venue, **overrides) -> VenueSchedule:
    values = {
        "slot_minutes": 90,
        "buffer_minutes": 15,
        "capacity": 40,
        "max_group_size": 40,
        "min_notice_days": 2,
        "max_horizon_days": 60,
        "reminder_days_before": 2,
    } | overrides
    schedule = VenueSchedule.objects.create(venue=venue, **values)
    for weekday in range(5):
        OpeningHours.objects.create(
            schedule=schedule, weekday=weekday, opens=datetime.time(8, 0), closes=datetime.time(11, 30)
        )
        OpeningHours.objects.create(
            schedule=schedule, weekday=weekday, opens=datetime.time(13, 30), closes=datetime.time(17, 0)
        )
    return schedule


@pytest.fixture
def venue(db) -> Venue:
    return Venue.objects.get(code="phong-truyen-thong")


@pytest.fixture
def house(db) -> Venue:
    return Venue.objects.get(code="nha-truyen-thong")


@pytest.fixture
def schedule(venue) -> VenueSchedule:
    return make_schedule(venue)


@pytest.fixture
def programme(db) -> Programme:
    return Programme.objects.create(name="Tham quan có thuyết minh và xem phim", duration_minutes=90)


@pytest.fixture
def committee(db) -> Body:
    return Body.objects.create(name="Đảng ủy Bộ Thử nghiệm", kind=Body.Kind.SUBORDINATE)


def open_day(schedule: VenueSchedule, *, after: datetime.date | None = None) -> datetime.date:
    """The first day from the earliest bookable date (or `after`) with opening hours and no closure."""
    today = timezone.localdate()
    day = max(after or today, schedule.earliest_date(today))
    while True:
        if schedule.slot_times(day) and not closed_reasons(schedule, day, day):
            return day
        day += datetime.timedelta(days=1)


@pytest.fixture
def visit_day(schedule) -> datetime.date:
    return open_day(schedule)


def booking_kwargs(venue, day, **overrides) -> dict:
    values = {
        "venue": venue,
        "date": day,
        "start_time": datetime.time(8, 0),
        "group_size": 20,
        "occasion": "chapter_meeting",
        "organisation_name": "Chi bộ Vụ Thử nghiệm",
        "contact_name": "Nguyễn Văn An",
        "contact_position": "Bí thư Chi bộ",
        "phone": "0912345678",
        "email": "an@example.org",
        "consent": True,
    }
    values.update(overrides)
    return values


def form_data(venue, day, **overrides) -> dict:
    values = {
        "venue": venue.code,
        "slot": f"{day.isoformat()}T08:00",
        "organisation": "",
        "organisation_name": "Chi bộ Vụ Thử nghiệm",
        "contact_name": "Nguyễn Văn An",
        "contact_position": "Bí thư Chi bộ",
        "phone": "0912 345 678",
        "email": "an@example.org",
        "group_size": "20",
        "occasion": "chapter_meeting",
        "programme": "",
        "services": ["guided_tour", "film"],
        "notes": "",
        "consent": "on",
        "website": "",
    }
    values.update(overrides)
    return values


def _posted(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_posted(v) for v in value]
    return "" if value is None else value


def inline_data(page) -> dict:
    """What the admin page's inline formsets post back unchanged: management forms and existing rows."""
    data = {}
    for inline in page.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        # The blank extra rows are left out, as a browser posts them unchanged.
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
        for form in formset.initial_forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is False or value is None:
                    continue
                data[form.add_prefix(name)] = _posted(value)
    return data


def change_data(client, url: str, **overrides) -> dict:
    """What a staff member's browser posts from an admin form of a booking (change or revert), with overrides."""
    page = client.get(url)
    form = page.context["adminform"].form
    values = {name: form.initial.get(name) for name in form.fields}
    data = {name: "" if value is None else value for name, value in values.items()}
    data["services"] = list(values.get("services") or [])  # one value per ticked box
    data.update(inline_data(page))
    data.update(overrides)
    return data


@pytest.fixture
def build_change_data():
    return change_data


@pytest.fixture
def build_inline_data():
    return inline_data


@pytest.fixture
def find_open_day():
    return open_day


@pytest.fixture
def build_form_data():
    return form_data


@pytest.fixture
def request_booking(schedule, mailoutbox):
    """Book through the service with sensible defaults; the outbox is emptied afterwards."""
    from bookings.services import booking_request

    def _request(day=None, **overrides):
        booking = booking_request(**booking_kwargs(schedule.venue, day or open_day(schedule), **overrides))
        mailoutbox.clear()
        return booking

    return _request


@pytest.fixture
def new_schedule():
    return make_schedule


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Each test starts on the Vietnamese site (a request to /en/ leaves English active in the thread)."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")
