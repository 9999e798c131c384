"""In the browser: an admission ceremony from the form to the printed running order; a committee waits
for a full slot, a cancellation frees it and the committee claims the offer.

With SCREENSHOT_DIR set, the committee's page and the printed running order are saved there at a
phone's and a desktop's width (390×844, 1366×900).
"""

import base64
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2
import pytest
from django.core import mail
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from bookings.models import Booking, NewMember, Occasion, Programme, ProgrammeStep, WaitingEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


def _screenshots(browser, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    for label, (width, height) in SIZES.items():
        browser.set_window_size(width, height)
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": label == "phone"},
        )
        browser.refresh()
        browser.wait_until(lambda d: d.execute_script("return document.readyState") == "complete")
        full = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
        Path(folder, f"{name}-{width}x{height}.png").write_bytes(base64.b64decode(full["data"]))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)


def _print_to_pdf(browser) -> pypdfium2.PdfDocument:
    """What the print button prints: the page in print media, on the page size its CSS asks for."""
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    return pypdfium2.PdfDocument(base64.b64decode(pdf["data"]))


def _pdf_text(document) -> str:
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return " ".join(text.split())  # lines wrap where the page is narrow


@pytest.fixture
def admission_template(db):
    programme = Programme.objects.create(
        name="Lễ kết nạp đảng viên mới", occasion=Occasion.ADMISSION, duration_minutes=90, ordering=0
    )
    for index, (start, minutes, activity, leader) in enumerate(
        [
            (0, 10, "Chào cờ (hát Quốc ca, Quốc tế ca)", "Đồng chí chủ trì"),
            (10, 10, "Đọc quyết định kết nạp đảng viên", "Đại diện cấp ủy cấp trên"),
            (20, 10, "Đảng viên mới đọc lời tuyên thệ", "Đảng viên mới"),
            (30, 50, "Tham quan có thuyết minh", "Thuyết minh viên Ban Tuyên giáo"),
        ]
    ):
        ProgrammeStep.objects.create(
            programme=programme,
            ordering=index,
            start_minute=start,
            duration_minutes=minutes,
            activity=activity,
            leader=leader,
            place="Khu lễ đài",
        )
    return programme


def test_an_admission_ceremony_from_the_form_to_the_printed_running_order(
    browser, schedule, visit_day, committee, admission_template, propaganda_user
):
    url = browser.live_server_url
    browser.get(f"{url}/dang-ky-tham-quan/?venue=phong-truyen-thong&month={visit_day:%Y-%m}")
    slot_value = f"{visit_day.isoformat()}T08:00"
    browser.find_element(By.CSS_SELECTOR, f'label[for="slot-{slot_value.lower().replace(":", "")}"]').click()
    Select(browser.find_element(By.NAME, "organisation")).select_by_visible_text(committee.name)
    browser.find_element(By.NAME, "contact_name").send_keys("Phạm Thu Hà")
    browser.find_element(By.NAME, "contact_position").send_keys("Phó Bí thư Đảng ủy")
    browser.find_element(By.NAME, "phone").send_keys("0912 345 678")
    browser.find_element(By.NAME, "email").send_keys("ha@example.org")
    browser.find_element(By.NAME, "group_size").send_keys("18")
    browser.find_element(By.CSS_SELECTOR, 'input[name="occasion"][value="admission"]').click()
    browser.find_element(By.NAME, "consent").click()
    browser.find_element(By.CSS_SELECTOR, "button.send-booking").click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Đã nhận đăng ký tham quan")
    booking = Booking.objects.get()
    assert booking.occasion == Occasion.ADMISSION

    # Staff confirm it: the programme is copied from the occasion's template.
    browser.admin_login(propaganda_user.username, next_path="/admin/bookings/booking/")
    browser.find_element(By.CSS_SELECTOR, f'input.action-select[value="{booking.pk}"]').click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("confirm_selected")
    browser.find_element(By.CSS_SELECTOR, 'button[name="index"]').click()
    assert "Đã xác nhận 1 đăng ký" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert booking.steps.count() == 4

    # They adjust it for this visit and enter the new members with their introducers.
    browser.get(f"{url}/admin/bookings/booking/{booking.pk}/change/")
    tour = browser.find_element(By.NAME, "steps-3-activity")
    tour.clear()
    tour.send_keys("Tham quan khu trưng bày thời kỳ 1948–1962")
    browser.find_element(By.NAME, "new_members-0-full_name").send_keys("Hoàng Thị Mai")
    browser.find_element(By.NAME, "new_members-0-introducers").send_keys("Nguyễn Văn An, Lê Thị Bình")
    browser.find_element(By.NAME, "_save").click()
    browser.wait_until(lambda d: "đã được thay đổi thành công" in d.find_element(By.CSS_SELECTOR, ".messagelist").text)
    assert booking.steps.filter(activity="Tham quan khu trưng bày thời kỳ 1948–1962").exists()
    assert NewMember.objects.get(booking=booking).introducers == "Nguyễn Văn An, Lê Thị Bình"

    # The committee sees its programme on its manage page, without the names.
    to_booker = next(m for m in mail.outbox if m.to == ["ha@example.org"] and "xác nhận" in m.subject)
    link = re.search(r"https?://\S+/quan-ly/\S+/", to_booker.body).group(0)
    browser.get(url + urlsplit(link).path)
    programme = browser.find_element(By.CSS_SELECTOR, ".programme").text
    assert "Tham quan khu trưng bày thời kỳ 1948–1962" in programme
    assert "08:20–08:30" in programme and "Đảng viên mới đọc lời tuyên thệ" in programme
    assert "Buổi lễ kết nạp 1 đảng viên mới" in programme
    assert "Hoàng Thị Mai" not in browser.find_element(By.TAG_NAME, "body").text
    _screenshots(browser, "manage-programme")

    # Staff print the running order (A4, with the names) and the participants' one-page leaflet.
    browser.get(f"{url}/admin/bookings/booking/{booking.pk}/change/")
    browser.find_element(By.LINK_TEXT, "Chương trình buổi tham quan (A4)").click()
    browser.wait_for_url("/chuong-trinh/")
    assert browser.find_element(By.CSS_SELECTOR, "button[data-print]").is_displayed()
    order = _print_to_pdf(browser)
    width, height = order[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = _pdf_text(order)
    assert "Hoàng Thị Mai" in text and "Nguyễn Văn An, Lê Thị Bình" in text
    assert "Đọc quyết định kết nạp đảng viên" in text
    assert "In chương trình" not in text  # the print tools and the admin's header stay off the paper
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        order[0].render(scale=1.5).to_pil().save(Path(folder, "running-order-print-a4.png"))
    _screenshots(browser, "running-order")
    browser.get(f"{url}/admin/bookings/booking/{booking.pk}/to-chuong-trinh/")
    leaflet = _print_to_pdf(browser)
    assert len(leaflet) == 1
    assert "Đảng viên mới đọc lời tuyên thệ" in _pdf_text(leaflet) and "Hoàng Thị Mai" not in _pdf_text(leaflet)
    if folder:
        leaflet[0].render(scale=1.5).to_pil().save(Path(folder, "leaflet-print-a4.png"))


def test_a_committee_waits_for_a_full_slot_and_claims_the_freed_places(
    browser, schedule, visit_day, request_booking, mailoutbox
):
    url = browser.live_server_url
    request_booking(visit_day, group_size=25, organisation_name="Chi bộ Một")
    leaving = request_booking(visit_day, group_size=15, organisation_name="Chi bộ Hai", email="hai@example.org")
    browser.get(f"{url}/dang-ky-tham-quan/?venue=phong-truyen-thong&month={visit_day:%Y-%m}")
    slot = browser.find_element(By.CSS_SELECTOR, f'a.slot-wait[href*="slot={visit_day.isoformat()}T08%3A00"]')
    slot.click()
    browser.wait_for_url("/cho-cho/")
    assert "đã hết chỗ" in browser.find_element(By.CSS_SELECTOR, ".lead").text
    browser.find_element(By.NAME, "organisation_name").send_keys("Chi bộ Vụ Chờ")
    browser.find_element(By.NAME, "contact_name").send_keys("Đỗ Thị Chờ")
    browser.find_element(By.NAME, "contact_position").send_keys("Bí thư Chi bộ")
    browser.find_element(By.NAME, "phone").send_keys("0987 654 321")
    browser.find_element(By.NAME, "email").send_keys("cho@example.org")
    browser.find_element(By.NAME, "group_size").send_keys("12")
    browser.find_element(By.CSS_SELECTOR, 'input[name="occasion"][value="chapter_meeting"]').click()
    browser.find_element(By.NAME, "consent").click()
    browser.find_element(By.CSS_SELECTOR, ".booking-form button[type=submit]").click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Đã nhận đăng ký chờ chỗ")
    entry = WaitingEntry.objects.get()
    assert (entry.group_size, entry.phone, entry.status) == (12, "0987654321", "waiting")

    # The second committee cancels through its secret link: 15 places free, the waiting group fits.
    browser.get(f"{url}/dang-ky-tham-quan/quan-ly/{leaving.manage_token()}/huy/")
    browser.find_element(By.CSS_SELECTOR, "button.danger").click()
    browser.wait_until(lambda d: "Đã hủy" in d.find_element(By.CSS_SELECTOR, ".booking-details").text)
    offer = next(m for m in mail.outbox if m.to == ["cho@example.org"] and "Đã có chỗ" in m.subject)
    link = re.search(r"https?://\S+/nhan-cho/\S+/", offer.body).group(0)

    # The waiting committee claims the offer.
    browser.get(url + urlsplit(link).path)
    assert "12" in browser.find_element(By.CSS_SELECTOR, ".booking-details").text
    browser.find_element(By.CSS_SELECTOR, ".booking-form button[type=submit]").click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Đã nhận đăng ký tham quan")
    booking = Booking.objects.get(waiting_entry=entry)
    assert (booking.group_size, booking.status, booking.organisation_name) == (12, "pending", "Chi bộ Vụ Chờ")
    assert booking.reference in browser.find_element(By.TAG_NAME, "main").text
    # Opening the link again says it was used.
    browser.get(url + urlsplit(link).path)
    assert "Lời mời này đã được dùng" in browser.find_element(By.CSS_SELECTOR, ".booking-alert").text
