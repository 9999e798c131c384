from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitsConfig(AppConfig):
    """The public face: home, periods, timeline, leaders, items, exhibits, QR labels."""

    name = "exhibits"
    verbose_name = _("Trang công khai và trưng bày trực tuyến")

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from archive import models as archive_models
        from exhibits.admin import attach_label_action
        from exhibits.cache import bump_content_version
        from exhibits.models import Exhibit, ExhibitBlock

        # Cache invalidation only (no business flow): any change to what the public pages show
        # moves the page cache to a new version.
        watched = [
            archive_models.Item,
            archive_models.MediaFile,
            archive_models.Period,
            archive_models.PeriodSpan,
            archive_models.Venue,
            archive_models.Body,
            archive_models.Keyword,
            archive_models.Congress,
            archive_models.Term,
            archive_models.Person,
            archive_models.Position,
            Exhibit,
            ExhibitBlock,
        ]
        for model in watched:
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"exhibits-cache-save-{model.__name__}")
            post_delete.connect(
                bump_content_version, sender=model, dispatch_uid=f"exhibits-cache-delete-{model.__name__}"
            )
        for through in (
            archive_models.Item.bodies.through,
            archive_models.Item.people.through,
            archive_models.Item.keywords.through,
            ExhibitBlock.items.through,
        ):
            m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"exhibits-cache-m2m-{through}")

        attach_label_action(admin.site)
