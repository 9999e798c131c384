"""The committee's journey on the booking page without JavaScript: venue and group size first, the
calendar offers only slots with room for the group, typed data kept across month, day and venue
changes, errors summarised at the top, refused and accepted attempts limited apart.

Pinned to Monday 07/12/2026, 07:00 in Hà Nội: with two days' notice the first bookable day is
Wednesday 09/12/2026."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from archive.models import Institution
from bookings.models import Booking

pytestmark = [pytest.mark.django_db, pytest.mark.instant("2026-12-07 07:00")]

BOOK_URL = "/dang-ky-tham-quan/"
WEDNESDAY = datetime.date(2026, 12, 9)


def offered(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="slot" id="[^"]+" value="([^"]+)"', html)


def test_the_pinned_day_is_the_first_bookable(visit_day):
    assert visit_day == WEDNESDAY


def test_a_group_of_30_is_offered_only_the_slots_with_30_places(client, schedule, request_booking):
    request_booking(WEDNESDAY, start_time=datetime.time(9, 45), group_size=25)
    html = client.get(BOOK_URL, {"venue": schedule.venue.code, "group_size": "30"}).content.decode()
    assert offered(html) == ["2026-12-09T08:00", "2026-12-09T13:30", "2026-12-09T15:15"]
    assert "09:45–11:15" in html and "còn 15 chỗ, không đủ cho đoàn 30 người" in html
    assert "group_size=30" in html  # the waiting list's link carries the group size
    # A group of 15 fits the slot with 15 places left.
    html = client.get(BOOK_URL, {"venue": schedule.venue.code, "group_size": "15"}).content.decode()
    assert "2026-12-09T09:45" in offered(html)


def test_the_calendar_is_compact_one_day_of_slots_with_weekdays_and_the_month(client, schedule):
    html = client.get(BOOK_URL, {"venue": schedule.venue.code, "group_size": "20"}).content.decode()
    assert "Tháng 12 năm 2026" in html
    assert '<abbr title="Thứ Hai">T2</abbr>' in html and '<abbr title="Chủ nhật">CN</abbr>' in html
    assert len(offered(html)) == 4  # the chosen day's slots only
    assert "Thứ Tư, 09/12/2026" in html
    assert 'value="month:2027-01"' in html and 'value="month:2026-11"' not in html
    html = client.get(BOOK_URL, {"venue": schedule.venue.code, "day": "2026-12-11"}).content.decode()
    assert "Thứ Sáu, 11/12/2026" in html and offered(html)[0] == "2026-12-11T08:00"


def test_a_group_larger_than_allowed_is_told_so_and_offered_nothing(client, schedule):
    html = client.get(BOOK_URL, {"venue": schedule.venue.code, "group_size": "41"}).content.decode()
    assert offered(html) == []
    assert "Mỗi đoàn tối đa 40 người" in html


def test_typed_data_is_kept_across_months_and_days_without_errors_or_counting(
    client, schedule, build_form_data, settings
):
    settings.BOOKING_RATE_REFUSED = settings.BOOKING_RATE_ACCEPTED = 1
    typed = build_form_data(schedule.venue, WEDNESDAY, group_size="30", notes="Đoàn có 2 đồng chí cao tuổi.")
    response = client.post(BOOK_URL, typed | {"navigate": "month:2027-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "Tháng 1 năm 2027" in html
    for value in ("Nguyễn Văn An", "Bí thư Chi bộ", "0912 345 678", "an@example.org", "Đoàn có 2 đồng chí cao tuổi."):
        assert value in html
    assert 'name="group_size" value="30"' in html
    assert re.search(r'<input type="checkbox" name="services" value="film"[^>]* checked', html)
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked', html)
    assert 'id="loi"' not in html and "errorlist" not in html
    # The slot chosen in December is kept while January is looked at.
    assert '<input type="hidden" name="slot" value="2026-12-09T08:00">' in html
    # No personal detail goes into an address: the form posts to the bare page.
    assert 'action="/dang-ky-tham-quan/#loi"' in html
    response = client.post(BOOK_URL, typed | {"navigate": "day:2026-12-10"})
    html = response.content.decode()
    assert "Thứ Năm, 10/12/2026" in html and "Nguyễn Văn An" in html
    for _ in range(5):
        client.post(BOOK_URL, typed | {"navigate": "month:2027-01"})
    # Navigation counted as neither refused nor accepted: the booking still goes through.
    assert client.post(BOOK_URL, typed).status_code == 302
    assert Booking.objects.get().notes == "Đoàn có 2 đồng chí cao tuổi."


def test_typed_data_is_kept_when_the_venue_changes(client, schedule, house, new_schedule, build_form_data):
    new_schedule(house, capacity=60, max_group_size=60)
    typed = build_form_data(house, WEDNESDAY, group_size="50")
    html = client.post(BOOK_URL, typed | {"navigate": "show"}).content.decode()
    assert "đón tối đa 60 người" in html and '<option value="nha-truyen-thong" selected>' in html
    assert "Nguyễn Văn An" in html and 'name="group_size" value="50"' in html
    assert "2026-12-09T08:00" in offered(html)
    assert 'type="hidden" name="slot"' not in html  # the other venue's slot is not carried over
    assert not Booking.objects.exists()


def test_errors_are_summarised_at_the_top_with_links_to_their_fields(client, schedule, build_form_data):
    data = build_form_data(schedule.venue, WEDNESDAY, contact_name="", phone="12345", website="http://spam.example")
    response = client.post(BOOK_URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(
        r'<div class="booking-alert error-summary" id="loi" role="alert" tabindex="-1">(.*?)</div>', html, re.S
    )
    assert summary, "no summary"
    links = re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', summary.group(1))
    assert [href for href, _text in links] == ["#id_contact_name", "#id_phone"]
    assert links[0][1].startswith("Người liên hệ: ")
    assert "dấu hiệu được điền tự động" in summary.group(1)  # an error with no field of its own
    assert html.index('id="loi"') < html.index('<form class="booking-form"')
    assert 'id="id_contact_name"' in html and 'id="id_phone"' in html
    # The consent's label is a sentence: the summary names it shortly.
    data = build_form_data(schedule.venue, WEDNESDAY)
    data.pop("consent")
    html = client.post(BOOK_URL, data).content.decode()
    assert '<a href="#id_consent">Đồng ý xử lý dữ liệu cá nhân: Cần đồng ý' in html
    # The slot's error leads to the calendar.
    html = client.post(BOOK_URL, build_form_data(schedule.venue, WEDNESDAY, slot="")).content.decode()
    assert '<a href="#lich">Ngày và khung giờ: Hãy chọn một khung giờ còn chỗ trên lịch.</a>' in html


@pytest.fixture
def board_phone(db):
    record = Institution.objects.get()
    record.phone = "024 3823 1234"
    record.save()
    return record.phone


def test_refused_attempts_are_counted_apart_from_accepted_bookings(
    client, schedule, build_form_data, settings, board_phone
):
    settings.BOOKING_RATE_ACCEPTED, settings.BOOKING_RATE_REFUSED = 2, 4
    bad = build_form_data(schedule.venue, WEDNESDAY, phone="12345")
    assert [client.post(BOOK_URL, bad).status_code for _ in range(3)] == [400, 400, 400]
    # Three mistakes leave the two accepted bookings untouched.
    for hour in ("08:00", "09:45"):
        slot = f"{WEDNESDAY}T{hour}"
        assert client.post(BOOK_URL, build_form_data(schedule.venue, WEDNESDAY, slot=slot)).status_code == 302
    third = client.post(BOOK_URL, build_form_data(schedule.venue, WEDNESDAY, slot=f"{WEDNESDAY}T13:30"))
    html = third.content.decode()
    assert third.status_code == 429 and "Đã nhận đủ 2 đăng ký từ địa chỉ mạng này" in html
    assert f"gọi điện cho Ban Tuyên giáo Đảng ủy Khối theo số {board_phone}" in html
    refusal = re.search(r'id="loi"[^>]*>\s*<p>([^<]+)</p>', html).group(1)
    assert "bạn" not in refusal.lower() and "đồng chí" not in refusal
    assert Booking.objects.count() == 2


def test_once_the_refused_attempts_are_used_up_every_attempt_is_refused(
    client, schedule, build_form_data, settings, board_phone
):
    settings.BOOKING_RATE_ACCEPTED, settings.BOOKING_RATE_REFUSED = 10, 2
    bad = build_form_data(schedule.venue, WEDNESDAY, email="khong-phai-thu")
    assert [client.post(BOOK_URL, bad).status_code for _ in range(3)] == [400, 400, 429]
    refused = client.post(BOOK_URL, build_form_data(schedule.venue, WEDNESDAY))
    assert refused.status_code == 429
    assert "Biểu mẫu đã được gửi với lỗi quá nhiều lần" in refused.content.decode()
    assert board_phone in refused.content.decode()
    assert not Booking.objects.exists()
    # Another address is not held back.
    assert client.post(BOOK_URL, build_form_data(schedule.venue, WEDNESDAY), REMOTE_ADDR="10.9.8.7").status_code == 302


def test_the_waiting_list_counts_refused_attempts_apart_too(client, schedule, build_form_data, settings):
    settings.BOOKING_RATE_ACCEPTED, settings.BOOKING_RATE_REFUSED = 10, 1
    url = reverse("bookings:wait")
    bad = build_form_data(schedule.venue, WEDNESDAY, phone="1")
    assert [client.post(url, bad).status_code for _ in range(2)] == [400, 429]


def test_the_limits_are_set_in_the_environment():
    root = Path(__file__).resolve().parents[2]
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "traditions.settings",
        "DJANGO_BOOKING_RATE_ACCEPTED": "4",
        "DJANGO_BOOKING_RATE_REFUSED": "12",
        "DJANGO_BOOKING_RATE_WINDOW_SECONDS": "600",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.BOOKING_RATE_ACCEPTED, s.BOOKING_RATE_REFUSED, s.BOOKING_RATE_WINDOW_SECONDS)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True)
    assert out.stdout.split() == ["4", "12", "600"], out.stderr
    for name in ("DJANGO_BOOKING_RATE_ACCEPTED", "DJANGO_BOOKING_RATE_REFUSED", "DJANGO_BOOKING_RATE_WINDOW_SECONDS"):
        environment.pop(name)
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True)
    assert out.stdout.split() == ["10", "30", "3600"], out.stderr
