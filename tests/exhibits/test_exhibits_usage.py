"""Use of the collection, counted: pages served from the cache are counted by their beacon, searches
with their words (and those that found nothing), QR scans and downloads by their views; no cookie,
no address; the staff dashboard and its XLSX export show the same figures."""

import datetime
import io
import re

import pytest
from django.core import signing
from django.urls import reverse
from openpyxl import load_workbook

from archive.models import Contribution, Item, MediaFile, UsageCount, UsageKind
from archive.usage import DayRange, collection_figures, usage_record

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'data-usage-url="([^"]+)" data-usage-token="([^"]+)"')


def beacon_of(response) -> tuple[str, str]:
    match = TOKEN_RE.search(response.content.decode())
    assert match, "the page carries no usage beacon"
    return match.group(1), match.group(2)


def counts() -> dict[tuple[str, str], int]:
    return {(row.kind, row.ref): row.count for row in UsageCount.objects.all()}


@pytest.mark.instant("2026-12-03 10:00")
def test_a_cached_item_page_costs_no_query_and_its_beacon_one(client, make, django_assert_num_queries):
    item = make.item("Nghị quyết Đại hội")
    url = reverse("exhibits:item_detail", args=[item.inventory_number])
    first = client.get(url)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert beacon_of(hit) == beacon_of(first)
    beacon_url, token = beacon_of(hit)
    assert client.post(beacon_url, {"t": token}).status_code == 204
    with django_assert_num_queries(1):
        assert client.post(beacon_url, {"t": token}).status_code == 204
    assert counts() == {(UsageKind.ITEM_VIEW, item.inventory_number): 2}
    assert UsageCount.objects.get().day == datetime.date(2026, 12, 3)
    assert not client.cookies, "counting sets no cookie"


def test_a_forged_or_altered_token_counts_nothing(client, make):
    item = make.item()
    beacon_url, token = beacon_of(client.get(reverse("exhibits:item_detail", args=[item.inventory_number])))
    assert client.post(beacon_url, {"t": token[:-2] + "xx"}).status_code == 400
    forged = signing.dumps([["item", "TL-1999-99999"]], salt="not-the-counter")
    assert client.post(beacon_url, {"t": forged}).status_code == 400
    assert client.post(beacon_url, {}).status_code == 400
    assert client.get(beacon_url).status_code == 405
    assert counts() == {}


def test_staff_signed_in_are_not_counted(client, make, propaganda_user):
    exhibit = make.exhibit("Chuyên đề kỷ niệm")
    beacon_url, token = beacon_of(client.get(reverse("exhibits:exhibit_detail", args=[exhibit.slug])))
    client.force_login(propaganda_user)
    assert client.post(beacon_url, {"t": token}).status_code == 204
    assert counts() == {}
    client.logout()
    assert client.post(beacon_url, {"t": token}).status_code == 204
    assert counts() == {(UsageKind.EXHIBIT_VIEW, exhibit.slug): 1}


def test_searches_count_their_words_and_those_that_found_nothing(client, make):
    make.item("Truyền thống vẻ vang")
    found = client.get(reverse("exhibits:search"), {"q": "  Truyền   THỐNG "})
    beacon_url, token = beacon_of(found)
    client.post(beacon_url, {"t": token})
    nothing = client.get(reverse("exhibits:search"), {"q": "khủng long"})
    client.post(beacon_url, {"t": beacon_of(nothing)[1]})
    assert counts() == {
        (UsageKind.SEARCH, "truyền thống"): 1,
        (UsageKind.SEARCH, "khủng long"): 1,
        (UsageKind.SEARCH_EMPTY, "khủng long"): 1,
    }
    assert "data-usage-token" not in client.get(reverse("exhibits:search")).content.decode()


def test_qr_scans_and_downloads_count_themselves(client, make):
    item = make.item("Thư gửi Đảng bộ")
    media = make.media(item, MediaFile.Kind.PDF, "Thư.pdf", make.pdf, "application/pdf")
    assert client.get(reverse("exhibits:short", args=[item.inventory_number.lower()])).status_code == 302
    assert client.get(reverse("archive:media", args=[media.pk, "original"]), {"tai-ve": "1"}).status_code == 200
    # Showing the file in the page is not a download.
    client.get(reverse("archive:media", args=[media.pk, "original"]))
    assert counts() == {(UsageKind.QR_SCAN, item.inventory_number): 1, (UsageKind.DOWNLOAD, item.inventory_number): 1}


@pytest.mark.django_db
def test_the_counter_adds_to_the_days_row():
    day = datetime.date(2026, 3, 9)
    for _ in range(3):
        usage_record(kind=UsageKind.TOUR_STOP, ref="NT-02", day=day)
    usage_record(kind=UsageKind.TOUR_STOP, ref="NT-02", day=day + datetime.timedelta(days=1))
    assert sorted(UsageCount.objects.values_list("day", "count")) == [(day, 3), (day + datetime.timedelta(days=1), 1)]


@pytest.fixture
def year_of_use(db, make, period):
    """Uses on known days of 2026 and one of 2025, items of two kinds, two contributions."""
    document = make.item("Văn kiện Đại hội", kind=Item.Kind.DOCUMENT, period=period)
    photo = make.item("Ảnh Đại hội", kind=Item.Kind.PHOTO)
    rows = [
        (datetime.date(2026, 1, 5), UsageKind.ITEM_VIEW, document.inventory_number, 7),
        (datetime.date(2026, 1, 20), UsageKind.ITEM_VIEW, photo.inventory_number, 2),
        (datetime.date(2026, 3, 1), UsageKind.ITEM_VIEW, document.inventory_number, 4),
        (datetime.date(2026, 3, 1), UsageKind.SEARCH, "=cmd|' /c calc'!a0", 3),
        (datetime.date(2026, 5, 2), UsageKind.SEARCH_EMPTY, "khủng long", 5),
        (datetime.date(2026, 11, 30), UsageKind.QR_SCAN, document.inventory_number, 6),
        (datetime.date(2025, 12, 31), UsageKind.ITEM_VIEW, document.inventory_number, 100),
    ]
    UsageCount.objects.bulk_create(UsageCount(day=d, kind=k, ref=r, count=n) for d, k, r, n in rows)
    Contribution.objects.create(contributor_name="Nguyễn Văn A", description="Ảnh cũ", consent=True)
    Contribution.objects.create(
        contributor_name="Trần Thị B",
        description="Huy hiệu",
        consent=True,
        status=Contribution.Status.ACCEPTED,
        decided_at=datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC),
    )
    return document, photo


@pytest.mark.instant("2026-12-03 10:00")
def test_the_figures_of_a_year_and_a_quarter(year_of_use, period):
    document, photo = year_of_use
    year = collection_figures(DayRange.year(2026))
    assert year.use(UsageKind.ITEM_VIEW) == 13
    assert year.use(UsageKind.SEARCH_EMPTY) == 5
    assert year.page_views == 13
    assert [counts for month, counts in year.use_by_month][0][0] == 9
    assert len(year.use_by_month) == 12
    assert year.top_items[0].key == document.inventory_number and year.top_items[0].count == 11
    assert {row.label: row.count for row in year.item_views_by_period}[period.name] == 11
    assert year.growth_total.total == 2
    assert (year.contributions_received, year.contributions_accepted) == (2, 1)
    first_quarter = collection_figures(DayRange.quarter(2026, 1))
    assert first_quarter.use(UsageKind.ITEM_VIEW) == 13 and first_quarter.use(UsageKind.QR_SCAN) == 0
    assert [month for month, _counts in first_quarter.use_by_month] == ["01/2026", "02/2026", "03/2026"]
    assert first_quarter.contributions_accepted == 0
    assert not collection_figures(DayRange.year(2019)).has_data


@pytest.mark.instant("2026-12-03 10:00")
@pytest.mark.parametrize("role", ["propaganda_user", "office_user", "leadership_user"])
def test_staff_and_leadership_see_the_dashboard_with_its_chart(client, year_of_use, role, request):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("archive:usage_dashboard"), {"year": 2026, "quarter": 0})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="use-item">13<' in html
    assert '<svg class="use-chart"' in html and html.count('<rect class="bar"') == 12 * len(UsageKind.choices)
    assert "khủng long" in html


@pytest.mark.instant("2026-12-03 10:00")
def test_a_year_without_data_and_a_wrong_year_say_so(client, leadership_user):
    client.force_login(leadership_user)
    empty = client.get(reverse("archive:usage_dashboard"), {"year": 2019})
    assert empty.status_code == 200
    assert "Không có số liệu trong khoảng thời gian này" in empty.content.decode()
    wrong = client.get(reverse("archive:usage_dashboard"), {"year": "năm ngoái"})
    assert wrong.status_code == 200
    assert "Năm: " in wrong.content.decode()


def test_the_public_cannot_see_the_dashboard(client):
    assert client.get(reverse("archive:usage_dashboard")).status_code == 302
    assert client.get(reverse("archive:usage_export")).status_code == 302


@pytest.mark.instant("2026-12-03 10:00")
def test_the_export_has_the_dashboards_figures_and_no_formula(client, year_of_use, propaganda_user):
    client.force_login(propaganda_user)
    response = client.get(reverse("archive:usage_export"), {"year": 2026})
    workbook = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Xem trang tư liệu, hiện vật"] == 13
    assert summary["Đóng góp được nhận vào kho"] == 1
    words = [row[0] for row in workbook["Từ khóa tìm kiếm"].iter_rows(min_row=2, values_only=True)]
    assert words == ["'=cmd|' /c calc'!a0"]
    months = list(workbook["Theo tháng"].iter_rows(min_row=2, values_only=True))
    assert months[0][:2] == ("01/2026", 9)
