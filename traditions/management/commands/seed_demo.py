"""`manage.py seed_demo`: believable demonstration data, app by app, safe to run again.

Each app that has demonstration data provides `<app>/demo.py` with a function
`seed(stdout) -> None`; they run in the order of INSTALLED_APPS, so the archive's
registers exist before the bookings and upgrades that refer to them.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu để trình diễn (chạy lại nhiều lần không tạo bản trùng)."

    def handle(self, *args, **options) -> None:
        # The demonstration texts are Vietnamese: with the site's language active, the translated
        # fields' original columns (modeltranslation's ``title`` is ``title_<active language>``)
        # receive them and their lookups read them, whatever language the caller had active.
        with translation.override(settings.LANGUAGE_CODE):
            self.seed_every_app()

    def seed_every_app(self) -> None:
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).seed(self.stdout)
            self.stdout.write(f"✓ {app_config.verbose_name}")
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
