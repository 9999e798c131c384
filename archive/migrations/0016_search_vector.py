# Full-text search for ItemQuerySet.search's words of plain letters on PostgreSQL: two generated
# columns, ``search_vector`` (the plain words of the search text) and ``title_vector`` (those of
# its title region), both ``to_tsvector('simple', …)`` (archive.models.items.WordsVector), and GIN
# indexes on them: ``search_vector`` over every item (the staff search) and over the public items
# (the predicate of ItemQuerySet.public() without the embargo date), which the public search
# uses; ``title_vector`` over the public items, for the rank tiers of exhibits.search. Stored
# columns rather than expression indexes: a query whose rows come from one index still tests the
# others' conditions on each row, which then reads a stored vector instead of parsing the text
# again, and the planner estimates a condition from the column's own statistics. They replace the
# word-array indexes of migration 0007. On SQLite the columns hold NULL and no index is made: the
# search uses LIKE there.

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models
from django.db.models import Q

import archive.models.items

VECTOR_INDEX = "archive_item_search_vector"
PUBLIC_VECTOR_INDEX = "archive_item_public_search_vector"
PUBLIC_TITLE_INDEX = "archive_item_public_title_vector"
PUBLIC = Q(status="published", access_level="public", confidentiality="")
# As the indexes of migrations 0007 and 0011: new rows wait in a small pending list.
PENDING_LIST_KB = 256
# The planner estimates a full-text condition from the lexemes ANALYZE keeps of a column (ten times
# its statistics target): the catalogue's vocabulary is a few thousand words, all of which it then keeps.
STATISTICS = 1000
OLD_WORD_INDEX = "archive_item_search_words"
OLD_PUBLIC_WORD_INDEX = "archive_item_public_search_words"
OLD_PUBLIC = "status = 'published' AND access_level = 'public' AND confidentiality = ''"


def vector_indexes() -> list[GinIndex]:
    options = {"gin_pending_list_limit": PENDING_LIST_KB}
    return [
        GinIndex(fields=["search_vector"], name=VECTOR_INDEX, **options),
        GinIndex(fields=["search_vector"], name=PUBLIC_VECTOR_INDEX, condition=PUBLIC, **options),
        GinIndex(fields=["title_vector"], name=PUBLIC_TITLE_INDEX, condition=PUBLIC, **options),
    ]


def create_vector_indexes(apps, schema_editor):
    # schema_editor is None when tests/conftest.py replays the data migrations: nothing to do then.
    if schema_editor is None or schema_editor.connection.vendor != "postgresql":
        return
    item = apps.get_model("archive", "Item")
    for index in vector_indexes():
        schema_editor.add_index(item, index)
    schema_editor.execute(
        f"ALTER TABLE archive_item ALTER COLUMN search_vector SET STATISTICS {STATISTICS}, "
        f"ALTER COLUMN title_vector SET STATISTICS {STATISTICS}"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_PUBLIC_WORD_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_WORD_INDEX}")


def restore_word_indexes(apps, schema_editor):
    if schema_editor is None or schema_editor.connection.vendor != "postgresql":
        return
    options = f"WITH (gin_pending_list_limit = {PENDING_LIST_KB})"
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_WORD_INDEX} ON archive_item "
        f"USING gin (string_to_array(search_text, ' ')) {options}"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_PUBLIC_WORD_INDEX} ON archive_item "
        f"USING gin (string_to_array(search_text, ' ')) {options} WHERE {OLD_PUBLIC}"
    )
    item = apps.get_model("archive", "Item")
    for index in vector_indexes():
        schema_editor.remove_index(item, index)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0015_facts_from_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=archive.models.items.WordsVector(models.F("search_text")),
                output_field=SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="item",
            name="title_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=archive.models.items.WordsVector(archive.models.items.title_region()),
                output_field=SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_vector_indexes, restore_word_indexes, elidable=False),
    ]
