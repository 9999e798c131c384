"""Bookings in the Django admin: schedules, closed days, programmes, and the booking workflow.

The Booking changelist links to staff pages added with `get_urls`: a week and month
calendar per venue, statistics, and CSV/XLSX exports of the filtered list.
"""

import calendar
import csv
import datetime
import io

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archive.models import Venue
from basics.admin_search import FoldedSearchMixin
from basics.spreadsheets import safe_row
from bookings import services
from bookings.admin_forms import MoveBookingForm, TelephoneBookingForm, refusal_field
from bookings.forms import BookingAdminForm, RejectForm, RunningOrderFormSet, StaffCancelForm
from bookings.models import (
    Booking,
    ClosedDay,
    NewMember,
    Occasion,
    OpeningHours,
    Programme,
    ProgrammeStep,
    VenueSchedule,
    VisitStep,
    WaitingEntry,
)
from bookings.selectors import day_sheet, printable_programme
from bookings.statistics import compare_with_previous_year


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(VenueSchedule)
class VenueScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["venue", "is_open_for_booking", "slot_minutes", "buffer_minutes", "capacity", "max_group_size"]
    list_select_related = ["venue"]
    inlines = [OpeningHoursInline]
    readonly_fields = ["feed_link"]
    fieldsets = [
        (None, {"fields": ["venue", "is_open_for_booking"]}),
        (_("Khung giờ và sức chứa"), {"fields": ["slot_minutes", "buffer_minutes", "capacity", "max_group_size"]}),
        (
            _("Quy định đăng ký"),
            {
                "fields": [
                    "exclusive_ceremonies",
                    "close_on_public_holidays",
                    "min_notice_days",
                    "max_horizon_days",
                    "reminder_days_before",
                ]
            },
        ),
        (_("Lịch ICS cho cán bộ"), {"fields": ["feed_token", "feed_link"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"capacity", "max_group_size", "exclusive_ceremonies", "is_open_for_booking"} & set(
            form.changed_data
        ):
            # More room may have freed places for waiting groups: offer them once the change is stored.
            venue_id = obj.venue_id
            transaction.on_commit(lambda: services.waiting_list_offer_venue(venue_id=venue_id))

    @admin.display(description=_("Địa chỉ lịch ICS"))
    def feed_link(self, obj: VenueSchedule) -> str:
        if not obj or not obj.pk:
            return "—"
        from bookings.notifications import absolute_url
        from bookings.views import feed_url

        url = absolute_url(feed_url(obj))
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(ClosedDay)
class ClosedDayAdmin(SimpleHistoryAdmin):
    list_display = ["start_date", "end_date", "venue", "kind", "reason"]
    list_filter = ["kind", "venue"]
    list_select_related = ["venue"]
    date_hierarchy = "start_date"
    readonly_fields = ["bookings_to_contact"]
    fields = ["venue", "kind", "start_date", "end_date", "reason", "bookings_to_contact"]

    @admin.display(description=_("Đăng ký cần liên hệ"))
    def bookings_to_contact(self, obj: ClosedDay) -> str:
        if not obj or not obj.pk:
            return gettext("Lưu để xem các đăng ký rơi vào những ngày này.")
        bookings = list(obj.affected_bookings())
        if not bookings:
            return gettext("Không có đăng ký nào trong những ngày này.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> – {} {} – {} – {}, {}</li>',
                (
                    (
                        reverse("admin:bookings_booking_change", args=[b.pk]),
                        b.reference,
                        b.date.strftime("%d/%m/%Y"),
                        b.start_time.strftime("%H:%M"),
                        b.organisation_display,
                        b.contact_name,
                        b.phone,
                    )
                    for b in bookings
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bookings = list(obj.affected_bookings())
        if bookings:
            messages.warning(
                request,
                ngettext(
                    "Có %(count)d đăng ký trong những ngày đóng cửa; không đăng ký nào bị xóa. Xin liên hệ: %(list)s",
                    "Có %(count)d đăng ký trong những ngày đóng cửa; không đăng ký nào bị xóa. Xin liên hệ: %(list)s",
                    len(bookings),
                )
                % {
                    "count": len(bookings),
                    "list": "; ".join(
                        f"{b.reference} ({b.date:%d/%m/%Y} {b.start_time:%H:%M}, {b.organisation_display},"
                        f" {b.contact_name}, {b.phone})"
                        for b in bookings
                    ),
                },
            )


class StepInline(admin.StackedInline):
    formset = RunningOrderFormSet
    fields = [
        ("ordering", "start_minute", "duration_minutes"),
        "activity",
        ("leader", "place"),
        "exhibit_slug",
        "items",
        "leaflets",
        "details",
    ]
    autocomplete_fields = ["items"]
    extra = 0
    classes = ["running-order"]


class ProgrammeStepInline(StepInline):
    model = ProgrammeStep


@admin.register(Programme)
class ProgrammeAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["name", "occasion", "duration_minutes", "step_count", "is_active", "ordering"]
    list_editable = ["is_active", "ordering"]
    list_filter = ["occasion", "is_active"]
    search_fields = ["name"]
    inlines = [ProgrammeStepInline]
    fields = ["name", "name_en", "occasion", "description", "duration_minutes", "is_active", "ordering"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps"))

    @admin.display(description=_("số bước"), ordering="step_total")
    def step_count(self, obj: Programme) -> int:
        return obj.step_total

    def delete_view(self, request, object_id, extra_context=None):
        # A template that bookings use is protected: say which, and what to do instead.
        programme = self.get_object(request, unquote(object_id))
        references = programme.booking_references() if programme is not None else []
        if references:
            self.message_user(
                request,
                gettext(
                    "Không thể xóa chương trình mẫu “%(name)s”: các đăng ký %(refs)s đang dùng chương trình này."
                    " Hãy bỏ chọn “Đang áp dụng” để không dùng cho đăng ký mới, hoặc chọn chương trình khác cho"
                    " các đăng ký đó trước khi xóa."
                )
                % {"name": programme.name, "refs": ", ".join(references)},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:bookings_programme_change", args=[programme.pk]))
        return super().delete_view(request, object_id, extra_context)


class VisitStepInline(StepInline):
    model = VisitStep
    verbose_name_plural = _("Chương trình của buổi tham quan (chép từ chương trình mẫu khi xác nhận)")


class NewMemberInline(admin.TabularInline):
    model = NewMember
    fields = ["ordering", "full_name", "introducers"]
    extra = 1


@admin.register(WaitingEntry)
class WaitingEntryAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "date",
        "start_time",
        "venue",
        "organisation_column",
        "group_size",
        "status",
        "created_at",
        "offer_expires_at",
    ]
    list_filter = ["status", "venue", "date"]
    list_select_related = ["venue", "organisation", "booking"]
    date_hierarchy = "date"
    search_fields = ["organisation__name", "organisation_name", "contact_name", "email", "phone"]
    readonly_fields = [
        "status",
        "venue",
        "date",
        "start_time",
        "organisation",
        "organisation_name",
        "group_size",
        "occasion",
        "consent",
        "language",
        "created_at",
        "offered_at",
        "offer_expires_at",
        "booking",
    ]
    fields = readonly_fields[:2] + ["contact_name", "contact_position", "phone", "email"] + readonly_fields[2:]

    def has_add_permission(self, request):
        # Committees join the list from the booking form, where the slot is checked under a lock.
        return False

    @admin.display(description=_("đơn vị"), ordering="organisation__name")
    def organisation_column(self, obj: WaitingEntry) -> str:
        return obj.organisation_display


class BookingDateFilter(admin.SimpleListFilter):
    title = _("thời gian")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [
            ("upcoming", _("Sắp tới")),
            ("today", _("Hôm nay")),
            ("week", _("7 ngày tới")),
            ("past", _("Đã qua")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "upcoming":
            return queryset.filter(date__gte=today)
        if self.value() == "today":
            return queryset.filter(date=today)
        if self.value() == "week":
            return queryset.filter(date__gte=today, date__lte=today + datetime.timedelta(days=7))
        if self.value() == "past":
            return queryset.filter(date__lt=today)
        return queryset


EXPORT_COLUMNS = [
    (_("Mã đăng ký"), lambda b: b.reference),
    (_("Trạng thái"), lambda b: b.get_status_display()),
    (_("Địa điểm"), lambda b: b.venue.name),
    (_("Ngày"), lambda b: b.date.strftime("%d/%m/%Y")),
    (_("Giờ"), lambda b: f"{b.start_time:%H:%M}–{b.end_time:%H:%M}"),
    (_("Đơn vị"), lambda b: b.organisation_display),
    (_("Người liên hệ"), lambda b: b.contact_name),
    (_("Chức vụ"), lambda b: b.contact_position),
    (_("Điện thoại"), lambda b: b.phone),
    (_("Thư điện tử"), lambda b: b.email),
    (_("Số người"), lambda b: b.group_size),
    (_("Số người thực tế"), lambda b: b.actual_visitors if b.actual_visitors is not None else ""),
    (_("Dịp tham quan"), lambda b: b.get_occasion_display()),
    (_("Chương trình"), lambda b: b.programme.name if b.programme_id else ""),
    (_("Dịch vụ"), lambda b: ", ".join(b.service_labels())),
    (_("Cán bộ hướng dẫn"), lambda b: (b.guide.get_full_name() or b.guide.get_username()) if b.guide_id else ""),
    (_("Phim đã trình chiếu"), lambda b: b.films_shown),
    (_("Số tờ rơi đã phát"), lambda b: b.leaflets_handed_out if b.leaflets_handed_out is not None else ""),
    (_("Ghi chú"), lambda b: b.notes),
]


@admin.register(Booking)
class BookingAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    change_list_template = "admin/bookings/booking/change_list.html"
    change_form_template = "admin/bookings/booking/change_form.html"
    list_display = [
        "reference",
        "date",
        "time_range",
        "venue",
        "organisation_column",
        "group_size",
        "occasion",
        "status",
        "guide",
    ]
    list_filter = ["status", BookingDateFilter, "date", "venue", "occasion", "source"]
    list_select_related = ["venue", "organisation", "guide"]
    date_hierarchy = "date"
    search_fields = ["reference", "organisation__name", "organisation_name", "contact_name", "email", "phone"]
    ordering = ["-date", "-start_time"]
    actions = ["confirm_selected", "reject_selected", "complete_selected", "mark_no_show", "cancel_selected"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "reference",
        "status",
        "end_time",
        "created_at",
        "decided_at",
        "cancelled_at",
        "cancelled_by",
        "reminder_sent_at",
        "rejection_reason",
        "cancellation_reason",
        "new_date_request",
        "consent",
        "print_links",
        "source",
        "entered_by",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "status", ("venue", "date", "start_time", "end_time")]},
        ),
        (
            _("Đơn vị"),
            {"fields": ["organisation", "organisation_name", "contact_name", "contact_position", "phone", "email"]},
        ),
        (
            _("Buổi tham quan"),
            {"fields": ["group_size", "occasion", "programme", "print_links", "services", "notes", "consent"]},
        ),
        (_("Tổ chức đón tiếp"), {"fields": ["guide", "staff_notes"]}),
        (
            _("Kết quả"),
            {"fields": ["actual_visitors", "films_shown", "leaflets_handed_out", "outcome_notes"]},
        ),
        (
            _("Lịch sử xử lý"),
            {
                "fields": [
                    ("source", "entered_by"),
                    "created_at",
                    "decided_at",
                    "rejection_reason",
                    "cancelled_at",
                    "cancelled_by",
                    "cancellation_reason",
                    "new_date_request",
                    "reminder_sent_at",
                ]
            },
        ),
    ]

    form = BookingAdminForm
    inlines = [VisitStepInline, NewMemberInline]

    def get_inlines(self, request, obj):
        # The new members' names belong to an admission ceremony only.
        if obj is not None and obj.occasion == Occasion.ADMISSION:
            return [VisitStepInline, NewMemberInline]
        return [VisitStepInline]

    def add_view(self, request, form_url="", extra_context=None):
        """A booking taken by telephone, entered by staff: stored by the same service as the public
        form's requests (the slot counted under the venue's lock), with who entered it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        status = 200
        if request.method == "POST":
            form = TelephoneBookingForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    booking = services.booking_take_by_telephone(
                        entered_by=request.user,
                        venue=data["venue"],
                        date=data["date"],
                        start_time=data["start_time"],
                        group_size=data["group_size"],
                        occasion=data["occasion"],
                        organisation=data["organisation"],
                        organisation_name=data["organisation_name"],
                        contact_name=data["contact_name"],
                        contact_position=data["contact_position"],
                        phone=data["phone"],
                        email=data["email"],
                        programme=data["programme"],
                        services=data["services"],
                        notes=data["notes"],
                        consent=data["consent"],
                        language=data["language"] or settings.LANGUAGE_CODE,
                        confirm=data["confirm"],
                    )
                except ValidationError as error:
                    form.add_error(refusal_field(error, form.fields), error)
                    status = 409
                else:
                    self.message_user(request, self._taken_message(booking), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:bookings_booking_change", args=[booking.pk]))
            else:
                status = 400
        else:
            form = TelephoneBookingForm(initial=request.GET.dict() or None)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Thêm đăng ký qua điện thoại"),
            "opts": self.model._meta,
            "form": form,
            "fieldsets": [
                (gettext("Khung giờ"), [form[name] for name in ("venue", "date", "start_time", "group_size")]),
                (
                    gettext("Đơn vị"),
                    [
                        form[name]
                        for name in (
                            "organisation",
                            "organisation_name",
                            "contact_name",
                            "contact_position",
                            "phone",
                            "email",
                            "language",
                        )
                    ],
                ),
                (gettext("Buổi tham quan"), [form[name] for name in ("occasion", "programme", "services", "notes")]),
                (gettext("Ghi nhận"), [form["consent"], form["confirm"]]),
            ],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/bookings/booking/telephone_form.html", context, status=status)

    @staticmethod
    def _taken_message(booking: Booking) -> str:
        values = {
            "ref": booking.reference,
            "time": f"{booking.start_time:%H:%M}–{booking.end_time:%H:%M}",
            "date": booking.date.strftime("%d/%m/%Y"),
        }
        if booking.status == Booking.Status.CONFIRMED:
            text = gettext("Đã ghi và xác nhận đăng ký %(ref)s (%(time)s ngày %(date)s).") % values
        else:
            text = gettext("Đã ghi đăng ký %(ref)s (%(time)s ngày %(date)s), đang chờ xác nhận.") % values
        if booking.email:
            text += " " + gettext("Đơn vị được báo qua thư điện tử.")
        else:
            text += " " + gettext("Đăng ký không có thư điện tử: xin báo đơn vị qua điện thoại.")
        return text

    def move_view(self, request, pk: int):
        """Another slot for a pending or confirmed visit, counted under the venue's lock; the
        committee is emailed the new time and a calendar file that replaces the old one."""
        booking = Booking.objects.select_related("venue", "organisation").filter(pk=pk).first()
        if booking is None:
            raise Http404(gettext("Không có đăng ký tham quan này."))
        if not self.has_change_permission(request, booking):
            raise PermissionDenied
        schedule = VenueSchedule.objects.prefetch_related("opening_hours").filter(venue=booking.venue).first()
        change_url = reverse("admin:bookings_booking_change", args=[booking.pk])
        status = 200
        if request.method == "POST":
            form = MoveBookingForm(request.POST, schedule=schedule)
            if form.is_valid():
                try:
                    moved = services.booking_move(
                        booking=booking, date=form.cleaned_data["date"], start_time=form.cleaned_data["start_time"]
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for field, errors in error.error_dict.items():
                            form.add_error(field if field in form.fields else "start_time", errors)
                    else:
                        form.add_error(refusal_field(error, form.fields), error)
                    status = 409
                else:
                    values = {
                        "ref": moved.reference,
                        "time": f"{moved.start_time:%H:%M}–{moved.end_time:%H:%M}",
                        "date": moved.date.strftime("%d/%m/%Y"),
                    }
                    text = gettext("Đã chuyển đăng ký %(ref)s sang %(time)s ngày %(date)s.") % values
                    if moved.email:
                        text += " " + gettext("Đơn vị được báo qua thư điện tử, kèm tệp lịch mới.")
                    else:
                        text += " " + gettext("Đăng ký không có thư điện tử: xin báo đơn vị qua điện thoại.")
                    self.message_user(request, text, messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
            else:
                status = 400
        else:
            form = MoveBookingForm(schedule=schedule)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Chuyển sang khung giờ khác"),
            "opts": self.model._meta,
            "original": booking,
            "booking": booking,
            "change_url": change_url,
            "form": form,
            "fieldsets": [(None, list(form))],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/bookings/booking/move_form.html", context, status=status)

    # A change is saved through services.booking_change, under the rules of a request. The form
    # checks it while validating and takes the venue's and the booking's row locks; these two
    # views run in one transaction, so the locks hold until save_model has saved, and its own
    # check (the same one, under the same locks) cannot find the slot taken meanwhile. Were the
    # locks ever let go in between, that check would refuse and the view's transaction would
    # roll back: an error page, never an overbooked slot.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # `obj` holds every field as it is to be (on a revert, the old version's); the status
        # still moves only along the workflow. The history's user comes from the request
        # (simple_history's HistoryRequestMiddleware).
        services.booking_change(booking=obj, **services.changeable_values(obj))

    @admin.display(description=_("In chương trình"))
    def print_links(self, obj: Booking) -> str:
        if not obj or not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:bookings_booking_running_order", args=[obj.pk]),
            gettext("Chương trình buổi tham quan (A4)"),
            reverse("admin:bookings_booking_leaflet", args=[obj.pk]),
            gettext("Tờ chương trình cho người dự"),
            reverse("admin:bookings_booking_guide_sheet") + f"?date={obj.date.isoformat()}",
            gettext("Sổ hướng dẫn trong ngày"),
        )

    @admin.display(description=_("giờ"), ordering="start_time")
    def time_range(self, obj: Booking) -> str:
        return f"{obj.start_time:%H:%M}–{obj.end_time:%H:%M}"

    @admin.display(description=_("đơn vị"), ordering="organisation__name")
    def organisation_column(self, obj: Booking) -> str:
        return obj.organisation_display

    # Workflow actions ---------------------------------------------------------------

    def _each(self, request, queryset, step, done_message) -> None:
        done, failed = 0, []
        for booking in queryset.select_related("venue", "organisation", "programme"):
            try:
                step(booking)
            except ValidationError as error:
                failed.append(f"{booking.reference}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=_("Xác nhận các đăng ký đã chọn"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: services.booking_confirm(booking=booking),
            gettext("Đã xác nhận %(count)d đăng ký và gửi thư cho đơn vị."),
        )

    def _with_reason(self, request, queryset, form_class, action: str, title: str, step, done_message):
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                self._each(request, queryset, lambda booking: step(booking, reason), done_message)
                return None
        else:
            form = form_class()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "bookings": queryset.select_related("venue", "organisation"),
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/bookings/booking/reason_action.html", context)

    @admin.action(description=_("Từ chối các đăng ký đã chọn (ghi lý do)"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            RejectForm,
            "reject_selected",
            gettext("Từ chối đăng ký tham quan"),
            lambda booking, reason: services.booking_reject(booking=booking, reason=reason),
            gettext("Đã từ chối %(count)d đăng ký và báo cho đơn vị."),
        )

    @admin.action(description=_("Hủy các đăng ký đã chọn (ghi lý do)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            StaffCancelForm,
            "cancel_selected",
            gettext("Hủy đăng ký tham quan"),
            lambda booking, reason: services.booking_cancel(booking=booking, by_booker=False, reason=reason),
            gettext("Đã hủy %(count)d đăng ký và báo cho đơn vị."),
        )

    @admin.action(description=_("Đánh dấu đã tham quan"), permissions=["change"])
    def complete_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: services.booking_complete(booking=booking),
            gettext("Đã ghi nhận %(count)d buổi tham quan (số người thực tế lấy theo số đã đăng ký nếu chưa nhập)."),
        )

    @admin.action(description=_("Đánh dấu đoàn không đến"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: services.booking_mark_no_show(booking=booking),
            gettext("Đã ghi nhận %(count)d đoàn không đến."),
        )

    # Staff pages --------------------------------------------------------------------

    def get_urls(self):
        own = [
            path("lich/", self.admin_site.admin_view(self.calendar_view), name="bookings_booking_calendar"),
            path("thong-ke/", self.admin_site.admin_view(self.statistics_view), name="bookings_booking_statistics"),
            path("xuat/<str:fmt>/", self.admin_site.admin_view(self.export_view), name="bookings_booking_export"),
            path(
                "so-huong-dan/", self.admin_site.admin_view(self.guide_sheet_view), name="bookings_booking_guide_sheet"
            ),
            path(
                "<int:pk>/chuong-trinh/",
                self.admin_site.admin_view(self.running_order_view),
                name="bookings_booking_running_order",
            ),
            path(
                "<int:pk>/chuyen-khung-gio/",
                self.admin_site.admin_view(self.move_view),
                name="bookings_booking_move",
            ),
            path(
                "<int:pk>/to-chuong-trinh/",
                self.admin_site.admin_view(self.leaflet_view),
                name="bookings_booking_leaflet",
            ),
        ]
        return own + super().get_urls()

    def _require_view(self, request) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied

    def calendar_view(self, request):
        """A week or month of bookings of one venue."""
        self._require_view(request)
        venues = list(Venue.objects.order_by("ordering", "name"))
        venue = next((v for v in venues if str(v.pk) == request.GET.get("venue")), venues[0] if venues else None)
        mode = "week" if request.GET.get("view") == "week" else "month"
        try:
            anchor = datetime.date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            anchor = timezone.localdate()
        if mode == "week":
            start = anchor - datetime.timedelta(days=anchor.weekday())
            end = start + datetime.timedelta(days=6)
            previous, following = start - datetime.timedelta(days=7), start + datetime.timedelta(days=7)
            weeks = [[start + datetime.timedelta(days=i) for i in range(7)]]
        else:
            start = anchor.replace(day=1)
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
            previous = (start - datetime.timedelta(days=1)).replace(day=1)
            following = end + datetime.timedelta(days=1)
            weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(start.year, start.month)
        bookings = (
            Booking.objects.filter(venue=venue, date__gte=start, date__lte=end)
            .exclude(status__in=[Booking.Status.REJECTED, Booking.Status.CANCELLED])
            .select_related("organisation", "guide")
            .order_by("date", "start_time")
        )
        by_day: dict[datetime.date, list[Booking]] = {}
        for booking in bookings:
            by_day.setdefault(booking.date, []).append(booking)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Lịch tham quan"),
            "opts": self.model._meta,
            "venues": venues,
            "venue": venue,
            "mode": mode,
            "start": start,
            "end": end,
            "weeks": [[(day, by_day.get(day, []), start <= day <= end) for day in week] for week in weeks],
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/bookings/booking/calendar.html", context)

    def _printable(self, request, pk: int) -> dict:
        self._require_view(request)
        booking = Booking.objects.select_related("venue", "organisation", "programme", "guide").filter(pk=pk).first()
        if booking is None:
            raise Http404(gettext("Không có đăng ký tham quan này."))
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            **printable_programme(booking),
        }

    def running_order_view(self, request, pk: int):
        """The visit's running order on A4 for staff and officiants, new members' names included."""
        context = self._printable(request, pk)
        context["title"] = gettext("Chương trình buổi tham quan")
        return TemplateResponse(request, "admin/bookings/booking/running_order.html", context)

    def leaflet_view(self, request, pk: int):
        """A one-page programme for the participants: times and steps, no names of new members."""
        context = self._printable(request, pk)
        context["title"] = gettext("Tờ chương trình")
        return TemplateResponse(request, "admin/bookings/booking/leaflet.html", context)

    def guide_sheet_view(self, request):
        """Every visit of one day with its programme, for the guides."""
        self._require_view(request)
        try:
            day = datetime.date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            day = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Sổ hướng dẫn ngày %(date)s") % {"date": day.strftime("%d/%m/%Y")},
            "opts": self.model._meta,
            "day": day,
            "previous": day - datetime.timedelta(days=1),
            "following": day + datetime.timedelta(days=1),
            "visits": day_sheet(day),
        }
        return TemplateResponse(request, "admin/bookings/booking/guide_sheet.html", context)

    def statistics_view(self, request):
        """Held visits and visitors by month, occasion, organisation and venue, beside the previous
        year's; the page prints on A4 (its print stylesheet drops the admin's chrome)."""
        self._require_view(request)
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        venues = list(Venue.objects.order_by("ordering", "name"))
        venue = next((v for v in venues if str(v.pk) == request.GET.get("venue")), None)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Thống kê tham quan"),
            "opts": self.model._meta,
            "stats": compare_with_previous_year(year=year, venue_id=venue.pk if venue else None),
            "venues": venues,
            "venue": venue,
            "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 6, -1)),
        }
        return TemplateResponse(request, "admin/bookings/booking/statistics.html", context)

    def export_view(self, request, fmt: str):
        """The changelist, with its filters, as CSV or XLSX."""
        self._require_view(request)
        if fmt not in ("csv", "xlsx"):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        bookings = changelist.get_queryset(request).select_related("venue", "organisation", "programme", "guide")
        header = [str(label) for label, _getter in EXPORT_COLUMNS]
        # Units, contacts and notes are the public's text: none may reach the file as a formula.
        rows = (safe_row(getter(b) for _label, getter in EXPORT_COLUMNS) for b in bookings)
        stamp = timezone.localdate().strftime("%Y%m%d")
        if fmt == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="dang-ky-tham-quan-{stamp}.csv"'
            response.write("\ufeff")  # so spreadsheet programs read UTF-8
            writer = csv.writer(response)
            writer.writerow(header)
            writer.writerows(rows)
            return response
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(pgettext("records", "Đăng ký tham quan")[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="dang-ky-tham-quan-{stamp}.xlsx"'
        return response
