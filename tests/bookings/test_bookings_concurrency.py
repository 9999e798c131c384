"""No overbooking under concurrent requests: many committees race for the last places of one slot,
staff raise several groups of one slot at once, a service moves several bookings into one slot at once."""

import datetime
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from bookings import services
from bookings.models import Booking

REQUESTS = 24
GROUP_SIZE = 2
CAPACITY = 40
ALREADY_BOOKED = 34  # 6 places left: room for exactly 3 of the racing groups


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


on_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="SQLite serialises writers with IMMEDIATE transactions, and its in-memory test database is not shared"
    " between threads; the concurrency test needs PostgreSQL (DATABASE_URL=postgres://...).",
)


def race(count: int, work) -> None:
    """Run work(index) in `count` threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def held(day, start="08:00") -> int:
    return sum(Booking.objects.active().filter(date=day, start_time=start).values_list("group_size", flat=True))


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_exceed_capacity(schedule, request_booking, visit_day, build_form_data):
    assert schedule.capacity == CAPACITY
    request_booking(visit_day, group_size=ALREADY_BOOKED)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def book(index: int) -> None:
        client = Client(REMOTE_ADDR=f"10.0.{index // 200}.{index % 200 + 1}")
        data = build_form_data(
            schedule.venue, visit_day, group_size=str(GROUP_SIZE), organisation_name=f"Chi bộ số {index + 1}"
        )
        response = client.post("/dang-ky-tham-quan/", data)
        with lock:
            results.append((response.status_code, response.content.decode()))

    race(REQUESTS, book)

    accepted = [body for status, body in results if status == 302]
    refused = [body for status, body in results if status != 302]
    booked = sum(
        Booking.objects.active().filter(date=visit_day, start_time="08:00").values_list("group_size", flat=True)
    )
    print(
        f"\nconcurrency: sent={len(results)} accepted={len(accepted)} refused={len(refused)}"
        f" booked={booked} capacity={CAPACITY}"
    )
    assert len(results) == REQUESTS
    assert booked <= CAPACITY
    assert len(accepted) == (CAPACITY - ALREADY_BOOKED) // GROUP_SIZE
    assert booked == CAPACITY
    assert sorted(status for status, _body in results) == [302] * len(accepted) + [409] * len(refused)
    assert all("Khung giờ này vừa hết chỗ" in body for body in refused)
    assert Booking.objects.count() == 1 + len(accepted)


STAFF = 6  # each raises one group of 2 to 10 people: 8 more places each, 28 left, room for 3 of them


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_staff_edits_in_the_admin_never_exceed_capacity(
    schedule, request_booking, visit_day, propaganda_user, build_change_data
):
    bookings = [
        request_booking(visit_day, group_size=2, organisation_name=f"Chi bộ số {index + 1}") for index in range(STAFF)
    ]
    requests = []
    for booking in bookings:
        client = Client()
        client.force_login(propaganda_user)
        url = reverse("admin:bookings_booking_change", args=[booking.pk])
        requests.append((client, url, build_change_data(client, url, group_size=10)))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def edit(index: int) -> None:
        client, url, data = requests[index]
        response = client.post(url, data)
        with lock:
            results.append((response.status_code, response.content.decode()))

    race(STAFF, edit)

    saved = [body for status, body in results if status == 302]
    refused = [body for status, body in results if status != 302]
    print(f"\nstaff edits: sent={len(results)} saved={len(saved)} refused={len(refused)} held={held(visit_day)}")
    assert len(results) == STAFF
    assert held(visit_day) <= CAPACITY
    assert len(saved) == (CAPACITY - 2 * STAFF) // 8
    assert sorted(status for status, _body in results) == [200] * len(refused) + [302] * len(saved)
    assert all("Khung giờ này vừa hết chỗ cho đoàn 10 người" in body for body in refused)
    assert sorted(Booking.objects.values_list("group_size", flat=True)) == [2] * len(refused) + [10] * len(saved)


MOVERS = 6  # groups of 10 moving from other slots into one that holds 20 of 40: room for 2 of them


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_into_one_slot_never_exceed_capacity(schedule, request_booking, visit_day):
    request_booking(visit_day, group_size=20)
    starts = [datetime.time(9, 45), datetime.time(13, 30), datetime.time(15, 15)]
    movers = [
        request_booking(visit_day, start_time=starts[index % 3], group_size=10, organisation_name=f"Chi bộ {index}")
        for index in range(MOVERS)
    ]
    outcomes: list[str] = []
    lock = threading.Lock()

    def move(index: int) -> None:
        try:
            services.booking_change(booking=movers[index], start_time=datetime.time(8, 0))
        except ValidationError as error:
            outcome = " ".join(error.message_dict["start_time"])
        else:
            outcome = "moved"
        with lock:
            outcomes.append(outcome)

    race(MOVERS, move)

    print(f"\nmoves: sent={len(outcomes)} moved={outcomes.count('moved')} held={held(visit_day)}")
    assert len(outcomes) == MOVERS
    assert held(visit_day) <= CAPACITY
    assert outcomes.count("moved") == (CAPACITY - 20) // 10
    assert all("vừa hết chỗ" in outcome for outcome in outcomes if outcome != "moved")
