"""The archive in the Django admin, in Vietnamese: items, media, registers, contributions."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, FilteredRelation, Max, Min, Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from archive import import_workbook, services
from archive.admin_batches import BatchIngestAdminMixin
from archive.admin_institution import InstitutionAdmin  # noqa: F401 - registers the model
from archive.admin_offline import classify_offline
from archive.admin_pages import page_text_summary, proposals_panel, text_state
from archive.admin_transfer import export_transfer_package
from archive.forms import ItemAdminForm, MediaFileInlineForm, MediaFileInlineFormSet, PeriodChoiceForm
from archive.models import (
    Body,
    Congress,
    Contribution,
    ContributionFile,
    Dossier,
    Item,
    Keyword,
    MediaFile,
    Period,
    PeriodSpan,
    Person,
    Position,
    Term,
    Venue,
)
from archive.models.items import GENERATED_SEARCH_FIELDS, OUTSIDE_PERIODS, has_digital_copy
from archive.models.registers import spans_label
from archive.protected_media import ProtectedFileWidget, media_file_url
from archive.resources import BodyResource, ItemResource, PersonResource, PositionResource
from archive.secrecy import files_refused
from basics.admin_export import ColumnNamedExportForm
from basics.admin_search import FoldedSearchMixin


def no_thumbnail() -> str:
    """The empty thumbnail box, labelled in the current language."""
    return format_html(
        '<span class="archive-thumb archive-thumb--empty" aria-label="{}" '
        'style="display:inline-block;width:64px;height:48px;background:#e5e2dc;border:1px solid #ccc;"></span>',
        gettext("Chưa có ảnh"),
    )


logger = logging.getLogger(__name__)


class VietnameseImportExportMixin(ImportExportMixin):
    """CSV and XLSX with Vietnamese headers, all-or-nothing, with a downloadable template."""

    formats = [CSV, XLSX]
    export_form_class = ColumnNamedExportForm
    from_encoding = "utf-8-sig"  # Excel writes a BOM; both with and without are read
    to_encoding = "utf-8-sig"
    import_template_name = "admin/archive/import.html"
    import_export_change_list_template = "admin/archive/change_list_import_export.html"

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True  # nothing saved if any row is wrong
        return kwargs

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "mau-nhap/<str:fmt>/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{info[0]}_{info[1]}_import_template",
            ),
        ]
        return urls + super().get_urls()

    def import_template_view(self, request, fmt: str):
        """An empty file with the Vietnamese headers and one example row."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_import_resource_classes(request)[0]
        dataset = resource_class.template_dataset()
        name = f"mau-nhap-{self.opts.model_name}"
        if fmt == "xlsx":
            response = HttpResponse(
                import_workbook.build(resource_class, dataset),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        response = HttpResponse(("\ufeff" + dataset.export("csv")).encode(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_template_urlname": self._template_urlname()}
        return super().changelist_view(request, extra_context)

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["import_template_urlname"] = self._template_urlname()
        return context

    def init_request_context_data(self, request, form):
        # The export page lists what a file gets, read-only columns included (the import page
        # lists the template's columns, ``VietnameseResource.get_user_visible_fields``).
        context = super().init_request_context_data(request, form)
        context["fields_list"] = [
            (resource.get_display_name(), resource(**self.get_export_resource_kwargs(request)).get_export_headers())
            for resource in self.get_export_resource_classes(request)
        ]
        return context

    def _template_urlname(self) -> str:
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_import_template"


def _file_widget(url_for) -> dict:
    """The admin's file input linking through a checked view (image fields have their own default)."""
    widget = {"widget": ProtectedFileWidget(url_for)}
    return {models.FileField: widget, models.ImageField: widget}


class PeriodListFilter(admin.RelatedFieldListFilter):
    """Periods labelled as ``str(period)`` labels them, with their spans ("1962–1964, 1978–1982: name"),
    read in one query: each period with each of its spans, a period without spans once."""

    def field_choices(self, field, request, model_admin):
        names: dict[int, str] = {}
        spans: dict[int, list[PeriodSpan]] = defaultdict(list)
        rows = Period.objects.order_by("number", "spans__start_year").values_list(
            "pk", "name", "spans__start_year", "spans__end_year"
        )
        for pk, name, start_year, end_year in rows:
            names[pk] = name
            if start_year is not None:
                spans[pk].append(PeriodSpan(start_year=start_year, end_year=end_year))
        return [(pk, f"{spans_label(spans[pk])}: {name}") for pk, name in names.items()]


# Registers -------------------------------------------------------------------------------


class PeriodSpanInline(admin.TabularInline):
    model = PeriodSpan
    extra = 0
    min_num = 1


@admin.register(Period)
class PeriodAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["number", "name", "span_label", "code"]
    actions = [export_transfer_package]
    list_display_links = ["name"]
    inlines = [PeriodSpanInline]
    prepopulated_fields = {"slug": ["code"]}
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("spans")

    @admin.display(description=_("khoảng năm"))
    def span_label(self, obj: Period) -> str:
        return obj.span_label()


@admin.register(Venue)
class VenueAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["name", "address", "phone", "email"]
    search_fields = ["name", "code"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["person", "body", "term"]
    fields = ["person", "body", "term", "role", "is_interim", "start_date", "end_date", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "body", "term__body")


@admin.register(Body)
class BodyAdmin(FoldedSearchMixin, VietnameseImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [BodyResource]
    list_display = ["name", "short_name", "kind", "period_name", "founded_on", "dissolved_on"]
    list_filter = ["kind", ("period", PeriodListFilter)]
    list_select_related = ["period"]
    search_fields = ["name", "short_name", "name_en"]
    autocomplete_fields = ["parent", "predecessors"]
    inlines = [PositionInline]

    @admin.display(description=_("thời kỳ"), ordering="period__number")
    def period_name(self, obj: Body) -> str:
        return obj.period.name if obj.period_id else "—"


@admin.register(Congress)
class CongressAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["name", "body", "number", "held_from", "held_to", "place"]
    list_select_related = ["body"]
    list_filter = ["body"]
    search_fields = ["name", "body__name", "place"]
    autocomplete_fields = ["body"]


@admin.register(Term)
class TermAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "body", "start_year", "end_year", "congress"]
    list_select_related = ["body", "congress__body"]
    list_filter = ["body"]
    search_fields = ["name", "body__name", "start_year"]
    autocomplete_fields = ["body", "congress"]
    inlines = [PositionInline]


@admin.register(Person)
class PersonAdmin(VietnameseImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [PersonResource]
    formfield_overrides = _file_widget(lambda person: reverse("archive:portrait", args=[person.pk]))
    list_display = ["full_name", "other_names", "life_span", "hometown"]
    search_fields = ["full_name", "folded_name", "other_names"]
    inlines = [PositionInline]

    def get_search_results(self, request, queryset, search_term):
        from basics.text import fold

        folded = fold(search_term)
        if not folded:
            return queryset, False
        matches = queryset
        for word in folded.split():
            matches = matches.filter(folded_name__contains=word)
        others, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return matches | others, may_have_duplicates

    @admin.display(description=_("năm sinh – năm mất"))
    def life_span(self, obj: Person) -> str:
        return obj.life_span


@admin.register(Position)
class PositionAdmin(FoldedSearchMixin, VietnameseImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [PositionResource]
    list_display = ["person", "role", "is_interim", "body", "term", "start_date", "end_date"]
    list_select_related = ["person", "body", "term__body"]
    list_filter = ["role", "is_interim", "body"]
    search_fields = ["person__full_name", "person__folded_name", "body__name"]
    autocomplete_fields = ["person", "body", "term"]


@admin.register(Keyword)
class KeywordAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name", "folded"]


@admin.register(Dossier)
class DossierAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["code", "title", "retention", "start_year", "end_year", "item_count"]
    actions = [export_transfer_package]
    list_filter = ["retention", "language", "condition", "access_level"]
    search_fields = ["code", "title", "information_code", "fonds"]
    fieldsets = [
        (None, {"fields": ["code", "information_code", "title", "fonds"]}),
        (_("Thời hạn, chế độ sử dụng"), {"fields": ["retention", "retention_years", "access_level", "language"]}),
        (pgettext_lazy("span of years", "Thời gian"), {"fields": ["start_year", "end_year"]}),
        (
            _("Khối lượng, tình trạng"),
            {"fields": ["document_count", "sheet_count", "page_count", "condition", "keywords", "notes"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(catalogued=Count("items"))

    @admin.display(description=_("số tư liệu đã biên mục"), ordering="catalogued")
    def item_count(self, obj: Dossier) -> int:
        return obj.catalogued


# Items -----------------------------------------------------------------------------------


class MediaFileInline(admin.TabularInline):
    model = MediaFile
    form = MediaFileInlineForm
    formset = MediaFileInlineFormSet
    extra = 1
    fields = ["preview", "file", "caption", "alt_text", "position", "is_primary", "details", "processing"]
    readonly_fields = ["preview", "details", "processing"]
    ordering = ["-is_primary", "position", "pk"]
    formfield_overrides = _file_widget(media_file_url)
    show_change_link = True  # a film's or recording's captions are attached on its own page

    def get_extra(self, request, obj=None, **kwargs):
        # A classified item takes no file here (archive.secrecy): no empty upload row is offered.
        if obj is not None and files_refused(obj.confidentiality):
            return 0
        return super().get_extra(request, obj, **kwargs)

    @admin.display(description=_("trạng thái xử lý"))
    def processing(self, obj: MediaFile) -> str:
        return processing_state(obj)

    @admin.display(description=_("ảnh thu nhỏ"))
    def preview(self, obj: MediaFile):
        if obj and obj.pk and obj.thumbnail:
            return format_html(
                '<img src="{}" alt="{}" width="80">', media_file_url(obj, "thumbnail"), obj.alt_text or obj.caption
            )
        return no_thumbnail()

    @admin.display(description=_("thông tin tệp"))
    def details(self, obj: MediaFile) -> str:
        if not obj or not obj.pk:
            return ""
        parts = [obj.get_kind_display(), obj.original_name, f"{obj.size:,} B".replace(",", ".")]
        if obj.width and obj.height:
            parts.append(f"{obj.width}×{obj.height}")
        if obj.page_count:
            parts.append(_("%(count)d trang") % {"count": obj.page_count})
        parts.append(obj.duration_label)
        return " · ".join(str(p) for p in parts if p)


def processing_state(obj: MediaFile | None) -> str:
    """A media file's processing state, with the reason when it failed; then the state of its
    pages' text (``archive.admin_pages.text_state``)."""
    if not obj or not obj.pk:
        return ""
    if obj.status == MediaFile.Status.FAILED and obj.failure_reason:
        state = format_html('<strong class="errornote">{}</strong>: {}', obj.get_status_display(), obj.failure_reason)
    else:
        state = format_html("{}", obj.get_status_display())
    text = text_state(obj)
    return format_html("{}<br>{}", state, text) if text else state


# The queue's own rows are the workers' business; staff see each media file's state instead.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(MediaFile)
class MediaFileAdmin(admin.ModelAdmin):
    """Every media file with its processing state; failed ones are processed again from here.

    Files are added and replaced on their item's page (the inline), where the upload is inspected.
    """

    list_display = ["preview", "original_name", "item", "kind", "status", "text_status", "processed_at"]
    list_display_links = ["original_name"]
    list_filter = ["status", "text_status", "kind"]
    list_select_related = ["item"]
    search_fields = ["original_name", "item__inventory_number", "item__title"]
    fields = ["item", "original_name", "kind", "caption", "alt_text", "details", "processing", "processed_at"]
    readonly_fields = ["item", "original_name", "kind", "details", "processing", "processed_at"]
    ordering = ["-created_at", "-pk"]
    actions = ["process_again", "read_text_again"]

    preview = MediaFileInline.preview
    details = MediaFileInline.details
    processing = MediaFileInline.processing

    def has_add_permission(self, request) -> bool:
        return False

    def get_inlines(self, request, obj):
        from archive.captions_admin import CaptionTrackInline

        return [CaptionTrackInline] if CaptionTrackInline.applies_to(obj) else []

    @admin.action(description=_("Xử lý lại"), permissions=["change"])
    def process_again(self, request, queryset: QuerySet[MediaFile]) -> None:
        """Queue the chosen failed or finished files again; those waiting or at work are already queued."""
        from archive.tasks import media_file_enqueue

        queued = 0
        for media_file in queryset.exclude(status__in=[MediaFile.Status.WAITING, MediaFile.Status.WORKING]):
            media_file_enqueue(media_file=media_file)
            queued += 1
        self.message_user(
            request,
            ngettext("Đã đưa %(count)d tệp vào hàng đợi xử lý.", "Đã đưa %(count)d tệp vào hàng đợi xử lý.", queued)
            % {"count": queued},
            messages.SUCCESS,
        )

    @admin.action(description=_("Đọc lại chữ các trang"), permissions=["change"])
    def read_text_again(self, request, queryset: QuerySet[MediaFile]) -> None:
        """Queue the reading of the chosen files' text again (corrections and checks are kept)."""
        from archive.page_text import page_text_enqueue, wants_text

        queued = 0
        for media_file in queryset.filter(status=MediaFile.Status.READY):
            if wants_text(media_file):
                page_text_enqueue(media_file)
                queued += 1
        self.message_user(
            request,
            ngettext("Đã đưa %(count)d tệp vào hàng đợi đọc chữ.", "Đã đưa %(count)d tệp vào hàng đợi đọc chữ.", queued)
            % {"count": queued},
            messages.SUCCESS,
        )


class HasMediaFilter(admin.SimpleListFilter):
    title = _("có tệp số hóa")
    parameter_name = "co_tep"

    def lookups(self, request, model_admin):
        return [("1", _("Có")), ("0", _("Chưa có"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(has_digital_copy())
        if self.value() == "0":
            return queryset.filter(~has_digital_copy())
        return queryset


class YearListFilter(admin.SimpleListFilter):
    """The year an item's date starts in, from the earliest dated item to the latest.

    Django's date hierarchy groups every matching row by year on each view; the range here takes
    two reads of the ``date_start`` index. The parameter is the one the date hierarchy used, so
    links made with it keep working.
    """

    title = _("năm")
    parameter_name = "date_start__year"

    def lookups(self, request, model_admin):
        dated = Item.objects.aggregate(first=Min("date_start"), last=Max("date_start"))
        if dated["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(dated["first"].year, dated["last"].year + 1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(date_start__year=int(value)) if value.isdigit() else queryset.none()

    def get_facet_counts(self, pk_attname, filtered_qs):
        # Every year counted in one pass over the list, as Django counts a field's values (its
        # default for a SimpleListFilter compares the list with a subquery per choice).
        return {
            f"{index}__c": Count(pk_attname, filter=Q(date_start__year=int(year)))
            for index, (year, _label) in enumerate(self.lookup_choices)
        }


class CappedCountPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows.

    Counting every match reads the whole table (or every match of a common word) on each view. Up
    to the cap the count is exact; beyond it ``count`` is the cap, ``is_capped`` is true and the
    list says "more than" (admin/archive/item/change_list.html); its pages end at the cap.
    """

    cap = 10_000

    @cached_property
    def counted(self) -> int:
        """The rows, counted up to one more than the cap (by key: a list made distinct by a filter on
        a many-to-many relation compares keys, not whole rows)."""
        if isinstance(self.object_list, QuerySet):
            return self.object_list.order_by().values("pk")[: self.cap + 1].count()
        return len(self.object_list)

    @property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def is_capped(self) -> bool:
        return self.counted > self.cap


# Items per label sheet: 25 A4 pages, and an address of at most ~2,500 characters.
QR_LABELS_AT_ONCE = 300


#: The buttons of the item's page that save it and take it one step of the workflow: step -> (name, label).
WORKFLOW_BUTTONS = {
    "send_to_review": ("_send_to_review", _("Lưu và gửi duyệt")),
    "publish": ("_publish", _("Lưu và công bố")),
    "withdraw": ("_withdraw", _("Lưu và thu hồi")),
}
STEP_VERBS = {"send_to_review": _("gửi duyệt"), "publish": _("công bố"), "withdraw": _("thu hồi")}
STEP_DONE = {
    "send_to_review": _("Đã gửi duyệt tư liệu %(number)s."),
    "publish": _("Đã công bố tư liệu %(number)s."),
    "withdraw": _("Đã thu hồi tư liệu %(number)s (tư liệu vẫn được lưu giữ)."),
}


@admin.register(Item)
class ItemAdmin(BatchIngestAdminMixin, VietnameseImportExportMixin, TranslationAdmin, SimpleHistoryAdmin):
    form = ItemAdminForm
    # Django's form with the workflow's buttons beside "Lưu" (WORKFLOW_BUTTONS).
    change_form_template = "admin/archive/item/change_form.html"
    # Django's list, with a note when the count stops at the paginator's cap.
    import_export_change_list_template = "admin/archive/item/change_list.html"
    resource_classes = [ItemResource]
    inlines = [MediaFileInline]
    save_as = True
    save_on_top = True
    list_display = ["thumbnail", "inventory_number", "title", "period_name", "kind", "document_type", "date", "status"]
    list_display_links = ["inventory_number", "title"]
    list_filter = [
        ("period", PeriodListFilter),
        "kind",
        "document_type",
        "status",
        "access_level",
        "venue",
        "bodies",
        HasMediaFilter,
        YearListFilter,
    ]
    list_select_related = ["period", "primary_picture"]
    list_per_page = 50
    # No count of the whole table for "N of M selected", and a count that stops at a cap.
    show_full_result_count = False
    paginator = CappedCountPaginator
    search_fields = ["search_text"]  # searched through fold(), see get_search_results
    search_help_text = _(
        "Tìm theo số đăng ký, tiêu đề, trích yếu, số và ký hiệu, từ khóa; gõ có dấu hay không dấu đều được."
    )
    autocomplete_fields = [
        "issuing_body",
        "signer",
        "bodies",
        "people",
        "keywords",
        "congress",
        "dossier",
        "contribution",
    ]
    readonly_fields = [
        "inventory_number",
        "status",
        "status_changed_by",
        "status_changed_at",
        "published_at",
        "public_state",
        "date_precision",
        "date_circa",
        "created_by",
        "created_at",
        "updated_at",
    ]
    actions = [
        "send_to_review",
        "publish",
        "withdraw",
        "set_period",
        "print_qr_labels",
        export_transfer_package,
        classify_offline,
    ]
    fieldsets = [
        (
            _("Nhận dạng"),
            {
                # The Vietnamese text and the English beside it (django-modeltranslation's fields).
                "fields": [
                    "inventory_number",
                    "kind",
                    "document_type",
                    ("title_vi", "title_en"),
                    ("summary_vi", "summary_en"),
                    ("description_vi", "description_en"),
                ]
            },
        ),
        (
            _("Thể thức văn bản"),
            {
                "fields": [
                    "number_symbol",
                    "issuing_body",
                    "place_of_issue",
                    "date_text",
                    ("date_precision", "date_circa"),
                    "signing_authority",
                    "signing_on_behalf_of",
                    "signer_position",
                    "signer",
                    "has_seal",
                    "recipients",
                    ("confidentiality", "urgency"),
                    "secret_custody",
                    "secret_access",
                    "annotations",
                ]
            },
        ),
        (
            _("Bối cảnh"),
            {
                "fields": [
                    "period",
                    "bodies",
                    "people",
                    "congress",
                    "keywords",
                    ("dossier", "dossier_position"),
                    "language",
                    ("sheet_count", "page_count"),
                    "reliability",
                ]
            },
        ),
        (_("Hiện vật, bảo quản"), {"fields": ["material", "dimensions", "condition", "venue", "location"]}),
        (
            _("Nguồn gốc"),
            {"fields": ["acquisition_method", "acquisition_source", "acquisition_date", "contribution"]},
        ),
        (
            _("Công bố và tiếp cận"),
            {
                "fields": [
                    "status",
                    "public_state",
                    "access_level",
                    "embargo_until",
                    "is_featured",
                    ("status_changed_by", "status_changed_at"),
                    "published_at",
                    "staff_notes",
                    "is_sample",
                    ("created_by", "created_at", "updated_at"),
                ]
            },
        ),
    ]

    # The workflow on the item's own page ---------------------------------------------------

    def requested_step(self, request) -> str | None:
        """The workflow step a button of the form asks for (``WORKFLOW_BUTTONS``), if any."""
        if request.method != "POST":
            return None
        return next((step for step, (name, _label) in WORKFLOW_BUTTONS.items() if name in request.POST), None)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A step the user may not take, or not from the item's status, is refused before anything
        # is saved: the page comes back as it was, with the reason.
        step = self.requested_step(request)
        if step is not None:
            item = self.get_object(request, unquote(object_id)) if object_id else Item()
            if item is not None and not services.item_step_allowed(item=item, user=request.user, step=step):
                self.message_user(
                    request,
                    gettext(
                        "Không thể %(step)s tư liệu này: bạn không có quyền, "
                        "hoặc trạng thái “%(status)s” không cho phép."
                    )
                    % {"step": STEP_VERBS[step], "status": item.get_status_display()},
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The buttons save the form first: they are offered to whoever may save it.
        may_save = self.has_change_permission(request, obj) if obj is not None else self.has_add_permission(request)
        item = obj if obj is not None else Item()
        steps = services.item_steps_allowed(item=item, user=request.user) if may_save else []
        context["workflow_buttons"] = [WORKFLOW_BUTTONS[step] for step in steps]
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def take_step(self, request, item: Item, step: str) -> HttpResponseRedirect:
        """After the form is saved: the step through the archive's service, and back to the item."""
        service, _allowed_from = services.ITEM_STEPS[step]
        try:
            service(item=item, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(
                request, gettext("Đã lưu, nhưng chưa đổi trạng thái: %(reason)s") % {"reason": text}, messages.ERROR
            )
        else:
            self.message_user(request, STEP_DONE[step] % {"number": item.inventory_number}, messages.SUCCESS)
            if item.status == Item.Status.PUBLISHED and not item.is_public:
                self.message_user(request, self._hidden_reason(item), messages.WARNING)
        return HttpResponseRedirect(reverse("admin:archive_item_change", args=[item.pk]))

    def response_change(self, request, obj):
        step = self.requested_step(request)
        return self.take_step(request, obj, step) if step else super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        step = self.requested_step(request)
        return self.take_step(request, obj, step) if step else super().response_add(request, obj, post_url_continue)

    class Media:
        js = ["archive/proposals.js"]
        css = {"all": ["archive/proofread.css"]}

    def get_fieldsets(self, request, obj=None):
        """An item with pages of text first shows them and the fields read from its first page."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.page_texts.exists():
            return fieldsets
        pages = (
            _("Chữ trên các trang"),
            {"fields": ["page_texts_state", "page_proposals"], "classes": ["proposals-set"]},
        )
        return [pages, *fieldsets]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "page_texts_state", "page_proposals"]

    @admin.display(description=_("chữ của các trang"))
    def page_texts_state(self, obj: Item):
        return page_text_summary(obj) if obj and obj.pk else ""

    @admin.display(description=_("đề xuất từ trang đầu"))
    def page_proposals(self, obj: Item):
        return proposals_panel(obj) if obj and obj.pk else ""

    def get_queryset(self, request):
        # The primary picture as a relation of its own, which the list joins (list_select_related):
        # an item has at most one (MediaFile's constraint). The spans label the rows' periods. The
        # columns the database generates for search are never shown, nor written by a save.
        primary = FilteredRelation("media", condition=Q(media__is_primary=True))
        return (
            super()
            .get_queryset(request)
            .defer(*GENERATED_SEARCH_FIELDS)
            .annotate(primary_picture=primary)
            .prefetch_related("period__spans")
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)  # catalogued material is withdrawn, never deleted
        if not request.user.has_perm(services.PUBLISH_PERMISSION):
            actions.pop("publish", None)
            actions.pop("withdraw", None)
        if not self.has_change_permission(request):
            for name in ("send_to_review", "set_period", "classify_offline"):
                actions.pop(name, None)
        return actions

    def has_delete_permission(self, request, obj=None):
        """Staff withdraw items; only a superuser may delete one outright (and it is logged)."""
        return request.user.is_active and request.user.is_superuser

    def delete_model(self, request, obj):
        self._log_hard_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._log_hard_delete(request, obj)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _log_hard_delete(request, obj: Item) -> None:
        # The admin writes a LogEntry for each deleted object as well (delete view and bulk action).
        logger.warning(
            "Item %s (pk %s, %r) deleted outright by superuser %s",
            obj.inventory_number,
            obj.pk,
            obj.title[:80],
            request.user.get_username(),
        )

    def get_inline_instances(self, request, obj=None):
        # "Save as new" copies the record, not its files: the uploads stay with the original.
        if request.method == "POST" and "_saveasnew" in request.POST:
            return []
        return super().get_inline_instances(request, obj)

    # Columns ---------------------------------------------------------------------------

    @admin.display(description=_("ảnh"))
    def thumbnail(self, obj: Item):
        primary = getattr(obj, "primary_picture", None)
        if primary and primary.thumbnail:
            return format_html(
                '<img class="archive-thumb" src="{}" alt="{}" width="64">',
                media_file_url(primary, "thumbnail"),
                primary.alt_text,
            )
        return no_thumbnail()

    @admin.display(description=_("thời kỳ"), ordering="period__number")
    def period_name(self, obj: Item):
        if not obj.period_id:
            return "—"
        return format_html('<span title="{}">{}</span>', obj.period.name, obj.period.span_label())

    @admin.display(description=_("ngày tháng"), ordering="date_start")
    def date(self, obj: Item) -> str:
        return obj.date_display or "—"

    @admin.display(description=_("hiển thị công khai"), boolean=True)
    def public_state(self, obj: Item) -> bool:
        return obj.is_public

    # Saving ----------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item = form.instance
        item.refresh_search_text()
        if item.date_outside_period:
            self.message_user(
                request,
                _(
                    "Lưu ý: ngày tháng %(date)s nằm ngoài thời kỳ “%(period)s” (%(spans)s). "
                    "Kiểm tra lại ngày tháng hoặc thời kỳ."
                )
                % {"date": item.date_display, "period": item.period.name, "spans": item.period.span_label()},
                messages.WARNING,
            )
        elif not item.period_id and item.outside_every_period():
            self.message_user(
                request,
                _(
                    "Lưu ý: ngày tháng %(date)s nằm ngoài mọi thời kỳ; tư liệu được xếp vào “%(outside)s”. "
                    "Nếu cần, thêm thời kỳ hoặc khoảng năm mới trong mục Thời kỳ."
                )
                % {"date": item.date_display, "outside": OUTSIDE_PERIODS},
                messages.WARNING,
            )
        if item.status == Item.Status.PUBLISHED and not item.is_public:
            self.message_user(request, self._hidden_reason(item), messages.WARNING)

    def save_formset(self, request, form, formset, change):
        if formset.model is not MediaFile:
            return super().save_formset(request, form, formset, change)
        media = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        # The formset's clean() let one file at most be ticked; it gets the mark from the service: a
        # file already saved before its save (which then keeps it), a new one once it is saved.
        chosen = next((m for m in media if m.is_primary), None)
        if chosen is not None and chosen.pk is not None:
            services.media_file_make_primary(item=form.instance, media_file=chosen)
        for obj in media:
            if obj is chosen and obj.pk is None:
                obj.is_primary = False
            obj.save()
        formset.save_m2m()
        services.media_file_make_primary(item=form.instance, media_file=chosen)
        from archive.tasks import media_file_enqueue

        # A new upload's derivatives are the background job's, queued with the rows' transaction.
        for inline_form in formset.forms:
            if getattr(inline_form, "inspection", None) is not None and inline_form.instance.pk:
                media_file_enqueue(media_file=inline_form.instance)
        self._warn_duplicates(request, form.instance, media)

    def _warn_duplicates(self, request, item: Item, media: list[MediaFile]) -> None:
        from archive.media import duplicates_of

        for obj in media:
            if not obj.sha256:
                continue
            others = list(duplicates_of(obj.sha256, exclude_item=item).select_related("item")[:3])
            if others:
                self.message_user(
                    request,
                    _("Tệp “%(name)s” trùng với tệp đã có ở: %(items)s.")
                    % {"name": obj.original_name, "items": ", ".join(str(o.item) for o in others)},
                    messages.WARNING,
                )

    @staticmethod
    def _hidden_reason(item: Item) -> str:
        return _(
            "Tư liệu %(number)s đã công bố nhưng không hiển thị công khai vì: mức độ tiếp cận “%(access)s”, "
            "độ mật “%(secret)s”, hạn chế đến ngày %(embargo)s."
        ) % {
            "number": item.inventory_number,
            "access": item.get_access_level_display(),
            "secret": item.get_confidentiality_display(),
            "embargo": item.embargo_until.strftime("%d/%m/%Y") if item.embargo_until else "—",
        }

    # Actions ---------------------------------------------------------------------------

    def _run(self, request, queryset, service, done_message) -> None:
        done, failed = 0, []
        for item in queryset:
            try:
                service(item=item, user=request.user)
            except ValidationError as error:
                failed.append(" ".join(error.messages))
            except PermissionDenied as error:
                failed.append(str(error))
            else:
                done += 1
                if item.status == Item.Status.PUBLISHED and not item.is_public:
                    self.message_user(request, self._hidden_reason(item), messages.WARNING)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for message in failed:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Gửi duyệt các tư liệu đã chọn"))
    def send_to_review(self, request, queryset):
        self._run(
            request,
            queryset,
            services.item_send_to_review,
            lambda n: ngettext("Đã gửi duyệt %(count)d tư liệu.", "Đã gửi duyệt %(count)d tư liệu.", n) % {"count": n},
        )

    @admin.action(description=_("Công bố các tư liệu đã chọn"))
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            services.item_publish,
            lambda n: ngettext("Đã công bố %(count)d tư liệu.", "Đã công bố %(count)d tư liệu.", n) % {"count": n},
        )

    @admin.action(description=_("Thu hồi các tư liệu đã chọn (không xóa)"))
    def withdraw(self, request, queryset):
        self._run(
            request,
            queryset,
            services.item_withdraw,
            lambda n: ngettext("Đã thu hồi %(count)d tư liệu.", "Đã thu hồi %(count)d tư liệu.", n) % {"count": n},
        )

    @admin.action(description=_("Gán thời kỳ cho các tư liệu đã chọn"))
    def set_period(self, request, queryset):
        if "apply" in request.POST:
            form = PeriodChoiceForm(request.POST)
            if form.is_valid():
                period = form.cleaned_data["period"]
                count = 0
                for item in queryset.select_related("period"):
                    item.period = period
                    item._change_reason = str(_("Gán thời kỳ"))
                    item.save()
                    count += 1
                self.message_user(
                    request,
                    _("Đã gán %(count)d tư liệu vào thời kỳ “%(period)s”.") % {"count": count, "period": period.name},
                    messages.SUCCESS,
                )
                return None
        else:
            form = PeriodChoiceForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Gán thời kỳ"),
            "opts": self.opts,
            "form": form,
            "items": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/archive/item/set_period.html", context)

    @admin.action(description=_("In nhãn mã QR cho các tư liệu đã chọn"), permissions=["view"])
    def print_qr_labels(self, request, queryset):
        """The label sheet of the selected items, drawn by the public site (exhibits:qr_labels), which
        prints the public ones only. The selection travels in the query string, so it is bounded to
        stay within a request line every server accepts."""
        pks = list(queryset.order_by("inventory_number").values_list("pk", flat=True)[: QR_LABELS_AT_ONCE + 1])
        if len(pks) > QR_LABELS_AT_ONCE:
            self.message_user(
                request,
                _("Mỗi lần in nhãn tối đa %(limit)d tư liệu: hãy chọn ít hơn.") % {"limit": QR_LABELS_AT_ONCE},
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(reverse("exhibits:qr_labels") + "?ids=" + ",".join(map(str, pks)))


# Contributions ---------------------------------------------------------------------------


class ContributionFileInline(admin.TabularInline):
    model = ContributionFile
    extra = 0
    can_delete = False
    fields = ["link", "original_name", "mime_type", "size", "sha256"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("tệp"))
    def link(self, obj: ContributionFile):
        if not obj.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("archive:contribution_file", args=[obj.pk]), _("Mở tệp"))


class ItemFromContributionInline(admin.TabularInline):
    model = Item
    fk_name = "contribution"
    extra = 0
    can_delete = False
    fields = ["link", "status"]
    readonly_fields = fields
    verbose_name = _("tư liệu đã tạo")
    verbose_name_plural = _("tư liệu đã tạo từ đóng góp này")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("tư liệu"))
    def link(self, obj: Item):
        return format_html('<a href="{}">{}</a>', reverse("admin:archive_item_change", args=[obj.pk]), obj)


@admin.register(Contribution)
class ContributionAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["reference", "contributor_name", "organisation_name", "status", "file_count", "received_at"]
    list_filter = ["status"]
    list_select_related = ["body"]
    search_fields = ["reference", "contributor_name", "organisation", "email", "description"]
    date_hierarchy = "received_at"
    readonly_fields = ["reference", "status", "handled_by", "received_at", "decided_at", "consent"]
    fields = [
        "reference",
        "status",
        "contributor_name",
        "body",
        "organisation",
        "email",
        "phone",
        "description",
        "consent",
        "decision_note",
        "handled_by",
        "received_at",
        "decided_at",
    ]
    autocomplete_fields = ["body"]
    inlines = [ContributionFileInline, ItemFromContributionInline]
    actions = ["start_review", "accept", "decline"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_files=Count("files"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not self.has_change_permission(request):
            return {}
        return actions

    @admin.display(description=_("cơ quan, đơn vị"))
    def organisation_name(self, obj: Contribution) -> str:
        return obj.body.name if obj.body_id else obj.organisation

    @admin.display(description=_("số tệp"), ordering="n_files")
    def file_count(self, obj: Contribution) -> int:
        return obj.n_files

    def _each(self, request, queryset, run) -> int:
        done = 0
        for contribution in queryset:
            try:
                run(contribution)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        return done

    @admin.action(description=_("Chuyển sang đang xem xét"))
    def start_review(self, request, queryset):
        done = self._each(request, queryset, lambda c: services.contribution_review(contribution=c, user=request.user))
        if done:
            self.message_user(request, _("Đã chuyển %(count)d đóng góp sang đang xem xét.") % {"count": done})

    @admin.action(description=_("Nhận vào kho (tạo tư liệu bản nháp)"))
    def accept(self, request, queryset):
        created: list[Item] = []

        def run(contribution):
            created.extend(services.contribution_accept(contribution=contribution, user=request.user))

        done = self._each(request, queryset, run)
        if done:
            self.message_user(
                request,
                _("Đã nhận %(count)d đóng góp vào kho, tạo %(items)d tư liệu bản nháp: %(numbers)s.")
                % {"count": done, "items": len(created), "numbers": ", ".join(i.inventory_number for i in created)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Không tiếp nhận (ghi lý do)"))
    def decline(self, request, queryset):
        note = request.POST.get("decision_note", "").strip()
        if "apply" in request.POST:
            done = self._each(
                request,
                queryset,
                lambda c: services.contribution_decline(contribution=c, user=request.user, note=note),
            )
            if done:
                self.message_user(request, _("Đã ghi nhận không tiếp nhận %(count)d đóng góp.") % {"count": done})
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Không tiếp nhận đóng góp"),
            "opts": self.opts,
            "contributions": queryset,
            "note": note,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/archive/contribution/decline.html", context)


# Pages registered by their own modules: the day-by-day counts of the collection's use
# (archive.usage_admin) and the preservation records (archive.admin_preservation).
from archive import admin_preservation, usage_admin  # noqa: E402, F401
