"""How the public used the collection: one counter per day, kind of use and thing used.

A row holds no address, no cookie and nothing about who asked: the day, what was used (an
inventory number, an exhibit's slug, a tour stop's code, the folded words of a search) and how
many times. Rows are written by ``archive.usage.usage_record`` only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageKind(models.TextChoices):
    ITEM_VIEW = "item", _("Xem trang tư liệu, hiện vật")
    EXHIBIT_VIEW = "exhibit", _("Xem chuyên đề trưng bày")
    DOWNLOAD = "download", _("Tải tệp về")
    SEARCH = "search", _("Lượt tìm kiếm")
    SEARCH_EMPTY = "search_empty", _("Tìm kiếm không có kết quả")
    QR_SCAN = "qr", _("Quét mã QR")
    TOUR_STOP = "tour_stop", _("Nghe điểm dừng thuyết minh")


class UsageCount(models.Model):
    """How many times one thing was used in one way on one day."""

    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại khai thác"), max_length=12, choices=UsageKind.choices)
    ref = models.CharField(_("đối tượng"), max_length=120, blank=True)
    count = models.PositiveIntegerField(_("số lượt"), default=0)

    class Meta:
        ordering = ["-day", "kind", "ref"]
        verbose_name = _("lượt khai thác")
        verbose_name_plural = _("lượt khai thác")
        constraints = [models.UniqueConstraint(fields=["day", "kind", "ref"], name="usagecount_one_row_per_day")]
        indexes = [models.Index(fields=["kind", "day"], name="usagecount_kind_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()} {self.ref}: {self.count}"
