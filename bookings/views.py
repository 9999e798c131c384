"""Public booking pages: the form with its month calendar, the confirmation, the booker's secret link, feeds."""

import calendar
import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from basics.throttle import submission_allowed
from bookings import services
from bookings.availability import SLOT_FULL_CODE, month_calendar
from bookings.forms import BookingForm, CancelForm, NewDateForm, WaitingForm, bookable_venues
from bookings.ics import booking_ics, venue_feed_ics
from bookings.models import Booking, OpeningHours, VenueSchedule, WaitingEntry
from bookings.notifications import manage_url
from bookings.selectors import programme_rows

WEEKDAY_HEADERS = [
    (pgettext_lazy("weekday abbreviation", "T2"), OpeningHours.Weekday.MONDAY.label),
    (pgettext_lazy("weekday abbreviation", "T3"), OpeningHours.Weekday.TUESDAY.label),
    (pgettext_lazy("weekday abbreviation", "T4"), OpeningHours.Weekday.WEDNESDAY.label),
    (pgettext_lazy("weekday abbreviation", "T5"), OpeningHours.Weekday.THURSDAY.label),
    (pgettext_lazy("weekday abbreviation", "T6"), OpeningHours.Weekday.FRIDAY.label),
    (pgettext_lazy("weekday abbreviation", "T7"), OpeningHours.Weekday.SATURDAY.label),
    (pgettext_lazy("weekday abbreviation", "CN"), OpeningHours.Weekday.SUNDAY.label),
]


def _month_from(value: str | None, default: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return default.replace(day=1)


def _shift_month(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _calendar_context(schedule: VenueSchedule, first: datetime.date, today: datetime.date, selected: str) -> dict:
    earliest, latest = schedule.earliest_date(today), schedule.latest_date(today)
    first = min(max(first, earliest.replace(day=1)), latest.replace(day=1))
    previous_month, next_month = _shift_month(first, -1), _shift_month(first, 1)
    month_end = first.replace(day=calendar.monthrange(first.year, first.month)[1])

    def month_link(month: datetime.date) -> str:
        return "?" + urlencode({"venue": schedule.venue.code, "month": f"{month:%Y-%m}"}) + "#lich"

    return {
        "schedule": schedule,
        "month": first,
        "weeks": month_calendar(schedule, first.year, first.month, today=today),
        "weekday_headers": WEEKDAY_HEADERS,
        "previous_url": month_link(previous_month) if previous_month >= earliest.replace(day=1) else "",
        "next_url": month_link(next_month) if next_month <= latest else "",
        "earliest": earliest,
        "latest": latest,
        "selected_slot": selected,
        "month_has_free": month_end >= earliest,
    }


@require_http_methods(["GET", "POST"])
def book(request):
    """The booking form: choose a venue and a free slot on the month calendar, then the details."""
    today = timezone.localdate()
    venues = list(bookable_venues())
    if not venues:
        return render(request, "bookings/unavailable.html", status=503)
    venue = next((v for v in venues if v.code == request.GET.get("venue")), venues[0])
    month_param = request.GET.get("month", "")
    refusal = ""
    status = 200
    selected = ""
    wait_url = ""
    if request.method == "POST":
        form = BookingForm(request.POST, today=today)
        selected = request.POST.get("slot", "")
        month_param = selected[:7]
        if not submission_allowed(
            request, scope="bookings", limit=settings.BOOKING_RATE_LIMIT, window=settings.BOOKING_RATE_WINDOW_SECONDS
        ):
            refusal = _(
                "Địa chỉ mạng này đã gửi quá nhiều đăng ký trong một giờ. Xin thử lại sau hoặc gọi"
                " điện cho Ban Tuyên giáo."
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.booking_request(
                    venue=data["venue"],
                    date=form.slot_date,
                    start_time=form.slot_start,
                    group_size=data["group_size"],
                    occasion=data["occasion"],
                    organisation=data["organisation"],
                    organisation_name=data["organisation_name"],
                    contact_name=data["contact_name"],
                    contact_position=data["contact_position"],
                    phone=data["phone"],
                    email=data["email"],
                    programme=data["programme"],
                    services=data["services"],
                    notes=data["notes"],
                    consent=data["consent"],
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                )
            except ValidationError as error:
                full = getattr(error, "code", None) == SLOT_FULL_CODE
                form.add_error("slot" if full else None, error)
                status = 409 if full else 400
                if full:
                    wait_url = _wait_url(data["venue"], selected, data["group_size"])
            else:
                return redirect("bookings:done", token=booking.manage_token())
        else:
            status = 400
        venue = next((v for v in venues if v.code == request.POST.get("venue")), venue)
    else:
        form = BookingForm(initial={"venue": venue.code}, today=today)
    schedule = VenueSchedule.objects.select_related("venue").prefetch_related("opening_hours").get(venue=venue)
    month = _month_from(month_param, schedule.earliest_date(today))
    context = {
        "form": form,
        "refusal": refusal,
        "wait_url": wait_url,
        "venues": venues,
        "venue": venue,
        **_calendar_context(schedule, month, today, selected),
    }
    return render(request, "bookings/book.html", context, status=status)


def _wait_url(venue, slot: str, group_size: int | str = "") -> str:
    query = {"venue": venue.code, "slot": slot}
    if group_size:
        query["group_size"] = group_size
    return reverse("bookings:wait") + "?" + urlencode(query)


def _booking_or_404(token: str) -> Booking:
    booking = Booking.from_manage_token(token)
    if booking is None:
        raise Http404(_("Đường dẫn không đúng hoặc đã bị thay đổi."))
    return booking


@require_GET
def done(request, token: str):
    """The confirmation page right after a request."""
    booking = _booking_or_404(token)
    return render(request, "bookings/done.html", {"booking": booking, "token": token})


@require_GET
def manage(request, token: str):
    """The booker's page on the secret link: status and what can still be done."""
    booking = _booking_or_404(token)
    context = {
        "booking": booking,
        "token": token,
        # The running order as the visit will go; the new members' names are never on this page.
        "rows": programme_rows(booking, public_only=True),
        "new_member_count": booking.new_members.count(),
    }
    return render(request, "bookings/manage.html", context)


@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    """Cancel through the secret link: a confirmation page, then a POST."""
    booking = _booking_or_404(token)
    if not booking.can_cancel():
        messages.error(request, _("Đăng ký này không thể hủy nữa."))
        return redirect("bookings:manage", token=token)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.booking_cancel(booking=booking, by_booker=True, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã hủy đăng ký %(ref)s. Xin cảm ơn đã báo.") % {"ref": booking.reference})
        return redirect("bookings:manage", token=token)
    return render(request, "bookings/cancel.html", {"booking": booking, "token": token, "form": form})


@require_http_methods(["GET", "POST"])
def new_date(request, token: str):
    """Ask staff for another date; they arrange it and reply."""
    booking = _booking_or_404(token)
    if not booking.holds_places:
        messages.error(request, _("Đăng ký này đã kết thúc, không thể đề nghị đổi ngày."))
        return redirect("bookings:manage", token=token)
    form = NewDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_request_new_date(booking=booking, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã gửi đề nghị đổi ngày. Ban Tuyên giáo sẽ liên hệ lại."))
            return redirect("bookings:manage", token=token)
    return render(request, "bookings/new_date.html", {"booking": booking, "token": token, "form": form})


@require_GET
def booking_calendar_file(request, token: str):
    """The visit as an .ics file."""
    booking = _booking_or_404(token)
    response = HttpResponse(
        booking_ics(booking, manage_url=manage_url(booking)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return response


@require_GET
def venue_feed(request, code: str):
    """Staff's ICS feed of a venue's confirmed visits, protected by the venue's feed token."""
    schedule = get_object_or_404(VenueSchedule.objects.select_related("venue"), venue__code=code)
    if not constant_time_compare(request.GET.get("token", ""), schedule.feed_token):
        raise Http404(_("Mã bảo vệ lịch không đúng."))
    since = timezone.localdate() - datetime.timedelta(days=60)
    bookings = (
        Booking.objects.filter(
            venue=schedule.venue, status__in=[Booking.Status.CONFIRMED, Booking.Status.COMPLETED], date__gte=since
        )
        .select_related("venue", "organisation", "programme")
        .order_by("date", "start_time")
    )
    response = HttpResponse(venue_feed_ics(schedule.venue, bookings), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def feed_url(schedule: VenueSchedule) -> str:
    return reverse("bookings:venue_feed", args=[schedule.venue.code]) + "?" + urlencode({"token": schedule.feed_token})


@require_http_methods(["GET", "POST"])
def wait(request):
    """Wait for a full slot: who the committee is and how many come; offered the places by email."""
    today = timezone.localdate()
    venues = list(bookable_venues())
    source = request.POST if request.method == "POST" else request.GET
    venue = next((v for v in venues if v.code == source.get("venue")), None)
    form = WaitingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "venue": venue.code if venue else "",
            "slot": source.get("slot", ""),
            "group_size": source.get("group_size", ""),
        },
        today=today,
    )
    status = 200
    refusal = ""
    if request.method == "POST":
        if not submission_allowed(
            request, scope="bookings", limit=settings.BOOKING_RATE_LIMIT, window=settings.BOOKING_RATE_WINDOW_SECONDS
        ):
            refusal = _(
                "Địa chỉ mạng này đã gửi quá nhiều đăng ký trong một giờ. Xin thử lại sau hoặc gọi"
                " điện cho Ban Tuyên giáo."
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.waiting_entry_join(
                    venue=data["venue"],
                    date=form.slot_date,
                    start_time=form.slot_start,
                    group_size=data["group_size"],
                    occasion=data["occasion"],
                    organisation=data["organisation"],
                    organisation_name=data["organisation_name"],
                    contact_name=data["contact_name"],
                    contact_position=data["contact_position"],
                    phone=data["phone"],
                    email=data["email"],
                    consent=data["consent"],
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
                status = 400
            else:
                return render(request, "bookings/wait_done.html", {"entry": entry})
        else:
            status = 400
    slot_label = ""
    if form.is_bound and form.slot_date:
        slot_label = f"{form.slot_start:%H:%M} {form.slot_date:%d/%m/%Y}"
    else:
        try:
            parsed = datetime.datetime.strptime(source.get("slot", ""), "%Y-%m-%dT%H:%M")
            slot_label = f"{parsed:%H:%M %d/%m/%Y}"
        except ValueError:
            slot_label = ""
    context = {"form": form, "venue": venue, "slot_label": slot_label, "refusal": refusal}
    return render(request, "bookings/wait.html", context, status=status)


@require_http_methods(["GET", "POST"])
def claim(request, token: str):
    """The offer's link: the held places and a button that turns them into a booking request."""
    entry = WaitingEntry.from_claim_token(token)
    if entry is None:
        return render(request, "bookings/claim_invalid.html", status=404)
    now = timezone.now()
    refusal = services.claim_refusal(entry, now)
    if request.method == "POST" and refusal is None:
        try:
            booking = services.waiting_entry_claim(entry=entry, now=now)
        except ValidationError as error:
            refusal = error
        else:
            return redirect("bookings:done", token=booking.manage_token())
    context = {
        "entry": entry,
        "token": token,
        "refusal": " ".join(refusal.messages) if refusal is not None else "",
        "book_url": reverse("bookings:book") + "?" + urlencode({"venue": entry.venue.code}),
    }
    return render(request, "bookings/claim.html", context, status=200 if refusal is None else 409)
