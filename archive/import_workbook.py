"""The import template as an Excel workbook: the sheet to fill in (first, so that the import reads
it), an instructions sheet naming each column and how to write it, and drop-down lists for the
coded columns (the choices by their Vietnamese labels, periods by code) read from a lists sheet.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from import_export import widgets
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from archive import resources
from archive.models import Period
from basics.spreadsheets import safe_cell

#: Rows of the sheet that offer the drop-down lists (a sheet of more rows is imported all the same).
LIST_ROWS = 5000
HEADER_FILL = PatternFill("solid", fgColor="F3E3C3")


def coded_values(field) -> list[str] | None:
    """The values a coded column offers, as staff write them; None for a free column."""
    widget = field.widget
    if isinstance(widget, resources.ChoiceLabelWidget):
        with translation.override("vi"):
            return [str(label) for code, label in widget.choices if code != ""]
    if isinstance(widget, resources.NaturalKeyWidget) and widget.model is Period:
        return list(Period.objects.order_by("code").values_list("code", flat=True))
    return None


def how_to_write(field) -> str:
    """How a column is written, for the instructions sheet."""
    widget = field.widget
    if isinstance(widget, resources.ChoiceLabelWidget):
        return _("Chọn trong danh sách thả xuống của ô.")
    if isinstance(widget, resources.NaturalKeyWidget):
        if widget.model is Period:
            return _("Chọn mã thời kỳ trong danh sách thả xuống của ô.")
        return " ".join(filter(None, [_("Ghi đúng tên như trong hệ thống."), str(widget.hint)]))
    if isinstance(widget, resources.NaturalManyToManyWidget):
        return _("Ghi một hoặc nhiều tên, cách nhau bằng dấu “;”.")
    if isinstance(widget, resources.PartialDateWidget):
        return _("Ngày/tháng/năm (12/04/2007), tháng/năm (tháng 4/2007), năm (2007) hoặc “khoảng 1950”.")
    if isinstance(widget, resources.VietDateWidget):
        return _("Ngày/tháng/năm, ví dụ 12/04/2007.")
    if isinstance(widget, resources.YesNoWidget):
        return _("Chọn “Có” hoặc “Không”.")
    if isinstance(widget, widgets.IntegerWidget):
        return _("Số nguyên, ghi bằng chữ số, ví dụ 12.")
    return _("Chữ tự do.")


def build(resource_class, dataset, *, extra_columns: dict[str, str] | None = None) -> bytes:
    """The workbook of ``dataset`` (the template's headers and example rows) for ``resource_class``;
    ``extra_columns`` are columns the resource does not know (name -> how to write it)."""
    extra_columns = extra_columns or {}
    resource = resource_class()
    fields = {str(field.column_name): field for field in resource.template_fields()}
    book = Workbook()
    sheet = book.active
    sheet.title = str(resource_class.SHEET_TITLE)
    sheet.append(list(dataset.headers))
    for row in dataset:
        sheet.append([safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"

    lists = book.create_sheet(pgettext("sheet", "Danh mục"))
    lists.sheet_state = "hidden"
    list_column = 0
    for index, header in enumerate(dataset.headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, min(40, len(header) + 4))
        field = fields.get(header)
        values = coded_values(field) if field is not None else None
        if not values:
            continue
        list_column += 1
        list_letter = get_column_letter(list_column)
        lists.cell(row=1, column=list_column, value=header)
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=list_column, value=value)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(lists.title)}!${list_letter}$2:${list_letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Giá trị không có trong danh sách"),
            error=_("Cột “%(column)s”: hãy chọn một giá trị trong danh sách thả xuống.") % {"column": header},
        )
        validation.add(f"{letter}2:{letter}{LIST_ROWS}")
        sheet.add_data_validation(validation)

    guide = book.create_sheet(_("Hướng dẫn"))
    guide.append([_("Hướng dẫn nhập dữ liệu")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        _("Ghi mỗi bản ghi trên một dòng của trang “%(sheet)s”, từ dòng 2; dòng 1 là tên cột, không sửa.")
        % {"sheet": sheet.title},
        _("Dòng ví dụ có thể sửa thành dữ liệu thật hoặc xóa đi. Ô không có dữ liệu thì để trống."),
        _("Nếu có ô nào sai, hệ thống không lưu dòng nào và ghi rõ dòng, cột và cách sửa của từng ô."),
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Cột"), _("Cách ghi")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for header in dataset.headers:
        field = fields.get(header)
        guide.append([header, how_to_write(field) if field is not None else extra_columns.get(header, "")])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 100

    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
