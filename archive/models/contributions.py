"""Contributions (đóng góp tư liệu): documents and artifacts offered by committees and members."""

import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.references import readable_reference

MB = 1024 * 1024


@dataclass(frozen=True)
class ContributionLimits:
    """What the public contribution form takes, in one place: files per submission (the project's
    number), megabytes per submission and per day from everyone, submissions per visitor's address
    and window (the settings, which the environment sets). ``current()`` reads the settings at each
    call, so a changed setting holds at once; the form, the view and the service all ask it."""

    files: int
    submission_mb: int
    daily_mb: int
    submissions: int
    window_seconds: int

    FILES: ClassVar[int] = 5

    @classmethod
    def current(cls) -> "ContributionLimits":
        return cls(
            files=cls.FILES,
            submission_mb=settings.CONTRIBUTION_MAX_SUBMISSION_MB,
            daily_mb=settings.CONTRIBUTION_MAX_DAILY_MB,
            submissions=settings.CONTRIBUTION_RATE_LIMIT,
            window_seconds=settings.CONTRIBUTION_RATE_WINDOW_SECONDS,
        )

    @property
    def submission_bytes(self) -> int:
        return self.submission_mb * MB

    @property
    def daily_bytes(self) -> int:
        return self.daily_mb * MB


def contribution_reference() -> str:
    """A contribution's reference, such as `DG-4HX2PQ`."""
    return readable_reference("DG", 6)


def contribution_upload_to(instance: "ContributionFile", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"contributions/{uuid.uuid4().hex}{suffix}"


class Contribution(models.Model):
    """An offer of documents or artifacts, reviewed by the Propaganda Board."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        REVIEWING = "reviewing", _("Đang xem xét")
        ACCEPTED = "accepted", _("Đã nhận vào kho")
        DECLINED = "declined", _("Không tiếp nhận")

    reference = models.CharField(_("mã đóng góp"), max_length=12, unique=True, default=contribution_reference)
    contributor_name = models.CharField(_("họ và tên người đóng góp"), max_length=200)
    body = models.ForeignKey(
        "archive.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("tổ chức đảng"),
    )
    organisation = models.CharField(_("cơ quan, đơn vị (nếu không có trong danh sách)"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    description = models.TextField(_("mô tả tư liệu, hiện vật"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    decision_note = models.TextField(_("ghi chú xử lý"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ xử lý"),
    )
    consent = models.BooleanField(_("đồng ý xử lý dữ liệu cá nhân"), default=False)
    # What the person agreed to and when (Nghị định 13/2023/NĐ-CP), and when their data was erased.
    consent_text = models.TextField(_("nội dung đã đồng ý"), blank=True, editable=False)
    consent_at = models.DateTimeField(_("đồng ý lúc"), null=True, blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField(
        _("đã xóa dữ liệu cá nhân lúc"), null=True, blank=True, editable=False
    )
    received_at = models.DateTimeField(_("ngày tiếp nhận"), auto_now_add=True)
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("đóng góp tư liệu")
        verbose_name_plural = _("đóng góp tư liệu")

    def __str__(self) -> str:
        return f"{self.reference} – {self.contributor_name}"

    def clean(self) -> None:
        """A contribution names who offers it (a body or an organisation) and a way to reply to them."""
        errors = {}
        if not self.email.strip() and not self.phone.strip():
            errors["email"] = _("Liên hệ: hãy nhập thư điện tử hoặc số điện thoại để chúng tôi liên lạc lại.")
        if self.body_id is None and not self.organisation.strip():
            errors["body"] = _("Tổ chức đảng: hãy chọn trong danh sách hoặc gõ tên cơ quan, đơn vị.")
        if errors:
            raise ValidationError(errors)


class ContributionFile(models.Model):
    """A file sent with a contribution (a photo or scan of what is offered)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="files", verbose_name=_("đóng góp")
    )
    file = models.FileField(_("tệp"), upload_to=contribution_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    mime_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đóng góp")
        verbose_name_plural = _("tệp đóng góp")

    def __str__(self) -> str:
        return self.original_name
