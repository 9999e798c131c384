"""Fixtures of the upgrades tests: a fixed "today", the venues, work items without the seeded plan."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from archive.models import Venue
from upgrades.models import BudgetLine, Expense, WorkItem

TODAY = datetime.date(2024, 6, 1)


@pytest.fixture
def fixed_today():
    """The clock stopped at 09:00 on 01/06/2024 in Hà Nội, so overdue and due-soon are deterministic."""
    with time_machine.travel(datetime.datetime(2024, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        yield TODAY


@pytest.fixture
def room(db):
    return Venue.objects.get(code="phong-truyen-thong")


@pytest.fixture
def house(db):
    return Venue.objects.get(code="nha-truyen-thong")


@pytest.fixture
def empty_plan(db):
    """Remove the work items the data migration seeded, for figures computed by hand."""
    WorkItem.objects.filter(parent__isnull=False).delete()
    WorkItem.objects.all().delete()


_counter = {"n": 0}


@pytest.fixture
def make_item(db):
    def make(**fields) -> WorkItem:
        _counter["n"] += 1
        defaults = {
            "code": f"T-{_counter['n']:04d}",
            "title": f"Hạng mục thử {_counter['n']}",
            "category": "furniture",
            "responsible_unit": "office",
            "planned_start": datetime.date(2024, 1, 1),
            "deadline": datetime.date(2024, 12, 31),
        }
        defaults.update(fields)
        item = WorkItem(**defaults)
        item.full_clean()
        item.save()
        return item

    return make


@pytest.fixture
def make_line(db):
    def make(item: WorkItem, quantity="1", unit_price=0, approved=None, year=2024, **fields) -> BudgetLine:
        line = BudgetLine(
            work_item=item,
            description=fields.pop("description", "Dòng thử"),
            unit=fields.pop("unit", "chiếc"),
            quantity=Decimal(quantity),
            unit_price=unit_price,
            approved_amount=approved,
            fiscal_year=year,
            **fields,
        )
        line.full_clean()
        line.save()
        return line

    return make


@pytest.fixture
def make_expense(db):
    def make(line: BudgetLine, amount: int, spent_on=datetime.date(2024, 5, 1), **fields) -> Expense:
        expense = Expense(
            budget_line=line,
            amount=amount,
            spent_on=spent_on,
            supplier=fields.pop("supplier", "Nhà cung cấp A"),
            **fields,
        )
        expense.full_clean()
        expense.save()
        return expense

    return make
