"""The collection's dashboard as an XLSX workbook: growth, contributions, use by kind and month,
the most used items and the searches.

The searches are the public's own words: every text cell goes through ``safe_cell``, so none of
them is written as a formula.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from archive.models import Item
from archive.usage import CollectionFigures, CountRow
from basics.spreadsheets import safe_cell

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3E3C3")


def _rows(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append([safe_cell(title) for title in header])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:
        sheet.append([safe_cell(value) for value in row])


def _count_sheet(workbook, title: str, header: str, rows: list[CountRow]) -> None:
    sheet = workbook.create_sheet(title)
    _rows(sheet, [header, _("Số lượt")], [[row.label, row.count] for row in rows])
    sheet.column_dimensions["A"].width = 60


def usage_workbook(figures: CollectionFigures) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Tổng hợp")
    period = _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": figures.days.start.strftime("%d/%m/%Y"),
        "end": figures.days.end.strftime("%d/%m/%Y"),
    }
    summary.append([_("Thống kê kho tư liệu và lượt khai thác")])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([period])
    summary.append([])
    _rows(
        summary,
        [_("Chỉ tiêu"), _("Số lượng")],
        [
            [_("Tư liệu, hiện vật được biên mục"), figures.growth_total.total],
            [_("Tư liệu, hiện vật được công bố"), figures.items_published],
            [_("Đóng góp tư liệu nhận được"), figures.contributions_received],
            [_("Đóng góp được nhận vào kho"), figures.contributions_accepted],
            *[[row.label, row.count] for row in figures.use_totals],
        ],
    )
    summary.column_dimensions["A"].width = 48

    growth = workbook.create_sheet(_("Tăng trưởng kho"))
    kinds = [str(label) for _value, label in Item.Kind.choices]
    _rows(
        growth,
        [_("Thời kỳ"), *kinds, _("Cộng")],
        [[row.label, *row.by_kind, row.total] for row in [*figures.growth, figures.growth_total]],
    )
    growth.column_dimensions["A"].width = 60

    months = workbook.create_sheet(_("Theo tháng"))
    _rows(months, [_("Tháng"), *[label for _kind, label in figures.kinds]], [[m, *c] for m, c in figures.use_by_month])

    _count_sheet(workbook, _("Lượt xem theo thời kỳ"), _("Thời kỳ"), figures.item_views_by_period)
    _count_sheet(workbook, _("Tư liệu xem nhiều"), _("Tư liệu, hiện vật"), figures.top_items)
    _count_sheet(workbook, _("Chuyên đề xem nhiều"), _("Chuyên đề"), figures.top_exhibits)
    _count_sheet(workbook, _("Từ khóa tìm kiếm"), _("Từ khóa"), figures.top_searches)
    _count_sheet(workbook, _("Tìm không thấy"), _("Từ khóa"), figures.empty_searches)
    _count_sheet(workbook, _("Điểm dừng thuyết minh"), _("Điểm dừng"), figures.top_stops)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
