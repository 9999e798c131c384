"""The report to the Standing Committee: asked for in the admin, made in the background queue, and
read back as text after LibreOffice has made a PDF of it; its figures are the dashboards' own."""

import datetime
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import UsageCount, UsageKind
from archive.usage import DayRange, collection_figures
from basics.money import format_dong
from bookings.statistics import visit_statistics
from traditions.models import StandingReport
from upgrades.dashboard import dashboard_figures

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-writer) is not installed")


def pdf_of(docx: bytes, workdir: Path) -> bytes:
    """The .docx as LibreOffice prints it (headless, a profile of its own)."""
    source = workdir / "report.docx"
    source.write_bytes(docx)
    subprocess.run(  # noqa: S603 - a fixed program on a file this test wrote
        [
            SOFFICE,
            f"-env:UserInstallation=file://{workdir / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (workdir / "report.pdf").read_bytes()


def pdf_text(pdf: bytes) -> tuple[str, list[str]]:
    document = pypdfium2.PdfDocument(pdf)
    pages = [document[index].get_textpage().get_text_range() for index in range(len(document))]
    return re.sub(r"\s+", " ", " ".join(pages)), pages


def ask_for_report(client, **fields) -> object:
    data = {
        "span": "year",
        "year": 2026,
        "quarter": "",
        "number": 7,
        "place": "Hà Nội",
        "issued_on": "03/12/2026",
        "signature": "head",
        "signer_position": "",
        "signer_name": "Nguyễn Văn Bình",
        "recipients": "- Thường trực Đảng ủy Khối (để báo cáo),\n- Lưu Ban Tuyên giáo.",
        "assessment": "",
        **fields,
    }
    return client.post(reverse("admin:traditions_standingreport_add"), data, follow=True)


@needs_libreoffice
@pytest.mark.instant("2026-12-03 10:00")
def test_a_years_report_of_the_demo_data_says_what_the_dashboards_say(client, propaganda_user, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    UsageCount.objects.bulk_create(
        [
            UsageCount(day=datetime.date(2026, 4, 2), kind=UsageKind.ITEM_VIEW, ref="TL-2026-00001", count=41),
            UsageCount(day=datetime.date(2026, 9, 2), kind=UsageKind.EXHIBIT_VIEW, ref="chuyen-de", count=17),
            UsageCount(day=datetime.date(2026, 9, 3), kind=UsageKind.SEARCH, ref="kết nạp", count=9),
            UsageCount(day=datetime.date(2026, 9, 3), kind=UsageKind.SEARCH_EMPTY, ref="khủng long", count=4),
        ]
    )
    client.force_login(propaganda_user)
    page = ask_for_report(client)
    assert page.status_code == 200
    report = StandingReport.objects.get()
    assert report.status == StandingReport.Status.READY, report.failure_reason
    assert "Tải về (.docx)" in page.content.decode()
    download = client.get(reverse("admin:traditions_standingreport_download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="7-BC-BTG-2026.docx"')
    docx = b"".join(download.streaming_content)
    pdf = pdf_of(docx, tmp_path)
    text, pages = pdf_text(pdf)
    if os.environ.get("SCREENSHOT_DIR"):
        picture = pypdfium2.PdfDocument(pdf)[0].render(scale=1.6).to_pil()
        picture.save(Path(os.environ["SCREENSHOT_DIR"]) / "standing-report-page-1.png")
        (Path(os.environ["SCREENSHOT_DIR"]) / "standing-report-page-1.txt").write_text(pages[0], encoding="utf-8")

    first = re.sub(r"\s+", " ", pages[0])
    for wording in (
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TRUNG ƯƠNG",
        "BAN TUYÊN GIÁO",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 7-BC/BTG",
        "Hà Nội, ngày 03 tháng 12 năm 2026",
        "BÁO CÁO",
        "kết quả quản lý, khai thác Phòng Truyền thống, Nhà Truyền thống năm 2026",
        "(từ ngày 01/01/2026 đến ngày 31/12/2026)",
    ):
        assert wording in first, wording

    collection = collection_figures(DayRange.year(2026))
    visits = visit_statistics(year=2026)
    upgrades = dashboard_figures()
    assert visits["visits"] > 0 and upgrades.budget_total.approved > 0 and collection.growth_total.total > 0
    assert f"biên mục mới {collection.growth_total.total} tư liệu, hiện vật" in text
    assert f"Tiếp nhận {collection.contributions_received} đề nghị đóng góp" in text
    assert f"nhận vào kho {collection.contributions_accepted} đóng góp" in text
    assert f"Đã đón {visits['visits']} đoàn với {visits['visitors']} lượt người" in text
    for row in visits["by_occasion"]:
        assert f"{row.label} {row.visits} {row.visitors}" in text
    assert f"ghi nhận {collection.page_views} lượt xem" in text and collection.page_views == 58
    assert f"{collection.use(UsageKind.SEARCH)} lượt tìm kiếm ({collection.use(UsageKind.SEARCH_EMPTY)} lượt" in text
    assert "khủng long 4" in text
    budget = upgrades.budget_total
    assert f"dự toán {format_dong(budget.estimated)}; được duyệt {format_dong(budget.approved)}" in text
    assert f"đã chi {format_dong(budget.spent)}" in text
    assert re.search(r"\d{1,3}(\.\d{3})+ ₫", text)
    assert f"đã hoàn thành {upgrades.progress_total.done} hạng mục" in text
    assert "TRƯỞNG BAN" in text and "Nguyễn Văn Bình" in text
    assert "Nơi nhận:" in text and "Lưu Ban Tuyên giáo." in text


@needs_libreoffice
@pytest.mark.instant("2026-12-03 10:00")
def test_a_quarter_without_data_gives_a_report_that_says_so(client, propaganda_user, tmp_path):
    client.force_login(propaganda_user)
    page = ask_for_report(
        client,
        span="quarter",
        year=2026,
        quarter=1,
        number=3,
        signature="standing",
        signer_position="Phó Bí thư",
    )
    assert "chưa có số liệu" in page.content.decode()
    report = StandingReport.objects.get()
    assert report.status == StandingReport.Status.READY
    text, _pages = pdf_text(pdf_of(report.file.open("rb").read(), tmp_path))
    assert "Trong kỳ báo cáo chưa có số liệu" in text
    assert "quý I năm 2026 (từ ngày 01/01/2026 đến ngày 31/03/2026)" in text
    assert "Trong kỳ chưa có đoàn nào đến tham quan" in text
    assert "T/M BAN THƯỜNG VỤ" in text and "PHÓ BÍ THƯ" in text


@pytest.mark.instant("2026-12-03 10:00")
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"span": "quarter", "quarter": ""}, "Quý: báo cáo quý cần chọn quý I, II, III hoặc IV."),
        ({"year": 2027}, "Năm: kỳ báo cáo năm 2027 chưa bắt đầu"),
        ({"issued_on": "01/12/2025"}, "Ngày ban hành: báo cáo không thể ban hành trước ngày đầu kỳ (01/01/2026)."),
        ({"signature": "standing"}, "Chức vụ người ký: khi thay mặt Ban Thường vụ"),
        ({"year": "hai nghìn"}, "Năm: hãy nhập năm bằng chữ số, ví dụ 2026."),
        ({"issued_on": "3 tháng 12"}, "Ngày ban hành: hãy nhập ngày dạng dd/mm/yyyy, ví dụ 03/12/2026."),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(client, propaganda_user, fields, message):
    client.force_login(propaganda_user)
    page = ask_for_report(client, **fields)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not StandingReport.objects.exists()


@pytest.mark.instant("2026-12-03 10:00")
def test_a_number_is_used_once_a_year(client, propaganda_user):
    client.force_login(propaganda_user)
    ask_for_report(client, span="quarter", quarter=4, number=12)
    page = ask_for_report(client, number=12)
    assert "Số: năm 2026 đã có báo cáo số 12-BC/BTG; hãy chọn số khác." in page.content.decode()
    assert StandingReport.objects.count() == 1


@pytest.mark.instant("2026-12-03 10:00")
def test_leadership_reads_and_downloads_but_does_not_ask(client, propaganda_user, leadership_user):
    client.force_login(propaganda_user)
    ask_for_report(client, span="quarter", quarter=4)
    report = StandingReport.objects.get()
    client.force_login(leadership_user)
    assert client.get(reverse("admin:traditions_standingreport_changelist")).status_code == 200
    assert client.get(reverse("admin:traditions_standingreport_download", args=[report.pk])).status_code == 200
    assert client.get(reverse("admin:traditions_standingreport_add")).status_code == 403
    client.logout()
    anonymous = client.get(reverse("admin:traditions_standingreport_download", args=[report.pk]))
    assert anonymous.status_code == 302
