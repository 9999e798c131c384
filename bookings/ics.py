"""iCalendar (.ics) files of visits: one booking for the booker, a venue's confirmed visits for staff."""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from archive.institution import current as current_institution
from bookings.models import Booking

ICS_STATUS = {
    Booking.Status.PENDING: "TENTATIVE",
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.COMPLETED: "CONFIRMED",
}


def _site_host() -> str:
    return urlsplit(getattr(settings, "SITE_URL", "http://localhost")).hostname or "localhost"


# What a file sent to the booker asks of their calendar (RFC 5546): REQUEST adds or replaces the
# visit, CANCEL removes it; PUBLISH (downloads and the staff feed) only shows it.
PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"


def method_for(booking: Booking) -> str:
    """The iTIP method of a file sent to the booker in the booking's present state."""
    return REQUEST if booking.status in Booking.HOLDING_STATUSES else CANCEL


def _mailto(address: str, name: str) -> vCalAddress:
    person = vCalAddress(f"mailto:{address}")
    person.params["cn"] = name
    return person


def _event(booking: Booking, *, manage_url: str = "", for_staff: bool = False, method: str = PUBLISH) -> Event:
    event = Event()
    event.add("uid", f"{booking.reference}@{_site_host()}")
    event.add("sequence", booking.calendar_sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    if method != PUBLISH:
        # An iTIP request or cancellation names its organizer and attendee (RFC 5546 §3.2.2, §3.2.5).
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        event.add("organizer", _mailto(address, name or address))
        attendee = _mailto(booking.email, booking.contact_name)
        attendee.params["rsvp"] = "FALSE"
        event.add("attendee", attendee)
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
    event.add("status", "CANCELLED" if method == CANCEL else ICS_STATUS.get(booking.status, "CANCELLED"))
    if manage_url:
        event.add("url", manage_url)
    return event


def _calendar(name: str, method: str = PUBLISH) -> Calendar:
    cal = Calendar()
    # The producer is the institution (its record's name, archive.institution), then the product.
    cal.add("prodid", f"-//{current_institution().name}//Phòng Truyền thống//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def booking_ics(booking: Booking, *, manage_url: str = "", method: str = PUBLISH) -> bytes:
    """The booker's .ics for one visit: PUBLISH to download, `method_for(booking)` to send by email."""
    cal = _calendar(_("Tham quan %(venue)s") % {"venue": booking.venue.name}, method)
    cal.add_component(_event(booking, manage_url=manage_url, method=method))
    return cal.to_ical()


def venue_feed_ics(venue, bookings: Iterable[Booking]) -> bytes:
    """Staff's feed: the confirmed visits of one venue."""
    cal = _calendar(_("Lịch tham quan – %(venue)s") % {"venue": venue.name})
    for booking in bookings:
        cal.add_component(_event(booking, for_staff=True))
    return cal.to_ical()
