"""The Propaganda Board's admin in a real browser, on a phone and on a desktop: a new exhibit gets its
address from the Vietnamese title, and the pages it works in read in Vietnamese once their scripts
have run (the two-box picker, the calendar and the inline rows are written by JavaScript)."""

import re

import pytest
from selenium.webdriver.common.by import By

from exhibits.models import Exhibit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Đại hội Đảng bộ Khối qua các nhiệm kỳ"
SLUG = "dai-hoi-dang-bo-khoi-qua-cac-nhiem-ky"

# What Django's admin scripts and templates write in English when a translation is missing.
ENGLISH = re.compile(
    r"\b(Choose all|Remove all|Add another|Save and continue|Save and add another|History|Enter a valid|"
    r"Select all|Delete selected|Recent actions|View site|Log out|Show all|Today|Now|Chosen|Available|"
    r"Choose a time|Choose a Date|Cancel|Midnight|Noon|Remove|Filter|This field is required)\b"
)


@pytest.fixture(params=[(390, 844), (1366, 900)], ids=["phone", "desktop"])
def screen(request, browser):
    width, height = request.param
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    return browser


def english_on(browser) -> list[str]:
    """English words in what the page shows, its scripts' output included (the text, not the HTML)."""
    text = browser.execute_script("return document.body.innerText")
    return sorted(set(ENGLISH.findall(text)))


def test_a_new_exhibit_gets_its_address_from_the_vietnamese_title(screen, propaganda_user):
    browser = screen
    browser.admin_login(propaganda_user.username, next_path="/admin/exhibits/exhibit/add/")
    assert english_on(browser) == []
    browser.find_element(By.NAME, "title_vi").send_keys(TITLE)
    # The admin's own script would fill the address as it types ("dji-hi-djng-…"); it is left to the server.
    assert browser.find_element(By.NAME, "slug").get_attribute("value") == ""
    browser.find_element(By.CSS_SELECTOR, 'select[name="status"] option[value="published"]').click()
    browser.find_element(By.NAME, "_save").click()
    browser.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert not browser.find_elements(By.CSS_SELECTOR, ".errornote"), browser.find_element(By.ID, "content").text
    exhibit = Exhibit.objects.get()
    assert exhibit.slug == SLUG

    browser.get(f"{browser.live_server_url}/trung-bay/{SLUG}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == TITLE


def test_the_item_form_reads_in_vietnamese_after_its_scripts_ran(screen, propaganda_user):
    browser = screen
    browser.admin_login(propaganda_user.username, next_path="/admin/archive/item/add/")
    browser.wait_until(lambda d: d.find_elements(By.NAME, "title_vi"))
    assert english_on(browser) == []
    # The inline's "add another" row and the date shortcuts are written by the admin's scripts.
    assert browser.find_elements(By.CSS_SELECTOR, ".add-row a")
    assert all(not ENGLISH.search(link.text) for link in browser.find_elements(By.CSS_SELECTOR, ".add-row a"))
