"""Fields read from the first page of a Party or state document, proposed to the cataloguer.

From the text of the first page (``PageText``: the correction, else the machine's reading) this
proposes the số và ký hiệu (repaired as OCR breaks it, then checked by ``archive.docnumbers``),
the place and date ("Hà Nội, ngày 12 tháng 4 năm 2007"), the issuing body (one of the bodies
register whose name stands in the header), the document type (the heading "BÁO CÁO", else what
the number's type code says) and the trích yếu (the lines after the heading). Each is only a
proposal: the item form shows it with a button, and nothing is written without that click.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from archive.docnumbers import parse_document_number, suggest_document_type
from archive.models import Body, Item, PageText
from archive.models.items import DOCUMENT_TYPE_CHOICES
from archive.partial_dates import parse_partial_date
from basics.text import fold

#: Lines of the page read for the header (issuer, number, place and date, heading).
HEADER_LINES = 14
MAX_SUMMARY = 600

# "Số 36- HD/VPTW", "Số: 36 - HD | VPTW", "So 36-HD/VPTW": the number's text, to be repaired.
_NUMBER_RE = re.compile(r"\bs[oố]\s*[:.]?\s*([0-9OoIl|]{1,6}\s*[-–—~]?\s*[^\s,;]{0,24}(?:\s*[/|]\s*[^\s,;]+)*)", re.I)
_CODE_RE = re.compile(r"\b(\d{1,6}\s*[-–—]\s*[A-ZĐ]{1,5}\s*[/|]\s*[A-ZĐ][A-ZĐ\-]{1,20})")
# On the folded line: "ha noi, ngay 12 thang 4 nam 2007"; the day may be dots or an ellipsis.
_DATE_RE = re.compile(
    r"(?P<place>[a-z][a-z ]{1,40}?)\s*,\s*ngay\s*(?P<day>\d{1,2}|[.…]+)"
    r"\s*thang\s*(?P<month>\d{1,2})\s*nam\s*(?P<year>\d{4})"
)


@dataclass(frozen=True)
class Proposal:
    field: str  # the item form's field the value goes to
    label: str
    value: str  # what the form field takes
    shown: str  # what the cataloguer reads


def _folded_same_length(text: str) -> str:
    """``text`` folded one character at a time, so positions in it are positions in ``text``."""
    return "".join((fold(char) or " ")[:1] if not char.isspace() else " " for char in text)


def repaired_number(text: str) -> str | None:
    """The số và ký hiệu in ``text`` once OCR's usual breaks are mended ("36- HD/VPTW", "36-HD|VPTW",
    "3O-HD/VPTW"), as ``parse_document_number`` writes it; None when nothing parses."""
    candidates = [match.group(1) for match in _NUMBER_RE.finditer(text)]
    candidates += [match.group(1) for match in _CODE_RE.finditer(text)]
    for raw in candidates:
        raw = raw.strip(" .,;:")
        head = re.match(r"[0-9OoIl|]+", raw)
        if head:  # the number: letters OCR reads for digits ("3O", "l2") are the digits
            raw = head.group(0).translate(str.maketrans("OoIl|", "00111")) + raw[head.end() :]
        for attempt in (raw, raw.replace("|", "/"), re.sub(r"\s+", "", raw.replace("|", "/"))):
            try:
                return str(parse_document_number(attempt))
            except ValidationError:
                continue
    return None


def _place_name(text: str) -> str:
    """The place before "ngày": its last words written as a name ("Hà Nội", "Thái Nguyên"), so what
    OCR put before it on the line (the issuer's code "VPTW" of the left column) is left out."""
    words = []
    for word in reversed(text.split()):
        if not (word[:1].isupper() and word[1:].islower()) or len(words) == 4:
            break
        words.insert(0, word)
    return " ".join(words)


def place_and_date(lines: list[str]) -> tuple[str, str] | None:
    for line in lines:
        folded = _folded_same_length(line)
        match = _DATE_RE.search(folded)
        if not match:
            continue
        place = _place_name(line[match.start("place") : match.end("place")])
        day, month, year = match.group("day"), int(match.group("month")), int(match.group("year"))
        text = f"{int(day):02d}/{month:02d}/{year}" if day.isdigit() else f"{month:02d}/{year}"
        try:
            parse_partial_date(text)
        except ValidationError:
            continue
        if place:
            return place, text
    return None


def _issuing_body(header: str) -> Body | None:
    """The body of the register whose full name (folded) stands in the header; the longest wins."""
    folded = " ".join(fold(header).replace(",", " ").split())
    found = None
    for body in Body.objects.only("pk", "name"):
        name = " ".join(fold(body.name).replace(",", " ").split())
        if len(name) >= 6 and f" {name} " in f" {folded} " and (found is None or len(name) > len(found.name)):
            found = body
    return found


def _heading(lines: list[str]) -> tuple[int, str] | None:
    """The line that is a document type's name in capitals ("BÁO CÁO"): its index and the type."""
    types = {fold(str(label)): code for code, label in DOCUMENT_TYPE_CHOICES if code}
    for index, line in enumerate(lines):
        if line.isupper() and fold(line).strip(" .:") in types:
            return index, types[fold(line).strip(" .:")]
    return None


def _summary(paragraphs: list[list[str]], heading_line: str) -> str:
    """The lines after the heading, to the end of their paragraph: the trích yếu."""
    for number, paragraph in enumerate(paragraphs):
        if heading_line in paragraph:
            after = paragraph[paragraph.index(heading_line) + 1 :]
            if not after and number + 1 < len(paragraphs):
                after = paragraphs[number + 1]
            return " ".join(" ".join(after).split())[:MAX_SUMMARY]
    return ""


def proposals_from_text(text: str) -> list[Proposal]:
    """The proposals read from a first page's text."""
    paragraphs = [[line.strip() for line in block.splitlines() if line.strip()] for block in text.split("\n\n")]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    lines = [line for paragraph in paragraphs for line in paragraph]
    header = lines[:HEADER_LINES]
    found: list[Proposal] = []
    number = repaired_number("\n".join(header))
    if number:
        found.append(Proposal("number_symbol", str(_("Số và ký hiệu")), number, number))
    place_date = place_and_date(header)
    if place_date:
        place, date = place_date
        found.append(Proposal("place_of_issue", str(_("Địa danh ban hành")), place, place))
        found.append(Proposal("date_text", str(_("Ngày tháng")), date, date))
    body = _issuing_body(" ".join(header))
    if body:
        found.append(Proposal("issuing_body", str(_("Cơ quan ban hành")), str(body.pk), body.name))
    heading = _heading(header)
    labels = dict(DOCUMENT_TYPE_CHOICES)
    document_type = heading[1] if heading else (suggest_document_type(number) if number else None)
    if document_type and document_type in labels:
        found.append(Proposal("document_type", str(_("Loại văn bản")), document_type, str(labels[document_type])))
    if heading:
        summary = _summary(paragraphs, header[heading[0]])
        if summary:
            found.append(Proposal("summary", str(_("Trích yếu nội dung")), summary, summary))
    return found


def first_page(item: Item) -> PageText | None:
    """The first page of the item's first digitised document (the primary file first)."""
    return (
        PageText.objects.filter(item=item, page=1)
        .order_by("-media_file__is_primary", "media_file__position", "media_file_id")
        .first()
    )


def item_proposals(item: Item) -> list[Proposal]:
    """What the first page proposes that the item does not hold already."""
    page = first_page(item)
    if page is None or not page.shown_text.strip():
        return []
    current = {
        "number_symbol": item.number_symbol,
        "place_of_issue": item.place_of_issue,
        "issuing_body": str(item.issuing_body_id or ""),
        "document_type": item.document_type,
        "summary": item.summary,
        "date_text": item.date_display if item.date_start else "",
    }
    return [
        proposal for proposal in proposals_from_text(page.shown_text) if current.get(proposal.field) != proposal.value
    ]
