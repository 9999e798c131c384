from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class BookingsConfig(AppConfig):
    """Visit bookings of the Room and the House by party committees."""

    name = "bookings"
    verbose_name = pgettext_lazy("records", "Đăng ký tham quan")
