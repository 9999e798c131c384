"""The small registers the public pages show around the items: the periods with their spans, the
bodies, the congresses and venues, the leadership, the published exhibits and which items they
show.

Each is read in one query when first asked for and kept in the cache under the content version
(``exhibits.cache``): any save or delete of these records moves the version, so an edit shows at
once. A page then takes what it shows from a register of a few dozen rows instead of asking the
database again; at 100,000 items an item page saved a joined query and the exhibits' semi-join
this way, and a period page its bodies, leadership and exhibits.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.cache import cache
from django.utils import timezone

from archive.models import Body, Congress, Period, Position, Venue
from exhibits.cache import PAGE_TIMEOUT, content_version
from exhibits.models import Exhibit, ExhibitBlock
from traditions.content import remembered

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


def _exhibit_items() -> dict[int, set[int]]:
    """The published exhibits that show each item, as a block's item or in its gallery: one query
    of the blocks joined to their galleries."""
    shown: dict[int, set[int]] = defaultdict(set)
    blocks = ExhibitBlock.objects.filter(exhibit__status=Exhibit.Status.PUBLISHED)
    for exhibit_id, item_id, gallery_item_id in blocks.values_list("exhibit_id", "item_id", "items__id"):
        for pk in (item_id, gallery_item_id):
            if pk is not None:
                shown[pk].add(exhibit_id)
    return dict(shown)


REGISTERS = {
    "periods": lambda: list(Period.objects.with_spans()),
    "bodies": lambda: list(Body.objects.public()),
    "congresses": lambda: list(Congress.objects.select_related("body")),
    "venues": lambda: list(Venue.objects.all()),
    "leadership": lambda: list(leadership_positions(Position.objects.all())),
    "exhibits": lambda: list(Exhibit.objects.published().select_related("period")),
    "exhibit_items": _exhibit_items,
}


def cached_register(name: str):
    """A register of ``REGISTERS`` in its order, from the cache while the content version holds
    (and from this process's last reading of it, without unpickling, while its key is the same,
    for as long as the cache would keep it)."""
    key = f"exhibits:register-{name}:{content_version()}:{timezone.localdate().isoformat()}"

    def read():
        rows = cache.get(key)
        if rows is None:
            rows = REGISTERS[name]()
            cache.set(key, rows, REGISTER_TIMEOUT)
        return rows

    return remembered(("exhibits-register", name), key, read, timeout=REGISTER_TIMEOUT)


def by_key(name: str) -> dict:
    """A register as a dict by primary key."""
    return {row.pk: row for row in cached_register(name)}
