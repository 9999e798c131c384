"""The Atom feed of newly published items and exhibits, and the views other sites may frame: only
public things in either, frames allowed from the named origins on those views alone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive import services
from archive.models import Item

# Publication dates, token lifetimes and one-time codes are counted from this instant (the clock runs on).
pytestmark = [pytest.mark.django_db, pytest.mark.instant("2026-12-07 07:00", tick=True)]

ATOM = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def published(catalogue, make, superuser):
    """The catalogue's items published through the workflow (which dates them), newest last, and a
    published and a draft exhibit."""
    for n, item in enumerate([*catalogue.public, catalogue.internal, catalogue.secret, catalogue.embargoed]):
        Item.objects.filter(pk=item.pk).update(status=Item.Status.DRAFT)
        item.refresh_from_db()
        services.item_publish(item=item, user=superuser)
        Item.objects.filter(pk=item.pk).update(published_at=timezone.now() - datetime.timedelta(days=30 - n))
    exhibit = make.exhibit("Truyền thống vẻ vang", summary="Chuyên đề về truyền thống.")
    make.block(exhibit, "gallery", items=[catalogue.tradition, catalogue.draft])
    make.block(exhibit, "item", item=catalogue.internal)
    draft = make.exhibit("Chuyên đề nháp bí mật", published=False)
    return exhibit, draft


def test_the_feed_lists_newly_published_items_and_exhibits_only(client, catalogue, published):
    exhibit, draft = published
    response = client.get(reverse("exhibits:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response["Cache-Control"] == "public, max-age=300"
    feed = etree.fromstring(response.content)
    titles = [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]
    # Newest first: the exhibit (published now), then the public items by publication date.
    assert titles == [exhibit.title, *[item.title for item in reversed(catalogue.public)]]
    links = [e.find("a:link", ATOM).get("href") for e in feed.findall("a:entry", ATOM)]
    assert links[0] == f"http://testserver{exhibit.get_absolute_url()}"
    text = response.content.decode()
    for hidden in catalogue.hidden:
        assert hidden.title not in text
    assert draft.title not in text


def test_the_english_feed_is_in_english(client, published):
    assert etree.fromstring(client.get(reverse("exhibits:feed")).content).get(XML_LANG) == "vi"
    feed = etree.fromstring(client.get("/en" + reverse("exhibits:feed")).content)
    assert feed.get(XML_LANG) == "en"
    assert feed.find("a:link[@rel='self']", ATOM).get("href").startswith("http://testserver/en/")


def test_the_feed_reads_a_fixed_number_of_queries(client, published, make, catalogue, django_assert_num_queries):
    for n in range(10):
        make.item(f"Thêm {n}", period=catalogue.tradition.period, published_at=timezone.now())
    with django_assert_num_queries(2):  # the items, the exhibits
        assert client.get(reverse("exhibits:feed")).status_code == 200


def test_the_home_page_names_the_feed(client, published):
    assert f'type="application/atom+xml" href="{reverse("exhibits:feed")}"' in client.get("/").content.decode()


@pytest.mark.parametrize("origins", [[], ["https://dangbokhoi.example.vn", "http://localhost:8080"]])
def test_embed_views_may_be_framed_by_the_named_origins_only(client, settings, published, origins):
    settings.EMBED_ORIGINS = origins
    exhibit, _draft = published
    for url in (reverse("exhibits:embed_latest"), reverse("exhibits:embed_exhibit", args=[exhibit.slug])):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
        assert directives["frame-ancestors"] == " ".join(["'self'", *origins])
        assert "script-src" in directives  # the rest of the policy stands
        assert '<base target="_blank">' in response.content.decode()


def test_the_rest_of_the_site_stays_unframeable(client, settings, published):
    settings.EMBED_ORIGINS = ["https://dangbokhoi.example.vn"]
    exhibit, _draft = published
    for url in ("/", exhibit.get_absolute_url(), reverse("exhibits:item_list"), "/api/items", "/oai/?verb=Identify"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "dangbokhoi" not in response.get("Content-Security-Policy", ""), url


def test_embedded_exhibit_and_latest_items_show_only_public_items(client, catalogue, published):
    exhibit, draft = published
    html = client.get(reverse("exhibits:embed_exhibit", args=[exhibit.slug])).content.decode()
    assert exhibit.title in html and catalogue.tradition.title in html
    latest = client.get(reverse("exhibits:embed_latest")).content.decode()
    assert catalogue.resolution.title in latest
    for hidden in catalogue.hidden:
        assert hidden.title not in html and hidden.title not in latest
    assert client.get(reverse("exhibits:embed_exhibit", args=[draft.slug])).status_code == 404
    assert client.get(reverse("exhibits:embed_exhibit", args=["khong-co"])).status_code == 404
