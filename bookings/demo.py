"""Demonstration data: availability of both venues, programme templates with their running orders for the
plan's four occasions, sample committees and bookings."""

import datetime

from django.utils import timezone

from archive.models import Body, Venue
from bookings.models import (
    Booking,
    ClosedDay,
    Occasion,
    OpeningHours,
    Programme,
    ProgrammeStep,
    Service,
    VenueSchedule,
)
from bookings.services import booking_programme_copy

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

GUIDE = "Thuyết minh viên Ban Tuyên giáo"
LEAFLET = "Tờ rơi “Đảng bộ Khối các cơ quan Trung ương – 75 năm xây dựng và trưởng thành”"
FILM = "Trình chiếu phim tư liệu “Đảng bộ Khối các cơ quan Trung ương – những chặng đường lịch sử”"

# The plan's four occasions (III.1.2, III.2.2): name, English name, occasion, description, minutes, and the
# running order as (start minute, minutes, what happens, who leads it, where, leaflets).
OCCASION_PROGRAMMES = [
    (
        "Sinh hoạt truyền thống",
        "Tradition session",
        Occasion.ANNIVERSARY,
        "Sinh hoạt truyền thống nhân dịp kỷ niệm các ngày lễ lớn: xem phim tư liệu, tham quan có thuyết minh,"
        " ôn truyền thống và phát biểu cảm tưởng.",
        90,
        [
            (0, 5, "Đón đoàn, ổn định tổ chức", "Cán bộ Ban Tuyên giáo", "Sảnh Phòng Truyền thống", ""),
            (5, 5, "Chào cờ, tuyên bố lý do, giới thiệu đại biểu", "Đại diện cấp ủy đơn vị", "Khu lễ đài", ""),
            (10, 15, FILM, "Cán bộ kỹ thuật Ban Tuyên giáo", "Khu trình chiếu", ""),
            (
                25,
                40,
                "Tham quan, nghe thuyết minh tư liệu, hiện vật qua các thời kỳ lịch sử của Đảng bộ Khối",
                GUIDE,
                "Các khu trưng bày theo thời kỳ",
                LEAFLET,
            ),
            (65, 15, "Ôn truyền thống, đảng viên phát biểu cảm tưởng", "Bí thư cấp ủy đơn vị", "Khu lễ đài", ""),
            (80, 10, "Ghi sổ cảm tưởng, chụp ảnh lưu niệm", "Cán bộ Ban Tuyên giáo", "Sảnh Phòng Truyền thống", ""),
        ],
    ),
    (
        "Sinh hoạt chi bộ chuyên đề",
        "Thematic party cell meeting",
        Occasion.CHAPTER_MEETING,
        "Chi bộ sinh hoạt chuyên đề tại Phòng Truyền thống: tham quan theo chuyên đề, thảo luận, liên hệ trách"
        " nhiệm của đảng viên.",
        90,
        [
            (0, 5, "Đón đoàn, ổn định tổ chức", "Cán bộ Ban Tuyên giáo", "Sảnh Phòng Truyền thống", ""),
            (
                5,
                10,
                "Khai mạc, tuyên bố lý do, thông qua chương trình sinh hoạt chuyên đề",
                "Bí thư chi bộ",
                "Phòng sinh hoạt chung",
                "",
            ),
            (
                15,
                25,
                "Tham quan, nghe thuyết minh theo chuyên đề của chi bộ",
                GUIDE,
                "Khu trưng bày chuyên đề",
                LEAFLET,
            ),
            (
                40,
                30,
                "Thảo luận chuyên đề, đảng viên liên hệ trách nhiệm bản thân",
                "Bí thư chi bộ điều hành",
                "Phòng sinh hoạt chung",
                "",
            ),
            (70, 10, "Bí thư chi bộ kết luận buổi sinh hoạt", "Bí thư chi bộ", "Phòng sinh hoạt chung", ""),
            (80, 10, "Ghi sổ cảm tưởng, chụp ảnh lưu niệm", "Cán bộ Ban Tuyên giáo", "Sảnh Phòng Truyền thống", ""),
        ],
    ),
    (
        "Lễ kết nạp đảng viên mới",
        "Admission ceremony of new party members",
        Occasion.ADMISSION,
        "Lễ kết nạp đảng viên theo nghi thức của Điều lệ Đảng, sau đó đảng viên mới tham quan Phòng Truyền thống."
        " Phòng được dành riêng cả khung giờ.",
        90,
        [
            (
                0,
                10,
                "Đón đoàn; chuẩn bị lễ đài: cờ Đảng, cờ Tổ quốc, tượng Chủ tịch Hồ Chí Minh, khẩu hiệu",
                "Cán bộ Ban Tuyên giáo, chi ủy",
                "Khu lễ đài",
                "",
            ),
            (10, 5, "Chào cờ (hát Quốc ca, Quốc tế ca)", "Đồng chí chủ trì buổi lễ", "Khu lễ đài", ""),
            (15, 5, "Tuyên bố lý do, giới thiệu đại biểu", "Đồng chí chủ trì buổi lễ", "Khu lễ đài", ""),
            (
                20,
                5,
                "Đọc quyết định kết nạp đảng viên của cấp ủy có thẩm quyền",
                "Đại diện cấp ủy cấp trên",
                "Khu lễ đài",
                "",
            ),
            (25, 10, "Đảng viên mới đọc lời tuyên thệ", "Đảng viên mới", "Khu lễ đài, trước cờ Đảng", ""),
            (
                35,
                10,
                "Đại diện chi bộ nói về nhiệm vụ của đảng viên, phân công đảng viên chính thức giúp đỡ đảng viên mới",
                "Bí thư chi bộ",
                "Khu lễ đài",
                "",
            ),
            (45, 5, "Đại diện cấp ủy cấp trên phát biểu", "Đại diện cấp ủy cấp trên", "Khu lễ đài", ""),
            (50, 5, "Bế mạc (hát Quốc tế ca)", "Đồng chí chủ trì buổi lễ", "Khu lễ đài", ""),
            (
                55,
                30,
                "Đảng viên mới tham quan, nghe thuyết minh lịch sử Đảng bộ Khối",
                GUIDE,
                "Các khu trưng bày theo thời kỳ",
                LEAFLET,
            ),
            (85, 5, "Chụp ảnh lưu niệm", "Cán bộ Ban Tuyên giáo", "Khu lễ đài", ""),
        ],
    ),
    (
        "Tham quan thực tế cho lớp bồi dưỡng của Trung tâm Bồi dưỡng chính trị",
        "Field visit for a class of the Political Training Center",
        Occasion.TRAINING_TRIP,
        "Nội dung tham quan thực tế của các lớp bồi dưỡng, học tập lý luận chính trị tại Trung tâm Bồi dưỡng"
        " chính trị Đảng ủy Khối (mục IV.1.2 của Kế hoạch).",
        90,
        [
            (0, 5, "Đón lớp, điểm danh học viên", "Giáo viên chủ nhiệm lớp", "Sảnh Phòng Truyền thống", ""),
            (
                5,
                10,
                "Giới thiệu khái quát lịch sử Đảng bộ Khối các cơ quan Trung ương qua bốn thời kỳ",
                "Cán bộ Ban Tuyên giáo",
                "Khu trình chiếu",
                "",
            ),
            (15, 15, FILM, "Cán bộ kỹ thuật Ban Tuyên giáo", "Khu trình chiếu", ""),
            (30, 40, "Tham quan có thuyết minh theo nội dung bài học của lớp", GUIDE, "Các khu trưng bày", ""),
            (70, 15, "Trao đổi, giải đáp câu hỏi của học viên", "Cán bộ Ban Tuyên giáo", "Khu trình chiếu", LEAFLET),
            (85, 5, "Ghi sổ cảm tưởng, chụp ảnh lưu niệm", "Giáo viên chủ nhiệm lớp", "Sảnh Phòng Truyền thống", ""),
        ],
    ),
]


def _seed_occasion_programmes() -> dict[str, Programme]:
    """The four templates with their running orders; a template staff have given steps keeps them."""
    templates = {}
    for ordering, (name, name_en, occasion, description, minutes, steps) in enumerate(
        OCCASION_PROGRAMMES, start=len(PROGRAMMES)
    ):
        programme, _created = Programme.objects.update_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "occasion": occasion,
                "description": description,
                "duration_minutes": minutes,
                "ordering": ordering,
            },
        )
        if not programme.steps.exists():
            for index, (start, length, activity, leader, place, leaflets) in enumerate(steps):
                step = ProgrammeStep(
                    programme=programme,
                    ordering=index + 1,
                    start_minute=start,
                    duration_minutes=length,
                    activity=activity,
                    leader=leader,
                    place=place,
                    leaflets=leaflets,
                )
                step.full_clean()
                step.save()
        templates[occasion] = programme
    return templates


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
    templates = _seed_occasion_programmes()
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
            programme=templates.get(occasion, programmes[1]),
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
        if status in ("confirmed", "completed"):
            booking_programme_copy(booking=booking)
    stdout.write(f"  {Booking.objects.filter(is_sample=True).count()} đăng ký tham quan mẫu")
