"""Audio-guide tours (tuyến thuyết minh): ordered stops, each with text, a picture and a recording in
Vietnamese and English, reached on a phone from the QR label beside it.

A stop names what it is about: an item of the collection, a showcase or a part of a venue. Every
file goes through the archive's inspection of uploads (``archive.media.inspect_upload``) before it
is stored, and leaves the system through ``exhibits.views.tour_file`` only, public once the tour is
published.
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CAPTIONS_MAX_BYTES = 200 * 1024
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")


def tour_file_upload_to(instance: TourStop, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"tours/{uuid.uuid4().hex}{suffix}"


def inspect_stop_file(upload, *, kind: str, label: str) -> float | None:
    """The archive's inspection of a newly uploaded picture or recording (a file already stored was
    inspected when it came); the recording's duration in seconds."""
    from archive.media import inspect_upload, name_fits_type

    if not isinstance(upload, UploadedFile):
        return None
    inspection = inspect_upload(upload, allowed_kinds=(kind,), field_label=label)
    upload.seek(0)
    value = upload
    if not name_fits_type(value.name, inspection.extension):
        raise ValidationError(
            _("%(field)s: nội dung tệp không khớp với đuôi tên tệp; hãy tải lên tệp .%(ext)s đúng như nội dung."),
            params={"field": label, "ext": inspection.extension},
        )
    return inspection.duration


def check_captions(upload, *, label: str) -> None:
    """A newly uploaded WebVTT file: UTF-8 text that begins with ``WEBVTT``, at most CAPTIONS_MAX_BYTES."""
    if not isinstance(upload, UploadedFile):
        return
    if upload.size > CAPTIONS_MAX_BYTES:
        raise ValidationError(
            _("%(field)s: tệp phụ đề quá lớn (tối đa 200 KB)."), params={"field": label}, code="too_large"
        )
    upload.seek(0)
    head = upload.read(CAPTIONS_MAX_BYTES + 1)
    upload.seek(0)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    if not text.startswith("WEBVTT") or "\x00" in text:
        raise ValidationError(
            _("%(field)s: cần tệp phụ đề WebVTT (.vtt, mã UTF-8, dòng đầu là “WEBVTT”)."),
            params={"field": label},
            code="not_webvtt",
        )


class TourQuerySet(models.QuerySet):
    def published(self) -> TourQuerySet:
        return self.filter(status=Tour.Status.PUBLISHED)


class Tour(models.Model):
    """An audio-guide tour of a venue: its stops in order."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã công bố")

    title = models.CharField(_("tên tuyến"), max_length=200)
    title_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)
    code = models.CharField(
        _("mã tuyến"),
        max_length=6,
        unique=True,
        help_text=_("Chữ in hoa hoặc số, ví dụ “PT”; mã điểm dừng là mã tuyến và số thứ tự (PT-03)."),
    )
    summary = models.TextField(_("giới thiệu"), blank=True)
    summary_en = models.TextField(_("giới thiệu tiếng Anh"), blank=True)
    venue = models.ForeignKey(
        "archive.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tours",
        verbose_name=_("địa điểm"),
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = TourQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "title"]
        verbose_name = _("tuyến thuyết minh")
        verbose_name_plural = _("tuyến thuyết minh")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exhibits:tour_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        if not CODE_RE.match(self.code):
            raise ValidationError({"code": _("Mã tuyến: chỉ dùng chữ in hoa không dấu, chữ số và dấu gạch ngang.")})

    @property
    def display_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title

    @property
    def display_summary(self) -> str:
        return self.summary_en if get_language() == "en" and self.summary_en else self.summary


class TourStop(models.Model):
    """One stop of a tour: what the visitor stands before, what they read and hear there."""

    class Kind(models.TextChoices):
        ITEM = "item", _("Một tư liệu, hiện vật")
        SHOWCASE = "showcase", _("Một tủ, khu trưng bày")
        PLACE = "place", _("Một phần của địa điểm")

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops", verbose_name=_("tuyến"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại điểm dừng"), max_length=10, choices=Kind.choices, default=Kind.SHOWCASE)
    item = models.ForeignKey(
        "archive.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tour_stops",
        verbose_name=_("tư liệu, hiện vật"),
        help_text=_("Với điểm dừng là một tư liệu; trang của tư liệu chỉ được dẫn tới khi tư liệu công khai."),
    )
    place = models.CharField(
        _("vị trí"), max_length=200, blank=True, help_text=_("Ví dụ “Tủ số 3, tầng 1” hoặc “Sảnh Nhà Truyền thống”.")
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    title_en = models.CharField(_("tiêu đề tiếng Anh"), max_length=200, blank=True)
    text = models.TextField(_("lời thuyết minh"))
    text_en = models.TextField(_("lời thuyết minh tiếng Anh"), blank=True)
    image = models.FileField(_("ảnh"), upload_to=tour_file_upload_to, blank=True)
    image_alt = models.CharField(_("mô tả ảnh"), max_length=300, blank=True)
    image_alt_en = models.CharField(_("mô tả ảnh tiếng Anh"), max_length=300, blank=True)
    audio_vi = models.FileField(_("bản ghi âm tiếng Việt"), upload_to=tour_file_upload_to, blank=True)
    audio_en = models.FileField(_("bản ghi âm tiếng Anh"), upload_to=tour_file_upload_to, blank=True)
    captions_vi = models.FileField(_("phụ đề tiếng Việt (WebVTT)"), upload_to=tour_file_upload_to, blank=True)
    captions_en = models.FileField(_("phụ đề tiếng Anh (WebVTT)"), upload_to=tour_file_upload_to, blank=True)
    audio_vi_seconds = models.PositiveIntegerField(_("thời lượng tiếng Việt (giây)"), null=True, blank=True)
    audio_en_seconds = models.PositiveIntegerField(_("thời lượng tiếng Anh (giây)"), null=True, blank=True)

    class Meta:
        ordering = ["tour", "position"]
        verbose_name = _("điểm dừng")
        verbose_name_plural = _("điểm dừng")
        constraints = [models.UniqueConstraint(fields=["tour", "position"], name="tourstop_one_per_position")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("exhibits:tour_stop", kwargs={"slug": self.tour.slug, "position": self.position})

    @property
    def code(self) -> str:
        """The stop's short code, printed on its label: the tour's code and the position (PT-03)."""
        return f"{self.tour.code}-{self.position:02d}"

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.ITEM and not self.item_id:
            errors["item"] = _("Tư liệu, hiện vật: điểm dừng là một tư liệu cần chọn tư liệu đó.")
        if self.kind != self.Kind.ITEM and not self.place.strip():
            errors["place"] = _("Vị trí: hãy ghi tủ, khu trưng bày hoặc phần địa điểm của điểm dừng.")
        if self.captions_en and not self.audio_en:
            errors["captions_en"] = _("Phụ đề tiếng Anh: cần có bản ghi âm tiếng Anh đi kèm.")
        if self.captions_vi and not self.audio_vi:
            errors["captions_vi"] = _("Phụ đề tiếng Việt: cần có bản ghi âm tiếng Việt đi kèm.")
        if errors:
            raise ValidationError(errors)

    # What the page shows in the visitor's language (English falls back to Vietnamese) ---------------

    def _english(self) -> bool:
        return get_language() == "en"

    @property
    def display_title(self) -> str:
        return self.title_en if self._english() and self.title_en else self.title

    @property
    def display_text(self) -> str:
        return self.text_en if self._english() and self.text_en else self.text

    @property
    def display_alt(self) -> str:
        return self.image_alt_en if self._english() and self.image_alt_en else self.image_alt

    @property
    def audio_variant(self) -> str:
        """Which recording the page plays: English on the English site when there is one."""
        if self._english() and self.audio_en:
            return "audio-en"
        return "audio-vi" if self.audio_vi else ""

    @property
    def captions_variant(self) -> str:
        variant = self.audio_variant
        if variant == "audio-en" and self.captions_en:
            return "captions-en"
        if variant == "audio-vi" and self.captions_vi:
            return "captions-vi"
        return ""

    @property
    def audio_language(self) -> str:
        return "en" if self.audio_variant == "audio-en" else "vi"


#: The file variants of a stop in its address, and the field each one reads.
STOP_FILES = {
    "image": "image",
    "audio-vi": "audio_vi",
    "audio-en": "audio_en",
    "captions-vi": "captions_vi",
    "captions-en": "captions_en",
}
