"""The idiomatic peer of the public search, for the bench only: PostgreSQL full-text search.

Its own table, ``bench_peer``, holds the public items with one ``tsvector`` of their text (the
same parts as ``Item.search_text``: inventory number, title, summary, description, number and
symbol, keyword names) through ``unaccent`` and the ``simple`` configuration, under a GIN index;
a query is ``plainto_tsquery`` (every word required), its matches counted and the first page
ranked by ``ts_rank_cd``. This is what a Django project would write with
``django.contrib.postgres.search`` and no folded column of its own. Raw SQL here, since the table
is the bench's alone and is not a model.
"""

from __future__ import annotations

from django.db import connection

TABLE = "bench_peer"

BUILD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"DROP TABLE IF EXISTS {TABLE}",
    f"""
    CREATE TABLE {TABLE} AS
    SELECT item.id, item.inventory_number, item.title, item.date_start,
           to_tsvector('simple', unaccent(concat_ws(' ', item.inventory_number, item.title, item.summary,
               item.description, item.number_symbol,
               (SELECT string_agg(keyword.name, ' ')
                  FROM archive_item_keywords link JOIN archive_keyword keyword ON keyword.id = link.keyword_id
                 WHERE link.item_id = item.id)))) AS document
      FROM archive_item item
     WHERE item.status = 'published' AND item.access_level = 'public' AND item.confidentiality = ''
       AND (item.embargo_until IS NULL OR item.embargo_until <= CURRENT_DATE)
    """,
    f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id)",
    f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)",
    f"ANALYZE {TABLE}",
]

QUERY = "plainto_tsquery('simple', unaccent(%s))"


def build() -> int:
    """(Re)build the peer's table from the current public items; the number of rows."""
    with connection.cursor() as cursor:
        for statement in BUILD:
            cursor.execute(statement)
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def peer_search(query: str, page_size: int = 20) -> tuple[int, list[int]]:
    """The peer's answer for a search page: how many items match, and the first page's keys."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE document @@ {QUERY}", [query])
        count = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT id FROM {TABLE}, {QUERY} AS query WHERE document @@ query "
            "ORDER BY ts_rank_cd(document, query) DESC, id LIMIT %s",
            [query, page_size],
        )
        return count, [row[0] for row in cursor.fetchall()]


def peer_page(query: str, page_size: int = 20) -> tuple[int, list[tuple[str, str]]]:
    """``peer_search`` with the first page's inventory numbers and titles, for the bench's view."""
    count, keys = peer_search(query, page_size)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, inventory_number, title FROM {TABLE} WHERE id = ANY(%s)", [keys])
        rows = {pk: (number, title) for pk, number, title in cursor.fetchall()}
    return count, [rows[pk] for pk in keys]


def peer_matches(query: str) -> set[int]:
    """Every key the peer matches, for the overlap with the project's matches."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {TABLE} WHERE document @@ {QUERY}", [query])
        return {row[0] for row in cursor.fetchall()}
