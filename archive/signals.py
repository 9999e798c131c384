"""Keep ``Item.has_media`` and ``Item.body_ids`` (see ``archive.models.items.RELATED_FACTS``) in step
with the media files and the item–body links, whichever side changes them.

Bulk paths that bypass signals (``seed_bulk``, the import's ``bulk_create``) write the two columns
themselves.
"""

import contextlib
import contextvars

from django.db.models.signals import m2m_changed, post_delete, post_save

from archive.models import Item, MediaFile
from archive.models.items import refresh_related_facts

# Set while rows are loaded as they were saved (a backup restored): their columns are already right.
_paused = contextvars.ContextVar("archive_related_facts_paused", default=False)


@contextlib.contextmanager
def related_facts_paused():
    """Leave ``has_media``/``body_ids`` alone while loading rows that carry them (``loaddata`` sets
    many-to-many links through ``m2m_changed``, which, unlike ``post_save``, has no ``raw`` flag)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def media_changed(sender, instance: MediaFile, raw=False, **kwargs) -> None:
    if raw or _paused.get():
        return  # a restore or fixture load writes the item's columns as they were saved
    written = refresh_related_facts([instance.item_id])
    if instance.item_id in written and MediaFile.item.is_cached(instance):
        # The item object a form may still hold: keep it true as well.
        instance.item.has_media = written[instance.item_id].has_media


def bodies_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if _paused.get():
        return
    if action == "pre_clear" and reverse:
        # Clearing a body's items: remember which, the post_clear signal does not say.
        instance._cleared_item_ids = list(instance.items.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_related_facts([instance.pk])
    elif action == "post_clear":
        refresh_related_facts(getattr(instance, "_cleared_item_ids", []))
    else:
        refresh_related_facts(pk_set or [])


def connect() -> None:
    post_save.connect(media_changed, sender=MediaFile, dispatch_uid="archive-related-facts-media-save")
    post_delete.connect(media_changed, sender=MediaFile, dispatch_uid="archive-related-facts-media-delete")
    m2m_changed.connect(bodies_changed, sender=Item.bodies.through, dispatch_uid="archive-related-facts-bodies")
