"""Reads of the public pages: plain querysets over the archive's public holdings.

Every item a visitor can reach comes from ``Item.objects.public()``. Each function returns what
one part of a page shows, with the related rows it needs already joined or prefetched, so a
page's query count does not grow with the number of items it lists.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import reduce
from typing import NamedTuple

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from archive.models import Body, Congress, Item, Keyword, MediaFile, Person, Position
from exhibits import search
from exhibits.cache import content_version
from exhibits.models import Exhibit, ExhibitBlock

#: The item columns a card reads (the snippet of a search result falls back on the description).
CARD_FIELDS = (
    "id",
    "inventory_number",
    "kind",
    "title",
    "summary",
    "description",
    "date_start",
    "date_precision",
    "date_circa",
)
#: The media columns that choosing and addressing a card's picture (or an exhibit's film) reads.
PICTURE_FIELDS = ("id", "item_id", "kind", "mime_type", "file", "thumbnail", "medium", "large", "width", "height")
#: The order of an item's media files: the primary one first, then as staff placed them.
MEDIA_ORDER = ("-is_primary", "position", "pk")
#: Items by date, the undated last, then by key, on every database.
BY_DATE = search.BY_DATE


def public_items() -> QuerySet[Item]:
    return Item.objects.public()


def media_in_order() -> QuerySet[MediaFile]:
    return MediaFile.objects.order_by(*MEDIA_ORDER)


def card_pictures() -> Prefetch:
    """An item card's media files in order (the card's picture is the first that has one: the
    ``card_picture`` filter)."""
    return Prefetch("media", queryset=media_in_order().only(*PICTURE_FIELDS))


def item_cards(queryset: QuerySet[Item]) -> QuerySet[Item]:
    """``queryset`` with what a card shows: its columns and its pictures."""
    return queryset.only(*CARD_FIELDS).prefetch_related(card_pictures())


# Home and periods ---------------------------------------------------------------------


def latest_items(limit: int = 8) -> QuerySet[Item]:
    return item_cards(public_items().order_by("-published_at", "-pk"))[:limit]


def intro_video() -> Item | None:
    """The earliest featured public item that has a film."""
    featured = public_items().filter(is_featured=True, media__kind=MediaFile.Kind.VIDEO)
    return featured.only("inventory_number", "title").order_by("date_start", "pk").first()


def films_of(item: Item) -> QuerySet[MediaFile]:
    return media_in_order().filter(item=item, kind=MediaFile.Kind.VIDEO)


def period_items(period_id: int, *, artifacts: bool, limit: int = 8) -> QuerySet[Item]:
    """The first public documents (or artifacts) of a period by date."""
    artifact = Q(kind=Item.Kind.ARTIFACT)
    in_period = public_items().filter(artifact if artifacts else ~artifact, period_id=period_id)
    return item_cards(in_period.order_by(*BY_DATE))[:limit]


def timeline_bodies() -> QuerySet[Body]:
    """Bodies with a founding or a dissolution date."""
    return Body.objects.filter(Q(founded_on__isnull=False) | Q(dissolved_on__isnull=False))


def timeline_congresses() -> QuerySet[Congress]:
    return Congress.objects.filter(held_from__isnull=False).select_related("body")


def timeline_items(limit: int = 100) -> QuerySet[Item]:
    """The earliest dated featured public items."""
    return public_items().filter(is_featured=True, date_start__isnull=False).order_by("date_start")[:limit]


# Browse and search --------------------------------------------------------------------


class CountedPaginator(Paginator):
    """Pages of a queryset whose matches are already counted (by the facets)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


class BrowseResults(NamedTuple):
    facets: search.Facets
    page: Page


def browse_matches(values: dict) -> tuple[search.Facets, Sequence[Item]]:
    """The facet counts of the items matching the query and filters, and those items as cards in
    the chosen order (relevance when there is a query), read only as far as they are sliced."""
    query = values.get("q") or ""
    sort = values.get("sort") or ("relevance" if query else "-published")
    matching = search.matching_queryset(values)
    facets = search.facet_counts(matching, values)
    if query and sort == "relevance":
        ordered = search.RankedMatches(
            matching, query, count=facets.total, fields=CARD_FIELDS, prefetch=[card_pictures()]
        )
    else:
        ordered = item_cards(search.order(matching, sort))
    return facets, ordered


def browse(values: dict, page_number, *, per_page: int = 20) -> BrowseResults:
    """The facet counts of the matching items and one page of them (``browse_matches``)."""
    facets, ordered = browse_matches(values)
    return BrowseResults(facets, CountedPaginator(ordered, per_page, count=facets.total).get_page(page_number))


def people_named(words: list[str], limit: int = 10) -> list[Person]:
    """Public people whose folded name has every word."""
    if not words:
        return []
    queryset = Person.objects.public()
    for word in words:
        queryset = queryset.filter(folded_name__contains=word)
    return list(queryset.order_by("sort_name")[:limit])


def suggestion_vocabulary() -> search.Vocabulary:
    """The vocabulary of the suggestions, kept in the cache while the content version holds."""
    key = f"exhibits:vocabulary:{content_version()}:{timezone.localdate().isoformat()}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        vocabulary = search.Vocabulary.of(suggestion_texts())
        cache.set(key, vocabulary, search.FACET_TIMEOUT)
    return vocabulary


def suggestion_texts(limit: int = 5000) -> list[str]:
    """The words a suggestion may be built from: the titles of public items (the newest first,
    at most ``limit``) and the public keywords, people and bodies, as written."""
    titles = list(public_items().order_by("-published_at", "-pk").values_list("title", flat=True)[:limit])
    keywords = list(Keyword.objects.public().values_list("name", flat=True)[:limit])
    people = list(Person.objects.public().values_list("full_name", flat=True)[:limit])
    bodies = list(Body.objects.public().values_list("name", flat=True)[:limit])
    return titles + keywords + people + bodies


def public_keyword(pk: int | None) -> Keyword | None:
    """A keyword that some public item carries (the name of a filter of the list)."""
    return Keyword.objects.public().filter(pk=pk).first() if pk else None


# People -------------------------------------------------------------------------------


def person_page(pk: int) -> Person | None:
    """A public person with their positions (by term, seniority first), each with its body and term."""
    positions = Position.objects.select_related("body", "term").order_by(
        "term__start_year", "start_date", "role_rank", "pk"
    )
    queryset = Person.objects.public().filter(pk=pk).prefetch_related(Prefetch("positions", queryset=positions))
    return queryset.first()


def person_items(person: Person, page_number, *, per_page: int = 24) -> Page:
    """The public items that name ``person`` or that they signed, by date, as cards."""
    named = public_items().filter(Q(people=person) | Q(signer=person))
    return Paginator(
        item_cards(public_items().filter(pk__in=named.values("pk")).order_by(*BY_DATE)), per_page
    ).get_page(page_number)


# Items --------------------------------------------------------------------------------


def item_page(inventory_number: str, items: QuerySet[Item] | None = None) -> Item | None:
    """A public item (or one of ``items``: what this visitor is shown, ``archive.models.items_for``)
    with what its page shows: its registers joined, its bodies, people (by sort name), keywords (by
    name) and media files (in order) prefetched."""
    queryset = (
        (public_items() if items is None else items)
        .filter(inventory_number=inventory_number)
        .select_related("period", "issuing_body", "signer", "congress", "dossier", "venue")
        .prefetch_related(
            Prefetch("bodies", queryset=Body.objects.all()),
            Prefetch("people", queryset=Person.objects.order_by("sort_name", "pk")),
            Prefetch("keywords", queryset=Keyword.objects.order_by("name", "pk")),
            Prefetch("media", queryset=media_in_order()),
        )
    )
    return queryset.first()


def pk_in_any(subqueries: list[QuerySet]) -> Q:
    """Rows whose key one of the (sliced) ``subqueries`` yields.

    Where the database can slice inside a UNION (PostgreSQL), a UNION ALL of the subqueries, each
    answered by its own index scan; ``pk IN (a) OR pk IN (b)`` there reads the whole table. SQLite
    cannot, and takes the ORs.
    """
    features = connections[subqueries[0].db].features
    if len(subqueries) > 1 and features.supports_slicing_ordering_in_compound:
        return Q(pk__in=subqueries[0].union(*subqueries[1:], all=True))
    return reduce(operator.or_, (Q(pk__in=subquery) for subquery in subqueries))


def related_items(item: Item, limit: int = 6) -> list[Item]:
    """Public items of the same congress, then sharing a body, then of the same period, by date
    within each (the undated last).

    The candidates are the first ``limit`` of each kind (sliced subqueries the indexes answer, so
    the cost does not grow with the size of a period); they alone are ranked. ``item.bodies`` is
    read as prefetched by ``item_page``.
    """
    body_ids = [body.pk for body in item.bodies.all()]
    others = public_items().exclude(pk=item.pk)
    nearest, closeness = [], []
    if item.congress_id is not None:
        nearest.append(others.filter(congress_id=item.congress_id).order_by(*BY_DATE).values("pk")[:limit])
        closeness.append(When(congress_id=item.congress_id, then=Value(3)))
    if body_ids:
        # The first catalogued items linked to one of the bodies, read along the links' index.
        links = Item.bodies.through.objects.filter(body_id__in=body_ids)
        nearest.append(links.filter(item__in=others.order_by()).order_by("item_id").values("item_id")[:limit])
        shares_body = Exists(links.filter(item_id=OuterRef("pk")))
        closeness.append(When(shares_body, then=Value(2)))
    if item.period_id is not None:
        nearest.append(others.filter(period_id=item.period_id).order_by(*BY_DATE).values("pk")[:limit])
    if not nearest:
        return []
    candidates = Item.objects.filter(pk_in_any(nearest))
    if closeness:
        candidates = candidates.annotate(closeness=Case(*closeness, default=Value(1), output_field=IntegerField()))
    else:
        candidates = candidates.annotate(closeness=Value(1, output_field=IntegerField()))
    return list(item_cards(candidates.order_by("-closeness", *BY_DATE))[:limit])


def exhibits_showing(item: Item) -> QuerySet[Exhibit]:
    """The published exhibits that show the item, as a block's item or in a block's gallery."""
    blocks = ExhibitBlock.objects.filter(Q(item=item) | Q(items=item), exhibit=OuterRef("pk"))
    return Exhibit.objects.published().filter(Exists(blocks))


def public_item_by_code(code: str) -> Item | None:
    """A public item by its inventory number (as labels and QR codes carry it)."""
    return public_items().filter(inventory_number=code).only("inventory_number").first()


# Exhibits -----------------------------------------------------------------------------


def exhibit_blocks(exhibit: Exhibit) -> list[ExhibitBlock]:
    """An exhibit's blocks in order, each with its item and its gallery's public items by date, as
    cards (with their media files, for the pictures and films)."""
    pictures = Prefetch("item__media", queryset=media_in_order().only(*PICTURE_FIELDS))
    gallery = Prefetch("items", queryset=item_cards(public_items().order_by("date_start", "pk")))
    blocks = ExhibitBlock.objects.filter(exhibit=exhibit).select_related("item")
    return list(blocks.prefetch_related(pictures, gallery).order_by("position", "pk"))


def videos(page_number, *, per_page: int = 12) -> Page:
    """Public films (items of the video kind, or with a film) with their media and period."""
    has_film = Exists(MediaFile.objects.filter(item=OuterRef("pk"), kind=MediaFile.Kind.VIDEO))
    queryset = public_items().filter(Q(kind=Item.Kind.VIDEO) | Q(has_film))
    queryset = queryset.select_related("period").prefetch_related(Prefetch("media", queryset=media_in_order()))
    return Paginator(queryset.order_by("-is_featured", "date_start", "pk"), per_page).get_page(page_number)
