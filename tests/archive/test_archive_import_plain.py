"""The import speaks plainly: one Vietnamese message per wrong cell naming its column and the fix,
the preview's rows by their line in the spreadsheet, every message in the table, blank cells blank,
and a template workbook with a Vietnamese sheet, an instructions sheet and drop-down lists."""

import io
import re

import openpyxl
import pytest
import tablib
from django.urls import reverse

from archive import batches
from archive.models import Item
from archive.resources import ItemResource, PersonResource
from tests.archive.test_archive_import_export import GOOD, rows

pytestmark = pytest.mark.django_db


def test_words_in_number_columns_are_named_with_the_rows_other_errors():
    bad = {**GOOD, "Số trang": "ba", "Số tờ": "2,5", "Thời kỳ": "TK9", "Ngày tiếp nhận": "31/02/2020"}
    result = ItemResource().import_data(rows(GOOD, bad), rollback_on_validation_errors=True)
    assert not result.has_errors()  # no row error hides the others: each cell is a validation error
    [row] = result.invalid_rows
    errors = row.error_dict
    assert set(errors) == {"Số trang", "Số tờ", "Thời kỳ", "Ngày tiếp nhận"}
    assert errors["Số trang"] == ["Số trang: “ba” không phải số nguyên; ghi bằng chữ số, ví dụ 12."]
    assert errors["Số tờ"] == ["Số tờ: “2,5” không phải số nguyên; ghi bằng chữ số, ví dụ 12."]
    assert "ConversionSyntax" not in str(errors)
    assert Item.objects.count() == 0


def test_numbers_written_as_excel_writes_them_import():
    sheet = rows({**GOOD, "Số trang": 12.0, "Số tờ": " 3 "})
    result = ItemResource().import_data(sheet)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert (Item.objects.get().page_count, Item.objects.get().sheet_count) == (12, 3)
    person = {"Họ và tên": "Nguyễn Văn A", "Năm sinh": "một"}
    people = PersonResource().import_data(rows(person, resource=PersonResource))
    assert people.invalid_rows[0].error_dict["Năm sinh"][0].startswith("Năm sinh: “một” không phải số nguyên")


def test_every_message_names_its_column():
    result = ItemResource().import_data(rows({**GOOD, "Số và ký hiệu": "36/HD"}))
    for column, messages in result.invalid_rows[0].field_specific_errors.items():
        assert all(message.startswith(f"{column}: ") for message in messages), messages


def post_import(client, sheet: tablib.Dataset):
    """The sheet uploaded as Excel saves it: an empty cell is read as None."""
    upload = io.BytesIO(sheet.export("xlsx"))
    upload.name = "tu-lieu.xlsx"
    return client.post(reverse("admin:archive_item_import"), {"import_file": upload, "format": "1", "resource": "0"})


def cells(html: str, tag: str = "td|th") -> list[list[str]]:
    body = html.split('class="import-preview archive-import-errors"', 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(rf"<(?:{tag})[^>]*>(.*?)</(?:{tag})>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_preview_shows_spreadsheet_lines_every_message_and_blank_cells(client, propaganda_user):
    client.force_login(propaganda_user)
    sheet = rows(GOOD, GOOD, {**GOOD, "Số trang": "ba", "Thời kỳ": "", "Số đăng ký": None, "Mô tả": None})
    sheet.append_col([None] * len(sheet), header="Cột thừa")  # a column the import does not read
    html = post_import(client, sheet).content.decode()
    assert "ConversionSyntax" not in html and "validation-error-container" not in html
    header, row = cells(html)
    template_headers = ItemResource.template_dataset().headers
    assert len(header) == 2 + len(template_headers)  # the line, the messages, the template's columns
    assert row[0] == ["4"]  # the headers are line 1, the wrong row the sheet's fourth line
    messages = " ".join(row[1])
    assert "Số trang: “ba” không phải số nguyên; ghi bằng chữ số, ví dụ 12." in messages
    assert "Thời kỳ: ô này không được để trống." in messages
    assert "None" not in html.split("archive-import-errors", 1)[1]
    number_cell = row[2 + template_headers.index("Số đăng ký")]
    assert number_cell == []  # the empty cell shows empty


def test_the_template_workbook_has_a_vietnamese_sheet_instructions_and_lists(client, propaganda_user):
    client.force_login(propaganda_user)
    content = client.get(reverse("admin:archive_item_import_template", args=["xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Tư liệu" and book.active.title == "Tư liệu"
    assert "Hướng dẫn" in book.sheetnames and "Tablib Dataset" not in book.sheetnames
    sheet = book["Tư liệu"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == ItemResource.template_dataset().headers
    guide = {row[0]: row[1] for row in book["Hướng dẫn"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(headers) <= set(guide)
    assert "chữ số" in guide["Số trang"] and "ngày/tháng/năm" in guide["Ngày tiếp nhận"].lower()
    listed = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        sheet_name, cells_range = validation.formula1.rsplit("!", 1)
        lists = book[sheet_name.strip("'")]
        first, last = cells_range.replace("$", "").split(":")
        values = [c.value for row in lists[first:last] for c in row]
        listed[headers[openpyxl.utils.column_index_from_string(column) - 1]] = values
    assert {"Loại hình", "Thời kỳ", "Độ mật", "Mức độ tin cậy", "Mức độ tiếp cận", "Ngôn ngữ"} <= set(listed)
    assert "Trạng thái" not in headers
    assert "Tài liệu văn bản" in listed["Loại hình"] and "Bản gốc, bản chính" in listed["Mức độ tin cậy"]
    assert "TK4" in listed["Thời kỳ"]
    assert "Tiêu đề" not in listed  # free text has no list


def test_the_template_workbook_imports_through_the_admin(client, propaganda_user):
    client.force_login(propaganda_user)
    content = client.get(reverse("admin:archive_item_import_template", args=["xlsx"])).content
    upload = io.BytesIO(content)
    upload.name = "mau-nhap.xlsx"
    response = client.post(reverse("admin:archive_item_import"), {"import_file": upload, "format": "1"})
    assert "confirm_form" in response.context, response.content.decode()[-3000:]
    assert len(response.context["result"].diff_headers) == len(ItemResource.template_dataset().headers)


def test_the_batch_template_workbook_has_the_files_column_explained(client, propaganda_user):
    client.force_login(propaganda_user)
    content = client.get(reverse("admin:archive_item_batch_template", args=["xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.active.title == "Tư liệu"
    assert [cell.value for cell in book.active[1]][-1] == batches.FILES_COLUMN
    guide = {row[0]: row[1] for row in book["Hướng dẫn"].iter_rows(values_only=True) if row[0]}
    assert "ZIP" in guide[batches.FILES_COLUMN]


def test_the_import_page_lists_the_templates_columns_and_the_export_page_all(client, propaganda_user):
    client.force_login(propaganda_user)
    page = client.get(reverse("admin:archive_item_import"))
    [(_, listed)] = page.context["fields_list"]
    assert listed == ItemResource.template_dataset().headers
    export = client.get(reverse("admin:archive_item_export"))
    [(_, exported)] = export.context["fields_list"]
    assert exported == [*listed, "Trạng thái"]


def test_a_rows_messages_follow_the_sheets_columns():
    bad = {**GOOD, "Độ mật": "Rất mật lắm", "Số trang": "ba", "Loại hình": "Tranh"}
    errors = ItemResource().import_data(rows(bad)).invalid_rows[0].error_dict
    headers = ItemResource.template_dataset().headers
    assert list(errors) == sorted(errors, key=headers.index)
