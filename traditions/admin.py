"""The report to the Standing Committee in the admin: staff ask for one, a background job makes it,
the list shows its state and the finished .docx is downloaded through a checked view."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from archive.protected_media import serve_stored_file
from archive.usage import DayRange
from traditions.models import StandingReport
from traditions.tasks import standing_report_enqueue

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class StandingReportForm(forms.ModelForm):
    class Meta:
        model = StandingReport
        fields = (
            "span",
            "year",
            "quarter",
            "number",
            "place",
            "issued_on",
            "signature",
            "signer_position",
            "signer_name",
            "recipients",
            "assessment",
        )
        error_messages = {
            "year": {"invalid": gettext_lazy("Năm: hãy nhập năm bằng chữ số, ví dụ 2026.")},
            "number": {"invalid": gettext_lazy("Số: hãy nhập số của báo cáo bằng chữ số, ví dụ 12.")},
            "issued_on": {"invalid": gettext_lazy("Ngày ban hành: hãy nhập ngày dạng dd/mm/yyyy, ví dụ 03/12/2026.")},
        }


@admin.register(StandingReport)
class StandingReportAdmin(admin.ModelAdmin):
    form = StandingReportForm
    list_display = ("symbol_display", "period_display", "issued_on", "state", "download", "created_by", "created_at")
    list_filter = ("span", "year", "status")
    fields = (
        ("span", "year", "quarter"),
        ("number", "place", "issued_on"),
        ("signature", "signer_position", "signer_name"),
        "recipients",
        "assessment",
        "state",
        "download",
    )
    readonly_fields = ("state", "download")
    actions = ["make_again"]

    @admin.display(description=gettext_lazy("số, ký hiệu"), ordering="number")
    def symbol_display(self, report: StandingReport) -> str:
        return report.symbol

    @admin.display(description=gettext_lazy("kỳ báo cáo"))
    def period_display(self, report: StandingReport) -> str:
        return report.period_label

    @admin.display(description=gettext_lazy("trạng thái"))
    def state(self, report: StandingReport) -> str:
        if report.pk is None:
            return "—"
        if report.status == StandingReport.Status.FAILED:
            return format_html(
                '<span class="report-state failed">{}</span>: {}', report.get_status_display(), report.failure_reason
            )
        return format_html('<span class="report-state {}">{}</span>', report.status, report.get_status_display())

    @admin.display(description=gettext_lazy("tệp báo cáo"))
    def download(self, report: StandingReport) -> str:
        if report.pk is None or report.status != StandingReport.Status.READY or not report.file:
            return "—"
        url = reverse("admin:traditions_standingreport_download", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tải về (.docx)"))

    def get_changeform_initial_data(self, request) -> dict:
        today = timezone.localdate()
        previous = StandingReport.objects.filter(issued_on__year=today.year).aggregate(top=Max("number"))["top"]
        return {
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "number": (previous or 0) + 1,
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj: StandingReport, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        standing_report_enqueue(report=obj)
        self._tell_about_data(request, obj)

    def _tell_about_data(self, request, report: StandingReport) -> None:
        from traditions.standing_report import report_figures

        if not report_figures(DayRange(*report.days())).has_data:
            messages.warning(
                request,
                _(
                    "Kỳ báo cáo %(period)s chưa có số liệu về kho tư liệu, đóng góp, tham quan và khai thác trực "
                    "tuyến; báo cáo sẽ ghi rõ điều đó."
                )
                % {"period": report.period_label},
            )

    @admin.action(description=gettext_lazy("Lập lại các báo cáo đã chọn theo số liệu hiện nay"), permissions=["change"])
    def make_again(self, request, queryset) -> None:
        count = 0
        for report in queryset:
            standing_report_enqueue(report=report)
            count += 1
        messages.success(
            request,
            ngettext("Đã xếp %(count)d báo cáo vào hàng đợi.", "Đã xếp %(count)d báo cáo vào hàng đợi.", count)
            % {"count": count},
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/tai-ve/",
                self.admin_site.admin_view(self.download_view),
                name="traditions_standingreport_download",
            )
        ]
        return urls + super().get_urls()

    def download_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = get_object_or_404(StandingReport, pk=pk, status=StandingReport.Status.READY)
        filename = f"{report.number}-BC-BTG-{report.year}{'-Q' + str(report.quarter) if report.quarter else ''}.docx"
        return serve_stored_file(request, report.file, content_type=DOCX, filename=filename, download=True)
