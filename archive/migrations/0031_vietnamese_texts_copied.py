"""The texts every item had are its Vietnamese texts: copy them into the ``*_vi`` columns that
django-modeltranslation reads (the original columns keep them too)."""

from django.db import migrations
from django.db.models import F

FIELDS = ("title", "summary", "description")


def copy_vietnamese(apps, schema_editor):
    for name in ("Item", "HistoricalItem"):
        apps.get_model("archive", name).objects.update(**{f"{field}_vi": F(field) for field in FIELDS})


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0030_english_texts"),
    ]

    operations = [
        migrations.RunPython(copy_vietnamese, migrations.RunPython.noop, elidable=True),
    ]
