"""Items store English codes for confidentiality, urgency, signing authority and document type.

The Vietnamese stays in the choices' labels. The rows of the items and of their history are
converted both ways; the mapping is written out here, as it stood when the codes changed, so the
migration keeps its meaning whatever the models say later (archive/former_codes.py has the same
mapping for what still arrives in the former codes: old CSVs, bookmarked addresses, backups).
"""

from django.db import migrations, models

FORMER_CODES = {
    "confidentiality": {"mat": "confidential", "toi_mat": "secret", "tuyet_mat": "top_secret"},
    "urgency": {"khan": "urgent", "thuong_khan": "very_urgent", "hoa_toc": "flash"},
    "signing_authority": {"TM": "on_behalf", "KT": "deputy", "TL": "by_order", "TUQ": "authorised", "Q": "acting"},
    "document_type": {
        "nghi-quyet": "resolution",
        "quyet-dinh": "decision",
        "quy-dinh": "regulation",
        "chi-thi": "directive",
        "ket-luan": "conclusion",
        "quy-che": "rules",
        "huong-dan": "guidance",
        "ke-hoach": "plan",
        "chuong-trinh": "programme",
        "bao-cao": "report",
        "thong-bao": "notice",
        "to-trinh": "submission",
        "cong-van": "official_letter",
        "thong-tu": "circular",
        "nghi-dinh": "decree",
        "bien-ban": "minutes",
        "de-an": "scheme",
        "danh-sach": "list",
        "thong-cao": "communique",
        "hop-dong": "contract",
        "giay-moi": "invitation",
        "giay-gioi-thieu": "introduction_letter",
        "thong-tri": "party_circular",
        "van-kien-dai-hoi": "congress_document",
        "thu": "letter",
        "dien-van": "speech",
        "tai-lieu-khac": "other_document",
    },
}


def _convert(apps, pairs_of):
    # One UPDATE of each table, every field rewritten in it: no row is loaded, Item.save (numbers,
    # search text, history) has no part in a change of stored codes, and each row is written once.
    # (On PostgreSQL a row written twice in the transaction queues foreign-key checks, and the
    # columns' ALTER that follows on the way back refuses to run while they are pending.)
    for model_name in ("Item", "HistoricalItem"):
        model = apps.get_model("archive", model_name)
        changes, touched = {}, models.Q(pk__in=[])
        for field_name, codes in FORMER_CODES.items():
            pairs = pairs_of(codes)
            changes[field_name] = models.Case(
                *[models.When(**{field_name: old}, then=models.Value(new)) for old, new in pairs],
                default=models.F(field_name),
            )
            touched |= models.Q(**{f"{field_name}__in": [old for old, _new in pairs]})
        model._base_manager.filter(touched).update(**changes)


def to_english(apps, schema_editor):
    _convert(apps, lambda codes: list(codes.items()))


def to_vietnamese(apps, schema_editor):
    _convert(apps, lambda codes: [(new, old) for old, new in codes.items()])


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0012_list_filter_date_indexes"),
    ]

    operations = [
        # Room for the longer codes first ("confidential", "authorised"); on the way back the
        # former codes are written before the columns shrink again.
        migrations.AlterField(
            model_name="item",
            name="confidentiality",
            field=models.CharField(
                blank=True,
                choices=[("", "Không mật"), ("confidential", "Mật"), ("secret", "Tối mật"), ("top_secret", "Tuyệt mật")],
                default="",
                max_length=12,
                verbose_name="độ mật",
            ),
        ),
        migrations.AlterField(
            model_name="historicalitem",
            name="confidentiality",
            field=models.CharField(
                blank=True,
                choices=[("", "Không mật"), ("confidential", "Mật"), ("secret", "Tối mật"), ("top_secret", "Tuyệt mật")],
                default="",
                max_length=12,
                verbose_name="độ mật",
            ),
        ),
        migrations.AlterField(
            model_name="item",
            name="signing_authority",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Ký trực tiếp"),
                    ("on_behalf", "T/M – thay mặt"),
                    ("deputy", "K/T – ký thay"),
                    ("by_order", "T/L – thừa lệnh"),
                    ("authorised", "T/UQ – thừa ủy quyền"),
                    ("acting", "Q. – quyền"),
                ],
                help_text="Ghi trên văn bản trước chức vụ người ký, ví dụ T/M BAN THƯỜNG VỤ.",
                max_length=10,
                verbose_name="thẩm quyền ký",
            ),
        ),
        migrations.AlterField(
            model_name="historicalitem",
            name="signing_authority",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Ký trực tiếp"),
                    ("on_behalf", "T/M – thay mặt"),
                    ("deputy", "K/T – ký thay"),
                    ("by_order", "T/L – thừa lệnh"),
                    ("authorised", "T/UQ – thừa ủy quyền"),
                    ("acting", "Q. – quyền"),
                ],
                help_text="Ghi trên văn bản trước chức vụ người ký, ví dụ T/M BAN THƯỜNG VỤ.",
                max_length=10,
                verbose_name="thẩm quyền ký",
            ),
        ),
        migrations.AlterField(
            model_name="item",
            name="urgency",
            field=models.CharField(
                blank=True,
                choices=[("", "Thường"), ("urgent", "Khẩn"), ("very_urgent", "Thượng khẩn"), ("flash", "Hỏa tốc")],
                default="",
                max_length=12,
                verbose_name="độ khẩn",
            ),
        ),
        migrations.AlterField(
            model_name="historicalitem",
            name="urgency",
            field=models.CharField(
                blank=True,
                choices=[("", "Thường"), ("urgent", "Khẩn"), ("very_urgent", "Thượng khẩn"), ("flash", "Hỏa tốc")],
                default="",
                max_length=12,
                verbose_name="độ khẩn",
            ),
        ),
        migrations.AlterField(
            model_name="item",
            name="document_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("resolution", "nghị quyết"),
                    ("decision", "quyết định"),
                    ("regulation", "quy định"),
                    ("directive", "chỉ thị"),
                    ("conclusion", "kết luận"),
                    ("rules", "quy chế"),
                    ("guidance", "hướng dẫn"),
                    ("plan", "kế hoạch"),
                    ("programme", "chương trình"),
                    ("report", "báo cáo"),
                    ("notice", "thông báo"),
                    ("submission", "tờ trình"),
                    ("official_letter", "công văn"),
                    ("circular", "thông tư"),
                    ("decree", "nghị định"),
                    ("minutes", "biên bản"),
                    ("scheme", "đề án"),
                    ("list", "danh sách"),
                    ("communique", "thông cáo"),
                    ("contract", "hợp đồng"),
                    ("invitation", "giấy mời"),
                    ("introduction_letter", "giấy giới thiệu"),
                    ("party_circular", "thông tri"),
                    ("congress_document", "văn kiện đại hội"),
                    ("letter", "thư"),
                    ("speech", "diễn văn, bài phát biểu"),
                    ("other_document", "tài liệu khác"),
                ],
                max_length=30,
                verbose_name="thể loại văn bản",
            ),
        ),
        migrations.AlterField(
            model_name="historicalitem",
            name="document_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("resolution", "nghị quyết"),
                    ("decision", "quyết định"),
                    ("regulation", "quy định"),
                    ("directive", "chỉ thị"),
                    ("conclusion", "kết luận"),
                    ("rules", "quy chế"),
                    ("guidance", "hướng dẫn"),
                    ("plan", "kế hoạch"),
                    ("programme", "chương trình"),
                    ("report", "báo cáo"),
                    ("notice", "thông báo"),
                    ("submission", "tờ trình"),
                    ("official_letter", "công văn"),
                    ("circular", "thông tư"),
                    ("decree", "nghị định"),
                    ("minutes", "biên bản"),
                    ("scheme", "đề án"),
                    ("list", "danh sách"),
                    ("communique", "thông cáo"),
                    ("contract", "hợp đồng"),
                    ("invitation", "giấy mời"),
                    ("introduction_letter", "giấy giới thiệu"),
                    ("party_circular", "thông tri"),
                    ("congress_document", "văn kiện đại hội"),
                    ("letter", "thư"),
                    ("speech", "diễn văn, bài phát biểu"),
                    ("other_document", "tài liệu khác"),
                ],
                max_length=30,
                verbose_name="thể loại văn bản",
            ),
        ),
        migrations.RunPython(to_english, to_vietnamese, elidable=False),
    ]
