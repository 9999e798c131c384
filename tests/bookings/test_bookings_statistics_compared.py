"""The leadership's visit statistics beside the previous year's, with the change, and printable on A4."""

import datetime

import pytest
from django.urls import reverse

from archive.models import Body
from tests.bookings.test_bookings_admin import _completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(venue, house):
    committee = Body.objects.create(name="Đảng ủy A", kind=Body.Kind.SUBORDINATE)
    _completed(venue, datetime.date(2025, 3, 5), 30, actual=28, organisation=committee)
    _completed(venue, datetime.date(2025, 3, 19), 20, occasion="admission", organisation=committee)
    _completed(house, datetime.date(2025, 5, 7), 40, actual=35, occasion="training_trip", name="Lớp trung cấp LLCT")
    _completed(venue, datetime.date(2024, 3, 12), 50, organisation=committee)
    _completed(venue, datetime.date(2024, 8, 1), 10, name="Chi bộ cũ")


def test_each_figure_stands_beside_the_previous_years_with_the_change(client, leadership_user, two_years):
    client.force_login(leadership_user)
    response = client.get(reverse("admin:bookings_booking_statistics"), {"year": 2025})
    stats = response.context["stats"]
    assert (stats["visits"], stats["visitors"]) == (3, 83)
    assert (stats["previous_year"], stats["previous_visits"], stats["previous_visitors"]) == (2024, 2, 60)
    assert stats["visitors_change"] == "+38%"
    march = stats["by_month"][2]
    assert (march.label, march.visitors, march.previous_visitors, march.visitor_change) == ("03/2025", 48, 50, -2)
    assert march.visitor_change_percent == "−4%"
    august = stats["by_month"][7]
    assert (august.visitors, august.previous_visitors, august.visitor_change_percent) == (0, 10, "−100%")
    organisations = {row.label: (row.visitors, row.previous_visitors) for row in stats["by_organisation"]}
    # A row only the previous year had is kept, with this year's zeros.
    assert organisations == {"Đảng ủy A": (48, 50), "Lớp trung cấp LLCT": (35, 0), "Chi bộ cũ": (0, 10)}
    html = response.content.decode()
    assert "Năm 2024: buổi" in html and "Số người so với năm trước" in html
    assert "Năm 2024: 2 buổi, 60 lượt người." in html and "Số người thay đổi +38%." in html
    assert '<td class="bk-num">-2 (−4%)</td>' in html


def test_the_page_prints_with_a_button_and_a_print_stylesheet(client, leadership_user, two_years):
    client.force_login(leadership_user)
    html = client.get(reverse("admin:bookings_booking_statistics"), {"year": 2025}).content.decode()
    assert '<button type="button" class="button bk-print" data-print>In thống kê</button>' in html
    assert 'bookings/statistics_print.css" media="print"' in html
    assert "bookings/print.js" in html
    assert "Thống kê tham quan năm 2025, so với năm 2024" in html


def test_the_comparison_query_count_is_pinned(client, leadership_user, two_years, django_assert_num_queries):
    client.force_login(leadership_user)
    url = reverse("admin:bookings_booking_statistics")
    client.get(url, {"year": 2025})
    # Session, user, permissions (2), the venues, the two years' seven queries each.
    with django_assert_num_queries(19):
        client.get(url, {"year": 2025})
