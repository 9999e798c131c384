"""`manage.py send_upgrade_digest`: one email per owner listing their overdue and due-soon work items."""

from django.core.management.base import BaseCommand

from upgrades.services import digest_send


class Command(BaseCommand):
    help = "Gửi mỗi người phụ trách một thư liệt kê các hạng mục nâng cấp quá hạn và sắp đến hạn."

    def handle(self, *args, **options) -> None:
        sent = digest_send()
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} thư."))
