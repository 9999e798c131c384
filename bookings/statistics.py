"""Visit statistics for staff and leadership: held visits and visitors by month, occasion, organisation, venue."""

import datetime
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
    # The same row of the previous year (``compare_with_previous_year``), None until compared.
    previous_visits: int | None = None
    previous_visitors: int | None = None

    @property
    def visitor_change(self) -> int | None:
        return None if self.previous_visitors is None else self.visitors - self.previous_visitors

    @property
    def visitor_change_percent(self) -> str:
        """The change of visitors on the previous year, "+12%", "−5%"; "" where there was none to compare."""
        return change_percent(self.visitors, self.previous_visitors)


def change_percent(now: int, before: int | None) -> str:
    if not before:
        return ""
    percent = round(100 * (now - before) / before)
    return f"+{percent}%" if percent > 0 else (f"−{-percent}%" if percent < 0 else "0%")


def _rows(pairs: list[tuple[str, int, int]]) -> list[Row]:
    rows = [Row(label, visits, visitors) for label, visits, visitors in pairs]
    top = max((row.visitors for row in rows), default=0)
    for row in rows:
        row.share = round(100 * row.visitors / top) if top else 0
    return rows


@dataclass
class HeldVisits:
    """The visits held in a range of days: groups, people, and both by occasion and by programme."""

    visits: int
    visitors: int
    by_occasion: list[Row]
    by_programme: list[Row]


def _held(start: datetime.date, end: datetime.date, venue_id: int | None = None):
    base = Booking.objects.held().filter(date__gte=start, date__lte=end)
    return base.filter(venue_id=venue_id) if venue_id else base


def held_visits(*, start: datetime.date, end: datetime.date, venue_id: int | None = None) -> HeldVisits:
    """Held (completed) visits from ``start`` to ``end``; the statistics page and the report to the
    Standing Committee both count them here."""
    base = _held(start, end, venue_id)
    totals = base.aggregate(visits=Count("pk"), visitors=Sum(VISITORS))
    occasion_labels = dict(Occasion.choices)
    occasions = sorted(
        (
            (str(occasion_labels.get(row["occasion"], row["occasion"])), row["visits"], row["people"])
            for row in base.values("occasion").annotate(visits=Count("pk"), people=Sum(VISITORS)).order_by()
        ),
        key=lambda item: (-item[2], item[0]),
    )
    programmes = sorted(
        (
            (row["programme__name"], row["visits"], row["people"])
            for row in base.filter(programme__isnull=False)
            .values("programme__name")
            .annotate(visits=Count("pk"), people=Sum(VISITORS))
            .order_by()
        ),
        key=lambda item: (-item[1], item[0]),
    )
    return HeldVisits(
        visits=totals["visits"] or 0,
        visitors=totals["visitors"] or 0,
        by_occasion=_rows(occasions),
        by_programme=_rows(programmes),
    )


def visit_statistics(*, year: int, venue_id: int | None = None) -> dict:
    """Held (completed) visits of a year; visitors are the actual head count, else the announced size."""
    held = held_visits(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), venue_id=venue_id)
    base = _held(datetime.date(year, 1, 1), datetime.date(year, 12, 31), venue_id)

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
        "visits": held.visits,
        "visitors": held.visitors,
        "by_month": _rows(months),
        "by_occasion": held.by_occasion,
        "by_programme": held.by_programme,
        "by_organisation": _rows(organisations),
        "by_venue": _rows(venues),
        "by_status": [(label, statuses.get(value, 0)) for value, label in Booking.Status.choices],
    }


def _beside(rows: list[Row], previous: list[Row], *, by_position: bool = False) -> list[Row]:
    """``rows`` with the previous year's figures of the same row (same label, or the same month);
    a row the previous year had and this one has not is added with zeros."""
    if by_position:
        for row, before in zip(rows, previous, strict=True):
            row.previous_visits, row.previous_visitors = before.visits, before.visitors
        return rows
    before = {row.label: row for row in previous}
    for row in rows:
        old = before.pop(row.label, None)
        row.previous_visits, row.previous_visitors = (old.visits, old.visitors) if old else (0, 0)
    rows += [Row(old.label, 0, 0, 0, old.visits, old.visitors) for old in before.values()]
    return rows


def compare_with_previous_year(*, year: int, venue_id: int | None = None) -> dict:
    """``visit_statistics`` of ``year`` with the previous year's figures beside every total and row,
    for the leadership's comparison (14 queries: the two years' seven each)."""
    stats = visit_statistics(year=year, venue_id=venue_id)
    previous = visit_statistics(year=year - 1, venue_id=venue_id)
    stats["previous_year"] = year - 1
    stats["previous_visits"], stats["previous_visitors"] = previous["visits"], previous["visitors"]
    stats["visits_change"] = change_percent(stats["visits"], previous["visits"])
    stats["visitors_change"] = change_percent(stats["visitors"], previous["visitors"])
    stats["by_month"] = _beside(stats["by_month"], previous["by_month"], by_position=True)
    for key in ("by_occasion", "by_programme", "by_organisation", "by_venue"):
        stats[key] = _beside(stats[key], previous[key])
    return stats
