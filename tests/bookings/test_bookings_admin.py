"""Staff in the admin: the list, the workflow actions, calendar, statistics, exports, closed days."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archive.models import Body
from bookings import services
from bookings.models import Booking, ClosedDay

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/bookings/booking/"
SLOT_STARTS = [datetime.time(8), datetime.time(9, 45), datetime.time(13, 30), datetime.time(15, 15)]
DONE = "completed"


def _action(client, action, bookings, **extra):
    data = {"action": action, "_selected_action": [b.pk for b in bookings], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_the_changelist_has_bounded_queries_and_links_to_staff_pages(
    client, propaganda_user, request_booking, schedule, find_open_day, committee, django_assert_max_num_queries
):
    days = [find_open_day(schedule)]
    while len(days) < 3:
        days.append(find_open_day(schedule, after=days[-1] + datetime.timedelta(days=1)))
    for index in range(12):
        request_booking(
            days[index // 4],
            start_time=[datetime.time(8), datetime.time(9, 45), datetime.time(13, 30), datetime.time(15, 15)][
                index % 4
            ],
            organisation=committee if index % 2 else None,
        )
    client.force_login(propaganda_user)
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST, {"status__exact": "pending"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("TQ-") >= 12
    for name in ("calendar", "statistics"):
        assert reverse(f"admin:bookings_booking_{name}") in html
    assert reverse("admin:bookings_booking_export", args=["csv"]) + "?status__exact=pending" in html


def test_filters_by_status_date_venue_and_occasion(client, propaganda_user, request_booking):
    booking = request_booking(occasion="admission")
    client.force_login(propaganda_user)
    for params in (
        {"status__exact": "pending"},
        {"venue__id__exact": booking.venue_id},
        {"occasion__exact": "admission"},
        {"when": "upcoming"},
        {"date__gte": booking.date.isoformat()},
    ):
        assert booking.reference in client.get(CHANGELIST, params).content.decode(), params
    assert booking.reference not in client.get(CHANGELIST, {"occasion__exact": "anniversary"}).content.decode()


def test_staff_confirm_in_the_admin(client, propaganda_user, request_booking, mailoutbox):
    first, second = request_booking(), request_booking(start_time=datetime.time(9, 45))
    client.force_login(propaganda_user)
    response = _action(client, "confirm_selected", [first, second])
    assert "Đã xác nhận 2 đăng ký" in response.content.decode()
    assert set(Booking.objects.values_list("status", flat=True)) == {"confirmed"}
    assert len(mailoutbox) == 2


def test_confirm_in_the_admin_refuses_beyond_capacity(client, propaganda_user, request_booking, schedule):
    first, second = request_booking(group_size=30), request_booking(group_size=10)
    schedule.capacity = schedule.max_group_size = 35
    schedule.save()
    client.force_login(propaganda_user)
    html = _action(client, "confirm_selected", [first, second]).content.decode()
    assert "Đã xác nhận 1 đăng ký" in html and "vừa hết chỗ" in html
    assert sorted(Booking.objects.values_list("status", flat=True)) == ["confirmed", "pending"]


def test_reject_asks_for_a_reason(client, propaganda_user, request_booking, mailoutbox):
    booking = request_booking()
    client.force_login(propaganda_user)
    page = _action(client, "reject_selected", [booking])
    assert "Lý do từ chối" in page.content.decode()
    assert Booking.objects.get().status == "pending"
    again = _action(client, "reject_selected", [booking], apply="1", reason="")
    assert "Hãy ghi lý do từ chối" in again.content.decode()
    _action(client, "reject_selected", [booking], apply="1", reason="Trùng lịch hội nghị.")
    booking.refresh_from_db()
    assert (booking.status, booking.rejection_reason) == ("rejected", "Trùng lịch hội nghị.")
    assert "Trùng lịch hội nghị." in mailoutbox[0].body


def test_complete_no_show_and_staff_cancel_actions(client, propaganda_user, request_booking):
    a, b, c = (request_booking(start_time=t) for t in (datetime.time(8), datetime.time(9, 45), datetime.time(13, 30)))
    for booking in (a, b, c):
        services.booking_confirm(booking=booking)
    client.force_login(propaganda_user)
    _action(client, "complete_selected", [a])
    _action(client, "mark_no_show", [b])
    _action(client, "cancel_selected", [c], apply="1", reason="Mất điện toàn khu.")
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert (statuses[a.pk], statuses[b.pk], statuses[c.pk]) == ("completed", "no_show", "cancelled")
    assert Booking.objects.get(pk=c.pk).cancelled_by == "staff"


def test_staff_record_guide_films_and_leaflets_on_the_change_form(
    client, propaganda_user, request_booking, build_inline_data
):
    booking = services.booking_confirm(booking=request_booking())
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_booking_change", args=[booking.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        guide=propaganda_user.pk,
        organisation="",
        organisation_name=booking.organisation_name,
        services=["guided_tour"],
        group_size=booking.group_size,
        actual_visitors="19",
        films_shown="Những chặng đường lịch sử",
        leaflets_handed_out="25",
    )
    data.update(build_inline_data(page))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    booking.refresh_from_db()
    assert (booking.guide, booking.actual_visitors, booking.films_shown, booking.leaflets_handed_out) == (
        propaganda_user,
        19,
        "Những chặng đường lịch sử",
        25,
    )
    assert booking.status == "confirmed"  # status changes only through the workflow


def test_read_only_roles_see_but_cannot_act(client, office_user, leadership_user, request_booking):
    booking = request_booking()
    for user in (office_user, leadership_user):
        client.force_login(user)
        assert client.get(CHANGELIST).status_code == 200
        assert client.get(reverse("admin:bookings_booking_statistics")).status_code == 200
        _action(client, "confirm_selected", [booking])
        assert Booking.objects.get().status == "pending"


def test_anonymous_visitors_get_no_staff_pages(client):
    for name in ("calendar", "statistics"):
        response = client.get(reverse(f"admin:bookings_booking_{name}"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(reverse("admin:bookings_booking_export", args=["csv"])).status_code == 302


def test_the_week_and_month_calendar(client, propaganda_user, request_booking, schedule):
    pending = request_booking(group_size=12)
    rejected = request_booking(start_time=datetime.time(9, 45))
    services.booking_reject(booking=rejected, reason="x")
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_booking_calendar")
    for view in ("week", "month"):
        html = client.get(url, {"venue": schedule.venue_id, "view": view, "date": pending.date.isoformat()}).content
        html = html.decode()
        assert pending.reference in html and "12 người" in html
        assert rejected.reference not in html


def _completed(
    venue, day, size, *, occasion="anniversary", organisation=None, name="", actual=None, status="completed"
):
    return Booking.objects.create(
        venue=venue,
        date=day,
        start_time=datetime.time(8),
        end_time=datetime.time(9, 30),
        organisation=organisation,
        organisation_name=name,
        contact_name="X",
        contact_position="Y",
        phone="0912345678",
        email="x@example.org",
        group_size=size,
        actual_visitors=actual,
        occasion=occasion,
        consent=True,
        status=status,
    )


def test_statistics_against_hand_counted_fixtures(client, leadership_user, venue, house):
    committee_a = Body.objects.create(name="Đảng ủy A", kind=Body.Kind.SUBORDINATE)
    # 2025, held visits only:
    _completed(venue, datetime.date(2025, 3, 5), 30, actual=28, organisation=committee_a)  # Room, Mar, 28
    _completed(venue, datetime.date(2025, 3, 19), 20, occasion="admission", organisation=committee_a)  # Room, Mar, 20
    _completed(house, datetime.date(2025, 5, 7), 40, actual=35, occasion="training_trip", name="Lớp trung cấp LLCT")
    # Not counted: a no-show, a cancelled visit, and a visit held in another year.
    _completed(venue, datetime.date(2025, 5, 8), 15, status="no_show", name="Chi bộ B")
    _completed(venue, datetime.date(2025, 6, 2), 15, status="cancelled", name="Chi bộ C")
    _completed(venue, datetime.date(2024, 12, 30), 50, organisation=committee_a)

    client.force_login(leadership_user)
    url = reverse("admin:bookings_booking_statistics")
    response = client.get(url, {"year": 2025})
    stats = response.context["stats"]
    assert (stats["visits"], stats["visitors"]) == (3, 83)
    months = {row.label: (row.visits, row.visitors) for row in stats["by_month"]}
    assert months["03/2025"] == (2, 48) and months["05/2025"] == (1, 35) and months["06/2025"] == (0, 0)
    assert len(months) == 12
    assert {row.label: (row.visits, row.visitors) for row in stats["by_occasion"]} == {
        "Kỷ niệm ngày lễ lớn": (1, 28),
        "Lễ kết nạp đảng viên mới": (1, 20),
        "Tham quan thực tế lớp bồi dưỡng, học tập lý luận chính trị": (1, 35),
    }
    assert [(row.label, row.visits, row.visitors) for row in stats["by_organisation"]] == [
        ("Đảng ủy A", 2, 48),
        ("Lớp trung cấp LLCT", 1, 35),
    ]
    assert [(row.label, row.visitors, row.share) for row in stats["by_venue"]] == [
        ("Phòng Truyền thống", 48, 100),
        ("Nhà Truyền thống", 35, 73),
    ]
    assert dict(stats["by_status"])["Không đến"] == 1
    html = response.content.decode()
    assert 'style="width: 73%"' in html and "<script" not in html.split("</header>")[-1].split("<footer")[0]

    only_house = client.get(url, {"year": 2025, "venue": house.pk}).context["stats"]
    assert (only_house["visits"], only_house["visitors"]) == (1, 35)


def test_exports_follow_the_filters(client, leadership_user, request_booking):
    kept = request_booking(organisation_name="Chi bộ Xuất")
    dropped = request_booking(start_time=datetime.time(9, 45))
    services.booking_reject(booking=dropped, reason="x")
    client.force_login(leadership_user)
    response = client.get(reverse("admin:bookings_booking_export", args=["csv"]), {"status__exact": "pending"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã đăng ký", "Trạng thái", "Địa điểm"]
    assert [row[0] for row in rows[1:]] == [kept.reference]
    assert rows[1][5] == "Chi bộ Xuất" and rows[1][3] == kept.date.strftime("%d/%m/%Y")

    response = client.get(reverse("admin:bookings_booking_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    references = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert references == {kept.reference, dropped.reference}


def test_closing_a_day_with_bookings_deletes_nothing_and_lists_whom_to_contact(
    client, propaganda_user, request_booking, schedule
):
    booking = request_booking(contact_name="Lê Thị Cúc", phone="0977111222")
    client.force_login(propaganda_user)
    response = client.post(
        reverse("admin:bookings_closedday_add"),
        {
            "venue": schedule.venue_id,
            "kind": "closure",
            "start_date": booking.date.strftime("%d/%m/%Y"),
            "end_date": booking.date.strftime("%d/%m/%Y"),
            "reason": "Sửa chữa điện",
        },
        follow=True,
    )
    html = response.content.decode()
    assert ClosedDay.objects.count() == 1
    assert "không đăng ký nào bị xóa" in html and booking.reference in html and "0977111222" in html
    booking.refresh_from_db()
    assert booking.status == "pending"
    change = client.get(reverse("admin:bookings_closedday_change", args=[ClosedDay.objects.get().pk]))
    assert booking.reference in change.content.decode()


def test_staff_tick_services_choose_a_guide_by_name_and_move_a_visit(
    client,
    propaganda_user,
    office_user,
    leadership_user,
    superuser,
    request_booking,
    visit_day,
    build_change_data,
    mailoutbox,
):
    """The change form offers services as boxes, guides by full name from those who handle bookings,
    and the slot itself: moving the visit counts the new slot under the lock and tells the committee."""
    propaganda_user.first_name, propaganda_user.last_name = "Bình", "Trần Thị"
    propaganda_user.save()
    request_booking(visit_day, start_time=datetime.time(9, 45), group_size=30, organisation_name="Chi bộ khác")
    booking = services.booking_confirm(booking=request_booking(visit_day, group_size=20))
    mailoutbox.clear()
    client.force_login(propaganda_user)
    url = reverse("admin:bookings_booking_change", args=[booking.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'type="checkbox" name="services" value="guided_tour"' in html
    guides = page.context["adminform"].form.fields["guide"]
    assert [label for _, label in guides.choices][1:] == ["Trần Thị Bình"]
    assert {office_user, leadership_user, superuser}.isdisjoint(guides.queryset)

    full = client.post(url, build_change_data(client, url, start_time="09:45"))
    assert full.status_code == 200
    assert "chỉ còn 10 chỗ" in " ".join(full.context["adminform"].form.errors["start_time"])
    assert not mailoutbox

    moved = client.post(url, build_change_data(client, url, start_time="13:30", services=["guided_tour", "film"]))
    assert moved.status_code == 302, moved.context["adminform"].form.errors
    booking.refresh_from_db()
    assert (booking.start_time, booking.end_time, booking.services) == (
        datetime.time(13, 30),
        datetime.time(15, 0),
        ["guided_tour", "film"],
    )
    assert [m.to for m in mailoutbox] == [[booking.email]]
    assert "13:30–15:00" in mailoutbox[0].body
