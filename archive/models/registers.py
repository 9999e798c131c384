"""Registers the catalogue refers to: historical periods, the two venues, party bodies."""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.partial_dates import PartialDate, from_columns, years_overlap
from archive.partial_dates import Precision as DatePrecision
from basics.text import fold


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


def spans_label(spans) -> str:
    """Spans of years in their order as people write them: "1962–1964, 1978–1982", "2007–nay"."""
    return ", ".join(span.label() for span in spans)


class PeriodQuerySet(models.QuerySet):
    def with_spans(self) -> "PeriodQuerySet":
        return self.prefetch_related("spans")

    def for_date(self, value: PartialDate) -> list["Period"]:
        """Periods whose spans meet the years a (partial) date covers, in period order."""
        return [period for period in self.with_spans() if period.overlaps(value)]


class Period(TranslatedNameMixin, models.Model):
    """A historical period of the Bloc's party organisation; one or more spans of years."""

    code = models.SlugField(_("mã"), max_length=20, unique=True, help_text=_("Dùng khi nhập, xuất dữ liệu, ví dụ TK1."))
    number = models.PositiveSmallIntegerField(_("thứ tự"), unique=True)
    name = models.CharField(_("tên thời kỳ"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    summary_en = models.TextField(_("tóm tắt tiếng Anh"), blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("thời kỳ")
        verbose_name_plural = _("thời kỳ")

    def __str__(self) -> str:
        return f"{self.span_label()}: {self.name}" if self.pk else self.name

    def span_label(self) -> str:
        """The spans as people write them: "1962–1964, 1978–1982", "2007–nay"."""
        return spans_label(self.spans.all())

    def contains_year(self, year: int) -> bool:
        return any(span.contains_year(year) for span in self.spans.all())

    def overlaps(self, value: PartialDate, *, today: datetime.date | None = None) -> bool:
        """True if the years ``value`` covers meet one of the period's spans (an open span runs
        until ``today``, by default today)."""
        return years_overlap(value, [(span.start_year, span.end_year) for span in self.spans.all()], today=today)


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


def _public_items():
    from archive.models.items import Item  # items refer to the registers: imported when asked

    return Item.objects.public()


class BodyQuerySet(models.QuerySet):
    def public(self) -> "BodyQuerySet":
        """Bodies a public page may name: the Bloc's own organisations (its predecessors, committees
        and boards, which committees book visits as), those of the public history (a period, a
        founding or dissolution date, a congress, a term, a position), and other agencies that a
        public item names. An agency known only from items that are not public stays unknown."""
        items = _public_items()
        return self.filter(
            ~Q(kind=Body.Kind.AGENCY)
            | Q(period__isnull=False)
            | Q(founded_on__isnull=False)
            | Q(dissolved_on__isnull=False)
            | Exists(Congress.objects.filter(body=OuterRef("pk")))
            | Exists(Term.objects.filter(body=OuterRef("pk")))
            | Exists(Position.objects.filter(body=OuterRef("pk")))
            | Exists(items.filter(bodies=OuterRef("pk")))
            | Exists(items.filter(issuing_body=OuterRef("pk")))
        )


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

    objects = BodyQuerySet.as_manager()
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

    @property
    def founded(self) -> PartialDate | None:
        """The founding date as cataloguers know it ("tháng 4/2007", "khoảng 1950")."""
        return from_columns(self.founded_on, self.founded_precision, self.founded_circa)

    @property
    def dissolved(self) -> PartialDate | None:
        """The dissolution date as cataloguers know it."""
        return from_columns(self.dissolved_on, self.dissolved_precision, self.dissolved_circa)


class KeywordQuerySet(models.QuerySet):
    def public(self) -> "KeywordQuerySet":
        """Keywords that some public item carries: the others would tell what hidden items are about."""
        return self.filter(Exists(_public_items().filter(keywords=OuterRef("pk"))))


class Keyword(models.Model):
    """A subject keyword (từ khóa) for items."""

    name = models.CharField(_("từ khóa"), max_length=120, unique=True)
    folded = models.CharField(_("dạng không dấu"), max_length=120, unique=True, editable=False)

    objects = KeywordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("từ khóa")
        verbose_name_plural = _("từ khóa")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = " ".join(self.name.split())
        self.folded = fold(self.name)
        super().save(*args, **kwargs)


class Congress(models.Model):
    """A congress (đại hội) of a party body, which opens a term."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="congresses", verbose_name=_("tổ chức"))
    number = models.PositiveSmallIntegerField(_("lần thứ"))
    name = models.CharField(_("tên đại hội"), max_length=255)
    held_from = models.DateField(_("từ ngày"), null=True, blank=True)
    held_to = models.DateField(_("đến ngày"), null=True, blank=True)
    place = models.CharField(_("địa điểm tổ chức"), max_length=255, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body__name", "number"]
        verbose_name = _("đại hội")
        verbose_name_plural = _("đại hội")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                name="congress_unique_number_per_body",
                violation_error_message=_("Tổ chức này đã có đại hội cùng lần thứ."),
            ),
            models.CheckConstraint(
                condition=Q(held_to__isnull=True) | Q(held_from__isnull=True) | Q(held_to__gte=models.F("held_from")),
                name="congress_ends_after_start",
                violation_error_message=_("Ngày kết thúc đại hội phải sau ngày khai mạc."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.body}"


class Term(models.Model):
    """A term (nhiệm kỳ) of a body's committee, usually opened by a congress."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="terms", verbose_name=_("tổ chức"))
    congress = models.OneToOneField(
        Congress, on_delete=models.SET_NULL, null=True, blank=True, related_name="term", verbose_name=_("đại hội")
    )
    name = models.CharField(_("tên nhiệm kỳ"), max_length=255, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body__name", "start_year"]
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="term_end_after_start",
                violation_error_message=_("Năm kết thúc nhiệm kỳ phải bằng hoặc sau năm bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label()} – {self.body}"

    def label(self) -> str:
        if self.name:
            return self.name
        end = self.end_year or "…"
        return _("Nhiệm kỳ %(start)s–%(end)s") % {"start": self.start_year, "end": end}


class PersonQuerySet(models.QuerySet):
    def public(self) -> "PersonQuerySet":
        """People on public pages: leaders (a position in a term) and people a public item names or
        that signed one. Someone known only from items that are not public stays unknown to visitors."""
        items = _public_items()
        return self.filter(
            Exists(Position.objects.filter(person=OuterRef("pk")))
            | Exists(items.filter(signer=OuterRef("pk")))
            | Exists(items.filter(people=OuterRef("pk")))
        )


class Person(models.Model):
    """A person in the registers: leaders, signers, donors."""

    full_name = models.CharField(_("họ và tên"), max_length=200)
    sort_name = models.CharField(_("tên để sắp xếp"), max_length=200, editable=False, db_index=True)
    folded_name = models.CharField(_("tên không dấu"), max_length=200, editable=False, db_index=True)
    other_names = models.CharField(_("tên gọi khác, bí danh"), max_length=255, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(_("năm mất"), null=True, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=255, blank=True)
    biography = models.TextField(_("tiểu sử"), blank=True)
    portrait = models.ImageField(_("ảnh chân dung"), upload_to="portraits/%Y/", blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("nhân vật")
        verbose_name_plural = _("nhân vật")
        constraints = [
            models.CheckConstraint(
                condition=Q(death_year__isnull=True)
                | Q(birth_year__isnull=True)
                | Q(death_year__gte=models.F("birth_year")),
                name="person_death_after_birth",
                violation_error_message=_("Năm mất phải sau năm sinh."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.full_name = " ".join(self.full_name.split())
        # Vietnamese names sort by the given name, the last word: "Nguyễn Văn An" under A.
        words = fold(self.full_name).split()
        self.sort_name = " ".join(words[-1:] + words[:-1])
        self.folded_name = " ".join(words)
        super().save(*args, **kwargs)

    @property
    def life_span(self) -> str:
        if not self.birth_year and not self.death_year:
            return ""
        return f"{self.birth_year or '?'}–{self.death_year or ''}".rstrip("–")


class Position(models.Model):
    """A person's seat in a body's committee during a term."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Bí thư")
        DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
        STANDING_MEMBER = "standing_member", _("Ủy viên Ban Thường vụ")
        EXECUTIVE_MEMBER = "executive_member", _("Ủy viên Ban Chấp hành")

    # Seniority, for listing a committee from the secretary down.
    ROLE_RANK = {Role.SECRETARY: 0, Role.DEPUTY_SECRETARY: 1, Role.STANDING_MEMBER: 2, Role.EXECUTIVE_MEMBER: 3}

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions", verbose_name=_("nhân vật"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="positions", verbose_name=_("tổ chức"))
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="positions", verbose_name=_("nhiệm kỳ")
    )
    role = models.CharField(_("chức vụ"), max_length=20, choices=Role.choices)
    role_rank = models.PositiveSmallIntegerField(editable=False, default=3)
    is_interim = models.BooleanField(_("lâm thời"), default=False)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body__name", "term__start_year", "role_rank", "person__sort_name"]
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
                violation_error_message=_("Ngày thôi giữ chức vụ phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        role = self.get_role_display()
        if self.is_interim:
            role = _("%(role)s (lâm thời)") % {"role": role}
        return f"{self.person} – {role} – {self.body}"

    def save(self, *args, **kwargs) -> None:
        self.role_rank = self.ROLE_RANK.get(self.role, 3)
        super().save(*args, **kwargs)
