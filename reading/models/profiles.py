"""A reader's profile: who they are, for whom they read, and the standing staff confirmed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReaderProfile(models.Model):
    """The person behind an account: name, body (a register entry) or institution, purpose.

    A person signs up with no standing; staff confirm them as a member of the Bloc (who then sees
    internal items) or as a researcher (who may ask to read what is not public online).
    """

    class Standing(models.TextChoices):
        UNCONFIRMED = "", _("Chưa xác nhận")
        MEMBER = "member", _("Cán bộ, đảng viên Đảng bộ Khối")
        RESEARCHER = "researcher", _("Nhà nghiên cứu")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile", verbose_name=_("tài khoản")
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    body = models.ForeignKey(
        "archive.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="readers",
        verbose_name=_("tổ chức đảng, cơ quan"),
        help_text=_("Đảng ủy trực thuộc hoặc cơ quan trong Đảng bộ Khối."),
    )
    institution = models.CharField(
        _("cơ quan, trường, viện"),
        max_length=255,
        blank=True,
        help_text=_("Nơi công tác hoặc học tập, nếu không thuộc tổ chức nào trong danh sách."),
    )
    purpose = models.TextField(_("mục đích sử dụng tư liệu"), max_length=2000)
    standing = models.CharField(_("tư cách"), max_length=12, choices=Standing.choices, default="", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
        editable=False,
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bạn đọc")
        verbose_name_plural = _("bạn đọc")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | ~Q(institution=""),
                name="reader_profile_body_or_institution",
                violation_error_message=_("Cần chọn tổ chức đảng, cơ quan hoặc ghi nơi công tác, học tập."),
            ),
            models.CheckConstraint(
                condition=Q(standing="") | Q(confirmed_at__isnull=False),
                name="reader_profile_standing_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def affiliation(self) -> str:
        return str(self.body) if self.body_id else self.institution

    @property
    def is_member(self) -> bool:
        return self.standing == self.Standing.MEMBER
