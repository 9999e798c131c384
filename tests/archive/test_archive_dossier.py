"""The dossier (hồ sơ): its admin pages and permissions are named after the model, and the
migration that renamed the model File carries the permissions granted under the old name."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from archive.models import Dossier, Item
from traditions.roles import PROPAGANDA_BOARD, ROLES, role_permissions

pytestmark = pytest.mark.django_db

migration = import_module("archive.migrations.0014_dossier")


def test_items_belong_to_a_dossier_in_order(propaganda_user, client):
    dossier = Dossier.objects.create(code="HS-2007-01", title="Hồ sơ tái lập Đảng bộ Khối")
    item = Item.objects.create(title="Quyết định tái lập", dossier=dossier, dossier_position=1)
    assert list(dossier.items.all()) == [item]
    assert item.history.get().dossier_id == dossier.pk
    client.force_login(propaganda_user)
    page = client.get(reverse("admin:archive_dossier_change", args=[dossier.pk]))
    assert page.status_code == 200
    assert (
        client.get(reverse("admin:archive_item_change", args=[item.pk])).context["adminform"].form["dossier"].value()
        == dossier.pk
    )


def test_the_propaganda_board_may_not_hard_delete_a_dossier():
    granted = {p.codename for p in role_permissions(ROLES[PROPAGANDA_BOARD]).filter(content_type__app_label="archive")}
    assert {"add_dossier", "change_dossier", "view_dossier"} <= granted
    assert "delete_dossier" not in granted
    assert not {codename for codename in granted if codename.endswith("_file")}


def test_the_migration_renames_the_permissions_granted_under_the_old_name(django_user_model):
    # A content type as migrate had made it for the model File.
    old_type = ContentType.objects.create(app_label="archive", model="file")
    perms = [
        Permission.objects.create(content_type=old_type, codename=f"{action}_file", name=f"Can {action} hồ sơ")
        for action in ("add", "change", "delete", "view")
    ]
    user = django_user_model.objects.create_user("thu-ky", password="x")
    user.user_permissions.add(perms[3])

    migration.forwards(apps, None)
    assert set(Permission.objects.filter(content_type=old_type).values_list("codename", flat=True)) == {
        "add_dossier",
        "change_dossier",
        "delete_dossier",
        "view_dossier",
    }
    assert list(user.user_permissions.values_list("codename", flat=True)) == ["view_dossier"]
    # The permissions of the content type migrate made for Dossier already had these names.
    assert Permission.objects.filter(codename="view_dossier").count() == 2

    migration.backwards(apps, None)
    assert list(user.user_permissions.values_list("codename", flat=True)) == ["view_file"]
    assert not Permission.objects.filter(codename__endswith="_dossier").exists()
