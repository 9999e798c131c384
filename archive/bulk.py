"""Writing many new rows at once: their history copied by the database, their links as pairs of keys.

An import of thousands of items inserts them with ``bulk_create``; what simple_history's
``bulk_create_with_history`` and a through model's ``bulk_create`` would then build in Python (a
historical instance per item, a link instance per relation, each compiled value by value) is
written here in a few statements: the history as ``INSERT … SELECT`` from the rows just inserted
(the same values, read where they now are), the links as plain pairs of keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connections
from django.utils import timezone

BATCH = 1000


def insert_history(objects: Sequence, *, using: str = "default", history_type: str = "+") -> None:
    """One history record per saved object, as ``bulk_history_create`` writes it: the tracked
    fields' values, now, the object's ``_history_user`` (or the request's), no change reason.
    The objects must have their keys (``bulk_create`` sets them on PostgreSQL and SQLite)."""
    if not objects or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    model = type(objects[0])
    history = model.history.model
    connection = connections[using]
    quote = connection.ops.quote_name
    tracked = [field.column for field in history.tracked_fields]
    columns = [*tracked, "history_date", "history_change_reason", "history_type", "history_user_id"]
    by_user: dict[int | None, list[int]] = defaultdict(list)
    for obj in objects:
        if obj.pk is None:
            raise ValueError("insert_history needs saved objects")
        user = getattr(obj, "_history_user", None) or history.get_default_history_user(obj)
        by_user[getattr(user, "pk", None)].append(obj.pk)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    target = ", ".join(quote(column) for column in columns)
    source = ", ".join(quote(column) for column in tracked)
    with connection.cursor() as cursor:
        for user_pk, keys in by_user.items():
            for start in range(0, len(keys), BATCH):
                chunk = keys[start : start + BATCH]
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({target}) "  # noqa: S608 - names from _meta, quoted
                    f"SELECT {source}, %s, NULL, %s, %s FROM {quote(model._meta.db_table)} "
                    f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))}) "
                    f"ORDER BY {quote(model._meta.pk.column)}",
                    [now, history_type, user_pk, *chunk],
                )


def insert_links(through, source: str, target: str, pairs: Iterable[tuple[int, int]], *, using: str = "default"):
    """Rows of a many-to-many table (``through``), given as (source key, target key) pairs."""
    pairs = list(pairs)
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(through._meta.db_table)
    names = f"{quote(through._meta.get_field(source).column)}, {quote(through._meta.get_field(target).column)}"
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), BATCH):
            chunk = pairs[start : start + BATCH]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {values}",  # noqa: S608 - names from _meta, quoted
                [key for pair in chunk for key in pair],
            )
