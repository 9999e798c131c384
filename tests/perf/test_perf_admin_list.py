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
    cl = changelist(superuser, query)
    assert cl.queryset.matched_rows == cl.result_count >= 1
    fast = list(cl.queryset.dates("date_start", "year"))
    expected = list(QuerySet.dates(cl.queryset, "date_start", "year"))
    assert fast == expected and len(expected) > 3


def test_a_narrow_filter_reads_its_rows_the_usual_way(catalogue, superuser):
    assert LOOSE_SCAN_MIN_ROWS > 100
    cl = changelist(superuser, "?kind__exact=artifact")
    assert cl.result_count < LOOSE_SCAN_MIN_ROWS
    assert list(cl.queryset.dates("date_start", "year")) == list(QuerySet.dates(cl.queryset, "date_start", "year"))
