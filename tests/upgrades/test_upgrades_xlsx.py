"""The budget estimate (dự toán) in XLSX: export with Vietnamese headers and totals, import back, bad files refused."""

from io import BytesIO

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from upgrades.models import BudgetLine, WorkItem
from upgrades.resources import BudgetEstimateResource

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã dòng",
    "Mã hạng mục",
    "Tên hạng mục",
    "Nội dung chi",
    "Đơn vị tính",
    "Số lượng",
    "Đơn giá (đồng)",
    "Thành tiền (đồng)",
    "Kinh phí được duyệt (đồng)",
    "Nguồn kinh phí",
    "Năm ngân sách",
]


@pytest.fixture
def estimate(make_line):
    room_item = WorkItem.objects.get(code="PTT-02")
    house_item = WorkItem.objects.get(code="NTT-01")
    make_line(room_item, description="Tủ trưng bày", quantity="8", unit_price=18_500_000, approved=148_000_000)
    make_line(room_item, description="Kệ, giá", quantity="2.5", unit_price=4_200_001, approved=None)
    make_line(house_item, description="Chống thấm mái", quantity="260", unit_price=320_000, approved=80_000_000)
    return BudgetLine.objects.order_by("pk")


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(content: bytes) -> list[list]:
    sheet = load_workbook(BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def admin_export(client) -> bytes:
    response = client.post(
        reverse("admin:upgrades_budgetline_export"),
        {"format": "0", "resource": "0", **{f"budgetestimateresource_{name}": "on" for name in FIELD_NAMES}},
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


FIELD_NAMES = [
    "id",
    "work_item",
    "work_item_title",
    "description",
    "unit",
    "quantity",
    "unit_price",
    "estimated_amount",
    "approved_amount",
    "funding_source",
    "fiscal_year",
]


def admin_import(client, content: bytes):
    """Upload through the admin; returns the preview response."""
    return client.post(
        reverse("admin:upgrades_budgetline_import"),
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("du-toan.xlsx", content)},
    )


def test_export_has_vietnamese_headers_lines_and_a_totals_row(client, office_user, estimate):
    client.force_login(office_user)
    rows = sheet_rows(admin_export(client))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + 3 + 1
    first = next(row for row in rows if row[3] == "Tủ trưng bày")
    assert first[1:8] == [
        "PTT-02",
        WorkItem.objects.get(code="PTT-02").title,
        "Tủ trưng bày",
        "chiếc",
        8,
        18_500_000,
        148_000_000,
    ]
    assert first[9] == "Kinh phí Văn phòng Đảng ủy Khối"
    total = rows[-1]
    assert total[3] == "TỔNG CỘNG"
    assert total[7] == 148_000_000 + 10_500_003 + 83_200_000
    assert total[8] == 148_000_000 + 80_000_000


def test_round_trip_changes_nothing_then_an_edited_file_updates_and_adds(client, office_user, estimate):
    client.force_login(office_user)
    before = list(BudgetLine.objects.order_by("pk").values())
    content = admin_export(client)
    preview = admin_import(client, content)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 3 and result.totals["new"] == 0
    assert list(BudgetLine.objects.order_by("pk").values()) == before

    rows = sheet_rows(content)
    edited_row = next(row for row in rows if row[3] == "Kệ, giá")
    assert edited_row[5] == 2.5
    edited_row[6] = "4.300.000"  # unit price as people type it
    edited_row[8] = 10_000_000
    rows.insert(-1, [None, "NTT-01", None, "Sơn tường", "m²", 100, 90_000, None, None, "Xã hội hóa, tài trợ", 2024])
    preview = admin_import(client, _xlsx(rows))
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["update"], result.totals["new"], result.totals["skip"]) == (1, 1, 2)
    assert BudgetLine.objects.count() == 3  # the preview saves nothing
    assert "Xác nhận nhập" in preview.content.decode()
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:upgrades_budgetline_process_import"), confirm.initial)
    assert response.status_code == 302
    assert BudgetLine.objects.count() == 4
    edited = BudgetLine.objects.get(description="Kệ, giá")
    assert (edited.unit_price, edited.estimated_amount, edited.approved_amount) == (4_300_000, 10_750_000, 10_000_000)
    added = BudgetLine.objects.get(description="Sơn tường")
    assert (added.estimated_amount, added.funding_source, added.work_item.code) == (9_000_000, "sponsorship", "NTT-01")


def test_wrong_headers_are_refused_naming_the_columns_and_nothing_saved(client, office_user, estimate):
    client.force_login(office_user)
    content = _xlsx([["Item", "Description", "Price"], ["PTT-02", "Tủ", 1000]])
    response = admin_import(client, content)
    errors = response.context["form"].errors["import_file"]
    assert "Tệp dự toán sai tiêu đề cột" in errors[0] and "“Đơn giá (đồng)”" in errors[0]
    assert "Traceback" not in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert BudgetLine.objects.count() == 3
    not_xlsx = admin_import(client, b"just text, not a workbook")
    assert "không đọc được" in not_xlsx.context["form"].errors["import_file"][0]
    # Outside the admin the resource refuses the same file as a whole.
    dataset = tablib.Dataset(headers=["Item", "Description", "Price"])
    dataset.append(["PTT-02", "Tủ", 1000])
    result = BudgetEstimateResource().import_data(dataset, dry_run=False)
    assert result.has_errors() and "Tệp dự toán sai tiêu đề cột" in str(result.base_errors[0].error)
    assert BudgetLine.objects.count() == 3


@pytest.mark.parametrize(
    "column, value, message",
    [
        (6, "hai triệu", "Cột “Đơn giá (đồng)”: “hai triệu” không phải số tiền nguyên đồng"),
        (6, -5, "Cột “Đơn giá (đồng)”: số tiền không được âm"),
        (6, 1500.5, "Cột “Đơn giá (đồng)”: “1500.5” không phải số tiền nguyên đồng"),
        (8, "abc", "Cột “Kinh phí được duyệt (đồng)”"),
        (5, "nhiều", "Cột “Số lượng”"),
        (1, "KHONG-CO", "không có hạng mục mã “KHONG-CO”"),
        (10, "năm nay", "Cột “Năm ngân sách”"),
        (9, "Ngân hàng", "Cột “Nguồn kinh phí”"),
    ],
)
def test_a_bad_cell_is_refused_naming_the_column_and_nothing_saved(client, office_user, column, value, message):
    client.force_login(office_user)
    good = [None, "PTT-02", None, "Tủ", "chiếc", 1, 1_000_000, None, None, "", 2024]
    bad = list(good)
    bad[column] = value
    response = admin_import(client, _xlsx([HEADERS, good, bad]))
    result = response.context["result"]
    assert result.has_validation_errors() and not result.has_errors()  # a refused cell, not a crash
    assert message in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_resource_round_trip_without_the_admin(estimate):
    dataset = BudgetEstimateResource().export()
    again = tablib.Dataset().load(dataset.export("xlsx"), format="xlsx")
    result = BudgetEstimateResource().import_data(again, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 3
    assert BudgetLine.objects.count() == 3


EXPENSE_FIELDS = [
    "spent_on",
    "work_item_code",
    "work_item_title",
    "budget_line",
    "fiscal_year",
    "supplier",
    "invoice_number",
    "amount",
    "note",
]


def test_expenses_export_with_dates_amounts_and_a_total(client, office_user, estimate, make_expense):
    import datetime

    cabinets, shelves, _roof = estimate
    make_expense(cabinets, 74_000_000, spent_on=datetime.date(2024, 5, 2), supplier="Công ty Nội thất Hà Nội")
    make_expense(shelves, 5_250_000, spent_on=datetime.date(2024, 4, 20), supplier="=HYPERLINK(1)")
    client.force_login(office_user)
    response = client.post(
        reverse("admin:upgrades_expense_export"),
        {"format": "0", "resource": "0", **{f"expenseresource_{name}": "on" for name in EXPENSE_FIELDS}},
    )
    assert response.status_code == 200, response.content[:500]
    rows = sheet_rows(response.content)
    assert rows[0] == [
        "Ngày chi",
        "Mã hạng mục",
        "Tên hạng mục",
        "Nội dung chi của dòng dự toán",
        "Năm ngân sách",
        "Nhà cung cấp",
        "Số hóa đơn",
        "Số tiền (đồng)",
        "Ghi chú",
    ]
    assert [row[0] for row in rows[1:3]] == ["02/05/2024", "20/04/2024"]  # as the list: newest first
    assert rows[1][1] == "PTT-02" and rows[1][3] == "Tủ trưng bày" and rows[1][7] == 74_000_000
    assert not str(rows[2][5]).startswith("=")  # a supplier's text never reaches the file as a formula
    assert rows[-1][3] == "TỔNG CỘNG" and rows[-1][7] == 79_250_000
