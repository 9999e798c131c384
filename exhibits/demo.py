"""Demonstration exhibits, built from whatever public items the archive's demo data published."""

from archive.models import Item, MediaFile, Period
from exhibits.models import Exhibit, ExhibitBlock


def _block(exhibit: Exhibit, position: int, kind: str, **fields) -> ExhibitBlock:
    items = fields.pop("items", None)
    block, _ = ExhibitBlock.objects.update_or_create(
        exhibit=exhibit, position=position, defaults={"kind": kind, **fields}
    )
    if items is not None:
        block.items.set(items)
    return block


def seed(stdout) -> None:
    public = Item.objects.public()
    periods = {p.number: p for p in Period.objects.all()}
    pictures = list(public.filter(media__kind=MediaFile.Kind.IMAGE).distinct().order_by("date_start", "pk")[:12])
    documents = list(public.filter(kind=Item.Kind.DOCUMENT).order_by("date_start", "pk")[:6])
    video = public.filter(media__kind=MediaFile.Kind.VIDEO).order_by("pk").first()

    history, _ = Exhibit.objects.update_or_create(
        slug="dang-bo-khoi-qua-cac-thoi-ky",
        defaults={
            "title": "Đảng bộ Khối các cơ quan Trung ương qua các thời kỳ",
            "summary": "Chặng đường từ Liên chi cơ quan Trung ương năm 1948 đến Đảng bộ Khối các cơ quan "
            "Trung ương hôm nay, qua tư liệu, hình ảnh và hiện vật tiêu biểu.",
            # In English too; its timeline block stays Vietnamese, as an untranslated text does.
            "title_en": "The Party Organisation of the Central Agencies Bloc through the periods",
            "summary_en": "From the Central Agencies' Inter-Branch of 1948 to the Party Organisation of the Central "
            "Agencies Bloc today, in documents, pictures and artifacts.",
            "status": Exhibit.Status.PUBLISHED,
            "featured": True,
            "ordering": 1,
            "period": None,
        },
    )
    _block(
        history,
        1,
        ExhibitBlock.Kind.TEXT,
        heading="Lời giới thiệu",
        text="Chuyên đề giới thiệu những mốc son trong lịch sử Đảng bộ Khối các cơ quan Trung ương, "
        "qua các thời kỳ xây dựng và trưởng thành.",
        heading_en="Introduction",
        text_en="The exhibit presents the milestones in the history of the Party Organisation of the Central "
        "Agencies Bloc, through the periods of its building and growth.",
    )
    _block(
        history,
        2,
        ExhibitBlock.Kind.TIMELINE,
        heading="Các mốc lịch sử",
        text="1948: Thành lập Liên chi cơ quan Trung ương\n"
        "1962: Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội\n"
        "1982: Thành lập các đảng ủy khối Trung ương\n"
        "2007: Tái thành lập Đảng bộ Khối các cơ quan Trung ương",
    )
    if pictures:
        _block(history, 3, ExhibitBlock.Kind.ITEM, item=pictures[0], text="Hình ảnh tiêu biểu.")
        _block(history, 4, ExhibitBlock.Kind.GALLERY, heading="Tư liệu ảnh", items=pictures[1:9])
    _block(
        history,
        5,
        ExhibitBlock.Kind.QUOTE,
        text="Đoàn kết, đoàn kết, đại đoàn kết. Thành công, thành công, đại thành công.",
        quote_source="Chủ tịch Hồ Chí Minh",
    )
    if video:
        _block(history, 6, ExhibitBlock.Kind.VIDEO, heading="Phim tư liệu", item=video)

    documents_exhibit, _ = Exhibit.objects.update_or_create(
        slug="van-kien-tieu-bieu",
        defaults={
            "title": "Văn kiện tiêu biểu của Đảng bộ Khối",
            "summary": "Nghị quyết, chỉ thị và văn kiện đại hội tiêu biểu được số hóa.",
            "status": Exhibit.Status.PUBLISHED,
            "featured": True,
            "ordering": 2,
            "period": periods.get(4),
        },
    )
    _block(
        documents_exhibit,
        1,
        ExhibitBlock.Kind.TEXT,
        text="Những văn kiện được chọn thể hiện chủ trương lãnh đạo của Đảng bộ Khối qua các nhiệm kỳ.",
    )
    for position, document in enumerate(documents, start=2):
        _block(documents_exhibit, position, ExhibitBlock.Kind.ITEM, item=document)

    Exhibit.objects.update_or_create(
        slug="chuyen-de-dang-soan",
        defaults={
            "title": "Chuyên đề đang soạn: Đảng bộ Khối với công tác dân vận",
            "summary": "Bản nháp để cán bộ xem trước.",
            "status": Exhibit.Status.DRAFT,
            "period": periods.get(3),
        },
    )
    stdout.write(f"  {Exhibit.objects.count()} chuyên đề trưng bày")
