"""`manage.py expire_offers`: close the waiting list's lapsed offers and pass their places on.

No job queue runs in this project yet: run it from a timer every few minutes, e.g. a systemd
timer `OnCalendar=*:0/10` or the cron line `*/10 * * * * manage.py expire_offers`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from bookings.services import waiting_offers_expire


class Command(BaseCommand):
    help = "Đóng các lời mời nhận chỗ đã hết hạn và mời đơn vị chờ tiếp theo."

    def handle(self, *args, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            closed = waiting_offers_expire()
        self.stdout.write(f"Đã đóng {closed} lời mời nhận chỗ hết hạn.")
