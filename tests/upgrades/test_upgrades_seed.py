"""The plan's work items come from a data migration with the plan's dates; seed_demo adds sample amounts."""

import datetime

import pytest
from django.core.management import call_command

from upgrades.dashboard import dashboard_figures
from upgrades.models import BudgetLine, Expense, WorkItem

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_plan_is_seeded_with_its_dates():
    room = WorkItem.objects.get(code="PTT-00")
    assert room.venue.code == "phong-truyen-thong"
    assert (room.planned_start, room.deadline) == (D(2023, 9, 1), D(2024, 12, 31))
    assert room.phases.count() == 5
    house = WorkItem.objects.get(code="NTT-00")
    assert house.venue.code == "nha-truyen-thong"
    assert (house.planned_start, house.deadline) == (D(2023, 10, 1), D(2024, 12, 31))
    titles = " ".join(WorkItem.objects.values_list("title", flat=True))
    for words in ("video clip", "Số hóa", "sinh hoạt truyền thống", "Dự toán kinh phí", "bàn ghế, tủ, kệ"):
        assert words in titles
    assert not BudgetLine.objects.exists()  # no amounts in the plan


@pytest.mark.instant("2026-11-25 09:00")
def test_seed_demo_is_idempotent_and_gives_the_reported_figures():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (BudgetLine.objects.count(), Expense.objects.count()) == (18, 17)
    figures = dashboard_figures()
    total = figures.budget_total
    assert (total.estimated, total.approved, total.spent) == (1_544_600_000, 1_386_500_000, 1_177_150_000)
    progress = figures.progress_total
    assert (progress.items, progress.done, progress.overdue, str(progress.average_progress)) == (11, 6, 5, "79.5")
    # The headline's list is the measured items the progress table counts: the same five (the two
    # house-level groups NTT-00 and PTT-00 are late too, and show in the timeline, not in the count).
    assert [item.code for item in figures.overdue] == ["CHUNG-02", "NTT-02", "PTT-03", "PTT-05", "PTT-06"]
    assert len(figures.overdue) == progress.overdue
