from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitsConfig(AppConfig):
    """The public face: home, periods, timeline, leaders, items, exhibits, QR labels."""

    name = "exhibits"
    verbose_name = _("Trang công khai và trưng bày trực tuyến")
