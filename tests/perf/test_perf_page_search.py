"""bench/page_search.py runs end to end on a tiny catalogue: the bench's documents and their pages
are made as the media job would store them, the served search is asked without and with them (here
through the live test server instead of gunicorn), and on PostgreSQL the peer's index is added,
asked, measured and removed."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from archive.models import Item, MediaFile, PageText
from archive.models.items import search_text_of
from bench import page_search
from bench.queries import SEARCH_QUERIES

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_page_search_bench_runs_on_a_tiny_catalogue(live_server):
    call_command("seed_bulk", items=12, batch=12, stdout=io.StringIO(), stderr=io.StringIO())
    catalogue = page_search.prepare_catalogue({}, items=12, pages=3)
    assert catalogue["items"] == 12 and catalogue["documents_made"] == 12
    port = int(live_server.url.rsplit(":", 1)[1])
    without = page_search.served_searches(port, rounds=1)
    assert without["failures"] == []
    assert {len(times) for times in without["computed"].values()} == {1}

    written = page_search.write_pages(3, seed=1)
    assert written["pages"] == 36 == PageText.objects.count()
    # The folded text is the one PageText.save() would have stored, so the search reads it as the real pages'.
    for page in PageText.objects.all():
        assert page.search_text == search_text_of(page.text) and page.page in (1, 2, 3)
    assert set(MediaFile.objects.filter(page_texts__isnull=False).values_list("kind", flat=True)) == {"pdf"}
    with_pages = page_search.served_searches(port, rounds=1)
    assert with_pages["failures"] == []
    report = page_search.summary(with_pages)
    assert set(report["per_query"]) == {name for name, _query in SEARCH_QUERIES}

    count, first = page_search.ours_search("dang")
    public = set(Item.objects.public().values_list("pk", flat=True))
    having = {page.item_id for page in PageText.objects.all() if " dang " in page.search_text} & public
    assert count == len(having) > 0 and set(first) <= having
    if connection.vendor == "postgresql":
        page_search.add_peer_index()
        try:
            assert page_search.sizes()["index_mb"][page_search.PEER_INDEX] >= 0
            assert 0 < page_search.peer_search("Đảng")[0] <= count  # the peer needs the diacritics typed
            assert page_search.peer_search("dang")[0] == 0
            rows = page_search.in_process(rounds=1)
            assert set(rows) == set(report["per_query"])
        finally:
            page_search.remove_peer_index()
