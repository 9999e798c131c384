"""Visitors' journeys without a browser: suggestions, the person page's rules, the sort menu,
the timeline's placement of events and the visiting page."""

import pytest
from django.urls import reverse

from archive.models import Item, Person, Position
from archive.partial_dates import PartialDate
from exhibits import search, selectors
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary_items(make, period):
    make.item("Quyết định khen thưởng các tổ chức đảng", period=period, date=PartialDate(2012))
    make.item("Chỉ thị về công tác giáo dục chính trị tư tưởng", period=period, date=PartialDate(2013))
    make.item("Báo cáo của Liên chi Kinh tế", period=period, date=PartialDate(1950))
    make.item("Nghị quyết về thưởng thức nghệ thuật bí mật", public=False)


def suggested(query: str) -> list[str]:
    values = {"q": query}
    found = search.matching_queryset(values).count()
    return search.suggestions(query, vocabulary=selectors.suggestion_vocabulary(), values=values, found=found)


@pytest.mark.parametrize(
    "query",
    ["hồ chí minh", "Võ Nguyên Giáp", "chien thang dien bien phu", "ho chi kinh", "giao duc chinh tri"],
)
def test_no_nonsense_suggestion(vocabulary_items, query):
    assert suggested(query) == []


def test_a_slip_is_corrected_to_whole_public_words_with_their_diacritics(vocabulary_items):
    assert suggested("khen thuog") == ["khen thưởng"]
    assert suggested("giao duc chinh trii") == ["giáo dục chính trị"]


def test_suggestions_come_from_public_words_only(vocabulary_items):
    assert suggested("thuong thucc") == []  # "thưởng thức" is only in a hidden item


def test_a_person_page_is_for_public_people_only(client, make, catalogue):
    leader = make.leader("Nguyễn Văn Công Khai", catalogue.bloc, Position.Role.SECRETARY, start=2010).person
    donor = Person.objects.create(full_name="Trần Thị Không Công Bố")
    catalogue.draft.people.add(donor)
    assert client.get(reverse("exhibits:person_detail", args=[leader.pk])).status_code == 200
    assert client.get(reverse("exhibits:person_detail", args=[donor.pk])).status_code == 404
    assert client.get(reverse("exhibits:person_detail", args=[999999])).status_code == 404
    sitemap = sitemap_text(client)
    assert f"/nhan-vat/{leader.pk}/" in sitemap and f"/nhan-vat/{donor.pk}/" not in sitemap


def test_a_person_page_lists_public_items_only(client, make, catalogue, django_assert_max_num_queries):
    person = Person.objects.create(full_name="Lê Văn Được Nhắc")
    catalogue.tradition.people.add(person)
    catalogue.resolution.signer = person
    catalogue.resolution.save()
    catalogue.draft.people.add(person)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("exhibits:person_detail", args=[person.pk]))
    titles = {item.title for item in response.context["page"].object_list}
    assert titles == {catalogue.tradition.title, catalogue.resolution.title}


def test_the_list_without_a_query_says_the_order_it_uses(client, catalogue):
    response = client.get(reverse("exhibits:item_list"))
    html = response.content.decode()
    assert '<option value="-published" selected>' in html
    published = list(Item.objects.public().order_by("-published_at", "-pk").values_list("pk", flat=True))
    assert [item.pk for item in response.context["page"].object_list] == published


def test_the_keyword_filter_lists_the_items_of_a_keyword(client, catalogue):
    from archive.models import Keyword

    keyword = Keyword.objects.create(name="thi đua")
    catalogue.flag.keywords.add(keyword)
    catalogue.draft.keywords.add(keyword)
    response = client.get(reverse("exhibits:item_list"), {"keyword": keyword.pk})
    assert [item.pk for item in response.context["page"].object_list] == [catalogue.flag.pk]
    assert response.context["keyword"] == keyword
