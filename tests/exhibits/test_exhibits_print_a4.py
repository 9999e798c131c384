"""Printed sheets fit A4: printed to PDF by headless Chromium (WebDriver's print, A4 paper with
1 cm printer margins) and their pages counted with pdfium."""

import base64
import os
from pathlib import Path

import pypdfium2
import pytest
from django.urls import reverse
from selenium.webdriver.common.print_page_options import PrintOptions

from archive.models import Item


@pytest.fixture(autouse=True)
def registers(transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("archive.migrations.0002_seed_registers").seed(apps, None)


def printed_pages(browser, *, landscape: bool = False) -> int:
    options = PrintOptions()
    options.orientation = "landscape" if landscape else "portrait"
    options.page_width = 21.0
    options.page_height = 29.7
    options.margin_top = options.margin_bottom = options.margin_left = options.margin_right = 1.0
    document = pypdfium2.PdfDocument(base64.b64decode(browser.print_page(options)))
    if folder := os.environ.get("SCREENSHOT_DIR"):  # the first page, for a person to look at
        name = browser.execute_script("return document.title").split("(")[0].strip().replace(" ", "-")
        document[0].render(scale=1).to_pil().save(Path(folder) / f"print-{name}-{len(document)}p.png")
    width, height = document[0].get_size()
    size = (round(width / 72 * 25.4), round(height / 72 * 25.4))  # in millimetres
    assert size == ((297, 210) if landscape else (210, 297))  # A4
    return len(document)


@pytest.mark.parametrize(("count", "pages"), [(12, 1), (13, 2), (24, 2)])
def test_the_qr_label_sheet_prints_twelve_labels_an_a4_page(browser, propaganda_user, make, count, pages):
    items = [
        make.item(f"Bằng khen của Ban Chấp hành Trung ương tặng Đảng bộ Khối, số {n + 1}", kind=Item.Kind.DOCUMENT)
        for n in range(count)
    ]
    browser.admin_login("tuyengiao", next_path="/admin/")
    ids = ",".join(str(item.pk) for item in items)
    browser.get(f"{browser.live_server_url}{reverse('exhibits:qr_labels')}?ids={ids}")
    labels = browser.execute_script("return document.querySelectorAll('.label').length")
    assert labels == count
    assert printed_pages(browser) == pages


def test_the_exhibit_leaflet_prints_on_at_most_two_a4_pages(browser, make):
    from archive.models import Period
    from archive.partial_dates import PartialDate
    from exhibits.models import ExhibitBlock

    period = Period.objects.get(number=4)
    exhibit = make.exhibit("Đảng bộ Khối qua các thời kỳ", period=period, summary="Những mốc son.")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, heading="Lời giới thiệu", text="Đoạn mở đầu của chuyên đề. " * 20)
    pictures = []
    for n in range(8):
        picture = make.item(f"Ảnh tư liệu số {n + 1}", kind=Item.Kind.PHOTO, date=PartialDate(2000 + n))
        make.image(picture)
        pictures.append(picture)
    make.block(exhibit, ExhibitBlock.Kind.GALLERY, heading="Tư liệu ảnh", items=pictures)
    make.block(exhibit, ExhibitBlock.Kind.QUOTE, text="Đoàn kết, đoàn kết, đại đoàn kết.", quote_source="Hồ Chí Minh")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, heading="Kết luận", text="Đoạn kết của chuyên đề. " * 20)
    browser.get(browser.live_server_url + reverse("exhibits:exhibit_print", args=[exhibit.slug]))
    assert 1 <= printed_pages(browser) <= 2


@pytest.mark.instant("2026-11-25 09:00")
def test_the_upgrades_report_of_the_demo_prints_on_four_a4_pages_in_a_party_reports_layout(browser, office_user):
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    browser.admin_login("vanphong", next_path="/admin/")
    browser.get(browser.live_server_url + reverse("upgrades:report"))
    # The heading of a Party report (36-HD/VPTW): the issuing body, the Party's name, place and date.
    heading = browser.find_element("css selector", ".upg-report-header").text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in heading and "Hà Nội, ngày 25 tháng 11 năm 2026" in heading
    assert "BÁO CÁO" in browser.find_element("css selector", ".upg-report-title h1").text
    # A4 landscape, the figures tight: four pages for the demo (seven before the print layout).
    assert printed_pages(browser, landscape=True) <= 4
