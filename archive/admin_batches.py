"""Batch ingest in the admin: the upload and its preview, the confirmation, the report of each file.

Pages of the item admin (``get_urls``): staff who may add items and media files upload a batch,
look at its preview and confirm it; anyone who may view items follows a confirmed batch's report.
The work is ``archive.batches``'s, the unpacking and processing the background queue's.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from archive import batches, import_workbook
from archive.forms import BatchIngestForm
from archive.models import IngestBatch, MediaFile

INGEST_PERMISSIONS = ("archive.add_item", "archive.add_mediafile")
#: Seconds between reloads of a report whose files are still waiting or being worked on.
REPORT_REFRESH_SECONDS = 5


class BatchIngestAdminMixin:
    """The item admin's batch pages."""

    def get_urls(self):
        own = [
            path("nhap-lo/", self.admin_site.admin_view(self.batch_ingest_view), name="archive_item_batch_ingest"),
            path(
                "nhap-lo/mau/<str:fmt>/",
                self.admin_site.admin_view(self.batch_template_view),
                name="archive_item_batch_template",
            ),
            path(
                "nhap-lo/<int:pk>/",
                self.admin_site.admin_view(self.batch_report_view),
                name="archive_item_batch_report",
            ),
        ]
        return own + super().get_urls()

    def has_batch_ingest_permission(self, request) -> bool:
        return request.user.has_perms(INGEST_PERMISSIONS)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "batch_ingest_allowed": self.has_batch_ingest_permission(request)}
        return super().changelist_view(request, extra_context)

    def _batch_context(self, request, title: str, **context) -> dict:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **context}

    @staticmethod
    def _limits() -> dict:
        return {
            "archive": filesizeformat(batches.MAX_ARCHIVE_BYTES),
            "member": filesizeformat(batches.MAX_MEMBER_BYTES),
            "total": filesizeformat(batches.MAX_TOTAL_BYTES),
            "count": batches.MAX_MEMBERS,
        }

    def batch_template_view(self, request, fmt: str):
        """The item import's template with the "Tệp số hóa" column and an example row."""
        if not self.has_batch_ingest_permission(request):
            raise PermissionDenied
        dataset = batches.template_dataset()
        if fmt == "xlsx":
            response = HttpResponse(
                import_workbook.build(
                    batches.BatchItemResource,
                    dataset,
                    extra_columns={
                        batches.FILES_COLUMN: gettext("Tên tệp trong ZIP; nhiều tệp cách nhau bằng dấu “;”.")
                    },
                ),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = 'attachment; filename="mau-nhap-lo.xlsx"'
            return response
        if fmt != "csv":
            raise Http404
        response = HttpResponse(("\ufeff" + dataset.export("csv")).encode(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="mau-nhap-lo.csv"'
        return response

    def batch_ingest_view(self, request):
        """Upload a batch, see its preview, confirm or discard it."""
        if not self.has_batch_ingest_permission(request):
            raise PermissionDenied
        title = gettext("Nhập lô tệp số hóa")
        if request.method == "POST" and ("confirm" in request.POST or "discard" in request.POST):
            batch = get_object_or_404(
                IngestBatch, pk=request.POST.get("batch"), status=IngestBatch.Status.PREVIEW, created_by=request.user
            )
            if "discard" in request.POST:
                batches.ingest_batch_discard(batch=batch)
                discarded = gettext("Đã hủy lô “%(name)s”; không có gì được nhập.")
                messages.info(request, discarded % {"name": batch.archive_name})
                return HttpResponseRedirect(reverse("admin:archive_item_batch_ingest"))
            try:
                batch = batches.ingest_batch_confirm(batch=batch, user=request.user)
            except batches.BatchRefused as refused:
                context = self._batch_context(
                    request, title, form=BatchIngestForm(), preview=refused.preview, batch=batch, limits=self._limits()
                )
                return TemplateResponse(request, "admin/archive/item/batch_ingest.html", context)
            messages.success(
                request,
                gettext("Đã nhập thông tin tư liệu của lô “%(name)s”; các tệp đang được giải nén và xử lý.")
                % {"name": batch.archive_name},
            )
            return HttpResponseRedirect(reverse("admin:archive_item_batch_report", args=[batch.pk]))
        form = BatchIngestForm(request.POST or None, request.FILES or None)
        preview = batch = None
        if request.method == "POST" and form.is_valid():
            files = form.cleaned_data["files"]
            archive = batches.pack_files(files) if files else form.cleaned_data["archive"]
            try:
                batch, preview = batches.ingest_batch_prepare(
                    sheet=form.cleaned_data["sheet"], archive=archive, user=request.user
                )
            except batches.BatchRefused as refused:
                preview = refused.preview
            except ValidationError as error:
                form.add_error("sheet", error)
            finally:
                if files:
                    archive.close()
        limits = self._limits()
        recent = IngestBatch.objects.exclude(status=IngestBatch.Status.PREVIEW).select_related("created_by")[:20]
        context = self._batch_context(
            request, title, form=form, preview=preview, batch=batch, recent=recent, limits=limits
        )
        return TemplateResponse(request, "admin/archive/item/batch_ingest.html", context)

    def batch_report_view(self, request, pk: int):
        """Each file of a confirmed batch and its state; reloads itself until none is pending."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = IngestBatch.objects.exclude(status=IngestBatch.Status.PREVIEW).filter(pk=pk).first()
        if batch is None:
            raise Http404(gettext("Không có lô nhập này."))
        files = list(batch.files.select_related("item", "media_file"))
        counts = batches.batch_summary(files)
        pending = counts[MediaFile.Status.WAITING] + counts[MediaFile.Status.WORKING]
        context = self._batch_context(
            request,
            gettext("Kết quả nhập lô “%(name)s”") % {"name": batch.archive_name},
            batch=batch,
            files=files,
            counts=counts,
            summary=batches.batch_summary_text(counts),
            refresh=REPORT_REFRESH_SECONDS if pending else None,
            states=MediaFile.Status,
        )
        return TemplateResponse(request, "admin/archive/item/batch_report.html", context)
