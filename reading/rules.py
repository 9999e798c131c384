"""What may be requested, by whom: the one statement each page and service asks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from archive.models import Item, item_visible_to
from archive.models.items import holds, public_condition


def in_person_place(item: Item) -> str:
    """Where the original of an item may be consulted in person."""
    if item.venue_id:
        return str(item.venue)
    return _("Phòng Truyền thống Đảng bộ Khối các cơ quan Trung ương")


def classified_notice(item: Item) -> str:
    return _(
        "Tư liệu mang độ mật không được yêu cầu đọc, sao hay hiển thị trực tuyến. Bản gốc chỉ được tra "
        "cứu trực tiếp tại %(place)s, theo quy định về bảo vệ bí mật nhà nước, khi được cấp có thẩm "
        "quyền cho phép."
    ) % {"place": in_person_place(item)}


def is_classified(item: Item) -> bool:
    return item.confidentiality != Item.Confidentiality.NONE


def request_refusal(*, user, item: Item | None, kind: str) -> ValidationError | None:
    """Why ``user`` may not ask for ``item`` (read or copy), or None when they may.

    Only published items can be asked for; a classified one never; a reading only of what this
    person cannot already read online (not public to them, or with no digital copy); a copy only
    of a public item that has files.
    """
    from reading.models import ReadingRequest

    if item is None or item.status != Item.Status.PUBLISHED:
        return ValidationError(
            _("Không có tư liệu đã công bố nào mang số đăng ký này. Xin kiểm tra lại số đăng ký."),
            code="not_found",
        )
    if is_classified(item):
        return ValidationError(classified_notice(item), code="classified")
    has_files = item.media.exists()
    if kind == ReadingRequest.Kind.READ:
        if has_files and item_visible_to(user, item):
            return ValidationError(
                _("Tư liệu này đã công khai trực tuyến: xin xem trên trang tư liệu, hoặc yêu cầu bản sao."),
                code="already_online",
            )
    elif kind == ReadingRequest.Kind.COPY:
        if not holds(public_condition(), item):
            return ValidationError(
                _("Chỉ sao được tư liệu đã công khai. Với tư liệu này, xin chọn yêu cầu đọc."), code="copy_not_public"
            )
        if not has_files:
            return ValidationError(
                _("Tư liệu này chưa có bản số hóa để sao. Xin chọn yêu cầu đọc bản gốc."), code="no_files"
            )
    else:
        return ValidationError(_("Xin chọn đọc hoặc sao tư liệu."), code="kind")
    pending = ReadingRequest.objects.filter(
        requester=user, item=item, kind=kind, status=ReadingRequest.Status.PENDING
    ).exists()
    if pending:
        return ValidationError(_("Tài khoản này đã có một yêu cầu như vậy đang chờ duyệt."), code="duplicate")
    return None
