"""The upgrade work the plan sets (parts III.1 and IV.1 of ../shared/seed/), with the plan's dates.

The plan dates two windows: the Room's modernisation from 09/2023 to 12/2024 and the House's
maintenance and upgrade from 10/2023 to 12/2024. Its sub-items and content work carry no dates
of their own, so they take the window of the work they belong to. Amounts are not in the plan;
sample amounts live in `upgrades/demo.py`.
"""

import datetime

from django.db import migrations

ROOM = "phong-truyen-thong"
HOUSE = "nha-truyen-thong"
ROOM_START, ROOM_END = datetime.date(2023, 9, 1), datetime.date(2024, 12, 31)
HOUSE_START, HOUSE_END = datetime.date(2023, 10, 1), datetime.date(2024, 12, 31)

ITEMS = [
    # code, parent, venue, category, unit, priority, start, deadline, title, description
    (
        "PTT-00", None, ROOM, "design_build", "both", 1, ROOM_START, ROOM_END,
        "Hiện đại hóa Phòng Truyền thống Đảng bộ Khối",
        "Thiết kế, điều chỉnh Phòng Truyền thống hiện đại, ứng dụng tối đa công nghệ thông tin; nâng cấp, "
        "đầu tư trang thiết bị phù hợp với thiết kế mới (Kế hoạch, mục III.1.1).",
    ),
    (
        "PTT-01", "PTT-00", ROOM, "design_build", "both", 1, ROOM_START, ROOM_END,
        "Thiết kế, điều chỉnh và thi công Phòng Truyền thống theo thiết kế mới",
        "Ban Tuyên giáo tham mưu thiết kế, phối hợp với Văn phòng thực hiện (Kế hoạch, mục IV.1.1).",
    ),
    (
        "PTT-02", "PTT-00", ROOM, "furniture", "office", 2, ROOM_START, ROOM_END,
        "Trang bị bàn ghế, tủ, kệ, khung, giá theo thiết kế mới",
        "Nâng cấp, đầu tư trang thiết bị phù hợp với thiết kế mới: bàn ghế, tủ, kệ, khung, giá.",
    ),
    (
        "PTT-03", "PTT-00", ROOM, "electronics", "office", 2, ROOM_START, ROOM_END,
        "Trang bị thiết bị điện tử, công nghệ thông tin",
        "Thiết bị điện tử phục vụ trưng bày, trình chiếu và khai thác tài liệu số hóa.",
    ),
    (
        "PTT-04", "PTT-00", ROOM, "lighting_sound", "office", 2, ROOM_START, ROOM_END,
        "Hệ thống chiếu sáng và âm thanh",
        "Chiếu sáng, âm thanh phù hợp với thiết kế mới.",
    ),
    (
        "PTT-05", "PTT-00", ROOM, "content", "propaganda", 2, ROOM_START, ROOM_END,
        "Bổ sung tư liệu, hiện vật vào hệ thống tủ, kệ, khung, giá",
        "Bổ sung tư liệu, hiện vật mới phát hiện, mới xuất bản vào hệ thống tủ, kệ, khung, giá, thiết bị âm "
        "thanh, chiếu sáng phù hợp với thiết kế mới (Kế hoạch, mục III.1.2).",
    ),
    (
        "PTT-06", None, ROOM, "digitisation", "both", 1, ROOM_START, ROOM_END,
        "Số hóa tài liệu và xây dựng cơ sở dữ liệu",
        "Sử dụng công nghệ thông tin xây dựng nguồn cơ sở dữ liệu để lưu trữ hiện hành và lưu trữ lịch sử; "
        "bước đầu đưa tài liệu đã số hóa vào khai thác trên môi trường điện tử (Kế hoạch, mục III.1.2).",
    ),
    (
        "NTT-00", None, HOUSE, "maintenance", "office", 1, HOUSE_START, HOUSE_END,
        "Bảo trì, tu sửa và nâng cấp Nhà Truyền thống",
        "Bảo trì, tu sửa khi có hạng mục hư hỏng, xuống cấp; nâng cấp, bổ sung hạng mục công trình khi có "
        "điều kiện (Kế hoạch, mục III.1.1).",
    ),
    (
        "NTT-01", "NTT-00", HOUSE, "maintenance", "office", 1, HOUSE_START, HOUSE_END,
        "Bảo trì, tu sửa các hạng mục hư hỏng, xuống cấp",
        "",
    ),
    (
        "NTT-02", "NTT-00", HOUSE, "design_build", "office", 3, HOUSE_START, HOUSE_END,
        "Nâng cấp, bổ sung hạng mục công trình khi có điều kiện",
        "",
    ),
    (
        "CHUNG-01", None, None, "content", "propaganda", 2, ROOM_START, ROOM_END,
        "Xây dựng video clip giới thiệu lịch sử Đảng bộ Khối các cơ quan Trung ương",
        "Video clip và một số nội dung giáo dục lịch sử truyền thống phục vụ khai thác tại Phòng Truyền thống, "
        "Nhà Truyền thống và Trang Thông tin điện tử của Đảng bộ Khối (Kế hoạch, mục III.1.2).",
    ),
    (
        "CHUNG-02", None, None, "content", "propaganda", 3, ROOM_START, ROOM_END,
        "Xây dựng chương trình các buổi sinh hoạt truyền thống, sinh hoạt đảng và lễ kết nạp Đảng",
        "Cho các tổ chức đảng của Đảng bộ Khối và Nhân dân các địa phương (Kế hoạch, mục III.1.2).",
    ),
    (
        "CHUNG-03", None, None, "planning", "both", 1, ROOM_START, ROOM_END,
        "Dự toán kinh phí thực hiện Kế hoạch",
        "Ban Tuyên giáo phối hợp với Văn phòng xây dựng dự trù kinh phí; Văn phòng tham mưu dự toán và bố trí "
        "kinh phí thực hiện Kế hoạch (Kế hoạch, mục IV.1.1 và IV.1.3).",
    ),
]


def seed(apps, schema_editor):
    Venue = apps.get_model("archive", "Venue")
    WorkItem = apps.get_model("upgrades", "WorkItem")
    venues = {venue.code: venue for venue in Venue.objects.filter(code__in=[ROOM, HOUSE])}
    created = {}
    for code, parent, venue, category, unit, priority, start, deadline, title, description in ITEMS:
        item, _ = WorkItem.objects.get_or_create(
            code=code,
            defaults={
                "parent": created.get(parent),
                "venue": venues.get(venue),
                "category": category,
                "responsible_unit": unit,
                "priority": priority,
                "planned_start": start,
                "deadline": deadline,
                "title": title,
                "description": description,
                "status": "planned",
            },
        )
        created[code] = item


def unseed(apps, schema_editor):
    WorkItem = apps.get_model("upgrades", "WorkItem")
    codes = [row[0] for row in ITEMS]
    WorkItem.objects.filter(code__in=codes, parent__isnull=False).delete()
    WorkItem.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_seed_registers"),
        ("upgrades", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
