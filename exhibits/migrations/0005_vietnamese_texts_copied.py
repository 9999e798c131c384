"""The texts every exhibit and block had are their Vietnamese texts: copy them into the ``*_vi``
columns that django-modeltranslation reads (the original columns keep them too)."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "Exhibit": ("title", "summary", "cover_alt"),
    "HistoricalExhibit": ("title", "summary", "cover_alt"),
    "ExhibitBlock": ("heading", "text", "quote_source"),
    "HistoricalExhibitBlock": ("heading", "text", "quote_source"),
}


def copy_vietnamese(apps, schema_editor):
    for name, fields in FIELDS.items():
        apps.get_model("exhibits", name).objects.update(**{f"{field}_vi": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [
        ("exhibits", "0004_english_texts"),
    ]

    operations = [
        migrations.RunPython(copy_vietnamese, migrations.RunPython.noop, elidable=True),
    ]
