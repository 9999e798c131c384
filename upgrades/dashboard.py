"""The figures of the upgrades dashboard: progress, budget from estimate to spending, timeline.

Every total is an aggregate the database computes (a few grouped queries); Python only merges
the grouped rows by key and lays out the charts.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from archive.models import Venue
from upgrades.models import (
    DUE_SOON_DAYS,
    BudgetLine,
    Category,
    Expense,
    Status,
    WorkItem,
    overdue_condition,
    today,
)

SHARED_LABEL = _("Chung cả hai địa điểm")


@dataclass
class BudgetRow:
    """Estimated, approved and spent đồng of one group (a venue, a category, a year)."""

    key: object
    label: str
    estimated: int = 0
    approved: int = 0
    spent: int = 0

    @property
    def remaining(self) -> int:
        return self.approved - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.approved

    @property
    def spent_percent(self) -> Decimal | None:
        if not self.approved:
            return None
        return (Decimal(self.spent) * 100 / self.approved).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ProgressRow:
    """How far the measured (leaf, not cancelled) work items of one group are."""

    key: object
    label: str
    items: int = 0
    done: int = 0
    overdue: int = 0
    progress_sum: int = 0

    @property
    def average_progress(self) -> Decimal:
        if not self.items:
            return Decimal("0.0")
        return (Decimal(self.progress_sum) / self.items).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Dashboard:
    on: datetime.date
    budget_total: BudgetRow
    budget_by_venue: list[BudgetRow]
    budget_by_category: list[BudgetRow]
    budget_by_year: list[BudgetRow]
    progress_total: ProgressRow
    progress_by_venue: list[ProgressRow]
    progress_by_category: list[ProgressRow]
    overdue: list[WorkItem]
    due_soon: list[WorkItem]
    overspent_lines: list[BudgetLine]
    timeline: "Timeline"
    chart: "BarChart"
    due_soon_days: int = DUE_SOON_DAYS


def _venue_labels(venues: list[Venue]) -> dict:
    labels = {venue.pk: venue.display_name for venue in venues}
    labels[None] = str(SHARED_LABEL)
    return labels


def budget_by(dimension: str, lines=None, venues: list[Venue] | None = None) -> list[BudgetRow]:
    """Totals grouped by "venue", "category" or "year": one grouped query for lines, one for expenses."""
    line_key = {"venue": "work_item__venue", "category": "work_item__category", "year": "fiscal_year"}[dimension]
    lines = BudgetLine.objects.all() if lines is None else lines
    expenses = Expense.objects.filter(budget_line__in=lines.values("pk"))
    line_rows = (
        lines.order_by()
        .values(line_key)
        .annotate(
            estimated=Coalesce(Sum("estimated_amount"), Value(0)), approved=Coalesce(Sum("approved_amount"), Value(0))
        )
    )
    spent_rows = expenses.order_by().values(f"budget_line__{line_key}").annotate(spent=Sum("amount"))
    venues = list(Venue.objects.all()) if venues is None and dimension == "venue" else venues
    if dimension == "venue":
        labels = _venue_labels(venues)
    elif dimension == "category":
        labels = {code: str(label) for code, label in Category.choices}
    else:
        labels = {}
    rows: dict[object, BudgetRow] = {}
    for row in line_rows:
        key = row[line_key]
        rows[key] = BudgetRow(
            key, labels.get(key, str(key)), estimated=int(row["estimated"]), approved=int(row["approved"])
        )
    for row in spent_rows:
        key = row[f"budget_line__{line_key}"]
        rows.setdefault(key, BudgetRow(key, labels.get(key, str(key)))).spent = int(row["spent"])
    return sorted(rows.values(), key=_sort_key(dimension, venues))


def _sort_key(dimension: str, venues: list[Venue] | None = None):
    if dimension == "venue":
        order = {venue.pk: index for index, venue in enumerate(venues or [])}
        return lambda row: order.get(row.key, len(order))
    if dimension == "category":
        order = {code: index for index, code in enumerate(Category.values)}
        return lambda row: order.get(row.key, len(order))
    return lambda row: row.key


def budget_total() -> BudgetRow:
    """Grand totals: two aggregate queries."""
    line_totals = BudgetLine.objects.totals()
    spent = Expense.objects.aggregate(total=Coalesce(Sum("amount"), Value(0)))["total"]
    return BudgetRow(
        "all", str(_("Tổng cộng")), estimated=line_totals["estimated"], approved=line_totals["approved"], spent=spent
    )


def progress_by(dimension: str | None, on: datetime.date, venues: list[Venue] | None = None) -> list[ProgressRow]:
    """Measured items (leaves, not cancelled) per venue or category, or all of them when dimension is None."""
    key = {"venue": "venue", "category": "category", None: None}[dimension]
    items = WorkItem.objects.leaves().exclude(status=Status.CANCELLED).order_by()
    aggregates = {
        "items": Count("pk"),
        "done": Count("pk", filter=Q(status=Status.DONE)),
        "overdue": Count("pk", filter=overdue_condition(on)),
        "progress_sum": Coalesce(Sum("progress"), Value(0)),
    }
    if key is None:
        row = items.aggregate(**aggregates)
        return [ProgressRow("all", str(_("Tổng cộng")), **{name: int(value) for name, value in row.items()})]
    if dimension == "venue":
        venues = list(Venue.objects.all()) if venues is None else venues
        labels = _venue_labels(venues)
    else:
        labels = {code: str(label) for code, label in Category.choices}
    rows = [
        ProgressRow(row[key], labels.get(row[key], str(row[key])), **{name: int(row[name]) for name in aggregates})
        for row in items.values(key).annotate(**aggregates)
    ]
    return sorted(rows, key=_sort_key(dimension, venues))


def dashboard_figures(*, on: datetime.date | None = None) -> Dashboard:
    """Everything the dashboard, its XLSX export and the printed report show."""
    on = on or today()
    venues = list(Venue.objects.all())
    by_venue = budget_by("venue", venues=venues)
    by_category = budget_by("category")
    items = list(
        WorkItem.objects.select_related("venue", "owner", "parent")
        .order_by(F("venue__ordering").asc(nulls_last=True), "code")
        .with_totals()
    )
    return Dashboard(
        on=on,
        budget_total=budget_total(),
        budget_by_venue=by_venue,
        budget_by_category=by_category,
        budget_by_year=budget_by("year"),
        progress_total=progress_by(None, on)[0],
        progress_by_venue=progress_by("venue", on, venues),
        progress_by_category=progress_by("category", on),
        # The measured items, as the progress tables count them: the headline equals their totals.
        overdue=list(
            WorkItem.objects.leaves().overdue(on).select_related("venue", "owner").order_by("deadline", "code")
        ),
        due_soon=list(WorkItem.objects.due_soon(on).select_related("venue", "owner").order_by("deadline", "code")),
        overspent_lines=list(BudgetLine.objects.overspent().select_related("work_item").order_by("work_item__code")),
        timeline=build_timeline(items, on),
        chart=build_bar_chart([(str(_("Theo địa điểm")), by_venue), (str(_("Theo nhóm hạng mục")), by_category)]),
    )


# --- Charts, drawn as SVG by the templates -------------------------------------------------


@dataclass
class Bar:
    x: float
    y: float
    width: float
    label: str
    css: str
    amount: int


@dataclass
class BarGroup:
    label: str
    y: float
    bars: list[Bar]
    heading: bool = False


@dataclass
class BarChart:
    """Horizontal bars: estimated, approved and spent per group, on one scale."""

    width: int
    height: int
    label_width: int
    groups: list[BarGroup]
    scale_max: int
    ticks: list[tuple[float, int]] = field(default_factory=list)


BAR_HEIGHT = 11
CHART_WIDTH = 980
CHART_LABEL_WIDTH = 330


def _nice_ceiling(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        candidate = int(step * magnitude)
        if candidate >= value:
            return candidate
    return 10 * magnitude


def build_bar_chart(sections: list[tuple[str, list[BudgetRow]]]) -> BarChart:
    """One chart, one scale; each section (by venue, by category) under its own heading."""
    rows = [row for _, section in sections for row in section]
    scale_max = _nice_ceiling(max([max(r.estimated, r.approved, r.spent) for r in rows] or [0]))
    plot = CHART_WIDTH - CHART_LABEL_WIDTH - 60
    groups = []
    y = 24.0
    for heading, section in sections:
        groups.append(BarGroup(label=heading, y=y, bars=[], heading=True))
        y += 22
        groups.extend(_bar_groups(section, y, plot, scale_max))
        y = groups[-1].y + 3 * (BAR_HEIGHT + 1) + 12 if section else y
    ticks = [(CHART_LABEL_WIDTH + plot * i / 4, scale_max * i // 4) for i in range(5)]
    return BarChart(
        width=CHART_WIDTH,
        height=int(y) + 8,
        label_width=CHART_LABEL_WIDTH,
        groups=groups,
        scale_max=scale_max,
        ticks=ticks,
    )


def _bar_groups(rows: list[BudgetRow], y: float, plot: float, scale_max: int) -> list[BarGroup]:
    groups = []
    for row in rows:
        bars = []
        for index, (css, label, amount) in enumerate(
            (
                ("estimated", _("Dự toán"), row.estimated),
                ("approved", _("Được duyệt"), row.approved),
                ("spent-over" if row.overspent else "spent", _("Đã chi"), row.spent),
            )
        ):
            bars.append(
                Bar(
                    x=CHART_LABEL_WIDTH,
                    y=y + index * (BAR_HEIGHT + 1),
                    width=round(plot * amount / scale_max, 1),
                    label=str(label),
                    css=css,
                    amount=amount,
                )
            )
        groups.append(BarGroup(label=row.label, y=y, bars=bars))
        y += 3 * (BAR_HEIGHT + 1) + 12
    return groups


@dataclass
class TimelineRow:
    item: WorkItem
    y: float
    x: float
    width: float
    progress_width: float
    late_x: float | None
    late_width: float
    css: str
    indent: bool


@dataclass
class Timeline:
    """A Gantt-style chart: one bar per work item from planned start to deadline."""

    width: int
    height: int
    label_width: int
    rows: list[TimelineRow]
    months: list[tuple[float, str, bool]]
    today_x: float | None
    start: datetime.date | None
    end: datetime.date | None


ROW_HEIGHT = 24
TIMELINE_WIDTH = 1100
TIMELINE_LABEL_WIDTH = 340
TIMELINE_TOP = 34


def _add_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def build_timeline(items: list[WorkItem], on: datetime.date) -> Timeline:
    """Lay out the items: parents first, their phases under them; late work runs red to today."""
    by_parent: dict[int | None, list[WorkItem]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)
    ordered: list[tuple[WorkItem, bool]] = []
    for item in by_parent.get(None, []):
        ordered.append((item, False))
        ordered.extend((phase, True) for phase in by_parent.get(item.pk, []))
    known = {item.pk for item, _ in ordered}
    ordered.extend((item, True) for item in items if item.pk not in known)
    if not ordered:
        return Timeline(TIMELINE_WIDTH, TIMELINE_TOP + 10, TIMELINE_LABEL_WIDTH, [], [], None, None, None)

    start = min(item.planned_start for item, _ in ordered).replace(day=1)
    end = max(max(item.deadline, item.completed_on or item.deadline) for item, _ in ordered)
    if any(item.is_overdue(on) for item, _ in ordered):
        end = max(end, on)
    last_day = calendar.monthrange(end.year, end.month)[1]
    end = end.replace(day=last_day)
    span_days = (end - start).days + 1
    plot = TIMELINE_WIDTH - TIMELINE_LABEL_WIDTH - 10

    def x_of(day: datetime.date) -> float:
        return round(TIMELINE_LABEL_WIDTH + plot * (day - start).days / span_days, 1)

    months = []
    month = start
    total_months = (end.year - start.year) * 12 + end.month - start.month + 1
    while month <= end:
        labelled = total_months <= 18 or month.month in (1, 4, 7, 10)
        months.append((x_of(month), f"{month.month:02d}/{month.year}", labelled))
        month = _add_month(month)

    rows = []
    for index, (item, indent) in enumerate(ordered):
        x = x_of(item.planned_start)
        right = x_of(item.deadline + datetime.timedelta(days=1))
        width = max(right - x, 2.0)
        late_x = late_width = None
        if item.is_overdue(on):
            late_x = right
            late_width = max(x_of(on + datetime.timedelta(days=1)) - right, 0.0)
        elif item.status == Status.DONE and item.completed_on and item.completed_on > item.deadline:
            late_x = right
            late_width = max(x_of(item.completed_on + datetime.timedelta(days=1)) - right, 0.0)
        css = "status-" + item.status + (" is-overdue" if item.is_overdue(on) else "")
        rows.append(
            TimelineRow(
                item=item,
                y=TIMELINE_TOP + index * ROW_HEIGHT,
                x=x,
                width=width,
                progress_width=round(width * item.progress / 100, 1),
                late_x=late_x,
                late_width=late_width or 0.0,
                css=css,
                indent=indent,
            )
        )
    today_x = x_of(on) if start <= on <= end else None
    return Timeline(
        width=TIMELINE_WIDTH,
        height=TIMELINE_TOP + len(rows) * ROW_HEIGHT + 8,
        label_width=TIMELINE_LABEL_WIDTH,
        rows=rows,
        months=months,
        today_x=today_x,
        start=start,
        end=end,
    )
