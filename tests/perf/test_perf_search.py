"""Search over a bulk catalogue: one relevance order for every match set, the word and code
matching, and the facet counts against counting item by item."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from archive.models import Item
from archive.models.items import search_words
from exhibits import search, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    call_command("seed_bulk", items=300, batch=150, stdout=io.StringIO(), stderr=io.StringIO())


def _all_pages(values: dict) -> tuple[int, list[int]]:
    """The count the first page gives, and the keys of every page in turn."""
    first = selectors.browse(values, 1)
    keys = []
    for number in first.page.paginator.page_range:
        keys += [item.pk for item in selectors.browse(values, number).page]
    return first.page.paginator.count, keys


def _relevance_order(query: str) -> list[int]:
    """The matches sorted here from their rank, date and key: rank highest first, then date with
    the undated last, then key."""
    rows = search.ranked(search.matching_queryset({"q": query}), query).values_list("pk", "rank", "date_start")
    return [pk for pk, rank, day in sorted(rows, key=lambda r: (-r[1], r[2] is None, r[2] or datetime.date.min, r[0]))]


def test_results_come_in_one_order_on_a_small_and_a_large_match_set(catalogue):
    """Rank, then date with the undated last, then key: on a set of one page and on one of many
    pages, with undated matches and ties on the rank in both, on the database the tests run on."""
    small, large = "quyet dinh cong tac", "dang"
    matched = {query: search.matching_queryset({"q": query}) for query in (small, large)}
    for query in (small, large):
        undated = list(matched[query].order_by("pk").values_list("pk", flat=True)[:3])
        Item.objects.filter(pk__in=undated).update(date_start=None, date_end=None, date_precision="")
    assert 1 < matched[small].count() <= 20 < 60 < matched[large].count()
    for query in (small, large):
        count, keys = _all_pages({"q": query})
        assert count == matched[query].count() == len(keys)
        assert keys == _relevance_order(query), query
        ranks = dict(search.ranked(matched[query], query).values_list("pk", "rank"))
        assert len(set(ranks.values())) < len(ranks)  # ties on the rank, broken by date and key


def test_search_text_holds_the_keywords_of_bulk_items(catalogue):
    item = Item.objects.filter(is_sample=True).prefetch_related("keywords").first()
    for keyword in item.keywords.all():
        assert search.fold(keyword.name) in item.search_text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search indexes exist on PostgreSQL only")
def test_words_are_answered_by_the_full_text_index_and_codes_by_the_trigram_index(catalogue):
    """At 300 rows the planner prefers other paths (for the public search, the status index); the
    bench's EXPLAIN ANALYZE at 100,000 items shows the public search on the public word index
    (bench/README.md)."""
    with connection.cursor() as cursor:
        # 300 rows: the planner would read the table; leave it only bitmap scans to show what can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    for query in ("ket nap", "cong tac dan"):
        plan = Item.objects.search(query).explain()
        assert "Bitmap Index Scan on archive_item_search_vector" in plan, plan
        assert "~~" not in plan, plan  # no LIKE left to check on each row
    plan = Item.objects.search("hd/vptw").explain()
    assert "Bitmap Index Scan on archive_item_search_codes_trgm" in plan, plan


def test_the_word_index_finds_what_like_finds(catalogue):
    """The PostgreSQL word test and the portable LIKE patterns are the same test on every item."""
    from django.db.models import Q

    for query in ("ket nap", "cong tac dan", "dang", "truyen thong", "hieu"):
        words = search_words(query)
        by_like = Item.objects.filter(*[Q(search_text__contains=f" {w} ") for w in words])
        assert set(Item.objects.search(query)) == set(by_like)


def test_codes_find_what_like_over_the_whole_text_finds(catalogue):
    """On PostgreSQL a code is matched over the words a code can be part of (``SearchCodes``, which
    its trigram index serves); the matches are those of LIKE over the whole search text."""
    item = Item.objects.filter(is_sample=True).exclude(number_symbol="").first()
    number, symbol = item.inventory_number.lower(), search.fold(item.number_symbol)
    queries = [number, number[3:10], number[-4:], symbol, symbol.split("/")[0], "/duk", "-", "19", "2"]
    for query in queries:
        by_like = Item.objects.filter(search_text__contains=query)
        assert by_like.exists(), query
        assert set(Item.objects.search(query)) == set(by_like), query


def test_words_match_whole_words_and_numbers_match_anywhere():
    from archive.models.items import search_text_of

    dan = Item.objects.create(title="Công tác dân vận", status="published")
    dang = Item.objects.create(title="Đảng bộ Khối, hướng dẫn", number_symbol="36-HD/VPTW", status="published")
    assert dang.search_text == search_text_of(f"{dang.inventory_number} Đảng bộ Khối, hướng dẫn 36-HD/VPTW")
    assert dang.search_text.startswith(" ") and " khoi huong dan " in dang.search_text
    assert set(Item.objects.search("dân")) == {dan, dang}  # "dẫn" folds to "dan" as well
    assert list(Item.objects.search("dang")) == [dang]  # not "dân"
    assert list(Item.objects.search("da")) == []  # a syllable inside a word is not a match
    assert list(Item.objects.search("hd/vptw")) == [dang]
    assert list(Item.objects.search(dang.inventory_number[-5:])) == [dang]  # part of a number
    assert list(Item.objects.search("khối,")) == [dang]  # punctuation typed along is ignored
    assert list(Item.objects.search("%")) == []


def test_the_migration_rewrites_old_search_text_as_whole_words():
    from django.apps import apps

    migration = __import__("importlib").import_module("archive.migrations.0006_search_text_words")
    item = Item.objects.create(title="Nghị quyết về công tác, năm 2007", status="published")
    Item.objects.filter(pk=item.pk).update(search_text="tl-2026-00001 nghi quyet ve cong tac, nam 2007")
    migration.rewrite(apps, object())
    item.refresh_from_db()
    assert item.search_text == " tl-2026-00001 nghi quyet ve cong tac nam 2007 "
    migration.rewrite(apps, object())  # idempotent
    item.refresh_from_db()
    assert item.search_text == " tl-2026-00001 nghi quyet ve cong tac nam 2007 "


def test_grouped_facet_counts_equal_counting_the_public_items_one_by_one(catalogue):
    """COUNT(*) over the public facets index, and body counts without DISTINCT (an item is linked to
    a body once), as counted item by item; with a body chosen too (a join on the links)."""
    from collections import Counter

    public = list(Item.objects.public().prefetch_related("bodies"))
    some_body = Counter(b.pk for item in public for b in item.bodies.all()).most_common(1)[0][0]
    for values, items in (
        ({"q": ""}, public),
        ({"q": "", "body": some_body}, [i for i in public if some_body in {b.pk for b in i.bodies.all()}]),
    ):
        facets = search.facet_counts(search.matching_queryset(values), values, body_limit=1000)
        assert facets.total == len(items)
        assert {f.value: f.count for f in facets.kinds} == Counter(i.kind for i in items)
        assert {int(f.value): f.count for f in facets.periods} == Counter(i.period_id for i in items if i.period_id)
        bodies = Counter(b.pk for i in items for b in i.bodies.all())
        assert {int(f.value): f.count for f in facets.bodies} == {pk: n for pk, n in bodies.items() if n}
