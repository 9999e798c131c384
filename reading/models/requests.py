"""Reading and copy requests (Thông tư 05/2025/TT-BNV, Art. 32) and the log of their use."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def package_upload_to(instance: ReadingRequest, filename: str) -> str:
    """Packages are stored under a random name; they leave storage only through the checked view."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"reading/packages/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class ReadingRequestQuerySet(models.QuerySet):
    def reading_open(self, today: datetime.date | None = None) -> ReadingRequestQuerySet:
        """Approved reading requests whose end date has not passed on ``today``: the date alone
        closes them, with no job to run."""
        today = today or timezone.localdate()
        return self.filter(kind=ReadingRequest.Kind.READ, status=ReadingRequest.Status.APPROVED, until__gte=today)

    def copy_open(self, today: datetime.date | None = None) -> ReadingRequestQuerySet:
        today = today or timezone.localdate()
        return self.filter(kind=ReadingRequest.Kind.COPY, status=ReadingRequest.Status.APPROVED, until__gte=today)


class ReadingRequest(models.Model):
    """A signed-in person's request to read an item not public online, or for a copy of a public one.

    The Propaganda Board approves it with an end date or refuses it with a reason
    (``reading.services``). Approved, it is open until the end of its end date (Hà Nội's day); after
    that it is expired without anyone acting (``state``).
    """

    class Kind(models.TextChoices):
        READ = "read", _("Đọc tư liệu")
        COPY = "copy", _("Sao tư liệu (gói tải về)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REFUSED = "refused", pgettext_lazy("status", "Từ chối")

    class State(models.TextChoices):
        """What a request is on a given day: its status, with an approved one past its end date expired."""

        PENDING = "pending", _("Chờ duyệt")
        OPEN = "open", _("Đang được sử dụng")
        EXPIRED = "expired", _("Đã hết hạn")
        REFUSED = "refused", pgettext_lazy("status", "Từ chối")

    class Package(models.TextChoices):
        NONE = "", _("Không có")
        WAITING = "waiting", _("Chờ đóng gói")
        WORKING = "working", _("Đang đóng gói")
        READY = "ready", _("Sẵn sàng tải về")
        FAILED = "failed", _("Đóng gói lỗi")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reading_requests",
        verbose_name=_("người yêu cầu"),
        editable=False,
    )
    item = models.ForeignKey(
        "archive.Item",
        on_delete=models.PROTECT,
        related_name="reading_requests",
        verbose_name=_("tư liệu"),
        editable=False,
    )
    kind = models.CharField(_("loại yêu cầu"), max_length=8, choices=Kind.choices, editable=False)
    purpose = models.TextField(_("mục đích"), max_length=2000, editable=False)
    wanted_until = models.DateField(_("cần đến ngày"), null=True, blank=True, editable=False)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi", editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    until = models.DateField(_("sử dụng đến hết ngày"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
        editable=False,
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    package = models.FileField(_("gói bản sao"), upload_to=package_upload_to, blank=True, editable=False)
    package_status = models.CharField(
        _("trạng thái gói"), max_length=10, choices=Package.choices, default="", blank=True, editable=False
    )
    package_error = models.TextField(_("lỗi đóng gói"), blank=True, editable=False)

    objects = ReadingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu đọc, sao tư liệu")
        verbose_name_plural = _("yêu cầu đọc, sao tư liệu")
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_readingrequest", _("Có thể duyệt, từ chối yêu cầu đọc, sao tư liệu"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(until__isnull=False, decided_at__isnull=False),
                name="reading_request_approved_has_end_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | (~Q(refusal_reason="") & Q(decided_at__isnull=False)),
                name="reading_request_refused_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["requester", "status"], name="reading_request_owner_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.item.inventory_number}"

    def state(self, today: datetime.date | None = None) -> str:
        """The request's state on ``today`` (Hà Nội's date unless given)."""
        if self.status == self.Status.APPROVED:
            today = today or timezone.localdate()
            return self.State.OPEN if self.until and self.until >= today else self.State.EXPIRED
        return self.State(self.status)

    def get_state_display(self) -> str:
        return self.State(self.state()).label

    @property
    def is_open(self) -> bool:
        return self.state() == self.State.OPEN


class RequestUse(models.Model):
    """One use under a request: the reading page opened, a page image shown, the package downloaded."""

    class Action(models.TextChoices):
        OPEN = "open", _("Mở trang đọc")
        PAGE = "page", _("Xem trang")
        DOWNLOAD = "download", _("Tải gói bản sao")

    request = models.ForeignKey(
        ReadingRequest, on_delete=models.CASCADE, related_name="uses", verbose_name=_("yêu cầu"), editable=False
    )
    action = models.CharField(_("hành động"), max_length=10, choices=Action.choices, editable=False)
    media = models.ForeignKey(
        "archive.MediaFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tệp"),
        editable=False,
    )
    page = models.PositiveIntegerField(_("trang"), null=True, blank=True, editable=False)
    address = models.CharField(_("địa chỉ máy"), max_length=64, blank=True, editable=False)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt sử dụng")
        verbose_name_plural = _("nhật ký sử dụng")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.request_id}"
