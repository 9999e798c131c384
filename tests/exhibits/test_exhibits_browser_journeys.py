"""Visitors' journeys on a phone (390 × 844) and a desktop (1366 × 900): the menu and filters fold
on a phone, a person found by search has a page, the item page links its registers, suggestions,
the period band and timeline, the visiting page and the leaflet on at most two A4 pages; axe finds
no serious or critical violation on each page."""

import base64
import datetime
import io

import pikepdf
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from archive.models import Body, Congress, Item, Keyword, Person, Position, Venue
from archive.partial_dates import PartialDate
from exhibits.models import ExhibitBlock
from tests.exhibits.test_exhibits_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = (390, 844), (1366, 900)


@pytest.fixture(autouse=True)
def registers(transactional_db):
    from importlib import import_module

    from django.apps import apps

    import_module("archive.migrations.0002_seed_registers").seed(apps, None)


@pytest.fixture(params=[PHONE, DESKTOP], ids=["390x844", "1366x900"])
def screen(request, browser):
    """The browser with its viewport at the size of the parameter."""
    width, height = request.param
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    browser.phone = width < 500
    browser.height = height
    return browser


def top(browser, selector: str) -> float:
    return browser.execute_script(
        "return document.querySelector(arguments[0]).getBoundingClientRect().top + window.scrollY", selector
    )


def test_menu_folds_on_a_phone_and_the_first_result_is_above_the_fold(screen, catalogue):
    browser = screen
    browser.get(browser.live_server_url + "/tu-lieu/")
    header = browser.execute_script("return document.querySelector('.site-header').getBoundingClientRect().height")
    menu_link = browser.find_element(By.CSS_SELECTOR, ".main-nav a[href='/tham-quan/']")
    facets = browser.find_element(By.CSS_SELECTOR, ".facets")
    if browser.phone:
        assert header <= 120
        assert not menu_link.is_displayed() and not facets.is_displayed()
        # The menu's button opens it from the keyboard, and closes it again.
        button = browser.find_element(By.CSS_SELECTOR, ".menu-button")
        browser.execute_script("arguments[0].focus()", button)
        browser.switch_to.active_element.send_keys(Keys.ENTER)
        assert menu_link.is_displayed()
        browser.switch_to.active_element.send_keys(Keys.SPACE)
        assert not menu_link.is_displayed()
        browser.find_element(By.CSS_SELECTOR, ".facets-toggle").click()
        assert facets.is_displayed()
        browser.find_element(By.CSS_SELECTOR, ".facets-toggle").click()
    else:
        assert menu_link.is_displayed() and facets.is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, ".menu-button").is_displayed()
    assert top(browser, ".item-card") < browser.height - 100
    assert axe_violations(browser) == []
    # The sort menu names the order used: the newest published first.
    selected = browser.find_element(By.CSS_SELECTOR, "#sort option:checked")
    assert selected.get_attribute("value") == "-published" and selected.text == "Mới công bố trước"


def test_a_person_found_by_search_has_a_page_with_positions_and_items(screen, catalogue, make):
    browser = screen
    position = make.leader("Nguyễn Văn Lãnh Đạo", catalogue.bloc, Position.Role.SECRETARY, start=2010, end=2015)
    person = position.person
    person.biography = "Quê Nam Định, tham gia cách mạng từ năm 1945."
    person.birth_year = 1930
    person.save()
    catalogue.tradition.people.add(person)
    browser.get(browser.live_server_url + reverse("exhibits:search") + "?q=nguyen van lanh dao")
    browser.find_element(By.CSS_SELECTOR, "#found-people + ul a").click()
    browser.wait_for_url(reverse("exhibits:person_detail", args=[person.pk]))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.TAG_NAME, "h1").text == "Nguyễn Văn Lãnh Đạo"
    assert "tham gia cách mạng từ năm 1945" in main and "1930" in main
    assert "Bí thư" in main and "2010" in main and catalogue.bloc.display_name in main
    assert catalogue.tradition.title in main
    assert catalogue.draft.title not in main
    assert axe_violations(browser) == []
    # The leaders page links to it too.
    browser.get(browser.live_server_url + reverse("exhibits:leaders"))
    browser.find_element(By.LINK_TEXT, "Nguyễn Văn Lãnh Đạo").click()
    browser.wait_for_url(reverse("exhibits:person_detail", args=[person.pk]))


def test_the_item_page_links_its_bodies_people_keywords_and_period(screen, catalogue):
    browser = screen
    item = catalogue.resolution
    person = Person.objects.create(full_name="Trần Thị Được Nêu")
    item.people.add(person)
    keyword = Keyword.objects.create(name="công tác cán bộ")
    item.keywords.add(keyword)
    catalogue.flag.keywords.add(keyword)
    browser.get(browser.live_server_url + item.get_absolute_url())
    metadata = browser.find_element(By.CSS_SELECTOR, ".metadata")
    links = {a.text: a.get_attribute("href") for a in metadata.find_elements(By.TAG_NAME, "a")}
    assert links[catalogue.bloc.display_name].endswith(f"/tu-lieu/?body={catalogue.bloc.pk}")
    assert links[item.period.display_name].endswith(f"/tu-lieu/?period={item.period.pk}")
    assert links["Trần Thị Được Nêu"].endswith(f"/nhan-vat/{person.pk}/")
    assert axe_violations(browser) == []
    metadata.find_element(By.LINK_TEXT, "công tác cán bộ").click()
    browser.wait_for_url(f"keyword={keyword.pk}")
    titles = {t.text for t in browser.find_elements(By.CSS_SELECTOR, ".item-card-title")}
    assert titles == {item.title, catalogue.flag.title}


def test_suggestions_offer_whole_words_that_find_more(screen, catalogue, make):
    browser = screen
    make.item("Quyết định khen thưởng các tổ chức đảng", date=PartialDate(2012))
    browser.get(browser.live_server_url + reverse("exhibits:search") + "?q=khen thuog")
    suggestion = browser.find_element(By.CSS_SELECTOR, ".no-results a[href*='q=']")
    assert suggestion.text == "khen thưởng"
    assert "Gợi ý tìm kiếm" in browser.find_element(By.CSS_SELECTOR, ".no-results").text
    assert axe_violations(browser) == []
    suggestion.click()
    browser.wait_for_url("/tim-kiem/")
    assert "Quyết định khen thưởng" in browser.find_element(By.CSS_SELECTOR, ".results").text


def test_the_period_band_labels_fit_and_events_sit_under_their_period(screen, catalogue):
    browser = screen
    bloc = Body.objects.get(name="Đảng bộ Khối các cơ quan Trung ương")
    Congress.objects.create(
        body=bloc, number=1, name="Đại hội đại biểu lần thứ 1", held_from=datetime.date(2010, 7, 27)
    )
    browser.get(browser.live_server_url + reverse("exhibits:timeline"))
    labels = browser.find_elements(By.CSS_SELECTOR, ".timeline-legend a")
    assert [a.find_element(By.CSS_SELECTOR, ".legend-span").text for a in labels] == [
        "1948–1962",
        "1962–1964, 1978–1982",
        "1982–2007",
        "2007–nay",
    ]
    clipped = browser.execute_script(
        """const boxes = [...document.querySelectorAll('.timeline-legend li')].map(e => e.getBoundingClientRect());
           const overlap = boxes.some((a, i) => boxes.some((b, j) => i < j && a.left < b.right && b.left < a.right
                                                                    && a.top < b.bottom && b.top < a.bottom));
           const cut = [...document.querySelectorAll('.timeline-legend a, .timeline-bar')]
                       .some(e => e.scrollWidth > e.clientWidth + 1);
           return overlap || cut || document.documentElement.scrollWidth > innerWidth;"""
    )
    assert not clipped
    assert all(bar.text == "" for bar in browser.find_elements(By.CSS_SELECTOR, ".timeline-bar"))
    sections = {
        s.find_element(By.CSS_SELECTOR, ".period-span").text: s.text
        for s in browser.find_elements(By.CSS_SELECTOR, ".timeline-period")
        if s.find_elements(By.CSS_SELECTOR, ".period-span")
    }
    assert "Thành lập: Đảng ủy Khối Kinh tế Trung ương" in sections["1982–2007"]
    assert "Thành lập: Đảng ủy Khối Kinh tế Trung ương" not in sections["1962–1964, 1978–1982"]
    assert "Kết thúc hoạt động: Đảng bộ Khối các cơ quan Trung ương trực thuộc" in sections["1962–1964, 1978–1982"]
    assert "Đại hội đại biểu lần thứ 1 của Đảng bộ Khối các cơ quan Trung ương" in sections["2007–nay"]
    assert "tháng 4/2007" in sections["2007–nay"] and "01/04/2007" not in browser.page_source
    assert axe_violations(browser) == []


def test_the_visiting_page_gives_address_telephone_hours_rules_and_a_map(screen):
    from bookings.models import OpeningHours, VenueSchedule

    browser = screen
    venue = Venue.objects.order_by("ordering").first()
    venue.address = "Số 1 phố Thử, Hà Nội"
    venue.phone = "024 3000 0001"
    venue.save()
    schedule, _ = VenueSchedule.objects.get_or_create(venue=venue)
    for weekday in range(5):
        OpeningHours.objects.get_or_create(
            schedule=schedule, weekday=weekday, opens=datetime.time(8), closes=datetime.time(11, 30)
        )
    browser.get(browser.live_server_url + "/")
    if browser.phone:
        browser.find_element(By.CSS_SELECTOR, ".menu-button").click()
    browser.find_element(By.CSS_SELECTOR, ".main-nav a[href='/tham-quan/']").click()
    browser.wait_for_url("/tham-quan/")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Số 1 phố Thử, Hà Nội" in main and "024 3000 0001" in main
    assert "Thứ Hai – Thứ Sáu: 08:00–11:30" in main
    assert "Nội quy tham quan" in main
    assert browser.find_element(By.CSS_SELECTOR, "a[href^='tel:']").get_attribute("href") == "tel:02430000001"
    assert "openstreetmap.org" in browser.find_element(By.PARTIAL_LINK_TEXT, "Xem bản đồ").get_attribute("href")
    assert axe_violations(browser) == []


def test_the_leaflet_prints_on_at_most_two_a4_pages_with_a_print_button(screen, catalogue, make, period):
    browser = screen
    exhibit = make.exhibit("Đảng bộ Khối qua các thời kỳ", period=period, summary="Những mốc son của Đảng bộ Khối.")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, heading="Lời giới thiệu", text="Đoạn mở đầu của chuyên đề. " * 12)
    make.block(exhibit, ExhibitBlock.Kind.ITEM, item=catalogue.tradition, text="Ảnh tiêu biểu.")
    pictures = []
    for n in range(8):
        picture = make.item(f"Ảnh tư liệu số {n + 1}", kind=Item.Kind.PHOTO, date=PartialDate(2000 + n))
        make.image(picture)
        pictures.append(picture)
    make.block(exhibit, ExhibitBlock.Kind.GALLERY, heading="Tư liệu ảnh", items=pictures)
    make.block(exhibit, ExhibitBlock.Kind.QUOTE, text="Đoàn kết, đoàn kết, đại đoàn kết.", quote_source="Hồ Chí Minh")
    make.block(exhibit, ExhibitBlock.Kind.TEXT, heading="Kết luận", text="Đoạn kết của chuyên đề. " * 12)
    browser.get(browser.live_server_url + reverse("exhibits:exhibit_print", args=[exhibit.slug]))
    assert browser.find_element(By.CSS_SELECTOR, "[data-print]").is_displayed()
    # The pictures' boxes are sized by their width and height, loaded or not.
    pdf = browser.execute_cdp_cmd(
        "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True}
    )
    pages = len(pikepdf.open(io.BytesIO(base64.b64decode(pdf["data"]))).pages)
    assert 1 <= pages <= 2
    assert axe_violations(browser) == []
