"""The institution is data: renamed in the admin, it is renamed on every page, email, leaflet, label,
citation and report of the demo, and no trace of the old name is left.

The demo's own records name the old organisation as history (periods, bodies, item titles), so the
test first rewrites those records' text; whatever old name remains after that can only come from
code and templates, which must read the institution's record (``archive.institution.current``).
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import translation

from archive.institution import current
from archive.models import Institution, Item
from archive.resources import PositionResource
from basics.text import fold
from bookings import notifications
from bookings.models import Booking, WaitingEntry
from exhibits.models import Exhibit
from tests.sitemaps import sitemap_text

OLD = ("Đảng bộ Khối các cơ quan Trung ương", "Ban Tuyên giáo Đảng ủy Khối", "Central Agencies Bloc")
NEW = {
    "name": "Đảng bộ các cơ quan Đảng Trung ương",
    "name_en": "Party Organisation of the Central Party Agencies",
    "short_name": "Đảng bộ các cơ quan Đảng",
    "short_name_en": "the Party Agencies' Organisation",
    "parent_body": "Ban Chấp hành Trung ương Đảng",
    "board": "Ban Tuyên giáo và Dân vận Đảng ủy các cơ quan Đảng Trung ương",
    "board_en": "Propaganda and Mass Mobilisation Board",
    "board_short": "Ban Tuyên giáo và Dân vận",
    "board_short_en": "the Propaganda and Mass Mobilisation Board",
    "signer_title": "TRƯỞNG BAN TUYÊN GIÁO VÀ DÂN VẬN",
    "address": "Số 8 Chu Văn An, Hà Nội",
    "phone": "024 3823 0000",
    "email": "truyenthong@example.org",
}
PROJECT_APPS = ("archive", "exhibits", "bookings", "upgrades")


def traces(text: str) -> list[str]:
    folded = fold(text)
    return [old for old in OLD if fold(old) in folded]


def rewrite_history_in_records() -> None:
    """The old name as the demo's data holds it (a period's name, an item's title) becomes another."""
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model is Institution or model._meta.label_lower.startswith(f"{label}.historical"):
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField) or field.choices:
                    continue
                for number, old in enumerate(OLD):
                    model.objects.filter(**{f"{field.name}__contains": old}).update(
                        **{field.name: Replace(F(field.name), Value(old), Value(f"Tổ chức tiền thân {number}"))}
                    )


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def renamed(client, superuser, django_capture_on_commit_callbacks):
    call_command("seed_demo", stdout=io.StringIO())
    rewrite_history_in_records()
    assert traces(current().name)  # the seeded record holds the old name
    client.force_login(superuser)
    url = reverse("admin:archive_institution_change", args=[1])
    assert client.get(reverse("admin:archive_institution_changelist"))["Location"] == url
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, NEW)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert current().name == NEW["name"]
    return superuser


@pytest.mark.instant("2026-11-25 09:00")
@pytest.mark.django_db
def test_no_page_email_leaflet_label_citation_or_report_keeps_the_old_name(client, renamed):
    checked: dict[str, str] = {}

    # Every public page the sitemap lists, in both languages, with the pages it leaves out.
    sitemap = page(client, reverse("exhibits:sitemap")) + sitemap_text(client)  # the index, then its pages
    paths = {urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    paths = {path for path in paths if not path.startswith("/sitemap")}
    for language in ("vi", "en"):
        with translation.override(language):
            paths |= {
                reverse(name)
                for name in (
                    "exhibits:home",
                    "exhibits:period_list",
                    "exhibits:timeline",
                    "exhibits:leaders",
                    "exhibits:item_list",
                    "exhibits:exhibit_list",
                    "exhibits:videos",
                    "exhibits:visit",
                    "exhibits:contribute",
                    "exhibits:contribute_done",
                    "bookings:book",
                    "bookings:wait",
                )
            }
            paths |= {reverse("exhibits:exhibit_print", args=[e.slug]) for e in Exhibit.objects.published()}
            for booking in Booking.objects.all()[:5]:
                paths.add(reverse("bookings:manage", args=[booking.manage_token()]))
                paths.add(reverse("bookings:done", args=[booking.manage_token()]))
                paths.add(reverse("bookings:booking_ics", args=[booking.manage_token()]))
    items = list(Item.objects.public())
    assert items and any("/tu-lieu/" in p for p in paths) and any("/nhan-vat/" in p for p in paths)
    for path in sorted(paths):
        checked[path] = page(client, path)
    outside = client.get(reverse("exhibits:item_list"), {"period": 0})
    assert outside.status_code == 200

    # The citation on an item page names the new institution.
    item_page = checked[items[0].get_absolute_url()]
    assert f"Phòng Truyền thống {NEW['name']}" in item_page

    # Staff's printouts: leaflets, running orders, guide sheet, QR labels, statistics, the report.
    client.force_login(renamed)
    bookings = list(Booking.objects.all()[:5])
    for booking in bookings:
        for name in ("bookings_booking_leaflet", "bookings_booking_running_order"):
            checked[f"{name}:{booking.pk}"] = page(client, reverse(f"admin:{name}", args=[booking.pk]))
    checked["guide"] = page(client, reverse("admin:bookings_booking_guide_sheet"))
    checked["statistics"] = page(client, reverse("admin:bookings_booking_statistics"))
    ids = ",".join(str(i.pk) for i in items[:12])
    checked["labels"] = page(client, reverse("exhibits:qr_labels") + f"?ids={ids}")
    assert NEW["name"] in checked["labels"]
    checked["report"] = page(client, reverse("upgrades:report"))
    assert NEW["signer_title"] in checked["report"] and NEW["name"].upper() in checked["report"]
    template = PositionResource.template_dataset()
    checked["position import template"] = template.csv
    assert NEW["name"] in template.csv
    client.logout()

    # Every email, with the calendar files attached.
    mail.outbox.clear()
    booking = bookings[0]
    for notify in (
        notifications.notify_received,
        notifications.notify_staff_new,
        notifications.notify_confirmed,
        notifications.notify_rejected,
        notifications.notify_cancelled,
        notifications.notify_new_date_requested,
        notifications.notify_reminder,
    ):
        notify(booking)
    entry = WaitingEntry.objects.first()
    if entry is not None:
        notifications.notify_waiting_received(entry)
    assert mail.outbox
    for number, message in enumerate(mail.outbox):
        attachments = " ".join(str(a[1]) for a in message.attachments)
        checked[f"email {number}: {message.subject}"] = f"{message.subject}\n{message.body}\n{attachments}"
    assert any(NEW["board_short"] in m.body for m in mail.outbox)

    found = {where: traces(text) for where, text in checked.items() if traces(text)}
    assert found == {}
    assert len(checked) > 60
    new_name_pages = [where for where, text in checked.items() if NEW["name"] in text]
    assert len(new_name_pages) > 40
