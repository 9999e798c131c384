"""`manage.py erase_personal_data`: erase the personal data of bookings, waiting entries and
contributions whose retention period (DJANGO_PERSONAL_DATA_RETENTION_DAYS) has run out.

Run it daily from a timer, e.g. the cron line `30 2 * * * manage.py erase_personal_data` or a
systemd timer `OnCalendar=*-*-* 02:30`. Each record is erased in a transaction of its own, so a run
broken off half-way leaves every record either whole or erased, and the next run goes on. Visit
statistics keep their counts: the bookings stay, without the people's names and addresses.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from traditions.personal_data import erase_past_retention


class Command(BaseCommand):
    help = "Xóa dữ liệu cá nhân của đăng ký tham quan, đăng ký chờ chỗ và đóng góp tư liệu đã quá thời hạn lưu giữ."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không xóa.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            counts = erase_past_retention(dry_run=dry_run)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(
            f"{verb} dữ liệu cá nhân của {counts['bookings']} đăng ký tham quan, {counts['waiting']} đăng ký chờ chỗ, "
            f"{counts['contributions']} đóng góp (thời hạn {settings.PERSONAL_DATA_RETENTION_DAYS} ngày)."
        )
