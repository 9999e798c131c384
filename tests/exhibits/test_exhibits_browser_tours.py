"""In the browser: a phone opens a stop from its short address, the recording's captions show under
the player, the beacon counts the stop, the next stop is one tap away; staff see the count on the
collection's dashboard.

With SCREENSHOT_DIR set, the stop page and the dashboard are saved there at a phone's and a
desktop's width (390×844, 1366×900).
"""

import base64
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from selenium.webdriver.common.by import By

from archive.models import UsageCount, UsageKind
from exhibits.tours import Tour, TourStop
from tests.archive.media_samples import sample
from tests.exhibits.test_exhibits_tours import VTT, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


def screenshots(browser, name: str) -> None:
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


@pytest.fixture
def guided_tour(db):
    tour = Tour.objects.create(
        title="Tuyến Phòng Truyền thống", slug="phong-truyen-thong", code="PT", status=Tour.Status.PUBLISHED
    )
    for position, title in ((1, "Lá cờ Đảng của Chi bộ Văn phòng"), (2, "Tủ kỷ vật thời kỳ 1948–1962")):
        stop = TourStop(
            tour=tour,
            position=position,
            place=f"Tủ số {position}, tầng 1",
            title=title,
            text="Lá cờ được các đảng viên Chi bộ giữ gìn qua những năm kháng chiến.\n\n"
            "Năm 1948, Liên chi cơ quan Trung ương được thành lập.",
            image_alt="Lá cờ Đảng trong tủ kính",
        )
        stop.image.save("co.png", ContentFile(png_bytes()), save=False)
        stop.audio_vi.save("vi.wav", ContentFile(sample("ghi âm.wav")), save=False)
        stop.captions_vi.save("vi.vtt", ContentFile(VTT), save=False)
        stop.audio_vi_seconds = 1
        stop.save()
    return tour


def test_a_phone_follows_a_stop_hears_it_with_captions_and_is_counted(browser, guided_tour, propaganda_user):
    url = browser.live_server_url
    browser.get(f"{url}/d/PT-01")
    browser.wait_for_url("/tham-quan/tuyen/phong-truyen-thong/1/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "PT-01 Lá cờ Đảng của Chi bộ Văn phòng"
    browser.wait_until(lambda d: UsageCount.objects.filter(kind=UsageKind.TOUR_STOP, ref="PT-01").exists())
    browser.execute_script(
        "var a = document.querySelector('audio'); a.preload = 'auto'; a.load();"
        "a.addEventListener('loadedmetadata', function () { a.currentTime = 0.4; });"
    )
    caption = browser.wait_until(lambda d: d.find_element(By.ID, "stop-caption").text)
    assert caption == "Lời thuyết minh."
    assert browser.execute_script("return document.querySelector('audio').duration") > 0.5
    assert browser.execute_script("return document.cookie") == ""
    screenshots(browser, "tour-stop")
    browser.find_element(By.CSS_SELECTOR, "a.stop-next").click()
    browser.wait_for_url("/tham-quan/tuyen/phong-truyen-thong/2/")
    assert "Điểm dừng 2/2" in browser.find_element(By.CSS_SELECTOR, ".tour-crumb").text
    browser.wait_until(lambda d: UsageCount.objects.filter(kind=UsageKind.TOUR_STOP, ref="PT-02").exists())
    counts = {(row.kind, row.ref): row.count for row in UsageCount.objects.all()}
    assert counts[(UsageKind.QR_SCAN, "PT-01")] == 1
    assert counts[(UsageKind.TOUR_STOP, "PT-02")] == 1
    # Every load of the first stop counted once (the screenshots reload it at two widths).
    stop_views = counts[(UsageKind.TOUR_STOP, "PT-01")] + 1

    UsageCount.objects.bulk_create(
        UsageCount(day=timezone.localdate().replace(month=month, day=10), kind=kind, ref=ref, count=count)
        for month, kind, ref, count in (
            (1, UsageKind.ITEM_VIEW, "TL-2026-00001", 120),
            (2, UsageKind.ITEM_VIEW, "TL-2026-00002", 80),
            (3, UsageKind.SEARCH, "đại hội", 35),
            (3, UsageKind.SEARCH_EMPTY, "khủng long", 6),
            (4, UsageKind.EXHIBIT_VIEW, "chuyen-de", 44),
            (5, UsageKind.DOWNLOAD, "TL-2026-00001", 9),
        )
    )
    browser.get(f"{url}/admin/login/?next=/khai-thac/")
    browser.find_element(By.NAME, "username").send_keys(propaganda_user.username)
    browser.find_element(By.NAME, "password").send_keys("mật-khẩu-thử-12345")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit], button[type=submit]").click()
    browser.wait_for_url("/khai-thac/")
    assert browser.find_element(By.ID, "use-tour_stop").text == str(stop_views)
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.use-chart rect.bar")) == 12 * len(UsageKind.choices)
    screenshots(browser, "usage-dashboard")
