"""Use of the collection, counted per day, and the figures of the collection's dashboard.

Counting: ``usage_record`` adds one to the day's row of a kind and a thing with one UPDATE
(``F("count") + 1``, so concurrent hits never lose one); only the first use of the day inserts the
row, and an insert that loses a race to another worker's falls back to the UPDATE. Public pages
are served from the page cache without a query, so they are counted by a beacon (the page's
script posts what it shows to ``archive:usage_beacon`` after it has loaded); the short address of a
QR code and a file's download, which are never cached, count themselves.

Figures: ``collection_figures`` is what the staff dashboard, its XLSX export and the report to the
Standing Committee show for a period of days; every total is a grouped query.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import Contribution, Item, Period, UsageCount, UsageKind

REF_LENGTH = 120
TOP = 10
NO_PERIOD = _("Chưa xác định thời kỳ")


def search_ref(query: str) -> str:
    """The words of a search as counted: lower case, single spaces, at most REF_LENGTH characters."""
    return " ".join(query.lower().split())[:REF_LENGTH]


def usage_record(*, kind: str, ref: str = "", day: datetime.date | None = None) -> None:
    """One more use of ``ref`` in the way ``kind`` names, on ``day`` (today by default)."""
    day = day or timezone.localdate()
    rows = UsageCount.objects.filter(day=day, kind=kind, ref=ref[:REF_LENGTH])
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            UsageCount.objects.create(day=day, kind=kind, ref=ref[:REF_LENGTH], count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)


# The figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRange:
    """The days a figure covers, both ends included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def quarter(cls, year: int, quarter: int) -> DayRange:
        first_month = 3 * (quarter - 1) + 1
        last_month = first_month + 2
        return cls(
            datetime.date(year, first_month, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )

    @classmethod
    def year(cls, year: int) -> DayRange:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def months(self) -> list[datetime.date]:
        """The first day of every month the range touches."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return months

    def datetimes(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The range as [first instant, instant after the last day) in the site's time zone."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end


@dataclass
class CountRow:
    key: object
    label: str
    count: int
    share: int = 0  # bar width: percent of the largest row

    @staticmethod
    def with_shares(rows: list[CountRow]) -> list[CountRow]:
        top = max((row.count for row in rows), default=0)
        for row in rows:
            row.share = round(100 * row.count / top) if top else 0
        return rows


@dataclass
class GrowthRow:
    """Items catalogued in the range, of one historical period, by kind."""

    label: str
    by_kind: list[int]
    total: int


@dataclass
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


@dataclass
class ChartPanel:
    """One kind of use, month by month, on its own scale (small multiples)."""

    label: str
    y: float
    total: int
    peak: int
    bars: list[ChartBar]


@dataclass
class MonthChart:
    width: int
    height: int
    label_width: int
    panels: list[ChartPanel]
    months: list[tuple[float, str]]


@dataclass
class CollectionFigures:
    """What the collection's dashboard, its export and the report show for one range of days."""

    days: DayRange
    kinds: list[tuple[str, str]]
    growth: list[GrowthRow]
    growth_total: GrowthRow
    items_published: int
    contributions_received: int
    contributions_accepted: int
    use_totals: list[CountRow]
    use_by_month: list[tuple[str, list[int]]]
    item_views_by_period: list[CountRow]
    top_items: list[CountRow]
    top_exhibits: list[CountRow]
    top_searches: list[CountRow]
    empty_searches: list[CountRow]
    top_stops: list[CountRow]
    chart: MonthChart = field(repr=False, default=None)

    def use(self, kind: str) -> int:
        return next((row.count for row in self.use_totals if row.key == kind), 0)

    @property
    def page_views(self) -> int:
        return self.use(UsageKind.ITEM_VIEW) + self.use(UsageKind.EXHIBIT_VIEW)

    @property
    def has_data(self) -> bool:
        return bool(
            self.growth_total.total
            or self.items_published
            or self.contributions_received
            or self.contributions_accepted
            or any(row.count for row in self.use_totals)
        )


def collection_growth(days: DayRange) -> tuple[list[GrowthRow], GrowthRow]:
    """Items catalogued (created) in the range by historical period and kind: one grouped query."""
    start, end = days.datetimes()
    kinds = [value for value, _label in Item.Kind.choices]
    cells: dict[int | None, dict[str, int]] = {}
    for row in (
        Item.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values("period", "kind")
        .annotate(n=Count("pk"))
    ):
        cells.setdefault(row["period"], {})[row["kind"]] = row["n"]
    rows = []
    for period in Period.objects.order_by("number"):
        counts = [cells.get(period.pk, {}).get(kind, 0) for kind in kinds]
        rows.append(GrowthRow(str(period), counts, sum(counts)))
    if None in cells:
        counts = [cells[None].get(kind, 0) for kind in kinds]
        rows.append(GrowthRow(str(NO_PERIOD), counts, sum(counts)))
    by_kind = [sum(row.by_kind[index] for row in rows) for index in range(len(kinds))]
    return rows, GrowthRow(str(_("Tổng cộng")), by_kind, sum(by_kind))


def contribution_counts(days: DayRange) -> tuple[int, int]:
    """Contributions received in the range, and those accepted into the collection in it."""
    start, end = days.datetimes()
    counts = Contribution.objects.aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        accepted=Count(
            "pk",
            filter=Q(status=Contribution.Status.ACCEPTED, decided_at__gte=start, decided_at__lt=end),
        ),
    )
    return counts["received"], counts["accepted"]


def _uses(days: DayRange):
    return UsageCount.objects.filter(day__gte=days.start, day__lte=days.end).order_by()


def _top(days: DayRange, kind: str) -> list[tuple[str, int]]:
    rows = _uses(days).filter(kind=kind).values("ref").annotate(total=Sum("count")).order_by("-total", "ref")[:TOP]
    return [(row["ref"], row["total"]) for row in rows]


def collection_figures(days: DayRange) -> CollectionFigures:
    """Everything the dashboard, the XLSX export and the report say about the collection's range."""
    kinds = [(str(value), str(label)) for value, label in UsageKind.choices]
    growth, growth_total = collection_growth(days)
    received, accepted = contribution_counts(days)
    start, end = days.datetimes()
    totals = dict(_uses(days).values("kind").annotate(total=Sum("count")).values_list("kind", "total"))
    monthly: dict[tuple[datetime.date, str], int] = {}
    for row in _uses(days).annotate(month=TruncMonth("day")).values("month", "kind").annotate(total=Sum("count")):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        monthly[(month, row["kind"])] = row["total"]
    months = days.months()
    by_month = [(f"{month:%m/%Y}", [monthly.get((month, kind), 0) for kind, _label in kinds]) for month in months]

    period_name = Subquery(Item.objects.filter(inventory_number=OuterRef("ref")).values("period__name")[:1])
    by_period = [
        CountRow(row["period_name"], row["period_name"] or str(NO_PERIOD), row["total"])
        for row in _uses(days)
        .filter(kind=UsageKind.ITEM_VIEW)
        .annotate(period_name=period_name)
        .values("period_name")
        .annotate(total=Sum("count"))
        .order_by("-total", "period_name")
    ]
    top_item_refs = _top(days, UsageKind.ITEM_VIEW)
    titles = dict(
        Item.objects.filter(inventory_number__in=[ref for ref, _n in top_item_refs]).values_list(
            "inventory_number", "title"
        )
    )
    figures = CollectionFigures(
        days=days,
        kinds=kinds,
        growth=growth,
        growth_total=growth_total,
        items_published=Item.objects.filter(published_at__gte=start, published_at__lt=end).count(),
        contributions_received=received,
        contributions_accepted=accepted,
        use_totals=CountRow.with_shares([CountRow(kind, label, totals.get(kind, 0)) for kind, label in kinds]),
        use_by_month=by_month,
        item_views_by_period=CountRow.with_shares(by_period),
        top_items=CountRow.with_shares(
            [CountRow(ref, f"{ref} – {titles[ref]}" if ref in titles else ref, n) for ref, n in top_item_refs]
        ),
        top_exhibits=CountRow.with_shares([CountRow(ref, ref, n) for ref, n in _top(days, UsageKind.EXHIBIT_VIEW)]),
        top_searches=CountRow.with_shares([CountRow(ref, ref, n) for ref, n in _top(days, UsageKind.SEARCH)]),
        empty_searches=CountRow.with_shares([CountRow(ref, ref, n) for ref, n in _top(days, UsageKind.SEARCH_EMPTY)]),
        top_stops=CountRow.with_shares([CountRow(ref, ref, n) for ref, n in _top(days, UsageKind.TOUR_STOP)]),
    )
    figures.chart = month_chart(figures)
    return figures


CHART_WIDTH = 980
CHART_LABEL_WIDTH = 250
PANEL_HEIGHT = 46
PANEL_GAP = 14
CHART_TOP = 22


def month_chart(figures: CollectionFigures) -> MonthChart:
    """Each kind of use as a row of monthly columns, scaled to its own busiest month."""
    months = [label for label, _counts in figures.use_by_month]
    plot = CHART_WIDTH - CHART_LABEL_WIDTH - 10
    step = plot / max(1, len(months))
    bar_width = round(max(2.0, step * 0.7), 1)
    panels = []
    for index, (kind, label) in enumerate(figures.kinds):
        y = CHART_TOP + index * (PANEL_HEIGHT + PANEL_GAP)
        counts = [counts[index] for _label, counts in figures.use_by_month]
        peak = max(counts, default=0)
        bars = []
        for position, (month, count) in enumerate(zip(months, counts, strict=True)):
            height = round(PANEL_HEIGHT * count / peak, 1) if peak else 0.0
            bars.append(
                ChartBar(
                    x=round(CHART_LABEL_WIDTH + position * step + (step - bar_width) / 2, 1),
                    y=round(y + PANEL_HEIGHT - height, 1),
                    width=bar_width,
                    height=height,
                    label=month,
                    count=count,
                )
            )
        panels.append(ChartPanel(label=label, y=y, total=figures.use(kind), peak=peak, bars=bars))
    height = CHART_TOP + len(panels) * (PANEL_HEIGHT + PANEL_GAP) + 4
    labels = [(round(CHART_LABEL_WIDTH + (i + 0.5) * step, 1), month) for i, month in enumerate(months)]
    return MonthChart(CHART_WIDTH, height, CHART_LABEL_WIDTH, panels, labels)
