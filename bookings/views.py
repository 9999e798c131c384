"""Public booking pages: the form with its month calendar, the confirmation, the booker's secret link, feeds."""

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
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from archive.institution import current as current_institution
from basics.throttle import submission_allowed, submissions_exhausted, window_minutes_left
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


def _day_from(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _group_from(value: str | None) -> int | None:
    try:
        size = int(value or "")
    except ValueError:
        return None
    return size if size >= 1 else None


def _shift_month(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _calendar_context(
    schedule: VenueSchedule,
    first: datetime.date,
    today: datetime.date,
    *,
    group_size: int | None,
    day: datetime.date | None,
    selected: str,
) -> dict:
    """The month's days marked by whether a slot has room for the group, and the chosen day's slots.

    The chosen day is the one asked for, else the selected slot's, else the month's first day with
    room; only its slots are listed, those without room for the group shown with their places left.
    """
    earliest, latest = schedule.earliest_date(today), schedule.latest_date(today)
    first = min(max(first, earliest.replace(day=1)), latest.replace(day=1))
    previous_month, next_month = _shift_month(first, -1), _shift_month(first, 1)
    size = group_size or 1
    too_large = size > schedule.max_group_size

    def fits(slot) -> bool:
        return not too_large and slot.remaining >= size

    weeks = month_calendar(schedule, first.year, first.month, today=today)
    days = [info for week in weeks for info in week if info]
    selected_day = _day_from(selected[:10])
    chosen = next((info for info in days if info.date == day and info.slots), None)
    chosen = chosen or next((info for info in days if info.date == selected_day and info.slots), None)
    chosen = chosen or next((info for info in days if any(fits(slot) for slot in info.slots)), None)
    cells = [
        [
            {"info": info, "fits": sum(fits(slot) for slot in info.slots), "chosen": info is chosen} if info else None
            for info in week
        ]
        for week in weeks
    ]
    day_slots = [{"slot": slot, "fits": fits(slot)} for slot in chosen.slots] if chosen else []
    shown = {item["slot"].value for item in day_slots if item["fits"]}
    kept = ""
    if selected and selected not in shown:
        try:
            kept = f"{datetime.datetime.strptime(selected, '%Y-%m-%dT%H:%M'):%H:%M %d/%m/%Y}"
        except ValueError:
            kept = ""
    return {
        "schedule": schedule,
        "month": first,
        "weeks": cells,
        "weekday_headers": WEEKDAY_HEADERS,
        "previous_month": previous_month if previous_month >= earliest.replace(day=1) else None,
        "next_month": next_month if next_month <= latest else None,
        "earliest": earliest,
        "latest": latest,
        "group_size": group_size,
        "group_too_large": too_large,
        "chosen_day": chosen,
        "chosen_weekday": WEEKDAY_HEADERS[chosen.date.weekday()][1] if chosen else "",
        "day_slots": day_slots,
        "selected_slot": selected,
        "kept_slot": selected if kept else "",
        "kept_slot_label": kept,
    }


def _typed_values(form_class, request, **kwargs) -> dict:
    """What the visitor has typed into the form's fields, as initial values (no validation, no errors)."""
    blank = form_class(**kwargs)
    return {
        name: field.widget.value_from_datadict(request.POST, request.FILES, blank.add_prefix(name))
        for name, field in blank.fields.items()
        if name != "website"
    }


# The summary names a field by its label, except where the label is a sentence.
SUMMARY_LABELS = {"consent": gettext_lazy("Đồng ý xử lý dữ liệu cá nhân")}


def _error_summary(form) -> list[dict]:
    """Each error of the form in the page's order, with a link to its field (the calendar for the slot)."""
    rows = [{"href": "", "label": "", "message": message} for message in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors or name == "website":
            continue
        bound = form[name]
        href = "#lich" if name == "slot" else "#" + (bound.id_for_label or f"{bound.auto_id}_0")
        label = SUMMARY_LABELS.get(name, bound.label)
        rows += [{"href": href, "label": label, "message": message} for message in bound.errors]
    if "website" in form.errors:
        rows += [{"href": "", "label": "", "message": message} for message in form["website"].errors]
    return rows


def _refusal(kind: str) -> str:
    """Why this address may not send now, when to try again and whom to call instead."""
    record = current_institution()
    window = settings.BOOKING_RATE_WINDOW_SECONDS
    minutes = window_minutes_left(window)
    if kind == "accepted":
        reason = _("Đã nhận đủ %(limit)s đăng ký từ địa chỉ mạng này trong khoảng thời gian cho phép.") % {
            "limit": settings.BOOKING_RATE_ACCEPTED
        }
    else:
        reason = _("Biểu mẫu đã được gửi với lỗi quá nhiều lần từ địa chỉ mạng này.")
    values = {"minutes": minutes, "board": record.shown_board_short, "phone": record.phone}
    if record.phone:
        advice = ngettext(
            "Xin thử lại sau %(minutes)s phút hoặc gọi điện cho %(board)s theo số %(phone)s.",
            "Xin thử lại sau %(minutes)s phút hoặc gọi điện cho %(board)s theo số %(phone)s.",
            minutes,
        )
    else:
        advice = ngettext(
            "Xin thử lại sau %(minutes)s phút hoặc liên hệ %(board)s.",
            "Xin thử lại sau %(minutes)s phút hoặc liên hệ %(board)s.",
            minutes,
        )
    return f"{reason} {advice % values}"


def _refused_allowed(request) -> bool:
    """Count one attempt refused for its errors; False once the window's refused attempts are used up."""
    return submission_allowed(
        request,
        scope="bookings-refused",
        limit=settings.BOOKING_RATE_REFUSED,
        window=settings.BOOKING_RATE_WINDOW_SECONDS,
    )


def _refused_exhausted(request) -> bool:
    return submissions_exhausted(
        request,
        scope="bookings-refused",
        limit=settings.BOOKING_RATE_REFUSED,
        window=settings.BOOKING_RATE_WINDOW_SECONDS,
    )


def _accepted_allowed(request) -> bool:
    """Count one valid request; False once the window's accepted requests are used up.

    The place is taken before the service books, so that concurrent requests cannot pass the limit
    together; a request the service then refuses (the slot filled meanwhile) keeps its place.
    """
    return submission_allowed(
        request,
        scope="bookings-accepted",
        limit=settings.BOOKING_RATE_ACCEPTED,
        window=settings.BOOKING_RATE_WINDOW_SECONDS,
    )


@require_http_methods(["GET", "POST"])
def book(request):
    """The booking form: the venue and the group size, then a day and a slot with room, then the details.

    The month, day and venue change through the form's own buttons (``navigate``), which show the
    page again with what was typed, unchecked and uncounted, so nothing typed is lost and no
    personal detail goes into an address; a GET takes the venue, group size, month and day.
    """
    today = timezone.localdate()
    venues = list(bookable_venues())
    if not venues:
        return render(request, "bookings/unavailable.html", status=503)
    source = request.POST if request.method == "POST" else request.GET
    venue = next((v for v in venues if v.code == source.get("venue")), venues[0])
    navigate = request.POST.get("navigate", "") if request.method == "POST" else ""
    month_param = source.get("month", "")
    day = _day_from(request.GET.get("day"))
    refusal = ""
    status = 200
    selected = request.POST.get("slot", "") if request.method == "POST" else ""
    wait_url = ""
    summary: list[dict] = []
    if request.method == "GET":
        form = BookingForm(initial={"venue": venue.code, "group_size": source.get("group_size", "")}, today=today)
    elif navigate:
        form = BookingForm(initial=_typed_values(BookingForm, request, today=today), today=today)
        action, _sep, value = navigate.partition(":")
        if action == "month":
            month_param = value
        elif action == "day":
            day = _day_from(value)
            month_param = value[:7]
        else:  # another venue or group size: the slot chosen before may not fit it
            selected = ""
    else:
        form = BookingForm(request.POST, today=today)
        month_param = selected[:7] or month_param
        if _refused_exhausted(request):
            refusal, status = _refusal("refused"), 429
        elif not form.is_valid():
            status = 400
            if not _refused_allowed(request):
                refusal, status = _refusal("refused"), 429
        elif not _accepted_allowed(request):
            refusal, status = _refusal("accepted"), 429
        else:
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
                _refused_allowed(request)
            else:
                return redirect("bookings:done", token=booking.manage_token())
        if form.errors:
            summary = _error_summary(form)
    schedule = VenueSchedule.objects.select_related("venue").prefetch_related("opening_hours").get(venue=venue)
    month = _month_from(month_param, schedule.earliest_date(today))
    context = {
        "form": form,
        "refusal": refusal,
        "wait_url": wait_url,
        "error_summary": summary,
        "venues": venues,
        "venue": venue,
        **_calendar_context(
            schedule,
            month,
            today,
            group_size=_group_from(source.get("group_size")),
            day=day,
            selected=selected,
        ),
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
        if _refused_exhausted(request):
            refusal, status = _refusal("refused"), 429
        elif not form.is_valid():
            status = 400
            if not _refused_allowed(request):
                refusal, status = _refusal("refused"), 429
        elif not _accepted_allowed(request):
            refusal, status = _refusal("accepted"), 429
        else:
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
                _refused_allowed(request)
            else:
                return render(request, "bookings/wait_done.html", {"entry": entry})
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
