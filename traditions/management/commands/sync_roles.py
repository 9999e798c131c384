from django.core.management.base import BaseCommand

from traditions.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Đặt lại quyền của các nhóm cán bộ theo traditions/roles.py."

    def handle(self, *args, **options) -> None:
        sync_roles()
        self.stdout.write(self.style.SUCCESS(f"Đã đồng bộ quyền cho {len(ROLES)} nhóm."))
