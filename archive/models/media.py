"""Digitised media of items: scans, photos, PDFs, video and audio, with their derivatives."""

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from archive.secrecy import classified_file_error


def media_upload_to(instance: "MediaFile", filename: str) -> str:
    """Stored names are random UUIDs; the original name is kept in ``original_name`` for display."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"items/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


def derivative_upload_to(instance: "MediaFile", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"derivatives/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class MediaFile(models.Model):
    """One digitised file of an item, ordered, one of them primary, with checksum and derivatives.

    The original is stored by the upload; the derivatives (thumbnail, medium, large, the deep-zoom
    tiles of an image or of each PDF page) are made by a background job (archive.tasks), whose
    progress ``status`` tells.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ xử lý")
        WORKING = "working", _("Đang xử lý")
        READY = "ready", _("Đã xử lý xong")
        FAILED = "failed", _("Xử lý lỗi")

    class TextStatus(models.TextChoices):
        NONE = "", _("Không đọc chữ")
        WAITING = "waiting", _("Chờ đọc chữ")
        WORKING = "working", _("Đang đọc chữ")
        READY = "ready", _("Đã đọc chữ")
        FAILED = "failed", _("Đọc chữ lỗi")

    class Kind(models.TextChoices):
        IMAGE = "image", pgettext_lazy("file kind", "Ảnh")
        PDF = "pdf", _("PDF")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Âm thanh")

    item = models.ForeignKey("archive.Item", on_delete=models.CASCADE, related_name="media", verbose_name=_("tư liệu"))
    kind = models.CharField(_("loại tệp"), max_length=10, choices=Kind.choices, editable=False)
    file = models.FileField(_("tệp"), upload_to=media_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, editable=False)
    mime_type = models.CharField(_("kiểu nội dung"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0, editable=False)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64, editable=False, db_index=True)
    width = models.PositiveIntegerField(_("chiều rộng (px)"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("chiều cao (px)"), null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True, editable=False)
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    alt_text = models.CharField(
        _("mô tả thay thế"), max_length=300, blank=True, help_text=_("Cho người dùng trình đọc màn hình.")
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_primary = models.BooleanField(_("tệp chính"), default=False)
    thumbnail = models.ImageField(_("ảnh thu nhỏ"), upload_to=derivative_upload_to, blank=True, editable=False)
    medium = models.ImageField(_("ảnh cỡ vừa"), upload_to=derivative_upload_to, blank=True, editable=False)
    large = models.ImageField(_("ảnh cỡ lớn"), upload_to=derivative_upload_to, blank=True, editable=False)
    #: Storage prefix of the IIIF level-0 tiles: ``<tiles>/<n>/info.json`` for the image (n = 0) or
    #: each PDF page (n = 0 … tiled_pages − 1). Empty until the job has made them.
    tiles = models.CharField(_("thư mục ảnh phóng to"), max_length=255, blank=True, editable=False)
    tiled_pages = models.PositiveIntegerField(_("số ảnh phóng to"), default=0, editable=False)
    #: ``{"width", "height", "whole"}`` of each tiled picture, in its order: its size as its
    #: ``info.json`` says and the size of the tile that shows it whole (``processing.picture_facts``),
    #: for the canvases of the IIIF manifest (``archive.iiif``) without reading the tiles' storage.
    tiled_sizes = models.JSONField(_("kích thước ảnh phóng to"), default=list, blank=True, editable=False)
    #: Length of a film or recording in seconds, read by the job with ffprobe.
    duration = models.FloatField(_("thời lượng (giây)"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("trạng thái xử lý"), max_length=10, choices=Status.choices, default=Status.WAITING, editable=False
    )
    failure_reason = models.TextField(_("lý do lỗi xử lý"), blank=True, editable=False)
    #: The text of the pages (``archive.page_text``): its state, and what staff should know of it
    #: (pages that had no text, a garbage text layer read again by OCR, pages left unread).
    text_status = models.CharField(
        _("trạng thái đọc chữ"), max_length=10, choices=TextStatus.choices, default="", blank=True, editable=False
    )
    text_note = models.TextField(_("ghi chú đọc chữ"), blank=True, editable=False)
    #: A searchable PDF/A copy of a scanned PDF made by OCRmyPDF, offered for download beside the original.
    searchable_pdf = models.FileField(
        _("bản PDF tìm được chữ"), upload_to=derivative_upload_to, max_length=255, blank=True, editable=False
    )
    processed_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "-is_primary", "position", "pk"]
        verbose_name = _("tệp số hóa")
        verbose_name_plural = _("tệp số hóa")
        indexes = [
            # The home page's film ("a featured item with a video") starts from the rare video files.
            models.Index(fields=["kind", "item"], name="media_kind_item_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(is_primary=True),
                name="mediafile_one_primary_per_item",
                violation_error_message=_("Mỗi tư liệu chỉ có một tệp chính."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.file.name

    def clean(self) -> None:
        """Refuse a file for a classified item on an internet-facing instance (archive.secrecy)."""
        if self.item_id is None:
            return
        item = self.item
        error = classified_file_error(
            confidentiality=item.confidentiality, level_label=item.get_confidentiality_display()
        )
        if error is not None:
            raise ValidationError({"file": error})

    @property
    def has_tiles(self) -> bool:
        return bool(self.tiles and self.tiled_pages)

    @property
    def duration_label(self) -> str:
        """The length of a film or recording as players show it: "2:05", "1:02:03"; empty if unknown."""
        if not self.duration:
            return ""
        minutes, seconds = divmod(round(self.duration), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    def tile_name(self, page: int, path: str) -> str:
        """The stored name of one tile file (or ``info.json``) of image ``page``."""
        return f"{self.tiles}/{int(page)}/{path}"
