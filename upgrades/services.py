"""Work on the upgrades that spans models or has side effects."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from upgrades.models import DUE_SOON_DAYS, BudgetLine, Expense, WorkItem, today


@transaction.atomic
def expense_record(
    *,
    budget_line: BudgetLine,
    spent_on: datetime.date,
    amount: int,
    supplier: str,
    invoice_number: str = "",
    note: str = "",
) -> Expense:
    """Record money spent against a budget line; refused (nothing saved) for a cancelled item."""
    # Lock the work item so a concurrent cancellation cannot slip between check and insert.
    list(WorkItem.objects.select_for_update().filter(pk=budget_line.work_item_id).order_by().values_list("pk"))
    budget_line.refresh_from_db()
    expense = Expense(
        budget_line=budget_line,
        spent_on=spent_on,
        amount=amount,
        supplier=supplier,
        invoice_number=invoice_number,
        note=note,
    )
    expense.full_clean()
    expense.save()
    return expense


def digest_send(*, on: datetime.date | None = None) -> int:
    """Email each owner one message listing their overdue and due-soon work items; returns the count sent."""
    on = on or today()
    items = (
        (WorkItem.objects.overdue(on) | WorkItem.objects.due_soon(on))
        .filter(owner__isnull=False, owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner", "venue")
        .order_by("owner_id", "deadline", "code")
    )
    by_owner: dict[int, list[WorkItem]] = {}
    for item in items:
        by_owner.setdefault(item.owner_id, []).append(item)
    if not by_owner:
        return 0
    owners = get_user_model().objects.in_bulk(list(by_owner))
    site_url = getattr(settings, "SITE_URL", "").rstrip("/")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for owner_id, owned in by_owner.items():
            owner = owners[owner_id]
            for item in owned:
                item.admin_link = site_url + item.get_absolute_url()
            context = {
                "owner": owner,
                "on": on,
                "days": DUE_SOON_DAYS,
                "overdue": [item for item in owned if item.is_overdue(on)],
                "due_soon": [item for item in owned if item.is_due_soon(on)],
                "site_url": site_url,
                "dashboard_url": site_url + reverse("upgrades:dashboard"),
            }
            subject = render_to_string("upgrades/email/digest_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("upgrades/email/digest.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[owner.email],
            )
            messages.append(message)
    connection = get_connection()
    return connection.send_messages(messages) or 0
