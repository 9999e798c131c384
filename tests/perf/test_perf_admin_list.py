"""The item changelist's faster paths give what Django's own would: the same rows, the same years."""

import io
import re

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
    assert "search_text" in cl.result_list[0].get_deferred_fields()  # only the columns the list shows
    assert list(cl.queryset.dates("date_start", "year")) == list(QuerySet.dates(queryset, "date_start", "year"))


def django_tag(tag: str, cl) -> str:
    from django.template import Context, Template

    context = {"cl": cl, "opts": cl.opts, "spec": getattr(cl, "spec", None)}
    return Template("{% load admin_list %}" + tag).render(Context(context))


@pytest.mark.parametrize(
    "query",
    ["", "?kind__exact=document&o=3", "?q=dang&co_tep=1", "?period__id__exact={period}", "?bodies__id__exact={body}"],
)
def test_fast_filters_are_the_html_django_writes(catalogue, superuser, query):
    from archive.models import Body, Period
    from archive.templatetags.archive_admin import fast_list_filter_html

    query = query.format(period=Period.objects.first().pk, body=Body.objects.first().pk)
    cl = changelist(superuser, query)
    assert len(cl.filter_specs) == 8
    for spec in cl.filter_specs:
        cl.spec = spec
        expected = django_tag("{% admin_list_filter cl spec %}", cl)
        assert fast_list_filter_html(cl, spec) == expected
        assert expected.count("<li") >= 2
    if "=" in query:
        assert 'class="selected"' in "".join(fast_list_filter_html(cl, spec) for spec in cl.filter_specs)


@pytest.mark.parametrize("query", ["", "?kind__exact=document&o=3", "?q=dang", "?date_start__year={year}"])
def test_fast_date_hierarchy_is_the_html_django_writes(catalogue, superuser, query):
    from django.template import Context, Template

    year = Item.objects.filter(date_start__isnull=False).first().date_start.year
    cl = changelist(superuser, query.format(year=year))
    fast = Template("{% load archive_admin %}{% fast_date_hierarchy cl %}").render(Context({"cl": cl, "opts": cl.opts}))
    assert fast == django_tag("{% date_hierarchy cl %}", changelist(superuser, query.format(year=year)))
    assert fast.count("<a href=") >= 2


@pytest.mark.parametrize(
    ("query", "new_params", "remove"),
    [
        ("", {}, []),
        ("?kind__exact=document&o=3", {"status__exact": "draft"}, ["kind__"]),
        ("?q=%C4%90%E1%BA%A3ng+v%C3%A0+b%C3%A1c&co_tep=1", {"co_tep": None}, []),
        ("?bodies__id__exact=3&bodies__id__exact=4", {"date_start__year": "1975"}, ["date_start__"]),
        ("?kind__exact=a%26b%3Dc", {"o": "1.-2"}, ["bodies"]),
        ("?kind__exact=document", {"p": 2}, []),  # not text: Django's own path
    ],
)
def test_fast_query_strings_are_djangos(catalogue, superuser, query, new_params, remove):
    from django.contrib.admin.views.main import ChangeList

    cl = changelist(superuser, query)
    assert cl.get_query_string(new_params, remove) == ChangeList.get_query_string(cl, new_params, remove)
    assert cl.get_query_string() == ChangeList.get_query_string(cl)


@pytest.mark.parametrize("field", ["venue", "bodies"])
def test_register_filters_offer_djangos_choices(catalogue, superuser, field):
    from django.contrib.admin import RelatedFieldListFilter

    cl = changelist(superuser)
    spec = next(spec for spec in cl.filter_specs if spec.field_path == field)
    model_admin = admin.site._registry[Item]
    expected = RelatedFieldListFilter.field_choices(spec, spec.field, None, model_admin)
    assert spec.lookup_choices == expected and len(expected) >= 2


@pytest.mark.parametrize("query", ["", "?kind__exact=document&o=3", "?q=dang&co_tep=1", "?o=-2.4.-7", "?q=khong-co-gi"])
def test_fast_result_table_is_the_html_django_writes(catalogue, superuser, query):
    from django.template import Context, Template

    cl = changelist(superuser, query)
    fast = Template("{% load archive_admin %}{% fast_result_list cl %}").render(Context({"cl": cl, "opts": cl.opts}))
    assert fast == django_tag("{% result_list cl %}", cl)
    if query.startswith("?o="):
        assert 'class="sortpriority"' in fast
    assert ('id="result_list"' in fast) == (cl.result_count > 0)


ACTIONS = re.compile(r'<div class="actions">.*?</div>', re.S)


@pytest.mark.parametrize("role", ["superuser", "propaganda_user", "leadership_user"])
def test_the_action_form_is_the_html_django_writes(client, catalogue, request, role):
    from django.template.loader import render_to_string

    client.force_login(request.getfixturevalue(role))
    for _ in range(2):  # written, then kept
        response = client.get("/admin/archive/item/")
        page = ACTIONS.search(response.content.decode())
        context = next(c for c in response.context if "action_form" in c).flatten()
        context["action_index"] = 0
        expected = ACTIONS.search(render_to_string("admin/actions.html", context))
        assert page and expected and page.group(0) == expected.group(0)
    if role == "leadership_user":  # may look, not change: no actions offered
        assert 'value="publish"' not in page.group(0)
    else:
        assert 'value="publish"' in page.group(0)


def test_the_period_filter_and_rows_label_periods_as_a_period_does(catalogue, superuser):
    from archive.admin import PeriodListFilter, period_label
    from archive.models import Period

    Period.objects.create(code="tk-thu", number=99, name="Thời kỳ chưa có năm", slug="tk-thu")
    cl = changelist(superuser)
    spec = next(spec for spec in cl.filter_specs if isinstance(spec, PeriodListFilter))
    periods = list(Period.objects.with_spans())
    assert spec.lookup_choices == [(period.pk, str(period)) for period in periods]
    assert any(", " in label for _pk, label in spec.lookup_choices)  # a period of two spans
    by_key = {period.pk: period for period in periods}
    rows = [item for item in cl.result_list if item.period_id]
    assert rows and all(item.period_label == period_label(by_key[item.period_id]) for item in rows)


def test_the_filters_registers_are_read_once_and_again_after_an_edit(catalogue, superuser):
    from django.test.utils import CaptureQueriesContext

    from archive.models import Body, PeriodSpan, Venue

    def filter_choices(cl):
        return {spec.title: [label for _key, label in getattr(spec, "lookup_choices", [])] for spec in cl.filter_specs}

    changelist(superuser)  # reads the registers
    with CaptureQueriesContext(connection) as queries:
        changelist(superuser)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("archive_body", "archive_venue", "archive_period", "archive_periodspan"):
        assert f'FROM "{table}"' not in read, table

    body = Body.objects.create(name="Đảng ủy Mới Thành Lập", period_id=Body.objects.first().period_id)
    venue = Venue.objects.first()
    venue.name = "Phòng Truyền thống (tầng 2)"
    venue.save()
    span = PeriodSpan.objects.order_by("pk").first()
    span.end_year += 1
    span.save()
    choices = list(filter_choices(changelist(superuser)).values())
    assert any(body.name in labels for labels in choices)
    assert any(venue.name in labels for labels in choices)
    assert any(f"–{span.end_year}" in label for labels in choices for label in labels)
