"""The rules of work items, budget lines and expenses: in clean() with Vietnamese messages, and in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from upgrades.fields import DongFormField, parse_dong
from upgrades.models import BudgetLine, Expense, Status, WorkItem
from upgrades.services import expense_record

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_deadline_before_start_is_refused_naming_the_field(make_item):
    with pytest.raises(ValidationError) as caught:
        make_item(code="X-1", planned_start=datetime.date(2024, 5, 1), deadline=datetime.date(2024, 4, 30))
    assert "Hạn hoàn thành" in _messages(caught.value, "deadline")
    assert "30/04/2024" in _messages(caught.value, "deadline")
    assert not WorkItem.objects.filter(code="X-1").exists()


def test_database_refuses_deadline_before_start_even_without_clean(make_item):
    item = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.filter(pk=item.pk).update(deadline=datetime.date(2023, 1, 1))


def test_progress_above_100_is_refused(make_item):
    with pytest.raises(ValidationError) as caught:
        make_item(progress=120)
    assert "progress" in caught.value.message_dict
    item = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.filter(pk=item.pk).update(progress=120)


def test_done_requires_a_completion_date(make_item):
    with pytest.raises(ValidationError) as caught:
        make_item(status=Status.DONE)
    assert "ngày hoàn thành" in _messages(caught.value, "completed_on")
    item = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.filter(pk=item.pk).update(status=Status.DONE)


def test_done_sets_progress_to_100(make_item):
    item = make_item(status=Status.DONE, completed_on=datetime.date(2024, 3, 1), progress=40)
    item.refresh_from_db()
    assert item.progress == 100


def test_phases_are_one_level_deep_and_share_the_venue(make_item, room, house):
    parent = make_item(venue=room)
    phase = make_item(venue=room, parent=parent)
    with pytest.raises(ValidationError) as caught:
        make_item(venue=room, parent=phase)
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_item(venue=house, parent=parent)
    assert "venue" in caught.value.message_dict


def test_estimated_amount_is_quantity_times_unit_price_rounded_to_the_dong(make_item, make_line):
    item = make_item()
    line = make_line(item, quantity="2.5", unit_price=1_000_001)
    assert line.estimated_amount == 2_500_003  # 2.500.002,5 rounds half up
    line.quantity = Decimal(3)
    line.save(update_fields=["quantity"])
    line.refresh_from_db()
    assert line.estimated_amount == 3_000_003


@pytest.mark.parametrize("field", ["unit_price", "approved_amount"])
def test_negative_money_is_refused_in_clean_and_in_the_database(make_item, make_line, field):
    item = make_item()
    values = {"unit_price": 1000, "approved": None}
    if field == "unit_price":
        values["unit_price"] = -1
    else:
        values["approved"] = -5
    with pytest.raises(ValidationError) as caught:
        make_line(item, **values)
    assert "không được âm" in _messages(caught.value, field)
    assert not BudgetLine.objects.exists()
    line = make_line(item, unit_price=1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(**{field: -1})


def test_money_is_never_a_float(make_item, make_line):
    item = make_item()
    with pytest.raises(ValidationError):
        make_line(item, unit_price=1500.5)
    line = BudgetLine(work_item=item, description="x", unit="x", quantity=1, unit_price=1.5, fiscal_year=2024)
    with pytest.raises(TypeError), transaction.atomic():
        line.save()
    assert not BudgetLine.objects.exists()


def test_parse_dong_accepts_how_people_write_amounts_and_refuses_the_rest():
    assert parse_dong("1.234.567") == 1_234_567
    assert parse_dong("1 234 567 ₫") == 1_234_567
    assert parse_dong(Decimal("25000")) == 25_000
    assert parse_dong("-5") == -5
    for bad in ("12,5", "mười nghìn", "1.5e3", 2.5, Decimal("1.5")):
        with pytest.raises(ValueError):
            parse_dong(bad)


def test_money_form_field_message_is_vietnamese():
    field = DongFormField()
    assert field.clean("1.234.567") == 1_234_567
    with pytest.raises(ValidationError) as caught:
        field.clean("một triệu")
    assert "số nguyên đồng" in caught.value.messages[0]


def test_expense_on_a_cancelled_item_is_refused(make_item, make_line):
    item = make_item()
    line = make_line(item, unit_price=1_000_000, approved=1_000_000)
    item.status = Status.CANCELLED
    item.save()
    with pytest.raises(ValidationError) as caught:
        expense_record(budget_line=line, spent_on=datetime.date(2024, 5, 2), amount=500_000, supplier="Công ty A")
    assert "đã bị hủy" in _messages(caught.value, "__all__")
    assert not Expense.objects.exists()


def test_expense_amount_must_be_positive(make_item, make_line, make_expense):
    line = make_line(make_item(), unit_price=1_000)
    with pytest.raises(ValidationError) as caught:
        make_expense(line, amount=0)
    assert "amount" in caught.value.message_dict
    expense = make_expense(line, amount=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.filter(pk=expense.pk).update(amount=-10)


def test_the_same_invoice_is_not_recorded_twice(make_item, make_line, make_expense):
    line = make_line(make_item(), unit_price=1_000)
    make_expense(line, amount=10, supplier="Công ty B", invoice_number="0001")
    with pytest.raises(ValidationError):
        make_expense(line, amount=10, supplier="Công ty B", invoice_number="0001")
    make_expense(line, amount=10, supplier="Công ty B")
    make_expense(line, amount=10, supplier="Công ty B")
    assert Expense.objects.count() == 3


def test_overdue_and_due_soon_follow_today(fixed_today, make_item):
    late = make_item(deadline=datetime.date(2024, 5, 31))
    soon = make_item(deadline=datetime.date(2024, 6, 15))
    today_item = make_item(deadline=datetime.date(2024, 6, 1))
    later = make_item(deadline=datetime.date(2024, 6, 16))
    make_item(deadline=datetime.date(2024, 5, 1), status=Status.DONE, completed_on=datetime.date(2024, 5, 1))
    make_item(deadline=datetime.date(2024, 5, 1), status=Status.CANCELLED)
    mine = WorkItem.objects.filter(code__startswith="T-")
    assert set(mine.overdue()) == {late}
    assert set(mine.due_soon()) == {soon, today_item}
    assert late.is_overdue() and not late.is_due_soon()
    assert soon.is_due_soon() and not later.is_due_soon()
    assert soon.days_to_deadline() == 14


def test_overspent_lines_and_items(make_item, make_line, make_expense):
    item = make_item()
    within = make_line(item, unit_price=100, approved=100)
    over = make_line(item, unit_price=100, approved=50)
    unapproved = make_line(item, unit_price=100)
    make_expense(within, amount=100)
    make_expense(over, amount=30)
    make_expense(over, amount=30)
    make_expense(unapproved, amount=1)
    assert set(BudgetLine.objects.overspent()) == {over, unapproved}
    assert list(WorkItem.objects.overspent()) == [item]  # spent 161 > approved 150


def test_admin_refuses_an_expense_on_a_cancelled_item_and_saves_nothing(client, office_user, make_item, make_line):
    from django.urls import reverse

    item = make_item(status=Status.CANCELLED)
    line = make_line(item, quantity="2", unit_price=1_000_000, approved=2_000_000)
    client.force_login(office_user)
    response = client.post(
        reverse("admin:upgrades_budgetline_change", args=[line.pk]),
        {
            "work_item": str(item.pk),
            "description": line.description,
            "unit": line.unit,
            "quantity": "2",
            "unit_price": "1.000.000",
            "approved_amount": "2.000.000",
            "funding_source": "office_budget",
            "fiscal_year": "2024",
            "ordering": "0",
            "expenses-TOTAL_FORMS": "1",
            "expenses-INITIAL_FORMS": "0",
            "expenses-0-spent_on": "02/05/2024",
            "expenses-0-amount": "500.000",
            "expenses-0-supplier": "Công ty A",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã bị hủy: không ghi thêm chi phí" in html
    assert not Expense.objects.exists()
