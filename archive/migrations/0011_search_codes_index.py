# The trigram index serves the codes of a search (a word with a digit, "-" or "/": part of an
# inventory or document number, a year), matched anywhere. It was over the whole search text
# (migration 0005: 35 MB at 100,000 items, a few hundred trigrams written for each new row; an
# import's 10,000 rows took 2.6 s to insert, 1.0 s without it). It is now over ``search_codes``,
# the words of the search text a code can be part of, which give the same matches (5.5 MB; the
# same rows inserted in 1.3 s). PostgreSQL only; SQLite matches codes with LIKE over the table.

from django.db import migrations, models

import archive.models.items

OLD_INDEX = "archive_item_search_text_trgm"
CODES_INDEX = "archive_item_search_codes_trgm"
PENDING_LIST = "gin_pending_list_limit = 256"  # as the word indexes (migration 0007)


def _trigram_index(schema_editor, create: str, column: str, drop: str) -> None:
    # schema_editor is None when tests/conftest.py replays the data migrations: nothing to do then.
    if schema_editor is None or schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {create} ON archive_item USING gin ({column} gin_trgm_ops) WITH ({PENDING_LIST})"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {drop}")


def create_codes_index(apps, schema_editor):
    _trigram_index(schema_editor, CODES_INDEX, "search_codes", OLD_INDEX)


def restore_text_index(apps, schema_editor):
    _trigram_index(schema_editor, OLD_INDEX, "search_text", CODES_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0010_list_filter_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="search_codes",
            field=models.GeneratedField(
                db_persist=True, expression=archive.models.items.SearchCodes(), output_field=models.TextField()
            ),
        ),
        migrations.RunPython(create_codes_index, restore_text_index, elidable=False),
    ]
