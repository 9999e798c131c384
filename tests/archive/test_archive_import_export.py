"""Import and export of items, bodies, people and positions: Vietnamese columns, all-or-nothing, round trip."""

import io

import pytest
import tablib
from django.urls import reverse

from archive.models import Body, Item, Keyword, Period, Person, Position
from archive.partial_dates import parse_partial_date
from archive.resources import BodyResource, ItemResource, PersonResource, PositionResource

pytestmark = pytest.mark.django_db


def rows(*data: dict, resource=ItemResource) -> tablib.Dataset:
    headers = [f.column_name for f in resource().get_import_fields() if not f.readonly]
    return tablib.Dataset(*[[row.get(h, "") for h in headers] for row in data], headers=headers)


GOOD = {
    "Tiêu đề": "Nghị quyết Đại hội Đảng bộ Khối lần thứ nhất",
    "Số và ký hiệu": "01-NQ/ĐUK",
    "Ngày tháng": "tháng 12/2008",
    "Thời kỳ": "TK4",
    "Tổ chức liên quan": "Đảng bộ Khối các cơ quan Trung ương",
    "Từ khóa": "đại hội; nghị quyết",
    "Loại hình": "Tài liệu văn bản",
    "Mức độ tiếp cận": "Công khai",
}


def test_import_creates_items_with_generated_numbers_and_history(propaganda_user):
    result = ItemResource().import_data(rows(GOOD, {**GOOD, "Tiêu đề": "Thứ hai"}), user=propaganda_user)
    assert not result.has_errors() and not result.has_validation_errors()
    items = list(Item.objects.order_by("inventory_number"))
    assert [i.inventory_number[:3] for i in items] == ["TL-", "TL-"]
    item = items[0]
    assert item.period.code == "TK4"
    assert item.date_display == "tháng 12/2008"
    assert item.document_type == ""  # the file has no "Thể loại văn bản" column, and the number sets none
    assert sorted(k.name for k in item.keywords.all()) == ["nghị quyết", "đại hội"]
    assert item.bodies.get().name == "Đảng bộ Khối các cơ quan Trung ương"
    assert item.status == "draft"
    assert item.history.first().history_user == propaganda_user
    assert item.created_by == propaganda_user
    assert Item.objects.search("dai hoi").count() == 2  # keywords reach the search text


def test_a_single_bad_row_saves_nothing_and_every_error_is_named_in_vietnamese():
    Keyword.objects.create(name="đã có")
    bad = [
        GOOD,
        {**GOOD, "Thời kỳ": ""},
        {**GOOD, "Thời kỳ": "TK9", "Số và ký hiệu": "36/HD"},
        {**GOOD, "Tổ chức liên quan": "Đảng ủy Không Tồn Tại", "Loại hình": "Tranh"},
    ]
    result = ItemResource().import_data(rows(*bad), rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    assert Item.objects.count() == 0
    assert list(Keyword.objects.values_list("name", flat=True)) == ["đã có"]
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert sorted(errors) == [2, 3, 4]
    assert "Thời kỳ: ô này không được để trống" in errors[2]["Thời kỳ"][0]
    assert "TK1 (1948–1962)" in errors[2]["Thời kỳ"][0]
    assert "không tìm thấy “TK9”" in errors[3]["Thời kỳ"][0]
    assert "thiếu ký hiệu cơ quan ban hành" in errors[3]["Số và ký hiệu"][0]
    assert "Đảng ủy Không Tồn Tại" in errors[4]["Tổ chức liên quan"][0]
    assert "Loại hình: không có giá trị “Tranh”" in errors[4]["Loại hình"][0]


def test_an_item_dated_outside_every_period_is_imported_as_outside_the_periods():
    result = ItemResource().import_data(
        rows({**GOOD, "Ngày tháng": "1970", "Thời kỳ": "Ngoài các thời kỳ"}), rollback_on_validation_errors=True
    )
    assert not result.has_validation_errors() and not result.has_errors()
    item = Item.objects.get()
    assert item.period is None and item.date_display == "1970"
    exported = ItemResource().export(queryset=Item.objects.all())
    assert exported.dict[0]["Thời kỳ"] == "Ngoài các thời kỳ"


def test_export_then_import_changes_nothing(propaganda_user):
    item = Item(
        title="Kế hoạch sưu tầm tư liệu",
        number_symbol="123-KH/ĐUK",
        period=Period.objects.get(code="TK4"),
        confidentiality="confidential",
        access_level="internal",
        place_of_issue="Hà Nội",
        page_count=5,
    )
    item.set_partial_date(parse_partial_date("khoảng 2010"))
    item.save()
    item.keywords.add(Keyword.objects.create(name="Sưu tầm"))
    item.bodies.add(Body.objects.first())
    for fmt in ("csv", "xlsx"):
        exported = ItemResource().export()
        data = exported.export(fmt)
        dataset = tablib.Dataset().load(data if fmt == "csv" else io.BytesIO(data).read(), format=fmt)
        result = ItemResource().import_data(dataset, user=propaganda_user)
        assert not result.has_errors() and not result.has_validation_errors(), fmt
        assert [row.import_type for row in result.rows] == ["skip"], fmt
    assert Item.objects.count() == 1
    assert item.history.count() == 1


def test_import_identifies_existing_items_by_inventory_number():
    item = Item.objects.create(title="Cũ", period=Period.objects.get(code="TK4"))
    result = ItemResource().import_data(rows({**GOOD, "Số đăng ký": item.inventory_number, "Tiêu đề": "Mới"}))
    assert [r.import_type for r in result.rows] == ["update"]
    item.refresh_from_db()
    assert item.title == "Mới"


def test_bodies_people_and_positions_round_trip():
    person_rows = rows({"Họ và tên": "Nguyễn Văn Ví Dụ", "Năm sinh": "1920"}, resource=PersonResource)
    assert not PersonResource().import_data(person_rows).has_validation_errors()
    body_rows = rows(
        {"Tên": "Đảng ủy Bộ Ví dụ", "Loại": "Đảng ủy trực thuộc", "Thời kỳ": "TK4", "Ngày thành lập": "tháng 4/2007"},
        resource=BodyResource,
    )
    assert not BodyResource().import_data(body_rows).has_validation_errors()
    body = Body.objects.get(name="Đảng ủy Bộ Ví dụ")
    assert (body.founded_on.isoformat(), body.founded_precision) == ("2007-04-01", "month")
    position_rows = rows(
        {"Nhân vật": "Nguyễn Văn Ví Dụ", "Tổ chức": "Đảng ủy Bộ Ví dụ", "Chức vụ": "Bí thư", "Lâm thời": "Có"},
        resource=PositionResource,
    )
    result = PositionResource().import_data(position_rows)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    position = Position.objects.get()
    assert position.role == "secretary" and position.is_interim
    for resource in (BodyResource, PersonResource, PositionResource):
        again = resource().import_data(tablib.Dataset().load(resource().export().export("csv"), format="csv"))
        assert {r.import_type for r in again.rows} == {"skip"}, resource
    bad = rows({"Nhân vật": "Không Có Ai", "Tổ chức": "", "Chức vụ": "Tổng thống"}, resource=PositionResource)
    errors = PositionResource().import_data(bad).invalid_rows[0].error_dict
    assert set(errors) >= {"Nhân vật", "Tổ chức", "Chức vụ"}
    assert Person.objects.count() == 1 and Position.objects.count() == 1


class TestAdminImport:
    def test_template_download_has_vietnamese_headers_and_an_example(self, client, propaganda_user):
        client.force_login(propaganda_user)
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("admin:archive_item_import_template", args=[fmt]))
            assert response.status_code == 200
            data = b"".join(response)
            dataset = tablib.Dataset().load(data.decode("utf-8-sig") if fmt == "csv" else data, format=fmt)
            assert dataset.headers[:3] == ["Số đăng ký", "Loại hình", "Thể loại văn bản"]
            assert "Thời kỳ" in dataset.headers and "Trạng thái" not in dataset.headers
            assert dataset.dict[0]["Thời kỳ"] == "TK4"
        changelist = client.get(reverse("admin:archive_item_changelist")).content.decode()
        assert reverse("admin:archive_item_import_template", args=["xlsx"]) in changelist

    def test_the_example_row_of_the_template_imports(self):
        result = ItemResource().import_data(ItemResource.template_dataset())
        assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
        assert Item.objects.get().document_type == "plan"

    def test_admin_preview_lists_errors_and_offers_no_confirm(self, client, propaganda_user):
        client.force_login(propaganda_user)
        csv = rows(GOOD, {**GOOD, "Thời kỳ": ""}).export("csv").encode("utf-8-sig")
        upload = io.BytesIO(csv)
        upload.name = "tu-lieu.csv"
        response = client.post(
            reverse("admin:archive_item_import"),
            {"import_file": upload, "format": "0", "resource": "0"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Thời kỳ: ô này không được để trống" in html
        assert "confirm_form" not in response.context
        assert Item.objects.count() == 0

    def test_admin_names_a_missing_column_and_shows_no_traceback(self, client, propaganda_user):
        client.force_login(propaganda_user)
        upload = io.BytesIO("Tên viết tắt,Loại\nĐUTT,Đảng ủy trực thuộc\n".encode("utf-8-sig"))
        upload.name = "to-chuc.csv"
        response = client.post(reverse("admin:archive_body_import"), {"import_file": upload, "format": "0"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Tệp thiếu cột “Tên”" in html
        assert "Traceback" not in html and "confirm_form" not in response.context
        assert not Body.objects.filter(short_name="ĐUTT").exists()

    def test_admin_import_confirm_saves_all_rows(self, client, propaganda_user):
        client.force_login(propaganda_user)
        upload = io.BytesIO(rows(GOOD).export("csv").encode("utf-8-sig"))
        upload.name = "tu-lieu.csv"
        preview = client.post(reverse("admin:archive_item_import"), {"import_file": upload, "format": "0"})
        confirm = preview.context["confirm_form"]
        response = client.post(reverse("admin:archive_item_process_import"), confirm.initial)
        assert response.status_code == 302
        assert Item.objects.get().history.first().history_user == propaganda_user


def test_a_sheet_without_the_number_column_imports_its_rows_as_new_items(propaganda_user):
    data = rows(GOOD, {**GOOD, "Tiêu đề": "Thứ hai"})
    del data["Số đăng ký"]
    result = ItemResource().import_data(data, user=propaganda_user, rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["new", "new"]
    assert sorted(Item.objects.values_list("title", flat=True)) == sorted([GOOD["Tiêu đề"], "Thứ hai"])
    assert all(number.startswith("TL-") for number in Item.objects.values_list("inventory_number", flat=True))


def test_a_sheet_without_the_column_naming_its_records_is_refused_by_name():
    data = tablib.Dataset(["Đảng ủy Thiếu Tên", "Đảng ủy trực thuộc"], headers=["Tên viết tắt", "Loại"])
    result = BodyResource().import_data(data, rollback_on_validation_errors=True)
    assert result.has_errors()
    messages = [str(error.error) for error in result.base_errors]
    assert any("Tệp thiếu cột “Tên”" in message and "tệp mẫu" in message for message in messages), messages
    assert not Body.objects.filter(short_name="Đảng ủy Thiếu Tên").exists()
