"""The dashboard's figures against a small plan computed by hand, its page, XLSX export and printed report."""

import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from upgrades.dashboard import dashboard_figures
from upgrades.models import Status, WorkItem

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(fixed_today, empty_plan, room, house, make_item, make_line, make_expense):
    """Today is 01/06/2024. Hand-computed totals are in the tests below."""
    parent = make_item(code="P", venue=room, category="design_build", deadline=D(2024, 12, 31), status="in_progress")
    a = make_item(code="A", venue=room, parent=parent, deadline=D(2024, 5, 15), status="in_progress", progress=40)
    b = make_item(code="B", venue=room, category="electronics", deadline=D(2024, 6, 10))
    c = make_item(
        code="C",
        venue=house,
        category="maintenance",
        deadline=D(2024, 3, 31),
        status="done",
        completed_on=D(2024, 3, 20),
    )
    d = make_item(code="D", venue=None, category="content", status="in_progress", progress=50)
    e = make_item(code="E", venue=house, category="maintenance", deadline=D(2024, 4, 1), progress=10)
    l1 = make_line(a, quantity="2", unit_price=1_500_000, approved=2_800_000)
    make_expense(l1, 1_000_000)
    make_expense(l1, 2_000_000)
    l2 = make_line(b, quantity="1", unit_price=10_000_000, approved=10_000_000)
    make_expense(l2, 4_000_000)
    l3 = make_line(c, quantity="3", unit_price=250_000, approved=750_000, year=2023)
    make_expense(l3, 750_000)
    make_line(d, quantity="1.5", unit_price=1_000_001)
    make_line(parent, quantity="1", unit_price=500_000, approved=500_000)
    l6 = make_line(e, quantity="1", unit_price=100_000, approved=100_000)
    make_expense(l6, 20_000)
    e.status = Status.CANCELLED
    e.save()
    return {"P": parent, "A": a, "B": b, "C": c, "D": d, "E": e, "L1": l1}


def test_budget_figures_match_the_hand_computed_plan(plan, room, house, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        figures = dashboard_figures()
    total = figures.budget_total
    assert (total.estimated, total.approved, total.spent) == (15_850_002, 14_150_000, 7_770_000)
    by_venue = {row.key: (row.estimated, row.approved, row.spent) for row in figures.budget_by_venue}
    assert by_venue == {
        room.pk: (13_500_000, 13_300_000, 7_000_000),
        house.pk: (850_000, 850_000, 770_000),
        None: (1_500_002, 0, 0),
    }
    assert [row.label for row in figures.budget_by_venue] == [
        "Phòng Truyền thống",
        "Nhà Truyền thống",
        "Chung cả hai địa điểm",
    ]
    by_year = {row.key: (row.estimated, row.approved, row.spent) for row in figures.budget_by_year}
    assert by_year == {2023: (750_000, 750_000, 750_000), 2024: (15_100_002, 13_400_000, 7_020_000)}
    by_category = {row.key: (row.estimated, row.approved, row.spent) for row in figures.budget_by_category}
    assert by_category["furniture"] == (3_000_000, 2_800_000, 3_000_000)
    assert by_category["maintenance"] == (850_000, 850_000, 770_000)
    assert [line.pk for line in figures.overspent_lines] == [plan["L1"].pk]


def test_progress_and_deadlines_match_the_hand_computed_plan(plan, room, house):
    figures = dashboard_figures()
    total = figures.progress_total
    assert (total.items, total.done, total.overdue, total.average_progress) == (4, 1, 1, 47.5)
    by_venue = {
        row.key: (row.items, row.done, row.overdue, str(row.average_progress)) for row in figures.progress_by_venue
    }
    assert by_venue == {room.pk: (2, 0, 1, "20.0"), house.pk: (1, 1, 0, "100.0"), None: (1, 0, 0, "50.0")}
    assert [item.code for item in figures.overdue] == ["A"]
    assert [item.code for item in figures.due_soon] == ["B"]
    parent = WorkItem.objects.with_totals().get(code="P")
    assert (parent.estimated_total, parent.approved_total, parent.spent_total) == (3_500_000, 3_300_000, 3_000_000)


def test_timeline_has_one_bar_per_item_phases_under_their_parent(plan):
    timeline = dashboard_figures().timeline
    codes = [row.item.code for row in timeline.rows]
    assert codes.index("A") == codes.index("P") + 1
    assert len(codes) == 6
    row_a = next(row for row in timeline.rows if row.item.code == "A")
    assert row_a.late_width > 0 and "is-overdue" in row_a.css
    assert row_a.progress_width == pytest.approx(row_a.width * 0.4, abs=0.1)
    assert timeline.today_x is not None


def test_dashboard_page_shows_the_figures(client, leadership_user, plan, django_assert_max_num_queries):
    client.force_login(leadership_user)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("upgrades:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("15.850.002 ₫", "14.150.000 ₫", "7.770.000 ₫", "47,5%", "01/06/2024", "<svg", "15/05/2024"):
        assert text in html, text
    assert 'id="overdue-list"' in html and 'id="due-soon-list"' in html
    # The Content Security Policy allows no inline script: every script has a src.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_dashboard_export_is_an_xlsx_with_the_totals(client, office_user, plan):
    client.force_login(office_user)
    response = client.get(reverse("upgrades:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    summary = workbook["Tổng hợp"]
    rows = [[cell.value for cell in row] for row in summary.iter_rows()]
    assert ["Tổng cộng", 15_850_002, 14_150_000, 7_770_000, 6_380_000] in rows
    items = workbook["Hạng mục"]
    codes = [row[0].value for row in items.iter_rows(min_row=2)]
    assert sorted(codes) == ["A", "B", "C", "D", "E", "P"]


def test_printable_report_has_the_figures_and_no_admin_chrome(client, leadership_user, plan):
    client.force_login(leadership_user)
    response = client.get(reverse("upgrades:report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "15.850.002 ₫" in html and "upgrades/upgrades.css" in html
    assert 'id="nav-sidebar"' not in html
