from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    """Visit bookings of the Room and the House by party committees."""

    name = "bookings"
    verbose_name = _("Đăng ký tham quan")
