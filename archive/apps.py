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
            ],
            [models.Item.bodies.through, models.Item.people.through, models.Item.keywords.through],
            label="archive",
        )
