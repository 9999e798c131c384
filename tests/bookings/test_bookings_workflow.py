"""The workflow of a booking and its emails: request, confirm, reject, complete, no-show, cancel, reminders."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings import services
from bookings.availability import SlotFullError
from bookings.ics import booking_ics, method_for
from bookings.models import Booking

pytestmark = pytest.mark.django_db

STAFF = "tuyengiao-staff@example.org"


def _ics(message) -> Calendar:
    attachments = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(attachments) == 1
    filename, content, mimetype = attachments[0]
    calendar = Calendar.from_ical(content)
    assert mimetype == f"text/calendar; charset=utf-8; method={calendar['method']}"
    return calendar


def test_each_calendar_file_replaces_the_last_one_sent(request_booking, visit_day, mailoutbox, client):
    """RFC 5546: every file to the booker is a REQUEST or a CANCEL of the same UID with a higher
    SEQUENCE, so the booker's calendar moves the visit when staff move it and drops it when cancelled."""
    booking = request_booking(visit_day)  # its "received" file: the first test of this module
    sent = [Calendar.from_ical(booking_ics(booking, method=method_for(booking)))]
    booking = services.booking_confirm(booking=booking)
    sent.append(_ics(mailoutbox[-1]))
    mailoutbox.clear()
    booking = services.booking_change(booking=booking, start_time=datetime.time(13, 30))
    assert [m.to for m in mailoutbox] == [[booking.email]]
    assert "chuyển" in mailoutbox[0].subject and "13:30" in mailoutbox[0].body
    sent.append(_ics(mailoutbox[0]))
    services.booking_cancel(booking=booking, by_booker=True)
    sent.append(_ics(mailoutbox[-2]))
    assert [str(c["method"]) for c in sent] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    events = [c.walk("VEVENT")[0] for c in sent]
    assert len({str(e["uid"]) for e in events}) == 1
    assert [int(e["sequence"]) for e in events] == [0, 1, 2, 3]
    assert [str(e["status"]) for e in events] == ["TENTATIVE", "CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert events[2].decoded("dtstart").astimezone(datetime.UTC).hour == 6  # 13:30 in Hà Nội
    for event in events:
        assert str(event["attendee"]) == f"mailto:{booking.email}"
        assert str(event["organizer"]).startswith("mailto:")
    booking.refresh_from_db()
    download = client.get(reverse("bookings:booking_ics", args=[booking.manage_token()]))
    assert download["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(download.content)
    assert str(calendar["method"]) == "PUBLISH" and int(calendar.walk("VEVENT")[0]["sequence"]) == 3


def test_a_rejection_takes_the_visit_off_the_bookers_calendar(request_booking, mailoutbox):
    booking = services.booking_reject(booking=request_booking(), reason="Trùng lịch lễ.")
    calendar = _ics(mailoutbox[-1])
    assert str(calendar["method"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert (str(event["status"]), int(event["sequence"])) == ("CANCELLED", 1)
    assert str(event["uid"]).startswith(booking.reference)


def test_a_request_is_pending_with_a_short_reference_and_emails_booker_and_staff(
    schedule, visit_day, programme, committee, mailoutbox
):
    booking = services.booking_request(
        venue=schedule.venue,
        date=visit_day,
        start_time=datetime.time(13, 30),
        group_size=25,
        occasion="training_trip",
        organisation=committee,
        contact_name="Trần Thị Bình",
        contact_position="Chánh Văn phòng",
        phone="0987654321",
        email="binh@example.org",
        programme=programme,
        services=["guided_tour", "film", "leaflets"],
        notes="Đoàn có 2 đồng chí cao tuổi.",
        consent=True,
    )
    assert booking.status == Booking.Status.PENDING
    assert re.fullmatch(r"TQ-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}", booking.reference)
    assert booking.end_time == datetime.time(15, 0)
    assert [m.to for m in mailoutbox] == [["binh@example.org"], [STAFF]]
    to_booker, to_staff = mailoutbox
    assert booking.reference in to_booker.subject
    assert "Đã nhận đăng ký" in to_booker.subject
    assert "Phòng Truyền thống" in to_booker.body
    assert f"13:30–15:00 ngày {visit_day:%d/%m/%Y}" in to_booker.body
    assert "Đảng ủy Bộ Thử nghiệm" in to_booker.body
    assert "https://phongtruyenthong.example.vn/dang-ky-tham-quan/quan-ly/" in to_booker.body
    assert booking.manage_token() in to_booker.body
    assert "Đăng ký tham quan mới" in to_staff.subject
    assert "/admin/bookings/booking/" in to_staff.body
    assert booking.manage_token() not in to_staff.body  # the secret link goes to the booker only
    assert not to_staff.attachments

    event = _ics(to_booker).walk("VEVENT")[0]
    assert str(event["uid"]) == f"{booking.reference}@phongtruyenthong.example.vn"
    assert event.decoded("dtstart") == booking.starts_at
    assert event.decoded("dtstart").astimezone(datetime.UTC).hour == 6  # 13:30 in Hà Nội is 06:30 UTC
    assert event.decoded("dtend") == booking.ends_at
    assert str(event["status"]) == "TENTATIVE"
    assert int(event["sequence"]) == 0 and str(_ics(to_booker)["method"]) == "REQUEST"
    assert "Phòng Truyền thống" in str(event["summary"])
    description = str(event["description"])
    assert booking.reference in description and "25" in description and "Trình chiếu phim tư liệu" in description
    assert str(event["url"]).endswith(booking.manage_token() + "/")


def test_nothing_is_stored_when_the_slot_is_full(schedule, request_booking, visit_day, mailoutbox):
    request_booking(visit_day, group_size=40)
    with pytest.raises(SlotFullError, match="vừa hết chỗ"):
        services.booking_request(
            **{
                "venue": schedule.venue,
                "date": visit_day,
                "start_time": datetime.time(8, 0),
                "group_size": 1,
                "occasion": "other",
                "organisation_name": "Chi bộ khác",
                "contact_name": "A",
                "contact_position": "B",
                "phone": "0912345678",
                "email": "a@example.org",
                "consent": True,
            }
        )
    assert Booking.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"group_size": 41}, "tối đa 40 người"),
        ({"consent": False}, "đồng ý"),
        ({"organisation_name": "  "}, "nhập tên đơn vị"),
        ({"start_time": datetime.time(12, 0)}, "không phải là một khung giờ"),
    ],
)
def test_the_service_refuses_bad_requests_and_stores_nothing(schedule, visit_day, overrides, message):
    values = {
        "venue": schedule.venue,
        "date": visit_day,
        "start_time": datetime.time(8, 0),
        "group_size": 10,
        "occasion": "other",
        "organisation_name": "Chi bộ A",
        "contact_name": "A",
        "contact_position": "B",
        "phone": "0912345678",
        "email": "a@example.org",
        "consent": True,
    } | overrides
    with pytest.raises(ValidationError, match=message):
        services.booking_request(**values)
    assert not Booking.objects.exists()


def test_confirm_emails_a_confirmed_ics_and_assigns_the_guide(request_booking, propaganda_user, mailoutbox):
    booking = request_booking()
    booking = services.booking_confirm(booking=booking, guide=propaganda_user)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.guide == propaganda_user
    assert booking.decided_at is not None
    (message,) = mailoutbox
    assert message.to == [booking.email] and "đã được xác nhận" in message.subject
    assert str(_ics(message).walk("VEVENT")[0]["status"]) == "CONFIRMED"


def test_confirm_checks_capacity_again(schedule, request_booking, visit_day):
    first = request_booking(visit_day, group_size=30)
    second = request_booking(visit_day, group_size=10)
    schedule.capacity = 35
    schedule.max_group_size = 35
    schedule.save()
    services.booking_confirm(booking=first)
    with pytest.raises(SlotFullError):
        services.booking_confirm(booking=second)
    second.refresh_from_db()
    assert second.status == Booking.Status.PENDING


def test_reject_needs_a_reason_and_tells_the_booker(request_booking, mailoutbox):
    booking = request_booking()
    with pytest.raises(ValidationError, match="lý do"):
        services.booking_reject(booking=booking, reason="  ")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    services.booking_reject(booking=booking, reason="Phòng đang sửa chữa hệ thống chiếu sáng.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED
    (message,) = mailoutbox
    assert "không được chấp nhận" in message.subject
    assert "Phòng đang sửa chữa hệ thống chiếu sáng." in message.body


def test_a_rejected_booking_frees_its_places(schedule, request_booking, visit_day):
    booking = request_booking(visit_day, group_size=40)
    services.booking_reject(booking=booking, reason="Trùng lịch hội nghị.")
    request_booking(visit_day, group_size=40)


def test_complete_records_actual_visitors_films_and_leaflets(request_booking):
    booking = services.booking_confirm(booking=request_booking(group_size=20))
    booking = services.booking_complete(
        booking=booking,
        actual_visitors=18,
        outcome_notes="Đoàn tặng sách.",
        films_shown="Phim 1",
        leaflets_handed_out=20,
    )
    booking.refresh_from_db()
    assert (booking.status, booking.actual_visitors, booking.films_shown, booking.leaflets_handed_out) == (
        Booking.Status.COMPLETED,
        18,
        "Phim 1",
        20,
    )


def test_complete_without_a_count_takes_the_group_size(request_booking):
    booking = services.booking_confirm(booking=request_booking(group_size=20))
    assert services.booking_complete(booking=booking).actual_visitors == 20


def test_no_show(request_booking):
    booking = services.booking_confirm(booking=request_booking())
    assert services.booking_mark_no_show(booking=booking).status == Booking.Status.NO_SHOW


@pytest.mark.parametrize("confirm_first", [False, True])
def test_cancel_by_the_booker_emails_both_sides(request_booking, mailoutbox, confirm_first):
    booking = request_booking()
    if confirm_first:
        booking = services.booking_confirm(booking=booking)
        mailoutbox.clear()
    services.booking_cancel(booking=booking, by_booker=True, reason="Đổi kế hoạch.")
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (Booking.Status.CANCELLED, "booker")
    assert [m.to for m in mailoutbox] == [[booking.email], [STAFF]]
    assert "Đơn vị đã hủy" in mailoutbox[0].body and "Đổi kế hoạch." in mailoutbox[0].body
    assert str(_ics(mailoutbox[0]).walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_cancel_by_staff(request_booking, mailoutbox):
    booking = services.booking_cancel(booking=request_booking(), by_booker=False, reason="Mất điện.")
    assert booking.cancelled_by == "staff"
    assert "Ban Tuyên giáo Đảng ủy Khối đã hủy" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("pending", lambda b: services.booking_complete(booking=b)),
        ("pending", lambda b: services.booking_mark_no_show(booking=b)),
        ("confirmed", lambda b: services.booking_confirm(booking=b)),
        ("confirmed", lambda b: services.booking_reject(booking=b, reason="x")),
        ("rejected", lambda b: services.booking_cancel(booking=b, by_booker=True)),
        ("completed", lambda b: services.booking_cancel(booking=b, by_booker=True)),
        ("cancelled", lambda b: services.booking_confirm(booking=b)),
        ("no_show", lambda b: services.booking_complete(booking=b)),
    ],
)
def test_steps_outside_the_workflow_are_refused(request_booking, status, step):
    booking = request_booking()
    Booking.objects.filter(pk=booking.pk).update(status=status, rejection_reason="r")
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        step(booking)
    booking.refresh_from_db()
    assert booking.status == status


def test_asking_for_another_date_tells_staff_and_keeps_the_booking(request_booking, mailoutbox):
    booking = request_booking()
    services.booking_request_new_date(booking=booking, message="Xin chuyển sang sáng thứ Năm tuần sau.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert "Xin chuyển sang sáng thứ Năm tuần sau." in booking.new_date_request
    (message,) = mailoutbox
    assert message.to == [STAFF] and "đổi ngày" in message.subject


def test_a_booking_takes_a_few_new_date_requests_at_most(request_booking, mailoutbox):
    booking = request_booking()
    for n in range(services.MAX_NEW_DATE_REQUESTS):
        services.booking_request_new_date(booking=booking, message=f"Đề nghị số {n + 1}")
    mailoutbox.clear()
    with pytest.raises(ValidationError, match="đã gửi 5 đề nghị đổi ngày"):
        services.booking_request_new_date(booking=booking, message="Thêm một lần nữa")
    with pytest.raises(ValidationError, match="tối đa 1000 ký tự"):
        services.booking_request_new_date(booking=request_booking(), message="x" * 1001)
    booking.refresh_from_db()
    assert booking.new_date_request.count("Đề nghị số") == 5
    assert "Thêm một lần nữa" not in booking.new_date_request
    assert not mailoutbox


def test_reminders_are_sent_once_within_the_window(schedule, request_booking, find_open_day, mailoutbox):
    first_day = find_open_day(schedule)
    soon = services.booking_confirm(booking=request_booking(first_day))
    later_day = find_open_day(schedule, after=first_day + datetime.timedelta(days=20))
    later = services.booking_confirm(booking=request_booking(later_day))
    pending = request_booking(first_day, start_time=datetime.time(9, 45))
    mailoutbox.clear()
    # Run as if it were the morning `reminder_days_before` days ahead of the first visit.
    now = timezone.make_aware(datetime.datetime.combine(first_day - datetime.timedelta(days=2), datetime.time(7)))
    assert services.booking_reminders_send(now=now) == 1
    assert services.booking_reminders_send(now=now) == 0
    assert services.booking_reminders_send(now=now + datetime.timedelta(days=1)) == 0
    (message,) = mailoutbox
    assert message.to == [soon.email] and "Nhắc lịch" in message.subject and soon.reference in message.subject
    _ics(message)
    soon.refresh_from_db()
    later.refresh_from_db()
    pending.refresh_from_db()
    assert soon.reminder_sent_at == now
    assert later.reminder_sent_at is None and pending.reminder_sent_at is None


def test_the_reminder_command_sends_each_reminder_once(schedule, request_booking, mailoutbox, capsys):
    schedule.reminder_days_before = 30
    schedule.save()
    booking = services.booking_confirm(booking=request_booking())
    mailoutbox.clear()
    call_command("send_booking_reminders")
    call_command("send_booking_reminders")
    assert [m.subject for m in mailoutbox] == [f"[{booking.reference}] Nhắc lịch tham quan"]
    assert "Đã gửi 1 thư nhắc lịch." in capsys.readouterr().out


def test_a_booker_on_the_english_site_gets_english_emails_and_staff_vietnamese(
    client, schedule, visit_day, build_form_data, mailoutbox
):
    client.post("/en/dang-ky-tham-quan/", build_form_data(schedule.venue, visit_day))
    booking = Booking.objects.get()
    assert booking.language == "en"
    to_booker, to_staff = mailoutbox
    assert to_booker.subject == f"[{booking.reference}] Visit request received"
    assert "Thematic party chapter meeting" in to_booker.body
    assert to_staff.subject == f"[{booking.reference}] Đăng ký tham quan mới cần xử lý"
