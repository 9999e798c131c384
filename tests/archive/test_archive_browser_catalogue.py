"""A cataloguer, in a real browser: log in, create an item with an image, publish it, see its thumbnail.

Needs archive.media (upload inspection and derivatives, written on the archive-media branch).
"""

import importlib

import pytest
from PIL import Image
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from archive.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(transactional_db):
    from django.apps import apps

    importlib.import_module("archive.migrations.0002_seed_registers").seed(apps, None)


@pytest.mark.usefixtures("seeded")
def test_cataloguer_creates_publishes_and_sees_an_item_with_its_thumbnail(browser, propaganda_user, tmp_path):
    image_path = tmp_path / "anh-dai-hoi.png"
    Image.new("RGB", (640, 480), (180, 30, 30)).save(image_path)

    browser.admin_login(propaganda_user.username)

    browser.get(browser.live_server_url + "/admin/archive/item/add/")
    browser.find_element(By.NAME, "title_vi").send_keys("Ảnh Đại hội Đảng bộ Khối lần thứ nhất")
    browser.find_element(By.NAME, "date_text").send_keys("tháng 12/2008")
    # A new item's reliability is the cataloguer's choice: the form offers no default.
    browser.find_element(By.CSS_SELECTOR, 'select[name="reliability"] option[value="digitised"]').click()
    browser.find_element(By.NAME, "media-0-file").send_keys(str(image_path))
    browser.find_element(By.NAME, "media-0-alt_text").send_keys("Quang cảnh Đại hội")
    browser.find_element(By.NAME, "_save").click()
    assert not browser.find_elements(By.CSS_SELECTOR, ".errornote"), browser.find_element(By.ID, "content").text

    item = Item.objects.get()
    assert item.period.code == "TK4"
    media = item.media.get()
    assert media.is_primary and media.thumbnail

    browser.find_element(By.CSS_SELECTOR, f'input[name="_selected_action"][value="{item.pk}"]').click()
    browser.find_element(By.CSS_SELECTOR, 'select[name="action"] option[value="publish"]').click()
    browser.find_element(By.CSS_SELECTOR, 'button[name="index"]').click()
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: "Đã công bố 1 tư liệu" in driver.find_element(By.CSS_SELECTOR, ".messagelist").text
    )
    assert Item.objects.public().get() == item

    row = browser.find_element(By.CSS_SELECTOR, "#result_list tbody tr")
    assert item.inventory_number in row.text
    thumbnail = row.find_element(By.CSS_SELECTOR, "img.archive-thumb")
    # Through the checked media view, never the storage URL; and the browser really loaded it.
    assert thumbnail.get_attribute("src").endswith(f"/tep/{media.pk}/thumbnail/")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", thumbnail) > 0
