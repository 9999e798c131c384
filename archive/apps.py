from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """The collection: periods, bodies, congresses and terms, people, files, items, media, venues."""

    name = "archive"
    verbose_name = _("Kho tư liệu, hiện vật")

    def ready(self) -> None:
        from archive import models
        from basics.content import watch

        # Cache invalidation only (no business flow): any change to what the public pages or the
        # admin list's filters show moves the content version (basics.content).
        watch(
            [
                models.Item,
                models.MediaFile,
                models.Period,
                models.PeriodSpan,
                models.Venue,
                models.Body,
                models.Keyword,
                models.Congress,
                models.Term,
                models.Person,
                models.Position,
                models.Institution,
            ],
            [models.Item.bodies.through, models.Item.people.through, models.Item.keywords.through],
            label="archive",
        )
        from django.db.models.signals import post_delete, post_save

        from archive.institution import forget

        post_save.connect(forget, sender=models.Institution, dispatch_uid="archive-institution-save")
        post_delete.connect(forget, sender=models.Institution, dispatch_uid="archive-institution-delete")
