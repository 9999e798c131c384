"""Staff enter a booking taken by telephone and move a visit to another slot, through the lock."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bookings import services
from bookings.models import Booking
from tests.bookings.conftest import booking_kwargs
from tests.bookings.test_bookings_concurrency import held, on_postgresql, race

pytestmark = pytest.mark.django_db

ADD = "/admin/bookings/booking/add/"
# Monday 1 March 2027, 09:00 in Hà Nội: with two days' notice, Thursday 4 March is bookable.
MONDAY = "2027-03-01 09:00 +07:00"
THURSDAY = datetime.date(2027, 3, 4)


def telephone_data(**overrides) -> dict:
    values = {
        "venue": "",
        "date": "04/03/2027",
        "start_time": "08:00",
        "group_size": "25",
        "organisation": "",
        "organisation_name": "Chi bộ Vụ Gọi điện",
        "contact_name": "Lê Thị Hoa",
        "contact_position": "Phó Bí thư Chi bộ",
        "phone": "024 3823 1234",
        "email": "hoa@example.org",
        "language": "vi",
        "occasion": "chapter_meeting",
        "programme": "",
        "services": ["guided_tour", "film"],
        "notes": "Gọi lúc 9 giờ.",
        "consent": "on",
    }
    values.update(overrides)
    return values


@time_machine.travel(MONDAY, tick=False)
def test_a_telephone_booking_is_counted_under_the_lock_and_records_who_entered_it(
    client, propaganda_user, schedule, mailoutbox
):
    services.booking_request(**booking_kwargs(schedule.venue, THURSDAY, group_size=20))
    mailoutbox.clear()
    client.force_login(propaganda_user)
    page = client.get(ADD)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thêm đăng ký qua điện thoại" in html
    assert 'type="checkbox" name="services" value="guided_tour"' in html
    assert '<option value="08:00">08:00–09:30</option>' in html

    full = client.post(ADD, telephone_data(venue=schedule.venue.pk))
    assert full.status_code == 409
    assert "chỉ còn 20 chỗ" in " ".join(full.context["form"].errors["start_time"])
    assert Booking.objects.count() == 1
    assert not mailoutbox

    taken = client.post(ADD, telephone_data(venue=schedule.venue.pk, group_size="20"))
    assert taken.status_code == 302
    booking = Booking.objects.get(organisation_name="Chi bộ Vụ Gọi điện")
    assert taken.url == reverse("admin:bookings_booking_change", args=[booking.pk])
    assert (booking.source, booking.entered_by, booking.status) == ("telephone", propaganda_user, "pending")
    assert (booking.date, booking.start_time, booking.end_time) == (THURSDAY, datetime.time(8), datetime.time(9, 30))
    assert (booking.phone, booking.services, booking.consent) == ("02438231234", ["guided_tour", "film"], True)
    assert booking.history.latest().history_user == propaganda_user
    assert [m.to for m in mailoutbox] == [["hoa@example.org"]]
    notice = [str(m) for m in client.get(taken.url).context["messages"]]
    assert any("đang chờ xác nhận" in text and "qua thư điện tử" in text for text in notice)


@time_machine.travel(MONDAY, tick=False)
def test_a_telephone_booking_without_email_may_be_confirmed_at_once(client, propaganda_user, schedule, mailoutbox):
    client.force_login(propaganda_user)
    taken = client.post(
        ADD, telephone_data(venue=schedule.venue.pk, email="", confirm="on", start_time="13:30"), follow=True
    )
    booking = Booking.objects.get()
    assert (booking.status, booking.email, booking.start_time) == ("confirmed", "", datetime.time(13, 30))
    assert booking.decided_at is not None
    assert not mailoutbox
    assert any("xin báo đơn vị qua điện thoại" in str(m) for m in taken.context["messages"])


@time_machine.travel(MONDAY, tick=False)
def test_a_telephone_booking_outside_the_rules_names_the_field(client, propaganda_user, schedule):
    client.force_login(propaganda_user)
    too_soon = client.post(ADD, telephone_data(venue=schedule.venue.pk, date="02/03/2027"))
    assert "từ 03/03/2027 trở đi" in " ".join(too_soon.context["form"].errors["start_time"])
    too_many = client.post(ADD, telephone_data(venue=schedule.venue.pk, group_size="41"))
    assert "tối đa 40 người" in " ".join(too_many.context["form"].errors["group_size"])
    no_one = client.post(ADD, telephone_data(venue=schedule.venue.pk, consent="", organisation_name=""))
    assert set(no_one.context["form"].errors) == {"consent", "organisation_name"}
    assert "Có 2 mục cần sửa" in no_one.content.decode()
    assert not Booking.objects.exists()


def test_only_staff_who_may_add_bookings_enter_one(client, office_user, leadership_user, schedule):
    for user in (office_user, leadership_user):
        client.force_login(user)
        assert client.get(ADD).status_code == 403
        assert client.post(ADD, telephone_data(venue=schedule.venue.pk)).status_code == 403
        assert "Thêm đăng ký qua điện thoại" not in client.get("/admin/bookings/booking/").content.decode()
    assert not Booking.objects.exists()


@time_machine.travel(MONDAY, tick=False)
def test_staff_move_a_visit_with_an_email_and_a_newer_calendar_file(client, propaganda_user, schedule, mailoutbox):
    booking = services.booking_confirm(booking=services.booking_request(**booking_kwargs(schedule.venue, THURSDAY)))
    sequence = booking.calendar_sequence
    mailoutbox.clear()
    client.force_login(propaganda_user)
    change = client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    url = reverse("admin:bookings_booking_move", args=[booking.pk])
    assert f'href="{url}">Chuyển sang khung giờ khác' in change
    page = client.get(url)
    assert page.status_code == 200
    assert '<option value="15:15">15:15–16:45</option>' in page.content.decode()

    moved = client.post(url, {"date": "05/03/2027", "start_time": "13:30"}, follow=True)
    booking.refresh_from_db()
    assert (booking.date, booking.start_time, booking.end_time, booking.status) == (
        datetime.date(2027, 3, 5),
        datetime.time(13, 30),
        datetime.time(15, 0),
        "confirmed",
    )
    assert booking.calendar_sequence == sequence + 1
    assert any(
        "Đã chuyển đăng ký" in str(m) and "13:30–15:00 ngày 05/03/2027" in str(m) for m in moved.context["messages"]
    )
    [mail] = mailoutbox
    assert mail.to == [booking.email]
    assert "13:30–15:00" in mail.body
    [(name, ics, mimetype)] = mail.attachments
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:REQUEST" in ics and f"SEQUENCE:{sequence + 1}" in ics
    assert "method=REQUEST" in mimetype
    latest = booking.history.latest()
    assert latest.history_user == propaganda_user
    assert latest.history_change_reason == "Chuyển từ 08:00 04/03/2027 sang 13:30 05/03/2027"


@time_machine.travel(MONDAY, tick=False)
def test_a_move_to_a_full_slot_is_refused_and_changes_nothing(client, propaganda_user, schedule, mailoutbox):
    services.booking_request(**booking_kwargs(schedule.venue, THURSDAY, start_time=datetime.time(9, 45), group_size=30))
    booking = services.booking_request(**booking_kwargs(schedule.venue, THURSDAY, group_size=20))
    mailoutbox.clear()
    before = (booking.date, booking.start_time, booking.calendar_sequence, booking.history.count())
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_booking_move", args=[booking.pk])

    full = client.post(url, {"date": "04/03/2027", "start_time": "09:45"})
    assert full.status_code == 409
    assert "chỉ còn 10 chỗ" in " ".join(full.context["form"].errors["start_time"])
    same = client.post(url, {"date": "04/03/2027", "start_time": "08:00"})
    assert "đúng khung giờ này" in " ".join(same.context["form"].errors["start_time"])
    closed_day = client.post(url, {"date": "06/03/2027", "start_time": "08:00"})
    assert "không phải là một khung giờ" in " ".join(closed_day.context["form"].errors["date"])
    booking.refresh_from_db()
    assert (booking.date, booking.start_time, booking.calendar_sequence, booking.history.count()) == before
    assert not mailoutbox


@time_machine.travel(MONDAY, tick=False)
def test_moving_needs_the_change_permission_and_a_visit_that_holds_places(
    client, propaganda_user, office_user, schedule
):
    booking = services.booking_request(**booking_kwargs(schedule.venue, THURSDAY))
    url = reverse("admin:bookings_booking_move", args=[booking.pk])
    client.force_login(office_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"date": "05/03/2027", "start_time": "08:00"}).status_code == 403
    assert (
        "Chuyển sang khung giờ khác"
        not in client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    )
    services.booking_cancel(booking=booking, by_booker=True)
    client.force_login(propaganda_user)
    refused = client.post(url, {"date": "05/03/2027", "start_time": "08:00"})
    assert "Chỉ chuyển được đăng ký đang chờ xác nhận hoặc đã xác nhận" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.date == THURSDAY


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_telephone_bookings_racing_the_public_form_never_exceed_capacity(schedule, propaganda_user, visit_day):
    """Staff entering calls and committees booking online take the last 6 places at once: 3 groups of 2 get in."""
    services.booking_request(**booking_kwargs(schedule.venue, visit_day, group_size=34))
    outcomes: list[str] = []
    lock = threading.Lock()

    def take(index: int) -> None:
        if index % 2:
            client = Client()
            client.force_login(propaganda_user)
            data = telephone_data(
                venue=schedule.venue.pk,
                date=visit_day.strftime("%d/%m/%Y"),
                group_size="2",
                organisation_name=f"Chi bộ gọi điện {index}",
            )
            response = client.post(ADD, data)
            errors = response.context["form"].errors if response.status_code != 302 else {}
            outcome = " ".join(errors["start_time"]) if errors else "taken"
        else:
            try:
                services.booking_request(
                    **booking_kwargs(schedule.venue, visit_day, group_size=2, organisation_name=f"Chi bộ {index}")
                )
            except ValidationError as error:
                outcome = " ".join(error.messages)
            else:
                outcome = "taken"
        with lock:
            outcomes.append(outcome)

    race(8, take)

    assert len(outcomes) == 8
    assert outcomes.count("taken") == 3
    assert all("vừa hết chỗ" in outcome for outcome in outcomes if outcome != "taken")
    assert held(visit_day) == 40


@time_machine.travel(MONDAY, tick=False)
def test_the_staff_forms_query_counts_are_pinned(client, propaganda_user, schedule, django_assert_num_queries):
    booking = services.booking_request(**booking_kwargs(schedule.venue, THURSDAY))
    client.force_login(propaganda_user)
    move = reverse("admin:bookings_booking_move", args=[booking.pk])
    client.get(ADD)
    with django_assert_num_queries(10):
        assert client.get(ADD).status_code == 200
    client.get(move)
    with django_assert_num_queries(7):
        assert client.get(move).status_code == 200
