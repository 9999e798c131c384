"""Hostile PDFs: scripts, launch, submit and import actions, embedded files, rich media and links off
the web, wherever they hang, found by reading every object with pikepdf (object streams included).

The files are made here: with pikepdf, saved with object streams so the actions sit compressed, and
by hand, an object stream whose own dictionary holds a nested ``/DecodeParms << /Predictor 1 >>``
(a byte scan for ``/Type /ObjStm ... >> stream`` cannot find its end). A benign PDF with web links,
outlines and a form field must still pass.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive import media
from archive.models import Body, Contribution, ContributionFile, Item, MediaFile
from upgrades.models import BudgetLine, Expense, WorkItem, validate_attachment_content

Name = pikepdf.Name


# --- files ------------------------------------------------------------------------------------


def new_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    return pdf


def saved(pdf: pikepdf.Pdf) -> bytes:
    """The PDF with every object that can be compressed into an object stream."""
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return buffer.getvalue()


def in_object_stream(catalog: bytes) -> bytes:
    """Catalogue, page tree and page compressed in one object stream whose dictionary has a nested
    dictionary, with a cross-reference stream: written by hand, as a hostile tool would."""
    bodies = [
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    header = content = b""
    for number, body in enumerate(bodies, start=1):
        header += b"%d %d " % (number, len(content))
        content += body + b"\n"
    packed = zlib.compress(header + content)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    object_stream_at = len(out)
    out += b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /DecodeParms << /Predictor 1 >> " % len(
        header
    )
    out += b"/Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [(0, 0, 65535), (2, 4, 0), (2, 4, 1), (2, 4, 2), (1, object_stream_at, 0), (1, xref_at, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# Actions a viewer may run without the reader asking, by id.
ACTIONS = {
    "javascript": lambda: pikepdf.Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert('x')")),
    "launch": lambda: pikepdf.Dictionary(S=Name.Launch, F=pikepdf.String("cmd.exe")),
    "submit form": lambda: pikepdf.Dictionary(
        S=Name.SubmitForm, F=pikepdf.Dictionary(FS=Name.URL, F=pikepdf.String("https://thu-thap.example/"))
    ),
    "import data": lambda: pikepdf.Dictionary(S=Name.ImportData, F=pikepdf.String("du-lieu.fdf")),
    "go to another file": lambda: pikepdf.Dictionary(
        S=Name.GoToR, F=pikepdf.String("\\\\10.0.0.9\\chia-se\\a.pdf"), D=pikepdf.Array([0, Name.Fit])
    ),
    "javascript link": lambda: pikepdf.Dictionary(S=Name.URI, URI=pikepdf.String("javascript:alert(1)")),
    "file link": lambda: pikepdf.Dictionary(S=Name.URI, URI=pikepdf.String("file:///C:/Windows/System32/calc.exe")),
    "network share link": lambda: pikepdf.Dictionary(S=Name.URI, URI=pikepdf.String("smb://10.0.0.9/chia-se")),
    "web link hiding a line break": lambda: pikepdf.Dictionary(
        S=Name.URI, URI=pikepdf.String("https://dangbokhoi.example/\njavascript:alert(1)")
    ),
}


def link_annotation(pdf: pikepdf.Pdf, action: pikepdf.Dictionary) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=pikepdf.Array([10, 10, 90, 30]), Border=[0, 0, 0], A=action
        )
    )


def on_open(pdf, action):
    pdf.Root.OpenAction = pdf.make_indirect(action)


def on_catalog_event(pdf, action):
    pdf.Root.AA = pikepdf.Dictionary(WC=action)  # when the document closes


def on_page_open(pdf, action):
    pdf.pages[0].AA = pikepdf.Dictionary(O=action)


def on_link(pdf, action):
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([link_annotation(pdf, action)]))


def on_outline(pdf, action):
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Mục lục", action=action))


def on_form_field(pdf, action):
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Btn,
            T=pikepdf.String("gui"),
            Rect=pikepdf.Array([10, 40, 90, 60]),
            AA=pikepdf.Dictionary(U=action),  # when the mouse button is released on it
        )
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))


PLACES = {
    "open action": on_open,
    "catalog additional action": on_catalog_event,
    "page additional action": on_page_open,
    "link annotation": on_link,
    "outline": on_outline,
    "form field": on_form_field,
}


def with_action(action_id: str, place_id: str) -> bytes:
    pdf = new_pdf()
    PLACES[place_id](pdf, ACTIONS[action_id]())
    return saved(pdf)


def javascript_name_tree() -> bytes:
    pdf = new_pdf()
    script = pdf.make_indirect(ACTIONS["javascript"]())
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("khoi-dong"), script]))
    )
    return saved(pdf)


def embedded_file() -> bytes:
    pdf = new_pdf()
    pdf.attachments["ghi chú.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", mime_type="application/x-msdownload")
    return saved(pdf)


def file_attachment_annotation() -> bytes:
    """An attached file hung on a page only, its stream without the optional /Type."""
    pdf = new_pdf()
    stream = pdf.make_stream(b"MZ\x90\x00")
    spec = pikepdf.Dictionary(Type=Name.Filespec, F=pikepdf.String("a.exe"), EF=pikepdf.Dictionary(F=stream))
    annotation = pikepdf.Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=pikepdf.Array([0, 0, 20, 20]), FS=spec
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))
    return saved(pdf)


def rich_media_annotation() -> bytes:
    pdf = new_pdf()
    annotation = pikepdf.Dictionary(
        Type=Name.Annot,
        Subtype=Name.RichMedia,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        RichMediaContent=pikepdf.Dictionary(Assets=pikepdf.Dictionary()),
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))
    return saved(pdf)


def xfa_form() -> bytes:
    pdf = new_pdf()
    xfa = pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script>app.alert(1)</script></xdp:xdp>')
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([]), XFA=xfa)
    return saved(pdf)


def benign_with_web_links() -> bytes:
    """Web links (https and http), an outline going to a page, a named destination, a form field."""
    pdf = new_pdf()
    pdf.add_blank_page(page_size=(200, 200))
    links = [
        link_annotation(pdf, pikepdf.Dictionary(S=Name.URI, URI=pikepdf.String(uri)))
        for uri in ("https://dangbokhoi.example/lich-su/dai-hoi?lan=1#muc-2", "http://thuvien.example/tu-lieu")
    ]
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array(links))
    pdf.Root.Names = pikepdf.Dictionary(
        Dests=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("trang-2"), pikepdf.Array([pdf.pages[1].obj, Name.Fit])])
        )
    )
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Trang 2", 1))
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=pikepdf.String("ho_ten"), Rect=[10, 40, 90, 60]
        )
    )
    pdf.pages[1].Annots = pdf.make_indirect(pikepdf.Array([field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    return saved(pdf)


HAND_LAUNCH = in_object_stream(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>")
HAND_JAVASCRIPT = in_object_stream(
    b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"
)

REFUSED = [
    *[
        (f"{action} on {place}", lambda action=action, place=place: with_action(action, place))
        for action in ACTIONS
        for place in PLACES
    ],
    ("javascript in the names tree", javascript_name_tree),
    ("embedded file in the names tree", embedded_file),
    ("file attachment annotation", file_attachment_annotation),
    ("rich media annotation", rich_media_annotation),
    ("xfa form", xfa_form),
    ("launch in an object stream with nested DecodeParms", lambda: HAND_LAUNCH),
    ("javascript in an object stream with nested DecodeParms", lambda: HAND_JAVASCRIPT),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- inspection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "make"), REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_pdf_is_refused_wherever_the_action_hangs(case, make):
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload("văn bản.pdf", make()), field_label="Tệp đính kèm")
    assert caught.value.code == "pdf_javascript", case
    message = caught.value.messages[0]
    assert message.startswith("Tệp đính kèm: tệp PDF có chứa mã JavaScript")
    assert "Hãy in lại tài liệu ra PDF" in message


@pytest.mark.parametrize(("case", "make"), REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_pdf_is_refused_as_an_upgrade_attachment_by_the_same_inspection(case, make):
    with pytest.raises(ValidationError) as caught:
        validate_attachment_content(upload("hóa đơn.pdf", make()))
    assert caught.value.code == "pdf_javascript", case
    assert caught.value.messages[0].startswith("Tệp đính kèm: tệp PDF có chứa mã JavaScript")


def test_the_hand_made_object_stream_is_a_pdf_readers_open():
    """Without the action the same file is accepted: the refusals above are for the action alone."""
    result = media.inspect_upload(upload("sạch.pdf", in_object_stream(b"<< /Type /Catalog /Pages 2 0 R >>")))
    assert (result.kind, result.page_count, result.width, result.height) == ("pdf", 1, 200, 200)
    for data in (HAND_LAUNCH, HAND_JAVASCRIPT):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert b"/ObjStm" in data and "/OpenAction" in pdf.Root and len(pdf.pages) == 1


def test_a_benign_pdf_with_web_links_outlines_and_a_form_passes():
    data = benign_with_web_links()
    assert b"/ObjStm" in data
    result = media.inspect_upload(upload("có liên kết.pdf", data))
    assert (result.kind, result.page_count) == ("pdf", 2)
    assert not media.pdf_has_javascript(data)


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("garbage behind a pdf header", b"%PDF-1.7\n" + bytes(range(256)) * 8),
        ("no objects at all", b"%PDF-1.4\n%%EOF\n"),
    ],
)
def test_a_pdf_pikepdf_cannot_open_is_refused_as_bad(case, data):
    with pytest.raises(ValidationError) as caught:
        media.inspect_upload(upload("hỏng.pdf", data))
    assert caught.value.code == "bad_pdf", case


def test_pdf_has_javascript_reads_object_streams_with_nested_dictionaries():
    assert media.pdf_has_javascript(HAND_LAUNCH)
    assert media.pdf_has_javascript(with_action("submit form", "outline"))
    assert not media.pdf_has_javascript(in_object_stream(b"<< /Type /Catalog /Pages 2 0 R >>"))


# --- through the forms ----------------------------------------------------------------------------


CONTRIBUTE_URL = "/dong-gop-tu-lieu/"


def contribution_data() -> dict:
    return {
        "contributor_name": "Nguyễn Thị Hoa",
        "body": str(Body.objects.order_by("pk").first().pk),
        "email": "hoa@example.vn",
        "description": "Bản chụp Nghị quyết Đại hội Đảng bộ Khối lần thứ nhất.",
        "consent": "on",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("launch in an object stream with nested DecodeParms", HAND_LAUNCH),
        ("embedded file", embedded_file()),
        ("javascript link on a page", with_action("javascript link", "link annotation")),
    ],
)
def test_the_anonymous_contribution_form_refuses_a_hostile_pdf_and_stores_nothing(client, case, data):
    response = client.post(CONTRIBUTE_URL, {**contribution_data(), "files": [upload("nghị quyết.pdf", data)]})
    assert response.status_code == 200, case
    errors = " ".join(response.context["form"].errors.get("files", []))
    assert errors.startswith("Tệp gửi kèm: tệp PDF có chứa mã JavaScript")
    assert "tệp PDF có chứa mã JavaScript" in response.content.decode()
    assert Contribution.objects.count() == 0 and ContributionFile.objects.count() == 0
    assert media_files() == []


@pytest.mark.django_db
def test_the_anonymous_contribution_form_accepts_a_pdf_with_web_links(client):
    response = client.post(
        CONTRIBUTE_URL, {**contribution_data(), "files": [upload("có liên kết.pdf", benign_with_web_links())]}
    )
    assert response.status_code == 302
    assert ContributionFile.objects.get().mime_type == "application/pdf"


@pytest.mark.django_db
def test_the_admin_media_inline_refuses_a_hostile_pdf(client, propaganda_user):
    client.force_login(propaganda_user)
    data = {
        "kind": "document",
        "title_vi": "Nghị quyết Đại hội",
        "language": "vi",
        "reliability": "original",
        "access_level": "public",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-MIN_NUM_FORMS": "0",
        "media-MAX_NUM_FORMS": "1000",
        "media-0-position": "0",
        "media-0-file": upload("nghị quyết.pdf", HAND_JAVASCRIPT),
    }
    response = client.post(reverse("admin:archive_item_add"), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]["file"]
    assert errors[0].startswith("Tệp: tệp PDF có chứa mã JavaScript")
    assert not Item.objects.exists() and not MediaFile.objects.exists() and media_files() == []


@pytest.mark.django_db
def test_an_expense_attachment_with_a_hidden_launch_action_is_refused(client, office_user):
    budget_line = BudgetLine.objects.create(
        work_item=WorkItem.objects.order_by("pk").first(),
        description="Tủ trưng bày",
        unit="chiếc",
        quantity=2,
        unit_price=15_000_000,
        fiscal_year=2025,
    )
    client.force_login(office_user)
    data = {
        "budget_line": str(budget_line.pk),
        "spent_on": "15/03/2025",
        "amount": "30000000",
        "supplier": "Công ty Nội thất Hà Nội",
        "invoice_number": "",
        "note": "",
        "attachment": upload("hóa đơn.pdf", HAND_LAUNCH),
    }
    response = client.post(reverse("admin:upgrades_expense_add"), data)
    assert response.status_code == 200
    assert "JavaScript" in " ".join(response.context["adminform"].form.errors["attachment"])
    assert not Expense.objects.exists() and media_files() == []
