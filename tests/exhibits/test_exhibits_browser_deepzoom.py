"""The demo's 1958 report read page by page, and a photograph zoomed to its full resolution, in
OpenSeadragon, in headless Chromium on a phone (390 × 844) and a desktop (1366 × 900). The
with SCREENSHOT_DIR set, screenshots (deepzoom-*.png) are saved there for a person to look at."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from archive import demo
from archive.models import Item, MediaFile


def screenshot(browser, name: str) -> None:
    """Save what the browser shows under SCREENSHOT_DIR, when it is set."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(str(Path(folder) / name))


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "Báo cáo tổng kết công tác xây dựng Đảng năm 1958"
SIZES = [(390, 844, "phone"), (1366, 900, "desktop")]

# True once every tile the viewer wants for the current view has been drawn.
FULLY_LOADED = """
var el = document.querySelector(arguments[0] + ' [data-deepzoom]');
if (!el || !el.viewer || el.viewer.world.getItemCount() === 0) { return false; }
var image = el.viewer.world.getItemAt(0);
return image.getFullyLoaded();
"""


@pytest.fixture
def seeded(transactional_db):
    demo.seed(io.StringIO())


def wait_drawn(browser, scope: str) -> None:
    browser.wait_until(lambda d: d.execute_script(FULLY_LOADED, scope), timeout=30)


def painted_share(browser, scope: str) -> float:
    """The share of the viewer's canvas pixels that differ from its background: tiles were drawn."""
    return browser.execute_script(
        """
        var canvas = document.querySelector(arguments[0] + ' [data-deepzoom] canvas');
        var data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        var lit = 0;
        for (var i = 0; i < data.length; i += 16) { if (data[i] > 120) { lit++; } }
        return lit / (data.length / 16);
        """,
        scope,
    )


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_the_1958_report_reads_page_by_page(browser, seeded, width, height, name):
    report = Item.objects.get(title=REPORT)
    document = report.media.get(kind=MediaFile.Kind.PDF)
    assert document.status == MediaFile.Status.READY and document.tiled_pages == document.page_count >= 2
    browser.set_window_size(width, height)
    browser.get(f"{browser.live_server_url}/tu-lieu/{report.inventory_number}/")
    scope = ".pdf-viewer"
    wait_drawn(browser, scope)
    viewer = browser.find_element(By.CSS_SELECTOR, f"{scope} [data-deepzoom]")
    assert viewer.is_displayed() and viewer.size["width"] >= min(width * 0.85, 600)  # the media column
    assert not browser.find_element(By.CSS_SELECTOR, f"{scope} .pdf-first-page").is_displayed()
    assert painted_share(browser, scope) > 0.3
    pager = browser.find_element(By.CSS_SELECTOR, f"{scope} [data-deepzoom-pager]")
    assert f"1 / {document.page_count}" in pager.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", viewer)
    screenshot(browser, f"deepzoom-report-{name}-page1.png")
    browser.find_element(By.CSS_SELECTOR, f"{scope} [data-deepzoom-next]").click()
    browser.wait_until(lambda d: f"2 / {document.page_count}" in pager.text)
    wait_drawn(browser, scope)
    # Zoomed in to the page's own pixels: the seal and signature at the foot read at 300 dpi.
    browser.execute_script(
        """var v = document.querySelector(arguments[0] + ' [data-deepzoom]').viewer;
        v.viewport.zoomTo(v.viewport.imageToViewportZoom(0.5), null, true);""",
        scope,
    )
    wait_drawn(browser, scope)
    screenshot(browser, f"deepzoom-report-{name}-page2-zoomed.png")
    download = browser.find_element(By.PARTIAL_LINK_TEXT, "Tải về")
    assert document.original_name in download.text


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_a_photograph_zooms_to_its_full_resolution(browser, seeded, width, height, name):
    photo = (
        MediaFile.objects.filter(
            kind=MediaFile.Kind.IMAGE, item__kind=Item.Kind.PHOTO, item__in=Item.objects.public(), tiled_pages=1
        )
        .order_by("-width", "pk")
        .first()
    )
    browser.set_window_size(width, height)
    browser.get(f"{browser.live_server_url}/tu-lieu/{photo.item.inventory_number}/")
    scope = ".viewer"
    wait_drawn(browser, scope)
    viewer = browser.find_element(By.CSS_SELECTOR, f"{scope} [data-deepzoom]")
    assert viewer.is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, f"{scope} .viewer-main").is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", viewer)
    assert painted_share(browser, scope) > 0.05
    screenshot(browser, f"deepzoom-photo-{name}-fit.png")
    zoom = browser.execute_script(
        """var v = document.querySelector(arguments[0] + ' [data-deepzoom]').viewer;
        v.viewport.zoomTo(v.viewport.imageToViewportZoom(1), null, true);
        return v.viewport.viewportToImageZoom(v.viewport.getZoom(true));""",
        scope,
    )
    assert zoom == pytest.approx(1, rel=0.05)  # one image pixel per screen pixel: full resolution
    wait_drawn(browser, scope)
    screenshot(browser, f"deepzoom-photo-{name}-full.png")
