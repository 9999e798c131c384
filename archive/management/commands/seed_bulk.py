"""`manage.py seed_bulk --items 100000`: a large synthetic catalogue for benchmarks, by bulk operations.

Titles, summaries and descriptions are Vietnamese with full diacritics, drawn from a vocabulary
(subjects, places, the people of the register); dates fall inside their period's spans; items
link to bodies, people and keywords (whose names are in the search text, as a catalogued item's
are) and carry one small media record each (all pointing at one shared sample image, made once);
published items have a publication time. Everything is marked as sample data. On PostgreSQL the
tables are analysed at the end, so the planner knows their size. Run it on an empty catalogue or
on top of the demo data.
"""

import datetime
import hashlib
import io
import random
import sys
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from archive.models import Body, InventoryCounter, Item, Keyword, MediaFile, Period, Person
from archive.partial_dates import PartialDate, Precision
from basics.text import fold

DOCUMENT_KINDS = ["quyết định", "nghị quyết", "chỉ thị", "kế hoạch", "báo cáo", "hướng dẫn", "công văn", "thông báo"]
TYPE_BY_KIND = {
    "quyết định": ("decision", "QĐ"),
    "nghị quyết": ("resolution", "NQ"),
    "chỉ thị": ("directive", "CT"),
    "kế hoạch": ("plan", "KH"),
    "báo cáo": ("report", "BC"),
    "hướng dẫn": ("guidance", "HD"),
    "công văn": ("official_letter", "CV"),
    "thông báo": ("notice", "TB"),
}
SUBJECTS = [
    "công tác xây dựng Đảng",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác tuyên truyền truyền thống",
    "kết nạp đảng viên mới",
    "đại hội đảng bộ các cấp",
    "công tác kiểm tra, giám sát",
    "công tác dân vận",
    "xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh",
    "công tác cán bộ",
    "phát triển đảng viên",
    "sinh hoạt chi bộ chuyên đề",
    "kỷ niệm ngày thành lập Đảng",
    "thi đua khen thưởng",
    "bồi dưỡng lý luận chính trị",
    "công tác bảo vệ chính trị nội bộ",
    "tổng kết nhiệm kỳ",
    "chỉnh đốn Đảng",
    "phòng, chống tham nhũng, lãng phí",
    "cải cách hành chính trong cơ quan",
    "xây dựng cơ quan văn hóa",
    "công tác nữ công",
    "công tác đoàn thanh niên",
    "công tác công đoàn",
    "công tác cựu chiến binh",
    "tổ chức hội nghị học tập nghị quyết",
    "phong trào thi đua yêu nước",
    "tiếp nhận tư liệu lịch sử đảng bộ",
    "biên soạn lịch sử đảng bộ",
    "xây dựng Phòng Truyền thống",
    "quản lý đảng viên đi công tác nước ngoài",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "đánh giá, xếp loại tổ chức đảng và đảng viên",
    "công tác tài chính đảng",
    "công tác văn thư, lưu trữ",
    "chuyển sinh hoạt đảng",
    "tặng Huy hiệu Đảng cho đảng viên lão thành",
]
PHOTO_SUBJECTS = [
    "Đoàn đại biểu dự Đại hội",
    "Lễ kết nạp đảng viên mới tại chi bộ",
    "Hội nghị Ban Chấp hành Đảng bộ",
    "Cán bộ, đảng viên thăm Phòng Truyền thống",
    "Lễ trao Huy hiệu Đảng",
    "Buổi sinh hoạt truyền thống",
    "Đồng chí Bí thư phát biểu tại hội nghị",
    "Tập thể Ban Thường vụ chụp ảnh lưu niệm",
]
ARTIFACTS = ["Cờ thi đua", "Bằng khen", "Huy hiệu", "Sổ ghi chép công tác", "Máy chữ", "Con dấu cũ", "Bút ký"]
PLACES = [
    "Hà Nội",
    "Việt Bắc",
    "Tuyên Quang",
    "Thái Nguyên",
    "Hòa Bình",
    "Hải Phòng",
    "Nam Định",
    "Thanh Hóa",
    "Nghệ An",
    "Huế",
    "Đà Nẵng",
    "Quảng Ninh",
    "Lạng Sơn",
    "Cao Bằng",
    "Điện Biên",
    "Sơn La",
    "Ninh Bình",
    "Bắc Ninh",
    "Hà Giang",
    "Thành phố Hồ Chí Minh",
]
DESCRIPTIONS = [
    "Văn bản có bút tích của đồng chí {person}, lưu tại {place}.",
    "Đồng chí {person} trình bày tại hội nghị tổ chức ở {place} năm {year}.",
    "Tư liệu do gia đình đồng chí {person} ở {place} trao tặng.",
    "Bản chính, có chữ ký của đồng chí {person}; giấy đã ố vàng.",
    "Sao lục từ hồ sơ lưu trữ năm {year}, do đồng chí {person} chuyển giao.",
    "Ghi lại ý kiến chỉ đạo của đồng chí {person} về công tác ở {place}.",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Ngọc", "Công"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hùng",
    "Khánh",
    "Lâm",
    "Long",
    "Mai",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Thảo",
    "Trung",
    "Tuấn",
    "Việt",
    "Yến",
]
KEYWORDS = [
    "đại hội",
    "kết nạp đảng viên",
    "truyền thống",
    "Ban Chấp hành",
    "Ban Thường vụ",
    "chi bộ",
    "thi đua",
    "nghị quyết",
    "thành lập",
    "giải thể",
    "tuyên giáo",
    "kiểm tra",
    "dân vận",
    "lý luận",
]


class Command(BaseCommand):
    help = "Tạo một kho tư liệu tổng hợp lớn (mặc định 100.000 tư liệu) để đo hiệu năng."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--items", type=int, default=100_000)
        parser.add_argument("--batch", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=2007)

    # The generated texts are Vietnamese: they go to the original columns whatever language the
    # caller had active (modeltranslation's ``title`` is ``title_<active language>``).
    @translation.override(settings.LANGUAGE_CODE)
    def handle(self, *args, items: int, batch: int, seed: int, **options) -> None:
        rng = random.Random(seed)
        started = time.monotonic()
        periods = list(Period.objects.prefetch_related("spans"))
        bodies = list(Body.objects.all())
        people = self._people(rng)
        keywords = [Keyword.objects.get_or_create(name=name)[0] for name in KEYWORDS]
        sample_name, sample_sha = self._sample_image()
        year = timezone.localdate().year
        numbers = InventoryCounter.take_numbers("TL", year, items)
        done = 0
        while done < items:
            size = min(batch, items - done)
            with transaction.atomic():
                built = [self._item(rng, periods, bodies, people, keywords, numbers[done + i]) for i in range(size)]
                created = Item.objects.bulk_create(built, batch_size=1000)
                self._links(created)
                MediaFile.objects.bulk_create(
                    [
                        MediaFile(
                            item=item,
                            kind="image",
                            file=sample_name,
                            original_name="ảnh mẫu.jpg",
                            mime_type="image/jpeg",
                            size=1,
                            sha256=sample_sha,
                            width=320,
                            height=240,
                            thumbnail=sample_name,
                            medium=sample_name,
                            large=sample_name,
                            is_primary=True,
                        )
                        for item in created
                    ],
                    batch_size=1000,
                )
            done += size
            self._progress(done, items, started)
        self.stderr.write("")
        self._analyse()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {items:,} tư liệu trong {time.monotonic() - started:.1f} giây.".replace(",", ".")
            )
        )

    def _analyse(self) -> None:
        """Fresh planner statistics (PostgreSQL): without them the first queries plan for an empty table."""
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM needs autocommit
        tables = [
            Item._meta.db_table,
            MediaFile._meta.db_table,
            Item.bodies.through._meta.db_table,
            Item.people.through._meta.db_table,
            Item.keywords.through._meta.db_table,
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")

    def _progress(self, done: int, total: int, started: float) -> None:
        width = 40
        filled = int(width * done / total)
        rate = done / max(time.monotonic() - started, 1e-6)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:,.0f} tư liệu/giây)")
        sys.stderr.flush()

    def _people(self, rng: random.Random) -> list[Person]:
        existing = list(Person.objects.filter(is_sample=True)[:300])
        if len(existing) >= 300:
            return existing
        for _ in range(300 - len(existing)):
            person = Person(full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", is_sample=True)
            words = fold(person.full_name).split()
            person.sort_name = " ".join(words[-1:] + words[:-1])
            person.folded_name = " ".join(words)
            existing.append(person)
        return [p for p in existing if p.pk] + Person.objects.bulk_create([p for p in existing if not p.pk])

    def _sample_image(self) -> tuple[str, str]:
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (320, 240), (236, 226, 204))
        ImageDraw.Draw(image).rectangle((20, 20, 300, 60), fill=(163, 21, 27))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70)
        content = buffer.getvalue()
        name = default_storage.save("bulk/sample.jpg", ContentFile(content))
        return name, hashlib.sha256(content).hexdigest()

    def _date(self, rng: random.Random, period: Period) -> PartialDate:
        span = rng.choice(list(period.spans.all()))
        end = span.end_year or timezone.localdate().year - 1
        year = rng.randint(span.start_year, end)
        roll = rng.random()
        if roll < 0.55:
            month = rng.randint(1, 12)
            return PartialDate(year=year, month=month, day=rng.randint(1, 28), precision=Precision.DAY)
        if roll < 0.8:
            return PartialDate(year=year, month=rng.randint(1, 12), precision=Precision.MONTH)
        return PartialDate(year=year, precision=Precision.YEAR, circa=roll > 0.93)

    def _item(self, rng: random.Random, periods, bodies, people, keywords, number: str) -> Item:
        period = rng.choice(periods)
        partial = self._date(rng, period)
        kind = rng.choices(["document", "photo", "artifact", "publication"], weights=[70, 18, 7, 5])[0]
        body = rng.choice(bodies)
        document_type = number_symbol = ""
        if kind == "document":
            doc_kind = rng.choice(DOCUMENT_KINDS)
            document_type, code = TYPE_BY_KIND[doc_kind]
            subject = rng.choice(SUBJECTS)
            title = f"{doc_kind.capitalize()} về {subject}"
            number_symbol = (
                f"{rng.randint(1, 999):02d}-{code}/ĐUK" if code != "CV" else f"{rng.randint(1, 9999)}-CV/ĐUK"
            )
            summary = f"{doc_kind.capitalize()} của {body.name} về {subject}, ban hành tại {rng.choice(PLACES)}."
        elif kind == "photo":
            title = f"{rng.choice(PHOTO_SUBJECTS)} năm {partial.year}"
            summary = f"Ảnh tư liệu về {rng.choice(SUBJECTS)} của {body.name}."
        elif kind == "artifact":
            title = f"{rng.choice(ARTIFACTS)} của {body.name}"
            summary = f"Hiện vật gắn với {rng.choice(SUBJECTS)}, lưu giữ tại Phòng Truyền thống."
        else:
            title = f"Kỷ yếu {rng.choice(SUBJECTS)} ({partial.year})"
            summary = f"Ấn phẩm của {body.name} về {rng.choice(SUBJECTS)}."
        item = Item(
            inventory_number=number,
            kind=kind,
            document_type=document_type,
            title=title,
            summary=summary,
            number_symbol=number_symbol,
            period=period,
            issuing_body=body if kind == "document" else None,
            status=rng.choices(["published", "draft", "in_review", "withdrawn"], weights=[85, 8, 5, 2])[0],
            access_level=rng.choices(["public", "internal", "restricted"], weights=[92, 6, 2])[0],
            place_of_issue=rng.choice(PLACES),
            is_sample=True,
        )
        person = rng.choice(people)
        item.description = rng.choice(DESCRIPTIONS).format(
            person=person.full_name, place=rng.choice(PLACES), year=partial.year
        )
        item.set_partial_date(partial)
        if number_symbol:
            item._apply_number_symbol()
        now = timezone.now()
        if item.status == "published":
            item.published_at = now - datetime.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        chosen = rng.sample(keywords, 2)
        item.search_text = item.build_search_text([k.name for k in chosen])
        item.created_at = item.updated_at = now
        # Remembered for _links (bulk_create keeps the Python objects).
        item._bulk_links = (rng.choice(bodies).pk, person.pk, [k.pk for k in chosen])
        return item

    def _links(self, items) -> None:
        bodies_through = Item.bodies.through
        people_through = Item.people.through
        keywords_through = Item.keywords.through
        bodies_through.objects.bulk_create(
            [bodies_through(item_id=item.pk, body_id=item._bulk_links[0]) for item in items], batch_size=2000
        )
        people_through.objects.bulk_create(
            [people_through(item_id=item.pk, person_id=item._bulk_links[1]) for item in items], batch_size=2000
        )
        keywords_through.objects.bulk_create(
            [keywords_through(item_id=item.pk, keyword_id=k) for item in items for k in item._bulk_links[2]],
            batch_size=4000,
        )
