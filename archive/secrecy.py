"""State secrets stay off the internet: a classified item (Mật, Tối mật, Tuyệt mật) is a catalogue
record only on an internet-facing instance.

Luật Bảo vệ bí mật nhà nước số 29/2018/QH14, Điều 5, forbids keeping documents that contain state
secrets on computers or devices connected to the internet. Every way a file reaches an item
(``archive.media.media_file_store``, the item form's media rows, ``MediaFile.clean``) asks
``classified_file_error``; classifying an item asks ``classifying_error``. A copy of the system run
on a machine without internet sets ``DJANGO_OFFLINE_INSTANCE=1`` (``settings.OFFLINE_INSTANCE``),
which lifts both refusals.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LAW = _("Luật Bảo vệ bí mật nhà nước số 29/2018/QH14, Điều 5")


def offline_instance() -> bool:
    """True on a copy of the system run without internet, where classified files may be kept."""
    return bool(getattr(settings, "OFFLINE_INSTANCE", False))


def files_refused(confidentiality: str) -> bool:
    """Whether an item of this confidentiality may hold no file on this instance."""
    return bool(confidentiality) and not offline_instance()


def classified_file_error(*, confidentiality: str, level_label: str) -> ValidationError | None:
    """Why a file cannot be attached to an item of ``confidentiality`` here, or None."""
    if not files_refused(confidentiality):
        return None
    return ValidationError(
        _(
            "Tệp: tư liệu có độ mật “%(level)s” không được lưu tệp trên hệ thống kết nối Internet "
            "(%(law)s). Chỉ lưu bản ghi mô tả, nơi lưu giữ bản gốc và người được tiếp cận; "
            "tệp số hóa lưu trên hệ thống ngoại tuyến."
        ),
        code="classified_file",
        params={"level": level_label, "law": LAW},
    )


def classifying_error(*, confidentiality: str, level_label: str, file_count: int) -> ValidationError | None:
    """Why an item holding ``file_count`` files cannot be given ``confidentiality`` here, or None."""
    if not file_count or not files_refused(confidentiality):
        return None
    return ValidationError(
        _(
            "Độ mật: tư liệu đang có %(count)d tệp số hóa trên hệ thống kết nối Internet, nên chưa thể "
            "đặt độ mật “%(level)s” (%(law)s). Dùng thao tác “Chuyển sang mật: xuất tệp cho hệ thống "
            "ngoại tuyến và gỡ tệp” trong danh sách tư liệu."
        ),
        code="classified_with_files",
        params={"count": file_count, "level": level_label, "law": LAW},
    )
