from django.db import migrations, models


class Migration(migrations.Migration):
    """Item.has_media and Item.body_ids dropped: whether an item has a digital copy and which bodies
    it concerns are read from the media files and the item–body links themselves. The public facets
    index loses has_media and carries the key the media files' EXISTS is correlated by."""

    dependencies = [
        ("archive", "0014_dossier"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="item",
            name="item_public_facets_idx",
        ),
        migrations.RemoveField(
            model_name="item",
            name="has_media",
        ),
        migrations.RemoveField(
            model_name="item",
            name="body_ids",
        ),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                condition=models.Q(("access_level", "public"), ("confidentiality", ""), ("status", "published")),
                fields=["kind", "document_type", "period", "date_start", "embargo_until", "id"],
                name="item_public_facets_idx",
            ),
        ),
    ]
