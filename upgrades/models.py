"""Upgrade work on the Tradition Room and the Tradition House: work items, budget lines, expenses."""

import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from upgrades.fields import MONEY_HELP, DongField

DUE_SOON_DAYS = 14
ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "webp", "docx", "xlsx"]
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def today() -> datetime.date:
    """Today in the project's time zone; tests monkeypatch `django.utils.timezone.localdate`."""
    return timezone.localdate()


def validate_attachment_size(file) -> None:
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("Tệp đính kèm quá lớn: tối đa 20 MB."), code="too_large")


def validate_attachment_content(file) -> None:
    """The archive's inspection of uploads (archive.media.inspect_upload), as for the collection's
    own files: the magic bytes, Pillow's full decode of an image, every object of a PDF, HTML or
    script hidden in an image; and the bytes must be what the extension says (a renamed executable
    is not a PDF). A file already refused for its size is not read."""
    from archive.media import OFFICE, Kind, inspect_upload, name_fits_type

    if file.size > ATTACHMENT_MAX_BYTES:
        return  # validate_attachment_size names it
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        inspection = inspect_upload(file, allowed_kinds=(Kind.IMAGE, Kind.PDF, OFFICE), field_label=_("Tệp đính kèm"))
    finally:
        file.seek(position)
    extension = PurePath(file.name).suffix.lower().lstrip(".")
    if not name_fits_type(file.name, inspection.extension):
        raise ValidationError(
            _("Nội dung tệp không khớp với đuôi .%(ext)s: hãy tải lên đúng tệp PDF, ảnh, DOCX hoặc XLSX."),
            code="bad_content",
            params={"ext": extension},
        )


def attachment_path(instance, filename: str) -> str:
    # A random folder: the name of a contract or an invoice scan is not guessable.
    suffix = PurePath(filename).suffix.lower()
    return f"upgrades/{uuid.uuid4().hex}{suffix}"


class Category(models.TextChoices):
    DESIGN_BUILD = "design_build", _("Thiết kế và thi công")
    FURNITURE = "furniture", _("Trang thiết bị: bàn ghế, tủ, kệ, khung, giá")
    ELECTRONICS = "electronics", _("Thiết bị điện tử và công nghệ thông tin")
    LIGHTING_SOUND = "lighting_sound", _("Chiếu sáng và âm thanh")
    DIGITISATION = "digitisation", _("Số hóa và cơ sở dữ liệu")
    CONTENT = "content", _("Nội dung và phim tư liệu")
    MAINTENANCE = "maintenance", _("Bảo trì, sửa chữa")
    PLANNING = "planning", _("Kế hoạch, dự toán kinh phí")


class ResponsibleUnit(models.TextChoices):
    PROPAGANDA_BOARD = "propaganda", _("Ban Tuyên giáo")
    OFFICE = "office", _("Văn phòng")
    BOTH = "both", _("Ban Tuyên giáo và Văn phòng")


class Status(models.TextChoices):
    PLANNED = "planned", _("Kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    PAUSED = "paused", _("Tạm dừng")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


class Priority(models.IntegerChoices):
    HIGH = 1, _("Cao")
    NORMAL = 2, _("Trung bình")
    LOW = 3, _("Thấp")


CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)


def _line_sum(field: str, item_ref: str):
    """A correlated subquery: the sum of a budget-line field over an item and its phases."""
    lines = (
        BudgetLine.objects.filter(Q(work_item=OuterRef(item_ref)) | Q(work_item__parent=OuterRef(item_ref)))
        .order_by()
        .values(dummy=Value(1))
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=models.BigIntegerField()), Value(0))


def _expense_sum(item_ref: str):
    expenses = (
        Expense.objects.filter(
            Q(budget_line__work_item=OuterRef(item_ref)) | Q(budget_line__work_item__parent=OuterRef(item_ref))
        )
        .order_by()
        .values(dummy=Value(1))
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(expenses, output_field=models.BigIntegerField()), Value(0))


def overdue_condition(on: datetime.date) -> models.Q:
    """Late on `on`: the deadline has passed and the work is neither done nor cancelled (cancelled work
    is not late). The one rule the dashboard's headline, its tables, the lists and the emails count by."""
    return ~models.Q(status__in=CLOSED_STATUSES) & models.Q(deadline__lt=on)


class WorkItemQuerySet(models.QuerySet):
    def open(self):
        """Neither done nor cancelled."""
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, on: datetime.date | None = None):
        """The deadline has passed and the work is not done (cancelled work is not late)."""
        return self.filter(overdue_condition(on or today()))

    def due_soon(self, on: datetime.date | None = None, days: int = DUE_SOON_DAYS):
        """Open work whose deadline falls from today to `days` days ahead."""
        on = on or today()
        return self.open().filter(deadline__gte=on, deadline__lte=on + datetime.timedelta(days=days))

    def leaves(self):
        """Items without phases of their own: the ones whose progress is measured."""
        return self.exclude(Exists(WorkItem.objects.filter(parent=OuterRef("pk"))))

    def with_totals(self):
        """Annotate estimated, approved and spent totals in đồng, phases included, in one query."""
        return self.annotate(
            estimated_total=_line_sum("estimated_amount", "pk"),
            approved_total=_line_sum("approved_amount", "pk"),
            spent_total=_expense_sum("pk"),
        )

    def overspent(self):
        """Items (phases included) whose spending exceeds the approved amount."""
        return self.with_totals().filter(spent_total__gt=F("approved_total"))


class WorkItem(models.Model):
    """One piece of upgrade work on a venue (or on both), with its dates, owner and progress."""

    code = models.SlugField(
        _("mã hạng mục"), max_length=30, unique=True, help_text=_("Dùng trong tệp dự toán, ví dụ PTT-01.")
    )
    venue = models.ForeignKey(
        "archive.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("địa điểm"),
        help_text=_("Để trống khi hạng mục phục vụ chung cả Phòng và Nhà Truyền thống."),
    )
    category = models.CharField(_("nhóm hạng mục"), max_length=20, choices=Category.choices)
    title = models.CharField(_("tên hạng mục"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    responsible_unit = models.CharField(_("đơn vị chủ trì"), max_length=12, choices=ResponsibleUnit.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="upgrade_work_items",
        verbose_name=_("người phụ trách"),
        limit_choices_to={"is_staff": True},
    )
    planned_start = models.DateField(_("ngày bắt đầu dự kiến"))
    deadline = models.DateField(_("hạn hoàn thành"))
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    priority = models.PositiveSmallIntegerField(_("mức ưu tiên"), choices=Priority.choices, default=Priority.NORMAL)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="phases",
        verbose_name=_("thuộc hạng mục"),
        help_text=_("Hạng mục lớn mà hạng mục này là một phần (giai đoạn, hạng mục con)."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = WorkItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [F("venue__ordering").asc(nulls_last=True), "code"]
        verbose_name = _("hạng mục nâng cấp")
        verbose_name_plural = _("hạng mục nâng cấp")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("planned_start")),
                name="workitem_deadline_not_before_start",
                violation_error_message=_("Hạn hoàn thành không được trước ngày bắt đầu dự kiến."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="workitem_progress_0_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100%."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="workitem_done_has_completion_date",
                violation_error_message=_("Hạng mục hoàn thành phải có ngày hoàn thành."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="workitem_not_own_parent",
                violation_error_message=_("Hạng mục không thể thuộc chính nó."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def save(self, *args, **kwargs):
        # Finished work is complete by definition.
        if self.status == Status.DONE:
            self.progress = 100
        super().save(*args, **kwargs)

    save.alters_data = True

    def get_absolute_url(self) -> str:
        return reverse("admin:upgrades_workitem_change", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.planned_start and self.deadline and self.deadline < self.planned_start:
            errors.setdefault("deadline", []).append(
                _("Hạn hoàn thành (%(deadline)s) không được trước ngày bắt đầu dự kiến (%(start)s).")
                % {"deadline": self.deadline.strftime("%d/%m/%Y"), "start": self.planned_start.strftime("%d/%m/%Y")}
            )
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors.setdefault("progress", []).append(_("Tiến độ phải từ 0 đến 100%."))
        if self.status == Status.DONE:
            if not self.completed_on:
                errors.setdefault("completed_on", []).append(
                    _("Hạng mục hoàn thành phải có ngày hoàn thành: hãy nhập ngày hoàn thành.")
                )
            elif self.planned_start and self.completed_on < self.planned_start:
                errors.setdefault("completed_on", []).append(
                    _("Ngày hoàn thành không được trước ngày bắt đầu dự kiến.")
                )
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors.setdefault("parent", []).append(_("Hạng mục không thể thuộc chính nó."))
            elif self.parent.parent_id:
                errors.setdefault("parent", []).append(
                    _("Chỉ chia một cấp: hãy chọn hạng mục lớn, không chọn một hạng mục con.")
                )
            elif self.pk and self.phases.exists():
                errors.setdefault("parent", []).append(
                    _("Hạng mục này đã có hạng mục con nên không thể thuộc hạng mục khác.")
                )
            elif self.parent.venue_id and self.venue_id != self.parent.venue_id:
                errors.setdefault("venue", []).append(
                    _("Hạng mục con phải cùng địa điểm với hạng mục lớn (%(venue)s).") % {"venue": self.parent.venue}
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        return not self.is_closed and self.deadline < (on or today())

    def is_due_soon(self, on: datetime.date | None = None, days: int = DUE_SOON_DAYS) -> bool:
        on = on or today()
        return not self.is_closed and on <= self.deadline <= on + datetime.timedelta(days=days)

    def days_to_deadline(self, on: datetime.date | None = None) -> int:
        return (self.deadline - (on or today())).days

    def accepts_expenses(self) -> bool:
        return self.status != Status.CANCELLED


class FundingSource(models.TextChoices):
    OFFICE_BUDGET = "office_budget", _("Kinh phí Văn phòng Đảng ủy Khối")
    HIGHER_BUDGET = "higher_budget", _("Ngân sách cấp trên bổ sung")
    SPONSORSHIP = "sponsorship", _("Xã hội hóa, tài trợ")
    OTHER = "other", _("Nguồn khác")


class BudgetLineQuerySet(models.QuerySet):
    def with_spent(self):
        """Annotate `spent` (the sum of the line's expenses) with one subquery."""
        expenses = (
            Expense.objects.filter(budget_line=OuterRef("pk"))
            .order_by()
            .values("budget_line")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(spent=Coalesce(Subquery(expenses, output_field=models.BigIntegerField()), Value(0)))

    def overspent(self):
        """Lines whose spending exceeds the approved amount (a line not yet approved counts as 0)."""
        return self.with_spent().filter(spent__gt=Coalesce(F("approved_amount"), Value(0)))

    def totals(self) -> dict[str, int]:
        """Estimated and approved sums of these lines in đồng (one aggregate query)."""
        result = self.aggregate(
            estimated=Coalesce(Sum("estimated_amount"), Value(0)),
            approved=Coalesce(Sum("approved_amount"), Value(0)),
        )
        return {key: int(value) for key, value in result.items()}


class BudgetLine(models.Model):
    """One line of the budget estimate (dự toán): what is bought or done, how many, at what price."""

    work_item = models.ForeignKey(
        WorkItem, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("hạng mục")
    )
    description = models.CharField(_("nội dung chi"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=30)
    quantity = models.DecimalField(
        _("số lượng"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = DongField(_("đơn giá (đồng)"), help_text=MONEY_HELP)
    estimated_amount = DongField(
        _("thành tiền dự toán (đồng)"), editable=False, default=0, help_text=_("Số lượng × đơn giá, làm tròn đến đồng.")
    )
    approved_amount = DongField(
        _("kinh phí được duyệt (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống khi chưa được phê duyệt."),
    )
    funding_source = models.CharField(
        _("nguồn kinh phí"), max_length=20, choices=FundingSource.choices, default=FundingSource.OFFICE_BUDGET
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("năm ngân sách"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = BudgetLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["work_item__code", "ordering", "pk"]
        verbose_name = _("dòng dự toán")
        verbose_name_plural = _("dự toán")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=0),
                name="budgetline_unit_price_not_negative",
                violation_error_message=_("Đơn giá không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(estimated_amount__gte=0),
                name="budgetline_estimated_not_negative",
                violation_error_message=_("Thành tiền dự toán không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="budgetline_approved_not_negative",
                violation_error_message=_("Kinh phí được duyệt không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="budgetline_quantity_positive",
                violation_error_message=_("Số lượng phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100),
                name="budgetline_fiscal_year_range",
                violation_error_message=_("Năm ngân sách phải từ 2000 đến 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_item.code}: {self.description}"

    def save(self, *args, **kwargs):
        self.estimated_amount = self.compute_estimate()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "estimated_amount"}
        super().save(*args, **kwargs)

    save.alters_data = True

    def compute_estimate(self) -> int:
        """Quantity × unit price, rounded half up to the đồng."""
        if self.quantity is None or self.unit_price is None:
            return 0
        return int((Decimal(self.quantity) * Decimal(self.unit_price)).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.unit_price is not None and self.unit_price < 0:
            errors["unit_price"] = [_("Đơn giá không được âm: hãy nhập số đồng từ 0 trở lên.")]
        if self.approved_amount is not None and self.approved_amount < 0:
            errors["approved_amount"] = [_("Kinh phí được duyệt không được âm: hãy nhập số đồng từ 0 trở lên.")]
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = [_("Số lượng phải lớn hơn 0.")]
        if errors:
            raise ValidationError(errors)
        self.estimated_amount = self.compute_estimate()


class Expense(models.Model):
    """Money actually spent against a budget line, with its invoice."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("dòng dự toán")
    )
    spent_on = models.DateField(_("ngày chi"))
    amount = DongField(_("số tiền (đồng)"), help_text=MONEY_HELP)
    supplier = models.CharField(_("nhà cung cấp"), max_length=255)
    invoice_number = models.CharField(_("số hóa đơn"), max_length=50, blank=True)
    attachment = models.FileField(
        _("hóa đơn, chứng từ"),
        upload_to=attachment_path,
        blank=True,
        validators=[
            FileExtensionValidator(ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
            validate_attachment_content,
        ],
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("chi phí")
        verbose_name_plural = _("chi phí")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="expense_amount_positive",
                violation_error_message=_("Số tiền chi phải lớn hơn 0."),
            ),
            models.UniqueConstraint(
                fields=["supplier", "invoice_number"],
                condition=~Q(invoice_number=""),
                name="expense_unique_invoice_per_supplier",
                violation_error_message=_("Hóa đơn này của nhà cung cấp đã được ghi chi phí."),
            ),
        ]

    def __str__(self) -> str:
        from basics.money import format_dong

        return f"{self.spent_on:%d/%m/%Y} – {self.supplier} – {format_dong(self.amount)}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = [_("Số tiền chi phải lớn hơn 0 đồng.")]
        if self.budget_line_id:
            item = self.budget_line.work_item
            if not item.accepts_expenses():
                # Not keyed to budget_line: in the inline on the budget line page that field is hidden.
                errors[NON_FIELD_ERRORS] = [
                    _("Hạng mục “%(item)s” đã bị hủy: không ghi thêm chi phí cho dòng dự toán của nó.")
                    % {"item": item.title}
                ]
        if errors:
            raise ValidationError(errors)


class AttachmentKind(models.TextChoices):
    QUOTE = "quote", _("Báo giá")
    CONTRACT = "contract", _("Hợp đồng")
    ACCEPTANCE = "acceptance", _("Biên bản nghiệm thu")
    PHOTO_BEFORE = "photo_before", _("Ảnh trước khi nâng cấp")
    PHOTO_AFTER = "photo_after", _("Ảnh sau khi nâng cấp")
    OTHER = "other", _("Khác")


class WorkItemAttachment(models.Model):
    """A quote, contract or before/after photo kept with a work item."""

    work_item = models.ForeignKey(
        WorkItem, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("hạng mục")
    )
    kind = models.CharField(_("loại tệp"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    file = models.FileField(
        _("tệp"),
        upload_to=attachment_path,
        validators=[
            FileExtensionValidator(ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
            validate_attachment_content,
        ],
    )
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
