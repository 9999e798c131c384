"""The waiting list: a committee waits for a full slot; freed places are offered in order to each group
that fits, held for a set time; the offer's link claims them once, before it expires, unaltered."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.availability import SlotFullError, slot_usage
from bookings.models import Booking, WaitingEntry

pytestmark = pytest.mark.django_db


def entry_kwargs(venue, day, **overrides) -> dict:
    values = {
        "venue": venue,
        "date": day,
        "start_time": datetime.time(8, 0),
        "group_size": 10,
        "occasion": "chapter_meeting",
        "organisation_name": "Chi bộ Vụ Chờ",
        "contact_name": "Đỗ Thị Chờ",
        "contact_position": "Bí thư Chi bộ",
        "phone": "0912345678",
        "email": "cho@example.org",
        "consent": True,
    }
    return values | overrides


@pytest.fixture
def visit_day(schedule, find_open_day) -> datetime.date:
    """An open day three days past the earliest bookable one: an offer made a day later still falls
    outside the booking notice, whatever day of the week or year the tests run on."""
    earliest = schedule.earliest_date(timezone.localdate())
    return find_open_day(schedule, after=earliest + datetime.timedelta(days=3))


@pytest.fixture
def full_slot(schedule, request_booking, visit_day):
    """The 08:00 slot of the visit day, taken by two groups of 20."""
    first = request_booking(visit_day, group_size=20, organisation_name="Chi bộ Một")
    second = request_booking(visit_day, group_size=20, organisation_name="Chi bộ Hai")
    return first, second


@pytest.fixture
def join(schedule, visit_day, mailoutbox):
    def _join(**overrides):
        entry = services.waiting_entry_join(**entry_kwargs(schedule.venue, visit_day, **overrides))
        mailoutbox.clear()
        return entry

    return _join


def claim_link(message) -> str:
    return re.search(r"https?://\S+(/dang-ky-tham-quan/nhan-cho/\S+/)", message.body).group(1)


def test_a_slot_with_room_sends_the_committee_to_the_form(schedule, visit_day, request_booking):
    request_booking(visit_day, group_size=35)
    with pytest.raises(ValidationError) as refused:
        services.waiting_entry_join(**entry_kwargs(schedule.venue, visit_day, group_size=5))
    assert "vẫn còn chỗ cho đoàn 5 người" in refused.value.message_dict["group_size"][0]
    assert not WaitingEntry.objects.exists()


def test_joining_a_full_slot_emails_the_committee_and_refuses_a_second_entry(
    schedule, visit_day, full_slot, mailoutbox
):
    entry = services.waiting_entry_join(**entry_kwargs(schedule.venue, visit_day))
    assert entry.status == WaitingEntry.Status.WAITING
    (message,) = mailoutbox
    assert message.to == ["cho@example.org"] and "Đã nhận đăng ký chờ chỗ" in message.subject
    assert "08:00 ngày " + visit_day.strftime("%d/%m/%Y") in message.body
    assert "nhan-cho" not in message.body
    with pytest.raises(ValidationError) as refused:
        services.waiting_entry_join(**entry_kwargs(schedule.venue, visit_day, email="CHO@example.org"))
    assert "đã đăng ký chờ khung giờ này" in refused.value.message_dict["email"][0]
    with pytest.raises(ValidationError) as refused:
        services.waiting_entry_join(**entry_kwargs(schedule.venue, visit_day, email="b@example.org", group_size=99))
    assert "tối đa 40 người" in refused.value.message_dict["group_size"][0]
    assert WaitingEntry.objects.count() == 1


def test_a_cancellation_offers_the_places_to_each_waiting_group_that_fits_in_order(
    schedule, visit_day, full_slot, join, mailoutbox, settings
):
    settings.BOOKING_OFFER_HOURS = 24
    big = join(group_size=30, email="lon@example.org")
    small = join(group_size=12, email="nho@example.org")
    smaller = join(group_size=8, email="nho-hon@example.org")
    last = join(group_size=5, email="sau@example.org")
    now = timezone.now()
    services.booking_cancel(booking=full_slot[0], by_booker=True, now=now)  # 20 places free
    states = dict(WaitingEntry.objects.values_list("pk", "status"))
    assert states == {big.pk: "waiting", small.pk: "offered", smaller.pk: "offered", last.pk: "waiting"}
    small.refresh_from_db()
    assert small.offer_expires_at == now + datetime.timedelta(hours=24)
    offers = [m for m in mailoutbox if "Đã có chỗ" in m.subject]
    assert sorted(m.to[0] for m in offers) == ["nho-hon@example.org", "nho@example.org"]
    assert "giữ 12 chỗ cho đoàn đến " + timezone.localtime(small.offer_expires_at).strftime("%H:%M %d/%m/%Y") in (
        next(m for m in offers if m.to == ["nho@example.org"]).body
    )
    # The offers hold their places: the slot is full for everyone else.
    assert slot_usage(schedule.venue_id, visit_day, visit_day)[(visit_day, datetime.time(8, 0))].taken == 40
    with pytest.raises(SlotFullError):
        services.booking_request(
            venue=schedule.venue,
            date=visit_day,
            start_time=datetime.time(8, 0),
            group_size=1,
            occasion="other",
            organisation_name="Đơn vị khác",
            contact_name="A",
            contact_position="B",
            phone="0912345678",
            email="khac@example.org",
            consent=True,
        )


def test_a_rejection_and_a_smaller_group_free_places_too(schedule, visit_day, full_slot, join):
    entry = join(group_size=5)
    services.booking_change(booking=full_slot[0], group_size=16)  # 4 free: not enough
    entry.refresh_from_db()
    assert entry.status == WaitingEntry.Status.WAITING
    services.booking_reject(booking=full_slot[1], reason="Trùng hội nghị")
    entry.refresh_from_db()
    assert entry.status == WaitingEntry.Status.OFFERED


def test_a_larger_capacity_in_the_admin_offers_places(
    client, propaganda_user, schedule, visit_day, full_slot, join, django_capture_on_commit_callbacks, build_inline_data
):
    entry = join(group_size=10)
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_venueschedule_change", args=[schedule.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    for name, value in list(data.items()):
        if value is True:
            data[name] = "on"
        elif value is False:
            del data[name]
    data.update(capacity=50, max_group_size=40)
    data.update(build_inline_data(page))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    entry.refresh_from_db()
    assert entry.status == WaitingEntry.Status.OFFERED


def test_claiming_turns_the_offer_into_a_booking_request_once(client, schedule, visit_day, full_slot, join, mailoutbox):
    entry = join(group_size=10, occasion="anniversary")
    services.booking_cancel(booking=full_slot[0], by_booker=True)
    link = claim_link(next(m for m in mailoutbox if "Đã có chỗ" in m.subject))
    page = client.get(link)
    assert page.status_code == 200 and "Nhận chỗ" in page.content.decode()
    response = client.post(link)
    booking = Booking.objects.get(waiting_entry=entry)
    assert response.status_code == 302 and response["Location"] == reverse(
        "bookings:done", args=[booking.manage_token()]
    )
    assert (booking.status, booking.group_size, booking.occasion, booking.email) == (
        "pending",
        10,
        "anniversary",
        "cho@example.org",
    )
    entry.refresh_from_db()
    assert entry.status == WaitingEntry.Status.CLAIMED
    assert any("Đã nhận đăng ký tham quan" in m.subject for m in mailoutbox)
    # The link used twice: a clear message, nothing more is stored.
    again = client.post(link)
    assert again.status_code == 409
    assert f"Lời mời này đã được dùng: đăng ký {booking.reference}" in again.content.decode()
    assert Booking.objects.filter(email="cho@example.org").count() == 1


def test_an_expired_or_altered_link_claims_nothing(client, schedule, visit_day, full_slot, join, mailoutbox):
    entry = join(group_size=10)
    services.booking_cancel(booking=full_slot[0], by_booker=True)
    link = claim_link(next(m for m in mailoutbox if "Đã có chỗ" in m.subject))
    altered = link[:-2] + ("A" if link[-2] != "A" else "B") + "/"
    page = client.post(altered)
    assert page.status_code == 404
    assert "Đường dẫn nhận chỗ không đúng hoặc đã bị thay đổi" in page.content.decode()
    WaitingEntry.objects.filter(pk=entry.pk).update(offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    late = client.post(link)
    assert late.status_code == 409
    assert "Lời mời giữ chỗ đã hết hạn lúc" in late.content.decode()
    assert not Booking.objects.filter(email="cho@example.org").exists()


def test_expire_offers_passes_unclaimed_places_to_the_next_group(schedule, visit_day, full_slot, join, mailoutbox):
    first = join(group_size=20, email="dau@example.org")
    second = join(group_size=20, email="sau@example.org")
    now = timezone.now()
    services.booking_cancel(booking=full_slot[0], by_booker=True, now=now)
    assert WaitingEntry.objects.get(pk=first.pk).status == "offered"
    assert WaitingEntry.objects.get(pk=second.pk).status == "waiting"
    assert services.waiting_offers_expire(now=now + datetime.timedelta(hours=23)) == 0
    mailoutbox.clear()
    assert services.waiting_offers_expire(now=now + datetime.timedelta(hours=24)) == 1
    assert WaitingEntry.objects.get(pk=first.pk).status == "expired"
    assert WaitingEntry.objects.get(pk=second.pk).status == "offered"
    assert [m.to for m in mailoutbox] == [["sau@example.org"]]
    with pytest.raises(ValidationError) as refused:
        services.waiting_entry_claim(entry=first, now=now + datetime.timedelta(hours=24))
    assert "hết hạn" in refused.value.messages[0]


def test_the_command_runs_the_expiry(schedule, visit_day, full_slot, join):
    entry = join()
    services.booking_cancel(booking=full_slot[0], by_booker=True)
    WaitingEntry.objects.filter(pk=entry.pk).update(offer_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    out = io.StringIO()
    call_command("expire_offers", stdout=out)
    assert "Đã đóng 1 lời mời" in out.getvalue()
    assert WaitingEntry.objects.get(pk=entry.pk).status == "expired"


def test_a_claim_counts_the_slot_again(schedule, visit_day, full_slot, join):
    """An offer for an admission ceremony needs the whole slot; a group that came in meanwhile stops it."""
    entry = join(group_size=10)
    services.booking_cancel(booking=full_slot[0], by_booker=True)
    entry.refresh_from_db()
    assert entry.status == "offered"
    WaitingEntry.objects.filter(pk=entry.pk).update(occasion="admission")
    with pytest.raises(SlotFullError):
        services.waiting_entry_claim(entry=entry)
    assert WaitingEntry.objects.get(pk=entry.pk).status == "offered"
    assert not Booking.objects.filter(email="cho@example.org").exists()


def test_the_full_message_of_the_form_leads_to_the_waiting_form(
    client, schedule, visit_day, full_slot, build_form_data
):
    response = client.post(reverse("bookings:book"), build_form_data(schedule.venue, visit_day, group_size="10"))
    assert response.status_code == 409
    text = response.content.decode()
    link = re.search(
        r'href="([^"]*/cho-cho/[^"]*)"[^>]*class="button|class="button secondary wait-link" href="([^"]*)"', text
    )
    assert link, text
    url = (link.group(1) or link.group(2)).replace("&amp;", "&")
    assert f"slot={visit_day.isoformat()}T08%3A00" in url and "group_size=10" in url
    page = client.get(url)
    assert page.status_code == 200 and "đã hết chỗ" in page.content.decode()
    data = build_form_data(schedule.venue, visit_day, group_size="10", email="cho@example.org")
    for name in ("programme", "services", "notes"):
        data.pop(name)
    done = client.post(reverse("bookings:wait"), data)
    assert done.status_code == 200 and "Đã nhận đăng ký chờ chỗ" in done.content.decode()
    assert WaitingEntry.objects.get().email == "cho@example.org"
    # The calendar shows the full slot of the chosen day with a link to wait for it.
    calendar = client.get(reverse("bookings:book") + f"?venue={schedule.venue.code}&day={visit_day.isoformat()}")
    assert "Đăng ký chờ chỗ" in calendar.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"group_size": "0"}, "Số người phải ít nhất là 1."),
        ({"slot": "ngày-mai"}, "Khung giờ không hợp lệ"),
        ({"email": "khong-phai-thu"}, "Địa chỉ thư điện tử chưa đúng"),
        ({"consent": ""}, "Cần đồng ý cho xử lý dữ liệu cá nhân"),
    ],
)
def test_bad_input_on_the_waiting_form_stores_nothing(
    client, schedule, visit_day, full_slot, build_form_data, overrides, field_message
):
    data = build_form_data(schedule.venue, visit_day, **overrides)
    response = client.post(reverse("bookings:wait"), data)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not WaitingEntry.objects.exists()
