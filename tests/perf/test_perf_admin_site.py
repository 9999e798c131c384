"""The admin's app list and side bar, kept per set of permissions, are what Django would build."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db

SIDEBAR = re.compile(r'<button class="sticky toggle-nav-sidebar".*?</nav>', re.S)


def sidebar(response) -> str:
    return SIDEBAR.search(response.content.decode()).group(0)


def django_sidebar(user, path: str) -> str:
    """The side bar as Django's own AdminSite builds and renders it, nothing kept."""
    request = RequestFactory().get(path)
    request.user = user
    apps = AdminSite.get_app_list(admin.site, request)
    return SIDEBAR.search(render_to_string("admin/nav_sidebar.html", {"available_apps": apps}, request)).group(0)


@pytest.mark.parametrize("role", ["superuser", "propaganda_user", "office_user", "leadership_user"])
@pytest.mark.parametrize("path", ["/admin/archive/item/", "/admin/archive/period/", "/admin/bookings/booking/"])
def test_the_side_bar_is_the_one_django_renders_for_each_role(client, request, role, path):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for _ in range(2):  # built, then kept
        response = client.get(path)
        assert response.status_code == 200
        assert sidebar(response) == django_sidebar(user, path)


def test_each_role_sees_its_own_models_and_links(client, propaganda_user, leadership_user):
    client.force_login(propaganda_user)
    board = sidebar(client.get("/admin/archive/item/"))
    client.force_login(leadership_user)
    leaders = sidebar(client.get("/admin/archive/item/"))
    assert 'href="/admin/archive/item/add/"' in board
    assert 'href="/admin/archive/item/add/"' not in leaders  # read-only
    assert 'href="/admin/archive/item/" aria-current="page"' in leaders
    assert "/admin/auth/user/" not in board and "/admin/auth/user/" not in leaders


def test_a_new_permission_shows_at_once(client, leadership_user):
    client.force_login(leadership_user)
    assert 'href="/admin/archive/item/add/"' not in sidebar(client.get("/admin/archive/period/"))
    leadership_user.user_permissions.add(Permission.objects.get(codename="add_item"))
    assert 'href="/admin/archive/item/add/"' in sidebar(client.get("/admin/archive/period/"))


def test_the_app_list_follows_the_language(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    names = {}
    for language in ["vi", "en", "vi"]:
        with translation.override(language):
            kept = admin.site.get_app_list(request)
            assert kept == AdminSite.get_app_list(admin.site, request)
            names[language] = [str(model["name"]) for app in kept for model in app["models"]]
    assert names["vi"] != names["en"]


def test_the_app_list_a_view_gets_is_its_own(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    first = admin.site.get_app_list(request)
    first[0]["models"].clear()
    first.reverse()
    assert admin.site.get_app_list(request) == AdminSite.get_app_list(admin.site, request)


def test_an_admin_page_reads_the_permissions_once(client, propaganda_user, django_assert_max_num_queries):
    client.force_login(propaganda_user)
    client.get("/admin/")
    # Session, user, its role group, the Board's three counts (items in review, new contributions,
    # bookings), its and its groups' permissions (once each, for every app block), recent actions.
    with django_assert_max_num_queries(9):
        assert client.get("/admin/").status_code == 200
