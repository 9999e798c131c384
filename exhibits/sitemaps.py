"""The sitemaps: public pages only, in Vietnamese and English (hreflang alternates).

/sitemap.xml is an index of one sitemap per section, each section paginated, so every public item is
listed at any size of the catalogue and no file holds more than the protocol's 50,000 URLs.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from archive.models import Item, Period, Person
from exhibits.models import Exhibit


class PublicSitemap(Sitemap):
    i18n = True
    languages = ["vi", "en"]
    alternates = True
    x_default = True


class StaticPagesSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "exhibits:home",
            "exhibits:period_list",
            "exhibits:timeline",
            "exhibits:leaders",
            "exhibits:item_list",
            "exhibits:exhibit_list",
            "exhibits:videos",
            "exhibits:visit",
            "exhibits:contribute",
        ]

    def location(self, name):
        return reverse(name)


class PeriodSitemap(PublicSitemap):
    priority = 0.7

    def items(self):
        return Period.objects.order_by("number")

    def location(self, period):
        return reverse("exhibits:period_detail", kwargs={"slug": period.slug})


class ItemSitemap(PublicSitemap):
    priority = 0.5

    @property
    def limit(self):
        # Django's limit counts the <url> entries of one page: an item is one entry per language.
        return settings.SITEMAP_URLS_PER_PAGE

    def get_latest_lastmod(self):
        # The index asks each section for its newest change: one aggregate, not a walk over the rows.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def items(self):
        return Item.objects.public().order_by("pk").only("inventory_number", "updated_at")

    def location(self, item):
        return reverse("exhibits:item_detail", kwargs={"inventory_number": item.inventory_number})

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(PublicSitemap):
    priority = 0.6

    def items(self):
        return Person.objects.public().order_by("pk").only("pk")

    def location(self, person):
        return reverse("exhibits:person_detail", kwargs={"pk": person.pk})


class ExhibitSitemap(PublicSitemap):
    priority = 0.7

    def items(self):
        return Exhibit.objects.published().order_by("pk")

    def lastmod(self, exhibit):
        return exhibit.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "periods": PeriodSitemap,
    "items": ItemSitemap,
    "exhibits": ExhibitSitemap,
    "people": PersonSitemap,
}
