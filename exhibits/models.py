"""Online exhibits (chuyên đề trưng bày trực tuyến): curated pages built from ordered blocks."""

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from basics.text import slug_of


def exhibit_cover_upload_to(instance: "Exhibit", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"exhibits/{uuid.uuid4().hex}{suffix}"


class ExhibitQuerySet(models.QuerySet):
    def published(self) -> "ExhibitQuerySet":
        """What an anonymous visitor may see."""
        return self.filter(status=Exhibit.Status.PUBLISHED)


class Exhibit(models.Model):
    """An online exhibit: a cover, a period and ordered blocks of text, items, galleries and quotes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã công bố")

    # An empty text is "" in each language (django-modeltranslation copies the default to *_vi, *_en).
    title = models.CharField(_("tiêu đề"), max_length=255, default="")
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "Để trống: tạo từ tiêu đề, không dấu (“Đại hội Đảng bộ” thành “dai-hoi-dang-bo”). Khi đổi, địa chỉ cũ"
            " vẫn chuyển tới chuyên đề."
        ),
    )
    summary = models.TextField(_("giới thiệu ngắn"), blank=True, default="")
    cover_image = models.ImageField(_("ảnh bìa"), upload_to=exhibit_cover_upload_to, blank=True)
    cover_alt = models.CharField(
        _("mô tả ảnh bìa"), max_length=300, blank=True, default="", help_text=_("Cho người dùng trình đọc màn hình.")
    )
    period = models.ForeignKey(
        "archive.Period",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibits",
        verbose_name=_("thời kỳ"),
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    featured = models.BooleanField(_("giới thiệu ở trang chủ"), default=False)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    objects = ExhibitQuerySet.as_manager()
    # The history (both languages of the texts) is registered in exhibits.translation.

    class Meta:
        ordering = ["ordering", "-published_at", "title"]
        verbose_name = _("chuyên đề trưng bày trực tuyến")
        verbose_name_plural = _("chuyên đề trưng bày trực tuyến")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if not self.slug:
            self.slug = self.free_slug(slug_of(self.title_vi or "", 120))
        stored = Exhibit.objects.filter(pk=self.pk).values_list("slug", flat=True).first() if self.pk else None
        # The original columns of the translated texts hold the Vietnamese whatever the language
        # of the request (the default ordering reads the title's).
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)
        if stored and stored != self.slug:
            # The old address (printed on QR labels, linked from elsewhere) keeps leading here.
            ExhibitFormerSlug.objects.update_or_create(slug=stored, defaults={"exhibit": self})
            ExhibitFormerSlug.objects.filter(slug=self.slug).delete()

    def get_absolute_url(self) -> str:
        return reverse("exhibits:exhibit_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if not self.slug and self.title_vi:
            self.slug = self.free_slug(slug_of(self.title_vi, 120))
        elif self.slug and ExhibitFormerSlug.objects.filter(slug=self.slug).exclude(exhibit_id=self.pk).exists():
            raise ValidationError(
                {
                    "slug": _(
                        "Đường dẫn này từng là của một chuyên đề khác và vẫn chuyển tới chuyên đề đó. Hãy chọn đường"
                        " dẫn khác hoặc để trống."
                    )
                }
            )

    def free_slug(self, wanted: str) -> str:
        """`wanted`, or `wanted-2`, `wanted-3`, ...: the first that no other exhibit holds now or held before."""
        wanted = wanted or "chuyen-de"
        others = Exhibit.objects.exclude(pk=self.pk)
        former = ExhibitFormerSlug.objects.exclude(exhibit_id=self.pk)
        candidate, number = wanted, 1
        while others.filter(slug=candidate).exists() or former.filter(slug=candidate).exists():
            number += 1
            suffix = f"-{number}"
            candidate = wanted[: 120 - len(suffix)] + suffix
        return candidate

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ExhibitFormerSlug(models.Model):
    """An address an exhibit had before: /trung-bay/<slug>/ and /t/<slug> redirect to its address now."""

    exhibit = models.ForeignKey(
        Exhibit, on_delete=models.CASCADE, related_name="former_slugs", verbose_name=_("chuyên đề")
    )
    slug = models.SlugField(_("đường dẫn cũ"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("đổi lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("đường dẫn cũ")
        verbose_name_plural = _("đường dẫn cũ")

    def __str__(self) -> str:
        return self.slug


class ExhibitBlock(models.Model):
    """One block of an exhibit, in order: text, a single item, a gallery, a video, a quote or a timeline."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Đoạn văn")
        ITEM = "item", _("Một tư liệu, hiện vật")
        GALLERY = "gallery", _("Bộ sưu tập ảnh")
        VIDEO = "video", _("Phim, video")
        QUOTE = "quote", _("Trích dẫn")
        TIMELINE = "timeline", _("Dòng thời gian")

    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("chuyên đề"))
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("loại khối"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    heading = models.CharField(_("tiêu đề khối"), max_length=255, blank=True, default="")
    text = models.TextField(
        _("nội dung"),
        blank=True,
        default="",
        help_text=_(
            "Đoạn văn, lời trích dẫn hoặc chú thích. Với dòng thời gian: mỗi dòng một mốc, "
            'dạng "1948: Thành lập Liên chi cơ quan Trung ương".'
        ),
    )
    quote_source = models.CharField(_("nguồn trích dẫn"), max_length=255, blank=True, default="")
    item = models.ForeignKey(
        "archive.Item",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibit_blocks",
        verbose_name=_("tư liệu, hiện vật"),
        help_text=_("Cho khối một tư liệu hoặc phim, video. Chỉ hiện khi tư liệu đã công bố công khai."),
    )
    items = models.ManyToManyField(
        "archive.Item",
        blank=True,
        related_name="exhibit_gallery_blocks",
        verbose_name=_("các tư liệu"),
        help_text=_("Cho bộ sưu tập ảnh và dòng thời gian. Chỉ những tư liệu công khai được hiện."),
    )

    # The history (both languages, the gallery's items) is registered in exhibits.translation.

    class Meta:
        ordering = ["exhibit", "position", "pk"]
        verbose_name = _("khối nội dung")
        verbose_name_plural = _("khối nội dung")

    def __str__(self) -> str:
        return f"{self.position}. {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        # The original columns of the translated texts hold the Vietnamese, as the exhibit's do.
        with translation.override(settings.LANGUAGE_CODE):
            super().save(*args, **kwargs)

    def clean(self) -> None:
        # The Vietnamese text is the one every block has (the form's field is ``text_vi``).
        if self.kind in (self.Kind.TEXT, self.Kind.QUOTE) and not (self.text_vi or "").strip():
            raise ValidationError(
                {"text_vi": _("Nội dung: khối đoạn văn hoặc trích dẫn cần có nội dung; hãy nhập chữ.")}
            )
        if self.kind in (self.Kind.ITEM, self.Kind.VIDEO) and not self.item_id:
            raise ValidationError(
                {"item": _("Tư liệu, hiện vật: khối một tư liệu hoặc phim, video cần chọn một tư liệu.")}
            )

    def timeline_entries(self) -> list[tuple[str, str]]:
        """The text's lines as (when, what): "1948: Thành lập ..." -> ("1948", "Thành lập ...")."""
        entries = []
        for line in self.text.splitlines():
            line = line.strip()
            if not line:
                continue
            match = re.match(r"^([^:–-]{1,40}?)\s*[:–-]\s+(.+)$", line)
            entries.append((match.group(1), match.group(2)) if match else ("", line))
        return entries


# Audio-guide tours live in their own module (exhibits.tours).
from exhibits.tours import Tour, TourStop  # noqa: E402, F401
