"""The file (hồ sơ) is named Dossier, and an item's file and file_position are its dossier and
dossier_position: tables and columns are renamed, so every row and its history stays."""

from django.db import migrations, models

# Permissions are named after the model; renaming them keeps what staff were granted one by one.
PERMISSIONS = {
    f"{action}_{old}": f"{action}_{new}"
    for action in ("add", "change", "delete", "view")
    for old, new in (("file", "dossier"), ("historicalfile", "historicaldossier"))
}


def _rename_permissions(apps, renames):
    # The content types follow RenameModel by themselves (django.contrib.contenttypes); the
    # permission codenames do not. A content type that already has the new codename (migrate
    # created it after an earlier run) keeps that one, and the old codename stays beside it unused.
    permission = apps.get_model("auth", "Permission")
    for old, new in renames.items():
        taken = permission.objects.filter(content_type__app_label="archive", codename=new).values("content_type")
        permission.objects.filter(content_type__app_label="archive", codename=old).exclude(
            content_type__in=taken
        ).update(codename=new)


def forwards(apps, schema_editor):
    _rename_permissions(apps, PERMISSIONS)


def backwards(apps, schema_editor):
    _rename_permissions(apps, {new: old for old, new in PERMISSIONS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0013_english_codes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameModel(old_name="File", new_name="Dossier"),
        migrations.RenameModel(old_name="HistoricalFile", new_name="HistoricalDossier"),
        migrations.RenameField(model_name="item", old_name="file", new_name="dossier"),
        migrations.RenameField(model_name="item", old_name="file_position", new_name="dossier_position"),
        migrations.RenameField(model_name="historicalitem", old_name="file", new_name="dossier"),
        migrations.RenameField(model_name="historicalitem", old_name="file_position", new_name="dossier_position"),
        migrations.RemoveConstraint(model_name="dossier", name="file_retention_years_consistent"),
        migrations.RemoveConstraint(model_name="dossier", name="file_end_after_start"),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("retention", "permanent"), ("retention_years__isnull", True)),
                    models.Q(("retention", "years"), ("retention_years__gt", 0)),
                    _connector="OR",
                ),
                name="dossier_retention_years_consistent",
                violation_error_message=(
                    "Thời hạn bảo quản: hồ sơ có thời hạn cần số năm lớn hơn 0; hồ sơ vĩnh viễn để trống số năm."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("end_year__isnull", True),
                    ("start_year__isnull", True),
                    ("end_year__gte", models.F("start_year")),
                    _connector="OR",
                ),
                name="dossier_end_after_start",
                violation_error_message="Năm kết thúc của hồ sơ phải bằng hoặc sau năm bắt đầu.",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
