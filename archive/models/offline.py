"""The step that makes an item classified: its files packed for the offline system, then removed."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def package_upload_to(instance: "OfflineTransfer", filename: str) -> str:
    return f"offline/{uuid.uuid4().hex}.zip"


class OfflineTransfer(models.Model):
    """A confirmed request to classify an item that holds files (Luật Bảo vệ bí mật nhà nước, Điều 5).

    A background job (``archive.tasks.run_offline_transfer``) packs the originals, the item's
    record and their SHA-256 into one ZIP for the offline system, then, in one transaction, removes
    the files and gives the item its confidentiality. The package stays only until staff confirm it
    has reached the offline system (``collected_at``), when it is deleted too.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ xử lý")
        READY = "ready", _("Đã xuất, chờ chuyển sang hệ thống ngoại tuyến")
        COLLECTED = "collected", _("Đã chuyển, gói đã xóa")
        FAILED = "failed", _("Lỗi")

    item = models.ForeignKey(
        "archive.Item", on_delete=models.PROTECT, related_name="offline_transfers", verbose_name=_("tư liệu")
    )
    confidentiality = models.CharField(_("độ mật"), max_length=12)
    secret_custody = models.CharField(_("nơi lưu giữ bản gốc (tư liệu mật)"), max_length=300)
    secret_access = models.TextField(_("người được tiếp cận (tư liệu mật)"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người thực hiện")
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.WAITING)
    failure_reason = models.TextField(_("lý do lỗi"), blank=True)
    package = models.FileField(_("gói tệp (ZIP)"), upload_to=package_upload_to, max_length=255, blank=True)
    package_sha256 = models.CharField(_("mã kiểm tra SHA-256 của gói"), max_length=64, blank=True)
    package_size = models.PositiveBigIntegerField(_("dung lượng gói (byte)"), default=0)
    file_count = models.PositiveIntegerField(_("số tệp đã xuất"), default=0)
    finished_at = models.DateTimeField(_("xuất xong lúc"), null=True, blank=True)
    collected_at = models.DateTimeField(_("xác nhận đã chuyển lúc"), null=True, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận đã chuyển"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("chuyển tư liệu sang mật")
        verbose_name_plural = _("chuyển tư liệu sang mật")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="waiting"),
                name="offlinetransfer_one_waiting_per_item",
                violation_error_message=_("Tư liệu này đang chờ xuất tệp; đợi lần xuất trước xong."),
            ),
            models.CheckConstraint(condition=~Q(confidentiality=""), name="offlinetransfer_has_level"),
        ]

    def __str__(self) -> str:
        return f"{self.item} – {self.get_status_display()}"
