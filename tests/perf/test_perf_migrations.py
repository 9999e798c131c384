"""The trigram index migration: PostgreSQL only, a no-op elsewhere, so SQLite still migrates."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

migration = import_module("archive.migrations.0005_search_indexes")


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
        assert migration.TRIGRAM_INDEX in names
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
    else:
        assert migration.TRIGRAM_INDEX not in names
