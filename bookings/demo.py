"""Demonstration data: availability of both venues, visit programmes, sample committees and bookings."""

import datetime

from django.utils import timezone

from archive.models import Body, Venue
from bookings.models import Booking, ClosedDay, Occasion, OpeningHours, Programme, Service, VenueSchedule

SAMPLE_COMMITTEES = [
    ("Đảng ủy Cơ quan mẫu A (dữ liệu mẫu)", "Sample Agency Committee A"),
    ("Đảng ủy Cơ quan mẫu B (dữ liệu mẫu)", "Sample Agency Committee B"),
    ("Đảng ủy Cơ quan mẫu C (dữ liệu mẫu)", "Sample Agency Committee C"),
]

PROGRAMMES = [
    (
        "Tham quan có thuyết minh",
        "Guided tour",
        "Cán bộ Ban Tuyên giáo giới thiệu tư liệu, hiện vật theo các thời kỳ.",
        60,
    ),
    (
        "Tham quan có thuyết minh và xem phim tư liệu",
        "Guided tour and documentary film",
        "Giới thiệu trực tiếp, sau đó trình chiếu phim ngắn về lịch sử Đảng bộ Khối.",
        90,
    ),
    (
        "Sinh hoạt chuyên đề, lễ kết nạp đảng viên tại phòng",
        "Thematic meeting or admission ceremony in the room",
        "Bố trí phòng, cờ, tượng Bác; đơn vị tự điều hành nghi lễ, Ban Tuyên giáo hỗ trợ.",
        90,
    ),
]

# (venue code, days from today, slot index, committee index, size, occasion, services, status)
SAMPLE_BOOKINGS = [
    ("phong-truyen-thong", 10, 0, 0, 25, Occasion.CHAPTER_MEETING, [Service.GUIDED_TOUR, Service.FILM], "confirmed"),
    ("phong-truyen-thong", 12, 1, 1, 12, Occasion.ADMISSION, [Service.CEREMONY], "pending"),
    ("nha-truyen-thong", 15, 0, 2, 35, Occasion.TRAINING_TRIP, [Service.GUIDED_TOUR, Service.LEAFLETS], "pending"),
    ("phong-truyen-thong", -20, 0, 0, 30, Occasion.ANNIVERSARY, [Service.GUIDED_TOUR, Service.FILM], "completed"),
    ("nha-truyen-thong", -35, 1, 1, 18, Occasion.TRAINING_TRIP, [Service.GUIDED_TOUR], "completed"),
    ("phong-truyen-thong", -8, 2, 2, 15, Occasion.CHAPTER_MEETING, [Service.FILM], "no_show"),
    ("nha-truyen-thong", 20, 1, 0, 20, Occasion.OTHER, [], "rejected"),
    ("phong-truyen-thong", 18, 2, 1, 10, Occasion.ANNIVERSARY, [Service.LEAFLETS], "cancelled"),
]


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def seed(stdout) -> None:
    for code, capacity in (("phong-truyen-thong", 40), ("nha-truyen-thong", 60)):
        venue = Venue.objects.filter(code=code).first()
        if venue is None:
            continue
        schedule, _created = VenueSchedule.objects.get_or_create(
            venue=venue, defaults={"capacity": capacity, "max_group_size": capacity}
        )
        for weekday in range(5):
            OpeningHours.objects.get_or_create(
                schedule=schedule,
                weekday=weekday,
                opens=datetime.time(8, 0),
                defaults={"closes": datetime.time(11, 30)},
            )
            OpeningHours.objects.get_or_create(
                schedule=schedule,
                weekday=weekday,
                opens=datetime.time(13, 30),
                defaults={"closes": datetime.time(17, 0)},
            )
    today = timezone.localdate()
    tet_year = today.year + 1 if today.month > 2 else today.year
    ClosedDay.objects.get_or_create(
        venue=None,
        kind=ClosedDay.Kind.TET,
        reason="Nghỉ Tết Nguyên đán (khoảng mẫu, cán bộ nhập theo lịch thực tế)",
        defaults={
            "start_date": datetime.date(tet_year, 2, 10),
            "end_date": datetime.date(tet_year, 2, 22),
        },
    )
    programmes = []
    for ordering, (name, name_en, description, minutes) in enumerate(PROGRAMMES):
        programme, _created = Programme.objects.update_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "description": description,
                "duration_minutes": minutes,
                "ordering": ordering,
            },
        )
        programmes.append(programme)
    committees = [
        Body.objects.update_or_create(
            name=name, defaults={"name_en": name_en, "kind": Body.Kind.SUBORDINATE, "is_sample": True}
        )[0]
        for name, name_en in SAMPLE_COMMITTEES
    ]
    if Booking.objects.filter(is_sample=True).exists():
        return
    now = timezone.now()
    for code, offset, slot_index, committee, size, occasion, services, status in SAMPLE_BOOKINGS:
        schedule = VenueSchedule.objects.filter(venue__code=code).select_related("venue").first()
        if schedule is None:
            continue
        day = _weekday_on_or_after(today + datetime.timedelta(days=offset))
        start, end = schedule.slot_times(day)[slot_index]
        booking = Booking(
            venue=schedule.venue,
            date=day,
            start_time=start,
            end_time=end,
            organisation=committees[committee],
            contact_name=["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"][committee],
            contact_position=["Phó Bí thư Đảng ủy", "Chánh Văn phòng Đảng ủy", "Trưởng ban Tuyên giáo"][committee],
            phone=["0912345678", "0987654321", "02438231234"][committee],
            email=f"mau{committee + 1}@example.org",
            group_size=size,
            occasion=occasion,
            programme=programmes[2 if occasion in (Occasion.ADMISSION, Occasion.CHAPTER_MEETING) else 1],
            services=list(services),
            consent=True,
            status=status,
            is_sample=True,
            created_at=now - datetime.timedelta(days=max(7, -offset + 7)),
        )
        if status in ("confirmed", "rejected", "completed", "no_show"):
            booking.decided_at = now - datetime.timedelta(days=max(3, -offset + 3))
        if status == "rejected":
            booking.rejection_reason = "Ngày này phòng đã bố trí cho hội nghị của Đảng ủy Khối."
        if status == "cancelled":
            booking.cancelled_by = Booking.CancelledBy.BOOKER
            booking.cancelled_at = now - datetime.timedelta(days=1)
            booking.cancellation_reason = "Đơn vị thay đổi kế hoạch công tác."
        if status == "completed":
            booking.actual_visitors = size - 2
            booking.films_shown = "Đảng bộ Khối các cơ quan Trung ương – những chặng đường lịch sử"
            booking.leaflets_handed_out = size
        booking.full_clean()
        booking.save()
    stdout.write(f"  {Booking.objects.filter(is_sample=True).count()} đăng ký tham quan mẫu")
