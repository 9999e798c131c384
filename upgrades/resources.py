"""The budget estimate (dự toán) as a spreadsheet: Vietnamese headers, a totals row, a strict import."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.forms import ImportForm

from basics.spreadsheets import read_rows, safe_row
from upgrades.fields import parse_dong
from upgrades.models import BudgetLine, Expense, FundingSource, WorkItem

TOTAL_LABEL = "TỔNG CỘNG"

# Column headers of the estimate file, in the order they are written.
COL_ID = "Mã dòng"
COL_ITEM_CODE = "Mã hạng mục"
COL_ITEM_TITLE = "Tên hạng mục"
COL_DESCRIPTION = "Nội dung chi"
COL_UNIT = "Đơn vị tính"
COL_QUANTITY = "Số lượng"
COL_UNIT_PRICE = "Đơn giá (đồng)"
COL_ESTIMATED = "Thành tiền (đồng)"
COL_APPROVED = "Kinh phí được duyệt (đồng)"
COL_FUNDING = "Nguồn kinh phí"
COL_YEAR = "Năm ngân sách"
REQUIRED_HEADERS = [COL_ITEM_CODE, COL_DESCRIPTION, COL_UNIT, COL_QUANTITY, COL_UNIT_PRICE, COL_YEAR]


class DongWidget(widgets.Widget):
    """Whole đồng; the message names the column when a cell is not an amount."""

    def __init__(self, column: str, required: bool = True):
        super().__init__()
        self.column = column
        self.required = required

    def clean(self, value, row=None, **kwargs):
        try:
            amount = parse_dong(value)
        except (ValueError, InvalidOperation):
            raise ValueError(
                _("Cột “%(column)s”: “%(value)s” không phải số tiền nguyên đồng (ví dụ 1234567).")
                % {"column": self.column, "value": value}
            ) from None
        if amount is None and self.required:
            raise ValueError(_("Cột “%(column)s” không được để trống.") % {"column": self.column})
        if amount is not None and amount < 0:
            raise ValueError(_("Cột “%(column)s”: số tiền không được âm.") % {"column": self.column})
        return amount

    def render(self, value, obj=None, **kwargs):
        return value


class QuantityWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            raise ValueError(_("Cột “%(column)s” không được để trống.") % {"column": COL_QUANTITY})
        if isinstance(value, float):
            value = repr(value)
        try:
            quantity = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(
                _("Cột “%(column)s”: “%(value)s” không phải một số.") % {"column": COL_QUANTITY, "value": value}
            ) from None
        if quantity <= 0:
            raise ValueError(_("Cột “%(column)s”: số lượng phải lớn hơn 0.") % {"column": COL_QUANTITY})
        return quantity.quantize(Decimal("0.01"))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)


class YearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        try:
            year = parse_dong(value)
        except (ValueError, InvalidOperation):
            year = None
        if year is None or not 2000 <= year <= 2100:
            raise ValueError(
                _("Cột “%(column)s”: “%(value)s” không phải năm hợp lệ (ví dụ 2024).")
                % {"column": COL_YEAR, "value": value}
            )
        return year

    def render(self, value, obj=None, **kwargs):
        return value


class FundingSourceWidget(widgets.Widget):
    """Written as its Vietnamese label; read back from the label or the code."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return FundingSource.OFFICE_BUDGET
        for code, label in FundingSource.choices:
            if text.casefold() in (code.casefold(), str(label).casefold()):
                return code
        raise ValueError(
            _("Cột “%(column)s”: “%(value)s” không có trong danh mục (%(choices)s).")
            % {"column": COL_FUNDING, "value": text, "choices": "; ".join(str(label) for label in FundingSource.labels)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(FundingSource(value).label) if value else ""


class WorkItemCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(WorkItem, field="code")

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        if not code:
            raise ValueError(_("Cột “%(column)s” không được để trống.") % {"column": COL_ITEM_CODE})
        try:
            return WorkItem.objects.get(code=code)
        except WorkItem.DoesNotExist:
            raise ValueError(
                _("Cột “%(column)s”: không có hạng mục mã “%(code)s”.") % {"column": COL_ITEM_CODE, "code": code}
            ) from None


def header_error(headers: list[str]) -> str | None:
    """The Vietnamese message for a file whose first row lacks required columns, or None."""
    missing = [header for header in REQUIRED_HEADERS if header not in headers]
    if not missing:
        return None
    return _(
        "Tệp dự toán sai tiêu đề cột: thiếu cột %(missing)s. Dòng đầu tiên phải có các cột: "
        "%(expected)s (hãy xuất tệp mẫu rồi điền vào)."
    ) % {
        "missing": ", ".join(f"“{header}”" for header in missing),
        "expected": ", ".join(f"“{header}”" for header in REQUIRED_HEADERS),
    }


class BudgetImportForm(ImportForm):
    """Refuses a workbook with the wrong headers before anything is read into the database."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
            first_row = next(workbook.active.iter_rows(max_row=1, values_only=True), ())
            workbook.close()
        except Exception:  # noqa: BLE001 - any unreadable file gets the same answer
            raise forms.ValidationError(
                _("Tệp cần nhập không đọc được: hãy chọn tệp Excel (.xlsx) của dự toán.")
            ) from None
        finally:
            upload.seek(0)
        message = header_error([str(value or "").strip() for value in first_row])
        if message:
            raise forms.ValidationError(message)
        return upload


class BudgetEstimateResource(resources.ModelResource):
    """One row per budget line, then a totals row; re-importing the file changes nothing."""

    id = fields.Field(attribute="id", column_name=COL_ID, widget=widgets.IntegerWidget())
    work_item = fields.Field(attribute="work_item", column_name=COL_ITEM_CODE, widget=WorkItemCodeWidget())
    work_item_title = fields.Field(attribute="work_item__title", column_name=COL_ITEM_TITLE, readonly=True)
    description = fields.Field(attribute="description", column_name=COL_DESCRIPTION)
    unit = fields.Field(attribute="unit", column_name=COL_UNIT)
    quantity = fields.Field(attribute="quantity", column_name=COL_QUANTITY, widget=QuantityWidget())
    unit_price = fields.Field(attribute="unit_price", column_name=COL_UNIT_PRICE, widget=DongWidget(COL_UNIT_PRICE))
    estimated_amount = fields.Field(
        attribute="estimated_amount", column_name=COL_ESTIMATED, readonly=True, widget=DongWidget(COL_ESTIMATED)
    )
    approved_amount = fields.Field(
        attribute="approved_amount",
        column_name=COL_APPROVED,
        widget=DongWidget(COL_APPROVED, required=False),
    )
    funding_source = fields.Field(attribute="funding_source", column_name=COL_FUNDING, widget=FundingSourceWidget())
    fiscal_year = fields.Field(attribute="fiscal_year", column_name=COL_YEAR, widget=YearWidget())

    class Meta:
        model = BudgetLine
        name = gettext_lazy("Dự toán kinh phí")
        fields = (
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
        )
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return BudgetLine.objects.select_related("work_item").order_by("work_item__code", "ordering", "pk")

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # Descriptions and units are staff's text: none may reach the file as a formula.
        return safe_row(super().export_resource(instance, selected_fields, **kwargs))

    def before_import(self, dataset, **kwargs):
        read_rows(dataset)  # a file this resource exported imports unchanged
        headers = [str(header or "").strip() for header in (dataset.headers or [])]
        message = header_error(headers)
        if message:
            # Drop the rows so no row is looked at: the file is refused as a whole.
            while len(dataset):
                del dataset[0]
            raise ValidationError(message)
        dataset.headers = headers
        # The totals row the export writes is not a budget line.
        for index in reversed(range(len(dataset))):
            row = dict(zip(headers, dataset[index], strict=False))
            if not str(row.get(COL_ITEM_CODE) or "").strip() and (
                str(row.get(COL_DESCRIPTION) or "").strip().upper() == TOTAL_LABEL
                or not any(str(value or "").strip() for value in row.values())
            ):
                del dataset[index]

    def get_instance(self, instance_loader, row):
        value = row.get(COL_ID)
        if value in (None, ""):
            return None
        return super().get_instance(instance_loader, row)

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        if queryset is None:
            queryset = self.get_queryset()
        totals = BudgetLine.objects.filter(Q(pk__in=queryset.values("pk"))).totals()
        headers = list(dataset.headers)
        row = [""] * len(headers)
        if COL_DESCRIPTION in headers:
            row[headers.index(COL_DESCRIPTION)] = TOTAL_LABEL
        if COL_ESTIMATED in headers:
            row[headers.index(COL_ESTIMATED)] = totals["estimated"]
        if COL_APPROVED in headers:
            row[headers.index(COL_APPROVED)] = totals["approved"]
        dataset.append(row)
        return dataset


# Column headers of the expenses file (export only: expenses are entered one by one with their invoice).
COL_SPENT_ON = "Ngày chi"
COL_LINE = "Nội dung chi của dòng dự toán"
COL_SUPPLIER = "Nhà cung cấp"
COL_INVOICE = "Số hóa đơn"
COL_AMOUNT = "Số tiền (đồng)"
COL_NOTE = "Ghi chú"


class ExpenseResource(resources.ModelResource):
    """One row per expense, in the order of the admin's list (newest first), then a totals row."""

    spent_on = fields.Field(column_name=COL_SPENT_ON)
    work_item_code = fields.Field(attribute="budget_line__work_item__code", column_name=COL_ITEM_CODE)
    work_item_title = fields.Field(attribute="budget_line__work_item__title", column_name=COL_ITEM_TITLE)
    budget_line = fields.Field(attribute="budget_line__description", column_name=COL_LINE)
    fiscal_year = fields.Field(attribute="budget_line__fiscal_year", column_name=COL_YEAR, widget=YearWidget())
    supplier = fields.Field(attribute="supplier", column_name=COL_SUPPLIER)
    invoice_number = fields.Field(attribute="invoice_number", column_name=COL_INVOICE)
    amount = fields.Field(attribute="amount", column_name=COL_AMOUNT, widget=DongWidget(COL_AMOUNT))
    note = fields.Field(attribute="note", column_name=COL_NOTE)

    class Meta:
        model = Expense
        name = gettext_lazy("Chi phí đã chi")
        fields = (
            "spent_on",
            "work_item_code",
            "work_item_title",
            "budget_line",
            "fiscal_year",
            "supplier",
            "invoice_number",
            "amount",
            "note",
        )

    def get_queryset(self):
        return Expense.objects.select_related("budget_line__work_item")

    def dehydrate_spent_on(self, expense: Expense) -> str:
        return expense.spent_on.strftime("%d/%m/%Y")

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return safe_row(super().export_resource(instance, selected_fields, **kwargs))

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        if queryset is None:
            queryset = self.get_queryset()
        total = Expense.objects.filter(pk__in=queryset.values("pk")).aggregate(total=Sum("amount"))["total"] or 0
        headers = list(dataset.headers)
        row = [""] * len(headers)
        if COL_LINE in headers:
            row[headers.index(COL_LINE)] = TOTAL_LABEL
        if COL_AMOUNT in headers:
            row[headers.index(COL_AMOUNT)] = total
        dataset.append(row)
        return dataset
