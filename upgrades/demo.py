"""Sample progress, budget lines and expenses for the plan's work items (amounts are illustrative)."""

import datetime
from decimal import Decimal

from upgrades.models import BudgetLine, Expense, FundingSource, Status, WorkItem

D = datetime.date

# code: (status, progress, completed_on)
PROGRESS = {
    "PTT-00": (Status.IN_PROGRESS, 85, None),
    "PTT-01": (Status.DONE, 100, D(2024, 6, 28)),
    "PTT-02": (Status.DONE, 100, D(2024, 10, 25)),
    "PTT-03": (Status.IN_PROGRESS, 80, None),
    "PTT-04": (Status.DONE, 100, D(2024, 11, 29)),
    "PTT-05": (Status.IN_PROGRESS, 60, None),
    "PTT-06": (Status.IN_PROGRESS, 45, None),
    "NTT-00": (Status.IN_PROGRESS, 60, None),
    "NTT-01": (Status.DONE, 100, D(2024, 5, 31)),
    "NTT-02": (Status.PAUSED, 20, None),
    "CHUNG-01": (Status.DONE, 100, D(2024, 12, 20)),
    "CHUNG-02": (Status.IN_PROGRESS, 70, None),
    "CHUNG-03": (Status.DONE, 100, D(2023, 11, 30)),
}

OFFICE = FundingSource.OFFICE_BUDGET
HIGHER = FundingSource.HIGHER_BUDGET

# code: [(description, unit, quantity, unit price, approved, source, year, [(date, amount, supplier, invoice)])]
LINES = {
    "PTT-01": [
        (
            "Khảo sát, thiết kế kỹ thuật và dự toán thi công",
            "gói",
            1,
            85_000_000,
            85_000_000,
            OFFICE,
            2023,
            [(D(2023, 12, 15), 85_000_000, "Công ty CP Tư vấn thiết kế Kiến trúc Việt", "0001234")],
        ),
        (
            "Cải tạo trần, tường, sàn theo thiết kế mới",
            "m²",
            120,
            1_450_000,
            170_000_000,
            OFFICE,
            2024,
            [
                (D(2024, 4, 10), 100_000_000, "Công ty TNHH Xây dựng Thăng Long", "0000871"),
                (D(2024, 6, 28), 72_500_000, "Công ty TNHH Xây dựng Thăng Long", "0000905"),
            ],
        ),
    ],
    "PTT-02": [
        (
            "Tủ trưng bày kính cường lực",
            "chiếc",
            8,
            18_500_000,
            148_000_000,
            OFFICE,
            2024,
            [(D(2024, 9, 20), 148_000_000, "Công ty CP Nội thất Hòa Phát Hà Nội", "0045120")],
        ),
        (
            "Kệ, khung, giá trưng bày tư liệu",
            "bộ",
            12,
            4_200_000,
            48_000_000,
            OFFICE,
            2024,
            [(D(2024, 9, 20), 47_800_000, "Công ty CP Nội thất Hòa Phát Hà Nội", "0045121")],
        ),
        (
            "Bàn ghế phòng sinh hoạt chuyên đề",
            "bộ",
            1,
            36_000_000,
            36_000_000,
            OFFICE,
            2024,
            [(D(2024, 10, 25), 35_600_000, "Công ty CP Nội thất Hòa Phát Hà Nội", "0045388")],
        ),
    ],
    "PTT-03": [
        (
            "Màn hình cảm ứng tra cứu tư liệu 55 inch",
            "chiếc",
            2,
            62_000_000,
            120_000_000,
            OFFICE,
            2024,
            [(D(2024, 11, 15), 118_000_000, "Công ty CP Công nghệ Tin học Phương Đông", "0007702")],
        ),
        ("Máy chiếu và màn chiếu", "bộ", 1, 45_000_000, 45_000_000, OFFICE, 2024, []),
        (
            "Máy tính, máy chủ lưu trữ dữ liệu số",
            "bộ",
            1,
            96_000_000,
            90_000_000,
            OFFICE,
            2024,
            [(D(2024, 12, 10), 45_000_000, "Công ty CP Công nghệ Tin học Phương Đông", "0007755")],
        ),
    ],
    "PTT-04": [
        (
            "Đèn chiếu điểm LED cho tủ, khung trưng bày",
            "bộ",
            40,
            1_350_000,
            54_000_000,
            OFFICE,
            2024,
            [(D(2024, 11, 29), 53_600_000, "Công ty TNHH Chiếu sáng Rạng Đông Hà Nội", "0012093")],
        ),
        (
            "Hệ thống âm thanh phòng sinh hoạt",
            "hệ thống",
            1,
            68_000_000,
            65_000_000,
            OFFICE,
            2024,
            [(D(2024, 11, 29), 65_000_000, "Công ty TNHH Âm thanh Việt Hưng", "0003310")],
        ),
    ],
    "PTT-05": [
        (
            "Phục chế, đóng khung tư liệu, hiện vật mới",
            "hiện vật",
            30,
            850_000,
            25_000_000,
            OFFICE,
            2024,
            [(D(2024, 8, 30), 12_750_000, "Xưởng phục chế Mỹ thuật Hà Nội", "0000412")],
        ),
    ],
    "PTT-06": [
        (
            "Số hóa tài liệu giấy (quét, nhập dữ liệu đặc tả)",
            "trang",
            12_000,
            3_500,
            42_000_000,
            OFFICE,
            2024,
            [(D(2024, 7, 31), 21_000_000, "Trung tâm Lưu trữ và Số hóa tài liệu", "0002218")],
        ),
        (
            "Phần mềm quản lý cơ sở dữ liệu tư liệu",
            "gói",
            1,
            150_000_000,
            140_000_000,
            OFFICE,
            2024,
            [(D(2024, 12, 20), 70_000_000, "Công ty CP Công nghệ Tin học Phương Đông", "0007790")],
        ),
    ],
    "NTT-01": [
        (
            "Chống thấm mái, sơn lại tường ngoài",
            "m²",
            260,
            320_000,
            80_000_000,
            OFFICE,
            2024,
            [(D(2024, 5, 31), 80_000_000, "Công ty TNHH Xây dựng Thăng Long", "0000850")],
        ),
        (
            "Sửa chữa hệ thống điện, chiếu sáng",
            "gói",
            1,
            38_500_000,
            38_500_000,
            OFFICE,
            2024,
            [(D(2024, 4, 12), 37_900_000, "Công ty TNHH Điện nước Đông Anh", "0001187")],
        ),
    ],
    "NTT-02": [
        ("Bổ sung mái che sân, lối vào", "gói", 1, 120_000_000, None, OFFICE, 2024, []),
    ],
    "CHUNG-01": [
        (
            "Biên kịch, quay, dựng video clip giới thiệu lịch sử (15 phút)",
            "phim",
            1,
            180_000_000,
            175_000_000,
            HIGHER,
            2024,
            [(D(2024, 12, 20), 175_000_000, "Hãng phim Tài liệu và Khoa học Trung ương", "0000367")],
        ),
    ],
    "CHUNG-02": [
        (
            "Biên soạn, in tài liệu chương trình sinh hoạt truyền thống",
            "bản",
            2_000,
            12_500,
            25_000_000,
            OFFICE,
            2024,
            [(D(2024, 10, 15), 10_000_000, "Nhà xuất bản Chính trị quốc gia Sự thật", "0009876")],
        ),
    ],
}


def seed(stdout) -> None:
    items = {item.code: item for item in WorkItem.objects.filter(code__in=PROGRESS)}
    for code, (status, progress, completed_on) in PROGRESS.items():
        item = items.get(code)
        if item is None:
            continue
        item.status, item.progress, item.completed_on = status, progress, completed_on
        item.full_clean()
        item.save()
    for code, lines in LINES.items():
        item = items.get(code)
        if item is None:
            continue
        for ordering, (description, unit, quantity, price, approved, source, year, expenses) in enumerate(lines, 1):
            line, _ = BudgetLine.objects.update_or_create(
                work_item=item,
                description=description,
                defaults={
                    "unit": unit,
                    "quantity": Decimal(quantity),
                    "unit_price": price,
                    "approved_amount": approved,
                    "funding_source": source,
                    "fiscal_year": year,
                    "ordering": ordering,
                },
            )
            for spent_on, amount, supplier, invoice in expenses:
                Expense.objects.update_or_create(
                    supplier=supplier,
                    invoice_number=invoice,
                    defaults={"budget_line": line, "spent_on": spent_on, "amount": amount},
                )
    stdout.write(f"  {BudgetLine.objects.count()} dòng dự toán, {Expense.objects.count()} khoản chi")
