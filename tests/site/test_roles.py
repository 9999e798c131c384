"""The staff roles and their permission matrix (traditions/roles.py)."""

import pytest
from django.contrib.auth.models import Group, Permission

from traditions.roles import LEADERSHIP, OFFICE, PROPAGANDA_BOARD, ROLES, sync_roles

pytestmark = pytest.mark.django_db


def test_the_three_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {PROPAGANDA_BOARD, OFFICE, LEADERSHIP}


def _codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_propaganda_board_catalogues_but_only_views_upgrades():
    perms = _codenames(PROPAGANDA_BOARD)
    assert {"archive.add_body", "archive.change_body", "archive.view_period", "archive.change_venue"} <= perms
    for perm in perms:
        app_label, codename = perm.split(".")
        if app_label == "upgrades":
            assert codename.startswith("view_")
    assert not any(p.startswith(("auth.", "admin.", "sessions.")) for p in perms)


def test_office_edits_upgrades_and_only_views_the_archive():
    perms = _codenames(OFFICE)
    assert "archive.view_body" in perms
    assert "archive.change_body" not in perms
    upgrades = Permission.objects.filter(content_type__app_label="upgrades")
    assert {f"upgrades.{p.codename}" for p in upgrades} <= perms


def test_leadership_only_views():
    perms = _codenames(LEADERSHIP)
    assert perms, "leadership must see something"
    assert all(perm.split(".")[1].startswith("view_") for perm in perms)
    assert "archive.view_period" in perms


def test_sync_roles_restores_the_matrix_after_manual_changes():
    group = Group.objects.get(name=LEADERSHIP)
    group.permissions.add(Permission.objects.get(codename="change_body"))
    sync_roles()
    assert "archive.change_body" not in _codenames(LEADERSHIP)


def test_every_role_names_every_domain_app():
    for role in ROLES.values():
        assert set(role.apps) == {"archive", "exhibits", "bookings", "upgrades", "reading", "traditions"}


def test_office_user_can_open_the_admin_but_not_change_archive_records(client, office_user):
    client.force_login(office_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/archive/body/").status_code == 200
    assert client.get("/admin/archive/body/add/").status_code == 403
