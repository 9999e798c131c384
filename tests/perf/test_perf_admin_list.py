"""The item changelist's faster paths give what Django's own would: the same rows, the same years."""

import io

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet
from django.test import RequestFactory
from django.urls import resolve

from archive.changelist import LOOSE_SCAN_MIN_ROWS
from archive.models import Item
from archive.templatetags.archive_admin import fast_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    call_command("seed_bulk", items=120, batch=60, stdout=io.StringIO(), stderr=io.StringIO())


def changelist(user, query: str = ""):
    request = RequestFactory().get("/admin/archive/item/" + query)
    request.user = user
    request.resolver_match = resolve("/admin/archive/item/")  # what keeps the filters in the links
    cl = admin.site._registry[Item].get_changelist_instance(request)
    cl.formset = None  # as changelist_view leaves it when nothing is editable in the list
    return cl


@pytest.mark.parametrize("query", ["", "?kind__exact=document&o=3", "?q=dang&co_tep=1", "?o=-2.4"])
def test_fast_rows_are_the_html_django_writes(catalogue, superuser, query):
    cl = changelist(superuser, query)
    fast = [list(row) for row in fast_results(cl)]
    assert fast == [list(row) for row in results(cl)]
    assert len(fast) == min(cl.result_count, cl.list_per_page) > 0
    assert any('<img class="archive-thumb"' in cell for row in fast for cell in row)
    if "kind" in query:  # the links keep the list's filters, as Django's do
        assert "_changelist_filters=" in "".join(fast[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the loose index scan is PostgreSQL's")
@pytest.mark.parametrize("query", ["", "?kind__exact=document", "?status__exact=published", "?q=dang"])
def test_years_of_a_filtered_list_are_those_django_finds(catalogue, superuser, monkeypatch, query):
    monkeypatch.setattr("archive.changelist.LOOSE_SCAN_MIN_ROWS", 1)  # a small catalogue, the same path
    monkeypatch.setattr("archive.changelist.KEYS_FIRST_MAX", 0)  # as if the matches were too many to read
    cl = changelist(superuser, query)
    assert cl.queryset.matched_years is None
    assert cl.queryset.matched_rows == cl.result_count >= 1
    fast = list(cl.queryset.dates("date_start", "year"))
    expected = list(QuerySet.dates(cl.queryset, "date_start", "year"))
    assert fast == expected and len(expected) > 3


def test_a_narrow_filter_reads_its_rows_the_usual_way(catalogue, superuser):
    assert LOOSE_SCAN_MIN_ROWS > 100
    cl = changelist(superuser, "?kind__exact=artifact")
    assert cl.result_count < LOOSE_SCAN_MIN_ROWS
    assert list(cl.queryset.dates("date_start", "year")) == list(QuerySet.dates(cl.queryset, "date_start", "year"))


@pytest.mark.parametrize(
    "query", ["?q=dang", "?kind__exact=document&o=3", "?status__exact=published&p=2", "?bodies__id__exact={body}&o=-4"]
)
def test_a_list_read_once_gives_the_count_page_and_years_of_the_usual_reads(catalogue, superuser, query):
    from archive.models import Body

    body = Body.objects.filter(items__isnull=False).order_by("pk").first()
    query = query.format(body=body.pk)
    cl = changelist(superuser, query)
    assert cl.paginator.matched is not None  # read once: keys and dates
    queryset = cl.queryset.model._default_manager.filter(pk__in=cl.queryset.values("pk")).order_by(
        *cl.queryset.query.order_by
    )
    assert cl.result_count == queryset.count()
    page = int(dict(p.split("=") for p in query[1:].split("&")).get("p", 1))
    expected = list(queryset.values_list("pk", flat=True)[(page - 1) * cl.list_per_page : page * cl.list_per_page])
    assert [item.pk for item in cl.result_list] == expected and expected
    assert list(cl.queryset.dates("date_start", "year")) == list(QuerySet.dates(queryset, "date_start", "year"))
