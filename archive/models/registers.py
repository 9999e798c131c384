"""Registers the catalogue refers to: historical periods, the two venues, party bodies."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DatePrecision(models.TextChoices):
    DAY = "day", _("ngày")
    MONTH = "month", _("tháng")
    YEAR = "year", _("năm")
    DECADE = "decade", _("thập niên")


class TranslatedNameMixin:
    """Registers keep an optional English name and summary for the English site."""

    @property
    def display_name(self) -> str:
        if get_language() == "en" and getattr(self, "name_en", ""):
            return self.name_en
        return self.name

    @property
    def display_summary(self) -> str:
        if get_language() == "en" and getattr(self, "summary_en", ""):
            return self.summary_en
        return getattr(self, "summary", "")


class Period(TranslatedNameMixin, models.Model):
    """A historical period of the Bloc's party organisation; one or more spans of years."""

    code = models.SlugField(_("mã"), max_length=20, unique=True, help_text=_("Dùng khi nhập, xuất dữ liệu, ví dụ TK1."))
    number = models.PositiveSmallIntegerField(_("thứ tự"), unique=True)
    name = models.CharField(_("tên thời kỳ"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    summary_en = models.TextField(_("tóm tắt tiếng Anh"), blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("thời kỳ")
        verbose_name_plural = _("thời kỳ")

    def __str__(self) -> str:
        return f"{self.span_label()}: {self.name}" if self.pk else self.name

    def span_label(self) -> str:
        """The spans as people write them: "1962–1964, 1978–1982", "2007–nay"."""
        return ", ".join(span.label() for span in self.spans.all())

    def contains_year(self, year: int) -> bool:
        return any(span.contains_year(year) for span in self.spans.all())


class PeriodSpan(models.Model):
    """One continuous span of years of a period; an open end means until now."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="spans", verbose_name=_("thời kỳ"))
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True, help_text=_("Để trống: đến nay."))

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("khoảng năm")
        verbose_name_plural = _("khoảng năm")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="periodspan_end_after_start",
                violation_error_message=_("Năm kết thúc phải bằng hoặc sau năm bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        end = str(self.end_year) if self.end_year else _("nay")
        return f"{self.start_year}–{end}"

    def contains_year(self, year: int) -> bool:
        end = self.end_year or datetime.date.today().year
        return self.start_year <= year <= end


class Venue(TranslatedNameMixin, models.Model):
    """Where holdings are kept and visits go: the Tradition Room and the Tradition House."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    summary = models.TextField(_("giới thiệu"), blank=True)
    summary_en = models.TextField(_("giới thiệu tiếng Anh"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("địa điểm")
        verbose_name_plural = _("địa điểm")

    def __str__(self) -> str:
        return self.name


class Body(TranslatedNameMixin, models.Model):
    """A party organisation or agency: the Bloc's predecessors, bloc committees, subordinate committees."""

    class Kind(models.TextChoices):
        BLOC = "bloc", _("Đảng bộ Khối")
        BLOC_COMMITTEE = "bloc_committee", _("Đảng ủy khối Trung ương")
        PREDECESSOR = "predecessor", _("Tổ chức tiền thân")
        SUBORDINATE = "subordinate", _("Đảng ủy trực thuộc")
        BOARD = "board", _("Ban, đơn vị của Đảng ủy Khối")
        AGENCY = "agency", _("Cơ quan khác")

    name = models.CharField(_("tên"), max_length=255, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=50, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.SUBORDINATE)
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies", verbose_name=_("thời kỳ")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("trực thuộc")
    )
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("tiền thân")
    )
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    founded_precision = models.CharField(
        _("độ chính xác ngày thành lập"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    founded_circa = models.BooleanField(_("thành lập khoảng"), default=False)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    dissolved_precision = models.CharField(
        _("độ chính xác ngày giải thể"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    dissolved_circa = models.BooleanField(_("giải thể khoảng"), default=False)
    summary = models.TextField(_("giới thiệu"), blank=True)
    summary_en = models.TextField(_("giới thiệu tiếng Anh"), blank=True)
    is_sample = models.BooleanField(
        _("dữ liệu mẫu"), default=False, help_text=_("Đánh dấu dữ liệu minh họa chưa được kiểm chứng.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tổ chức đảng, cơ quan")
        verbose_name_plural = _("tổ chức đảng, cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="body_dissolved_after_founded",
                violation_error_message=_("Ngày giải thể phải sau ngày thành lập."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
