"""sitemap.xml: public pages only, in Vietnamese and English (hreflang alternates)."""

from django.contrib.sitemaps import Sitemap
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
    limit = 5000

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


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "periods": PeriodSitemap,
    "items": ItemSitemap,
    "exhibits": ExhibitSitemap,
    "people": PersonSitemap,
}
