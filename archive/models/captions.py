"""Captions of films and recordings: one WebVTT file per language, with its text as a transcript."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: Each caption language's name in itself (not translated: "English" reads so on the Vietnamese site).
OWN_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def caption_upload_to(instance: "CaptionTrack", filename: str) -> str:
    """Stored captions are WebVTT under a random name (what staff uploaded may have been SRT)."""
    return f"captions/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.vtt"


class CaptionTrack(models.Model):
    """The captions of a video or audio file in one language (WCAG 2.1 SC 1.2.1, 1.2.2).

    ``file`` is always WebVTT, checked cue by cue before it was stored (``archive.captions``);
    ``text`` is what the cues say, without timings or tags: the transcript shown below the
    player and searched with the item.
    """

    class Language(models.TextChoices):
        VI = "vi", _("Tiếng Việt")
        EN = "en", _("Tiếng Anh")

    media_file = models.ForeignKey(
        "archive.MediaFile", on_delete=models.CASCADE, related_name="captions", verbose_name=_("tệp số hóa")
    )
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=Language.choices, default=Language.VI)
    file = models.FileField(
        _("tệp phụ đề"),
        upload_to=caption_upload_to,
        max_length=255,
        help_text=_("Tệp WebVTT (.vtt) hoặc SRT (.srt), mã UTF-8; tệp SRT được chuyển sang WebVTT."),
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, editable=False)
    text = models.TextField(_("lời thoại (bản ghi)"), blank=True, editable=False)
    cue_count = models.PositiveIntegerField(_("số câu phụ đề"), default=0, editable=False)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["media_file", "language"]
        verbose_name = _("phụ đề")
        verbose_name_plural = _("phụ đề")
        constraints = [
            models.UniqueConstraint(
                fields=["media_file", "language"],
                name="caption_one_per_language",
                violation_error_message=_("Mỗi tệp số hóa chỉ có một tệp phụ đề cho mỗi ngôn ngữ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.original_name}"

    @property
    def own_name(self) -> str:
        """The language's name in itself, as a player's caption menu lists it on every page."""
        return OWN_NAMES.get(self.language, self.language)
