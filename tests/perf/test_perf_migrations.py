"""The trigram index migration: PostgreSQL only, a no-op elsewhere, so SQLite still migrates."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

migration = import_module("archive.migrations.0005_search_indexes")
codes_migration = import_module("archive.migrations.0011_search_codes_index")


class RecordingEditor:
    def __init__(self, vendor: str) -> None:
        self.connection = SimpleNamespace(vendor=vendor)
        self.statements: list[str] = []

    def execute(self, sql, params=None) -> None:
        self.statements.append(sql)


def test_the_trigram_index_is_created_on_postgresql_only():
    sqlite, postgresql = RecordingEditor("sqlite"), RecordingEditor("postgresql")
    migration.create_trigram_index(None, sqlite)
    migration.drop_trigram_index(None, sqlite)
    migration.create_trigram_index(None, None)  # tests/conftest.py replays data migrations so
    assert sqlite.statements == []
    migration.create_trigram_index(None, postgresql)
    assert "gin_trgm_ops" in postgresql.statements[0] and "search_text" in postgresql.statements[0]


def test_the_migrated_database_has_the_indexes_its_vendor_supports():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "archive_item")
        names = {name for name, index in constraints.items() if index["index"]}
    assert {"item_public_published_idx", "item_public_period_date_idx", "item_embargo_idx"} <= names
    if connection.vendor == "postgresql":
        # 0011 replaced 0005's trigram index over the whole text by one over its codes.
        assert codes_migration.CODES_INDEX in names and migration.TRIGRAM_INDEX not in names
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
    else:
        assert not {migration.TRIGRAM_INDEX, codes_migration.CODES_INDEX} & names


def test_the_codes_index_is_created_on_postgresql_only():
    sqlite, postgresql = RecordingEditor("sqlite"), RecordingEditor("postgresql")
    codes_migration.create_codes_index(None, sqlite)
    codes_migration.restore_text_index(None, sqlite)
    codes_migration.create_codes_index(None, None)
    assert sqlite.statements == []
    codes_migration.create_codes_index(None, postgresql)
    assert "search_codes gin_trgm_ops" in postgresql.statements[0]
    assert postgresql.statements[1] == f"DROP INDEX IF EXISTS {migration.TRIGRAM_INDEX}"


def test_search_codes_are_the_words_of_the_search_text_that_are_not_plain_letters():
    import re

    from archive.models import Item, Period

    period = Period.objects.get(code="TK4")
    texts = ["Nghị quyết 36-HD/VPTW năm 2008 về công tác tuyên truyền", "Ảnh", "x2 a-b c/d 1 ab", ""]
    for text in texts:
        Item.objects.create(title=text, period=period)
    for item in Item.objects.all():
        if connection.vendor == "postgresql":
            expected = [w for w in item.search_text.split() if not re.fullmatch("[a-z]+", w)]
        else:  # SQLite keeps the whole text
            expected = item.search_text.split()
        assert item.search_codes.split() == expected, item.search_text
    assert Item.objects.filter(search_codes__contains="36-hd/vptw").count() == 1
