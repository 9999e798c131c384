"""The version of the content: one key in the shared cache that any save or delete of a catalogue or
exhibit record moves, so that whatever was kept under it (the public pages, the registers they show,
the search's facet counts) is read again, on every worker at once (pretix's NamespacedCache).

Each app names the models it watches (``watch``, from its ``AppConfig.ready``): the archive its
catalogue and registers, the exhibits app its exhibits.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "exhibits:content-version"


def content_version() -> str:
    """The version of the content, in every key of the page cache, the registers and the facets.

    It starts from the clock (in microseconds) whenever the cache has none, so a flushed or
    restarted cache never gives again a version whose pages another worker may still look up.
    Every worker reads it from the one cache they share (production's database cache or Redis;
    the development server's single process keeps its own).
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        start = time.time_ns() // 1000
        cache.add(VERSION_KEY, start, timeout=None)
        version = cache.get(VERSION_KEY, start)
    return str(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (flushed): a new start from the clock is a new version
        content_version()


def bump_content_version(**kwargs) -> None:
    """Signal receiver: something public may have changed. The version moves at once and again
    when the transaction commits: a page read in between, before the change was visible, would
    otherwise stay cached under the new version."""
    _bump()
    transaction.on_commit(_bump)


def watch(models=(), through_models=(), *, label: str) -> None:
    """Move the version on every save or delete of ``models`` and every change of the
    many-to-many links of ``through_models``."""
    for model in models:
        uid = f"content-version-{label}-{model.__name__}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-delete")
    for through in through_models:
        m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"content-version-{label}-m2m-{through}")
