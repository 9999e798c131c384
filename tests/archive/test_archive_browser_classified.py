"""In a browser: a cataloguer classifies an item that holds a file through the confirmed step, on a
phone and on a desktop screen, and answers a person's request for their data."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from archive.media import media_file_store
from archive.models import Item, OfflineTransfer
from archive.services import contribution_receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [(390, 844, "phone"), (1366, 900, "desktop")]


def screenshot(browser, name: str) -> None:
    """Save what the browser shows under SCREENSHOT_DIR, when it is set."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(str(Path(folder) / name))


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (120, 20, 20)).save(buffer, "PNG")
    return SimpleUploadedFile("bản quét.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize(("width", "height", "label"), SIZES)
def test_classify_an_item_with_a_file_through_the_confirmation_page(browser, propaganda_user, width, height, label):
    item = Item.objects.create(title="Biên bản họp Thường vụ", access_level=Item.AccessLevel.INTERNAL)
    media_file_store(item=item, uploaded=png(), enqueue=False)
    browser.set_window_size(width, height)
    browser.admin_login("tuyengiao", next_path="/admin/archive/item/")
    browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{item.pk}']").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("classify_offline")
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    browser.wait_until(lambda d: "29/2018/QH14" in d.find_element(By.TAG_NAME, "body").text)
    screenshot(browser, f"classify-confirm-{label}.png")
    Select(browser.find_element(By.NAME, "confidentiality")).select_by_value("secret")
    browser.find_element(By.NAME, "secret_custody").send_keys("Kho lưu trữ Văn phòng, máy ngoại tuyến")
    browser.find_element(By.NAME, "confirm").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=apply]").click()
    browser.wait_until(lambda d: "hàng đợi xuất tệp" in d.find_element(By.TAG_NAME, "body").text)
    screenshot(browser, f"classify-done-{label}.png")
    transfer = OfflineTransfer.objects.get()
    assert transfer.status == OfflineTransfer.Status.READY and transfer.requested_by == propaganda_user
    item.refresh_from_db()
    assert item.confidentiality == "secret" and not item.media.exists()


@pytest.mark.parametrize(("width", "height", "label"), SIZES)
def test_staff_find_a_persons_data_and_erase_it(browser, propaganda_user, width, height, label):
    contribution = contribution_receive(
        contributor_name="Nguyễn Văn An",
        description="Ảnh Đại hội",
        consent=True,
        organisation="Chi bộ A",
        email="an@example.org",
    )
    browser.set_window_size(width, height)
    browser.admin_login("tuyengiao", next_path="/admin/du-lieu-ca-nhan/?email=an%40example.org")
    browser.wait_until(lambda d: contribution.reference in d.find_element(By.TAG_NAME, "body").text)
    screenshot(browser, f"personal-data-{label}.png")
    browser.find_element(By.ID, "confirm-erase").click()
    browser.find_element(By.CSS_SELECTOR, "input.deletelink").click()
    browser.wait_until(lambda d: "Đã xóa dữ liệu cá nhân" in d.find_element(By.TAG_NAME, "body").text)
    contribution.refresh_from_db()
    assert contribution.email == "" and contribution.personal_data_erased_at
