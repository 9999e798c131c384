"""Changing a booking after its request: staff's change form, a revert from its history, the service.

Every change that takes more of a slot (more people, a ceremony that needs the slot to itself,
another slot, places held again) is counted as a new request is; a change that takes no more
is always saved. Each refusal names its field, and nothing is stored.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bookings import services
from bookings.availability import SlotFullError
from bookings.models import Booking

pytestmark = pytest.mark.django_db


def change_url(booking: Booking) -> str:
    return reverse("admin:bookings_booking_change", args=[booking.pk])


def test_staff_cannot_raise_a_group_beyond_the_places_left(
    client, propaganda_user, request_booking, visit_day, schedule, build_change_data
):
    ours = request_booking(visit_day, group_size=20)
    request_booking(visit_day, group_size=15, organisation_name="Chi bộ khác")
    client.force_login(propaganda_user)
    url = change_url(ours)

    for size, message in ((26, "chỉ còn 25 chỗ"), (41, "tối đa 40 người")):
        response = client.post(url, build_change_data(client, url, group_size=size))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert message in " ".join(errors["group_size"]), errors
        ours.refresh_from_db()
        assert ours.group_size == 20

    assert client.post(url, build_change_data(client, url, group_size=25)).status_code == 302
    ours.refresh_from_db()
    assert ours.group_size == 25
    assert ours.history.first().history_user == propaganda_user

    # Capacity lowered below what is held: what takes no more of the slot still saves.
    schedule.capacity = schedule.max_group_size = 30
    schedule.save()
    data = build_change_data(client, url, group_size=22, guide=propaganda_user.pk, staff_notes="Đón ở cổng B")
    assert client.post(url, data).status_code == 302
    ours.refresh_from_db()
    assert (ours.group_size, ours.guide, ours.staff_notes) == (22, propaganda_user, "Đón ở cổng B")


def test_staff_cannot_hold_an_admission_ceremony_in_a_shared_slot(
    client, propaganda_user, request_booking, visit_day, build_change_data
):
    ours = request_booking(visit_day, group_size=5)
    for index in range(5):
        request_booking(visit_day, group_size=5, organisation_name=f"Chi bộ số {index + 1}")
    client.force_login(propaganda_user)
    url = change_url(ours)

    for field, value in (("occasion", "admission"), ("services", ["guided_tour", "ceremony"])):
        response = client.post(url, build_change_data(client, url, **{field: value}))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "dùng riêng cả khung giờ" in " ".join(errors[field]), errors
    ours.refresh_from_db()
    assert (ours.occasion, ours.services) == ("chapter_meeting", [])

    alone = request_booking(visit_day, start_time=datetime.time(9, 45), group_size=5)
    url = change_url(alone)
    assert client.post(url, build_change_data(client, url, occasion="admission")).status_code == 302
    alone.refresh_from_db()
    assert alone.occasion == "admission"


def test_a_revert_from_the_history_goes_through_the_same_rules(
    client, propaganda_user, request_booking, visit_day, build_change_data
):
    ours = request_booking(visit_day, group_size=40)
    secret = ours.secret
    client.force_login(propaganda_user)
    for size in (10, 12):
        url = change_url(ours)
        assert client.post(url, build_change_data(client, url, group_size=size)).status_code == 302
    request_booking(visit_day, group_size=28, organisation_name="Chi bộ khác")
    forty, ten, _twelve = ours.history.order_by("history_date")
    url = reverse("admin:bookings_booking_simple_history", args=[ours.pk, forty.history_id])
    response = client.post(url, build_change_data(client, url))
    assert response.status_code == 200
    assert "chỉ còn 12 chỗ" in " ".join(response.context["adminform"].form.errors["group_size"])
    ours.refresh_from_db()
    assert ours.group_size == 12

    url = reverse("admin:bookings_booking_simple_history", args=[ours.pk, ten.history_id])
    assert client.post(url, build_change_data(client, url)).status_code == 302
    ours.refresh_from_db()
    assert (ours.group_size, ours.status, ours.secret) == (10, "pending", secret)

    # A cancelled booking is not brought back by reverting to a version that held places.
    services.booking_cancel(booking=ours, by_booker=True)
    response = client.post(url, build_change_data(client, url, group_size=10))
    assert response.status_code == 200
    assert "Không thể chuyển" in " ".join(response.context["adminform"].form.non_field_errors())
    ours.refresh_from_db()
    assert ours.status == "cancelled"


def test_the_service_moves_a_booking_only_into_a_slot_with_room(request_booking, visit_day):
    request_booking(visit_day, start_time=datetime.time(9, 45), group_size=30, organisation_name="Chi bộ khác")
    ours = request_booking(visit_day, group_size=20)

    with pytest.raises(ValidationError) as refused:
        services.booking_change(booking=ours, start_time=datetime.time(9, 45))
    assert "chỉ còn 10 chỗ" in refused.value.message_dict["start_time"][0]
    with pytest.raises(ValidationError) as refused:
        services.booking_change(booking=ours, start_time=datetime.time(12, 0))
    assert "không phải là một khung giờ" in refused.value.message_dict["start_time"][0]
    ours.refresh_from_db()
    assert (ours.start_time, ours.end_time) == (datetime.time(8), datetime.time(9, 30))

    moved = services.booking_change(booking=ours, start_time=datetime.time(13, 30))
    ours.refresh_from_db()
    assert (moved.start_time, ours.start_time, ours.end_time) == (
        datetime.time(13, 30),
        datetime.time(13, 30),
        datetime.time(15, 0),
    )
    with pytest.raises(TypeError, match="reference"):
        services.booking_change(booking=ours, reference="TQ-22222")


def test_a_status_that_holds_places_again_is_counted_as_a_new_request(monkeypatch, request_booking, visit_day):
    ours = request_booking(visit_day, group_size=20)
    services.booking_cancel(booking=ours, by_booker=True)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.booking_change(booking=ours, status=Booking.Status.PENDING)

    request_booking(visit_day, group_size=30, organisation_name="Chi bộ khác")
    monkeypatch.setitem(Booking.TRANSITIONS, Booking.Status.CANCELLED, {Booking.Status.PENDING})
    with pytest.raises(SlotFullError, match="chỉ còn 10 chỗ"):
        services.booking_change(booking=ours, status=Booking.Status.PENDING)
    ours.refresh_from_db()
    assert ours.status == "cancelled"
