from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingConfig(AppConfig):
    """Readers' accounts (members, researchers), their reading and copy requests and the log of use."""

    name = "reading"
    verbose_name = _("Bạn đọc, yêu cầu đọc và sao tư liệu")
