"""Admin lists find Vietnamese text typed without diacritics."""

import pytest
from django.urls import reverse

from upgrades.models import WorkItem

pytestmark = pytest.mark.django_db


def test_budget_lines_and_expenses_are_found_without_diacritics(client, office_user, make_line, make_expense):
    item = WorkItem.objects.get(code="PTT-02")
    wanted = make_line(item, description="Thiết bị điện tử trình chiếu", unit_price=1_000_000)
    make_line(item, description="Tủ trưng bày", unit_price=2_000_000)
    make_expense(wanted, 500_000, supplier="Công ty Điện máy Đông Á")
    client.force_login(office_user)
    for url, query, expected in [
        (reverse("admin:upgrades_budgetline_changelist"), "thiet bi dien tu", ["Thiết bị điện tử trình chiếu"]),
        (reverse("admin:upgrades_budgetline_changelist"), "THIẾT BỊ ĐIỆN TỬ TRÌNH", ["Thiết bị điện tử trình chiếu"]),
        (reverse("admin:upgrades_budgetline_changelist"), "tu trung", ["Tủ trưng bày"]),
        (reverse("admin:upgrades_expense_changelist"), "dien may dong a", ["Công ty Điện máy Đông Á"]),
    ]:
        rows = client.get(url, {"q": query}).context["cl"].result_list
        found = [getattr(row, "description", None) or row.supplier for row in rows]
        assert found == expected, (url, query)
    assert (
        list(client.get(reverse("admin:upgrades_budgetline_changelist"), {"q": "khong co"}).context["cl"].result_list)
        == []
    )
