"""Totals over thousands of budget lines and expenses are exact, and come from a bounded number of queries."""

import datetime
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from upgrades.dashboard import budget_by, budget_total
from upgrades.models import BudgetLine, Category, Expense, WorkItem

pytestmark = pytest.mark.django_db

LINES = 3000


@pytest.fixture
def big_budget(empty_plan, room, house, make_item):
    rng = random.Random(20240601)
    venues = [room, house, None]
    categories = list(Category.values)
    items = [
        make_item(venue=venues[i % 3], category=categories[i % len(categories)], code=f"BIG-{i:02d}") for i in range(21)
    ]
    lines = []
    for index in range(LINES):
        item = items[index % len(items)]
        quantity = Decimal(rng.randint(1, 9999)) / 100
        line = BudgetLine(
            work_item=item,
            description=f"Dòng {index}",
            unit="bộ",
            quantity=quantity,
            unit_price=rng.randint(0, 999_999_999_999),
            approved_amount=rng.choice([None, rng.randint(0, 99_999_999_999)]),
            fiscal_year=2023 + index % 3,
        )
        line.estimated_amount = line.compute_estimate()
        lines.append(line)
    BudgetLine.objects.bulk_create(lines, batch_size=500)
    saved = list(BudgetLine.objects.select_related("work_item"))
    expenses = [
        Expense(
            budget_line=line,
            spent_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=index % 300),
            amount=rng.randint(1, 9_999_999_999),
            supplier=f"NCC {index}",
        )
        for index, line in enumerate(saved)
        for _ in range(index % 3)
    ]
    Expense.objects.bulk_create(expenses, batch_size=500)
    return saved, expenses


def _expected(saved, expenses, key):
    expected = defaultdict(lambda: [0, 0, 0])
    for line in saved:
        exact = (line.quantity * line.unit_price).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        expected[key(line)][0] += int(exact)
        expected[key(line)][1] += line.approved_amount or 0
    by_pk = {line.pk: line for line in saved}
    for expense in expenses:
        expected[key(by_pk[expense.budget_line_id])][2] += expense.amount
    return expected


@pytest.mark.parametrize(
    "dimension, key",
    [
        ("venue", lambda line: line.work_item.venue_id),
        ("category", lambda line: line.work_item.category),
        ("year", lambda line: line.fiscal_year),
    ],
)
def test_totals_per_group_are_exact(big_budget, dimension, key, django_assert_max_num_queries):
    saved, expenses = big_budget
    expected = _expected(saved, expenses, key)
    with django_assert_max_num_queries(4):
        rows = budget_by(dimension)
    assert {row.key: [row.estimated, row.approved, row.spent] for row in rows} == dict(expected)
    # Past 2**53 a float sum would lose đồng: these sums are that large and still exact.
    assert max(row.estimated for row in rows) > 2**53


def test_grand_total_and_per_item_totals_are_exact(big_budget, django_assert_max_num_queries):
    saved, expenses = big_budget
    expected = _expected(saved, expenses, lambda line: line.work_item_id)
    with django_assert_max_num_queries(2):
        total = budget_total()
    assert [total.estimated, total.approved, total.spent] == [sum(v[i] for v in expected.values()) for i in range(3)]
    with django_assert_max_num_queries(1):
        items = list(WorkItem.objects.filter(code__startswith="BIG-").with_totals())
    assert {item.pk: [item.estimated_total, item.approved_total, item.spent_total] for item in items} == dict(expected)
