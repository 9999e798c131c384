"""Staff pages of the upgrades: the dashboard, its XLSX export, a printable report, attachments.

Every view needs a staff login and the permission to view work items and budget lines: the
Office (full rights), the Propaganda Board and the leadership (view rights) all have it.
"""

from functools import wraps
from pathlib import PurePath

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from upgrades.dashboard import dashboard_figures
from upgrades.exports import dashboard_workbook
from upgrades.models import Expense, WorkItemAttachment

VIEW_PERMISSIONS = ("upgrades.view_workitem", "upgrades.view_budgetline", "upgrades.view_expense")


def staff_can_view(view):
    """A staff login (else the admin login page), then the view permissions (else 403)."""

    @wraps(view)
    @never_cache
    @staff_member_required
    @permission_required(VIEW_PERMISSIONS, raise_exception=True)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


def _context(request: HttpRequest, **extra) -> dict:
    return {**admin.site.each_context(request), **extra}


@staff_can_view
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = dashboard_figures()
    return render(
        request,
        "upgrades/dashboard.html",
        _context(request, title=_("Bảng theo dõi nâng cấp"), figures=figures, can_edit=_can_edit(request)),
    )


@staff_can_view
def report(request: HttpRequest) -> HttpResponse:
    figures = dashboard_figures()
    return render(request, "upgrades/report.html", {"figures": figures, "title": _("Báo cáo tiến độ nâng cấp")})


@staff_can_view
def export_xlsx(request: HttpRequest) -> HttpResponse:
    figures = dashboard_figures()
    content = dashboard_workbook(figures)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="nang-cap-{figures.on:%Y-%m-%d}.xlsx"'
    return response


def _can_edit(request: HttpRequest) -> bool:
    return request.user.has_perm("upgrades.change_workitem")


def _serve(file, download_name: str) -> HttpResponse:
    if not file:
        raise Http404
    storage = file.storage
    if isinstance(storage, FileSystemStorage):
        return FileResponse(file.open("rb"), as_attachment=True, filename=download_name)
    # Object storage: a short-lived signed address (see the S3 settings).
    return HttpResponseRedirect(storage.url(file.name))


@staff_can_view
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(WorkItemAttachment.objects.select_related("work_item"), pk=pk)
    suffix = PurePath(attachment.file.name).suffix
    name = f"{attachment.work_item.code}-{attachment.get_kind_display()}{suffix}"
    return _serve(attachment.file, name)


@staff_can_view
def expense_attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    expense = get_object_or_404(Expense, pk=pk)
    suffix = PurePath(expense.attachment.name).suffix if expense.attachment else ""
    return _serve(expense.attachment, f"hoa-don-{expense.invoice_number or expense.pk}{suffix}")
