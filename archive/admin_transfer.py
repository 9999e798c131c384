"""Admin of transfer packages: the action that requests one (on items, dossiers and periods), the
list of packages with their state, and the download, for staff who may see packages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.models import Dossier, Item, Period, TransferPackage
from archive.transfer import transfer_package_request


@admin.action(description=gettext_lazy("Xuất gói chuyển giao (BagIt)"))
def export_transfer_package(modeladmin, request, queryset) -> None:
    """One package of the chosen items, or one per chosen dossier or period, built in the background."""
    if not request.user.has_perm("archive.add_transferpackage"):
        modeladmin.message_user(request, _("Bạn không có quyền tạo gói chuyển giao."), messages.ERROR)
        return
    model = queryset.model
    if model is Item:
        items = list(queryset)
        requests = [(TransferPackage.Scope.ITEMS, _("%(count)d tư liệu chọn") % {"count": len(items)}, items)]
    elif model is Dossier:
        requests = [
            (TransferPackage.Scope.DOSSIER, _("Hồ sơ %(dossier)s") % {"dossier": dossier}, dossier.items.all())
            for dossier in queryset
        ]
    elif model is Period:
        requests = [
            (TransferPackage.Scope.PERIOD, _("Thời kỳ %(period)s") % {"period": period}, period.items.all())
            for period in queryset
        ]
    else:
        raise PermissionDenied
    empty = [label for _scope, label, items in requests if not list(items)]
    if empty:
        modeladmin.message_user(
            request,
            _("Không có tư liệu nào để đóng gói: %(labels)s. Chọn hồ sơ hoặc thời kỳ có tư liệu.")
            % {"labels": "; ".join(empty)},
            messages.ERROR,
        )
        return
    for scope, label, items in requests:
        transfer_package_request(scope=scope, label=label, items=items, user=request.user)
    link = reverse("admin:archive_transferpackage_changelist")
    modeladmin.message_user(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Đã đưa %(count)d gói chuyển giao vào hàng đợi đóng gói.") % {"count": len(requests)},
            link,
            _("Xem các gói"),
        ),
        messages.SUCCESS,
    )


@admin.register(TransferPackage)
class TransferPackageAdmin(admin.ModelAdmin):
    """Packages requested from the item, dossier and period lists; downloaded here once ready."""

    list_display = ["label", "scope", "status", "file_count", "size", "requested_by", "requested_at", "download"]
    list_filter = ["status", "scope"]
    readonly_fields = [
        "label",
        "scope",
        "status",
        "failure_reason",
        "file_count",
        "size",
        "sha256",
        "requested_by",
        "requested_at",
        "finished_at",
        "download",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("tải về"))
    def download(self, obj: TransferPackage) -> str:
        if obj.status != TransferPackage.Status.READY or not obj.file:
            return obj.failure_reason or "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:archive_transferpackage_download", args=[obj.pk]), _("Tải gói .zip")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="archive_transferpackage_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        package = get_object_or_404(TransferPackage, pk=pk)
        if not self.has_view_permission(request, package):
            raise PermissionDenied
        if package.status != TransferPackage.Status.READY or not package.file:
            raise Http404(_("Gói chuyển giao chưa sẵn sàng."))
        handle = package.file.storage.open(package.file.name, "rb")
        return FileResponse(handle, as_attachment=True, filename=f"goi-chuyen-giao-{package.pk}.zip")
