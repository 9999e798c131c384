from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitsConfig(AppConfig):
    """The public face: home, periods, timeline, leaders, items, exhibits, QR labels."""

    name = "exhibits"
    verbose_name = _("Trang công khai và trưng bày trực tuyến")

    def ready(self) -> None:
        from basics.content import watch
        from exhibits.models import Exhibit, ExhibitBlock
        from exhibits.tours import Tour, TourStop

        # Cache invalidation only (no business flow): a change to an exhibit moves the content
        # version, as the archive's records do (archive.apps).
        watch([Exhibit, ExhibitBlock], [ExhibitBlock.items.through], label="exhibits")
        watch([Tour, TourStop], label="exhibits-tours")
