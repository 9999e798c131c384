"""In Chromium: the API's docs page runs Swagger UI from the static files under the site's policy,
and another site (another origin on the loopback) may frame the embeddable views only when named,
while the rest of the site refuses its frame."""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from archive.models import Item
from exhibits.models import Exhibit, ExhibitBlock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(browser, name: str) -> None:
    """Save what the browser shows under SCREENSHOT_DIR, when it is set, as the other browser tests do."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / name))


@pytest.fixture
def other_site(tmp_path):
    """A page server on another loopback port: a different origin from the live server's."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.folder = tmp_path
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def frame_page(site, name: str, src: str) -> str:
    (site.folder / name).write_text(
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang ngoài</title></head>'
        f'<body><h1>Trang của đơn vị</h1><iframe id="f" src="{src}" '
        'style="width: 100%; max-width: 1000px; height: 700px"></iframe></body></html>',
        encoding="utf-8",
    )
    return f"{site.origin}/{name}"


def framed_text(browser, selector: str) -> str:
    """The text of ``selector`` inside the frame once its document has loaded (the page, or the
    browser's error page when the frame was refused); "" when it is not there."""
    browser.switch_to.frame(browser.find_element(By.ID, "f"))
    try:
        browser.wait_until(
            lambda d: d.execute_script("return location.href !== 'about:blank' && document.readyState === 'complete'")
        )
        found = browser.find_elements(By.CSS_SELECTOR, selector)
        return found[0].text if found else ""
    finally:
        browser.switch_to.default_content()


def test_the_api_docs_page_runs_swagger_ui_from_static_files(browser):
    browser.get(browser.live_server_url + "/api/docs/")
    operations = browser.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"))
    paths = {op.text.replace("\u200b", "") for op in operations}
    assert {"/api/items", "/api/items/{inventory_number}", "/api/exhibits/{slug}"} <= paths
    shoot(browser, "api-docs-1280.png")


def test_another_site_frames_the_embed_views_only_when_named(browser, settings, other_site, make_public_item):
    make_public_item("Nghị quyết về công tác tư tưởng")
    latest = f"{browser.live_server_url}/nhung/tu-lieu-moi/"

    settings.EMBED_ORIGINS = []
    browser.get(frame_page(other_site, "chua-cho-phep.html", latest))
    assert framed_text(browser, ".embed-title") == ""

    settings.EMBED_ORIGINS = [other_site.origin]
    browser.get(frame_page(other_site, "cho-phep.html", latest))
    browser.wait_until(lambda d: framed_text(d, ".embed-title"))
    assert framed_text(browser, ".embed-title") == "Tư liệu mới công bố"
    assert "Nghị quyết về công tác tư tưởng" in framed_text(browser, ".item-grid")
    for width, height in ((390, 844), (1366, 900)):
        browser.set_window_size(width, height)
        shoot(browser, f"embed-in-other-site-{width}.png")

    exhibit = Exhibit.objects.create(
        title="Đảng bộ Khối qua các thời kỳ",
        slug="qua-cac-thoi-ky",
        summary="Chặng đường xây dựng Đảng bộ Khối các cơ quan Trung ương.",
        status=Exhibit.Status.PUBLISHED,
    )
    ExhibitBlock.objects.create(
        exhibit=exhibit, kind=ExhibitBlock.Kind.TEXT, heading="Thành lập", text="Năm 1948, Liên chi cơ quan Trung ương."
    )
    browser.set_window_size(1280, 900)
    browser.get(frame_page(other_site, "chuyen-de.html", f"{browser.live_server_url}/nhung/trung-bay/{exhibit.slug}/"))
    assert framed_text(browser, ".embed-title") == exhibit.title
    assert framed_text(browser, ".exhibit-block h2") == "Thành lập"
    for width, height in ((390, 844), (1366, 900)):
        browser.set_window_size(width, height)
        shoot(browser, f"embed-exhibit-in-other-site-{width}.png")

    browser.get(frame_page(other_site, "trang-chu.html", browser.live_server_url + "/"))
    assert framed_text(browser, ".site-header") == ""  # the main site stays out of the frame


@pytest.fixture
def make_public_item():
    def make(title: str) -> Item:
        item = Item(title=title, status=Item.Status.PUBLISHED, access_level=Item.AccessLevel.PUBLIC)
        item.save()
        return item

    return make
