"""The institution that runs the Room and the House, as data ("Thông tin đơn vị")."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

SINGLETON_PK = 1


class Institution(models.Model):
    """The one record of who runs the system: its names, its parent body, the Board that manages the
    Room, how to reach it and who signs its reports. Every page, email, leaflet, label and citation
    reads it through ``archive.institution.current()``, so a renamed or merged organisation is
    renamed everywhere by editing this record."""

    name = models.CharField(
        _("tên đầy đủ"), max_length=255, help_text=_("Như in đầu trang, trong thư, tờ rơi, nhãn và trích dẫn.")
    )
    name_en = models.CharField(_("tên đầy đủ tiếng Anh"), max_length=255, blank=True)
    short_name = models.CharField(_("tên ngắn"), max_length=100, help_text=_("Dùng trong câu, khi đã nêu tên đầy đủ."))
    short_name_en = models.CharField(_("tên ngắn tiếng Anh"), max_length=100, blank=True)
    parent_body = models.CharField(_("cơ quan cấp trên"), max_length=255, blank=True)
    board = models.CharField(
        _("ban quản lý Phòng Truyền thống"),
        max_length=255,
        help_text=_("Ban quản lý, khai thác Phòng Truyền thống, Nhà Truyền thống; ký tờ rơi và thư."),
    )
    board_en = models.CharField(_("ban quản lý (tiếng Anh)"), max_length=255, blank=True)
    board_short = models.CharField(
        _("tên ngắn của ban"), max_length=150, help_text=_("Dùng trong câu của thư và trang, khi đã nêu tên đầy đủ.")
    )
    board_short_en = models.CharField(_("tên ngắn của ban (tiếng Anh)"), max_length=150, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    logo = models.ImageField(_("biểu trưng (logo)"), upload_to="institution/", blank=True)
    signer_title = models.CharField(
        _("chức danh người ký báo cáo"),
        max_length=255,
        blank=True,
        help_text=_("In ở cuối báo cáo, ví dụ: TRƯỞNG BAN."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thông tin đơn vị")
        verbose_name_plural = _("thông tin đơn vị")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=SINGLETON_PK), name="institution_singleton"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.pk = SINGLETON_PK  # the one record: a second save of a new object edits it
        super().save(*args, **kwargs)

    def _shown(self, field: str) -> str:
        english = getattr(self, f"{field}_en", "")
        return english if english and get_language() == "en" else getattr(self, field)

    @property
    def shown_name(self) -> str:
        """The full name in the page's language (the Vietnamese one when no English name is given)."""
        return self._shown("name")

    @property
    def shown_short_name(self) -> str:
        return self._shown("short_name")

    @property
    def shown_board(self) -> str:
        return self._shown("board")

    @property
    def shown_board_short(self) -> str:
        return self._shown("board_short")
