from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TraditionsConfig(AppConfig):
    """The project package as an app: roles, site-wide commands, template tags."""

    name = "traditions"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        from traditions import checks  # noqa: F401 - registers the deployment checks
        from traditions.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="traditions.sync_roles")
