"""The import preview with wrong cells, in headless Chromium at 390 × 844 and 1366 × 900: every
message is on screen without hovering, and the row is named by its line in the spreadsheet. With
SCREENSHOT_DIR set, the page is saved there (import-errors-*.png) for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.archive.test_archive_import_export import GOOD, rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def registers(transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("archive.migrations.0002_seed_registers").seed(apps, None)


@pytest.mark.parametrize(("width", "height", "size"), [(390, 844, "phone"), (1366, 900, "desktop")])
def test_the_preview_shows_each_wrong_cell_by_line_and_column(browser, propaganda_user, tmp_path, width, height, size):
    sheet = rows(GOOD, {**GOOD, "Số trang": "ba", "Thời kỳ": "TK9", "Mô tả": None, "Độ mật": "Rất mật lắm"})
    path = tmp_path / "tu-lieu.xlsx"
    path.write_bytes(sheet.export("xlsx"))
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800},
    )
    browser.admin_login("tuyengiao", next_path="/admin/archive/item/import/")
    browser.find_element(By.NAME, "import_file").send_keys(str(path))
    Select(browser.find_element(By.NAME, "format")).select_by_visible_text("xlsx")
    browser.find_element(By.CSS_SELECTOR, "form input[type=submit]").click()
    messages = browser.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, ".archive-import-messages li"))
    texts = [m.text for m in messages]
    assert all(m.is_displayed() and m.size["height"] > 0 for m in messages)
    assert any(t.startswith("Số trang: “ba” không phải số nguyên") for t in texts), texts
    assert any(t.startswith("Thời kỳ: không tìm thấy “TK9”") for t in texts), texts
    assert any(t.startswith("Độ mật: không có giá trị “Rất mật lắm”") for t in texts), texts
    assert browser.find_element(By.CSS_SELECTOR, ".archive-import-errors tbody th").text == "3"
    assert "None" not in browser.find_element(By.CSS_SELECTOR, ".archive-import-errors").text
    # The page itself does not scroll sideways: the wide table scrolls in its own box.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width + 1
    browser.execute_script("document.querySelector('.archive-import-errors-scroll').scrollIntoView()")
    if folder := os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(str(Path(folder) / f"import-errors-{size}.png"))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
