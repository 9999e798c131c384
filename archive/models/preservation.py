"""Preservation of the stored files: their checksums, their life as events (in the spirit of
PREMIS: what happened, when, by which agent, with what outcome) and the passes of the fixity audit."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredChecksum(models.Model):
    """The SHA-256 of a derivative (thumbnail, medium or large picture, a tile or ``info.json``),
    taken as it was written; the original's is ``MediaFile.sha256``, taken at upload."""

    media_file = models.ForeignKey(
        "archive.MediaFile", on_delete=models.CASCADE, related_name="checksums", verbose_name=_("tệp số hóa")
    )
    name = models.CharField(_("tên lưu trữ"), max_length=255, unique=True)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)

    class Meta:
        ordering = ["media_file", "name"]
        verbose_name = _("mã kiểm tra bản phái sinh")
        verbose_name_plural = _("mã kiểm tra bản phái sinh")

    def __str__(self) -> str:
        return self.name


class FixityRun(models.Model):
    """One pass of ``audit_fixity`` over every media file, in the order of their keys; ``cursor`` is
    the key of the last media file whose files were all checked, so an interrupted pass resumes."""

    started_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    cursor = models.PositiveBigIntegerField(_("đã kiểm tra đến tệp số hóa #"), default=0)
    media_checked = models.PositiveIntegerField(_("số tệp số hóa đã kiểm tra"), default=0)
    files_checked = models.PositiveIntegerField(_("số tệp lưu trữ đã đọc"), default=0)
    problems = models.PositiveIntegerField(_("số tệp thiếu hoặc bị thay đổi"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("lượt kiểm tra toàn vẹn")
        verbose_name_plural = _("lượt kiểm tra toàn vẹn")

    def __str__(self) -> str:
        return _("Kiểm tra toàn vẹn bắt đầu %(at)s") % {
            "at": timezone.localtime(self.started_at).strftime("%d/%m/%Y %H:%M")
        }


class PreservationEvent(models.Model):
    """Something that happened to a media file's stored files, with its time and agent."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận")
        DERIVATIVE = "derivative", _("Tạo bản phái sinh")
        CHECKED = "checked", _("Kiểm tra toàn vẹn")
        EXPORTED = "exported", _("Xuất gói chuyển giao")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Đạt")
        MISSING = "missing", _("Thiếu tệp")
        CHANGED = "changed", _("Tệp bị thay đổi")

    media_file = models.ForeignKey(
        "archive.MediaFile", on_delete=models.CASCADE, related_name="preservation_events", verbose_name=_("tệp số hóa")
    )
    kind = models.CharField(_("sự kiện"), max_length=12, choices=Kind.choices)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    file_name = models.CharField(_("tên lưu trữ"), max_length=255, blank=True)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64, blank=True)
    detail = models.TextField(_("chi tiết"), blank=True)
    agent = models.CharField(_("người hoặc chương trình thực hiện"), max_length=150)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    run = models.ForeignKey(
        FixityRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("lượt kiểm tra"),
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("sự kiện bảo quản")
        verbose_name_plural = _("sự kiện bảo quản")
        indexes = [models.Index(fields=["media_file", "at"], name="preservation_media_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.file_name or self.media_file_id}"
