"""The periods, venues and bodies named in the plan (../shared/seed/); editable afterwards."""

import datetime

from django.db import migrations

PERIODS = [
    {
        "code": "TK1",
        "number": 1,
        "slug": "1948-1962",
        "name": "Liên chi cơ quan Trung ương và Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương",
        "name_en": "The Central Agencies' Inter-Branch and the Party Organisation of the Central Government, "
        "Mass and Party Agencies",
        "summary": "Thời kỳ từ khi Liên chi cơ quan Trung ương và Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương "
        "– tiền thân của Đảng bộ Khối các cơ quan Trung ương – được thành lập, giai đoạn từ năm 1948 đến năm 1962: "
        "quá trình thành lập, bí thư đầu tiên, ban thường vụ, ban chấp hành và các chủ trương công tác.",
        "summary_en": "From the founding of the Central Agencies' Inter-Branch and the Party Organisation of the "
        "Central Government, Mass and Party Agencies, the predecessors of the Bloc, from 1948 to 1962.",
        "spans": [(1948, 1962)],
    },
    {
        "code": "TK2",
        "number": 2,
        "slug": "1962-1964-1978-1982",
        "name": "Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội",
        "name_en": "The Central Agencies Bloc's Party Organisation under the Hanoi Party Committee",
        "summary": "Thời kỳ Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội, giai đoạn từ năm 1962 "
        "đến năm 1964 và từ năm 1978 đến năm 1982: các quyết định giải thể và chuyển giao về thành phố Hà Nội, "
        "các kỳ đại hội và chủ trương công tác.",
        "summary_en": "The Bloc's Party Organisation under the Hanoi Party Committee, from 1962 to 1964 and from "
        "1978 to 1982: its dissolution and transfer to Hanoi, its congresses and policies.",
        "spans": [(1962, 1964), (1978, 1982)],
    },
    {
        "code": "TK3",
        "number": 3,
        "slug": "1982-2007",
        "name": "Bảy đảng ủy khối Trung ương",
        "name_en": "The seven central bloc party committees",
        "summary": "Thời kỳ lập 07 đảng ủy khối Trung ương: Kinh tế, Tư tưởng, Khoa giáo, Dân vận, Nội chính, "
        "Đối ngoại và Khối I, giai đoạn từ năm 1982 đến năm 2007: quyết định thành lập và giải tán, các kỳ đại hội, "
        "bí thư và ban chấp hành các nhiệm kỳ.",
        "summary_en": "Seven central bloc party committees (Economy, Ideology, Science and Education, Mass "
        "Mobilisation, Internal Affairs, External Relations and Bloc I), from 1982 to 2007.",
        "spans": [(1982, 2007)],
    },
    {
        "code": "TK4",
        "number": 4,
        "slug": "2007-nay",
        "name": "Đảng bộ Khối các cơ quan Trung ương (tái thành lập)",
        "name_en": "The Party Organisation of the Central Agencies Bloc (re-established)",
        "summary": "Thời kỳ từ khi tái thành lập Đảng bộ Khối các cơ quan Trung ương (tháng 4/2007) đến nay: quyết định "
        "thành lập, chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư lâm thời và các chủ trương công tác.",
        "summary_en": "From the re-establishment of the Party Organisation of the Central Agencies Bloc in April "
        "2007 to the present.",
        "spans": [(2007, None)],
    },
]

VENUES = [
    {
        "code": "phong-truyen-thong",
        "name": "Phòng Truyền thống",
        "name_en": "Tradition Room",
        "summary": "Phòng Truyền thống Đảng bộ Khối các cơ quan Trung ương.",
        "summary_en": "The Tradition Room of the Party Organisation of the Central Agencies Bloc.",
        "ordering": 1,
    },
    {
        "code": "nha-truyen-thong",
        "name": "Nhà Truyền thống",
        "name_en": "Tradition House",
        "summary": "Nhà Truyền thống Đảng bộ Khối các cơ quan Trung ương.",
        "summary_en": "The Tradition House of the Party Organisation of the Central Agencies Bloc.",
        "ordering": 2,
    },
]

BLOC_COMMITTEES = [
    ("Kinh tế", "Economy"),
    ("Tư tưởng", "Ideology"),
    ("Khoa giáo", "Science and Education"),
    ("Dân vận", "Mass Mobilisation"),
    ("Nội chính", "Internal Affairs"),
    ("Đối ngoại", "External Relations"),
    ("I", "I"),
]


def year(value):
    return datetime.date(value, 1, 1)


def seed(apps, schema_editor):
    Period = apps.get_model("archive", "Period")
    PeriodSpan = apps.get_model("archive", "PeriodSpan")
    Venue = apps.get_model("archive", "Venue")
    Body = apps.get_model("archive", "Body")

    periods = {}
    for data in PERIODS:
        data = dict(data)
        spans = data.pop("spans")
        period, created = Period.objects.get_or_create(code=data["code"], defaults=data)
        periods[period.number] = period
        if created:
            for start, end in spans:
                PeriodSpan.objects.create(period=period, start_year=start, end_year=end)

    for data in VENUES:
        Venue.objects.get_or_create(code=data["code"], defaults=data)

    def body(name, **fields):
        obj, _ = Body.objects.get_or_create(name=name, defaults=fields)
        return obj

    lien_chi = body(
        "Liên chi cơ quan Trung ương",
        name_en="Central Agencies' Inter-Branch",
        kind="predecessor",
        period=periods[1],
        founded_on=year(1948),
        founded_precision="year",
    )
    chinh_dan_dang = body(
        "Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương",
        name_en="Party Organisation of the Central Government, Mass and Party Agencies",
        kind="predecessor",
        period=periods[1],
        dissolved_on=year(1962),
        dissolved_precision="year",
    )
    chinh_dan_dang.predecessors.add(lien_chi)
    under_hanoi = body(
        "Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội",
        name_en="Central Agencies Bloc's Party Organisation under the Hanoi Party Committee",
        kind="bloc",
        period=periods[2],
        founded_on=year(1962),
        founded_precision="year",
        dissolved_on=year(1982),
        dissolved_precision="year",
    )
    under_hanoi.predecessors.add(chinh_dan_dang)
    bloc = body(
        "Đảng bộ Khối các cơ quan Trung ương",
        name_en="Party Organisation of the Central Agencies Bloc",
        short_name="Đảng bộ Khối",
        kind="bloc",
        period=periods[4],
        founded_on=datetime.date(2007, 4, 1),
        founded_precision="month",
    )
    for name_vi, name_en in BLOC_COMMITTEES:
        committee = body(
            f"Đảng ủy Khối {name_vi} Trung ương",
            name_en=f"Central Bloc {name_en} Party Committee",
            kind="bloc_committee",
            period=periods[3],
            founded_on=year(1982),
            founded_precision="year",
            dissolved_on=year(2007),
            dissolved_precision="year",
        )
        committee.predecessors.add(under_hanoi)
        bloc.predecessors.add(committee)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
