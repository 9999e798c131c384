"""The admin lists show badges, progress bars and annotated totals in a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def many_items(fixed_today, make_item, make_line, make_expense, office_user):
    for index in range(20):
        item = make_item(
            code=f"DS-{index:02d}", owner=office_user, deadline=D(2024, 5, 1) if index % 2 else D(2024, 6, 5)
        )
        for _ in range(3):
            line = make_line(item, quantity="2", unit_price=1_000_000, approved=1_500_000)
            make_expense(line, 1_000_000)
            make_expense(line, 700_000)


def test_work_item_list_has_badges_bars_and_totals_in_bounded_queries(
    client, office_user, many_items, django_assert_max_num_queries
):
    client.force_login(office_user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:upgrades_workitem_changelist") + "?q=DS-")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Quá hạn 31 ngày") == 10
    assert html.count("Còn 4 ngày") == 10
    assert html.count('class="upg-progress') == 20
    # Each item: estimated 6.000.000, approved 4.500.000, spent 5.100.000 (over the approved amount).
    assert html.count("6.000.000 ₫") >= 20 and html.count("Vượt duyệt") == 20
    assert "Tổng của danh sách đang lọc" in html and "120.000.000 ₫" in html and "102.000.000 ₫" in html


def test_overdue_filter_and_budget_line_list(client, leadership_user, many_items, django_assert_max_num_queries):
    client.force_login(leadership_user)
    response = client.get(reverse("admin:upgrades_workitem_changelist") + "?han=qua-han&q=DS-")
    assert response.context["cl"].result_count == 10
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:upgrades_budgetline_changelist") + "?q=DS-")
    assert response.status_code == 200
    # 60 lines, each spent 1.700.000 of 1.500.000 approved.
    assert response.content.decode().count("1.700.000 ₫") == 60
