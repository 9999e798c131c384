"""The public site's main navigation, in one place.

Each entry names a URL; an entry whose URL is not (yet) defined is left out, so an app
can land its pages without touching the site shell.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

MAIN_NAVIGATION = [
    ("exhibits:home", _("Trang chủ")),
    ("exhibits:period_list", _("Các thời kỳ")),
    ("exhibits:item_list", _("Tư liệu, hiện vật")),
    ("exhibits:exhibit_list", _("Trưng bày trực tuyến")),
    ("exhibits:leaders", _("Lãnh đạo qua các thời kỳ")),
    ("exhibits:videos", _("Phim tư liệu")),
    ("exhibits:visit", _("Tham quan")),
    ("bookings:book", _("Đăng ký tham quan")),
    ("exhibits:contribute", _("Đóng góp tư liệu")),
]


def main_navigation(current_path: str) -> list[dict]:
    """The navigation entries whose URLs exist, with the one the visitor is on marked."""
    entries = []
    for name, label in MAIN_NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        home = name == "exhibits:home"
        current = current_path == url if home else current_path.startswith(url)
        entries.append({"url": url, "label": label, "current": current})
    return entries
