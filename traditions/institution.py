"""The institution's names as documents and pages write them, from one place.

The report to the Standing Committee takes its names from ``institution()`` only.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from archive.institution import current


@dataclass(frozen=True)
class Institution:
    party_committee: str  # the issuing Board's committee, the heading's upper line
    board: str  # the issuing body
    board_symbol: str  # the body's letters in a document's number and symbol
    board_full: str  # the Board with its committee, as a sentence names it
    standing_committee: str
    place: str  # where documents are issued
    rooms: str  # the Tradition Room and House, as the site's home page names them


def institution() -> Institution:
    """The report's names: the Board and the Rooms from the institution's record (archive.institution);
    the heading's committee, the Board's letters and the Standing Committee as a Party report writes them."""
    record = current()
    return Institution(
        party_committee=_("Đảng ủy Khối các cơ quan Trung ương"),
        board=_("Ban Tuyên giáo"),
        board_symbol="BTG",
        board_full=record.shown_board_short,
        standing_committee=_("Ban Thường vụ Đảng ủy Khối"),
        place=_("Hà Nội"),
        rooms=_("Phòng Truyền thống, Nhà Truyền thống %(name)s") % {"name": record.shown_name},
    )
