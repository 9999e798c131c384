"""Done when: staff ingest a batch of 50 scans with a spreadsheet end to end in headless Chromium,
and the report page shows every file ready. With SCREENSHOT_DIR set, the preview and the report
are saved there (batch-*.png) at 390 × 844 and 1366 × 900 for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from archive.models import IngestBatch, Item, MediaFile
from tests.archive.batch_samples import jpeg, row, sheet, zip_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(390, 844, "phone"), (1366, 900, "desktop")]
ITEMS = 25  # two scans each: 50 files


def screenshot(browser, name: str) -> None:
    if folder := os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(str(Path(folder) / name))


def both_sizes(browser, name: str) -> None:
    for width, height, size in SIZES:
        browser.set_window_size(width, height)
        browser.execute_script("window.scrollTo(0, 0)")
        screenshot(browser, f"batch-{name}-{size}.png")


@pytest.fixture
def batch_files(tmp_path):
    members = {}
    rows = []
    for n in range(1, ITEMS + 1):
        pages = [f"quet/ho-so-{n:02d}-trang-{page}.jpg" for page in (1, 2)]
        for page, name in enumerate(pages):
            members[name] = jpeg((1200, 1700), seed=n * 2 + page)
        rows.append(row(f"Hồ sơ số {n:02d} – bản quét", "; ".join(Path(p).name for p in pages)))
    members["quet/ghi-chu-nguoi-quet.jpg"] = jpeg((400, 300), seed=99)  # named by no row
    sheet_path = tmp_path / "lo-50-anh-quet.xlsx"
    sheet_path.write_bytes(sheet(rows).read())
    zip_path = tmp_path / "lo-50-anh-quet.zip"
    zip_path.write_bytes(zip_bytes(members))
    return sheet_path, zip_path


def test_staff_ingest_50_scans_and_the_report_shows_every_file_ready(browser, propaganda_user, batch_files):
    sheet_path, zip_path = batch_files
    browser.set_window_size(1366, 900)
    browser.admin_login("tuyengiao", next_path="/admin/archive/item/")
    browser.find_element(By.CSS_SELECTOR, "a.archive-batch-link").click()
    browser.wait_for_url("/nhap-lo/")
    browser.find_element(By.ID, "id_sheet").send_keys(str(sheet_path))
    browser.find_element(By.ID, "id_archive").send_keys(str(zip_path))
    browser.find_element(By.CSS_SELECTOR, "#batch-form input[type=submit]").click()
    summary = browser.wait_until(lambda d: d.find_element(By.ID, "batch-preview-summary"), timeout=60)
    assert "25 dòng (25 tư liệu mới, 0 tư liệu được sửa), 50 tệp" in summary.text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#batch-rows .batch-state--found")) == 50
    assert not browser.find_elements(By.CSS_SELECTOR, ".batch-state--missing")
    assert "quet/ghi-chu-nguoi-quet.jpg" in browser.find_element(By.ID, "batch-unused").text
    assert not Item.objects.exists()  # the preview changes nothing
    both_sizes(browser, "preview")

    browser.set_window_size(1366, 900)
    browser.find_element(By.NAME, "confirm").click()
    browser.wait_for_url("/nhap-lo/", timeout=30)
    browser.wait_until(lambda d: d.find_elements(By.ID, "batch-summary"), timeout=300)
    browser.wait_until(
        lambda d: "50 trên 50 tệp đã xử lý xong, 0 tệp lỗi." in d.find_element(By.ID, "batch-summary").text,
        timeout=300,
    )
    states = [r.get_attribute("data-state") for r in browser.find_elements(By.CSS_SELECTOR, "#batch-files tbody tr")]
    assert states == ["ready"] * 50
    assert browser.find_element(By.CSS_SELECTOR, "[data-count=ready]").text == "50"
    both_sizes(browser, "report")

    batch = IngestBatch.objects.get()
    assert batch.status == IngestBatch.Status.DONE
    assert Item.objects.count() == ITEMS
    assert MediaFile.objects.filter(status=MediaFile.Status.READY, tiled_pages=1).count() == 50
    first = Item.objects.get(title="Hồ sơ số 01 – bản quét")
    assert list(first.media.values_list("original_name", flat=True)) == ["ho-so-01-trang-1.jpg", "ho-so-01-trang-2.jpg"]
