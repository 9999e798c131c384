"""Batch ingest (nhập lô): a ZIP of scans with a spreadsheet, the files it names and their states."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def batch_archive_upload_to(instance: "IngestBatch", filename: str) -> str:
    """The stored ZIP has a random name; staff see the name it was uploaded under."""
    return f"batches/{uuid.uuid4().hex}.zip"


def batch_sheet_upload_to(instance: "IngestBatch", filename: str) -> str:
    suffix = ".xlsx" if str(filename).lower().endswith(".xlsx") else ".csv"
    return f"batches/{uuid.uuid4().hex}{suffix}"


class IngestBatch(models.Model):
    """One batch: the spreadsheet of items and the ZIP of their files, from preview to unpacked.

    A batch is stored when its preview shows nothing wrong; confirming it imports the items (all or
    nothing) and queues the job that unpacks the ZIP member by member into media files. The ZIP is
    removed once every file it held has been unpacked or has failed: the media files keep the
    originals.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Đang xem trước")
        WAITING = "waiting", _("Chờ giải nén")
        WORKING = "working", _("Đang giải nén")
        DONE = "done", _("Đã giải nén xong")
        FAILED = "failed", _("Giải nén lỗi")

    archive = models.FileField(_("tệp ZIP"), upload_to=batch_archive_upload_to, max_length=255, blank=True)
    archive_name = models.CharField(_("tên tệp ZIP"), max_length=255)
    archive_size = models.PositiveBigIntegerField(_("dung lượng tệp ZIP (byte)"), default=0)
    sheet = models.FileField(_("bảng tính"), upload_to=batch_sheet_upload_to, max_length=255)
    sheet_name = models.CharField(_("tên bảng tính"), max_length=255)
    #: The ZIP's members as the preview read them from its central directory: name -> size.
    members = models.JSONField(_("danh sách tệp trong ZIP"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    failure_reason = models.TextField(_("lý do lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("lúc xác nhận nhập"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lô nhập tệp số hóa")
        verbose_name_plural = _("lô nhập tệp số hóa")

    def __str__(self) -> str:
        return f"{self.archive_name} ({self.created_at:%d/%m/%Y %H:%M})" if self.created_at else self.archive_name


class IngestFile(models.Model):
    """One file of a batch named by a spreadsheet row: the ZIP member, its item, then its media file.

    Until the job has stored it, its own ``status`` tells (waiting, working, failed with a reason);
    once stored, the media file's processing state does.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ xử lý")
        WORKING = "working", _("Đang xử lý")
        STORED = "stored", _("Đã lưu")
        FAILED = "failed", _("Xử lý lỗi")

    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="files", verbose_name=_("lô nhập"))
    item = models.ForeignKey("archive.Item", on_delete=models.CASCADE, related_name="+", verbose_name=_("tư liệu"))
    row = models.PositiveIntegerField(_("dòng bảng tính"))
    member = models.CharField(_("tệp trong ZIP"), max_length=1000)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.WAITING)
    failure_reason = models.TextField(_("lý do lỗi"), blank=True)
    media_file = models.OneToOneField(
        "archive.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tệp số hóa"),
    )

    class Meta:
        ordering = ["batch", "position", "pk"]
        verbose_name = _("tệp của lô nhập")
        verbose_name_plural = _("tệp của lô nhập")

    def __str__(self) -> str:
        return self.member

    @property
    def state(self) -> str:
        """What the report shows: waiting, working, ready or failed (a MediaFile.Status value)."""
        from archive.models.media import MediaFile

        if self.status == self.Status.FAILED:
            return MediaFile.Status.FAILED
        if self.media_file_id is None:
            if self.status == self.Status.STORED:  # stored, then its media file was deleted
                return MediaFile.Status.FAILED
            return MediaFile.Status.WORKING if self.status == self.Status.WORKING else MediaFile.Status.WAITING
        return self.media_file.status

    @property
    def state_label(self) -> str:
        from archive.models.media import MediaFile

        return MediaFile.Status(self.state).label

    @property
    def reason(self) -> str:
        if self.status == self.Status.FAILED:
            return self.failure_reason
        if self.media_file_id is None:
            return _("Tệp số hóa này đã bị xóa khỏi tư liệu sau khi nhập.") if self.status == self.Status.STORED else ""
        return self.media_file.failure_reason
