"""The institution's record as every page, email, leaflet, label and citation reads it.

``current()`` keeps the one record in the project's shared cache (the one every worker sees, see
``basics.content``), so a page costs no query for it; saving or deleting the record drops the kept
copy at once and again when the transaction commits (``forget``, connected in ``archive.apps``),
and moves the content version too, so cached public pages show the new name.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from archive.models.institution import SINGLETON_PK, Institution

CACHE_KEY = "archive:institution"


def current() -> Institution:
    """The institution's record (an empty, unsaved one before the data migration has run)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = Institution.objects.filter(pk=SINGLETON_PK).first() or Institution()
        cache.set(CACHE_KEY, found, timeout=None)
    return found


def _drop() -> None:
    cache.delete(CACHE_KEY)


def forget(**kwargs) -> None:
    """Signal receiver: the record changed, the kept copy is read again."""
    _drop()
    transaction.on_commit(_drop)
