"""The upgrades in the Django admin, for the Office (edit) and the Propaganda Board and leadership (read).

Expenses belong to budget lines, which belong to work items. The work item page edits its
budget lines inline; each line links to its own page, where its expenses are edited inline.
"""

import datetime
from decimal import Decimal

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget, AdminTextInputWidget
from django.db import models
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin

from basics.admin_search import FoldedSearchMixin
from basics.money import format_dong
from upgrades.fields import DongField
from upgrades.models import DUE_SOON_DAYS, BudgetLine, Expense, WorkItem, WorkItemAttachment, today
from upgrades.resources import BudgetEstimateResource, BudgetImportForm, ExpenseResource

MEDIA = {"css": {"all": ["upgrades/upgrades.css"]}}
DONG_WIDGET = {DongField: {"widget": AdminTextInputWidget(attrs={"inputmode": "numeric", "class": "upg-money"})}}


class _ProtectedFile:
    """A stored file as the admin widget shows it, linked through the permission-checked view."""

    def __init__(self, file, url: str):
        self.file, self.url = file, url

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class ProtectedFileWidget(AdminFileWidget):
    """The admin file input, linking to the staff-only download view instead of the media URL."""

    def __init__(self, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def format_value(self, value):
        value = super().format_value(value)
        instance = getattr(value, "instance", None)
        if value and instance is not None and instance.pk:
            return _ProtectedFile(value, reverse(self.url_name, args=[instance.pk]))
        return value


def _file_widget(url_name: str) -> dict:
    return {models.FileField: {"widget": ProtectedFileWidget(url_name)}}


class ProtectedFileMixin:
    """Readers see a download link through the permission-checked view, never the media URL."""

    file_field = "file"
    download_url_name = ""

    @admin.display(description=_("tệp"))
    def download(self, obj) -> str:
        if not obj or not obj.pk or not getattr(obj, self.file_field):
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(self.download_url_name, args=[obj.pk]), _("Tải về"))

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields = ["download" if name == self.file_field else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "download"]


def _date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def progress_bar(value: int) -> str:
    css = "upg-progress done" if value >= 100 else "upg-progress"
    return format_html(
        '<span class="{}" role="img" aria-label="{}%"><span class="fill" style="width: {}%"></span></span> {}%',
        css,
        value,
        value,
        value,
    )


class DeadlineFilter(admin.SimpleListFilter):
    title = _("hạn hoàn thành")
    parameter_name = "han"

    def lookups(self, request, model_admin):
        return [
            ("qua-han", _("Quá hạn")),
            ("sap-den-han", _("Sắp đến hạn (%(days)s ngày)") % {"days": DUE_SOON_DAYS}),
            ("dang-mo", _("Chưa hoàn thành")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "qua-han":
            return queryset.overdue()
        if self.value() == "sap-den-han":
            return queryset.due_soon()
        if self.value() == "dang-mo":
            return queryset.open()
        return queryset


class LevelFilter(admin.SimpleListFilter):
    title = _("cấp hạng mục")
    parameter_name = "cap"

    def lookups(self, request, model_admin):
        return [("lon", _("Hạng mục lớn")), ("con", _("Hạng mục con"))]

    def queryset(self, request, queryset):
        if self.value() == "lon":
            return queryset.filter(parent__isnull=True)
        if self.value() == "con":
            return queryset.filter(parent__isnull=False)
        return queryset


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 1
    fields = [
        "ordering",
        "description",
        "unit",
        "quantity",
        "unit_price",
        "estimated_display",
        "approved_amount",
        "funding_source",
        "fiscal_year",
    ]
    readonly_fields = ["estimated_display"]
    show_change_link = True
    formfield_overrides = DONG_WIDGET
    verbose_name = _("dòng dự toán")
    verbose_name_plural = _("dự toán (bấm “Thay đổi” ở từng dòng để ghi chi phí)")

    @admin.display(description=_("thành tiền dự toán"))
    def estimated_display(self, obj: BudgetLine) -> str:
        return format_dong(obj.estimated_amount) if obj.pk else "—"


class AttachmentInline(ProtectedFileMixin, admin.TabularInline):
    model = WorkItemAttachment
    download_url_name = "upgrades:attachment"
    extra = 0
    fields = ["kind", "title", "file"]
    formfield_overrides = _file_widget("upgrades:attachment")


class PhaseInline(admin.TabularInline):
    model = WorkItem
    fk_name = "parent"
    extra = 0
    fields = ["code", "title", "status", "deadline", "progress"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name = _("hạng mục con")
    verbose_name_plural = _("hạng mục con")

    def has_add_permission(self, request, obj=None):
        return False


class TotalsChangeListMixin:
    """Show the totals of the filtered list above it (one aggregate query)."""

    def totals_for(self, queryset) -> list[tuple[str, int]]:
        """(label, amount in đồng) pairs for the filtered queryset; each admin using the mixin defines it."""
        return []

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            context["upgrade_totals"] = [
                (label, format_dong(amount)) for label, amount in self.totals_for(context["cl"].queryset)
            ]
            context["upgrades_dashboard_url"] = reverse("upgrades:dashboard")
        return response


@admin.register(WorkItem)
class WorkItemAdmin(FoldedSearchMixin, TotalsChangeListMixin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "title",
        "venue_display",
        "status_display",
        "deadline_display",
        "progress_display",
        "estimated_display",
        "approved_display",
        "spent_display",
    ]
    list_display_links = ["code", "title"]
    view_on_site = False
    list_filter = [
        DeadlineFilter,
        "status",
        "venue",
        "category",
        "responsible_unit",
        "priority",
        LevelFilter,
        ("owner", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["venue", "owner"]
    search_fields = ["code", "title", "description"]
    date_hierarchy = "deadline"
    list_per_page = 50
    autocomplete_fields = ["parent"]
    inlines = [BudgetLineInline, AttachmentInline, PhaseInline]
    readonly_fields = ["totals_display"]
    fieldsets = [
        (None, {"fields": ["code", "title", "parent", "venue", "category", "description"]}),
        (_("Trách nhiệm"), {"fields": ["responsible_unit", "owner", "priority"]}),
        (_("Thời gian và tiến độ"), {"fields": ["planned_start", "deadline", "status", "progress", "completed_on"]}),
        (_("Kinh phí"), {"fields": ["totals_display"]}),
        (_("Ghi chú"), {"fields": ["notes"]}),
    ]

    class Media:
        css = MEDIA["css"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def totals_for(self, queryset):
        # Own lines only, so that a parent and its phases are not counted twice.
        lines = BudgetLine.objects.filter(work_item__in=queryset.values("pk"))
        line_totals = lines.totals()
        spent = Expense.objects.filter(budget_line__in=lines.values("pk")).aggregate(
            total=Coalesce(Sum("amount"), Value(0))
        )["total"]
        return [
            (_("Dự toán"), line_totals["estimated"]),
            (_("Được duyệt"), line_totals["approved"]),
            (_("Đã chi"), spent),
        ]

    @admin.display(description=_("địa điểm"), ordering="venue__ordering")
    def venue_display(self, obj: WorkItem) -> str:
        return obj.venue.display_name if obj.venue_id else _("Chung")

    @admin.display(description=_("trạng thái"), ordering="status")
    def status_display(self, obj: WorkItem) -> str:
        return format_html('<span class="upg-status {}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=_("hạn hoàn thành"), ordering="deadline")
    def deadline_display(self, obj: WorkItem) -> str:
        on = today()
        if obj.is_overdue(on):
            badge = format_html(
                '<br><span class="upg-badge overdue">{}</span>',
                _("Quá hạn %(days)s ngày") % {"days": -obj.days_to_deadline(on)},
            )
        elif obj.is_due_soon(on):
            badge = format_html(
                '<br><span class="upg-badge due-soon">{}</span>',
                _("Còn %(days)s ngày") % {"days": obj.days_to_deadline(on)},
            )
        else:
            badge = ""
        return format_html("{}{}", _date(obj.deadline), badge)

    @admin.display(description=_("tiến độ"), ordering="progress")
    def progress_display(self, obj: WorkItem) -> str:
        return progress_bar(obj.progress)

    @admin.display(description=_("dự toán"), ordering="estimated_total")
    def estimated_display(self, obj: WorkItem) -> str:
        return format_dong(obj.estimated_total)

    @admin.display(description=_("được duyệt"), ordering="approved_total")
    def approved_display(self, obj: WorkItem) -> str:
        return format_dong(obj.approved_total)

    @admin.display(description=_("đã chi"), ordering="spent_total")
    def spent_display(self, obj: WorkItem) -> str:
        if obj.spent_total > obj.approved_total:
            return format_html(
                '{}<br><span class="upg-badge over">{}</span>', format_dong(obj.spent_total), _("Vượt duyệt")
            )
        return format_dong(obj.spent_total)

    @admin.display(description=_("tổng kinh phí (gồm hạng mục con)"))
    def totals_display(self, obj: WorkItem) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            "{}: <strong>{}</strong> · {}: <strong>{}</strong> · {}: <strong>{}</strong>",
            _("Dự toán"),
            format_dong(obj.estimated_total),
            _("Được duyệt"),
            format_dong(obj.approved_total),
            _("Đã chi"),
            format_dong(obj.spent_total),
        )


class ExpenseInline(ProtectedFileMixin, admin.TabularInline):
    model = Expense
    file_field = "attachment"
    download_url_name = "upgrades:expense_attachment"
    extra = 1
    fields = ["spent_on", "amount", "supplier", "invoice_number", "attachment", "note"]
    formfield_overrides = {**DONG_WIDGET, **_file_widget("upgrades:expense_attachment")}


@admin.register(BudgetLine)
class BudgetLineAdmin(FoldedSearchMixin, TotalsChangeListMixin, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [BudgetEstimateResource]
    import_form_class = BudgetImportForm
    import_formats = [XLSX]
    export_formats = [XLSX]
    change_list_template = "admin/upgrades/budgetline/change_list.html"
    list_display = [
        "work_item_code",
        "description",
        "quantity_display",
        "unit_price_display",
        "estimated_display",
        "approved_display",
        "spent_display",
        "fiscal_year",
    ]
    list_display_links = ["description"]
    list_filter = ["fiscal_year", "funding_source", "work_item__venue", "work_item__category", "work_item__status"]
    list_select_related = ["work_item"]
    search_fields = ["description", "work_item__code", "work_item__title"]
    autocomplete_fields = ["work_item"]
    readonly_fields = ["estimated_display", "spent_display"]
    fields = [
        "work_item",
        "description",
        "unit",
        "quantity",
        "unit_price",
        "estimated_display",
        "approved_amount",
        "spent_display",
        "funding_source",
        "fiscal_year",
        "ordering",
    ]
    inlines = [ExpenseInline]
    formfield_overrides = DONG_WIDGET
    list_per_page = 100

    class Media:
        css = MEDIA["css"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_spent()

    def totals_for(self, queryset):
        line_totals = BudgetLine.objects.filter(pk__in=queryset.values("pk")).totals()
        spent = Expense.objects.filter(budget_line__in=queryset.values("pk")).aggregate(
            total=Coalesce(Sum("amount"), Value(0))
        )["total"]
        return [
            (_("Dự toán"), line_totals["estimated"]),
            (_("Được duyệt"), line_totals["approved"]),
            (_("Đã chi"), spent),
        ]

    @admin.display(description=_("hạng mục"), ordering="work_item__code")
    def work_item_code(self, obj: BudgetLine) -> str:
        return obj.work_item.code

    @admin.display(description=_("số lượng"), ordering="quantity")
    def quantity_display(self, obj: BudgetLine) -> str:
        quantity = obj.quantity
        quantity = quantity.quantize(Decimal(1)) if quantity == quantity.to_integral_value() else quantity.normalize()
        return f"{number_format(quantity, force_grouping=True)} {obj.unit}"

    @admin.display(description=_("đơn giá"), ordering="unit_price")
    def unit_price_display(self, obj: BudgetLine) -> str:
        return format_dong(obj.unit_price)

    @admin.display(description=_("thành tiền dự toán"), ordering="estimated_amount")
    def estimated_display(self, obj: BudgetLine) -> str:
        return format_dong(obj.estimated_amount) if obj.pk else "—"

    @admin.display(description=_("được duyệt"), ordering="approved_amount")
    def approved_display(self, obj: BudgetLine) -> str:
        return format_dong(obj.approved_amount)

    @admin.display(description=_("đã chi"), ordering="spent")
    def spent_display(self, obj: BudgetLine) -> str:
        if not obj.pk:
            return "—"
        spent = getattr(obj, "spent", None)
        if spent is None:
            spent = obj.expenses.aggregate(total=Coalesce(Sum("amount"), Value(0)))["total"]
        if spent > (obj.approved_amount or 0):
            return format_html('{}<br><span class="upg-badge over">{}</span>', format_dong(spent), _("Vượt duyệt"))
        return format_dong(spent)


@admin.register(Expense)
class ExpenseAdmin(FoldedSearchMixin, ProtectedFileMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ExpenseResource]
    export_formats = [XLSX]
    file_field = "attachment"
    download_url_name = "upgrades:expense_attachment"
    fields = ["budget_line", "spent_on", "amount", "supplier", "invoice_number", "attachment", "note"]
    list_display = ["spent_on", "work_item_code", "budget_line", "supplier", "invoice_number", "amount_display"]
    list_filter = [
        "budget_line__work_item__venue",
        "budget_line__work_item__category",
        "budget_line__fiscal_year",
        "spent_on",
    ]
    list_select_related = ["budget_line__work_item"]
    search_fields = ["supplier", "invoice_number", "budget_line__description", "budget_line__work_item__code"]
    autocomplete_fields = ["budget_line"]
    date_hierarchy = "spent_on"
    formfield_overrides = {**DONG_WIDGET, **_file_widget("upgrades:expense_attachment")}

    class Media:
        css = MEDIA["css"]

    @admin.display(description=_("hạng mục"), ordering="budget_line__work_item__code")
    def work_item_code(self, obj: Expense) -> str:
        return obj.budget_line.work_item.code

    @admin.display(description=_("số tiền"), ordering="amount")
    def amount_display(self, obj: Expense) -> str:
        return format_dong(obj.amount)
