"""Every change to catalogue, booking and upgrade records is versioned with who and when; catalogued
items are withdrawn by staff, and only a superuser can delete one outright, which is logged.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django import forms
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import formats, timezone

from archive.models import Body, Contribution, Item, Venue
from bookings.availability import closed_reasons
from bookings.models import Booking, OpeningHours, VenueSchedule
from upgrades.models import BudgetLine, WorkItem

pytestmark = pytest.mark.django_db


def admin_form_data(response) -> dict:
    """The POST an unchanged admin change form would send, read from the rendered form and inlines."""
    data: dict = {}
    all_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        all_forms.extend(formset.forms)
    for form in all_forms:
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, datetime.date | datetime.datetime | datetime.time):
                data[key] = formats.localize_input(value)
            else:
                data[key] = str(value)
    return data


def edit_in_admin(client, url: str, **changes) -> None:
    page = client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page) | changes | {"_save": "Lưu"}
    response = client.post(url, data)
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors


def assert_latest_version(obj, user) -> None:
    record = obj.history.order_by("-history_id").first()
    assert record is not None
    assert record.history_user == user
    assert abs(timezone.now() - record.history_date) < datetime.timedelta(minutes=1)


# --- staff edits in the admin --------------------------------------------------------------------


@pytest.fixture
def item(db) -> Item:
    item = Item(
        title="Nghị quyết Đại hội Đảng bộ Khối lần thứ nhất",
        kind=Item.Kind.DOCUMENT,
        status=Item.Status.DRAFT,
        access_level=Item.AccessLevel.PUBLIC,
    )
    item.save()
    return item


def test_an_admin_edit_of_an_item_is_versioned_with_the_user(client, propaganda_user, item):
    client.force_login(propaganda_user)
    versions = item.history.count()
    edit_in_admin(client, reverse("admin:archive_item_change", args=[item.pk]), title_vi="Nghị quyết Đại hội (sửa)")
    item.refresh_from_db()
    assert item.title == "Nghị quyết Đại hội (sửa)"
    assert item.history.count() > versions
    assert_latest_version(item, propaganda_user)
    assert item.history.order_by("-history_id").first().title == "Nghị quyết Đại hội (sửa)"


def test_an_admin_workflow_action_on_an_item_is_versioned_with_the_user(client, propaganda_user, item):
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:archive_item_changelist"), {"action": "withdraw", "_selected_action": [item.pk]}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.WITHDRAWN
    assert_latest_version(item, propaganda_user)


@pytest.fixture
def schedule(db, settings) -> VenueSchedule:
    settings.BOOKING_RATE_ACCEPTED = settings.BOOKING_RATE_REFUSED = 1000
    venue = Venue.objects.get(code="phong-truyen-thong")
    schedule = VenueSchedule.objects.create(venue=venue, capacity=40, max_group_size=40, min_notice_days=2)
    for weekday in range(5):
        OpeningHours.objects.create(
            schedule=schedule, weekday=weekday, opens=datetime.time(8, 0), closes=datetime.time(11, 30)
        )
    return schedule


def open_day(schedule: VenueSchedule) -> datetime.date:
    day = schedule.earliest_date(timezone.localdate())
    while not (schedule.slot_times(day) and not closed_reasons(schedule, day, day)):
        day += datetime.timedelta(days=1)
    return day


def booking_form(schedule: VenueSchedule) -> dict:
    return {
        "venue": schedule.venue.code,
        "slot": f"{open_day(schedule).isoformat()}T08:00",
        "organisation_name": "Chi bộ Vụ Thử nghiệm",
        "contact_name": "Nguyễn Văn An",
        "contact_position": "Bí thư Chi bộ",
        "phone": "0912 345 678",
        "email": "an@example.org",
        "group_size": "12",
        "occasion": "chapter_meeting",
        "consent": "on",
    }


def test_a_public_booking_request_is_versioned_without_a_user(client, schedule):
    assert client.post(reverse("bookings:book"), booking_form(schedule)).status_code == 302
    booking = Booking.objects.get()
    record = booking.history.get()
    assert record.history_type == "+"
    assert record.history_user is None
    assert record.history_date is not None


def test_confirming_a_booking_in_the_admin_is_versioned_with_the_user(client, schedule, propaganda_user):
    client.post(reverse("bookings:book"), booking_form(schedule))
    booking = Booking.objects.get()
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:bookings_booking_changelist"), {"action": "confirm_selected", "_selected_action": [booking.pk]}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.history.count() == 2
    assert_latest_version(booking, propaganda_user)
    assert booking.history.order_by("-history_id").first().status == Booking.Status.CONFIRMED


def test_a_public_contribution_is_versioned_without_a_user(client):
    response = client.post(
        reverse("exhibits:contribute"),
        {
            "contributor_name": "Nguyễn Thị Hoa",
            "body": str(Body.objects.order_by("pk").first().pk),
            "email": "hoa@example.vn",
            "description": "Ảnh Đại hội Đảng bộ Khối lần thứ nhất.",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    record = Contribution.objects.get().history.get()
    assert record.history_user is None and record.history_type == "+"


def test_an_admin_edit_of_a_work_item_is_versioned_with_the_user(client, office_user):
    work_item = WorkItem.objects.order_by("pk").first()
    client.force_login(office_user)
    edit_in_admin(client, reverse("admin:upgrades_workitem_change", args=[work_item.pk]), progress="40")
    work_item.refresh_from_db()
    assert work_item.progress == 40
    assert_latest_version(work_item, office_user)


def test_an_admin_edit_of_a_budget_line_is_versioned_with_the_user(client, office_user):
    line = BudgetLine.objects.create(
        work_item=WorkItem.objects.order_by("pk").first(),
        description="Tủ trưng bày",
        unit="chiếc",
        quantity=2,
        unit_price=15_000_000,
        fiscal_year=2025,
    )
    assert line.history.get().history_user is None  # made outside a request
    client.force_login(office_user)
    edit_in_admin(client, reverse("admin:upgrades_budgetline_change", args=[line.pk]), unit_price="16000000")
    line.refresh_from_db()
    assert line.unit_price == 16_000_000 and line.estimated_amount == 32_000_000
    assert line.history.count() == 2
    assert_latest_version(line, office_user)


# --- deletion --------------------------------------------------------------------------------------


def test_staff_cannot_delete_an_item(client, propaganda_user, item):
    client.force_login(propaganda_user)
    url = reverse("admin:archive_item_delete", args=[item.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:archive_item_changelist"))
    assert "delete_selected" not in dict(changelist.context["action_form"].fields["action"].choices)
    client.post(
        reverse("admin:archive_item_changelist"),
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )
    assert Item.objects.filter(pk=item.pk).exists()
    change_page = client.get(reverse("admin:archive_item_change", args=[item.pk])).content.decode()
    assert url not in change_page  # no "Xóa" link


def test_even_a_granted_delete_permission_does_not_let_staff_delete(client, propaganda_user, item):
    propaganda_user.user_permissions.add(Permission.objects.get(codename="delete_item"))
    client.force_login(propaganda_user)
    assert client.post(reverse("admin:archive_item_delete", args=[item.pk]), {"post": "yes"}).status_code == 403
    assert Item.objects.filter(pk=item.pk).exists()


def test_a_superuser_hard_delete_is_logged(client, superuser, item, caplog):
    client.force_login(superuser)
    number, pk = item.inventory_number, item.pk
    with caplog.at_level(logging.WARNING, logger="archive.admin"):
        response = client.post(reverse("admin:archive_item_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Item.objects.filter(pk=pk).exists()
    entry = LogEntry.objects.get(action_flag=DELETION, object_id=str(pk))
    assert entry.user == superuser
    assert [r for r in caplog.records if number in r.getMessage() and superuser.username in r.getMessage()]
    gone = Item.history.filter(id=pk, history_type="-").get()
    assert gone.history_user == superuser


def test_the_bulk_delete_action_is_for_superusers_only_and_logs_each_item(client, superuser, item, caplog):
    other = Item(title="Ảnh truyền thống", kind=Item.Kind.PHOTO)
    other.save()
    client.force_login(superuser)
    changelist = client.get(reverse("admin:archive_item_changelist"))
    assert "delete_selected" in dict(changelist.context["action_form"].fields["action"].choices)
    with caplog.at_level(logging.WARNING, logger="archive.admin"):
        response = client.post(
            reverse("admin:archive_item_changelist"),
            {"action": "delete_selected", "_selected_action": [item.pk, other.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not Item.objects.exists()
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 2
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert item.inventory_number in logged and other.inventory_number in logged and superuser.username in logged
