"""In the browser: a committee books a slot and gets the .ics, staff confirm in the admin, the committee cancels."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from icalendar import Calendar
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from bookings.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_committee_books_staff_confirm_and_the_committee_cancels(
    browser, schedule, visit_day, committee, programme, propaganda_user
):
    url = browser.live_server_url
    browser.get(f"{url}/dang-ky-tham-quan/?venue=phong-truyen-thong&month={visit_day:%Y-%m}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đăng ký tham quan"
    slot_value = f"{visit_day.isoformat()}T09:45"
    browser.find_element(By.CSS_SELECTOR, f'label[for="slot-{slot_value.lower().replace(":", "")}"]').click()
    assert browser.find_element(By.CSS_SELECTOR, f'input[value="{slot_value}"]').is_selected()
    Select(browser.find_element(By.NAME, "organisation")).select_by_visible_text(committee.name)
    browser.find_element(By.NAME, "contact_name").send_keys("Phạm Thu Hà")
    browser.find_element(By.NAME, "contact_position").send_keys("Phó Bí thư Đảng ủy")
    browser.find_element(By.NAME, "phone").send_keys("+84 912 345 678")
    browser.find_element(By.NAME, "email").send_keys("ha@example.org")
    browser.find_element(By.NAME, "group_size").send_keys("25")
    Select(browser.find_element(By.NAME, "programme")).select_by_index(1)
    browser.find_element(By.CSS_SELECTOR, 'input[name="occasion"][value="anniversary"]').click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="services"][value="film"]').click()
    browser.find_element(By.NAME, "consent").click()
    browser.find_element(By.CSS_SELECTOR, "button.send-booking").click()

    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Đã nhận đăng ký tham quan")
    booking = Booking.objects.get()
    assert booking.reference in browser.find_element(By.TAG_NAME, "main").text
    assert (booking.organisation, booking.phone, booking.group_size) == (committee, "0912345678", 25)
    to_booker = next(m for m in mail.outbox if m.to == ["ha@example.org"])
    (name, content, mimetype) = to_booker.attachments[0]
    assert name == f"{booking.reference}.ics" and mimetype.startswith("text/calendar; charset=utf-8; method=")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.starts_at

    # Staff confirm it in the admin.
    browser.admin_login(propaganda_user.username, next_path="/admin/bookings/booking/")
    browser.find_element(By.CSS_SELECTOR, f'input.action-select[value="{booking.pk}"]').click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("confirm_selected")
    browser.find_element(By.CSS_SELECTOR, 'button[name="index"]').click()
    assert "Đã xác nhận 1 đăng ký" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert any("đã được xác nhận" in m.subject for m in mail.outbox)

    # The committee cancels through its secret link.
    link = re.search(r"https?://\S+/quan-ly/\S+/", to_booker.body).group(0)
    browser.get(url + urlsplit(link).path)
    assert "Đã xác nhận" in browser.find_element(By.CSS_SELECTOR, ".booking-details").text
    browser.find_element(By.LINK_TEXT, "Hủy đăng ký").click()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED  # the GET only asks
    browser.find_element(By.NAME, "reason").send_keys("Trùng lịch hội nghị của cơ quan.")
    browser.find_element(By.CSS_SELECTOR, "button.danger").click()
    browser.wait_until(lambda d: "Đã hủy" in d.find_element(By.CSS_SELECTOR, ".booking-details").text)
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (Booking.Status.CANCELLED, "booker")
    assert any("đã bị hủy" in m.subject and m.to == ["ha@example.org"] for m in mail.outbox)
