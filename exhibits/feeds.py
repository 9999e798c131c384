"""The Atom feed of what was newly published: public items and published exhibits, newest first.

Items come from ``Item.objects.public()`` and exhibits from ``Exhibit.objects.published()``, as on
the pages; an item published with an embargo enters the feed on the day it becomes public, dated
by its publication.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from exhibits import selectors
from exhibits.cache import public_page
from exhibits.models import Exhibit

#: Entries in the feed: the newest items and exhibits together.
FEED_SIZE = 30
#: How long a feed reader or a shared cache may keep the feed.
FEED_MAX_AGE = 300


@dataclass(frozen=True)
class Entry:
    """One entry of the feed: an item or an exhibit, with what the feed says of it."""

    title: str
    summary: str
    link: str
    published: datetime.datetime
    updated: datetime.datetime
    category: str


def newest_entries(limit: int = FEED_SIZE) -> list[Entry]:
    items = selectors.public_items().filter(published_at__isnull=False).order_by("-published_at", "-pk")
    items = items.only("inventory_number", "kind", "title", "summary", "published_at", "updated_at")[:limit]
    exhibits = Exhibit.objects.published().filter(published_at__isnull=False).order_by("-published_at", "-pk")
    exhibits = exhibits.only("slug", "title", "summary", "published_at", "updated_at")[:limit]
    entries = [
        Entry(i.title, i.summary, i.get_absolute_url(), i.published_at, i.updated_at, str(i.get_kind_display()))
        for i in items
    ]
    entries += [
        Entry(e.title, e.summary, e.get_absolute_url(), e.published_at, e.updated_at, _("Chuyên đề trưng bày"))
        for e in exhibits
    ]
    entries.sort(key=lambda entry: entry.published, reverse=True)
    return entries[:limit]


class NewlyPublishedFeed(Feed):
    """Atom 1.0: the newly published items and exhibits, in the address's language (the feed's
    ``language`` left unset, the syndication framework takes the active one)."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Phòng Truyền thống – Tư liệu và chuyên đề mới công bố")

    def subtitle(self) -> str:
        return _(
            "Tư liệu, hiện vật và chuyên đề trưng bày trực tuyến mới công bố của Đảng bộ Khối các cơ quan Trung ương."
        )

    def link(self) -> str:
        return reverse("exhibits:home")

    def feed_url(self) -> str:
        return reverse("exhibits:feed")

    def items(self) -> list[Entry]:
        return newest_entries()

    def item_title(self, entry: Entry) -> str:
        return entry.title

    def item_description(self, entry: Entry) -> str:
        return entry.summary

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_pubdate(self, entry: Entry) -> datetime.datetime:
        return entry.published

    def item_updateddate(self, entry: Entry) -> datetime.datetime:
        return max(entry.updated, entry.published)

    def item_categories(self, entry: Entry) -> list[str]:
        return [entry.category]


#: The feed's view: cached for anonymous readers like the public pages, and by clients for a while.
newly_published = require_safe(cache_control(public=True, max_age=FEED_MAX_AGE)(public_page(NewlyPublishedFeed())))
