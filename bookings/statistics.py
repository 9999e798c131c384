"""Visit statistics for staff and leadership: held visits and visitors by month, occasion, organisation, venue."""

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from bookings.models import Booking, Occasion

VISITORS = Coalesce("actual_visitors", "group_size")


@dataclass
class Row:
    label: str
    visits: int
    visitors: int
    share: int = 0  # width of the bar, percent of the largest row's visitors


def _rows(pairs: list[tuple[str, int, int]]) -> list[Row]:
    rows = [Row(label, visits, visitors) for label, visits, visitors in pairs]
    top = max((row.visitors for row in rows), default=0)
    for row in rows:
        row.share = round(100 * row.visitors / top) if top else 0
    return rows


def visit_statistics(*, year: int, venue_id: int | None = None) -> dict:
    """Held (completed) visits of a year; visitors are the actual head count, else the announced size."""
    base = Booking.objects.held().filter(date__year=year)
    if venue_id:
        base = base.filter(venue_id=venue_id)
    totals = base.aggregate(visits=Count("pk"), visitors=Sum(VISITORS))

    by_month = {
        row["month"]: row
        for row in base.annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(visits=Count("pk"), people=Sum(VISITORS))
        .order_by()
    }
    months = [
        (f"{month:02d}/{year}", by_month.get(month, {}).get("visits", 0), by_month.get(month, {}).get("people", 0))
        for month in range(1, 13)
    ]

    occasion_labels = dict(Occasion.choices)
    occasions = sorted(
        (
            (str(occasion_labels.get(row["occasion"], row["occasion"])), row["visits"], row["people"])
            for row in base.values("occasion").annotate(visits=Count("pk"), people=Sum(VISITORS)).order_by()
        ),
        key=lambda item: (-item[2], item[0]),
    )
    organisations = sorted(
        (
            (row["organisation_label"], row["visits"], row["people"])
            for row in base.with_organisation_label()
            .values("organisation_label")
            .annotate(visits=Count("pk"), people=Sum(VISITORS))
            .order_by()
        ),
        key=lambda item: (-item[2], item[0]),
    )
    venues = sorted(
        (
            (row["venue__name"], row["visits"], row["people"])
            for row in base.values("venue__name").annotate(visits=Count("pk"), people=Sum(VISITORS)).order_by()
        ),
        key=lambda item: (-item[2], item[0]),
    )
    statuses = dict(
        Booking.objects.filter(date__year=year, **({"venue_id": venue_id} if venue_id else {}))
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "year": year,
        "visits": totals["visits"] or 0,
        "visitors": totals["visitors"] or 0,
        "by_month": _rows(months),
        "by_occasion": _rows(occasions),
        "by_organisation": _rows(organisations),
        "by_venue": _rows(venues),
        "by_status": [(label, statuses.get(value, 0)) for value, label in Booking.Status.choices],
    }
