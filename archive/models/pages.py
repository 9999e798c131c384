"""The text of each page of a digitised document: read from a PDF's text layer or by OCR, then
proofread by staff; folded for search as the items' own text is (``archive.models.items``)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archive.models.items import SearchCodes, WordsVector, search_text_of

#: The columns the database writes from ``search_text``, never read or written by Python.
GENERATED_PAGE_FIELDS = ("search_codes", "search_vector")


class PageText(models.Model):
    """What one page (1, 2, …) of a media file says, with each word's box on the page's picture.

    ``words`` is ``[[word, x, y, w, h], …]`` in the pixels of the tiled picture of that page
    (``MediaFile.tiled_sizes``), so the viewer and the IIIF search answer place them as they are.
    ``corrected_text``, once a person wrote it, is what the page says: it replaces the machine's
    text in search and on screen, and the history keeps every correction.
    """

    class Source(models.TextChoices):
        TEXT_LAYER = "text_layer", _("Lớp chữ của PDF")
        OCR = "ocr", _("Nhận dạng chữ (OCR)")

    media_file = models.ForeignKey(
        "archive.MediaFile", on_delete=models.CASCADE, related_name="page_texts", verbose_name=_("tệp số hóa")
    )
    #: The media file's item, kept here so that search joins one table (set by the job, never edited).
    item = models.ForeignKey(
        "archive.Item", on_delete=models.CASCADE, related_name="page_texts", editable=False, verbose_name=_("tư liệu")
    )
    page = models.PositiveIntegerField(_("trang"), editable=False)
    source = models.CharField(_("nguồn chữ"), max_length=12, choices=Source.choices, editable=False)
    text = models.TextField(_("chữ đọc được"), blank=True, editable=False)
    corrected_text = models.TextField(
        _("chữ đã soát"), blank=True, help_text=_("Để trống thì dùng chữ đọc được; chữ đã soát thay thế khi tìm kiếm.")
    )
    words = models.JSONField(_("vị trí các chữ"), default=list, blank=True, editable=False)
    checked = models.BooleanField(_("đã soát"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("người soát"),
    )
    checked_at = models.DateTimeField(_("soát lúc"), null=True, blank=True, editable=False)
    read_at = models.DateTimeField(_("đọc lúc"), auto_now_add=True)

    search_text = models.TextField(editable=False, blank=True)
    search_codes = models.GeneratedField(expression=SearchCodes(), output_field=models.TextField(), db_persist=True)
    search_vector = models.GeneratedField(
        expression=WordsVector(models.F("search_text")), output_field=SearchVectorField(), db_persist=True
    )

    history = HistoricalRecords(excluded_fields=["search_text", "words", *GENERATED_PAGE_FIELDS])

    class Meta:
        ordering = ["media_file", "page"]
        verbose_name = _("chữ của trang")
        verbose_name_plural = _("chữ của các trang")
        constraints = [models.UniqueConstraint(fields=["media_file", "page"], name="pagetext_one_per_page")]
        # The full-text (GIN) index of search_vector and the trigram index of search_codes exist
        # on PostgreSQL only (migration 0029), as the items' own.

    def __str__(self) -> str:
        return _("Trang %(page)d của %(name)s") % {"page": self.page, "name": self.media_file}

    def save(self, *args, **kwargs):
        self.search_text = search_text_of(self.shown_text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    @property
    def shown_text(self) -> str:
        """What the page says: the correction when there is one, else the machine's reading."""
        return self.corrected_text or self.text
