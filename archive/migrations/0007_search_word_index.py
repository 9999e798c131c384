from django.db import migrations, models

# The index that answers ItemQuerySet.search's whole words on PostgreSQL:
# ``string_to_array(search_text, ' ') @> ARRAY[words]`` (see archive.models.items.has_all_words).
# A GIN index on the array of the stored words is exact, so matched rows are not rechecked, where
# the trigram index of 0005 finds candidates that each need a ``LIKE`` over the whole text. The
# trigram index stays for codes (parts of inventory and document numbers match anywhere).
# SQLite has neither: there the operations below do nothing and the search uses ``LIKE``.
WORD_INDEX = "archive_item_search_words"
# The same over the public items alone (the predicate of ItemQuerySet.public() without the embargo
# date), which the public search uses: a fifth fewer rows to visit than through the whole index.
PUBLIC_WORD_INDEX = "archive_item_public_search_words"
PUBLIC = "status = 'published' AND access_level = 'public' AND confidentiality = ''"
TRIGRAM_INDEX = "archive_item_search_text_trgm"  # of migration 0005
# New rows wait in a GIN index's pending list, which every search reads through, until it is full
# or vacuumed. The default list (4 MB) holds an import of 10,000 rows and made a three-word search
# read 544 index pages instead of 52; a 256 kB list is merged into the index every few hundred
# rows, and an import still writes its rows at over 1,000 a second.
PENDING_LIST = "gin_pending_list_limit = 256"


def create_word_index(apps, schema_editor):
    # schema_editor is None when tests/conftest.py replays the data migrations: nothing to do then.
    if schema_editor is None or schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORD_INDEX} ON archive_item "
        f"USING gin (string_to_array(search_text, ' ')) WITH ({PENDING_LIST})"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PUBLIC_WORD_INDEX} ON archive_item "
        f"USING gin (string_to_array(search_text, ' ')) WITH ({PENDING_LIST}) WHERE {PUBLIC}"
    )
    schema_editor.execute(f"ALTER INDEX IF EXISTS {TRIGRAM_INDEX} SET ({PENDING_LIST})")


def drop_word_index(apps, schema_editor):
    if schema_editor is None or schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX IF EXISTS {TRIGRAM_INDEX} RESET (gin_pending_list_limit)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {PUBLIC_WORD_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {WORD_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0006_search_text_words"),
    ]

    operations = [
        migrations.RunPython(create_word_index, drop_word_index, elidable=False),
        # The home page's film ("a featured item with a video") starts from the rare video files.
        migrations.AddIndex(
            model_name="mediafile",
            index=models.Index(fields=["kind", "item"], name="media_kind_item_idx"),
        ),
    ]
