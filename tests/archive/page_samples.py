"""Small pages made for the page-text tests: a typed scan (Pillow, DejaVu) and hand-written PDFs."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def scan(lines: list[str], *, size=(1400, 120), fmt="PNG") -> bytes:
    """A white page with ``lines`` typed in 40 px DejaVu Serif, one line every ``size[1]`` pixels."""
    # Basic layout: Raqm measures wrongly once libvips is loaded (archive.demo_pictures says the same).
    typeface = ImageFont.truetype(FONT, 40, layout_engine=ImageFont.Layout.BASIC)
    page = Image.new("L", (size[0], size[1] * len(lines) + 60), 255)
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((60, 40 + index * size[1]), line, font=typeface, fill=0)
    buffer = io.BytesIO()
    page.convert("RGB").save(buffer, fmt, dpi=(300, 300))
    return buffer.getvalue()


def scanned_pdf(pages: list[bytes]) -> bytes:
    """An image-only PDF of the given page pictures (no text layer), 300 dpi."""
    pictures = [Image.open(io.BytesIO(page)).convert("RGB") for page in pages]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "PDF", save_all=True, append_images=pictures[1:], resolution=300)
    return buffer.getvalue()


def text_pdf(lines: list[bytes]) -> bytes:
    """A born-digital one-page A4 PDF with a text layer: ``lines`` (WinAnsi bytes) in Helvetica 24 pt."""
    content = b"BT /F1 24 Tf 72 760 Td 30 TL " + b" ".join(b"(" + line + b") Tj T*" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start))
    return out.getvalue()
