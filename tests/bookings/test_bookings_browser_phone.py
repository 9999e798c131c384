"""A committee books on a phone (390 × 844) and a desktop (1366 × 900): venue and group size first,
only the slots with room for 30 are offered, typed data survives a change of month, a missing field
lands the page on the error summary, and axe finds no serious or critical violation.

Pinned to Monday 07/12/2026, 07:00 in Hà Nội: the first bookable day is Wednesday 09/12/2026."""

import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from bookings.models import Booking
from tests.exhibits.test_exhibits_browser import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.instant("2026-12-07 07:00", tick=True),
]

PHONE, DESKTOP = (390, 844), (1366, 900)
WEDNESDAY = datetime.date(2026, 12, 9)


@pytest.fixture(params=[PHONE, DESKTOP], ids=["390x844", "1366x900"])
def screen(request, browser):
    width, height = request.param
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    browser.height = height
    return browser


def offered(browser) -> list[str]:
    return [radio.get_attribute("value") for radio in browser.find_elements(By.CSS_SELECTOR, 'input[name="slot"]')]


def value(browser, name: str) -> str:
    return browser.find_element(By.NAME, name).get_attribute("value")


def test_a_group_of_30_books_a_slot_with_room_keeping_its_data_across_months(
    screen, schedule, request_booking, committee
):
    browser = screen
    request_booking(WEDNESDAY, start_time=datetime.time(9, 45), group_size=25)
    request_booking(WEDNESDAY, start_time=datetime.time(13, 30), group_size=20)
    browser.get(browser.live_server_url + "/dang-ky-tham-quan/")
    Select(browser.find_element(By.NAME, "venue")).select_by_value(schedule.venue.code)
    browser.find_element(By.NAME, "group_size").send_keys("30")
    browser.find_element(By.CSS_SELECTOR, "button.show-calendar").click()
    browser.wait_until(lambda d: "đoàn 30 người" in d.find_element(By.CSS_SELECTOR, ".calendar-key").text)

    # Only the slots with 30 places are offered; the others say how many places are left.
    assert offered(browser) == ["2026-12-09T08:00", "2026-12-09T15:15"]
    unavailable = [span.text for span in browser.find_elements(By.CSS_SELECTOR, ".slot-unavailable")]
    assert any("09:45" in text and "còn 15 chỗ" in text for text in unavailable)
    assert any("13:30" in text and "còn 20 chỗ" in text for text in unavailable)
    assert browser.find_element(By.CSS_SELECTOR, ".month-title").text == "Tháng 12 năm 2026"
    headers = [abbr.get_attribute("title") for abbr in browser.find_elements(By.CSS_SELECTOR, ".month-calendar abbr")]
    assert headers[0] == "Thứ Hai" and headers[-1] == "Chủ nhật"
    assert axe_violations(browser) == []

    browser.find_element(By.CSS_SELECTOR, 'label[for="slot-2026-12-09t0800"]').click()
    browser.find_element(By.NAME, "contact_name").send_keys("Phạm Thu Hà")
    browser.find_element(By.NAME, "contact_position").send_keys("Phó Bí thư Đảng ủy")
    browser.find_element(By.NAME, "phone").send_keys("0912 345 678")
    browser.find_element(By.NAME, "email").send_keys("ha@example.org")
    browser.find_element(By.CSS_SELECTOR, 'input[name="occasion"][value="anniversary"]').click()
    browser.find_element(By.NAME, "consent").click()

    # Another month and back: what was typed is still there, the slot still chosen.
    browser.find_element(By.CSS_SELECTOR, 'button[value="month:2027-01"]').click()
    browser.wait_until(lambda d: d.find_element(By.CSS_SELECTOR, ".month-title").text == "Tháng 1 năm 2027")
    assert (value(browser, "contact_name"), value(browser, "email")) == ("Phạm Thu Hà", "ha@example.org")
    assert value(browser, "group_size") == "30"
    assert browser.find_elements(By.ID, "loi") == []
    browser.find_element(By.CSS_SELECTOR, 'button[value="month:2026-12"]').click()
    browser.wait_until(lambda d: d.find_element(By.CSS_SELECTOR, ".month-title").text == "Tháng 12 năm 2026")
    assert browser.find_element(By.ID, "slot-2026-12-09t0800").is_selected()
    assert browser.find_element(By.NAME, "consent").is_selected()

    # No unit named: the page lands on the summary, whose link leads to the field.
    browser.find_element(By.CSS_SELECTOR, "button.send-booking").click()
    browser.wait_for_url("#loi")
    summary = browser.find_element(By.ID, "loi")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", summary)
    assert -1 <= top < browser.height / 2  # at the top of the window (to a fraction of a pixel)
    assert browser.switch_to.active_element == summary
    link = summary.find_element(By.CSS_SELECTOR, 'a[href="#id_organisation_name"]')
    assert "Hãy chọn đơn vị trong danh sách hoặc nhập tên đơn vị" in link.text
    assert axe_violations(browser) == []
    link.click()
    field = browser.find_element(By.ID, "id_organisation_name")
    assert browser.switch_to.active_element == field
    assert value(browser, "contact_name") == "Phạm Thu Hà"
    field.send_keys("Chi bộ Vụ Tổng hợp")
    browser.find_element(By.CSS_SELECTOR, "button.send-booking").click()

    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Đã nhận đăng ký tham quan")
    booking = Booking.objects.get(contact_name="Phạm Thu Hà")
    assert (booking.date, booking.start_time, booking.group_size) == (WEDNESDAY, datetime.time(8, 0), 30)
    assert booking.organisation_name == "Chi bộ Vụ Tổng hợp"


def test_the_phone_page_has_one_days_slots_before_the_form(screen, schedule):
    browser = screen
    browser.get(browser.live_server_url + "/dang-ky-tham-quan/?group_size=30")
    radios_before_form = browser.execute_script(
        "const form = document.getElementById('id_organisation');"
        "return [...document.querySelectorAll('input[name=slot]')]"
        ".filter(r => r.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING).length"
    )
    assert radios_before_form == 4
    assert len(browser.find_elements(By.CSS_SELECTOR, ".day-button")) <= 31
    assert axe_violations(browser) == []
