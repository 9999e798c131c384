from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TraditionsConfig(AppConfig):
    """The project package as an app: roles, site-wide commands, template tags."""

    name = "traditions"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from basics.history import blank_change_reason
        from traditions import checks  # noqa: F401 - registers the deployment checks
        from traditions.roles import sync_roles_after_migrate

        pre_create_historical_record.connect(blank_change_reason, dispatch_uid="traditions.blank_change_reason")

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="traditions.sync_roles")
        # Sent for each app with models (this one has none): the command is quick and leaves an existing table.
        post_migrate.connect(create_cache_table, dispatch_uid="traditions.cache_table")


def create_cache_table(sender, using="default", verbosity=1, **kwargs) -> None:
    """`migrate` also makes the database cache's table where that cache is configured (it is
    no migration of Django's; `createcachetable` leaves an existing table alone)."""
    call_command("createcachetable", database=using, verbosity=0)
