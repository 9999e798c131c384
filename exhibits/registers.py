"""The small registers the public pages show around the items: the periods with their spans, the
bodies, the venues, the leadership and the published exhibits.

Each is read by its queryset when first asked for and kept in the cache under the content version
(``exhibits.cache``): any save or delete of these records moves the version, so an edit shows at
once, and a page takes what it shows from a register of a few dozen rows.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from archive.models import Body, Period, Position, Venue
from exhibits.cache import PAGE_TIMEOUT, content_version
from exhibits.models import Exhibit

#: How long a register may stay in the cache (the content version replaces it sooner on an edit):
#: as long as a cached page, for what changes without a signal (bulk loads).
REGISTER_TIMEOUT = PAGE_TIMEOUT

#: What the leadership lists show of a position, its person, body and term.
LEADERSHIP_FIELDS = (
    "role",
    "role_rank",
    "is_interim",
    "person__full_name",
    "person__sort_name",
    "person__birth_year",
    "person__death_year",
    "body__name",
    "body__name_en",
    "body__period",
    "term__name",
    "term__start_year",
    "term__end_year",
)


def leadership_positions(positions):
    """Positions with their person, body and term, read for the leadership lists only."""
    return positions.select_related("person", "body", "term").only(*LEADERSHIP_FIELDS)


REGISTERS = {
    "periods": lambda: list(Period.objects.with_spans()),
    "bodies": lambda: list(Body.objects.public()),
    "venues": lambda: list(Venue.objects.all()),
    "leadership": lambda: list(leadership_positions(Position.objects.all())),
    "exhibits": lambda: list(Exhibit.objects.published().select_related("period")),
}


def cached_register(name: str) -> list:
    """A register of ``REGISTERS`` in its order, from the cache while the content version holds."""
    key = f"exhibits:register-{name}:{content_version()}:{timezone.localdate().isoformat()}"
    rows = cache.get(key)
    if rows is None:
        rows = REGISTERS[name]()
        cache.set(key, rows, REGISTER_TIMEOUT)
    return rows


def by_key(name: str) -> dict:
    """A register as a dict by primary key."""
    return {row.pk: row for row in cached_register(name)}
