"""Reads that the booker's page, staff's printouts and the day's guide sheet share: a visit's programme."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse

from archive.models import Item
from bookings.models import Booking, Occasion, OpeningHours, VenueSchedule, VisitStep


@dataclass
class UsedItem:
    title: str
    inventory_number: str
    url: str = ""


@dataclass
class ProgrammeRow:
    """One step of a visit with its clock times and what it uses."""

    step: VisitStep
    starts: datetime.time
    ends: datetime.time
    items: list[UsedItem] = field(default_factory=list)
    exhibit_url: str = ""


def _item_url(item: Item) -> str:
    try:
        return reverse("exhibits:item_detail", args=[item.inventory_number])
    except NoReverseMatch:
        return ""


def programme_rows(booking: Booking, *, public_only: bool) -> list[ProgrammeRow]:
    """The visit's steps in order. `public_only`: items that are not public are left out (the booker's
    page); staff's printouts list them all, linked only when public."""
    public_ids = None
    steps = booking.steps.prefetch_related(Prefetch("items", queryset=Item.objects.order_by("inventory_number")))
    steps = list(steps)
    all_items = {item.pk for step in steps for item in step.items.all()}
    if all_items:
        public_ids = set(Item.objects.public().filter(pk__in=all_items).values_list("pk", flat=True))
    rows = []
    for step in steps:
        starts, ends = booking.step_clock(step)
        items = []
        for item in step.items.all():
            is_public = public_ids is not None and item.pk in public_ids
            if public_only and not is_public:
                continue
            items.append(UsedItem(item.title, item.inventory_number, _item_url(item) if is_public else ""))
        rows.append(ProgrammeRow(step, starts, ends, items, step.exhibit_path()))
    return rows


def printable_programme(booking: Booking) -> dict:
    """What staff's printouts show: the rows, and for an admission ceremony the new members."""
    is_admission = booking.occasion == Occasion.ADMISSION
    return {
        "booking": booking,
        "rows": programme_rows(booking, public_only=False),
        "is_admission": is_admission,
        "new_members": list(booking.new_members.all()) if is_admission else [],
    }


@dataclass
class SheetVisit:
    booking: Booking
    rows: list[ProgrammeRow]
    new_member_count: int


def day_sheet(day: datetime.date) -> list[SheetVisit]:
    """Every visit of a day (pending, confirmed and held, every venue) with its programme, in time order."""
    bookings = (
        Booking.objects.filter(
            date=day, status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED, Booking.Status.COMPLETED]
        )
        .select_related("venue", "organisation", "programme", "guide")
        .order_by("start_time", "venue__ordering", "venue__name")
    )
    return [
        SheetVisit(booking, programme_rows(booking, public_only=False), booking.new_members.count())
        for booking in bookings
    ]


@dataclass
class OpeningRow:
    """Days of the week with the same opening hours: "Thứ Hai – Thứ Sáu", "08:00–11:30, 13:30–17:00"."""

    days: str
    hours: str


def opening_hours(venue) -> list[OpeningRow]:
    """A venue's opening hours for visitors, Monday first; a venue without a schedule has none."""
    hours_by_day: dict[int, list[str]] = {}
    for hours in OpeningHours.objects.filter(schedule__venue=venue).order_by("weekday", "opens"):
        hours_by_day.setdefault(hours.weekday, []).append(f"{hours.opens:%H:%M}–{hours.closes:%H:%M}")
    names = dict(OpeningHours.Weekday.choices)
    rows: list[tuple[int, int, str]] = []
    for day in sorted(hours_by_day):
        text = ", ".join(hours_by_day[day])
        if rows and rows[-1][1] == day - 1 and rows[-1][2] == text:
            rows[-1] = (rows[-1][0], day, text)
        else:
            rows.append((day, day, text))
    return [
        OpeningRow(days=str(names[first]) if first == last else f"{names[first]} – {names[last]}", hours=text)
        for first, last, text in rows
    ]


def closes_on_public_holidays(venue) -> bool:
    return VenueSchedule.objects.filter(venue=venue, close_on_public_holidays=True).exists()
