"""`manage.py send_booking_reminders`: remind bookers of confirmed visits N days ahead, once each."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from bookings.services import booking_reminders_send


class Command(BaseCommand):
    help = "Gửi thư nhắc lịch cho các buổi tham quan đã xác nhận sắp tới (mỗi buổi chỉ nhắc một lần)."

    def handle(self, *args, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            sent = booking_reminders_send()
        self.stdout.write(f"Đã gửi {sent} thư nhắc lịch.")
