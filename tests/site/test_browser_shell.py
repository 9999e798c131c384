"""A first browser test: the home page in Vietnamese, the switch to English, the navigation."""

import pytest
from selenium.webdriver.common.by import By

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_home_in_vietnamese_switches_to_english_and_navigates(browser):
    browser.get(browser.live_server_url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    periods = browser.find_elements(By.CSS_SELECTOR, ".period-card")
    assert len(periods) == 4
    assert "Bảy đảng ủy khối Trung ương" in browser.page_source

    browser.find_element(By.CSS_SELECTOR, '.language-switcher a[hreflang="en"]').click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    assert "Historical periods" in browser.find_element(By.TAG_NAME, "main").text

    browser.find_element(By.LINK_TEXT, "Periods").click()
    assert browser.wait_for_url("/en/thoi-ky/").endswith("/en/thoi-ky/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Historical periods"

    browser.find_element(By.CSS_SELECTOR, '.language-switcher a[hreflang="vi"]').click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi")
    assert browser.current_url.endswith("/thoi-ky/") and "/en/" not in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "Các thời kỳ lịch sử"
