"""iCalendar (.ics) files of visits: one booking for the booker, a venue's confirmed visits for staff."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from bookings.models import Booking

PRODID = "-//Dang bo Khoi cac co quan Trung uong//Phong Truyen thong//VI"
ICS_STATUS = {
    Booking.Status.PENDING: "TENTATIVE",
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.COMPLETED: "CONFIRMED",
}


def _site_host() -> str:
    return urlsplit(getattr(settings, "SITE_URL", "http://localhost")).hostname or "localhost"


def _event(booking: Booking, *, manage_url: str = "", for_staff: bool = False) -> Event:
    event = Event()
    event.add("uid", f"{booking.reference}@{_site_host()}")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", booking.starts_at.astimezone(datetime.UTC))
    event.add("dtend", booking.ends_at.astimezone(datetime.UTC))
    if for_staff:
        summary = _("%(org)s – %(size)s người (%(ref)s)") % {
            "org": booking.organisation_display,
            "size": booking.group_size,
            "ref": booking.reference,
        }
    else:
        summary = _("Tham quan %(venue)s (%(ref)s)") % {"venue": booking.venue.name, "ref": booking.reference}
    event.add("summary", summary)
    location = booking.venue.name + (f", {booking.venue.address}" if booking.venue.address else "")
    event.add("location", location)
    lines = [
        _("Mã đăng ký: %(ref)s") % {"ref": booking.reference},
        _("Đơn vị: %(org)s") % {"org": booking.organisation_display},
        _("Dịp: %(occasion)s") % {"occasion": booking.get_occasion_display()},
        _("Số người: %(size)s") % {"size": booking.group_size},
        _("Người liên hệ: %(name)s (%(position)s), %(phone)s")
        % {"name": booking.contact_name, "position": booking.contact_position, "phone": booking.phone},
    ]
    if booking.programme_id:
        lines.append(_("Chương trình: %(programme)s") % {"programme": booking.programme.name})
    if booking.services:
        lines.append(_("Dịch vụ: %(services)s") % {"services": ", ".join(booking.service_labels())})
    if manage_url:
        lines.append(_("Xem, hủy hoặc đổi ngày: %(url)s") % {"url": manage_url})
    event.add("description", "\n".join(lines))
    event.add("status", ICS_STATUS.get(booking.status, "CANCELLED"))
    if manage_url:
        event.add("url", manage_url)
    return event


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def booking_ics(booking: Booking, *, manage_url: str = "") -> bytes:
    """The booker's .ics for one visit."""
    cal = _calendar(_("Tham quan %(venue)s") % {"venue": booking.venue.name})
    cal.add_component(_event(booking, manage_url=manage_url))
    return cal.to_ical()


def venue_feed_ics(venue, bookings: Iterable[Booking]) -> bytes:
    """Staff's feed: the confirmed visits of one venue."""
    cal = _calendar(_("Lịch tham quan – %(venue)s") % {"venue": venue.name})
    for booking in bookings:
        cal.add_component(_event(booking, for_staff=True))
    return cal.to_ical()
