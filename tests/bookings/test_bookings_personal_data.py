"""Personal data of bookings and contributions (Nghị định 13/2023/NĐ-CP): the purpose stated, the
consent kept with its text and time, erasure after the retention period with the visit statistics
unchanged, and one person's export and erasure on request, recorded in the history."""

from __future__ import annotations

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from openpyxl import load_workbook

from archive.models import Contribution
from archive.services import contribution_receive
from bookings import services
from bookings.models import Booking, NewMember
from bookings.statistics import visit_statistics

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def held_per_day() -> dict:
    """Groups and people per day of held visits, counted here from the rows themselves."""
    rows = (
        Booking.objects.filter(status=Booking.Status.COMPLETED)
        .values("date")
        .annotate(groups=Count("pk"), people=Sum(Coalesce("actual_visitors", "group_size")))
        .order_by("date")
    )
    return {row["date"]: (row["groups"], row["people"]) for row in rows}


def every_text(booking: Booking) -> str:
    historical = Booking.history.model.objects.filter(id=booking.pk)
    values = [str(v) for row in historical.values() for v in row.values()]
    values += [str(v) for v in Booking.objects.filter(pk=booking.pk).values().get().values()]
    values += [m.full_name + m.introducers for m in NewMember.history.model.objects.filter(booking_id=booking.pk)]
    return " ".join(values)


def test_the_booking_form_states_the_purpose_and_requires_consent(client, schedule, visit_day, build_form_data):
    page = client.get(reverse("bookings:book")).content.decode()
    assert "Mục đích:" in page and "Nghị định 13/2023/NĐ-CP" in page and "730 ngày" in page
    response = client.post(reverse("bookings:book"), build_form_data(schedule.venue, visit_day, consent=""))
    assert response.status_code == 400 and not Booking.objects.exists()
    assert "Cần đồng ý cho xử lý dữ liệu cá nhân" in response.content.decode()


@pytest.mark.instant("2026-12-03 10:00")
def test_consent_text_and_time_are_kept_with_the_booking_and_the_contribution(request_booking):
    booking = request_booking()
    assert booking.consent_at == datetime.datetime(2026, 12, 3, 10, 0, tzinfo=HANOI)
    assert "Mục đích:" in booking.consent_text and "Tôi đồng ý" in booking.consent_text
    contribution = contribution_receive(
        contributor_name="Trần Thị Bình",
        description="Ảnh Đại hội 1963",
        consent=True,
        organisation="Chi bộ A",
        email="binh@example.org",
    )
    assert contribution.consent_at == booking.consent_at and "nguồn gốc" in contribution.consent_text


@pytest.mark.instant("2026-12-03 10:00")
def test_the_retention_job_erases_a_booking_on_its_date_and_the_statistics_are_unchanged(
    settings, schedule, request_booking, visit_day, propaganda_user
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    kept = request_booking(day=visit_day, start_time=datetime.time(8, 0), group_size=20)
    other = request_booking(
        day=visit_day, start_time=datetime.time(9, 45), group_size=15, email="khac@example.org", phone="0987654321"
    )
    for booking, head_count in ((kept, 18), (other, None)):
        services.booking_confirm(booking=booking, guide=propaganda_user)
        services.booking_complete(booking=booking, actual_visitors=head_count)
    NewMember.objects.create(booking=kept, full_name="Lê Văn Cường", introducers="Nguyễn Văn An")
    before_days, before_year = held_per_day(), visit_statistics(year=visit_day.year)
    assert before_days == {visit_day: (2, 33)}

    due = datetime.datetime.combine(visit_day + datetime.timedelta(days=30), datetime.time(2, 30), tzinfo=HANOI)
    with time_machine.travel(due - datetime.timedelta(days=1), tick=False):
        call_command("erase_personal_data", stdout=io.StringIO())
    assert Booking.objects.get(pk=kept.pk).personal_data_erased_at is None  # a day early: kept

    out = io.StringIO()
    with time_machine.travel(due, tick=False):
        call_command("erase_personal_data", stdout=out)
    assert "2 đăng ký tham quan" in out.getvalue()
    erased = Booking.objects.get(pk=kept.pk)
    assert erased.personal_data_erased_at == due
    for secret in ("Nguyễn Văn An", "an@example.org", "0912345678", "Lê Văn Cường", "khac@example.org"):
        assert secret not in every_text(erased) + every_text(other)
    assert erased.contact_name == "—" and erased.consent  # the consent stays on record
    assert erased.history.first().history_change_reason == "Hết thời hạn lưu giữ dữ liệu cá nhân"

    assert held_per_day() == before_days
    after_year = visit_statistics(year=visit_day.year)
    assert after_year == before_year


@pytest.mark.instant("2026-12-03 10:00")
def test_staff_export_and_erase_one_persons_data_by_email_or_phone(client, propaganda_user, request_booking):
    booking = request_booking(email="An@Example.org")
    contribution = contribution_receive(
        contributor_name="Nguyễn Văn An",
        description="Bản sao nghị quyết",
        consent=True,
        organisation="Chi bộ A",
        email="an@example.org",
        phone="0912 345 678",
    )
    stranger = request_booking(start_time=datetime.time(9, 45), email="la@example.org", phone="0987654321")
    client.force_login(propaganda_user)
    url = reverse("personal_data")

    bad = client.get(url, {"email": "không-phải-thư"})
    assert bad.status_code == 200 and "Thư điện tử: địa chỉ chưa đúng" in bad.content.decode()

    found = client.get(url, {"email": "an@example.org"})
    assert found.status_code == 200
    assert [b.pk for b in found.context["records"]["bookings"]] == [booking.pk]
    assert [c.pk for c in found.context["records"]["contributions"]] == [contribution.pk]
    by_phone = client.get(url, {"phone": "+84 912 345 678"})
    assert {b.pk for b in by_phone.context["records"]["bookings"]} == {booking.pk}

    exported = client.get(reverse("personal_data_export", args=["json"]), {"email": "an@example.org"})
    records = json.loads(exported.content)["records"]
    assert {r["reference"] for r in records} == {booking.reference, contribution.reference}
    assert all("Mục đích:" in r["consent_text"] for r in records)
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("personal_data_export", args=["xlsx"]), {"email": "an@example.org"}).content)
    ).active
    assert sheet.max_row == 3 and "Nguyễn Văn An" in [c.value for c in sheet[2]]
    assert booking.history.first().history_change_reason == "Xuất dữ liệu cá nhân theo yêu cầu"
    assert booking.history.first().history_user == propaganda_user

    unconfirmed = client.post(reverse("personal_data_erase"), {"email": "an@example.org"})
    assert unconfirmed.status_code == 302
    assert Booking.objects.get(pk=booking.pk).contact_name == "Nguyễn Văn An"

    client.post(reverse("personal_data_erase"), {"email": "an@example.org", "confirm": "on"})
    booking.refresh_from_db()
    contribution.refresh_from_db()
    assert booking.email == "" and booking.contact_name == "—" and booking.personal_data_erased_at
    assert contribution.email == "" and contribution.phone == "" and contribution.contributor_name == "—"
    assert contribution.history.first().history_user == propaganda_user
    assert contribution.history.first().history_change_reason == "Xóa dữ liệu cá nhân theo yêu cầu"
    assert not Contribution.history.filter(email="an@example.org").exists()
    assert Booking.objects.get(pk=stranger.pk).email == "la@example.org"  # nobody else's data is touched


def test_only_staff_who_handle_bookings_and_contributions_reach_the_page(client, office_user):
    assert client.get(reverse("personal_data")).status_code == 302  # to the admin login
    client.force_login(office_user)
    assert client.get(reverse("personal_data")).status_code == 403
