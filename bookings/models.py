"""Visit bookings: the availability rules of each venue, visit programmes, closed days, bookings."""

import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.references import readable_reference

REFERENCE_LENGTH = 5
MANAGE_SALT = "bookings.manage"


def new_reference() -> str:
    """A short reference such as `TQ-7K3M9`."""
    return readable_reference("TQ", REFERENCE_LENGTH)


def new_secret() -> str:
    return secrets.token_urlsafe(18)


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class Occasion(models.TextChoices):
    """Why a committee visits, after part III.2.2 of the plan."""

    ANNIVERSARY = "anniversary", _("Kỷ niệm ngày lễ lớn")
    CHAPTER_MEETING = "chapter_meeting", _("Sinh hoạt chi bộ chuyên đề")
    ADMISSION = "admission", _("Lễ kết nạp đảng viên mới")
    TRAINING_TRIP = "training_trip", _("Tham quan thực tế lớp bồi dưỡng, học tập lý luận chính trị")
    OTHER = "other", _("Khác")


class Service(models.TextChoices):
    """What the Propaganda Board provides during a visit."""

    GUIDED_TOUR = "guided_tour", _("Thuyết minh trực tiếp")
    FILM = "film", _("Trình chiếu phim tư liệu")
    LEAFLETS = "leaflets", _("Phát tờ rơi")
    CEREMONY = "ceremony", _("Tổ chức nghi lễ tại phòng")


class VenueSchedule(models.Model):
    """How a venue can be booked: slot length, buffer, capacity, notice and horizon."""

    venue = models.OneToOneField(
        "archive.Venue", on_delete=models.CASCADE, related_name="booking_schedule", verbose_name=_("địa điểm")
    )
    is_open_for_booking = models.BooleanField(_("nhận đăng ký"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(_("độ dài khung giờ (phút)"), default=90)
    buffer_minutes = models.PositiveSmallIntegerField(
        _("thời gian chuẩn bị giữa hai khung (phút)"), default=15, help_text=_("Dọn dẹp, đón đoàn tiếp theo.")
    )
    capacity = models.PositiveSmallIntegerField(_("sức chứa mỗi khung giờ (người)"), default=40)
    max_group_size = models.PositiveSmallIntegerField(_("số người tối đa mỗi đoàn"), default=40)
    exclusive_ceremonies = models.BooleanField(
        _("nghi lễ dùng riêng cả khung giờ"),
        default=True,
        help_text=_("Lễ kết nạp đảng viên và nghi lễ tại phòng không chung khung giờ với đoàn khác."),
    )
    close_on_public_holidays = models.BooleanField(_("nghỉ ngày lễ, Tết"), default=True)
    min_notice_days = models.PositiveSmallIntegerField(_("đăng ký trước ít nhất (ngày)"), default=2)
    max_horizon_days = models.PositiveSmallIntegerField(_("đăng ký trước nhiều nhất (ngày)"), default=90)
    reminder_days_before = models.PositiveSmallIntegerField(_("nhắc lịch trước (ngày)"), default=2)
    feed_token = models.CharField(
        _("mã bảo vệ lịch ICS"),
        max_length=64,
        default=new_secret,
        help_text=_("Ai có mã này xem được lịch các buổi đã xác nhận; đổi mã để thu hồi."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["venue__ordering", "venue__name"]
        verbose_name = _("lịch tiếp đón")
        verbose_name_plural = _("lịch tiếp đón")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15),
                name="schedule_slot_minutes_min",
                violation_error_message=_("Khung giờ phải dài ít nhất 15 phút."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="schedule_capacity_positive",
                violation_error_message=_("Sức chứa phải ít nhất 1 người."),
            ),
            models.CheckConstraint(
                condition=Q(max_group_size__gte=1) & Q(max_group_size__lte=F("capacity")),
                name="schedule_group_within_capacity",
                violation_error_message=_("Số người tối đa mỗi đoàn phải từ 1 đến sức chứa của khung giờ."),
            ),
            models.CheckConstraint(
                condition=Q(max_horizon_days__gt=F("min_notice_days")),
                name="schedule_horizon_after_notice",
                violation_error_message=_("Số ngày đăng ký trước nhiều nhất phải lớn hơn số ngày ít nhất."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.venue)

    def earliest_date(self, today: datetime.date) -> datetime.date:
        return today + datetime.timedelta(days=self.min_notice_days)

    def latest_date(self, today: datetime.date) -> datetime.date:
        return today + datetime.timedelta(days=self.max_horizon_days)

    def slot_times(self, day: datetime.date) -> list[tuple[datetime.time, datetime.time]]:
        """The (start, end) slots of a weekday from its opening hours, ignoring closed days.

        Uses `opening_hours.all()`, so prefetch it when listing many days.
        """
        slots = []
        step = datetime.timedelta(minutes=self.slot_minutes + self.buffer_minutes)
        length = datetime.timedelta(minutes=self.slot_minutes)
        for hours in self.opening_hours.all():
            if hours.weekday != day.weekday():
                continue
            start = datetime.datetime.combine(day, hours.opens)
            closes = datetime.datetime.combine(day, hours.closes)
            while start + length <= closes:
                slots.append((start.time(), (start + length).time()))
                start += step
        return sorted(slots)

    def rotate_feed_token(self) -> None:
        self.feed_token = new_secret()
        self.save(update_fields=["feed_token"])

    rotate_feed_token.alters_data = True


class OpeningHours(models.Model):
    """One opening period of a venue on a weekday, cut into slots by the schedule."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ nhật")

    schedule = models.ForeignKey(
        VenueSchedule, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("lịch tiếp đón")
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    opens = models.TimeField(_("mở cửa"))
    closes = models.TimeField(_("đóng cửa"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("giờ mở cửa")
        verbose_name_plural = _("giờ mở cửa")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="openinghours_closes_after_opens",
                violation_error_message=_("Giờ đóng cửa phải sau giờ mở cửa."),
            ),
            models.UniqueConstraint(
                fields=["schedule", "weekday", "opens"],
                name="openinghours_unique_start",
                violation_error_message=_("Đã có một buổi mở cửa bắt đầu cùng giờ trong ngày này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosedDayQuerySet(models.QuerySet):
    def for_venue(self, venue):
        """Closures of this venue and those of every venue."""
        return self.filter(Q(venue=venue) | Q(venue__isnull=True))

    def overlapping(self, start: datetime.date, end: datetime.date):
        return self.filter(start_date__lte=end, end_date__gte=start)


class ClosedDay(models.Model):
    """Days a venue (or every venue) takes no visits: Tết ranges, repairs, ad-hoc closures.

    Public holidays come from the `holidays` package and need no row.
    """

    class Kind(models.TextChoices):
        TET = "tet", _("Nghỉ Tết")
        HOLIDAY = "holiday", _("Ngày lễ khác")
        CLOSURE = "closure", _("Đóng cửa đột xuất")

    venue = models.ForeignKey(
        "archive.Venue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closed_days",
        verbose_name=_("địa điểm"),
        help_text=_("Để trống: đóng cửa mọi địa điểm."),
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.CLOSURE)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    reason = models.CharField(_("lý do"), max_length=255)

    objects = ClosedDayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("ngày nghỉ")
        verbose_name_plural = _("ngày nghỉ")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="closedday_end_after_start",
                violation_error_message=_("“Đến ngày” phải bằng hoặc sau “Từ ngày”."),
            ),
        ]

    def __str__(self) -> str:
        if self.start_date == self.end_date:
            return f"{self.start_date:%d/%m/%Y}: {self.reason}"
        return f"{self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}: {self.reason}"

    def affected_bookings(self):
        """Pending and confirmed bookings on these days, to be contacted by staff; nothing is deleted."""
        bookings = Booking.objects.active().filter(date__gte=self.start_date, date__lte=self.end_date)
        if self.venue_id:
            bookings = bookings.filter(venue_id=self.venue_id)
        return bookings.select_related("venue", "organisation").order_by("date", "start_time")


class ProgrammeQuerySet(models.QuerySet):
    def for_occasion(self, occasion: str):
        """Active templates for an occasion, those made for it first, then those for any occasion."""
        return (
            self.filter(is_active=True)
            .filter(Q(occasion=occasion) | Q(occasion=""))
            .order_by(models.Case(models.When(occasion=occasion, then=0), default=1), "ordering", "name")
        )


class Programme(models.Model):
    """A programme template staff keep per occasion: a guided tour with a film, a tradition session,
    an admission ceremony; its running order is its steps. A confirmed booking gets a copy of them."""

    name = models.CharField(_("tên chương trình"), max_length=255, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    occasion = models.CharField(
        _("dành cho dịp"),
        max_length=20,
        choices=Occasion.choices,
        blank=True,
        help_text=_(
            "Để trống: dùng được cho mọi dịp. Khi xác nhận đăng ký chưa chọn chương trình, hệ thống"
            " chép chương trình mẫu đầu tiên của dịp tham quan."
        ),
    )
    description = models.TextField(_("nội dung"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=60)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("chương trình mẫu")
        verbose_name_plural = _("chương trình mẫu")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10),
                name="programme_duration_min",
                violation_error_message=_("Thời lượng chương trình phải ít nhất 10 phút."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s (%(minutes)d phút)") % {"name": self.display_name, "minutes": self.duration_minutes}

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def booking_references(self, limit: int = 10) -> list[str]:
        """The references of bookings that use this template (which keep it from being deleted)."""
        return list(self.bookings.order_by("-date").values_list("reference", flat=True)[:limit])


def _minutes(value: int | None) -> int:
    return value or 0


class Step(models.Model):
    """One step of a running order: when it starts (minutes from the start), how long, what happens,
    who leads it and what it uses. A template's steps and a visit's steps share these fields."""

    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    start_minute = models.SmallIntegerField(
        _("bắt đầu sau (phút)"),
        default=0,
        validators=[MinValueValidator(0, message=_("“Bắt đầu sau (phút)” không được âm: nhập 0 cho bước đầu tiên."))],
        help_text=_("Số phút tính từ giờ bắt đầu buổi tham quan."),
    )
    duration_minutes = models.SmallIntegerField(
        _("thời lượng (phút)"),
        default=10,
        validators=[MinValueValidator(1, message=_("“Thời lượng (phút)” phải ít nhất 1 phút."))],
    )
    activity = models.CharField(_("nội dung"), max_length=255)
    details = models.TextField(_("diễn giải"), blank=True)
    leader = models.CharField(_("người điều hành"), max_length=255, blank=True)
    place = models.CharField(_("vị trí trong phòng, nhà"), max_length=255, blank=True)
    exhibit_slug = models.SlugField(
        _("chuyên đề trưng bày (mã)"),
        max_length=255,
        blank=True,
        help_text=_("Mã (slug) của chuyên đề trưng bày trực tuyến dùng trong bước này, ví dụ: dang-bo-khoi-1948-1962."),
    )
    items = models.ManyToManyField(
        "archive.Item", blank=True, related_name="+", verbose_name=_("phim, tư liệu, hiện vật sử dụng")
    )
    leaflets = models.CharField(_("tờ rơi phát"), max_length=255, blank=True)

    class Meta:
        abstract = True
        ordering = ["start_minute", "ordering", "pk"]

    def __str__(self) -> str:
        return f"+{self.start_minute}′ {self.activity}"

    @property
    def end_minute(self) -> int:
        return _minutes(self.start_minute) + _minutes(self.duration_minutes)

    def exhibit_path(self) -> str:
        """The public page of the exhibit the step uses (exhibits is linked by URL name, never imported)."""
        if not self.exhibit_slug:
            return ""
        try:
            return reverse("exhibits:exhibit_detail", args=[self.exhibit_slug])
        except NoReverseMatch:
            return ""

    def uses(self) -> list[str]:
        """What the step uses, as short labels (items only by title: the caller filters them)."""
        labels = []
        if self.place:
            labels.append(self.place)
        if self.leaflets:
            labels.append(_("Tờ rơi: %(leaflets)s") % {"leaflets": self.leaflets})
        return labels


def running_order_errors(steps, *, limit_minutes: int | None) -> list[str]:
    """What is wrong with a running order: steps that overlap, or that end after the programme does.

    `steps` are Step instances (saved or not); one predicate for the admin's inlines and the services.
    """
    errors = []
    ordered = sorted(steps, key=lambda s: (_minutes(s.start_minute), _minutes(s.ordering)))
    for previous, step in zip(ordered, ordered[1:], strict=False):
        if _minutes(step.start_minute) < previous.end_minute:
            errors.append(
                _(
                    "Bước “%(second)s” bắt đầu ở phút %(start)s, trùng với bước “%(first)s” (phút %(first_start)s"
                    " đến %(first_end)s). Sửa “Bắt đầu sau (phút)” của bước sau thành %(first_end)s trở đi, hoặc"
                    " rút ngắn thời lượng của bước trước."
                )
                % {
                    "first": previous.activity,
                    "first_start": _minutes(previous.start_minute),
                    "first_end": previous.end_minute,
                    "second": step.activity,
                    "start": _minutes(step.start_minute),
                }
            )
    if limit_minutes is not None:
        for step in ordered:
            if step.end_minute > limit_minutes:
                errors.append(
                    _(
                        "Bước “%(step)s” kết thúc ở phút %(end)s, quá thời lượng %(limit)s phút. Giảm “Thời lượng"
                        " (phút)” hoặc “Bắt đầu sau (phút)” của bước này."
                    )
                    % {"step": step.activity, "end": step.end_minute, "limit": limit_minutes}
                )
    return errors


class ProgrammeStep(Step):
    """A step of a programme template."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="steps", verbose_name=_("chương trình mẫu")
    )

    history = HistoricalRecords()

    class Meta(Step.Meta):
        verbose_name = _("bước của chương trình")
        verbose_name_plural = _("các bước của chương trình")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_minute__gte=0) & Q(duration_minutes__gte=1),
                name="programmestep_times_valid",
                violation_error_message=_("Giờ bắt đầu không được âm và thời lượng phải ít nhất 1 phút."),
            ),
        ]


class BookingQuerySet(models.QuerySet):
    def active(self):
        """Bookings that hold places: pending and confirmed."""
        return self.filter(status__in=Booking.HOLDING_STATUSES)

    def in_slot(self, venue, date: datetime.date, start_time: datetime.time):
        return self.filter(venue=venue, date=date, start_time=start_time)

    def places_taken(self) -> int:
        return self.aggregate(total=Coalesce(Sum("group_size"), 0))["total"]

    def held(self):
        """Visits that took place: completed bookings."""
        return self.filter(status=Booking.Status.COMPLETED)

    def with_visitors(self):
        """Annotate `visitors`: the actual head count, or the announced group size when none was recorded."""
        return self.annotate(visitors=Coalesce("actual_visitors", "group_size"))

    def with_organisation_label(self):
        return self.annotate(organisation_label=Coalesce("organisation__name", "organisation_name"))

    def reminder_candidates(self, today: datetime.date, longest_notice: int):
        """Confirmed visits from today on, within the longest reminder window, with no reminder sent."""
        return self.filter(
            status=Booking.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            date__gte=today,
            date__lte=today + datetime.timedelta(days=longest_notice),
        )


class Booking(models.Model):
    """A committee's request to visit a venue in one slot, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        REJECTED = "rejected", pgettext_lazy("status", "Từ chối")
        COMPLETED = "completed", _("Đã tham quan")
        NO_SHOW = "no_show", _("Không đến")
        CANCELLED = "cancelled", _("Đã hủy")

    class CancelledBy(models.TextChoices):
        BOOKER = "booker", _("Đơn vị đăng ký")
        STAFF = "staff", _("Ban Tuyên giáo")

    class Source(models.TextChoices):
        FORM = "form", _("Biểu mẫu trực tuyến")
        TELEPHONE = "telephone", _("Điện thoại (cán bộ nhập)")

    HOLDING_STATUSES = (Status.PENDING, Status.CONFIRMED)
    TRANSITIONS = {
        Status.PENDING: {Status.CONFIRMED, Status.REJECTED, Status.CANCELLED},
        Status.CONFIRMED: {Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED},
    }

    reference = models.CharField(_("mã đăng ký"), max_length=12, unique=True, default=new_reference, editable=False)
    secret = models.CharField(_("mã bí mật"), max_length=40, default=new_secret, editable=False)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PENDING)

    venue = models.ForeignKey(
        "archive.Venue", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("địa điểm")
    )
    date = models.DateField(_("ngày tham quan"))
    start_time = models.TimeField(_("giờ bắt đầu"))
    end_time = models.TimeField(_("giờ kết thúc"))

    organisation = models.ForeignKey(
        "archive.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_bookings",
        verbose_name=_("tổ chức đảng"),
    )
    organisation_name = models.CharField(_("tên đơn vị (nếu không có trong danh sách)"), max_length=255, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=120)
    contact_position = models.CharField(_("chức vụ"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=20)
    # The public form asks for an address; a booking taken by telephone may have none (no email is sent then).
    email = models.EmailField(_("thư điện tử"), blank=True)

    group_size = models.PositiveSmallIntegerField(_("số người"))
    occasion = models.CharField(_("dịp tham quan"), max_length=20, choices=Occasion.choices)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("chương trình tham quan"),
    )
    services = models.JSONField(_("dịch vụ đề nghị"), default=list, blank=True)
    notes = models.TextField(_("ghi chú của đơn vị"), blank=True)
    consent = models.BooleanField(_("đồng ý xử lý dữ liệu cá nhân"), default=False)
    # What the person agreed to and when (Nghị định 13/2023/NĐ-CP), and when their data was erased.
    consent_text = models.TextField(_("nội dung đã đồng ý"), blank=True, editable=False)
    consent_at = models.DateTimeField(_("đồng ý lúc"), null=True, blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField(
        _("đã xóa dữ liệu cá nhân lúc"), null=True, blank=True, editable=False
    )
    language = models.CharField(
        _("ngôn ngữ thư"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guided_bookings",
        verbose_name=_("cán bộ hướng dẫn"),
    )
    staff_notes = models.TextField(_("ghi chú nội bộ"), blank=True)
    rejection_reason = models.TextField(_("lý do từ chối"), blank=True)
    cancelled_by = models.CharField(_("người hủy"), max_length=10, choices=CancelledBy.choices, blank=True)
    cancellation_reason = models.TextField(_("lý do hủy"), blank=True)
    new_date_request = models.TextField(_("đề nghị đổi ngày"), blank=True)
    actual_visitors = models.PositiveSmallIntegerField(_("số người thực tế"), null=True, blank=True)
    films_shown = models.CharField(_("phim đã trình chiếu"), max_length=255, blank=True)
    leaflets_handed_out = models.PositiveIntegerField(_("số tờ rơi đã phát"), null=True, blank=True)
    outcome_notes = models.TextField(_("ghi chú sau buổi tham quan"), blank=True)

    source = models.CharField(
        _("nguồn đăng ký"), max_length=12, choices=Source.choices, default=Source.FORM, editable=False
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="entered_bookings",
        verbose_name=_("cán bộ nhập"),
    )
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(_("đã nhắc lịch lúc"), null=True, blank=True, editable=False)
    # The iCalendar SEQUENCE of the visit (RFC 5545 §3.8.7.4): raised whenever its time, place or
    # state changes, so a calendar that holds the visit replaces it with the newer file.
    calendar_sequence = models.PositiveIntegerField(_("lần sửa lịch"), default=0, editable=False)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)

    objects = BookingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("đăng ký tham quan")
        verbose_name_plural = _("đăng ký tham quan")
        indexes = [models.Index(fields=["venue", "date", "start_time"], name="booking_slot_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(group_size__gte=1),
                name="booking_group_size_positive",
                violation_error_message=_("Số người phải ít nhất là 1."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="booking_ends_after_start",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="booking_has_organisation",
                violation_error_message=_("Hãy chọn đơn vị trong danh sách hoặc nhập tên đơn vị."),
            ),
            models.CheckConstraint(
                condition=Q(consent=True),
                name="booking_has_consent",
                violation_error_message=_("Cần đồng ý cho Ban Tuyên giáo xử lý dữ liệu cá nhân để gửi đăng ký."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="booking_rejection_has_reason",
                violation_error_message=_("Khi từ chối phải ghi lý do."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.organisation_display}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=local_zone())

    @property
    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end_time, tzinfo=local_zone())

    @property
    def is_exclusive(self) -> bool:
        """A ceremony takes the whole slot."""
        return self.occasion == Occasion.ADMISSION or Service.CEREMONY in (self.services or [])

    @property
    def holds_places(self) -> bool:
        return self.status in self.HOLDING_STATUSES

    def service_labels(self) -> list[str]:
        labels = dict(Service.choices)
        return [str(labels[code]) for code in self.services or [] if code in labels]

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def can_cancel(self) -> bool:
        return self.can_become(self.Status.CANCELLED)

    def manage_token(self) -> str:
        """The signed, unguessable token of the booker's secret link."""
        return signing.Signer(salt=MANAGE_SALT).sign(f"{self.pk}.{self.secret}")

    @classmethod
    def from_manage_token(cls, token: str) -> "Booking | None":
        """The booking a token opens, or None when the token is wrong, altered or stale."""
        try:
            value = signing.Signer(salt=MANAGE_SALT).unsign(token)
        except signing.BadSignature:
            return None
        pk, _sep, secret = value.partition(".")
        if not pk.isdigit():
            return None
        booking = cls.objects.select_related("venue", "organisation", "programme").filter(pk=int(pk)).first()
        if booking is None or not constant_time_compare(booking.secret, secret):
            return None
        return booking

    def clean(self) -> None:
        super().clean()
        allowed = set(Service.values)
        unknown = [code for code in self.services or [] if code not in allowed]
        if unknown:
            raise ValidationError({"services": _("Dịch vụ không hợp lệ: %(codes)s.") % {"codes": ", ".join(unknown)}})
        if self.organisation_id is None and not self.organisation_name.strip():
            raise ValidationError(
                {"organisation_name": _("Hãy chọn đơn vị trong danh sách hoặc nhập tên đơn vị của mình.")}
            )

    # The visit's programme ----------------------------------------------------------------------

    def step_clock(self, step: "Step") -> tuple[datetime.time, datetime.time]:
        """The clock times a step of this visit runs from and to."""
        start = datetime.datetime.combine(self.date, self.start_time) + datetime.timedelta(minutes=step.start_minute)
        return start.time(), (start + datetime.timedelta(minutes=step.duration_minutes)).time()

    @property
    def slot_length_minutes(self) -> int:
        start = datetime.datetime.combine(self.date, self.start_time)
        return int((datetime.datetime.combine(self.date, self.end_time) - start).total_seconds() // 60)


class VisitStep(Step):
    """A step of one visit's programme: copied from the template when staff confirm, then adjusted."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="steps", verbose_name=_("đăng ký tham quan")
    )

    history = HistoricalRecords()

    class Meta(Step.Meta):
        verbose_name = _("bước của buổi tham quan")
        verbose_name_plural = _("chương trình của buổi tham quan")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_minute__gte=0) & Q(duration_minutes__gte=1),
                name="visitstep_times_valid",
                violation_error_message=_("Giờ bắt đầu không được âm và thời lượng phải ít nhất 1 phút."),
            ),
        ]


class NewMember(models.Model):
    """A new party member admitted at an admission ceremony, with those who introduced them.

    Staff-only: printed in the running order for the officiants, never on a public page, the
    booker's secret link, an email or a calendar file.
    """

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="new_members", verbose_name=_("đăng ký tham quan")
    )
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    full_name = models.CharField(_("họ và tên đảng viên mới"), max_length=120)
    introducers = models.CharField(
        _("người giới thiệu"),
        max_length=255,
        help_text=_("Hai đảng viên chính thức giới thiệu (hoặc Ban Chấp hành Đoàn cơ sở), cách nhau bằng dấu phẩy."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["ordering", "pk"]
        verbose_name = _("đảng viên mới được kết nạp")
        verbose_name_plural = _("đảng viên mới được kết nạp (không công khai)")

    def __str__(self) -> str:
        return self.full_name


OFFER_SALT = "bookings.offer"


class WaitingEntryQuerySet(models.QuerySet):
    def in_slot(self, venue_id: int, date: datetime.date, start_time: datetime.time):
        return self.filter(venue_id=venue_id, date=date, start_time=start_time)

    def holding(self, now: datetime.datetime):
        """Offers not yet claimed nor expired: they hold their places in the slot."""
        return self.filter(status=WaitingEntry.Status.OFFERED, offer_expires_at__gt=now)

    def waiting(self):
        return self.filter(status=WaitingEntry.Status.WAITING).order_by("created_at", "pk")


class WaitingEntry(models.Model):
    """A committee waiting for places in a full slot; offered them by email when places free."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        OFFERED = "offered", _("Đã mời nhận chỗ")
        CLAIMED = "claimed", _("Đã nhận chỗ")
        EXPIRED = "expired", _("Hết hạn")
        WITHDRAWN = "withdrawn", _("Đã rút")

    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.WAITING)
    secret = models.CharField(_("mã bí mật"), max_length=40, default=new_secret, editable=False)
    venue = models.ForeignKey(
        "archive.Venue", on_delete=models.PROTECT, related_name="waiting_entries", verbose_name=_("địa điểm")
    )
    date = models.DateField(_("ngày tham quan"))
    start_time = models.TimeField(_("giờ bắt đầu"))
    organisation = models.ForeignKey(
        "archive.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức đảng"),
    )
    organisation_name = models.CharField(_("tên đơn vị (nếu không có trong danh sách)"), max_length=255, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=120)
    contact_position = models.CharField(_("chức vụ"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=20)
    email = models.EmailField(_("thư điện tử"))
    group_size = models.PositiveSmallIntegerField(_("số người"))
    occasion = models.CharField(_("dịp tham quan"), max_length=20, choices=Occasion.choices)
    consent = models.BooleanField(_("đồng ý xử lý dữ liệu cá nhân"), default=False)
    # What the person agreed to and when (Nghị định 13/2023/NĐ-CP), and when their data was erased.
    consent_text = models.TextField(_("nội dung đã đồng ý"), blank=True, editable=False)
    consent_at = models.DateTimeField(_("đồng ý lúc"), null=True, blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField(
        _("đã xóa dữ liệu cá nhân lúc"), null=True, blank=True, editable=False
    )
    language = models.CharField(
        _("ngôn ngữ thư"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("đăng ký chờ lúc"), default=timezone.now, editable=False)
    offered_at = models.DateTimeField(_("mời nhận chỗ lúc"), null=True, blank=True, editable=False)
    offer_expires_at = models.DateTimeField(_("giữ chỗ đến"), null=True, blank=True, editable=False)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waiting_entry",
        verbose_name=_("đăng ký đã tạo"),
        editable=False,
    )

    objects = WaitingEntryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["date", "start_time", "created_at"]
        verbose_name = _("đăng ký chờ chỗ")
        verbose_name_plural = _("đăng ký chờ chỗ")
        indexes = [models.Index(fields=["venue", "date", "start_time", "status"], name="waiting_slot_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(group_size__gte=1),
                name="waiting_group_size_positive",
                violation_error_message=_("Số người phải ít nhất là 1."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="waiting_has_organisation",
                violation_error_message=_("Hãy chọn đơn vị trong danh sách hoặc nhập tên đơn vị."),
            ),
            models.CheckConstraint(
                condition=Q(consent=True),
                name="waiting_has_consent",
                violation_error_message=_("Cần đồng ý cho Ban Tuyên giáo xử lý dữ liệu cá nhân để đăng ký chờ."),
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="waiting_offer_has_expiry",
                violation_error_message=_("Lời mời nhận chỗ phải có hạn giữ chỗ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_display} – {self.date:%d/%m/%Y} {self.start_time:%H:%M}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name

    @property
    def is_exclusive(self) -> bool:
        return self.occasion == Occasion.ADMISSION

    def claim_token(self) -> str:
        """The signed token of the offer's link (the same secret for the whole life of the entry)."""
        return signing.Signer(salt=OFFER_SALT).sign(f"{self.pk}.{self.secret}")

    @classmethod
    def from_claim_token(cls, token: str) -> "WaitingEntry | None":
        """The entry a token opens, or None when the token is wrong or altered."""
        try:
            value = signing.Signer(salt=OFFER_SALT).unsign(token)
        except signing.BadSignature:
            return None
        pk, _sep, secret = value.partition(".")
        if not pk.isdigit():
            return None
        entry = cls.objects.select_related("venue", "organisation", "booking").filter(pk=int(pk)).first()
        if entry is None or not constant_time_compare(entry.secret, secret):
            return None
        return entry

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is None and not self.organisation_name.strip():
            raise ValidationError(
                {"organisation_name": _("Hãy chọn đơn vị trong danh sách hoặc nhập tên đơn vị của mình.")}
            )
