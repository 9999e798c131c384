"""The site's URLs plus the floor view and the search peer's page, for `manage.py bench` and
`bench/load.py --peer` only (never the project's ROOT_URLCONF).

``traditions.urls`` uses ``i18n_patterns``, which Django refuses inside ``include()``, so its
patterns are taken over as they are and the floor path is put in front of them.
"""

import functools

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from archive.models import Item
from traditions.urls import urlpatterns as site_urlpatterns

FLOOR_TEMPLATE = """{% extends "base.html" %}
{% block title %}{{ item.inventory_number }}{% endblock %}
{% block content %}<section class="container"><h1>{{ item.title }}</h1><p>{{ item.summary }}</p></section>{% endblock %}
"""


def floor_queryset() -> QuerySet:
    return Item.objects.only("inventory_number", "title", "summary")


@functools.cache
def floor_template():
    return engines["django"].from_string(FLOOR_TEMPLATE)


def floor(request: HttpRequest, pk: int) -> HttpResponse:
    """The least a page of this site can cost: one primary-key query rendered with the base template."""
    item = floor_queryset().filter(pk=pk).first()
    if item is None:
        raise Http404
    return HttpResponse(floor_template().render({"item": item}, request))


PEER_TEMPLATE = """{% extends "base.html" %}
{% block title %}{{ query }}{% endblock %}
{% block content %}<section class="container"><p>{{ count }}</p><ol>
{% for number, title in rows %}<li>{{ number }} – {{ title }}</li>{% endfor %}</ol></section>{% endblock %}
"""


@functools.cache
def peer_template():
    return engines["django"].from_string(PEER_TEMPLATE)


def peer_search_page(request: HttpRequest) -> HttpResponse:
    """The peer's search page (bench/peer.py): its count and first page, with the base template,
    served beside ``/tim-kiem/?q=`` so a load run compares them side by side."""
    from bench import peer

    query = request.GET.get("q", "")[:200]
    count, rows = peer.peer_page(query)
    return HttpResponse(peer_template().render({"query": query, "count": count, "rows": rows}, request))


urlpatterns = [
    path("__bench__/floor/<int:pk>/", floor, name="bench_floor"),
    path("__bench__/peer/", peer_search_page, name="bench_peer"),
    *site_urlpatterns,
]
