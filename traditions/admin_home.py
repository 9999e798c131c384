"""The admin's home page, per role: what each staff group opens the admin for.

The Propaganda Board finds the work waiting for it (items in review, new contributions, bookings to
confirm, today's visits), the Office its overdue work and the upgrades dashboard, the leadership
the dashboards and statistics. Each figure links to the list it counts, filtered the same way, so a
count and the list behind it never disagree. A superuser sees every panel.

The figures are a handful of counts, one query per model (``aggregate`` with filtered counts).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from traditions.roles import LEADERSHIP, OFFICE, PROPAGANDA_BOARD

#: How many overdue work items the Office's panel names (the rest are behind its link).
OVERDUE_SHOWN = 5


@dataclass
class Figure:
    """One count with the list it counts."""

    label: str
    count: int
    url: str
    note: str = ""


@dataclass
class Link:
    """A dashboard or statistics page, with what it answers."""

    label: str
    url: str
    note: str = ""


@dataclass
class Panel:
    """One role's part of the home page."""

    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (label, detail, url)


def changelist(model_path: str, **params) -> str:
    """The admin list of ``app_label_modelname``, filtered by ``params``."""
    url = reverse(f"admin:{model_path}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def role_names(user) -> set[str]:
    """The roles whose panels the user sees: every role for a superuser, else the user's groups."""
    if user.is_superuser:
        return {PROPAGANDA_BOARD, OFFICE, LEADERSHIP}
    return set(user.groups.filter(name__in=[PROPAGANDA_BOARD, OFFICE, LEADERSHIP]).values_list("name", flat=True))


def board_panel(today: datetime.date) -> Panel:
    """The Propaganda Board's waiting work; three queries."""
    from archive.models import Contribution, Item
    from bookings.models import Booking

    in_review = Item.objects.filter(status=Item.Status.IN_REVIEW).count()
    received = Contribution.objects.filter(status=Contribution.Status.RECEIVED).count()
    bookings = Booking.objects.aggregate(
        pending=Count("pk", filter=Q(status=Booking.Status.PENDING)),
        today=Count("pk", filter=Q(date=today, status__in=Booking.HOLDING_STATUSES)),
    )
    return Panel(
        key="board",
        title=_("Việc cần xử lý"),
        figures=[
            Figure(
                _("Tư liệu chờ duyệt"),
                in_review,
                changelist("archive_item", status__exact=Item.Status.IN_REVIEW),
                _("Xem, rồi công bố hoặc trả lại bản nháp."),
            ),
            Figure(
                _("Đóng góp mới"),
                received,
                changelist("archive_contribution", status__exact=Contribution.Status.RECEIVED),
                _("Tư liệu do cá nhân, đơn vị gửi tặng, chưa xem xét."),
            ),
            Figure(
                _("Đăng ký tham quan chờ xác nhận"),
                bookings["pending"],
                changelist("bookings_booking", status__exact=Booking.Status.PENDING),
            ),
            Figure(
                _("Đoàn tham quan hôm nay"),
                bookings["today"],
                changelist("bookings_booking", when="today"),
                _("Ngày %(date)s.") % {"date": today.strftime("%d/%m/%Y")},
            ),
        ],
        links=[
            Link(_("Lịch tham quan"), reverse("admin:bookings_booking_calendar")),
            Link(
                _("Sổ hướng dẫn hôm nay"),
                reverse("admin:bookings_booking_guide_sheet") + "?" + urlencode({"date": today.isoformat()}),
            ),
        ],
    )


def office_panel(today: datetime.date) -> Panel:
    """The Office's overdue work, counted as the upgrades dashboard counts it; two queries."""
    from upgrades.models import WorkItem

    # The dashboard's rule: measured items (no phases of their own) past their deadline, not done
    # and not cancelled (``upgrades.models.overdue_condition``).
    overdue = WorkItem.objects.leaves().overdue(today)
    shown = list(overdue.select_related("venue").order_by("deadline", "code")[: OVERDUE_SHOWN + 1])
    count = len(shown) if len(shown) <= OVERDUE_SHOWN else overdue.count()
    return Panel(
        key="office",
        title=_("Nâng cấp: việc quá hạn"),
        figures=[
            Figure(
                _("Hạng mục quá hạn"),
                count,
                changelist("upgrades_workitem", han="qua-han"),
                _("Đã quá hạn hoàn thành mà chưa xong (không tính việc đã hủy)."),
            )
        ],
        rows=[
            (
                f"{item.code} {item.title}",
                _("hạn %(date)s") % {"date": item.deadline.strftime("%d/%m/%Y")},
                reverse("admin:upgrades_workitem_change", args=[item.pk]),
            )
            for item in shown[:OVERDUE_SHOWN]
        ],
        links=[
            Link(_("Bảng theo dõi nâng cấp"), reverse("upgrades:dashboard"), _("Kinh phí, tiến độ, việc sắp đến hạn.")),
            Link(_("Báo cáo tiến độ (bản in)"), reverse("upgrades:report")),
        ],
    )


def leadership_panel(user) -> Panel:
    """The dashboards and statistics, each where the user may open it; no query."""
    links = []
    if user.has_perm("archive.view_usagecount"):
        links.append(
            Link(
                _("Thống kê kho tư liệu và lượt khai thác"),
                reverse("archive:usage_dashboard"),
                _("Tư liệu mới, lượt xem, lượt tải theo năm, theo quý."),
            )
        )
    if user.has_perm("upgrades.view_workitem"):
        links.append(
            Link(
                _("Bảng theo dõi nâng cấp"),
                reverse("upgrades:dashboard"),
                _("Kinh phí dự toán, được duyệt, đã chi; tiến độ và việc quá hạn."),
            )
        )
    if user.has_perm("bookings.view_booking"):
        links.append(
            Link(
                _("Thống kê tham quan"),
                reverse("admin:bookings_booking_statistics"),
                _("Số buổi, số người theo tháng, dịp, đơn vị; so với năm trước; bản in."),
            )
        )
    return Panel(key="leadership", title=_("Số liệu và thống kê"), links=links)


def role_home(request, roles: set[str]) -> list[Panel]:
    """The panels of ``roles`` (``role_names``), the Board's first."""
    today = timezone.localdate()
    panels = []
    if PROPAGANDA_BOARD in roles:
        panels.append(board_panel(today))
    if OFFICE in roles:
        panels.append(office_panel(today))
    if LEADERSHIP in roles:
        panels.append(leadership_panel(request.user))
    return panels
