from django.db import migrations

# The institution as it stands when the system is installed; staff edit it afterwards in the admin
# ("Thông tin đơn vị"). Idempotent: an edited record is left as it is.
INSTITUTION = {
    "name": "Đảng bộ Khối các cơ quan Trung ương",
    "name_en": "Party Organisation of the Central Agencies Bloc",
    "short_name": "Đảng bộ Khối",
    "short_name_en": "the Bloc's Party Organisation",
    "parent_body": "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam",
    "board": "Ban Tuyên giáo Đảng ủy Khối các cơ quan Trung ương",
    "board_en": "Propaganda Board, Party Committee of the Central Agencies Bloc",
    "board_short": "Ban Tuyên giáo Đảng ủy Khối",
    "board_short_en": "the Propaganda Board",
    "address": "Hà Nội",
    "signer_title": "TRƯỞNG BAN TUYÊN GIÁO",
}


def seed(apps, schema_editor):
    Institution = apps.get_model("archive", "Institution")
    Institution.objects.get_or_create(pk=1, defaults=INSTITUTION)


class Migration(migrations.Migration):
    dependencies = [("archive", "0026_institution")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
