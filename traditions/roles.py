"""Staff roles and their permissions, defined in this one place.

A role grants, per app, either every permission of the app's models (`FULL`, custom
permissions included) or only the right to look (`VIEW`). Models an app adds later are
covered without editing this file; `sync_roles()` runs after every `migrate` and can be
run by hand with `manage.py sync_roles`.
"""

from dataclasses import dataclass, field

from django.db.models import Q

PROPAGANDA_BOARD = "Ban Tuyên giáo"
OFFICE = "Văn phòng"
LEADERSHIP = "Lãnh đạo"

FULL = "full"
VIEW = "view"


@dataclass(frozen=True)
class Role:
    """What one staff group may do, app by app."""

    apps: dict[str, str]
    # "app_label.codename" permissions withheld even where the app is FULL: catalogued
    # material is withdrawn, not deleted, so only a superuser hard-deletes it.
    withheld: frozenset[str] = field(default_factory=frozenset)


ROLES: dict[str, Role] = {
    PROPAGANDA_BOARD: Role(
        apps={
            "archive": FULL,
            "exhibits": FULL,
            "bookings": FULL,
            "upgrades": VIEW,
            "reading": FULL,
            "traditions": FULL,
        },
        withheld=frozenset({"archive.delete_item", "archive.delete_mediafile", "archive.delete_dossier"}),
    ),
    OFFICE: Role(
        apps={
            "archive": VIEW,
            "exhibits": VIEW,
            "bookings": VIEW,
            "upgrades": FULL,
            "reading": VIEW,
            "traditions": VIEW,
        }
    ),
    LEADERSHIP: Role(
        apps={
            "archive": VIEW,
            "exhibits": VIEW,
            "bookings": VIEW,
            "upgrades": VIEW,
            "reading": VIEW,
            "traditions": VIEW,
        }
    ),
}


def role_permissions(role: Role):
    """The Permission queryset a role grants."""
    from django.contrib.auth.models import Permission

    condition = Q(pk__in=[])
    for app_label, level in role.apps.items():
        app_q = Q(content_type__app_label=app_label)
        if level == VIEW:
            app_q &= Q(codename__startswith="view_")
        condition |= app_q
    queryset = Permission.objects.filter(condition).select_related("content_type")
    for withheld in role.withheld:
        app_label, codename = withheld.split(".", 1)
        queryset = queryset.exclude(content_type__app_label=app_label, codename=codename)
    return queryset


def sync_roles() -> None:
    """Create the groups if missing and set their permissions to exactly what ROLES says."""
    from django.contrib.auth.models import Group

    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(role_permissions(role))


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    # Runs once per migrated app; by the last call the permissions of every app exist.
    if using == "default":
        sync_roles()
