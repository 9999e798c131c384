"""The catalogue: dossiers (hồ sơ), items (tư liệu, hiện vật) and their inventory numbers.

An item carries the elements of a Party document (Hướng dẫn 36-HD/VPTW) and the file-level
elements of the state digital-archive rules (Thông tư 05/2025/TT-BNV); see DESIGN.md.
"""

import datetime
import operator
import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Q
from django.db.models.functions import Left, Length
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from archive.docnumbers import DOCUMENT_TYPES, PARTY_DOCUMENT_TYPES, parse_document_number, validate_document_number
from archive.partial_dates import PartialDate, Precision, from_columns
from archive.secrecy import classifying_error
from basics.text import fold


def _document_type_choices() -> list[tuple[str, str]]:
    seen: dict[str, object] = {}
    for code, label in [*DOCUMENT_TYPES.values(), *PARTY_DOCUMENT_TYPES.values()]:
        seen.setdefault(code, label)
    extra = [
        ("congress_document", _("văn kiện đại hội")),
        ("letter", _("thư")),
        ("speech", _("diễn văn, bài phát biểu")),
        ("other_document", _("tài liệu khác")),
    ]
    return [*seen.items(), *extra]


DOCUMENT_TYPE_CHOICES = _document_type_choices()


class Language(models.TextChoices):
    VIETNAMESE = "vi", _("Tiếng Việt")
    FRENCH = "fr", _("Tiếng Pháp")
    RUSSIAN = "ru", _("Tiếng Nga")
    CHINESE = "zh", _("Tiếng Trung")
    ENGLISH = "en", _("Tiếng Anh")
    OTHER = "other", _("Ngôn ngữ khác")


class Condition(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Bình thường")
    DAMAGED = "damaged", _("Hư hỏng nhẹ")
    POOR = "poor", _("Hư hỏng nặng, cần tu bổ")


class Dossier(models.Model):
    """A dossier (hồ sơ): a group of items kept together, with its retention and physical facts."""

    class Retention(models.TextChoices):
        PERMANENT = "permanent", _("Vĩnh viễn")
        YEARS = "years", _("Có thời hạn")

    code = models.CharField(_("mã hồ sơ"), max_length=50, unique=True, help_text=_("Ví dụ: HS-2007-01."))
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    information_code = models.CharField(
        _("ký hiệu thông tin"),
        max_length=50,
        blank=True,
        help_text=_("Ký hiệu thông tin của hồ sơ trong mục lục, nếu có (Thông tư 05/2025/TT-BNV)."),
    )
    fonds = models.CharField(_("phông lưu trữ"), max_length=255, blank=True)
    retention = models.CharField(_("thời hạn bảo quản"), max_length=10, choices=Retention.choices, default="permanent")
    retention_years = models.PositiveSmallIntegerField(_("số năm bảo quản"), null=True, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=Language.choices, default=Language.VIETNAMESE)
    document_count = models.PositiveIntegerField(
        _("tổng số văn bản"),
        null=True,
        blank=True,
        help_text=_("Số văn bản trong hồ sơ giấy, kể cả những văn bản chưa được biên mục."),
    )
    sheet_count = models.PositiveIntegerField(_("số tờ"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    condition = models.CharField(_("tình trạng vật lý"), max_length=10, choices=Condition.choices, blank=True)
    access_level = models.CharField(
        _("chế độ sử dụng"),
        max_length=10,
        choices=[
            ("public", _("Công khai")),
            ("internal", _("Nội bộ")),
            ("restricted", _("Hạn chế")),
        ],
        default="internal",
    )
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"), null=True, blank=True)
    keywords = models.CharField(_("từ khóa"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention="permanent", retention_years__isnull=True)
                | Q(retention="years", retention_years__gt=0),
                name="dossier_retention_years_consistent",
                violation_error_message=_(
                    "Thời hạn bảo quản: hồ sơ có thời hạn cần số năm lớn hơn 0; hồ sơ vĩnh viễn để trống số năm."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="dossier_end_after_start",
                violation_error_message=_("Năm kết thúc của hồ sơ phải bằng hoặc sau năm bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class InventoryCounter(models.Model):
    """The last inventory number given per prefix and year; locked while a number is taken."""

    prefix = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="inventorycounter_unique")]
        verbose_name = _("bộ đếm số đăng ký")
        verbose_name_plural = _("bộ đếm số đăng ký")

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, prefix: str, year: int) -> str:
        """Take the next inventory number, e.g. ``TL-2024-00042``, safely under concurrent saves.

        The counter row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
        transactions serialise writers), so two saves never get the same number.
        """
        return cls.take_numbers(prefix, year, 1)[0]

    @classmethod
    def take_numbers(cls, prefix: str, year: int, count: int) -> list[str]:
        """Take ``count`` consecutive inventory numbers in one locked update (for imports)."""
        if count <= 0:
            return []
        with transaction.atomic():
            try:
                with transaction.atomic():
                    cls.objects.get_or_create(prefix=prefix, year=year)
            except IntegrityError:
                pass  # another transaction created it first
            counter = cls.objects.select_for_update().get(prefix=prefix, year=year)
            first = counter.last_number + 1
            counter.last_number += count
            counter.save(update_fields=["last_number"])
            return [f"{prefix}-{year}-{number:05d}" for number in range(first, counter.last_number + 1)]


# Punctuation that separates words in the search text; "-" and "/" stay inside a word, as in
# inventory numbers (TL-2024-00042) and document numbers (36-HD/VPTW).
_SEARCH_SEPARATORS_RE = re.compile(r"[\s,.;:!?()\[\]{}\"'“”‘’«»…–—%_\\]+")


def search_words(text: str) -> list[str]:
    """The folded words of ``text`` as the search text stores them and as a query is matched."""
    return [word for word in _SEARCH_SEPARATORS_RE.split(fold(text)) if word]


def is_code(word: str) -> bool:
    """A folded word that is (part of) a number or code: matched anywhere, not as a whole word."""
    return any(ch.isdigit() or ch in "-/" for ch in word)


def search_text_of(text: str) -> str:
    """``text`` as stored for search: its folded words between single spaces, and one at each end."""
    words = search_words(text)
    return f" {' '.join(words)} " if words else ""


# The public rule ----------------------------------------------------------------------------
# "Never public unless published, open to the public (access level), unclassified and past its
# embargo date" is stated here once, as ORM conditions. The public query (``Item.objects.public()``),
# the partial indexes of public items and the database constraint use them as they are; ``holds``
# decides the same conditions for an item in memory (``Item.is_public``, ``Item.clean()``, the
# import's checks), so there is no second statement of the rule to drift from the first.

OPEN_ACCESS = Q(access_level="public")
UNCLASSIFIED = Q(confidentiality="")
#: What a dated item that no period covers is catalogued as; on the public site it is a browse entry
#: of its own (``OUTSIDE_PERIODS_FILTER``, the value 0 of the period filter).
OUTSIDE_PERIODS = _("Ngoài các thời kỳ")
OUTSIDE_PERIODS_FILTER = Q(period__isnull=True, date_start__isnull=False)
# A public item's stored state, the day aside: the condition of the partial indexes.
PUBLIC_STATE = OPEN_ACCESS & UNCLASSIFIED & Q(status="published")
# What every write must keep (the database constraint): a classified item is never open to the public.
CLASSIFIED_NEVER_OPEN = UNCLASSIFIED | ~OPEN_ACCESS


def embargo_lifted(today: datetime.date) -> Q:
    """No embargo, or one that ended by ``today``: it lifts by the date alone, with no job to run."""
    return Q(embargo_until__isnull=True) | Q(embargo_until__lte=today)


def readable_condition(access: Q, today: datetime.date | None = None) -> Q:
    """Published, unclassified items past their embargo on ``today`` whose access level meets
    ``access``: the public rule with the audience's access levels (``archive.models.audiences``)."""
    return access & UNCLASSIFIED & Q(status="published") & embargo_lifted(today or timezone.localdate())


def public_condition(today: datetime.date | None = None) -> Q:
    """What an anonymous visitor may see on ``today`` (Hà Nội's date unless given)."""
    return readable_condition(OPEN_ACCESS, today)


_COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _leaves(condition: Q):
    for child in condition.children:
        if isinstance(child, Q):
            yield from _leaves(child)
        else:
            yield child


def condition_fields(condition: Q) -> set[str]:
    """The fields ``condition`` reads, compared values (``F``) included."""
    names = set()
    for lookup, value in _leaves(condition):
        names.add(lookup.split("__")[0])
        if isinstance(value, models.F):
            names.add(value.name)
    return names


def holds(condition: Q, obj) -> bool:
    """Whether ``obj`` meets ``condition`` as the database decides it, tested in memory.

    Reads the conditions of this module: ``field=value``, ``field__isnull``, ``field__lt``/``lte``/
    ``gt``/``gte`` against a value or another field (``F``), joined by ``&``, ``|`` and ``~``. A
    comparison with a missing value is false, as SQL's NULL makes it in a filter. Any other lookup
    is refused, not guessed.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(holds(child, obj))
            continue
        lookup, expected = child
        field, _, operation = lookup.partition("__")
        value = getattr(obj, field)
        if isinstance(expected, models.F):
            expected = getattr(obj, expected.name)
        if operation == "isnull":
            results.append((value is None) == bool(expected))
        elif operation in _COMPARISONS or not operation:
            compare = _COMPARISONS[operation or "exact"]
            missing = value is None or expected is None
            results.append(False if missing else compare(value, expected))
        else:
            raise ValueError(f"holds() does not read the lookup {lookup!r}")
    result = all(results) if condition.connector == Q.AND else any(results)
    return not result if condition.negated else result


class ItemQuerySet(models.QuerySet):
    def digitised(self) -> "ItemQuerySet":
        """Items that have a digital copy (``has_digital_copy``): the "có bản số hóa" filter."""
        return self.filter(has_digital_copy())

    def public(self, today: datetime.date | None = None) -> "ItemQuerySet":
        """What an anonymous visitor may see (``public_condition``), used by every public surface."""
        return self.filter(public_condition(today))

    def search(self, query: str, *, pages: bool = False) -> "ItemQuerySet":
        """Items whose folded text has every folded word of the query (diacritics ignored).

        A word matches a whole word ("dan" finds "dân", not "Đảng" or "dẫn" inside "hướng dẫn":
        Vietnamese words are syllables, and a syllable inside another is noise); a word with a
        digit, "-" or "/" (a code) matches anywhere, so part of an inventory number or of a document
        number ("HD/VPTW") finds it. With ``pages``, an item also matches when one page of its
        digitised documents has every word (``PageText``, its text as read or as corrected).
        How the words are matched is ``text_match``. The matches are the same on every database.
        """
        words = list(dict.fromkeys(search_words(query)))
        if not words and query.strip():
            return self.none()  # only punctuation ("%"): nothing has it as a word
        if not words:
            return self
        own = text_match(words, vendor=connections[self.db].vendor)
        if pages:
            return self.filter(own | Q(pk__in=page_matches(words, vendor=connections[self.db].vendor)))
        return self.filter(own)


def text_match(words: list[str], *, vendor: str) -> Q:
    """The condition that a row's folded search text has every one of the (folded) ``words``.

    Reads the columns an item and a page both have: ``search_text``, ``search_codes`` and
    ``search_vector``. Words of plain letters a–z are, on PostgreSQL, one full-text query over
    ``search_vector``, which its GIN index (migration 0016; the pages', 0029) answers; elsewhere
    one ``LIKE '% word %'`` each. Every other word lies in ``search_codes`` (see ``SearchCodes``),
    matched there by ``LIKE``, which its trigram index serves on PostgreSQL: a code anywhere,
    another word (one with a letter outside a–z) between its spaces.
    """
    condition = Q()
    plain = [word for word in words if is_plain_word(word)]
    if plain and vendor == "postgresql":
        condition &= Q(search_vector=SearchQuery(" ".join(plain), config=SEARCH_CONFIG))
    else:
        for word in plain:
            condition &= Q(search_text__contains=f" {word} ")
    for word in words:
        if is_code(word):
            condition &= Q(search_codes__contains=word)
        elif not is_plain_word(word):
            condition &= Q(search_codes__contains=f" {word} ")
    return condition


def page_matches(words: list[str], *, vendor: str):
    """The keys of the items one of whose pages has every word (``PageText``)."""
    from archive.models.pages import PageText

    return PageText.objects.filter(text_match(words, vendor=vendor)).values("item_id")


_PLAIN_WORD_RE = re.compile("[a-z]+")


def is_plain_word(word: str) -> bool:
    """A folded word of the letters a–z alone: the words the full-text vector holds."""
    return bool(_PLAIN_WORD_RE.fullmatch(word))


#: The text search configuration of the word vector: ``simple`` lowercases and keeps every word
#: (no stemming, no stop words), and the words it is given are folded already.
SEARCH_CONFIG = "simple"


class PlainWords(models.Func):
    """The search text with every word that is not plain letters a–z blanked out (PostgreSQL).

    The text search parser splits such words ("36-hd/vptw" into "36", "hd", "vptw"; "c++" into
    "c"), which would give lexemes that are no whole word of the search text; what is left is
    words of a–z between spaces, each one lexeme, so the vector holds exactly the search text's
    plain words. The other words are matched over ``search_codes``.
    """

    template = "regexp_replace(%(expressions)s, '[^ ]*[^a-z ][^ ]*', ' ', 'g')"
    output_field = models.TextField()


class WordsVector(SearchVector):
    """``to_tsvector('simple', …)`` of the plain words of ``text`` (see ``PlainWords``), for the
    generated columns ``Item.search_vector`` and ``Item.title_vector``. PostgreSQL only: other
    databases store NULL and match with ``LIKE``."""

    def __init__(self, text):
        super().__init__(PlainWords(text), config=SEARCH_CONFIG)

    def as_sqlite(self, compiler, connection, **extra):
        return "NULL", []


def title_region():
    """The start of the search text that holds the inventory number and the title: the stored
    text reads " inventory-number title summary ...", so a word (between spaces) is in the title
    when it lies within its first len(inventory number) + len(title) + 3 characters."""
    return Left("search_text", Length("inventory_number") + Length("title") + models.Value(3))


class SearchCodes(models.Func):
    """``Item.search_codes``: the search text without its words of plain letters a–z, which leaves
    every word a code can be part of (one with a digit, "-", "/" or another character).

    A code has no space, so it lies inside one word of the search text, and that word holds what
    makes the code a code: ``LIKE '%code%'`` over these words finds exactly what it finds over the
    whole text. Their trigram index (migration 0011) is a sixth the size of one over the whole
    text, an import writes a few trigrams per row instead of a few hundred, and each candidate the
    index gives is checked against a few words. Each run of letter words with the space after it
    becomes one space (about 6 µs a row in PostgreSQL; with a look-ahead for the space, 86 µs).
    SQLite, which has no ``regexp_replace`` and no trigram index, keeps the whole search text.
    """

    template = "regexp_replace(%(expressions)s, '( [a-z]+)+ ', ' ', 'g')"
    output_field = models.TextField()

    def __init__(self, column="search_text"):
        super().__init__(models.F(column))

    def as_sqlite(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


def has_digital_copy() -> models.Exists:
    """The item has a digital copy (at least one media file): the one predicate that the public
    filter, the facet counts and the admin filter use, read from the media table itself."""
    from archive.models.media import MediaFile

    return models.Exists(MediaFile.objects.filter(item=models.OuterRef("pk")))


# The item's columns the database writes from ``search_text`` (generated, stored): read by the
# search's conditions, never by Python.
GENERATED_SEARCH_FIELDS = ("search_codes", "search_vector", "title_vector")


class Item(models.Model):
    """A catalogued document or artifact (tư liệu, hiện vật)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Tài liệu văn bản")
        PHOTO = "photo", pgettext_lazy("item kind", "Ảnh")
        ARTIFACT = "artifact", _("Hiện vật")
        PUBLICATION = "publication", _("Ấn phẩm, sách báo")
        AUDIO = "audio", _("Ghi âm")
        VIDEO = "video", _("Phim, video")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        IN_REVIEW = "in_review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã công bố")
        WITHDRAWN = "withdrawn", _("Đã thu hồi")

    class AccessLevel(models.TextChoices):
        PUBLIC = "public", _("Công khai")
        INTERNAL = "internal", _("Nội bộ")
        RESTRICTED = "restricted", _("Hạn chế")

    class Confidentiality(models.TextChoices):
        NONE = "", _("Không mật")
        CONFIDENTIAL = "confidential", _("Mật")
        SECRET = "secret", _("Tối mật")
        TOP_SECRET = "top_secret", _("Tuyệt mật")

    class Urgency(models.TextChoices):
        NONE = "", _("Thường")
        URGENT = "urgent", _("Khẩn")
        VERY_URGENT = "very_urgent", _("Thượng khẩn")
        FLASH = "flash", _("Hỏa tốc")

    class SigningAuthority(models.TextChoices):
        NONE = "", _("Ký trực tiếp")
        ON_BEHALF = "on_behalf", _("T/M – thay mặt")
        DEPUTY = "deputy", _("K/T – ký thay")
        BY_ORDER = "by_order", _("T/L – thừa lệnh")
        AUTHORISED = "authorised", _("T/UQ – thừa ủy quyền")
        ACTING = "acting", _("Q. – quyền")

    class Reliability(models.TextChoices):
        ORIGINAL = "original", _("Bản gốc, bản chính")
        COPY = "copy", _("Bản sao")
        DIGITISED = "digitised", _("Bản số hóa")

    class Acquisition(models.TextChoices):
        DONATION = "donation", _("Hiến tặng")
        TRANSFER = "transfer", _("Tiếp nhận, chuyển giao")
        COPY = "copy", _("Sao chụp")
        PURCHASE = "purchase", _("Mua")

    PREFIX_BY_KIND = {Kind.ARTIFACT: "HV"}
    DEFAULT_PREFIX = "TL"

    # Identity
    inventory_number = models.CharField(
        _("số đăng ký"), max_length=20, unique=True, editable=False, help_text=_("Tự động cấp, ví dụ TL-2024-00042.")
    )
    kind = models.CharField(_("loại hình"), max_length=12, choices=Kind.choices, default=Kind.DOCUMENT)
    document_type = models.CharField(_("thể loại văn bản"), max_length=30, choices=DOCUMENT_TYPE_CHOICES, blank=True)
    # An empty text is "" in each language (django-modeltranslation copies the default to *_vi, *_en).
    title = models.CharField(_("tiêu đề"), max_length=500, default="")
    summary = models.TextField(_("trích yếu nội dung"), blank=True, default="")
    description = models.TextField(_("mô tả"), blank=True, default="")

    # Document elements (Hướng dẫn 36-HD/VPTW)
    number_symbol = models.CharField(
        _("số và ký hiệu"),
        max_length=64,
        blank=True,
        validators=[validate_document_number],
        help_text=_('Dạng văn bản Đảng "36-HD/VPTW" hoặc văn bản nhà nước "05/2025/TT-BNV".'),
    )
    document_number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True, editable=False)
    document_year = models.PositiveSmallIntegerField(_("năm của số văn bản"), null=True, blank=True, editable=False)
    type_code = models.CharField(_("ký hiệu thể loại"), max_length=10, blank=True, editable=False)
    issuer_code = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=40, blank=True, editable=False)
    issuing_body = models.ForeignKey(
        "archive.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_items",
        verbose_name=_("cơ quan ban hành"),
    )
    place_of_issue = models.CharField(_("địa danh ban hành"), max_length=120, blank=True)
    signer = models.ForeignKey(
        "archive.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_items",
        verbose_name=_("người ký"),
    )
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signing_authority = models.CharField(
        _("thẩm quyền ký"),
        max_length=10,
        choices=SigningAuthority.choices,
        blank=True,
        help_text=_("Ghi trên văn bản trước chức vụ người ký, ví dụ T/M BAN THƯỜNG VỤ."),
    )
    signing_on_behalf_of = models.CharField(
        _("ký thay mặt (tập thể, cơ quan)"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: BAN THƯỜNG VỤ trong T/M BAN THƯỜNG VỤ."),
    )
    has_seal = models.BooleanField(_("có đóng dấu"), default=False)
    annotations = models.TextField(
        _("bút tích, ghi chú trên văn bản"),
        blank=True,
        help_text=_("Bút tích, bút phê, ghi chú viết tay trên bản gốc."),
    )
    recipients = models.TextField(_("nơi nhận"), blank=True)
    confidentiality = models.CharField(
        _("độ mật"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.NONE, blank=True
    )
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NONE, blank=True)
    # A classified item holds no file online (archive.secrecy): its record says where the original
    # and its digital copy are kept and who may consult them.
    secret_custody = models.CharField(
        _("nơi lưu giữ bản gốc (tư liệu mật)"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Kho lưu trữ Văn phòng, hệ thống ngoại tuyến số 2, hộp 14."),
    )
    secret_access = models.TextField(
        _("người được tiếp cận (tư liệu mật)"),
        blank=True,
        help_text=_("Ai được đọc, sao tư liệu mật và theo thủ tục nào."),
    )

    # Date: earliest and latest days it can stand for, its precision and a circa flag
    date_start = models.DateField(_("ngày tháng (từ)"), null=True, blank=True)
    date_end = models.DateField(_("ngày tháng (đến)"), null=True, blank=True)
    date_precision = models.CharField(
        _("độ chính xác của ngày tháng"), max_length=10, choices=Precision.choices, blank=True
    )
    date_circa = models.BooleanField(_("ngày tháng ước đoán"), default=False)

    # Context
    period = models.ForeignKey(
        "archive.Period",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("thời kỳ"),
    )
    bodies = models.ManyToManyField(
        "archive.Body", blank=True, related_name="items", verbose_name=_("tổ chức liên quan")
    )
    people = models.ManyToManyField(
        "archive.Person", blank=True, related_name="items", verbose_name=_("nhân vật liên quan")
    )
    congress = models.ForeignKey(
        "archive.Congress",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("đại hội"),
    )
    keywords = models.ManyToManyField("archive.Keyword", blank=True, related_name="items", verbose_name=_("từ khóa"))
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("hồ sơ")
    )
    dossier_position = models.PositiveIntegerField(_("thứ tự trong hồ sơ"), null=True, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=Language.choices, default=Language.VIETNAMESE)
    sheet_count = models.PositiveIntegerField(_("số tờ"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    reliability = models.CharField(
        _("mức độ tin cậy"), max_length=10, choices=Reliability.choices, default=Reliability.ORIGINAL
    )

    # Physical
    material = models.CharField(_("chất liệu"), max_length=200, blank=True)
    dimensions = models.CharField(_("kích thước"), max_length=200, blank=True)
    condition = models.CharField(_("tình trạng vật lý"), max_length=10, choices=Condition.choices, blank=True)
    venue = models.ForeignKey(
        "archive.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("nơi lưu giữ"),
    )
    location = models.CharField(_("vị trí (tủ, kệ, khung)"), max_length=200, blank=True)

    # Provenance
    acquisition_method = models.CharField(
        _("hình thức sưu tầm"), max_length=10, choices=Acquisition.choices, blank=True
    )
    acquisition_source = models.CharField(_("nguồn (tổ chức, cá nhân)"), max_length=255, blank=True)
    acquisition_date = models.DateField(_("ngày tiếp nhận"), null=True, blank=True)
    contribution = models.ForeignKey(
        "archive.Contribution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("từ đợt đóng góp"),
    )

    # Access and workflow
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("thời điểm đổi trạng thái"), null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("người đổi trạng thái"),
    )
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True, editable=False)
    access_level = models.CharField(
        _("mức độ tiếp cận"), max_length=10, choices=AccessLevel.choices, default=AccessLevel.PUBLIC
    )
    embargo_until = models.DateField(
        _("hạn chế đến ngày"), null=True, blank=True, help_text=_("Tư liệu tự động công khai từ ngày này.")
    )
    is_featured = models.BooleanField(_("giới thiệu ở trang chủ"), default=False)
    staff_notes = models.TextField(_("ghi chú nghiệp vụ (không công khai)"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)

    # Folded text for diacritic-free search, written on save
    search_text = models.TextField(editable=False, blank=True)
    # Its words that a code can be part of, written by the database (see SearchCodes).
    search_codes = models.GeneratedField(expression=SearchCodes(), output_field=models.TextField(), db_persist=True)
    # Its plain words, and those of its title, as full-text vectors (PostgreSQL; NULL elsewhere).
    search_vector = models.GeneratedField(
        expression=WordsVector(models.F("search_text")), output_field=SearchVectorField(), db_persist=True
    )
    title_vector = models.GeneratedField(
        expression=WordsVector(title_region()), output_field=SearchVectorField(), db_persist=True
    )

    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("người tạo"),
    )

    objects = ItemQuerySet.as_manager()
    # The history (both languages of the texts) is registered in archive.translation.

    class Meta:
        ordering = ["date_start", "inventory_number"]
        verbose_name = _("tư liệu, hiện vật")
        verbose_name_plural = _("tư liệu, hiện vật")
        permissions = [
            ("publish_item", _("Có thể công bố, thu hồi tư liệu")),
            # Held by confirmed members of the Bloc (reading.backends) and by staff roles.
            ("view_internal_item", _("Có thể xem tư liệu nội bộ trên trang công khai")),
        ]
        indexes = [
            models.Index(fields=["status", "access_level"], name="item_status_access_idx"),
            # The staff list filtered by kind or document type, in its order (date, number): its page
            # and its count read along these, not the whole date index.
            # The default order (Meta.ordering) of the admin list and of exports, read in index order.
            models.Index(fields=["date_start", "inventory_number"], name="item_date_number_idx"),
            models.Index(fields=["kind", "date_start", "inventory_number"], name="item_kind_date_idx"),
            models.Index(fields=["document_type", "date_start", "inventory_number"], name="item_doctype_date_idx"),
            # The same for the other filters whose items gather in a few years (a period) or are few
            # (a status, an access level): without these the page walks the date index from the
            # earliest item until it meets fifty that match.
            models.Index(fields=["period", "date_start", "inventory_number"], name="item_period_date_idx"),
            models.Index(fields=["status", "date_start", "inventory_number"], name="item_status_date_idx"),
            models.Index(fields=["access_level", "date_start", "inventory_number"], name="item_access_date_idx"),
            models.Index(fields=["embargo_until"], name="item_embargo_idx"),
            # What the public pages read most: the newest published, a period's items by date. Partial
            # (public items only) and covering (the trailing columns), so a deep page is an index-only scan.
            models.Index(
                fields=["published_at", "id", "embargo_until"],
                name="item_public_published_idx",
                condition=PUBLIC_STATE,
            ),
            models.Index(
                fields=["period", "date_start", "id", "kind", "embargo_until"],
                name="item_public_period_date_idx",
                condition=PUBLIC_STATE,
            ),
            # The facet counts of the whole public catalogue (exhibits.search.facet_counts), counted
            # after every edit: an index-only scan of these columns instead of the whole table, the
            # key for the media files' EXISTS (has_digital_copy) included.
            models.Index(
                fields=["kind", "document_type", "period", "date_start", "embargo_until", "id"],
                name="item_public_facets_idx",
                condition=Q(status="published", access_level="public", confidentiality=""),
            ),
            # The trigram (GIN, gin_trgm_ops) index of search_codes and the full-text (GIN) indexes of
            # search_vector and title_vector exist on PostgreSQL only: see migrations 0011 and 0014;
            # SQLite matches with LIKE over the table.
        ]
        constraints = [
            models.CheckConstraint(
                condition=CLASSIFIED_NEVER_OPEN,
                name="item_classified_never_public",
                violation_error_message=_(
                    "Mức độ tiếp cận: tư liệu có độ mật không được để Công khai; chọn Nội bộ hoặc Hạn chế."
                ),
            ),
            models.CheckConstraint(
                condition=Q(date_end__isnull=True)
                | Q(date_start__isnull=True)
                | Q(date_end__gte=models.F("date_start")),
                name="item_date_end_after_start",
                violation_error_message=_("Ngày tháng: ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inventory_number} – {self.title}" if self.inventory_number else self.title

    def save(self, *args, **kwargs) -> None:
        self._apply_number_symbol()
        if not self.inventory_number:
            prefix = self.PREFIX_BY_KIND.get(self.kind, self.DEFAULT_PREFIX)
            self.inventory_number = InventoryCounter.next_number(prefix, timezone.localdate().year)
        keyword_names = list(self.keywords.values_list("name", flat=True)) if self.pk else None
        self.search_text = self.build_search_text(keyword_names)
        # The original columns of the translated texts hold the Vietnamese whatever the language
        # of the request: the title's length there bounds the title in the search text.
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("exhibits:item_detail", kwargs={"inventory_number": self.inventory_number})

    def clean(self) -> None:
        """Refuse a date in the future and a classified item open to the public.

        A date outside every period is kept: the item is catalogued "Ngoài các thời kỳ"
        (``outside_every_period``), and staff are warned, not refused."""
        errors: dict[str, ValidationError] = {}
        # An import hands the periods it has loaded once (``_known_periods``) instead of one query per row.
        date_error = self.date_error(periods=getattr(self, "_known_periods", None))
        if date_error is not None:
            errors["date_start"] = date_error
        if not holds(CLASSIFIED_NEVER_OPEN, self):
            errors["access_level"] = ValidationError(
                _(
                    "Mức độ tiếp cận: tư liệu có độ mật (%(level)s) không được để Công khai; "
                    "chọn Nội bộ hoặc Hạn chế, hoặc bỏ độ mật nếu tư liệu đã được giải mật."
                ),
                code="classified_public",
                params={"level": self.get_confidentiality_display()},
            )
        if self.confidentiality and self.pk and "confidentiality" not in errors:
            secret_error = classifying_error(
                confidentiality=self.confidentiality,
                level_label=self.get_confidentiality_display(),
                file_count=self.media.count(),
            )
            if secret_error is not None:
                errors["confidentiality"] = secret_error
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        # clean() already names the field for a classified item marked public; the database
        # constraint stays as the last line, without repeating the same message on the form.
        if not holds(CLASSIFIED_NEVER_OPEN, self):
            exclude = {*(exclude or ()), *condition_fields(CLASSIFIED_NEVER_OPEN)}
        super().validate_constraints(exclude=exclude)

    def date_error(self, today: datetime.date | None = None, periods: list | None = None) -> ValidationError | None:
        """Why the date cannot be accepted: a day in the future. (``periods`` is kept for callers that
        load them once; a date outside every period is accepted, see ``outside_every_period``.)"""
        value = self.partial_date
        if value is None:
            return None
        today = today or timezone.localdate()
        if value.is_future(today):
            return ValidationError(
                _("Ngày tháng: %(date)s là ngày trong tương lai (hôm nay là %(today)s); nhập ngày tháng đã qua."),
                code="future",
                params={"date": str(value), "today": today.strftime("%d/%m/%Y")},
            )
        return None

    def outside_every_period(self, periods: list | None = None, today: datetime.date | None = None) -> bool:
        """True when the item has a date that no period's spans meet (say 1965–1977): it is then
        catalogued "Ngoài các thời kỳ" (``OUTSIDE_PERIODS``), without a period."""
        value = self.partial_date
        if value is None:
            return False
        from archive.models.registers import Period

        if periods is None:
            periods = list(Period.objects.with_spans())
        return bool(periods) and not any(period.overlaps(value, today=today) for period in periods)

    @property
    def period_label(self) -> str:
        """The period as the public pages name it: its name, or "Ngoài các thời kỳ" for a dated item without one."""
        if self.period_id:
            return self.period.display_name
        return str(OUTSIDE_PERIODS) if self.date_start else ""

    @property
    def date_outside_period(self) -> bool:
        """True when the item has a date and a period, and the date falls outside that period's spans."""
        value = self.partial_date
        return bool(value and self.period_id and not self.period.overlaps(value))

    @property
    def partial_date(self) -> PartialDate | None:
        """The item's date as cataloguers know it, rebuilt from the stored columns."""
        return from_columns(self.date_start, self.date_precision, self.date_circa)

    def set_partial_date(self, value: PartialDate | None) -> None:
        if value is None:
            self.date_start = self.date_end = None
            self.date_precision = ""
            self.date_circa = False
            return
        self.date_start = value.earliest()
        self.date_end = value.latest()
        self.date_precision = value.precision
        self.date_circa = value.circa

    set_partial_date.alters_data = True

    @property
    def date_display(self) -> str:
        value = self.partial_date
        return str(value) if value else ""

    @property
    def is_public(self) -> bool:
        """``public_condition``, as ``Item.objects.public()`` reads it, for one object in memory."""
        return holds(public_condition(), self)

    def refresh_search_text(self) -> None:
        """Rewrite the folded search text once the keywords (saved after the item) are known."""
        keyword_names = list(self.keywords.values_list("name", flat=True))
        self.search_text = self.build_search_text(keyword_names)
        type(self).objects.filter(pk=self.pk).update(search_text=self.search_text)

    refresh_search_text.alters_data = True

    def build_search_text(self, keyword_names: list[str] | None = None) -> str:
        """The folded words of the item, space-separated with a space at each end (see ``search``):
        its texts, keywords and the transcripts of its films and recordings (their captions), then its
        English texts."""
        parts = [self.inventory_number, self.title_vi, self.summary_vi, self.description_vi, self.number_symbol]
        if keyword_names:
            parts.extend(keyword_names)
        if self.pk:
            from archive.models.captions import CaptionTrack

            parts.extend(CaptionTrack.objects.filter(media_file__item=self).values_list("text", flat=True))
        # The English texts come after the Vietnamese, so that the title region (``title_region``)
        # stays the inventory number and the Vietnamese title.
        parts.extend([self.title_en, self.summary_en, self.description_en])
        return search_text_of(" ".join(p for p in parts if p))

    def _apply_number_symbol(self) -> None:
        if not self.number_symbol:
            self.document_number = self.document_year = None
            self.type_code = self.issuer_code = ""
            return
        parsed = parse_document_number(self.number_symbol)
        self.number_symbol = str(parsed)
        self.document_number = parsed.number
        self.document_year = parsed.year
        self.type_code = parsed.type_code
        self.issuer_code = parsed.issuer
