"""The dashboard as an XLSX workbook: summary by venue, category and year, then every work item.

Every cell of the records' own text (titles, codes, names) goes through `safe_cell`, so none
of them is written as a formula.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from basics.spreadsheets import safe_cell
from upgrades.dashboard import BudgetRow, Dashboard

MONEY_FORMAT = '#,##0 "₫"'
DATE_FORMAT = "DD/MM/YYYY"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3E3C3")


def _header(sheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = BOLD
        cell.fill = HEADER_FILL


def _budget_block(sheet, row: int, title: str, rows: list[BudgetRow], total: BudgetRow) -> int:
    sheet.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
    row += 1
    _header(sheet, row, [_("Nhóm"), _("Dự toán"), _("Được duyệt"), _("Đã chi"), _("Còn lại")])
    for budget in [*rows, total]:
        row += 1
        values = [budget.label, budget.estimated, budget.approved, budget.spent, budget.remaining]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=safe_cell(value))
            if column > 1:
                cell.number_format = MONEY_FORMAT
            if budget is total:
                cell.font = BOLD
    return row + 2


def dashboard_workbook(figures: Dashboard) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Tổng hợp")
    summary.cell(row=1, column=1, value=_("Theo dõi nâng cấp Phòng Truyền thống, Nhà Truyền thống")).font = Font(
        bold=True, size=14
    )
    summary.cell(row=2, column=1, value=_("Số liệu đến ngày %(day)s") % {"day": figures.on.strftime("%d/%m/%Y")})
    row = 4
    row = _budget_block(summary, row, _("Kinh phí theo địa điểm"), figures.budget_by_venue, figures.budget_total)
    row = _budget_block(
        summary, row, _("Kinh phí theo nhóm hạng mục"), figures.budget_by_category, figures.budget_total
    )
    row = _budget_block(summary, row, _("Kinh phí theo năm ngân sách"), figures.budget_by_year, figures.budget_total)
    summary.cell(row=row, column=1, value=_("Tiến độ theo địa điểm")).font = Font(bold=True, size=12)
    row += 1
    _header(summary, row, [_("Nhóm"), _("Số hạng mục"), _("Hoàn thành"), _("Quá hạn"), _("Tiến độ bình quân (%)")])
    for progress in [*figures.progress_by_venue, figures.progress_total]:
        row += 1
        values = [progress.label, progress.items, progress.done, progress.overdue, float(progress.average_progress)]
        for column, value in enumerate(values, start=1):
            summary.cell(row=row, column=column, value=safe_cell(value))
    summary.column_dimensions["A"].width = 48
    for letter in "BCDE":
        summary.column_dimensions[letter].width = 20

    items = workbook.create_sheet(_("Hạng mục"))
    titles = [
        _("Mã"),
        _("Hạng mục"),
        _("Thuộc hạng mục"),
        _("Địa điểm"),
        _("Nhóm"),
        _("Đơn vị chủ trì"),
        _("Người phụ trách"),
        _("Bắt đầu"),
        _("Hạn hoàn thành"),
        _("Ngày hoàn thành"),
        _("Trạng thái"),
        _("Tiến độ (%)"),
        _("Dự toán"),
        _("Được duyệt"),
        _("Đã chi"),
        _("Quá hạn"),
    ]
    _header(items, 1, titles)
    for index, timeline_row in enumerate(figures.timeline.rows, start=2):
        item = timeline_row.item
        values = [
            item.code,
            item.title,
            item.parent.code if item.parent_id else "",
            item.venue.display_name if item.venue_id else str(_("Chung cả hai địa điểm")),
            item.get_category_display(),
            item.get_responsible_unit_display(),
            (item.owner.get_full_name() or item.owner.get_username()) if item.owner_id else "",
            item.planned_start,
            item.deadline,
            item.completed_on,
            item.get_status_display(),
            item.progress,
            item.estimated_total,
            item.approved_total,
            item.spent_total,
            _("Có") if item.is_overdue(figures.on) else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = items.cell(row=index, column=column, value=safe_cell(value))
            if column in (8, 9, 10):
                cell.number_format = DATE_FORMAT
            elif column in (13, 14, 15):
                cell.number_format = MONEY_FORMAT
    for column in range(1, len(titles) + 1):
        items.column_dimensions[get_column_letter(column)].width = 44 if column == 2 else 16
    items.freeze_panes = "C2"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
