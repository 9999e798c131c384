from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """The collection: periods, bodies, congresses and terms, people, files, items, media, venues."""

    name = "archive"
    verbose_name = _("Kho tư liệu, hiện vật")

    def ready(self) -> None:
        from archive import signals

        signals.connect()
