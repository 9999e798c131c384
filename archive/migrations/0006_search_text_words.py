"""Rewrite the stored search text as whole words: " word word ... " (see ItemQuerySet.search).

The old text was already folded, so the new one is derived from it alone: punctuation becomes a
word break and a space goes at each end. Idempotent; reversing leaves the new form, which the
old search (substring) still matches.
"""

import re

from django.db import migrations

SEPARATORS_RE = re.compile(r"[\s,.;:!?()\[\]{}\"'“”‘’«»…–—%_\\]+")
BATCH = 2000


def rewrite(apps, schema_editor):
    if schema_editor is None:  # tests/conftest.py replays data migrations on a fresh database
        return
    Item = apps.get_model("archive", "Item")
    last = 0
    while True:
        batch = list(Item.objects.filter(pk__gt=last).order_by("pk").only("pk", "search_text")[:BATCH])
        if not batch:
            return
        changed = []
        for item in batch:
            words = [w for w in SEPARATORS_RE.split(item.search_text or "") if w]
            text = f" {' '.join(words)} " if words else ""
            if text != item.search_text:
                item.search_text = text
                changed.append(item)
        Item.objects.bulk_update(changed, ["search_text"], batch_size=BATCH)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_search_indexes")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop, elidable=True)]
