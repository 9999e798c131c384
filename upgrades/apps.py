from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpgradesConfig(AppConfig):
    """Upgrade work items of the Room and the House, deadlines and budget."""

    name = "upgrades"
    verbose_name = _("Nâng cấp Phòng, Nhà Truyền thống")
