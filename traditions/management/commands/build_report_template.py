"""`manage.py build_report_template`: write the Word template of the report to the Standing Committee.

The template (``traditions/report_templates/standing_report.docx``) is kept in the repository and
may be edited in Word or LibreOffice, keeping its ``{{ … }}`` fields; this command makes it again
from scratch in the layout of Hướng dẫn 36-HD/VPTW: A4, Times New Roman, margins 20/20/30/15 mm,
the heading of the issuing body and the Party's name side by side, the number and symbol under the
body, place and date under the Party's name, the type of the document and its summary centred, the
body, then "Nơi nhận" beside the signature block.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from traditions.standing_report import TEMPLATE

FONT = "Times New Roman"


def _paragraph(
    container, text: str = "", *, size=14, bold=False, italic=False, underline=False, align=None, indent=False, after=6
):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic, run.underline = Pt(size), bold, italic, underline
        run.font.name = FONT
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def _cell_lines(cell, lines: list[tuple[str, dict]]) -> None:
    """Write ``lines`` (text, style) into a table cell: the first into its empty paragraph."""
    for index, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.font.size = Pt(style.get("size", 14))
            run.bold, run.italic = style.get("bold", False), style.get("italic", False)
            run.underline = style.get("underline", False)
            run.font.name = FONT
        paragraph.alignment = style.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_after = Pt(0)


def _data_table(document, headers: list[str], loop: str, cells: list[str]) -> None:
    """A bordered table: a header row, one row repeated by docxtpl for each entry of ``loop``."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, headers, strict=True):
        _cell_lines(cell, [(title, {"size": 13, "bold": True})])
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for r in {loop} %}}")
    for index, (cell, name) in enumerate(zip(table.rows[2].cells, cells, strict=True)):
        align = WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT
        _cell_lines(cell, [(f"{{{{ r.{name} }}}}", {"size": 13, "align": align})])
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    # The first column (what is counted) takes what the figures leave of the 16.5 cm line.
    figure_width = Cm(3) if len(headers) > 2 else Cm(3.5)
    for row in table.rows:
        row.cells[0].width = Cm(16.5) - figure_width * (len(headers) - 1)
        for cell in row.cells[1:]:
            cell.width = figure_width
    _paragraph(document, after=4)


def build(path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    # Tables of the default style, which has no borders, hold the heading's and the closing's columns.
    heading = document.add_table(rows=1, cols=2)
    left, right = heading.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    _cell_lines(
        left, [("{{ superior }}", {"size": 13}), ("{{ board }}", {"bold": True}), ("*", {}), ("Số {{ symbol }}", {})]
    )
    _cell_lines(
        right,
        [
            ("ĐẢNG CỘNG SẢN VIỆT NAM", {"size": 15, "bold": True, "underline": True}),
            ("", {}),
            ("{{ place_date }}", {"italic": True}),
        ],
    )

    _paragraph(document, after=6)
    _paragraph(document, "{{ doc_type }}", size=15, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _paragraph(document, "{{ summary }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _paragraph(document, "-----", align=WD_ALIGN_PARAGRAPH.CENTER, after=12)

    _paragraph(document, "{{ opening }}", indent=True)
    _paragraph(document, "{%p if no_data %}")
    _paragraph(
        document,
        "Trong kỳ báo cáo chưa có số liệu: chưa có tư liệu, hiện vật được biên mục, chưa có đóng góp, chưa có "
        "đoàn tham quan và chưa có lượt khai thác trực tuyến nào được ghi nhận.",
        indent=True,
        italic=True,
    )
    _paragraph(document, "{%p endif %}")

    _paragraph(document, "I. CÔNG TÁC SƯU TẦM, BỔ SUNG TƯ LIỆU, HIỆN VẬT", bold=True, indent=True)
    _paragraph(
        document,
        "1. Trong kỳ, biên mục mới {{ growth_total }} tư liệu, hiện vật; công bố {{ items_published }} tư liệu, "
        "hiện vật trên trang thông tin điện tử.",
        indent=True,
    )
    _paragraph(document, "{%p if growth_by_kind %}")
    _data_table(document, ["Loại tư liệu, hiện vật", "Số lượng"], "growth_by_kind", ["label", "count"])
    _data_table(document, ["Thời kỳ lịch sử", "Số lượng"], "growth_by_period", ["label", "count"])
    _paragraph(document, "{%p endif %}")
    _paragraph(
        document,
        "2. Tiếp nhận {{ contributions_received }} đề nghị đóng góp tư liệu, hiện vật; nhận vào kho "
        "{{ contributions_accepted }} đóng góp.",
        indent=True,
    )

    _paragraph(document, "II. CÔNG TÁC ĐÓN TIẾP, PHỤC VỤ THAM QUAN", bold=True, indent=True)
    _paragraph(
        document,
        "{% if visits %}Đã đón {{ visits }} đoàn với {{ visitors }} lượt người đến tham quan, sinh hoạt tại "
        "Phòng Truyền thống, Nhà Truyền thống.{% else %}Trong kỳ chưa có đoàn nào đến tham quan, sinh hoạt."
        "{% endif %}",
        indent=True,
    )
    _paragraph(document, "{%p if by_occasion %}")
    _data_table(document, ["Dịp tham quan", "Số đoàn", "Số người"], "by_occasion", ["label", "visits", "people"])
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p if by_programme %}")
    _paragraph(document, "Các chương trình đã tổ chức:", indent=True)
    _data_table(document, ["Chương trình", "Số lần", "Số người"], "by_programme", ["label", "visits", "people"])
    _paragraph(document, "{%p endif %}")

    _paragraph(document, "III. KHAI THÁC TƯ LIỆU TRỰC TUYẾN", bold=True, indent=True)
    _paragraph(
        document,
        "{% if any_use %}Trang thông tin điện tử ghi nhận {{ page_views }} lượt xem trang tư liệu và chuyên đề, "
        "{{ searches }} lượt tìm kiếm ({{ empty_search_count }} lượt không có kết quả).{% else %}Trong kỳ chưa "
        "ghi nhận lượt khai thác trực tuyến nào.{% endif %}",
        indent=True,
    )
    _paragraph(document, "{%p if any_use %}")
    _data_table(document, ["Hình thức khai thác", "Số lượt"], "use_rows", ["label", "count"])
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p if top_items %}")
    _paragraph(document, "Tư liệu, hiện vật được xem nhiều nhất:", indent=True)
    _data_table(document, ["Tư liệu, hiện vật", "Số lượt"], "top_items", ["label", "count"])
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p if empty_searches %}")
    _paragraph(document, "Từ khóa được tìm nhưng chưa có tư liệu đáp ứng (gợi ý sưu tầm, bổ sung):", indent=True)
    _data_table(document, ["Từ khóa", "Số lượt"], "empty_searches", ["label", "count"])
    _paragraph(document, "{%p endif %}")

    _paragraph(document, "IV. CÔNG TÁC NÂNG CẤP VÀ KINH PHÍ", bold=True, indent=True)
    _paragraph(
        document,
        "Có {{ work_items }} hạng mục công việc được theo dõi, đã hoàn thành {{ work_done }} hạng mục; tiến độ "
        "bình quân {{ work_progress }}%; {{ work_overdue }} hạng mục quá hạn.",
        indent=True,
    )
    _paragraph(
        document,
        "Kinh phí tính đến ngày {{ budget_on }}: dự toán {{ estimated }}; được duyệt {{ approved }}; đã chi "
        "{{ spent }}; còn lại {{ remaining }}.",
        indent=True,
    )
    _paragraph(document, "{%p if budget_rows %}")
    _data_table(
        document,
        ["Địa điểm", "Dự toán", "Được duyệt", "Đã chi"],
        "budget_rows",
        ["label", "estimated", "approved", "spent"],
    )
    _paragraph(document, "{%p endif %}")

    _paragraph(document, "{%p if assessment %}")
    _paragraph(document, "V. NHẬN XÉT, KIẾN NGHỊ", bold=True, indent=True)
    _paragraph(document, "{%p for line in assessment %}")
    _paragraph(document, "{{ line }}", indent=True)
    _paragraph(document, "{%p endfor %}")
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{{ closing }}", indent=True, after=12)

    closing = document.add_table(rows=1, cols=2)
    recipients, signature = closing.rows[0].cells
    recipients.width, signature.width = Cm(7.5), Cm(9)
    small_left = {"size": 12, "align": WD_ALIGN_PARAGRAPH.LEFT}
    _cell_lines(
        recipients,
        [
            ("Nơi nhận:", {**small_left, "bold": True, "underline": True}),
            ("{%p for line in recipients %}", small_left),
            ("{{ line }}", small_left),
            ("{%p endfor %}", small_left),
        ],
    )
    bold = {"bold": True}
    _cell_lines(
        signature,
        [
            ("{%p for line in signature %}", bold),
            ("{{ line }}", bold),
            ("{%p endfor %}", bold),
            ("", {}),
            ("", {}),
            ("", {}),
            ("{{ signer_name }}", bold),
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)


class Command(BaseCommand):
    help = "Tạo lại mẫu Word của báo cáo gửi Ban Thường vụ (traditions/report_templates/standing_report.docx)."

    def handle(self, *args, **options) -> None:
        build(TEMPLATE)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {TEMPLATE}"))
