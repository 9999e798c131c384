"""In the browser: a researcher signs up and verifies the address from the email, asks to read an
internal item, staff confirm and approve in the admin, the researcher reads the stamped pages, and
after the end date the pages answer 404.

With SCREENSHOT_DIR set, the sign-up, profile, request form and reading pages are saved there at a
phone's and a desktop's width (390×844, 1366×900).
"""

import base64
import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from reading.models import ReaderProfile, ReadingRequest, RequestUse
from tests.reading.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
FETCH_STATUS = "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status));"


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
        browser.wait_until(lambda d: d.execute_script("return [...document.images].every(i => i.complete)"))
        full = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
        Path(folder, f"{name}-{width}x{height}.png").write_bytes(base64.b64decode(full["data"]))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)


def _submit(browser, selector: str = "main form.reader-form button[type=submit]") -> None:
    browser.find_element(By.CSS_SELECTOR, selector).click()
    browser.wait_until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_a_researcher_signs_up_asks_reads_stamped_pages_until_the_end_date(
    browser, items, propaganda_user, time_machine
):
    url = browser.live_server_url
    internal = items["internal"]

    # Sign up.
    browser.get(f"{url}/tai-khoan/signup/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đăng ký tài khoản bạn đọc"
    _screenshots(browser, "reading-signup")
    browser.find_element(By.NAME, "email").send_keys("tran.nghien@example.org")
    browser.find_element(By.NAME, "password1").send_keys(PASSWORD)
    browser.find_element(By.NAME, "password2").send_keys(PASSWORD)
    browser.find_element(By.NAME, "full_name").send_keys("Trần Thị Nghiên Cứu")
    browser.find_element(By.NAME, "institution").send_keys("Học viện Chính trị quốc gia Hồ Chí Minh")
    browser.find_element(By.NAME, "purpose").send_keys("Luận án về công tác xây dựng Đảng ở Khối")
    _submit(browser)
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Xin xác minh thư điện tử")

    # Verify from the email.
    (message,) = [m for m in mail.outbox if m.to == ["tran.nghien@example.org"]]
    link = re.search(r"https?://\S+/tai-khoan/confirm-email/\S+/", message.body)[0]
    browser.get(url + urlsplit(link).path)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    browser.wait_for_url("/ban-doc/ho-so/")
    assert "Chờ Ban Tuyên giáo xác nhận" in browser.find_element(By.TAG_NAME, "main").text
    _screenshots(browser, "reading-profile")

    # Ask to read the internal item, which the researcher cannot see online.
    browser.get(f"{url}/ban-doc/yeu-cau/moi/?so={internal.inventory_number}")
    _screenshots(browser, "reading-request-form")
    assert browser.find_element(By.NAME, "inventory_number").get_attribute("value") == internal.inventory_number
    browser.find_element(By.NAME, "purpose").send_keys("Đối chiếu biên bản với văn kiện đại hội")
    _submit(browser)
    browser.wait_until(lambda d: "Chờ duyệt" in d.find_element(By.TAG_NAME, "main").text)
    reading = ReadingRequest.objects.get()
    assert reading.item == internal and reading.state() == "pending"
    assert any(propaganda_user.email in m.to for m in mail.outbox)
    browser.find_element(By.CSS_SELECTOR, "a[href='/ban-doc/ho-so/']").click()
    browser.wait_for_url("/ban-doc/ho-so/")
    browser.find_element(By.CSS_SELECTOR, "form[action='/tai-khoan/logout/'] button").click()
    browser.wait_until(lambda d: "/ban-doc/" not in d.current_url)

    # Staff confirm the researcher and approve the request until tomorrow.
    browser.admin_login(propaganda_user.username)
    profile = ReaderProfile.objects.get(full_name="Trần Thị Nghiên Cứu")
    browser.get(f"{url}/admin/reading/readerprofile/")
    browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{profile.pk}']").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("confirm_researcher")
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    browser.wait_until(lambda d: "Đã xác nhận 1 nhà nghiên cứu." in d.find_element(By.TAG_NAME, "body").text)
    today = timezone.localdate()
    until = today + datetime.timedelta(days=1)
    browser.get(f"{url}/admin/reading/readingrequest/{reading.pk}/change/")
    Select(browser.find_element(By.NAME, "decision")).select_by_value("approve")
    until_field = browser.find_element(By.NAME, "until")
    until_field.clear()  # it offers the default reading length; staff choose tomorrow
    until_field.send_keys(until.strftime("%d/%m/%Y"))
    browser.find_element(By.CSS_SELECTOR, "input[name=_save]").click()
    browser.wait_until(lambda d: "/change/" not in d.current_url)
    reading.refresh_from_db()
    assert (reading.state(), reading.until, reading.decided_by) == ("open", until, propaganda_user)
    assert any(m.to == ["tran.nghien@example.org"] and "đã được duyệt" in m.subject for m in mail.outbox)
    browser.find_element(By.CSS_SELECTOR, "#logout-form button").click()
    browser.wait_until(lambda d: "/admin/logout/" in d.current_url or "Đăng nhập" in d.page_source)

    # The researcher signs in again and reads the stamped pages.
    browser.get(f"{url}/tai-khoan/login/?next=/ban-doc/yeu-cau/{reading.pk}/")
    browser.find_element(By.NAME, "login").send_keys("tran.nghien@example.org")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    _submit(browser)
    browser.wait_for_url(f"/ban-doc/yeu-cau/{reading.pk}/")
    image = browser.find_element(By.CSS_SELECTOR, ".reading-pages img")
    browser.wait_until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))
    assert browser.execute_script("return arguments[0].naturalWidth", image) == 900
    assert (
        internal.title in browser.find_element(By.TAG_NAME, "h1").text + browser.find_element(By.TAG_NAME, "main").text
    )
    page_url = image.get_attribute("src")
    _screenshots(browser, "reading-page")
    assert browser.execute_async_script(FETCH_STATUS, page_url) == 200
    assert RequestUse.objects.filter(request=reading, action="page").exists()

    # The end date passes with no one acting: the day after it, the pages answer 404.
    after = datetime.datetime.combine(
        until + datetime.timedelta(days=1), datetime.time(8), ZoneInfo("Asia/Ho_Chi_Minh")
    )
    time_machine.move_to(after, tick=True)
    assert browser.execute_async_script(FETCH_STATUS, page_url) == 404
    browser.refresh()
    browser.wait_until(lambda d: "Đã hết hạn" in d.find_element(By.TAG_NAME, "main").text)
    assert not browser.find_elements(By.CSS_SELECTOR, ".reading-pages img")
