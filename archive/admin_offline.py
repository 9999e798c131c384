"""Classified items in the admin: the confirmed step that exports an item's files for the offline
system and removes them (``archive.offline``), and the list of those exports with their packages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from archive.forms import OfflineTransferForm
from archive.models import OfflineTransfer
from archive.offline import offline_transfer_collect, offline_transfer_request
from archive.protected_media import serve_stored_file
from archive.secrecy import LAW


@admin.action(description=_("Chuyển sang mật: xuất tệp cho hệ thống ngoại tuyến và gỡ tệp"), permissions=["change"])
def classify_offline(modeladmin, request, queryset):
    """ItemAdmin's action: a confirmation page, then one queued export per selected item."""
    items = list(queryset.annotate(file_count=Count("media")).order_by("inventory_number"))
    form = OfflineTransferForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        done = 0
        for item in items:
            try:
                offline_transfer_request(
                    item=item,
                    user=request.user,
                    confidentiality=form.cleaned_data["confidentiality"],
                    secret_custody=form.cleaned_data["secret_custody"],
                    secret_access=form.cleaned_data["secret_access"],
                )
            except ValidationError as error:
                modeladmin.message_user(request, f"{item.inventory_number}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext(
                    "Đã đưa %(count)d tư liệu vào hàng đợi xuất tệp; theo dõi tại mục “Chuyển tư liệu sang mật”.",
                    "Đã đưa %(count)d tư liệu vào hàng đợi xuất tệp; theo dõi tại mục “Chuyển tư liệu sang mật”.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Chuyển tư liệu sang mật"),
        "opts": modeladmin.opts,
        "form": form,
        "items": items,
        "law": LAW,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/archive/item/offline_transfer.html", context)


@admin.register(OfflineTransfer)
class OfflineTransferAdmin(SimpleHistoryAdmin):
    """Each export: who asked and when, its state, the package to take to the offline system."""

    list_display = ["item", "confidentiality", "status", "file_count", "requested_by", "requested_at", "download"]
    list_filter = ["status"]
    list_select_related = ["item", "requested_by"]
    search_fields = ["item__inventory_number", "item__title"]
    fields = [
        "item",
        "confidentiality",
        "secret_custody",
        "secret_access",
        "status",
        "failure_reason",
        "requested_by",
        "requested_at",
        "file_count",
        "package_size",
        "package_sha256",
        "download",
        "finished_at",
        "collected_by",
        "collected_at",
    ]
    readonly_fields = fields
    actions = ["confirm_collected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        own = [
            path(
                "<int:pk>/package/",
                self.admin_site.admin_view(self.package_view),
                name="archive_offlinetransfer_package",
            )
        ]
        return own + super().get_urls()

    @admin.display(description=_("gói tệp"))
    def download(self, obj: OfflineTransfer) -> str:
        if obj.status != OfflineTransfer.Status.READY or not obj.package:
            return "—"
        url = reverse("admin:archive_offlinetransfer_package", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tải gói ZIP"))

    def package_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = get_object_or_404(OfflineTransfer, pk=pk)
        if not self.has_change_permission(request, transfer):
            raise PermissionDenied
        if transfer.status != OfflineTransfer.Status.READY:
            raise PermissionDenied
        filename = f"{transfer.item.inventory_number}-ngoai-tuyen.zip"
        return serve_stored_file(
            request, transfer.package, content_type="application/zip", filename=filename, download=True
        )

    @admin.action(description=_("Xác nhận đã chuyển sang hệ thống ngoại tuyến (xóa gói)"), permissions=["change"])
    def confirm_collected(self, request, queryset):
        done = 0
        for transfer in queryset:
            try:
                offline_transfer_collect(transfer=transfer, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{transfer.item}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("Đã xóa %(count)d gói tệp sau khi chuyển.") % {"count": done}, messages.SUCCESS
            )
