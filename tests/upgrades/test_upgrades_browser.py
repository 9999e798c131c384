"""In a browser: an Office user adds a work item with two budget lines and an expense, and the dashboard follows."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from archive.models import Venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(browser, name: str, value: str) -> None:
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def test_office_user_adds_item_lines_and_expense_and_sees_the_dashboard_update(browser, office_user):
    # Transactional tests flush the database, so the seeded venue may be gone: make sure it is there.
    Venue.objects.get_or_create(code="phong-truyen-thong", defaults={"name": "Phòng Truyền thống"})
    base = browser.live_server_url
    browser.admin_login("vanphong", next_path="/nang-cap/")
    assert browser.find_element(By.ID, "total-estimated").text == "0 ₫"
    assert browser.find_element(By.ID, "total-spent").text == "0 ₫"

    browser.get(base + "/admin/upgrades/workitem/add/")
    _fill(browser, "code", "PTT-09")
    _fill(browser, "title", "Trang bị khung ảnh chân dung các đồng chí Bí thư")
    Select(browser.find_element(By.NAME, "venue")).select_by_visible_text("Phòng Truyền thống")
    Select(browser.find_element(By.NAME, "category")).select_by_value("furniture")
    Select(browser.find_element(By.NAME, "responsible_unit")).select_by_value("office")
    _fill(browser, "planned_start", "01/09/2023")
    _fill(browser, "deadline", "31/12/2024")
    Select(browser.find_element(By.NAME, "status")).select_by_value("in_progress")
    _fill(browser, "progress", "25")
    _fill(browser, "budget_lines-0-description", "Khung ảnh gỗ")
    _fill(browser, "budget_lines-0-unit", "chiếc")
    _fill(browser, "budget_lines-0-quantity", "12")
    _fill(browser, "budget_lines-0-unit_price", "1.250.000")
    _fill(browser, "budget_lines-0-approved_amount", "15.000.000")
    _fill(browser, "budget_lines-0-fiscal_year", "2024")
    browser.find_element(By.CSS_SELECTOR, "#budget_lines-group .add-row a").click()
    _fill(browser, "budget_lines-1-description", "Đèn rọi khung ảnh")
    _fill(browser, "budget_lines-1-unit", "bộ")
    _fill(browser, "budget_lines-1-quantity", "12")
    _fill(browser, "budget_lines-1-unit_price", "450.000")
    _fill(browser, "budget_lines-1-approved_amount", "5.000.000")
    _fill(browser, "budget_lines-1-fiscal_year", "2024")
    browser.find_element(By.NAME, "_continue").click()
    assert browser.find_elements(By.CSS_SELECTOR, ".messagelist .success"), browser.find_element(By.ID, "content").text
    assert "20.400.000 ₫" in browser.find_element(By.CSS_SELECTOR, ".field-totals_display").text

    links = browser.find_elements(By.CSS_SELECTOR, "#budget_lines-group a.inlinechangelink")
    assert len(links) == 2
    links[0].click()
    _fill(browser, "expenses-0-spent_on", "15/10/2024")
    _fill(browser, "expenses-0-amount", "14.800.000")
    _fill(browser, "expenses-0-supplier", "Công ty TNHH Mỹ thuật Hà Thành")
    _fill(browser, "expenses-0-invoice_number", "0000123")
    browser.find_element(By.NAME, "_save").click()
    assert browser.find_elements(By.CSS_SELECTOR, ".messagelist .success")

    browser.get(base + "/nang-cap/")
    assert browser.find_element(By.ID, "total-estimated").text == "20.400.000 ₫"
    assert browser.find_element(By.ID, "total-approved").text == "20.000.000 ₫"
    assert browser.find_element(By.ID, "total-spent").text == "14.800.000 ₫"
    venue_table = browser.find_element(By.ID, "budget-venue").text
    assert "Phòng Truyền thống 20.400.000 ₫ 20.000.000 ₫ 14.800.000 ₫" in venue_table
    timeline = browser.find_element(By.CSS_SELECTOR, "svg.upg-timeline")
    assert "PTT-09" in timeline.get_attribute("innerHTML")
