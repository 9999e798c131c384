"""Demonstration catalogue for `manage.py seed_demo`: believable, marked as sample, safe to run again.

On top of the periods, venues and bodies seeded by the migrations, this adds the boards the
plan names, a few subordinate committees, congresses, terms and their committees, keywords,
dossiers (hồ sơ) and about sixty items over every kind and period, with pictures drawn here by
Pillow (``archive.demo_pictures``), stored through ``archive.media.media_file_store`` and processed at
once (``archive.processing``), so their derivatives and deep-zoom tiles exist when the seed ends.

Everything the plan (shared/seed) does not name is marked ``is_sample=True``. The plan names
the Party Committee's 2023 plan itself and its signer, Lại Xuân Lâm, Standing Deputy Secretary;
those two are kept as real records. Items are keyed on their title: running again adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from archive.demo_pictures import media_for
from archive.media import media_file_store
from archive.models import Body, Congress, Dossier, Item, Keyword, Period, Person, Position, Term, Venue
from archive.partial_dates import parse_partial_date
from archive.processing import media_file_process
from archive.secrecy import files_refused

SAMPLE_NOTE = "Dữ liệu mẫu để trình diễn hệ thống; không phải tư liệu thật."

# --- registers -----------------------------------------------------------------------------

BLOC = "Đảng bộ Khối các cơ quan Trung ương"
LIEN_CHI = "Liên chi cơ quan Trung ương"
CHINH_DAN_DANG = "Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương"
UNDER_HANOI = "Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội"
KINH_TE = "Đảng ủy Khối Kinh tế Trung ương"
TU_TUONG = "Đảng ủy Khối Tư tưởng Trung ương"
KHOA_GIAO = "Đảng ủy Khối Khoa giáo Trung ương"
DAN_VAN = "Đảng ủy Khối Dân vận Trung ương"
NOI_CHINH = "Đảng ủy Khối Nội chính Trung ương"
DOI_NGOAI = "Đảng ủy Khối Đối ngoại Trung ương"
KHOI_I = "Đảng ủy Khối I Trung ương"
BAN_TUYEN_GIAO = "Ban Tuyên giáo Đảng ủy Khối"
VAN_PHONG = "Văn phòng Đảng ủy Khối"
TRUNG_TAM = "Trung tâm Bồi dưỡng chính trị Đảng ủy Khối"

# Boards named in the plan (real), and a few subordinate committees (sample).
EXTRA_BODIES = [
    (BAN_TUYEN_GIAO, "Propaganda and Education Board of the Bloc Party Committee", "board", False),
    (VAN_PHONG, "Office of the Bloc Party Committee", "board", False),
    (TRUNG_TAM, "Political Training Centre of the Bloc Party Committee", "board", False),
    ("Đảng ủy cơ quan Ban Tổ chức Trung ương", "Party Committee of the Central Organisation Commission", "", True),
    ("Đảng ủy Văn phòng Trung ương Đảng", "Party Committee of the Party Central Office", "", True),
    ("Đảng ủy Báo Nhân Dân", "Party Committee of Nhân Dân newspaper", "", True),
]

PEOPLE = [
    # (full name, birth year, death year, hometown) — sample people, not real leaders
    ("Trần Văn Khiêm", 1905, 1978, "Nam Định"),
    ("Nguyễn Hữu Thạc", 1910, 1985, "Hà Đông"),
    ("Lê Thị Thanh Nhàn", 1915, 1992, "Nghệ An"),
    ("Phạm Quang Đạo", 1912, 1988, "Thái Bình"),
    ("Hoàng Văn Lộc", 1918, 1996, "Thanh Hóa"),
    ("Vũ Đình Tảo", 1916, 1990, "Hải Dương"),
    ("Đỗ Minh Chính", 1920, 2001, "Bắc Ninh"),
    ("Bùi Thị Hằng", 1922, 2005, "Hưng Yên"),
    ("Ngô Xuân Thiều", 1921, 1999, "Hà Tĩnh"),
    ("Đặng Văn Tuệ", 1925, 2008, "Phú Thọ"),
    ("Lương Đức Hậu", 1927, 2010, "Vĩnh Phúc"),
    ("Tạ Quang Khải", 1930, 2012, "Hà Nam"),
    ("Nguyễn Thị Kim Oanh", 1932, 2015, "Quảng Bình"),
    ("Phan Văn Trường", 1931, None, "Quảng Trị"),
    ("Đinh Công Minh", 1934, None, "Ninh Bình"),
    ("Trịnh Xuân Bảo", 1936, None, "Thanh Hóa"),
    ("Lê Văn Hòa", 1938, None, "Nghệ An"),
    ("Cao Thị Ngọc Lan", 1940, None, "Hà Nội"),
    ("Mai Đức Thắng", 1941, None, "Nam Định"),
    ("Nguyễn Văn Phúc", 1943, None, "Thái Bình"),
    ("Hồ Sĩ Quý", 1945, None, "Nghệ An"),
    ("Trần Thị Bích Ngọc", 1946, None, "Hải Phòng"),
    ("Võ Văn Thành", 1948, None, "Quảng Nam"),
    ("Dương Minh Tâm", 1950, None, "Bắc Giang"),
    ("Lý Văn Sơn", 1951, None, "Lạng Sơn"),
    ("Kiều Thị Mai", 1953, None, "Hà Nội"),
    ("Hà Quang Vinh", 1955, None, "Tuyên Quang"),
    ("Phùng Văn Nghĩa", 1956, None, "Hà Tây"),
    ("Nguyễn Đức Cường", 1958, None, "Hưng Yên"),
    ("Lưu Thị Thu Hà", 1960, None, "Hà Nam"),
    ("Trương Công Định", 1961, None, "Quảng Ngãi"),
    ("Đoàn Văn Hiếu", 1963, None, "Thái Bình"),
    ("Nguyễn Thanh Tùng", 1964, None, "Hà Nội"),
    ("Phạm Thị Hồng Nhung", 1966, None, "Nam Định"),
    ("Vương Đình Huy", 1967, None, "Hà Tĩnh"),
    ("Lê Minh Quân", 1969, None, "Thanh Hóa"),
    ("Trần Quốc Việt", 1970, None, "Bắc Ninh"),
    ("Hoàng Thị Thu Trang", 1972, None, "Phú Thọ"),
    ("Nguyễn Hoài Nam", 1974, None, "Nghệ An"),
    ("Bạch Văn Khánh", 1975, None, "Hòa Bình"),
]
LAI_XUAN_LAM = "Lại Xuân Lâm"

KEYWORDS = [
    "thành lập",
    "giải thể, chuyển giao",
    "đại hội",
    "Ban Chấp hành",
    "Ban Thường vụ",
    "xây dựng Đảng",
    "phát triển đảng viên",
    "công tác tư tưởng",
    "thi đua khen thưởng",
    "giáo dục truyền thống",
    "Phòng Truyền thống",
    "Nhà Truyền thống",
    "kháng chiến chống thực dân Pháp",
    "chiến khu Việt Bắc",
    "bảo vệ chính trị nội bộ",
    "sưu tầm tư liệu",
]

DOSSIERS = [
    ("HS-1948-01", "Hồ sơ thành lập Liên chi cơ quan Trung ương", 1948, 1950, 42),
    ("HS-1963-01", "Hồ sơ Đại hội Đảng bộ Khối các cơ quan Trung ương lần thứ nhất", 1963, 1963, 118),
    ("HS-1982-01", "Hồ sơ thành lập các đảng ủy khối Trung ương", 1982, 1983, 96),
    ("HS-2007-01", "Hồ sơ tái thành lập Đảng bộ Khối các cơ quan Trung ương", 2007, 2008, 75),
    ("HS-2023-01", "Hồ sơ sưu tầm tư liệu, nâng cấp Phòng Truyền thống, Nhà Truyền thống", 2023, 2024, 64),
]


@dataclass(frozen=True)
class CongressSpec:
    key: str
    body: str
    number: int
    held: tuple[datetime.date, datetime.date]
    term: tuple[int, int]
    summary: str


def _d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


CONGRESSES = [
    CongressSpec(
        "cdd-1",
        CHINH_DAN_DANG,
        1,
        (_d(1956, 3, 20), _d(1956, 3, 23)),
        (1956, 1962),
        "Đại hội đại biểu lần thứ nhất kiểm điểm công tác xây dựng Đảng trong các cơ quan sau kháng chiến.",
    ),
    CongressSpec(
        "hn-1",
        UNDER_HANOI,
        1,
        (_d(1963, 5, 14), _d(1963, 5, 16)),
        (1963, 1964),
        "Đại hội đại biểu lần thứ nhất của Đảng bộ Khối sau khi trực thuộc Thành ủy Hà Nội.",
    ),
    CongressSpec(
        "hn-2",
        UNDER_HANOI,
        2,
        (_d(1980, 10, 7), _d(1980, 10, 9)),
        (1980, 1982),
        "Đại hội đại biểu lần thứ hai, sau khi Đảng bộ Khối được lập lại năm 1978.",
    ),
    CongressSpec(
        "kt-1",
        KINH_TE,
        1,
        (_d(1983, 6, 21), _d(1983, 6, 23)),
        (1983, 1986),
        "Đại hội đại biểu lần thứ nhất của Đảng bộ Khối Kinh tế Trung ương.",
    ),
    CongressSpec(
        "tt-3",
        TU_TUONG,
        3,
        (_d(1991, 4, 9), _d(1991, 4, 11)),
        (1991, 1996),
        "Đại hội đại biểu lần thứ ba của Đảng bộ Khối Tư tưởng Trung ương.",
    ),
    CongressSpec(
        "k-1",
        BLOC,
        1,
        (_d(2010, 7, 27), _d(2010, 7, 29)),
        (2010, 2015),
        "Đại hội đại biểu Đảng bộ Khối các cơ quan Trung ương lần thứ I, nhiệm kỳ 2010–2015.",
    ),
    CongressSpec(
        "k-2",
        BLOC,
        2,
        (_d(2015, 7, 15), _d(2015, 7, 17)),
        (2015, 2020),
        "Đại hội đại biểu Đảng bộ Khối các cơ quan Trung ương lần thứ II, nhiệm kỳ 2015–2020.",
    ),
    CongressSpec(
        "k-3",
        BLOC,
        3,
        (_d(2020, 7, 21), _d(2020, 7, 23)),
        (2020, 2025),
        "Đại hội đại biểu Đảng bộ Khối các cơ quan Trung ương lần thứ III, nhiệm kỳ 2020–2025.",
    ),
]
# The interim committee appointed at the re-establishment, before the first congress.
INTERIM_TERM = ("k-lt", BLOC, 2007, 2010, "Ban Chấp hành lâm thời (2007–2010)")

ROLES = (
    [Position.Role.SECRETARY]
    + [Position.Role.DEPUTY_SECRETARY] * 2
    + [Position.Role.STANDING_MEMBER] * 3
    + [Position.Role.EXECUTIVE_MEMBER] * 4
)


# --- items ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """One demonstration item; ``picture`` says what to draw for it (or None for no media)."""

    period: str
    kind: str
    title: str
    summary: str
    date: str
    picture: str | None = "document"
    number: str = ""
    document_type: str = ""
    issuer: str = ""
    signer: str = ""
    signer_position: str = ""
    status: str = Item.Status.PUBLISHED
    access: str = Item.AccessLevel.PUBLIC
    confidentiality: str = ""
    embargo_days: int | None = None
    featured: bool = False
    congress: str = ""
    dossier: str = ""
    keywords: tuple[str, ...] = ()
    venue: str = "phong-truyen-thong"
    condition: str = "good"
    material: str = ""
    dimensions: str = ""
    acquisition: str = "transfer"
    source: str = ""
    is_sample: bool = True
    description: str = ""
    recipients: str = ""
    extra: dict = field(default_factory=dict)
    # English texts: a few items have them, so that the English site shows both cases.
    title_en: str = ""
    summary_en: str = ""

    @property
    def meant_public(self) -> bool:
        return (
            self.status == Item.Status.PUBLISHED
            and self.access == Item.AccessLevel.PUBLIC
            and not self.confidentiality
            and not self.embargo_days
        )


P = Item.Status
A = Item.AccessLevel
K = Item.Kind

ITEMS: list[ItemSpec] = [
    # ----- Thời kỳ 1: 1948–1962 -----
    ItemSpec(
        "TK1",
        K.DOCUMENT,
        "Quyết định thành lập Liên chi cơ quan Trung ương",
        "Quyết định thành lập Liên chi cơ quan Trung ương, tổ chức đảng chung của các cơ quan Trung ương "
        "đóng tại chiến khu Việt Bắc; chỉ định Ban Chấp hành lâm thời.",
        "khoảng 1948",
        document_type="decision",
        issuer=LIEN_CHI,
        dossier="HS-1948-01",
        keywords=("thành lập", "chiến khu Việt Bắc", "kháng chiến chống thực dân Pháp"),
        condition="damaged",
        material="Giấy pơ-luya, chữ đánh máy",
        dimensions="21 x 29 cm",
        featured=True,
        title_en="Decision establishing the Central Agencies' Inter-Branch Party Committee",
        summary_en="Decision establishing the Central Agencies' Inter-Branch Party Committee, the common party "
        "organisation of the central agencies based in the Việt Bắc resistance zone; it appoints the interim "
        "Executive Committee.",
    ),
    ItemSpec(
        "TK1",
        K.DOCUMENT,
        "Danh sách Ban Chấp hành Liên chi cơ quan Trung ương khóa đầu tiên",
        "Danh sách các đồng chí trong Ban Chấp hành, Ban Thường vụ và Bí thư Liên chi khóa đầu tiên.",
        "1949",
        document_type="list",
        issuer=LIEN_CHI,
        dossier="HS-1948-01",
        keywords=("Ban Chấp hành", "Ban Thường vụ"),
        condition="fair",
        material="Giấy dó, chữ viết tay",
    ),
    ItemSpec(
        "TK1",
        K.PHOTO,
        "Cán bộ Liên chi cơ quan Trung ương tại chiến khu Việt Bắc",
        "Ảnh tập thể cán bộ, đảng viên Liên chi cơ quan Trung ương trước lán làm việc ở chiến khu Việt Bắc.",
        "khoảng 1950",
        picture="photo",
        keywords=("chiến khu Việt Bắc", "kháng chiến chống thực dân Pháp"),
        condition="fair",
        material="Ảnh đen trắng, giấy ảnh",
        dimensions="9 x 12 cm",
        acquisition="donation",
        source="Gia đình cán bộ lão thành",
        featured=True,
        title_en="Officials of the Central Agencies' Inter-Branch in the Việt Bắc resistance zone",
    ),
    ItemSpec(
        "TK1",
        K.DOCUMENT,
        "Chỉ thị về công tác xây dựng chi bộ trong các cơ quan Trung ương",
        "Chỉ thị về củng cố chi bộ, nền nếp sinh hoạt đảng và giáo dục đảng viên trong các cơ quan "
        "Trung ương thời kỳ kháng chiến.",
        "tháng 9/1951",
        number="05-CT/LCTW",
        document_type="directive",
        issuer=LIEN_CHI,
        signer="Trần Văn Khiêm",
        signer_position="Bí thư Liên chi",
        keywords=("xây dựng Đảng",),
        condition="fair",
    ),
    ItemSpec(
        "TK1",
        K.ARTIFACT,
        "Chiếc cặp da của đồng chí Bí thư Liên chi cơ quan Trung ương",
        "Cặp da đồng chí Bí thư Liên chi dùng đựng tài liệu trong những năm kháng chiến, gia đình hiến tặng.",
        "khoảng 1952",
        picture="artifact-bag",
        keywords=("kháng chiến chống thực dân Pháp",),
        condition="damaged",
        material="Da thuộc, khóa đồng",
        dimensions="38 x 27 x 6 cm",
        acquisition="donation",
        source="Gia đình đồng chí Trần Văn Khiêm",
        venue="nha-truyen-thong",
        extra={"people": ["Trần Văn Khiêm"]},
    ),
    ItemSpec(
        "TK1",
        K.DOCUMENT,
        "Nghị quyết Hội nghị Ban Chấp hành Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương",
        "Nghị quyết về nhiệm vụ công tác đảng trong các cơ quan khi Trung ương trở về Thủ đô.",
        "tháng 12/1955",
        number="12-NQ/ĐBTW",
        document_type="resolution",
        issuer=CHINH_DAN_DANG,
        signer="Nguyễn Hữu Thạc",
        signer_position="Bí thư Đảng ủy",
        keywords=("xây dựng Đảng",),
        condition="fair",
    ),
    ItemSpec(
        "TK1",
        K.PHOTO,
        "Đại hội Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương lần thứ nhất",
        "Quang cảnh phiên khai mạc Đại hội đại biểu lần thứ nhất tại Hà Nội.",
        "20/03/1956",
        picture="photo-congress",
        congress="cdd-1",
        keywords=("đại hội",),
        material="Ảnh đen trắng",
        dimensions="13 x 18 cm",
    ),
    ItemSpec(
        "TK1",
        K.PUBLICATION,
        "Bản tin Sinh hoạt chi bộ, số 3",
        "Bản tin nội bộ hướng dẫn sinh hoạt chi bộ và giới thiệu gương đảng viên tiêu biểu trong các cơ quan.",
        "1957",
        picture="publication",
        keywords=("xây dựng Đảng", "công tác tư tưởng"),
        material="Giấy in, 16 trang",
        dimensions="14,5 x 20,5 cm",
    ),
    ItemSpec(
        "TK1",
        K.DOCUMENT,
        "Báo cáo tổng kết công tác xây dựng Đảng năm 1958",
        "Báo cáo kiểm điểm công tác tổ chức, phát triển đảng viên và giáo dục chính trị năm 1958.",
        "tháng 1/1959",
        picture="pdf",
        number="03-BC/ĐBTW",
        document_type="report",
        issuer=CHINH_DAN_DANG,
        keywords=("xây dựng Đảng", "phát triển đảng viên"),
        extra={"page_count": 3},
    ),
    ItemSpec(
        "TK1",
        K.AUDIO,
        "Bài phát biểu tại Hội nghị cán bộ các cơ quan Trung ương năm 1960",
        "Băng ghi âm bài phát biểu của đồng chí Bí thư Đảng ủy tại hội nghị cán bộ chủ chốt.",
        "1960",
        picture="audio",
        keywords=("công tác tư tưởng",),
        material="Băng từ, đã chuyển sang tệp số",
        extra={"people": ["Phạm Quang Đạo"]},
    ),
    ItemSpec(
        "TK1",
        K.DOCUMENT,
        "Quyết định giải thể Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương",
        "Quyết định giải thể Đảng bộ các cơ quan Chính, Dân, Đảng Trung ương và chuyển các tổ chức đảng "
        "trực thuộc về tổ chức mới.",
        "1962",
        number="27-QĐ/TW",
        document_type="decision",
        keywords=("giải thể, chuyển giao",),
    ),
    ItemSpec(
        "TK1",
        K.ARTIFACT,
        "Huy hiệu Chiến sĩ thi đua của cán bộ các cơ quan Trung ương",
        "Huy hiệu tặng cán bộ đạt danh hiệu Chiến sĩ thi đua năm 1958.",
        "1958",
        picture="artifact-medal",
        keywords=("thi đua khen thưởng",),
        material="Đồng mạ, men màu",
        dimensions="Đường kính 3 cm",
        acquisition="donation",
        source="Cán bộ hưu trí",
        venue="nha-truyen-thong",
    ),
    ItemSpec(
        "TK1",
        K.DOCUMENT,
        "Thư của Ban Chấp hành gửi các chi bộ nhân dịp Tết",
        "Thư chúc Tết và động viên cán bộ, đảng viên các cơ quan thi đua hoàn thành nhiệm vụ.",
        "khoảng 1954",
        document_type="letter",
        issuer=LIEN_CHI,
        status=P.DRAFT,
        keywords=("công tác tư tưởng",),
    ),
    ItemSpec(
        "TK1",
        K.PHOTO,
        "Lớp học chính trị cho đảng viên mới các cơ quan Trung ương",
        "Đảng viên mới của các chi bộ cơ quan dự lớp học chính trị tại Hà Nội.",
        "tháng 8/1959",
        picture="photo",
        keywords=("phát triển đảng viên",),
        material="Ảnh đen trắng",
    ),
    # ----- Thời kỳ 2: 1962–1964, 1978–1982 -----
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Quyết định thành lập Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội",
        "Quyết định của Thành ủy Hà Nội thành lập Đảng bộ Khối các cơ quan Trung ương, chỉ định Ban Chấp hành "
        "lâm thời.",
        "tháng 6/1962",
        number="45-QĐ/TU",
        document_type="decision",
        keywords=("thành lập",),
        featured=True,
    ),
    ItemSpec(
        "TK2",
        K.PHOTO,
        "Đại hội Đảng bộ Khối các cơ quan Trung ương lần thứ nhất",
        "Đoàn Chủ tịch điều hành phiên khai mạc Đại hội đại biểu Đảng bộ Khối lần thứ nhất.",
        "14/05/1963",
        picture="photo-congress",
        congress="hn-1",
        dossier="HS-1963-01",
        keywords=("đại hội",),
        material="Ảnh đen trắng",
        featured=True,
    ),
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Nghị quyết Đại hội Đảng bộ Khối các cơ quan Trung ương lần thứ nhất",
        "Nghị quyết xác định phương hướng, nhiệm vụ xây dựng Đảng bộ Khối nhiệm kỳ 1963–1964.",
        "16/05/1963",
        number="01-NQ/ĐUK",
        document_type="resolution",
        issuer=UNDER_HANOI,
        congress="hn-1",
        dossier="HS-1963-01",
        keywords=("đại hội", "xây dựng Đảng"),
    ),
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Danh sách Ban Chấp hành Đảng bộ Khối nhiệm kỳ 1963–1964",
        "Danh sách Ban Chấp hành, Ban Thường vụ do Đại hội lần thứ nhất bầu.",
        "tháng 5/1963",
        number="02-DS/ĐUK",
        document_type="list",
        issuer=UNDER_HANOI,
        congress="hn-1",
        dossier="HS-1963-01",
        keywords=("Ban Chấp hành",),
    ),
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Quyết định giải thể Đảng bộ Khối các cơ quan Trung ương, chuyển giao các tổ chức đảng về Hà Nội",
        "Quyết định giải thể Đảng bộ Khối, chuyển giao các đảng bộ, chi bộ cơ quan về các quận ủy của thành phố.",
        "1964",
        number="112-QĐ/TU",
        document_type="decision",
        keywords=("giải thể, chuyển giao",),
    ),
    ItemSpec(
        "TK2",
        K.PUBLICATION,
        "Tập san Xây dựng Đảng trong cơ quan, số ra tháng 10/1963",
        "Tập san của Đảng bộ Khối đăng kinh nghiệm sinh hoạt chi bộ và công tác quần chúng.",
        "tháng 10/1963",
        picture="publication",
        keywords=("xây dựng Đảng",),
        material="Giấy in, 24 trang",
    ),
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Quyết định lập lại Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội",
        "Quyết định lập lại Đảng bộ Khối, tập hợp các tổ chức đảng trong các cơ quan Trung ương đóng tại Hà Nội.",
        "tháng 3/1978",
        number="208-QĐ/TU",
        document_type="decision",
        keywords=("thành lập",),
    ),
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Chỉ thị về kiện toàn tổ chức đảng trong các cơ quan Trung ương",
        "Chỉ thị về rà soát, kiện toàn các đảng bộ, chi bộ cơ sở sau khi lập lại Đảng bộ Khối.",
        "tháng 2/1979",
        number="07-CT/ĐUK",
        document_type="directive",
        issuer=UNDER_HANOI,
        signer="Đỗ Minh Chính",
        signer_position="Bí thư Đảng ủy Khối",
        keywords=("xây dựng Đảng",),
    ),
    ItemSpec(
        "TK2",
        K.PHOTO,
        "Đại hội Đảng bộ Khối các cơ quan Trung ương lần thứ hai",
        "Đại biểu biểu quyết thông qua Nghị quyết Đại hội lần thứ hai.",
        "09/10/1980",
        picture="photo-congress",
        congress="hn-2",
        keywords=("đại hội",),
    ),
    ItemSpec(
        "TK2",
        K.AUDIO,
        "Diễn văn khai mạc Đại hội Đảng bộ Khối lần thứ hai",
        "Ghi âm diễn văn khai mạc Đại hội đại biểu Đảng bộ Khối các cơ quan Trung ương lần thứ hai.",
        "07/10/1980",
        picture="audio",
        document_type="speech",
        congress="hn-2",
        keywords=("đại hội",),
        material="Băng cối, đã chuyển sang tệp số",
    ),
    ItemSpec(
        "TK2",
        K.ARTIFACT,
        "Cờ thi đua của Thành ủy Hà Nội tặng Đảng bộ Khối các cơ quan Trung ương",
        "Cờ thi đua tặng Đảng bộ Khối dẫn đầu phong trào thi đua của các đảng bộ trực thuộc Thành ủy.",
        "1981",
        picture="artifact-flag",
        keywords=("thi đua khen thưởng",),
        material="Vải lụa đỏ, chữ thêu kim tuyến",
        dimensions="80 x 120 cm",
        venue="nha-truyen-thong",
    ),
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Quyết định giải thể Đảng bộ Khối các cơ quan Trung ương trực thuộc Thành ủy Hà Nội",
        "Quyết định giải thể Đảng bộ Khối để lập các đảng ủy khối trực thuộc Trung ương.",
        "1982",
        number="31-QĐ/TU",
        document_type="decision",
        keywords=("giải thể, chuyển giao",),
    ),
    ItemSpec(
        "TK2",
        K.DOCUMENT,
        "Báo cáo chính trị trình Đại hội lần thứ hai (bản dự thảo)",
        "Dự thảo báo cáo chính trị; đã thu hồi vì trùng với bản chính thức trong hồ sơ đại hội.",
        "tháng 9/1980",
        number="15-BC/ĐUK",
        document_type="report",
        issuer=UNDER_HANOI,
        status=P.WITHDRAWN,
        congress="hn-2",
    ),
    ItemSpec(
        "TK2",
        K.PHOTO,
        "Cán bộ Đảng bộ Khối tham gia ngày lao động xã hội chủ nghĩa",
        "Đoàn viên thanh niên, đảng viên các cơ quan Trung ương tham gia đắp đê sông Hồng.",
        "khoảng 1981",
        picture="photo",
        status=P.IN_REVIEW,
    ),
    # ----- Thời kỳ 3: 1982–2007 -----
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Quyết định thành lập Đảng ủy Khối Kinh tế Trung ương",
        "Quyết định của Ban Bí thư thành lập Đảng ủy Khối Kinh tế Trung ương, chỉ định Ban Chấp hành lâm thời.",
        "tháng 8/1982",
        number="18-QĐ/TW",
        document_type="decision",
        dossier="HS-1982-01",
        keywords=("thành lập",),
    ),
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Quyết định thành lập Đảng ủy Khối Tư tưởng Trung ương",
        "Quyết định thành lập Đảng ủy Khối Tư tưởng Trung ương gồm các tổ chức đảng ở các cơ quan tư tưởng, "
        "văn hóa Trung ương.",
        "tháng 8/1982",
        number="19-QĐ/TW",
        document_type="decision",
        dossier="HS-1982-01",
        keywords=("thành lập", "công tác tư tưởng"),
    ),
    ItemSpec(
        "TK3",
        K.PHOTO,
        "Đại hội Đảng bộ Khối Kinh tế Trung ương lần thứ nhất",
        "Đại biểu dự Đại hội Đảng bộ Khối Kinh tế Trung ương lần thứ nhất chụp ảnh lưu niệm.",
        "21/06/1983",
        picture="photo-congress",
        congress="kt-1",
        dossier="HS-1982-01",
        keywords=("đại hội",),
    ),
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Văn kiện Đại hội Đảng bộ Khối Tư tưởng Trung ương lần thứ ba",
        "Tập văn kiện gồm báo cáo chính trị, báo cáo kiểm điểm và nghị quyết Đại hội lần thứ ba.",
        "tháng 4/1991",
        picture="pdf",
        document_type="congress_document",
        issuer=TU_TUONG,
        congress="tt-3",
        keywords=("đại hội",),
        extra={"page_count": 3},
    ),
    ItemSpec(
        "TK3",
        K.PUBLICATION,
        "Kỷ yếu 10 năm Đảng ủy Khối Khoa giáo Trung ương (1982–1992)",
        "Kỷ yếu tổng kết chặng đường mười năm xây dựng Đảng bộ Khối Khoa giáo Trung ương.",
        "1992",
        picture="publication",
        keywords=("giáo dục truyền thống",),
        material="Sách in, 180 trang",
        dimensions="19 x 27 cm",
        featured=True,
    ),
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Danh sách Bí thư các đảng ủy khối Trung ương nhiệm kỳ 1991–1996",
        "Danh sách Bí thư, Phó Bí thư bảy đảng ủy khối Trung ương sau các kỳ đại hội năm 1991.",
        "1991",
        number="09-DS/TW",
        document_type="list",
        keywords=("Ban Chấp hành",),
    ),
    ItemSpec(
        "TK3",
        K.ARTIFACT,
        "Bằng khen của Ban Bí thư tặng Đảng bộ Khối Dân vận Trung ương",
        "Bằng khen ghi nhận thành tích trong công tác xây dựng Đảng và công tác dân vận.",
        "1995",
        picture="artifact-certificate",
        keywords=("thi đua khen thưởng",),
        material="Giấy in màu, khung gỗ",
        dimensions="42 x 30 cm",
        venue="nha-truyen-thong",
    ),
    ItemSpec(
        "TK3",
        K.PHOTO,
        "Hội nghị tổng kết công tác đảng Khối Nội chính Trung ương",
        "Quang cảnh hội nghị tổng kết công tác xây dựng Đảng của Đảng bộ Khối Nội chính Trung ương.",
        "khoảng 1998",
        picture="photo",
        keywords=("xây dựng Đảng",),
        material="Ảnh màu",
    ),
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Hướng dẫn về công tác phát triển đảng viên trong các cơ quan Trung ương",
        "Hướng dẫn quy trình tạo nguồn, bồi dưỡng và kết nạp đảng viên trong các cơ quan Trung ương.",
        "15/03/2001",
        number="04-HD/ĐUK",
        document_type="guidance",
        issuer=KHOI_I,
        keywords=("phát triển đảng viên",),
    ),
    ItemSpec(
        "TK3",
        K.AUDIO,
        "Buổi nói chuyện truyền thống tại Đảng ủy Khối Đối ngoại Trung ương",
        "Ghi âm buổi cán bộ lão thành kể chuyện truyền thống cho đảng viên trẻ các cơ quan đối ngoại.",
        "tháng 11/2003",
        picture="audio",
        keywords=("giáo dục truyền thống",),
    ),
    ItemSpec(
        "TK3",
        K.VIDEO,
        "Phim tư liệu Đại hội Đảng bộ Khối I Trung ương năm 2005",
        "Phim tư liệu ghi lại các phiên làm việc của Đại hội đại biểu Đảng bộ Khối I Trung ương.",
        "2005",
        picture="poster",
        keywords=("đại hội",),
        material="Băng VHS, đã chuyển sang tệp số",
        description="Bản số hóa của phim do cán bộ tải lên; hiện có ảnh bìa minh họa.",
    ),
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Báo cáo kiểm điểm công tác bảo vệ chính trị nội bộ năm 2004",
        "Báo cáo nội bộ về công tác bảo vệ chính trị nội bộ của Đảng bộ Khối Nội chính Trung ương.",
        "tháng 12/2004",
        number="41-BC/ĐUK",
        document_type="report",
        issuer=NOI_CHINH,
        confidentiality=Item.Confidentiality.CONFIDENTIAL,
        access=A.INTERNAL,
        keywords=("bảo vệ chính trị nội bộ",),
    ),
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Quyết định giải tán các đảng ủy khối Trung ương để thành lập Đảng bộ Khối các cơ quan Trung ương",
        "Quyết định của Bộ Chính trị giải tán bảy đảng ủy khối Trung ương, chuyển giao các tổ chức đảng về Đảng bộ "
        "Khối các cơ quan Trung ương.",
        "tháng 4/2007",
        number="48-QĐ/TW",
        document_type="decision",
        dossier="HS-2007-01",
        keywords=("giải thể, chuyển giao",),
    ),
    ItemSpec(
        "TK3",
        K.PHOTO,
        "Ban Chấp hành Đảng ủy Khối Kinh tế Trung ương khóa III",
        "Ảnh tập thể Ban Chấp hành Đảng ủy Khối Kinh tế Trung ương khóa III.",
        "1996",
        picture="photo",
        status=P.DRAFT,
        keywords=("Ban Chấp hành",),
    ),
    ItemSpec(
        "TK3",
        K.DOCUMENT,
        "Thông báo kết luận của Ban Thường vụ Đảng ủy Khối Khoa giáo Trung ương về công tác cán bộ",
        "Thông báo kết luận về quy hoạch, đào tạo và luân chuyển cán bộ của Đảng ủy Khối.",
        "tháng 6/1999",
        number="62-TB/ĐUK",
        document_type="notice",
        issuer=KHOA_GIAO,
        keywords=("Ban Thường vụ",),
    ),
    # ----- Thời kỳ 4: 2007–nay -----
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Quyết định thành lập Đảng bộ Khối các cơ quan Trung ương",
        "Quyết định của Bộ Chính trị thành lập Đảng bộ Khối các cơ quan Trung ương trên cơ sở hợp nhất các đảng "
        "bộ khối Trung ương.",
        "tháng 4/2007",
        picture="pdf",
        number="49-QĐ/TW",
        document_type="decision",
        dossier="HS-2007-01",
        keywords=("thành lập",),
        featured=True,
        extra={"page_count": 2},
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Quyết định chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Đảng ủy Khối lâm thời",
        "Quyết định chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư và các Phó Bí thư Đảng ủy Khối các cơ quan "
        "Trung ương lâm thời.",
        "tháng 4/2007",
        number="50-QĐ/TW",
        document_type="decision",
        dossier="HS-2007-01",
        keywords=("Ban Chấp hành", "Ban Thường vụ"),
    ),
    ItemSpec(
        "TK4",
        K.PHOTO,
        "Lễ công bố quyết định thành lập Đảng bộ Khối các cơ quan Trung ương",
        "Lễ công bố quyết định thành lập Đảng bộ Khối và ra mắt Ban Chấp hành lâm thời tại Hà Nội.",
        "tháng 5/2007",
        picture="photo-congress",
        dossier="HS-2007-01",
        keywords=("thành lập",),
        material="Ảnh màu, tệp số",
        featured=True,
    ),
    ItemSpec(
        "TK4",
        K.PHOTO,
        "Đại hội Đảng bộ Khối các cơ quan Trung ương lần thứ I",
        "Phiên khai mạc Đại hội đại biểu Đảng bộ Khối các cơ quan Trung ương lần thứ I, nhiệm kỳ 2010–2015.",
        "27/07/2010",
        picture="photo-congress",
        congress="k-1",
        keywords=("đại hội",),
        material="Ảnh màu, tệp số",
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Văn kiện Đại hội Đảng bộ Khối các cơ quan Trung ương lần thứ II",
        "Báo cáo chính trị, báo cáo kiểm điểm của Ban Chấp hành và Nghị quyết Đại hội lần thứ II.",
        "tháng 7/2015",
        picture="pdf",
        document_type="congress_document",
        issuer=BLOC,
        congress="k-2",
        keywords=("đại hội",),
        extra={"page_count": 3},
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Nghị quyết Đại hội Đảng bộ Khối các cơ quan Trung ương lần thứ III, nhiệm kỳ 2020–2025",
        "Nghị quyết xác định mục tiêu, nhiệm vụ và các khâu đột phá của Đảng bộ Khối nhiệm kỳ 2020–2025.",
        "23/07/2020",
        number="01-NQ/ĐUK",
        document_type="resolution",
        issuer=BLOC,
        congress="k-3",
        keywords=("đại hội",),
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Biên bản kiểm phiếu bầu Ban Chấp hành Đảng bộ Khối khóa III",
        "Biên bản của Ban Kiểm phiếu về kết quả bầu cử Ban Chấp hành Đảng bộ Khối khóa III.",
        "22/07/2020",
        number="03-BB/ĐUK",
        document_type="minutes",
        issuer=BLOC,
        congress="k-3",
        access=A.RESTRICTED,
        keywords=("đại hội", "Ban Chấp hành"),
    ),
    ItemSpec(
        "TK4",
        K.PUBLICATION,
        "Lịch sử Đảng bộ Khối các cơ quan Trung ương (sơ thảo)",
        "Bản sơ thảo lịch sử Đảng bộ Khối qua các thời kỳ, dùng để lấy ý kiến các nhân chứng lịch sử.",
        "2018",
        picture="publication",
        keywords=("giáo dục truyền thống",),
        material="Sách in, 420 trang",
        dimensions="16 x 24 cm",
    ),
    ItemSpec(
        "TK4",
        K.ARTIFACT,
        "Huân chương Lao động hạng Nhất tặng Đảng bộ Khối các cơ quan Trung ương",
        "Huân chương ghi nhận thành tích xuất sắc của Đảng bộ Khối trong công tác xây dựng Đảng.",
        "2017",
        picture="artifact-medal",
        keywords=("thi đua khen thưởng",),
        material="Kim loại mạ vàng, hộp nhung",
        venue="nha-truyen-thong",
        featured=True,
    ),
    ItemSpec(
        "TK4",
        K.AUDIO,
        "Tọa đàm “Đảng bộ Khối các cơ quan Trung ương – 15 năm xây dựng và phát triển”",
        "Ghi âm tọa đàm với các đồng chí nguyên lãnh đạo Đảng ủy Khối qua các thời kỳ.",
        "tháng 4/2022",
        picture="audio",
        keywords=("giáo dục truyền thống",),
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Kế hoạch sưu tầm tư liệu, nâng cấp và khai thác Phòng Truyền thống, Nhà Truyền thống của Đảng bộ Khối "
        "các cơ quan Trung ương",
        "Căn cứ Chương trình công tác năm 2023, Ban Thường vụ Đảng ủy Khối ban hành Kế hoạch sưu tầm tư liệu, "
        "nâng cấp và khai thác Phòng Truyền thống, Nhà Truyền thống của Đảng bộ Khối các cơ quan Trung ương: "
        "sưu tầm tư liệu lịch sử qua bốn thời kỳ, nâng cấp Phòng Truyền thống (từ tháng 9/2023) và Nhà Truyền "
        "thống (từ tháng 10/2023) đến tháng 12/2024, tổ chức khai thác phục vụ giáo dục truyền thống.",
        "2023",
        picture="plan",
        document_type="plan",
        issuer=BLOC,
        signer=LAI_XUAN_LAM,
        signer_position="T/M Ban Thường vụ, Phó Bí thư Thường trực",
        dossier="HS-2023-01",
        keywords=("sưu tầm tư liệu", "Phòng Truyền thống", "Nhà Truyền thống", "giáo dục truyền thống"),
        featured=True,
        is_sample=False,
        acquisition="",
        description="Số và ký hiệu cần bổ sung theo bản gốc; tệp đính kèm là bản chép lại nội dung, "
        "bản quét văn bản gốc do Ban Tuyên giáo tải lên.",
        recipients="Ban Tuyên giáo Trung ương (b/cáo); Văn phòng Trung ương Đảng (b/cáo); Ban Thường vụ Đảng ủy "
        "Khối (b/cáo); các ban, đơn vị Đảng ủy Khối (t/hiện); các đảng ủy trực thuộc (t/hiện); lưu VP.",
    ),
    ItemSpec(
        "TK4",
        K.VIDEO,
        "Video clip giới thiệu lịch sử Đảng bộ Khối các cơ quan Trung ương",
        "Video clip giới thiệu lịch sử Đảng bộ Khối qua các thời kỳ, trình chiếu tại Phòng Truyền thống, "
        "Nhà Truyền thống và Trang Thông tin điện tử của Đảng bộ Khối.",
        "2024",
        picture="poster",
        issuer=BAN_TUYEN_GIAO,
        keywords=("giáo dục truyền thống", "Phòng Truyền thống"),
        featured=True,
        acquisition="",
        description="Theo Kế hoạch năm 2023 của Ban Thường vụ Đảng ủy Khối. Tệp video do Ban Tuyên giáo "
        "tải lên; bản trình diễn chỉ có ảnh bìa.",
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Hồ sơ thiết kế nâng cấp Phòng Truyền thống giai đoạn 2023–2024",
        "Thuyết minh thiết kế, dự toán trang thiết bị (tủ, kệ, khung, giá, thiết bị điện tử, chiếu sáng) nâng cấp "
        "Phòng Truyền thống.",
        "tháng 11/2023",
        number="27-TTr/VPĐUK",
        document_type="submission",
        issuer=VAN_PHONG,
        dossier="HS-2023-01",
        embargo_days=365,
        keywords=("Phòng Truyền thống",),
    ),
    ItemSpec(
        "TK4",
        K.PHOTO,
        "Lễ kết nạp đảng viên mới tại Phòng Truyền thống",
        "Chi bộ cơ quan tổ chức lễ kết nạp đảng viên mới tại Phòng Truyền thống Đảng bộ Khối.",
        "tháng 3/2024",
        picture="photo-color",
        status=P.IN_REVIEW,
        keywords=("phát triển đảng viên", "Phòng Truyền thống"),
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Hướng dẫn tổ chức sinh hoạt chuyên đề tại Phòng Truyền thống, Nhà Truyền thống",
        "Hướng dẫn các đảng ủy trực thuộc đăng ký, tổ chức sinh hoạt chi bộ chuyên đề, lễ kết nạp đảng viên tại "
        "Phòng Truyền thống, Nhà Truyền thống.",
        "05/03/2024",
        number="15-HD/BTGĐUK",
        document_type="guidance",
        issuer=BAN_TUYEN_GIAO,
        keywords=("giáo dục truyền thống", "Phòng Truyền thống", "Nhà Truyền thống"),
    ),
    ItemSpec(
        "TK4",
        K.PHOTO,
        "Nhà Truyền thống Đảng bộ Khối sau khi tu sửa",
        "Không gian trưng bày của Nhà Truyền thống sau đợt bảo trì, tu sửa năm 2024.",
        "tháng 12/2024",
        picture="photo-color",
        keywords=("Nhà Truyền thống",),
        venue="nha-truyen-thong",
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Danh mục hiện vật đề nghị bổ sung cho Nhà Truyền thống năm 2024",
        "Danh mục hiện vật các đảng ủy trực thuộc đề nghị hiến tặng, chờ Ban Tuyên giáo thẩm định.",
        "2024",
        document_type="list",
        issuer=BAN_TUYEN_GIAO,
        status=P.DRAFT,
        keywords=("sưu tầm tư liệu", "Nhà Truyền thống"),
    ),
    ItemSpec(
        "TK4",
        K.PHOTO,
        "Đoàn cán bộ các đảng ủy trực thuộc tham quan Phòng Truyền thống",
        "Đoàn cán bộ, đảng viên trẻ các đảng ủy trực thuộc tham quan, nghe giới thiệu tại Phòng Truyền thống.",
        "tháng 10/2023",
        picture="photo-color",
        keywords=("giáo dục truyền thống", "Phòng Truyền thống"),
    ),
    ItemSpec(
        "TK4",
        K.DOCUMENT,
        "Thông báo kết luận của Ban Thường vụ về công tác giáo dục truyền thống",
        "Kết luận về đẩy mạnh giáo dục lịch sử truyền thống cho cán bộ, đảng viên trẻ trong Đảng bộ Khối.",
        "tháng 6/2021",
        number="88-TB/ĐUK",
        document_type="notice",
        issuer=BLOC,
        keywords=("giáo dục truyền thống",),
    ),
]


# --- seeding -------------------------------------------------------------------------------


def _bodies() -> dict[str, Body]:
    bloc = Body.objects.get(name=BLOC)
    for name, name_en, kind, is_sample in EXTRA_BODIES:
        Body.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "kind": kind or Body.Kind.SUBORDINATE,
                "parent": bloc,
                "period": bloc.period,
                "is_sample": is_sample,
                "founded_on": bloc.founded_on if kind else None,
                "founded_precision": bloc.founded_precision,
            },
        )
    return {body.name: body for body in Body.objects.all()}


def _people() -> dict[str, Person]:
    people = {}
    for full_name, birth, death, hometown in PEOPLE:
        people[full_name], _ = Person.objects.get_or_create(
            full_name=full_name,
            defaults={"birth_year": birth, "death_year": death, "hometown": hometown, "is_sample": True},
        )
    people[LAI_XUAN_LAM], _ = Person.objects.get_or_create(
        full_name=LAI_XUAN_LAM,
        defaults={
            "is_sample": False,
            "biography": "Phó Bí thư Thường trực Đảng ủy Khối các cơ quan Trung ương; thay mặt Ban Thường vụ ký "
            "Kế hoạch sưu tầm tư liệu, nâng cấp và khai thác Phòng Truyền thống, Nhà Truyền thống năm 2023.",
        },
    )
    return people


def _committees(bodies: dict[str, Body], people: dict[str, Person]) -> dict[str, Congress]:
    """Congresses, their terms and a committee of ten per term, drawn from the sample people."""
    congresses: dict[str, Congress] = {}
    terms: list[tuple[Term, bool]] = []
    for spec in CONGRESSES:
        congress, _ = Congress.objects.get_or_create(
            body=bodies[spec.body],
            number=spec.number,
            defaults={
                "name": f"Đại hội đại biểu lần thứ {spec.number}",
                "held_from": spec.held[0],
                "held_to": spec.held[1],
                "place": "Hà Nội",
                "summary": spec.summary,
                "is_sample": True,
            },
        )
        congresses[spec.key] = congress
        term, _ = Term.objects.get_or_create(
            body=congress.body,
            start_year=spec.term[0],
            defaults={
                "congress": congress,
                "end_year": spec.term[1],
                "name": f"Nhiệm kỳ {spec.term[0]}–{spec.term[1]}",
                "is_sample": True,
            },
        )
        terms.append((term, False))
    _key, body_name, start, end, name = INTERIM_TERM
    interim, _ = Term.objects.get_or_create(
        body=bodies[body_name], start_year=start, defaults={"end_year": end, "name": name, "is_sample": True}
    )
    terms.append((interim, True))

    for term, is_interim in terms:
        # Members were 35–65 years old when the term began and alive through it.
        end_year = term.end_year or term.start_year
        candidates = [
            name
            for name, birth, death, _hometown in PEOPLE
            if 35 <= term.start_year - birth <= 65 and (death is None or death > end_year)
        ]
        random.Random(f"{term.body.name}-{term.start_year}").shuffle(candidates)  # noqa: S311
        members = candidates[: len(ROLES)]
        if term.body.name == BLOC and term.start_year == 2020:
            members[1] = LAI_XUAN_LAM  # named in the plan as Standing Deputy Secretary
        for role, name in zip(ROLES, members, strict=False):
            Position.objects.get_or_create(
                person=people[name],
                body=term.body,
                term=term,
                defaults={
                    "role": role,
                    "is_interim": is_interim,
                    "note": "Phó Bí thư Thường trực" if name == LAI_XUAN_LAM else "",
                },
            )
    return congresses


def _keywords() -> dict[str, Keyword]:
    return {name: Keyword.objects.get_or_create(name=name)[0] for name in KEYWORDS}


def _dossiers() -> dict[str, Dossier]:
    dossiers = {}
    for code, title, start, end, sheets in DOSSIERS:
        dossiers[code], _ = Dossier.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "fonds": "Phông lưu trữ Đảng bộ Khối các cơ quan Trung ương",
                "start_year": start,
                "end_year": end,
                "sheet_count": sheets,
                "condition": "good" if start >= 2000 else "fair",
            },
        )
    return dossiers


def _create_item(spec: ItemSpec, context: dict) -> Item:
    partial = parse_partial_date(spec.date)
    today = timezone.localdate()
    item = Item(
        kind=spec.kind,
        document_type=spec.document_type,
        title=spec.title,
        title_en=spec.title_en,
        summary=spec.summary,
        summary_en=spec.summary_en,
        description=spec.description,
        number_symbol=spec.number,
        issuing_body=context["bodies"].get(spec.issuer) if spec.issuer else None,
        place_of_issue="Hà Nội" if spec.kind == Item.Kind.DOCUMENT else "",
        signer=context["people"].get(spec.signer) if spec.signer else None,
        signer_position=spec.signer_position,
        recipients=spec.recipients,
        confidentiality=spec.confidentiality,
        # A classified item is a record only here (archive.secrecy): it says where the original is.
        secret_custody="Kho lưu trữ Văn phòng, hệ thống ngoại tuyến" if spec.confidentiality else "",
        secret_access="Thường trực Đảng ủy và người được Thường trực cho phép" if spec.confidentiality else "",
        period=context["periods"][spec.period],
        congress=context["congresses"].get(spec.congress) if spec.congress else None,
        dossier=context["dossiers"].get(spec.dossier) if spec.dossier else None,
        page_count=spec.extra.get("page_count", 1 if spec.kind == Item.Kind.DOCUMENT else None),
        reliability=Item.Reliability.ORIGINAL if spec.kind == Item.Kind.ARTIFACT else Item.Reliability.DIGITISED,
        material=spec.material,
        dimensions=spec.dimensions,
        condition=spec.condition,
        venue=context["venues"][spec.venue],
        acquisition_method=spec.acquisition,
        acquisition_source=spec.source or ("Văn phòng Đảng ủy Khối" if spec.acquisition == "transfer" else ""),
        status=spec.status,
        access_level=spec.access,
        embargo_until=today + datetime.timedelta(days=spec.embargo_days) if spec.embargo_days else None,
        is_featured=spec.featured,
        is_sample=spec.is_sample,
        staff_notes=SAMPLE_NOTE if spec.is_sample else "",
    )
    item.set_partial_date(partial)
    if spec.status != Item.Status.DRAFT:
        item.status_changed_at = timezone.now()
    if spec.status in (Item.Status.PUBLISHED, Item.Status.WITHDRAWN):
        item.published_at = timezone.now()
    if spec.dossier:
        item.dossier_position = Item.objects.filter(dossier=item.dossier).count() + 1
    item.full_clean(exclude=["inventory_number"])
    item.save()
    keywords = [context["keywords"][name] for name in spec.keywords]
    item.keywords.set(keywords)
    related_bodies = {body for body in (item.issuing_body,) if body}
    if item.congress:
        related_bodies.add(item.congress.body)
    item.bodies.set(related_bodies)
    people = [context["people"][name] for name in spec.extra.get("people", [])]
    if item.signer:
        people.append(item.signer)
    item.people.set(people)
    # search_text includes the keywords, known only now; avoid a second history record.
    Item.objects.filter(pk=item.pk).update(search_text=item.build_search_text([k.name for k in keywords]))
    attachment = None if files_refused(spec.confidentiality) else media_for(spec, partial)
    if attachment:
        name, content = attachment
        media_file = media_file_store(
            item=item,
            uploaded=ContentFile(content, name=name),
            caption=spec.title,
            alt_text=spec.summary[:300],
            enqueue=False,
        )
        # Processed here rather than queued: the demonstration is complete (tiles, pages and the
        # pages' text included) when the seed ends, whether or not a worker is running.
        media_file_process(media_file_id=media_file.pk, text_now=True)
    return item


#: How visitors reach each venue in the demonstration (sample details, to be replaced by staff).
VENUE_DETAILS = {
    "phong-truyen-thong": {"address": "Số 1 phố Mẫu, phường Ba Đình, Hà Nội (địa chỉ mẫu)", "phone": "024 3000 0001"},
    "nha-truyen-thong": {"address": "Số 2 phố Mẫu, phường Ba Đình, Hà Nội (địa chỉ mẫu)", "phone": "024 3000 0002"},
}


def _venue_details() -> None:
    """Fill in the sample address and telephone of a venue that has none."""
    for venue in Venue.objects.filter(code__in=VENUE_DETAILS, address=""):
        for name, value in VENUE_DETAILS[venue.code].items():
            setattr(venue, name, getattr(venue, name) or value)
        venue.save()


def seed(stdout) -> None:
    """Add the demonstration catalogue; items already there (by title) are left alone."""
    with transaction.atomic():
        _venue_details()
        context = {
            "periods": {period.code: period for period in Period.objects.all()},
            "venues": {venue.code: venue for venue in Venue.objects.all()},
            "bodies": _bodies(),
            "people": _people(),
            "keywords": _keywords(),
            "dossiers": _dossiers(),
        }
        context["congresses"] = _committees(context["bodies"], context["people"])
        existing = set(Item.objects.filter(title__in=[spec.title for spec in ITEMS]).values_list("title", flat=True))
        created = 0
        for spec in ITEMS:
            if spec.title in existing:
                continue
            _create_item(spec, context)
            created += 1
    stdout.write(f"  Tư liệu mẫu: thêm {created}, đã có {len(existing)} (tổng {len(ITEMS)}).")
