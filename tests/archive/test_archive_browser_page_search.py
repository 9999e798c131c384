"""A visitor finds a word that only a scanned page says, in headless Chromium on a phone (390 × 844)
and a desktop (1366 × 900): the result names the page and marks the word in a snippet, and opens
the item with the deep-zoom viewer at that page and the word's boxes highlighted; a draft item's
page finds nothing. The scans are typed by the test (tests/archive/page_samples.py) and go through
the media pipeline as an upload does (tiles, Tesseract with word boxes). With SCREENSHOT_DIR set,
screenshots (page-search-*.png) are saved there for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from archive.media import media_file_store
from archive.models import Item, MediaFile, PageText
from archive.processing import media_file_process
from tests.archive.page_samples import scan, scanned_pdf
from tests.exhibits.test_exhibits_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(390, 844, "phone"), (1366, 900, "desktop")]
FIRST_PAGE = ["BÁO CÁO", "Công tác tổ chức năm 1948", "Trang đầu của báo cáo"]
SECOND_PAGE = ["Hội nghị cán bộ chủ chốt", "họp tại Tân Trào bàn về", "công tác phát động thi đua"]
DRAFT_PAGE = ["Chiến dịch Biên giới", "thu đông năm 1950"]


def screenshot(browser, name: str) -> None:
    """Save what the browser shows under SCREENSHOT_DIR, when it is set."""
    if folder := os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(str(Path(folder) / name))


def scanned_item(title: str, pages: list[list[str]], **fields) -> Item:
    """An item with a scanned PDF of ``pages``, processed as the worker processes an upload."""
    item = Item.objects.create(title=title, kind=Item.Kind.DOCUMENT, is_sample=True, **fields)
    # A4 at 300 dpi (2480 × 3508): the typed lines at the top, the rest of the sheet blank.
    content = scanned_pdf([scan(lines + [""] * (25 - len(lines)), size=(2480, 138)) for lines in pages])
    stored = media_file_store(item=item, uploaded=ContentFile(content, name="van-ban-quet.pdf"), enqueue=False)
    assert media_file_process(media_file_id=stored.pk, text_now=True) == MediaFile.Status.READY
    return item


@pytest.fixture
def scans(transactional_db, settings):
    settings.ARCHIVE_READ_TEXT = True  # off for the other tests (tests/conftest.py): OCR takes seconds a page
    public = scanned_item(
        "Báo cáo công tác tổ chức năm 1948",
        [FIRST_PAGE, SECOND_PAGE],
        summary="Báo cáo tổng kết công tác tổ chức của Liên chi",
        status=Item.Status.PUBLISHED,
        access_level=Item.AccessLevel.PUBLIC,
    )
    draft = scanned_item("Bản thảo công văn", [DRAFT_PAGE], status=Item.Status.DRAFT)
    return public, draft


VIEWER = """
var el = document.querySelector('.pdf-viewer [data-deepzoom]');
if (!el || !el.viewer || el.viewer.world.getItemCount() === 0) { return null; }
var viewer = el.viewer, image = viewer.world.getItemAt(0);
var rect = el.getBoundingClientRect();
var hits = Array.prototype.map.call(el.querySelectorAll('[data-deepzoom-hit]'), function (mark) {
  var r = mark.getBoundingClientRect();
  return {left: r.left, top: r.top, width: r.width, height: r.height};
});
return {page: viewer.currentPage(), loaded: image.getFullyLoaded(), hits: hits,
        viewer: {left: rect.left, top: rect.top, width: rect.width, height: rect.height,
                 bottom: rect.bottom, right: rect.right}};
"""


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_a_word_only_on_a_scanned_page_is_found_and_shown_highlighted(browser, scans, width, height, name):
    public, draft = scans
    second = PageText.objects.get(item=public, page=2)
    assert "Tân Trào" in second.text  # Tesseract read the typed scan
    assert not Item.objects.filter(pk=public.pk).search("tan trao").exists()  # not in the item's own text
    assert len([word for word, *_box in second.words if word in ("Tân", "Trào")]) == 2
    assert "Biên giới" in PageText.objects.get(item=draft).text

    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    browser.get(f"{browser.live_server_url}/tim-kiem/")
    browser.find_element(By.ID, "search-q").send_keys("tan trao", Keys.ENTER)
    browser.wait_for_url("q=tan+trao")
    card = browser.find_element(By.CSS_SELECTOR, ".item-card")
    assert public.title in card.text
    snippet = card.find_element(By.CSS_SELECTOR, ".item-card-page")
    assert snippet.text.startswith("Trang 2:")
    assert [mark.text for mark in snippet.find_elements(By.TAG_NAME, "mark")] == ["Tân Trào"]
    assert snippet.is_displayed()
    assert axe_violations(browser) == []
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", snippet)
    screenshot(browser, f"page-search-{name}-result.png")

    snippet.find_element(By.LINK_TEXT, "Trang 2").click()
    browser.wait_for_url(f"/tu-lieu/{public.inventory_number}/")
    state = browser.wait_until(
        lambda d: (s := d.execute_script(VIEWER)) and s["loaded"] and len(s["hits"]) == 2 and s, timeout=30
    )
    assert state["page"] == 1  # the second page, where the words are
    pager = browser.find_element(By.CSS_SELECTOR, ".pdf-viewer [data-deepzoom-pager]")
    assert "2 / 2" in pager.text
    viewer = state["viewer"]
    # The anchor of the link brings the viewer into the window, on a phone too.
    assert viewer["width"] >= min(width * 0.85, 600) and -2 <= viewer["top"] < height / 2
    # Zoomed to the words: the page's 40 px letters (10 pt at 300 dpi) are at least 12 px high on
    # the screen, not the few pixels of a whole A4 page fitted to a phone's width.
    boxes = [box for word, *box in second.words if word in ("Tân", "Trào")]
    for hit, box in zip(sorted(state["hits"], key=lambda h: h["left"]), sorted(boxes), strict=True):
        assert hit["height"] / box[3] >= 0.3
        assert hit["width"] / hit["height"] == pytest.approx(box[2] / box[3], rel=0.1)  # the word's own box
    for hit in state["hits"]:  # each highlighted box lies inside the viewer
        assert viewer["left"] <= hit["left"] and hit["left"] + hit["width"] <= viewer["right"]
        assert viewer["top"] <= hit["top"] and hit["top"] + hit["height"] <= viewer["bottom"]
    # The two boxes stand side by side on one line, "Tân" left of "Trào", as on the page.
    first, then = sorted(state["hits"], key=lambda hit: hit["left"])
    assert abs(first["top"] - then["top"]) < first["height"]
    screenshot(browser, f"page-search-{name}-viewer.png")

    inside = browser.find_element(By.ID, "tim-trong")
    assert browser.find_element(By.ID, "search-inside-q").get_attribute("value") == "tan trao"
    current = inside.find_element(By.CSS_SELECTOR, "li[aria-current=page]")
    assert current.text.startswith("Trang 2:") and current.find_element(By.TAG_NAME, "mark").text == "Tân Trào"
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", inside)
    screenshot(browser, f"page-search-{name}-inside.png")
    assert axe_violations(browser) == []

    # A word only on the draft's page finds nothing, and its page is not shown.
    browser.get(f"{browser.live_server_url}/tim-kiem/")
    browser.find_element(By.ID, "search-q").send_keys("bien gioi thu dong", Keys.ENTER)
    browser.wait_for_url("q=bien+gioi")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert draft.title not in body and "Biên giới" not in body
    assert "Không tìm thấy tư liệu, hiện vật nào phù hợp." in body
    assert not browser.find_elements(By.CSS_SELECTOR, ".item-card")
    screenshot(browser, f"page-search-{name}-draft.png")
