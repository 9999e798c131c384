"""`manage.py create_dev_users`: a superuser and one user per staff group, for development only."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from traditions.roles import LEADERSHIP, OFFICE, PROPAGANDA_BOARD, sync_roles

DEV_USERS = [
    ("admin", None, "Quản trị hệ thống"),
    ("tuyengiao", PROPAGANDA_BOARD, "Cán bộ Ban Tuyên giáo"),
    ("vanphong", OFFICE, "Cán bộ Văn phòng"),
    ("lanhdao", LEADERSHIP, "Lãnh đạo Đảng ủy Khối"),
]


class Command(BaseCommand):
    help = "Tạo (hoặc đặt lại mật khẩu) các tài khoản phát triển. Chỉ dùng khi DJANGO_DEBUG bật."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Chỉ tạo tài khoản phát triển khi DJANGO_DEBUG bật.")
        sync_roles()
        User = get_user_model()
        self.stdout.write("Tài khoản phát triển (mật khẩu mới mỗi lần chạy, chỉ để thử):")
        for username, group_name, full_name in DEV_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = full_name
            user.email = f"{username}@localhost"
            user.is_staff = True
            user.is_superuser = group_name is None
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])
            self.stdout.write(f"  {username:<10} {password:<14} {group_name or 'superuser'}")
