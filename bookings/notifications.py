"""Emails about bookings, to the booker and to staff; the booker's carry the visit as an .ics file."""

import functools
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.institution import current as current_institution
from bookings.ics import booking_ics, method_for
from bookings.models import Booking, WaitingEntry

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _board() -> str:
    """The Board that manages the Room, as the institution's record names it (archive.institution)."""
    return current_institution().shown_board_short


def manage_url(booking: Booking) -> str:
    return absolute_url(reverse("bookings:manage", args=[booking.manage_token()]))


def staff_addresses(booking: Booking) -> list[str]:
    addresses = list(getattr(settings, "STAFF_NOTIFICATION_EMAILS", []) or [])
    if not addresses and booking.venue.email:
        addresses = [booking.venue.email]
    return addresses


def _to_booker(function):
    """Emails to a booker go in the language of the form they used."""

    @functools.wraps(function)
    def wrapper(booking: Booking) -> None:
        with translation.override(booking.language or settings.LANGUAGE_CODE):
            function(booking)

    return wrapper


def _to_staff(function):
    """Emails to staff go in the site's first language."""

    @functools.wraps(function)
    def wrapper(booking: Booking) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            function(booking)

    return wrapper


def _send(*, to: list[str], subject: str, intro: str, booking: Booking, with_ics: bool, for_staff: bool) -> None:
    # A booking taken by telephone may have no address: its booker is then told by telephone.
    to = [address for address in to if address]
    if not to:
        return
    link = manage_url(booking)
    body = render_to_string(
        "bookings/email/booking.txt",
        {
            "intro": intro,
            "booking": booking,
            "institution": current_institution(),
            "manage_url": "" if for_staff else link,
            "admin_url": absolute_url(reverse("admin:bookings_booking_change", args=[booking.pk])) if for_staff else "",
        },
    )
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    if with_ics:
        method = method_for(booking)
        message.attach(
            f"{booking.reference}.ics",
            booking_ics(booking, manage_url=link, method=method),
            f"text/calendar; charset=utf-8; method={method}",
        )
    try:
        message.send()
    except Exception:  # a mail server hiccup must not undo a stored booking
        logger.exception("Could not send booking email %r for %s", subject, booking.reference)


def _subject(text: str, booking: Booking) -> str:
    return f"[{booking.reference}] {text}"


@_to_booker
def notify_received(booking: Booking) -> None:
    """To the booker: the request is received, with the details, the .ics and the secret link."""
    _send(
        to=[booking.email],
        subject=_subject(_("Đã nhận đăng ký tham quan"), booking),
        intro=_(
            "%(board)s đã nhận đăng ký tham quan của đơn vị. Chúng tôi sẽ báo khi đăng ký được xác"
            " nhận. Tệp lịch (.ics) đính kèm giúp ghi buổi tham quan vào lịch."
        )
        % {"board": _board()},
        booking=booking,
        with_ics=True,
        for_staff=False,
    )


@_to_staff
def notify_staff_new(booking: Booking) -> None:
    """To staff: a new request waits for a decision."""
    _send(
        to=staff_addresses(booking),
        subject=_subject(_("Đăng ký tham quan mới cần xử lý"), booking),
        intro=_("Có một đăng ký tham quan mới đang chờ xác nhận."),
        booking=booking,
        with_ics=False,
        for_staff=True,
    )


@_to_booker
def notify_confirmed(booking: Booking) -> None:
    _send(
        to=[booking.email],
        subject=_subject(_("Đăng ký tham quan đã được xác nhận"), booking),
        intro=_("%(board)s xác nhận buổi tham quan dưới đây. Rất mong được đón đoàn.") % {"board": _board()},
        booking=booking,
        with_ics=True,
        for_staff=False,
    )


@_to_booker
def notify_rejected(booking: Booking) -> None:
    _send(
        to=[booking.email],
        subject=_subject(_("Đăng ký tham quan không được chấp nhận"), booking),
        intro=_("Rất tiếc, %(board)s không thể đón đoàn theo đăng ký dưới đây. Lý do: %(reason)s")
        % {"board": _board(), "reason": booking.rejection_reason},
        booking=booking,
        with_ics=True,
        for_staff=False,
    )


@_to_booker
def notify_moved(booking: Booking) -> None:
    """To the booker: staff moved the visit to another day, time or venue; the .ics replaces the old one."""
    _send(
        to=[booking.email],
        subject=_subject(_("Buổi tham quan đã được chuyển sang thời gian khác"), booking),
        intro=_(
            "%(board)s đã chuyển buổi tham quan của đơn vị sang thời gian dưới đây. Tệp lịch (.ics) đính kèm thay cho"
            " tệp đã gửi trước."
        )
        % {"board": _board()},
        booking=booking,
        with_ics=True,
        for_staff=False,
    )


def _cancellation_intro(booking: Booking) -> str:
    if booking.cancelled_by == Booking.CancelledBy.BOOKER:
        intro = _("Đơn vị đã hủy đăng ký tham quan dưới đây.")
    else:
        intro = _("%(board)s đã hủy buổi tham quan dưới đây.") % {"board": _board()}
    if booking.cancellation_reason:
        intro += " " + _("Lý do: %(reason)s") % {"reason": booking.cancellation_reason}
    return intro


@_to_booker
def _notify_cancelled_booker(booking: Booking) -> None:
    _send(
        to=[booking.email],
        subject=_subject(_("Đăng ký tham quan đã bị hủy"), booking),
        intro=_cancellation_intro(booking),
        booking=booking,
        with_ics=True,
        for_staff=False,
    )


@_to_staff
def _notify_cancelled_staff(booking: Booking) -> None:
    _send(
        to=staff_addresses(booking),
        subject=_subject(_("Đăng ký tham quan đã bị hủy"), booking),
        intro=_cancellation_intro(booking),
        booking=booking,
        with_ics=False,
        for_staff=True,
    )


def notify_cancelled(booking: Booking) -> None:
    """To the booker and to staff: the visit is cancelled, by whom and why."""
    _notify_cancelled_booker(booking)
    _notify_cancelled_staff(booking)


@_to_staff
def notify_new_date_requested(booking: Booking) -> None:
    _send(
        to=staff_addresses(booking),
        subject=_subject(_("Đơn vị đề nghị đổi ngày tham quan"), booking),
        intro=_("Đơn vị đề nghị đổi sang ngày khác: %(request)s") % {"request": booking.new_date_request},
        booking=booking,
        with_ics=False,
        for_staff=True,
    )


@_to_booker
def notify_reminder(booking: Booking) -> None:
    _send(
        to=[booking.email],
        subject=_subject(_("Nhắc lịch tham quan"), booking),
        intro=_("Xin nhắc lịch buổi tham quan sắp tới của đơn vị."),
        booking=booking,
        with_ics=True,
        for_staff=False,
    )


# The waiting list -------------------------------------------------------------------------------


def claim_url(entry: WaitingEntry) -> str:
    return absolute_url(reverse("bookings:claim", args=[entry.claim_token()]))


def _send_waiting(entry: WaitingEntry, *, subject: str, intro: str, with_link: bool) -> None:
    with translation.override(entry.language or settings.LANGUAGE_CODE):
        body = render_to_string(
            "bookings/email/waiting.txt",
            {
                "intro": intro,
                "entry": entry,
                "claim_url": claim_url(entry) if with_link else "",
                "institution": current_institution(),
            },
        )
        message = EmailMessage(
            subject=_("[Chờ chỗ] %(subject)s") % {"subject": subject},
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[entry.email],
        )
    try:
        message.send()
    except Exception:  # a mail server hiccup must not undo a stored entry
        logger.exception("Could not send waiting-list email %r for entry %s", subject, entry.pk)


def notify_waiting_received(entry: WaitingEntry) -> None:
    """To the committee: it is on the waiting list of the slot."""
    with translation.override(entry.language or settings.LANGUAGE_CODE):
        subject = _("Đã nhận đăng ký chờ chỗ")
        intro = _(
            "%(board)s đã ghi đơn vị vào danh sách chờ của khung giờ dưới đây. Khi có chỗ,"
            " chúng tôi sẽ gửi thư mời kèm đường dẫn nhận chỗ."
        ) % {"board": _board()}
    _send_waiting(entry, subject=subject, intro=intro, with_link=False)


def notify_offer(entry: WaitingEntry) -> None:
    """To the committee: places are held for it until the offer expires; the link claims them."""
    with translation.override(entry.language or settings.LANGUAGE_CODE):
        expires = timezone.localtime(entry.offer_expires_at).strftime("%H:%M %d/%m/%Y")
        subject = _("Đã có chỗ cho đoàn của đơn vị")
        intro = _(
            "Khung giờ đơn vị đăng ký chờ vừa có chỗ. %(board)s giữ %(size)s chỗ cho đoàn đến %(expires)s."
            " Xin mở đường dẫn dưới đây để nhận chỗ; sau thời hạn này, chỗ được dành cho đơn vị chờ tiếp theo."
        ) % {"board": _board(), "size": entry.group_size, "expires": expires}
    _send_waiting(entry, subject=subject, intro=intro, with_link=True)
