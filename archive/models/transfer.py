"""Transfer packages: items handed to another archive as a BagIt bag (RFC 8493), built in the
background queue and downloaded by staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TransferPackage(models.Model):
    """A BagIt bag of some items: each item's files, a Dublin Core record, a full JSON record and
    the SHA-256 of every file. ``items`` are fixed when it is requested."""

    class Scope(models.TextChoices):
        ITEMS = "items", _("Tư liệu chọn")
        DOSSIER = "dossier", pgettext_lazy("archival unit", "Hồ sơ")
        PERIOD = "period", _("Thời kỳ")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ đóng gói")
        WORKING = "working", _("Đang đóng gói")
        READY = "ready", _("Sẵn sàng tải về")
        FAILED = "failed", _("Đóng gói lỗi")

    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices)
    label = models.CharField(_("tên gói"), max_length=500)
    items = models.ManyToManyField("archive.Item", related_name="transfer_packages", verbose_name=_("tư liệu"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.WAITING)
    failure_reason = models.TextField(_("lý do lỗi"), blank=True)
    file = models.FileField(_("tệp gói"), upload_to="transfers/", max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("mã kiểm tra SHA-256 của tệp gói"), max_length=64, blank=True)
    file_count = models.PositiveIntegerField(_("số tệp số hóa"), default=0)
    finished_at = models.DateTimeField(_("đóng gói xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("gói chuyển giao (BagIt)")
        verbose_name_plural = _("gói chuyển giao (BagIt)")

    def __str__(self) -> str:
        return self.label
