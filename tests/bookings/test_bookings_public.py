"""The public form and the booker's secret link, as a committee uses them without an account."""

import datetime

import pytest
from django.urls import reverse

from bookings.models import Booking

pytestmark = pytest.mark.django_db

BOOK_URL = "/dang-ky-tham-quan/"


def test_the_form_shows_a_month_of_free_slots_in_bounded_queries(
    client,
    schedule,
    house,
    new_schedule,
    request_booking,
    visit_day,
    committee,
    programme,
    django_assert_max_num_queries,
):
    new_schedule(house)
    for hour in (datetime.time(8, 0), datetime.time(9, 45)):
        request_booking(visit_day, start_time=hour, group_size=15)
    with django_assert_max_num_queries(10):
        response = client.get(BOOK_URL, {"venue": schedule.venue.code, "month": f"{visit_day:%Y-%m}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{visit_day.isoformat()}T08:00"' in html
    assert "còn 25 chỗ" in html
    assert "Đảng ủy Bộ Thử nghiệm" in html  # subordinate committees to choose from
    assert programme.name in html
    for label in ("Kỷ niệm ngày lễ lớn", "Lễ kết nạp đảng viên mới", "Tổ chức nghi lễ tại phòng", "Phát tờ rơi"):
        assert label in html
    assert "<script>" not in html and "onclick" not in html


def test_the_navigation_links_to_the_form(client, schedule):
    assert reverse("bookings:book") == BOOK_URL
    assert f'href="{BOOK_URL}"' in client.get(BOOK_URL).content.decode()


def test_choosing_the_other_venue_without_javascript(client, schedule, house, new_schedule):
    new_schedule(house, capacity=60, max_group_size=60)
    response = client.get(BOOK_URL, {"venue": "nha-truyen-thong"})
    assert "đón tối đa 60 người" in response.content.decode()
    assert '<option value="nha-truyen-thong" selected>' in response.content.decode()


def test_a_committee_books_and_lands_on_the_confirmation_page(client, schedule, visit_day, build_form_data, mailoutbox):
    response = client.post(BOOK_URL, build_form_data(schedule.venue, visit_day))
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:done", args=[booking.manage_token()])
    assert booking.phone == "0912345678"
    assert booking.services == ["guided_tour", "film"]
    page = client.get(response["Location"]).content.decode()
    assert booking.reference in page and "Đã nhận đăng ký" in page
    assert reverse("bookings:manage", args=[booking.manage_token()]) in page
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "Số điện thoại chưa đúng"),
        ("email", "khong-phai-thu", "Địa chỉ thư điện tử chưa đúng"),
        ("consent", "", "Cần đồng ý cho xử lý dữ liệu cá nhân"),
        ("group_size", "41", "Mỗi đoàn tối đa 40 người"),
        ("group_size", "0", "Số người phải ít nhất là 1"),
        ("organisation_name", "", "Hãy chọn đơn vị trong danh sách hoặc nhập tên"),
        ("slot", "", "Hãy chọn một khung giờ còn chỗ"),
        ("slot", "ngày mai", "Khung giờ không hợp lệ"),
        ("website", "http://spam.example", "dấu hiệu được điền tự động"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_stored(
    client, schedule, visit_day, build_form_data, mailoutbox, field, value, message
):
    data = build_form_data(schedule.venue, visit_day, **{field: value})
    if field == "consent":
        data.pop("consent")
    response = client.post(BOOK_URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Booking.objects.exists() and mailoutbox == []


def test_dates_outside_notice_or_horizon_are_refused(client, schedule, build_form_data):
    from django.utils import timezone

    today = timezone.localdate()
    for day, message in [
        (today + datetime.timedelta(days=1), "Cần đăng ký trước ít nhất 2 ngày"),
        (today + datetime.timedelta(days=90), "Chỉ nhận đăng ký trong vòng 60 ngày tới"),
    ]:
        response = client.post(BOOK_URL, build_form_data(schedule.venue, day))
        assert message in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("+84 912 345 678", "0912345678"), ("0912.345.678", "0912345678"), ("(024) 3823 1234", "02438231234")],
)
def test_vietnamese_phone_formats_are_accepted(client, schedule, visit_day, build_form_data, typed, stored):
    client.post(BOOK_URL, build_form_data(schedule.venue, visit_day, phone=typed))
    assert Booking.objects.get().phone == stored


def test_a_full_slot_is_refused_with_a_clear_message(client, schedule, visit_day, build_form_data, request_booking):
    request_booking(visit_day, group_size=35)
    response = client.post(BOOK_URL, build_form_data(schedule.venue, visit_day, group_size="6"))
    assert response.status_code == 409
    assert "Khung giờ này vừa hết chỗ" in response.content.decode()
    assert Booking.objects.count() == 1


def test_the_rate_limit_refuses_further_requests_from_one_address(
    client, schedule, visit_day, build_form_data, settings
):
    settings.BOOKING_RATE_ACCEPTED = 2
    for hour in ("08:00", "09:45"):
        client.post(BOOK_URL, build_form_data(schedule.venue, visit_day, slot=f"{visit_day}T{hour}", group_size="2"))
    response = client.post(BOOK_URL, build_form_data(schedule.venue, visit_day, slot=f"{visit_day}T13:30"))
    assert response.status_code == 429
    assert "Đã nhận đủ 2 đăng ký từ địa chỉ mạng này" in response.content.decode()
    assert Booking.objects.count() == 2
    other = client.post(
        BOOK_URL, build_form_data(schedule.venue, visit_day, slot=f"{visit_day}T13:30"), REMOTE_ADDR="10.9.8.7"
    )
    assert other.status_code == 302


# The secret link -------------------------------------------------------------------


def test_the_manage_page_shows_the_status(client, request_booking):
    booking = request_booking()
    page = client.get(reverse("bookings:manage", args=[booking.manage_token()])).content.decode()
    assert booking.reference in page and "Chờ xác nhận" in page and "Hủy đăng ký" in page


def test_a_wrong_or_altered_token_gets_nothing(client, request_booking):
    booking = request_booking()
    other = request_booking(start_time=datetime.time(9, 45))
    token = booking.manage_token()
    value, signature = token.rsplit(":", 1)
    forged = [
        "khong-dung",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        f"{other.pk}.{booking.secret}:{signature}",  # another booking's id with this signature
        Booking.objects.get(pk=other.pk).manage_token().replace(other.secret, booking.secret),
        f"{booking.pk}.{booking.secret}",  # unsigned
    ]
    for bad in forged:
        for name in ("manage", "cancel", "new_date", "booking_ics", "done"):
            response = client.get(reverse(f"bookings:{name}", args=[bad]))
            assert response.status_code == 404, (name, bad)
            assert booking.reference not in response.content.decode()
    response = client.post(reverse("bookings:cancel", args=[forged[1]]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING


def test_cancel_asks_first_and_cancels_only_on_post(client, request_booking, mailoutbox):
    booking = request_booking()
    url = reverse("bookings:cancel", args=[booking.manage_token()])
    page = client.get(url)
    assert page.status_code == 200 and "Xác nhận hủy đăng ký" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    response = client.post(url, {"reason": "Đơn vị đổi kế hoạch."}, follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancelled_by == "booker"
    assert "Đã hủy đăng ký" in response.content.decode()
    assert len(mailoutbox) == 2
    # A second attempt is refused and sends nothing.
    client.post(url)
    assert len(mailoutbox) == 2


def test_the_booker_asks_for_another_date(client, request_booking, mailoutbox):
    booking = request_booking()
    url = reverse("bookings:new_date", args=[booking.manage_token()])
    assert "Hãy ghi ngày" in client.post(url, {"message": ""}).content.decode()
    client.post(url, {"message": "Sáng thứ Sáu tuần sau."})
    booking.refresh_from_db()
    assert "Sáng thứ Sáu tuần sau." in booking.new_date_request
    assert len(mailoutbox) == 1


def test_the_booker_downloads_the_ics(client, request_booking):
    booking = request_booking()
    response = client.get(reverse("bookings:booking_ics", args=[booking.manage_token()]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:{booking.reference}@".encode() in response.content


def test_the_staff_feed_needs_its_token_and_lists_confirmed_visits_only(client, schedule, request_booking):
    from bookings.services import booking_confirm

    confirmed = booking_confirm(booking=request_booking(group_size=12))
    pending = request_booking(start_time=datetime.time(9, 45))
    url = reverse("bookings:venue_feed", args=[schedule.venue.code])
    assert client.get(url).status_code == 404
    assert client.get(url, {"token": "sai"}).status_code == 404
    response = client.get(url, {"token": schedule.feed_token})
    assert response.status_code == 200
    assert confirmed.reference.encode() in response.content
    assert pending.reference.encode() not in response.content
    old_token = schedule.feed_token
    schedule.rotate_feed_token()
    assert client.get(url, {"token": old_token}).status_code == 404


def test_the_form_in_english(client, schedule):
    response = client.get("/en" + BOOK_URL)
    assert response.status_code == 200
    assert "Book a visit" in response.content.decode()
