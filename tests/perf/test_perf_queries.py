"""Query counts stay bounded on a catalogue of 300 items, and cached pages touch no database."""

import io

import pytest
from django.core.management import call_command

from archive.models import Item, Period
from exhibits.models import Exhibit, ExhibitBlock

pytestmark = pytest.mark.django_db

PUBLIC_MAX_QUERIES = 10
ADMIN_MAX_QUERIES = 14


@pytest.fixture
def catalogue():
    call_command("seed_bulk", items=300, batch=150, stdout=io.StringIO(), stderr=io.StringIO())
    public = Item.objects.public().order_by("pk")
    item = public[150]
    exhibit = Exhibit.objects.create(title="Trưng bày thử", slug="trung-bay-thu", status=Exhibit.Status.PUBLISHED)
    block = ExhibitBlock.objects.create(exhibit=exhibit, item=item, position=1)
    block.items.set(public[:6])
    period = Period.objects.filter(items__in=public).distinct().order_by("number").first()
    return {"item": item, "exhibit": exhibit, "period": period}


def public_urls(catalogue) -> list[str]:
    return [
        "/",
        f"/thoi-ky/{catalogue['period'].slug}/",
        "/tu-lieu/",
        "/tu-lieu/?page=5",
        "/tim-kiem/?q=quyet",
        "/tim-kiem/?q=ket+nap",
        "/tim-kiem/?q=cong+tac+dan",
        "/tu-lieu/?kind=artifact",
        "/tu-lieu/?kind=document&sort=date",
        catalogue["item"].get_absolute_url(),
        catalogue["exhibit"].get_absolute_url(),
        f"/trung-bay/{catalogue['exhibit'].slug}/in/",
        "/thoi-ky/",
        "/dong-thoi-gian/",
        "/lanh-dao/",
        "/trung-bay/",
        "/phim-tu-lieu/",
        "/tham-quan/",
    ]


def test_public_pages_stay_within_ten_queries_and_cached_ones_use_none(
    client, catalogue, django_assert_max_num_queries, django_assert_num_queries
):
    for url in public_urls(catalogue):
        with django_assert_max_num_queries(PUBLIC_MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200, url
        with django_assert_num_queries(0):
            cached = client.get(url)
        assert cached.status_code == 200 and cached["X-Page-Cache"] == "hit", url
        assert cached.content == response.content, url


def test_search_and_browse_pages_stay_within_ten_queries_on_a_common_word_and_a_filter(
    client, catalogue, django_assert_max_num_queries, settings
):
    settings.EXHIBITS_PAGE_CACHE = False
    for url in ("/tim-kiem/?q=dang", "/tu-lieu/?q=dang&page=2", "/tu-lieu/?period=1", "/tim-kiem/?q=khong+co+gi+ca"):
        with django_assert_max_num_queries(PUBLIC_MAX_QUERIES):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("query", ["", "?q=quyet+dinh", "?kind__exact=artifact", "?q=dang&status__exact=published"])
def test_admin_item_changelist_stays_within_its_query_budget(
    client, superuser, catalogue, django_assert_max_num_queries, query
):
    client.force_login(superuser)
    with django_assert_max_num_queries(ADMIN_MAX_QUERIES):
        response = client.get("/admin/archive/item/" + query)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0
