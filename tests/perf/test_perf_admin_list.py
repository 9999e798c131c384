"""The item changelist on a catalogue of many items: a bounded number of queries, a count that
stops at a cap, filters read from their registers, and rows that show what a cataloguer looks for."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.admin import CappedCountPaginator
from archive.models import Body, Item, Period, PeriodSpan, Venue

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:archive_item_changelist")


@pytest.fixture
def catalogue():
    call_command("seed_bulk", items=120, batch=60, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def staff(client, superuser):
    client.force_login(superuser)
    return client


def listed(response) -> list[int]:
    return [item.pk for item in response.context["cl"].result_list]


def filter_labels(response, title: str) -> list[str]:
    spec = next(spec for spec in response.context["cl"].filter_specs if str(spec.title) == title)
    return [str(choice["display"]) for choice in spec.choices(response.context["cl"])]


@pytest.mark.parametrize("query", ["", "?q=dang", "?q=dang&kind__exact=document&co_tep=1", "?bodies__id__exact={body}"])
def test_the_list_and_a_search_take_at_most_ten_queries(staff, catalogue, django_assert_max_num_queries, query):
    body = Body.objects.filter(items__isnull=False).order_by("pk").first()
    staff.get(LIST_URL)  # the session is read once before
    with django_assert_max_num_queries(10):
        response = staff.get(LIST_URL + query.format(body=body.pk))
    assert response.status_code == 200
    assert len(listed(response)) == min(response.context["cl"].result_count, 50) > 0


@pytest.mark.parametrize("role", ["propaganda_user", "office_user", "leadership_user"])
def test_each_role_lists_in_a_bounded_number_of_queries(
    client, catalogue, request, role, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    client.get("/admin/")  # the session's first admin page settles the two-factor check
    with django_assert_max_num_queries(11):  # as a superuser's, and the user's and their groups' permissions
        response = client.get(LIST_URL, {"q": "dang"})
    assert response.status_code == 200 and listed(response)


def test_rows_show_the_picture_the_period_and_keep_the_filters_in_their_links(staff, catalogue):
    response = staff.get(LIST_URL, {"kind__exact": "document"})
    page = response.content.decode()
    assert '<img class="archive-thumb"' in page
    item = next(item for item in response.context["cl"].result_list if item.period_id)
    period = Period.objects.with_spans().get(pk=item.period_id)
    assert f'<span title="{period.name}">{period.span_label()}</span>' in page
    change = reverse("admin:archive_item_change", args=[item.pk])
    assert re.search(re.escape(change) + r"\?_changelist_filters=kind__exact%3Ddocument", page)


def test_the_period_filter_labels_periods_as_a_period_does(staff, catalogue):
    Period.objects.create(code="tk-thu", number=99, name="Thời kỳ chưa có năm", slug="tk-thu")
    labels = filter_labels(staff.get(LIST_URL), "thời kỳ")
    periods = [str(period) for period in Period.objects.with_spans()]
    assert labels[1 : 1 + len(periods)] == periods  # after "All", before the items without a period
    assert any(", " in label for label in periods)  # a period of two spans
    assert ": Thời kỳ chưa có năm" in periods


def test_an_edit_of_a_register_shows_in_the_filters_at_once(staff, catalogue):
    staff.get(LIST_URL)
    body = Body.objects.create(name="Đảng ủy Mới Thành Lập", period_id=Body.objects.first().period_id)
    venue = Venue.objects.first()
    venue.name = "Phòng Truyền thống (tầng 2)"
    venue.save()
    span = PeriodSpan.objects.order_by("pk").first()
    span.end_year += 1
    span.save()
    response = staff.get(LIST_URL)
    assert body.name in filter_labels(response, "tổ chức liên quan")
    assert venue.name in filter_labels(response, "nơi lưu giữ")
    assert any(f"–{span.end_year}" in label for label in filter_labels(response, "thời kỳ"))


def test_the_year_filter_offers_the_catalogues_years_and_lists_that_years_items(staff, catalogue):
    dated = Item.objects.exclude(date_start=None)
    first, last = (
        dated.order_by("date_start").first().date_start.year,
        dated.order_by("-date_start").first().date_start.year,
    )
    assert filter_labels(staff.get(LIST_URL), "năm")[1:] == [str(year) for year in range(first, last + 1)]
    year = dated.order_by("pk").first().date_start.year
    expected = set(Item.objects.filter(date_start__year=year).values_list("pk", flat=True))
    response = staff.get(LIST_URL, {"date_start__year": str(year), "all": ""})  # the date hierarchy's parameter
    assert set(listed(response)) == expected and expected
    assert listed(staff.get(LIST_URL, {"date_start__year": "năm"})) == []


def test_a_many_to_many_filter_counts_each_item_once(staff, catalogue):
    body = Body.objects.filter(items__isnull=False).order_by("pk").first()
    response = staff.get(LIST_URL, {"bodies__id__exact": body.pk})
    assert response.context["cl"].result_count == body.items.count()
    assert len(listed(response)) == len(set(listed(response)))


def test_the_count_stops_at_the_cap_and_the_list_says_so(staff, catalogue, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 30)
    response = staff.get(LIST_URL)
    assert response.context["cl"].result_count == 30 and response.context["cl"].paginator.is_capped
    assert "Có hơn 30 kết quả" in response.content.decode()
    few = staff.get(LIST_URL, {"kind__exact": "artifact"})
    assert few.context["cl"].result_count == Item.objects.filter(kind="artifact").count() < 30
    assert not few.context["cl"].paginator.is_capped and "Có hơn" not in few.content.decode()


def test_the_paginator_counts_lists_too():
    paginator = CappedCountPaginator(list(range(7)), 5)
    assert (paginator.count, paginator.num_pages, paginator.is_capped) == (7, 2, False)


@pytest.mark.parametrize("role", ["superuser", "propaganda_user", "leadership_user"])
def test_each_role_is_offered_its_own_actions(client, catalogue, request, role):
    client.force_login(request.getfixturevalue(role))
    choices = dict(client.get(LIST_URL).context["action_form"].fields["action"].choices)
    if role == "leadership_user":  # may look, not change
        assert not {"publish", "withdraw", "send_to_review", "set_period", "delete_selected"} & set(choices)
    else:
        assert {"publish", "withdraw", "send_to_review", "set_period", "print_qr_labels"} <= set(choices)
        assert ("delete_selected" in choices) == (role == "superuser")


def test_search_finds_folded_words_and_parts_of_codes(staff, catalogue):
    item = Item.objects.exclude(number_symbol="").order_by("pk").first()
    code = item.number_symbol.split("/")[0]  # "431-NQ" of "431-NQ/ĐUK"
    assert item.pk in listed(staff.get(LIST_URL, {"q": code, "all": ""}))
    assert item.pk in listed(staff.get(LIST_URL, {"q": item.inventory_number[-5:], "all": ""}))
    word = item.title.split()[0]
    found = staff.get(LIST_URL, {"q": word.upper()})
    assert found.context["cl"].result_count == Item.objects.search(word).count() > 0


def test_the_year_filter_counts_its_years_when_asked(staff, catalogue):
    year = Item.objects.exclude(date_start=None).order_by("pk").first().date_start.year
    response = staff.get(LIST_URL, {"_facets": "1"})
    labels = filter_labels(response, "năm")
    assert f"{year} ({Item.objects.filter(date_start__year=year).count()})" in labels
