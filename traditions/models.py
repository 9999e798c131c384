"""The report to the Standing Committee (báo cáo gửi Ban Thường vụ): one row per report asked for,
with the state of its background job and, once made, its .docx file."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_RECIPIENTS = "\n".join(
    [
        "- Thường trực Đảng ủy Khối (để báo cáo),",
        "- Các đồng chí Ủy viên Ban Thường vụ Đảng ủy Khối,",
        "- Văn phòng Đảng ủy Khối,",
        "- Lưu Ban Tuyên giáo.",
    ]
)
QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


def report_upload_to(instance: "StandingReport", filename: str) -> str:
    return f"reports/{uuid.uuid4().hex}.docx"


class StandingReport(models.Model):
    """A report of the Board to the Standing Committee for a quarter or a year, made as .docx in the
    background (traditions.tasks) from the same figures the dashboards show."""

    class Span(models.TextChoices):
        QUARTER = "quarter", _("Quý")
        YEAR = "year", _("Năm")

    class Signature(models.TextChoices):
        HEAD = "head", _("Trưởng Ban ký")
        DEPUTY = "deputy", _("Phó Trưởng Ban ký thay (K/T TRƯỞNG BAN)")
        STANDING = "standing", _("Thay mặt Ban Thường vụ (T/M BAN THƯỜNG VỤ)")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        WORKING = "working", _("Đang lập")
        READY = "ready", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    span = models.CharField(_("kỳ báo cáo"), max_length=8, choices=Span.choices, default=Span.QUARTER)
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"),
        null=True,
        blank=True,
        choices=[(1, _("Quý I")), (2, _("Quý II")), (3, _("Quý III")), (4, _("Quý IV"))],
    )
    number = models.PositiveIntegerField(_("số"), help_text=_("Số của báo cáo; ký hiệu là “-BC/BTG”."))
    place = models.CharField(_("địa danh"), max_length=60, default="Hà Nội")
    issued_on = models.DateField(_("ngày ban hành"), default=timezone.localdate)
    signature = models.CharField(_("thẩm quyền ký"), max_length=10, choices=Signature.choices, default=Signature.HEAD)
    signer_position = models.CharField(
        _("chức vụ người ký"),
        max_length=60,
        blank=True,
        help_text=_("Khi thay mặt Ban Thường vụ, ví dụ “Phó Bí thư”; bỏ trống với chữ ký của Ban."),
    )
    signer_name = models.CharField(_("họ và tên người ký"), max_length=120)
    recipients = models.TextField(_("nơi nhận"), default=DEFAULT_RECIPIENTS, help_text=_("Mỗi dòng một nơi nhận."))
    assessment = models.TextField(
        _("nhận xét, kiến nghị"), blank=True, help_text=_("Phần đánh giá và kiến nghị của Ban; để trống nếu không có.")
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.WAITING)
    failure_reason = models.TextField(_("lý do lỗi"), blank=True)
    file = models.FileField(_("tệp báo cáo"), upload_to=report_upload_to, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập"),
    )
    created_at = models.DateTimeField(_("ngày yêu cầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ngày lập xong"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("báo cáo gửi Ban Thường vụ")
        verbose_name_plural = _("báo cáo gửi Ban Thường vụ")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(span="quarter", quarter__gte=1, quarter__lte=4) | models.Q(span="year", quarter=None)
                ),
                name="standingreport_quarter_fits_span",
            )
        ]

    def __str__(self) -> str:
        return f"{self.symbol} – {self.period_label}"

    @property
    def symbol(self) -> str:
        return f"{self.number}-BC/BTG"

    @property
    def period_label(self) -> str:
        if self.span == self.Span.QUARTER and self.quarter:
            return _("quý %(quarter)s năm %(year)s") % {"quarter": QUARTER_NAMES[self.quarter], "year": self.year}
        return _("năm %(year)s") % {"year": self.year}

    def days(self) -> tuple[datetime.date, datetime.date]:
        """The first and the last day the report covers."""
        if self.span == self.Span.QUARTER and self.quarter:
            first = datetime.date(self.year, 3 * (self.quarter - 1) + 1, 1)
            following = datetime.date(self.year + (self.quarter == 4), (3 * self.quarter) % 12 + 1, 1)
            return first, following - datetime.timedelta(days=1)
        return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)

    def clean(self) -> None:
        errors = {}
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = _("Năm: hãy nhập một năm từ 2000 đến 2100.")
        if self.span == self.Span.QUARTER and not self.quarter:
            errors["quarter"] = _("Quý: báo cáo quý cần chọn quý I, II, III hoặc IV.")
        if self.span == self.Span.YEAR:
            self.quarter = None
        if not errors and self.year is not None:
            start, _end = self.days()
            if start > timezone.localdate():
                errors["year"] = _(
                    "Năm: kỳ báo cáo %(period)s chưa bắt đầu; hãy chọn một kỳ đã qua hoặc đang diễn ra."
                ) % {"period": self.period_label}
            elif self.issued_on and self.issued_on < start:
                errors["issued_on"] = _("Ngày ban hành: báo cáo không thể ban hành trước ngày đầu kỳ (%(day)s).") % {
                    "day": start.strftime("%d/%m/%Y")
                }
        if self.signature == self.Signature.STANDING and not self.signer_position.strip():
            errors["signer_position"] = _(
                "Chức vụ người ký: khi thay mặt Ban Thường vụ, hãy ghi chức vụ của người ký (ví dụ Phó Bí thư)."
            )
        if self.number and self.issued_on:
            same = StandingReport.objects.filter(number=self.number, issued_on__year=self.issued_on.year)
            if same.exclude(pk=self.pk).exists():
                errors["number"] = _("Số: năm %(year)s đã có báo cáo số %(symbol)s; hãy chọn số khác.") % {
                    "year": self.issued_on.year,
                    "symbol": self.symbol,
                }
        if errors:
            raise ValidationError(errors)
