"""Visitors in a real browser: search without diacritics, item page, periods, exhibits, contributions;
accessibility checked with axe-core on the main pages."""

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from archive.models import Position
from exhibits.models import ExhibitBlock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def registers(transactional_db):
    """The periods, venues and bodies of the data migration, again if an earlier test flushed them."""
    from importlib import import_module

    from django.apps import apps

    import_module("archive.migrations.0002_seed_registers").seed(apps, None)


AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(browser) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations reported by axe-core on the current page."""
    if not AXE.exists():
        message = f"axe-core is missing: run `cd tests/js && npm ci` ({AXE})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(30)
    result = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
          .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
          .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
        """
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_visitor_searches_without_diacritics_opens_the_item_and_switches_to_english(browser, catalogue):
    browser.get(browser.live_server_url + "/")
    assert axe_violations(browser) == []
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys("truyen thong", Keys.ENTER)
    browser.wait_for_url("/tim-kiem/")
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".item-card-title mark")]
    assert "Truyền thống" in marks
    assert axe_violations(browser) == []

    browser.find_element(By.PARTIAL_LINK_TEXT, "vẻ vang của Đảng bộ Khối").click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == catalogue.tradition.title)
    image = browser.find_element(By.CSS_SELECTOR, ".viewer-main img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image)
    metadata = browser.find_element(By.CSS_SELECTOR, ".metadata").text
    assert "Số đăng ký" in metadata and catalogue.tradition.inventory_number in metadata
    assert "tháng 4/2008" in metadata
    assert axe_violations(browser) == []

    # The gallery swaps the main picture; the zoom view opens and closes with the keyboard.
    thumbs = browser.find_elements(By.CSS_SELECTOR, "[data-viewer-thumb]")
    thumbs[1].click()
    assert thumbs[1].get_attribute("aria-current") == "true"
    browser.find_element(By.CSS_SELECTOR, "[data-viewer-main]").click()
    zoom = browser.find_element(By.CSS_SELECTOR, ".viewer-zoom")
    assert zoom.is_displayed()
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not zoom.is_displayed()

    browser.find_element(By.CSS_SELECTOR, '.language-switcher a[hreflang="en"]').click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.wait_for_url("/en/tu-lieu/")
    assert "About this item" in browser.find_element(By.TAG_NAME, "main").text


def test_visitor_reads_a_period_page_and_an_exhibit(browser, catalogue, make, period):
    make.leader("Nguyễn Văn Bí Thư", catalogue.bloc, Position.Role.SECRETARY, start=2010, end=2015)
    exhibit = make.exhibit("Đảng bộ Khối qua ảnh", period=period, summary="Những hình ảnh tiêu biểu.")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, heading="Mở đầu", text="Đoạn mở đầu của chuyên đề.")
    make.block(exhibit, ExhibitBlock.Kind.ITEM, item=catalogue.tradition, text="Ảnh tiêu biểu.")
    make.block(exhibit, ExhibitBlock.Kind.QUOTE, text="Đoàn kết là sức mạnh.", quote_source="Tư liệu")

    browser.get(browser.live_server_url + "/thoi-ky/")
    browser.find_element(By.LINK_TEXT, period.name).click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == period.name)
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Nguyễn Văn Bí Thư" in main
    assert catalogue.resolution.title in main
    assert exhibit.title in main

    browser.find_element(By.LINK_TEXT, exhibit.title).click()
    browser.wait_until(lambda d: d.find_element(By.TAG_NAME, "h1").text == exhibit.title)
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Đoạn mở đầu của chuyên đề." in main and "Đoàn kết là sức mạnh." in main
    assert axe_violations(browser) == []


def test_committee_member_submits_a_contribution_with_a_photo(browser, make, tmp_path, settings):
    from archive.models import Contribution

    settings.STAFF_NOTIFICATION_EMAILS = ["tuyengiao@example.vn"]
    photo = tmp_path / "Ảnh đại hội.jpg"
    photo.write_bytes(make.jpeg(200, 150))
    browser.get(browser.live_server_url + "/dong-gop-tu-lieu/")
    browser.find_element(By.ID, "id_contributor_name").send_keys("Nguyễn Thị Hoa")
    browser.find_element(By.ID, "id_organisation").send_keys("Đảng ủy Bộ Thử")
    browser.find_element(By.ID, "id_email").send_keys("hoa@example.vn")
    browser.find_element(By.ID, "id_description").send_keys("Ảnh Đại hội lần thứ nhất, bản gốc.")
    browser.find_element(By.ID, "id_files").send_keys(str(photo))
    browser.find_element(By.ID, "id_consent").click()
    browser.find_element(By.CSS_SELECTOR, ".public-form button[type=submit]").click()
    try:
        browser.wait_for_url("/dong-gop-tu-lieu/da-gui/")
    except Exception:
        pytest.fail("the contribution was not accepted: " + browser.find_element(By.TAG_NAME, "main").text[:800])
    contribution = Contribution.objects.get()
    assert contribution.reference in browser.find_element(By.TAG_NAME, "main").text
    assert contribution.files.get().original_name == "Ảnh đại hội.jpg"
